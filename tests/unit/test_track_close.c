/* test_track_close.c — active/passive close, half-close, FIN+ACK, pending FIN, TIME_WAIT. */
#include "track_test_util.h"

/* After HANDSHAKE: client next seq CI+1, server next seq SI+1. */
#define CLOSE_TR_CLIENT_FIRST                                                                      \
	{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1}, {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},      \
	    {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2}, {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},      \
	    {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},                                               \
	{                                                                                          \
		TS, TRACK_LAST_ACK, TRACK_CLOSED                                                   \
	}

/* Same, when the server's FIN also ACKs the client's FIN (no separate ACK). */
#define CLOSE_TR_FIN_ACKS_FIN                                                                      \
	{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1}, {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},      \
	    {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK}, {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},      \
	    {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},                                               \
	{                                                                                          \
		TS, TRACK_LAST_ACK, TRACK_CLOSED                                                   \
	}

static const struct scenario client_closes = {
    .name = "client closes first: FIN, ACK, FIN, ACK",
    .steps = {HANDSHAKE,
              {TC, "FA", CI + 1, SI + 1, 0},
              {TS, "A", SI + 1, CI + 2, 0},
              {TS, "FA", SI + 1, CI + 2, 0},
              {TC, "A", CI + 2, SI + 2, 0}},
    .tr = {HANDSHAKE_TR, CLOSE_TR_CLIENT_FIRST},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .why_has = "received FIN seq=1 in FIN_WAIT_2",
};

static const struct scenario server_closes = {
    .name = "server closes first",
    .steps = {HANDSHAKE,
              {TS, "FA", SI + 1, CI + 1, 0},
              {TC, "A", CI + 1, SI + 2, 0},
              {TC, "FA", CI + 1, SI + 2, 0},
              {TS, "A", SI + 2, CI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TC, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TS, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TC, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TS, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TC, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_TIME_WAIT,
};

/* The passive side's FIN also ACKs the active FIN: FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT on
 * one segment, as Linux processes the ACK before the FIN. */
static const struct scenario fin_acks_fin = {
    .name = "FIN that also ACKs our FIN",
    .steps = {HANDSHAKE,
              {TC, "FA", CI + 1, SI + 1, 0},
              {TS, "FA", SI + 1, CI + 2, 0},
              {TC, "A", CI + 2, SI + 2, 0}},
    .tr = {HANDSHAKE_TR, CLOSE_TR_FIN_ACKS_FIN},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .why_has = "received FIN seq=1, peer ACKed our FIN",
};

static const struct scenario half_close = {
    .name = "half-close: data keeps flowing server->client after the client's FIN",
    .steps = {HANDSHAKE,
              {TC, "PA", CI + 1, SI + 1, 5},
              {TS, "A", SI + 1, CI + 6, 0},
              {TC, "FA", CI + 6, SI + 1, 0},
              {TS, "A", SI + 1, CI + 7, 0},
              {TS, "PA", SI + 1, CI + 7, 100},
              {TC, "A", CI + 7, SI + 101, 0},
              {TS, "PA", SI + 101, CI + 7, 100},
              {TC, "A", CI + 7, SI + 201, 0},
              {TS, "FA", SI + 201, CI + 7, 0},
              {TC, "A", CI + 7, SI + 202, 0}},
    .tr = {HANDSHAKE_TR, CLOSE_TR_CLIENT_FIRST},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
};

static const struct scenario fin_with_data = {
    .name = "FIN on a data segment: the FIN's seq follows the data",
    .steps = {HANDSHAKE,
              {TC, "FPA", CI + 1, SI + 1, 50},
              {TS, "FA", SI + 1, CI + 52, 0},
              {TC, "A", CI + 52, SI + 2, 0}},
    .tr = {HANDSHAKE_TR, CLOSE_TR_FIN_ACKS_FIN},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .why_has = "sent FIN seq=51",
};

/* An ACK that covers the data but not the FIN is not evidence for the FIN. */
static const struct scenario ack_short_of_fin = {
    .name = "ACK short of the FIN leaves the receive of the FIN pending",
    .steps = {HANDSHAKE,
              {TC, "FPA", CI + 1, SI + 1, 50},
              {TS, "A", SI + 1, CI + 51, 0},
              {TS, "A", SI + 1, CI + 52, 0, 0.040}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2}},
    .final_c = TRACK_FIN_WAIT_2,
    .final_s = TRACK_CLOSE_WAIT,
    .why_has = "received FIN seq=51 (its ACK covers the FIN)",
};

static const struct scenario fin_pending_timeout = {
    .name = "FIN never ACKed: CLOSE_WAIT assumed after pending_secs",
    .steps = {HANDSHAKE, {TC, "FA", CI + 1, SI + 1, 0}, {0, "@adv", 0, 0, 0, 3.0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT}},
    .final_c = TRACK_FIN_WAIT_1,
    .final_s = TRACK_CLOSE_WAIT,
    .why_has = "received FIN seq=1 (assumed: no reply seen)",
};

static const struct scenario fin_pending_finish = {
    .name = "capture ends after a FIN: track_finish commits CLOSE_WAIT",
    .steps = {HANDSHAKE, {TC, "FA", CI + 1, SI + 1, 0}, {0, "@fin", 0, 0, 0, 0.01}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT}},
    .final_c = TRACK_FIN_WAIT_1,
    .final_s = TRACK_CLOSE_WAIT,
    .why_has = "(assumed: no reply seen before the end of the capture)",
};

