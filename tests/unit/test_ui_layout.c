/* test_ui_layout.c — the screen's geometry: what fits at every width the projector may have,
 * the 40x12 minimum, and endpoint clipping that keeps the port. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_layout.h"

static int table_right_edge(const struct ui_table_layout *L)
{
	int edge = 0;
	for (int c = 0; c < UI_COL_COUNT; c++) {
		if (L->x[c] >= 0 && L->x[c] + L->w[c] > edge)
			edge = L->x[c] + L->w[c];
	}
	return edge;
}

static void test_table_fits_every_width(void **state)
{
	(void)state;
	for (int ep = 9; ep <= 47; ep += 6) {
		for (int w = UI_MIN_COLS; w <= 200; w++) {
			struct ui_table_layout L;
			ui_layout_table(w, 4, ep, &L);
			assert_true(table_right_edge(&L) <= w);
			/* what a teacher must always see: the id and both states */
			assert_true(L.x[UI_COL_ID] >= 0);
			assert_true(L.x[UI_COL_CSTATE] >= 0);
			assert_true(L.x[UI_COL_SSTATE] >= 0);
			assert_true(L.x[UI_COL_CLIENT] >= 0 && L.x[UI_COL_SERVER] >= 0);
			int sw = L.short_states ? 7 : 12; /* longest short / RFC name */
			assert_true(L.w[UI_COL_CSTATE] >= sw && L.w[UI_COL_SSTATE] >= sw);
			for (int a = 0; a < UI_COL_COUNT; a++) /* no overlap */
				for (int b = a + 1; b < UI_COL_COUNT; b++)
					if (L.x[a] >= 0 && L.x[b] >= 0)
						assert_true(L.x[a] + L.w[a] <= L.x[b] ||
						            L.x[b] + L.w[b] <= L.x[a]);
		}
	}
}

static void test_table_wide_has_everything(void **state)
{
	(void)state;
	struct ui_table_layout L;
	ui_layout_table(100, 2, 15, &L); /* "127.0.0.1:45670" */
	for (int c = 0; c < UI_COL_COUNT; c++)
		assert_true(L.x[c] >= 0);
	assert_false(L.short_states);
	assert_int_equal(L.w[UI_COL_CLIENT], 15);
	ui_layout_table(40, 2, 15, &L); /* projector mode: counters go, states shorten */
	assert_int_equal(L.x[UI_COL_AGE], -1);
	assert_int_equal(L.x[UI_COL_BYTES], -1);
	assert_true(L.short_states);
}

/* Issue 12: at 80 columns a loopback table (up to 9999 connections) keeps every column, full
 * state names included; and counters never take more than their column. */
static void test_table_80_keeps_counters(void **state)
{
	(void)state;
	struct ui_table_layout L;
	ui_layout_table(80, 4, 15, &L);
	for (int c = 0; c < UI_COL_COUNT; c++)
		assert_true(L.x[c] >= 0);
	assert_false(L.short_states);
	assert_int_equal(L.w[UI_COL_CLIENT], 15);
	assert_true(table_right_edge(&L) <= 80);
	char buf[32];
	unsigned long long v[] = {0, 99999, 100000, 9999999, 10000000, 18446744073709551615ull};
	const char *want[] = {"0", "99999", "100k", "9999k", "10M", "18E"};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		ui_format_count(v[i], buf, (int)sizeof buf);
		assert_string_equal(buf, want[i]);
	}
}

/* The why is wrapped, never cut: every word of the text is on some line, lines break at spaces
 * and hold what fits, and a word longer than a line is split rather than lost. */
