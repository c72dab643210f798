/* pcapgen_frame.c — builds link + IP + TCP headers with correct lengths and checksums. */
#include "pcapgen.h"

#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pcapgen_tcp_checksum(const struct decode_addr *src, const struct decode_addr *dst,
                              const uint8_t *seg, size_t len)
{
	uint8_t pseudo[40];
	size_t alen = src->family == 6 ? 16 : 4;
	memcpy(pseudo, src->bytes, alen);
	memcpy(pseudo + alen, dst->bytes, alen);
	if (src->family == 6) {
		put32(pseudo + 32, (uint32_t)len);
		put32(pseudo + 36, 6);
	} else {
		pseudo[8] = 0;
		pseudo[9] = 6;
		put16(pseudo + 10, (uint16_t)len);
	}
	uint32_t sum = sum_bytes(0, pseudo, src->family == 6 ? 40 : 12);
	return fold(sum_bytes(sum, seg, len));
}

/* Options in the order Linux puts them on a SYN (MSS, SACK-permitted + TS, NOP + WS), padded
 * with NOPs to a multiple of 4. Returns the length, or -1 if over 40 bytes. */
static int build_options(const struct pcapgen_segment *s, uint8_t *o)
{
	uint8_t tmp[64];
	size_t n = 0;
	if (s->has_mss) {
		tmp[n++] = 2;
		tmp[n++] = 4;
		put16(tmp + n, s->mss);
		n += 2;
	}
	if (s->sack_permitted && s->has_timestamps) {
		tmp[n++] = 4;
		tmp[n++] = 2;
	} else if (s->sack_permitted) {
		tmp[n++] = 1;
		tmp[n++] = 1;
		tmp[n++] = 4;
		tmp[n++] = 2;
	} else if (s->has_timestamps) {
		tmp[n++] = 1;
		tmp[n++] = 1;
	}
	if (s->has_timestamps) {
		tmp[n++] = 8;
		tmp[n++] = 10;
		put32(tmp + n, s->ts_val);
		put32(tmp + n + 4, s->ts_ecr);
		n += 8;
	}
	if (s->has_wscale) {
		tmp[n++] = 1;
		tmp[n++] = 3;
		tmp[n++] = 3;
		tmp[n++] = s->wscale;
	}
	if (s->sack_count) {
		tmp[n++] = 1;
		tmp[n++] = 1;
		tmp[n++] = 5;
		tmp[n++] = (uint8_t)(2 + 8 * s->sack_count);
		for (int i = 0; i < s->sack_count && i < PCAPGEN_MAX_SACK; i++) {
			put32(tmp + n, s->sack[i][0]);
			put32(tmp + n + 4, s->sack[i][1]);
			n += 8;
		}
	}
	while (n % 4)
		tmp[n++] = 1;
	if (n > 40)
		return -1;
	memcpy(o, tmp, n);
	return (int)n;
}

/* Writes the link header for an IP packet of version v; returns its length or -1. */
static int build_link(int link, int v, uint8_t *p)
{
	uint16_t ethertype = v == 6 ? 0x86dd : 0x0800;
	uint32_t family;
	switch (link) {
	case DECODE_LINK_EN10MB: /* loopback captures carry all-zero MACs */
		memset(p, 0, 12);
		put16(p + 12, ethertype);
		return 14;
	case DECODE_LINK_LINUX_SLL:
		memset(p, 0, 16);
		put16(p + 2, 772); /* ARPHRD_LOOPBACK */
		put16(p + 4, 6);
		put16(p + 14, ethertype);
		return 16;
	case DECODE_LINK_LINUX_SLL2:
		memset(p, 0, 20);
		put16(p, ethertype);
		put32(p + 4, 1); /* ifindex of lo */
		put16(p + 8, 772);
		p[11] = 6;
		return 20;
	case DECODE_LINK_NULL: /* host byte order; 24 is the BSD AF_INET6 every reader knows */
		family = v == 6 ? 24 : 2;
		memcpy(p, &family, 4);
		return 4;
	case DECODE_LINK_LOOP:
		put32(p, v == 6 ? 24 : 2);
		return 4;
	case DECODE_LINK_RAW:
	case DECODE_LINK_RAW_ALT:
		return 0;
	case DECODE_LINK_IPV4:
		return v == 4 ? 0 : -1;
	case DECODE_LINK_IPV6:
		return v == 6 ? 0 : -1;
	default:
		return -1;
	}
}

size_t pcapgen_build(int link, const struct pcapgen_segment *s, uint8_t *buf, size_t cap, char *err,
                     size_t errlen)
{
	uint8_t opts[40];
	int v = s->src.family == 6 ? 6 : 4;
	if (s->src.family != s->dst.family) {
		snprintf(err, errlen, "source and destination differ in address family");
		return 0;
	}
	int olen = build_options(s, opts);
	if (olen < 0) {
		snprintf(err, errlen, "TCP options need more than 40 bytes");
		return 0;
	}
	size_t tcp_len = 20 + (size_t)olen + s->len;
	size_t ip_hlen = v == 6 ? 40 : 20;
	if (ip_hlen + tcp_len > 65535 || 20 + ip_hlen + tcp_len > cap) {
		snprintf(err, errlen, "segment too large (%u payload bytes)", (unsigned)s->len);
		return 0;
	}
	int l = build_link(link, v, buf);
	if (l < 0) {
		snprintf(err, errlen, "link type %d cannot carry IPv%d", link, v);
		return 0;
	}
	uint8_t *ip = buf + l;
	memset(ip, 0, ip_hlen);
	if (v == 4) {
		ip[0] = 0x45;
		put16(ip + 2, s->set_iplen ? s->iplen : (uint16_t)(20 + tcp_len));
		put16(ip + 6, 0x4000); /* DF, as Linux sends TCP */
		ip[8] = s->ttl;
		ip[9] = 6;
		memcpy(ip + 12, s->src.bytes, 4);
		memcpy(ip + 16, s->dst.bytes, 4);
		put16(ip + 10, fold(sum_bytes(0, ip, 20)));
	} else {
		ip[0] = 0x60;
		put16(ip + 4, s->set_iplen ? s->iplen : (uint16_t)tcp_len);
		ip[6] = 6;
		ip[7] = s->ttl;
		memcpy(ip + 8, s->src.bytes, 16);
		memcpy(ip + 24, s->dst.bytes, 16);
	}
	uint8_t *t = ip + ip_hlen;
	put16(t, s->sport);
	put16(t + 2, s->dport);
	put32(t + 4, s->seq);
	put32(t + 8, s->ack);
	t[12] = (uint8_t)((s->set_doff ? s->doff_words & 15 : (20 + olen) / 4) << 4);
	t[13] = s->flags;
	put16(t + 14, s->window);
	put16(t + 16, 0);
	put16(t + 18, s->urgent);
	memcpy(t + 20, opts, (size_t)olen);
	uint8_t *pl = t + 20 + olen;
	for (uint32_t i = 0; i < s->len; i++)
		pl[i] = s->data ? s->data[i] : (uint8_t)('a' + i % 26);
	uint16_t sum = pcapgen_tcp_checksum(&s->src, &s->dst, t, tcp_len);
	put16(t + 16, s->bad_checksum ? (uint16_t)(sum ^ 0x5a5a) : sum);
	return (size_t)l + ip_hlen + tcp_len;
}
