/* test_track_rst.c — RST in each receiver state: exactly RCV.NXT (reset), in window but not
 * exact (RFC 5961 challenge), out of window (ignored). Windows are 1000 bytes, unscaled. */
#include "track_test_util.h"

#define UNPAREN(...) __VA_ARGS__
/* One RST scenario that must change nothing but raise one anomaly. TR_P is the transition
 * list in parentheses (its commas would split the arguments); the steps come last. */
#define RST_KEEPS(var, title, anomaly, fc, fs, TR_P, ...)                                          \
	static const struct scenario var = {                                                       \
	    .name = title,                                                                         \
	    .steps = {__VA_ARGS__},                                                                \
	    .tr = {UNPAREN TR_P},                                                                  \
	    .final_c = fc,                                                                         \
	    .final_s = fs,                                                                         \
	    .an = {{anomaly, 1}},                                                                  \
	}

/* The three RSTs that must change nothing, for one receiver state: in the window but not at
 * RCV.NXT (RFC 5961 §3.2: a challenge ACK), past the window, and just below RCV.NXT (RFC 9293
 * §3.10.7.4). STEPS/TR bring the pair to that state; WHO sends the RST; NXT is the
 * receiver's RCV.NXT; FC/FS are the states the pair must keep. */
#define RST_NOT_EXACT(id, state, STEPS, TR, who, nxt, fc, fs)                                      \
	RST_KEEPS(rst_##id##_challenge, "RST received in " state ": challenge",                    \
	          TRACK_ANOMALY_RST_CHALLENGE, fc, fs, (TR), STEPS,                                \
	          {who, "R", (nxt) + 100, 0, 0});                                                  \
	RST_KEEPS(rst_##id##_out, "RST received in " state ": out",                                \
	          TRACK_ANOMALY_RST_OUT_OF_WINDOW, fc, fs, (TR), STEPS,                            \
	          {who, "R", (nxt) + 5000, 0, 0});                                                 \
	RST_KEEPS(rst_##id##_below, "RST received in " state ": below",                            \
	          TRACK_ANOMALY_RST_OUT_OF_WINDOW, fc, fs, (TR), STEPS, {who, "R", (nxt)-1, 0, 0})

/* SYN_RECEIVED: the server has answered the SYN; the client's RST is aimed at it. */
#define TO_SYN_RECEIVED_STEPS                                                                      \
	{TC, "S", CI, 0, 0}, { TS, "SA", SI, CI + 1, 0 }
#define TO_SYN_RECEIVED_TR                                                                         \
	{TC, TRACK_CLOSED, TRACK_SYN_SENT}, { TS, TRACK_LISTEN, TRACK_SYN_RECEIVED }

