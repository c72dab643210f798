/* ui_diagram.c — the RFC 9293 §3.3.2 state diagram (Figure 5) redrawn for a terminal. */
#include "ui_diagram.h"

#include <stddef.h>

/* Boxes carry RFC names here; the screen redraws their labels in the chosen spelling. Edges
 * are listed as the spans of the art that belong to them (line, arrow head, label). */
static const char *const diagram_art[] = {
    " [   CLOSED   ] ------------ passive open -----------> [   LISTEN   ]",
    "   ^ rcv RST | active open                         rcv SYN / |",
    "   | refused v / snd SYN                         snd SYN,ACK v",
    " [  SYN_SENT  ] ------ rcv SYN / snd SYN,ACK --------> [SYN_RECEIVED]",
    "        | rcv SYN,ACK / snd ACK              rcv ACK of SYN  |",
    "        +-----------------> [ESTABLISHED ] <-----------------+",
    "               close / snd FIN |  |  | rcv FIN / snd ACK",
    "        +----------------------+  |  +-----------------------+",
    "        v                         +- snd/rcv RST -+          v",
    " [ FIN_WAIT_1 ] - rcv FIN / snd ACK -+            |    [ CLOSE_WAIT ]",
    "        | rcv ACK                    |            |          | close /",
    "        v of FIN                     v            |          v snd FIN",
    " [ FIN_WAIT_2 ]             [  CLOSING   ]        |    [  LAST_ACK  ]",
    "        | rcv FIN / snd ACK          |            |          | rcv ACK of FIN",
    "        v                            |            |          v",
    " [ TIME_WAIT  ] <- rcv ACK of FIN ---+            +--> [   CLOSED   ]",
    "        |                                                    ^",
    "        +-------- timeout after 2 MSL (Linux: 60 s) ---------+",
};
/* Each edge as rectangles {r0, r1, c0, c1} of the art: its line, arrow head and label. The
 * two RST edges are the ones RFC 9293 §3.10.7.3 (SYN-SENT: an acceptable RST means "error:
 * connection reset", delete the TCB) and §3.10.7.4 (a RST in a synchronized state, or ABORT,
 * sends the connection to CLOSED) describe; Figure 5 leaves them out, a class needs them. */
