/* track_clock.c — time passing: due timers fire, pending inferences are committed. */
#include "socklab/track.h"
#include "track_internal.h"

#include <math.h>

/* Timer lists are FIFO in deadline order because each list's duration is constant. */
void track_run_timers(struct track_table *tt, double now)
{
	while (tt->pend.head != TRACK_NIL) {
		uint32_t node = tt->pend.head;
		struct track_slot *s = &tt->slots[node >> 1];
		double when = s->cold[node & 1].deadline;
		if (when > now)
			break;
		track_pend_commit(tt, s, (enum track_role)(node & 1), when,
		                  " (assumed: no reply seen)");
	}
	while (tt->tw.head != TRACK_NIL) {
		uint32_t node = tt->tw.head;
		struct track_slot *s = &tt->slots[node >> 1];
		double when = s->cold[node & 1].deadline;
		if (when > now)
			break;
		/* RFC 9293 §3.10.8: the time-wait timeout deletes the TCB -> CLOSED. */
		track_set_state(tt, s, (enum track_role)(node & 1), TRACK_CLOSED, when,
		                "TIME_WAIT timer (2*MSL) expired after %g s",
		                tt->cfg.time_wait_secs);
		track_history_add(s, (node & 1) ? 't' : 'T');
	}
	/* The heads are the earliest deadlines: nothing fires before the smaller of the two. */
	double due = INFINITY;
	if (tt->pend.head != TRACK_NIL)
		due = tt->slots[tt->pend.head >> 1].cold[tt->pend.head & 1].deadline;
	if (tt->tw.head != TRACK_NIL) {
		double tw = tt->slots[tt->tw.head >> 1].cold[tt->tw.head & 1].deadline;
		if (tw < due)
			due = tw;
	}
	tt->timer_due = due;
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
