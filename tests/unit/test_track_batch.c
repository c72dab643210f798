/* test_track_batch.c — track_segments gives exactly the events of one track_segment per packet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/track.h"
#include "track/track_batch.h"

#define NPKT  6000
#define NCONN 24 /* 4-tuples in play; the table holds fewer, so some are evicted */

struct ev_rec {
	enum track_event_kind kind;
	double t;
	uint64_t conn;
	int sender, endpoint, from, to, anomaly;
	uint32_t rel_seq, rel_ack, pkt_seq;
	char why[160];
};

struct log {
	struct ev_rec *ev;
	size_t n, cap;
};

static void on_event(const struct track_event *ev, void *user)
{
	struct log *l = user;
	/* a segment's PACKET carries what it caused: logged first, in order, then the PACKET */
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++)
			on_event(&ev->caused[i], user);
	assert_true(l->n < l->cap);
	struct ev_rec *r = &l->ev[l->n++];
	memset(r, 0, sizeof *r);
	r->kind = ev->kind;
	r->t = ev->t;
	r->conn = ev->conn ? ev->conn->id : 0;
	r->sender = ev->sender;
	r->endpoint = ev->endpoint;
	r->from = ev->from;
	r->to = ev->to;
	r->anomaly = ev->anomaly;
	r->rel_seq = ev->rel_seq;
	r->rel_ack = ev->rel_ack;
	r->pkt_seq = ev->pkt ? ev->pkt->seq : 0;
	if (ev->why)
		snprintf(r->why, sizeof r->why, "%s", ev->why);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* A deterministic mix of handshakes, data, FINs, RSTs, retransmissions, port reuse and time
 * jumps past TIME_WAIT, over more 4-tuples than the table holds. */
static void make_traffic(struct decode_packet *p, double *t)
{
	uint32_t s = 12345, nxt[NCONN][2];
	static const uint8_t flag_mix[] = {DECODE_TCP_SYN,
	                                   DECODE_TCP_SYN | DECODE_TCP_ACK,
	                                   DECODE_TCP_ACK,
	                                   DECODE_TCP_ACK | DECODE_TCP_PSH,
	                                   DECODE_TCP_ACK,
	                                   DECODE_TCP_FIN | DECODE_TCP_ACK,
	                                   DECODE_TCP_RST,
	                                   DECODE_TCP_RST | DECODE_TCP_ACK,
	                                   DECODE_TCP_ACK | DECODE_TCP_PSH};
	double now = 1.0;
	for (int c = 0; c < NCONN; c++)
		nxt[c][0] = nxt[c][1] = rnd(&s);
	for (int i = 0; i < NPKT; i++) {
		int c = (int)(rnd(&s) % NCONN), dir = (int)(rnd(&s) & 1);
		uint8_t fl = flag_mix[rnd(&s) % sizeof flag_mix];
		struct decode_packet *q = &p[i];
		memset(q, 0, sizeof *q);
		q->src.family = q->dst.family = 4;
		q->src.bytes[0] = q->dst.bytes[0] = 10;
		q->src.bytes[3] = (uint8_t)(dir ? 2 : 1);
		q->dst.bytes[3] = (uint8_t)(dir ? 1 : 2);
		q->sport = (uint16_t)(dir ? 80 : 40000 + c);
		q->dport = (uint16_t)(dir ? 40000 + c : 80);
		q->flags = fl;
		if ((fl & DECODE_TCP_SYN) && !dir && rnd(&s) % 3 == 0)
			nxt[c][0] += 100000; /* a new ISN: port reuse */
		uint32_t len = (fl & DECODE_TCP_PSH) ? 1 + rnd(&s) % 1400 : 0;
		q->seq = nxt[c][dir] - (rnd(&s) % 8 == 0 ? len : 0); /* some retransmissions */
		q->ack = nxt[c][!dir];
		q->payload_len = q->payload_captured = len;
		q->window = 65535;
		nxt[c][dir] = q->seq + len + ((fl & (DECODE_TCP_SYN | DECODE_TCP_FIN)) ? 1 : 0);
		now += rnd(&s) % 50 == 0 ? 70.0 : (double)(rnd(&s) % 1000) * 1e-4;
		t[i] = now;
	}
}

