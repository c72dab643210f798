/* test_decode_format.c — text forms: flags, endpoints (IPv6 per RFC 5952), names, stats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "socklab/decode.h"

static struct decode_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct decode_addr x = {.family = 4, .bytes = {a, b, c, d}};
	return x;
}

static struct decode_addr v6(const uint16_t w[8])
{
	struct decode_addr x = {.family = 6};
	for (int i = 0; i < 8; i++) {
		x.bytes[2 * i] = (uint8_t)(w[i] >> 8);
		x.bytes[2 * i + 1] = (uint8_t)w[i];
	}
	return x;
}

static void flags_text(void **state)
{
	char buf[64];
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN | DECODE_TCP_ACK, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "SYN,ACK");
	assert_int_equal(decode_flags_format(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "none");
	assert_int_equal(decode_flags_format(0xff, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR");
	assert_int_equal(decode_flags_format(DECODE_TCP_FIN | DECODE_TCP_ACK, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "FIN,ACK");
	assert_int_equal(decode_flags_format(DECODE_TCP_RST, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "RST");
}

static void flags_small_buffer_whole_names_only(void **state)
{
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	/* "SYN,ACK" needs 8 bytes with its NUL; 7 fits only "SYN" */
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN | DECODE_TCP_ACK, buf, 7), 1);
	assert_string_equal(buf, "SYN");
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN | DECODE_TCP_ACK, buf, 8), 2);
	assert_string_equal(buf, "SYN,ACK");
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN, buf, 3), 0);
	assert_string_equal(buf, "");
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN, buf, 0), 0);
	assert_int_equal(decode_flags_format(DECODE_TCP_SYN, NULL, 10), 0);
}

static void endpoints(void **state)
{
	char buf[DECODE_ENDPOINT_STRLEN];
	struct decode_addr a = v4(127, 0, 0, 1);
	decode_endpoint_format(&a, 45670, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:45670");
	const uint16_t lo[8] = {0, 0, 0, 0, 0, 0, 0, 1};
	a = v6(lo);
	decode_endpoint_format(&a, 9998, buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:9998");
	decode_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "::1");
	/* RFC 5952: longest zero run compressed, first of equal runs, lower case, no leading 0s */
	const uint16_t w1[8] = {0x2001, 0xdb8, 0, 0, 1, 0, 0, 1};
	a = v6(w1);
	decode_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1:0:0:1");
	const uint16_t w2[8] = {0x2001, 0xdb8, 0, 1, 0, 0, 0, 0xABCD};
	a = v6(w2);
	decode_addr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8:0:1::abcd");
	/* the longest possible endpoint fits DECODE_ENDPOINT_STRLEN */
	const uint16_t full[8] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};
	a = v6(full);
	decode_endpoint_format(&a, 65535, buf, sizeof(buf));
	assert_string_equal(buf, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void endpoint_small_buffer_and_bad_family(void **state)
{
	char buf[8];
	struct decode_addr a = v4(192, 168, 100, 200);
	decode_endpoint_format(&a, 443, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 7); /* cut, still terminated */
	assert_memory_equal(buf, "192.168", 7);
	struct decode_addr bad = {.family = 9};
	char b2[32];
	decode_endpoint_format(&bad, 1, b2, sizeof(b2));
	assert_string_equal(b2, "?:1");
	decode_addr_format(NULL, b2, sizeof(b2));
	assert_string_equal(b2, "?");
}

static void link_names(void **state)
{
	assert_string_equal(decode_link_name(DECODE_LINK_NULL), "NULL");
	assert_string_equal(decode_link_name(DECODE_LINK_EN10MB), "EN10MB");
	assert_string_equal(decode_link_name(DECODE_LINK_RAW), "RAW");
	assert_string_equal(decode_link_name(DECODE_LINK_RAW_ALT), "RAW");
	assert_string_equal(decode_link_name(DECODE_LINK_LOOP), "LOOP");
	assert_string_equal(decode_link_name(DECODE_LINK_LINUX_SLL), "LINUX_SLL");
	assert_string_equal(decode_link_name(DECODE_LINK_IPV4), "IPV4");
	assert_string_equal(decode_link_name(DECODE_LINK_IPV6), "IPV6");
	assert_string_equal(decode_link_name(DECODE_LINK_LINUX_SLL2), "LINUX_SLL2");
	assert_string_equal(decode_link_name(105), "unknown");
	assert_string_equal(decode_link_name(-3), "unknown");
}

static void status_names_and_stats(void **state)
{
	const char *want[] = {"ok", "not_tcp", "fragment", "truncated", "malformed", "unsupported"};
	for (int s = 0; s < DECODE_STATUS_COUNT; s++)
		assert_string_equal(decode_status_name((enum decode_status)s), want[s]);
	assert_string_equal(decode_status_name(DECODE_STATUS_COUNT), "unknown");

	struct decode_stats st = {0};
	decode_stats_add(&st, DECODE_OK);
	decode_stats_add(&st, DECODE_OK);
	decode_stats_add(&st, DECODE_TRUNCATED);
	decode_stats_add(&st, DECODE_MALFORMED);
	decode_stats_add(&st, DECODE_STATUS_COUNT); /* out of range: counted as a frame only */
	assert_int_equal(st.frames, 5);
	assert_int_equal(st.by_status[DECODE_OK], 2);
	assert_int_equal(st.by_status[DECODE_TRUNCATED], 1);
	assert_int_equal(st.by_status[DECODE_MALFORMED], 1);
	assert_int_equal(st.by_status[DECODE_FRAGMENT], 0);
}

static void sequence_compare_wraps(void **state)
{
	assert_true(decode_seq_lt(0xfffffff0u, 0x10));
	assert_true(decode_seq_gt(0x10, 0xfffffff0u));
	assert_true(decode_seq_le(5, 5));
	assert_true(decode_seq_ge(5, 5));
	assert_false(decode_seq_lt(5, 5));
	assert_true(decode_seq_lt(1, 0x7fffffffu));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flags_text),
	    cmocka_unit_test(flags_small_buffer_whole_names_only),
	    cmocka_unit_test(endpoints),
	    cmocka_unit_test(endpoint_small_buffer_and_bad_family),
	    cmocka_unit_test(link_names),
	    cmocka_unit_test(status_names_and_stats),
	    cmocka_unit_test(sequence_compare_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
