/* out_fig.c — collects the tracker's events per connection for the figures: rows (segments and
 * timers) and state changes, each tied to the row and side it is drawn at. Fixed-size tables. */
#include "socklab/out_fig.h"

#include <stdlib.h>
#include <string.h>

struct out_fig *out_fig_create(const uint64_t *want, size_t nwant)
{
	struct out_fig *f;

	if (nwant > OUT_FIG_MAX_CONNS)
		return NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	if (nwant)
		memcpy(f->want, want, nwant * sizeof *want);
	f->nwant = nwant;
	return f;
}

void out_fig_destroy(struct out_fig *f) { free(f); }

void out_fig_set_keep_latest(struct out_fig *f, bool latest) { f->keep_latest = latest; }

const struct out_fig_conn *out_fig_find(const struct out_fig *f, uint64_t id)
{
	for (uint32_t i = 0; i < f->nconns; i++)
		if (f->conns[i].id == id)
			return &f->conns[i];
	return NULL;
}

static bool wanted(const struct out_fig *f, uint64_t id)
{
	if (!f->nwant)
		return true;
	for (size_t i = 0; i < f->nwant; i++)
		if (f->want[i] == id)
			return true;
	return false;
}

/* The connection's figure, made on first sight if it is wanted and there is room. */
static struct out_fig_conn *conn_of(struct out_fig *f, const struct track_event *ev)
{
	const struct track_conn *c = ev->conn;
	struct out_fig_conn *fc = (struct out_fig_conn *)out_fig_find(f, c->id);

	if (fc || !wanted(f, c->id))
		return fc;
	if (f->nconns == OUT_FIG_MAX_CONNS) {
		if (!f->keep_latest) {
			if (ev->kind == TRACK_EVENT_OPEN) /* counted once per connection */
				f->conns_cut++;
			return NULL;
		}
		/* The oldest is conns[0] (ids grow): shift the rest down so the document stays
		 * in id order. Once per new connection past the cap, never per segment. */
		memmove(&f->conns[0], &f->conns[1], (OUT_FIG_MAX_CONNS - 1) * sizeof f->conns[0]);
		f->nconns--;
		f->conns_cut++;
	}
	fc = &f->conns[f->nconns++];
	memset(fc, 0, sizeof *fc); /* a slot an evicted connection used */
	fc->id = c->id;
	fc->start[0] = fc->start[1] = TRACK_UNKNOWN;
	for (int e = 0; e < 2; e++)
		decode_endpoint_format(&c->ep[e].addr, c->ep[e].port, fc->ep_text[e],
		                       sizeof fc->ep_text[e]);
	return fc;
}

static void copy_why(char *dst, const char *why)
{
	snprintf(dst, OUT_FIG_WHY_MAX, "%s", why ? why : "");
}

/* A row at capture time t, which is kept as whole microseconds since the connection's first
 * row (the figure then prints integers only). */
static uint16_t add_row(struct out_fig_conn *fc, const struct out_fig_row *r, double t)
{
	double since;

	if (fc->nrows == OUT_FIG_MAX_ROWS) {
		fc->rows_cut++;
		return OUT_FIG_NO_ROW;
	}
	if (fc->nrows == 0)
		fc->t0 = t;
	since = (t - fc->t0) * 1e6 + 0.5;
	fc->rows[fc->nrows] = *r;
	/* the tracker never goes back in time; a bound keeps the conversion defined anyway */
	fc->rows[fc->nrows].usec = since < 0 ? 0 : since > 9e15 ? (int64_t)9e15 : (int64_t)since;
	return (uint16_t)fc->nrows++;
}

static void add_state(struct out_fig_conn *fc, uint16_t row, const struct track_event *ev,
                      bool at_tail)
{
	struct out_fig_state *s;

	if (fc->nstates == OUT_FIG_MAX_STATES) {
		fc->states_cut++;
		return;
	}
	s = &fc->states[fc->nstates++];
	s->row = row;
	s->endpoint = (uint8_t)ev->endpoint;
	s->from = (uint8_t)ev->from;
	s->to = (uint8_t)ev->to;
	s->at_tail = at_tail;
	copy_why(s->why, ev->why);
}

/* A state change with no segment of its own (a timer, or the end of the capture): a row of
 * its own. */
static void add_alone(struct out_fig_conn *fc, const struct track_event *ev)
{
	struct out_fig_row r = {.kind = OUT_FIG_ROW_TIMER, .sender = (uint8_t)ev->endpoint};

	add_state(fc, add_row(fc, &r, ev->t), ev, true);
}

static struct out_fig_conn *find_mut(struct out_fig *f, uint64_t id)
{
	return (struct out_fig_conn *)out_fig_find(f, id);
}

