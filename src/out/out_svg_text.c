/* out_svg_text.c — text made safe for XML (escapes, U+FFFD for what XML 1.0 cannot hold), and
 * the writers' NULL-tolerant fprintf. */
#include "out_svg_priv.h"

#include <stdarg.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if the bytes there are not one. */
static int utf8_len(const unsigned char *p)
{
	int n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	/* overlong forms, surrogates, beyond U+10FFFF, and U+FFFE/U+FFFF (not XML characters) */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void out_svg_text(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\t')) {
			fputs("\xef\xbf\xbd", fp); /* U+FFFD */
			p += n ? n : 1;
			continue;
		}
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		default:
			fwrite(p, 1, (size_t)n, fp);
		}
		p += n;
	}
}

void out_svg_put(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	if (!fp)
		return;
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
}
