/* ui_cursor.h — the timeline cursor: Left/Right step one segment back and forth through the
 * selected connection's history, or (`t`) through every connection's segments in capture
 * order with the selection following; the ladder, the diagram and the reasons show the
 * connection as it was after that segment. It holds the ladder replay still at a position. */
#ifndef SOCKLAB_UI_CURSOR_H
#define SOCKLAB_UI_CURSOR_H

#include "ui_state.h"

/* dir < 0: one segment back (from the live picture: to the one before the last); dir > 0:
 * one forward, stopping at the last. */
void ui_cursor_step(struct ui_state *s, int dir);

/* `t`: switch between stepping through the selected connection and through the whole file;
 * a cursor already placed keeps its segment. */
void ui_cursor_toggle_scope(struct ui_state *s);

#endif
