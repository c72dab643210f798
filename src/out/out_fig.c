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

void out_fig_set_timer(struct out_fig *f, bool timer) { f->timer = timer; }

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

static void add_state(struct out_fig_conn *fc, uint16_t row, const struct out_fig_held *h,
                      bool at_tail)
{
	struct out_fig_state *s;

	if (fc->nstates == OUT_FIG_MAX_STATES) {
		fc->states_cut++;
		return;
	}
	s = &fc->states[fc->nstates++];
	s->row = row;
	s->endpoint = h->endpoint;
	s->from = h->from;
	s->to = h->to;
	s->at_tail = at_tail;
	memcpy(s->why, h->why, sizeof s->why);
}

/* A state change with no segment of its own (a timer, the end of the capture, or an event
 * held for a segment of another connection): a row of its own. */
static void add_alone(struct out_fig_conn *fc, const struct out_fig_held *h)
{
	struct out_fig_row r = {.kind = OUT_FIG_ROW_TIMER, .sender = h->endpoint};

	if (h->is_state)
		add_state(fc, add_row(fc, &r, h->t), h, true);
}

static struct out_fig_conn *find_mut(struct out_fig *f, uint64_t id)
{
	return (struct out_fig_conn *)out_fig_find(f, id);
}

static void flush_held(struct out_fig *f)
{
	for (uint32_t i = 0; i < f->nheld; i++) {
		struct out_fig_conn *fc = find_mut(f, f->held[i].conn);
		if (fc)
			add_alone(fc, &f->held[i]);
	}
	f->nheld = 0;
}

static void hold(struct out_fig *f, const struct track_event *ev, struct out_fig_conn *fc)
{
	struct out_fig_held *h;

	if (f->nheld == OUT_FIG_HELD_MAX)
		flush_held(
		    f); /* never on this tracker (a segment causes a few events): kept, alone */
	h = &f->held[f->nheld++];
	memset(h, 0, sizeof *h);
	h->conn = fc->id;
	h->is_state = ev->kind == TRACK_EVENT_STATE;
	h->endpoint = (uint8_t)ev->endpoint;
	h->from = (uint8_t)ev->from;
	h->to = (uint8_t)ev->to;
	h->anomaly = (uint8_t)ev->anomaly;
	h->t = ev->t;
	copy_why(h->why, ev->why);
}

/* The segment's row, then the events it caused (held until now: out_fig_event takes them from
 * the PACKET event's record first), each on the side of the endpoint it concerns. */
static void on_packet(struct out_fig *f, const struct track_event *ev, struct out_fig_conn *fc)
{
	struct out_fig_row r = {
	    .kind = OUT_FIG_ROW_SEGMENT,
	    .sender = (uint8_t)ev->sender,
	    .flags = ev->pkt ? ev->pkt->flags : 0,
	    .rel_seq = ev->rel_seq,
	    .rel_ack = ev->rel_ack,
	    .len = ev->pkt ? ev->pkt->payload_len : 0,
	};
	uint16_t row;

	fc->segments[ev->sender & 1]++;
	for (uint32_t i = 0; i < f->nheld; i++)
		if (f->held[i].conn == fc->id && !f->held[i].is_state && !r.anomaly)
			r.anomaly = f->held[i].anomaly;
	row = add_row(fc, &r, ev->t);
	for (uint32_t i = 0; i < f->nheld; i++) {
		const struct out_fig_held *h = &f->held[i];
		struct out_fig_conn *other;

		if (!h->is_state)
			continue;
		if (h->conn == fc->id) {
			add_state(fc, row, h, h->endpoint == ev->sender);
		} else if ((other = find_mut(f, h->conn)) != NULL) {
			add_alone(other, h); /* e.g. the old connection closed by a reused port */
		}
	}
	f->nheld = 0;
}

void out_fig_event(const struct track_event *ev, void *user)
{
	struct out_fig *f = user;
	struct out_fig_conn *fc;

	/* A segment's own events ride in its PACKET record (track.h, "Events"): they are held
	 * first, then placed beside the segment's row by on_packet. */
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++)
			out_fig_event(&ev->caused[i], f);
	if (!ev->conn)
		return;
	fc = conn_of(f, ev);
	if (!fc)
		return;
	switch (ev->kind) {
	case TRACK_EVENT_PACKET:
		on_packet(f, ev, fc);
		break;
	case TRACK_EVENT_STATE:
	case TRACK_EVENT_ANOMALY:
		if (f->timer) {
			struct out_fig_held h = {0};
			h.is_state = ev->kind == TRACK_EVENT_STATE;
			h.endpoint = (uint8_t)ev->endpoint;
			h.from = (uint8_t)ev->from;
			h.to = (uint8_t)ev->to;
			h.t = ev->t;
			copy_why(h.why, ev->why);
			add_alone(fc, &h);
		} else {
			hold(f, ev, fc);
		}
		break;
	default:
		break;
	}
}

void out_fig_finish(struct out_fig *f) { flush_held(f); }
