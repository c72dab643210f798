/* cli_stream.c — the streaming loop: capture -> decode -> track -> text/JSONL on stdout. */
#include "cli.h"

#include "track/track_batch.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/time.h>

/* How often time is let pass for the tracker (TIME_WAIT timers, pending inferences). */
#define ADVANCE_EVERY 0.2
/* Frames handled per capture_dispatch call when reading a file: small enough that a signal
 * or -c ends the run promptly. */
#define FILE_CHUNK 256

/* Segments handed to the tracker at once (track_segments overlaps their cache misses). */
#define BATCH 256

struct stream {
	struct track_table *tt;
	struct out_sink *sink;
	bool batch; /* not text: out_frame of an OK frame prints nothing, so tracking may lag it */
	size_t npend;
	const struct decode_packet *pp[BATCH]; /* in the capture's run, valid while it lasts */
	double pt[BATCH];
	uint32_t ph[BATCH]; /* their tuple hashes, worked out by the capture */
	uint64_t frames, count;
	double last_advance;
	double last_t;
	bool have_t;
	const char *source;        /* the file, for messages */
	struct marker_rx *markers; /* NULL: none */
};

#define MARKERS_AT_ONCE 16

/* The tracker's events go to the sink; a segment's markers (the calls that sent it, and the
 * ones at or before it that wait for nothing) are written just before it. */
static void on_event(const struct track_event *ev, void *user)
{
	struct stream *st = user;

	if (st->markers && ev->kind == TRACK_EVENT_PACKET && ev->pkt) {
		struct marker_out mo[MARKERS_AT_ONCE];
		size_t n;
		do {
			n = marker_rx_segment(st->markers, ev->t, ev->pkt, mo, MARKERS_AT_ONCE);
			for (size_t i = 0; i < n; i++)
				out_marker(st->sink, &mo[i],
				           mo[i].placed && ev->conn ? ev->conn->id : 0);
		} while (n == MARKERS_AT_ONCE);
	}
	out_event(ev, st->sink);
}

/* Markers that wait for nothing any more (flush: all of them), on rows of their own. */
static void markers_due(struct stream *st, double now, bool flush)
{
	struct marker_out mo[MARKERS_AT_ONCE];
	size_t n;

	if (!st->markers)
		return;
	if (!flush)
		marker_rx_drain(st->markers);
	/* Times count from the first frame: until one came, the lab's first calls (socket(),
	 * listen()) wait, to be written before it with times below zero. */
	if (!flush && st->frames == 0)
		return;
	do {
		n = marker_rx_due(st->markers, now, flush, mo, MARKERS_AT_ONCE);
		for (size_t i = 0; i < n; i++)
			out_marker(st->sink, &mo[i], 0);
	} while (n == MARKERS_AT_ONCE);
}

