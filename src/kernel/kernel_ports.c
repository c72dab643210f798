/* kernel_ports.c — which TCP ports a capture filter confines the capture to, so the kernel view
 * can ask sock_diag for those ports only (and list no other program's sockets). */
#include "socklab/kernel.h"

#include <stdbool.h>
#include <string.h>

#define MAX_TOKENS 256
#define MAX_DEPTH  32

struct token {
	const char *s;
	int len;
};

/* A set of ports, or "any port" (all). Every packet the sub-expression admits has a port in
 * the set: "and" may keep the smaller side, "or" needs both. */
struct port_set {
	bool all;
	int n;
	uint16_t p[KERNEL_PORTS_MAX];
};

struct parser {
	struct token tok[MAX_TOKENS];
	int ntok, pos, depth;
	bool bad;       /* something this reader does not understand: the answer is "any port" */
	bool last_port; /* the last primitive was a port one: a bare number repeats it (pcap) */
};

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '-' || c == '/';
}

static bool tokenize(struct parser *ps, const char *f)
{
	size_t i = 0, n = strlen(f);

	while (i < n) {
		char c = f[i];
		int len;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		}
		if (c == '(' || c == ')' || (c == '!' && f[i + 1] != '='))
			len = 1;
		else if ((c == '&' && f[i + 1] == '&') || (c == '|' && f[i + 1] == '|'))
			len = 2;
		else if (is_word_char(c)) {
			len = 0;
			while (i + (size_t)len < n && is_word_char(f[i + (size_t)len]))
				len++;
		} else {
			return false; /* arithmetic, brackets, comparisons: not for this reader */
		}
		if (ps->ntok == MAX_TOKENS)
			return false;
		ps->tok[ps->ntok++] = (struct token){f + i, len};
		i += (size_t)len;
	}
	return true;
}

static bool tok_is(const struct parser *ps, int i, const char *w)
{
	return i >= 0 && i < ps->ntok && (int)strlen(w) == ps->tok[i].len &&
	       strncmp(ps->tok[i].s, w, (size_t)ps->tok[i].len) == 0;
}

static bool is_and(const struct parser *ps, int i)
{
	return tok_is(ps, i, "and") || tok_is(ps, i, "&&");
}

static bool is_or(const struct parser *ps, int i)
{
	return tok_is(ps, i, "or") || tok_is(ps, i, "||");
}

