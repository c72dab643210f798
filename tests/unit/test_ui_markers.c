/* test_ui_markers.c — a syscall marker in the screen's model: its ladder row goes right before
 * the segment its call sent (also where the head of the ring meets the tail), and its log
 * entry before that segment's transitions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_model.h"

static struct ui_model model;

static void on_event(const struct track_event *ev, void *user)
{
	(void)user;
	ui_model_on_event(ev, &model);
}

static struct decode_packet seg(bool from_client, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	p.ip_version = 4;
	p.src.family = p.dst.family = 4;
	p.src.bytes[0] = p.dst.bytes[0] = 127;
	p.src.bytes[3] = p.dst.bytes[3] = 1;
	p.sport = from_client ? 40000 : 9998;
	p.dport = from_client ? 9998 : 40000;
	p.flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.window = 512;
	p.data_offset = 20;
	return p;
}

/* Feeds a segment; returns the log count before it, as ui_markers.c takes it. */
static uint64_t feed(struct track_table *tt, double t, struct decode_packet p)
{
	uint64_t at = model.log_count;
	track_segment(tt, t, &p);
	return at;
}

static void marker_row_before_its_segment(void **state)
{
	(void)state;
	assert_true(ui_model_init(&model));
	char err[128];
	struct track_config cfg = {.on_event = on_event};
	struct track_table *tt = track_create(&cfg, err, sizeof err);
	assert_non_null(tt);

	/* connect(): the SYN opens the connection, the marker goes above it */
	uint64_t at = feed(tt, 1.0, seg(true, DECODE_TCP_SYN, 1000, 0));
	ui_model_marker(&model, 1, TRACK_CLIENT, 0.9999, "client: connect()", "syscall", at);
	const struct ui_slot *s = ui_model_slot(&model, 1);
	assert_non_null(s);
	assert_int_equal(ui_model_rec_count(s), 2);
	const struct ui_rec *r0 = ui_model_rec(s, 0), *r1 = ui_model_rec(s, 1);
	assert_int_equal(r0->kind, UI_REC_MARKER);
	assert_int_equal(r0->sender, TRACK_CLIENT);
	assert_int_equal(r0->changed, 0);
	assert_string_equal(ui_model_mark_text(&model, r0->rel_seq), "client: connect()");
	assert_int_equal(r0->state[0], TRACK_CLOSED); /* as before the SYN */
	assert_int_equal(r1->kind, UI_REC_SEGMENT);
	assert_int_equal(r1->flags, DECODE_TCP_SYN);
	assert_int_equal(r1->state[0], TRACK_SYN_SENT);
	/* the log: the marker, then the SYN's CLOSED -> SYN_SENT */
	uint64_t kept = ui_model_log_kept(&model);
	const struct ui_log_entry *oldest = ui_model_log(&model, kept - 1);
	assert_int_equal(oldest->kind, UI_LOG_MARKER);
	assert_string_equal(oldest->mark, "client: connect()");
	assert_int_equal(ui_model_log(&model, kept - 2)->kind, UI_LOG_STATE);

	/* handshake, then data until the ladder's head is full and the tail ring turns */
	feed(tt, 1.001, seg(false, DECODE_TCP_SYN | DECODE_TCP_ACK, 5000, 1001));
	feed(tt, 1.002, seg(true, DECODE_TCP_ACK, 1001, 5001));
	for (int i = 0; i < UI_REC_HEAD + UI_REC_TAIL; i++)
		feed(tt, 1.01 + i * 0.001,
		     seg(i % 2 == 0, DECODE_TCP_ACK, i % 2 ? 5001 : 1001, i % 2 ? 1001 : 5001));
	/* close() by the server: the marker sits right above the server's FIN */
	at = feed(tt, 2.0, seg(false, DECODE_TCP_FIN | DECODE_TCP_ACK, 5001, 1001));
	ui_model_marker(&model, 1, TRACK_SERVER, 1.9999, "server: close()", "syscall", at);
	uint32_t n = ui_model_rec_count(s);
	const struct ui_rec *m = ui_model_rec(s, n - 2), *fin = ui_model_rec(s, n - 1);
	assert_int_equal(m->kind, UI_REC_MARKER);
	assert_int_equal(m->sender, TRACK_SERVER);
	assert_string_equal(ui_model_mark_text(&model, m->rel_seq), "server: close()");
	assert_int_equal(fin->kind, UI_REC_SEGMENT);
	assert_true(fin->flags & DECODE_TCP_FIN);
	assert_int_equal(m->state[1], TRACK_ESTABLISHED);
	assert_int_equal(fin->state[1], TRACK_FIN_WAIT_1);
	/* its log entry comes before the FIN's transition */
	assert_int_equal(ui_model_log(&model, 0)->kind, UI_LOG_STATE);
	assert_int_equal(ui_model_log(&model, 1)->kind, UI_LOG_MARKER);

	/* a marker with no connection: the log only */
	uint64_t before = model.marks_count;
	ui_model_marker(&model, 0, 2, 3.0, "server: listen()", "no peer", model.log_count);
	assert_int_equal(ui_model_log(&model, 0)->kind, UI_LOG_MARKER);
	assert_int_equal(ui_model_log(&model, 0)->conn, 0);
	assert_int_equal(model.marks_count, before);
	track_destroy(tt);
	ui_model_free(&model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(marker_row_before_its_segment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
