/* marker_parse.c — one marker datagram, untrusted, checked field by field into a struct. */
#include "socklab/marker_rx.h"

#include <string.h>

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* A NUL-padded text field: true if it ends within size bytes, every byte before the NUL
 * passes ok(), and at least min of them are there; copied into out (size bytes). */
static bool text_field(const uint8_t *p, size_t size, size_t min, bool (*ok)(uint8_t), char *out)
{
	size_t n = 0;

	while (n < size && p[n] != 0) {
		if (!ok(p[n]))
			return false;
		n++;
	}
	if (n == size || n < min)
		return false; /* no NUL inside the field, or too short */
	memcpy(out, p, n);
	memset(out + n, 0, size - n);
	return true;
}

static bool call_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool role_char(uint8_t c) { return c >= 0x20 && c <= 0x7e; }

static void addr_field(const uint8_t *p, uint8_t family, struct decode_addr *a)
{
	memset(a, 0, sizeof *a);
	a->family = family;
	/* IPv4 uses the first 4 bytes; the rest stay zero so addresses compare with memcmp */
	memcpy(a->bytes, p, family == 4 ? 4 : MARKER_ADDR_LEN);
}

enum marker_parse_result marker_parse(const uint8_t *buf, size_t len, struct marker *out)
{
	if (!buf || len != MARKER_WIRE_LEN)
		return MARKER_BAD_LENGTH;
	if (memcmp(buf + MARKER_OFF_MAGIC, MARKER_MAGIC, 4) != 0)
		return MARKER_BAD_MAGIC;
	if (buf[MARKER_OFF_VERSION] != MARKER_WIRE_VERSION)
		return MARKER_BAD_VERSION;

	uint8_t flags = buf[MARKER_OFF_FLAGS], family = buf[MARKER_OFF_FAMILY];
	bool has_addr = flags & (MARKER_F_LOCAL | MARKER_F_PEER);
	if ((flags & ~MARKER_F_ALL) || buf[MARKER_OFF_RESERVED] != 0)
		return MARKER_BAD_FIELD;
	if (has_addr ? family != 4 && family != 6 : family != 0)
		return MARKER_BAD_FIELD;
	/* a connect() target is a peer */
	if ((flags & MARKER_F_CONNECTING) && !(flags & MARKER_F_PEER))
		return MARKER_BAD_FIELD;

	uint32_t hi = be32(buf + MARKER_OFF_SEC), lo = be32(buf + MARKER_OFF_SEC + 4);
	uint32_t nsec = be32(buf + MARKER_OFF_NSEC);
	/* before 2^32 s (year 2106): a double holds such a time to well under a microsecond */
	if (hi != 0 || nsec >= 1000000000u)
		return MARKER_BAD_FIELD;

	struct marker m;
	memset(&m, 0, sizeof m);
	if (!text_field(buf + MARKER_OFF_CALL, MARKER_CALL_LEN, 1, call_char, m.call) ||
	    !text_field(buf + MARKER_OFF_ROLE, MARKER_ROLE_LEN, 0, role_char, m.role))
		return MARKER_BAD_FIELD;
	m.t = (double)lo + (double)nsec / 1e9;
	m.pid = be32(buf + MARKER_OFF_PID);
	m.flags = flags;
	if (flags & MARKER_F_LOCAL) {
		addr_field(buf + MARKER_OFF_LOCAL, family, &m.local);
		m.local_port = be16(buf + MARKER_OFF_LOCAL_PORT);
	}
	if (flags & MARKER_F_PEER) {
		addr_field(buf + MARKER_OFF_PEER, family, &m.peer);
		m.peer_port = be16(buf + MARKER_OFF_PEER_PORT);
		if (m.peer_port == 0)
			return MARKER_BAD_FIELD; /* nobody is reached at port 0 */
	}
	*out = m;
	return MARKER_OK;
}
