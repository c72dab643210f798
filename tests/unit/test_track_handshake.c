/* test_track_handshake.c — three-way handshake, refusal, missing SYN, pending SYN-ACK, and the
 * server's UNKNOWN start until its first segment. */
#include "track_test_util.h"

static const struct scenario normal = {
    .name = "three-way handshake",
    .steps = {HANDSHAKE},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .why_has = "sent SYN-ACK acking SYN seq=0",
};

static const struct scenario data_on_ack = {
    .name = "client's ACK of the SYN-ACK carries data",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "SA", SI, CI + 1, 0}, {TC, "PA", CI + 1, SI + 1, 10}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
};

static const struct scenario refused = {
    .name = "refused: SYN answered by RST/ACK",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "RA", 0, CI + 1, 0}},
    /* RFC 9293 §3.10.7.1: the RST/ACK shows the server was CLOSED all along: no event. */
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}, {TC, TRACK_SYN_SENT, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_CLOSED,
    .why_has = "connection refused: RST acking our SYN; nothing listening on port 9998",
};

static const struct scenario rst_no_ack = {
    .name = "RST without ACK does not refuse a SYN_SENT client (RFC 9293 3.10.7.3)",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "R", 0, 0, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}},
    .final_c = TRACK_SYN_SENT,
    .final_s = TRACK_UNKNOWN, /* its reply proved nothing */
    .an = {{TRACK_ANOMALY_RST_OUT_OF_WINDOW, 1}},
};

static const struct scenario rst_bad_ack = {
    .name = "RST whose ACK does not cover our SYN is ignored",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "RA", 0, CI + 7, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}},
    .final_c = TRACK_SYN_SENT,
    .final_s = TRACK_UNKNOWN, /* its reply proved nothing */
    .an = {{TRACK_ANOMALY_RST_OUT_OF_WINDOW, 1}},
};

static const struct scenario synack_bad_ack = {
    .name = "SYN-ACK that does not ACK our SYN changes nothing",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "SA", SI, CI + 50, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}},
    .final_c = TRACK_SYN_SENT,
    .final_s = TRACK_UNKNOWN, /* its reply proved nothing */
    .an = {{TRACK_ANOMALY_UNEXPECTED, 1}},
};

static const struct scenario synack_first = {
    .name = "capture starts at the SYN-ACK: client's SYN inferred from its ACK",
    .steps = {{TS, "SA", SI, CI + 1, 0}, {TC, "A", CI + 1, SI + 1, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_MIDSTREAM, 1}},
};

static const struct scenario syn_unanswered_finish = {
    .name = "SYN with no reply: the server stays UNKNOWN, even after track_finish (the client "
            "too stays SYN_SENT: a lone SYN is never predicted to give up, test_track_giveup.c)",
    .steps = {{TC, "S", CI, 0, 0}, {0, "@adv", 0, 0, 0, 30.0}, {0, "@fin", 0, 0, 0, 0.2}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}},
    .final_c = TRACK_SYN_SENT,
    .final_s = TRACK_UNKNOWN,
};

static const struct scenario synack_late = {
    .name = "a SYN-ACK long after the SYN still shows the server was listening",
    .steps = {{TC, "S", CI, 0, 0},
              {TC, "S", CI, 0, 0, 3.0},
              {TS, "SA", SI, CI + 1, 0},
              {TC, "A", CI + 1, SI + 1, 0}},
    .tr = {HANDSHAKE_TR},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_ESTABLISHED,
    .an = {{TRACK_ANOMALY_RETRANSMISSION, 1}},
};

static const struct scenario client_aborts_connect = {
    .name = "client resets its own SYN before any reply: the server stays UNKNOWN",
    .steps = {{TC, "S", CI, 0, 0}, {TC, "R", CI + 1, 0, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}, {TC, TRACK_SYN_SENT, TRACK_CLOSED}},
    .final_c = TRACK_CLOSED,
    .final_s = TRACK_UNKNOWN,
};

