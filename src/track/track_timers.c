/* track_timers.c — an endpoint's one timer (TIME_WAIT or a pending inference's deadline). */
#include "socklab/track.h"
#include "track_internal.h"

/* Both timer lists are FIFO in deadline order, because each list's duration is constant:
 * starting a timer appends, and only the heads are ever due (track_run_timers). */
void track_timer_stop(struct track_table *tt, struct track_slot *s, enum track_role ep)
{
	struct track_side *d = &s->side[ep];
	uint32_t node = track_slot_index(tt, s) * 2 + (uint32_t)ep;
	if (d->timer == TRACK_TIMER_TW)
		track_list_remove(tt, &tt->tw, TRACK_LK_TIMER, node);
	else if (d->timer == TRACK_TIMER_PENDING)
		track_list_remove(tt, &tt->pend, TRACK_LK_TIMER, node);
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
	track_list_append(tt, which == TRACK_TIMER_TW ? &tt->tw : &tt->pend, TRACK_LK_TIMER,
	                  track_slot_index(tt, s) * 2 + (uint32_t)ep);
}