static const struct scenario rst_syn_received_exact = {
    .name = "RST received in SYN_RECEIVED: exact",
    .steps = {TO_SYN_RECEIVED_STEPS, {TC, "R", CI + 1, 0, 0}},
    .tr = {TO_SYN_RECEIVED_TR,
           {TC, TRACK_SYN_SENT, TRACK_CLOSED},
           {TS, TRACK_SYN_RECEIVED, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(syn_received, "SYN_RECEIVED", TO_SYN_RECEIVED_STEPS, TO_SYN_RECEIVED_TR, TC, CI + 1,
              TRACK_SYN_SENT, TRACK_SYN_RECEIVED);

static const struct scenario rst_established_exact = {
    .name = "RST received in ESTABLISHED: exact",
    .steps = {HANDSHAKE, {TC, "R", CI + 1, 0, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_CLOSED},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(established, "ESTABLISHED", HANDSHAKE, HANDSHAKE_TR, TC, CI + 1, TRACK_ESTABLISHED,
              TRACK_ESTABLISHED);

static const struct scenario rst_fin_wait_1_exact = {
    .name = "RST received in FIN_WAIT_1: exact",
    .steps = {TO_FIN_WAIT_1_STEPS, {TS, "R", SI + 1, 0, 0}},
    .tr = {TO_FIN_WAIT_1_TR,
           {TS, TRACK_ESTABLISHED, TRACK_CLOSED},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(fin_wait_1, "FIN_WAIT_1", TO_FIN_WAIT_1_STEPS, TO_FIN_WAIT_1_TR, TS, SI + 1,
              TRACK_FIN_WAIT_1, TRACK_ESTABLISHED);

static const struct scenario rst_fin_wait_2_exact = {
    .name = "RST received in FIN_WAIT_2: exact",
    .steps = {TO_FIN_WAIT_2_STEPS, {TS, "R", SI + 1, 0, 0}},
    .tr = {TO_FIN_WAIT_2_TR,
           {TS, TRACK_CLOSE_WAIT, TRACK_CLOSED},
           {TC, TRACK_FIN_WAIT_2, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(fin_wait_2, "FIN_WAIT_2", TO_FIN_WAIT_2_STEPS, TO_FIN_WAIT_2_TR, TS, SI + 1,
              TRACK_FIN_WAIT_2, TRACK_CLOSE_WAIT);

/* CLOSE_WAIT: the same pair as FIN_WAIT_2, the RST going the other way. */
static const struct scenario rst_close_wait_exact = {
    .name = "RST received in CLOSE_WAIT: exact",
    .steps = {TO_FIN_WAIT_2_STEPS, {TC, "R", CI + 2, 0, 0}},
    .tr = {TO_FIN_WAIT_2_TR,
           {TC, TRACK_FIN_WAIT_2, TRACK_CLOSED},
           {TS, TRACK_CLOSE_WAIT, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(close_wait, "CLOSE_WAIT", TO_FIN_WAIT_2_STEPS, TO_FIN_WAIT_2_TR, TC, CI + 2,
              TRACK_FIN_WAIT_2, TRACK_CLOSE_WAIT);

static const struct scenario rst_closing_exact = {
    .name = "RST received in CLOSING: exact",
    .steps = {TO_CLOSING_STEPS, {TC, "R", CI + 2, 0, 0}},
    .tr = {TO_CLOSING_TR, {TC, TRACK_CLOSING, TRACK_CLOSED}, {TS, TRACK_CLOSING, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(closing, "CLOSING", TO_CLOSING_STEPS, TO_CLOSING_TR, TC, CI + 2, TRACK_CLOSING,
              TRACK_CLOSING);

static const struct scenario rst_last_ack_exact = {
    .name = "RST received in LAST_ACK: exact",
    .steps = {TO_LAST_ACK_STEPS, {TC, "R", CI + 2, 0, 0}},
    .tr = {TO_LAST_ACK_TR, {TC, TRACK_TIME_WAIT, TRACK_CLOSED}, {TS, TRACK_LAST_ACK, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(last_ack, "LAST_ACK", TO_LAST_ACK_STEPS, TO_LAST_ACK_TR, TC, CI + 2, TRACK_TIME_WAIT,
              TRACK_LAST_ACK);

static const struct scenario rst_time_wait_exact = {
    .name = "RST received in TIME_WAIT: exact",
    .steps = {TO_TIME_WAIT_STEPS, {TS, "R", SI + 2, 0, 0}},
    .tr = {TO_TIME_WAIT_TR, {TC, TRACK_TIME_WAIT, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};
RST_NOT_EXACT(time_wait, "TIME_WAIT", TO_TIME_WAIT_STEPS, TO_TIME_WAIT_TR, TS, SI + 2,
              TRACK_TIME_WAIT, TRACK_CLOSED);

/* RST with ACK covering the peer's FIN: the sender had received it (CLOSE_WAIT first). */
static const struct scenario rst_ack_covers_fin = {
    .name = "RST/ACK covering the peer's FIN: CLOSE_WAIT, then CLOSED",
    .steps = {HANDSHAKE, {TC, "FA", CI + 1, SI + 1, 0}, {TS, "RA", SI + 1, CI + 2, 0}},
    .tr = {HANDSHAKE_TR,
           {TC, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1},
           {TS, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT},
           {TS, TRACK_CLOSE_WAIT, TRACK_CLOSED},
           {TC, TRACK_FIN_WAIT_1, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
    .why_has = "= RCV.NXT (connection reset)",
};

/* Close with unread data: the server's RST follows data the client has not ACKed; RCV.NXT
 * is where the server's data ends. */
static const struct scenario rst_after_unacked_data = {
    .name = "RST after unACKed data resets at the end of that data",
    .steps = {HANDSHAKE, {TS, "PA", SI + 1, CI + 1, 300}, {TS, "RA", SI + 301, CI + 1, 0}},
    .tr = {HANDSHAKE_TR,
           {TS, TRACK_ESTABLISHED, TRACK_CLOSED},
           {TC, TRACK_ESTABLISHED, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
};

/* Window scale (RFC 7323): both SYNs carry WS 2, so the server's 1000 means 4000 bytes. */
static const struct scenario rst_scaled_window = {
    .name = "RST 2000 past RCV.NXT is inside a scaled window",
    .steps = {{TC, "SW", CI, 0, 0},
              {TS, "SAW", SI, CI + 1, 0},
              {TC, "A", CI + 1, SI + 1, 0},
              {TS, "A", SI + 1, CI + 1, 0},
              {TC, "R", CI + 2001, 0, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RST_CHALLENGE, 1}},
};

static const struct scenario rst_unscaled_window = {
    .name = "without WS on both SYNs the same RST is out of window",
    .steps = {{TC, "SW", CI, 0, 0},
              {TS, "SA", SI, CI + 1, 0},
              {TC, "A", CI + 1, SI + 1, 0},
              {TS, "A", SI + 1, CI + 1, 0},
              {TC, "R", CI + 2001, 0, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RST_OUT_OF_WINDOW, 1}},
};

/* A RST that kills TIME_WAIT also stops its timer: nothing fires later. */
static void rst_in_time_wait_stops_timer(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	run_steps(&f, rst_time_wait_exact.steps);
	int n = f.n;
	track_advance(f.tt, f.t + 120);
	assert_int_equal(f.n, n);
	assert_true(first_conn(&f)->closed);
	fx_done(&f);
}

/* The why strings are formatted by the tracker's own small formatter: numbers and strings in
 * place, exactly as printf would write them. */
static void why_text_exact(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	run_steps(&f, rst_established_out.steps);
	assert_int_equal(f.ev[f.n - 2].kind, TRACK_EVENT_ANOMALY);
	assert_string_equal(f.ev[f.n - 2].why,
	                    "RST seq=5001 outside the window [1, 1+1000): ignored");
	fx_seg(&f, TC, "R", CI - 100, 0, 0); /* relative seq wraps below the ISN */
	assert_string_equal(f.ev[f.n - 2].why,
	                    "RST seq=4294967196 outside the window [1, 1+1000): ignored");
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    SCENARIO_TEST(rst_syn_received_exact),
	    SCENARIO_TEST(rst_syn_received_challenge),
	    SCENARIO_TEST(rst_syn_received_out),
	    SCENARIO_TEST(rst_syn_received_below),
	    SCENARIO_TEST(rst_established_exact),
	    SCENARIO_TEST(rst_established_challenge),
	    SCENARIO_TEST(rst_established_out),
	    SCENARIO_TEST(rst_established_below),
	    SCENARIO_TEST(rst_fin_wait_1_exact),
	    SCENARIO_TEST(rst_fin_wait_1_challenge),
	    SCENARIO_TEST(rst_fin_wait_1_out),
	    SCENARIO_TEST(rst_fin_wait_1_below),
	    SCENARIO_TEST(rst_fin_wait_2_exact),
	    SCENARIO_TEST(rst_fin_wait_2_challenge),
	    SCENARIO_TEST(rst_fin_wait_2_out),
	    SCENARIO_TEST(rst_fin_wait_2_below),
	    SCENARIO_TEST(rst_close_wait_exact),
	    SCENARIO_TEST(rst_close_wait_challenge),
	    SCENARIO_TEST(rst_close_wait_out),
	    SCENARIO_TEST(rst_close_wait_below),
	    SCENARIO_TEST(rst_closing_exact),
	    SCENARIO_TEST(rst_closing_challenge),
	    SCENARIO_TEST(rst_closing_out),
	    SCENARIO_TEST(rst_closing_below),
	    SCENARIO_TEST(rst_last_ack_exact),
	    SCENARIO_TEST(rst_last_ack_challenge),
	    SCENARIO_TEST(rst_last_ack_out),
	    SCENARIO_TEST(rst_last_ack_below),
	    SCENARIO_TEST(rst_time_wait_exact),
	    SCENARIO_TEST(rst_time_wait_challenge),
	    SCENARIO_TEST(rst_time_wait_out),
	    SCENARIO_TEST(rst_time_wait_below),
	    SCENARIO_TEST(rst_ack_covers_fin),
	    SCENARIO_TEST(rst_after_unacked_data),
	    SCENARIO_TEST(rst_scaled_window),
	    SCENARIO_TEST(rst_unscaled_window),
	    cmocka_unit_test(rst_in_time_wait_stops_timer),
	    cmocka_unit_test(why_text_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
