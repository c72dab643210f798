/* ui_draw_diagram.c — the state diagram view: both endpoints' current states highlighted and
 * the edge each took last marked, with the reason written underneath. */
#include "ui_draw.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui_diagram.h"
#include "ui_layout.h"
#include "ui_moves.h"
#include "ui_paint.h"

static void draw_edge(int y0, int x0, const struct ui_diagram_edge *edge, const char *const *art)
{
	attr_t a = (attr_t)ui_theme_attr(UI_ROLE_EDGE);
	attron(a);
	for (int i = 0; i < edge->nspans; i++) {
		const struct ui_diagram_span *sp = &edge->spans[i];
		for (int r = sp->r0; r <= sp->r1; r++)
			mvaddnstr(y0 + r, x0 + sp->c0, art[r] + sp->c0, sp->c1 - sp->c0 + 1);
	}
	attroff(a);
}

/* A box's label in the chosen spelling ("[SYN_RECV]" with --names=linux), brackets kept. */
static void draw_box(const struct ui_state *s, int y, int x, const struct ui_diagram_box *b,
                     attr_t a)
{
	char label[UI_DIAGRAM_BOX_W + 1];
	const char *name = track_state_name(b->state, s->show.names);
	int inner = UI_DIAGRAM_BOX_W - 2, len = (int)strlen(name);
	if (len > inner)
		len = inner;
	int pad = (inner - len) / 2;
	snprintf(label, sizeof label, "[%*s%.*s%*s]", pad, "", len, name, inner - len - pad, "");
	attron(a);
	mvaddstr(y + b->row, x + b->col, label);
	attroff(a);
}

/* Both endpoints' places: the box in reverse video (the endpoint's colour, or plain when
 * both are there) and a mark in the cell beside it, the client's left, the server's right,
 * so each mark names one endpoint and no bracket is covered. */
static void draw_places(const struct ui_state *s, int y, int x, const struct ui_move ev[2])
{
	const struct ui_diagram_box *at[2];
	for (int e = 0; e < 2; e++)
		at[e] = ui_diagram_place(ev[e].state, ev[e].has_edge ? ev[e].from : TRACK_UNKNOWN);
	for (int e = 0; e < 2; e++) {
		if (!at[e])
			continue;
		enum ui_role role = e == 0 ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
		attr_t a = at[0] == at[1] ? A_BOLD | A_REVERSE
		                          : (attr_t)ui_theme_attr(role) | A_BOLD | A_REVERSE;
		draw_box(s, y, x, at[e], a);
	}
	for (int e = 0; e < 2; e++) {
		if (!at[e])
			continue;
		enum ui_role role = e == 0 ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
		attr_t a = (attr_t)ui_theme_attr(role) | A_BOLD | A_REVERSE;
		int mx = e == 0 ? at[e]->col - 1 : at[e]->col + UI_DIAGRAM_BOX_W;
		attron(a);
		mvaddch(y + at[e]->row, x + mx, e == 0 ? 'C' : 'S');
		attroff(a);
	}
}

#define WHY_X 4

static const char *why_of(const struct ui_move *v) { return v->why ? v->why : ""; }

/* Lines the why needs at width w ("why: " and the reason, wrapped). */
static int why_lines(const struct ui_move *v, int w)
{
	char buf[UI_WHY_LEN + 8];
	if (!why_of(v)[0])
		return 0;
	snprintf(buf, sizeof buf, "why: %s", why_of(v));
	struct ui_wrap_line l[1];
	return ui_wrap(buf, w - WHY_X, w - WHY_X - 5, l, 1);
}

