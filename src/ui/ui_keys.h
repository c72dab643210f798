/* ui_keys.h — the one key table: it drives the key handling, the `?` overlay and the man page.
 *
 * The man page's KEYS section (docs/tcpscope.1) must carry every help text of the table; the
 * test ui.keys_in_manpage checks it, and tests/ui/ui_keys_doc prints the lines as roff.
 */
#ifndef SOCKLAB_UI_KEYS_H
#define SOCKLAB_UI_KEYS_H

#include <stddef.h>

enum ui_action {
	UI_ACT_NONE,
	UI_ACT_HELP,
	UI_ACT_QUIT,
	UI_ACT_PAUSE,
	UI_ACT_STEP,
	UI_ACT_REPLAY,
	UI_ACT_FASTER,
	UI_ACT_SLOWER,
	UI_ACT_CLEAR,
	UI_ACT_NEXT_VIEW,
	UI_ACT_PREV_VIEW,
	UI_ACT_VIEW_MAIN,
	UI_ACT_VIEW_DIAGRAM,
	UI_ACT_VIEW_LOG,
	UI_ACT_VIEW_KERNEL,
	UI_ACT_KERNEL,
	UI_ACT_DOWN,
	UI_ACT_UP,
	UI_ACT_PAGE_DOWN,
	UI_ACT_PAGE_UP,
	UI_ACT_HOME,
	UI_ACT_END,
	UI_ACT_SORT,
	UI_ACT_NAMES,
	UI_ACT_LOG_FILTER,
	UI_ACT_OPEN,   /* the selected connection's ladder */
	UI_ACT_PROMPT, /* "/": type a connection number to select and filter on */
	UI_ACT_BACK,   /* the timeline cursor: one segment back / forward */
	UI_ACT_FORWARD,
	UI_ACT_SAVE,    /* `w`: the live capture to a pcap file */
	UI_ACT_EXPORT,  /* `e`: the selected connection's ladder to an SVG file */
	UI_ACT_SCOPE,   /* `t`: Left/Right step through the connection / the whole file */
	UI_ACT_RESTART, /* `R`: a -r file from its first frame again */
	UI_ACT_LESSON,  /* `L`: the lesson layout on / off */
	UI_ACT_COUNT
};

#define UI_KEY_CODES 4

struct ui_key {
	int codes[UI_KEY_CODES]; /* curses key codes; unused slots are 0 */
	const char *label;       /* how the help and the man page write the keys */
	enum ui_action action;   /* NONE: a documentation-only line (several keys, one line) */
	const char *help;
	const char *brief; /* one word, for the help on a narrow screen */
};

/* The table, in help order; *n receives its length. */
const struct ui_key *ui_keys_table(size_t *n);

/* The action bound to a key code (0 means none). View keys 1-4 map to their own actions. */
enum ui_action ui_keys_lookup(int code);

#endif
