/* out_svg_steps.c — the state diagram's step numbers: where on its edge each one stands (off
 * the labels, boxes and other numbers) and how it is drawn. */
#include "out_svg_geom.h"

#include <string.h>

static const char *colour(int endpoint)
{
	return endpoint == TRACK_CLIENT ? OUT_SVG_CLIENT_COLOUR : OUT_SVG_SERVER_COLOUR;
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

static bool hits(int x, int y, int x0, int y0, int x1, int y1)
{
	return x + BADGE_R >= x0 && x - BADGE_R <= x1 && y + BADGE_R >= y0 && y - BADGE_R <= y1;
}

/* Would a step number at (x, y) (the diagram's own coordinates) cover an edge's label, a state
 * box or another number? Label widths are estimated at 6.5 px a character (11 px type). */
static bool covers(const struct out_svg_placed *pl, int x, int y)
{
	for (int i = 0; i < out_svg_nedges; i++) {
		const struct out_svg_edge *e = &out_svg_edges[i];
		int w = (int)strlen(e->label) * 13 / 2;
		int x0 = e->anchor[0] == 's'   ? e->lx
		         : e->anchor[0] == 'e' ? e->lx - w
		                               : e->lx - w / 2;
		if (hits(x, y, x0, e->ly - 10, x0 + w, e->ly + 2))
			return true;
	}
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++)
		if (hits(x, y, out_svg_box[s].cx - HW, out_svg_box[s].cy - HH,
		         out_svg_box[s].cx + HW, out_svg_box[s].cy + HH))
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
void out_svg_step_place(struct out_svg_placed *pl, const int (*pts)[2], int n, int ep, int shift,
                        int *bx, int *by)
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
void out_svg_step_badge(FILE *fp, int ep, int x, int y, int step)
{
	if (ep == TRACK_CLIENT)
		out_svg_put(fp, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\"", x, y, BADGE_R);
	else
		out_svg_put(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\"",
		            x - BADGE_R + 1, y - BADGE_R + 1, 2 * BADGE_R - 2, 2 * BADGE_R - 2);
	out_svg_put(fp,
	            " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"%d\" "
	            "text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" "
	            "fill=\"#ffffff\">%d</text>",
	            colour(ep), x, y + 4, step);
}
