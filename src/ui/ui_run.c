/* ui_run.c — the live screen's loop: one thread polling the capture, the keyboard and the
 * signal pipe; redraws only when something changed, at most UI_FPS times a second. */
#include "socklab/ui.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "socklab/capture_save.h"
#include "ui_actions.h"
#include "ui_clock.h"
#include "ui_draw.h"
#include "ui_flow.h"
#include "ui_markers.h"
#include "ui_notice.h"
#include "ui_state.h"
#include "ui_term.h"
#include "ui_view.h"

#define UI_FPS        20
#define LIVE_TICK     0.25 /* tracker timers and the age column need no more */
#define STATS_PERIOD  1.0
#define KERNEL_PERIOD 1.0
#define MAX_SLEEP     1.0
#define DEFAULT_CONNS 65536u
#define UI_SAVE_KEEP  16384u /* frames `w` can still save (headers: 256 bytes each) */

/* libm is not linked for one comparison */
static double min_d(double a, double b) { return a < b ? a : b; }

/* The tracker's events feed the screen's model and the figure store `e` exports from. */
static void on_track_event(const struct track_event *ev, void *user)
{
	struct ui_state *s = user;

	ui_markers_on_event(s, ev); /* the model, with the labs' syscall markers */
	ui_timeline_note(&s->timeline, &s->model, ev);
	out_fig_event(ev, s->fig);
}

static bool state_init(struct ui_state *s, const struct ui_options *opt, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->opt = opt;
	s->cap = opt->cap;
	s->live = capture_is_live(opt->cap);
	s->show.names = opt->names;
	s->pace.speed = opt->speed;
	s->table.follow = true;
	s->show.view = opt->kernel_view ? UI_VIEW_KERNEL : UI_VIEW_MAIN;
	s->table.cap = opt->max_conns ? opt->max_conns : DEFAULT_CONNS;
	s->table.rows = calloc(s->table.cap, sizeof *s->table.rows);
	s->kernel.socks = calloc(UI_KERNEL_MAX, sizeof *s->kernel.socks);
	s->kernel.nports = kernel_filter_ports(opt->filter, s->kernel.ports, KERNEL_PORTS_MAX);
	s->fig = out_fig_create(NULL, 0);
	if (s->fig)
		out_fig_set_keep_latest(s->fig, true); /* a session's recent ones matter */
	if (!s->table.rows || !s->kernel.socks || !s->fig || !ui_model_init(&s->model) ||
	    !ui_timeline_init(&s->timeline) || !ui_queue_init(&s->queue, UI_QUEUE_FRAMES)) {
		snprintf(err, errlen, "out of memory for the screen's tables");
		return false;
	}
	/* `w` saves what came before it too: the capture keeps the latest frames until then
	 * (without them, if the memory is not there: `w` then says it saves from then on) */
	if (s->live && !opt->write_file)
		(void)capture_save_keep(opt->cap, UI_SAVE_KEEP);
	s->track_cfg = (struct track_config){
	    .max_conns = opt->max_conns,
	    .time_wait_secs = opt->time_wait_secs,
	    .on_event = on_track_event,
	    .user = s,
	};
	s->tt = track_create(&s->track_cfg, err, errlen);
	return s->tt != NULL;
}

static void state_free(struct ui_state *s)
{
	if (s->tt)
		track_destroy(s->tt);
	ui_model_free(&s->model);
	ui_timeline_free(&s->timeline);
	if (s->own_cap)
		capture_close(s->own_cap);
	out_fig_destroy(s->fig);
	ui_queue_free(&s->queue);
	free(s->table.rows);
	free(s->kernel.socks);
}

static void refresh_kernel(struct ui_state *s, double now)
{
	if (s->show.view != UI_VIEW_KERNEL || now < s->kernel.next)
		return;
	s->kernel.next = now + KERNEL_PERIOD;
	char err[UI_MSG_LEN];
	/* taken before the read: a segment after this may or may not be reflected in it */
	s->kernel.at = ui_clock_wall();
	/* filtered in the kernel: a busy host's other sockets neither fill the list nor show */
	int n = s->kernel.nports > 0
	            ? kernel_list_tcp_ports(s->kernel.ports, s->kernel.nports, s->kernel.socks,
	                                    UI_KERNEL_MAX, err, sizeof err)
	            : kernel_list_tcp(s->kernel.socks, UI_KERNEL_MAX, err, sizeof err);
	if (n < 0) {
		s->kernel.ok = false;
		snprintf(s->kernel.err, sizeof s->kernel.err, "%s", err);
		s->kernel.n = 0;
	} else {
		s->kernel.ok = true;
		s->kernel.total = n;
		s->kernel.n = n < UI_KERNEL_MAX ? n : UI_KERNEL_MAX;
	}
	s->dirty = true;
}

static void refresh_stats(struct ui_state *s, double now)
{
	if (!s->live || now < s->counts.stats_next)
		return;
	s->counts.stats_next = now + STATS_PERIOD;
	struct capture_stats st;
	capture_get_stats(s->cap, &st);
	if (st.dropped != s->counts.cstats.dropped ||
	    st.if_dropped != s->counts.cstats.if_dropped || st.valid != s->counts.cstats.valid)
		s->dirty = true;
	s->counts.cstats = st;
}

