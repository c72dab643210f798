/* out_svg_diagram.c — the RFC 9293 state diagram (§3.3.2, figure 5) with the edges a Linux
 * endpoint takes, refusal, RST and abort included, and each endpoint's path through it drawn in
 * its colour and numbered 1, 2, 3, ... in order; the reason of each step in a tooltip. */
#include "out_svg_geom.h"

#include <string.h>

#define TOP      44 /* below the title */
#define LEGEND_Y 700
#define PER_LINE 6 /* states per line of a path in the legend */
#define NO_EDGE  (-1)

static void text(FILE *fp, const char *s)
{
	if (fp)
		out_svg_text(fp, s);
}

static const char *colour(int endpoint)
{
	return endpoint == TRACK_CLIENT ? OUT_SVG_CLIENT_COLOUR : OUT_SVG_SERVER_COLOUR;
}

/* The edge a step took: from, to, and whether a reset made it (SYN_SENT -> CLOSED is a refusal
 * with an RST and a close() or a client giving up without; LAST_ACK -> CLOSED an ACK of the
 * FIN or an RST); else any edge between the two states. */
static int find_edge(int from, int to, bool rst)
{
	int any = NO_EDGE;

	for (int i = 0; i < out_svg_nedges; i++) {
		if ((int)out_svg_edges[i].from != from || (int)out_svg_edges[i].to != to)
			continue;
		if (out_svg_edges[i].rst == rst)
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
	out_svg_put(fp, "points=\"");
	for (int i = 0; i < n; i++)
		out_svg_put(fp, "%s%d,%d", i ? " " : "", pt[i][0], pt[i][1] + y);
	out_svg_put(fp, "\"");
}

static void diagram_base(FILE *fp, const struct out_svg_options *o, int y)
{
	for (int i = 0; i < out_svg_nedges; i++) {
		const struct out_svg_edge *e = &out_svg_edges[i];

		out_svg_put(fp, "<polyline ");
		polyline(fp, e->pt, e->n, y);
		out_svg_put(fp,
		            " fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s "
		            "marker-end=\"url(#head-%s)\"/>\n",
		            e->rst ? "#a03030" : "#8a8a8a",
		            e->rst ? " stroke-dasharray=\"6 4\"" : "", e->rst ? "rst" : "edge");
		out_svg_put(fp,
		            "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\" "
		            "fill=\"%s\" class=\"halo\">%s</text>\n",
		            e->lx, e->ly + y, e->anchor, e->rst ? "#a03030" : "#555555", e->label);
	}
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++) {
		out_svg_put(
		    fp,
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#f4f4f4\" "
		    "stroke=\"#444444\" stroke-width=\"1.2\"/>\n",
		    out_svg_box[s].cx - HW, out_svg_box[s].cy - HH + y, 2 * HW, 2 * HH);
		out_svg_put(fp,
		            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" "
		            "font-weight=\"bold\" fill=\"#222222\">%s</text>\n",
		            out_svg_box[s].cx, out_svg_box[s].cy + 5 + y,
		            track_state_name((enum track_state)s, o->names));
	}
	out_svg_put(fp,
	            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#f4f4f4\" "
	            "stroke=\"#444444\" stroke-width=\"1.2\"/>\n",
	            BAR_X0, BAR_Y + y, BAR_X1 - BAR_X0, 2 * HH);
	out_svg_put(
	    fp,
	    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" "
	    "fill=\"#222222\">%s</text>\n",
	    (BAR_X0 + BAR_X1) / 2, BAR_Y + HH + 5 + y, track_state_name(TRACK_CLOSED, o->names));
}

/* One endpoint's path: each step along its edge (a straight line where the diagram has none),
 * numbered in order, the reason in a tooltip. */
static void path(FILE *fp, const struct out_fig_conn *c, int ep, int y, struct out_svg_placed *pl)
{
	int shift = ep == TRACK_CLIENT ? -3 : 3;
	int step = 0;

	out_svg_put(fp, "<g transform=\"translate(%d,%d)\">\n", shift, shift);
	for (uint32_t i = 0; i < c->nstates; i++) {
		const struct out_fig_state *s = &c->states[i];
		int pts[3][2], n, bx, by;
		int k;

		if (s->endpoint != ep)
			continue;
		step++;
		k = find_edge(s->from, s->to, by_reset(c, s));
		if (k != NO_EDGE) {
			n = out_svg_edges[k].n;
			memcpy(pts, out_svg_edges[k].pt, sizeof pts);
		} else if (s->from != TRACK_UNKNOWN && s->from < TRACK_STATE_COUNT &&
		           s->to < TRACK_STATE_COUNT && s->to != TRACK_UNKNOWN) {
			n = 2;
			pts[0][0] = out_svg_box[s->from].cx;
			pts[0][1] = out_svg_box[s->from].cy;
			pts[1][0] = out_svg_box[s->to].cx;
			pts[1][1] = s->to == TRACK_CLOSED ? BAR_Y : out_svg_box[s->to].cy;
		} else {
			n = 0; /* from a state the capture did not show: a number at the box only */
		}
		out_svg_put(fp, "<g class=\"step\"><title>");
		out_svg_put(fp, "%s step %d: ", ep == TRACK_CLIENT ? "client" : "server", step);
		text(fp, s->why);
		out_svg_put(fp, "</title>");
		if (n) {
			out_svg_put(fp, "<polyline ");
			polyline(fp, (const int(*)[2])pts, n, y);
			out_svg_put(
			    fp,
			    " fill=\"none\" stroke=\"%s\" stroke-width=\"3.2\" opacity=\"0.85\" "
			    "marker-end=\"url(#head-%s)\"/>",
			    colour(ep), ep == TRACK_CLIENT ? "client" : "server");
			out_svg_step_place(pl, (const int(*)[2])pts, n, ep, shift, &bx, &by);
		} else {
			int to = s->to < TRACK_STATE_COUNT ? s->to : TRACK_CLOSED;
			bx = out_svg_box[to].cx - HW;
			by = to == TRACK_CLOSED ? BAR_Y : out_svg_box[to].cy - HH;
		}
		out_svg_step_badge(fp, ep, bx, by + y, step);
		out_svg_put(fp, "</g>\n");
	}
	out_svg_put(fp, "</g>\n");
}

