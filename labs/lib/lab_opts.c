/* lab_opts.c — the options every lab shares, the lab's own flags, the role, and --help. */
#include "lab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool lab_parse_long(const char *s, long min, long max, long *out)
{
	/* a whole decimal number, as written: strtol alone also takes leading blanks and a '+' */
	if (!s || !*s || strspn(s + (*s == '-'), "0123456789") != strlen(s + (*s == '-')) ||
	    !s[*s == '-'])
		return false;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static const struct lab_flag *find_flag(const struct lab_info *info, const char *name, size_t n)
{
	for (const struct lab_flag *f = info->flags; f && f->name; f++)
		if (strlen(f->name) == n && strncmp(f->name, name, n) == 0)
			return f;
	return NULL;
}

static bool is_role(const struct lab_info *info, const char *s)
{
	for (const char *const *r = info->roles; r && *r; r++)
		if (strcmp(*r, s) == 0)
			return true;
	return false;
}

static void roles_text(const struct lab_info *info, char *buf, size_t len)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (const char *const *r = info->roles; r && *r && pos < len; r++)
		pos +=
		    (size_t)snprintf(buf + pos, len - pos, "%s%s", r == info->roles ? "" : "|", *r);
}

/* Option names that take a value: the common ones or a lab flag with arg. */
static bool takes_value(const char *name, size_t n, const struct lab_flag *f)
{
	static const char *const valued[] = {"host", "port", "timeout", "names"};
	for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
		if (strlen(valued[i]) == n && strncmp(valued[i], name, n) == 0)
			return true;
	return f && f->arg;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncmp(name, want, n) == 0;
}

/* The port --help's footer names: $SOCKLAB_PORT or the default, or the --port given with -h. */
static int help_port = LAB_DEFAULT_PORT;

/* The default port: $SOCKLAB_PORT when it is a valid port, else LAB_DEFAULT_PORT. */
static int default_port(void)
{
	long v;
	const char *envp = getenv("SOCKLAB_PORT");
	if (envp && lab_parse_long(envp, 1, 65535, &v))
		return (int)v;
	return LAB_DEFAULT_PORT;
}

/* -h was given: find a --port among all the arguments, for the help footer. */
static void note_help_port(int argc, char **argv)
{
	long v;
	help_port = default_port();
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			val = argv[i + 1];
		else if (strncmp(argv[i], "--port=", 7) == 0)
			val = argv[i] + 7;
		if (val && lab_parse_long(val, 1, 65535, &v))
			help_port = (int)v;
	}
}

enum lab_parse_result lab_parse(int argc, char **argv, const struct lab_info *info,
                                struct lab_opts *o, char *err, size_t errlen)
{
	static char *no_args[1];
	bool no_color = false, fam_given = false;
	int npos = 0;
	long v;

	memset(o, 0, sizeof *o);
	/* SOCKLAB_PORT moves the default: a class shares a machine, each student a port. */
	o->port = default_port();
	o->family = AF_INET;
	o->timeout_s = LAB_DEFAULT_TIMEOUT;
	o->args = no_args;
	if (err && errlen)
		err[0] = '\0';

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			/* everything after is positional; collect by shifting below */
			for (int j = i + 1; j < argc; j++)
				argv[1 + npos++] = argv[j];
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			note_help_port(argc, argv);
			return LAB_PARSE_HELP;
		}
		if (strcmp(a, "-4") == 0 || strcmp(a, "-6") == 0) {
			int fam = a[1] == '4' ? AF_INET : AF_INET6;
			if (fam_given && fam != o->family) {
				snprintf(err, errlen, "-4 and -6 cannot be used together");
				return LAB_PARSE_ERROR;
			}
			o->family = fam;
			fam_given = true;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0') {
			argv[1 + npos++] = argv[i]; /* keep positionals in order, in place */
			continue;
		}
		if (a[1] != '-') {
			snprintf(err, errlen, "unknown option %s", a);
			return LAB_PARSE_ERROR;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		const struct lab_flag *f = find_flag(info, name, n);
		const char *val = NULL;
		if (takes_value(name, n, f)) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				snprintf(err, errlen, "%s needs a value", a);
				return LAB_PARSE_ERROR;
			}
		} else if (eq) {
			snprintf(err, errlen, "--%.*s takes no value", (int)n, name);
			return LAB_PARSE_ERROR;
		}
		if (f) { /* a lab's own flag wins over a common one */
			if (f->on)
				*f->on = true;
			if (f->value)
				*f->value = val;
		} else if (name_is(name, n, "host")) {
			if (!*val) {
				snprintf(err, errlen, "--host needs a non-empty value");
				return LAB_PARSE_ERROR;
			}
			o->host = val;
		} else if (name_is(name, n, "port")) {
			if (!lab_parse_long(val, 0, 65535, &v)) {
				snprintf(err, errlen, "--port wants a number 0-65535, not '%s'",
				         val);
				return LAB_PARSE_ERROR;
			}
			o->port = (int)v;
		} else if (name_is(name, n, "timeout")) {
			if (!lab_parse_long(val, 0, 86400, &v)) {
				snprintf(err, errlen, "--timeout wants seconds 0-86400, not '%s'",
				         val);
				return LAB_PARSE_ERROR;
			}
			o->timeout_s = (int)v;
		} else if (name_is(name, n, "names")) {
			if (strcmp(val, "rfc") != 0 && strcmp(val, "linux") != 0) {
				snprintf(err, errlen, "--names wants rfc or linux, not '%s'", val);
				return LAB_PARSE_ERROR;
			}
			o->linux_names = strcmp(val, "linux") == 0;
		} else if (name_is(name, n, "step")) {
			o->step = true;
		} else if (name_is(name, n, "no-color") || name_is(name, n, "no-colour")) {
			no_color = true;
		} else {
			snprintf(err, errlen, "unknown option --%.*s", (int)n, name);
			return LAB_PARSE_ERROR;
		}
	}

	char **pos = argv + 1;
	if (info->roles) {
		if (npos > 0) {
			if (!is_role(info, pos[0])) {
				char r[128];
				roles_text(info, r, sizeof r);
				snprintf(err, errlen, "unknown role '%s' (expected %s)", pos[0], r);
				return LAB_PARSE_ERROR;
			}
			o->role = pos[0];
			pos++;
			npos--;
		} else if (info->default_role) {
			o->role = info->default_role;
		} else {
			char r[128];
			roles_text(info, r, sizeof r);
			snprintf(err, errlen, "say which role to play: %s", r);
			return LAB_PARSE_ERROR;
		}
	}
	/* No lab takes words after its role: one there is a typo (a role word after the role, an
	 * option missing its dashes), reported rather than ignored. */
	if (npos > 0) {
		snprintf(err, errlen, "unexpected argument '%s'", pos[0]);
		return LAB_PARSE_ERROR;
	}
	o->nargs = 0;
	o->args = no_args;

	/* An IPv6 literal implies -6 unless -4 was asked for (then lab_make_addr explains). */
	if (o->host && strchr(o->host, ':') && !fam_given)
		o->family = AF_INET6;
	if (!o->host)
		o->host = o->family == AF_INET6 ? "::1" : "127.0.0.1";

	const char *nc = getenv("NO_COLOR");
	o->color = !no_color && !(nc && *nc) && isatty(STDOUT_FILENO);
	return LAB_PARSE_OK;
}

