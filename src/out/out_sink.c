/* out_sink.c — the sink: frame counting, time origin, event dispatch to the chosen writer. */
#include "socklab/out.h"

#include <stdlib.h>
#include <string.h>

#include "out_priv.h"

struct out_sink *out_create(const struct out_options *opt, char *err, size_t errlen)
{
	struct out_sink *s;

	if (!opt || !opt->fp) {
		snprintf(err, errlen, "out: no output stream");
		return NULL;
	}
	if (opt->format != OUT_FORMAT_TEXT && opt->format != OUT_FORMAT_JSONL &&
	    opt->format != OUT_FORMAT_SUMMARY) {
		snprintf(err, errlen, "out: unknown format %d", (int)opt->format);
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out: out of memory");
		return NULL;
	}
	s->fp = opt->fp;
	s->names = opt->names;
	for (int st = 0; st < TRACK_STATE_COUNT; st++) {
		s->state_name[st] = track_state_name((enum track_state)st, s->names);
		s->state_len[st] = (uint8_t)strlen(s->state_name[st]);
	}
	/* each slot holds its array whole (out_fmt.h derives the size); the length fits a byte */
	_Static_assert(OUT_FLAGS_JSON_MAX <= UINT8_MAX, "flags_json_len is a uint8_t");
	for (int f = 0; f < 256; f++) {
		char *e = out_fmt_flags_json(s->flags_json[f], (uint8_t)f);
		s->flags_json_len[f] = (uint8_t)(e - s->flags_json[f]);
	}
	s->format = opt->format;
	s->summary = opt->summary || opt->format == OUT_FORMAT_SUMMARY;
	s->max_rows = opt->summary_cap ? opt->summary_cap : OUT_SUMMARY_CAP_DEFAULT;
	if (s->max_rows > OUT_SUMMARY_CAP_DEFAULT)
		s->max_rows = OUT_SUMMARY_CAP_DEFAULT;
	return s;
}

void out_destroy(struct out_sink *s)
{
	if (!s)
		return;
	out_buf_flush(s);
	for (size_t k = 0; k < OUT_ROW_CHUNKS; k++)
		free(s->row_chunk[k]);
	free(s);
}

void out_frame(struct out_sink *s, double t, enum decode_status st, uint32_t caplen,
               uint32_t wirelen)
{
	int64_t rel = out_rel_usec(s, t);
	char why[160];
	const char *kind;

	if (rel > s->last_us)
		s->last_us = rel;

	decode_stats_add(&s->dstats, st);
	if (st != DECODE_TRUNCATED && st != DECODE_MALFORMED)
		return;
	if (st == DECODE_TRUNCATED) {
		kind = "truncated";
		snprintf(why, sizeof why,
		         "frame %llu: %u of its %u bytes were captured, too few for its headers",
		         (unsigned long long)s->dstats.frames, caplen, wirelen);
	} else {
		kind = "malformed";
		snprintf(why, sizeof why,
		         "frame %llu: its headers contradict themselves (%u bytes)",
		         (unsigned long long)s->dstats.frames, caplen);
	}
	if (s->format == OUT_FORMAT_TEXT)
		out_text_frame_problem(s, rel, kind, why);
	else if (s->format == OUT_FORMAT_JSONL)
		out_jsonl_frame_problem(s, rel, kind, why, caplen, wirelen);
}

/* A connection leaves the table (or the run ends with it there): its JSONL line, or its row. */
static void conn_left(struct out_sink *s, const struct track_conn *c, enum out_left left)
{
	if (s->format == OUT_FORMAT_JSONL) {
		struct out_row r;

		out_row_from_conn(s, c, left, &r);
		out_jsonl_row(s, &r);
	} else if (s->summary) {
		out_rows_keep(s, c, left);
	}
}

/* OPEN is counted and EVICT makes the connection's row, in any format; true if ev was an
 * EVICT (nothing more to write for it). */
static bool count_or_row(struct out_sink *s, const struct track_event *ev)
{
	if (ev->kind == TRACK_EVENT_OPEN)
		s->conns++;
	if (ev->kind != TRACK_EVENT_EVICT || !ev->conn)
		return false;
	enum out_left left = ev->conn->closed ? OUT_LEFT_CLOSED : OUT_LEFT_EVICTED;

	if (left == OUT_LEFT_EVICTED)
		s->conns_evicted++;
	conn_left(s, ev->conn, left);
	return true;
}

/* A segment's PACKET event carries what it caused (track.h, "Events"): JSON Lines writes those
 * first, in order, then the packet; text writes the segment's line first and what it caused
 * beneath it (out_text_event). One call site per writer, so each can be inlined here. */
void out_event(const struct track_event *ev, void *user)
{
	struct out_sink *s = user;
	size_t n = ev->kind == TRACK_EVENT_PACKET ? ev->ncaused : 0;

	for (size_t i = 0; i <= n; i++) {
		const struct track_event *e = i < n ? &ev->caused[i] : ev;

		if (count_or_row(s, e))
			continue;
		if (s->format == OUT_FORMAT_JSONL)
			out_jsonl_event(s, e);
		else if (s->format == OUT_FORMAT_TEXT && e == ev)
			out_text_event(s, ev);
		/* OUT_FORMAT_SUMMARY: the tracker's counters and the rows say all it will print */
	}
}

void out_flush(struct out_sink *s)
{
	out_buf_flush(s);
	fflush(s->fp);
}

static bool finish_visit(const struct track_conn *c, void *user)
{
	conn_left(user, c, OUT_LEFT_OPEN);
	return true;
}

int out_finish(struct out_sink *s, const struct track_table *tt, const struct out_capture_stats *cs)
{
	const struct track_stats *ts = NULL;

	if (tt) {
		track_foreach(tt, finish_visit, s);
		ts = track_get_stats(tt);
	}
	if (s->format == OUT_FORMAT_JSONL)
		out_jsonl_finish(s, ts, cs);
	else
		out_text_finish(s, ts, cs);
	out_buf_flush(s);
	if (fflush(s->fp) != 0 || ferror(s->fp))
		return -1;
	return 0;
}

const struct decode_stats *out_decode_stats(const struct out_sink *s) { return &s->dstats; }
