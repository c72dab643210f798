/* fast.c — the common frame (Ethernet, IPv4 without options, TCP) in one straight pass. */
#include "internal.h"
#include "hash.h"

#include <string.h>

#define ETH_LEN  14
#define IP4_LEN  20 /* no options: anything else takes the general path */
#define TCP_LEN  20
#define IP4_TCP  6
#define ETH_IPV4 0x0800

/* An IPv4 address as the first 8 of decode_addr's bytes, read as one native word. */
static inline uint64_t v4_word(const uint8_t *a)
{
	uint8_t w[8] = {a[0], a[1], a[2], a[3], 0, 0, 0, 0};
	uint64_t v;
	memcpy(&v, w, sizeof v);
	return v;
}

/* One length check (caplen >= 54) covers every fixed-offset read below; the TCP options and
 * payload are then bounded by checks on their own lengths. Mirrors link.c, ip.c and tcp.c:
 * a frame that would not decode OK there is left to them (return false) before anything is
 * written to out. */

bool decode_fast_en10mb_ipv4_tcp(const uint8_t *b, size_t caplen, struct decode_packet *out,
                                 uint32_t *hash)
{
	if (!b || caplen < ETH_LEN + IP4_LEN + TCP_LEN)
		return false;
	const uint8_t *ip = b + ETH_LEN, *tcp = ip + IP4_LEN;
	if (decode_be16(b + 12) != ETH_IPV4 || ip[0] != 0x45 || ip[9] != IP4_TCP)
		return false;
	uint16_t total = decode_be16(ip + 2), frag = decode_be16(ip + 6);
	if ((frag & 0x1fff) != 0 || total < IP4_LEN + TCP_LEN)
		return false;
	size_t seg_len = (size_t)total - IP4_LEN;
	size_t hlen = (size_t)(tcp[12] >> 4) * 4;
	size_t seg_captured = caplen - ETH_LEN - IP4_LEN;
	if (seg_captured > seg_len)
		seg_captured = seg_len; /* Ethernet padding is not part of the segment */
	if (hlen < TCP_LEN || hlen > seg_captured)
		return false;

	/* Every field is written here (decode_frame has not cleared *out): IPv4 addresses use
	 * the first 4 bytes and the rest stay zero, so addresses compare with memcmp. */
	out->src = (struct decode_addr){.family = 4};
	out->dst = (struct decode_addr){.family = 4};
	memcpy(out->src.bytes, ip + 12, 4);
	memcpy(out->dst.bytes, ip + 16, 4);
	out->opts = (struct decode_tcp_options){0};
	out->ip_has_options = false;
	out->tcp_options_malformed = false;
	out->ip_version = 4;
	out->ttl = ip[8];
	out->ip_first_fragment = (frag & 0x2000) != 0;
	out->sport = decode_be16(tcp);
	out->dport = decode_be16(tcp + 2);
	out->seq = decode_be32(tcp + 4);
	out->ack = decode_be32(tcp + 8);
	out->flags = tcp[13];
	out->window = decode_be16(tcp + 14);
	out->urgent = decode_be16(tcp + 18);
	out->data_offset = (uint8_t)hlen;
	if (hlen > TCP_LEN &&
	    !decode_tcp_options_nop_nop_ts(tcp + TCP_LEN, hlen - TCP_LEN, &out->opts))
		out->tcp_options_malformed =
		    !decode_tcp_options(tcp + TCP_LEN, hlen - TCP_LEN, &out->opts);
	out->payload_len = (uint32_t)(seg_len - hlen);
	out->payload = tcp + hlen;
	out->payload_captured = (uint32_t)(seg_captured - hlen);
	if (hash) /* decode_tuple_hash(out), from the bytes at hand rather than read back */
		*hash = decode_hash_tuple(decode_hash_endpoint(v4_word(ip + 12), 0, out->sport, 4),
		                          decode_hash_endpoint(v4_word(ip + 16), 0, out->dport, 4));
	return true;
}
