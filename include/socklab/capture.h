/* capture.h — packets from libpcap (live interface or capture file), decoded. No pcap types
 * leak out of this header, so callers need not include pcap.h. */
#ifndef SOCKLAB_CAPTURE_H
#define SOCKLAB_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "socklab/decode.h"

struct capture;

struct capture_options {
	const char *device; /* live: interface name (default "lo"); NULL when reading a file */
	const char *file;   /* offline: path, or "-" for standard input */
	FILE *file_stream;  /* offline: the file already opened (then `file` only names it in
	                     * messages), so a caller can open it with rights it gives up before
	                     * a byte is parsed; the capture owns it, even when opening fails */
	const char *filter; /* BPF expression; NULL: live "tcp" (capture_default_filter), a file
	                     * read whole (the decoder counts what is not TCP) */
	int snaplen;        /* live only; 0: 256 bytes, headers only (see capture.c) */
	int buffer_mb;      /* live kernel buffer, 0: default (8 MiB) */
	bool readahead;     /* a regular file: read it on a second thread, up to a few thousand
	                     * frames ahead of the callbacks (which stay on the caller's thread,
	                     * in file order), decoding there too when the callbacks fall behind.
	                     * Ignored live, for pipes and standard input, and when the process
	                     * may use only one CPU. */
};

/* Failure kinds, so main can print the right advice (permission fixes, interface list). */
enum capture_error {
	CAPTURE_OK = 0,
	CAPTURE_ERR_PERMISSION, /* no CAP_NET_RAW: explain sudo / setcap / -r */
	CAPTURE_ERR_NO_DEVICE,  /* unknown interface: list the ones that exist */
	CAPTURE_ERR_FILE,       /* cannot open or parse the capture file */
	CAPTURE_ERR_FILTER,     /* BPF expression did not compile */
	CAPTURE_ERR_LINKTYPE,   /* link type the decoder does not support */
	CAPTURE_ERR_OTHER,
};

/* Opens and activates (live: immediate mode, the filter applied). On failure returns NULL,
 * sets *kind and writes a one-line message into err. */
struct capture *capture_open(const struct capture_options *opt, enum capture_error *kind, char *err,
                             size_t errlen);
void capture_close(struct capture *c);

/* One frame as seen: the decode result and, when DECODE_OK, the segment. */
struct capture_frame {
	double t; /* seconds since the epoch, from the capture header */
	enum decode_status status;
	const struct decode_packet *pkt; /* valid during the callback only; NULL unless DECODE_OK */
	uint32_t caplen, wirelen;
	uint32_t tuple_hash; /* decode_tuple_hash(pkt) when pkt is set */
};
typedef void (*capture_frame_fn)(const struct capture_frame *f, void *user);

/* Read and decode up to max frames (max <= 0: all that are ready without blocking for a live
 * capture, or the whole file offline). Returns frames handled, 0 at end of file or when none
 * was ready, -1 on error (message in err). */
int capture_dispatch(struct capture *c, int max, capture_frame_fn fn, void *user, char *err,
                     size_t errlen);

/* The BPF expression a live capture on this link type gets when no filter is given. */
const char *capture_default_filter(int link);

/* A run of consecutive frames, in capture order. They and their segments (payload bytes
 * included) stay valid until the callback returns, so a caller can work on the run in place
 * instead of copying each segment out (as tcpscope hands them to the tracker in batches). */
typedef void (*capture_batch_fn)(const struct capture_frame *f, size_t n, void *user);

/* As capture_dispatch, with the frames handed over in runs: a file in runs of up to 512 (as
 * they were read, on a second thread or this one), a live capture one frame at a time. A
 * capture may be read with either function, or both in turn. */
int capture_dispatch_batch(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                           size_t errlen);

/* Live captures: a descriptor to poll() for readability; -1 for files. */
int capture_fd(const struct capture *c);
bool capture_is_live(const struct capture *c);
int capture_link(const struct capture *c);

/* The kernel's counters, per frame on the wire. On a loopback device the kernel hands a
 * capture two copies of every frame, the one sent and the one received (libpcap keeps one),
 * and counts both in received and dropped: there they are halved (rounded up), so that
 * received = frames delivered + dropped, each frame once (measured: a lo flood of 15,022
 * frames gave 30,044 received; the capture got 12,480 of them and the kernel said 5,084
 * dropped). halved says so. */
struct capture_stats {
	uint64_t received;   /* frames the kernel filter passed */
	uint64_t dropped;    /* of those, lost: kernel buffer full */
	uint64_t if_dropped; /* dropped by the interface/driver (not halved) */
	bool halved;         /* a loopback device: received and dropped are the kernel's / 2 */
	bool valid;
};
void capture_get_stats(struct capture *c, struct capture_stats *st);

/* Write the names of the interfaces that can be captured on, comma separated. */
void capture_list_devices(char *buf, size_t len);

#endif