static void test_wrap_keeps_every_word(void **state)
{
	(void)state;
	const char *why = "connection refused: RST acking our SYN; nothing listening on port 20002";
	struct ui_wrap_line l[8];
	int n = ui_wrap(why, 30, 20, l, 8);
	assert_int_equal(n, 4);
	char joined[128] = "";
	for (int i = 0; i < n; i++) {
		assert_true(l[i].len <= (i == 0 ? 30 : 20));
		assert_true(why[l[i].start] != ' ');
		if (i)
			strcat(joined, " ");
		strncat(joined, why + l[i].start, (size_t)l[i].len);
	}
	assert_string_equal(joined, why);
	assert_int_equal(l[0].len, 30); /* "connection refused: RST acking" fills the line */
	n = ui_wrap("abcdefghij", 4, 4, l, 8);
	assert_int_equal(n, 3);
	assert_int_equal(l[2].len, 2);
	assert_int_equal(ui_wrap("", 10, 10, l, 8), 0);
	assert_int_equal(ui_wrap("short", 10, 10, l, 0), 1); /* counted even with no room */
}

static void test_short_names_fit(void **state)
{
	(void)state;
	for (int s = 0; s < TRACK_STATE_COUNT; s++)
		assert_true(strlen(ui_state_short_name((enum track_state)s)) <= 7);
	assert_string_equal(ui_state_short_name(TRACK_ESTABLISHED), "ESTAB");
}

static void test_families(void **state)
{
	(void)state;
	assert_int_equal(ui_state_family(TRACK_SYN_SENT), UI_FAMILY_OPENING);
	assert_int_equal(ui_state_family(TRACK_LISTEN), UI_FAMILY_OPENING);
	assert_int_equal(ui_state_family(TRACK_ESTABLISHED), UI_FAMILY_ESTABLISHED);
	assert_int_equal(ui_state_family(TRACK_TIME_WAIT), UI_FAMILY_CLOSING);
	assert_int_equal(ui_state_family(TRACK_CLOSE_WAIT), UI_FAMILY_CLOSING);
	assert_int_equal(ui_state_family(TRACK_CLOSED), UI_FAMILY_CLOSED);
	assert_int_equal(ui_state_family(TRACK_UNKNOWN), UI_FAMILY_UNKNOWN);
}

static void test_screen_minimum(void **state)
{
	(void)state;
	struct ui_screen_layout L;
	ui_layout_screen(39, 30, 1, &L);
	assert_true(L.too_small);
	ui_layout_screen(100, 11, 1, &L);
	assert_true(L.too_small);
	for (int rows = UI_MIN_ROWS; rows <= 60; rows++) {
		for (int n = 0; n < 100; n += 7) {
			ui_layout_screen(40, rows, n, &L);
			assert_false(L.too_small);
			assert_int_equal(L.table_h + L.ladder_h, L.body_h);
			assert_true(L.table_h >= 3);  /* header + 2 rows */
			assert_true(L.ladder_h >= 5); /* header + a handshake */
			assert_int_equal(L.hint_y, rows - 1);
		}
	}
}

static void test_ladder_columns(void **state)
{
	(void)state;
	for (int w = UI_MIN_COLS; w <= 200; w++) {
		struct ui_ladder_layout L;
		ui_layout_ladder(w, &L);
		assert_true(L.lbar_x < L.rbar_x);
		assert_true(L.rbar_x - L.lbar_x >= 20); /* room for "SYN,ACK seq=0 ack=1" */
		assert_true(L.rstate_x + L.rstate_w <= w);
		int need = L.short_states ? 7 : 12;
		assert_true(L.lstate_w - 1 >= need && L.rstate_w - 1 >= need);
	}
}

static void test_clip_keeps_port(void **state)
{
	(void)state;
	char buf[64];
	ui_clip_left("127.0.0.1:45670", 8, buf, sizeof buf);
	assert_string_equal(buf, "~1:45670");
	ui_clip_left("[::1]:9998", 20, buf, sizeof buf);
	assert_string_equal(buf, "[::1]:9998");
	ui_clip_left("127.0.0.1:1", 0, buf, sizeof buf);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_fits_every_width),
	    cmocka_unit_test(test_table_wide_has_everything),
	    cmocka_unit_test(test_table_80_keeps_counters),
	    cmocka_unit_test(test_wrap_keeps_every_word),
	    cmocka_unit_test(test_short_names_fit),
	    cmocka_unit_test(test_families),
	    cmocka_unit_test(test_screen_minimum),
	    cmocka_unit_test(test_ladder_columns),
	    cmocka_unit_test(test_clip_keeps_port),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
