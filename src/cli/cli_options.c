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
	OPT_DIAGRAM,
	OPT_BLANK,
	OPT_CONN,
	OPT_THEME,
	OPT_NO_MARKERS,
	OPT_MARKER_SOCKET,
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
    {"write", required_argument, NULL, 'w'},
    {"diagram", no_argument, NULL, OPT_DIAGRAM},
    {"blank", no_argument, NULL, OPT_BLANK},
    {"conn", required_argument, NULL, OPT_CONN},
    {"theme", required_argument, NULL, OPT_THEME},
    {"no-markers", no_argument, NULL, OPT_NO_MARKERS},
    {"marker-socket", required_argument, NULL, OPT_MARKER_SOCKET},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

void cli_usage(FILE *fp)
{
	fputs("usage: tcpscope [OPTIONS] [FILTER...]\n"
	      "Shows every TCP segment and the state of BOTH endpoints of every connection,\n"
	      "inferred from the packets (RFC 9293 states), live or from a capture file.\n"
	      "\n"
	      "On a terminal it opens the interactive screen (? lists its keys: w saves the\n"
	      "live capture, e exports the selected ladder as SVG, both where tcpscope was\n"
	      "started; Left/Right step segment by segment, t through the whole file, L the\n"
	      "lesson layout, R replays a -r file from its start); otherwise (or with\n"
	      "--format) it writes one line per segment and per state change.\n"
	      "\n"
	      "Source:\n"
	      "  -r, --read FILE       read a pcap or pcapng file ('-' for standard input)\n"
	      "  -i, --interface IFACE capture live on IFACE (default: lo)\n"
	      "  -p, --port PORT       only TCP port PORT (same as the filter 'tcp port PORT')\n"
	      "  FILTER...             a BPF filter as for tcpdump, e.g.  host 127.0.0.1 and port "
	      "80\n"
	      "                        (combined with -p by 'and'; one expression on its own)\n"
	      "  -c, --count N         stop after N captured frames (streaming output)\n"
	      "  -w, --write FILE      live: also save the frames to a pcap FILE, complete when\n"
	      "                        tcpscope stops ('-': stdout, with --format=none)\n"
	      "\n"
	      "Output:\n"
	      "  --format=text|jsonl   stream text lines or JSON Lines, even on a terminal\n"
	      "  --summary             only a table with one row per connection, at the end\n"
	      "                        (with --format=text: the lines, then the table)\n"
	      "  --format=none         no stream (with -w: save only)\n"
	      "  --format=svg          with -r: each connection's ladder with both endpoints'\n"
	      "                        states, as one SVG document on stdout\n"
	      "  --diagram             with svg: the RFC 9293 state diagram with each endpoint's\n"
	      "                        path, numbered\n"
	      "  --blank               with svg: states (or the path) left out, boxes to fill in\n"
	      "  --conn N[,N...]       with svg: only these connections (numbers as in the text)\n"
	      "  --format=html         with -r: one self-contained page: summary, connections,\n"
	      "                        each one's ladder, state diagram and reasons (--conn too)\n"
	      "  --names=rfc|linux     state names as in RFC 9293 (SYN_RECEIVED, FIN_WAIT_1) or\n"
	      "                        as Linux spells them (SYN_RECV, FIN_WAIT1)\n"
	      "  --no-color            no colour in the screen (also when NO_COLOR is set)\n"
	      "  --theme=NAME          default, or projector: no dim text, bold bright\n"
	      "                        colours, one colour per endpoint in every view\n"
	      "  --speed=X             screen replay pace for -r: 1 real time, 2 twice as fast,\n"
	      "                        0 as fast as possible (default 1)\n"
	      "  --kernel              start the screen in the kernel cross-check view\n"
	      "  --no-markers          live: do not show the labs' syscall markers\n"
	      "                        (client: close() at the FIN it sent)\n"
	      "  --marker-socket=NAME  live: receive them on the abstract socket @NAME\n"
	      "                        (default @socklab-markers, or $SOCKLAB_MARKER_SOCKET)\n"
	      "\n"
	      "Tracking:\n"
	      "  --time-wait=SECS      how long TIME_WAIT lasts (default 60, as on Linux)\n"
	      "  --max-conns=N         connections tracked at once (default 65536); the oldest\n"
	      "                        are evicted beyond that\n"
	      "\n"
	      "Privileges:\n"
	      "  -Z, --user USER       when run as root, become USER once the capture is open\n"
	      "                        (default: nobody); every capability goes too, and with\n"
	      "                        -r all of it before the file is parsed\n"
	      "  --no-drop             stay root with every capability (live only)\n"
	      "\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         print the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 runtime failure (no permission to capture, a file that\n"
	      "breaks off part way, output that cannot be written), 2 usage error (bad\n"
	      "option, unknown interface, bad filter, a missing file or one that is not a\n"
	      "capture tcpscope can read).\n"
	      "\n"
	      "Examples:\n",
	      fp);
	/* The labs' port: SOCKLAB_PORT when a class gives each student one (as the labs honour it),
	 * so the example a student copies watches their own lab. */
	const char *env = getenv("SOCKLAB_PORT");
	uint64_t port = 8888;
	if (env)
		parse_u64(env, 1, 65535, &port); /* leaves 8888 when it is not a port */
	fprintf(
	    fp,
	    "  sudo tcpscope -p %-5u                the screen, the labs' port %u on loopback\n",
	    (unsigned)port, (unsigned)port);
	fputs("  tcpscope -r demo.pcap                 replay a capture as text\n"
	      "  tcpscope -r demo.pcap --format=jsonl  the same as JSON Lines\n"
	      "  tcpscope -r demo.pcap --summary       one row per connection, nothing else\n"
	      "  sudo tcpscope -p 8888 -w lab.pcap     the screen, and the capture saved\n"
	      "  tcpscope -r lab.pcap --format=svg >l.svg  ladders for a slide\n"
	      "See tcpscope(1) for the output formats.\n",
	      fp);
}

