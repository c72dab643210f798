/* cli_options.c — tcpscope's options (getopt_long), the --help text, and filter building. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum long_only {
	OPT_FORMAT = 256,
	OPT_SUMMARY,
	OPT_NAMES,
	OPT_TIME_WAIT,
	OPT_MAX_CONNS,
	OPT_SPEED,
	OPT_NO_DROP,
	OPT_NO_COLOR,
	OPT_KERNEL,
	OPT_THEME,
};

static const struct option long_opts[] = {
    {"read", required_argument, NULL, 'r'},
    {"interface", required_argument, NULL, 'i'},
    {"port", required_argument, NULL, 'p'},
    {"count", required_argument, NULL, 'c'},
    {"user", required_argument, NULL, 'Z'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"names", required_argument, NULL, OPT_NAMES},
    {"time-wait", required_argument, NULL, OPT_TIME_WAIT},
    {"max-conns", required_argument, NULL, OPT_MAX_CONNS},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"no-drop", no_argument, NULL, OPT_NO_DROP},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"kernel", no_argument, NULL, OPT_KERNEL},
    {"theme", required_argument, NULL, OPT_THEME},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void cli_usage(FILE *fp)
{
	fputs("usage: tcpscope [OPTIONS] [FILTER...]\n"
	      "Shows every TCP segment and the state of BOTH endpoints of every connection,\n"
	      "inferred from the packets (RFC 9293 states), live or from a capture file.\n"
	      "\n"
	      "On a terminal it opens the interactive screen; otherwise (or with --format) it\n"
	      "writes one line per segment and per state change.\n"
	      "\n"
	      "Source:\n"
	      "  -r, --read FILE       read a pcap or pcapng file ('-' for standard input)\n"
	      "  -i, --interface IFACE capture live on IFACE (default: lo)\n"
	      "  -p, --port PORT       only TCP port PORT (same as the filter 'tcp port PORT')\n"
	      "  FILTER...             a BPF filter as for tcpdump, e.g.  host 127.0.0.1 and port "
	      "80\n"
	      "                        (combined with -p by 'and')\n"
	      "  -c, --count N         stop after N captured frames (streaming output)\n"
	      "\n"
	      "Output:\n"
	      "  --format=text|jsonl   stream text lines or JSON Lines, even on a terminal\n"
	      "  --summary             at the end, a table with one row per connection\n"
	      "  --names=rfc|linux     state names as in RFC 9293 (SYN_RECEIVED, FIN_WAIT_1) or\n"
	      "                        as Linux spells them (SYN_RECV, FIN_WAIT1)\n"
	      "  --no-color            no colour in the screen (also when NO_COLOR is set)\n"
	      "  --theme=NAME          default, or projector: no dim text, bold bright\n"
	      "                        colours, one colour per endpoint in every view\n"
	      "  --speed=X             screen replay pace for -r: 1 real time, 2 twice as fast,\n"
	      "                        0 as fast as possible (default 1)\n"
	      "  --kernel              start the screen in the kernel cross-check view\n"
	      "\n"
	      "Tracking:\n"
	      "  --time-wait=SECS      how long TIME_WAIT lasts (default 60, as on Linux)\n"
	      "  --max-conns=N         connections tracked at once (default 65536); the oldest\n"
	      "                        are evicted beyond that\n"
	      "\n"
	      "Privileges:\n"
	      "  -Z, --user USER       when run as root, become USER once the capture is open\n"
	      "                        (default: nobody)\n"
	      "  --no-drop             stay root\n"
	      "\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 runtime failure (no permission to capture, a file that\n"
	      "breaks off part way), 2 usage error (bad option, unknown interface, bad filter,\n"
	      "a missing file or one that is not a capture tcpscope can read).\n"
	      "\n"
	      "Examples:\n"
	      "  sudo tcpscope -p 8888                 the screen, port 8888 on loopback\n"
	      "  tcpscope -r demo.pcap                 replay a capture as text\n"
	      "  tcpscope -r demo.pcap --format=jsonl  the same as JSON Lines\n"
	      "  tcpscope -r demo.pcap --summary       text, then one row per connection\n"
	      "See tcpscope(1) for the output formats.\n",
	      fp);
}

/* Whole-string unsigned integer in [lo, hi]. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!*s || *s == ' ')
		return false;
	errno = 0;
	v = strtod(s, &end);
	/* v != v rejects "nan" */
	if (errno || *end || v != v || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

__attribute__((format(printf, 3, 4))) static enum cli_parse_result bad(char *err, size_t errlen,
                                                                       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

static enum cli_parse_result build_filter(struct cli_options *o, int argc, char **argv, int first,
                                          char *err, size_t errlen)
{
	char words[CLI_FILTER_MAX] = "";
	size_t used = 0;

	for (int i = first; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (used + n + 2 > sizeof words)
			return bad(err, errlen, "filter expression is too long");
		if (used)
			words[used++] = ' ';
		memcpy(words + used, argv[i], n + 1);
		used += n;
	}
	if (o->port && used)
		snprintf(o->filter, sizeof o->filter, "tcp port %d and (%s)", o->port, words);
	else if (o->port)
		snprintf(o->filter, sizeof o->filter, "tcp port %d", o->port);
	else
		memcpy(o->filter, words, used + 1);
	return CLI_RUN;
}

static void defaults(struct cli_options *o)
{
	memset(o, 0, sizeof *o);
	o->user = "nobody";
	o->format = OUT_FORMAT_TEXT;
	o->names = TRACK_NAMES_RFC;
	o->speed = 1.0;
	o->color = true;
}

enum cli_parse_result cli_parse(int argc, char **argv, struct cli_options *o, char *err,
                                size_t errlen)
{
	int c;
	uint64_t u;
	bool speed_given = false;

	defaults(o);
	opterr = 0; /* our own messages, one line each */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:i:p:c:Z:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->file = optarg;
			break;
		case 'i':
			o->device = optarg;
			break;
		case 'p':
			if (!parse_u64(optarg, 1, 65535, &u))
				return bad(err, errlen, "bad port '%s' (want %s)", optarg,
				           "1..65535");
			o->port = (int)u;
			break;
		case 'c':
			if (!parse_u64(optarg, 1, UINT64_MAX, &u))
				return bad(err, errlen, "bad count '%s' (want %s)", optarg,
				           "a whole number of frames, at least 1");
			o->count = u;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case OPT_FORMAT:
			o->format_given = true;
			if (strcmp(optarg, "text") == 0)
				o->format = OUT_FORMAT_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				o->format = OUT_FORMAT_JSONL;
			else
				return bad(err, errlen, "bad --format '%s' (want %s)", optarg,
				           "text or jsonl");
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case OPT_NAMES:
			if (strcmp(optarg, "rfc") == 0)
				o->names = TRACK_NAMES_RFC;
			else if (strcmp(optarg, "linux") == 0)
				o->names = TRACK_NAMES_LINUX;
			else
				return bad(err, errlen, "bad --names '%s' (want %s)", optarg,
				           "rfc or linux");
			break;
		case OPT_TIME_WAIT:
			if (!parse_double(optarg, 0.000001, 86400, &o->time_wait))
				return bad(err, errlen, "bad --time-wait '%s' (want %s)", optarg,
				           "seconds, more than 0 and at most 86400");
			break;
		case OPT_MAX_CONNS:
			if (!parse_u64(optarg, 1, CLI_MAX_CONNS_LIMIT, &u))
				return bad(err, errlen, "bad --max-conns '%s' (want %s)", optarg,
				           "a whole number 1..10000000");
			o->max_conns = (uint32_t)u;
			break;
		case OPT_SPEED:
			speed_given = true;
			if (!parse_double(optarg, 0, 1000, &o->speed))
				return bad(err, errlen, "bad --speed '%s' (want %s)", optarg,
				           "a factor 0..1000; 0 means as fast as possible");
			break;
		case OPT_NO_DROP:
			o->no_drop = true;
			break;
		case OPT_NO_COLOR:
			o->color = false;
			break;
		case OPT_KERNEL:
			o->kernel_view = true;
			break;
		case OPT_THEME:
			if (strcmp(optarg, "default") != 0 && strcmp(optarg, "projector") != 0)
				return bad(err, errlen, "bad --theme '%s' (want %s)", optarg,
				           "default or projector");
			o->theme_projector = strcmp(optarg, "projector") == 0;
			break;
		case 'h':
			cli_usage(stdout);
			return CLI_DONE;
		case 'V':
			printf("tcpscope %s\n", SOCKLAB_VERSION);
			return CLI_DONE;
		case ':':
			return bad(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (o->file && o->device)
		return bad(err, errlen, "-r and -i cannot be used together");
	/* a live capture comes at the pace of its traffic: accepting --speed would be a lie */
	if (speed_given && !o->file)
		return bad(err, errlen,
		           "--speed paces a -r file; a live capture has no pace to set");
	if (o->file && strcmp(o->file, "-") != 0) {
		struct stat st;

		/* a missing file is a usage problem; an unreadable or broken one is a failure */
		if (stat(o->file, &st) != 0 && errno == ENOENT)
			return bad(err, errlen, "no such file '%s'", o->file);
	}
	if (!o->file && !o->device)
		o->device = "lo";
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		o->color = false;
	return build_filter(o, argc, argv, optind, err, errlen);
}
