/* ui_draw_lesson.h — the main view (table and ladder) and its lesson layout: at
 * UI_LESSON_COLS columns or more the state diagram beside the ladder and the why of the
 * cursor's step beneath both; narrower, the why under the cursor's row while it steps. */
#ifndef SOCKLAB_UI_DRAW_LESSON_H
#define SOCKLAB_UI_DRAW_LESSON_H

#include "ui_state.h"

/* Room for a ladder (70) and the diagram (77) side by side. */
#define UI_LESSON_COLS 150

void ui_draw_main(const struct ui_state *s, const struct ui_screen_layout *L, int cols);

#endif
