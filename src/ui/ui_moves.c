/* ui_moves.c — each endpoint's state and last edge at the cursor, with the tracker's reason. */
#include "ui_moves.h"

#include <string.h>

#include "socklab/decode.h"
#include "ui_rows.h"

/* Of the first n kept records, the index of the last one that moved endpoint e, or -1. */
static long last_move(const struct ui_slot *slot, uint32_t n, int e)
{
	for (uint32_t i = n; i-- > 0;) {
		const struct ui_rec *r = ui_model_rec(slot, i);
		if (r && (r->changed & (1u << e)))
			return (long)i;
	}
	return -1;
}

/* The log's entry for the move record r made of endpoint e of connection id: the same time,
 * the same state reached (the last of them when one segment moved it twice), so the
 * reason shown is that segment's. NULL when it has left the log. */
static const struct ui_log_entry *move_entry(const struct ui_model *m, uint64_t id,
                                             const struct ui_rec *r, int e)
{
	uint64_t kept = ui_model_log_kept(m);
	for (uint64_t i = 0; i < kept; i++) {
		const struct ui_log_entry *l = ui_model_log(m, i);
		if (l->t < r->t)
			break; /* newest first: older entries cannot match */
		if (l->conn == id && l->kind == UI_LOG_STATE && l->role == e && l->t == r->t &&
		    l->to == r->state[e])
			return l;
	}
	return NULL;
}

void ui_moves_collect(const struct ui_state *s, struct ui_move mv[2], uint64_t *id_out)
{
	memset(mv, 0, 2 * sizeof *mv);
	const struct ui_row *row = ui_selected_row(s);
	uint64_t id = s->replay.on ? s->replay.id : (row ? row->id : 0);
	*id_out = id;
	const struct ui_slot *slot = ui_model_slot(&s->model, id);
	for (int e = 0; e < 2; e++) {
		mv[e].state = row ? (enum track_state)row->state[e] : TRACK_UNKNOWN;
		mv[e].text = slot ? slot->ep_text[e] : "";
		mv[e].why = "";
	}
	if (!slot)
		return;
	/* as the connection was after the last record shown (the whole history when live) */
	uint32_t n = s->replay.on ? s->replay.pos : ui_model_rec_count(slot);
	for (int e = 0; e < 2; e++) {
		long i = last_move(slot, n, e);
		const struct ui_rec *r = i >= 0 ? ui_model_rec(slot, (uint32_t)i) : NULL;
		mv[e].by_rst = r && (r->flags & DECODE_TCP_RST) != 0;
		mv[e].at = r ? (uint32_t)i + 1 : 0;
		if (!s->replay.on) {
			/* the slot's own record of the last edge: its reason outlives the log's */
			mv[e].state = (enum track_state)slot->state[e];
			mv[e].has_edge = slot->edge_valid[e];
			mv[e].from = (enum track_state)slot->edge_from[e];
			mv[e].to = (enum track_state)slot->edge_to[e];
			mv[e].why = slot->edge_why[e];
			continue;
		}
		const struct ui_rec *last = n ? ui_model_rec(slot, n - 1) : NULL;
		const struct ui_rec *first = ui_model_rec(slot, 0);
		if (last)
			mv[e].state = (enum track_state)last->state[e];
		else if (first)
			mv[e].state = (enum track_state)first->from[e];
		if (!r)
			continue;
		const struct ui_log_entry *l = move_entry(&s->model, id, r, e);
		mv[e].has_edge = true;
		mv[e].from = (enum track_state)(l ? l->from : r->from[e]);
		mv[e].to = (enum track_state)r->state[e];
		mv[e].why = l ? l->why : "";
	}
}
