/* out_fmt.c — small fast formatters: integers, microsecond times, endpoints, flags, JSON strings. */
#include "out_fmt.h"

#include <stdbool.h>
#include <string.h>

static const char two_digits[] = "00010203040506070809"
                                 "10111213141516171819"
                                 "20212223242526272829"
                                 "30313233343536373839"
                                 "40414243444546474849"
                                 "50515253545556575859"
                                 "60616263646566676869"
                                 "70717273747576777879"
                                 "80818283848586878889"
                                 "90919293949596979899";

static int digit_count(uint64_t v)
{
	int n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	return v >= 10 ? n + 1 : n;
}

/* Digits written from the end, two per division, straight into place: printf's general
 * machinery was most of the cost of a JSON line. */
/* 32-bit values (ports, seq/ack, windows, lengths) are most numbers on a line: 32-bit
 * arithmetic and a comparison ladder for the length are markedly cheaper than the 64-bit path. */
char *out_fmt_u32(char *p, uint32_t v)
{
	int n = v < 10           ? 1
	        : v < 100        ? 2
	        : v < 1000       ? 3
	        : v < 10000      ? 4
	        : v < 100000     ? 5
	        : v < 1000000    ? 6
	        : v < 10000000   ? 7
	        : v < 100000000  ? 8
	        : v < 1000000000 ? 9
	                         : 10;
	char *end = p + n, *e = end;

	while (v >= 100) {
		unsigned r = v % 100;
		v /= 100;
		e -= 2;
		memcpy(e, two_digits + 2 * r, 2);
	}
	if (v >= 10)
		memcpy(e - 2, two_digits + 2 * v, 2);
	else
		e[-1] = (char)('0' + v);
	return end;
}

char *out_fmt_u64(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return out_fmt_u32(p, (uint32_t)v);
	char *end = p + digit_count(v);
	char *e = end;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		e -= 2;
		memcpy(e, two_digits + 2 * r, 2);
	}
	if (v >= 10)
		memcpy(e - 2, two_digits + 2 * v, 2);
	else
		e[-1] = (char)('0' + v);
	return end;
}

char *out_fmt_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		/* negate in unsigned arithmetic so INT64_MIN works */
		return out_fmt_u64(p, 0u - (uint64_t)v);
	}
	return out_fmt_u64(p, (uint64_t)v);
}

char *out_fmt_usec(char *p, int64_t usec)
{
	uint64_t mag;
	uint32_t frac;

	if (usec < 0) {
		*p++ = '-';
		mag = 0u - (uint64_t)usec;
	} else {
		mag = (uint64_t)usec;
	}
	p = out_fmt_u64(p, mag / 1000000u);
	*p++ = '.';
	frac = (uint32_t)(mag % 1000000u);
	memcpy(p, two_digits + 2 * (frac / 10000), 2);
	memcpy(p + 2, two_digits + 2 * (frac / 100 % 100), 2);
	memcpy(p + 4, two_digits + 2 * (frac % 100), 2);
	return p + 6;
}

int64_t out_usec(double seconds)
{
	double us = seconds * 1e6;

	/* A pcapng file's if_tsresol/if_tsoffset can put a frame anywhere in 2^63 seconds, far
	 * beyond what int64 microseconds hold (+-292,000 years); converting such a double is
	 * undefined, so the value is held at the end of the range (9223372036854.775807 s). */
	if (us != us)
		return 0;                /* NaN: no capture gives one */
	if (us >= 9223372036854775807.0) /* 2^63: the first double past INT64_MAX */
		return INT64_MAX;
	if (us <= -9223372036854775808.0)
		return INT64_MIN;
	/* round half away from zero by hand: keeps libm out of the link (no double this close to
	 * 2^63 has a fraction, so the half added cannot carry it past the range) */
	return (int64_t)(us >= 0 ? us + 0.5 : us - 0.5);
}

int64_t out_usec_sub(int64_t a, int64_t b)
{
	int64_t d;

	if (__builtin_sub_overflow(a, b, &d))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return d;
}

char *out_fmt_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Pads the field that started at from with spaces to width columns (at least one space). */
char *out_pad(char *p, char *from, size_t width)
{
	size_t used = (size_t)(p - from);

	do {
		*p++ = ' ';
		used++;
	} while (used < width);
	return p;
}

char *out_fmt_endpoint(char *p, const struct decode_addr *a, uint16_t port)
{
	if (a->family == 4) {
		/* the common case, written directly: this runs for every packet */
		for (int i = 0; i < 4; i++) {
			unsigned o = a->bytes[i];
			if (o >= 100) {
				*p++ = (char)('0' + o / 100);
				memcpy(p, two_digits + 2 * (o % 100), 2);
				p += 2;
			} else if (o >= 10) {
				memcpy(p, two_digits + 2 * o, 2);
				p += 2;
			} else {
				*p++ = (char)('0' + o);
			}
			*p++ = i < 3 ? '.' : ':';
		}
		return out_fmt_u32(p, port);
	}
	char tmp[DECODE_ENDPOINT_STRLEN];
	decode_endpoint_format(a, port, tmp, sizeof tmp);
	return out_fmt_str(p, tmp);
}

/* Both forms come from decode_flags_format, the one table of flag names, so text, JSON and the
 * screen agree. The text form runs for every segment of a text stream; the JSON form is made
 * once per flags value when a sink is created. */
char *out_fmt_flags_text(char *p, uint8_t flags)
{
	char text[OUT_FLAGS_TEXT_MAX + 1];

	decode_flags_format(flags, text, sizeof text);
	return out_fmt_str(p, text);
}

char *out_fmt_flags_json(char *p, uint8_t flags)
{
	char text[OUT_FLAGS_TEXT_MAX + 1];
	const char *name = text;

	*p++ = '[';
	if (decode_flags_format(flags, text, sizeof text) > 0) {
		for (;;) {
			size_t n = strcspn(name, ",");

			*p++ = '"';
			memcpy(p, name, n);
			p += n;
			*p++ = '"';
			if (!name[n])
				break;
			*p++ = ',';
			name += n + 1;
		}
	}
	*p++ = ']';
	return p;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF */
	if (c == 0xE0)
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

/* Bytes a JSON string can hold as they are: printable ASCII but '"' and '\\' (NUL: no). */
static const bool plain_ascii[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

size_t out_json_escape(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;

	if (len == 0)
		return 0;
	/* fast path: a run of printable ASCII needs no escaping */
	while (plain_ascii[*u] && o + 1 < len)
		buf[o++] = (char)*u++;
	while (*u) {
		char esc[8];
		const char *piece = esc;
		size_t n, adv;

		if (*u == '"' || *u == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*u;
			n = 2;
			adv = 1;
		} else if (*u < 0x20) {
			static const char short_esc[] = "btn\0fr"; /* for 8..13, '\0' = none */
			adv = 1;
			if (*u >= 8 && *u <= 13 && short_esc[*u - 8]) {
				esc[0] = '\\';
				esc[1] = short_esc[*u - 8];
				n = 2;
			} else {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*u >> 4];
				esc[5] = hex[*u & 15];
				n = 6;
			}
		} else if ((adv = utf8_len(u)) != 0) {
			piece = (const char *)u;
			n = adv;
		} else {
			piece = "\\ufffd";
			n = 6;
			adv = 1;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, piece, n);
		o += n;
		u += adv;
	}
	buf[o] = '\0';
	return o;
}

char *out_fmt_json_str(char *p, const char *s, size_t max)
{
	*p++ = '"';
	p += out_json_escape(s ? s : "", p, max + 1);
	*p++ = '"';
	return p;
}