/* Whole-string decimal unsigned integer in [lo, hi]: digits only (strtoull alone would also take
 * leading blanks, a sign and, with base 0, hex). */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Whole-string decimal number in [lo, hi]: digits with at most one '.', as "60", "0.5" or
 * ".25" (strtod alone would also take blanks, signs, exponents, hex, "inf" and "nan"). */
static bool parse_double(const char *s, double lo, double hi, double *out)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;
	char *end;
	double v;

	if (s[whole] == '.')
		frac = strspn(s + whole + 1, "0123456789");
	if (whole + frac == 0 || s[whole + (s[whole] == '.' ? 1 + frac : 0)] != '\0')
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || v < lo || v > hi)
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

/* A short option letter tcpscope has (getopt's optopt for a bad short option is its letter). */
static bool is_short_option(int c)
{
	return c > 0 && c < 256 && c != ':' && strchr("r:i:p:c:Z:hV", c) != NULL;
}

/* The option value getopt_long reports in optopt belongs to one of ours. */
static bool is_our_value(int val)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == val)
			return true;
	return false;
}

/* getopt_long returned '?': say which option and what is wrong with it. For a long option
 * getopt has already stepped past it, so it is argv[optind - 1]; a short one is only a letter
 * (it may sit inside a cluster such as -xh). */
static enum cli_parse_result bad_option(char **argv, char *err, size_t errlen)
{
	const char *arg = argv[optind - 1];
	size_t n, matches = 0;

