/* test_track_data_after_close.c — a FIN carrying data reaching FIN_WAIT_2 (tests/truth). */
#include "track_test_util.h"

/* The client closed (FIN_WAIT_1); the server answers with data + FIN + an ACK of the client's
 * FIN. Whether the client took the FIN depends on whether its application can still read:
 * after close() Linux refuses the data with a RST and never enters TIME_WAIT (RFC 1122
 * §4.2.2.13; the kernel truth of tests/truth/corpus/data-after-close); after shutdown(SHUT_WR)
 * it takes both and ACKs the FIN. Its next segment tells. */
#define CLOSE_THEN_DATA_FIN                                                                        \
	HANDSHAKE, {TC, "FA", CI + 1, SI + 1, 0}, { TS, "FPA", SI + 1, CI + 2, 4 }
#define TR_CLOSE_THEN_DATA_FIN                                                                     \
	HANDSHAKE_TR, {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},                                   \
	    {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT}, {TS, TRACK_CLOSE_WAIT, TRACK_LAST_ACK},     \
	{                                                                                          \
		TC, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2                                             \
	}

static const struct scenario refused_with_rst = {
    .name = "data + FIN after close(): the RST closes FIN_WAIT_2, no TIME_WAIT",
    .steps = {CLOSE_THEN_DATA_FIN, {TC, "R", CI + 2, 0, 0}},
    .tr = {TR_CLOSE_THEN_DATA_FIN,
           {TC, TRACK_FIN_WAIT_2, TRACK_CLOSED},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
    .why_has = "sent RST seq=2 (abort)",
};

static const struct scenario taken_and_acked = {
    .name = "data + FIN after shutdown(SHUT_WR): its ACK of the FIN shows TIME_WAIT",
    .steps = {CLOSE_THEN_DATA_FIN, {TC, "A", CI + 2, SI + 6, 0}},
    .tr = {TR_CLOSE_THEN_DATA_FIN,
           {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT},
           {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_CLOSED,
    .why_has = "received FIN seq=5 with data in FIN_WAIT_2 (its ACK covers the FIN)",
};

static const struct scenario no_answer = {
    .name = "data + FIN and no answer: TIME_WAIT assumed after pending_secs",
    .steps = {CLOSE_THEN_DATA_FIN, {0, "@adv", 0, 0, 0, 3.0}},
    .tr = {TR_CLOSE_THEN_DATA_FIN, {TC, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_LAST_ACK,
    .why_has = "with data in FIN_WAIT_2 (assumed: no reply seen)",
};

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(refused_with_rst),
	    SCENARIO_TEST(taken_and_acked),
	    SCENARIO_TEST(no_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
