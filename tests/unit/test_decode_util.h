/* test_decode_util.h — builds test frames byte by byte for the decode unit tests. */
#ifndef SOCKLAB_TEST_DECODE_UTIL_H
#define SOCKLAB_TEST_DECODE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/decode.h"

#define TF_MAX 4096

/* What to put in a frame; zeroed fields get sensible defaults (see tf_build). */
struct tf_spec {
	int link;                /* DECODE_LINK_*, default EN10MB (0 is NULL: set null_link) */
	bool null_link;          /* use DECODE_LINK_NULL (its value is 0) */
	int ipver;               /* 4 (default) or 6 */
	int vlan_tags;           /* EN10MB: number of tags, types from tag_type[] */
	uint16_t tag_type[4];    /* 0x8100, 0x88a8, 0x9100 */
	uint32_t null_family;    /* NULL/LOOP family value; default 2 or 30 */
	bool null_big_endian;    /* NULL: write the family big-endian */
	size_t ip_opts_len;      /* IPv4 options bytes, a multiple of 4 */
	uint16_t frag;           /* IPv4 flags+fragment-offset field */
	uint8_t proto;           /* IPv4 protocol / IPv6 first next-header; default 6 */
	const uint8_t *v6_ext;   /* raw IPv6 extension headers placed before TCP */
	size_t v6_ext_len;       /* (the caller sets next-header fields inside them) */
	const uint8_t *tcp_opts; /* raw TCP options, length a multiple of 4 */
	size_t tcp_opts_len;
	size_t payload_len;
	uint8_t flags;
	size_t pad; /* bytes after the IP packet (Ethernet padding) */
};

struct tf_frame {
	uint8_t b[TF_MAX];
	size_t len;
	int link;
	size_t ip_off, tcp_off, payload_off;
};

static inline void tf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void tf_put32(uint8_t *p, uint32_t v)
{
	tf_put16(p, (uint16_t)(v >> 16));
	tf_put16(p + 2, (uint16_t)v);
}

