/* out.h — event sinks: the tracker's events as text lines or JSON Lines, plus the end-of-run
 * per-connection summary. Writes to a caller's FILE*; allocates nothing per packet. */
#ifndef SOCKLAB_OUT_H
#define SOCKLAB_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socklab/decode.h"
#include "socklab/track.h"

enum out_format {
	OUT_FORMAT_TEXT,    /* a line per segment, state change and anomaly */
	OUT_FORMAT_JSONL,   /* an object per segment, state change, anomaly and connection */
	OUT_FORMAT_SUMMARY, /* nothing while it runs; at the end the counts and the table */
};

/* Default and hard limit on the rows --summary keeps in memory (fixed-size rows). */
#define OUT_SUMMARY_CAP_DEFAULT 1000000u

struct out_options {
	FILE *fp; /* where to write; the sink never closes it */
	enum out_format format;
	enum track_names names; /* spelling of every state name */
	bool summary;           /* text: a table of every connection at the end (implied by
	                         * OUT_FORMAT_SUMMARY, ignored by JSONL: its conn lines say it) */
	uint32_t summary_cap;   /* rows kept for the table; 0: OUT_SUMMARY_CAP_DEFAULT */
};

struct out_sink;

/* Returns NULL and fills err on a bad option or out of memory. */
struct out_sink *out_create(const struct out_options *opt, char *err, size_t errlen);
void out_destroy(struct out_sink *s);

/* Call for every captured frame, in order, before the tracker sees it: counts it by decode
 * status, fixes the time origin (the first frame), and reports truncated and malformed frames
 * as anomalies (they are never dropped silently). t is in seconds since the epoch. */
void out_frame(struct out_sink *s, double t, enum decode_status st, uint32_t caplen,
               uint32_t wirelen);

/* The tracker's callback (track_config.on_event), with the sink as user. */
void out_event(const struct track_event *ev, void *user);

/* A syscall marker from a lab (socklab/marker_rx.h), written where it belongs: call it just
 * before out_event for the segment it was placed at (conn: that segment's connection), or
 * with conn 0 for one shown on its own. Text: "syscall client: close()  pid=..  local=..
 * peer=..", JSONL: a "marker" object. Nothing for the summary. */
struct marker_out;
void out_marker(struct out_sink *s, const struct marker_out *mo, uint64_t conn);

/* Hand what is written so far to the stream and flush it (a live reader wants lines now). */
void out_flush(struct out_sink *s);

/* Capture-side figures for the summary (live captures only). */
struct out_capture_stats {
	bool valid;
	uint64_t received, dropped, if_dropped;
	/* a loopback device: the kernel counted both copies of every frame (the one sent and the
	 * one received); received and dropped are already halved (capture_stats.halved) */
	bool loopback;
};

/* End of the run, after track_finish: rows for the connections still in the table, then the
 * summary (JSONL "conn" lines and a "summary" line; text: counts, and the table when asked).
 * cs may be NULL. Returns 0, or -1 if writing failed (see ferror on the FILE). */
int out_finish(struct out_sink *s, const struct track_table *tt,
               const struct out_capture_stats *cs);

/* Counters so far: frames by decode status. */
const struct decode_stats *out_decode_stats(const struct out_sink *s);

#endif
