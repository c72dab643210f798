/* track_timers.c — an endpoint's one timer (TIME_WAIT, a pending inference's deadline, or a
 * SYN give-up prediction). */
#include "socklab/track.h"
#include "track_internal.h"

/* The TIME_WAIT and pending lists are FIFO in deadline order, because each list's duration is
 * constant: starting a timer appends, and only the heads are ever due (track_run_timers). A
 * give-up prediction's duration depends on the SYN gaps seen, so that list is kept sorted by
 * an insertion that walks back from the tail: it usually stops at once (a later SYN's
 * deadline is later), and the list only holds clients whose SYNs are still unanswered. */
void track_timer_stop(struct track_table *tt, struct track_slot *s, enum track_role ep)
{
	struct track_side *d = &s->side[ep];
	uint32_t node = track_slot_index(tt, s) * 2 + (uint32_t)ep;
	if (d->timer == TRACK_TIMER_TW)
		track_list_remove(tt, &tt->tw, TRACK_LK_TIMER, node);
	else if (d->timer == TRACK_TIMER_PENDING)
		track_list_remove(tt, &tt->pend, TRACK_LK_TIMER, node);
	else if (d->timer == TRACK_TIMER_GIVEUP)
		track_list_remove(tt, &tt->giveup, TRACK_LK_TIMER, node);
	d->timer = TRACK_TIMER_NONE;
}

void track_timer_start(struct track_table *tt, struct track_slot *s, enum track_role ep,
                       enum track_timer which, double deadline)
{
	track_timer_stop(tt, s, ep);
	s->side[ep].timer = (uint8_t)which;
	s->cold[ep].deadline = deadline;
	if (deadline < tt->timer_due)
		tt->timer_due = deadline;
	uint32_t node = track_slot_index(tt, s) * 2 + (uint32_t)ep;
	if (which != TRACK_TIMER_GIVEUP) {
		track_list_append(tt, which == TRACK_TIMER_TW ? &tt->tw : &tt->pend, TRACK_LK_TIMER,
		                  node);
		return;
	}
	uint32_t after = tt->giveup.tail;
	while (after != TRACK_NIL) {
		const struct track_side_cold *c = &tt->slots[after >> 1].cold[after & 1];
		if (c->deadline <= deadline)
			break;
		after = c->timer_link.prev;
	}
	track_list_insert_after(tt, &tt->giveup, TRACK_LK_TIMER, after, node);
}
