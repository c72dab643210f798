/* ui_rows.c — the table's rows: copied from the tracker, sorted, and the selection kept on the
 * same connection (by id) while rows come and go. */
#include "ui_draw.h"

#include <stdlib.h>
#include <string.h>

static bool collect(const struct track_conn *c, void *user)
{
	struct ui_state *s = user;
	if (s->nrows >= s->rows_cap)
		return false;
	struct ui_row *r = &s->rows[s->nrows++];
	r->id = c->id;
	for (int i = 0; i < 2; i++) {
		r->addr[i] = c->ep[i].addr;
		r->port[i] = c->ep[i].port;
		r->state[i] = (uint8_t)c->ep[i].state;
	}
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
	s->nrows = 0;
	track_foreach(s->tt, collect, s); /* already in id order */
	if (s->sort == UI_SORT_RECENT)
		qsort(s->rows, s->nrows, sizeof *s->rows, by_recent);
	else if (s->sort == UI_SORT_PACKETS)
		qsort(s->rows, s->nrows, sizeof *s->rows, by_packets);
	if (s->nrows == 0) {
		s->sel_index = 0;
		s->selected_id = 0;
		return;
	}
	if (s->follow || s->selected_id == 0) {
		/* the newest connection: the one a demo just started */
		uint32_t best = 0;
		for (uint32_t i = 1; i < s->nrows; i++) {
			if (s->rows[i].id > s->rows[best].id)
				best = i;
		}
		s->sel_index = best;
	} else {
		uint32_t i;
		for (i = 0; i < s->nrows; i++) {
			if (s->rows[i].id == s->selected_id)
				break;
		}
		if (i < s->nrows)
			s->sel_index = i;
		else if (s->sel_index >= s->nrows)
			s->sel_index = s->nrows - 1; /* it left: stay at the same place */
	}
	s->selected_id = s->rows[s->sel_index].id;
}

void ui_rows_move(struct ui_state *s, long delta)
{
	if (s->nrows == 0)
		return;
	long i = (long)s->sel_index + delta;
	if (i < 0)
		i = 0;
	if (i >= (long)s->nrows)
		i = (long)s->nrows - 1;
	s->sel_index = (uint32_t)i;
	s->selected_id = s->rows[i].id;
	s->follow = false;
}

void ui_rows_home(struct ui_state *s)
{
	s->follow = false;
	if (s->nrows) {
		s->sel_index = 0;
		s->selected_id = s->rows[0].id;
	}
}

void ui_rows_end(struct ui_state *s)
{
	s->follow = true;
	if (s->nrows) {
		s->sel_index = s->nrows - 1;
		s->selected_id = s->rows[s->sel_index].id;
	}
}

const struct ui_row *ui_selected_row(const struct ui_state *s)
{
	if (s->nrows == 0 || s->sel_index >= s->nrows)
		return NULL;
	return &s->rows[s->sel_index];
}
