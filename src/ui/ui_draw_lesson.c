/* ui_draw_lesson.c — the main view, with the lesson layout when it is on (`L`). */
#include "ui_draw_lesson.h"

#include <stdio.h>
#include <string.h>

#include "ui_diagram.h"
#include "ui_draw.h"
#include "ui_layout.h"
#include "ui_moves.h"
#include "ui_paint.h"

#define WHY_INDENT 4 /* continuation lines start here, under the first line's words */

/* One line per endpoint: the last edge it took up to the cursor, at which step, and the
 * tracker's reason for it. */
struct lesson_why {
	char text[2][UI_WHY_LEN + 128];
	int n; /* endpoints written: 2, or 0 when no connection is shown */
};

static void compose(const struct ui_state *s, struct lesson_why *out)
{
	memset(out, 0, sizeof *out);
	struct ui_move mv[2];
	uint64_t id;
	ui_moves_collect(s, mv, &id);
	const struct ui_slot *slot = ui_model_slot(&s->model, id);
	if (!slot)
		return;
	uint32_t count = ui_model_rec_count(slot);
	uint32_t pos = s->replay.on && s->replay.pos < count ? s->replay.pos : count;
	for (int e = 0; e < 2; e++) {
		const char *who = e == 0 ? "C client" : "S server";
		char *t = out->text[e];
		size_t len = sizeof out->text[e];
		if (!mv[e].has_edge) {
			snprintf(t, len, "%s: %s, no transition seen up to step %u/%u", who,
			         track_state_name(mv[e].state, s->show.names), pos, count);
			continue;
		}
		char when[40];
		if (mv[e].at == pos)
			snprintf(when, sizeof when, "at this step (%u/%u)", pos, count);
		else if (mv[e].at)
			snprintf(when, sizeof when, "at step %u/%u", mv[e].at, count);
		else
			snprintf(when, sizeof when, "before the steps kept");
		snprintf(t, len, "%s: %s -> %s %s. why: %s", who,
		         track_state_name(mv[e].from, s->show.names),
		         track_state_name(mv[e].to, s->show.names), when,
		         mv[e].why && mv[e].why[0] ? mv[e].why : "(no longer in the log)");
	}
	out->n = 2;
}

/* Lines endpoint e's text takes at width w. */
static int text_lines(const struct lesson_why *lw, int e, int w)
{
	struct ui_wrap_line dummy[1];
	return ui_wrap(lw->text[e], w - 1, w - WHY_INDENT, dummy, 0);
}

static int why_height(const struct lesson_why *lw, int w)
{
	int n = 0;
	for (int e = 0; e < lw->n; e++)
		n += text_lines(lw, e, w);
	return n;
}

/* The why, wrapped at width w from row y; returns the rows used (at most max). */
static int draw_why(const struct lesson_why *lw, int y, int w, int max)
{
	int used = 0;
	for (int e = 0; e < lw->n && used < max; e++) {
		int first = y + used;
		used += ui_put_wrapped(first, 1, w - 1, WHY_INDENT, max - used, UI_ROLE_NORMAL,
		                       lw->text[e]);
		/* the endpoint's name in its colour, as the ladder and the diagram write it */
		ui_put(first, 1, 8, e == 0 ? UI_ROLE_CLIENT : UI_ROLE_SERVER,
		       e == 0 ? "C client" : "S server");
	}
	return used;
}

/* Narrower than UI_LESSON_COLS: the ladder ends at the cursor's row; the why goes right
 * under it, every word of it (the ladder gives up rows for it). */
static void ladder_with_why(const struct ui_state *s, const struct lesson_why *lw, int y, int h,
                            int cols)
{
	int need = why_height(lw, cols);
	if (h - need < 4)
		need = h > 4 ? h - 4 : 0; /* a tiny screen: the ladder keeps its header + 3 rows */
	int used = ui_draw_ladder(s, y, h - need, cols);
	draw_why(lw, y + used, cols, need);
}

/* The figure's rows and its two captions. */
static int diagram_rows(void)
{
	int rows;
	(void)ui_diagram_art(&rows);
	return rows + 2;
}

/* UI_LESSON_COLS or more: ladder left, diagram right (a blank column between them), the why
 * beneath both. */
static void side_by_side(const struct ui_state *s, const struct lesson_why *lw, int y, int h,
                         int cols)
{
	int need = why_height(lw, cols);
	int dw = UI_DIAGRAM_COLS + 1; /* the figure and a blank column after it */
	int ladder_w = cols - dw - 1;
	int top = h - need;
	int used = ui_draw_ladder(s, y, top, ladder_w);
	ui_draw_diagram_at(s, y, ladder_w + 1, top, dw, false);
	int below = used > diagram_rows() ? used : diagram_rows();
	draw_why(lw, y + below, cols, h - below);
}

void ui_draw_main(const struct ui_state *s, const struct ui_screen_layout *L, int cols)
{
	ui_draw_table(s, L->table_y, L->table_h, cols);
	bool stepping = s->replay.on && s->replay.held;
	if (s->show.lesson_off) {
		ui_draw_ladder(s, L->ladder_y, L->ladder_h, cols);
		return;
	}
	struct lesson_why lw;
	compose(s, &lw);
	/* side by side only where the whole figure fits above the why: half a diagram would
	 * teach less than the ladder alone */
	if (cols >= UI_LESSON_COLS && L->ladder_h - why_height(&lw, cols) >= diagram_rows())
		side_by_side(s, &lw, L->ladder_y, L->ladder_h, cols);
	else if (stepping)
		ladder_with_why(s, &lw, L->ladder_y, L->ladder_h, cols);
	else
		ui_draw_ladder(s, L->ladder_y, L->ladder_h, cols);
}
