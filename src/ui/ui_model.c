/* ui_model.c — per-connection segment rings and the transition log, built from track events. */
#include "ui_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ui_model_init(struct ui_model *m)
{
	memset(m, 0, sizeof *m);
	m->slots = calloc(UI_SLOTS, sizeof *m->slots);
	m->log = calloc(UI_LOG_MAX, sizeof *m->log);
	m->marks = calloc(UI_MARKS_MAX, sizeof *m->marks);
	if (!m->slots || !m->log || !m->marks) {
		ui_model_free(m);
		return false;
	}
	return true;
}

void ui_model_free(struct ui_model *m)
{
	free(m->slots);
	free(m->log);
	free(m->marks);
	m->slots = NULL;
	m->log = NULL;
	m->marks = NULL;
}

static struct ui_slot *slot_for(struct ui_model *m, uint64_t id)
{
	struct ui_slot *s = &m->slots[id % UI_SLOTS];
	return s->id == id ? s : NULL;
}

const struct ui_slot *ui_model_slot(const struct ui_model *m, uint64_t id)
{
	if (id == 0 || !m->slots)
		return NULL;
	const struct ui_slot *s = &m->slots[id % UI_SLOTS];
	return s->id == id ? s : NULL;
}

uint32_t ui_model_rec_count(const struct ui_slot *s)
{
	return s->nrec < UI_REC_MAX ? s->nrec : UI_REC_MAX;
}

uint32_t ui_model_rec_skipped(const struct ui_slot *s)
{
	return s->nrec > UI_REC_MAX ? s->nrec - UI_REC_MAX : 0;
}

const struct ui_rec *ui_model_rec(const struct ui_slot *s, uint32_t i)
{
	if (i >= ui_model_rec_count(s))
		return NULL;
	if (i < UI_REC_HEAD)
		return &s->rec[i];
	/* Kept record i is record number (i + skipped) overall; the tail is a ring. */
	uint32_t overall = i + ui_model_rec_skipped(s);
	return &s->rec[UI_REC_HEAD + (overall - UI_REC_HEAD) % UI_REC_TAIL];
}

static struct ui_rec *rec_append(struct ui_slot *s)
{
	uint32_t n = s->nrec++;
	if (n < UI_REC_HEAD)
		return &s->rec[n];
	return &s->rec[UI_REC_HEAD + (n - UI_REC_HEAD) % UI_REC_TAIL];
}

static void slot_open(struct ui_model *m, const struct track_event *ev)
{
	const struct track_conn *c = ev->conn;
	struct ui_slot *s = &m->slots[c->id % UI_SLOTS];
	if (s->id > c->id)
		return; /* a newer connection holds the slot */
	memset(s, 0, sizeof *s);
	s->id = c->id;
	for (int r = 0; r < 2; r++) {
		decode_endpoint_format(&c->ep[r].addr, c->ep[r].port, s->ep_text[r],
		                       sizeof s->ep_text[r]);
		s->state[r] = (uint8_t)ev->states[r]; /* the start states */
	}
	if (c->id > m->newest_id)
		m->newest_id = c->id;
}

static void state_only_record(struct ui_slot *s, double t, uint8_t changed, const uint8_t *from)
{
	struct ui_rec *r = rec_append(s);
	memset(r, 0, sizeof *r);
	r->t = t;
	r->kind = UI_REC_STATE;
	r->changed = changed;
	r->from[0] = from[0];
	r->from[1] = from[1];
	r->state[0] = s->state[0];
	r->state[1] = s->state[1];
}

static void log_add(struct ui_model *m, const struct track_event *ev, enum ui_log_kind kind)
{
	struct ui_log_entry *e = &m->log[m->log_count % UI_LOG_MAX];
	m->log_count++;
	memset(e, 0, sizeof *e);
	e->t = ev->t;
	e->kind = (uint8_t)kind;
	e->conn = ev->conn ? ev->conn->id : 0;
	if (kind == UI_LOG_STATE) {
		e->role = (uint8_t)ev->endpoint;
		e->from = (uint8_t)ev->from;
		e->to = (uint8_t)ev->to;
	} else {
		e->role = (uint8_t)ev->sender;
		e->anomaly = (uint8_t)ev->anomaly;
	}
	if (ev->conn && e->role < 2)
		decode_endpoint_format(&ev->conn->ep[e->role].addr, ev->conn->ep[e->role].port,
		                       e->endpoint, sizeof e->endpoint);
	snprintf(e->why, sizeof e->why, "%s", ev->why ? ev->why : "");
}

