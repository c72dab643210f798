/* test_track_giveup.c — a client whose SYNs go unanswered is predicted CLOSED once its next SYN
 * is overdue, by capture time; any answer, or its own RST, stops the prediction. */
#include "track_test_util.h"

/* The times this kernel (Linux 6.18, tcp_syn_retries=6 and tcp_syn_linear_timeouts=4, the
 * defaults) sent an unanswered client's SYNs, in seconds after the first; connect() failed with
 * ETIMEDOUT 135.3 s after it (tests/golden/pcap/syn-giveup-default.pcap). */
static const double linux_default[] = {0.0,   1.014,  2.038,  3.062,  4.086, 5.110,
                                       7.126, 11.382, 19.574, 35.802, 69.750};
#define NDEFAULT (sizeof linux_default / sizeof linux_default[0])

static int count_state(const struct fx *f, enum track_state to)
{
	int n = 0;
	for (int i = 0; i < f->n; i++)
		n += f->ev[i].kind == TRACK_EVENT_STATE && f->ev[i].to == to;
	return n;
}

static void syns(struct fx *f, double t0, const double *at, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fx_seg_at(f, t0 + at[i], TC, "S", CI, 0, 0, 0);
}

/* The kernel's own SYN times: nothing is predicted while a next SYN could still come (twice
 * the last gap, plus an eighth), then CLOSED, at that deadline, worded as a prediction. */
static void default_linux_gaps_predict_closed(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	syns(&f, 100.0, linux_default, NDEFAULT);
	double last = 100.0 + linux_default[NDEFAULT - 1];
	double next = 2 * (linux_default[NDEFAULT - 1] - linux_default[NDEFAULT - 2]);
	double due = last + next * 1.125;
	track_advance(f.tt, due - 0.001);
	assert_int_equal(count_state(&f, TRACK_CLOSED), 0);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_SYN_SENT);
	int before = f.n;
	track_advance(f.tt, due + 0.001);
	assert_int_equal(f.n, before + 1);
	const struct rec_ev *e = &f.ev[before];
	assert_int_equal(e->kind, TRACK_EVENT_STATE);
	assert_int_equal(e->who, TC);
	assert_int_equal(e->from, TRACK_SYN_SENT);
	assert_int_equal(e->to, TRACK_CLOSED);
	assert_true(e->t > due - 1e-6 && e->t < due + 1e-6);
	assert_non_null(strstr(e->why, "no answer to 11 SYNs (10 retransmissions), "));
	assert_non_null(strstr(e->why, "none within 67.9 s of the last"));
	assert_non_null(strstr(e->why, "predicted CLOSED"));
	assert_non_null(strstr(e->why, "given up by about 137.6 s after the first"));
	/* nothing is invented for the server, and the connection counts as closed */
	assert_int_equal(first_conn(&f)->ep[TS].state, TRACK_UNKNOWN);
	assert_true(first_conn(&f)->closed);
	assert_string_equal(first_conn(&f)->history, "SG");
	expect_consistent(&f, 1);
	fx_done(&f);
}

/* A file replay has no clock but its segments: a later segment of another connection makes
 * the prediction due, and it comes on its own before that segment's events. */
static void capture_time_drives_it(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const double three[] = {0.0, 1.0, 2.0}; /* next due at 2 + 2 * 1.125 = 4.25 */
	syns(&f, 10.0, three, 3);
	f.cport = 40001;
	fx_seg_at(&f, 14.2, TC, "S", CI + 7, 0, 0, 0);
	assert_int_equal(count_state(&f, TRACK_CLOSED), 0);
	int before = f.n;
	fx_seg_at(&f, 14.3, TS, "SA", SI, CI + 8, 0, 0);
	assert_int_equal(f.ev[before].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[before].conn, 1);
	assert_int_equal(f.ev[before].to, TRACK_CLOSED);
	assert_true(f.ev[before].t > 14.2499 && f.ev[before].t < 14.2501);
	assert_non_null(strstr(f.ev[before].why, "given up by about 4 s after the first"));
	/* the end of the input predicts nothing that is not due yet (conn 2 answered anyway) */
	fx_done(&f);
}

/* A capture that ends while a SYN could still come leaves the client in SYN_SENT. */
static void end_of_input_predicts_nothing_early(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const double two[] = {0.0, 1.0};
	syns(&f, 1.0, two, 2);
	track_finish(f.tt, 4.2); /* due at 2 + 2.25 = 4.25 */
	assert_int_equal(count_state(&f, TRACK_CLOSED), 0);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_SYN_SENT);
	fx_done(&f);
}

/* A late SYN-ACK (after two retransmissions, before the deadline) is the answer: no
 * prediction ever follows. */
static void late_answer_cancels(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const double three[] = {0.0, 1.0, 3.0};
	syns(&f, 1.0, three, 3);
	fx_seg_at(&f, 7.0, TS, "SA", SI, CI + 1, 0, 0);
	fx_seg_at(&f, 7.001, TC, "A", CI + 1, SI + 1, 0, 0);
	track_advance(f.tt, 1000.0);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_ESTABLISHED);
	assert_false(why_contains(&f, "predicted CLOSED"));
	fx_done(&f);
}

/* A bare SYN from the peer (the SYNs crossed) answers too, and so does any segment of the
 * peer, even one the client ignores (a RST that ACKs nothing, RFC 9293 §3.10.7.3): the SYNs
 * are no longer unanswered, so nothing is predicted. The client's own RST closes it with a
 * segment (no second CLOSED later). */