void lab_print_help(FILE *out, const struct lab_info *info)
{
	char roles[128];
	roles_text(info, roles, sizeof roles);
	fprintf(out, "%s - %s\n\n", info->name, info->summary ? info->summary : "");
	if (info->roles)
		fprintf(out, "Usage: %s %s%s%s [options]\n", info->name,
		        info->default_role ? "[" : "{", roles, info->default_role ? "]" : "}");
	else
		fprintf(out, "Usage: %s [options]\n", info->name);
	if (info->teaches)
		fprintf(out, "\n%s\n", info->teaches);
	if (info->flags && info->flags->name) {
		fprintf(out, "\nOptions of this lab:\n");
		for (const struct lab_flag *f = info->flags; f->name; f++) {
			char left[64];
			snprintf(left, sizeof left, "--%s%s%s", f->name, f->arg ? " " : "",
			         f->arg ? f->arg : "");
			fprintf(out, "  %-22s %s\n", left, f->help ? f->help : "");
		}
	}
	fprintf(out,
	        "\nCommon options:\n"
	        "  --host H               address to listen on / connect to"
	        " (default 127.0.0.1, ::1 with -6)\n"
	        "  --port P               TCP port (default %d%s)\n"
	        "  -4, -6                 IPv4 (default) or IPv6\n"
	        "  --step                 pause before each system call until Enter\n"
	        "  --timeout S            give up on a call after S seconds"
	        " (default %d; 0 = wait forever)\n"
	        "  --names rfc|linux      state names as in RFC 9293 (SYN_RECEIVED, FIN_WAIT_1;\n"
	        "                         default) or as Linux and ss spell them (SYN_RECV,\n"
	        "                         FIN_WAIT1, CLOSE), like tcpscope --names=linux\n"
	        "  --no-color             plain output (also when piped, or NO_COLOR is set)\n"
	        "  -h, --help             this help\n",
	        default_port(),
	        getenv("SOCKLAB_PORT") && default_port() != LAB_DEFAULT_PORT
	            ? ", from the environment variable SOCKLAB_PORT"
	            : "; the environment variable SOCKLAB_PORT changes it",
	        LAB_DEFAULT_TIMEOUT);
	if (info->examples)
		fprintf(out, "\nExamples:\n%s\n", info->examples);
	fprintf(out, "\nWatch the packets in another terminal: tcpscope -p %d\n", help_port);
	fputs("(it shows each call this lab makes above the segment the call sent, e.g.\n"
	      " client: close() above the FIN; SOCKLAB_MARKERS=0 keeps the lab from telling it)\n",
	      out);
}

int lab_parse_exit(enum lab_parse_result r, const struct lab_info *info, const char *err)
{
	if (r == LAB_PARSE_HELP) {
		lab_print_help(stdout, info);
		/* help into a full disk or a closed pipe: say so and fail, never a silent 0 */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "%s: writing the help failed: %s\n", info->name,
			        strerror(errno ? errno : EIO));
			return 1;
		}
		return 0;
	}
	if (r == LAB_PARSE_OK)
		return 0;
	fprintf(stderr, "%s: %s (try --help)\n", info->name, err && *err ? err : "usage error");
	return 2;
}
