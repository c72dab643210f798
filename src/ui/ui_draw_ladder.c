/* ui_draw_ladder.c — the ladder diagram of one connection: client column on the left, server
 * on the right (keyed by address:port, so loopback is right), one arrow per segment, and each
 * side's new state written beside the arrow that changed it. */
#include "ui_draw.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui_layout.h"
#include "ui_paint.h"
#include "ui_view.h"
#include "ui_rows.h"

static void segment_label(const struct ui_rec *r, char *buf, size_t len)
{
	char flags[48];
	decode_flags_format(r->flags, flags, sizeof flags);
	int n = snprintf(buf, len, "%s seq=%u", flags, r->rel_seq);
	if ((r->flags & DECODE_TCP_ACK) && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " ack=%u", r->rel_ack);
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " len=%u", r->len);
	/* bytes, scaled (RFC 7323); "(raw)" when the handshake was not seen */
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " win=%u%s", r->win,
		              r->win_shift < 0 ? "(raw)" : "");
	if (r->anomaly != TRACK_ANOMALY_NONE && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)",
		         track_anomaly_name((enum track_anomaly)r->anomaly));
}

struct ladder_ctx {
	const struct ui_state *s;
	struct ui_ladder_layout L;
};

static void draw_states(const struct ladder_ctx *c, int y, const struct ui_rec *r)
{
	for (int e = 0; e < 2; e++) {
		if (!(r->changed & (1u << e)))
			continue;
		enum track_state st = (enum track_state)r->state[e];
		const char *name = ui_state_text(c->s->show.names, st, c->L.short_states);
		int x = e == 0 ? c->L.lstate_x : c->L.rstate_x + 1;
		int w = (e == 0 ? c->L.lstate_w : c->L.rstate_w) - 1;
		if (e == 0 && (int)strlen(name) < w)
			x += w - (int)strlen(name); /* hug the client's line */
		ui_put(y, x, w, ui_theme_state_role(st), name);
	}
}

static void draw_arrow(const struct ladder_ctx *c, int y, const struct ui_rec *r)
{
	int x0 = c->L.lbar_x + 1, x1 = c->L.rbar_x - 1; /* inclusive */
	int aw = x1 - x0 + 1;
	if (aw < 4)
		return;
	bool to_right = r->sender == TRACK_CLIENT;
	enum ui_role role = to_right ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
	attr_t a = (attr_t)ui_theme_attr(role);
	attron(a);
	mvhline(y, x0, '-', aw);
	mvaddch(y, to_right ? x1 : x0, to_right ? '>' : '<');
	attroff(a);
	char label[128], clipped[132];
	segment_label(r, label, sizeof label);
	int room = aw - 6; /* a dash each side, a space each side of the text, the head */
	snprintf(clipped, sizeof clipped, " %.*s ", room > 0 ? room : 0, label);
	int cl = (int)strlen(clipped);
	/* the label starts at the tail of the arrow, away from the head */
	ui_put(y, to_right ? x0 + 1 : x1 - cl, cl, role, clipped);
}

/* Did an endpoint pass through states on this record that its column does not show? */
static bool chained(const struct ui_rec *r)
{
	return r && r->kind == UI_REC_SEGMENT && (r->nvia[0] || r->nvia[1]);
}

/* "FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT": from the state before the record to the one after;
 * without the first (the row above shows it), "-> FIN_WAIT_2 -> TIME_WAIT". */
static int chain_text(const struct ladder_ctx *c, const struct ui_rec *r, int e, bool shortn,
                      bool with_from, char *buf, size_t len)
{
	const char *sep = shortn ? ">" : " -> ";
	enum track_names names = c->s->show.names;
	uint8_t seq[UI_REC_VIA + 2];
	int k = 0;
	seq[k++] = r->from[e];
	for (int i = 0; i < r->nvia[e] && i < UI_REC_VIA; i++)
		seq[k++] = r->via[e][i];
	seq[k++] = r->state[e];
	size_t n = 0;
	buf[0] = '\0';
	if (!with_from && shortn)
		sep = ">";
	for (int i = 0; i < k && n + 1 < len; i++) {
		if (i == 0 && !with_from)
			continue;
		int m = snprintf(buf + n, len - n, "%s%s", i || !with_from ? sep : "",
		                 ui_state_text(names, (enum track_state)seq[i], shortn));
		if (m < 0)
			break;
		n += (size_t)m < len - n ? (size_t)m : len - n - 1;
	}
	return (int)n;
}

