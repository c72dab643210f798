/* ui.h — the instructor's ncurses screen. The only module that calls curses. */
#ifndef SOCKLAB_UI_H
#define SOCKLAB_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socklab/capture.h"
#include "socklab/marker_rx.h"
#include "socklab/track.h"

struct ui_options {
	struct capture *cap; /* opened by main (live or file); the UI reads it, main closes it */
	const char *source_label; /* shown in the title bar, e.g. "lo  tcp port 9998" */
	enum track_names names;
	bool color;            /* false for --no-color or NO_COLOR */
	bool projector;        /* --theme=projector: no dim text, bold bright colours */
	double speed;          /* offline replay pace: 1 = real time, 0 = as fast as possible */
	double time_wait_secs; /* passed to the tracker (0: default) */
	uint32_t max_conns;    /* passed to the tracker (0: default) */
	bool kernel_view;      /* start with the kernel cross-check view on */
	/* The capture's BPF filter (NULL or "": none). The kernel view asks sock_diag only for
	 * the ports it confines the capture to (kernel_filter_ports), if any. */
	const char *filter;
	/* The capture is standard input (-r -, e.g. from tcpdump -w -): keys are read from the
	 * terminal (/dev/tty) and the input is polled, so a writer that goes quiet between
	 * packets never freezes the screen. Main makes stdin unbuffered before the capture opens
	 * it, so poll() sees every byte libpcap has not read yet. */
	bool capture_on_stdin;
	/* Where `w` and `e` create their files: the directory tcpscope was started in, opened
	 * (O_PATH) before the privilege drop so that a later cwd change cannot move it; -1: the
	 * keys say they cannot save. Main closes it. */
	int start_dir_fd; /* 0 (a zero-initialised struct) or -1: none */
	/* How the SVG's title names the capture (as --format=svg does: the file's base name). */
	const char *fig_source;
	/* The capture is already being written to this file (-w FILE), or NULL. */
	const char *write_file;
	/* The labs' syscall markers (live only), or NULL: shown on the ladder at the segment
	 * each call sent, and in the log. Main opens and closes it. */
	struct marker_rx *markers;
	/* -r FILE on a regular file: a second descriptor of it (a dup made before the privilege
	 * drop), from which `R` reads the file again from its first frame; -1 or 0: none (a
	 * pipe, standard input, live). Main closes it. */
	int rewind_fd;
};

/* Runs until the user quits or a signal ends it; the terminal is restored on every path.
 * Returns the process exit code (0 ok, 1 runtime failure) and fills err on failure. */
int ui_run(const struct ui_options *opt, char *err, size_t errlen);

#endif
