/* json_check.h — a small strict JSON validator (RFC 8259) for checking tcpscope's JSONL lines:
 * one value per line, UTF-8 only, no control byte in a string, numbers in JSON's own grammar. */
#ifndef SOCKLAB_JSON_CHECK_H
#define SOCKLAB_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_CHECK_MAX_DEPTH 16 /* tcpscope nests two deep; more is a bug */

struct json_check {
	const unsigned char *p, *end;
	int depth;
};

static bool json_check_value(struct json_check *j);

static inline bool json_check_lit(struct json_check *j, const char *lit)
{
	for (; *lit; lit++, j->p++)
		if (j->p == j->end || *j->p != (unsigned char)*lit)
			return false;
	return true;
}

static inline bool json_check_digits(struct json_check *j)
{
	const unsigned char *from = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > from;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline bool json_check_number(struct json_check *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p == j->end)
		return false;
	if (*j->p == '0')
		j->p++;
	else if (!json_check_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!json_check_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!json_check_digits(j))
			return false;
	}
	return true;
}

static inline bool json_check_hex4(struct json_check *j)
{
	for (int i = 0; i < 4; i++, j->p++) {
		unsigned char c;

		if (j->p == j->end)
			return false;
		c = *j->p;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/* One UTF-8 character of two to four bytes (RFC 3629: no overlong form, no surrogate, nothing
 * above U+10FFFF). */
static inline bool json_check_utf8(struct json_check *j)
{
	unsigned char c = *j->p, lo = 0x80, hi = 0xBF;
	int n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return false;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (j->end - j->p < n || j->p[1] < lo || j->p[1] > hi)
		return false;
	for (int i = 2; i < n; i++)
		if (j->p[i] < 0x80 || j->p[i] > 0xBF)
			return false;
	j->p += n;
	return true;
}

static inline bool json_check_string(struct json_check *j)
{
	if (j->p == j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = *j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false; /* control bytes must be escaped */
		if (c == '\\') {
			if (++j->p == j->end)
				return false;
			c = *j->p++;
			if (c == 'u') {
				if (!json_check_hex4(j))
					return false;
			} else if (!(c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
			             c == 'n' || c == 'r' || c == 't')) {
				return false;
			}
		} else if (c < 0x80) {
			j->p++;
		} else if (!json_check_utf8(j)) {
			return false;
		}
	}
	return false; /* no closing quote */
}

static inline void json_check_ws(struct json_check *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

/* Elements of an array or members of an object, after the opening bracket. */
static inline bool json_check_items(struct json_check *j, char close, bool members)
{
	json_check_ws(j);
	if (j->p < j->end && *j->p == (unsigned char)close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (members) {
			if (!json_check_string(j))
				return false;
			json_check_ws(j);
			if (j->p == j->end || *j->p++ != ':')
				return false;
		}
		if (!json_check_value(j))
			return false;
		if (j->p == j->end)
			return false;
		if (*j->p == (unsigned char)close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
		json_check_ws(j);
	}
}

static bool json_check_value(struct json_check *j)
{
	bool ok;

	json_check_ws(j);
	if (j->p == j->end)
		return false;
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > JSON_CHECK_MAX_DEPTH)
			return false;
		ok = *j->p == '{';
		j->p++;
		ok = json_check_items(j, ok ? '}' : ']', ok);
		j->depth--;
		break;
	case '"':
		ok = json_check_string(j);
		break;
	case 't':
		ok = json_check_lit(j, "true");
		break;
	case 'f':
		ok = json_check_lit(j, "false");
		break;
	case 'n':
		ok = json_check_lit(j, "null");
		break;
	default:
		ok = json_check_number(j);
		break;
	}
	json_check_ws(j);
	return ok;
}

/* True if the n bytes at s are exactly one JSON object (a JSONL line without its newline). */
static inline bool json_check_object(const char *s, size_t n)
{
	struct json_check j = {(const unsigned char *)s, (const unsigned char *)s + n, 0};

	if (n == 0 || s[0] != '{')
		return false;
	return json_check_value(&j) && j.p == j.end;
}

#endif
