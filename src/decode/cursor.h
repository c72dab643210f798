/* cursor.h — bounds-checked big-endian reader over untrusted bytes, with a sticky error flag. */
#ifndef SOCKLAB_DECODE_CURSOR_H
#define SOCKLAB_DECODE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A read past the end sets err and returns zeros; every later read also fails, so a decoder can
 * read a whole header and check the flag once. Nothing ever reads outside [p, p + len). */
struct decode_cursor {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool err;
};

void decode_cursor_init(struct decode_cursor *c, const uint8_t *p, size_t len);
uint8_t decode_cursor_u8(struct decode_cursor *c);
uint16_t decode_cursor_u16be(struct decode_cursor *c);
uint32_t decode_cursor_u32be(struct decode_cursor *c);
/* Copies n bytes into dst (zeros on failure). */
void decode_cursor_bytes(struct decode_cursor *c, uint8_t *dst, size_t n);
void decode_cursor_skip(struct decode_cursor *c, size_t n);
/* A new cursor over the next n bytes, and this one moves past them. If fewer than n remain,
 * both cursors are in error and the sub-cursor is empty. */
struct decode_cursor decode_cursor_sub(struct decode_cursor *c, size_t n);
/* Bytes left to read (0 once in error). */
size_t decode_cursor_remaining(const struct decode_cursor *c);
/* Where the next read would start; for handing out payload pointers (never NULL-deref'd here). */
const uint8_t *decode_cursor_ptr(const struct decode_cursor *c);
/* A read-only look at the byte at offset off from the current position; false if out of range. */
bool decode_cursor_peek_u8(const struct decode_cursor *c, size_t off, uint8_t *out);
static inline bool decode_cursor_ok(const struct decode_cursor *c) { return !c->err; }

#endif
