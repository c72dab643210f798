/* ui_restart.h — `R`: read a -r file again from its first frame, with a fresh tracker, model,
 * counters and cursor, as if tcpscope had just been started on it. */
#ifndef SOCKLAB_UI_RESTART_H
#define SOCKLAB_UI_RESTART_H

#include <stddef.h>

#include "ui_state.h"

/* Live capture, standard input or a pipe: a notice says why nothing restarts. Returns false
 * only when the screen cannot go on (no memory for a new tracker; message in err). */
bool ui_restart(struct ui_state *s, char *err, size_t errlen);

#endif