/* The legend: each endpoint, and its path written out (--blank: a box per state). Returns the
 * height used. */
static int legend(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	static const char *const role[2] = {"client", "server"};
	int at = y;

	for (int ep = 0; ep < 2; ep++) {
		int nstate = 0;

		out_svg_put(fp,
		            "<line x1=\"20\" y1=\"%d\" x2=\"44\" y2=\"%d\" stroke=\"%s\" "
		            "stroke-width=\"3.2\"/>",
		            at - 4, at - 4, colour(ep));
		if (!o->blank) /* the shape its step numbers are set in */
			out_svg_put(fp,
			            ep == TRACK_CLIENT
			                ? "<circle cx=\"32\" cy=\"%d\" r=\"6\" fill=\"%s\"/>"
			                : "<rect x=\"26\" y=\"%d\" width=\"12\" height=\"12\" "
			                  "fill=\"%s\"/>",
			            ep == TRACK_CLIENT ? at - 4 : at - 10, colour(ep));
		out_svg_put(
		    fp,
		    "<text x=\"52\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"%s\">%s ",
		    at, colour(ep), role[ep]);
		text(fp, c->ep_text[ep]);
		out_svg_put(fp, "</text>\n");
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
				out_svg_put(fp,
				            "<text x=\"%d\" y=\"%d\" font-size=\"13\" "
				            "fill=\"#444444\">&#8594;</text>",
				            x - 20, at);
			if (o->blank) {
				out_svg_put(fp,
				            "<rect x=\"%d\" y=\"%d\" width=\"102\" height=\"20\" "
				            "fill=\"#ffffff\" "
				            "stroke=\"%s\" stroke-width=\"1.2\"/>",
				            x, at - 15, colour(ep));
			} else {
				out_svg_put(fp,
				            "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">",
				            x, at, colour(ep));
				if (k)
					out_svg_put(fp, "%d ", k);
				out_svg_put(fp, "%s</text>", track_state_name(seq[k], o->names));
			}
		}
		out_svg_put(fp, "\n");
		if (!nstate && c->start[ep] != TRACK_UNKNOWN && !o->blank) /* a refused server */
			out_svg_put(
			    fp,
			    "<text x=\"52\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s (no state "
			    "change seen)</text>\n",
			    at, colour(ep),
			    track_state_name((enum track_state)c->start[ep], o->names));
		else if (!nstate)
			out_svg_put(
			    fp,
			    "<text x=\"52\" y=\"%d\" font-size=\"12\" fill=\"#444444\">no state "
			    "change seen</text>\n",
			    at);
		at += 30;
	}
	out_svg_put(
	    fp,
	    "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">Dashed: a reset (RST "
	    "received or sent: a refused connect(), close() with unread data, SO_LINGER "
	    "0).</text>\n",
	    at);
	at += 16;
	out_svg_put(
	    fp, "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">%s</text>\n", at,
	    o->blank ? "Write in the boxes each state the endpoint went through, in order."
	             : "Numbers: the order of each endpoint's steps, the client's in circles, the "
	               "server's in squares.");
	if (!o->blank) {
		at += 16;
		out_svg_put(
		    fp,
		    "<text x=\"20\" y=\"%d\" font-size=\"11\" fill=\"#555555\">The reason of each "
		    "step shows when the pointer rests on it.</text>\n",
		    at);
	}
	return at + 16 - y;
}

int out_svg_diagram(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	int h;

	out_svg_put(
	    fp, "<text x=\"20\" y=\"%d\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">",
	    y + 26);
	out_svg_put(fp, "Connection %llu: state diagram (RFC 9293)%s</text>\n",
	            (unsigned long long)c->id, o->blank ? "" : " and the path of each endpoint");
	diagram_base(fp, o, y + TOP);
	if (!o->blank) {
		struct out_svg_placed pl = {0};
		for (int ep = 0; ep < 2; ep++)
			path(fp, c, ep, y + TOP, &pl);
	}
	h = legend(fp, c, o, y + TOP + LEGEND_Y);
	return TOP + LEGEND_Y + h;
}
