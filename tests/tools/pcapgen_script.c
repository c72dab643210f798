/* pcapgen_script.c — reads pcapgen's line script and writes the segments it describes. */
#include "pcapgen.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE   8192
#define MAX_TOKENS 64

struct script {
	const char *name;
	int lineno;
	char *err;
	size_t errlen;
	const char *out;
	enum pcapgen_format format;
	int link;
	uint32_t snaplen;
	struct pcapgen_writer w;
	bool open;
	int64_t last_usec;
	uint8_t *frame; /* PCAPGEN_MAX_FRAME bytes */
	uint8_t *data;  /* payload given with data= */
};

__attribute__((format(printf, 2, 3))) static bool fail(struct script *sc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(sc->err, sc->errlen, "%s:%d: %s", sc->name, sc->lineno, msg);
	return false;
}

int pcapgen_link_parse(const char *name)
{
	static const struct {
		const char *name;
		int link;
	} links[] = {
	    {"EN10MB", DECODE_LINK_EN10MB},
	    {"LINUX_SLL", DECODE_LINK_LINUX_SLL},
	    {"LINUX_SLL2", DECODE_LINK_LINUX_SLL2},
	    {"NULL", DECODE_LINK_NULL},
	    {"LOOP", DECODE_LINK_LOOP},
	    {"RAW", DECODE_LINK_RAW},
	    {"IPV4", DECODE_LINK_IPV4},
	    {"IPV6", DECODE_LINK_IPV6},
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (strcmp(name, links[i].name) == 0)
			return links[i].link;
	return -1;
}

/* Splits line into tokens in place. A double-quoted part may hold spaces and the escapes
 * \n \r \t \\ \" \xHH; the quotes are removed. Returns the count or -1 on a bad quote. */
static int tokenize(char *line, char **tok, size_t *toklen, int max)
{
	int n = 0;
	char *r = line;
	while (*r) {
		while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
			r++;
		if (!*r || *r == '#')
			break;
		if (n == max)
			return -1;
		char *w = r;
		tok[n] = w;
		bool quoted = false;
		while (*r && (quoted || !(*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n'))) {
			if (*r == '"') {
				quoted = !quoted;
				r++;
				continue;
			}
			if (quoted && *r == '\\' && r[1]) {
				r++;
				char c = *r++;
				if (c == 'n')
					*w++ = '\n';
				else if (c == 'r')
					*w++ = '\r';
				else if (c == 't')
					*w++ = '\t';
				else if (c == 'x' && isxdigit((unsigned char)r[0]) &&
				         isxdigit((unsigned char)r[1])) {
					char hex[3] = {r[0], r[1], 0};
					*w++ = (char)strtoul(hex, NULL, 16);
					r += 2;
				} else
					*w++ = c;
				continue;
			}
			*w++ = *r++;
		}
		if (quoted)
			return -1;
		toklen[n] = (size_t)(w - tok[n]);
		if (*r)
			r++;
		*w = '\0';
		n++;
	}
	return n;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* "12.000345" or "+0.001" (relative to the previous packet) to microseconds. */
static bool parse_time(struct script *sc, const char *s, int64_t *usec)
{
	bool rel = *s == '+';
	if (rel)
		s++;
	char ipart[24];
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	if (ilen == 0 || ilen >= sizeof(ipart))
		return false;
	memcpy(ipart, s, ilen);
	ipart[ilen] = '\0';
	uint64_t sec, frac = 0;
	for (size_t i = 0; i < ilen; i++)
		if (!isdigit((unsigned char)ipart[i]))
			return false;
	if (!parse_u64(ipart, 0xffffffffu, &sec))
		return false;
	if (dot) {
		const char *f = dot + 1;
		size_t digits = strlen(f);
		if (digits == 0 || digits > 9)
			return false;
		for (size_t i = 0; i < digits; i++)
			if (!isdigit((unsigned char)f[i]))
				return false;
		for (size_t i = 0; i < 6; i++)
			frac = frac * 10 + (i < digits ? (uint64_t)(f[i] - '0') : 0);
	}
	*usec = (int64_t)(sec * 1000000 + frac) + (rel ? sc->last_usec : 0);
	return true;
}

static bool parse_endpoint(const char *s, struct decode_addr *a, uint16_t *port)
{
	char host[64];
	const char *colon;
	memset(a, 0, sizeof(*a));
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return false;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (inet_pton(AF_INET6, host, a->bytes) != 1)
			return false;
		a->family = 6;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return false;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		if (inet_pton(AF_INET, host, a->bytes) != 1)
			return false;
		a->family = 4;
	}
	uint64_t p;
	if (!parse_u64(colon + 1, 65535, &p))
		return false;
	*port = (uint16_t)p;
	return true;
}

static bool parse_flags(struct script *sc, const char *s, uint8_t *flags)
{
	static const char letters[] = "FSRPAUEC"; /* bit order of the flags byte */
	*flags = 0;
	if (strcmp(s, ".") == 0)
		return true;
	for (; *s; s++) {
		const char *p = strchr(letters, *s);
		if (!p || !*s)
			return fail(
			    sc, "unknown flag '%c' (use S F R P A U E C, or '.' alone for none)",
			    *s);
		*flags |= (uint8_t)(1u << (p - letters));
	}
	return true;
}

/* One key=value (or bare key) of a packet line. */
static bool parse_key(struct script *sc, char *tok, size_t toklen, struct pcapgen_segment *s,
                      bool *len_given, int64_t *caplen)
{
	char *val = strchr(tok, '=');
	uint64_t v;
	if (val)
		*val++ = '\0';
#define NUM(max) (val && parse_u64(val, (max), &v))
	if (strcmp(tok, "sackok") == 0 && !val) {
		s->sack_permitted = true;
	} else if (strcmp(tok, "badsum") == 0 && !val) {
		s->bad_checksum = true;
	} else if (strcmp(tok, "seq") == 0 && NUM(0xffffffffu)) {
		s->seq = (uint32_t)v;
	} else if (strcmp(tok, "ack") == 0 && NUM(0xffffffffu)) {
		s->ack = (uint32_t)v;
	} else if (strcmp(tok, "win") == 0 && NUM(0xffff)) {
		s->window = (uint16_t)v;
	} else if (strcmp(tok, "urg") == 0 && NUM(0xffff)) {
		s->urgent = (uint16_t)v;
	} else if (strcmp(tok, "ttl") == 0 && NUM(255)) {
		s->ttl = (uint8_t)v;
	} else if (strcmp(tok, "len") == 0 && NUM(65000)) {
		s->len = (uint32_t)v;
		*len_given = true;
	} else if (strcmp(tok, "doff") == 0 && NUM(15)) {
		s->set_doff = true;
		s->doff_words = (uint8_t)v;
	} else if (strcmp(tok, "iplen") == 0 && NUM(0xffff)) {
		s->set_iplen = true;
		s->iplen = (uint16_t)v;
	} else if (strcmp(tok, "caplen") == 0 && NUM(PCAPGEN_MAX_FRAME)) {
		*caplen = (int64_t)v;
	} else if (strcmp(tok, "mss") == 0 && NUM(0xffff)) {
		s->has_mss = true;
		s->mss = (uint16_t)v;
	} else if (strcmp(tok, "ws") == 0 && NUM(255)) {
		s->has_wscale = true;
		s->wscale = (uint8_t)v;
	} else if (strcmp(tok, "ts") == 0 && val) {
		char *comma = strchr(val, ',');
		uint64_t e;
		if (!comma)
			return fail(sc, "ts needs two values: ts=VAL,ECR");
		*comma = '\0';
		if (!parse_u64(val, 0xffffffffu, &v) || !parse_u64(comma + 1, 0xffffffffu, &e))
			return fail(sc, "bad ts value");
		s->has_timestamps = true;
		s->ts_val = (uint32_t)v;
		s->ts_ecr = (uint32_t)e;
	} else if (strcmp(tok, "sack") == 0 && val) {
		s->sack_count = 0;
		for (char *blk = strtok(val, ","); blk; blk = strtok(NULL, ",")) {
			char *dash = strchr(blk, '-');
			uint64_t l, r;
			if (!dash || s->sack_count == PCAPGEN_MAX_SACK)
				return fail(sc, "sack=L-R[,L-R...] with at most 4 blocks");
			*dash = '\0';
			if (!parse_u64(blk, 0xffffffffu, &l) ||
			    !parse_u64(dash + 1, 0xffffffffu, &r))
				return fail(sc, "bad sack block");
			s->sack[s->sack_count][0] = (uint32_t)l;
			s->sack[s->sack_count][1] = (uint32_t)r;
			s->sack_count++;
		}
	} else if (strcmp(tok, "data") == 0 && val) {
		size_t n = toklen - (size_t)(val - tok);
		memcpy(sc->data, val, n);
		s->data = sc->data;
		if (!*len_given)
			s->len = (uint32_t)n;
		else if (s->len != n)
			return fail(sc, "len=%u but data has %zu bytes", (unsigned)s->len, n);
	} else {
		return fail(sc, "bad option '%s%s%s'", tok, val ? "=" : "", val ? val : "");
	}
#undef NUM
	return true;
}

static bool packet_line(struct script *sc, char **tok, size_t *toklen, int n)
{
	struct pcapgen_segment s = {.window = 65535, .ttl = 64};
	int64_t usec, caplen = -1;
	bool len_given = false;
	if (n < 5 || strcmp(tok[2], ">") != 0)
		return fail(sc, "expected: TIME SRC > DST FLAGS [key=value...]");
	if (!parse_time(sc, tok[0], &usec))
		return fail(sc, "bad time '%s' (seconds, e.g. 0.000100 or +0.001)", tok[0]);
	if (!parse_endpoint(tok[1], &s.src, &s.sport))
		return fail(sc, "bad endpoint '%s' (127.0.0.1:40000 or [::1]:9998)", tok[1]);
	if (!parse_endpoint(tok[3], &s.dst, &s.dport))
		return fail(sc, "bad endpoint '%s' (127.0.0.1:40000 or [::1]:9998)", tok[3]);
	if (s.src.family != s.dst.family)
		return fail(sc, "source and destination must both be IPv4 or both IPv6");
	if (!parse_flags(sc, tok[4], &s.flags))
		return false;
	for (int i = 5; i < n; i++)
		if (!parse_key(sc, tok[i], toklen[i], &s, &len_given, &caplen))
			return false;

	char berr[128];
	size_t len = pcapgen_build(sc->link, &s, sc->frame, PCAPGEN_MAX_FRAME, berr, sizeof(berr));
	if (!len)
		return fail(sc, "%s", berr);
	if (!sc->open) {
		if (!pcapgen_writer_open(&sc->w, sc->out, sc->format, sc->link, sc->snaplen, berr,
		                         sizeof(berr)))
			return fail(sc, "%s", berr);
		sc->open = true;
	}
	size_t cap = caplen >= 0 && (size_t)caplen < len ? (size_t)caplen : len;
	if (!pcapgen_writer_frame(&sc->w, usec, sc->frame, cap, len, berr, sizeof(berr)))
		return fail(sc, "%s", berr);
	sc->last_usec = usec;
	return true;
}

static bool script_line(struct script *sc, char *line)
{
	char *tok[MAX_TOKENS];
	size_t toklen[MAX_TOKENS];
	int n = tokenize(line, tok, toklen, MAX_TOKENS);
	if (n < 0)
		return fail(sc, "unterminated quote or too many words");
	if (n == 0)
		return true;
	bool directive = strcmp(tok[0], "link") == 0 || strcmp(tok[0], "snaplen") == 0;
	if (directive && sc->open)
		return fail(sc, "'%s' must come before the first packet", tok[0]);
	if (strcmp(tok[0], "link") == 0) {
		if (n != 2 || (sc->link = pcapgen_link_parse(tok[1])) < 0)
			return fail(sc, "link EN10MB|LINUX_SLL|LINUX_SLL2|NULL|LOOP|RAW|IPV4|IPV6");
		return true;
	}
	if (strcmp(tok[0], "snaplen") == 0) {
		uint64_t v;
		if (n != 2 || !parse_u64(tok[1], 262144, &v) || v == 0)
			return fail(sc, "snaplen N (1..262144)");
		sc->snaplen = (uint32_t)v;
		return true;
	}
	return packet_line(sc, tok, toklen, n);
}

bool pcapgen_run_script(FILE *in, const char *name, const char *out, enum pcapgen_format format,
                        char *err, size_t errlen)
{
	struct script sc = {.name = name,
	                    .err = err,
	                    .errlen = errlen,
	                    .out = out,
	                    .format = format,
	                    .link = DECODE_LINK_EN10MB};
	char *line = malloc(MAX_LINE);
	sc.frame = malloc(PCAPGEN_MAX_FRAME);
	sc.data = malloc(MAX_LINE);
	bool ok = line && sc.frame && sc.data;
	if (!ok)
		snprintf(err, errlen, "out of memory");
	while (ok && fgets(line, MAX_LINE, in)) {
		sc.lineno++;
		if (!strchr(line, '\n') && !feof(in))
			ok = fail(&sc, "line longer than %d bytes", MAX_LINE - 1);
		else
			ok = script_line(&sc, line);
	}
	if (ok && ferror(in))
		ok = fail(&sc, "read error");
	/* A script with no packet still makes a valid (empty) file. */
	if (ok && !sc.open) {
		ok = pcapgen_writer_open(&sc.w, out, format, sc.link, sc.snaplen, err, errlen);
		sc.open = ok;
	}
	if (sc.open) {
		char cerr[128];
		if (!pcapgen_writer_close(&sc.w, cerr, sizeof(cerr)) && ok)
			ok = fail(&sc, "%s", cerr);
	}
	free(line);
	free(sc.frame);
	free(sc.data);
	return ok;
}
