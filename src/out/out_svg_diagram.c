/* out_svg_diagram.c — the RFC 9293 state diagram (§3.3.2, figure 5) with the edges a Linux
 * endpoint takes, refusal, RST and abort included, and each endpoint's path through it drawn in
 * its colour and numbered 1, 2, 3, ... in order; the reason of each step in a tooltip. */
#include "out_svg_priv.h"

#include <stdarg.h>
#include <string.h>

#define TOP      44 /* below the title */
#define HW       64 /* half a state box */
#define HH       17
#define BAR_Y    623 /* the CLOSED bar every closing edge ends on */
#define BAR_X0   30
#define BAR_X1   790
#define LEGEND_Y 700
#define PER_LINE 6 /* states per line of a path in the legend */
#define NO_EDGE  (-1)
#define BADGE_R  9 /* a step number's circle */

__attribute__((format(printf, 2, 3))) static void put(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	if (!fp)
		return;
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
}

static void text(FILE *fp, const char *s)
{
	if (fp)
		out_svg_text(fp, s);
}

static const char *colour(int endpoint)
{
	return endpoint == TRACK_CLIENT ? OUT_SVG_CLIENT_COLOUR : OUT_SVG_SERVER_COLOUR;
}

/* Where each state's box stands, as in RFC 9293's figure: opening above ESTABLISHED, the
 * active close on the left, the passive close on the right. CLOSED is drawn twice, as there:
 * a box at the top (where connections start) and a bar at the bottom (where they end). */
static const struct {
	int cx, cy;
} box[TRACK_STATE_COUNT] = {
    [TRACK_CLOSED] = {400, 50},        [TRACK_LISTEN] = {400, 140},
    [TRACK_SYN_RECEIVED] = {150, 240}, [TRACK_SYN_SENT] = {650, 240},
    [TRACK_ESTABLISHED] = {400, 340},  [TRACK_FIN_WAIT_1] = {150, 440},
    [TRACK_CLOSING] = {400, 440},      [TRACK_CLOSE_WAIT] = {650, 440},
    [TRACK_FIN_WAIT_2] = {150, 540},   [TRACK_TIME_WAIT] = {400, 540},
    [TRACK_LAST_ACK] = {650, 540},
};

struct edge {
	enum track_state from, to;
	bool rst; /* a reset or an abort: dashed */
	const char *label;
	int lx, ly;
	const char *anchor;
	int n; /* points */
	int pt[3][2];
};

/* The transitions a Linux endpoint takes (RFC 9293 §3.5, §3.6, §3.10; Linux takes a FIN that
 * also ACKs its FIN as FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT, so FIN_WAIT_1 -> TIME_WAIT is not
 * here; an RST ends TIME_WAIT too, as Linux does unless net.ipv4.tcp_rfc1337 is set). Every
 * edge into CLOSED ends on the bottom bar but LISTEN's close() and SYN_SENT's close() or
 * giving up, which go back to the top box as in the RFC's figure. */