static const uint8_t tf_v4_src[4] = {10, 0, 0, 1}, tf_v4_dst[4] = {10, 0, 0, 2};
static const uint8_t tf_v6_src[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t tf_v6_dst[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

#define TF_SPORT 40000
#define TF_DPORT 9998
#define TF_SEQ   0x11223344u
#define TF_ACK   0x55667788u
#define TF_WIN   65535

/* Link header for link type link carrying IP version ipver; returns its length. */
static inline size_t tf_link(const struct tf_spec *s, int link, uint8_t *p)
{
	uint16_t et = s->ipver == 6 ? 0x86dd : 0x0800;
	size_t n = 0;
	uint32_t fam = s->null_family ? s->null_family : (s->ipver == 6 ? 30u : 2u);
	switch (link) {
	case DECODE_LINK_EN10MB:
		memset(p, 0xaa, 12);
		n = 12;
		for (int i = 0; i < s->vlan_tags; i++) {
			tf_put16(p + n, s->tag_type[i]);
			tf_put16(p + n + 2, (uint16_t)(100 + i));
			n += 4;
		}
		tf_put16(p + n, et);
		return n + 2;
	case DECODE_LINK_LINUX_SLL:
		memset(p, 0, 16);
		tf_put16(p + 2, 772); /* ARPHRD_LOOPBACK */
		tf_put16(p + 14, et);
		return 16;
	case DECODE_LINK_LINUX_SLL2:
		memset(p, 0, 20);
		tf_put16(p, et);
		tf_put32(p + 4, 1);
		tf_put16(p + 8, 772);
		return 20;
	case DECODE_LINK_NULL:
		if (s->null_big_endian) {
			tf_put32(p, fam);
		} else {
			p[0] = (uint8_t)fam;
			p[1] = (uint8_t)(fam >> 8);
			p[2] = (uint8_t)(fam >> 16);
			p[3] = (uint8_t)(fam >> 24);
		}
		return 4;
	case DECODE_LINK_LOOP:
		tf_put32(p, fam);
		return 4;
	default: /* RAW, IPV4, IPV6 */
		return 0;
	}
}

/* Builds the frame described by s. The IP/TCP lengths are consistent; tests then break them. */
static inline void tf_build(const struct tf_spec *s, struct tf_frame *f)
{
	struct tf_spec d = *s;
	if (!d.ipver)
		d.ipver = 4;
	if (!d.proto)
		d.proto = 6;
	f->link = d.null_link ? DECODE_LINK_NULL : (d.link ? d.link : DECODE_LINK_EN10MB);
	memset(f->b, 0, sizeof(f->b));
	size_t n = tf_link(&d, f->link, f->b);
	f->ip_off = n;
	size_t tcp_len = 20 + d.tcp_opts_len + d.payload_len;
	uint8_t *ip = f->b + n;
	if (d.ipver == 4) {
		size_t hlen = 20 + d.ip_opts_len;
		ip[0] = (uint8_t)(0x40 | (hlen / 4));
		tf_put16(ip + 2, (uint16_t)(hlen + tcp_len));
		tf_put16(ip + 4, 0x1234);
		tf_put16(ip + 6, d.frag);
		ip[8] = 64;
		ip[9] = d.proto;
		memcpy(ip + 12, tf_v4_src, 4);
		memcpy(ip + 16, tf_v4_dst, 4);
		memset(ip + 20, 1, d.ip_opts_len); /* NOP options */
		n += hlen;
	} else {
		ip[0] = 0x60;
		tf_put16(ip + 4, (uint16_t)(d.v6_ext_len + tcp_len));
		ip[6] = d.proto;
		ip[7] = 63;
		memcpy(ip + 8, tf_v6_src, 16);
		memcpy(ip + 24, tf_v6_dst, 16);
		n += 40;
		if (d.v6_ext_len)
			memcpy(f->b + n, d.v6_ext, d.v6_ext_len);
		n += d.v6_ext_len;
	}
	f->tcp_off = n;
	uint8_t *t = f->b + n;
	tf_put16(t, TF_SPORT);
	tf_put16(t + 2, TF_DPORT);
	tf_put32(t + 4, TF_SEQ);
	tf_put32(t + 8, TF_ACK);
	t[12] = (uint8_t)(((20 + d.tcp_opts_len) / 4) << 4);
	t[13] = d.flags;
	tf_put16(t + 14, TF_WIN);
	tf_put16(t + 18, 7);
	if (d.tcp_opts_len)
		memcpy(t + 20, d.tcp_opts, d.tcp_opts_len);
	n += 20 + d.tcp_opts_len;
	f->payload_off = n;
	for (size_t i = 0; i < d.payload_len; i++)
		f->b[n + i] = (uint8_t)('a' + i % 26);
	n += d.payload_len + d.pad;
	f->len = n;
}

static inline enum decode_status tf_decode(const struct tf_frame *f, struct decode_packet *p)
{
	return decode_frame(f->link, f->b, f->len, p);
}

/* Decodes every prefix 0..len of f, each copied into a buffer of exactly that size so the
 * sanitizer catches any read past caplen. Before the TCP header is complete the answer must be
 * TRUNCATED; from there on OK, with payload_len from the IP header and payload_captured what
 * the prefix holds. Returns true if all agree; otherwise describes the first failure in why. */
static inline bool tf_check_prefixes(const struct tf_frame *f, uint32_t payload_len, char *why,
                                     size_t whylen)
{
	for (size_t n = 0; n <= f->len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		if (!copy)
			return false;
		if (n)
			memcpy(copy, f->b, n);
		struct decode_packet p;
		enum decode_status st = decode_frame(f->link, n ? copy : NULL, n, &p);
		free(copy);
		bool good;
		if (n < f->payload_off) {
			good = st == DECODE_TRUNCATED;
		} else {
			size_t have = n - f->payload_off;
			size_t want = have < payload_len ? have : payload_len;
			good = st == DECODE_OK && p.payload_len == payload_len &&
			       p.payload_captured == want && p.sport == TF_SPORT && p.seq == TF_SEQ;
		}
		if (!good) {
			snprintf(why, whylen, "prefix %zu of %zu: %s (payload %u/%u)", n, f->len,
			         decode_status_name(st), st == DECODE_OK ? p.payload_captured : 0,
			         st == DECODE_OK ? p.payload_len : 0);
			return false;
		}
	}
	return true;
}

#endif
