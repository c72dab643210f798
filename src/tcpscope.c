/* tcpscope.c — main: parse options, open the capture, drop root, then the screen or a stream. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "socklab/capture.h"
#include "socklab/ui.h"

static void usage_error(const char *msg) { cli_error("%s; try 'tcpscope --help'", msg); }

static int run_screen(const struct cli_options *o, struct capture *cap, int start_dir_fd,
                      struct marker_rx *markers, int rewind_fd)
{
	struct ui_options uo = {0};
	char label[CLI_FILTER_MAX + 300];
	char fig_source[300];
	char err[256] = "";
	int rc;

	snprintf(label, sizeof label, "%s%s%s", o->file ? o->file : o->device,
	         o->filter[0] ? "  " : "", o->filter);
	uo.cap = cap;
	uo.source_label = label;
	uo.names = o->names;
	uo.color = o->color;
	uo.projector = o->theme_projector;
	uo.speed = o->speed;
	uo.time_wait_secs = o->time_wait;
	uo.max_conns = o->max_conns;
	uo.kernel_view = o->kernel_view;
	uo.filter = o->filter;
	uo.capture_on_stdin = o->file && strcmp(o->file, "-") == 0;
	uo.start_dir_fd = start_dir_fd;
	uo.rewind_fd = rewind_fd;
	uo.write_file = o->file ? NULL : o->write_file;
	uo.markers = markers;
	/* named as --format=svg names it (cli_figure.c), so `e` draws the same bytes */
	if (!o->file)
		snprintf(fig_source, sizeof fig_source, "live capture on %s", o->device);
	else
		snprintf(fig_source, sizeof fig_source, "%s",
		         uo.capture_on_stdin     ? "standard input"
		         : strrchr(o->file, '/') ? strrchr(o->file, '/') + 1
		                                 : o->file);
	uo.fig_source = fig_source;
	rc = ui_run(&uo, err, sizeof err);
	if (rc != 0 && err[0])
		cli_error("%s", err);
	if (markers) {
		/* the screen counted them; now that it is gone, say so where it can be read */
		cli_report_markers(markers);
	}
	/* The screen is gone now: leave the kernel's counters where the instructor can see whether
	 * anything was lost while it was up. */
	if (capture_is_live(cap)) {
		struct capture_stats st;
		capture_get_stats(cap, &st);
		if (st.valid)
			fprintf(stderr,
			        "tcpscope: kernel: %llu received, %llu dropped, %llu dropped by "
			        "the interface%s\n",
			        (unsigned long long)st.received, (unsigned long long)st.dropped,
			        (unsigned long long)st.if_dropped,
			        st.halved
			            ? " (lo: the kernel counts each frame twice, the copy sent and "
			              "the copy received; these are its counts halved)"
			            : "");
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_options o;
	struct capture_options co = {0};
	enum capture_error kind = CAPTURE_OK;
	struct capture *cap;
	struct marker_rx *markers = NULL;
	char err[512];
	bool screen;
	int start_dir = -1, rewind_fd = -1;
	int rc;

	switch (cli_parse(argc, argv, &o, err, sizeof err)) {
	case CLI_DONE:
		/* --help or --version: a full disk or a closed pipe is a failure to say so */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_error("writing the output failed: %s", strerror(errno ? errno : EIO));
			return 1;
		}
		return 0;
	case CLI_USAGE:
		usage_error(err);
		return 2;
	case CLI_RUN:
		break;
	}
	/* the screen on a terminal unless a stream format (or the summary) was asked for */
	screen = isatty(STDOUT_FILENO) && !o.format_given && !o.summary;
	cli_signals_install();
	/* The screen's `w` and `e` create files where tcpscope was started, after the privilege
	 * drop: the directory is pinned now (O_PATH grants no access; whether the dropped user
	 * may create files in it is checked when it tries, and the screen says so if not). */
	if (screen)
		start_dir = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	co.device = o.file ? NULL : o.device;
	co.file = o.file;
	co.filter = o.filter[0] ? o.filter : NULL;
	/* A file streamed as text or JSONL is read on a second thread while this one tracks and
	 * writes (when there is a CPU for it; see capture.h). The screen replays at a
	 * human pace and gains nothing from it. */
	co.readahead = !screen;
	/* The screen polls a capture read from a pipe; stdio's buffer would hide frames from
	 * poll(), so there is none (see ui_options.capture_on_stdin). */
	if (screen && o.file && strcmp(o.file, "-") == 0)
		setvbuf(stdin, NULL, _IONBF, 0);
	/* A file needs no privilege: they go before a byte of it is parsed (libpcap reads its
	 * header in capture_open); a regular file is only opened before, with the rights of
	 * whoever started tcpscope. A live capture needs them to open, and only for that. */
	if (o.file && strcmp(o.file, "-") != 0)
		co.file_stream = cli_open_capture_file(o.file);
	o.file_opened_early = co.file_stream != NULL;
	/* the screen's `R` reads the file again from a descriptor of its own (the capture owns
	 * and closes the stream) */
	if (screen && co.file_stream)
		rewind_fd = fcntl(fileno(co.file_stream), F_DUPFD_CLOEXEC, 0);
	if (o.file && cli_drop_privileges(&o, err, sizeof err) != 0) {
		cli_error("%s", err);
		if (co.file_stream)
			fclose(co.file_stream);
		return 1;
	}
	cap = capture_open(&co, &kind, err, sizeof err);
	if (!cap && cli_stop_requested())
		return 0; /* Ctrl-C while opening (a FIFO with no writer yet): an ordinary end */
	if (!cap)
		return cli_capture_failed(&o, kind, err);
	/* -w: the file is created before root is given up, as tcpdump does */
	if (o.write_file && !o.file && cli_save_start(&o, cap, err, sizeof err) != 0) {
		cli_error("%s", err);
		capture_close(cap);
		return 1;
	}
	/* The labs' syscall markers arrive on a socket bound now, while tcpscope may still do
	 * so: an abstract name needs no file the dropped user could not reach. */
	if (o.figure == CLI_FIGURE_NONE && !o.stream_none && !(o.summary && !o.format_given))
		markers = cli_markers_open(&o);
	if (!o.file && cli_drop_privileges(&o, err, sizeof err) != 0) {
		cli_error("%s", err);
		marker_rx_close(markers);
		capture_close(cap);
		return 1;
	}
	if (o.figure != CLI_FIGURE_NONE)
		rc = cli_figure(&o, cap);
	else if (screen)
		rc = run_screen(&o, cap, start_dir, markers, rewind_fd);
	else
		rc = cli_stream(&o, cap, markers);
	marker_rx_close(markers);
	capture_close(cap);
	if (start_dir >= 0)
		close(start_dir);
	if (rewind_fd >= 0)
		close(rewind_fd);
	return rc;
}
