/* track_clock.c — time passing: due timers fire, pending inferences are committed. */
#include "socklab/track.h"
#include "track_internal.h"

#include <math.h>

static double head_deadline(const struct track_table *tt, const struct track_tlist *l)
{
	return l->head == TRACK_NIL ? INFINITY : tt->slots[l->head >> 1].cold[l->head & 1].deadline;
}

/* Each timer list is in deadline order (track_timers.c): only heads can be due, and the
 * earliest of the three heads fires first, so timer events come out in time order. */
void track_run_timers(struct track_table *tt, double now)
{
	for (;;) {
		double pend = head_deadline(tt, &tt->pend), tw = head_deadline(tt, &tt->tw),
		       giveup = head_deadline(tt, &tt->giveup);
		double when = pend <= tw && pend <= giveup ? pend : tw <= giveup ? tw : giveup;
		if (!(when <= now)) {
			tt->timer_due = when; /* nothing fires before it (+inf: no timer) */
			return;
		}
		uint32_t node = when == pend ? tt->pend.head
		                : when == tw ? tt->tw.head
		                             : tt->giveup.head;
		struct track_slot *s = &tt->slots[node >> 1];
		enum track_role ep = (enum track_role)(node & 1);
		if (when == pend) {
			track_pend_commit(tt, s, ep, when, " (assumed: no reply seen)");
		} else if (when == tw) {
			/* RFC 9293 §3.10.8: the time-wait timeout deletes the TCB -> CLOSED. */
			track_set_state(tt, s, ep, TRACK_CLOSED, when,
			                "TIME_WAIT timer (2*MSL) expired after %g s",
			                tt->cfg.time_wait_secs);
			track_history_add(s, ep ? 't' : 'T');
		} else {
			track_giveup_fire(tt, s, ep, when);
		}
	}
}

void track_advance(struct track_table *tt, double now)
{
	if (now < tt->now)
		now = tt->now;
	track_run_timers(tt, now);
	tt->now = now;
}

void track_finish(struct track_table *tt, double now)
{
	if (now < tt->now)
		now = tt->now;
	track_run_timers(tt, now);
	tt->now = now;
	while (tt->pend.head != TRACK_NIL) {
		uint32_t node = tt->pend.head;
		track_pend_commit(tt, &tt->slots[node >> 1], (enum track_role)(node & 1), now,
		                  " (assumed: no reply seen before the end of the capture)");
	}
}