/* The line beneath a record whose segment changed an endpoint more than once: each such
 * endpoint's chain, next to its own line: full names from the state before, or without that
 * state, or short names, whichever fits first. */
static void draw_chain(const struct ladder_ctx *c, int y, const struct ui_rec *r)
{
	ui_put(y, c->L.lbar_x, 1, UI_ROLE_CLIENT, "|");
	ui_put(y, c->L.rbar_x, 1, UI_ROLE_SERVER, "|");
	int room = c->L.rbar_x - c->L.lbar_x - 5; /* two blanks at each bar, one between */
	if (room < 4)
		return;
	char t[2][160];
	int n[2] = {0, 0};
	for (int pass = 0; pass < 4; pass++) {
		for (int e = 0; e < 2; e++)
			n[e] = r->nvia[e] ? chain_text(c, r, e, pass >= 2, pass % 2 == 0, t[e],
			                               sizeof t[e])
			                  : 0;
		if (n[0] + n[1] <= room)
			break;
	}
	if (n[0] + n[1] > room) { /* still too long: each side keeps its share */
		int half = room / 2;
		if (n[0] > half && n[1] > half)
			n[0] = n[1] = half;
		else if (n[0] > half)
			n[0] = room - n[1];
		else
			n[1] = room - n[0];
	}
	if (n[0])
		ui_put(y, c->L.lbar_x + 2, n[0], UI_ROLE_CLIENT, t[0]);
	if (n[1])
		ui_put(y, c->L.rbar_x - 1 - n[1], n[1], UI_ROLE_SERVER, t[1]);
}

static void draw_record(const struct ladder_ctx *c, int y, const struct ui_rec *r)
{
	if (c->L.time_w) {
		/* the log's base: the first frame, so a time reads the same in both views */
		char t[16];
		ui_view_time(c->s, r->t, c->L.time_w - 1, t, (int)sizeof t);
		ui_put(y, c->L.time_x, c->L.time_w - 1, UI_ROLE_DIM, t);
	}
	ui_put(y, c->L.lbar_x, 1, UI_ROLE_CLIENT, "|");
	ui_put(y, c->L.rbar_x, 1, UI_ROLE_SERVER, "|");
	if (r->kind == UI_REC_SEGMENT) {
		draw_arrow(c, y, r);
	} else if (r->kind == UI_REC_MARKER) {
		/* a lab's syscall, beside the bar of the side that called it, over its segment */
		const char *text = ui_model_mark_text(&c->s->model, r->rel_seq);
		int aw = c->L.rbar_x - c->L.lbar_x - 3, len = (int)strlen(text);
		len = len < aw ? len : aw;
		bool client = r->sender == TRACK_CLIENT;
		if (len > 0)
			ui_put(y, client ? c->L.lbar_x + 2 : c->L.rbar_x - 1 - len, len,
			       client ? UI_ROLE_CLIENT : UI_ROLE_SERVER, text);
	} else {
		const char *note = "(no segment: timer or end of input)";
		int aw = c->L.rbar_x - c->L.lbar_x - 1;
		int len = (int)strlen(note) < aw ? (int)strlen(note) : aw;
		ui_put(y, c->L.lbar_x + 1 + (aw - len) / 2, len, UI_ROLE_DIM, note);
	}
	draw_states(c, y, r);
}

