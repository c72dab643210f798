/* ui_diagram.h — the RFC 9293 state diagram as text art, with the position of every state box
 * and every edge, so the screen can highlight states and mark the edge just taken. Pure data. */
#ifndef SOCKLAB_UI_DIAGRAM_H
#define SOCKLAB_UI_DIAGRAM_H

#include <stdbool.h>

#include "socklab/track.h"

#define UI_DIAGRAM_ROWS  18
#define UI_DIAGRAM_COLS  74
#define UI_DIAGRAM_BOX_W 14 /* "[" + 12 + "]" */
#define UI_EDGE_SPANS    4

struct ui_diagram_span {
	int row, c0, c1; /* inclusive */
};

struct ui_diagram_edge {
	enum track_state from, to;
	int nspans;
	struct ui_diagram_span spans[UI_EDGE_SPANS];
};

struct ui_diagram_box {
	enum track_state state;
	int row, col;
};

const char *const *ui_diagram_art(int *rows);
const struct ui_diagram_edge *ui_diagram_edges(int *n);
const struct ui_diagram_box *ui_diagram_boxes(int *n);

/* The edge drawn for from -> to, or NULL (e.g. RST to CLOSED: not a drawn edge). */
const struct ui_diagram_edge *ui_diagram_find_edge(enum track_state from, enum track_state to);

/* The label written on the from -> to edge ("rcv SYN,ACK / snd ACK"), or NULL. */
const char *ui_diagram_edge_label(enum track_state from, enum track_state to);

#endif