static void peer_syn_or_own_rst_cancels(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg_at(&f, 1.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&f, 1.5, TS, "S", SI, 0, 0, 0);
	track_advance(f.tt, 1000.0);
	assert_false(why_contains(&f, "predicted CLOSED"));

	struct fx g;
	fx_init(&g);
	fx_seg_at(&g, 1.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&g, 2.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&g, 2.5, TC, "R", CI + 1, 0, 0, 0);
	track_advance(g.tt, 1000.0);
	assert_int_equal(count_state(&g, TRACK_CLOSED), 1);
	assert_false(why_contains(&g, "predicted CLOSED"));
	struct fx h;
	fx_init(&h);
	fx_seg_at(&h, 1.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&h, 1.5, TS, "R", SI, 0, 0, 0);
	track_advance(h.tt, 1000.0);
	assert_int_equal(track_find(h.tt, 1)->ep[TC].state, TRACK_SYN_SENT);
	assert_false(why_contains(&h, "predicted CLOSED"));
	fx_done(&f);
	fx_done(&g);
	fx_done(&h);
}

/* One SYN and nothing after it is never predicted (Linux would have retransmitted it, so the
 * capture missed frames or the program closed early: the wire cannot say which), and a
 * SYN-ACK that comes long after a lone SYN (a capture that lost the retransmissions, or the
 * benchmark's interleaved connections) finds the client still in SYN_SENT: ESTABLISHED, no
 * anomaly. */
static void lone_syn(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg_at(&f, 5.0, TC, "S", CI, 0, 0, 0);
	track_advance(f.tt, 1000.0);
	assert_int_equal(count_state(&f, TRACK_CLOSED), 0);
	assert_int_equal(track_find(f.tt, 1)->ep[TC].state, TRACK_SYN_SENT);
	assert_false(why_contains(&f, "predicted CLOSED"));
	fx_done(&f);

	struct fx g;
	fx_init(&g);
	fx_seg_at(&g, 0.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&g, 9.8, TS, "SA", SI, CI + 1, 0, 0);
	fx_seg_at(&g, 9.9, TC, "A", CI + 1, SI + 1, 0, 0);
	assert_int_equal(track_find(g.tt, 1)->ep[TC].state, TRACK_ESTABLISHED);
	assert_int_equal(track_find(g.tt, 1)->ep[TS].state, TRACK_ESTABLISHED);
	assert_false(why_contains(&g, "predicted CLOSED"));
	fx_done(&g);
}

/* Deadlines differ per connection (they follow each one's gaps): they fire in time order
 * whatever order they were set in. */
static void deadlines_fire_in_order(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	f.cport = 40001; /* conn 1: SYNs at 0, 1.05: due at 1.05 + 2.3625 = 3.4125 */
	fx_seg_at(&f, 0.0, TC, "S", CI, 0, 0, 0);
	f.cport = 40002; /* conn 2: SYNs at 0.1, 1.1: due at 1.1 + 2.25 = 3.35 */
	fx_seg_at(&f, 0.1, TC, "S", CI, 0, 0, 0);
	f.cport = 40003; /* conn 3: SYNs at 0.2, 1.2: due at 3.45 */
	fx_seg_at(&f, 0.2, TC, "S", CI, 0, 0, 0);
	f.cport = 40001; /* set first, due second: the list is kept sorted */
	fx_seg_at(&f, 1.05, TC, "S", CI, 0, 0, 0);
	f.cport = 40002;
	fx_seg_at(&f, 1.1, TC, "S", CI, 0, 0, 0);
	f.cport = 40003;
	fx_seg_at(&f, 1.2, TC, "S", CI, 0, 0, 0);
	int before = f.n;
	track_advance(f.tt, 3.36);
	assert_int_equal(f.n, before + 1);
	assert_int_equal(f.ev[before].conn, 2);
	track_advance(f.tt, 3.42);
	assert_int_equal(f.n, before + 2);
	assert_int_equal(f.ev[before + 1].conn, 1);
	track_advance(f.tt, 3.5);
	assert_int_equal(f.n, before + 3);
	assert_int_equal(f.ev[before + 2].conn, 3);
	assert_true(f.ev[before].t < f.ev[before + 1].t && f.ev[before + 1].t < f.ev[before + 2].t);
	fx_done(&f);
}

/* Timers of different kinds fire in time order too: a give-up due before a TIME_WAIT expiry
 * comes first, though its list is looked at after the TIME_WAIT one. */
static void all_timer_kinds_in_time_order(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.time_wait_secs = 10.0});
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "FA", CI + 1, SI + 1, 0},
	                                            {TS, "FA", SI + 1, CI + 2, 0},
	                                            {TC, "A", CI + 2, SI + 2, 0}}};
	run_steps(&f, s.steps); /* conn 1: client in TIME_WAIT until about 11 */
	f.cport = 40001;
	fx_seg_at(&f, 2.0, TC, "S", CI, 0, 0, 0); /* conn 2: SYNs at 2 and 3: give-up due at 5.25 */
	fx_seg_at(&f, 3.0, TC, "S", CI, 0, 0, 0);
	int before = f.n;
	track_advance(f.tt, 20.0);
	assert_int_equal(f.n, before + 2);
	assert_int_equal(f.ev[before].conn, 2);
	assert_int_equal(f.ev[before + 1].conn, 1);
	assert_true(f.ev[before].t < f.ev[before + 1].t);
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(default_linux_gaps_predict_closed),
	    cmocka_unit_test(capture_time_drives_it),
	    cmocka_unit_test(end_of_input_predicts_nothing_early),
	    cmocka_unit_test(late_answer_cancels),
	    cmocka_unit_test(peer_syn_or_own_rst_cancels),
	    cmocka_unit_test(lone_syn),
	    cmocka_unit_test(deadlines_fire_in_order),
	    cmocka_unit_test(all_timer_kinds_in_time_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
