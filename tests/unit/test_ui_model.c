/* test_ui_model.c — what the screen remembers: state changes attached to the segment that
 * caused them (the ladder), the head+tail ring, slot reuse, the log ring, the pause queue. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_model.h"
#include "ui/ui_queue.h"

static struct track_conn conn_with_id(uint64_t id)
{
	struct track_conn c;
	memset(&c, 0, sizeof c);
	c.id = id;
	c.ep[0].addr.family = c.ep[1].addr.family = 4;
	c.ep[0].addr.bytes[0] = c.ep[1].addr.bytes[0] = 127;
	c.ep[0].addr.bytes[3] = c.ep[1].addr.bytes[3] = 1;
	c.ep[0].port = 45670;
	c.ep[1].port = 9998;
	c.ep[0].state = TRACK_CLOSED;
	c.ep[1].state = TRACK_LISTEN;
	return c;
}

/* Between seg_begin and the PACKET event, events are collected as the tracker does: a
 * segment's PACKET event carries what it caused (track.h, "Events"). */
static struct track_event caused[8];
static size_t ncaused;
static bool in_seg;

static void seg_begin(struct ui_model *m, double t)
{
	(void)m;
	(void)t;
	in_seg = true;
	ncaused = 0;
}

static void seg_end(struct ui_model *m) { (void)m; }

static void deliver(struct ui_model *m, const struct track_event *ev)
{
	if (in_seg) {
		assert_true(ncaused < sizeof caused / sizeof *caused);
		caused[ncaused++] = *ev;
		return;
	}
	ui_model_on_event(ev, m);
}

static void ev_open(struct ui_model *m, const struct track_conn *c)
{
	struct track_event ev = {
	    .kind = TRACK_EVENT_OPEN, .conn = c, .states = {c->ep[0].state, c->ep[1].state}};
	deliver(m, &ev);
}

static void ev_state(struct ui_model *m, const struct track_conn *c, enum track_role r,
                     enum track_state from, enum track_state to)
{
	struct track_event ev = {.kind = TRACK_EVENT_STATE,
	                         .conn = c,
	                         .endpoint = r,
	                         .from = from,
	                         .to = to,
	                         .why = "because"};
	deliver(m, &ev);
}

static void ev_packet(struct ui_model *m, const struct track_conn *c, enum track_role sender,
                      uint8_t flags, uint32_t seq)
{
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	p.flags = flags;
	struct track_event ev = {.kind = TRACK_EVENT_PACKET,
	                         .conn = c,
	                         .pkt = &p,
	                         .sender = sender,
	                         .rel_seq = seq,
	                         .caused = caused,
	                         .ncaused = in_seg ? ncaused : 0};
	in_seg = false;
	ui_model_on_event(&ev, m);
}

static int setup(void **state)
{
	static struct ui_model m;
	assert_true(ui_model_init(&m));
	*state = &m;
	return 0;
}

static int teardown(void **state)
{
	ui_model_free(*state);
	return 0;
}

static void test_state_rides_on_its_segment(void **state)
{
	struct ui_model *m = *state;
	struct track_conn c = conn_with_id(1);
	seg_begin(m, 10.0);
	ev_open(m, &c);
	ev_state(m, &c, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT);
	ev_packet(m, &c, TRACK_CLIENT, DECODE_TCP_SYN, 0);
	seg_end(m);
	const struct ui_slot *s = ui_model_slot(m, 1);
	assert_non_null(s);
	assert_string_equal(s->ep_text[0], "127.0.0.1:45670");
	assert_int_equal(ui_model_rec_count(s), 1);
	const struct ui_rec *r = ui_model_rec(s, 0);
	assert_int_equal(r->kind, UI_REC_SEGMENT);
	assert_int_equal(r->sender, TRACK_CLIENT);
	assert_int_equal(r->changed, 1u << TRACK_CLIENT);
	assert_int_equal(r->from[TRACK_CLIENT], TRACK_CLOSED);
	assert_int_equal(r->state[TRACK_CLIENT], TRACK_SYN_SENT);
	assert_int_equal(r->state[TRACK_SERVER], TRACK_LISTEN);
	/* the diagram's edge */
	assert_true(s->edge_valid[TRACK_CLIENT]);
	assert_int_equal(s->edge_to[TRACK_CLIENT], TRACK_SYN_SENT);
	assert_string_equal(s->edge_why[TRACK_CLIENT], "because");

	/* a segment that changes nothing carries no marks */
	seg_begin(m, 10.1);
	ev_packet(m, &c, TRACK_SERVER, DECODE_TCP_SYN | DECODE_TCP_ACK, 0);
	seg_end(m);
	assert_int_equal(ui_model_rec(s, 1)->changed, 0);

	/* a timer's change (no segment) gets a row of its own */
	ev_state(m, &c, TRACK_CLIENT, TRACK_SYN_SENT, TRACK_CLOSED);
	assert_int_equal(ui_model_rec_count(s), 3);
	assert_int_equal(ui_model_rec(s, 2)->kind, UI_REC_STATE);
	assert_int_equal(ui_model_rec(s, 2)->state[TRACK_CLIENT], TRACK_CLOSED);

	/* a change for another connection inside a segment is not lost */
	struct track_conn c2 = conn_with_id(2);
	ev_open(m, &c2);
	seg_begin(m, 11.0);
	ev_state(m, &c2, TRACK_SERVER, TRACK_LISTEN, TRACK_CLOSED);
	ev_packet(m, &c, TRACK_CLIENT, DECODE_TCP_RST, 1);
	seg_end(m);
	const struct ui_slot *s2 = ui_model_slot(m, 2);
	assert_int_equal(ui_model_rec_count(s2), 1);
	assert_int_equal(ui_model_rec(s2, 0)->kind, UI_REC_STATE);
	assert_int_equal(ui_model_rec(s, 3)->changed, 0);
}

