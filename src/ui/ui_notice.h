/* ui_notice.h — a one-off notice in the hint line ("paused: ...", "speed 2x"), shown for a
 * few seconds. */
#ifndef SOCKLAB_UI_NOTICE_H
#define SOCKLAB_UI_NOTICE_H

#include "ui_state.h"

/* Put a short notice in the hint line for a few seconds. */
void ui_notice(struct ui_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
