/* test_track_midstream.c — connections picked up after their handshake: UNKNOWN until the
 * evidence settles them; never an invented handshake. */
#include "track_test_util.h"

#define MC 70000u /* client's seq when the capture starts */
#define MS 90000u /* server's */

static const struct scenario settle = {
    .name = "data ACKed both ways settles both to ESTABLISHED",
    .steps = {{TC, "PA", MC, MS, 100},
              {TS, "PA", MS, MC + 100, 50},
              {TC, "A", MC + 100, MS + 50, 0}},
    .tr = {{TC, TRACK_UNKNOWN, TRACK_ESTABLISHED}, {TS, TRACK_UNKNOWN, TRACK_ESTABLISHED}},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
    .why_has = "data ACKed both ways (picked up mid-stream)",
};

static const struct scenario one_way = {
    .name = "one-way data is not enough (the quiet side may have half-closed)",
    .steps = {{TC, "PA", MC, MS, 100},
              {TS, "A", MS, MC + 100, 0},
              {TC, "PA", MC + 100, MS, 100},
              {TS, "A", MS, MC + 200, 0}},
    .tr = {{0}},
    .final_c = TRACK_UNKNOWN,
    .final_s = TRACK_UNKNOWN,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

static const struct scenario settle_then_close = {
    .name = "settled mid-stream connection closes normally",
    .steps = {{TC, "PA", MC, MS, 100},
              {TS, "PA", MS, MC + 100, 50},
              {TC, "A", MC + 100, MS + 50, 0},
              {TS, "FA", MS + 50, MC + 100, 0},
              {TC, "FA", MC + 100, MS + 51, 0},
              {TS, "A", MS + 51, MC + 101, 0}},
    .tr = {{TC, TRACK_UNKNOWN, TRACK_ESTABLISHED},
           {TS, TRACK_UNKNOWN, TRACK_ESTABLISHED},
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TC, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TC, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TS, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TS, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TC, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_TIME_WAIT,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* RFC 9293 §3.6: the client's FIN ACKs MS; the server then sends data at MS, so its FIN (if
 * any) lies beyond what the client had received: the client was ESTABLISHED -> FIN_WAIT_1. The
 * server, which had sent no FIN, was ESTABLISHED; its data ACKs the FIN: CLOSE_WAIT. */
static const struct scenario fin_from_unknown = {
    .name = "FIN from an UNKNOWN endpoint: the peer's later data shows it was ESTABLISHED",
    .steps = {{TC, "PA", MC, MS, 100},
              {TC, "FA", MC + 100, MS, 0},
              {TS, "PA", MS, MC + 101, 10},
              {TC, "A", MC + 101, MS + 10, 0}},
    .tr = {{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2}},
    .final_c = TRACK_FIN_WAIT_2,
    .final_s = TRACK_CLOSE_WAIT,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* Picked up at the teardown (issue 12 item 9): FIN, ACK, FIN, ACK. */
static const struct scenario teardown_pickup = {
    .name = "first segment a FIN: FIN/ACK/FIN/ACK settles both ends",
    .steps = {{TC, "FA", MC, MS, 0},
              {TS, "A", MS, MC + 1, 0},
              {TS, "FA", MS, MC + 1, 0},
              {TC, "A", MC + 1, MS + 1, 0}},
    .tr = {{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* The client's FIN comes first and the server's FIN ACKs it: the server had received it, so
 * it was CLOSE_WAIT and its FIN makes it LAST_ACK; the client, whose FIN lies below... its
 * ACK stopped short of the server's FIN: it was ESTABLISHED -> FIN_WAIT_1. */
static const struct scenario teardown_close_wait = {
    .name = "first segment a FIN, answered by a FIN that ACKs it: LAST_ACK",
    .steps = {{TC, "FA", MC, MS, 0}, {TS, "FA", MS, MC + 1, 0}, {TC, "A", MC + 1, MS + 1, 0}},
    .tr = {{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* Each FIN's ACK stops short of the other's FIN: they crossed (§3.6 figure 13). */
static const struct scenario teardown_crossed = {
    .name = "first segments two crossing FINs: both CLOSING, then TIME_WAIT",
    .steps = {{TC, "FA", MC, MS, 0},
              {TS, "FA", MS, MC, 0},
              {TC, "A", MC + 1, MS + 1, 0},
              {TS, "A", MS + 1, MC + 1, 0}},
    .tr = {{TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TS, TRACK_CLOSING, TRACK_TIME_WAIT},
           {TC, TRACK_CLOSING, TRACK_TIME_WAIT}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_TIME_WAIT,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* A FIN and its ACK only: FIN_WAIT_1 or LAST_ACK depends on a peer's FIN that may have been
 * sent before the capture; nothing tells, so both stay UNKNOWN (even at the end). */
static const struct scenario teardown_no_evidence = {
    .name = "a FIN and its bare ACK prove nothing: both stay UNKNOWN",
    .steps = {{TC, "FA", MC, MS, 0}, {TS, "A", MS, MC + 1, 0}},
    .tr = {{0}},
    .final_c = TRACK_UNKNOWN,
    .final_s = TRACK_UNKNOWN,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* A RST at the sender's own send position: the sender aborted and the receiver (whatever
 * synchronized state it was in) is reset. */
static const struct scenario rst_from_unknown = {
    .name = "RST at RCV.NXT closes both UNKNOWN endpoints",
    .steps = {{TC, "PA", MC, MS, 100}, {TS, "A", MS, MC + 100, 0}, {TC, "R", MC + 100, 0, 0}},
    .tr = {{TC, TRACK_UNKNOWN, TRACK_CLOSED}, {TS, TRACK_UNKNOWN, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

static const struct scenario rst_only = {
    .name = "a lone RST is a connection of its own, closed at once",
    .steps = {{TS, "RA", MS, MC, 0}},
    .tr = {{TC, TRACK_UNKNOWN, TRACK_CLOSED}, {TS, TRACK_UNKNOWN, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

/* A SYN on a tuple only ever seen mid-stream: that connection ended unseen; a new one. */
static void syn_after_midstream(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "PA", MC, MS, 100);
	fx_seg(&f, TC, "S", CI, 0, 0);
	fx_seg(&f, TS, "SA", SI, CI + 1, 0);
	fx_seg(&f, TC, "A", CI + 1, SI + 1, 0);
	const struct track_conn *old = track_find(f.tt, 1), *c = track_find(f.tt, 2);
	assert_non_null(old);
	assert_non_null(c);
	assert_true(old->midstream);
	assert_true(old->closed);
	assert_false(c->midstream);
	assert_int_equal(c->ep[TC].state, TRACK_ESTABLISHED);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_PORT_REUSE), 1);
	static const struct tr want[] = {HANDSHAKE_TR, {0}};
	expect_transitions(&f, 2, want);
	fx_done(&f);
}

/* Relative numbers from the first number of each side seen: its first seq, or the peer's ACK
 * of its numbers when that came first (never a raw number beside a relative one). */
static void relative_numbers(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "PA", MC, MS, 100);
	assert_int_equal(f.ev[f.n - 1].kind, TRACK_EVENT_PACKET);
	assert_int_equal(f.ev[f.n - 1].rel_seq, 0);
	assert_int_equal(f.ev[f.n - 1].rel_ack, 0);
	assert_int_equal(f.ev[f.n - 1].win_shift, -1); /* no SYN seen: the scale is unknown */
	fx_seg(&f, TS, "PA", MS, MC + 100, 10);
	assert_int_equal(f.ev[f.n - 1].rel_seq, 0);
	assert_int_equal(f.ev[f.n - 1].rel_ack, 100);
	fx_seg(&f, TC, "PA", MC + 100, MS + 10, 5);
	assert_int_equal(f.ev[f.n - 1].rel_seq, 100);
	assert_int_equal(f.ev[f.n - 1].rel_ack, 10);
	assert_true(first_conn(&f)->midstream);
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(settle),
	    SCENARIO_TEST(one_way),
	    SCENARIO_TEST(settle_then_close),
	    SCENARIO_TEST(fin_from_unknown),
	    SCENARIO_TEST(teardown_pickup),
	    SCENARIO_TEST(teardown_close_wait),
	    SCENARIO_TEST(teardown_crossed),
	    SCENARIO_TEST(teardown_no_evidence),
	    SCENARIO_TEST(rst_from_unknown),
	    SCENARIO_TEST(rst_only),
	    cmocka_unit_test(syn_after_midstream),
	    cmocka_unit_test(relative_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