static void test_head_and_tail_kept(void **state)
{
	struct ui_model *m = *state;
	struct track_conn c = conn_with_id(7);
	ev_open(m, &c);
	for (uint32_t i = 0; i < 100; i++) {
		seg_begin(m, i);
		ev_packet(m, &c, TRACK_CLIENT, DECODE_TCP_ACK, i);
		seg_end(m);
	}
	const struct ui_slot *s = ui_model_slot(m, 7);
	assert_int_equal(ui_model_rec_count(s), UI_REC_MAX);
	assert_int_equal(ui_model_rec_skipped(s), 100 - UI_REC_MAX);
	for (uint32_t i = 0; i < UI_REC_HEAD; i++)
		assert_int_equal(ui_model_rec(s, i)->rel_seq, i); /* the handshake stays */
	for (uint32_t i = UI_REC_HEAD; i < UI_REC_MAX; i++)
		assert_int_equal(ui_model_rec(s, i)->rel_seq, i + 100 - UI_REC_MAX);
	assert_null(ui_model_rec(s, UI_REC_MAX));
}

static void test_slot_taken_by_newer(void **state)
{
	struct ui_model *m = *state;
	struct track_conn old = conn_with_id(3), newer = conn_with_id(3 + UI_SLOTS);
	ev_open(m, &old);
	assert_non_null(ui_model_slot(m, 3));
	ev_open(m, &newer);
	assert_null(ui_model_slot(m, 3));
	assert_non_null(ui_model_slot(m, 3 + UI_SLOTS));
	ev_open(m, &old); /* a late event for the old one does not take it back */
	assert_non_null(ui_model_slot(m, 3 + UI_SLOTS));
	assert_null(ui_model_slot(m, 0));
}

static void test_log_ring(void **state)
{
	struct ui_model *m = *state;
	struct track_conn c = conn_with_id(9);
	ev_open(m, &c);
	uint64_t before = m->log_count;
	for (int i = 0; i < UI_LOG_MAX + 5; i++)
		ev_state(m, &c, TRACK_SERVER, (enum track_state)(i % 11 + 1),
		         (enum track_state)((i + 1) % 11 + 1));
	assert_int_equal(m->log_count, before + UI_LOG_MAX + 5);
	assert_int_equal(ui_model_log_kept(m), UI_LOG_MAX);
	const struct ui_log_entry *e = ui_model_log(m, 0);
	int last = UI_LOG_MAX + 4;
	assert_int_equal(e->to, (last + 1) % 11 + 1);
	assert_int_equal(e->conn, 9);
	assert_string_equal(e->endpoint, "127.0.0.1:9998");
	assert_string_equal(e->why, "because");
	assert_non_null(ui_model_log(m, UI_LOG_MAX - 1));
	assert_null(ui_model_log(m, UI_LOG_MAX));
}

static void test_queue(void **state)
{
	(void)state;
	struct ui_queue q;
	assert_true(ui_queue_init(&q, 3));
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	uint8_t bytes[4] = {1, 2, 3, 4};
	p.payload = bytes;
	p.payload_captured = 4;
	p.payload_len = 4;
	for (int i = 0; i < 3; i++) {
		p.seq = (uint32_t)i;
		assert_true(ui_queue_push(&q, i, DECODE_OK, &p));
	}
	assert_false(ui_queue_push(&q, 9, DECODE_OK, &p)); /* full: the caller stops reading */
	assert_int_equal(ui_queue_space(&q), 0);
	for (int round = 0; round < 5; round++) { /* wraps around */
		const struct ui_frame *f = ui_queue_peek(&q);
		assert_int_equal(f->pkt.seq, (uint32_t)round);
		assert_null(f->pkt.payload); /* libpcap's buffer is gone after the callback */
		assert_int_equal(f->pkt.payload_len, 4);
		ui_queue_pop(&q);
		p.seq = (uint32_t)(round + 3);
		assert_true(ui_queue_push(&q, round + 3, DECODE_OK, &p));
	}
	assert_true(ui_queue_push(&q, 0, DECODE_TRUNCATED, NULL) == false);
	ui_queue_pop(&q);
	assert_true(ui_queue_push(&q, 0, DECODE_TRUNCATED, NULL));
	ui_queue_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_state_rides_on_its_segment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_head_and_tail_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_slot_taken_by_newer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_log_ring, setup, teardown),
	    cmocka_unit_test(test_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
