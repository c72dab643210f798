/* check_wire.c — what the wire showed: a live capture on lo (capture + decode), fed to the
 * tracker on a thread of its own; per connection, its states, FINs, RSTs and a text ladder. */
#include "check.h"

#include "socklab/capture.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_CONNS     96 /* connections remembered; the tasks open about twenty */
#define LADDER_HEAD    40 /* ladder lines kept from a connection's start ... */
#define LADDER_TAIL    24 /* ... and from its end (a ring) */
#define LADDER_LINE    200
#define PENDING_STATES 4 /* state lines held back until their segment's line */

struct wire_conn {
	uint64_t id;
	struct check_wire_conn info; /* side 0: checker, 1: program */
	double t0;
	char head[LADDER_HEAD][LADDER_LINE];
	char tail[LADDER_TAIL][LADDER_LINE];
	int nhead, ntail_total;
	char pending[PENDING_STATES][LADDER_LINE];
	int npending;
};

struct check_wire {
	struct capture *cap;
	struct track_table *tt;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	atomic_bool stop;
	unsigned port;
	bool program_is_server;
	double last_frame;  /* wall clock of the last frame handled */
	uint64_t passes;    /* reading passes completed by the thread */
	uint64_t undecoded; /* frames that were not a whole TCP segment (truncated, malformed) */
	bool in_segment;
	struct wire_conn conns[WIRE_CONNS];
	int nconns;
};

/* Side of a tracker role: which end is the program depends on the task. */
static int side_of(const struct check_wire *w, enum track_role r)
{
	bool server = r == TRACK_SERVER;
	return server == w->program_is_server ? 1 : 0;
}

static const char *side_name(int side) { return side ? "program" : "checker"; }

/* ev is the OPEN event when create is set: its states[] are the start states (the conn it
 * points to already shows the states after the whole segment, see track.h). */
static struct wire_conn *conn_of(struct check_wire *w, const struct track_event *ev, bool create)
{
	const struct track_conn *tc = ev->conn;

	for (int i = w->nconns - 1; i >= 0; i--)
		if (w->conns[i].id == tc->id)
			return &w->conns[i];
	if (!create)
		return NULL;
	if (w->nconns >= WIRE_CONNS)
		return NULL; /* more than the tasks open: later ones are not remembered */
	struct wire_conn *c = &w->conns[w->nconns++];
	memset(c, 0, sizeof *c);
	c->id = tc->id;
	c->info.found = true;
	c->info.program_is_server = w->program_is_server;
	c->info.first_fin = -1;
	c->t0 = tc->first_seen;
	for (int r = 0; r < 2; r++) {
		int s = side_of(w, (enum track_role)r);
		c->info.port[s] = tc->ep[r].port;
		c->info.state[s] = ev->states[r];
		c->info.seen[s][0] = ev->states[r];
		c->info.nseen[s] = 1;
	}
	return c;
}

static void ladder_add(struct wire_conn *c, const char *line)
{
	if (c->nhead < LADDER_HEAD) {
		snprintf(c->head[c->nhead++], LADDER_LINE, "%s", line);
		return;
	}
	snprintf(c->tail[c->ntail_total % LADDER_TAIL], LADDER_LINE, "%s", line);
	c->ntail_total++;
}

static void on_state(struct check_wire *w, struct wire_conn *c, const struct track_event *ev)
{
	int s = side_of(w, ev->endpoint);
	struct check_wire_conn *ci = &c->info;
	char line[LADDER_LINE];

	ci->state[s] = ev->to;
	if (ci->nseen[s] == 1 && ci->seen[s][0] == TRACK_UNKNOWN)
		ci->seen[s][0] = ev->from; /* the server's start, settled by its first segment */
	if (ci->nseen[s] < CHECK_WIRE_MAX_STATES)
		ci->seen[s][ci->nseen[s]++] = ev->to;
	snprintf(ci->state_why[s], sizeof ci->state_why[s], "%s", ev->why ? ev->why : "");
	snprintf(line, sizeof line, "%26s%s %s -> %s (%s)", "", side_name(s),
	         track_state_name(ev->from, TRACK_NAMES_RFC),
	         track_state_name(ev->to, TRACK_NAMES_RFC), ev->why ? ev->why : "");
	if (w->in_segment && c->npending < PENDING_STATES)
		snprintf(c->pending[c->npending++], LADDER_LINE, "%s", line);
	else
		ladder_add(c, line);
}

