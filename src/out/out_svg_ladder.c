/* out_svg_ladder.c — one connection's ladder as SVG: the client's timeline on the left, the
 * server's on the right, one arrow per segment, and each state change written on its side at
 * the height where it happened, its reason in a tooltip (<title>). */
#include "out_svg_priv.h"

#include <string.h>

#define XL          280    /* the client's timeline */
#define XR          620    /* the server's */
#define LABEL_GAP   14     /* from a timeline to its state labels */
#define SLANT       22     /* an arrow arrives this much lower than it leaves */
#define ROW         36     /* from one arrow to the next */
#define LINE        17     /* between stacked state labels */
#define BOX_W       124    /* --blank: the box a state is written in */
#define BOX_H       20     /* and its height */
#define FIRST_ROW   132    /* below the title and the headers */
#define ARROW_ANGLE "3.72" /* degrees: atan(SLANT / (XR - XL)) */
#define FLAGS_LEN   48
#define SEG_TXT_LEN 160

static void text(FILE *fp, const char *s)
{
	if (fp)
		out_svg_text(fp, s);
}

static const char *colour(int endpoint)
{
	return endpoint == TRACK_CLIENT ? OUT_SVG_CLIENT_COLOUR : OUT_SVG_SERVER_COLOUR;
}

static int side_x(int endpoint) { return endpoint == TRACK_CLIENT ? XL : XR; }

/* "SYN,ACK seq=0 ack=1", with len when it carries data and the anomaly when there was one,
 * as the screen writes it. */
static void segment_label(const struct out_fig_row *r, char *buf, size_t len)
{
	char flags[FLAGS_LEN];
	int n;

	decode_flags_format(r->flags, flags, sizeof flags);
	n = snprintf(buf, len, "%s seq=%u", flags, r->rel_seq);
	if ((r->flags & DECODE_TCP_ACK) && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " ack=%u", r->rel_ack);
	if (r->len && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " len=%u", r->len);
	if (r->anomaly != TRACK_ANOMALY_NONE && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)",
		         track_anomaly_name((enum track_anomaly)r->anomaly));
}

/* A state name beside endpoint's timeline, baseline at y; in a box left empty with --blank. */
static void state_label(FILE *fp, int endpoint, int y, const char *name, const char *why,
                        bool blank, bool start)
{
	int x = side_x(endpoint) + (endpoint == TRACK_CLIENT ? -LABEL_GAP : LABEL_GAP);
	const char *anchor = endpoint == TRACK_CLIENT ? "end" : "start";

	out_svg_put(fp, "<g class=\"state\">");
	if (!start)
		out_svg_put(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>",
		            side_x(endpoint), y - 5, colour(endpoint));
	if (blank && !start) {
		out_svg_put(fp,
		            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" "
		            "stroke=\"%s\" stroke-width=\"1.2\"/></g>\n",
		            endpoint == TRACK_CLIENT ? x - BOX_W : x, y - 15, BOX_W, BOX_H,
		            colour(endpoint));
		return;
	}
	out_svg_put(fp, "<title>");
	text(fp, why);
	out_svg_put(
	    fp,
	    "</title><text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\" font-size=\"13\"%s>", x,
	    y, anchor, colour(endpoint), start ? "" : " font-weight=\"bold\"");
	text(fp, name);
	out_svg_put(fp, "</text></g>\n");
}

static void header(FILE *fp, const struct out_fig_conn *c, int y)
{
	static const char *const role[2] = {"client", "server"};

	out_svg_put(
	    fp, "<text x=\"20\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">",
	    y + 26);
	out_svg_put(fp, "Connection %llu: ladder</text>\n", (unsigned long long)c->id);
	for (int e = 0; e < 2; e++) {
		out_svg_put(fp,
		            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\" "
		            "font-weight=\"bold\" fill=\"%s\">%s</text>\n",
		            side_x(e), y + 58, colour(e), role[e]);
		out_svg_put(
		    fp,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" fill=\"%s\">",
		    side_x(e), y + 76, colour(e));
		text(fp, c->ep_text[e]);
		out_svg_put(fp, "</text>\n");
	}
}