static const struct ui_diagram_edge diagram_edges[] = {
    {TRACK_CLOSED, TRACK_LISTEN, false, 1, {{0, 0, 16, 53}}},
    {TRACK_CLOSED, TRACK_SYN_SENT, false, 3, {{1, 2, 13, 13}, {1, 1, 15, 25}, {2, 2, 15, 23}}},
    {TRACK_SYN_SENT, TRACK_CLOSED, true, 2, {{1, 2, 3, 3}, {1, 2, 5, 11}}},
    {TRACK_LISTEN, TRACK_SYN_RECEIVED, false, 3, {{1, 2, 61, 61}, {1, 1, 51, 59}, {2, 2, 49, 59}}},
    {TRACK_SYN_SENT, TRACK_SYN_RECEIVED, false, 1, {{3, 3, 16, 53}}},
    {TRACK_SYN_SENT, TRACK_ESTABLISHED, false, 3, {{4, 4, 8, 8}, {4, 4, 10, 30}, {5, 5, 8, 26}}},
    {TRACK_SYN_RECEIVED,
     TRACK_ESTABLISHED,
     false,
     3,
     {{4, 4, 61, 61}, {4, 4, 45, 58}, {5, 5, 43, 61}}},
    {TRACK_ESTABLISHED,
     TRACK_FIN_WAIT_1,
     false,
     4,
     {{6, 6, 31, 31}, {6, 6, 15, 29}, {7, 7, 8, 31}, {8, 8, 8, 8}}},
    {TRACK_ESTABLISHED,
     TRACK_CLOSE_WAIT,
     false,
     4,
     {{6, 6, 37, 37}, {6, 6, 39, 55}, {7, 7, 37, 61}, {8, 8, 61, 61}}},
    {TRACK_ESTABLISHED,
     TRACK_CLOSED,
     true,
     4,
     {{6, 7, 34, 34}, {8, 8, 34, 50}, {9, 14, 50, 50}, {15, 15, 50, 53}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSING, false, 2, {{9, 9, 16, 37}, {10, 11, 37, 37}}},
    {TRACK_FIN_WAIT_1,
     TRACK_FIN_WAIT_2,
     false,
     3,
     {{10, 11, 8, 8}, {10, 10, 10, 16}, {11, 11, 10, 15}}},
    {TRACK_CLOSE_WAIT,
     TRACK_LAST_ACK,
     false,
     3,
     {{10, 11, 61, 61}, {10, 10, 63, 69}, {11, 11, 63, 69}}},
    {TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, false, 2, {{13, 14, 8, 8}, {13, 13, 10, 26}}},
    {TRACK_CLOSING, TRACK_TIME_WAIT, false, 2, {{13, 14, 37, 37}, {15, 15, 16, 37}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, false, 2, {{13, 14, 61, 61}, {13, 13, 63, 76}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, false, 3, {{16, 17, 8, 8}, {17, 17, 8, 61}, {16, 16, 61, 61}}},
};
/* The first CLOSED box is boxes[0], the last one boxes[11] (ui_diagram_place relies on it). */
static const struct ui_diagram_box diagram_boxes[] = {
    {TRACK_CLOSED, 0, 1},        {TRACK_LISTEN, 0, 55},      {TRACK_SYN_SENT, 3, 1},
    {TRACK_SYN_RECEIVED, 3, 55}, {TRACK_ESTABLISHED, 5, 28}, {TRACK_FIN_WAIT_1, 9, 1},
    {TRACK_CLOSE_WAIT, 9, 55},   {TRACK_FIN_WAIT_2, 12, 1},  {TRACK_CLOSING, 12, 28},
    {TRACK_LAST_ACK, 12, 55},    {TRACK_TIME_WAIT, 15, 1},   {TRACK_CLOSED, 15, 55},
};

static const struct {
	enum track_state from, to;
	const char *label;
} edge_labels[] = {
    {TRACK_CLOSED, TRACK_LISTEN, "passive open"},
    {TRACK_CLOSED, TRACK_SYN_SENT, "active open / snd SYN"},
    {TRACK_LISTEN, TRACK_SYN_RECEIVED, "rcv SYN / snd SYN,ACK"},
    {TRACK_LISTEN, TRACK_SYN_SENT, "send / snd SYN"},
    {TRACK_SYN_SENT, TRACK_SYN_RECEIVED, "rcv SYN / snd SYN,ACK (simultaneous open)"},
    {TRACK_SYN_SENT, TRACK_ESTABLISHED, "rcv SYN,ACK / snd ACK"},
    {TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, "rcv ACK of SYN"},
    {TRACK_SYN_RECEIVED, TRACK_FIN_WAIT_1, "close / snd FIN"},
    {TRACK_SYN_RECEIVED, TRACK_LISTEN, "rcv RST"},
    {TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, "close / snd FIN"},
    {TRACK_ESTABLISHED, TRACK_CLOSE_WAIT, "rcv FIN / snd ACK"},
    {TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, "rcv ACK of FIN"},
    {TRACK_FIN_WAIT_1, TRACK_CLOSING, "rcv FIN / snd ACK (simultaneous close)"},
    {TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, "rcv FIN / snd ACK"},
    {TRACK_CLOSING, TRACK_TIME_WAIT, "rcv ACK of FIN"},
    {TRACK_CLOSE_WAIT, TRACK_LAST_ACK, "close / snd FIN"},
    {TRACK_SYN_SENT, TRACK_CLOSED, "rcv RST: refused"},
    {TRACK_ESTABLISHED, TRACK_CLOSED, "snd or rcv RST: abort"},
    {TRACK_LAST_ACK, TRACK_CLOSED, "rcv ACK of FIN"},
    {TRACK_TIME_WAIT, TRACK_CLOSED, "timeout = 2 MSL"},
};

const char *const *ui_diagram_art(int *rows)
{
	*rows = (int)(sizeof diagram_art / sizeof diagram_art[0]);
	return diagram_art;
}

const struct ui_diagram_edge *ui_diagram_edges(int *n)
{
	*n = (int)(sizeof diagram_edges / sizeof diagram_edges[0]);
	return diagram_edges;
}

const struct ui_diagram_box *ui_diagram_boxes(int *n)
{
	*n = (int)(sizeof diagram_boxes / sizeof diagram_boxes[0]);
	return diagram_boxes;
}

const struct ui_diagram_edge *ui_diagram_find_edge(enum track_state from, enum track_state to,
                                                   bool by_rst)
{
	for (size_t i = 0; i < sizeof diagram_edges / sizeof diagram_edges[0]; i++) {
		const struct ui_diagram_edge *e = &diagram_edges[i];
		if (e->from == from && e->to == to && (!e->rst || by_rst))
			return e;
	}
	return NULL;
}

const struct ui_diagram_box *ui_diagram_place(enum track_state now, enum track_state came_from)
{
	size_t n = sizeof diagram_boxes / sizeof diagram_boxes[0];
	if (now == TRACK_CLOSED) {
		/* never synchronized (no connection yet, a refused or abandoned SYN, a listener
		 * that never was): the first box; every other way into CLOSED ends a connection */
		bool first = came_from == TRACK_UNKNOWN || came_from == TRACK_CLOSED ||
		             came_from == TRACK_SYN_SENT || came_from == TRACK_LISTEN;
		return &diagram_boxes[first ? 0 : n - 1];
	}
	for (size_t i = 0; i < n; i++) {
		if (diagram_boxes[i].state == now)
			return &diagram_boxes[i];
	}
	return NULL; /* UNKNOWN, or a state the figure does not draw */
}

const char *ui_diagram_edge_label(enum track_state from, enum track_state to)
{
	for (size_t i = 0; i < sizeof edge_labels / sizeof edge_labels[0]; i++) {
		if (edge_labels[i].from == from && edge_labels[i].to == to)
			return edge_labels[i].label;
	}
	if (to == TRACK_CLOSED)
		return "RST, or the connection ended";
	return NULL;
}
