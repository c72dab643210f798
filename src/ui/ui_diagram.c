/* ui_diagram.c — the RFC 9293 §3.3.2 state diagram (Figure 5) redrawn for a terminal. */
#include "ui_diagram.h"

#include <stddef.h>

/* Boxes carry RFC names here; the screen redraws their labels in the chosen spelling. Edges
 * are listed as the spans of the art that belong to them (line, arrow head, label). */
static const char *const diagram_art[] = {
    "[   CLOSED   ]------------ passive open ----------->[   LISTEN   ]",
    "       | active open                            rcv SYN / |",
    "       v / snd SYN                          snd SYN,ACK   v",
    "[  SYN_SENT  ]------ rcv SYN / snd SYN,ACK -------->[SYN_RECEIVED]",
    "       | rcv SYN,ACK / snd ACK            rcv ACK of SYN  |",
    "       +----------------->[ESTABLISHED ]<-----------------+",
    "              close / snd FIN |    | rcv FIN / snd ACK",
    "       +----------------------+    +----------------------+",
    "       v                                                  v",
    "[ FIN_WAIT_1 ]- rcv FIN / snd ACK -+                [ CLOSE_WAIT ]",
    "       | rcv ACK                   |                      | close /",
    "       v of FIN                    v                      v snd FIN",
    "[ FIN_WAIT_2 ]            [  CLOSING   ]            [  LAST_ACK  ]",
    "       | rcv FIN / snd ACK         |                      | rcv ACK of FIN",
    "       v                           |                      v",
    "[ TIME_WAIT  ]<- rcv ACK of FIN ---+                [   CLOSED   ]",
    "       |                                                  ^",
    "       +------- timeout after 2 MSL (Linux: 60 s) -------+",
};
static const struct ui_diagram_edge diagram_edges[] = {
    {TRACK_CLOSED, TRACK_LISTEN, 1, {{0, 14, 51}}},
    {TRACK_CLOSED, TRACK_SYN_SENT, 4, {{1, 7, 7}, {1, 9, 19}, {2, 7, 7}, {2, 9, 17}}},
    {TRACK_LISTEN, TRACK_SYN_RECEIVED, 4, {{1, 58, 58}, {1, 48, 56}, {2, 58, 58}, {2, 44, 54}}},
    {TRACK_SYN_SENT, TRACK_SYN_RECEIVED, 1, {{3, 14, 51}}},
    {TRACK_SYN_SENT, TRACK_ESTABLISHED, 3, {{4, 7, 7}, {4, 9, 29}, {5, 7, 25}}},
    {TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, 3, {{4, 58, 58}, {4, 42, 55}, {5, 40, 58}}},
    {TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, 4, {{6, 30, 30}, {6, 14, 28}, {7, 7, 30}, {8, 7, 7}}},
    {TRACK_ESTABLISHED, TRACK_CLOSE_WAIT, 4, {{6, 35, 35}, {6, 37, 53}, {7, 35, 58}, {8, 58, 58}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSING, 3, {{9, 14, 35}, {10, 35, 35}, {11, 35, 35}}},
    {TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, 4, {{10, 7, 7}, {10, 9, 15}, {11, 7, 7}, {11, 9, 14}}},
    {TRACK_CLOSE_WAIT, TRACK_LAST_ACK, 4, {{10, 58, 58}, {10, 60, 66}, {11, 58, 58}, {11, 60, 66}}},
    {TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, 3, {{13, 7, 7}, {13, 9, 25}, {14, 7, 7}}},
    {TRACK_CLOSING, TRACK_TIME_WAIT, 3, {{13, 35, 35}, {14, 35, 35}, {15, 14, 35}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, 3, {{13, 58, 58}, {13, 60, 73}, {14, 58, 58}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, 3, {{16, 7, 7}, {16, 58, 58}, {17, 7, 57}}},
};
static const struct ui_diagram_box diagram_boxes[] = {
    {TRACK_CLOSED, 0, 0},        {TRACK_LISTEN, 0, 52},      {TRACK_SYN_SENT, 3, 0},
    {TRACK_SYN_RECEIVED, 3, 52}, {TRACK_ESTABLISHED, 5, 26}, {TRACK_FIN_WAIT_1, 9, 0},
    {TRACK_CLOSE_WAIT, 9, 52},   {TRACK_FIN_WAIT_2, 12, 0},  {TRACK_CLOSING, 12, 26},
    {TRACK_LAST_ACK, 12, 52},    {TRACK_TIME_WAIT, 15, 0},   {TRACK_CLOSED, 15, 52},
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

const struct ui_diagram_edge *ui_diagram_find_edge(enum track_state from, enum track_state to)
{
	for (size_t i = 0; i < sizeof diagram_edges / sizeof diagram_edges[0]; i++) {
		if (diagram_edges[i].from == from && diagram_edges[i].to == to)
			return &diagram_edges[i];
	}
	return NULL;
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
