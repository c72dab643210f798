/* ui_layout.c — screen geometry for the live view: column fitting, view splits, state families. */
#include "ui_layout.h"

#include <stdio.h>
#include <string.h>

enum ui_family ui_state_family(enum track_state s)
{
	switch (s) {
	case TRACK_LISTEN:
	case TRACK_SYN_SENT:
	case TRACK_SYN_RECEIVED:
		return UI_FAMILY_OPENING;
	case TRACK_ESTABLISHED:
		return UI_FAMILY_ESTABLISHED;
	case TRACK_FIN_WAIT_1:
	case TRACK_FIN_WAIT_2:
	case TRACK_CLOSE_WAIT:
	case TRACK_CLOSING:
	case TRACK_LAST_ACK:
	case TRACK_TIME_WAIT:
		return UI_FAMILY_CLOSING;
	case TRACK_CLOSED:
		return UI_FAMILY_CLOSED;
	default:
		return UI_FAMILY_UNKNOWN;
	}
}

const char *ui_state_short_name(enum track_state s)
{
	static const char *const names[TRACK_STATE_COUNT] = {
	    [TRACK_UNKNOWN] = "?",
	    [TRACK_CLOSED] = "CLOSED",
	    [TRACK_LISTEN] = "LISTEN",
	    [TRACK_SYN_SENT] = "SYNSENT",
	    [TRACK_SYN_RECEIVED] = "SYNRCVD",
	    [TRACK_ESTABLISHED] = "ESTAB",
	    [TRACK_FIN_WAIT_1] = "FINWT1",
	    [TRACK_FIN_WAIT_2] = "FINWT2",
	    [TRACK_CLOSE_WAIT] = "CLSWAIT",
	    [TRACK_CLOSING] = "CLOSING",
	    [TRACK_LAST_ACK] = "LASTACK",
	    [TRACK_TIME_WAIT] = "TIMEWT",
	};
	if ((int)s < 0 || s >= TRACK_STATE_COUNT)
		return "?";
	return names[s];
}

/* Full widths; the longest RFC name (SYN_RECEIVED) is 12. */
enum {
	W_ID_MIN = 2,
	W_STATE = 12,
	W_STATE_SHORT = 7,
	W_PKTS = UI_COUNT_W,
	W_BYTES = UI_COUNT_W,
	W_AGE = 5, /* "99.9s", "59m", "9999h" */
	W_EP_MIN = 8
};

static int table_total(const int *w)
{
	int total = 0;
	for (int i = 0; i < UI_COL_COUNT; i++) {
		if (w[i] > 0)
			total += w[i] + 1; /* one space after each column */
	}
	return total - 1;
}

void ui_layout_table(int width, int id_want, int ep_want, struct ui_table_layout *out)
{
	int w[UI_COL_COUNT];
	if (ep_want < W_EP_MIN)
		ep_want = W_EP_MIN;
	/* as wide as the largest id shown: an id is never cut */
	w[UI_COL_ID] = id_want > W_ID_MIN ? id_want : W_ID_MIN;
	w[UI_COL_CLIENT] = w[UI_COL_SERVER] = ep_want;
	w[UI_COL_CSTATE] = w[UI_COL_SSTATE] = W_STATE;
	w[UI_COL_PKTS] = W_PKTS;
	w[UI_COL_BYTES] = W_BYTES;
	w[UI_COL_AGE] = W_AGE;
	out->short_states = false;

	/* Least useful first: a teacher reads states and endpoints before counters. */
	static const enum ui_col drop[] = {UI_COL_AGE, UI_COL_BYTES, UI_COL_PKTS};
	for (size_t i = 0; i < sizeof drop / sizeof drop[0] && table_total(w) > width; i++)
		w[drop[i]] = 0;
	while (table_total(w) > width && w[UI_COL_CLIENT] > W_EP_MIN + 4) {
		w[UI_COL_CLIENT]--;
		w[UI_COL_SERVER]--;
	}
	if (table_total(w) > width) {
		w[UI_COL_CSTATE] = w[UI_COL_SSTATE] = W_STATE_SHORT;
		out->short_states = true;
	}
	while (table_total(w) > width && w[UI_COL_CLIENT] > W_EP_MIN) {
		w[UI_COL_CLIENT]--;
		w[UI_COL_SERVER]--;
	}
	/* Whatever is left over widens the endpoints, up to what they need. */
	while (table_total(w) + 2 <= width && w[UI_COL_CLIENT] < ep_want) {
		w[UI_COL_CLIENT]++;
		w[UI_COL_SERVER]++;
	}
	int x = 0;
	for (int i = 0; i < UI_COL_COUNT; i++) {
		out->w[i] = w[i];
		if (w[i] > 0) {
			out->x[i] = x;
			x += w[i] + 1;
		} else {
			out->x[i] = -1;
		}
	}
}

