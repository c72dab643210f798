/* test_ui_kernel_cmp.c — the kernel view's verdicts: no "! disagree" at ordinary moments (the
 * end of TIME_WAIT, a client that gave up, a capped list), and still one for a real mismatch. */
#include "ui/ui_kernel_cmp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define T0 1000000.0 /* the wall clock at the connection's last segment */

/* A live endpoint whose last segment is age seconds older than the list. */
static struct ui_kcmp_in at(enum track_state inferred, bool found, enum track_state k, double age)
{
	return (struct ui_kcmp_in){
	    .inferred = inferred,
	    .peer_inferred = TRACK_CLOSED,
	    .found = found,
	    .kernel = k,
	    .live = true,
	    .list_at = T0 + age,
	    .last_seen = T0,
	    .sent = 3,
	    .peer_sent = 3,
	};
}

static enum ui_kcmp_verdict judge(struct ui_kcmp_in in) { return ui_kcmp_judge(&in); }

static void test_agree_and_disagree(void **state)
{
	(void)state;
	assert_int_equal(judge(at(TRACK_ESTABLISHED, true, TRACK_ESTABLISHED, 5)), UI_KCMP_AGREE);
	assert_int_equal(judge(at(TRACK_CLOSED, false, TRACK_CLOSED, 5)), UI_KCMP_AGREE);
	assert_int_equal(judge(at(TRACK_UNKNOWN, true, TRACK_LISTEN, 5)), UI_KCMP_AGREE);
	assert_int_equal(judge(at(TRACK_ESTABLISHED, true, TRACK_CLOSE_WAIT, 5)), UI_KCMP_DISAGREE);
	assert_int_equal(judge(at(TRACK_ESTABLISHED, false, TRACK_CLOSED, 5)), UI_KCMP_DISAGREE);
	/* a segment after the list was read: the list is behind, not the tracker */
	assert_int_equal(judge(at(TRACK_ESTABLISHED, false, TRACK_CLOSED, -0.2)), UI_KCMP_NEWER);
	struct ui_kcmp_in in = at(TRACK_ESTABLISHED, true, TRACK_CLOSE_WAIT, 5);
	in.paused = true;
	assert_int_equal(judge(in), UI_KCMP_NA_PAUSED);
	in.live = false;
	assert_int_equal(judge(in), UI_KCMP_NA_FILE);
}

/* The kernel's timewait socket outlives tcpscope's 60 s by 1.5-2.5 s, and tcpscope's timer may
 * fire first or last: within a few seconds of 60 s either way, TIME_WAIT beside CLOSED is the
 * two clocks. Well inside TIME_WAIT, or long after, it is a real difference. */
static void test_time_wait_grace(void **state)
{
	(void)state;
	const double ages[] = {56.5, 59.0, 60.0, 61.5, 62.5, 63.9};
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
		assert_int_equal(judge(at(TRACK_CLOSED, true, TRACK_TIME_WAIT, ages[i])),
		                 UI_KCMP_EXPIRING);
		assert_int_equal(judge(at(TRACK_TIME_WAIT, false, TRACK_CLOSED, ages[i])),
		                 UI_KCMP_EXPIRING);
	}
	assert_int_equal(judge(at(TRACK_CLOSED, true, TRACK_TIME_WAIT, 30)), UI_KCMP_DISAGREE);
	assert_int_equal(judge(at(TRACK_TIME_WAIT, false, TRACK_CLOSED, 30)), UI_KCMP_DISAGREE);
	assert_int_equal(judge(at(TRACK_TIME_WAIT, false, TRACK_CLOSED, 90)), UI_KCMP_DISAGREE);
	assert_int_equal(judge(at(TRACK_CLOSED, true, TRACK_TIME_WAIT, 90)), UI_KCMP_DISAGREE);
	/* only the TIME_WAIT/CLOSED pair: another state at 60 s is still flagged */
	assert_int_equal(judge(at(TRACK_CLOSED, true, TRACK_FIN_WAIT_2, 61)), UI_KCMP_DISAGREE);
	assert_int_equal(judge(at(TRACK_TIME_WAIT, true, TRACK_ESTABLISHED, 61)), UI_KCMP_DISAGREE);
}

/* --time-wait=5: tcpscope closes at 5 s, the kernel at 60 s; in between the kernel's longer
 * TIME_WAIT is expected, and near each end it is "expiring". With --time-wait=120 the other
 * way round. A CLOSED kernel beside a short TIME_WAIT at 30 s is still wrong. */
static void test_time_wait_option(void **state)
{
	(void)state;
	struct ui_kcmp_in in = at(TRACK_CLOSED, true, TRACK_TIME_WAIT, 30);
	in.time_wait_secs = 5;
	assert_int_equal(judge(in), UI_KCMP_TW_LENGTH);
	in.list_at = T0 + 6;
	assert_int_equal(judge(in), UI_KCMP_EXPIRING);
	in.list_at = T0 + 61;
	assert_int_equal(judge(in), UI_KCMP_EXPIRING);
	in = at(TRACK_TIME_WAIT, false, TRACK_CLOSED, 30);
	in.time_wait_secs = 5;
	assert_int_equal(judge(in), UI_KCMP_DISAGREE);
	in = at(TRACK_TIME_WAIT, false, TRACK_CLOSED, 90);
	in.time_wait_secs = 120;
	assert_int_equal(judge(in), UI_KCMP_TW_LENGTH);
}

