/* cursor.c — the bounds-checked reader every decoder in this module goes through. */
#include "cursor.h"

#include <string.h>

void decode_cursor_init(struct decode_cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->len = p ? len : 0;
	c->pos = 0;
	c->err = false;
}

/* True if n more bytes can be read; otherwise marks the cursor failed for good. */
static bool take(struct decode_cursor *c, size_t n)
{
	if (c->err || n > c->len - c->pos) {
		c->err = true;
		return false;
	}
	return true;
}

uint8_t decode_cursor_u8(struct decode_cursor *c)
{
	if (!take(c, 1))
		return 0;
	return c->p[c->pos++];
}

uint16_t decode_cursor_u16be(struct decode_cursor *c)
{
	if (!take(c, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)c->p[c->pos] << 8 | c->p[c->pos + 1]);
	c->pos += 2;
	return v;
}

uint32_t decode_cursor_u32be(struct decode_cursor *c)
{
	if (!take(c, 4))
		return 0;
	const uint8_t *b = c->p + c->pos;
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	c->pos += 4;
	return v;
}

void decode_cursor_bytes(struct decode_cursor *c, uint8_t *dst, size_t n)
{
	if (!take(c, n)) {
		memset(dst, 0, n);
		return;
	}
	if (n)
		memcpy(dst, c->p + c->pos, n);
	c->pos += n;
}

void decode_cursor_skip(struct decode_cursor *c, size_t n)
{
	if (take(c, n))
		c->pos += n;
}

struct decode_cursor decode_cursor_sub(struct decode_cursor *c, size_t n)
{
	struct decode_cursor sub;
	if (!take(c, n)) {
		decode_cursor_init(&sub, NULL, 0);
		sub.err = true;
		return sub;
	}
	decode_cursor_init(&sub, c->p + c->pos, n);
	c->pos += n;
	return sub;
}

size_t decode_cursor_remaining(const struct decode_cursor *c)
{
	return c->err ? 0 : c->len - c->pos;
}

const uint8_t *decode_cursor_ptr(const struct decode_cursor *c)
{
	if (!c->p)
		return NULL;
	return c->p + c->pos;
}

bool decode_cursor_peek_u8(const struct decode_cursor *c, size_t off, uint8_t *out)
{
	if (c->err || off >= c->len - c->pos)
		return false;
	*out = c->p[c->pos + off];
	return true;
}
