/* ui_rows.h — the table's rows: collected from the tracker, sorted, the selection kept on the
 * same connection while rows come and go. */
#ifndef SOCKLAB_UI_ROWS_H
#define SOCKLAB_UI_ROWS_H

#include "ui_state.h"

/* Rows for the table: collected from the tracker, sorted, selection resolved. */
void ui_rows_refresh(struct ui_state *s);
void ui_rows_move(struct ui_state *s, long delta);
void ui_rows_home(struct ui_state *s);
void ui_rows_end(struct ui_state *s);

/* The selected row (NULL if none). */
const struct ui_row *ui_selected_row(const struct ui_state *s);

#endif
