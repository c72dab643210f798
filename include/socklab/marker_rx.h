/* marker_rx.h — tcpscope's side of the syscall markers (src/marker): the datagram parser, the
 * ring of markers waiting for their segment, and the socket that receives them. The wire
 * format is in socklab/marker.h. No allocation after marker_rx_open. */
#ifndef SOCKLAB_MARKER_RX_H
#define SOCKLAB_MARKER_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socklab/decode.h"
#include "socklab/marker.h"

/* A marker, decoded and checked. */
struct marker {
	double t; /* seconds since the epoch: when the call was about to run */
	uint32_t pid;
	uint8_t flags; /* MARKER_F_* */
	struct decode_addr local, peer;
	uint16_t local_port, peer_port;
	char call[MARKER_CALL_LEN]; /* NUL-terminated, [a-z0-9_]+ */
	char role[MARKER_ROLE_LEN]; /* NUL-terminated, printable ASCII, may be "" */
};

enum marker_parse_result {
	MARKER_OK = 0,
	MARKER_BAD_LENGTH,  /* not MARKER_WIRE_LEN bytes */
	MARKER_BAD_MAGIC,   /* not "SLMK": not a marker at all */
	MARKER_BAD_VERSION, /* a version this tcpscope does not read */
	MARKER_BAD_FIELD,   /* flags, family, time, name or role out of their range */
};

/* Decodes one datagram (len bytes at buf, untrusted) into out; out is only valid on OK. */
enum marker_parse_result marker_parse(const uint8_t *buf, size_t len, struct marker *out);

/* ---- placement: markers waiting for the segment their call sends ------------------------- */

/* A marker that names a connection (a connected socket, or connect()'s target) waits for the
 * next segment its endpoint sends at or after it, up to MARKER_HOLD_SECS; one that cannot be
 * placed (no peer: socket(), bind(), listen()) is released before the next segment after it. */
#define MARKER_RING_CAP  256
#define MARKER_HOLD_SECS 0.5

struct marker_ring {
	struct marker m[MARKER_RING_CAP]; /* oldest first, n in use */
	size_t n;
	uint64_t dropped; /* pushed while full */
};

/* What a placement step gives back: the marker, and whether it goes with the segment asked
 * about (placed) or on a row of its own. */
struct marker_out {
	struct marker m;
	bool placed;
};

void marker_ring_init(struct marker_ring *r);
/* False (and counted in dropped) when the ring is full. */
bool marker_ring_push(struct marker_ring *r, const struct marker *m);
/* For a segment sent at time t: removes and returns (oldest first, at most max) the markers to
 * show before it: those of its sender at or before t (placed), and those at or before t that
 * can no longer be placed (no peer, or older than MARKER_HOLD_SECS) on their own. */
size_t marker_ring_take_segment(struct marker_ring *r, double t, const struct decode_packet *pkt,
                                struct marker_out *out, size_t max);
/* At time now with no segment: removes and returns the ones that wait for nothing any more (no
 * peer, or held longer than MARKER_HOLD_SECS); all of them when flush is true (end of run). */
size_t marker_ring_take_due(struct marker_ring *r, double now, bool flush, struct marker_out *out,
                            size_t max);

/* ---- the receiving socket --------------------------------------------------------------- */

struct marker_stats {
	uint64_t received; /* datagrams read */
	uint64_t accepted; /* well-formed and in scope */
	uint64_t bad;      /* malformed (dropped, counted) */
	uint64_t filtered; /* for ports the capture does not watch */
	uint64_t dropped;  /* the pending ring was full, or its sender held its share of it */
	uint64_t refused;  /* well-formed but not believed: the pid in it is not the sender's own
	                    * (the kernel's SCM_CREDENTIALS say), or its time is more than
	                    * MARKER_SKEW_SECS from the receiver's clock */
};

/* A lab sends a marker right before its call, so its time is "now" give or take scheduling;
 * one far from now is forged or from a broken clock, and would sit in the ring forever (a
 * future one is never due) or land on the wrong segment. */
#define MARKER_SKEW_SECS 5.0
/* One sender may hold at most this many of the ring's entries: a flood from one process cannot
 * hide another lab's markers. */
#define MARKER_PER_PID_CAP 64

struct marker_rx;

/* Binds the abstract AF_UNIX datagram socket "\0name" (call before the privilege drop: the
 * socket stays usable after it). NULL with a message in err if it cannot (another tcpscope
 * holds the name, or the name is too long). */
struct marker_rx *marker_rx_open(const char *name, char *err, size_t errlen);
void marker_rx_close(struct marker_rx *rx);
int marker_rx_fd(const struct marker_rx *rx);

/* Only markers for these ports (the capture filter's, e.g. -p) are kept; a marker without
 * any port (socket()) is kept when its pid sent one that was. n = 0: every marker. */
void marker_rx_set_ports(struct marker_rx *rx, const uint16_t *ports, size_t n);

/* Reads every datagram waiting, without blocking. */
void marker_rx_drain(struct marker_rx *rx);

/* As marker_ring_take_segment; reads the socket first when the segment is newer than the
 * last read, so a marker sent before the segment is never missed (its send had completed
 * before the call, and so before the segment existed). */
size_t marker_rx_segment(struct marker_rx *rx, double t, const struct decode_packet *pkt,
                         struct marker_out *out, size_t max);
/* As marker_ring_take_due. */
size_t marker_rx_due(struct marker_rx *rx, double now, bool flush, struct marker_out *out,
                     size_t max);

const struct marker_stats *marker_rx_stats(const struct marker_rx *rx);

#endif
