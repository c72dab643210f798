/* test_ui_timeline.c — the capture-order list behind whole-file stepping: each segment finds
 * its row on its connection's ladder, and rows the ladder no longer keeps are said to be gone
 * rather than pointing at another segment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_model.h"
#include "ui/ui_timeline.h"

struct fixture {
	struct ui_model m;
	struct ui_timeline tl;
};

static int setup(void **state)
{
	static struct fixture f;
	assert_true(ui_model_init(&f.m));
	assert_true(ui_timeline_init(&f.tl));
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ui_model_free(&f->m);
	ui_timeline_free(&f->tl);
	return 0;
}

/* One segment of connection id through the model and the timeline, as ui_run feeds them. */
static void segment(struct fixture *f, uint64_t id)
{
	struct track_conn c;
	memset(&c, 0, sizeof c);
	c.id = id;
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	struct track_event open = {.kind = TRACK_EVENT_OPEN, .conn = &c};
	struct track_event ev = {.kind = TRACK_EVENT_PACKET, .conn = &c, .pkt = &p};
	const struct ui_slot *s = ui_model_slot(&f->m, id);
	if (!s) {
		ev.caused = &open;
		ev.ncaused = 1;
	}
	ui_model_on_event(&ev, &f->m);
	ui_timeline_note(&f->tl, &f->m, &ev);
}

static void test_interleaved_connections_keep_capture_order(void **state)
{
	struct fixture *f = *state;
	segment(f, 1);
	segment(f, 2);
	segment(f, 1);
	assert_int_equal(ui_timeline_kept(&f->tl), 3);
	const struct ui_timeline_entry *e = ui_timeline_at(&f->tl, 2);
	assert_int_equal(e->id, 2);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, e), 1);
	e = ui_timeline_at(&f->tl, 3);
	assert_int_equal(e->id, 1);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, e), 2);
	assert_null(ui_timeline_at(&f->tl, 0));
	assert_null(ui_timeline_at(&f->tl, 4));
}

static void test_rows_between_head_and_tail_are_gone(void **state)
{
	struct fixture *f = *state;
	uint32_t total = UI_REC_MAX + 10;
	for (uint32_t i = 0; i < total; i++)
		segment(f, 7);
	/* the head stays where it was */
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, 1)), 1);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, UI_REC_HEAD)),
	                 UI_REC_HEAD);
	/* the first 10 after the head were pushed out of the tail */
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, UI_REC_HEAD + 1)), 0);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, UI_REC_HEAD + 10)),
	                 0);
	/* the rest are the tail, in order; the newest is the ladder's last row */
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, UI_REC_HEAD + 11)),
	                 UI_REC_HEAD + 1);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, total)), UI_REC_MAX);
}

static void test_reused_slot_is_gone(void **state)
{
	struct fixture *f = *state;
	segment(f, 3);
	segment(f, 3 + UI_SLOTS); /* a newer connection takes the slot */
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, 1)), 0);
	assert_int_equal(ui_timeline_ladder_pos(&f->m, ui_timeline_at(&f->tl, 2)), 1);
}

static void test_ring_keeps_the_latest(void **state)
{
	struct fixture *f = *state;
	for (uint32_t i = 0; i < UI_TIMELINE_MAX + 5; i++)
		segment(f, 1 + i % 3);
	assert_int_equal(ui_timeline_kept(&f->tl), UI_TIMELINE_MAX);
	/* the oldest kept is segment number 5 (0-based) overall: connection 1 + 5 % 3 */
	assert_int_equal(ui_timeline_at(&f->tl, 1)->id, 3);
	assert_int_equal(ui_timeline_at(&f->tl, UI_TIMELINE_MAX)->id,
	                 1 + (UI_TIMELINE_MAX + 4) % 3);
	ui_timeline_clear(&f->tl);
	assert_int_equal(ui_timeline_kept(&f->tl), 0);
	assert_null(ui_timeline_at(&f->tl, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_interleaved_connections_keep_capture_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rows_between_head_and_tail_are_gone, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_reused_slot_is_gone, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ring_keeps_the_latest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
