/* ui_keys.c — the key table and its lookup. */
#include "ui_keys.h"

#include <curses.h>

/* Lines with several actions (the view numbers) list every code under one label, so the help
 * stays short; ui_keys_lookup maps them by position. */
/* clang-format off: one key per entry reads better than the reflowed form */
static const struct ui_key keys[] = {
    /* codes, label, action, help (the man page's words), brief */
    {{'?', 'h', KEY_F(1)}, "? h F1", UI_ACT_HELP, "show or hide the help", "help"},
    {{'q', 'Q', KEY_F(10)}, "q Q F10", UI_ACT_QUIT, "quit (the terminal is restored)", "quit"},
    {{' ', 'p'},
     "space p",
     UI_ACT_PAUSE,
     "pause / resume (while paused, segments wait in a queue)",
     "pause"},
    {{'n', '.'}, "n .", UI_ACT_STEP, "single-step: feed one waiting segment while paused", "step"},
    {{KEY_LEFT},
     "Left Right",
     UI_ACT_BACK,
     "step the selected connection one segment back / forward (Esc leaves)",
     "step"},
    {{KEY_RIGHT}, NULL, UI_ACT_FORWARD, NULL, NULL},
    {{'t'},
     "t",
     UI_ACT_SCOPE,
     "Left/Right step through: the selected connection / the whole file",
     "step scope"},
    {{'L'},
     "L",
     UI_ACT_LESSON,
     "lesson layout on/off: the why of each step (150+ cols: ladder | diagram)",
     "lesson"},
    {{'R'},
     "R",
     UI_ACT_RESTART,
     "-r file: replay from the first frame again (table, counters, cursor reset)",
     "restart"},
    {{'r'},
     "r",
     UI_ACT_REPLAY,
     "rewind and replay the selected connection's ladder (r again stops)",
     "replay"},
    {{'+', '='},
     "+ -",
     UI_ACT_FASTER,
     "replay speed faster / slower (-r files are paced by their timestamps)",
     "speed"},
    {{'-', '_'}, NULL, UI_ACT_SLOWER, NULL, NULL},
    {{'c'}, "c", UI_ACT_CLEAR, "clear closed connections from the table", "clear"},
    {{'\t'}, "Tab S-Tab", UI_ACT_NEXT_VIEW, "next / previous view", "view"},
    {{KEY_BTAB}, NULL, UI_ACT_PREV_VIEW, NULL, NULL},
    {{'1'},
     "1 2 3 4",
     UI_ACT_VIEW_MAIN,
     "views: table and ladder / state diagram / transition log / kernel",
     "views"},
    {{'2'}, NULL, UI_ACT_VIEW_DIAGRAM, NULL, NULL},
    {{'3'}, NULL, UI_ACT_VIEW_LOG, NULL, NULL},
    {{'4'}, NULL, UI_ACT_VIEW_KERNEL, NULL, NULL},
    {{'K'},
     "K",
     UI_ACT_KERNEL,
     "kernel cross-check view: the kernel's own state beside the inferred one",
     "kernel"},
    {{'j', KEY_DOWN},
     "j Down / k Up",
     UI_ACT_DOWN,
     "select the next / previous connection (log view: scroll)",
     "down/up"},
    {{'k', KEY_UP}, NULL, UI_ACT_UP, NULL, NULL},
    {{KEY_NPAGE}, "PgDn PgUp", UI_ACT_PAGE_DOWN, "move a page down / up", "page"},
    {{KEY_PPAGE}, NULL, UI_ACT_PAGE_UP, NULL, NULL},
    {{KEY_HOME, 'g'},
     "Home End g G",
     UI_ACT_HOME,
     "first / last connection (End follows new connections)",
     "ends"},
    {{KEY_END, 'G'}, NULL, UI_ACT_END, NULL, NULL},
    {{'\r', '\n', KEY_ENTER},
     "Enter",
     UI_ACT_OPEN,
     "open the selected connection's ladder and stay on it",
     "open"},
    {{'w'},
     "w",
     UI_ACT_SAVE,
     "live: save the capture (so far, and on) to tcpscope-DATE-TIME.pcap",
     "save"},
    {{'e'},
     "e",
     UI_ACT_EXPORT,
     "export the selected connection's ladder as SVG (tcpscope-conn-N-...)",
     "export"},
    {{'o'}, "o", UI_ACT_SORT, "sort the table: by id / by last activity / by packets", "sort"},
    {{'N'}, "N", UI_ACT_NAMES, "state names: RFC 9293 / Linux spellings", "names"},
    {{'f'}, "f", UI_ACT_LOG_FILTER, "log view: only the selected connection / all", "log filter"},
    {{'/'},
     "/",
     UI_ACT_PROMPT,
     "filter the log: type a connection number, Enter (empty: every connection)",
     "filter"},
};
/* clang-format on */

const struct ui_key *ui_keys_table(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

enum ui_action ui_keys_lookup(int code)
{
	if (code == 0)
		return UI_ACT_NONE;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		for (int j = 0; j < UI_KEY_CODES; j++) {
			if (keys[i].codes[j] == code)
				return keys[i].action;
		}
	}
	return UI_ACT_NONE;
}
