/* test_decode_link.c — every supported link type, VLAN/QinQ tags, NULL in both byte orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_decode_util.h"

static void expect_tcp(const struct tf_spec *s, int ipver)
{
	struct tf_frame f;
	struct decode_packet p;
	tf_build(s, &f);
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	assert_int_equal(p.ip_version, ipver);
	assert_int_equal(p.sport, TF_SPORT);
	assert_int_equal(p.dport, TF_DPORT);
	assert_int_equal(p.seq, TF_SEQ);
	assert_int_equal(p.payload_len, s->payload_len);
	assert_int_equal(p.payload_captured, s->payload_len);
	if (s->payload_len)
		assert_memory_equal(p.payload, "abc", 3);
}

static void assert_prefixes(const struct tf_spec *s)
{
	struct tf_frame f;
	char why[160] = "";
	tf_build(s, &f);
	if (!tf_check_prefixes(&f, (uint32_t)s->payload_len, why, sizeof(why)))
		fail_msg("link %s: %s", decode_link_name(f.link), why);
}

static const int all_links[] = {DECODE_LINK_EN10MB, DECODE_LINK_LINUX_SLL, DECODE_LINK_LINUX_SLL2,
                                DECODE_LINK_NULL,   DECODE_LINK_LOOP,      DECODE_LINK_RAW,
                                DECODE_LINK_RAW_ALT};

static void each_link_both_versions(void **state)
{
	for (size_t i = 0; i < sizeof(all_links) / sizeof(all_links[0]); i++) {
		for (int v = 4; v <= 6; v += 2) {
			struct tf_spec s = {.link = all_links[i],
			                    .null_link = all_links[i] == DECODE_LINK_NULL,
			                    .ipver = v,
			                    .payload_len = 5};
			expect_tcp(&s, v);
		}
	}
	expect_tcp(&(struct tf_spec){.link = DECODE_LINK_IPV4, .payload_len = 3}, 4);
	expect_tcp(&(struct tf_spec){.link = DECODE_LINK_IPV6, .ipver = 6, .payload_len = 3}, 6);
}

static void ipv4_ipv6_links_reject_other_version(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	tf_build(&(struct tf_spec){.link = DECODE_LINK_IPV4, .ipver = 6}, &f);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	tf_build(&(struct tf_spec){.link = DECODE_LINK_IPV6, .ipver = 4}, &f);
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
	/* Ethernet type says IPv4 but the header is IPv6 */
	tf_build(&(struct tf_spec){.ipver = 6}, &f);
	f.b[12] = 0x08;
	f.b[13] = 0x00;
	assert_int_equal(tf_decode(&f, &p), DECODE_MALFORMED);
}

static void vlan_tags(void **state)
{
	/* 802.1Q, QinQ (802.1ad outer + 802.1Q inner), the old 0x9100, and a triple stack */
	expect_tcp(&(struct tf_spec){.vlan_tags = 1, .tag_type = {0x8100}, .payload_len = 3}, 4);
	expect_tcp(&(struct tf_spec){.vlan_tags = 2, .tag_type = {0x88a8, 0x8100}, .ipver = 6}, 6);
	expect_tcp(&(struct tf_spec){.vlan_tags = 2, .tag_type = {0x9100, 0x8100}}, 4);
	expect_tcp(&(struct tf_spec){.vlan_tags = 3, .tag_type = {0x88a8, 0x9100, 0x8100}}, 4);
	assert_prefixes(
	    &(struct tf_spec){.vlan_tags = 2, .tag_type = {0x88a8, 0x8100}, .payload_len = 4});
}

static void ethernet_other_types_are_not_tcp(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	const uint16_t types[] = {0x0806 /* ARP */, 0x88cc /* LLDP */, 0x0040 /* 802.3 length */};
	for (size_t i = 0; i < 3; i++) {
		tf_build(&(struct tf_spec){0}, &f);
		tf_put16(f.b + 12, types[i]);
		assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
	}
	/* ARP behind a VLAN tag */
	tf_build(&(struct tf_spec){.vlan_tags = 1, .tag_type = {0x8100}}, &f);
	tf_put16(f.b + 16, 0x0806);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
	/* UDP over IPv4 */
	tf_build(&(struct tf_spec){.proto = 17}, &f);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
}

static void ethernet_padding_is_not_payload(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	/* a bare ACK is 54 bytes on Ethernet; the NIC pads to 60 */
	tf_build(&(struct tf_spec){.flags = DECODE_TCP_ACK, .pad = 6}, &f);
	assert_int_equal(f.len, 60);
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	assert_int_equal(p.payload_len, 0);
	assert_int_equal(p.payload_captured, 0);
}

