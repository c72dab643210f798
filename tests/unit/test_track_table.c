/* test_track_table.c — cap and eviction order, ids, foreach, port reuse, footprint, config. */
#include "track_test_util.h"

/* Open a connection from client port p (handshake only). */
static void open_from(struct fx *f, uint16_t p)
{
	f->cport = p;
	fx_seg(f, TC, "S", CI, 0, 0);
	fx_seg(f, TS, "SA", SI, CI + 1, 0);
	fx_seg(f, TC, "A", CI + 1, SI + 1, 0);
}

static void refuse_from(struct fx *f, uint16_t p)
{
	f->cport = p;
	fx_seg(f, TC, "S", CI, 0, 0);
	fx_seg(f, TS, "RA", 0, CI + 1, 0);
}

static int evicted_ids(const struct fx *f, uint64_t *ids, int max)
{
	int n = 0;
	for (int i = 0; i < f->n && n < max; i++)
		if (f->ev[i].kind == TRACK_EVENT_EVICT)
			ids[n++] = f->ev[i].conn;
	return n;
}

struct id_list {
	uint64_t id[16];
	int n;
};

static bool collect(const struct track_conn *c, void *user)
{
	struct id_list *l = user;
	l->id[l->n++] = c->id;
	return true;
}

/* Full table: closed connections go first (least recently seen of them), then the least
 * recently seen live one with a TABLE_FULL anomaly. Ids are never reused. */
static void eviction_order(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.max_conns = 4});
	open_from(&f, 1001);   /* id 1 */
	refuse_from(&f, 1002); /* id 2, closed */
	refuse_from(&f, 1003); /* id 3, closed */
	open_from(&f, 1004);   /* id 4 */
	f.cport = 1002;        /* a late segment on closed id 2 makes id 3 the older closed one */
	fx_seg(&f, TS, "RA", 0, CI + 1, 0);
	open_from(&f, 1005); /* id 5 evicts 3 */
	open_from(&f, 1006); /* id 6 evicts 2 */
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_TABLE_FULL), 0);
	f.cport = 1001;
	fx_seg(&f, TC, "PA", CI + 1, SI + 1, 1); /* touch id 1: id 4 is now least recent */
	open_from(&f, 1007);                     /* id 7 evicts 4, table full */
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_TABLE_FULL), 1);
	uint64_t ev[8];
	assert_int_equal(evicted_ids(&f, ev, 8), 3);
	assert_int_equal(ev[0], 3);
	assert_int_equal(ev[1], 2);
	assert_int_equal(ev[2], 4);
	struct id_list l = {.n = 0};
	track_foreach(f.tt, collect, &l);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], 1);
	assert_int_equal(l.id[1], 5);
	assert_int_equal(l.id[2], 6);
	assert_int_equal(l.id[3], 7);
	assert_null(track_find(f.tt, 4));
	assert_non_null(track_find(f.tt, 7));
	const struct track_stats *st = track_get_stats(f.tt);
	assert_int_equal(st->conns_total, 7);
	assert_int_equal(st->conns_open, 4);
	assert_int_equal(st->conns_peak, 4);
	assert_int_equal(st->evicted, 3);
	assert_int_equal(st->anomalies[TRACK_ANOMALY_TABLE_FULL], 1);
	/* An evicted tuple seen again is a new connection with a new id. */
	f.cport = 1004;
	fx_seg(&f, TC, "PA", CI + 1, SI + 1, 1);
	assert_int_equal(f.ev[f.n - 1].conn, 8);
	fx_done(&f);
}

/* A flood of distinct SYNs beyond the cap (issue 15): the half-open connections it makes are
 * evicted, youngest first, before any established one, whose later segments then still find
 * their connection instead of coming back as new mid-stream ones. */
static void syn_flood_keeps_established(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.max_conns = 8});
	for (uint16_t p = 0; p < 4; p++)
		open_from(&f, (uint16_t)(2000 + p)); /* ids 1..4, ESTABLISHED */
	f.caddr = v4(10, 9, 9, 9);
	for (uint16_t p = 0; p < 60; p++) { /* ids 5..64: SYNs nobody answers */
		f.cport = (uint16_t)(30000 + p);
		fx_seg(&f, TC, "S", CI + p, 0, 0);
	}
	/* The first half-open ones stay: only the youngest were pushed out, one per new SYN. */
	for (uint64_t id = 5; id <= 7; id++)
		assert_non_null(track_find(f.tt, id));
	assert_null(track_find(f.tt, 8));
	assert_non_null(track_find(f.tt, 64));
	/* The established connections are all still there and still found by their 4-tuple. */
	f.caddr = v4(127, 0, 0, 1);
	uint64_t before = track_get_stats(f.tt)->conns_total;
	for (uint16_t p = 0; p < 4; p++) {
		assert_non_null(track_find(f.tt, (uint64_t)p + 1));
		f.cport = (uint16_t)(2000 + p);
		fx_seg(&f, TC, "PA", CI + 1, SI + 1, 10);
		assert_int_equal(f.ev[f.n - 1].conn, (uint64_t)p + 1);
		assert_int_equal(f.ev[f.n - 1].st[TC], TRACK_ESTABLISHED);
	}
	assert_int_equal(track_get_stats(f.tt)->conns_total, before);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_MIDSTREAM), 0);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_TABLE_FULL), 60 - 4);
	fx_done(&f);
}

