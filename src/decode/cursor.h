/* cursor.h — bounds-checked big-endian reader over untrusted bytes, with a sticky error flag.
 * Every read is static inline: decoding a segment makes a few dozen of them, and a call each
 * cost more than the reads (they were out of line in cursor.c before). */
#ifndef SOCKLAB_DECODE_CURSOR_H
#define SOCKLAB_DECODE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A read past the end sets err and returns zeros; every later read also fails, so a decoder can
 * read a whole header and check the flag once. Nothing ever reads outside [p, p + len). */
struct decode_cursor {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool err;
};

static inline void decode_cursor_init(struct decode_cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->len = p ? len : 0;
	c->pos = 0;
	c->err = false;
}

/* True if n more bytes can be read; otherwise marks the cursor failed for good. */
static inline bool decode_cursor_take_(struct decode_cursor *c, size_t n)
{
	if (c->err || n > c->len - c->pos) {
		c->err = true;
		return false;
	}
	return true;
}

static inline uint8_t decode_cursor_u8(struct decode_cursor *c)
{
	if (!decode_cursor_take_(c, 1))
		return 0;
	return c->p[c->pos++];
}

static inline uint16_t decode_cursor_u16be(struct decode_cursor *c)
{
	if (!decode_cursor_take_(c, 2))
		return 0;
	uint16_t v = (uint16_t)((unsigned)c->p[c->pos] << 8 | c->p[c->pos + 1]);
	c->pos += 2;
	return v;
}

static inline uint32_t decode_cursor_u32be(struct decode_cursor *c)
{
	if (!decode_cursor_take_(c, 4))
		return 0;
	const uint8_t *b = c->p + c->pos;
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	c->pos += 4;
	return v;
}

/* Copies n bytes into dst (zeros on failure). */
static inline void decode_cursor_bytes(struct decode_cursor *c, uint8_t *dst, size_t n)
{
	if (!decode_cursor_take_(c, n)) {
		memset(dst, 0, n);
		return;
	}
	if (n)
		memcpy(dst, c->p + c->pos, n);
	c->pos += n;
}

static inline void decode_cursor_skip(struct decode_cursor *c, size_t n)
{
	if (decode_cursor_take_(c, n))
		c->pos += n;
}

/* A new cursor over the next n bytes, and this one moves past them. If fewer than n remain,
 * both cursors are in error and the sub-cursor is empty. */
static inline struct decode_cursor decode_cursor_sub(struct decode_cursor *c, size_t n)
{
	struct decode_cursor sub;
	if (!decode_cursor_take_(c, n)) {
		decode_cursor_init(&sub, NULL, 0);
		sub.err = true;
		return sub;
	}
	decode_cursor_init(&sub, c->p + c->pos, n);
	c->pos += n;
	return sub;
}

/* One length check for a whole fixed-size header: a pointer to the next n bytes, which the
 * caller may then read at offsets below n (with decode_be16/32), and the cursor moves past
 * them; NULL (and the cursor failed) if fewer remain. */
static inline const uint8_t *decode_cursor_span(struct decode_cursor *c, size_t n)
{
	if (!decode_cursor_take_(c, n))
		return NULL;
	const uint8_t *b = c->p + c->pos;
	c->pos += n;
	return b;
}

/* Big-endian loads from a span already checked by decode_cursor_span. */
static inline uint16_t decode_be16(const uint8_t *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

static inline uint32_t decode_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Bytes left to read (0 once in error). */
static inline size_t decode_cursor_remaining(const struct decode_cursor *c)
{
	return c->err ? 0 : c->len - c->pos;
}

/* Where the next read would start; for handing out payload pointers (never NULL-deref'd here). */
static inline const uint8_t *decode_cursor_ptr(const struct decode_cursor *c)
{
	if (!c->p)
		return NULL;
	return c->p + c->pos;
}

/* A read-only look at the byte at offset off from the current position; false if out of range. */
static inline bool decode_cursor_peek_u8(const struct decode_cursor *c, size_t off, uint8_t *out)
{
	if (c->err || off >= c->len - c->pos)
		return false;
	*out = c->p[c->pos + off];
	return true;
}

static inline bool decode_cursor_ok(const struct decode_cursor *c) { return !c->err; }

#endif
