/* ui_draw_table.c — the connection table: endpoints, both states by family colour, counters. */
#include "ui_draw.h"

#include <stdio.h>
#include <string.h>

#include "ui_layout.h"
#include "ui_paint.h"

static void format_age(double secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = 0;
	if (secs < 100)
		snprintf(buf, len, "%.1fs", secs);
	else if (secs < 6000)
		snprintf(buf, len, "%.0fm", secs / 60);
	else
		snprintf(buf, len, "%.0fh", secs / 3600);
}

static int digits(uint64_t v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int id_width_wanted(const struct ui_state *s, uint32_t first, uint32_t n)
{
	uint64_t most = 0;
	for (uint32_t i = first; i < first + n && i < s->table.nrows; i++)
		if (s->table.rows[i].id > most)
			most = s->table.rows[i].id;
	return digits(most);
}

static int ep_width_wanted(const struct ui_state *s, uint32_t first, uint32_t n)
{
	int want = 0;
	char buf[DECODE_ENDPOINT_STRLEN];
	for (uint32_t i = first; i < first + n && i < s->table.nrows; i++) {
		for (int r = 0; r < 2; r++) {
			decode_endpoint_format(&s->table.rows[i].addr[r], s->table.rows[i].port[r],
			                       buf, sizeof buf);
			int len = (int)strlen(buf);
			if (len > want)
				want = len;
		}
	}
	return want;
}

static void put_col(const struct ui_table_layout *L, enum ui_col c, int y, enum ui_role role,
                    const char *text, bool right)
{
	if (L->x[c] < 0)
		return;
	char buf[DECODE_ENDPOINT_STRLEN + 8];
	if (c == UI_COL_CLIENT || c == UI_COL_SERVER) {
		ui_clip_left(text, L->w[c], buf, (int)sizeof buf);
	} else if (right) {
		snprintf(buf, sizeof buf, "%*.*s", L->w[c], L->w[c], text);
	} else {
		snprintf(buf, sizeof buf, "%.*s", L->w[c], text);
	}
	ui_put(y, L->x[c], L->w[c], role, buf);
}

void ui_draw_table(const struct ui_state *s, int y, int h, int w)
{
	/* ui_view_update sized the table for this frame; never draw past the rectangle */
	uint32_t body = h > 1 ? (uint32_t)(h - 1) : 0;
	if (s->table.body < body)
		body = s->table.body;

	struct ui_table_layout L;
	ui_layout_table(w, id_width_wanted(s, s->table.first, body),
	                ep_width_wanted(s, s->table.first, body), &L);
	ui_fill(y, 0, w, UI_ROLE_HEADER);
	put_col(&L, UI_COL_ID, y, UI_ROLE_HEADER, "#", true);
	put_col(&L, UI_COL_CLIENT, y, UI_ROLE_HEADER, "client", false);
	put_col(&L, UI_COL_SERVER, y, UI_ROLE_HEADER, "server", false);
	put_col(&L, UI_COL_CSTATE, y, UI_ROLE_HEADER, L.short_states ? "client" : "client state",
	        false);
	put_col(&L, UI_COL_SSTATE, y, UI_ROLE_HEADER, L.short_states ? "server" : "server state",
	        false);
	put_col(&L, UI_COL_PKTS, y, UI_ROLE_HEADER, "pkts", true);
	put_col(&L, UI_COL_BYTES, y, UI_ROLE_HEADER, "bytes", true);
	put_col(&L, UI_COL_AGE, y, UI_ROLE_HEADER, "age", true);
	if (s->table.nrows == 0 && body) {
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM,
		       s->live ? "no TCP connection seen yet - waiting for packets"
		               : "no TCP connection seen yet");
		return;
	}
	for (uint32_t i = 0; i < body && s->table.first + i < s->table.nrows; i++) {
		uint32_t idx = s->table.first + i;
		const struct ui_row *r = &s->table.rows[idx];
		int row_y = y + 1 + (int)i;
		bool sel = idx == s->table.sel;
		enum ui_role base = sel ? UI_ROLE_SELECTED : UI_ROLE_NORMAL;
		if (sel)
			ui_fill(row_y, 0, w, UI_ROLE_SELECTED);
		char buf[DECODE_ENDPOINT_STRLEN];
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)r->id);
		put_col(&L, UI_COL_ID, row_y, base, buf, true);
		/* --theme=projector: the endpoints' colours here too, as in every other view */
		bool ep_col = !sel && ui_theme_projector();
		decode_endpoint_format(&r->addr[0], r->port[0], buf, sizeof buf);
		put_col(&L, UI_COL_CLIENT, row_y, ep_col ? UI_ROLE_CLIENT : base, buf, false);
		decode_endpoint_format(&r->addr[1], r->port[1], buf, sizeof buf);
		put_col(&L, UI_COL_SERVER, row_y, ep_col ? UI_ROLE_SERVER : base, buf, false);
		for (int e = 0; e < 2; e++) {
			enum track_state st = (enum track_state)r->state[e];
			/* the selection bar stays whole: a state colour there would break it
			 * (with NO_COLOR too), and the words still say the state */
			put_col(&L, e == 0 ? UI_COL_CSTATE : UI_COL_SSTATE, row_y,
			        sel ? base : ui_theme_state_role(st),
			        ui_state_text(s->show.names, st, L.short_states), false);
		}
		ui_format_count(r->packets, buf, (int)sizeof buf);
		put_col(&L, UI_COL_PKTS, row_y, base, buf, true);
		ui_format_count(r->bytes, buf, (int)sizeof buf);
		put_col(&L, UI_COL_BYTES, row_y, base, buf, true);
		format_age(s->pace.now - r->first_seen, buf, sizeof buf);
		put_col(&L, UI_COL_AGE, row_y, base, buf, true);
	}
}
