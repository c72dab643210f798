/* ui_view.c — rows, layout and scroll positions settled before a frame is drawn. */
#include "ui_view.h"

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

void ui_view_update(struct ui_state *s, int cols, int rows)
{
	ui_rows_refresh(s);
	ui_layout_screen(cols, rows, (int)s->table.nrows, &s->show.layout);
	const struct ui_screen_layout *L = &s->show.layout;
	scroll_table(&s->table, !L->too_small && L->table_h > 1 ? (uint32_t)(L->table_h - 1) : 0);
}
