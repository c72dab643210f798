/* track_state.c — the one state setter per endpoint, pending inferences, events and history. */
#include "socklab/track.h"
#include "track_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends n bytes at *at, within cap (one byte is kept for the NUL). */
static void put(char *out, size_t cap, size_t *at, const char *src, size_t n)
{
	if (*at + n >= cap)
		n = cap - 1 - *at;
	memcpy(out + *at, src, n);
	*at += n;
}

/* The why strings' formatter: %u, %s, %g and %% only (all a why needs). vsnprintf parses and
 * dispatches far more, and a why is formatted for about every other segment when someone
 * listens, so literal runs are copied whole and numbers written by hand. */
static void format_why(char *out, size_t cap, const char *fmt, va_list ap)
{
	size_t at = 0;
	while (*fmt && at + 1 < cap) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
		put(out, cap, &at, fmt, lit);
		if (!pct)
			break;
		char tmp[32];
		const char *piece = tmp;
		size_t n = 0;
		switch (pct[1]) {
		case 'u': {
			unsigned v = va_arg(ap, unsigned);
			char *end = tmp + sizeof tmp, *d = end;
			do
				*--d = (char)('0' + v % 10);
			while (v /= 10);
			piece = d;
			n = (size_t)(end - d);
			break;
		}
		case 's':
			piece = va_arg(ap, const char *);
			if (!piece)
				piece = "(null)";
			n = strlen(piece);
			break;
		case 'g': {
			int w = snprintf(tmp, sizeof tmp, "%g", va_arg(ap, double));
			n = w > 0 ? (size_t)w : 0;
			break;
		}
		case '%':
			piece = "%";
			n = 1;
			break;
		default: /* not used by any why: shown as written */
			piece = pct;
			n = pct[1] ? 2 : 1;
			break;
		}
		put(out, cap, &at, piece, n);
		fmt = pct + (pct[1] ? 2 : 1);
	}
	out[at] = '\0';
}

void track_emit(struct track_table *tt, const struct track_event *ev)
{
	if (tt->cfg.on_event)
		tt->cfg.on_event(ev, tt->cfg.user);
}

void track_anomaly(struct track_table *tt, double t, struct track_slot *s, enum track_role sender,
                   const struct decode_packet *pkt, enum track_anomaly a, const char *fmt, ...)
{
	tt->stats.anomalies[a]++;
	if (!tt->cfg.on_event)
		return; /* nobody listens: skip the formatting */
	va_list ap;
	va_start(ap, fmt);
	format_why(tt->why, sizeof tt->why, fmt, ap);
	va_end(ap);
	struct track_event ev = {.kind = TRACK_EVENT_ANOMALY,
	                         .t = t,
	                         .conn = s ? &s->c : NULL,
	                         .pkt = pkt,
	                         .sender = sender,
	                         .anomaly = a,
	                         .why = tt->why};
	track_emit(tt, &ev);
}

static void timer_stop(struct track_table *tt, struct track_slot *s, enum track_role ep)
{
	struct track_side *d = &s->s[ep];
	uint32_t node = track_slot_index(tt, s) * 2 + (uint32_t)ep;
	if (d->timer == TRACK_TIMER_TW)
		track_list_remove(tt, &tt->tw, TRACK_LK_TIMER, node);
	else if (d->timer == TRACK_TIMER_PENDING)
		track_list_remove(tt, &tt->pend, TRACK_LK_TIMER, node);
	d->timer = TRACK_TIMER_NONE;
}

static void timer_start(struct track_table *tt, struct track_slot *s, enum track_role ep,
                        enum track_timer which, double deadline)
{
	timer_stop(tt, s, ep);
	s->s[ep].timer = (uint8_t)which;
	s->k[ep].deadline = deadline;
	if (deadline < tt->timer_due)
		tt->timer_due = deadline;
	track_list_append(tt, which == TRACK_TIMER_TW ? &tt->tw : &tt->pend, TRACK_LK_TIMER,
	                  track_slot_index(tt, s) * 2 + (uint32_t)ep);
}

void track_set_state(struct track_table *tt, struct track_slot *s, enum track_role ep,
                     enum track_state to, double t, const char *fmt, ...)
{
	struct track_endpoint *e = &s->c.ep[ep];
	enum track_state from = e->state;
	if (from == to)
		return;
	e->state = to;
	tt->transitions++;
	if (s->s[ep].pend != TRACK_PEND_NONE && to == TRACK_CLOSED)
		track_pend_drop(tt, s, ep); /* a closed endpoint will not act on what it got */
	if (from == TRACK_TIME_WAIT)
		timer_stop(tt, s, ep);
	if (to == TRACK_TIME_WAIT) /* RFC 9293 §3.10.7.4: start the 2 MSL time-wait timer */
		timer_start(tt, s, ep, TRACK_TIMER_TW, t + tt->cfg.time_wait_secs);
	/* A server never heard from adds nothing once its client is CLOSED (e.g. it aborted). */
	enum track_state srv = s->c.ep[TRACK_SERVER].state;
	bool closed = s->c.ep[TRACK_CLIENT].state == TRACK_CLOSED &&
	              (srv == TRACK_CLOSED || (srv == TRACK_UNKNOWN && !s->c.midstream));
	if (closed != s->c.closed) {
		s->c.closed = closed;
		track_touch(tt, s); /* moves it between the open and closed LRU lists */
	}
	if (!tt->cfg.on_event)
		return;
	va_list ap;
	va_start(ap, fmt);
	format_why(tt->why, sizeof tt->why, fmt, ap);
	va_end(ap);
	struct track_event ev = {.kind = TRACK_EVENT_STATE,
	                         .t = t,
	                         .conn = &s->c,
	                         .endpoint = ep,
	                         .from = from,
	                         .to = to,
	                         .why = tt->why};
	track_emit(tt, &ev);
}

void track_pend_set(struct track_table *tt, struct track_slot *s, enum track_role ep,
                    enum track_pend kind, uint32_t rel_seq, double t)
{
	if (s->s[ep].pend != TRACK_PEND_NONE) /* an older guess must not be lost silently */
		track_pend_commit(tt, s, ep, t, " (assumed: no reply seen)");
	s->s[ep].pend = (uint8_t)kind;
	s->k[ep].pend_rel = rel_seq;
	/* A server's receipt of a SYN is never assumed: without its reply it stays UNKNOWN. */
	if (kind != TRACK_PEND_SYN)
		timer_start(tt, s, ep, TRACK_TIMER_PENDING, t + tt->cfg.pending_secs);
}

void track_pend_drop(struct track_table *tt, struct track_slot *s, enum track_role ep)
{
	if (s->s[ep].timer == TRACK_TIMER_PENDING)
		timer_stop(tt, s, ep);
	s->s[ep].pend = TRACK_PEND_NONE;
}

void track_pend_commit(struct track_table *tt, struct track_slot *s, enum track_role ep, double t,
                       const char *suffix)
{
	enum track_pend kind = (enum track_pend)s->s[ep].pend;
	uint32_t rel = s->k[ep].pend_rel;
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
		timer_start(tt, s, ep, TRACK_TIMER_TW, t + tt->cfg.time_wait_secs);
}
