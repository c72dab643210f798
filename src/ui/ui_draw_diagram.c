/* ui_draw_diagram.c — the state diagram view: both endpoints' current states highlighted and
 * the edge each took last marked, with the reason written underneath. */
#include "ui_draw.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "socklab/decode.h"
#include "ui_diagram.h"
#include "ui_layout.h"
#include "ui_paint.h"
#include "ui_rows.h"

/* What the view shows for one endpoint: its state and the last edge it took. */
struct endpoint_view {
	enum track_state state;
	bool has_edge, by_rst; /* by_rst: the segment of that move carried RST */
	enum track_state from, to;
	const char *why;
	const char *text;
};

/* Of the first n kept records, the last one that moved endpoint e, or NULL. */
static const struct ui_rec *last_move(const struct ui_slot *slot, uint32_t n, int e)
{
	for (uint32_t i = n; i-- > 0;) {
		const struct ui_rec *r = ui_model_rec(slot, i);
		if (r && (r->changed & (1u << e)))
			return r;
	}
	return NULL;
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

static void collect(const struct ui_state *s, struct endpoint_view ev[2], uint64_t *id_out)
{
	memset(ev, 0, 2 * sizeof *ev);
	const struct ui_row *row = ui_selected_row(s);
	uint64_t id = s->replay.on ? s->replay.id : (row ? row->id : 0);
	*id_out = id;
	const struct ui_slot *slot = ui_model_slot(&s->model, id);
	for (int e = 0; e < 2; e++) {
		ev[e].state = row ? (enum track_state)row->state[e] : TRACK_UNKNOWN;
		ev[e].text = slot ? slot->ep_text[e] : "";
		ev[e].why = "";
	}
	if (!slot)
		return;
	if (s->replay.on) {
		/* as the connection was after the last replayed record */
		uint32_t n = s->replay.pos;
		const struct ui_rec *last = n ? ui_model_rec(slot, n - 1) : NULL;
		const struct ui_rec *first = ui_model_rec(slot, 0);
		for (int e = 0; e < 2; e++) {
			if (last)
				ev[e].state = (enum track_state)last->state[e];
			else if (first)
				ev[e].state = (enum track_state)first->from[e];
			const struct ui_rec *r = last_move(slot, n, e);
			if (!r)
				continue;
			const struct ui_log_entry *l = move_entry(&s->model, id, r, e);
			ev[e].has_edge = true;
			ev[e].from = (enum track_state)(l ? l->from : r->from[e]);
			ev[e].to = (enum track_state)r->state[e];
			ev[e].by_rst = (r->flags & DECODE_TCP_RST) != 0;
			ev[e].why = l ? l->why : "";
		}
		return;
	}
	for (int e = 0; e < 2; e++) {
		ev[e].state = (enum track_state)slot->state[e];
		ev[e].has_edge = slot->edge_valid[e];
		ev[e].from = (enum track_state)slot->edge_from[e];
		ev[e].to = (enum track_state)slot->edge_to[e];
		ev[e].why = slot->edge_why[e];
		const struct ui_rec *r = last_move(slot, ui_model_rec_count(slot), e);
		ev[e].by_rst = r && (r->flags & DECODE_TCP_RST) != 0;
	}
}

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
static void draw_places(const struct ui_state *s, int y, int x, const struct endpoint_view ev[2])
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

static const char *why_of(const struct endpoint_view *v) { return v->why ? v->why : ""; }

/* Lines the why needs at width w ("why: " and the reason, wrapped). */
static int why_lines(const struct endpoint_view *v, int w)
{
	char buf[UI_WHY_LEN + 8];
	if (!why_of(v)[0])
		return 0;
	snprintf(buf, sizeof buf, "why: %s", why_of(v));
	struct ui_wrap_line l[1];
	return ui_wrap(buf, w - WHY_X, w - WHY_X - 5, l, 1);
}

/* One endpoint's caption line, then up to max_why lines of its reason. Returns lines used. */
static int caption(const struct ui_state *s, int y, int w, int e, const struct endpoint_view *v,
                   int max_why)
{
	enum ui_role role = e == 0 ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
	int x = ui_putf(y, 0, w, role, "%c %s %s: ", e == 0 ? 'C' : 'S',
	                e == 0 ? "client" : "server", v->text);
	x += ui_put(y, x, w - x, ui_theme_state_role(v->state),
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
		ui_put(y, x, w - x, UI_ROLE_NORMAL, edge);
	}
	if (max_why <= 0 || !why_of(v)[0])
		return 1;
	char buf[UI_WHY_LEN + 8];
	snprintf(buf, sizeof buf, "why: %s", why_of(v));
	return 1 + ui_put_wrapped(y + 1, WHY_X, w - WHY_X, WHY_X + 5, max_why, UI_ROLE_NORMAL, buf);
}

/* Share the rows under the figure: both captions first, then one line of each why, then
 * whatever is left to the client's and the server's wrapped lines. */
static void captions(const struct ui_state *s, int y, int left, int w,
                     const struct endpoint_view ev[2])
{
	int need[2] = {why_lines(&ev[0], w), why_lines(&ev[1], w)};
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
		int used = caption(s, y, w, e, &ev[e], give[e]);
		y += used;
		left -= used;
	}
}

void ui_draw_diagram(const struct ui_state *s, int y, int h, int w)
{
	struct endpoint_view ev[2];
	uint64_t id;
	collect(s, ev, &id);
	if (id == 0) {
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM, "no connection selected");
		return;
	}
	int rows;
	const char *const *art = ui_diagram_art(&rows);
	if (w < UI_DIAGRAM_COLS || h < rows + 2) {
		/* too small for the figure: say the same in words */
		ui_putf(y, 0, w, UI_ROLE_HEADER, "#%llu states (enlarge for the diagram)",
		        (unsigned long long)id);
		captions(s, y + 1, h - 1, w, ev);
		return;
	}
	int x0 = (w - UI_DIAGRAM_COLS) / 2;
	/* normal intensity: a dim figure is unreadable on a projector */
	for (int r = 0; r < rows; r++)
		ui_put(y + r, x0, w - x0, UI_ROLE_NORMAL, art[r]);
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
	captions(s, y + rows, h - rows, w, ev);
}