static const struct scenario client_rst_wrong_seq = {
    .name = "a RST off the client's send position before any reply is ignored",
    .steps = {{TC, "S", CI, 0, 0}, {TC, "R", CI + 50, 0, 0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT}},
    .final_c = TRACK_SYN_SENT,
    .final_s = TRACK_UNKNOWN,
    .an = {{TRACK_ANOMALY_RST_OUT_OF_WINDOW, 1}},
};

/* Until the server's first segment its state is UNKNOWN; it becomes known with a START event. */
static void server_unknown_until_it_replies(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "S", CI, 0, 0);
	assert_int_equal(f.ev[0].kind, TRACK_EVENT_OPEN);
	assert_int_equal(f.ev[0].st[TS], TRACK_UNKNOWN);
	assert_int_equal(f.ev[f.n - 1].kind, TRACK_EVENT_PACKET);
	assert_int_equal(f.ev[f.n - 1].st[TS], TRACK_UNKNOWN);
	assert_false(first_conn(&f)->midstream);
	fx_seg(&f, TS, "RA", 0, CI + 1, 0);
	/* The refusal: one STATE event (the client's), then the PACKET showing both CLOSED. */
	assert_int_equal(f.ev[f.n - 2].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[f.n - 2].who, TC);
	assert_int_equal(f.ev[f.n - 1].st[TS], TRACK_CLOSED);
	assert_true(first_conn(&f)->closed);
	expect_consistent(&f, 1);
	fx_done(&f);
}

/* A client that gave up on an unanswered SYN leaves a closed connection; a new SYN on the same
 * ports starts a new one. */
static void aborted_connect_is_closed_and_reusable(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "S", CI, 0, 0);
	fx_seg(&f, TC, "R", CI + 1, 0, 0);
	assert_true(first_conn(&f)->closed);
	fx_seg(&f, TC, "S", CI + 9000, 0, 0);
	assert_int_equal(track_get_stats(f.tt)->conns_total, 2);
	assert_int_equal(count_anomaly(&f, TRACK_ANOMALY_PORT_REUSE), 1);
	/* Nothing was invented for the server of the first connection. */
	static const struct tr want[] = {
	    {TC, TRACK_CLOSED, TRACK_SYN_SENT}, {TC, TRACK_SYN_SENT, TRACK_CLOSED}, {0}};
	expect_transitions(&f, 1, want);
	assert_int_equal(track_find(f.tt, 1)->ep[TS].state, TRACK_UNKNOWN);
	fx_done(&f);
}

static const struct scenario synack_pending_timeout = {
    .name = "client's ACK never seen: ESTABLISHED assumed after pending_secs",
    .steps = {{TC, "S", CI, 0, 0}, {TS, "SA", SI, CI + 1, 0}, {0, "@adv", 0, 0, 0, 5.0}},
    .tr = {{TC, TRACK_CLOSED, TRACK_SYN_SENT},
           {TS, TRACK_LISTEN, TRACK_SYN_RECEIVED},
           {TC, TRACK_SYN_SENT, TRACK_ESTABLISHED}},
    .final_c = TRACK_ESTABLISHED,
    .final_s = TRACK_SYN_RECEIVED,
    .why_has = "received SYN-ACK seq=0 acking our SYN (assumed: no reply seen)",
};

/* The pending inference is committed at exactly t + pending_secs, with that time. */
static void pending_commits_at_deadline(void **state)
{
	(void)state;
	struct fx f;
	fx_init_cfg(&f, (struct track_config){.pending_secs = 0.5});
	fx_seg_at(&f, 10.0, TC, "S", CI, 0, 0, 0);
	fx_seg_at(&f, 10.1, TS, "SA", SI, CI + 1, 0, 0);
	int before = f.n;
	track_advance(f.tt, 10.599);
	assert_int_equal(f.n, before);
	track_advance(f.tt, 10.6);
	assert_int_equal(f.n, before + 1);
	assert_int_equal(f.ev[before].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[before].to, TRACK_ESTABLISHED);
	assert_true(f.ev[before].t > 10.5999 && f.ev[before].t <= 10.6);
	fx_done(&f);
}

