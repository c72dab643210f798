/* lab_escape.c — peer bytes made printable: nothing a peer sends reaches the terminal raw. */
#include "lab.h"

#include <stdio.h>
#include <string.h>

/* One byte's printed form into out (at most 5 bytes with the NUL); its length. */
static size_t escape_byte(unsigned char c, char out[5])
{
	switch (c) {
	case '\n':
		return (size_t)snprintf(out, 5, "\\n");
	case '\r':
		return (size_t)snprintf(out, 5, "\\r");
	case '\t':
		return (size_t)snprintf(out, 5, "\\t");
	case '\\':
	case '"':
		return (size_t)snprintf(out, 5, "\\%c", c);
	default:
		if (c < 0x20 || c > 0x7e)
			return (size_t)snprintf(out, 5, "\\x%02x", c);
		out[0] = (char)c;
		out[1] = '\0';
		return 1;
	}
}

/* Escape data[from..to) into buf at *o, stopping before buflen-1. */
static void escape_range(const unsigned char *data, size_t from, size_t to, char *buf,
                         size_t buflen, size_t *o)
{
	char e[5];
	for (size_t i = from; i < to; i++) {
		size_t n = escape_byte(data[i], e);
		if (*o + n >= buflen)
			return;
		memcpy(buf + *o, e, n);
		*o += n;
	}
}

char *lab_escape(const void *data, size_t len, char *buf, size_t buflen)
{
	const unsigned char *d = data;
	size_t o = 0, need = 0;
	char e[5];
	if (!buf || buflen == 0)
		return buf;
	buf[0] = '\0';
	if (!d)
		return buf;
	for (size_t i = 0; i < len; i++)
		need += escape_byte(d[i], e);
	if (need < buflen) {
		escape_range(d, 0, len, buf, buflen, &o);
	} else {
		/* Keep as many bytes of the start and the end as surely fit at 4 characters each,
		 * around a note of how many were left out. */
		char mid[48];
		size_t room = buflen > sizeof mid + 8 ? buflen - sizeof mid - 1 : 8;
		size_t keep = room / 8;
		if (keep * 2 > len)
			keep = len / 2;
		int m = snprintf(mid, sizeof mid, "...(%zu more bytes)...", len - 2 * keep);
		escape_range(d, 0, keep, buf, buflen, &o);
		if (m > 0 && o + (size_t)m < buflen) {
			memcpy(buf + o, mid, (size_t)m);
			o += (size_t)m;
		}
		escape_range(d, len - keep, len, buf, buflen, &o);
	}
	buf[o] = '\0';
	return buf;
}