/* How long poll may sleep: until the next thing that has to happen, and no sooner. */
static int sleep_ms(const struct ui_state *s, double now, double last_draw, double next_tick,
                    double age_redraw)
{
	double wait = MAX_SLEEP;
	if (s->dirty)
		wait = min_d(wait, last_draw + 1.0 / UI_FPS - now);
	double due = ui_flow_next_due(s, now);
	if (due >= 0)
		wait = min_d(wait, due);
	/* A file whose queue ran dry is read again at once: sleeping here (until the next draw,
	 * or up to MAX_SLEEP at --speed=0) made a fast replay slower than a paced one. */
	if (ui_flow_wants_read(s))
		wait = 0;
	if (s->live || (s->pace.set && !s->pace.eof))
		wait = min_d(wait, next_tick - now);
	if (!s->live && s->pace.eof && !s->pace.finished)
		wait = 0;
	if (s->replay.on && !s->pace.paused)
		wait = min_d(wait, s->replay.next - now);
	if (s->hint.msg[0] && s->hint.until > now)
		wait = min_d(wait, s->hint.until - now);
	if (s->show.view == UI_VIEW_KERNEL)
		wait = min_d(wait, s->kernel.next - now);
	if (s->table.nrows)
		wait = min_d(wait, age_redraw - now);
	if (wait < 0)
		wait = 0;
	return (int)(wait * 1000.0 + 0.999);
}

static int loop(struct ui_state *s, char *err, size_t errlen)
{
	double now = ui_clock_mono();
	double last_draw = 0, next_tick = now, age_redraw = now + 1.0;
	int empty_wakeups = 0; /* stdin readable yet no key: at end of input it stays so */
	s->dirty = true;
	while (!s->quit) {
		struct pollfd fds[4];
		int nfds = 0;
		fds[nfds++] = (struct pollfd){.fd = ui_term_signal_fd(), .events = POLLIN};
		/* a closed keyboard would make poll return at once forever: stop watching it */
		fds[nfds++] = (struct pollfd){.fd = empty_wakeups < 8 ? ui_term_key_fd() : -1,
		                              .events = POLLIN};
		/* With the pause queue full, leave packets in the kernel buffer (which counts
		 * what it has to drop) rather than dropping them here. A capture on a pipe is
		 * watched the same way, so the screen sleeps while its writer is quiet. */
		int cfd = ui_flow_poll_fd(s);
		if (cfd >= 0 && ui_queue_space(&s->queue) > 0)
			fds[nfds++] = (struct pollfd){.fd = cfd, .events = POLLIN};
		bool cap_polled = nfds == 3;
		int mfd = nfds; /* the labs' syscall markers, when they are on */
		fds[nfds++] =
		    (struct pollfd){.fd = marker_rx_fd(s->opt->markers), .events = POLLIN};
		int timeout = sleep_ms(s, now, last_draw, next_tick, age_redraw);
		if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return 1;
		}
		now = ui_clock_mono();

		unsigned sig = ui_term_take_signals();
		if (sig & (UI_SIG_INT | UI_SIG_TERM | UI_SIG_HUP))
			break;
		if (sig & UI_SIG_WINCH) {
			ui_term_resize();
			s->dirty = true;
		}
		int ch, keys = 0;
		if (fds[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			empty_wakeups = 8;
		while (!s->quit && (ch = getch()) != ERR) {
			keys++;
			if (ch == KEY_RESIZE) {
				s->dirty = true;
				continue;
			}
			if (!ui_action_key(s, ch, now, err, errlen))
				return 1;
		}
		if (fds[1].revents & POLLIN)
			empty_wakeups = keys ? 0 : empty_wakeups + 1;
		if (s->quit)
			break;
		/* markers before the frames: a call's marker was sent before its segments */
		if (fds[mfd].revents & POLLIN)
			ui_markers_poll(s, ui_clock_wall());
		if (cap_polled || (!s->live && !s->opt->capture_on_stdin)) {
			if (!ui_flow_read(s, err, errlen))
				return 1;
		}
		ui_flow_feed(s, now);
		if (now >= next_tick) {
			ui_flow_tick(s, now);
			ui_markers_poll(s, ui_clock_wall());
			next_tick = now + LIVE_TICK;
			/* `w`'s file is readable up to the last quarter second while tcpscope runs */
			if (s->save_name[0] && capture_save_flush(s->cap) != 0)
				ui_notice(s, "writing %s failed: the disk may be full",
				          s->save_name);
		}
		if (!s->live && s->pace.eof && !s->pace.finished)
			ui_flow_tick(s, now);
		ui_replay_tick(s, now);
		refresh_stats(s, now);
		refresh_kernel(s, now);
		if (s->model.version != s->drawn_version)
			s->dirty = true;
		if (now >= age_redraw) {
			/* ages in the table move on their own, once a second is enough */
			if (s->table.nrows && s->show.view == UI_VIEW_MAIN)
				s->dirty = true;
			age_redraw = now + 1.0;
		}
		if (s->hint.msg[0] && now >= s->hint.until) {
			s->hint.msg[0] = '\0';
			s->dirty = true;
		}
		if (s->dirty && now - last_draw >= 1.0 / UI_FPS) {
			if (!s->live && !s->pace.eof)
				s->pace.now =
				    s->pace.now > s->pace.last_t ? s->pace.now : s->pace.last_t;
			ui_view_update(s, COLS, LINES);
			ui_draw_screen(s);
			refresh();
			s->dirty = false;
			s->drawn_version = s->model.version;
			last_draw = now;
		}
	}
	return 0;
}

int ui_run(const struct ui_options *opt, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	if (!opt || !opt->cap) {
		snprintf(err, errlen, "ui_run: no capture to show");
		return 1;
	}
	struct ui_state *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	int rc = 1;
	if (state_init(s, opt, err, errlen) && ui_term_start(opt->color, err, errlen)) {
		ui_theme_init(opt->color, opt->projector);
		rc = loop(s, err, errlen);
		ui_term_stop();
	}
	state_free(s);
	free(s);
	return rc;
}
