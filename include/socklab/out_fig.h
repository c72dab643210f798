/* out_fig.h — figures of connections for slides and worksheets: the tracker's events collected
 * per connection (bounded), then written as SVG (a ladder, or the RFC 9293 state diagram with
 * each endpoint's path). Same events in, same bytes out. */
#ifndef SOCKLAB_OUT_FIG_H
#define SOCKLAB_OUT_FIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socklab/decode.h"
#include "socklab/track.h"

#define OUT_FIG_MAX_CONNS  64  /* figures in one document; the rest are counted, not drawn */
#define OUT_FIG_MAX_ROWS   200 /* segments drawn per ladder ("first 200 segments shown") */
#define OUT_FIG_MAX_STATES 64  /* state changes kept per connection */
#define OUT_FIG_WHY_MAX                                                                            \
	160 /* a reason is cut there (at worst a broken UTF-8 tail is
                                  written as U+FFFD) */
#define OUT_FIG_NO_ROW 0xffffu

enum out_fig_row_kind {
	OUT_FIG_ROW_SEGMENT, /* an arrow */
	OUT_FIG_ROW_TIMER,   /* no segment: a timer or the end of the capture changed a state */
};

struct out_fig_row {
	uint8_t kind;    /* enum out_fig_row_kind */
	uint8_t sender;  /* enum track_role: who sent the segment (TIMER: whose state changed) */
	uint8_t flags;   /* TCP flags */
	uint8_t anomaly; /* enum track_anomaly reported about this segment, or NONE */
	uint32_t rel_seq, rel_ack, len;
	int64_t usec; /* since the connection's first row, from the capture's clock */
};

struct out_fig_state {
	uint16_t row;     /* the row it is drawn at; OUT_FIG_NO_ROW: past the ladder's cap */
	uint8_t endpoint; /* enum track_role */
	uint8_t from, to; /* enum track_state */
	bool at_tail;     /* the segment's sender: drawn where the arrow leaves, else where it
	                   * arrives */
	char why[OUT_FIG_WHY_MAX];
};

struct out_fig_conn {
	uint64_t id;
	char ep_text[2][DECODE_ENDPOINT_STRLEN]; /* [TRACK_CLIENT], [TRACK_SERVER] */
	uint32_t nrows, rows_cut;                /* kept, and segments past OUT_FIG_MAX_ROWS */
	uint64_t segments[2];                    /* sent by each endpoint, all of them */
	double t0;                               /* time of the first row */
	uint32_t nstates, states_cut;
	/* each endpoint's state before its first change, when the capture shows it (enum
	 * track_state; UNKNOWN if not): OPEN's start states, or a START event, whose reason is
	 * kept (empty for OPEN's) */
	uint8_t start[2];
	char start_why[2][OUT_FIG_WHY_MAX];
	struct out_fig_row rows[OUT_FIG_MAX_ROWS];
	struct out_fig_state states[OUT_FIG_MAX_STATES];
};

struct out_fig {
	uint64_t want[OUT_FIG_MAX_CONNS]; /* connections to draw (--conn); nwant 0: all */
	size_t nwant;
	uint32_t nconns;
	uint64_t conns_cut; /* connections seen but not drawn (past OUT_FIG_MAX_CONNS, or
	                     * evicted by keep_latest) */
	bool keep_latest;   /* full: a new connection evicts the oldest kept (the live screen) */
	struct out_fig_conn conns[OUT_FIG_MAX_CONNS];
};

/* One allocation, about 1 MiB; want[0..nwant) picks the connections (nwant 0: the first
 * OUT_FIG_MAX_CONNS). NULL if out of memory or nwant > OUT_FIG_MAX_CONNS. */
struct out_fig *out_fig_create(const uint64_t *want, size_t nwant);
void out_fig_destroy(struct out_fig *f);

/* Full table, new connection: keep the first OUT_FIG_MAX_CONNS (false, the default: a file's
 * figure starts at its beginning) or evict the oldest kept one (true: a live session, where
 * the connection on screen is a recent one). The kept ones stay in id order either way. */
void out_fig_set_keep_latest(struct out_fig *f, bool latest);

/* The tracker's callback (track_config.on_event) with the collector as user. */
void out_fig_event(const struct track_event *ev, void *user);

/* The collected connection with this id, or NULL (not in the capture, or not picked). */
const struct out_fig_conn *out_fig_find(const struct out_fig *f, uint64_t id);

struct out_svg_options {
	bool diagram;           /* the state diagram with each endpoint's path; else the ladder */
	bool blank;             /* states (ladder) or the path (diagram) left out: boxes to fill */
	enum track_names names; /* spelling of the state names */
	const char *source;     /* named in the document's title, e.g. the file name; may be NULL */
};

/* Writes one SVG document: one figure per collected connection, stacked, in id order.
 * Returns 0, or -1 if writing failed. */
int out_svg_write(FILE *fp, const struct out_fig *f, const struct out_svg_options *o);

/* One self-contained HTML page (no script, no link, no font or image fetched): the capture's
 * summary, a table of the connections, and for each its ladder, its state diagram with the
 * paths, the paths written out and the reason of every change. o->diagram and o->blank are
 * ignored. Returns 0, or -1 if writing failed. */
int out_html_write(FILE *fp, const struct out_fig *f, const struct out_svg_options *o);

#endif
