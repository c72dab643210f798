/* ui_draw.h — the views, each drawing into a rectangle of the curses screen. */
#ifndef SOCKLAB_UI_DRAW_H
#define SOCKLAB_UI_DRAW_H

#include <stdbool.h>

#include "ui_state.h"
#include "ui_theme.h"

/* Draw the whole screen for the current view (erases first; the caller refreshes). Reads
 * the state only: ui_view_update has settled layout and scroll positions. */
void ui_draw_screen(const struct ui_state *s);

void ui_draw_table(const struct ui_state *s, int y, int h, int w);
/* Returns the lines it used (header included), so what follows can go right beneath. */
int ui_draw_ladder(const struct ui_state *s, int y, int h, int w);
void ui_draw_diagram(const struct ui_state *s, int y, int h, int w);
/* The diagram in the rectangle at column x, w wide; why: the reasons under the captions. */
void ui_draw_diagram_at(const struct ui_state *s, int y, int x, int h, int w, bool why);
void ui_draw_log(const struct ui_state *s, int y, int h, int w);
void ui_draw_kernel(const struct ui_state *s, int y, int h, int w);
void ui_draw_help(const struct ui_state *s, int rows, int cols);

#endif
