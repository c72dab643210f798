/* link.c — link-layer headers (Ethernet + VLAN tags, Linux SLL/SLL2, NULL/LOOP, raw IP). */
#include "decode_fast.h"
#include "internal.h"

#include <string.h>

#define ETHERTYPE_IPV4       0x0800
#define ETHERTYPE_IPV6       0x86dd
#define ETHERTYPE_VLAN       0x8100 /* 802.1Q */
#define ETHERTYPE_QINQ       0x88a8 /* 802.1ad service tag */
#define ETHERTYPE_QINQ_OLD   0x9100 /* pre-standard QinQ, still seen */
#define ETHERTYPE_MAX_LENGTH 0x05dc /* up to here the field is an 802.3 length, not a type */

/* After an ethertype field: skip any VLAN tags, then the IP header. */
static enum decode_status from_ethertype(struct decode_cursor *c, uint16_t type,
                                         struct decode_packet *out)
{
	/* Each tag consumes 4 bytes, so the loop ends when the capture does. */
	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
		decode_cursor_skip(c, 2); /* priority, DEI, VLAN id */
		type = decode_cursor_u16be(c);
		if (!decode_cursor_ok(c))
			return DECODE_TRUNCATED;
	}
	if (type == ETHERTYPE_IPV4)
		return decode_ip_parse(c, 4, out);
	if (type == ETHERTYPE_IPV6)
		return decode_ip_parse(c, 6, out);
	return DECODE_NOT_TCP;
}

/* BSD address families for IPv6 differ per system; a capture may come from any of them. */
static int family_to_version(uint32_t family)
{
	switch (family) {
	case 2: /* AF_INET everywhere */
		return 4;
	case 10: /* Linux */
	case 24: /* OpenBSD, NetBSD */
	case 28: /* FreeBSD */
	case 30: /* macOS */
		return 6;
	default:
		return 0;
	}
}

static enum decode_status null_loop(struct decode_cursor *c, bool any_order,
                                    struct decode_packet *out)
{
	uint32_t family = decode_cursor_u32be(c);
	if (!decode_cursor_ok(c))
		return DECODE_TRUNCATED;
	/* DLT_NULL is in the capturing host's order: families are small, so a value with only
	 * high bits set was written little-endian. */
	if (any_order && (family & 0xffff) == 0)
		family = (family >> 24) | ((family >> 8) & 0xff00) | ((family << 8) & 0xff0000) |
		         (family << 24);
	int version = family_to_version(family);
	if (!version)
		return DECODE_NOT_TCP;
	return decode_ip_parse(c, version, out);
}

/* Any frame, field by field through the cursor (every frame the fast path turns down). */
static enum decode_status decode_general(int link, const uint8_t *buf, size_t caplen,
                                         struct decode_packet *out)
{
	struct decode_cursor c;
	const uint8_t *h;
	memset(out, 0, sizeof(*out));
	decode_cursor_init(&c, buf, caplen);

	switch (link) {
	case DECODE_LINK_EN10MB:
		/* destination, source MAC, then the type: one length check for all 14 bytes */
		if (!(h = decode_cursor_span(&c, 14)))
			return DECODE_TRUNCATED;
		return from_ethertype(&c, decode_be16(h + 12), out);
	case DECODE_LINK_LINUX_SLL:
		/* packet type, ARPHRD, address length, 8 address bytes, then the protocol */
		if (!(h = decode_cursor_span(&c, 16)))
			return DECODE_TRUNCATED;
		return from_ethertype(&c, decode_be16(h + 14), out);
	case DECODE_LINK_LINUX_SLL2:
		/* protocol first, then reserved, ifindex, ARPHRD, packet type, address len + 8 bytes */
		if (!(h = decode_cursor_span(&c, 20)))
			return DECODE_TRUNCATED;
		return from_ethertype(&c, decode_be16(h), out);
	case DECODE_LINK_NULL:
		return null_loop(&c, true, out);
	case DECODE_LINK_LOOP:
		return null_loop(&c, false, out);
	case DECODE_LINK_RAW:
	case DECODE_LINK_RAW_ALT:
		return decode_ip_parse(&c, 0, out);
	case DECODE_LINK_IPV4:
		return decode_ip_parse(&c, 4, out);
	case DECODE_LINK_IPV6:
		return decode_ip_parse(&c, 6, out);
	default:
		return DECODE_UNSUPPORTED;
	}
}

enum decode_status decode_frame_hashed(int link, const uint8_t *buf, size_t caplen,
                                       struct decode_packet *out, uint32_t *hash)
{
	/* The common frame first: the fast path sets every field itself, which is cheaper than
	 * clearing the whole struct ahead (a string store) and then writing most of it again,
	 * and works the hash out from the header words it holds. */
	if (link == DECODE_LINK_EN10MB && decode_fast_en10mb_ipv4_tcp(buf, caplen, out, hash))
		return DECODE_OK;
	enum decode_status st = decode_general(link, buf, caplen, out);
	if (st == DECODE_OK && hash)
		*hash = decode_tuple_hash(out);
	return st;
}

enum decode_status decode_frame(int link, const uint8_t *buf, size_t caplen,
                                struct decode_packet *out)
{
	return decode_frame_hashed(link, buf, caplen, out, NULL);
}

bool decode_link_supported(int link)
{
	switch (link) {
	case DECODE_LINK_NULL:
	case DECODE_LINK_EN10MB:
	case DECODE_LINK_RAW:
	case DECODE_LINK_RAW_ALT:
	case DECODE_LINK_LOOP:
	case DECODE_LINK_LINUX_SLL:
	case DECODE_LINK_IPV4:
	case DECODE_LINK_IPV6:
	case DECODE_LINK_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}
