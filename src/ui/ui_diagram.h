/* ui_diagram.h — the RFC 9293 state diagram as text art, with the position of every state box
 * and every edge, so the screen can highlight states and mark the edge just taken. Pure data. */
#ifndef SOCKLAB_UI_DIAGRAM_H
#define SOCKLAB_UI_DIAGRAM_H

#include <stdbool.h>

#include "socklab/track.h"

#define UI_DIAGRAM_ROWS  18
#define UI_DIAGRAM_COLS  77
#define UI_DIAGRAM_BOX_W 14 /* "[" + 12 + "]" */
#define UI_EDGE_SPANS    4

/* A rectangle of the art (inclusive): one row of a line or label, or a run of a vertical. */
struct ui_diagram_span {
	int r0, r1, c0, c1;
};

/* An edge of the figure. rst: taken only on a segment carrying RST (the refused SYN, an
 * abort), so a move between the same states without one is not drawn as this edge. */
struct ui_diagram_edge {
	enum track_state from, to;
	bool rst;
	int nspans;
	struct ui_diagram_span spans[UI_EDGE_SPANS];
};

/* A box; the cells just left (client) and right (server) of its brackets are free for the
 * endpoints' marks. */
struct ui_diagram_box {
	enum track_state state;
	int row, col;
};

const char *const *ui_diagram_art(int *rows);
const struct ui_diagram_edge *ui_diagram_edges(int *n);
const struct ui_diagram_box *ui_diagram_boxes(int *n);

/* The edge drawn for from -> to, or NULL (e.g. FIN_WAIT_1 -> CLOSED: not a drawn edge).
 * by_rst: the segment that caused the move carried RST. */
const struct ui_diagram_edge *ui_diagram_find_edge(enum track_state from, enum track_state to,
                                                   bool by_rst);

/* The one box where an endpoint in state now belongs. CLOSED has two: the first (before
 * any connection, and after a refused SYN: nothing was ever synchronized) and the last (the
 * end of a connection that was established). came_from: the state before the last move,
 * TRACK_UNKNOWN when none is known. */
const struct ui_diagram_box *ui_diagram_place(enum track_state now, enum track_state came_from);

/* The label written on the from -> to edge ("rcv SYN,ACK / snd ACK"), or NULL. */
const char *ui_diagram_edge_label(enum track_state from, enum track_state to);

#endif