static const struct scenario close_in_syn_received = {
    .name = "server closes from SYN_RECEIVED (its FIN before the handshake ACK)",
    .steps = {{TC, "S", CI, 0, 0},
              {TS, "SA", SI, CI + 1, 0},
              {TS, "FA", SI + 1, CI + 1, 0},
              {TC, "A", CI + 1, SI + 2, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT},
           {TS, TRACK_LISTEN, TRACK_SYN_RECEIVED},
           {TS, TRACK_SYN_RECEIVED, TRACK_FIN_WAIT_1},
           {TC, TRACK_SYN_SENT, TRACK_ESTABLISHED},
           {TC, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TS, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2}},
    .final_c = TRACK_CLOSE_WAIT,
    .final_s = TRACK_FIN_WAIT_2,
    .why_has = "(assumed: FIN followed)",
};

/* TIME_WAIT ends at exactly first-entry + time_wait_secs, and not before. */
static void time_wait_expires_on_time(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "FA", CI + 1, SI + 1, 0},
	                                            {TS, "FA", SI + 1, CI + 2, 0},
	                                            {TC, "A", CI + 2, SI + 2, 0}}};
	run_steps(&f, s.steps);
	double entered = -1;
	for (int i = 0; i < f.n; i++)
		if (f.ev[i].kind == TRACK_EVENT_STATE && f.ev[i].to == TRACK_TIME_WAIT)
			entered = f.ev[i].t;
	assert_true(entered > 0);
	int before = f.n;
	track_advance(f.tt, entered + 59.999);
	assert_int_equal(f.n, before);
	assert_false(first_conn(&f)->closed);
	track_advance(f.tt, entered + 60.0);
	assert_int_equal(f.n, before + 1);
	assert_int_equal(f.ev[before].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[before].who, TC);
	assert_int_equal(f.ev[before].from, TRACK_TIME_WAIT);
	assert_int_equal(f.ev[before].to, TRACK_CLOSED);
	assert_true(f.ev[before].t == entered + 60.0);
	assert_string_equal(f.ev[before].why, "TIME_WAIT timer (2*MSL) expired after 60 s");
	assert_true(first_conn(&f)->closed);
	/* Closed connections stay in the table for the UI until cleared. */
	assert_int_equal(track_get_stats(f.tt)->conns_open, 1);
	track_clear_closed(f.tt);
	assert_int_equal(f.ev[f.n - 1].kind, TRACK_EVENT_EVICT);
	assert_null(first_conn(&f));
	assert_int_equal(track_get_stats(f.tt)->conns_open, 0);
	fx_done(&f);
}

/* Timers also fire from track_segment: a later segment of another connection first expires
 * the TIME_WAIT (at its deadline), then opens its own connection; an earlier one does not. */
static void time_wait_expires_on_a_later_segment(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "FA", CI + 1, SI + 1, 0},
	                                            {TS, "FA", SI + 1, CI + 2, 0},
	                                            {TC, "A", CI + 2, SI + 2, 0}}};
	run_steps(&f, s.steps);
	double entered = -1;
	for (int i = 0; i < f.n; i++)
		if (f.ev[i].kind == TRACK_EVENT_STATE && f.ev[i].to == TRACK_TIME_WAIT)
			entered = f.ev[i].t;
	assert_true(entered > 0);
	f.cport = 40001; /* a lone SYN: never predicted to give up */
	fx_seg_at(&f, entered + 59.0, TC, "S", CI, 0, 0, 0);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_TIME_WAIT);
	int before = f.n;
	f.cport = 40002;
	fx_seg_at(&f, entered + 61.0, TC, "S", CI, 0, 0, 0);
	assert_int_equal(f.ev[before].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[before].conn, 1);
	assert_int_equal(f.ev[before].to, TRACK_CLOSED);
	assert_true(f.ev[before].t == entered + 60.0);
	assert_int_equal(f.ev[before + 1].kind, TRACK_EVENT_OPEN);
	assert_int_equal(f.ev[before + 1].conn, 3);
	fx_done(&f);
}