/* A state change: the log, the slot's current state and its diagram edge. */
static struct ui_slot *apply_state(struct ui_model *m, const struct track_event *ev)
{
	log_add(m, ev, UI_LOG_STATE);
	struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
	if (!s || ev->endpoint > TRACK_SERVER)
		return NULL;
	int r = (int)ev->endpoint;
	s->state[r] = (uint8_t)ev->to;
	s->edge_valid[r] = true;
	s->edge_from[r] = (uint8_t)ev->from;
	s->edge_to[r] = (uint8_t)ev->to;
	snprintf(s->edge_why[r], sizeof s->edge_why[r], "%s", ev->why ? ev->why : "");
	s->last_mover = (uint8_t)r;
	return s;
}

/* A start state learned (no transition): no edge, no log line. */
static void apply_start(struct ui_model *m, const struct track_event *ev)
{
	struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
	if (s && ev->endpoint <= TRACK_SERVER)
		s->state[ev->endpoint] = (uint8_t)ev->to;
}

/* A change with no segment of its connection (a timer, or the close of an old connection
 * by a new SYN on its 4-tuple): a state row of its own. */
static void on_lone_state(struct ui_model *m, const struct track_event *ev)
{
	struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
	uint8_t before[2] = {0, 0};
	if (s) {
		before[0] = s->state[0];
		before[1] = s->state[1];
	}
	if (!apply_state(m, ev))
		return;
	before[ev->endpoint] = (uint8_t)ev->from;
	state_only_record(s, ev->t, (uint8_t)(1u << ev->endpoint), before);
}

/* Another connection's changes among a segment's: one state row for all of them, made at its
 * last one (earlier ones only update the slot). */
static void other_conn_state(struct ui_model *m, const struct track_event *seg, size_t i)
{
	const struct track_event *ev = &seg->caused[i];
	struct ui_slot *s = apply_state(m, ev);
	if (!s)
		return;
	uint8_t changed = 0, from[2] = {s->state[0], s->state[1]};
	for (size_t j = 0; j < seg->ncaused; j++) {
		const struct track_event *c = &seg->caused[j];
		if (c->kind != TRACK_EVENT_STATE || c->conn != ev->conn ||
		    c->endpoint > TRACK_SERVER)
			continue;
		if (j > i)
			return; /* not its last change in this segment */
		if (!(changed & (1u << c->endpoint)))
			from[c->endpoint] = (uint8_t)c->from;
		changed |= (uint8_t)(1u << c->endpoint);
	}
	state_only_record(s, ev->t, changed, from);
}

/* A segment: what it caused, in order, then its row on its connection's ladder, marked with
 * its own connection's changes and the first anomaly about it. */
static void on_packet(struct ui_model *m, const struct track_event *ev)
{
	if (!m->t0_set) {
		m->t0 = ev->t;
		m->t0_set = true;
	}
	uint64_t id = ev->conn ? ev->conn->id : 0;
	uint8_t changed = 0, from[2] = {0, 0}, anomaly = 0;
	uint8_t via[2][UI_REC_VIA] = {{0}}, nvia[2] = {0, 0};
	for (size_t i = 0; i < ev->ncaused; i++) {
		const struct track_event *c = &ev->caused[i];
		bool own = c->conn && c->conn->id == id;
		switch (c->kind) {
		case TRACK_EVENT_OPEN:
			if (c->conn)
				slot_open(m, c);
			break;
		case TRACK_EVENT_START:
			apply_start(m, c);
			break;
		case TRACK_EVENT_STATE:
			if (!own) {
				other_conn_state(m, ev, i);
				break;
			}
			if (!apply_state(m, c))
				break;
			if (!(changed & (1u << c->endpoint))) {
				from[c->endpoint] = (uint8_t)c->from;
				changed |= (uint8_t)(1u << c->endpoint);
			} else if (nvia[c->endpoint] < UI_REC_VIA) {
				/* a second change on one segment: the state between is kept */
				via[c->endpoint][nvia[c->endpoint]++] = (uint8_t)c->from;
			}
			break;
		case TRACK_EVENT_ANOMALY:
			log_add(m, c, UI_LOG_ANOMALY);
			if (own && !anomaly)
				anomaly = (uint8_t)c->anomaly;
			break;
		case TRACK_EVENT_EVICT:
		case TRACK_EVENT_PACKET:
			break;
		}
	}
	struct ui_slot *s = ev->conn ? slot_for(m, id) : NULL;
	if (!s || !ev->pkt)
		return;
	struct ui_rec *r = rec_append(s);
	memset(r, 0, sizeof *r);
	r->t = ev->t;
	r->kind = UI_REC_SEGMENT;
	r->sender = (uint8_t)ev->sender;
	r->flags = ev->pkt->flags;
	r->rel_seq = ev->rel_seq;
	r->rel_ack = ev->rel_ack;
	r->len = ev->pkt->payload_len;
	r->win = ev->win;
	r->win_shift = ev->win_shift;
	r->changed = changed;
	memcpy(r->via, via, sizeof r->via);
	memcpy(r->nvia, nvia, sizeof r->nvia);
	for (int i = 0; i < 2; i++) {
		const struct track_endpoint *e = &ev->conn->ep[i];
		s->isn_known[i] = e->isn_known;
		s->isn[i] = e->isn;
	}
	r->anomaly = anomaly;
	for (int i = 0; i < 2; i++) {
		r->state[i] = s->state[i];
		r->from[i] = (changed & (1u << i)) ? from[i] : s->state[i];
	}
}