/* One endpoint's caption line, then up to max_why lines of its reason. Returns lines used. */
static int caption(const struct ui_state *s, int y, int ox, int w, int e, const struct ui_move *v,
                   int max_why)
{
	enum ui_role role = e == 0 ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
	int x = ui_putf(y, ox, w, role, "%c %s %s: ", e == 0 ? 'C' : 'S',
	                e == 0 ? "client" : "server", v->text);
	x += ui_put(y, ox + x, w - x, ui_theme_state_role(v->state),
	            track_state_name(v->state, s->show.names));
	if (v->has_edge) {
		const char *label = ui_diagram_edge_label(v->from, v->to);
		const struct ui_diagram_edge *d = ui_diagram_find_edge(v->from, v->to, true);
		if (d && d->rst && !v->by_rst)
			label = NULL; /* e.g. SYN_SENT -> CLOSED with no RST: not "refused" */
		char edge[160];
		int n = snprintf(edge, sizeof edge, "   last edge %s -> %s",
		                 track_state_name(v->from, s->show.names),
		                 track_state_name(v->to, s->show.names));
		/* the edge's label only when all of it fits: half a label reads as a different one */
		if (label && n > 0 && x + n + (int)strlen(label) + 3 <= w)
			snprintf(edge + n, sizeof edge - (size_t)n, " (%s)", label);
		ui_put(y, ox + x, w - x, UI_ROLE_NORMAL, edge);
	}
	if (max_why <= 0 || !why_of(v)[0])
		return 1;
	char buf[UI_WHY_LEN + 8];
	snprintf(buf, sizeof buf, "why: %s", why_of(v));
	return 1 + ui_put_wrapped(y + 1, ox + WHY_X, w - WHY_X, ox + WHY_X + 5, max_why,
	                          UI_ROLE_NORMAL, buf);
}

/* Share the rows under the figure: both captions first, then one line of each why, then
 * whatever is left to the client's and the server's wrapped lines (none without why: the
 * lesson layout writes the reasons beneath, across the screen). */
static void captions(const struct ui_state *s, int y, int ox, int left, int w, bool why,
                     const struct ui_move ev[2])
{
	int need[2] = {why ? why_lines(&ev[0], w) : 0, why ? why_lines(&ev[1], w) : 0};
	int give[2] = {0, 0};
	int spare = left - 2;
	for (int pass = 0; pass < 2 && spare > 0; pass++) {
		for (int e = 0; e < 2 && spare > 0; e++) {
			int want = pass == 0 ? (need[e] > 0) : need[e] - give[e];
			if (want > spare)
				want = spare;
			give[e] += want;
			spare -= want;
		}
	}
	for (int e = 0; e < 2 && left > 0; e++) {
		int used = caption(s, y, ox, w, e, &ev[e], give[e]);
		y += used;
		left -= used;
	}
}

void ui_draw_diagram(const struct ui_state *s, int y, int h, int w)
{
	ui_draw_diagram_at(s, y, 0, h, w, true);
}

void ui_draw_diagram_at(const struct ui_state *s, int y, int ox, int h, int w, bool why)
{
	struct ui_move ev[2];
	uint64_t id;
	ui_moves_collect(s, ev, &id);
	if (id == 0) {
		ui_put(y + 1, ox + 1, w - 1, UI_ROLE_DIM, "no connection selected");
		return;
	}
	int rows;
	const char *const *art = ui_diagram_art(&rows);
	if (w < UI_DIAGRAM_COLS || h < rows + 2) {
		/* too small for the figure: say the same in words */
		ui_putf(y, ox, w, UI_ROLE_HEADER, "#%llu states (enlarge for the diagram)",
		        (unsigned long long)id);
		captions(s, y + 1, ox, h - 1, w, why, ev);
		return;
	}
	int x0 = ox + (w - UI_DIAGRAM_COLS) / 2;
	/* normal intensity: a dim figure is unreadable on a projector */
	for (int r = 0; r < rows; r++)
		ui_put(y + r, x0, ox + w - x0, UI_ROLE_NORMAL, art[r]);
	int nb;
	const struct ui_diagram_box *boxes = ui_diagram_boxes(&nb);
	for (int i = 0; i < nb; i++)
		draw_box(s, y, x0, &boxes[i], A_NORMAL);
	for (int e = 0; e < 2; e++) {
		if (!ev[e].has_edge)
			continue;
		const struct ui_diagram_edge *edge =
		    ui_diagram_find_edge(ev[e].from, ev[e].to, ev[e].by_rst);
		if (edge)
			draw_edge(y, x0, edge, art);
	}
	draw_places(s, y, x0, ev);
	captions(s, y + rows, ox, h - rows, w, why, ev);
}
