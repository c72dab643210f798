/* ui_theme.h — colour roles with a monochrome fallback (NO_COLOR, --no-color, dumb terminals). */
#ifndef SOCKLAB_UI_THEME_H
#define SOCKLAB_UI_THEME_H

#include <stdbool.h>

#include "socklab/track.h"

enum ui_role {
	UI_ROLE_NORMAL,
	UI_ROLE_TITLE,    /* status line */
	UI_ROLE_HEADER,   /* column headers */
	UI_ROLE_SELECTED, /* the selected table row */
	UI_ROLE_OPENING,
	UI_ROLE_ESTABLISHED,
	UI_ROLE_CLOSING,
	UI_ROLE_CLOSED,
	UI_ROLE_UNKNOWN,
	UI_ROLE_CLIENT, /* the client's arrows and marks */
	UI_ROLE_SERVER,
	UI_ROLE_ALERT, /* disagreements, anomalies, paused */
	UI_ROLE_EDGE,  /* the edge just taken in the state diagram */
	UI_ROLE_DIM,
	UI_ROLE_KEY, /* a key's name in the help (the client's colour, except on a projector) */
	UI_ROLE_COUNT
};

/* Call after initscr: uses colour only if want_color and the terminal has it. projector
 * (--theme=projector): nothing dim, bright bold colours, and the endpoints' colours on every
 * view that names an endpoint (the table's address columns too). */
void ui_theme_init(bool want_color, bool projector);
bool ui_theme_has_color(void);
bool ui_theme_projector(void);
/* Curses attributes for a role (an attr_t, as int to keep curses out of this header). */
int ui_theme_attr(enum ui_role role);
enum ui_role ui_theme_state_role(enum track_state s);

#endif
