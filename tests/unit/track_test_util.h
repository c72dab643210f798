/* track_test_util.h — shared by the test_track_*.c files: a segment builder, an event
 * recorder and a table-driven scenario runner. Everything is static: each test is one file. */
#ifndef TRACK_TEST_UTIL_H
#define TRACK_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/track.h"

/* Scenario tables list steps positionally and leave trailing fields (dt, win) at zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define TC TRACK_CLIENT
#define TS TRACK_SERVER

/* Default ISNs used by the scenarios. */
#define CI 1000u
#define SI 5000u

#define REC_MAX 512
struct rec_ev {
	enum track_event_kind kind;
	double t;
	uint64_t conn;
	enum track_role who; /* STATE: endpoint; PACKET/ANOMALY: sender */
	enum track_state from, to;
	enum track_anomaly anomaly;
	enum track_state st[2]; /* both states as the event's conn showed them */
	uint32_t rel_seq, rel_ack;
	uint32_t win; /* PACKET: the window in bytes, and the shift applied (-1: unknown) */
	int win_shift;
	char why[200];
};

struct fx {
	struct track_table *tt;
	struct rec_ev ev[REC_MAX];
	int n;
	double t;
	uint16_t cport, sport;
	struct decode_addr caddr, saddr;
};

/* A segment's PACKET event carries the events it caused (track.h, "Events"): they are recorded
 * first, in order, then the PACKET, so the scenarios read the tracker's order of inference. */
static inline void rec_cb(const struct track_event *ev, void *user)
{
	struct fx *f = user;
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++) {
			assert_int_not_equal(ev->caused[i].kind, TRACK_EVENT_PACKET);
			rec_cb(&ev->caused[i], user);
		}
	assert_true(f->n < REC_MAX);
	struct rec_ev *r = &f->ev[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = ev->kind;
	r->t = ev->t;
	r->conn = ev->conn ? ev->conn->id : 0;
	r->who = ev->kind == TRACK_EVENT_STATE || ev->kind == TRACK_EVENT_START ? ev->endpoint
	                                                                        : ev->sender;
	r->from = ev->from;
	r->to = ev->to;
	r->anomaly = ev->anomaly;
	if (ev->conn) { /* the states at the event (conn shows them after the segment) */
		r->st[0] = ev->states[0];
		r->st[1] = ev->states[1];
	}
	r->rel_seq = ev->rel_seq;
	r->rel_ack = ev->rel_ack;
	r->win = ev->win;
	r->win_shift = ev->win_shift;
	if (ev->why)
		snprintf(r->why, sizeof r->why, "%s", ev->why);
}

static inline struct decode_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct decode_addr x;
	memset(&x, 0, sizeof x);
	x.family = 4;
	x.bytes[0] = a;
	x.bytes[1] = b;
	x.bytes[2] = c;
	x.bytes[3] = d;
	return x;
}

/* Loopback, like the lab sessions: both ends 127.0.0.1, direction only from the port. */
static inline void fx_init_cfg(struct fx *f, struct track_config cfg)
{
	memset(f, 0, sizeof *f);
	cfg.on_event = rec_cb;
	cfg.user = f;
	char err[128] = "";
	f->tt = track_create(&cfg, err, sizeof err);
	assert_non_null(f->tt);
	f->t = 1.0;
	f->cport = 40000;
	f->sport = 9998;
	f->caddr = f->saddr = v4(127, 0, 0, 1);
}

static inline void fx_init(struct fx *f) { fx_init_cfg(f, (struct track_config){0}); }

static inline void fx_done(struct fx *f) { track_destroy(f->tt); }

