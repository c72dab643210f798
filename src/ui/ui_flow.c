/* ui_flow.c — capture -> queue -> tracker, with pause, single-step and timestamp pacing. */
#include "ui_flow.h"

#include <poll.h>
#include <unistd.h>

#include "ui_clock.h"
#include "ui_notice.h"

/* Frames handled per loop turn at most, so keys and redraws stay responsive under load. */
#define READ_CHUNK  512
#define TURN_BUDGET 8192

static void on_frame(const struct capture_frame *f, void *user)
{
	struct ui_state *s = user;
	/* The caller asked for no more than the free space, so this cannot fail. */
	ui_queue_push(&s->queue, f->t, (int)f->status, f->status == DECODE_OK ? f->pkt : NULL);
	s->counts.frames++;
}

static void feed_frame(struct ui_state *s, const struct ui_frame *f)
{
	s->pace.last_t = f->t;
	if (!s->pace.t0_set) {
		s->pace.t0 = f->t;
		s->pace.t0_set = true;
	}
	if (!s->live)
		s->pace.now = f->t;
	if (f->status == DECODE_OK) {
		track_segment(s->tt, f->t, &f->pkt);
		s->counts.segments++;
	} else if (f->status == DECODE_TRUNCATED || f->status == DECODE_MALFORMED) {
		s->counts.bad_frames++;
		track_note(s->tt, f->t,
		           f->status == DECODE_TRUNCATED ? TRACK_ANOMALY_TRUNCATED
		                                         : TRACK_ANOMALY_MALFORMED,
		           f->status == DECODE_TRUNCATED ? "frame shorter than its headers say"
		                                         : "frame headers contradict themselves");
	} else {
		s->counts.not_tcp++;
	}
	s->dirty = true;
}

int ui_flow_poll_fd(const struct ui_state *s)
{
	if (s->live)
		return capture_fd(s->cap);
	/* read just ahead of the pacing: with enough queued, a readable pipe is no news */
	if (s->opt->capture_on_stdin && !s->pace.eof && s->queue.count < READ_CHUNK)
		return STDIN_FILENO;
	return -1;
}

/* Standard input carries the capture: read only what has arrived, one frame at a time, so
 * a quiet writer (tcpdump between packets) never blocks the screen. stdin is unbuffered
 * (tcpscope.c), so poll() sees every byte libpcap has not consumed. A frame split across two
 * writes can still hold the read until its second half comes (tcpdump -U writes whole
 * frames). */
static bool read_pipe(struct ui_state *s, char *err, size_t errlen)
{
	for (int budget = READ_CHUNK; budget > 0; budget--) {
		if (ui_queue_space(&s->queue) == 0 || s->queue.count >= READ_CHUNK)
			break;
		struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
		if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
			break;
		int n = capture_dispatch(s->cap, 1, on_frame, s, err, errlen);
		if (n < 0)
			return false;
		if (n == 0) {
			s->pace.eof = true;
			break;
		}
	}
	return true;
}

bool ui_flow_read(struct ui_state *s, char *err, size_t errlen)
{
	if (!s->live && s->pace.eof)
		return true;
	if (!s->live && s->opt->capture_on_stdin)
		return read_pipe(s, err, errlen);
	int total = 0;
	for (;;) {
		uint32_t space = ui_queue_space(&s->queue);
		/* A file is read just ahead of the pacing; live, everything that is ready. */
		if (!s->live && s->queue.count >= READ_CHUNK)
			break;
		if (space == 0) {
			if (s->live)
				s->counts.queue_full_stalls++;
			break;
		}
		int want = space < READ_CHUNK ? (int)space : READ_CHUNK;
		int n = capture_dispatch(s->cap, want, on_frame, s, err, errlen);
		if (n < 0)
			return false;
		if (n == 0) {
			if (!s->live)
				s->pace.eof =
				    true; /* read to the end; frames may still wait in the queue */
			break;
		}
		total += n;
		if (s->live && !s->pace.paused) {
			while (ui_queue_peek(&s->queue)) {
				feed_frame(s, ui_queue_peek(&s->queue));
				ui_queue_pop(&s->queue);
			}
		}
		if (n < want || total >= TURN_BUDGET || !s->live)
			break;
	}
	return true;
}

void ui_flow_rebase(struct ui_state *s) { s->pace.set = false; }

bool ui_flow_wants_read(const struct ui_state *s)
{
	return !s->live && !s->opt->capture_on_stdin && !s->pace.paused && !s->pace.eof &&
	       !ui_queue_peek(&s->queue);
}

static bool due(struct ui_state *s, const struct ui_frame *f, double mono_now)
{
	if (s->live || s->pace.speed <= 0)
		return true;
	if (!s->pace.set) {
		s->pace.wall = mono_now;
		s->pace.t = f->t;
		s->pace.set = true;
	}
	return (f->t - s->pace.t) / s->pace.speed <= mono_now - s->pace.wall;
}

