/* test_decode_fast.c — the Ethernet/IPv4/TCP fast path decodes exactly as the general path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_decode_util.h"
#include "decode/decode_fast.h"

#define ETH 14

/* The general path for the same bytes: link type IPV4 on the frame minus its Ethernet header
 * never takes the fast path. Same status, and on OK the same fields (payload at the same
 * byte). */
static void assert_same_as_general(const uint8_t *b, size_t len)
{
	struct decode_packet fast, gen;
	/* Garbage first: the fast path sets every field itself (no clearing ahead of it), and
	 * one it forgot would show here as a difference. */
	memset(&fast, 0xa5, sizeof fast);
	memset(&gen, 0x5a, sizeof gen);
	enum decode_status sf = decode_frame(DECODE_LINK_EN10MB, b, len, &fast);
	enum decode_status sg = decode_frame(DECODE_LINK_IPV4, b + ETH, len - ETH, &gen);
	assert_int_equal(sf, sg);
	/* decode_frame_hashed (the fast path's own hash, or the general path's): same status,
	 * and the hash decode_tuple_hash gives for the segment */
	struct decode_packet hp;
	uint32_t hf = 0, hg = 0;
	assert_int_equal(decode_frame_hashed(DECODE_LINK_EN10MB, b, len, &hp, &hf), sf);
	assert_int_equal(decode_frame_hashed(DECODE_LINK_IPV4, b + ETH, len - ETH, &hp, &hg), sg);
	if (sf != DECODE_OK)
		return;
	assert_int_equal(hf, decode_tuple_hash(&fast));
	assert_int_equal(hg, decode_tuple_hash(&gen));
	assert_ptr_equal(fast.payload, gen.payload);
	fast.payload = gen.payload = NULL;
	assert_memory_equal(&fast.src, &gen.src, sizeof fast.src);
	assert_memory_equal(&fast.dst, &gen.dst, sizeof fast.dst);
	assert_int_equal(fast.sport, gen.sport);
	assert_int_equal(fast.dport, gen.dport);
	assert_int_equal(fast.seq, gen.seq);
	assert_int_equal(fast.ack, gen.ack);
	assert_int_equal(fast.flags, gen.flags);
	assert_int_equal(fast.window, gen.window);
	assert_int_equal(fast.urgent, gen.urgent);
	assert_int_equal(fast.data_offset, gen.data_offset);
	assert_int_equal(fast.payload_len, gen.payload_len);
	assert_int_equal(fast.payload_captured, gen.payload_captured);
	assert_int_equal(fast.ip_version, gen.ip_version);
	assert_int_equal(fast.ttl, gen.ttl);
	assert_int_equal(fast.ip_has_options, gen.ip_has_options);
	assert_int_equal(fast.ip_first_fragment, gen.ip_first_fragment);
	assert_int_equal(fast.tcp_options_malformed, gen.tcp_options_malformed);
	const struct decode_tcp_options *x = &fast.opts, *y = &gen.opts;
	assert_int_equal(x->has_mss, y->has_mss);
	assert_int_equal(x->mss, y->mss);
	assert_int_equal(x->has_wscale, y->has_wscale);
	assert_int_equal(x->wscale, y->wscale);
	assert_int_equal(x->sack_permitted, y->sack_permitted);
	assert_int_equal(x->sack_count, y->sack_count);
	assert_memory_equal(x->sack, y->sack, sizeof x->sack);
	assert_int_equal(x->has_timestamps, y->has_timestamps);
	assert_int_equal(x->ts_val, y->ts_val);
	assert_int_equal(x->ts_ecr, y->ts_ecr);
}

static const uint8_t nop_nop_ts[12] = {1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
static const uint8_t syn_opts[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                     0, 9, 0,    0,    0, 0, 1, 3,  3, 7};
static const uint8_t sack_opts[12] = {1, 1, 5, 10, 0, 0, 0, 10, 0, 0, 0, 20};
static const uint8_t bad_opts[4] = {2, 1, 0, 0}; /* option length 1 */

static void check_frame(const struct tf_spec *spec)
{
	struct tf_frame f;
	tf_build(spec, &f);
	/* As built, cut at every length, and with each IP/TCP header byte changed. */
	for (size_t len = ETH; len <= f.len; len++)
		assert_same_as_general(f.b, len);
	uint8_t m[TF_MAX];
	static const uint8_t values[] = {0x00, 0xff, 0x45, 0x06, 0x50, 0x80, 0x11};
	for (size_t i = ETH; i < f.payload_off && i < f.len; i++) {
		for (size_t v = 0; v < sizeof values + 2; v++) {
			memcpy(m, f.b, f.len);
			m[i] = v < sizeof values ? values[v]
			                         : (uint8_t)(f.b[i] + (v == sizeof values ? 1 : 4));
			assert_same_as_general(m, f.len);
		}
	}
}

static void test_fast_path_matches_general_path(void **state)
{
	(void)state;
	const struct tf_spec specs[] = {
	    {.flags = DECODE_TCP_ACK},
	    {.flags = DECODE_TCP_ACK | DECODE_TCP_PSH,
	     .payload_len = 100,
	     .tcp_opts = nop_nop_ts,
	     .tcp_opts_len = sizeof nop_nop_ts},
	    {.flags = DECODE_TCP_SYN, .tcp_opts = syn_opts, .tcp_opts_len = sizeof syn_opts},
	    {.flags = DECODE_TCP_ACK, .tcp_opts = sack_opts, .tcp_opts_len = sizeof sack_opts},
	    {.flags = DECODE_TCP_ACK, .tcp_opts = bad_opts, .tcp_opts_len = sizeof bad_opts},
	    {.flags = DECODE_TCP_ACK, .pad = 6},                          /* Ethernet padding */
	    {.flags = DECODE_TCP_ACK, .payload_len = 30, .frag = 0x2000}, /* first fragment */
	    {.flags = DECODE_TCP_ACK, .frag = 0x0010},                    /* later fragment */
	    {.flags = DECODE_TCP_ACK, .ip_opts_len = 4},                  /* general path only */
	    {.flags = DECODE_TCP_ACK, .proto = 17},
	};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		check_frame(&specs[i]);
}

/* The fast path must still see what the general path sees in a plain data segment. */
static void test_fast_path_fields(void **state)
{
	(void)state;
	struct tf_frame f;
	tf_build(&(struct tf_spec){.flags = DECODE_TCP_ACK | DECODE_TCP_PSH,
	                           .payload_len = 7,
	                           .tcp_opts = nop_nop_ts,
	                           .tcp_opts_len = sizeof nop_nop_ts,
	                           .pad = 3},
	         &f);
	struct decode_packet p;
	assert_int_equal(decode_frame(DECODE_LINK_EN10MB, f.b, f.len, &p), DECODE_OK);
	assert_int_equal(p.sport, TF_SPORT);
	assert_int_equal(p.data_offset, 32);
	assert_int_equal(p.payload_len, 7);
	assert_int_equal(p.payload_captured, 7);
	assert_ptr_equal(p.payload, f.b + f.payload_off);
	assert_true(p.opts.has_timestamps);
	assert_int_equal(p.opts.ts_val, 256);
	assert_int_equal(p.opts.ts_ecr, 512);
	assert_false(p.tcp_options_malformed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fast_path_matches_general_path),
	    cmocka_unit_test(test_fast_path_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
