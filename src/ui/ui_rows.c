/* ui_rows.c — the table's rows: copied from the tracker, sorted, and the selection kept on the
 * same connection (by id) while rows come and go. */
#include "ui_rows.h"

#include <stdlib.h>
#include <string.h>

static bool collect(const struct track_conn *c, void *user)
{
	struct ui_state *s = user;
	if (s->table.nrows >= s->table.cap)
		return false;
	struct ui_row *r = &s->table.rows[s->table.nrows++];
	r->id = c->id;
	for (int i = 0; i < 2; i++) {
		r->addr[i] = c->ep[i].addr;
		r->port[i] = c->ep[i].port;
		r->state[i] = (uint8_t)c->ep[i].state;
		r->sent[i] = c->ep[i].packets;
	}
	for (int i = 0; i < 2; i++)
		r->gave_up[i] = c->ep[i].state == TRACK_CLOSED && c->ep[i].syn_sent &&
		                !c->ep[i].rst_sent && !c->midstream && c->ep[1 - i].packets == 0;
	r->closed = c->closed;
	r->packets = c->ep[0].packets + c->ep[1].packets;
	r->bytes = c->ep[0].bytes + c->ep[1].bytes;
	r->first_seen = c->first_seen;
	r->last_seen = c->last_seen;
	return true;
}

static int by_recent(const void *a, const void *b)
{
	const struct ui_row *x = a, *y = b;
	if (x->last_seen != y->last_seen)
		return x->last_seen < y->last_seen ? 1 : -1;
	return x->id < y->id ? 1 : -1;
}

static int by_packets(const void *a, const void *b)
{
	const struct ui_row *x = a, *y = b;
	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return x->id < y->id ? -1 : 1;
}

void ui_rows_refresh(struct ui_state *s)
{
	s->table.nrows = 0;
	track_foreach(s->tt, collect, s); /* already in id order */
	if (s->table.sort == UI_SORT_RECENT)
		qsort(s->table.rows, s->table.nrows, sizeof *s->table.rows, by_recent);
	else if (s->table.sort == UI_SORT_PACKETS)
		qsort(s->table.rows, s->table.nrows, sizeof *s->table.rows, by_packets);
	if (s->table.nrows == 0) {
		s->table.sel = 0;
		s->table.selected_id = 0;
		return;
	}
	if (s->table.follow || s->table.selected_id == 0) {
		/* the newest connection: the one a demo just started */
		uint32_t best = 0;
		for (uint32_t i = 1; i < s->table.nrows; i++) {
			if (s->table.rows[i].id > s->table.rows[best].id)
				best = i;
		}
		s->table.sel = best;
	} else {
		uint32_t i;
		for (i = 0; i < s->table.nrows; i++) {
			if (s->table.rows[i].id == s->table.selected_id)
				break;
		}
		if (i < s->table.nrows)
			s->table.sel = i;
		else if (s->table.sel >= s->table.nrows)
			s->table.sel = s->table.nrows - 1; /* it left: stay at the same place */
	}
	s->table.selected_id = s->table.rows[s->table.sel].id;
}

void ui_rows_move(struct ui_state *s, long delta)
{
	if (s->table.nrows == 0)
		return;
	long i = (long)s->table.sel + delta;
	if (i < 0)
		i = 0;
	if (i >= (long)s->table.nrows)
		i = (long)s->table.nrows - 1;
	s->table.sel = (uint32_t)i;
	s->table.selected_id = s->table.rows[i].id;
	s->table.follow = false;
}

void ui_rows_home(struct ui_state *s)
{
	s->table.follow = false;
	if (s->table.nrows) {
		s->table.sel = 0;
		s->table.selected_id = s->table.rows[0].id;
	}
}

void ui_rows_end(struct ui_state *s)
{
	s->table.follow = true;
	if (s->table.nrows) {
		s->table.sel = s->table.nrows - 1;
		s->table.selected_id = s->table.rows[s->table.sel].id;
	}
}

const struct ui_row *ui_selected_row(const struct ui_state *s)
{
	if (s->table.nrows == 0 || s->table.sel >= s->table.nrows)
		return NULL;
	return &s->table.rows[s->table.sel];
}
