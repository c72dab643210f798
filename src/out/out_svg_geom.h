/* out_svg_geom.h — the state diagram's layout (out_svg_geom.c), shared by its drawing
 * (out_svg_diagram.c) and the placing of its step numbers (out_svg_steps.c). */
#ifndef SOCKLAB_OUT_SVG_GEOM_H
#define SOCKLAB_OUT_SVG_GEOM_H

#include "out_svg_priv.h"

#define HW      64 /* half a state box */
#define HH      17
#define BAR_Y   623 /* the CLOSED bar every closing edge ends on */
#define BAR_X0  30
#define BAR_X1  790
#define BADGE_R 9 /* a step number's circle */

struct out_svg_box {
	int cx, cy;
};

struct out_svg_edge {
	enum track_state from, to;
	bool rst; /* a reset or an abort: dashed */
	const char *label;
	int lx, ly;
	const char *anchor;
	int n; /* points */
	int pt[3][2];
};

extern const struct out_svg_box out_svg_box[TRACK_STATE_COUNT];
extern const struct out_svg_edge out_svg_edges[];
extern const int out_svg_nedges;

/* Where the step numbers already stand, so that a later one is not set on top of them. */
struct out_svg_placed {
	int n;
	int xy[2 * OUT_FIG_MAX_STATES][2];
};

/* A step's number on the polyline pts[0..n) of endpoint ep's path (drawn shifted by shift on
 * both axes): the first point along it, in the endpoint's order of preference (the client's
 * nearer the start, the server's nearer the end, so that two paths on one edge keep apart),
 * that covers no label, box or number; else the first. Noted in pl. */
void out_svg_step_place(struct out_svg_placed *pl, const int (*pts)[2], int n, int ep, int shift,
                        int *bx, int *by);

/* The number drawn at (x, y): in a circle for the client, in a square for the server, so that
 * the two paths stay apart when the page is printed in grey. fp NULL: nothing. */
void out_svg_step_badge(FILE *fp, int ep, int x, int y, int step);

#endif
