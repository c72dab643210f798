/* test_track_retrans.c — retransmitted SYN/SYN-ACK/FIN/data, and sequence wrap across 2^32. */
#include "track_test_util.h"

static const struct scenario syn_again = {
    .name = "retransmitted SYN is an anomaly, not a new transition",
    .steps = {{TC, "S", CI, 0, 0},
              {TC, "S", CI, 0, 0, 1.0},
              {TS, "SA", SI, CI + 1, 0},
              {TC, "A", CI + 1, SI + 1, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 1}},
    .cfg = {.pending_secs = 5},
};

static const struct scenario synack_again = {
    .name = "retransmitted SYN-ACK",
    .steps = {{TC, "S", CI, 0, 0},
              {TS, "SA", SI, CI + 1, 0},
              {TS, "SA", SI, CI + 1, 0, 0.5},
              {TC, "A", CI + 1, SI + 1, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 1}},
};

static const struct scenario fin_again = {
    .name = "retransmitted FIN (with data before it)",
    .steps = {HANDSHAKE,
              {TC, "FPA", CI + 1, SI + 1, 10},
              {TC, "FPA", CI + 1, SI + 1, 10, 0.2},
              {TS, "A", SI + 1, CI + 12, 0},
              {TS, "FA", SI + 1, CI + 12, 0},
              {TC, "A", CI + 12, SI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 1}},
};

static const struct scenario data_again = {
    .name = "data ending at or before snd_nxt is a retransmission; new data is not",
    .steps = {HANDSHAKE,
              {TC, "PA", CI + 1, SI + 1, 100},
              {TC, "PA", CI + 101, SI + 1, 100},
              {TC, "PA", CI + 1, SI + 1, 100},
              {TC, "PA", CI + 51, SI + 1, 50},
              {TC, "PA", CI + 151, SI + 1, 100}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 2}},
};

static const struct scenario new_isn_on_live = {
    .name = "SYN with a different ISN on a live connection is unexpected",
    .steps = {HANDSHAKE, {TC, "S", CI + 777, 0, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_UNEXPECTED, 1}},
};

/* Both ISNs just below 2^32: data and both FINs sit on the other side of the wrap. */
#define CW 0xFFFFFF00u
#define SW 0xFFFFFFFFu
static const struct scenario wrap = {
    .name = "sequence numbers wrap during data and FIN",
    .steps = {{TC, "S", CW, 0, 0},
              {TS, "SA", SW, CW + 1, 0},
              {TC, "A", CW + 1, SW + 1, 0},
              {TC, "PA", CW + 1, SW + 1, 0x200},
              {TS, "A", SW + 1, CW + 0x201, 0},
              {TC, "PA", CW + 1, SW + 1, 0x100},
              {TC, "FA", CW + 0x201, SW + 1, 0},
              {TS, "A", SW + 1, CW + 0x202, 0},
              {TS, "FA", SW + 1, CW + 0x202, 0},
              {TC, "A", CW + 0x202, SW + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2},
           {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},
           {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 1}},
    .why_has = "sent FIN seq=513",
};

/* Relative numbers stay small across the wrap. */
static void wrap_relative_numbers(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	run_steps(&f, wrap.steps);
	int fin = -1, last = -1;
	for (int i = 0; i < f.n; i++) {
		if (f.ev[i].kind != TRACK_EVENT_PACKET)
			continue;
		if (fin < 0 && f.ev[i].who == TC && f.ev[i].rel_seq == 0x201)
			fin = i;
		last = i;
	}
	assert_true(fin >= 0);
	assert_int_equal(f.ev[last].rel_seq, 0x202);
	assert_int_equal(f.ev[last].rel_ack, 2);
	const struct track_conn *c = first_conn(&f);
	assert_int_equal(c->ep[TC].snd_nxt, (uint32_t)(CW + 0x202));
	assert_int_equal(c->ep[TC].fin_seq, (uint32_t)(CW + 0x201));
	assert_int_equal(c->ep[TC].bytes, 0x300);
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(syn_again),
	    SCENARIO_TEST(synack_again),
	    SCENARIO_TEST(fin_again),
	    SCENARIO_TEST(data_again),
	    SCENARIO_TEST(new_isn_on_live),
	    SCENARIO_TEST(wrap),
	    cmocka_unit_test(wrap_relative_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
