/* cli.h — tcpscope's command line: options, signals, privilege drop, and the streaming loop. */
#ifndef SOCKLAB_CLI_H
#define SOCKLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socklab/capture.h"
#include "socklab/out.h"
#include "socklab/track.h"

#define CLI_MAX_CONNS_LIMIT 10000000u
#define CLI_FILTER_MAX      4096

struct cli_options {
	const char *file;            /* -r */
	const char *device;          /* -i, default "lo" */
	const char *user;            /* -Z, default "nobody" */
	char filter[CLI_FILTER_MAX]; /* -p and trailing words combined; "" for the default */
	int port;                    /* -p, 0 if not given */
	bool format_given;           /* --format: stream even on a terminal */
	enum out_format format;
	bool summary;
	enum track_names names;
	double time_wait; /* 0: the tracker's default */
	double speed;     /* replay pace in the screen */
	uint32_t max_conns;
	uint64_t count; /* -c, 0: no limit */
	bool no_drop;
	bool color;
	bool theme_projector; /* --theme=projector */
	bool kernel_view;
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

/* Signals: SIGINT, SIGTERM and SIGHUP only set a flag that the loops poll. */
void cli_signals_install(void);
bool cli_stop_requested(void);
/* The signal that asked to stop (0 if none), e.g. to report it. */
int cli_stop_signal(void);

/* When running as root (and not --no-drop), switch to user o->user for good. Returns 0, or -1
 * with a message in err (the caller exits 1: capturing on as root was not asked for). */
int cli_drop_privileges(const struct cli_options *o, char *err, size_t errlen);

/* Prints the advice that fits a failed capture_open and returns the exit code (1 or 2). */
int cli_capture_failed(const struct cli_options *o, enum capture_error kind, const char *msg);

/* Streams the capture as text or JSONL to stdout until its end, -c, or a signal; returns the
 * exit code. */
int cli_stream(const struct cli_options *o, struct capture *cap);

#endif
