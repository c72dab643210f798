/* ui_paint.h — the primitives every view paints with: text clipped to a rectangle in a colour
 * role, filled bars, and state names in the chosen spelling. */
#ifndef SOCKLAB_UI_PAINT_H
#define SOCKLAB_UI_PAINT_H

#include <stdbool.h>

#include "socklab/track.h"
#include "ui_theme.h"

/* Text clipped to w columns at (y, x), in a role's attributes. Returns columns written. */
int ui_put(int y, int x, int w, enum ui_role role, const char *text);
int ui_putf(int y, int x, int w, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Fill the rest of a line with spaces in a role (for bars). */
void ui_fill(int y, int x, int w, enum ui_role role);

/* text word-wrapped: the first line at (y, x) in w columns, the next ones at (y+1.., next_x)
 * up to the right edge x + w; at most max_lines. Returns the lines written. */
int ui_put_wrapped(int y, int x, int w, int next_x, int max_lines, enum ui_role role,
                   const char *text);

/* A state's name: the short form for narrow columns, else RFC 9293 or Linux spelling. */
const char *ui_state_text(enum track_names names, enum track_state st, bool shortname);

#endif
