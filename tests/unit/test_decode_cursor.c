/* test_decode_cursor.c — the bounds-checked reader: sticky errors, sub-cursors, big-endian. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decode/cursor.h"

static const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};

static void reads_big_endian(void **state)
{
	struct decode_cursor c;
	decode_cursor_init(&c, data, sizeof(data));
	assert_int_equal(decode_cursor_u8(&c), 0x01);
	assert_int_equal(decode_cursor_u16be(&c), 0x0203);
	assert_int_equal(decode_cursor_u32be(&c), 0x04050607u);
	assert_true(decode_cursor_ok(&c));
	assert_int_equal(decode_cursor_remaining(&c), 0);
}

static void error_is_sticky(void **state)
{
	struct decode_cursor c;
	decode_cursor_init(&c, data, 3);
	assert_int_equal(decode_cursor_u32be(&c), 0); /* 4 > 3: fails, consumes nothing */
	assert_false(decode_cursor_ok(&c));
	/* a read that would fit on its own still fails afterwards */
	assert_int_equal(decode_cursor_u8(&c), 0);
	assert_int_equal(decode_cursor_remaining(&c), 0);
	uint8_t out[2] = {9, 9};
	decode_cursor_bytes(&c, out, 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
}

static void skip_and_peek(void **state)
{
	struct decode_cursor c;
	uint8_t b;
	decode_cursor_init(&c, data, sizeof(data));
	decode_cursor_skip(&c, 5);
	assert_true(decode_cursor_peek_u8(&c, 1, &b));
	assert_int_equal(b, 0x07);
	assert_false(decode_cursor_peek_u8(&c, 2, &b));
	assert_true(decode_cursor_ok(&c)); /* peeking never fails the cursor */
	decode_cursor_skip(&c, 3);
	assert_false(decode_cursor_ok(&c));
	/* huge skips must not wrap around */
	decode_cursor_init(&c, data, sizeof(data));
	decode_cursor_skip(&c, 1);
	decode_cursor_skip(&c, SIZE_MAX);
	assert_false(decode_cursor_ok(&c));
}

static void sub_cursor_is_bounded(void **state)
{
	struct decode_cursor c;
	decode_cursor_init(&c, data, sizeof(data));
	decode_cursor_skip(&c, 1);
	struct decode_cursor sub = decode_cursor_sub(&c, 2);
	assert_int_equal(decode_cursor_u8(&c), 0x04); /* parent moved past the sub range */
	assert_int_equal(decode_cursor_u16be(&sub), 0x0203);
	assert_int_equal(decode_cursor_u8(&sub), 0); /* cannot read past its own end */
	assert_false(decode_cursor_ok(&sub));
	assert_true(decode_cursor_ok(&c));
	struct decode_cursor too_big = decode_cursor_sub(&c, 4);
	assert_false(decode_cursor_ok(&too_big));
	assert_false(decode_cursor_ok(&c));
	assert_int_equal(decode_cursor_remaining(&too_big), 0);
}

static void null_buffer_is_empty(void **state)
{
	struct decode_cursor c;
	decode_cursor_init(&c, NULL, 100);
	assert_int_equal(decode_cursor_remaining(&c), 0);
	assert_int_equal(decode_cursor_u8(&c), 0);
	assert_false(decode_cursor_ok(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_big_endian),     cmocka_unit_test(error_is_sticky),
	    cmocka_unit_test(skip_and_peek),        cmocka_unit_test(sub_cursor_is_bounded),
	    cmocka_unit_test(null_buffer_is_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
