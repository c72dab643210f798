/* tcp.c — TCP header and options (MSS, window scale, SACK-permitted, SACK, timestamps). */
#include "internal.h"

enum tcp_option_kind {
	OPT_EOL = 0,
	OPT_NOP = 1,
	OPT_MSS = 2,
	OPT_WSCALE = 3,
	OPT_SACK_PERMITTED = 4,
	OPT_SACK = 5,
	OPT_TIMESTAMPS = 8,
};

/* One option with a length byte; body covers its bytes after kind and length. Returns false
 * when its length does not fit its kind. */
static bool option_known(uint8_t kind, struct decode_cursor *body, struct decode_tcp_options *o)
{
	size_t n = decode_cursor_remaining(body);
	switch (kind) {
	case OPT_MSS:
		if (n != 2)
			return false;
		o->has_mss = true;
		o->mss = decode_cursor_u16be(body);
		return true;
	case OPT_WSCALE:
		if (n != 1)
			return false;
		o->has_wscale = true;
		o->wscale = decode_cursor_u8(body);
		return true;
	case OPT_SACK_PERMITTED:
		if (n != 0)
			return false;
		o->sack_permitted = true;
		return true;
	case OPT_SACK:
		/* The 40-byte option space allows at most 4 blocks (2 + 8 * 4 = 34). */
		if (n == 0 || n % 8 != 0 || n / 8 > DECODE_MAX_SACK_BLOCKS)
			return false;
		o->sack_count = (uint8_t)(n / 8);
		for (size_t i = 0; i < n / 8; i++) {
			o->sack[i][0] = decode_cursor_u32be(body);
			o->sack[i][1] = decode_cursor_u32be(body);
		}
		return true;
	case OPT_TIMESTAMPS:
		if (n != 8)
			return false;
		o->has_timestamps = true;
		o->ts_val = decode_cursor_u32be(body);
		o->ts_ecr = decode_cursor_u32be(body);
		return true;
	default: /* unknown kinds are skipped by their length */
		return true;
	}
}

/* Returns false if the options area is malformed. What was parsed before the fault is kept. */
static bool parse_options(struct decode_cursor *c, struct decode_tcp_options *o)
{
	bool ok = true;
	while (decode_cursor_remaining(c) > 0) {
		uint8_t kind = decode_cursor_u8(c);
		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP)
			continue;
		uint8_t len;
		/* A length of 0 or 1, or one running past the header, leaves no way to find the next
		 * option: stop there. */
		if (!decode_cursor_peek_u8(c, 0, &len) || len < 2 ||
		    (size_t)len - 1 > decode_cursor_remaining(c))
			return false;
		decode_cursor_skip(c, 1);
		struct decode_cursor body = decode_cursor_sub(c, (size_t)len - 2);
		if (!option_known(kind, &body, o))
			ok =
			    false; /* wrong length for its kind: ignore it, the next one is still found */
	}
	return ok;
}

bool decode_tcp_options(const uint8_t *b, size_t n, struct decode_tcp_options *o)
{
	if (decode_tcp_options_nop_nop_ts(b, n, o))
		return true;
	struct decode_cursor c;
	decode_cursor_init(&c, b, n);
	return parse_options(&c, o);
}

enum decode_status decode_tcp_parse(struct decode_cursor *c, size_t seg_len,
                                    struct decode_packet *out)
{
	if (seg_len < 20)
		return DECODE_MALFORMED;
	/* One length check for the fixed header, then plain loads from it. */
	const uint8_t *h = decode_cursor_span(c, 20);
	if (!h)
		return DECODE_TRUNCATED;
	out->sport = decode_be16(h);
	out->dport = decode_be16(h + 2);
	out->seq = decode_be32(h + 4);
	out->ack = decode_be32(h + 8);
	out->flags = h[13];
	out->window = decode_be16(h + 14);
	/* h[16..17]: checksum, not checked (offload makes it meaningless on capture) */
	out->urgent = decode_be16(h + 18);

	size_t hlen = (size_t)(h[12] >> 4) * 4;
	if (hlen < 20 || hlen > seg_len)
		return DECODE_MALFORMED;
	size_t olen = hlen - 20;
	if (olen > decode_cursor_remaining(c))
		return DECODE_TRUNCATED;
	out->data_offset = (uint8_t)hlen;
	if (olen) {
		out->tcp_options_malformed =
		    !decode_tcp_options(decode_cursor_ptr(c), olen, &out->opts);
		decode_cursor_skip(c, olen);
	}

	out->payload_len = (uint32_t)(seg_len - hlen);
	out->payload = decode_cursor_ptr(c);
	size_t captured = decode_cursor_remaining(c);
	out->payload_captured =
	    (uint32_t)(captured < out->payload_len ? captured : out->payload_len);
	return DECODE_OK;
}
