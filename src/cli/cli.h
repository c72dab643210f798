/* cli.h — tcpscope's command line: options, signals, privilege drop, and the streaming loop. */
#ifndef SOCKLAB_CLI_H
#define SOCKLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socklab/capture.h"
#include "socklab/marker_rx.h"
#include "socklab/out.h"
#include "socklab/track.h"

#define CLI_MAX_CONNS_LIMIT 10000000u
#define CLI_FILTER_MAX      4096
#define CLI_CONNS_MAX       64 /* --conn ids kept; more is a usage error */

/* --format=svg|html: a figure (or a page) drawn from a whole capture file instead of a stream (cli_figure.c). */
enum cli_figure { CLI_FIGURE_NONE, CLI_FIGURE_SVG, CLI_FIGURE_HTML };

struct cli_options {
	const char *file;            /* -r */
	const char *device;          /* -i, default "lo" */
	const char *user;            /* -Z, default "nobody" */
	char filter[CLI_FILTER_MAX]; /* -p and trailing words combined; "" for the default */
	int port;                    /* -p, 0 if not given */
	bool format_given;           /* --format: stream even on a terminal */
	enum out_format format;      /* OUT_FORMAT_SUMMARY: --summary without --format */
	bool summary;
	enum track_names names;
	double time_wait; /* 0: the tracker's default */
	double speed;     /* replay pace in the screen */
	uint32_t max_conns;
	uint64_t count; /* -c, 0: no limit */
	bool no_drop;
	const char *dropped_to; /* set by cli_drop_privileges when it left root for -Z USER */
	bool
	    file_opened_early; /* -r: a regular file opened before the drop (cli_open_capture_file) */
	bool color;
	bool theme_projector; /* --theme=projector */
	bool kernel_view;
	const char *write_file;        /* -w: save the live frames here ("-": stdout), NULL: not */
	bool stream_none;              /* --format=none: no text/JSONL stream (with -w) */
	enum cli_figure figure;        /* --format=svg */
	bool diagram, blank;           /* --diagram, --blank */
	uint64_t conns[CLI_CONNS_MAX]; /* --conn: ids to draw; none given: all */
	size_t nconns;
	bool no_markers;           /* --no-markers: no socket for the labs' syscall markers */
	const char *marker_socket; /* --marker-socket, else $SOCKLAB_MARKER_SOCKET, else default */
};

enum cli_parse_result {
	CLI_RUN,   /* options are good: run */
	CLI_DONE,  /* --help or --version was printed: exit 0 */
	CLI_USAGE, /* a usage error; the one-line message is in err: exit 2 */
};

/* Parses argv (getopt_long); fills o. Prints --help / --version text to stdout itself. */
enum cli_parse_result cli_parse(int argc, char **argv, struct cli_options *o, char *err,
                                size_t errlen);
void cli_usage(FILE *fp);

/* Writes s into out (len bytes, NUL included) with every control byte, backslash and byte that
 * is not printable UTF-8 written as \xNN (backslash as \\), so a file name, argument or
 * library message cannot move the cursor, set a title or split a line. Returns the length. */
size_t cli_escape(const char *s, char *out, size_t len);
/* "tcpscope: MESSAGE\n" on stderr, the whole message escaped (cli_escape). */
__attribute__((format(printf, 1, 2))) void cli_error(const char *fmt, ...);

/* cli_figure_options.c: --conn N[,N...] appended to o->conns (CLI_USAGE if not numbers or
 * too many), and the checks that tie -w and the figure options to the rest (one-line
 * message in err). */
enum cli_parse_result cli_parse_conns(const char *arg, struct cli_options *o);
enum cli_parse_result cli_check_figure_options(const struct cli_options *o, char *err,
                                               size_t errlen);

/* -w: starts saving the live capture (before the privilege drop); with "-" or --format=none
 * it then points stdout at /dev/null, so only the capture file reaches standard output.
 * Returns 0, or -1 with a message in err (the caller exits 1). */
int cli_save_start(const struct cli_options *o, struct capture *cap, char *err, size_t errlen);

/* --format=svg: reads the whole capture, tracks it and writes the figure to stdout; returns
 * the exit code. */
int cli_figure(const struct cli_options *o, struct capture *cap);

/* Signals: SIGINT, SIGTERM and SIGHUP only set a flag that the loops poll. */
void cli_signals_install(void);
bool cli_stop_requested(void);
/* The signal that asked to stop (0 if none), e.g. to report it. */
int cli_stop_signal(void);

/* Gives up every privilege for good: as root, becomes o->user (-Z); in every case clears the
 * capabilities (permitted, effective, inheritable, ambient), the bounding set when it may
 * (CAP_SETPCAP), and sets no_new_privs. Call it once the live capture is open, or before a -r
 * file is opened (--no-drop keeps everything, live only). Single-threaded callers only:
 * capabilities belong to a thread. Returns 0, or -1 with a message in err (the caller exits 1:
 * running on with privileges was not asked for). */
int cli_drop_privileges(struct cli_options *o, char *err, size_t errlen);

/* For -r: the file opened read-only if it is a regular file (else NULL: a FIFO, whose open
 * waits for a writer, is opened after the drop by path). Call it before cli_drop_privileges,
 * so `sudo tcpscope -r FILE` reads what its user may read, as tcpdump does; libpcap parses
 * the bytes only after the drop. */
FILE *cli_open_capture_file(const char *path);

/* Prints the advice that fits a failed capture_open and returns the exit code (1 or 2). */
int cli_capture_failed(const struct cli_options *o, enum capture_error kind, const char *msg);

/* Streams the capture as text or JSONL to stdout until its end, -c, or a signal; returns the
 * exit code. markers (may be NULL): the labs' syscall markers, written before the segment
 * each belongs to. */
int cli_stream(const struct cli_options *o, struct capture *cap, struct marker_rx *markers);

/* One line on stderr if any marker datagram was malformed, refused or dropped (never silent). */
void cli_report_markers(const struct marker_rx *markers);

/* The labs' syscall markers for a live capture: the socket bound (before the privilege drop),
 * and told the filter's ports. NULL when off (--no-markers, -r), or when it cannot be bound:
 * then one line on stderr says why, and tcpscope goes on without them. */
struct marker_rx *cli_markers_open(const struct cli_options *o);

#endif
