/* track.h — connection table and both endpoints' TCP states, inferred from segments.
 * Pure: time is a parameter, no clocks, no I/O, no allocation per packet. */
#ifndef SOCKLAB_TRACK_H
#define SOCKLAB_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socklab/decode.h"

/* RFC 9293 §3.3.2 states, plus UNKNOWN for a connection picked up mid-stream. */
enum track_state {
	TRACK_UNKNOWN = 0,
	TRACK_CLOSED,
	TRACK_LISTEN,
	TRACK_SYN_SENT,
	TRACK_SYN_RECEIVED,
	TRACK_ESTABLISHED,
	TRACK_FIN_WAIT_1,
	TRACK_FIN_WAIT_2,
	TRACK_CLOSE_WAIT,
	TRACK_CLOSING,
	TRACK_LAST_ACK,
	TRACK_TIME_WAIT,
	TRACK_STATE_COUNT
};

enum track_names { TRACK_NAMES_RFC, TRACK_NAMES_LINUX };

/* "SYN_RECEIVED" (rfc) or "SYN_RECV" (linux spelling, as ss and /proc/net/tcp use). */
const char *track_state_name(enum track_state s, enum track_names names);
/* Parse either spelling (also ss's "SYN-RECV" / "TIME-WAIT"); returns false if unknown. */
bool track_state_parse(const char *name, enum track_state *out);

/* Endpoint index inside a connection: the client sent the first SYN. For a connection picked
 * up mid-stream, the endpoint of the first segment seen is called the client. */
enum track_role { TRACK_CLIENT = 0, TRACK_SERVER = 1 };
const char *track_role_name(enum track_role r); /* "client" / "server" */

enum track_anomaly {
	TRACK_ANOMALY_NONE = 0,
	TRACK_ANOMALY_RETRANSMISSION,    /* SYN, SYN-ACK, FIN or data sent again */
	TRACK_ANOMALY_RST_OUT_OF_WINDOW, /* RFC 9293 §3.10.7.x: RST ignored, state unchanged */
	TRACK_ANOMALY_RST_CHALLENGE, /* in window but not exact: RFC 5961 challenge ACK expected */
	TRACK_ANOMALY_MIDSTREAM,     /* first segment seen was not a SYN */
	TRACK_ANOMALY_UNEXPECTED,    /* segment that makes no sense in the sender's state */
	TRACK_ANOMALY_TABLE_FULL,    /* an old connection was evicted to make room */
	TRACK_ANOMALY_PORT_REUSE,    /* a new SYN on a 4-tuple whose old connection is gone */
	TRACK_ANOMALY_TRUNCATED,     /* decode said truncated (reported by the caller) */
	TRACK_ANOMALY_MALFORMED,     /* decode said malformed (reported by the caller) */
	TRACK_ANOMALY_COUNT
};
const char *
track_anomaly_name(enum track_anomaly a); /* "retransmission", "rst_out_of_window", ... */

struct track_endpoint {
	struct decode_addr addr;
	uint16_t port;
	enum track_state state;
	uint32_t isn; /* sequence number of this endpoint's SYN (valid if isn_known) */
	bool isn_known;
	bool syn_sent, fin_sent, rst_sent;
	uint32_t snd_nxt;  /* highest seq + len (+1 for SYN/FIN) this endpoint has sent */
	uint32_t fin_seq;  /* sequence number of its FIN, if fin_sent */
	uint32_t ack_sent; /* highest ACK this endpoint has sent (if acked_any) */
	bool acked_any;
	uint16_t mss;            /* from its SYN, 0 if none */
	int8_t wscale;           /* from its SYN, -1 if none */
	uint64_t packets, bytes; /* segments and payload bytes sent by this endpoint */
};

/* Compact history of a connection for --summary: one letter per notable event, e.g.
 * "S s A F a F a" for a handshake and close. Bounded; '+' marks where it was cut. */
#define TRACK_HISTORY_LEN 24
/* History alphabet (src/track): upper case = sent by the client, lower case = by the server.
 *   S/s  SYN or SYN-ACK          F/f  FIN (first time; retransmissions add nothing)
 *   R/r  RST                     D/d  data (a run of data segments is one letter)
 *   A/a  a pure ACK that changed a state (handshake done, FIN acknowledged)
 *   T/t  that endpoint's TIME_WAIT timer expired
 *   G/g  its SYNs went unanswered and stopped: predicted to have given up (CLOSED)
 * A normal session: "SsADdFafA". At most TRACK_HISTORY_LEN-1 letters, then '+'. */

struct track_conn {
	uint64_t id;                 /* 1, 2, 3 ... in order of first sight; never reused */
	struct track_endpoint ep[2]; /* [TRACK_CLIENT], [TRACK_SERVER] */
	double first_seen, last_seen;
	bool midstream; /* handshake not seen */
	bool closed;    /* both endpoints CLOSED (or TIME_WAIT expired); a server never heard
	                   from counts as CLOSED once its client is */
	char history[TRACK_HISTORY_LEN + 1];
	/* Internal bookkeeping follows in the implementation's private struct; callers must treat
	 * a track_conn as read-only and valid only until the next track_* call that may evict. */
};