/* Events for one segment: OPEN first, STATE events, then PACKET; relative seq/ack. */
static void event_order_and_relative_numbers(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "S", CI, 0, 0);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.ev[0].kind, TRACK_EVENT_OPEN);
	assert_int_equal(f.ev[1].kind, TRACK_EVENT_STATE);
	assert_int_equal(f.ev[2].kind, TRACK_EVENT_PACKET);
	assert_int_equal(f.ev[2].rel_seq, 0);
	assert_int_equal(f.ev[2].rel_ack, 0);
	fx_seg(&f, TS, "SA", SI, CI + 1, 0);
	assert_int_equal(f.ev[f.n - 1].kind, TRACK_EVENT_PACKET);
	assert_int_equal(f.ev[f.n - 1].who, TS);
	assert_int_equal(f.ev[f.n - 1].rel_seq, 0);
	assert_int_equal(f.ev[f.n - 1].rel_ack, 1);
	fx_seg(&f, TC, "PA", CI + 1, SI + 1, 20);
	assert_int_equal(f.ev[f.n - 1].rel_seq, 1);
	assert_int_equal(f.ev[f.n - 1].rel_ack, 1);
	/* The client's ESTABLISHED comes before the server's, both before the PACKET. */
	assert_int_equal(f.ev[f.n - 3].who, TC);
	assert_int_equal(f.ev[f.n - 2].who, TS);
	const struct track_conn *c = first_conn(&f);
	assert_string_equal(c->history, "SsD");
	assert_int_equal(c->ep[TC].bytes, 20);
	assert_int_equal(c->ep[TC].packets, 2);
	fx_done(&f);
}

/* Loopback: both ends 127.0.0.1; two clients to one server port are two connections and
 * every segment is attributed by port. */
static void loopback_direction_from_port(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg(&f, TC, "S", CI, 0, 0);
	f.cport = 40001;
	fx_seg(&f, TC, "S", 7000, 0, 0);
	fx_seg(&f, TS, "SA", 9000, 7001, 0); /* answer to the second client only */
	f.cport = 40000;
	fx_seg(&f, TS, "SA", SI, CI + 1, 0);
	fx_seg(&f, TC, "A", CI + 1, SI + 1, 0);
	const struct track_conn *c1 = track_find(f.tt, 1), *c2 = track_find(f.tt, 2);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_int_equal(c1->ep[TC].port, 40000);
	assert_int_equal(c2->ep[TC].port, 40001);
	assert_int_equal(c1->ep[TS].port, 9998);
	assert_int_equal(c1->ep[TC].state, TRACK_ESTABLISHED);
	assert_int_equal(c1->ep[TS].state, TRACK_ESTABLISHED);
	assert_int_equal(c2->ep[TC].state, TRACK_SYN_SENT);
	assert_int_equal(c2->ep[TS].state, TRACK_SYN_RECEIVED);
	assert_int_equal(track_get_stats(f.tt)->conns_total, 2);
	fx_done(&f);
}

static void ipv6_endpoints(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	memset(&f.caddr, 0, sizeof f.caddr);
	f.caddr.family = 6;
	f.caddr.bytes[15] = 1; /* ::1 */
	f.saddr = f.caddr;
	static const struct scenario hs = {.steps = {HANDSHAKE}};
	run_steps(&f, hs.steps);
	const struct track_conn *c = first_conn(&f);
	assert_int_equal(c->ep[TC].addr.family, 6);
	assert_int_equal(c->ep[TS].state, TRACK_ESTABLISHED);
	assert_int_equal(track_get_stats(f.tt)->conns_total, 1);
	fx_done(&f);
}