/* clang-format off */
static const struct edge edges[] = {
    {TRACK_CLOSED, TRACK_LISTEN, false, "listen()", 378, 99, "end", 2, {{385, 67}, {385, 123}}},
    {TRACK_LISTEN, TRACK_CLOSED, false, "close()", 422, 99, "start", 2, {{415, 123}, {415, 67}}},
    {TRACK_CLOSED, TRACK_SYN_SENT, false, "connect(): send SYN", 530, 43, "middle", 3,
     {{464, 50}, {650, 50}, {650, 223}}},
    {TRACK_LISTEN, TRACK_SYN_RECEIVED, false, "rcv SYN: send SYN,ACK", 243, 133, "middle", 3,
     {{336, 140}, {150, 140}, {150, 223}}},
    {TRACK_SYN_SENT, TRACK_SYN_RECEIVED, false, "rcv SYN (simultaneous open): send SYN,ACK", 400,
     233, "middle", 2, {{586, 240}, {214, 240}}},
    {TRACK_SYN_SENT, TRACK_ESTABLISHED, false, "rcv SYN,ACK: send ACK", 548, 300, "start", 2,
     {{610, 257}, {452, 323}}},
    {TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, false, "rcv ACK of SYN", 256, 300, "end", 2,
     {{190, 257}, {348, 323}}},
    {TRACK_SYN_RECEIVED, TRACK_FIN_WAIT_1, false, "close(): send FIN", 158, 345, "start", 2,
     {{150, 257}, {150, 423}}},
    {TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, false, "close(): send FIN", 270, 410, "start", 2,
     {{348, 357}, {190, 423}}},
    {TRACK_ESTABLISHED, TRACK_CLOSE_WAIT, false, "rcv FIN: send ACK", 515, 410, "end", 2,
     {{452, 357}, {610, 423}}},
    {TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, false, "rcv ACK of FIN", 158, 494, "start", 2,
     {{150, 457}, {150, 523}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSING, false, "rcv FIN: send ACK", 275, 461, "middle", 2,
     {{214, 440}, {336, 440}}},
    {TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, false, "rcv FIN: send ACK", 275, 561, "middle", 2,
     {{214, 540}, {336, 540}}},
    {TRACK_CLOSING, TRACK_TIME_WAIT, false, "rcv ACK of FIN", 408, 494, "start", 2,
     {{400, 457}, {400, 523}}},
    {TRACK_CLOSE_WAIT, TRACK_LAST_ACK, false, "close(): send FIN", 642, 494, "end", 2,
     {{650, 457}, {650, 523}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, false, "rcv ACK of FIN", 642, 594, "end", 2,
     {{650, 557}, {650, BAR_Y}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, false, "2 MSL timer (60 s on Linux)", 392, 594, "end", 2,
     {{400, 557}, {400, BAR_Y}}},
    {TRACK_SYN_SENT, TRACK_CLOSED, true, "rcv RST: refused", 720, 233, "start", 3,
     {{714, 240}, {760, 240}, {760, BAR_Y}}},
    {TRACK_SYN_RECEIVED, TRACK_CLOSED, true, "RST", 73, 234, "middle", 3,
     {{86, 240}, {60, 240}, {60, BAR_Y}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSED, true, "RST", 73, 434, "middle", 3,
     {{86, 440}, {60, 440}, {60, BAR_Y}}},
    {TRACK_FIN_WAIT_2, TRACK_CLOSED, true, "RST", 73, 534, "middle", 3,
     {{86, 540}, {60, 540}, {60, BAR_Y}}},
    {TRACK_ESTABLISHED, TRACK_CLOSED, true, "RST or abort", 468, 333, "start", 3,
     {{464, 340}, {525, 340}, {525, BAR_Y}}},
    {TRACK_CLOSING, TRACK_CLOSED, true, "RST", 494, 434, "middle", 3,
     {{464, 440}, {525, 440}, {525, BAR_Y}}},
    {TRACK_CLOSE_WAIT, TRACK_CLOSED, true, "RST", 737, 434, "middle", 3,
     {{714, 440}, {760, 440}, {760, BAR_Y}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, true, "RST", 737, 534, "middle", 3,
     {{714, 540}, {760, 540}, {760, BAR_Y}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, true, "RST", 494, 534, "middle", 3,
     {{464, 540}, {525, 540}, {525, BAR_Y}}},
    {TRACK_SYN_SENT, TRACK_CLOSED, false, "close() or gave up", 622, 150, "end", 3,
     {{630, 223}, {630, 62}, {464, 62}}},
};
/* clang-format on */
#define NEDGES ((int)(sizeof edges / sizeof edges[0]))

/* The edge a step took: from, to, and whether a reset made it (SYN_SENT -> CLOSED is a refusal
 * with an RST and a close() or a client giving up without; LAST_ACK -> CLOSED an ACK of the
 * FIN or an RST); else any edge between the two states. */
static int find_edge(int from, int to, bool rst)
{
	int any = NO_EDGE;

	for (int i = 0; i < NEDGES; i++) {
		if ((int)edges[i].from != from || (int)edges[i].to != to)
			continue;
		if (edges[i].rst == rst)
			return i;
		if (any == NO_EDGE)
			any = i;
	}
	return any;
}

/* Whether the segment a change is drawn at carried an RST (a timer's row or one past the
 * ladder's cap: no). */
static bool by_reset(const struct out_fig_conn *c, const struct out_fig_state *s)
{
	return s->row < c->nrows && c->rows[s->row].kind == OUT_FIG_ROW_SEGMENT &&
	       (c->rows[s->row].flags & DECODE_TCP_RST);
}

static void polyline(FILE *fp, const int (*pt)[2], int n, int y)
{
	put(fp, "points=\"");
	for (int i = 0; i < n; i++)
		put(fp, "%s%d,%d", i ? " " : "", pt[i][0], pt[i][1] + y);
	put(fp, "\"");
}

static void diagram_base(FILE *fp, const struct out_svg_options *o, int y)
{
	for (int i = 0; i < NEDGES; i++) {
		const struct edge *e = &edges[i];

		put(fp, "<polyline ");
		polyline(fp, e->pt, e->n, y);
		put(fp,
		    " fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s "
		    "marker-end=\"url(#head-%s)\"/>\n",
		    e->rst ? "#a03030" : "#8a8a8a", e->rst ? " stroke-dasharray=\"6 4\"" : "",
		    e->rst ? "rst" : "edge");
		put(fp,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" "
		    "fill=\"%s\" class=\"halo\">%s</text>\n",
		    e->lx, e->ly + y, e->anchor, e->rst ? "#a03030" : "#555555", e->label);
	}
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++) {
		put(fp,
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#f4f4f4\" "
		    "stroke=\"#444444\" stroke-width=\"1.2\"/>\n",
		    box[s].cx - HW, box[s].cy - HH + y, 2 * HW, 2 * HH);
		put(fp,
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" "
		    "font-weight=\"bold\" fill=\"#222222\">%s</text>\n",
		    box[s].cx, box[s].cy + 5 + y, track_state_name((enum track_state)s, o->names));
	}
	put(fp,
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#f4f4f4\" "
	    "stroke=\"#444444\" stroke-width=\"1.2\"/>\n",
	    BAR_X0, BAR_Y + y, BAR_X1 - BAR_X0, 2 * HH);
	put(fp,
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" "
	    "fill=\"#222222\">%s</text>\n",
	    (BAR_X0 + BAR_X1) / 2, BAR_Y + HH + 5 + y, track_state_name(TRACK_CLOSED, o->names));
}

/* A segment's length, near enough to place a number on it, in integers (no libm, and the
 * same bytes on every machine): the longer side plus half the shorter. */
static int seg_len(const int *a, const int *b)
{
	int dx = a[0] > b[0] ? a[0] - b[0] : b[0] - a[0];
	int dy = a[1] > b[1] ? a[1] - b[1] : b[1] - a[1];

	return dx > dy ? dx + dy / 2 : dy + dx / 2;
}

/* The point at fraction num/den of the polyline's length (for a step's number). */
static void along(const int (*pt)[2], int n, int num, int den, int *x, int *y)
{
	int total = 0, want, run = 0;

	for (int i = 1; i < n; i++)
		total += seg_len(pt[i - 1], pt[i]);
	want = total * num / den;
	for (int i = 1; i < n; i++) {
		int seg = seg_len(pt[i - 1], pt[i]);
		if (run + seg >= want && seg > 0) {
			*x = pt[i - 1][0] + (pt[i][0] - pt[i - 1][0]) * (want - run) / seg;
			*y = pt[i - 1][1] + (pt[i][1] - pt[i - 1][1]) * (want - run) / seg;
			return;
		}
		run += seg;
	}
	*x = pt[n - 1][0];
	*y = pt[n - 1][1];
}

/* Where the step numbers already stand, so that a later one is not set on top of them. */
struct placed {
	int n;
	int xy[2 * OUT_FIG_MAX_STATES][2];
};

static bool hits(int x, int y, int x0, int y0, int x1, int y1)
{
	return x + BADGE_R >= x0 && x - BADGE_R <= x1 && y + BADGE_R >= y0 && y - BADGE_R <= y1;
}

/* Would a step number at (x, y) (the diagram's own coordinates) cover an edge's label, a state
 * box or another number? Label widths are estimated at 6.5 px a character (11 px type). */
static bool covers(const struct placed *pl, int x, int y)
{
	for (int i = 0; i < NEDGES; i++) {
		const struct edge *e = &edges[i];
		int w = (int)strlen(e->label) * 13 / 2;
		int x0 = e->anchor[0] == 's'   ? e->lx
		         : e->anchor[0] == 'e' ? e->lx - w
		                               : e->lx - w / 2;
		if (hits(x, y, x0, e->ly - 10, x0 + w, e->ly + 2))
			return true;
	}
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++)
		if (hits(x, y, box[s].cx - HW, box[s].cy - HH, box[s].cx + HW, box[s].cy + HH))
			return true;
	if (hits(x, y, BAR_X0, BAR_Y, BAR_X1, BAR_Y + 2 * HH))
		return true;
	for (int i = 0; i < pl->n; i++)
		if (hits(x, y, pl->xy[i][0] - BADGE_R, pl->xy[i][1] - BADGE_R,
		         pl->xy[i][0] + BADGE_R, pl->xy[i][1] + BADGE_R))
			return true;
	return false;
}

/* A step's number on its edge: the first point along it, in the endpoint's order of
 * preference (the client's nearer the start, the server's nearer the end, so that two paths
 * on one edge keep apart), that covers no label, box or number; else the first. */
static void badge_at(struct placed *pl, const int (*pts)[2], int n, int ep, int shift, int *bx,
                     int *by)
{
	static const int tenths[2][7] = {{4, 3, 5, 2, 6, 7, 1}, {6, 7, 5, 8, 4, 3, 9}};

	along(pts, n, tenths[ep & 1][0], 10, bx, by);
	for (int k = 0; k < 7; k++) {
		int x, y;
		along(pts, n, tenths[ep & 1][k], 10, &x, &y);
		if (!covers(pl, x + shift, y + shift)) {
			*bx = x, *by = y;
			break;
		}
	}
	if (pl->n < 2 * OUT_FIG_MAX_STATES) {
		pl->xy[pl->n][0] = *bx + shift;
		pl->xy[pl->n][1] = *by + shift;
		pl->n++;
	}
}

/* A step's number: in a circle for the client, in a square for the server, so that the two
 * paths stay apart when the page is printed in grey. */
static void badge(FILE *fp, int ep, int x, int y, int step)
{
	if (ep == TRACK_CLIENT)
		put(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\"", x, y, BADGE_R);
	else
		put(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\"",
		    x - BADGE_R + 1, y - BADGE_R + 1, 2 * BADGE_R - 2, 2 * BADGE_R - 2);
	put(fp,
	    " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" "
	    "fill=\"#ffffff\">%d</text>",
	    colour(ep), x, y + 4, step);
}

/* One endpoint's path: each step along its edge (a straight line where the diagram has none),
 * numbered in order, the reason in a tooltip. */
static void path(FILE *fp, const struct out_fig_conn *c, int ep, int y, struct placed *pl)
{
	int shift = ep == TRACK_CLIENT ? -3 : 3;
	int step = 0;

	put(fp, "<g transform=\"translate(%d,%d)\">\n", shift, shift);
	for (uint32_t i = 0; i < c->nstates; i++) {
		const struct out_fig_state *s = &c->states[i];
		int pts[3][2], n, bx, by;
		int k;

		if (s->endpoint != ep)
			continue;
		step++;
		k = find_edge(s->from, s->to, by_reset(c, s));
		if (k != NO_EDGE) {
			n = edges[k].n;
			memcpy(pts, edges[k].pt, sizeof pts);
		} else if (s->from != TRACK_UNKNOWN && s->from < TRACK_STATE_COUNT &&
		           s->to < TRACK_STATE_COUNT && s->to != TRACK_UNKNOWN) {
			n = 2;
			pts[0][0] = box[s->from].cx;
			pts[0][1] = box[s->from].cy;
			pts[1][0] = box[s->to].cx;
			pts[1][1] = s->to == TRACK_CLOSED ? BAR_Y : box[s->to].cy;
		} else {
			n = 0; /* from a state the capture did not show: a number at the box only */
		}
		put(fp, "<g class=\"step\"><title>");
		put(fp, "%s step %d: ", ep == TRACK_CLIENT ? "client" : "server", step);
		text(fp, s->why);
		put(fp, "</title>");
		if (n) {
			put(fp, "<polyline ");
			polyline(fp, (const int(*)[2])pts, n, y);
			put(fp,
			    " fill=\"none\" stroke=\"%s\" stroke-width=\"3.2\" opacity=\"0.85\" "
			    "marker-end=\"url(#head-%s)\"/>",
			    colour(ep), ep == TRACK_CLIENT ? "client" : "server");
			badge_at(pl, (const int(*)[2])pts, n, ep, shift, &bx, &by);
		} else {
			int to = s->to < TRACK_STATE_COUNT ? s->to : TRACK_CLOSED;
			bx = box[to].cx - HW;
			by = to == TRACK_CLOSED ? BAR_Y : box[to].cy - HH;
		}
		badge(fp, ep, bx, by + y, step);
		put(fp, "</g>\n");
	}
	put(fp, "</g>\n");
}

/* The legend: each endpoint, and its path written out (--blank: a box per state). Returns the
 * height used. */
static int legend(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	static const char *const role[2] = {"client", "server"};
	int at = y;

	for (int ep = 0; ep < 2; ep++) {
		int nstate = 0;

		put(fp,
		    "<line x1=\"20\" y1=\"%d\" x2=\"44\" y2=\"%d\" stroke=\"%s\" "
		    "stroke-width=\"3.2\"/>",
		    at - 4, at - 4, colour(ep));
		if (!o->blank) /* the shape its step numbers are set in */
			put(fp,
			    ep == TRACK_CLIENT
			        ? "<circle cx=\"32\" cy=\"%d\" r=\"6\" fill=\"%s\"/>"
			        : "<rect x=\"26\" y=\"%d\" width=\"12\" height=\"12\" "
			          "fill=\"%s\"/>",
			    ep == TRACK_CLIENT ? at - 4 : at - 10, colour(ep));
		put(fp,
		    "<text x=\"52\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"%s\">%s ",
		    at, colour(ep), role[ep]);
		text(fp, c->ep_text[ep]);
		put(fp, "</text>\n");
		at += 20;
		/* the start state, then where each step led */
		enum track_state seq[OUT_FIG_MAX_STATES + 1];
		for (uint32_t i = 0; i < c->nstates; i++) {
			const struct out_fig_state *s = &c->states[i];
			if (s->endpoint != ep)
				continue;
			if (nstate == 0)
				seq[nstate++] = (enum track_state)s->from;
			seq[nstate++] = (enum track_state)s->to;
		}
		for (int k = 0; k < nstate; k++) {
			int col = k % PER_LINE;
			int x = 52 + col * 128;

			if (k && col == 0)
				at += 24;
			if (col)
				put(fp,
				    "<text x=\"%d\" y=\"%d\" font-size=\"13\" "
				    "fill=\"#444444\">&#8594;</text>",
				    x - 20, at);
			if (o->blank) {
				put(fp,
				    "<rect x=\"%d\" y=\"%d\" width=\"102\" height=\"20\" "
				    "fill=\"#ffffff\" "
				    "stroke=\"%s\" stroke-width=\"1.2\"/>",
				    x, at - 15, colour(ep));
			} else {
				put(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">", x,
				    at, colour(ep));
				if (k)
					put(fp, "%d ", k);
				put(fp, "%s</text>", track_state_name(seq[k], o->names));
			}
		}
		put(fp, "\n");
		if (!nstate && c->start[ep] != TRACK_UNKNOWN && !o->blank) /* a refused server */
			put(fp,
			    "<text x=\"52\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s (no state "
			    "change seen)</text>\n",
			    at, colour(ep),
			    track_state_name((enum track_state)c->start[ep], o->names));
		else if (!nstate)
			put(fp,
			    "<text x=\"52\" y=\"%d\" font-size=\"12\" fill=\"#444444\">no state "
			    "change seen</text>\n",
			    at);
		at += 30;
	}
	put(fp,
	    "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">Dashed: a reset (RST "
	    "received or sent: a refused connect(), close() with unread data, SO_LINGER "
	    "0).</text>\n",
	    at);
	at += 16;
	put(fp, "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">%s</text>\n", at,
	    o->blank ? "Write in the boxes each state the endpoint went through, in order."
	             : "Numbers: the order of each endpoint's steps, the client's in circles, the "
	               "server's in squares.");
	if (!o->blank) {
		at += 16;
		put(fp,
		    "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">The reason of each "
		    "step shows when the pointer rests on it.</text>\n",
		    at);
	}
	return at + 16 - y;
}

int out_svg_diagram(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	int h;

	put(fp, "<text x=\"20\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">",
	    y + 26);
	put(fp, "Connection %llu: state diagram (RFC 9293)%s</text>\n", (unsigned long long)c->id,
	    o->blank ? "" : " and the path of each endpoint");
	diagram_base(fp, o, y + TOP);
	if (!o->blank) {
		struct placed pl = {0};
		for (int ep = 0; ep < 2; ep++)
			path(fp, c, ep, y + TOP, &pl);
	}
	h = legend(fp, c, o, y + TOP + LEGEND_Y);
	return TOP + LEGEND_Y + h;
}