static void run(struct log *l, const struct decode_packet *p, const double *t, int batch)
{
	struct track_config cfg = {.max_conns = 16, .on_event = on_event, .user = l};
	char err[128];
	struct track_table *tt = track_create(&cfg, err, sizeof err);
	assert_non_null(tt);
	const struct decode_packet *pp[NPKT];
	for (int i = 0; i < NPKT; i++)
		pp[i] = &p[i];
	for (int i = 0; i < NPKT;) {
		if (i % 500 == 0)
			track_advance(tt, t[i]);
		if (batch == 0) {
			track_segment(tt, t[i], &p[i]);
			i++;
			continue;
		}
		/* batch < 0: sizes varying from 1 to 40 (more than one internal chunk) */
		int k = batch > 0 ? batch : 1 + (i * 7) % 40;
		int stop = (i / 500 + 1) * 500;
		if (k > NPKT - i)
			k = NPKT - i;
		if (k > stop - i)
			k = stop - i; /* timers at the same points as one at a time */
		track_segments(tt, &t[i], &pp[i], (size_t)k);
		i += k;
	}
	track_finish(tt, t[NPKT - 1]);
	track_destroy(tt);
}

static void assert_same(const struct log *a, const struct log *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct ev_rec *x = &a->ev[i], *y = &b->ev[i];
		assert_int_equal(x->kind, y->kind);
		assert_true(x->t == y->t);
		assert_int_equal(x->conn, y->conn);
		assert_int_equal(x->sender, y->sender);
		assert_int_equal(x->endpoint, y->endpoint);
		assert_int_equal(x->from, y->from);
		assert_int_equal(x->to, y->to);
		assert_int_equal(x->anomaly, y->anomaly);
		assert_int_equal(x->rel_seq, y->rel_seq);
		assert_int_equal(x->rel_ack, y->rel_ack);
		assert_int_equal(x->pkt_seq, y->pkt_seq);
		assert_string_equal(x->why, y->why);
	}
}

static void test_batches_match_single(void **state)
{
	(void)state;
	static struct decode_packet p[NPKT];
	static double t[NPKT];
	make_traffic(p, t);
	struct log ref = {calloc(200000, sizeof(struct ev_rec)), 0, 200000};
	assert_non_null(ref.ev);
	run(&ref, p, t, 0);
	/* The scenario must exercise what batching could get wrong: every kind of event. */
	int kinds[TRACK_EVENT_START + 1] = {0}, anomalies = 0; /* START is the last kind */
	for (size_t i = 0; i < ref.n; i++) {
		kinds[ref.ev[i].kind]++;
		anomalies += ref.ev[i].kind == TRACK_EVENT_ANOMALY &&
		             ref.ev[i].anomaly == TRACK_ANOMALY_TABLE_FULL;
	}
	for (int k = 0; k <= TRACK_EVENT_START; k++)
		assert_true(kinds[k] > 0);
	assert_true(anomalies > 0);

	static const int sizes[] = {1, 2, 16, 32, 33, -1};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct log got = {calloc(200000, sizeof(struct ev_rec)), 0, 200000};
		assert_non_null(got.ev);
		run(&got, p, t, sizes[s]);
		assert_same(&ref, &got);
		free(got.ev);
	}
	free(ref.ev);
}

static void test_empty_batch_does_nothing(void **state)
{
	(void)state;
	struct log l = {calloc(4, sizeof(struct ev_rec)), 0, 4};
	struct track_config cfg = {.on_event = on_event, .user = &l};
	char err[128];
	struct track_table *tt = track_create(&cfg, err, sizeof err);
	assert_non_null(tt);
	track_segments(tt, NULL, NULL, 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(track_get_stats(tt)->segments, 0);
	track_destroy(tt);
	free(l.ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_batches_match_single),
	    cmocka_unit_test(test_empty_batch_does_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