/* flags: S F R P A as in tcpdump; W adds a window-scale option (shift 2) on a SYN. */
static inline void fx_seg_at(struct fx *f, double t, int dir, const char *flags, uint32_t seq,
                             uint32_t ack, uint32_t len, uint16_t win)
{
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	bool c2s = dir == TC;
	p.src = c2s ? f->caddr : f->saddr;
	p.dst = c2s ? f->saddr : f->caddr;
	p.sport = c2s ? f->cport : f->sport;
	p.dport = c2s ? f->sport : f->cport;
	p.seq = seq;
	p.ack = ack;
	for (const char *c = flags; *c; c++) {
		switch (*c) {
		case 'S':
			p.flags |= DECODE_TCP_SYN;
			break;
		case 'F':
			p.flags |= DECODE_TCP_FIN;
			break;
		case 'R':
			p.flags |= DECODE_TCP_RST;
			break;
		case 'P':
			p.flags |= DECODE_TCP_PSH;
			break;
		case 'A':
			p.flags |= DECODE_TCP_ACK;
			break;
		case 'W':
			p.opts.has_wscale = true;
			p.opts.wscale = 2;
			break;
		default:
			fail_msg("bad flag letter %c", *c);
		}
	}
	p.window = win ? win : 1000;
	p.payload_len = p.payload_captured = len;
	p.ip_version = 4;
	p.data_offset = 20;
	f->t = t;
	track_segment(f->tt, t, &p);
}

static inline void fx_seg(struct fx *f, int dir, const char *flags, uint32_t seq, uint32_t ack,
                          uint32_t len)
{
	fx_seg_at(f, f->t + 0.001, dir, flags, seq, ack, len, 0);
}

/* ---- table-driven scenarios ---- */

/* A step is a segment, or (flags starting with '@') "@adv" = track_advance(t + dt),
 * "@fin" = track_finish(t + dt). dt 0 means 1 ms for segments. */
struct step {
	int dir;
	const char *flags;
	uint32_t seq, ack, len;
	double dt;
	uint16_t win;
};
struct tr {
	int who;
	enum track_state from, to;
};
struct an {
	enum track_anomaly a;
	int n;
};

#define MAXSTEP 20
#define MAXTR   16
struct scenario {
	const char *name;
	struct step steps[MAXSTEP]; /* ends at flags == NULL */
	struct tr tr[MAXTR];        /* exact STATE sequence; ends at to == TRACK_UNKNOWN */
	enum track_state final_c, final_s;
	struct an an[3];     /* exact anomaly counts; every other anomaly must be absent */
	const char *why_has; /* if set: some STATE why contains this text */
	struct track_config cfg;
};

#define HANDSHAKE                                                                                  \
	{TC, "S", CI, 0, 0}, {TS, "SA", SI, CI + 1, 0}, { TC, "A", CI + 1, SI + 1, 0 }
#define HANDSHAKE_TR                                                                               \
	{TC, TRACK_CLOSED, TRACK_SYN_SENT}, {TS, TRACK_LISTEN, TRACK_SYN_RECEIVED},                \
	    {TC, TRACK_SYN_SENT, TRACK_ESTABLISHED},                                               \
	{                                                                                          \
		TS, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED                                          \
	}

/* The client closes first, one segment at a time after HANDSHAKE: each X_STEPS brings the
 * pair to the states named, and X_TR lists the transitions on the way (after HANDSHAKE_TR). */
#define TO_FIN_WAIT_1_STEPS                                                                        \
	HANDSHAKE, { TC, "FA", CI + 1, SI + 1, 0 }
#define TO_FIN_WAIT_1_TR                                                                           \
	HANDSHAKE_TR, { TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1 }
/* client FIN_WAIT_2, server CLOSE_WAIT */
#define TO_FIN_WAIT_2_STEPS                                                                        \
	TO_FIN_WAIT_1_STEPS, { TS, "A", SI + 1, CI + 2, 0 }
#define TO_FIN_WAIT_2_TR                                                                           \
	TO_FIN_WAIT_1_TR, {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},                               \
	{                                                                                          \
		TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2                                             \
	}
/* client TIME_WAIT, server LAST_ACK */
#define TO_LAST_ACK_STEPS                                                                          \
	TO_FIN_WAIT_2_STEPS, { TS, "FA", SI + 1, CI + 2, 0 }
