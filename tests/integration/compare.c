/* compare.c — integ_compare: check tcpscope's JSONL states against the kernel's, per endpoint.
 *
 * For each endpoint in EXPECTED (the driver's kernel samples), tcpscope's sequence is its first
 * state line's "from" followed by every "to" in order (or, with no state line, the state in its
 * closing "conn" row). The kernel's samples must be a subsequence of it, starting with the same
 * initial state and ending with the same final state. Exit 0 if every endpoint agrees, 1 if not,
 * 2 on a usage or input error. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/track.h"

#define MAX_EPS 16
#define MAX_SEQ 64
#define KEY_LEN 64

struct seq {
	char key[KEY_LEN];
	enum track_state st[MAX_SEQ];
	int n;
	bool overflow;
};

struct side {
	struct seq eps[MAX_EPS];
	int n;
};

/* The string value of "key":"..." in a JSON line (values we read hold no escapes). */
static bool get_str(const char *line, const char *key, char *out, size_t outlen)
{
	char pat[40];

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *p = strstr(line, pat);
	if (!p)
		return false;
	p += strlen(pat);
	const char *q = strchr(p, '"');
	if (!q || (size_t)(q - p) >= outlen)
		return false;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return true;
}

static struct seq *find(struct side *s, const char *key, bool create)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->eps[i].key, key) == 0)
			return &s->eps[i];
	if (!create || s->n == MAX_EPS || strlen(key) >= KEY_LEN)
		return NULL;
	struct seq *q = &s->eps[s->n++];
	memset(q, 0, sizeof(*q));
	strcpy(q->key, key);
	return q;
}

static void push(struct seq *q, enum track_state st)
{
	if (q->n < MAX_SEQ)
		q->st[q->n++] = st;
	else
		q->overflow = true;
}

static bool parse_state(const char *line, const char *key, enum track_state *st)
{
	char name[32];

	return get_str(line, key, name, sizeof(name)) && track_state_parse(name, st);
}

static int read_expected(const char *path, struct side *exp)
{
	char line[1024], key[KEY_LEN];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		enum track_state st;
		struct seq *q;

		if (!strstr(line, "\"type\":\"expect\""))
			continue;
		if (!get_str(line, "endpoint", key, sizeof(key)) ||
		    !parse_state(line, "state", &st) || !(q = find(exp, key, true))) {
			fclose(f);
			return -1;
		}
		/* the driver writes a line per change; a repeat would only weaken nothing */
		if (q->n == 0 || q->st[q->n - 1] != st)
			push(q, st);
	}
	fclose(f);
	return 0;
}

/* conn rows give each endpoint's final state when tcpscope wrote no state line for it */
static void row_state(struct side *got, const char *line, const char *ep_key, const char *st_key,
                      int *bad)
{
	char key[KEY_LEN];
	enum track_state st;
	struct seq *q;

	if (!get_str(line, ep_key, key, sizeof(key)) || !parse_state(line, st_key, &st) ||
	    !(q = find(got, key, true)))
		return;
	if (q->n == 0) {
		push(q, st);
	} else if (q->st[q->n - 1] != st) {
		/* the closing row must agree with the last state line */
		printf("%s: tcpscope conn row says %s, its state lines end in %s\n", key,
		       track_state_name(st, TRACK_NAMES_RFC),
		       track_state_name(q->st[q->n - 1], TRACK_NAMES_RFC));
		(*bad)++;
	}
}

static int read_tcpscope(const char *path, struct side *got, int *bad_from)
{
	char line[4096], key[KEY_LEN];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		enum track_state from, to;
		struct seq *q;

		if (strstr(line, "\"type\":\"conn\"")) {
			row_state(got, line, "client", "client_state", bad_from);
			row_state(got, line, "server", "server_state", bad_from);
			continue;
		}
		if (!strstr(line, "\"type\":\"state\""))
			continue;
		if (!get_str(line, "endpoint", key, sizeof(key)) ||
		    !parse_state(line, "from", &from) || !parse_state(line, "to", &to) ||
		    !(q = find(got, key, true)))
			continue;
		if (q->n == 0)
			push(q, from);
		else if (q->st[q->n - 1] != from) {
			/* tcpscope's own lines must chain: each "from" is the previous "to" */
			printf("%s: tcpscope state line from %s, but its last state was %s\n", key,
			       track_state_name(from, TRACK_NAMES_RFC),
			       track_state_name(q->st[q->n - 1], TRACK_NAMES_RFC));
			(*bad_from)++;
		}
		push(q, to);
	}
	fclose(f);
	return 0;
}

static void print_seq(const char *label, const struct seq *q)
{
	printf("  %-8s", label);
	for (int i = 0; i < q->n; i++)
		printf("%s%s", i ? " -> " : " ", track_state_name(q->st[i], TRACK_NAMES_RFC));
	printf("%s\n", q->overflow ? " ... (cut)" : "");
}

static bool is_subsequence(const struct seq *small, const struct seq *big)
{
	int j = 0;

	for (int i = 0; i < big->n && j < small->n; i++)
		if (big->st[i] == small->st[j])
			j++;
	return j == small->n;
}

static bool compare_one(const struct seq *k, const struct seq *t)
{
	const char *why = NULL;

	if (!t || t->n == 0)
		why = "tcpscope reported nothing for this endpoint";
	else if (t->overflow)
		why = "tcpscope reported more states than this comparator keeps";
	else if (k->st[0] != t->st[0])
		why = "initial states differ";
	else if (k->st[k->n - 1] != t->st[t->n - 1])
		why = "final states differ";
	else if (!is_subsequence(k, t))
		why = "the kernel's states are not a subsequence of tcpscope's";
	printf("%s %s\n", why ? "FAIL" : "ok  ", k->key);
	print_seq("kernel:", k);
	if (t)
		print_seq("tcpscope:", t);
	if (why)
		printf("  -> %s\n", why);
	return why == NULL;
}

int main(int argc, char **argv)
{
	static struct side exp, got;
	int bad_from = 0, failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: integ_compare EXPECTED.jsonl TCPSCOPE.jsonl\n");
		return 2;
	}
	if (read_expected(argv[1], &exp) != 0 || exp.n == 0) {
		fprintf(stderr, "integ_compare: cannot read expectations from %s\n", argv[1]);
		return 2;
	}
	if (read_tcpscope(argv[2], &got, &bad_from) != 0) {
		fprintf(stderr, "integ_compare: cannot read %s\n", argv[2]);
		return 2;
	}
	for (int i = 0; i < exp.n; i++)
		if (!compare_one(&exp.eps[i], find(&got, exp.eps[i].key, false)))
			failed++;
	if (failed || bad_from)
		printf("%d endpoint(s) disagree, %d inconsistent tcpscope line(s)\n", failed,
		       bad_from);
	return failed || bad_from ? 1 : 0;
}
