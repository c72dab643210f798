/* ui_draw_log.c — the transition log: every state change with the reason the tracker gave,
 * and every anomaly, newest at the bottom. */
#include "ui_draw.h"

#include <stdio.h>

#include "ui_paint.h"

static bool wanted(const struct ui_state *s, const struct ui_log_entry *e)
{
	return !s->log.only_selected || e->conn == s->table.selected_id;
}

static void draw_entry(const struct ui_state *s, int y, int w, const struct ui_log_entry *e)
{
	bool narrow = w < 80;
	double t0 = s->model.t0_set ? s->model.t0 : 0;
	int x = 0;
	if (!narrow)
		x += ui_putf(y, x, 12, UI_ROLE_DIM, "%10.6f  ", e->t - t0);
	x += ui_putf(y, x, w - x, UI_ROLE_NORMAL, "#%-3llu ", (unsigned long long)e->conn);
	if (e->kind == UI_LOG_ANOMALY) {
		x += ui_putf(y, x, w - x, UI_ROLE_ALERT, "! %s",
		             track_anomaly_name((enum track_anomaly)e->anomaly));
		ui_putf(y, x, w - x, UI_ROLE_NORMAL, "  %s", e->why);
		return;
	}
	enum ui_role who = e->role == TRACK_CLIENT ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
	if (narrow)
		x += ui_put(y, x, w - x, who, e->role == TRACK_CLIENT ? "C " : "S ");
	else
		x += ui_putf(y, x, w - x, who, "%s %-22s ",
		             track_role_name((enum track_role)e->role), e->endpoint);
	enum track_state from = (enum track_state)e->from, to = (enum track_state)e->to;
	x += ui_put(y, x, w - x, ui_theme_state_role(from),
	            ui_state_text(s->show.names, from, narrow));
	x += ui_put(y, x, w - x, UI_ROLE_NORMAL, " -> ");
	x += ui_put(y, x, w - x, ui_theme_state_role(to), ui_state_text(s->show.names, to, narrow));
	ui_putf(y, x, w - x, UI_ROLE_DIM, "  %s", e->why);
}

void ui_draw_log(const struct ui_state *s, int y, int h, int w)
{
	ui_fill(y, 0, w, UI_ROLE_HEADER);
	ui_putf(y, 0, w, UI_ROLE_HEADER, " transitions and why%s  (f: %s)",
	        s->log.only_selected ? " - selected connection" : "",
	        s->log.only_selected ? "show all" : "selected only");
	int lines = h - 1;
	if (lines <= 0)
		return;
	/* walk back from the newest wanted entry, skipping log_scroll of them */
	const struct ui_log_entry *shown[256];
	int n = 0;
	uint64_t skip = s->log.back;
	uint64_t kept = ui_model_log_kept(&s->model);
	for (uint64_t i = 0; i < kept && n < lines && n < 256; i++) {
		const struct ui_log_entry *e = ui_model_log(&s->model, i);
		if (!wanted(s, e))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		shown[n++] = e;
	}
	if (n == 0) {
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM, "no transition yet");
		return;
	}
	for (int i = 0; i < n; i++)
		draw_entry(s, y + lines - i, w, shown[i]);
}