#define TO_LAST_ACK_TR                                                                             \
	TO_FIN_WAIT_2_TR, {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},                                  \
	{                                                                                          \
		TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT                                              \
	}
/* client TIME_WAIT, server CLOSED */
#define TO_TIME_WAIT_STEPS                                                                         \
	TO_LAST_ACK_STEPS, { TC, "A", CI + 2, SI + 2, 0 }
#define TO_TIME_WAIT_TR                                                                            \
	TO_LAST_ACK_TR, { TS, TRACK_LAST_ACK, TRACK_CLOSED }
/* FINs crossed: both CLOSING */
#define TO_CLOSING_STEPS                                                                           \
	TO_FIN_WAIT_1_STEPS, { TS, "FA", SI + 1, CI + 1, 0 }
#define TO_CLOSING_TR                                                                              \
	TO_FIN_WAIT_1_TR, {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},                               \
	    {TS, TRACK_FIN_WAIT_1, TRACK_CLOSING},                                                 \
	{                                                                                          \
		TC, TRACK_FIN_WAIT_1, TRACK_CLOSING                                                \
	}

static inline void run_steps(struct fx *f, const struct step *st)
{
	for (; st->flags; st++) {
		double dt = st->dt;
		if (strcmp(st->flags, "@adv") == 0) {
			f->t += dt;
			track_advance(f->tt, f->t);
		} else if (strcmp(st->flags, "@fin") == 0) {
			f->t += dt;
			track_finish(f->tt, f->t);
		} else {
			fx_seg_at(f, f->t + (dt > 0 ? dt : 0.001), st->dir, st->flags, st->seq,
			          st->ack, st->len, st->win);
		}
	}
}

static inline const char *sname(enum track_state s) { return track_state_name(s, TRACK_NAMES_RFC); }

/* Compare the recorded STATE events of connection `conn` (0: any) with exp. */
static inline void expect_transitions(const struct fx *f, uint64_t conn, const struct tr *exp)
{
	int k = 0;
	char got[1024] = "";
	size_t used = 0;
	for (int i = 0; i < f->n; i++) {
		const struct rec_ev *r = &f->ev[i];
		if (r->kind != TRACK_EVENT_STATE || (conn && r->conn != conn))
			continue;
		used += (size_t)snprintf(got + used, sizeof got - used, " %s:%s->%s",
		                         r->who == TC ? "C" : "S", sname(r->from), sname(r->to));
		if (used >= sizeof got)
			used = sizeof got - 1;
	}
	for (int i = 0; i < f->n; i++) {
		const struct rec_ev *r = &f->ev[i];
		if (r->kind != TRACK_EVENT_STATE || (conn && r->conn != conn))
			continue;
		if (exp[k].to == TRACK_UNKNOWN)
			fail_msg("unexpected extra transition #%d; got:%s", k, got);
		if ((int)r->who != exp[k].who || r->from != exp[k].from || r->to != exp[k].to)
			fail_msg("transition #%d: want %s:%s->%s; got:%s", k,
			         exp[k].who ? "S" : "C", sname(exp[k].from), sname(exp[k].to), got);
		k++;
	}
	if (exp[k].to != TRACK_UNKNOWN)
		fail_msg("missing transition #%d %s->%s; got:%s", k, sname(exp[k].from),
		         sname(exp[k].to), got);
}

static inline int count_anomaly(const struct fx *f, enum track_anomaly a)
{
	int n = 0;
	for (int i = 0; i < f->n; i++)
		n += f->ev[i].kind == TRACK_EVENT_ANOMALY && f->ev[i].anomaly == a;
	return n;
}

static inline const struct track_conn *first_conn(struct fx *f) { return track_find(f->tt, 1); }

static inline bool why_contains(const struct fx *f, const char *text)
{
	for (int i = 0; i < f->n; i++)
		if (f->ev[i].kind == TRACK_EVENT_STATE && strstr(f->ev[i].why, text))
			return true;
	return false;
}

