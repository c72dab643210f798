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
	if (!m->slots || !m->log) {
		ui_model_free(m);
		return false;
	}
	return true;
}

void ui_model_free(struct ui_model *m)
{
	free(m->slots);
	free(m->log);
	m->slots = NULL;
	m->log = NULL;
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

static void slot_open(struct ui_model *m, const struct track_conn *c)
{
	struct ui_slot *s = &m->slots[c->id % UI_SLOTS];
	if (s->id > c->id)
		return; /* a newer connection holds the slot */
	memset(s, 0, sizeof *s);
	s->id = c->id;
	for (int r = 0; r < 2; r++) {
		decode_endpoint_format(&c->ep[r].addr, c->ep[r].port, s->ep_text[r],
		                       sizeof s->ep_text[r]);
		s->state[r] = (uint8_t)c->ep[r].state;
	}
	if (c->id > m->newest_id)
		m->newest_id = c->id;
}

static void add_pending(struct ui_model *m, uint64_t id)
{
	for (int i = 0; i < m->npending; i++) {
		if (m->pending[i] == id)
			return;
	}
	if (m->npending < UI_PENDING_MAX)
		m->pending[m->npending++] = id;
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

static void on_state(struct ui_model *m, const struct track_event *ev)
{
	log_add(m, ev, UI_LOG_STATE);
	struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
	if (!s || ev->endpoint > TRACK_SERVER)
		return;
	int r = (int)ev->endpoint;
	uint8_t before[2] = {s->state[0], s->state[1]};
	before[r] = (uint8_t)ev->from;
	s->state[r] = (uint8_t)ev->to;
	s->edge_valid[r] = true;
	s->edge_from[r] = (uint8_t)ev->from;
	s->edge_to[r] = (uint8_t)ev->to;
	snprintf(s->edge_why[r], sizeof s->edge_why[r], "%s", ev->why ? ev->why : "");
	s->last_mover = (uint8_t)r;
	if (m->in_segment) {
		if (!(s->pend_changed & (1u << r)))
			s->pend_from[r] = (uint8_t)ev->from;
		s->pend_changed |= (uint8_t)(1u << r);
		add_pending(m, s->id);
	} else {
		state_only_record(s, ev->t, (uint8_t)(1u << r), before);
	}
}

static void on_packet(struct ui_model *m, const struct track_event *ev)
{
	struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
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
	r->win = ev->pkt->window;
	r->changed = s->pend_changed;
	r->anomaly = s->pend_anomaly;
	for (int i = 0; i < 2; i++) {
		r->state[i] = s->state[i];
		r->from[i] = (s->pend_changed & (1u << i)) ? s->pend_from[i] : s->state[i];
	}
	s->pend_changed = 0;
	s->pend_anomaly = 0;
}

void ui_model_on_event(const struct track_event *ev, void *user)
{
	struct ui_model *m = user;
	m->version++;
	switch (ev->kind) {
	case TRACK_EVENT_OPEN:
		if (ev->conn)
			slot_open(m, ev->conn);
		break;
	case TRACK_EVENT_STATE:
		on_state(m, ev);
		break;
	case TRACK_EVENT_PACKET:
		on_packet(m, ev);
		break;
	case TRACK_EVENT_ANOMALY: {
		log_add(m, ev, UI_LOG_ANOMALY);
		struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
		if (s && m->in_segment && !s->pend_anomaly) {
			s->pend_anomaly = (uint8_t)ev->anomaly;
			add_pending(m, s->id);
		}
		break;
	}
	case TRACK_EVENT_START: {
		/* a start state learned (no transition): no edge, no log line */
		struct ui_slot *s = ev->conn ? slot_for(m, ev->conn->id) : NULL;
		if (s && ev->endpoint <= TRACK_SERVER)
			s->state[ev->endpoint] = (uint8_t)ev->to;
		break;
	}
	case TRACK_EVENT_EVICT:
		break; /* the ladder stays readable until the slot is reused */
	}
}

void ui_model_segment_begin(struct ui_model *m, double t)
{
	if (!m->t0_set) {
		m->t0 = t;
		m->t0_set = true;
	}
	m->seg_t = t;
	m->in_segment = true;
	m->npending = 0;
}

void ui_model_segment_end(struct ui_model *m)
{
	/* Changes not claimed by a PACKET event (e.g. an old connection closed by port reuse)
	 * still belong on their ladder. */
	for (int i = 0; i < m->npending; i++) {
		struct ui_slot *s = slot_for(m, m->pending[i]);
		if (s && s->pend_changed) {
			uint8_t from[2];
			for (int r = 0; r < 2; r++)
				from[r] =
				    (s->pend_changed & (1u << r)) ? s->pend_from[r] : s->state[r];
			state_only_record(s, m->seg_t, s->pend_changed, from);
		}
		if (s) {
			s->pend_changed = 0;
			s->pend_anomaly = 0;
		}
	}
	m->npending = 0;
	m->in_segment = false;
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