static bool stop_after_two(const struct track_conn *c, void *user)
{
	(void)c;
	return ++*(int *)user < 2;
}

static void foreach_stops_and_clear_closed(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	open_from(&f, 1001);
	refuse_from(&f, 1002);
	open_from(&f, 1003);
	refuse_from(&f, 1004);
	int visited = 0;
	track_foreach(f.tt, stop_after_two, &visited);
	assert_int_equal(visited, 2);
	track_clear_closed(f.tt);
	uint64_t ev[8];
	assert_int_equal(evicted_ids(&f, ev, 8), 2);
	struct id_list l = {.n = 0};
	track_foreach(f.tt, collect, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], 1);
	assert_int_equal(l.id[1], 3);
	fx_done(&f);
}

/* A new SYN (new ISN) on a finished 4-tuple is a new connection; the old one stays, closed. */
static void port_reuse_after_time_wait(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "FA", CI + 1, SI + 1, 0},
	                                            {TS, "FA", SI + 1, CI + 2, 0},
	                                            {TC, "A", CI + 2, SI + 2, 0},
	                                            {TC, "S", CI + 100000, 0, 0, 1.0},
	                                            {TS, "SA", SI + 7, CI + 100001, 0},
	                                            {TC, "A", CI + 100001, SI + 8, 0}}};
	run_steps(&f, s.steps);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_PORT_REUSE), 1);
	const struct track_conn *old = track_find(f.tt, 1), *c = track_find(f.tt, 2);
	assert_non_null(old);
	assert_non_null(c);
	assert_true(old->closed);
	assert_int_equal(old->ep[TC].state, TRACK_CLOSED);
	assert_int_equal(c->ep[TC].state, TRACK_ESTABLISHED);
	assert_int_equal(c->ep[TS].state, TRACK_ESTABLISHED);
	assert_true(why_contains(&f, "TIME_WAIT ended early: new SYN on the same 4-tuple"));
	static const struct tr want[] = {HANDSHAKE_TR, {0}};
	expect_transitions(&f, 2, want);
	expect_consistent(&f, 2);
	/* The old TIME_WAIT timer must not fire on anything later. */
	int n = f.n;
	track_advance(f.tt, f.t + 100);
	assert_int_equal(f.n, n);
	fx_done(&f);
}

static void refused_then_retried(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	refuse_from(&f, 1001);
	fx_seg(&f, TC, "S", CI, 0, 0); /* same ISN again: a retransmission, not a new conn */
	assert_int_equal(track_get_stats(f.tt)->conns_total, 1);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_RETRANSMISSION), 1);
	fx_seg(&f, TC, "S", CI + 5000, 0, 0);
	assert_int_equal(track_get_stats(f.tt)->conns_total, 2);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_PORT_REUSE), 1);
	assert_int_equal(track_find(f.tt, 2)->ep[TC].state, TRACK_SYN_SENT);
	fx_done(&f);
}

/* Many connections through a small table: the cap holds, nothing breaks, ids keep growing. */
static void churn_across_the_cap(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.max_conns = 64, .time_wait_secs = 0.5});
	for (uint32_t i = 0; i < 20000; i++) {
		f.n = 0; /* the recorder only keeps recent events */
		f.cport = (uint16_t)(1024 + i % 30000);
		f.caddr.bytes[2] = (uint8_t)(i >> 8);
		open_from(&f, f.cport);
		fx_seg(&f, TC, "FA", CI + 1, SI + 1, 0);
		fx_seg(&f, TS, "FA", SI + 1, CI + 2, 0);
		fx_seg(&f, TC, "A", CI + 2, SI + 2, 0);
	}
	const struct track_stats *st = track_get_stats(f.tt);
	assert_int_equal(st->conns_total, 20000);
	assert_true(st->conns_open <= 64);
	assert_int_equal(st->conns_peak, 64);
	assert_int_equal(st->evicted, 20000 - st->conns_open);
	assert_int_equal(st->segments, 20000 * 6);
	fx_done(&f);
}