static void null_family_both_byte_orders(void **state)
{
	const uint32_t v6_families[] = {10, 24, 28, 30};
	for (int be = 0; be <= 1; be++) {
		expect_tcp(
		    &(struct tf_spec){.null_link = true, .null_family = 2, .null_big_endian = be},
		    4);
		for (size_t i = 0; i < 4; i++)
			expect_tcp(&(struct tf_spec){.null_link = true,
			                             .ipver = 6,
			                             .null_family = v6_families[i],
			                             .null_big_endian = be},
			           6);
	}
	struct tf_frame f;
	struct decode_packet p;
	tf_build(&(struct tf_spec){.null_link = true, .null_family = 7}, &f);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
	tf_build(&(struct tf_spec){.null_link = true, .null_family = 0}, &f);
	memset(f.b, 0, 4);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
}

static void loop_is_network_order_only(void **state)
{
	expect_tcp(&(struct tf_spec){.link = DECODE_LINK_LOOP, .null_family = 2}, 4);
	expect_tcp(&(struct tf_spec){.link = DECODE_LINK_LOOP, .ipver = 6, .null_family = 24}, 6);
	struct tf_frame f;
	struct decode_packet p;
	/* AF_INET written little-endian is not a LOOP header */
	tf_build(&(struct tf_spec){.link = DECODE_LINK_LOOP}, &f);
	f.b[0] = 2;
	f.b[3] = 0;
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
}

static void sll_headers(void **state)
{
	struct tf_frame f;
	struct decode_packet p;
	tf_build(&(struct tf_spec){.link = DECODE_LINK_LINUX_SLL}, &f);
	assert_int_equal(f.ip_off, 16);
	tf_put16(f.b + 14, 0x0806);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
	tf_build(&(struct tf_spec){.link = DECODE_LINK_LINUX_SLL2, .ipver = 6}, &f);
	assert_int_equal(f.ip_off, 20);
	assert_int_equal(tf_decode(&f, &p), DECODE_OK);
	tf_put16(f.b, 0x0806);
	assert_int_equal(tf_decode(&f, &p), DECODE_NOT_TCP);
}

static void unknown_links_unsupported(void **state)
{
	const int unknown[] = {-1, 2, 105 /* 802.11 */, 127, 227, 230, 275, 277, 100000};
	struct tf_frame f;
	struct decode_packet p;
	tf_build(&(struct tf_spec){.link = DECODE_LINK_RAW}, &f);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(decode_frame(unknown[i], f.b, f.len, &p), DECODE_UNSUPPORTED);
		assert_false(decode_link_supported(unknown[i]));
	}
	for (size_t i = 0; i < sizeof(all_links) / sizeof(all_links[0]); i++)
		assert_true(decode_link_supported(all_links[i]));
	assert_true(decode_link_supported(DECODE_LINK_IPV4));
	assert_true(decode_link_supported(DECODE_LINK_IPV6));
}

static void truncated_at_every_byte_every_link(void **state)
{
	for (size_t i = 0; i < sizeof(all_links) / sizeof(all_links[0]); i++) {
		for (int v = 4; v <= 6; v += 2) {
			uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0};
			struct tf_spec s = {.link = all_links[i],
			                    .null_link = all_links[i] == DECODE_LINK_NULL,
			                    .ipver = v,
			                    .tcp_opts = ts,
			                    .tcp_opts_len = sizeof(ts),
			                    .payload_len = 7};
			assert_prefixes(&s);
		}
	}
	assert_prefixes(&(struct tf_spec){.link = DECODE_LINK_IPV4, .payload_len = 2});
	assert_prefixes(&(struct tf_spec){.link = DECODE_LINK_IPV6, .ipver = 6, .payload_len = 2});
	assert_prefixes(&(struct tf_spec){.pad = 6});
}

static void empty_and_null_buffers(void **state)
{
	struct decode_packet p;
	for (size_t i = 0; i < sizeof(all_links) / sizeof(all_links[0]); i++)
		assert_int_equal(decode_frame(all_links[i], NULL, 0, &p), DECODE_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_link_both_versions),
	    cmocka_unit_test(ipv4_ipv6_links_reject_other_version),
	    cmocka_unit_test(vlan_tags),
	    cmocka_unit_test(ethernet_other_types_are_not_tcp),
	    cmocka_unit_test(ethernet_padding_is_not_payload),
	    cmocka_unit_test(null_family_both_byte_orders),
	    cmocka_unit_test(loop_is_network_order_only),
	    cmocka_unit_test(sll_headers),
	    cmocka_unit_test(unknown_links_unsupported),
	    cmocka_unit_test(truncated_at_every_byte_every_link),
	    cmocka_unit_test(empty_and_null_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
