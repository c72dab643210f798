/* ui_draw.h — the views, each drawing into a rectangle of the curses screen. */
#ifndef SOCKLAB_UI_DRAW_H
#define SOCKLAB_UI_DRAW_H

#include <stdbool.h>

#include "ui_state.h"
#include "ui_theme.h"

/* Draw the whole screen for the current view (erases first; the caller refreshes). */
void ui_draw_screen(struct ui_state *s);

void ui_draw_table(struct ui_state *s, int y, int h, int w);
void ui_draw_ladder(const struct ui_state *s, int y, int h, int w);
void ui_draw_diagram(const struct ui_state *s, int y, int h, int w);
void ui_draw_log(const struct ui_state *s, int y, int h, int w);
void ui_draw_kernel(struct ui_state *s, int y, int h, int w);
void ui_draw_help(const struct ui_state *s, int rows, int cols);

/* The connection the views show: the replayed one, else the selected one (NULL if none). */
const struct ui_row *ui_selected_row(const struct ui_state *s);

/* Rows for the table: collected from the tracker, sorted, selection resolved. */
void ui_rows_refresh(struct ui_state *s);
void ui_rows_move(struct ui_state *s, long delta);
void ui_rows_home(struct ui_state *s);
void ui_rows_end(struct ui_state *s);

#endif
