/* ui_draw_log.c — the transition log: every state change with the reason the tracker gave,
 * and every anomaly, newest at the bottom. */
#include "ui_draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui_layout.h"
#include "ui_paint.h"
#include "ui_view.h"

/* Where an entry's why goes: after the state change when at least MIN_WHY columns are left
 * there, else on the next line; continuation lines start at cont_x. */
#define MIN_WHY 24

struct entry_shape {
	int why_x, why_y_off; /* first line of the why: column, and 0 or 1 line below */
	int cont_x;
	int lines; /* the entry's height */
};

/* A line being written left to right, or only measured (draw false). */
struct pen {
	int y, x, w;
	bool draw;
};

static void piece(struct pen *p, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void piece(struct pen *p, enum ui_role role, const char *fmt, ...)
{
	char buf[DECODE_ENDPOINT_STRLEN + 48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	int room = p->w - p->x > 0 ? p->w - p->x : 0;
	int len = (int)strlen(buf);
	if (p->draw)
		ui_put(p->y, p->x, room, role, buf);
	p->x += len < room ? len : room;
}

/* The head of an entry (time, connection, who, the change) drawn at y, or only measured when
 * draw is false; returns the column after it. */
static int entry_head(const struct ui_state *s, int y, int w, const struct ui_log_entry *e,
                      bool draw)
{
	bool narrow = w < 80;
	struct pen p = {y, 0, w, draw};
	if (!narrow) {
		char t[16];
		ui_view_time(s, e->t, 10, t, (int)sizeof t);
		piece(&p, UI_ROLE_DIM, "%s  ", t);
	}
	if (e->conn)
		piece(&p, UI_ROLE_NORMAL, "#%-3llu ", (unsigned long long)e->conn);
	else
		piece(&p, UI_ROLE_NORMAL, "--   "); /* a marker of a socket with no connection */
	if (e->kind == UI_LOG_MARKER) {
		/* a lab's syscall: "client: close()" in the caller's colour (role 2: no connection) */
		piece(&p,
		      e->role == TRACK_CLIENT   ? UI_ROLE_CLIENT
		      : e->role == TRACK_SERVER ? UI_ROLE_SERVER
		                                : UI_ROLE_NORMAL,
		      "%s", e->mark);
		return p.x;
	}
	if (e->kind == UI_LOG_ANOMALY) {
		piece(&p, UI_ROLE_ALERT, "! %s",
		      track_anomaly_name((enum track_anomaly)e->anomaly));
		return p.x;
	}
	enum ui_role who = e->role == TRACK_CLIENT ? UI_ROLE_CLIENT : UI_ROLE_SERVER;
	/* the endpoint only where it leaves the why its room: the table has the endpoints */
	if (narrow)
		piece(&p, who, "%s", e->role == TRACK_CLIENT ? "C " : "S ");
	else if (w < 120)
		piece(&p, who, "%s ", track_role_name((enum track_role)e->role));
	else
		piece(&p, who, "%s %-22s ", track_role_name((enum track_role)e->role), e->endpoint);
	enum track_state from = (enum track_state)e->from, to = (enum track_state)e->to;
	piece(&p, ui_theme_state_role(from), "%s", ui_state_text(s->show.names, from, narrow));
	piece(&p, UI_ROLE_NORMAL, " -> ");
	piece(&p, ui_theme_state_role(to), "%s", ui_state_text(s->show.names, to, narrow));
	return p.x;
}

static struct entry_shape shape_of(const struct ui_state *s, int w, const struct ui_log_entry *e)
{
	struct entry_shape sh;
	int head = entry_head(s, 0, w, e, false) + 2;
	bool narrow = w < 80;
	sh.cont_x = narrow ? 2 : 12; /* under the connection number */
	if (w - head >= MIN_WHY) {
		sh.why_x = head;
		sh.why_y_off = 0;
		/* wrapped lines line up under the why when that leaves it room */
		if (w - head >= 40)
			sh.cont_x = head;
	} else {
		sh.why_x = sh.cont_x;
		sh.why_y_off = 1;
	}
	struct ui_wrap_line l[1];
	int n = e->why[0] ? ui_wrap(e->why, w - sh.why_x, w - sh.cont_x, l, 1) : 0;
	sh.lines = n ? sh.why_y_off + n : 1;
	return sh;
}

/* Draws the entry's last `lines` lines ending at row bottom (all of it when it fits). */
static void draw_entry(const struct ui_state *s, int bottom, int w, const struct ui_log_entry *e,
                       const struct entry_shape *sh)
{
	int y = bottom - sh->lines + 1;
	entry_head(s, y, w, e, true);
	if (e->why[0])
		ui_put_wrapped(y + sh->why_y_off, sh->why_x, w - sh->why_x, sh->cont_x, sh->lines,
		               e->kind == UI_LOG_ANOMALY ? UI_ROLE_NORMAL : UI_ROLE_DIM, e->why);
}

void ui_draw_log(const struct ui_state *s, int y, int h, int w)
{
	ui_fill(y, 0, w, UI_ROLE_HEADER);
	int hx;
	if (s->log.only_selected)
		hx = ui_putf(y, 0, w, UI_ROLE_HEADER,
		             " transitions and why - connection #%llu only  (f: show all)",
		             (unsigned long long)s->table.selected_id);
	else
		hx = ui_put(y, 0, w, UI_ROLE_HEADER,
		            " transitions and why - every connection  (f or /: one only)");
	if (s->log.back)
		/* scrolled back, the view holds still while entries arrive: say what is below */
		ui_putf(y, hx, w - hx, UI_ROLE_ALERT, " %llu newer below (End) ",
		        (unsigned long long)s->log.back);
	int lines = h - 1;
	if (lines <= 0)
		return;
	/* walk back from the newest wanted entry, skipping log.back of them; the newest at the
	 * bottom, each entry as tall as its wrapped why needs */
	uint64_t skip = s->log.back;
	uint64_t kept = ui_model_log_kept(&s->model);
	int bottom = y + lines, shown = 0;
	for (uint64_t i = 0; i < kept && bottom > y; i++) {
		const struct ui_log_entry *e = ui_model_log(&s->model, i);
		if (!ui_view_log_wanted(s, e))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		struct entry_shape sh = shape_of(s, w, e);
		if (bottom - sh.lines < y)
			break; /* not all of it fits: leave the top line empty */
		draw_entry(s, bottom, w, e, &sh);
		bottom -= sh.lines;
		shown++;
	}
	if (shown > 0)
		return;
	if (s->log.only_selected && s->model.log_count > kept)
		/* the ring has dropped entries: this connection's may be among them */
		ui_putf(
		    y + 1, 1, w - 1, UI_ROLE_DIM,
		    "no entry for #%llu among the last %llu kept: older entries have left the log",
		    (unsigned long long)s->table.selected_id, (unsigned long long)kept);
	else if (s->log.only_selected)
		ui_putf(y + 1, 1, w - 1, UI_ROLE_DIM, "#%llu: no transition yet",
		        (unsigned long long)s->table.selected_id);
	else
		ui_put(y + 1, 1, w - 1, UI_ROLE_DIM, "no transition yet");
}
