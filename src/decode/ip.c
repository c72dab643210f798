/* ip.c — IPv4 (options, fragments) and IPv6 (extension-header walk) down to the TCP header. */
#include "internal.h"

#include <string.h>

#define IPPROTO_NUM_TCP     6
#define IP6_MAX_EXT_HEADERS 16 /* more than any real packet has; bounds the walk */

static enum decode_status ipv4(struct decode_cursor *c, struct decode_packet *out)
{
	size_t avail = decode_cursor_remaining(c);
	/* One length check for the fixed 20 bytes, then plain loads from them. */
	const uint8_t *h = decode_cursor_span(c, 20);
	if (!h)
		return DECODE_TRUNCATED;
	uint8_t vihl = h[0];
	uint16_t total = decode_be16(h + 2);
	uint16_t frag = decode_be16(h + 6);
	/* h[10..11]: checksum, not checked: offload leaves it wrong on capture */
	out->src.family = out->dst.family = 4;
	memcpy(out->src.bytes, h + 12, 4);
	memcpy(out->dst.bytes, h + 16, 4);

	size_t hlen = (size_t)(vihl & 0x0f) * 4;
	/* Contradictions first: they hold whatever was captured. */
	if (hlen < 20 || total < hlen)
		return DECODE_MALFORMED;
	if (hlen > avail)
		return DECODE_TRUNCATED;
	decode_cursor_skip(c, hlen - 20); /* options */

	out->ip_version = 4;
	out->ttl = h[8];
	out->ip_has_options = hlen > 20;
	if (h[9] != IPPROTO_NUM_TCP)
		return DECODE_NOT_TCP;
	if ((frag & 0x1fff) != 0)
		return DECODE_FRAGMENT;
	/* A first fragment still starts with the TCP header; its lengths cover this fragment only. */
	out->ip_first_fragment = (frag & 0x2000) != 0;

	size_t seg_len = total - hlen;
	size_t captured = decode_cursor_remaining(c);
	struct decode_cursor seg = decode_cursor_sub(c, captured < seg_len ? captured : seg_len);
	return decode_tcp_parse(&seg, seg_len, out);
}

/* One IPv6 extension header; *nh and *left are updated to what follows it. */
static enum decode_status ipv6_ext(struct decode_cursor *c, uint8_t *nh, size_t *left,
                                   struct decode_packet *out)
{
	size_t len;
	uint8_t next, hdrlen;
	switch (*nh) {
	case 0:  /* hop-by-hop options */
	case 43: /* routing */
	case 60: /* destination options */
	case 51: /* AH: its length counts 4-byte units minus 2 (RFC 4302), the others 8-byte units */
		if (*left < 8)
			return DECODE_MALFORMED;
		next = decode_cursor_u8(c);
		hdrlen = decode_cursor_u8(c);
		if (!decode_cursor_ok(c))
			return DECODE_TRUNCATED;
		len = *nh == 51 ? ((size_t)hdrlen + 2) * 4 : ((size_t)hdrlen + 1) * 8;
		if (len > *left)
			return DECODE_MALFORMED;
		decode_cursor_skip(c, len - 2);
		break;
	case 44: { /* fragment: fixed 8 bytes */
		if (*left < 8)
			return DECODE_MALFORMED;
		next = decode_cursor_u8(c);
		decode_cursor_skip(c, 1);
		uint16_t offm = decode_cursor_u16be(c);
		decode_cursor_skip(c, 4); /* identification */
		len = 8;
		if (!decode_cursor_ok(c))
			return DECODE_TRUNCATED;
		if ((offm >> 3) != 0)
			return DECODE_FRAGMENT;
		if (offm & 1)
			out->ip_first_fragment = true;
		break;
	}
	default: /* ESP (50) hides what follows; no-next-header (59); UDP, ICMPv6, ... */
		return DECODE_NOT_TCP;
	}
	if (!decode_cursor_ok(c))
		return DECODE_TRUNCATED;
	out->ip_has_options = true;
	*nh = next;
	*left -= len;
	return DECODE_OK;
}

static enum decode_status ipv6(struct decode_cursor *c, struct decode_packet *out)
{
	decode_cursor_skip(c, 4); /* version, traffic class, flow label */
	uint16_t plen = decode_cursor_u16be(c);
	uint8_t nh = decode_cursor_u8(c);
	uint8_t hlim = decode_cursor_u8(c);
	out->src.family = out->dst.family = 6;
	decode_cursor_bytes(c, out->src.bytes, 16);
	decode_cursor_bytes(c, out->dst.bytes, 16);
	if (!decode_cursor_ok(c))
		return DECODE_TRUNCATED;
	out->ip_version = 6;
	out->ttl = hlim;

	/* Payload length 0 means a jumbogram (RFC 2675); not supported, so the walk finds it
	 * malformed (no room for any header). */
	size_t left = plen;
	for (int n = 0; nh != IPPROTO_NUM_TCP; n++) {
		if (n >= IP6_MAX_EXT_HEADERS)
			return DECODE_MALFORMED;
		enum decode_status st = ipv6_ext(c, &nh, &left, out);
		if (st != DECODE_OK)
			return st;
	}
	size_t captured = decode_cursor_remaining(c);
	struct decode_cursor seg = decode_cursor_sub(c, captured < left ? captured : left);
	return decode_tcp_parse(&seg, left, out);
}

enum decode_status decode_ip_parse(struct decode_cursor *c, int want_version,
                                   struct decode_packet *out)
{
	uint8_t first;
	if (!decode_cursor_peek_u8(c, 0, &first))
		return DECODE_TRUNCATED;
	int version = first >> 4;
	if (want_version && version != want_version)
		return DECODE_MALFORMED;
	if (version == 4)
		return ipv4(c, out);
	if (version == 6)
		return ipv6(c, out);
	return DECODE_MALFORMED;
}

enum decode_status decode_ip(const uint8_t *buf, size_t caplen, struct decode_packet *out)
{
	struct decode_cursor c;
	memset(out, 0, sizeof(*out));
	decode_cursor_init(&c, buf, caplen);
	return decode_ip_parse(&c, 0, out);
}
