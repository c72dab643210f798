/* test_decode_tcp.c — TCP header fields, data offset corners and every option we parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_decode_util.h"

/* Decodes a raw IPv4 frame with these TCP options (padded with EOL to a multiple of 4). */
static enum decode_status with_options(const uint8_t *opts, size_t n, struct decode_packet *p)
{
	uint8_t padded[40] = {0};
	struct tf_frame f;
	memcpy(padded, opts, n);
	size_t len = (n + 3) / 4 * 4;
	tf_build(
	    &(struct tf_spec){
	        .link = DECODE_LINK_RAW, .tcp_opts = padded, .tcp_opts_len = len, .payload_len = 3},
	    &f);
	return tf_decode(&f, p);
}

static void header_fields(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .flags = 0xff, .payload_len = 5}, &f);
	tf_put16(f.b + f.tcp_off + 18, 0xbeef);
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	assert_int_equal(p.sport, TF_SPORT);
	assert_int_equal(p.dport, TF_DPORT);
	assert_int_equal(p.seq, TF_SEQ);
	assert_int_equal(p.ack, TF_ACK);
	assert_int_equal(p.window, TF_WIN);
	assert_int_equal(p.urgent, 0xbeef);
	assert_int_equal(p.data_offset, 20);
	assert_int_equal(p.flags, 0xff);
	assert_int_equal(p.payload_len, 5);
	assert_int_equal(p.payload_captured, 5);
	assert_memory_equal(p.payload, "abcde", 5);
	assert_false(p.tcp_options_malformed);
	assert_false(p.opts.has_mss || p.opts.has_wscale || p.opts.sack_permitted ||
	             p.opts.has_timestamps || p.opts.sack_count);
	/* each flag bit comes through on its own */
	for (int bit = 0; bit < 8; bit++) {
		tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .flags = (uint8_t)(1u << bit)},
		         &f);
		assert_int_equal(tf_decode(&f, &p), DECODE_OK);
		assert_int_equal(p.flags, 1u << bit);
	}
}

static void data_offset_corners(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	for (uint8_t doff = 0; doff < 5; doff++) {
		tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .payload_len = 40}, &f);
		f.b[f.tcp_off + 12] = (uint8_t)(doff << 4);
		assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	}
	/* data offset beyond the segment the IP header describes */
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .payload_len = 8}, &f);
	f.b[f.tcp_off + 12] = 8 << 4; /* 32 > 28 */
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	/* exactly the segment: no payload */
	f.b[f.tcp_off + 12] = 7 << 4;
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	assert_int_equal(p.payload_len, 0);
	/* within the segment but beyond what was captured */
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .payload_len = 100}, &f);
	f.b[f.tcp_off + 12] = 15 << 4;
	assert_int_equal(decode_frame(f.link, f.b, f.tcp_off + 40, &p), DECODE_TRUNCATED);
	/* segment shorter than a TCP header */
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW}, &f);
	tf_put16(f.b + 2, 20 + 12);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
}

static void syn_options(void **state)
{
	const uint8_t o[] = {2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6, 1, 3, 3, 7};
	struct decode_packet p;
	assert_int_equal(with_options(o, sizeof(o), &p), DECODE_OK);
	assert_false(p.tcp_options_malformed);
	assert_true(p.opts.has_mss);
	assert_int_equal(p.opts.mss, 65495);
	assert_true(p.opts.sack_permitted);
	assert_true(p.opts.has_timestamps);
	assert_int_equal(p.opts.ts_val, 5);
	assert_int_equal(p.opts.ts_ecr, 6);
	assert_true(p.opts.has_wscale);
	assert_int_equal(p.opts.wscale, 7);
	assert_int_equal(p.data_offset, 40);
	assert_int_equal(p.payload_len, 3);
}