void ui_model_on_event(const struct track_event *ev, void *user)
{
	struct ui_model *m = user;
	m->version++;
	switch (ev->kind) {
	case TRACK_EVENT_OPEN:
		if (ev->conn)
			slot_open(m, ev);
		break;
	case TRACK_EVENT_START:
		apply_start(m, ev);
		break;
	case TRACK_EVENT_STATE:
		on_lone_state(m, ev);
		break;
	case TRACK_EVENT_PACKET:
		on_packet(m, ev);
		break;
	case TRACK_EVENT_ANOMALY:
		log_add(m, ev, UI_LOG_ANOMALY);
		break;
	case TRACK_EVENT_EVICT:
		break; /* the ladder stays readable until the slot is reused */
	}
}

uint64_t ui_model_log_kept(const struct ui_model *m)
{
	return m->log_count < UI_LOG_MAX ? m->log_count : UI_LOG_MAX;
}

const struct ui_log_entry *ui_model_log(const struct ui_model *m, uint64_t i)
{
	if (i >= ui_model_log_kept(m))
		return NULL;
	return &m->log[(m->log_count - 1 - i) % UI_LOG_MAX];
}

/* The log entry of a marker, moved back to position at (entries after it shift by one), so
 * that it reads before the transitions of the segment the call sent. */
static void marker_log(struct ui_model *m, uint64_t conn, int role, double t, const char *text,
                       const char *details, uint64_t at)
{
	struct ui_log_entry e;
	memset(&e, 0, sizeof e);
	e.t = t;
	e.kind = UI_LOG_MARKER;
	e.conn = conn;
	e.role = (uint8_t)role;
	snprintf(e.mark, sizeof e.mark, "%s", text);
	snprintf(e.why, sizeof e.why, "%s", details);
	uint64_t n = m->log_count++;
	if (at > n || n - at >= UI_LOG_MAX - 1)
		at = n;
	for (uint64_t i = n; i > at; i--)
		m->log[i % UI_LOG_MAX] = m->log[(i - 1) % UI_LOG_MAX];
	m->log[at % UI_LOG_MAX] = e;
}

void ui_model_marker(struct ui_model *m, uint64_t conn, int role, double t, const char *text,
                     const char *details, uint64_t log_at)
{
	m->version++;
	marker_log(m, conn, role, t, text, details, conn ? log_at : m->log_count);
	struct ui_slot *s = conn ? slot_for(m, conn) : NULL;
	if (!s || s->nrec == 0 || role < 0 || role > 1)
		return;
	uint32_t num = (uint32_t)m->marks_count;
	snprintf(m->marks[m->marks_count++ % UI_MARKS_MAX], UI_MARK_LEN, "%s", text);
	/* the segment is the newest record: the marker takes its place and it moves down one */
	struct ui_rec *seg = rec_append(s), *last;
	uint32_t n = s->nrec - 1; /* the new record's number; the segment's is n - 1 */
	last = n - 1 < UI_REC_HEAD ? &s->rec[n - 1]
	                           : &s->rec[UI_REC_HEAD + (n - 1 - UI_REC_HEAD) % UI_REC_TAIL];
	*seg = *last;
	memset(last, 0, sizeof *last);
	last->t = t;
	last->kind = UI_REC_MARKER;
	last->sender = (uint8_t)role;
	last->rel_seq = num;
	for (int i = 0; i < 2; i++)
		last->state[i] = last->from[i] = seg->from[i];
}

const char *ui_model_mark_text(const struct ui_model *m, uint32_t i)
{
	uint32_t newest = (uint32_t)m->marks_count;
	if (!m->marks || (uint32_t)(newest - i) - 1 >= UI_MARKS_MAX)
		return "";
	return m->marks[i % UI_MARKS_MAX];
}
