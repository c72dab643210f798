/* check_report.c — verdicts: one line per check (text or JSON Lines), hints, ladders, totals. */
#include "check.h"

#include <stdarg.h>
#include <string.h>

size_t check_escape(const void *in, size_t n, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = in;
	size_t o = 0;

	if (!out || outlen == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];
		char esc[4];
		size_t en;

		if (ch == '\\') {
			esc[0] = '\\';
			esc[1] = '\\';
			en = 2;
		} else if (ch >= 0x20 && ch < 0x7f) {
			esc[0] = (char)ch;
			en = 1;
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[ch >> 4];
			esc[3] = hex[ch & 15];
			en = 4;
		}
		if (o + en >= outlen)
			break;
		memcpy(out + o, esc, en);
		o += en;
	}
	out[o] = '\0';
	return o;
}

size_t check_json_escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!out || outlen == 0)
		return 0;
	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;
		char esc[6];
		size_t en = 0;

		if (ch == '"' || ch == '\\') {
			esc[en++] = '\\';
			esc[en++] = (char)ch;
		} else if (ch == '\n') {
			esc[en++] = '\\';
			esc[en++] = 'n';
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* bytes >= 0x80 as the code point of the same number: always valid JSON */
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			en = 6;
		} else {
			esc[en++] = (char)ch;
		}
		if (o + en >= outlen)
			break;
		memcpy(out + o, esc, en);
		o += en;
	}
	out[o] = '\0';
	return o;
}

static struct check_verdict *find(struct check_report *r, const char *check)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].check, check) == 0)
			return &r->v[i];
	return NULL;
}

const struct check_verdict *check_report_get(const struct check_report *r, const char *check)
{
	return find((struct check_report *)r, check);
}

void check_verdict(struct check_report *r, const char *check, enum check_status st,
                   uint16_t conn_port, const char *hint, const char *fmt, ...)
{
	struct check_verdict *v = find(r, check);
	va_list ap;

	if (v && v->status == CHECK_FAIL)
		return; /* the first failure is the one that explains */
	if (v && v->status == CHECK_PASS && st == CHECK_SKIP)
		return;
	if (!v) {
		if (r->n >= CHECK_MAX_CHECKS)
			return;
		v = &r->v[r->n++];
	}
	v->check = check;
	v->status = st;
	v->conn_port = conn_port;
	snprintf(v->hint, sizeof v->hint, "%s", st == CHECK_FAIL && hint ? hint : "");
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
}

static const char *status_word(enum check_status st)
{
	return st == CHECK_PASS ? "PASS" : st == CHECK_FAIL ? "FAIL" : "SKIP";
}

static void print_jsonl(const struct check_report *r, const struct check_verdict *v, FILE *fp)
{
	char task[128], why[CHECK_WHY_LEN * 6], hint[CHECK_HINT_LEN * 6];

	check_json_escape(r->task, task, sizeof task);
	check_json_escape(v->why, why, sizeof why);
	check_json_escape(v->hint, hint, sizeof hint);
	fprintf(fp, "{\"type\":\"check\",\"task\":\"%s\",\"check\":\"%s\",\"ok\":%s,", task,
	        v->check,
	        v->status == CHECK_PASS   ? "true"
	        : v->status == CHECK_FAIL ? "false"
	                                  : "null");
	if (v->status == CHECK_SKIP)
		fputs("\"skipped\":true,", fp);
	fprintf(fp, "\"why\":\"%s\",\"hint\":\"%s\"}\n", why, hint);
}

int check_report_print(struct check_report *r, const char *const *names, FILE *fp,
                       check_ladder_fn ladder, void *user)
{
	int passed = 0, failed = 0, skipped = 0, nladders = 0;
	uint16_t laddered[CHECK_MAX_CHECKS];

	for (const char *const *n = names; *n; n++) {
		if (!find(r, *n))
			check_verdict(r, *n, CHECK_SKIP, 0, NULL,
			              "not reached: the run stopped at an earlier failure");
	}
	for (const char *const *n = names; *n; n++) {
		const struct check_verdict *v = find(r, *n);

		passed += v->status == CHECK_PASS;
		failed += v->status == CHECK_FAIL;
		skipped += v->status == CHECK_SKIP;
		if (r->format == CHECK_FORMAT_JSONL) {
			print_jsonl(r, v, fp);
			continue;
		}
		fprintf(fp, "%s %-13s %s\n", status_word(v->status), v->check, v->why);
		if (v->status == CHECK_FAIL && v->hint[0])
			fprintf(fp, "     hint: %s\n", v->hint);
		if (v->status == CHECK_FAIL && v->conn_port && ladder) {
			int seen = 0;

			while (seen < nladders && laddered[seen] != v->conn_port)
				seen++;
			if (seen < nladders) {
				fprintf(fp, "     (the same connection as above)\n");
			} else {
				laddered[nladders++] = v->conn_port;
				ladder(v->conn_port, fp, user);
			}
		}
	}
	if (r->format == CHECK_FORMAT_JSONL) {
		char task[128];

		check_json_escape(r->task, task, sizeof task);
		fprintf(fp,
		        "{\"type\":\"result\",\"task\":\"%s\",\"passed\":%d,\"failed\":%d,"
		        "\"skipped\":%d,\"capture\":%s}\n",
		        task, passed, failed, skipped, r->capture ? "true" : "false");
	} else {
		fprintf(fp, "%s: %d passed, %d failed", r->task, passed, failed);
		if (skipped)
			fprintf(fp, ", %d skipped", skipped);
		fputs(failed ? "\n" : " - all checks passed\n", fp);
	}
	fflush(fp);
	return failed ? 1 : 0;
}