static void names_both_spellings(void **state)
{
	(void)state;
	enum track_state s;
	assert_string_equal(track_state_name(TRACK_SYN_RECEIVED, TRACK_NAMES_RFC), "SYN_RECEIVED");
	assert_string_equal(track_state_name(TRACK_SYN_RECEIVED, TRACK_NAMES_LINUX), "SYN_RECV");
	assert_string_equal(track_state_name(TRACK_FIN_WAIT_1, TRACK_NAMES_LINUX), "FIN_WAIT1");
	assert_true(track_state_parse("TIME-WAIT", &s));
	assert_int_equal(s, TRACK_TIME_WAIT);
	assert_true(track_state_parse("syn-recv", &s));
	assert_int_equal(s, TRACK_SYN_RECEIVED);
	assert_true(track_state_parse("FIN_WAIT_2", &s));
	assert_int_equal(s, TRACK_FIN_WAIT_2);
	assert_false(track_state_parse("BOGUS", &s));
	assert_string_equal(track_role_name(TRACK_SERVER), "server");
	assert_string_equal(track_anomaly_name(TRACK_ANOMALY_RST_OUT_OF_WINDOW),
	                    "rst_out_of_window");
}

/* RFC 7323 §2.2: a SYN's window is never scaled; after the handshake each side's window is
 * its raw field shifted by the scale that side offered, only if both offered one. */
static void window_scale(void **state)
{
	(void)state;
	struct fx f;
	fx_init(&f);
	fx_seg_at(&f, 0.001, TC, "SW", CI, 0, 0, 65495);
	assert_int_equal(f.ev[f.n - 1].win, 65495);
	assert_int_equal(f.ev[f.n - 1].win_shift, 0);
	fx_seg_at(&f, 0.002, TS, "SAW", SI, CI + 1, 0, 65483);
	assert_int_equal(f.ev[f.n - 1].win, 65483);
	fx_seg_at(&f, 0.003, TC, "A", CI + 1, SI + 1, 0, 64);
	assert_int_equal(f.ev[f.n - 1].win_shift, 2);
	assert_int_equal(f.ev[f.n - 1].win, 256); /* 64 << 2 */
	fx_seg_at(&f, 0.004, TS, "PA", SI + 1, CI + 1, 5, 100);
	assert_int_equal(f.ev[f.n - 1].win, 400);
	fx_done(&f);

	/* only the client offered scaling: no side scales */
	fx_init(&f);
	fx_seg_at(&f, 0.001, TC, "SW", CI, 0, 0, 65495);
	fx_seg_at(&f, 0.002, TS, "SA", SI, CI + 1, 0, 65483);
	fx_seg_at(&f, 0.003, TC, "A", CI + 1, SI + 1, 0, 64);
	assert_int_equal(f.ev[f.n - 1].win_shift, 0);
	assert_int_equal(f.ev[f.n - 1].win, 64);
	fx_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(window_scale),
	    SCENARIO_TEST(normal),
	    SCENARIO_TEST(data_on_ack),
	    SCENARIO_TEST(refused),
	    SCENARIO_TEST(rst_no_ack),
	    SCENARIO_TEST(rst_bad_ack),
	    SCENARIO_TEST(synack_bad_ack),
	    SCENARIO_TEST(synack_first),
	    SCENARIO_TEST(syn_unanswered_finish),
	    SCENARIO_TEST(synack_late),
	    SCENARIO_TEST(client_aborts_connect),
	    SCENARIO_TEST(client_rst_wrong_seq),
	    SCENARIO_TEST(synack_pending_timeout),
	    cmocka_unit_test(pending_commits_at_deadline),
	    cmocka_unit_test(event_order_and_relative_numbers),
	    cmocka_unit_test(loopback_direction_from_port),
	    cmocka_unit_test(ipv6_endpoints),
	    cmocka_unit_test(names_both_spellings),
	    cmocka_unit_test(server_unknown_until_it_replies),
	    cmocka_unit_test(aborted_connect_is_closed_and_reusable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
