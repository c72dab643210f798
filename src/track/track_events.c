/* track_events.c — delivering events, and the why strings they carry. */
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
void track_format_why(char *out, size_t cap, const char *fmt, va_list ap)
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

void track_emit(struct track_table *tt, struct track_event *ev)
{
	if (!tt->cfg.on_event)
		return;
	struct track_event *at = track_event_place(tt);
	*at = *ev; /* its why, if formatted, is already in place (track_why_buf) */
	track_emit_placed(tt, at);
}

void track_emit_placed(struct track_table *tt, struct track_event *ev)
{
	if (!tt->cfg.on_event)
		return;
	if (ev->conn) {
		ev->states[0] = ev->conn->ep[0].state;
		ev->states[1] = ev->conn->ep[1].state;
	}
	if (ev != &tt->lone) {
		tt->ncaused++; /* it was built at caused[ncaused] */
		return;
	}
	/* Not caused by a segment (timers, track_note, track_clear_closed); or, were a segment
	 * ever to cause more than TRACK_CAUSED_MAX events, the rest, delivered early rather than
	 * lost. */
	tt->cfg.on_event(ev, tt->cfg.user);
}

void track_anomaly(struct track_table *tt, double t, struct track_slot *s, enum track_role sender,
                   const struct decode_packet *pkt, enum track_anomaly a, const char *fmt, ...)
{
	tt->stats.anomalies[a]++;
	if (!tt->cfg.on_event)
		return; /* nobody listens: skip the formatting */
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
	*ev = (struct track_event){.kind = TRACK_EVENT_ANOMALY,
	                           .t = t,
	                           .conn = s ? &s->c : NULL,
	                           .pkt = pkt,
	                           .sender = sender,
	                           .anomaly = a,
	                           .why = why};
	track_emit_placed(tt, ev);
}
