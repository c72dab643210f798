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
	assert_int_equal(ui_keys_lookup('k'), UI_ACT_KERNEL);
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
	    cmocka_unit_test(test_issue_bindings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
