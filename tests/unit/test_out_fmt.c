/* test_out_fmt.c — the number formatters and JSON string escaping the JSONL output relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/out.h"

#include "out/out_fmt.h" /* the sink's private formatters */

static void expect_u64(uint64_t v, const char *want)
{
	char buf[32];
	*out_fmt_u64(buf, v) = '\0';
	assert_string_equal(buf, want);
}

static void test_u64(void **state)
{
	expect_u64(0, "0");
	expect_u64(7, "7");
	expect_u64(10, "10");
	expect_u64(4294967295u, "4294967295");
	expect_u64(UINT64_MAX, "18446744073709551615");
}

/* Every digit-count boundary of the 32-bit path, checked against snprintf, and the 64-bit
 * path just past 2^32 (where it switches formatter). */
static void test_u32_boundaries(void **state)
{
	char buf[32], want[32];
	uint32_t p10 = 1;
	for (int d = 0; d < 10; d++) {
		uint32_t vals[] = {p10 - 1, p10, p10 + 1};
		for (int i = 0; i < 3; i++) {
			snprintf(want, sizeof want, "%u", (unsigned)vals[i]);
			*out_fmt_u32(buf, vals[i]) = '\0';
			assert_string_equal(buf, want);
			*out_fmt_u64(buf, vals[i]) = '\0';
			assert_string_equal(buf, want);
		}
		if (d < 9)
			p10 *= 10;
	}
	*out_fmt_u32(buf, UINT32_MAX) = '\0';
	assert_string_equal(buf, "4294967295");
	expect_u64(4294967296ull, "4294967296");
	expect_u64(10000000000ull, "10000000000");
}

static void test_endpoint_octets(void **state)
{
	char buf[64];
	struct decode_addr a = {.family = 4, .bytes = {0, 9, 10, 255}};
	*out_fmt_endpoint(buf, &a, 0) = '\0';
	assert_string_equal(buf, "0.9.10.255:0");
	struct decode_addr b = {.family = 4, .bytes = {127, 0, 100, 99}};
	*out_fmt_endpoint(buf, &b, 65535) = '\0';
	assert_string_equal(buf, "127.0.100.99:65535");
}

static void test_i64(void **state)
{
	char buf[32];

	*out_fmt_i64(buf, -42) = '\0';
	assert_string_equal(buf, "-42");
	*out_fmt_i64(buf, INT64_MIN) = '\0';
	assert_string_equal(buf, "-9223372036854775808");
}

static void expect_usec(int64_t us, const char *want)
{
	char buf[40];
	*out_fmt_usec(buf, us) = '\0';
	assert_string_equal(buf, want);
}

static void test_usec(void **state)
{
	expect_usec(0, "0.000000");
	expect_usec(1, "0.000001");
	expect_usec(1500000, "1.500000");
	expect_usec(-1, "-0.000001");
	expect_usec(1700000000123456LL, "1700000000.123456");
	/* epoch times survive the trip through a double to the microsecond */
	assert_int_equal(out_usec(1700000000.123456), 1700000000123456LL);
	assert_int_equal(out_usec(0.0000005), 1); /* rounds, not truncates */
	assert_int_equal(out_usec(2.9999996), 3000000);
}

/* Issue 15 item 3: a pcapng if_tsresol/if_tsoffset can give any 64-bit second count; beyond
 * the int64 microseconds the times are held at the ends of the range, never wrapped. */
static void test_usec_extremes(void **state)
{
	assert_true(out_usec(9.2233720368547758e18) == INT64_MAX);
	assert_true(out_usec(-9.3e18) == INT64_MIN);
	assert_true(out_usec(9.3e12) == INT64_MAX); /* just past 2^63 microseconds */
	assert_true(out_usec(-9.3e12) == INT64_MIN);
	assert_true(out_usec(1e300) == INT64_MAX);
	assert_true(out_usec(9.2e12) == 9200000000000000000LL); /* still inside */
	assert_true(out_usec_sub(INT64_MAX, INT64_MIN) == INT64_MAX);
	assert_true(out_usec_sub(INT64_MIN, INT64_MAX) == INT64_MIN);
	assert_true(out_usec_sub(INT64_MIN, 1) == INT64_MIN);
	assert_true(out_usec_sub(5, 7) == -2);
	expect_usec(out_usec(9.2233720368547758e18), "9223372036854.775807");
}

static void expect_esc(const char *in, const char *want)
{
	char buf[128];
	size_t n = out_json_escape(in, buf, sizeof buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_escape(void **state)
{
	expect_esc("plain", "plain");
	expect_esc("say \"hi\"", "say \\\"hi\\\"");
	expect_esc("back\\slash", "back\\\\slash");
	expect_esc("a\nb\tc\rd", "a\\nb\\tc\\rd");
	expect_esc("\x01\x1f\b\f", "\\u0001\\u001f\\b\\f");
	expect_esc("caf\xc3\xa9", "caf\xc3\xa9");            /* valid UTF-8 kept */
	expect_esc("\xe2\x86\x92 ok", "\xe2\x86\x92 ok");    /* 3-byte arrow kept */
	expect_esc("bad \xff byte", "bad \\ufffd byte");     /* invalid byte */
	expect_esc("cut \xe2\x86", "cut \\ufffd\\ufffd");    /* truncated sequence */
	expect_esc("\xc0\xaf", "\\ufffd\\ufffd");            /* overlong '/' */
	expect_esc("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"); /* surrogate */
	expect_esc("", "");
}

static void test_escape_cut(void **state)
{
	char buf[8];

	/* never splits an escape or a character, always terminates */
	assert_int_equal(out_json_escape("abcdef\"x", buf, sizeof buf), 6);
	assert_string_equal(buf, "abcdef");
	assert_int_equal(out_json_escape("ab\xc3\xa9\xc3\xa9\xc3\xa9", buf, sizeof buf), 6);
	assert_string_equal(buf, "ab\xc3\xa9\xc3\xa9");
	assert_int_equal(out_json_escape("x", buf, 1), 0);
	assert_string_equal(buf, "");
}

/* The text and JSON forms of every flags byte follow decode_flags_format, name for name. */
static void test_flags_follow_decode(void **state)
{
	for (int f = 0; f < 256; f++) {
		char want[64], text[64], json[128], expect_json[128];
		char *p = expect_json;
		const char *name = want;

		decode_flags_format((uint8_t)f, want, sizeof want);
		*out_fmt_flags_text(text, (uint8_t)f) = '\0';
		assert_string_equal(text, want);
		assert_true(strlen(text) <= OUT_FLAGS_TEXT_MAX);
		*p++ = '[';
		while (f && *name) {
			size_t n = strcspn(name, ",");
			p +=
			    sprintf(p, "%s\"%.*s\"", p == expect_json + 1 ? "" : ",", (int)n, name);
			name += n + (name[n] == ',');
		}
		strcpy(p, "]");
		*out_fmt_flags_json(json, (uint8_t)f) = '\0';
		assert_string_equal(json, expect_json);
		assert_true(strlen(json) <= OUT_FLAGS_JSON_MAX); /* the sink's slot size */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_u64),
	    cmocka_unit_test(test_u32_boundaries),
	    cmocka_unit_test(test_endpoint_octets),
	    cmocka_unit_test(test_i64),
	    cmocka_unit_test(test_usec),
	    cmocka_unit_test(test_usec_extremes),
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_escape_cut),
	    cmocka_unit_test(test_flags_follow_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