/* Each STATE event starts from the state the previous one left, and every PACKET event comes
 * after the STATE events it caused (its conn shows both states after the segment). A START
 * event is the only change that is not a transition: a server's UNKNOWN start resolved by its
 * first segment (SYN-ACK, it was LISTEN; RST or bare SYN, CLOSED), or a mid-stream endpoint's
 * state before a FIN, shown by the FIN exchange (ESTABLISHED or CLOSE_WAIT). */
static inline void expect_consistent(const struct fx *f, uint64_t conn)
{
	enum track_state cur[2] = {TRACK_UNKNOWN, TRACK_UNKNOWN};
	bool open = false;
	for (int i = 0; i < f->n; i++) {
		const struct rec_ev *r = &f->ev[i];
		if (r->conn != conn)
			continue;
		if (r->kind == TRACK_EVENT_OPEN) {
			open = true;
			cur[0] = r->st[0];
			cur[1] = r->st[1];
		} else if (r->kind == TRACK_EVENT_START) {
			assert_true(open);
			assert_int_equal(cur[r->who], TRACK_UNKNOWN);
			assert_int_equal(r->from, TRACK_UNKNOWN);
			if (r->to == TRACK_ESTABLISHED || r->to == TRACK_CLOSE_WAIT)
				assert_true(track_find(f->tt, conn)->midstream); /* by FINs */
			else
				assert_true(r->who == TS &&
				            (r->to == TRACK_LISTEN || r->to == TRACK_CLOSED));
			assert_int_equal(r->st[r->who], r->to);
			cur[r->who] = r->to;
		} else if (r->kind == TRACK_EVENT_STATE) {
			assert_true(open);
			if (r->from != cur[r->who])
				fail_msg("event %d: from %s but state was %s", i, sname(r->from),
				         sname(cur[r->who]));
			assert_int_equal(r->st[r->who], r->to);
			cur[r->who] = r->to;
		} else if (r->kind == TRACK_EVENT_PACKET) {
			assert_true(open);
			for (int e = 0; e < 2; e++)
				assert_int_equal(r->st[e], cur[e]);
		}
	}
}

static inline void run_scenario(void **state)
{
	const struct scenario *sc = *state;
	struct fx f;
	fx_init_cfg(&f, sc->cfg);
	run_steps(&f, sc->steps);
	expect_transitions(&f, 1, sc->tr);
	const struct track_conn *c = first_conn(&f);
	assert_non_null(c);
	if (c->ep[TC].state != sc->final_c || c->ep[TS].state != sc->final_s)
		fail_msg("%s: final %s/%s, want %s/%s", sc->name, sname(c->ep[TC].state),
		         sname(c->ep[TS].state), sname(sc->final_c), sname(sc->final_s));
	int expected_total = 0;
	for (int i = 0; i < 3 && sc->an[i].n; i++) {
		int got = count_anomaly(&f, sc->an[i].a);
		if (got != sc->an[i].n)
			fail_msg("%s: anomaly %s x%d, want x%d", sc->name,
			         track_anomaly_name(sc->an[i].a), got, sc->an[i].n);
		expected_total += sc->an[i].n;
	}
	int total = 0;
	for (int i = 0; i < f.n; i++)
		total += f.ev[i].kind == TRACK_EVENT_ANOMALY;
	if (total != expected_total)
		fail_msg("%s: %d anomalies, want %d", sc->name, total, expected_total);
	if (sc->why_has && !why_contains(&f, sc->why_has))
		fail_msg("%s: no STATE why contains \"%s\"", sc->name, sc->why_has);
	expect_consistent(&f, 1);
	fx_done(&f);
}

#define SCENARIO_TEST(sc)                                                                          \
	{                                                                                          \
		.name = #sc, .test_func = run_scenario, .initial_state = (void *)&(sc)             \
	}

#endif
