/* cli_text.c — tcpscope's messages: one line each, with whatever came from outside escaped. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 character at s (2..4), or 0 if the bytes there are not one or it is
 * a C1 control (U+0080..U+009F, which some terminals obey like ESC sequences). */
static size_t utf8_printable(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xC2)
		lo = 0xA0; /* U+0080..U+009F: C1 controls */
	else if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

size_t cli_escape(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;

	if (len == 0)
		return 0;
	while (*u) {
		size_t n = 1;
		char esc[4];
		const char *piece = esc;

		if (*u >= 0x20 && *u < 0x7f && *u != '\\') {
			piece = (const char *)u;
		} else if (*u == '\\') {
			esc[0] = esc[1] = '\\';
			n = 2;
		} else if (*u >= 0x80 && (n = utf8_printable(u)) != 0) {
			piece = (const char *)u;
		} else {
			/* a control byte or one that is not UTF-8: shown, never obeyed */
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[*u >> 4];
			esc[3] = hex[*u & 15];
			n = 4;
		}
		if (o + n >= len)
			break; /* cut at a whole character or escape */
		memcpy(out + o, piece, n);
		o += n;
		u += piece == esc ? 1 : n;
	}
	out[o] = '\0';
	return o;
}

void cli_error(const char *fmt, ...)
{
	char msg[CLI_FILTER_MAX + 1024], safe[4 * sizeof msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cli_escape(msg, safe, sizeof safe);
	fprintf(stderr, "tcpscope: %s\n", safe);
}