static void sack_blocks(void **state)
{
	for (uint8_t n = 1; n <= 4; n++) {
		uint8_t o[36] = {1, 1, 5, (uint8_t)(2 + 8 * n)};
		for (uint8_t i = 0; i < n; i++) {
			tf_put32(o + 4 + 8 * i, 1000u * (i + 1));
			tf_put32(o + 8 + 8 * i, 1000u * (i + 1) + 500);
		}
		struct decode_packet p;
		assert_int_equal(with_options(o, 4 + 8 * n, &p), DECODE_OK);
		assert_false(p.tcp_options_malformed);
		assert_int_equal(p.opts.sack_count, n);
		for (uint8_t i = 0; i < n; i++) {
			assert_int_equal(p.opts.sack[i][0], 1000u * (i + 1));
			assert_int_equal(p.opts.sack[i][1], 1000u * (i + 1) + 500);
		}
	}
	/* SACK with no block, or a length that is not 2 + 8n */
	const uint8_t empty[] = {5, 2, 1, 1};
	const uint8_t odd[] = {5, 6, 0, 0, 0, 1, 1, 1};
	struct decode_packet p;
	assert_int_equal(with_options(empty, sizeof(empty), &p), DECODE_OK);
	assert_true(p.tcp_options_malformed);
	assert_int_equal(p.opts.sack_count, 0);
	assert_int_equal(with_options(odd, sizeof(odd), &p), DECODE_OK);
	assert_true(p.tcp_options_malformed);
}

static void option_length_zero_or_one(void **state)
{
	for (uint8_t len = 0; len < 2; len++) {
		/* MSS parsed before the bad option is kept; nothing after it is trusted */
		const uint8_t o[] = {2, 4, 0x05, 0xb4, 30, len, 3, 3, 7, 1, 1, 1};
		struct decode_packet p;
		assert_int_equal(with_options(o, sizeof(o), &p), DECODE_OK);
		assert_true(p.tcp_options_malformed);
		assert_true(p.opts.has_mss);
		assert_int_equal(p.opts.mss, 1460);
		assert_false(p.opts.has_wscale);
		/* the segment itself is still described */
		assert_int_equal(p.seq, TF_SEQ);
		assert_int_equal(p.payload_len, 3);
	}
}

static void option_running_past_header(void **state)
{
	const uint8_t o[] = {1, 1, 8, 10, 0, 0, 0, 1}; /* timestamps need 10, 6 remain */
	struct decode_packet p;
	assert_int_equal(with_options(o, sizeof(o), &p), DECODE_OK);
	assert_true(p.tcp_options_malformed);
	assert_false(p.opts.has_timestamps);
	/* a kind byte as the very last byte: no room for its length */
	const uint8_t last[] = {1, 1, 1, 2};
	assert_int_equal(with_options(last, sizeof(last), &p), DECODE_OK);
	assert_true(p.tcp_options_malformed);
}

static void known_kind_wrong_length(void **state)
{
	const uint8_t o[] = {2, 3, 5, 3, 3, 7, 0, 0}; /* MSS of length 3, then a good WS */
	struct decode_packet p;
	assert_int_equal(with_options(o, sizeof(o), &p), DECODE_OK);
	assert_true(p.tcp_options_malformed);
	assert_false(p.opts.has_mss);
	assert_true(p.opts.has_wscale);
	assert_int_equal(p.opts.wscale, 7);
}

static void unknown_options_skipped_and_eol_stops(void **state)
{
	/* TFO cookie (34) and MPTCP (30) skipped by length; EOL ends parsing */
	const uint8_t o[] = {34, 6, 9, 9, 9, 9, 30, 4, 0, 0, 2, 4, 0x10, 0x00, 0, 3, 3, 7};
	struct decode_packet p;
	assert_int_equal(with_options(o, sizeof(o), &p), DECODE_OK);
	assert_false(p.tcp_options_malformed);
	assert_true(p.opts.has_mss);
	assert_int_equal(p.opts.mss, 4096);
	assert_false(p.opts.has_wscale); /* after EOL */
}

static void truncated_at_every_byte(void **state)
{
	const uint8_t o[] = {1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
	struct tf_frame f;
	char why[160];
	tf_build(&(struct tf_spec){.tcp_opts = o, .tcp_opts_len = sizeof(o), .payload_len = 11},
	         &f);
	if (!tf_check_prefixes(&f, 11, why, sizeof(why)))
		fail_msg("%s", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(header_fields),
	    cmocka_unit_test(data_offset_corners),
	    cmocka_unit_test(syn_options),
	    cmocka_unit_test(sack_blocks),
	    cmocka_unit_test(option_length_zero_or_one),
	    cmocka_unit_test(option_running_past_header),
	    cmocka_unit_test(known_kind_wrong_length),
	    cmocka_unit_test(unknown_options_skipped_and_eol_stops),
	    cmocka_unit_test(truncated_at_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