/* Each endpoint's state before its first change, written small at the top of its timeline:
 * where its first change started from (nothing if that was UNKNOWN: picked up mid-stream);
 * with no change at all, the start state the capture showed (a refused connection's server:
 * CLOSED). */
static void start_states(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o,
                         int y)
{
	for (int e = 0; e < 2; e++) {
		enum track_state st = (enum track_state)c->start[e];
		const char *why = c->start_why[e][0] ? c->start_why[e]
		                                     : "the state before the first change the "
		                                       "capture shows";

		for (uint32_t i = 0; i < c->nstates; i++) {
			if (c->states[i].endpoint == e) {
				st = (enum track_state)c->states[i].from;
				why = "the state before the first change the capture shows";
				break;
			}
		}
		if (st != TRACK_UNKNOWN)
			state_label(fp, e, y, track_state_name(st, o->names), why, false, true);
	}
}

/* Where the labels of a ladder are: the next free height on each side, and the stretch of
 * each timeline spent in TIME_WAIT (tw_from 0: none; tw_to 0: until the end). */
struct layout {
	int free[2];
	int tw_from[2], tw_to[2];
};

/* The state changes drawn at row r. */
static void row_states(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o,
                       uint32_t r, int tail_y, int head_y, struct layout *l)
{
	for (uint32_t i = 0; i < c->nstates; i++) {
		const struct out_fig_state *s = &c->states[i];
		int e = s->endpoint & 1;
		int want = (s->at_tail ? tail_y : head_y) + 5;
		int at = want > l->free[e] ? want : l->free[e];

		if (s->row != r)
			continue;
		state_label(fp, e, at, track_state_name((enum track_state)s->to, o->names), s->why,
		            o->blank, false);
		l->free[e] = at + (o->blank ? BOX_H + 4 : LINE); /* chained boxes apart */
		if (s->to == TRACK_TIME_WAIT)
			l->tw_from[e] = at - 5, l->tw_to[e] = 0;
		else if (s->from == TRACK_TIME_WAIT && l->tw_from[e])
			l->tw_to[e] = at - 5;
	}
}

/* TIME_WAIT lasts 2 MSL, far longer than the exchange: its stretch of the timeline is drawn
 * thick and dashed, and when the capture ends inside it a note under the timeline says so
 * (not with --blank: it would give the state away). Returns the height the notes take. */
static int time_wait(FILE *fp, const struct layout *l, const struct out_svg_options *o, int end)
{
	int used = 0;

	if (o->blank)
		return 0;
	for (int e = 0; e < 2; e++) {
		int x = side_x(e);
		int to = l->tw_to[e] ? l->tw_to[e] : end;

		if (!l->tw_from[e])
			continue;
		out_svg_put(fp,
		            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		            "stroke-width=\"5\" stroke-dasharray=\"3 3\"/>\n",
		            x, l->tw_from[e] + 6, x, to, colour(e));
		if (l->tw_to[e])
			continue;
		out_svg_put(fp,
		            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
		            "fill=\"%s\">still TIME_WAIT when the capture ends</text>\n"
		            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
		            "fill=\"%s\">(it lasts 2 MSL: 60 s on Linux)</text>\n",
		            x, end + 14, colour(e), x, end + 28, colour(e));
		used = 32;
	}
	return used;
}

/* The row's time in the left margin: milliseconds since the connection's first row, three
 * decimals (the capture's microseconds), from integers only. */
static void row_time(FILE *fp, const struct out_fig_row *r, int y)
{
	out_svg_put(
	    fp, "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#777777\">%lld.%03lld</text>\n",
	    y + 4, (long long)(r->usec / 1000), (long long)(r->usec % 1000));
}

