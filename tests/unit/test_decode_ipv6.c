/* test_decode_ipv6.c — IPv6 header and the extension-header walk down to TCP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_decode_util.h"

enum {
	HOP = 0,
	TCP = 6,
	UDP = 17,
	ROUTING = 43,
	FRAG = 44,
	ESP = 50,
	AH = 51,
	NONE = 59,
	DEST = 60
};

/* Appends one extension header (kind, then next) to buf at *n. */
static void ext(uint8_t *buf, size_t *n, uint8_t kind, uint8_t next, uint16_t frag_field)
{
	uint8_t *p = buf + *n;
	switch (kind) {
	case HOP:
	case DEST: /* 16 bytes: hdrlen 1, PadN filling the rest */
		memset(p, 0, 16);
		p[0] = next;
		p[1] = 1;
		p[2] = 1;
		p[3] = 12;
		*n += 16;
		break;
	case ROUTING: /* 8 bytes, no segments left */
		memset(p, 0, 8);
		p[0] = next;
		p[2] = 4;
		*n += 8;
		break;
	case FRAG:
		memset(p, 0, 8);
		p[0] = next;
		tf_put16(p + 2, frag_field);
		tf_put32(p + 4, 0xabcd);
		*n += 8;
		break;
	case AH: /* payload len 4: (4 + 2) * 4 = 24 bytes */
		memset(p, 0, 24);
		p[0] = next;
		p[1] = 4;
		*n += 24;
		break;
	}
}

static enum decode_status decode_chain(const uint8_t *kinds, size_t count, uint16_t frag_field,
                                       struct decode_packet *p, struct tf_frame *f)
{
	uint8_t chain[512];
	size_t n = 0;
	for (size_t i = 0; i < count; i++)
		ext(chain, &n, kinds[i], i + 1 < count ? kinds[i + 1] : TCP, frag_field);
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW,
	                           .ipver = 6,
	                           .proto = count ? kinds[0] : TCP,
	                           .v6_ext = chain,
	                           .v6_ext_len = n,
	                           .payload_len = 6},
	         f);
	if (count)
		f->b[f->ip_off + 6] = kinds[0]; /* tf_spec.proto cannot say 0 (hop-by-hop) */
	return decode_frame(f->link, f->b, f->len, p);
}

static void plain_header_fields(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	assert_int_equal(decode_chain(NULL, 0, 0, &p, &f), DECODE_OK);
	assert_int_equal(p.ip_version, 6);
	assert_int_equal(p.ttl, 63);
	assert_int_equal(p.src.family, 6);
	assert_memory_equal(p.src.bytes, tf_v6_src, 16);
	assert_memory_equal(p.dst.bytes, tf_v6_dst, 16);
	assert_false(p.ip_has_options);
	assert_int_equal(p.payload_len, 6);
	assert_ptr_equal(p.payload, f.b + 60);
}

static void extension_chain_walked(void **state)
{
	const uint8_t chain[] = {HOP, DEST, ROUTING, AH, DEST};
	struct tf_frame f;
	struct decode_packet p;
	assert_int_equal(decode_chain(chain, 5, 0, &p, &f), DECODE_OK);
	assert_true(p.ip_has_options);
	assert_int_equal(p.sport, TF_SPORT);
	assert_int_equal(p.payload_len, 6);
	assert_ptr_equal(p.payload, f.b + f.payload_off);
	char why[160];
	if (!tf_check_prefixes(&f, 6, why, sizeof(why)))
		fail_msg("%s", why);
}

static void fragment_header(void **state)
{
	const uint8_t chain[] = {HOP, FRAG};
	struct tf_frame f;
	struct decode_packet p;
	/* offset 0 with M: the TCP header follows */
	assert_int_equal(decode_chain(chain, 2, 0x0001, &p, &f), DECODE_OK);
	assert_true(p.ip_first_fragment);
	/* an atomic fragment (offset 0, no M) is a whole packet */
	assert_int_equal(decode_chain(chain, 2, 0x0000, &p, &f), DECODE_OK);
	assert_false(p.ip_first_fragment);
	/* later fragments, with or without M */
	assert_int_equal(decode_chain(chain, 2, 0x0008, &p, &f), DECODE_FRAGMENT);
	assert_int_equal(decode_chain(chain, 2, 0x0009, &p, &f), DECODE_FRAGMENT);
	assert_int_equal(decode_chain(chain + 1, 1, 0xfff8, &p, &f), DECODE_FRAGMENT);
	char why[160];
	decode_chain(chain, 2, 0x0001, &p, &f);
	if (!tf_check_prefixes(&f, 6, why, sizeof(why)))
		fail_msg("%s", why);
}

static void not_tcp_next_headers(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	const uint8_t stops[] = {ESP, NONE, UDP, 58 /* ICMPv6 */, 135 /* mobility */};
	for (size_t i = 0; i < sizeof(stops); i++) {
		tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW, .ipver = 6, .proto = stops[i]},
		         &f);
		assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
	}
	/* behind an extension header too */
	const uint8_t chain[] = {HOP};
	decode_chain(chain, 1, 0, &p, &f);
	f.b[40] = ESP;
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
}

static void walk_is_capped(void **state)
{
	uint8_t chain[17];
	struct tf_frame f;
	struct decode_packet p;
	memset(chain, DEST, sizeof(chain));
	assert_int_equal(decode_chain(chain, 16, 0, &p, &f), DECODE_OK);
	assert_int_equal(decode_chain(chain, 17, 0, &p, &f), DECODE_MALFORMED);
}

static void lengths_contradicting(void **state)
{
	const uint8_t chain[] = {HOP, DEST};
	struct tf_frame f;
	struct decode_packet p;
	/* an extension header longer than the payload length */
	decode_chain(chain, 2, 0, &p, &f);
	tf_put16(f.b + 4, 20);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	/* room for the extension headers but not for TCP */
	tf_put16(f.b + 4, 32 + 19);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	/* jumbogram (payload length 0): not supported, malformed */
	decode_chain(chain, 2, 0, &p, &f);
	tf_put16(f.b + 4, 0);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	decode_chain(NULL, 0, 0, &p, &f);
	tf_put16(f.b + 4, 0);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	/* payload length beyond the capture: TCP decoded, payload counted from IP */
	decode_chain(NULL, 0, 0, &p, &f);
	tf_put16(f.b + 4, 20 + 500);
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	assert_int_equal(p.payload_len, 500);
	assert_int_equal(p.payload_captured, 6);
}

static void extension_header_cut_by_capture(void **state)
{
	const uint8_t chain[] = {HOP, DEST};
	struct tf_frame f;
	struct decode_packet p;
	decode_chain(chain, 2, 0, &p, &f);
	/* capture ends inside the destination-options header */
	assert_int_equal(decode_frame(f.link, f.b, 40 + 16 + 10, &p), DECODE_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_header_fields),
	    cmocka_unit_test(extension_chain_walked),
	    cmocka_unit_test(fragment_header),
	    cmocka_unit_test(not_tcp_next_headers),
	    cmocka_unit_test(walk_is_capped),
	    cmocka_unit_test(lengths_contradicting),
	    cmocka_unit_test(extension_header_cut_by_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
