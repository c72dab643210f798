/* test_ui_keys.c — the one key table: every action reachable, no key bound twice, every
 * documented line complete, and the keys the issue names bound as it says. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h>

#include "ui/ui_keys.h"

static void test_every_action_has_a_key(void **state)
{
	(void)state;
	size_t n;
	const struct ui_key *keys = ui_keys_table(&n);
	for (int a = UI_ACT_NONE + 1; a < UI_ACT_COUNT; a++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			if (keys[i].action == (enum ui_action)a && keys[i].codes[0])
				found = true;
		assert_true(found);
	}
}

static void test_no_key_bound_twice(void **state)
{
	(void)state;
	size_t n;
	const struct ui_key *keys = ui_keys_table(&n);
	for (size_t i = 0; i < n; i++)
		for (int a = 0; a < UI_KEY_CODES && keys[i].codes[a]; a++)
			for (size_t j = 0; j < n; j++)
				for (int b = 0; b < UI_KEY_CODES && keys[j].codes[b]; b++)
					if (i != j || a != b)
						assert_int_not_equal(keys[i].codes[a],
						                     keys[j].codes[b]);
}

static void test_documented_lines_complete(void **state)
{
	(void)state;
	size_t n, lines = 0;
	const struct ui_key *keys = ui_keys_table(&n);
	assert_non_null(keys[0].label); /* an undocumented line must follow a documented one */
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label) {
			assert_null(keys[i].help);
			continue;
		}
		lines++;
		assert_true(strlen(keys[i].help) > 4);
		assert_non_null(keys[i].brief);
		assert_true(strlen(keys[i].brief) <= 10); /* narrow help: two columns at 40 */
	}
	assert_true(lines >= 12);
}

/* Every key the table binds is named in its help line's label, so the overlay lists them all
 * (issue 12: g and G worked but the help did not say so). */
static void test_every_letter_key_in_a_label(void **state)
{
	(void)state;
	size_t n;
	const struct ui_key *keys = ui_keys_table(&n);
	const char *label = NULL;
	for (size_t i = 0; i < n; i++) {
		if (keys[i].label)
			label = keys[i].label;
		for (int j = 0; j < UI_KEY_CODES; j++) {
			int c = keys[i].codes[j];
			if (c <= ' ' || c > '~' || c == '_' || c == '=')
				continue; /* named keys; and the unshifted twins of - and + */
			char one[2] = {(char)c, 0};
			assert_non_null(strstr(label, one));
		}
	}
}

static void test_issue_bindings(void **state)
{
	(void)state;
	assert_int_equal(ui_keys_lookup(' '), UI_ACT_PAUSE);
	assert_int_equal(ui_keys_lookup('n'), UI_ACT_STEP);
	assert_int_equal(ui_keys_lookup('.'), UI_ACT_STEP);
	assert_int_equal(ui_keys_lookup('r'), UI_ACT_REPLAY);
	assert_int_equal(ui_keys_lookup('+'), UI_ACT_FASTER);
	assert_int_equal(ui_keys_lookup('-'), UI_ACT_SLOWER);
	assert_int_equal(ui_keys_lookup('c'), UI_ACT_CLEAR);
	assert_int_equal(ui_keys_lookup('\t'), UI_ACT_NEXT_VIEW);
	assert_int_equal(ui_keys_lookup('1'), UI_ACT_VIEW_MAIN);
	assert_int_equal(ui_keys_lookup('2'), UI_ACT_VIEW_DIAGRAM);
	assert_int_equal(ui_keys_lookup('3'), UI_ACT_VIEW_LOG);
	assert_int_equal(ui_keys_lookup('4'), UI_ACT_VIEW_KERNEL);
	/* vi-style: j and k move, so the kernel view is K (issue 12: k opened it) */
	assert_int_equal(ui_keys_lookup('k'), UI_ACT_UP);
	assert_int_equal(ui_keys_lookup('K'), UI_ACT_KERNEL);
	/* the keys terminal tools share (htop, tmux, termshark) */
	assert_int_equal(ui_keys_lookup(KEY_F(1)), UI_ACT_HELP);
	assert_int_equal(ui_keys_lookup(KEY_F(10)), UI_ACT_QUIT);
	assert_int_equal(ui_keys_lookup(KEY_BTAB), UI_ACT_PREV_VIEW);
	assert_int_equal(ui_keys_lookup('\r'), UI_ACT_OPEN);
	assert_int_equal(ui_keys_lookup('\n'), UI_ACT_OPEN);
	assert_int_equal(ui_keys_lookup(KEY_ENTER), UI_ACT_OPEN);
	assert_int_equal(ui_keys_lookup('/'), UI_ACT_PROMPT);
	assert_int_equal(ui_keys_lookup('g'), UI_ACT_HOME);
	assert_int_equal(ui_keys_lookup('G'), UI_ACT_END);
	assert_int_equal(ui_keys_lookup('q'), UI_ACT_QUIT);
	assert_int_equal(ui_keys_lookup('?'), UI_ACT_HELP);
	assert_int_equal(ui_keys_lookup('j'), UI_ACT_DOWN);
	assert_int_equal(ui_keys_lookup(KEY_DOWN), UI_ACT_DOWN);
	assert_int_equal(ui_keys_lookup(KEY_UP), UI_ACT_UP);
	assert_int_equal(ui_keys_lookup('z'), UI_ACT_NONE);
	assert_int_equal(ui_keys_lookup(0), UI_ACT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_action_has_a_key),
	    cmocka_unit_test(test_no_key_bound_twice),
	    cmocka_unit_test(test_documented_lines_complete),
	    cmocka_unit_test(test_every_letter_key_in_a_label),
	    cmocka_unit_test(test_issue_bindings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
