/* internal.h — entry points shared between the files of the decode module (not public). */
#ifndef SOCKLAB_DECODE_INTERNAL_H
#define SOCKLAB_DECODE_INTERNAL_H

#include "socklab/decode.h"
#include "cursor.h"

/* Decode an IP header at the cursor. want_version is 4 or 6 when the link layer already said
 * which (a mismatch is malformed), or 0 to take it from the first nibble. */
enum decode_status decode_ip_parse(struct decode_cursor *c, int want_version,
                                   struct decode_packet *out);

/* Decode a TCP header. c covers the captured bytes of the segment (never more than seg_len);
 * seg_len is the segment's length according to the IP header. */
enum decode_status decode_tcp_parse(struct decode_cursor *c, size_t seg_len,
                                    struct decode_packet *out);

/* Linux puts NOP, NOP, timestamps (01 01 08 0a, RFC 7323 appendix A) on every segment after the
 * handshake: such an area of exactly 12 bytes is read at fixed offsets, the same result as the
 * general walk. False, with *o untouched, for any other area. Inline: the fast path takes it on
 * nearly every segment; decode_tcp_options tries it first too. */
static inline bool decode_tcp_options_nop_nop_ts(const uint8_t *b, size_t n,
                                                 struct decode_tcp_options *o)
{
	if (n != 12 || decode_be32(b) != 0x0101080au)
		return false;
	o->has_timestamps = true;
	o->ts_val = decode_be32(b + 4);
	o->ts_ecr = decode_be32(b + 8);
	return true;
}

/* Parse n bytes of TCP options (all captured); false if the area is malformed (what was parsed
 * before the fault is kept in *o). */
bool decode_tcp_options(const uint8_t *b, size_t n, struct decode_tcp_options *o);

/* The frame nearly every capture is made of (Ethernet, IPv4 without options, not a later
 * fragment, TCP) decoded straight from the buffer, with the same checks and results as the
 * general path. False when the frame is anything else, or in any doubt (truncated, malformed):
 * the caller then takes the general path, which sorts it out. */
bool decode_fast_en10mb_ipv4_tcp(const uint8_t *b, size_t caplen, struct decode_packet *out,
                                 uint32_t *hash); /* hash: NULL, or decode_tuple_hash(out) */

#endif