/* An endpoint's state before its first change: OPEN's start states, then a START event (the
 * server's first segment, or a mid-stream FIN exchange, shows what it was). */
static void note_start(struct out_fig_conn *fc, const struct track_event *ev)
{
	if (ev->kind == TRACK_EVENT_OPEN) {
		for (int e = 0; e < 2; e++)
			fc->start[e] = (uint8_t)ev->states[e];
		return;
	}
	fc->start[ev->endpoint & 1] = (uint8_t)ev->to;
	copy_why(fc->start_why[ev->endpoint & 1], ev->why);
}

/* Where a state change is drawn. Most changes are drawn on the segment that caused them: at
 * its tail for its sender, at its head for its receiver. ESTABLISHED -> CLOSE_WAIT is
 * different: the receiver of a FIN enters CLOSE_WAIT when the FIN arrives (RFC 9293
 * §3.10.7.4, eighth: the FIN bit), but the tracker learns it only from the receiver's next
 * segment, whose ACK covers the FIN (it may follow a delayed ACK's 40 ms later). It is drawn
 * where the peer's latest FIN before that segment arrives; without that row (past the cap),
 * on the segment as the rest. */
static void place_state(struct out_fig_conn *fc, uint16_t row, const struct track_event *c,
                        enum track_role sender)
{
	if (c->endpoint == sender && c->from == TRACK_ESTABLISHED && c->to == TRACK_CLOSE_WAIT &&
	    row != OUT_FIG_NO_ROW) {
		for (uint16_t r = row; r-- > 0;) {
			const struct out_fig_row *fin = &fc->rows[r];
			if (fin->kind == OUT_FIG_ROW_SEGMENT && fin->sender != (uint8_t)sender &&
			    (fin->flags & DECODE_TCP_FIN)) {
				add_state(fc, r, c, false);
				return;
			}
		}
	}
	add_state(fc, row, c, c->endpoint == sender);
}

/* The segment's row, then the events it caused (track.h, "Events": they ride in its PACKET
 * record, in the order they arose), each state change on the side of the endpoint it
 * concerns. A change of another connection (the old one closed by a reused port) gets a row
 * of its own in that connection's figure. */
static void on_packet(struct out_fig *f, const struct track_event *ev, uint64_t id)
{
	struct out_fig_conn *fc = find_mut(f, id);
	struct out_fig_row r = {
	    .kind = OUT_FIG_ROW_SEGMENT,
	    .sender = (uint8_t)ev->sender,
	    .flags = ev->pkt ? ev->pkt->flags : 0,
	    .rel_seq = ev->rel_seq,
	    .rel_ack = ev->rel_ack,
	    .len = ev->pkt ? ev->pkt->payload_len : 0,
	};
	uint16_t row;

	if (!fc)
		return;
	fc->segments[ev->sender & 1]++;
	for (size_t i = 0; i < ev->ncaused && !r.anomaly; i++)
		if (ev->caused[i].kind == TRACK_EVENT_ANOMALY && ev->caused[i].conn &&
		    ev->caused[i].conn->id == id)
			r.anomaly = (uint8_t)ev->caused[i].anomaly;
	row = add_row(fc, &r, ev->t);
	for (size_t i = 0; i < ev->ncaused; i++) {
		const struct track_event *c = &ev->caused[i];
		struct out_fig_conn *other;

		if (!c->conn)
			continue;
		if (c->conn->id == id) {
			if (c->kind == TRACK_EVENT_STATE)
				place_state(fc, row, c, ev->sender);
			else if (c->kind == TRACK_EVENT_OPEN || c->kind == TRACK_EVENT_START)
				note_start(fc, c);
		} else if (c->kind == TRACK_EVENT_STATE && (other = find_mut(f, c->conn->id))) {
			add_alone(other, c);
		}
	}
}

void out_fig_event(const struct track_event *ev, void *user)
{
	struct out_fig *f = user;
	struct out_fig_conn *fc;

	if (!ev->conn)
		return;
	/* every connection the segment's events name gets its figure first (and is counted
	 * once, at its OPEN, when there is no room); ids, not pointers, are kept from here on,
	 * since a new figure may move the others (keep_latest) */
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++)
			if (ev->caused[i].conn)
				conn_of(f, &ev->caused[i]);
	fc = conn_of(f, ev);
	if (!fc)
		return;
	if (ev->kind == TRACK_EVENT_PACKET)
		on_packet(f, ev, fc->id);
	else if (ev->kind == TRACK_EVENT_STATE) /* alone: a timer's (track.h, "Events") */
		add_alone(fc, ev);
}