	if (optopt != 0 && !is_our_value(optopt))
		return bad(err, errlen, "unknown option '-%c'", optopt);
	if (strncmp(arg, "--", 2) != 0) /* cannot happen: a long option error names "--..." */
		return bad(err, errlen, "bad option '%s'", arg);
	n = strcspn(arg + 2, "=");
	if (optopt != 0) /* one of ours, written as --NAME=VALUE, that takes no value */
		return bad(err, errlen, "option '%.*s' takes no value", (int)(n + 2), arg);
	for (const struct option *o = long_opts; o->name; o++)
		if (strncmp(o->name, arg + 2, n) == 0)
			matches++;
	if (matches > 1)
		return bad(err, errlen, "ambiguous option '%.*s'", (int)(n + 2), arg);
	return bad(err, errlen, "unknown option '%.*s'", (int)(n + 2), arg);
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
	if (o->port && used) {
		/* The words go inside "tcp port N and (...)": they must be one expression on
		 * their own, or a ')' in them would close ours and let the rest escape -p (as
		 * -p 9 'port 1) or (udp' would). The filter language has no quoting, so counting
		 * parentheses is exact; libpcap then checks the rest of the grammar. */
		int depth = 0;

		for (const char *c = words; *c; c++) {
			depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
			if (depth < 0)
				return bad(err, errlen,
				           "filter '%s': a ')' closes a '(' it does not have",
				           words);
		}
		if (depth > 0)
			return bad(err, errlen, "filter '%s': a '(' is never closed", words);
		int n =
		    snprintf(o->filter, sizeof o->filter, "tcp port %d and (%s)", o->port, words);

		/* a cut expression would filter something else than what was asked: refuse */
		if (n < 0 || (size_t)n >= sizeof o->filter)
			return bad(err, errlen, "filter expression is too long");
	} else if (o->port) {
		snprintf(o->filter, sizeof o->filter, "tcp port %d", o->port);
	} else {
		memcpy(o->filter, words, used + 1);
	}
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
	while ((c = getopt_long(argc, argv, ":r:i:p:c:Z:w:hV", long_opts, NULL)) != -1) {
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
			else if (strcmp(optarg, "none") == 0)
				o->stream_none = true;
			else if (strcmp(optarg, "svg") == 0)
				o->figure = CLI_FIGURE_SVG;
			else if (strcmp(optarg, "html") == 0)
				o->figure = CLI_FIGURE_HTML;
			else
				return bad(err, errlen, "bad --format '%s' (want %s)", optarg,
				           "text, jsonl, none, svg or html");
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
		case 'w':
			o->write_file = optarg;
			break;
		case OPT_DIAGRAM:
			o->diagram = true;
			break;
		case OPT_BLANK:
			o->blank = true;
			break;
		case OPT_CONN:
			if (cli_parse_conns(optarg, o) != CLI_RUN)
				return bad(err, errlen, "bad --conn '%s' (want %s)", optarg,
				           "connection numbers such as 2 or 1,3, at most 64");
			break;
		case OPT_THEME:
			if (strcmp(optarg, "default") != 0 && strcmp(optarg, "projector") != 0)
				return bad(err, errlen, "bad --theme '%s' (want %s)", optarg,
				           "default or projector");
			o->theme_projector = strcmp(optarg, "projector") == 0;
			break;
		case OPT_NO_MARKERS:
			o->no_markers = true;
			break;
		case OPT_MARKER_SOCKET:
			if (!*optarg || strlen(optarg) > MARKER_NAME_MAX)
				return bad(err, errlen, "bad --marker-socket '%s' (want %s)",
				           optarg, "a name of 1-100 bytes");
			o->marker_socket = optarg;
			break;
		case 'h':
			cli_usage(stdout);
			return CLI_DONE;
		case 'V':
			printf("tcpscope %s\n", SOCKLAB_VERSION);
			return CLI_DONE;
		case ':':
			if (is_short_option(optopt))
				return bad(err, errlen, "option '-%c' needs a value", optopt);
			return bad(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		default:
			return bad_option(argv, err, errlen);
		}
	}
	if (o->file && o->device)
		return bad(err, errlen, "-r and -i cannot be used together");
	/* a live capture comes at the pace of its traffic: accepting --speed would be a lie */
	if (speed_given && !o->file)
		return bad(err, errlen,
		           "--speed paces a -r file; a live capture has no pace to set");
	if (o->marker_socket && o->file)
		return bad(
		    err, errlen,
		    "--marker-socket is for a live capture: a -r file has no labs beside it");
	if (!o->marker_socket)
		o->marker_socket = getenv(MARKER_ENV_SOCKET) && *getenv(MARKER_ENV_SOCKET)
		                       ? getenv(MARKER_ENV_SOCKET)
		                       : MARKER_SOCKET_DEFAULT;
	if (o->file && strcmp(o->file, "-") != 0) {
		struct stat st;

		/* a missing file is a usage problem; an unreadable or broken one is a failure */
		if (stat(o->file, &st) != 0 && errno == ENOENT)
			return bad(err, errlen, "no such file '%s'", o->file);
	}
	/* --summary alone: the table only (tcptrace's and tshark -z conv's habit); a stream
	 * format given with it keeps the lines before the table */
	if (o->summary && !o->format_given)
		o->format = OUT_FORMAT_SUMMARY;
	if (cli_check_figure_options(o, err, errlen) != CLI_RUN)
		return CLI_USAGE;
	if (!o->file && !o->device)
		o->device = "lo";
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		o->color = false;
	return build_filter(o, argc, argv, optind, err, errlen);
}
