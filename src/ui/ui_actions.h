/* ui_actions.h — what each key of the key table does. */
#ifndef SOCKLAB_UI_ACTIONS_H
#define SOCKLAB_UI_ACTIONS_H

#include "ui_keys.h"
#include "ui_state.h"

/* Apply one key press; false on a fatal error (message in err). */
bool ui_action_key(struct ui_state *s, int code, double mono_now, char *err, size_t errlen);

#endif
