/* ui_theme.c — colour roles with a monochrome fallback. */
#include "ui_theme.h"

#include <curses.h>

#include "ui_layout.h"

static attr_t role_attr[UI_ROLE_COUNT];
static bool color_on, projector_on;

bool ui_theme_has_color(void) { return color_on; }
bool ui_theme_projector(void) { return projector_on; }

/* A projector washes out dim text and thin colours: no A_DIM anywhere, bold on every
 * coloured role, the bright half of the palette where the terminal has it, and neither the
 * header nor the selection in an endpoint's colour (cyan is the client's, and only that). */
static void projector_theme(void)
{
	role_attr[UI_ROLE_DIM] = A_NORMAL;
	role_attr[UI_ROLE_CLOSED] = A_BOLD;
	role_attr[UI_ROLE_HEADER] = A_BOLD | A_UNDERLINE;
	role_attr[UI_ROLE_SELECTED] = A_BOLD | A_REVERSE;
	role_attr[UI_ROLE_TITLE] = A_BOLD | A_REVERSE;
	role_attr[UI_ROLE_KEY] = A_BOLD;
	if (!color_on)
		return;
	short bright = COLORS >= 16 ? 8 : 0;
	static const struct {
		enum ui_role role;
		short fg;
	} fgs[] = {
	    {UI_ROLE_OPENING, COLOR_YELLOW}, {UI_ROLE_ESTABLISHED, COLOR_GREEN},
	    {UI_ROLE_CLOSING, COLOR_BLUE},   {UI_ROLE_CLIENT, COLOR_CYAN},
	    {UI_ROLE_SERVER, COLOR_MAGENTA},
	};
	/* pairs after the default theme's (at most 16 of those) */
	for (size_t i = 0; i < sizeof fgs / sizeof fgs[0]; i++) {
		short n = (short)(17 + i);
		init_pair(n, (short)(fgs[i].fg + bright), -1);
		role_attr[fgs[i].role] = COLOR_PAIR(n) | A_BOLD;
	}
}

void ui_theme_init(bool want_color, bool projector)
{
	/* Monochrome: the families still differ (bold / underline / dim), and the selection is
	 * reverse video, so nothing depends on colour alone. */
	static const attr_t mono[UI_ROLE_COUNT] = {
	    [UI_ROLE_NORMAL] = A_NORMAL,
	    [UI_ROLE_TITLE] = A_REVERSE,
	    [UI_ROLE_HEADER] = A_UNDERLINE,
	    [UI_ROLE_SELECTED] = A_REVERSE,
	    [UI_ROLE_OPENING] = A_UNDERLINE,
	    [UI_ROLE_ESTABLISHED] = A_BOLD,
	    [UI_ROLE_CLOSING] = A_BOLD | A_UNDERLINE,
	    [UI_ROLE_CLOSED] = A_DIM,
	    [UI_ROLE_UNKNOWN] = A_NORMAL,
	    [UI_ROLE_CLIENT] = A_BOLD,
	    [UI_ROLE_SERVER] = A_BOLD,
	    [UI_ROLE_ALERT] = A_BOLD | A_REVERSE,
	    [UI_ROLE_EDGE] = A_BOLD | A_REVERSE,
	    [UI_ROLE_DIM] = A_DIM,
	    [UI_ROLE_KEY] = A_BOLD,
	};
	for (int i = 0; i < UI_ROLE_COUNT; i++)
		role_attr[i] = mono[i];
	color_on = false;
	projector_on = projector;
	if (!want_color || !has_colors() || start_color() != OK || COLORS < 8) {
		if (projector)
			projector_theme();
		return;
	}
	use_default_colors();
	color_on = true;
	/* pair, foreground, background (-1: the terminal's default, readable on light and dark
	 * projector themes alike). One colour per endpoint (client cyan, server magenta) and
	 * one per state family, none shared: a colour on screen means one thing. CLOSED is the
	 * default colour in bold (dark blue was unreadable on black); closing states are light
	 * blue where the terminal has 16 colours. */
	short light_blue = COLORS >= 16 ? (short)(COLOR_BLUE + 8) : COLOR_BLUE;
	static const struct {
		enum ui_role role;
		short fg, bg;
		attr_t extra;
	} pairs[] = {
	    {UI_ROLE_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD},
	    {UI_ROLE_HEADER, COLOR_CYAN, -1, A_BOLD},
	    {UI_ROLE_SELECTED, COLOR_BLACK, COLOR_CYAN, 0},
	    {UI_ROLE_OPENING, COLOR_YELLOW, -1, A_BOLD},
	    {UI_ROLE_ESTABLISHED, COLOR_GREEN, -1, A_BOLD},
	    {UI_ROLE_CLOSING, -2 /* light blue */, -1, A_BOLD},
	    {UI_ROLE_CLOSED, -1, -1, A_BOLD},
	    {UI_ROLE_CLIENT, COLOR_CYAN, -1, A_BOLD},
	    {UI_ROLE_SERVER, COLOR_MAGENTA, -1, A_BOLD},
	    {UI_ROLE_ALERT, COLOR_WHITE, COLOR_RED, A_BOLD},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		short n = (short)(i + 1);
		init_pair(n, pairs[i].fg == -2 ? light_blue : pairs[i].fg, pairs[i].bg);
		role_attr[pairs[i].role] = COLOR_PAIR(n) | pairs[i].extra;
	}
	/* the edge just taken: reverse video, which no state or endpoint uses, on any theme */
	role_attr[UI_ROLE_EDGE] = A_BOLD | A_REVERSE;
	role_attr[UI_ROLE_KEY] = role_attr[UI_ROLE_CLIENT];
	if (projector)
		projector_theme();
}

int ui_theme_attr(enum ui_role role)
{
	if ((int)role < 0 || role >= UI_ROLE_COUNT)
		return A_NORMAL;
	return (int)role_attr[role];
}

enum ui_role ui_theme_state_role(enum track_state s)
{
	switch (ui_state_family(s)) {
	case UI_FAMILY_OPENING:
		return UI_ROLE_OPENING;
	case UI_FAMILY_ESTABLISHED:
		return UI_ROLE_ESTABLISHED;
	case UI_FAMILY_CLOSING:
		return UI_ROLE_CLOSING;
	case UI_FAMILY_CLOSED:
		return UI_ROLE_CLOSED;
	default:
		return UI_ROLE_UNKNOWN;
	}
}