/* A decimal port 1..65535 (pcap also reads octal and hex; those are left to "any port"). */
static bool parse_port(const struct token *t, uint16_t *port)
{
	unsigned v = 0;

	if (t->len < 1 || t->len > 5 || t->s[0] == '0')
		return false;
	for (int i = 0; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(t->s[i] - '0');
	}
	if (v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static struct port_set set_all(void) { return (struct port_set){.all = true}; }

static struct port_set set_one(uint16_t p) { return (struct port_set){.n = 1, .p = {p}}; }

static bool set_has(const struct port_set *s, uint16_t p)
{
	for (int i = 0; i < s->n; i++) {
		if (s->p[i] == p)
			return true;
	}
	return false;
}

static struct port_set set_union(struct port_set a, const struct port_set *b)
{
	if (a.all || b->all)
		return set_all();
	for (int i = 0; i < b->n; i++) {
		if (set_has(&a, b->p[i]))
			continue;
		if (a.n == KERNEL_PORTS_MAX)
			return set_all(); /* too many to filter on: ask for every socket */
		a.p[a.n++] = b->p[i];
	}
	return a;
}

static struct port_set set_meet(struct port_set a, const struct port_set *b)
{
	if (a.all)
		return *b;
	if (b->all)
		return a;
	struct port_set r = {0};
	for (int i = 0; i < a.n; i++) {
		if (set_has(b, a.p[i]))
			r.p[r.n++] = a.p[i];
	}
	return r; /* may be empty: "port 1 and port 2" admits only packets from 1 to 2 */
}

/* One primitive: qualifiers and a value, up to the next operator. "[tcp|ip|ip6] [src|dst|src
 * or dst|src and dst] port N" is {N}; a bare N after a port primitive is {N} too (pcap repeats
 * the last keywords); anything else (host, net, udp port, portrange, names) is "any port". */
static struct port_set primitive(struct parser *ps)
{
	int start = ps->pos;
	int port_at = -1;

	while (ps->pos < ps->ntok && !tok_is(ps, ps->pos, "(") && !tok_is(ps, ps->pos, ")") &&
	       !tok_is(ps, ps->pos, "!") && !tok_is(ps, ps->pos, "not")) {
		int i = ps->pos;
		/* "src or dst" / "src and dst" is one qualifier, not an operator */
		if ((is_and(ps, i) || is_or(ps, i)) &&
		    !((tok_is(ps, i - 1, "src") || tok_is(ps, i - 1, "dst")) &&
		      (tok_is(ps, i + 1, "src") || tok_is(ps, i + 1, "dst")) && i - 1 >= start))
			break;
		if (tok_is(ps, i, "port"))
			port_at = i;
		ps->pos++;
	}
	int n = ps->pos - start;
	uint16_t port;

	if (n == 0) {
		ps->bad = true;
		return set_all();
	}
	if (n == 1 && ps->last_port && parse_port(&ps->tok[start], &port))
		return set_one(port);
	bool ok = port_at == ps->pos - 2 && parse_port(&ps->tok[ps->pos - 1], &port);
	for (int i = start; ok && i < port_at; i++) {
		ok = tok_is(ps, i, "tcp") || tok_is(ps, i, "ip") || tok_is(ps, i, "ip6") ||
		     tok_is(ps, i, "src") || tok_is(ps, i, "dst") || is_and(ps, i) || is_or(ps, i);
	}
	ps->last_port = ok;
	return ok ? set_one(port) : set_all();
}

static struct port_set expr_or(struct parser *ps);

static struct port_set factor(struct parser *ps)
{
	if (tok_is(ps, ps->pos, "!") || tok_is(ps, ps->pos, "not")) {
		ps->pos++;
		(void)factor(ps);
		return set_all(); /* "not port 80" admits every other port */
	}
	if (tok_is(ps, ps->pos, "(")) {
		if (++ps->depth > MAX_DEPTH) {
			ps->bad = true;
			return set_all();
		}
		ps->pos++;
		struct port_set s = expr_or(ps);
		if (!tok_is(ps, ps->pos, ")"))
			ps->bad = true;
		else
			ps->pos++;
		ps->depth--;
		return s;
	}
	return primitive(ps);
}

static struct port_set expr_and(struct parser *ps)
{
	struct port_set s = factor(ps);

	while (!ps->bad && is_and(ps, ps->pos)) {
		ps->pos++;
		struct port_set t = factor(ps);
		s = set_meet(s, &t);
	}
	return s;
}

static struct port_set expr_or(struct parser *ps)
{
	struct port_set s = expr_and(ps);

	while (!ps->bad && is_or(ps, ps->pos)) {
		ps->pos++;
		struct port_set t = expr_and(ps);
		s = set_union(s, &t);
	}
	return s;
}

int kernel_filter_ports(const char *filter, uint16_t *ports, int max)
{
	struct parser ps;

	if (!filter || !ports || max < 1)
		return 0;
	memset(&ps, 0, sizeof ps);
	if (!tokenize(&ps, filter) || ps.ntok == 0)
		return 0;
	struct port_set s = expr_or(&ps);
	/* an empty set (no packet can match) is left unfiltered too: nothing to compare anyway */
	if (ps.bad || ps.pos != ps.ntok || s.all || s.n == 0 || s.n > max)
		return 0;
	memcpy(ports, s.p, (size_t)s.n * sizeof(ports[0]));
	return s.n;
}