int ui_draw_ladder(const struct ui_state *s, int y, int h, int w)
{
	if (h < 2)
		return 0;
	const struct ui_row *row = ui_selected_row(s);
	uint64_t id = s->replay.on ? s->replay.id : (row ? row->id : 0);
	if (id == 0) {
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM, "no connection selected");
		return 2;
	}
	const struct ui_slot *slot = ui_model_slot(&s->model, id);
	if (!slot) {
		ui_putf(y + 1, 1, w - 1, UI_ROLE_DIM,
		        "#%llu: ladder not kept (only the last %d connections keep one)",
		        (unsigned long long)id, UI_SLOTS);
		return 2;
	}
	struct ladder_ctx c = {.s = s};
	ui_layout_ladder(w, &c.L);
	/* header: who is who, by address and port */
	char left[DECODE_ENDPOINT_STRLEN + 64], right[DECODE_ENDPOINT_STRLEN + 40];
	int half = w / 2, rmax = half;
	snprintf(left, sizeof left, "#%llu client %s", (unsigned long long)id, slot->ep_text[0]);
	snprintf(right, sizeof right, "%s server", slot->ep_text[1]);
	char pos[40] = "";
	int pl = 0;
	if (s->table.body && s->table.nrows > s->table.body) /* the table above hides rows */
		pl = snprintf(pos, sizeof pos, "row %u/%u", s->table.sel + 1, s->table.nrows);
	/* Each side's ISN, raw (the numbers on the arrows count from it), when the whole line
	 * still fits; the row position comes first. */
	char isn[2][24] = {"", ""};
	if (slot->isn_known[0])
		snprintf(isn[0], sizeof isn[0], " ISN %u", slot->isn[0]);
	if (slot->isn_known[1])
		snprintf(isn[1], sizeof isn[1], "ISN %u ", slot->isn[1]);
	int want = (int)(strlen(left) + strlen(isn[0]) + strlen(isn[1]) + strlen(right)) + 1 +
	           (pl ? pl + 4 : 0);
	if ((isn[0][0] || isn[1][0]) && want <= w) {
		size_t n = strlen(left);
		snprintf(left + n, sizeof left - n, "%s", isn[0]);
		snprintf(right, sizeof right, "%s%s server", isn[1], slot->ep_text[1]);
		rmax = (int)strlen(right);
		half = w - rmax; /* the left part may take all but the right's room */
	}
	int ll = ui_put(y, 0, half - 1, UI_ROLE_CLIENT, left);
	int rl = (int)strlen(right) < rmax ? (int)strlen(right) : rmax;
	ui_put(y, w - rl, rl, UI_ROLE_SERVER, right + strlen(right) - rl);
	if (pl) {
		/* the selection's row, in the gap between the two endpoints (the table's header
		 * has no column to spare at 80) */
		int gap = w - rl - ll;
		if (pl + 4 <= gap)
			ui_put(y, ll + (gap - pl) / 2, pl, UI_ROLE_HEADER, pos);
	}

	uint32_t count = ui_model_rec_count(slot);
	if (s->replay.on && s->replay.pos < count)
		count = s->replay.pos;
	uint32_t skipped = ui_model_rec_skipped(slot);
	bool gap = skipped > 0 && count > UI_REC_HEAD;
	uint32_t items = count + (gap ? 1 : 0);
	/* Newest at the bottom. A record with chained changes takes a second line. */
	int lines = h - 1;
	uint32_t first = items;
	while (first > 0) {
		uint32_t i = first - 1;
		const struct ui_rec *r =
		    gap && i == UI_REC_HEAD
		        ? NULL
		        : ui_model_rec(slot, gap && i > UI_REC_HEAD ? i - 1 : i);
		int need = chained(r) ? 2 : 1;
		if (need > lines)
			break;
		lines -= need;
		first = i;
	}
	int ly = y + 1;
	for (uint32_t i = first; i < items; i++) {
		if (gap && i == UI_REC_HEAD) {
			ui_putf(ly++, c.L.lbar_x + 2, c.L.rbar_x - c.L.lbar_x - 3, UI_ROLE_DIM,
			        "... %u segments not kept ...", skipped);
			continue;
		}
		const struct ui_rec *r = ui_model_rec(slot, gap && i > UI_REC_HEAD ? i - 1 : i);
		draw_record(&c, ly++, r);
		if (chained(r))
			draw_chain(&c, ly++, r);
	}
	if (items == 0) {
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM, "no segment yet");
		return 2;
	}
	return ly - y;
}
