/* ui_layout.h — screen geometry for the live view: pure arithmetic, no curses, unit-tested. */
#ifndef SOCKLAB_UI_LAYOUT_H
#define SOCKLAB_UI_LAYOUT_H

#include <stdbool.h>

#include "socklab/track.h"

/* Smallest screen the views are designed for (the projector's "40-column mode"). */
#define UI_MIN_COLS 40
#define UI_MIN_ROWS 12

/* State families: the colour a state is drawn in. */
enum ui_family {
	UI_FAMILY_UNKNOWN,
	UI_FAMILY_OPENING, /* LISTEN, SYN_SENT, SYN_RECEIVED */
	UI_FAMILY_ESTABLISHED,
	UI_FAMILY_CLOSING, /* FIN_WAIT_*, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT */
	UI_FAMILY_CLOSED,
};
enum ui_family ui_state_family(enum track_state s);

/* At most 7 characters, for the narrow table ("ESTAB", "FINWT1", ...). */
const char *ui_state_short_name(enum track_state s);

enum ui_col {
	UI_COL_ID,
	UI_COL_CLIENT,
	UI_COL_SERVER,
	UI_COL_CSTATE,
	UI_COL_SSTATE,
	UI_COL_PKTS,
	UI_COL_BYTES,
	UI_COL_AGE,
	UI_COL_COUNT
};

struct ui_table_layout {
	int x[UI_COL_COUNT]; /* start column, or -1 when the column is hidden */
	int w[UI_COL_COUNT];
	bool short_states; /* state columns too narrow for RFC names: use ui_state_short_name */
};

/* Fit the connection table into width columns. id_want is the number of digits of the largest
 * id shown, ep_want the longest endpoint text among the rows shown (e.g. 15 for
 * "127.0.0.1:45670"). Counters are UI_COUNT_W wide (ui_format_count), so at 80 columns a
 * loopback table keeps every column. Narrower, columns are dropped in the order age, bytes,
 * packets, then endpoints shrink and states abbreviate; id and both states always stay. */
#define UI_COUNT_W 5
void ui_layout_table(int width, int id_want, int ep_want, struct ui_table_layout *out);

/* A count in at most UI_COUNT_W characters: 12345, 1234k, 1234M, 1234G. */
void ui_format_count(unsigned long long v, char *buf, int len);

/* The main view: status line, table, ladder, key hint line. */
struct ui_screen_layout {
	bool too_small;
	int status_y;
	int body_y, body_h;   /* everything between status and hint lines */
	int table_y, table_h; /* table_h includes its header line */
	int ladder_y, ladder_h;
	int hint_y;
};
void ui_layout_screen(int cols, int rows, int nconns, struct ui_screen_layout *out);

/* Ladder columns: [time] [client state] |---arrow--->| [server state] */
struct ui_ladder_layout {
	int time_x, time_w; /* time_w 0: no time column */
	int lstate_x, lstate_w;
	int lbar_x, rbar_x; /* the two vertical lines; arrows run between them */
	int rstate_x, rstate_w;
	bool short_states;
};
void ui_layout_ladder(int width, struct ui_ladder_layout *out);

/* Word-wrap text: the first line at most first_w columns, the next ones next_w. Breaks at
 * spaces (a word longer than a line is split). Fills up to max (start, len) pairs and returns
 * the number of lines the whole text needs (which may be more than max). */
struct ui_wrap_line {
	int start, len;
};
int ui_wrap(const char *text, int first_w, int next_w, struct ui_wrap_line *lines, int max);

/* Write an endpoint text into buf clipped to w columns, keeping the port end ("~0.0.1:45670"). */
void ui_clip_left(const char *text, int w, char *buf, int buflen);

#endif