enum track_event_kind {
	TRACK_EVENT_OPEN,   /* a new connection entered the table */
	TRACK_EVENT_PACKET, /* one segment, carrying the events it caused (caused[]) */
	TRACK_EVENT_STATE,  /* one endpoint changed state */
	TRACK_EVENT_ANOMALY,
	TRACK_EVENT_EVICT, /* a connection leaves the table (closed and expired, or evicted) */
	TRACK_EVENT_START, /* an endpoint's start state became known (no transition: see below) */
};

struct track_event {
	enum track_event_kind kind;
	double t;                      /* time of the segment (or timer) that caused it */
	const struct track_conn *conn; /* NULL only for anomalies not tied to a connection */
	/* Both endpoints' states right after this event (OPEN: the start states; PACKET: after the
	 * segment). A caused event is delivered with its segment, when conn already shows the
	 * states after the whole segment: these are the states at the event itself. */
	enum track_state states[2];
	/* PACKET */
	const struct decode_packet *pkt;
	enum track_role sender;    /* PACKET, and ANOMALY about a segment: who sent it */
	uint32_t rel_seq, rel_ack; /* relative to the sender's / receiver's ISN */
	/* rel_ack is 0 when the segment has no ACK flag. With no SYN seen from a side, its numbers
	 * count from the first number of its sequence space seen: its first seq, or the peer's
	 * ACK if that came first (so one line never mixes raw and relative numbers). */
	/* The advertised window in bytes: the raw field shifted left by win_shift, the sender's
	 * window scale (RFC 7323 §2.2: only when both SYNs offered scaling; never in a SYN).
	 * win_shift is -1 when the shift is unknown (handshake not captured): win is then the raw
	 * field. */
	uint32_t win;
	int8_t win_shift;
	/* STATE and START (START: from is UNKNOWN, to is the start state) */
	enum track_role endpoint;
	enum track_state from, to;
	/* ANOMALY */
	enum track_anomaly anomaly;
	/* STATE, START and ANOMALY: one line saying why, e.g. "received FIN seq=1, peer ACKed our FIN".
	 * Points to storage valid for the duration of the callback. */
	const char *why;
	/* PACKET: the events this segment caused, in the order they arose; they are delivered
	 * here only, never on their own (see "Events" below). Valid for the callback. */
	const struct track_event *caused;
	size_t ncaused;
};

typedef void (*track_event_fn)(const struct track_event *ev, void *user);

