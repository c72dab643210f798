/* ui_view.h — the update step before each frame: the screen's layout and every scroll
 * position, computed here so the drawing code only reads the state. */
#ifndef SOCKLAB_UI_VIEW_H
#define SOCKLAB_UI_VIEW_H

#include "ui_state.h"

/* Refresh the table's rows from the tracker, lay the screen out for cols x rows and bring
 * the table's first row and the log's position in range. */
void ui_view_update(struct ui_state *s, int cols, int rows);

/* Whether the log view shows entry e (its filter: every connection, or the selected one). */
bool ui_view_log_wanted(const struct ui_state *s, const struct ui_log_entry *e);

/* Seconds since the first frame, the one base of the log's and the ladder's times, written in
 * at most width characters: microseconds while they fit, then milliseconds, then seconds. */
void ui_view_time(const struct ui_state *s, double t, int width, char *buf, int len);

#endif
