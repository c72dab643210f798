/* test_decode_ipv4.c — IPv4 header corners: IHL, total length, options, fragments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_decode_util.h"

static enum decode_status decode_raw(struct tf_frame *f, struct decode_packet *p)
{
	return decode_frame(DECODE_LINK_RAW, f->b, f->len, p);
}

static void build_raw(struct tf_spec s, struct tf_frame *f)
{
	s.link = DECODE_LINK_RAW;
	tf_build(&s, f);
}

static void plain_header_fields(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	build_raw((struct tf_spec){.payload_len = 10, .flags = DECODE_TCP_ACK}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
	assert_int_equal(p.ip_version, 4);
	assert_int_equal(p.ttl, 64);
	assert_int_equal(p.src.family, 4);
	assert_memory_equal(p.src.bytes, tf_v4_src, 4);
	assert_memory_equal(p.dst.bytes, tf_v4_dst, 4);
	/* the rest of the address stays zero so whole-struct compares work */
	for (int i = 4; i < 16; i++)
		assert_int_equal(p.src.bytes[i], 0);
	assert_false(p.ip_has_options);
	assert_false(p.ip_first_fragment);
	assert_int_equal(p.payload_len, 10);
	/* decode_ip gives the same answer without a link layer */
	struct decode_packet q;
	assert_int_equal(decode_ip(f.b, f.len, &q), DECODE_OK);
	assert_int_equal(q.seq, p.seq);
	assert_int_equal(q.payload_len, 10);
}

static void ihl_below_five_is_malformed(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		build_raw((struct tf_spec){0}, &f);
		f.b[0] = (uint8_t)(0x40 | ihl);
		assert_int_equal(decode_raw(&f, &p), DECODE_MALFORMED);
	}
}

static void options_skipped(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	build_raw((struct tf_spec){.ip_opts_len = 12, .payload_len = 4}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
	assert_true(p.ip_has_options);
	assert_int_equal(p.sport, TF_SPORT);
	assert_int_equal(p.payload_len, 4);
	assert_ptr_equal(p.payload, f.b + f.payload_off);
	/* maximum IHL (60 bytes) */
	build_raw((struct tf_spec){.ip_opts_len = 40}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
}

static void ihl_beyond_capture_is_truncated(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	build_raw((struct tf_spec){.ip_opts_len = 20}, &f);
	/* header says 40 bytes, total length agrees, but only 30 were captured */
	assert_int_equal(decode_frame(DECODE_LINK_RAW, f.b, 30, &p), DECODE_TRUNCATED);
}

static void total_length_below_header_is_malformed(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	build_raw((struct tf_spec){.ip_opts_len = 8}, &f);
	tf_put16(f.b + 2, 24); /* header is 28 */
	assert_int_equal(decode_raw(&f, &p), DECODE_MALFORMED);
	tf_put16(f.b + 2, 0); /* what TSO captures sometimes show */
	assert_int_equal(decode_raw(&f, &p), DECODE_MALFORMED);
	/* room for the IP header but not for a TCP header */
	build_raw((struct tf_spec){0}, &f);
	tf_put16(f.b + 2, 20 + 19);
	assert_int_equal(decode_raw(&f, &p), DECODE_MALFORMED);
}

static void total_length_beyond_capture(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	build_raw((struct tf_spec){.payload_len = 1000}, &f);
	/* snaplen cut the payload: payload_len from IP, payload_captured from the buffer */
	assert_int_equal(decode_frame(DECODE_LINK_RAW, f.b, 100, &p), DECODE_OK);
	assert_int_equal(p.payload_len, 1000);
	assert_int_equal(p.payload_captured, 60);
	/* total length smaller than the captured bytes: the extra bytes are not payload */
	tf_put16(f.b + 2, 40 + 10);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
	assert_int_equal(p.payload_len, 10);
	assert_int_equal(p.payload_captured, 10);
}

static void fragments(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	/* later fragment: no TCP header inside */
	build_raw((struct tf_spec){.frag = 185}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_FRAGMENT);
	build_raw((struct tf_spec){.frag = 0x2000 | 1}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_FRAGMENT);
	/* first fragment: TCP header there, flagged */
	build_raw((struct tf_spec){.frag = 0x2000, .payload_len = 8}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
	assert_true(p.ip_first_fragment);
	assert_int_equal(p.payload_len, 8);
	/* DF alone is not a fragment */
	build_raw((struct tf_spec){.frag = 0x4000}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_OK);
	assert_false(p.ip_first_fragment);
	/* a non-TCP fragment is simply not TCP */
	build_raw((struct tf_spec){.frag = 185, .proto = 17}, &f);
	assert_int_equal(decode_raw(&f, &p), DECODE_NOT_TCP);
}

static void not_tcp_protocols(void **state)
{
	const uint8_t protos[] = {1, 17, 47, 50, 132};
	struct tf_frame f;
	struct decode_packet p;
	for (size_t i = 0; i < sizeof(protos); i++) {
		build_raw((struct tf_spec){.proto = protos[i]}, &f);
		assert_int_equal(decode_raw(&f, &p), DECODE_NOT_TCP);
	}
}

static void bad_versions_are_malformed(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	for (uint8_t v = 0; v < 16; v++) {
		if (v == 4 || v == 6)
			continue;
		build_raw((struct tf_spec){0}, &f);
		f.b[0] = (uint8_t)(v << 4 | 5);
		assert_int_equal(decode_raw(&f, &p), DECODE_MALFORMED);
	}
}

static void truncated_at_every_byte(void **state)
{
	uint8_t opts[8] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};
	struct tf_frame f;
	char why[160];
	build_raw(
	    (struct tf_spec){
	        .ip_opts_len = 12, .tcp_opts = opts, .tcp_opts_len = 8, .payload_len = 9},
	    &f);
	if (!tf_check_prefixes(&f, 9, why, sizeof(why)))
		fail_msg("%s", why);
	build_raw((struct tf_spec){.frag = 0x2000, .payload_len = 3}, &f);
	if (!tf_check_prefixes(&f, 3, why, sizeof(why)))
		fail_msg("%s", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_header_fields),
	    cmocka_unit_test(ihl_below_five_is_malformed),
	    cmocka_unit_test(options_skipped),
	    cmocka_unit_test(ihl_beyond_capture_is_truncated),
	    cmocka_unit_test(total_length_below_header_is_malformed),
	    cmocka_unit_test(total_length_beyond_capture),
	    cmocka_unit_test(fragments),
	    cmocka_unit_test(not_tcp_protocols),
	    cmocka_unit_test(bad_versions_are_malformed),
	    cmocka_unit_test(truncated_at_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