static void on_packet(struct check_wire *w, struct wire_conn *c, const struct track_event *ev)
{
	const struct decode_packet *p = ev->pkt;
	struct check_wire_conn *ci = &c->info;
	int s = side_of(w, ev->sender);
	char flags[64], ack[24], line[LADDER_LINE];

	if (p->flags & DECODE_TCP_SYN)
		ci->syn[s] = true;
	if ((p->flags & DECODE_TCP_FIN) && !ci->fin[s]) {
		ci->fin[s] = true;
		if (ci->first_fin < 0)
			ci->first_fin = s;
	}
	if ((p->flags & DECODE_TCP_RST) && !ci->rst[s]) {
		ci->rst[s] = true;
		snprintf(ci->rst_why, sizeof ci->rst_why, "RST from the %s (seq=%u, %s)",
		         side_name(s), ev->rel_seq,
		         track_state_name(ci->state[s], TRACK_NAMES_RFC));
	}
	if (p->payload_len) {
		ci->bytes[s] += p->payload_len;
		ci->data_segs[s]++;
		if (p->payload_len > ci->max_seg[s])
			ci->max_seg[s] = p->payload_len;
		if (ci->nsizes[s] < CHECK_WIRE_SIZES)
			ci->sizes[s][ci->nsizes[s]++] = p->payload_len;
	}
	/* handshake: both SYNs seen and both ends ESTABLISHED at some point */
	if (ci->syn[0] && ci->syn[1] && ci->state[0] == TRACK_ESTABLISHED &&
	    ci->state[1] == TRACK_ESTABLISHED)
		ci->handshake = true;
	decode_flags_format(p->flags, flags, sizeof flags);
	if (p->flags & DECODE_TCP_ACK)
		snprintf(ack, sizeof ack, " ack=%u", ev->rel_ack);
	else
		ack[0] = '\0';
	snprintf(line, sizeof line, "%10.6f s  checker:%-5u %s program:%-5u  %s seq=%u%s len=%u",
	         ev->t - c->t0, ci->port[0], s == 0 ? "-->" : "<--", ci->port[1], flags,
	         ev->rel_seq, ack, p->payload_len);
	ladder_add(c, line);
	for (int i = 0; i < c->npending; i++)
		ladder_add(c, c->pending[i]);
	c->npending = 0;
}

static void on_event(const struct track_event *ev, void *user)
{
	struct check_wire *w = user;
	struct wire_conn *c;

	/* A segment's own events (OPEN, its state changes) ride in its PACKET record (track.h):
	 * take them first, so the ladder shows the segment line, then what it caused. */
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++)
			on_event(&ev->caused[i], user);
	if (!ev->conn)
		return;
	c = conn_of(w, ev, ev->kind == TRACK_EVENT_OPEN);
	if (!c)
		return;
	if (ev->kind == TRACK_EVENT_STATE)
		on_state(w, c, ev);
	else if (ev->kind == TRACK_EVENT_PACKET)
		on_packet(w, c, ev);
}

static void on_frame(const struct capture_frame *f, void *user)
{
	struct check_wire *w = user;

	w->last_frame = check_wall();
	if (f->status != DECODE_OK || !f->pkt) {
		w->undecoded++; /* counted and reported with the ladders, never dropped silently */
		return;
	}
	w->in_segment = true;
	track_segment(w->tt, f->t, f->pkt);
	w->in_segment = false;
}

