/* ui_view.c — rows, layout and scroll positions settled before a frame is drawn. */
#include "ui_view.h"

#include <stdio.h>

#include "ui_layout.h"
#include "ui_rows.h"

static void scroll_table(struct ui_table *t, uint32_t body)
{
	t->body = body;
	/* keep the selection visible */
	if (t->sel < t->first)
		t->first = t->sel;
	if (body && t->sel >= t->first + body)
		t->first = t->sel - body + 1;
	if (t->first > 0 && t->first + body > t->nrows)
		t->first = t->nrows > body ? t->nrows - body : 0;
}

bool ui_view_log_wanted(const struct ui_state *s, const struct ui_log_entry *e)
{
	return !s->log.only_selected || e->conn == s->table.selected_id;
}

void ui_view_time(const struct ui_state *s, double t, int width, char *buf, int len)
{
	double rel = t - (s->pace.t0_set ? s->pace.t0 : t);
	for (int decimals = 6; decimals >= 0; decimals -= 3) {
		int n = snprintf(buf, (size_t)len, "%*.*f", width, decimals, rel);
		if (n <= width)
			return;
	}
}

/* Keep a scrolled-back log on the same entries while new ones arrive, and never past the
 * oldest wanted entry kept. */
static void anchor_log(struct ui_state *s)
{
	uint64_t count = s->model.log_count, kept = ui_model_log_kept(&s->model);
	uint64_t grown = count - s->log.seen;
	s->log.seen = count;
	if (s->log.back == 0)
		return; /* at the newest: follow it */
	uint64_t wanted = 0;
	for (uint64_t i = 0; i < kept; i++) {
		const struct ui_log_entry *e = ui_model_log(&s->model, i);
		if (!ui_view_log_wanted(s, e))
			continue;
		if (i < grown)
			s->log.back++;
		wanted++;
	}
	if (s->log.back >= wanted)
		s->log.back = wanted ? wanted - 1 : 0;
}

void ui_view_update(struct ui_state *s, int cols, int rows)
{
	ui_rows_refresh(s);
	ui_layout_screen(cols, rows, (int)s->table.nrows, &s->show.layout);
	const struct ui_screen_layout *L = &s->show.layout;
	scroll_table(&s->table, !L->too_small && L->table_h > 1 ? (uint32_t)(L->table_h - 1) : 0);
	anchor_log(s);
}
