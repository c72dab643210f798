/* test_track_simultaneous.c — crossed SYNs (RFC 9293 §3.5 fig 8) and FINs (§3.6 fig 13). */
#include "track_test_util.h"

static const struct scenario open_crossed = {
    .name = "simultaneous open: SYNs cross, then both SYN-ACKs",
    .steps = {{TC, "S", CI, 0, 0},
              {TS, "S", SI, 0, 0},
              {TC, "SA", CI, SI + 1, 0},
              {TS, "SA", SI, CI + 1, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT},
           {TS, TRACK_CLOSED, TRACK_SYN_SENT}, /* its bare SYN: it was CLOSED */
           {TS, TRACK_SYN_SENT, TRACK_SYN_RECEIVED},
           {TC, TRACK_SYN_SENT, TRACK_SYN_RECEIVED},
           {TS, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED},
           {TC, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED}},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .why_has = "SYNs crossed: simultaneous open",
};

/* With retransmitted SYNs crossing (as an nftables drop rule makes them in a netns). */
static const struct scenario open_crossed_retrans = {
    .name = "simultaneous open with retransmitted SYNs",
    .steps = {{TC, "S", CI, 0, 0},
              {TS, "S", SI, 0, 0},
              {TC, "S", CI, 0, 0, 0.2},
              {TS, "S", SI, 0, 0},
              {TS, "SA", SI, CI + 1, 0},
              {TC, "SA", CI, SI + 1, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT},
           {TS, TRACK_CLOSED, TRACK_SYN_SENT},
           {TS, TRACK_SYN_SENT, TRACK_SYN_RECEIVED},
           {TC, TRACK_SYN_SENT, TRACK_SYN_RECEIVED},
           {TC, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED},
           {TS, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED}},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 2}},
};

static const struct scenario close_crossed = {
    .name = "simultaneous close: FINs cross, each ACKed",
    .steps = {HANDSHAKE,
              {TC, "FA", CI + 1, SI + 1, 0},
              {TS, "FA", SI + 1, CI + 1, 0},
              {TC, "A", CI + 2, SI + 2, 0},
              {TS, "A", SI + 2, CI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TS, TRACK_CLOSING, TRACK_TIME_WAIT},
           {TC, TRACK_CLOSING, TRACK_TIME_WAIT}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_TIME_WAIT,
    .why_has = "FINs crossed: simultaneous close",
};

/* Crossed FINs where the ACKs ride on the retransmitted FINs (one FIN ACKs the other). */
static const struct scenario close_crossed_fin_acks = {
    .name = "FINs cross; the retransmitted FINs carry the ACKs",
    .steps = {HANDSHAKE,
              {TC, "FA", CI + 1, SI + 1, 0},
              {TS, "FA", SI + 1, CI + 1, 0},
              {TS, "FA", SI + 1, CI + 2, 0, 0.2},
              {TC, "FA", CI + 1, SI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TC, TRACK_CLOSING, TRACK_TIME_WAIT},
           {TS, TRACK_CLOSING, TRACK_TIME_WAIT}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_TIME_WAIT,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 2}},
};

/* Crossed with data: the server's data (sent before it got the FIN) does not ACK the FIN and
 * is not evidence either way; its later FIN not covering ours shows the FINs crossed. */
static const struct scenario close_crossed_after_data = {
    .name = "FIN pending across the peer's unrelated data, then FINs cross",
    .steps = {HANDSHAKE,
              {TC, "FA", CI + 1, SI + 1, 0},
              {TS, "PA", SI + 1, CI + 1, 10},
              {TS, "FA", SI + 11, CI + 1, 0},
              {TC, "A", CI + 2, SI + 12, 0},
              {TS, "A", SI + 12, CI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSING},
           {TS, TRACK_CLOSING, TRACK_TIME_WAIT},
           {TC, TRACK_CLOSING, TRACK_TIME_WAIT}},
    .final_c = TRACK_TIME_WAIT,
    .final_s = TRACK_TIME_WAIT,
};

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(open_crossed),
	    SCENARIO_TEST(open_crossed_retrans),
	    SCENARIO_TEST(close_crossed),
	    SCENARIO_TEST(close_crossed_fin_acks),
	    SCENARIO_TEST(close_crossed_after_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
