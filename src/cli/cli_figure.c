/* cli_figure.c — --format=svg and html: read the whole capture file, track it, write the figure. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "socklab/out_fig.h"

/* How often capture time is let pass for the tracker, as the stream does (cli_stream.c), so
 * that timers fire where they would there. */
#define ADVANCE_EVERY 0.2

struct figure_run {
	struct track_table *tt;
	struct out_fig *fig;
	double last_advance, last_t;
	bool have_t;
};

static void on_frames(const struct capture_frame *f, size_t n, void *user)
{
	struct figure_run *r = user;

	for (size_t i = 0; i < n; i++) {
		if (!r->have_t) {
			r->have_t = true;
			r->last_advance = f[i].t;
		}
		r->last_t = f[i].t;
		if (f[i].t - r->last_advance >= ADVANCE_EVERY) {
			track_advance(r->tt, f[i].t);
			r->last_advance = f[i].t;
		}
		if (f[i].status == DECODE_OK && f[i].pkt)
			track_segment(r->tt, f[i].t, f[i].pkt);
	}
}

/* Every --conn asked for is in the capture; else a one-line message and false. */
static bool conns_found(const struct cli_options *o, const struct out_fig *fig)
{
	for (size_t i = 0; i < o->nconns; i++) {
		if (!out_fig_find(fig, o->conns[i])) {
			fprintf(stderr,
			        "tcpscope: bad --conn %llu: no such connection in '%s' (they are "
			        "numbered 1, 2, ... as --format=text shows them); try 'tcpscope "
			        "--help'\n",
			        (unsigned long long)o->conns[i], o->file);
			return false;
		}
	}
	return true;
}

int cli_figure(const struct cli_options *o, struct capture *cap)
{
	struct track_config tc = {.max_conns = o->max_conns, .time_wait_secs = o->time_wait};
	struct out_svg_options so = {.diagram = o->diagram, .blank = o->blank, .names = o->names};
	struct figure_run r = {0};
	char err[256];
	int rc = 0;

	/* the file's name only: the figure does not change with the directory it was drawn in */
	so.source = strcmp(o->file, "-") == 0 ? "standard input"
	            : strrchr(o->file, '/')   ? strrchr(o->file, '/') + 1
	                                      : o->file;
	r.fig = out_fig_create(o->conns, o->nconns);
	if (!r.fig) {
		fprintf(stderr, "tcpscope: out of memory\n");
		return 1;
	}
	tc.on_event = out_fig_event;
	tc.user = r.fig;
	r.tt = track_create(&tc, err, sizeof err);
	if (!r.tt) {
		fprintf(stderr, "tcpscope: %s\n", err);
		out_fig_destroy(r.fig);
		return 1;
	}
	for (;;) {
		int n = capture_dispatch_batch(cap, 4096, on_frames, &r, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "tcpscope: reading the capture failed: %s\n", err);
			rc = 1;
			break;
		}
		if (n == 0 || cli_stop_requested())
			break;
	}
	track_finish(r.tt, r.last_t);
	if (rc == 0 && !conns_found(o, r.fig))
		rc = 2;
	if (rc == 0 && ((o->figure == CLI_FIGURE_HTML ? out_html_write(stdout, r.fig, &so)
	                                              : out_svg_write(stdout, r.fig, &so)) != 0 ||
	                fflush(stdout) != 0)) {
		fprintf(stderr, "tcpscope: writing the figure failed: %s\n", strerror(errno));
		rc = 1;
	}
	track_destroy(r.tt);
	out_fig_destroy(r.fig);
	return rc;
}