static void arrow(FILE *fp, const struct out_fig_row *r, int y)
{
	char label[SEG_TXT_LEN];
	int from = side_x(r->sender & 1), to = side_x(!(r->sender & 1));

	segment_label(r, label, sizeof label);
	out_svg_put(
	    fp,
	    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.6\" "
	    "marker-end=\"url(#head-%s)\"/>\n",
	    from, y, to + (to > from ? -2 : 2), y + SLANT, colour(r->sender & 1),
	    (r->sender & 1) == TRACK_CLIENT ? "client" : "server");
	/* Written along the arrow, just above it, so that no label is crossed by its line (set
	 * level, the slanted line ran through the text's first or last letters). The angle is
	 * the arrow's, atan(SLANT / (XR - XL)), kept as a constant so that the bytes never
	 * depend on a libm. About 46 characters fit between the timelines at 12 px; a longer
	 * label (big numbers, many flags, an anomaly) is set smaller rather than run into the
	 * state labels. */
	out_svg_put(
	    fp,
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"%d\" fill=\"#222222\" "
	    "class=\"halo\" transform=\"rotate(%s %d %d)\">",
	    (XL + XR) / 2, y + SLANT / 2 - 7, strlen(label) > 46 ? 10 : 12,
	    to > from ? ARROW_ANGLE : "-" ARROW_ANGLE, (XL + XR) / 2, y + SLANT / 2);
	text(fp, label);
	out_svg_put(fp, "</text>\n");
}

/* Draws (or with fp NULL only lays out) everything but the timelines; *lines_end is where they
 * end. Returns the figure's height. */
static int draw(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y,
                int *lines_end)
{
	struct layout l = {{0, 0}, {0, 0}, {0, 0}};
	int row_y = y + FIRST_ROW;
	int last = row_y;
	int bottom;

	header(fp, c, y);
	out_svg_put(fp,
	            "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#777777\">time, ms</text>\n",
	            y + 104);
	start_states(fp, c, o, y + 104);
	for (uint32_t r = 0; r < c->nrows; r++) {
		const struct out_fig_row *row = &c->rows[r];
		int head = row->kind == OUT_FIG_ROW_SEGMENT ? row_y + SLANT : row_y;

		row_time(fp, row, row_y);
		if (row->kind == OUT_FIG_ROW_SEGMENT)
			arrow(fp, row, row_y);
		row_states(fp, c, o, r, row_y, head, &l);
		last = head;
		for (int e = 0; e < 2; e++)
			if (l.free[e] > last)
				last = l.free[e];
		int next = row_y + (row->kind == OUT_FIG_ROW_SEGMENT ? ROW : LINE + 6);
		int after_labels = (l.free[0] > l.free[1] ? l.free[0] : l.free[1]) - SLANT + 4;
		row_y = next > after_labels ? next : after_labels;
	}
	bottom = last + 16;
	*lines_end = bottom;
	bottom += time_wait(fp, &l, o, bottom);
	if (c->rows_cut || c->states_cut) {
		bottom += 24;
		out_svg_put(fp, "<text x=\"20\" y=\"%d\" font-size=\"13\" fill=\"#8b0000\">",
		            bottom);
		if (c->rows_cut)
			out_svg_put(fp, "first %u segments shown; %u more not drawn. ", c->nrows,
			            c->rows_cut);
		if (c->states_cut)
			out_svg_put(fp, "first %u state changes kept; %u more not drawn.",
			            c->nstates, c->states_cut);
		out_svg_put(fp, "</text>\n");
	}
	return bottom + 14 - y;
}

int out_svg_ladder(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	int end;
	int h = draw(NULL, c, o, y, &end);

	if (!fp)
		return h;
	/* the timelines first, so that arrows and labels are drawn over them */
	for (int e = 0; e < 2; e++)
		out_svg_put(fp,
		            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		            "stroke-width=\"2\" "
		            "opacity=\"0.5\"/>\n",
		            side_x(e), y + 86, side_x(e), end, colour(e));
	return draw(fp, c, o, y, &end);
}
