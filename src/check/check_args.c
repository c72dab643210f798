/* check_args.c — socklab-check's command line: TASK, options, "--" and the program's argv. */
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A whole decimal number in [lo, hi]. */
static bool parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* --name=VALUE or --name VALUE; returns the value or NULL (err filled). */
static const char *option_value(int argc, char **argv, int *i, const char *name, char *err,
                                size_t errlen)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc || strcmp(argv[*i + 1], "--") == 0) {
		snprintf(err, errlen, "%s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

static bool is_option(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int check_args_parse(int argc, char **argv, struct check_args *a, char *err, size_t errlen)
{
	const char *v;
	int i;

	*a = (struct check_args){.action = CHECK_ACT_RUN, .timeout_s = CHECK_TIMEOUT_DEFAULT};
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			a->action = CHECK_ACT_HELP;
			return 0;
		}
		if (strcmp(s, "--version") == 0) {
			a->action = CHECK_ACT_VERSION;
			return 0;
		}
		if (strcmp(s, "--list") == 0) {
			a->action = CHECK_ACT_LIST;
			return 0;
		}
		if (is_option(s, "--port")) {
			if (!(v = option_value(argc, argv, &i, "--port", err, errlen)))
				return -1;
			if (!parse_int(v, 1, 65535, &a->port)) {
				snprintf(err, errlen,
				         "--port wants a number from 1 to 65535, not '%.40s'", v);
				return -1;
			}
		} else if (is_option(s, "--timeout")) {
			if (!(v = option_value(argc, argv, &i, "--timeout", err, errlen)))
				return -1;
			if (!parse_int(v, CHECK_TIMEOUT_MIN, CHECK_TIMEOUT_MAX, &a->timeout_s)) {
				snprintf(err, errlen,
				         "--timeout wants whole seconds from %d to %d, not '%.40s'",
				         CHECK_TIMEOUT_MIN, CHECK_TIMEOUT_MAX, v);
				return -1;
			}
		} else if (is_option(s, "--format")) {
			if (!(v = option_value(argc, argv, &i, "--format", err, errlen)))
				return -1;
			if (strcmp(v, "text") == 0) {
				a->format = CHECK_FORMAT_TEXT;
			} else if (strcmp(v, "jsonl") == 0) {
				a->format = CHECK_FORMAT_JSONL;
			} else {
				snprintf(err, errlen, "--format is text or jsonl, not '%.40s'", v);
				return -1;
			}
		} else if (s[0] == '-' && s[1] != '\0') {
			snprintf(err, errlen, "unknown option '%.60s' (see --help)", s);
			return -1;
		} else if (!a->task) {
			a->task = s;
		} else {
			snprintf(err, errlen,
			         "unexpected '%.60s' before '--': write the program after '--' "
			         "(socklab-check TASK -- COMMAND ARGS)",
			         s);
			return -1;
		}
	}
	if (!a->task) {
		snprintf(err, errlen, "no TASK given (socklab-check --list shows them)");
		return -1;
	}
	if (i >= argc) {
		snprintf(err, errlen,
		         "no COMMAND given: socklab-check %.40s -- ./your_program {port}", a->task);
		return -1;
	}
	a->cmd = argv + i;
	a->ncmd = argc - i;
	return 0;
}

int check_subst_port(const char *in, unsigned port, char *out, size_t outlen)
{
	static const char key[] = "{port}";
	char digits[12];
	size_t o = 0, dn;
	int w = snprintf(digits, sizeof digits, "%u", port);

	if (w < 0 || !out || outlen == 0)
		return -1;
	dn = (size_t)w;
	while (*in) {
		if (strncmp(in, key, sizeof key - 1) == 0) {
			if (o + dn >= outlen)
				return -1;
			memcpy(out + o, digits, dn);
			o += dn;
			in += sizeof key - 1;
		} else {
			if (o + 1 >= outlen)
				return -1;
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
	return (int)o;
}
