/* track_state.c — the one state setter per endpoint, pending inferences, events and history. */
#include "socklab/track.h"
#include "track_internal.h"

#include <stdarg.h>

void track_set_state(struct track_table *tt, struct track_slot *s, enum track_role ep,
                     enum track_state to, double t, const char *fmt, ...)
{
	struct track_endpoint *e = &s->c.ep[ep];
	enum track_state from = e->state;
	if (from == to)
		return;
	e->state = to;
	tt->transitions++;
	if (s->side[ep].pend != TRACK_PEND_NONE && to == TRACK_CLOSED)
		track_pend_drop(tt, s, ep); /* a closed endpoint will not act on what it got */
	if (from == TRACK_TIME_WAIT || s->side[ep].timer == TRACK_TIMER_GIVEUP)
		track_timer_stop(tt, s, ep); /* a give-up prediction only holds in SYN_SENT */
	if (to == TRACK_TIME_WAIT) /* RFC 9293 §3.10.7.4: start the 2 MSL time-wait timer */
		track_timer_start(tt, s, ep, TRACK_TIMER_TW, t + tt->cfg.time_wait_secs);
	/* A server never heard from adds nothing once its client is CLOSED (e.g. it aborted). */
	enum track_state srv = s->c.ep[TRACK_SERVER].state;
	bool closed = s->c.ep[TRACK_CLIENT].state == TRACK_CLOSED &&
	              (srv == TRACK_CLOSED || (srv == TRACK_UNKNOWN && !s->c.midstream));
	s->c.closed = closed;
	uint8_t want = (uint8_t)track_lru_kind(s);
	if (want != s->lru_want) {
		s->lru_want = want;
		track_touch(tt, s); /* moves it between the half-open, open and closed LRU lists */
	}
	if (!tt->cfg.on_event)
		return;
	const char *why = "";
	if (!tt->cfg.no_why) {
		va_list ap;
		va_start(ap, fmt);
		char *buf = track_why_buf(tt);
		track_format_why(buf, TRACK_WHY_MAX, fmt, ap);
		va_end(ap);
		why = buf;
	}
	struct track_event *ev = track_event_place(tt);
	*ev = (struct track_event){.kind = TRACK_EVENT_STATE,
	                           .t = t,
	                           .conn = &s->c,
	                           .endpoint = ep,
	                           .from = from,
	                           .to = to,
	                           .why = why};
	track_emit_placed(tt, ev);
}

void track_set_start(struct track_table *tt, struct track_slot *s, enum track_role ep,
                     enum track_state st, double t, const char *why)
{
	s->c.ep[ep].state = st;
	if (!tt->cfg.on_event)
		return;
	struct track_event ev = {.kind = TRACK_EVENT_START,
	                         .t = t,
	                         .conn = &s->c,
	                         .endpoint = ep,
	                         .from = TRACK_UNKNOWN,
	                         .to = st,
	                         .why = why};
	track_emit(tt, &ev);
}

void track_pend_set(struct track_table *tt, struct track_slot *s, enum track_role ep,
                    enum track_pend kind, uint32_t rel_seq, double t)
{
	if (s->side[ep].pend != TRACK_PEND_NONE) /* an older guess must not be lost silently */
		track_pend_commit(tt, s, ep, t, " (assumed: no reply seen)");
	s->side[ep].pend = (uint8_t)kind;
	s->cold[ep].pend_rel = rel_seq;
	/* A server's receipt of a SYN is never assumed: without its reply it stays UNKNOWN; nor
	 * is the closing state of a FIN sent mid-stream (track_midclose.c). */
	if (kind != TRACK_PEND_SYN && kind != TRACK_PEND_MIDFIN)
		track_timer_start(tt, s, ep, TRACK_TIMER_PENDING, t + tt->cfg.pending_secs);
}

void track_pend_drop(struct track_table *tt, struct track_slot *s, enum track_role ep)
{
	if (s->side[ep].timer == TRACK_TIMER_PENDING)
		track_timer_stop(tt, s, ep);
	s->side[ep].pend = TRACK_PEND_NONE;
}

void track_pend_commit(struct track_table *tt, struct track_slot *s, enum track_role ep, double t,
                       const char *suffix)
{
	enum track_pend kind = (enum track_pend)s->side[ep].pend;
	uint32_t rel = s->cold[ep].pend_rel;
	track_pend_drop(tt, s, ep);
	switch (kind) {
	case TRACK_PEND_SYN:
		/* Only the server's reply says whether it was listening: it stays UNKNOWN. */
		break;
	case TRACK_PEND_SYNACK:
		/* RFC 9293 §3.10.7.3: SYN_SENT receiving an acceptable SYN-ACK -> ESTABLISHED. */
		track_set_state(tt, s, ep, TRACK_ESTABLISHED, t,
		                "received SYN-ACK seq=%u acking our SYN%s", rel, suffix);
		break;
	case TRACK_PEND_FIN:
		/* RFC 9293 §3.10.7.4 (eighth step): ESTABLISHED receiving FIN -> CLOSE_WAIT. */
		track_set_state(tt, s, ep, TRACK_CLOSE_WAIT, t, "received FIN seq=%u%s", rel,
		                suffix);
		break;
	case TRACK_PEND_FIN_DATA:
		/* RFC 9293 §3.10.7.4 (eighth step): FIN_WAIT_2 receiving FIN -> TIME_WAIT. */
		track_set_state(tt, s, ep, TRACK_TIME_WAIT, t,
		                "received FIN seq=%u with data in FIN_WAIT_2%s", rel, suffix);
		break;
	case TRACK_PEND_MIDFIN: /* nothing to assume: it stays UNKNOWN */
	case TRACK_PEND_NONE:
	default:
		break;
	}
}

void track_history_add(struct track_slot *s, char letter)
{
	char *h = s->c.history;
	if (s->hist_len < TRACK_HISTORY_LEN - 1) {
		h[s->hist_len++] = letter;
	} else if (s->hist_len == TRACK_HISTORY_LEN - 1) {
		h[s->hist_len++] = '+'; /* cut: the rest is not recorded */
	}
	h[s->hist_len] = '\0';
}

/* RFC 9293 §3.10.7.4 (TIME-WAIT): a retransmitted FIN restarts the 2 MSL timeout. */
void track_tw_restart(struct track_table *tt, struct track_slot *s, enum track_role ep, double t)
{
	if (s->c.ep[ep].state == TRACK_TIME_WAIT)
		track_timer_start(tt, s, ep, TRACK_TIMER_TW, t + tt->cfg.time_wait_secs);
}