static double wall_clock(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Track the held segments; done before anything else that may print, so the lines come out in
 * the order one segment at a time gives. */
static void flush_pending(struct stream *st)
{
	if (st->npend) {
		track_segments_hashed(st->tt, st->pt, st->pp, st->ph, st->npend);
		st->npend = 0;
	}
}

static void on_frame(struct stream *st, const struct capture_frame *f)
{
	if (st->count && st->frames >= st->count)
		return;
	st->frames++;
	if (st->batch && f->status != DECODE_OK)
		flush_pending(st); /* its problem line comes after the earlier segments' lines */
	if (!st->have_t) {
		st->have_t = true;
		st->last_advance = f->t;
	}
	st->last_t = f->t;
	/* let capture time pass first, so timer events come before this frame's lines */
	if (f->t - st->last_advance >= ADVANCE_EVERY) {
		flush_pending(st);
		track_advance(st->tt, f->t);
		st->last_advance = f->t;
	}
	out_frame(st->sink, f->t, f->status, f->caplen, f->wirelen);
	if (f->status != DECODE_OK || !f->pkt)
		return;
	if (!st->batch) {
		track_segment(st->tt, f->t, f->pkt);
		return;
	}
	st->pp[st->npend] = f->pkt;
	st->pt[st->npend] = f->t;
	st->ph[st->npend] = f->tuple_hash;
	if (++st->npend == BATCH)
		flush_pending(st);
}

/* A run of frames from the capture: its segments are tracked where they lie, before it ends. */
static void on_frames(const struct capture_frame *f, size_t n, void *user)
{
	struct stream *st = user;

	for (size_t i = 0; i < n; i++)
		on_frame(st, &f[i]);
	flush_pending(st);
}

/* errno of the first failed write to stdout (EPIPE: the reader went away, e.g. head). */
static int write_errno;

static bool done(const struct stream *st)
{
	if (ferror(stdout) && !write_errno)
		write_errno = errno ? errno : EIO;
	return write_errno || cli_stop_requested() || (st->count && st->frames >= st->count);
}

/* At most chunk frames (chunk <= 0: all that are ready), and never past -c. */
static int max_frames(const struct stream *st, int chunk)
{
	uint64_t left;

	if (!st->count)
		return chunk;
	left = st->count - st->frames;
	if (chunk > 0 && left > (uint64_t)chunk)
		return chunk;
	return left > 65536 ? 65536 : (int)left;
}

/* Returns 0, or -1 after printing a capture error. */
static int run_file(struct capture *cap, struct stream *st)
{
	char err[256];

	while (!done(st)) {
		int n = capture_dispatch_batch(cap, max_frames(st, FILE_CHUNK), on_frames, st, err,
		                               sizeof err);
		if (n < 0 && cli_stop_requested())
			break; /* a signal interrupted a read from a pipe: a normal end */
		if (n < 0) {
			/* the capture's message says what failed ("capture failed: ..."); say where */
			cli_error("reading %s: %s", st->source, err);
			return -1;
		}
		if (n == 0)
			break; /* end of file */
	}
	return 0;
}

static int run_live(struct capture *cap, struct stream *st)
{
	struct pollfd pfd[2] = {{.fd = capture_fd(cap), .events = POLLIN},
	                        {.fd = marker_rx_fd(st->markers), .events = POLLIN}};
	char err[256];

	while (!done(st)) {
		int r = pfd[0].fd >= 0 ? poll(pfd, 2, (int)(ADVANCE_EVERY * 1000)) : 0;

		if (r < 0 && errno != EINTR) {
			cli_error("poll: %s", strerror(errno));
			return -1;
		}
		/* markers first: a call's marker was sent before the segments it causes */
		if (r > 0 && (pfd[1].revents & POLLIN))
			marker_rx_drain(st->markers);
		if ((r > 0 && pfd[0].revents) || pfd[0].fd < 0) {
			int n = capture_dispatch_batch(cap, max_frames(st, -1), on_frames, st, err,
			                               sizeof err);
			if (n < 0) {
				cli_error("%s", err);
				return -1;
			}
		}
		double now = wall_clock();
		if (now - st->last_advance >= ADVANCE_EVERY) {
			track_advance(st->tt, now);
			markers_due(st, now, false);
			st->last_advance = now;
			out_flush(st->sink); /* a live reader wants to see lines now */
		}
	}
	return 0;
}

int cli_stream(const struct cli_options *o, struct capture *cap, struct marker_rx *markers)
{
	struct out_options oo = {
	    .fp = stdout, .format = o->format, .names = o->names, .summary = o->summary};
	/* The summary table alone prints no reason: the tracker need not write them. */
	struct track_config tc = {.max_conns = o->max_conns,
	                          .time_wait_secs = o->time_wait,
	                          .no_why = o->format == OUT_FORMAT_SUMMARY};
	struct stream st = {.count = o->count, .markers = markers};

	st.source = !o->file || strcmp(o->file, "-") == 0 ? "standard input" : o->file;
	struct out_capture_stats ocs = {0};
	bool live = capture_is_live(cap);
	char err[256];
	int rc;

	st.sink = out_create(&oo, err, sizeof err);
	if (!st.sink) {
		cli_error("%s", err);
		return 1;
	}
	tc.on_event = on_event;
	tc.user = &st;
	st.tt = track_create(&tc, err, sizeof err);
	if (!st.tt) {
		cli_error("%s", err);
		out_destroy(st.sink);
		return 1;
	}
	/* a pipe reader (jq, grep) sees whole lines in big blocks; live output is flushed each
	 * ADVANCE_EVERY by run_live */
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	st.batch = o->format != OUT_FORMAT_TEXT;
	if (live) {
		st.last_advance = wall_clock();
		st.have_t = true;
	}
	rc = live ? run_live(cap, &st) : run_file(cap, &st);
	track_finish(st.tt, live ? wall_clock() : st.last_t);
	markers_due(&st, wall_clock(), true);
	if (live) {
		struct capture_stats cs;

		capture_get_stats(cap, &cs);
		ocs.valid = cs.valid;
		ocs.received = cs.received;
		ocs.dropped = cs.dropped;
		ocs.if_dropped = cs.if_dropped;
		ocs.loopback = cs.halved;
	}
	if (!write_errno && out_finish(st.sink, st.tt, &ocs) != 0)
		write_errno = errno ? errno : EIO;
	track_destroy(st.tt);
	out_destroy(st.sink);
	if (markers) {
		cli_report_markers(markers);
	}
	if (write_errno && write_errno != EPIPE) {
		/* a reader that went away (head) is not our failure; a full disk is */
		cli_error("writing the output failed: %s", strerror(write_errno));
		return 1;
	}
	return rc < 0 ? 1 : 0;
}

void cli_report_markers(const struct marker_rx *markers)
{
	const struct marker_stats *ms = marker_rx_stats(markers);
	/* nothing is dropped silently, not even a stray datagram */
	if (ms->bad || ms->refused || ms->dropped)
		cli_error(
		    "syscall markers: %llu malformed datagram(s), %llu refused (the pid in it "
		    "not its sender's, or a time over %g s from now), %llu over the pending "
		    "cap dropped",
		    (unsigned long long)ms->bad, (unsigned long long)ms->refused, MARKER_SKEW_SECS,
		    (unsigned long long)ms->dropped);
}