static void footprint_and_config(void **state)
{
	(void)state;
	size_t fp = track_conn_footprint();
	assert_true(fp > sizeof(struct track_conn));
	assert_true(fp <= 512);
	/* 64 MiB holds the default table many times over. */
	assert_true(fp * 65536 < 64u * 1024 * 1024);
	char err[128] = "";
	struct track_config bad = {.time_wait_secs = -1};
	assert_null(track_create(&bad, err, sizeof err));
	assert_true(strlen(err) > 0);
	struct track_table *tt = track_create(NULL, err, sizeof err);
	assert_non_null(tt);
	track_destroy(tt);
}

/* Time never goes backwards; a lone anomaly is counted and reported without a connection. */
static void time_and_notes(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.pending_secs = 1});
	fx_seg_at(&f, 100.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&f, 50.0, TS, "SA", SI, CI + 1, 0, 0); /* clock went back: treated as 100 */
	assert_true(f.ev[f.n - 1].t == 100.0);
	track_advance(f.tt, 10.0);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_SYN_SENT);
	track_note(f.tt, 101.0, TRACK_ANOMALY_TRUNCATED, "frame cut at 40 bytes");
	assert_int_equal(f.ev[f.n - 1].kind, TRACK_EVENT_ANOMALY);
	assert_int_equal(f.ev[f.n - 1].conn, 0);
	assert_string_equal(f.ev[f.n - 1].why, "frame cut at 40 bytes");
	assert_int_equal(track_get_stats(f.tt)->anomalies[TRACK_ANOMALY_TRUNCATED], 1);
	fx_done(&f);
}

/* What arrives at the callback itself, before rec_cb would flatten it: kind, ncaused and,
 * for a PACKET, the kinds of what it carries. */
struct raw_log {
	int n;
	enum track_event_kind kind[64];
	uint64_t conn[64];
	size_t ncaused[64];
	enum track_event_kind caused0[64];
};

static void raw_cb(const struct track_event *ev, void *user)
{
	struct raw_log *l = user;
	assert_true(l->n < 64);
	l->kind[l->n] = ev->kind;
	l->conn[l->n] = ev->conn ? ev->conn->id : 0;
	l->ncaused[l->n] = ev->ncaused;
	l->caused0[l->n] = ev->ncaused ? ev->caused[0].kind : TRACK_EVENT_PACKET;
	l->n++;
}

/* The contract (track.h, "Events"): a segment is one PACKET event carrying what it caused; a
 * timer that the segment's time makes due comes on its own, before it, not inside it. */
static void segment_record_and_timers(void **state)
{
	(void)state;
	static struct raw_log l;
	memset(&l, 0, sizeof l);
	struct track_config cfg = {.pending_secs = 0.5, .on_event = raw_cb, .user = &l};
	char err[128];
	struct track_table *tt = track_create(&cfg, err, sizeof err);
	assert_non_null(tt);
	struct fx f; /* only for its segment builder's addresses and ports */
	memset(&f, 0, sizeof f);
	f.tt = tt;
	f.caddr = f.saddr = v4(127, 0, 0, 1);
	f.cport = 40000;
	f.sport = 9998;
	fx_seg_at(&f, 1.0, TC, "S", CI, 0, 0, 0);
	assert_int_equal(l.n, 1); /* OPEN and the client's SYN_SENT ride on the PACKET */
	assert_int_equal(l.kind[0], TRACK_EVENT_PACKET);
	assert_int_equal(l.ncaused[0], 2);
	assert_int_equal(l.caused0[0], TRACK_EVENT_OPEN);
	fx_seg_at(&f, 1.1, TS, "SA", SI, CI + 1, 0, 0); /* client's ESTABLISHED now pending */
	assert_int_equal(l.n, 2);
	/* another connection's segment at 2.0: the pending commit (due at 1.6) comes first, on
	 * its own, then that segment's PACKET with its own OPEN */
	f.cport = 40001;
	fx_seg_at(&f, 2.0, TC, "S", CI, 0, 0, 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.kind[2], TRACK_EVENT_STATE);
	assert_int_equal(l.conn[2], 1);
	assert_int_equal(l.kind[3], TRACK_EVENT_PACKET);
	assert_int_equal(l.conn[3], 2);
	assert_int_equal(l.caused0[3], TRACK_EVENT_OPEN);
	track_destroy(tt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(eviction_order),
	    cmocka_unit_test(syn_flood_keeps_established),
	    cmocka_unit_test(foreach_stops_and_clear_closed),
	    cmocka_unit_test(port_reuse_after_time_wait),
	    cmocka_unit_test(refused_then_retried),
	    cmocka_unit_test(churn_across_the_cap),
	    cmocka_unit_test(footprint_and_config),
	    cmocka_unit_test(time_and_notes),
	    cmocka_unit_test(segment_record_and_timers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