static void *wire_thread(void *arg)
{
	struct check_wire *w = arg;
	struct pollfd pf = {.fd = capture_fd(w->cap), .events = POLLIN};
	char err[256];

	while (!w->stop) {
		poll(&pf, 1, 20);
		pthread_mutex_lock(&w->lock);
		capture_dispatch(w->cap, -1, on_frame, w, err, sizeof err);
		track_advance(w->tt, check_wall());
		w->passes++;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

struct check_wire *check_wire_open(unsigned port, bool program_is_server, bool *permission,
                                   char *err, size_t errlen)
{
	struct capture_options co = {.device = "lo"};
	struct track_config tc = {.max_conns = 256, .pending_secs = 0.2, .on_event = on_event};
	enum capture_error kind = CAPTURE_OK;
	char filter[64];
	struct check_wire *w;

	*permission = false;
	w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(filter, sizeof filter, "tcp port %u", port);
	co.filter = filter;
	w->port = port;
	w->program_is_server = program_is_server;
	pthread_mutex_init(&w->lock, NULL);
	w->cap = capture_open(&co, &kind, err, errlen);
	if (!w->cap) {
		*permission = kind == CAPTURE_ERR_PERMISSION;
		check_wire_close(w);
		return NULL;
	}
	tc.user = w;
	w->tt = track_create(&tc, err, errlen);
	if (!w->tt) {
		check_wire_close(w);
		return NULL;
	}
	return w;
}

/* Started apart from the opening: the checker drops its privileges in between, and a process
 * should change its ids before it has threads. */
bool check_wire_start(struct check_wire *w)
{
	sigset_t all, old;
	int rc;

	if (w->thread_started)
		return true;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old); /* signals go to the main thread */
	rc = pthread_create(&w->thread, NULL, wire_thread, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	w->thread_started = rc == 0;
	return w->thread_started;
}

void check_wire_settle(struct check_wire *w, double quiet_s, double max_s)
{
	double until = check_now() + max_s;
	uint64_t first;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	first = w->passes;
	pthread_mutex_unlock(&w->lock);
	/* On lo a segment is in the capture's buffer by the time send() returns, so one whole
	 * reading pass begun after this call has seen everything sent before it. */
	for (;;) {
		double last;
		uint64_t passes;

		pthread_mutex_lock(&w->lock);
		last = w->last_frame;
		passes = w->passes;
		pthread_mutex_unlock(&w->lock);
		if ((passes >= first + 2 && check_wall() - last >= quiet_s) ||
		    check_now() >= until || check_interrupted())
			break;
		check_sleep(0.005);
	}
	/* pending inferences (a FIN's receiver) whose evidence has not come are committed with
	 * "assumed" in their reason once pending_secs passed; advancing does that */
	pthread_mutex_lock(&w->lock);
	track_advance(w->tt, check_wall());
	pthread_mutex_unlock(&w->lock);
}

static struct wire_conn *find_port(struct check_wire *w, uint16_t port)
{
	/* the newest first: a port may be reused by a later connection */
	for (int i = w->nconns - 1; i >= 0; i--) {
		const struct check_wire_conn *ci = &w->conns[i].info;
		uint16_t client = ci->program_is_server ? ci->port[0] : ci->port[1];
		if (client == port)
			return &w->conns[i];
	}
	return NULL;
}

bool check_wire_conn(struct check_wire *w, uint16_t conn_port, struct check_wire_conn *out)
{
	struct wire_conn *c;

	memset(out, 0, sizeof *out);
	out->first_fin = -1;
	if (!w)
		return false;
	pthread_mutex_lock(&w->lock);
	c = find_port(w, conn_port);
	if (c)
		*out = c->info;
	pthread_mutex_unlock(&w->lock);
	return c != NULL;
}

void check_wire_ladder(struct check_wire *w, uint16_t conn_port, FILE *fp)
{
	struct wire_conn *c;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	c = find_port(w, conn_port);
	if (!c) {
		fprintf(fp, "     (the capture saw no segment of this connection)\n");
	} else {
		int tail = c->ntail_total < LADDER_TAIL ? c->ntail_total : LADDER_TAIL;

		struct capture_stats st;

		capture_get_stats(w->cap, &st);
		fprintf(fp, "     the connection on the wire (checker port %u, program port %u):\n",
		        c->info.port[0], c->info.port[1]);
		if ((st.valid && st.dropped) || w->undecoded)
			fprintf(
			    fp,
			    "     (incomplete: the kernel dropped %llu frames, %llu could not be "
			    "decoded)\n",
			    (unsigned long long)(st.valid ? st.dropped : 0),
			    (unsigned long long)w->undecoded);
		for (int i = 0; i < c->nhead; i++)
			fprintf(fp, "   %s\n", c->head[i]);
		if (c->ntail_total > LADDER_TAIL)
			fprintf(fp, "     ... %d lines not shown ...\n",
			        c->ntail_total - LADDER_TAIL);
		for (int i = c->ntail_total - tail; i < c->ntail_total; i++)
			fprintf(fp, "   %s\n", c->tail[i % LADDER_TAIL]);
	}
	pthread_mutex_unlock(&w->lock);
}

void check_wire_close(struct check_wire *w)
{
	if (!w)
		return;
	if (w->thread_started) {
		w->stop = true;
		pthread_join(w->thread, NULL);
	}
	if (w->tt)
		track_destroy(w->tt);
	if (w->cap)
		capture_close(w->cap);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