static void time_wait_configurable_and_finish_keeps_it(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.time_wait_secs = 2.5});
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TS, "FA", SI + 1, CI + 1, 0},
	                                            {TC, "FA", CI + 1, SI + 2, 0},
	                                            {TS, "A", SI + 2, CI + 2, 0}}};
	run_steps(&f, s.steps);
	assert_int_equal(first_conn(&f)->ep[TS].state, TRACK_TIME_WAIT);
	/* The end of the capture does not expire TIME_WAIT early. */
	track_finish(f.tt, f.t + 1.0);
	assert_int_equal(first_conn(&f)->ep[TS].state, TRACK_TIME_WAIT);
	track_advance(f.tt, f.t + 2.5);
	assert_int_equal(first_conn(&f)->ep[TS].state, TRACK_CLOSED);
	assert_string_equal(f.ev[f.n - 1].why, "TIME_WAIT timer (2*MSL) expired after 2.5 s");
	fx_done(&f);
}

/* RFC 9293 §3.10.7.4: a retransmitted FIN in TIME_WAIT restarts the 2 MSL timer. */
static void time_wait_restarted_by_fin_retransmission(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.time_wait_secs = 10});
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "FA", CI + 1, SI + 1, 0},
	                                            {TS, "FA", SI + 1, CI + 2, 0},
	                                            {TC, "A", CI + 2, SI + 2, 0}}};
	run_steps(&f, s.steps);
	double t0 = f.t;
	fx_seg_at(&f, t0 + 5, TS, "FA", SI + 1, CI + 2, 0, 0); /* server lost our ACK */
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_RETRANSMISSION), 1);
	track_advance(f.tt, t0 + 10.5);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_TIME_WAIT);
	track_advance(f.tt, t0 + 15);
	assert_int_equal(first_conn(&f)->ep[TC].state, TRACK_CLOSED);
	fx_done(&f);
}

static void history_of_a_session(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	static const struct scenario s = {.steps = {HANDSHAKE,
	                                            {TC, "PA", CI + 1, SI + 1, 5},
	                                            {TC, "PA", CI + 6, SI + 1, 5},
	                                            {TS, "PA", SI + 1, CI + 11, 5},
	                                            {TC, "FA", CI + 11, SI + 6, 0},
	                                            {TS, "A", SI + 6, CI + 12, 0},
	                                            {TS, "FA", SI + 6, CI + 12, 0},
	                                            {TC, "A", CI + 12, SI + 7, 0}}};
	run_steps(&f, s.steps);
	assert_string_equal(first_conn(&f)->history, "SsADdFafA");
	fx_done(&f);
}

/* --summary asks for no reasons (track_config.no_why): the same transitions, every why empty. */
static void no_why_same_transitions(void **state)
{
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.no_why = true});
	run_steps(&f, client_closes.steps);
	expect_transitions(&f, 1, client_closes.tr);
	int states = 0;
	for (int i = 0; i < f.n; i++)
		if (f.ev[i].kind == TRACK_EVENT_STATE) {
			assert_string_equal(f.ev[i].why, "");
			states++;
		}
	assert_true(states > 0);
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(client_closes),
	    cmocka_unit_test(no_why_same_transitions),
	    SCENARIO_TEST(server_closes),
	    SCENARIO_TEST(fin_acks_fin),
	    SCENARIO_TEST(half_close),
	    SCENARIO_TEST(fin_with_data),
	    SCENARIO_TEST(ack_short_of_fin),
	    SCENARIO_TEST(fin_pending_timeout),
	    SCENARIO_TEST(fin_pending_finish),
	    SCENARIO_TEST(close_in_syn_received),
	    cmocka_unit_test(time_wait_expires_on_time),
	    cmocka_unit_test(time_wait_expires_on_a_later_segment),
	    cmocka_unit_test(time_wait_configurable_and_finish_keeps_it),
	    cmocka_unit_test(time_wait_restarted_by_fin_retransmission),
	    cmocka_unit_test(history_of_a_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