struct track_config {
	uint32_t max_conns;      /* hard cap; 0 means the default (65536) */
	double time_wait_secs;   /* TIME_WAIT duration; 0 means the default 60 s (Linux) */
	double pending_secs;     /* how long a receive-side inference may wait for evidence
	                              before it is committed anyway; 0 means the default 1 s */
	track_event_fn on_event; /* may be NULL */
	void *user;
	/* No reasons wanted (a consumer that prints only tables, as tcpscope --summary): STATE and
	 * ANOMALY events then carry why = "" and the formatting is skipped, a large share of the
	 * per-segment cost when states change often. */
	bool no_why;
};
/* How the tracker infers state (src/track; docs/architecture.md, "Inferring two endpoints"):
 * - A new connection starts with the client CLOSED and the server UNKNOWN (mid-stream: both
 *   UNKNOWN); OPEN announces these. The server's first segment shows its start state (RFC 9293):
 *   a SYN-ACK that it was LISTEN (then LISTEN -> SYN_RECEIVED), a RST/ACK or a bare SYN that it
 *   was CLOSED (a refusal; a simultaneous open: CLOSED -> SYN_SENT). No transition was seen, so
 *   this comes as a START event (UNKNOWN -> the start state), which outputs do not print as a
 *   transition. With no reply it stays UNKNOWN. Mid-stream, a FIN from an UNKNOWN endpoint
 *   shows, once the peer's numbers tell (RFC 9293 §3.6), that it was ESTABLISHED (the peer
 *   sent beyond the FIN's ACK: FIN_WAIT_1) or CLOSE_WAIT (its FIN ACKs the peer's FIN:
 *   LAST_ACK); the peer, UNKNOWN and without a FIN of its own, was ESTABLISHED. Those start
 *   states also come as START events; without that evidence both stay UNKNOWN (nothing is
 *   assumed at a deadline). Every other change of a state is a STATE event:
 *   a consumer that applies OPEN, START and STATE events always holds both current states.
 * - A SYN_SENT endpoint whose peer never sent anything is predicted CLOSED once its next SYN
 *   is overdue (twice the last gap, RFC 6298 §5.5, plus an eighth; from its first
 *   retransmission on, a lone SYN is never predicted): a
 *   STATE event from a timer, its why says it is a prediction (track_giveup.c).
 * - The sender's own transitions commit on the segment it sent. ACK-driven receive transitions
 *   commit at once. A receive-side transition on a SYN-ACK or FIN waits for the receiver's next
 *   segment as evidence (crossed FINs: simultaneous close); without evidence it is committed
 *   after pending_secs, or by track_finish, with "(assumed: ...)" in its why. Such a STATE
 *   event carries the time of the evidence or of the deadline, not of the segment.
 * - Events ("Events" in docs/architecture.md). Each segment is delivered as one PACKET event,
 *   once it has been applied: its conn shows both states after it. PACKET carries in
 *   caused[0..ncaused) every other event the segment caused, in the order they arose: a
 *   TABLE_FULL anomaly and the EVICT of the connection pushed out by the cap, or the STATE
 *   events that close the old connection on a reused 4-tuple; OPEN of a new connection; the
 *   server's START; the sender's resolved pending inference; the sender's own transition; the
 *   receiver's transitions; anomalies where they arise. None of these is delivered on its
 *   own, so a consumer needs no reorder buffer: it may write them before the segment (JSON
 *   Lines) or after it (text). A caused event may be about another connection than the
 *   segment's (an evicted or superseded one); an evicted one's conn is a copy, valid for the
 *   callback. ncaused is at most 32.
 *   Delivered on their own, never inside a PACKET: STATE from timers (TIME_WAIT expiry, a
 *   pending inference committed at its deadline) by track_advance and track_finish, and by
 *   track_segment before the segment's PACKET when its time passes a deadline; EVICT from
 *   track_clear_closed; ANOMALY from track_note.
 * - A bare SYN with a new ISN on a 4-tuple whose endpoints are CLOSED/TIME_WAIT (or that was
 *   only seen mid-stream) starts a new connection (PORT_REUSE); the old one is closed and
 *   stays in the table, no longer found by 4-tuple.
 * - Closed connections stay in the table (the UI shows them) until the cap evicts them or
 *   track_clear_closed; track_advance does not remove them. At the cap a new connection
 *   evicts the least recently seen closed one; if none, the youngest half-open one (SYN seen,
 *   no endpoint ESTABLISHED or later yet), so a SYN flood does not push out established
 *   connections; if none, the least recently seen live one. TABLE_FULL reports the last two. */

struct track_stats {
	uint64_t segments;
	uint64_t conns_total; /* connections ever created */
	uint32_t conns_open;  /* in the table now */
	uint32_t conns_peak;
	uint64_t evicted; /* pushed out by the cap */
	uint64_t anomalies[TRACK_ANOMALY_COUNT];
};

struct track_table;

/* Returns NULL and fills err on failure (bad config, out of memory). All memory is allocated
 * here, sized by max_conns; nothing is allocated per packet. */
struct track_table *track_create(const struct track_config *cfg, char *err, size_t errlen);
void track_destroy(struct track_table *tt);

/* Bytes of memory one connection slot costs (for docs and the benchmark). */
/* (Slot plus its share of the 4-tuple hash; about 300 bytes on x86-64, ~20 MiB at 65536.) */
size_t track_conn_footprint(void);

/* Feed one decoded segment captured at time t (seconds). Events are delivered through the
 * config's callback before this returns. Times should not go backwards; if they do, t is
 * treated as equal to the last time seen. */
void track_segment(struct track_table *tt, double t, const struct decode_packet *pkt);

/* Let time pass with no segment: expires TIME_WAIT timers, commits stale pending inferences,
 * predicts CLOSED for clients whose SYNs stopped unanswered,
 * and evicts connections closed long enough. Call with the capture clock (offline) or the
 * wall clock (live). */
void track_advance(struct track_table *tt, double now);

/* End of input: commit pending inferences now (reasons say they were assumed). Does not
 * expire TIME_WAIT, nor predict a give-up not yet due: a capture that ends during TIME_WAIT,
 * or while a SYN could still be retransmitted, leaves the endpoint there. */
void track_finish(struct track_table *tt, double now);

/* Report an anomaly not tied to a connection (e.g. a truncated frame); counted in stats. */
void track_note(struct track_table *tt, double t, enum track_anomaly a, const char *why);

const struct track_stats *track_get_stats(const struct track_table *tt);

/* Visit every connection in the table in id order. Stops early if fn returns false. */
typedef bool (*track_visit_fn)(const struct track_conn *c, void *user);
void track_foreach(const struct track_table *tt, track_visit_fn fn, void *user);

/* Find a connection by id; NULL if it has left the table. */
/* (A walk in id order: O(connections), for the UI, not for per-packet use.) */
const struct track_conn *track_find(const struct track_table *tt, uint64_t id);

/* Remove every connection whose endpoints are both CLOSED (UI "clear closed"). Emits EVICT. */
void track_clear_closed(struct track_table *tt);

#endif