/* A client that sent SYNs, never heard back, and whose socket the kernel dropped: it gave up
 * (no RST is ever sent for that). Its silent server side is "never answered". Had the server
 * answered, the same picture is a disagreement. */
static void test_gave_up(void **state)
{
	(void)state;
	char buf[64];
	struct ui_kcmp_in in = at(TRACK_SYN_SENT, false, TRACK_CLOSED, 4);
	in.sent = 2;
	in.peer_sent = 0;
	assert_int_equal(judge(in), UI_KCMP_GAVE_UP);
	assert_string_equal(ui_kcmp_text(UI_KCMP_GAVE_UP, &in, 40, buf, sizeof buf),
	                    "gave up (no answer to 2 SYNs)");
	in.sent = 1;
	assert_string_equal(ui_kcmp_text(UI_KCMP_GAVE_UP, &in, 20, buf, sizeof buf),
	                    "gave up (1 SYN)");
	assert_string_equal(ui_kcmp_text(UI_KCMP_GAVE_UP, &in, 14, buf, sizeof buf), "gave up");
	/* still trying: the kernel has it in SYN_SENT, and they agree */
	in.found = true;
	in.kernel = TRACK_SYN_SENT;
	assert_int_equal(judge(in), UI_KCMP_AGREE);
	in = at(TRACK_SYN_SENT, false, TRACK_CLOSED, 4);
	in.peer_sent = 1;
	assert_int_equal(judge(in), UI_KCMP_DISAGREE);

	struct ui_kcmp_in srv = at(TRACK_SYN_RECEIVED, false, TRACK_CLOSED, 4);
	srv.sent = 0;
	srv.peer_sent = 2;
	srv.peer_inferred = TRACK_SYN_SENT;
	assert_int_equal(judge(srv), UI_KCMP_UNANSWERED);
	srv.peer_inferred = TRACK_ESTABLISHED;
	assert_int_equal(judge(srv), UI_KCMP_DISAGREE);

	/* once the tracker predicts the give-up (CLOSED, src/track/track_giveup.c) the row still
	 * says what happened; a CLOSED reached otherwise (a RST, an answer) stays blank */
	in = at(TRACK_CLOSED, false, TRACK_CLOSED, 4);
	in.sent = 3;
	in.gave_up = true;
	assert_int_equal(judge(in), UI_KCMP_GAVE_UP);
	assert_string_equal(ui_kcmp_text(UI_KCMP_GAVE_UP, &in, 40, buf, sizeof buf),
	                    "gave up (no answer to 3 SYNs)");
	in.gave_up = false;
	assert_int_equal(judge(in), UI_KCMP_AGREE);
}

/* With the list capped, a socket not found may be among those not read: no verdict. A socket
 * found in another state is still a disagreement. */
static void test_capped_list(void **state)
{
	(void)state;
	struct ui_kcmp_in in = at(TRACK_ESTABLISHED, false, TRACK_CLOSED, 5);
	in.list_capped = true;
	assert_int_equal(judge(in), UI_KCMP_NOT_READ);
	in.found = true;
	in.kernel = TRACK_FIN_WAIT_1;
	assert_int_equal(judge(in), UI_KCMP_DISAGREE);
}

/* The marks a reader keys on: only a disagreement starts with "!"; each verdict's longest
 * words that fit are shown (80 columns leave 24, 60 leave 14), never more than the room
 * unless even the shortest form does not fit. */
static void test_texts(void **state)
{
	(void)state;
	char buf[64];
	struct ui_kcmp_in in = at(TRACK_SYN_SENT, false, TRACK_CLOSED, 4);
	const int rooms[] = {100, 24, 14, 3, 0};
	for (int v = UI_KCMP_NA_FILE; v <= UI_KCMP_DISAGREE; v++) {
		for (size_t r = 0; r < sizeof rooms / sizeof rooms[0]; r++) {
			const char *t =
			    ui_kcmp_text((enum ui_kcmp_verdict)v, &in, rooms[r], buf, sizeof buf);
			assert_true(strlen(t) > 0);
			assert_true((int)strlen(t) <= (rooms[r] < 7 ? 7 : rooms[r]));
			assert_int_equal(t[0] == '!', v == UI_KCMP_DISAGREE);
		}
	}
	assert_string_equal(ui_kcmp_text(UI_KCMP_EXPIRING, &in, 100, buf, sizeof buf),
	                    "~ expiring (end of TIME_WAIT)");
	assert_string_equal(ui_kcmp_text(UI_KCMP_EXPIRING, &in, 24, buf, sizeof buf), "~ expiring");
	assert_string_equal(ui_kcmp_text(UI_KCMP_DISAGREE, &in, 24, buf, sizeof buf), "! disagree");
	assert_string_equal(ui_kcmp_text(UI_KCMP_GAVE_UP, &in, 100, NULL, 0), "gave up");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_agree_and_disagree), cmocka_unit_test(test_time_wait_grace),
	    cmocka_unit_test(test_time_wait_option),   cmocka_unit_test(test_gave_up),
	    cmocka_unit_test(test_capped_list),        cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