void ui_layout_screen(int cols, int rows, int nconns, struct ui_screen_layout *out)
{
	memset(out, 0, sizeof *out);
	out->too_small = cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
	if (out->too_small)
		return;
	out->status_y = 0;
	out->hint_y = rows - 1;
	out->body_y = 1;
	out->body_h = rows - 2;
	/* The table takes what its rows need, at most 40% of the body, at least header + 2 rows,
	 * so the ladder (the part students watch) keeps most of the screen. */
	int want = nconns + 1;
	int most = out->body_h * 2 / 5;
	if (most < 3)
		most = 3;
	if (want > most)
		want = most;
	if (want < 3)
		want = 3;
	out->table_y = out->body_y;
	out->table_h = want;
	out->ladder_y = out->table_y + want;
	out->ladder_h = out->body_h - want;
}

void ui_layout_ladder(int width, struct ui_ladder_layout *out)
{
	memset(out, 0, sizeof *out);
	int state_w = 13; /* "SYN_RECEIVED" and a space */
	out->short_states = false;
	if (width >= 80) {
		out->time_w = 10;
	}
	if (width - out->time_w - 2 * state_w - 2 < 26) {
		state_w = 8;
		out->short_states = true;
	}
	out->time_x = 0;
	out->lstate_x = out->time_w;
	out->lstate_w = state_w;
	out->lbar_x = out->lstate_x + state_w;
	out->rstate_w = state_w;
	out->rstate_x = width - state_w;
	out->rbar_x = out->rstate_x - 1;
}

void ui_clip_left(const char *text, int w, char *buf, int buflen)
{
	if (buflen <= 0)
		return;
	if (w < 0)
		w = 0;
	if (w > buflen - 1)
		w = buflen - 1;
	int len = (int)strlen(text);
	if (len <= w) {
		memcpy(buf, text, (size_t)len + 1);
		return;
	}
	if (w == 0) {
		buf[0] = '\0';
		return;
	}
	/* The port is what tells connections apart on loopback, so keep the right end. */
	buf[0] = '~';
	memcpy(buf + 1, text + len - (w - 1), (size_t)(w - 1));
	buf[w] = '\0';
}

void ui_format_count(unsigned long long v, char *buf, int len)
{
	static const char unit[] = "kMGTPE";
	if (v < 100000) {
		snprintf(buf, (size_t)len, "%llu", v);
		return;
	}
	/* four digits and a unit: rounded down, so the figure never claims more than was seen */
	int u = 0;
	v /= 1000;
	while (v >= 10000 && unit[u + 1]) {
		v /= 1000;
		u++;
	}
	snprintf(buf, (size_t)len, "%llu%c", v, unit[u]);
}

int ui_wrap(const char *text, int first_w, int next_w, struct ui_wrap_line *lines, int max)
{
	int n = 0, pos = 0, len = (int)strlen(text);
	while (pos < len) {
		int w = n == 0 ? first_w : next_w;
		if (w < 1)
			w = 1;
		while (pos < len && text[pos] == ' ')
			pos++; /* a line never starts with the space it broke at */
		if (pos >= len)
			break;
		int take = len - pos;
		if (take > w) {
			take = w;
			/* break after the last space that fits, if there is one */
			for (int i = w; i > 0; i--) {
				if (text[pos + i] == ' ') {
					take = i;
					break;
				}
			}
		}
		int shown = take;
		while (shown > 0 && text[pos + shown - 1] == ' ')
			shown--;
		if (n < max)
			lines[n] = (struct ui_wrap_line){pos, shown};
		n++;
		pos += take;
	}
	return n;
}