void ui_flow_feed(struct ui_state *s, double mono_now)
{
	if (s->pace.paused)
		return;
	int budget = TURN_BUDGET;
	const struct ui_frame *f;
	while (budget-- > 0 && (f = ui_queue_peek(&s->queue)) && due(s, f, mono_now)) {
		feed_frame(s, f);
		ui_queue_pop(&s->queue);
	}
}

bool ui_flow_step(struct ui_state *s, char *err, size_t errlen)
{
	for (;;) {
		if (!ui_queue_peek(&s->queue)) {
			if (s->live || s->pace.eof)
				return false;
			if (!ui_flow_read(s, err, errlen) || !ui_queue_peek(&s->queue))
				return false;
		}
		const struct ui_frame *f = ui_queue_peek(&s->queue);
		bool segment = f->status == DECODE_OK;
		feed_frame(s, f);
		ui_queue_pop(&s->queue);
		if (segment) {
			ui_flow_rebase(s);
			return true;
		}
	}
}

double ui_flow_next_due(const struct ui_state *s, double mono_now)
{
	const struct ui_frame *f = ui_queue_peek(&s->queue);
	if (s->live || s->pace.paused || !f)
		return -1;
	if (s->pace.speed <= 0 || !s->pace.set)
		return 0;
	double at = s->pace.wall + (f->t - s->pace.t) / s->pace.speed;
	return at > mono_now ? at - mono_now : 0;
}

void ui_flow_tick(struct ui_state *s, double mono_now)
{
	if (s->pace.paused)
		return; /* time stands still for the tracker while the room looks */
	if (s->live) {
		s->pace.now = ui_clock_wall();
		track_advance(s->tt, s->pace.now);
		return;
	}
	if (s->pace.eof && !ui_queue_peek(&s->queue)) {
		if (!s->pace.finished) {
			track_finish(s->tt, s->pace.last_t);
			s->pace.finished = true;
			s->dirty = true;
		}
		return;
	}
	if (!s->pace.set || s->pace.speed <= 0)
		return;
	/* the file's clock, as far as the pacing has got, but never past the next frame */
	double file_now = s->pace.t + (mono_now - s->pace.wall) * s->pace.speed;
	const struct ui_frame *f = ui_queue_peek(&s->queue);
	if (f && file_now > f->t)
		file_now = f->t;
	if (file_now > s->pace.last_t) {
		track_advance(s->tt, file_now);
		s->pace.now = file_now;
	}
}

void ui_replay_start(struct ui_state *s, uint64_t id, double mono_now)
{
	const struct ui_slot *slot = ui_model_slot(&s->model, id);
	if (!slot || ui_model_rec_count(slot) == 0) {
		ui_notice(s, "nothing to replay for this connection");
		return;
	}
	s->replay.on = true;
	s->replay.id = id;
	s->replay.pos = 1;
	s->replay.next = mono_now;
	ui_notice(s, "replaying #%llu: r stops, space pauses, n steps", (unsigned long long)id);
	s->dirty = true;
}

void ui_replay_stop(struct ui_state *s)
{
	s->replay.on = false;
	s->dirty = true;
}

static double replay_gap(const struct ui_state *s, const struct ui_slot *slot)
{
	/* The real gaps on loopback are microseconds: stretch them to something a room can
	 * follow, keep longer pauses visible, and let the speed keys scale it. */
	const struct ui_rec *a = ui_model_rec(slot, s->replay.pos - 1);
	const struct ui_rec *b = ui_model_rec(slot, s->replay.pos);
	double gap = a && b ? b->t - a->t : 0;
	gap = gap < 0.6 ? 0.6 : gap > 2.0 ? 2.0 : gap;
	return s->pace.speed > 0 ? gap / s->pace.speed : gap / 10;
}

void ui_replay_step(struct ui_state *s)
{
	const struct ui_slot *slot = ui_model_slot(&s->model, s->replay.id);
	if (!slot) {
		ui_replay_stop(s);
		return;
	}
	if (s->replay.pos < ui_model_rec_count(slot)) {
		s->replay.pos++;
		s->dirty = true;
	}
}

void ui_replay_tick(struct ui_state *s, double mono_now)
{
	if (!s->replay.on || s->pace.paused || mono_now < s->replay.next)
		return;
	const struct ui_slot *slot = ui_model_slot(&s->model, s->replay.id);
	if (!slot) {
		ui_replay_stop(s);
		return;
	}
	uint32_t count = ui_model_rec_count(slot);
	if (s->replay.pos >= count) {
		/* hold the finished picture a moment, then go back to the live view */
		if (mono_now >= s->replay.next + 3.0)
			ui_replay_stop(s);
		return;
	}
	s->replay.next = mono_now + replay_gap(s, slot);
	s->replay.pos++;
	s->dirty = true;
}
