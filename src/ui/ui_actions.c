/* ui_actions.c — the effect of each key: pause, step, replay, speed, views, selection. */
#include "ui_actions.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui_cursor.h"
#include "ui_export.h"
#include "ui_flow.h"
#include "ui_notice.h"
#include "ui_restart.h"
#include "ui_rows.h"

static const double speeds[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100, 0 /* max */};
#define NSPEEDS (sizeof speeds / sizeof speeds[0])

static size_t speed_index(double v)
{
	if (v <= 0)
		return NSPEEDS - 1;
	size_t best = 0;
	for (size_t i = 0; i + 1 < NSPEEDS; i++) {
		if (speeds[i] <= v)
			best = i;
	}
	return best;
}

static void change_speed(struct ui_state *s, int dir)
{
	size_t i = speed_index(s->pace.speed);
	if (dir > 0 && i + 1 < NSPEEDS)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	s->pace.speed = speeds[i];
	ui_flow_rebase(s);
	if (s->pace.speed > 0)
		ui_notice(s, "speed %gx%s", s->pace.speed, s->live ? " (for replay r)" : "");
	else
		ui_notice(s, "speed: as fast as possible");
}

static void set_view(struct ui_state *s, enum ui_view v)
{
	s->show.view = v;
	if (v == UI_VIEW_KERNEL)
		s->kernel.next = 0; /* read the kernel now, not in a second */
}

static int page_rows(void) { return LINES > 8 ? (LINES - 4) / 2 : 1; }

static void move_by(struct ui_state *s, long delta)
{
	if (s->show.view == UI_VIEW_LOG) {
		/* down = towards the newest line */
		if (delta > 0)
			s->log.back =
			    s->log.back > (uint64_t)delta ? s->log.back - (uint64_t)delta : 0;
		else
			s->log.back += (uint64_t)-delta;
		uint64_t kept = ui_model_log_kept(&s->model);
		if (s->log.back >= kept)
			s->log.back = kept ? kept - 1 : 0;
		return;
	}
	ui_rows_move(s, delta);
}

/* The row of connection id in the table, or -1. */
static long row_of(const struct ui_state *s, uint64_t id)
{
	for (uint32_t i = 0; i < s->table.nrows; i++)
		if (s->table.rows[i].id == id)
			return (long)i;
	return -1;
}

/* Enter on the "/" prompt: an empty line shows every connection's log again; a number selects
 * that connection and shows only its log. */
static void prompt_apply(struct ui_state *s)
{
	s->show.prompt = false;
	if (!s->show.prompt_text[0]) {
		s->log.only_selected = false;
		ui_notice(s, "log: every connection");
		return;
	}
	uint64_t id = strtoull(s->show.prompt_text, NULL, 10);
	long i = row_of(s, id);
	if (i < 0) {
		ui_notice(s, "no connection #%llu in the table", (unsigned long long)id);
		return;
	}
	ui_rows_move(s, i - (long)s->table.sel);
	s->log.only_selected = true;
	s->log.back = 0;
	set_view(s, UI_VIEW_LOG);
}

static void prompt_key(struct ui_state *s, int code)
{
	size_t len = strlen(s->show.prompt_text);
	if (code >= '0' && code <= '9') {
		if (len + 1 < sizeof s->show.prompt_text)
			s->show.prompt_text[len] = (char)code, s->show.prompt_text[len + 1] = '\0';
	} else if (code == KEY_BACKSPACE || code == 127 || code == 8) {
		if (len)
			s->show.prompt_text[len - 1] = '\0';
	} else if (code == '\r' || code == '\n' || code == KEY_ENTER) {
		prompt_apply(s);
	} else if (code == 27 /* Esc */) {
		s->show.prompt = false;
	}
}

bool ui_action_key(struct ui_state *s, int code, double mono_now, char *err, size_t errlen)
{
	enum ui_action act = ui_keys_lookup(code);
	s->dirty = true;
	if (s->show.prompt) {
		prompt_key(s, code);
		return true;
	}
	if (s->show.help && act != UI_ACT_QUIT) {
		s->show.help = false; /* any key closes the overlay */
		return true;
	}
	switch (act) {
	case UI_ACT_NONE:
		if (code == 27 /* Esc */ && s->replay.on)
			ui_replay_stop(s);
		break;
	case UI_ACT_HELP:
		s->show.help = true;
		break;
	case UI_ACT_QUIT:
		s->quit = true;
		break;
	case UI_ACT_PAUSE:
		s->pace.paused = !s->pace.paused;
		ui_flow_rebase(s);
		if (s->pace.paused)
			ui_notice(s, "paused: n steps one segment, space resumes");
		break;
	case UI_ACT_STEP:
		if (!s->pace.paused) {
			s->pace.paused = true;
			ui_notice(s, "paused: n steps one segment, space resumes");
		} else if (s->replay.on) {
			ui_replay_step(s);
		} else if (!ui_flow_step(s, err, errlen)) {
			if (err[0])
				return false;
			ui_notice(s, s->pace.eof ? "end of file: nothing left to step"
			                         : "no segment waiting: make some traffic");
		}
		break;
	case UI_ACT_BACK:
	case UI_ACT_FORWARD:
		ui_cursor_step(s, act == UI_ACT_BACK ? -1 : +1);
		break;
	case UI_ACT_REPLAY:
		if (s->replay.on) {
			ui_replay_stop(s);
		} else if (s->table.selected_id) {
			s->replay.held = false;
			ui_replay_start(s, s->table.selected_id, mono_now);
		} else {
			ui_notice(s, "select a connection to replay");
		}
		break;
	case UI_ACT_FASTER:
		change_speed(s, +1);
		break;
	case UI_ACT_SLOWER:
		change_speed(s, -1);
		break;
	case UI_ACT_CLEAR: {
		uint32_t before = track_get_stats(s->tt)->conns_open;
		track_clear_closed(s->tt);
		uint32_t after = track_get_stats(s->tt)->conns_open;
		ui_notice(s, "cleared %u closed connection%s", before - after,
		          before - after == 1 ? "" : "s");
		break;
	}
	case UI_ACT_NEXT_VIEW:
		set_view(s, (enum ui_view)((s->show.view + 1) % UI_VIEW_COUNT));
		break;
	case UI_ACT_PREV_VIEW:
		set_view(s, (enum ui_view)((s->show.view + UI_VIEW_COUNT - 1) % UI_VIEW_COUNT));
		break;
	case UI_ACT_OPEN:
		if (!s->table.selected_id) {
			ui_notice(s, "no connection selected");
			break;
		}
		/* stay on this connection even when newer ones arrive */
		s->table.follow = false;
		set_view(s, UI_VIEW_MAIN);
		break;
	case UI_ACT_PROMPT:
		s->show.prompt = true;
		s->show.prompt_text[0] = '\0';
		break;
	case UI_ACT_VIEW_MAIN:
		set_view(s, UI_VIEW_MAIN);
		break;
	case UI_ACT_VIEW_DIAGRAM:
		set_view(s, UI_VIEW_DIAGRAM);
		break;
	case UI_ACT_VIEW_LOG:
		set_view(s, UI_VIEW_LOG);
		break;
	case UI_ACT_VIEW_KERNEL:
		set_view(s, UI_VIEW_KERNEL);
		break;
	case UI_ACT_KERNEL:
		set_view(s, s->show.view == UI_VIEW_KERNEL ? UI_VIEW_MAIN : UI_VIEW_KERNEL);
		break;
	case UI_ACT_DOWN:
		move_by(s, 1);
		break;
	case UI_ACT_UP:
		move_by(s, -1);
		break;
	case UI_ACT_PAGE_DOWN:
		move_by(s, page_rows());
		break;
	case UI_ACT_PAGE_UP:
		move_by(s, -page_rows());
		break;
	case UI_ACT_HOME:
		if (s->show.view == UI_VIEW_LOG)
			s->log.back = ui_model_log_kept(&s->model);
		else
			ui_rows_home(s);
		move_by(s, 0); /* clamp */
		break;
	case UI_ACT_END:
		if (s->show.view == UI_VIEW_LOG)
			s->log.back = 0;
		else
			ui_rows_end(s);
		break;
	case UI_ACT_SORT:
		s->table.sort = (enum ui_sort)((s->table.sort + 1) % UI_SORT_COUNT);
		ui_notice(s, "sorted by %s",
		          s->table.sort == UI_SORT_ID       ? "id (order of first sight)"
		          : s->table.sort == UI_SORT_RECENT ? "last activity"
		                                            : "packets");
		break;
	case UI_ACT_NAMES:
		s->show.names =
		    s->show.names == TRACK_NAMES_RFC ? TRACK_NAMES_LINUX : TRACK_NAMES_RFC;
		ui_notice(s, "state names: %s",
		          s->show.names == TRACK_NAMES_RFC ? "RFC 9293"
		                                           : "Linux (as ss shows them)");
		break;
	case UI_ACT_LOG_FILTER:
		s->log.only_selected = !s->log.only_selected;
		s->log.back = 0;
		break;
	case UI_ACT_SAVE:
		ui_export_save(s);
		break;
	case UI_ACT_EXPORT:
		ui_export_svg(s);
		break;
	case UI_ACT_SCOPE:
		ui_cursor_toggle_scope(s);
		break;
	case UI_ACT_LESSON:
		s->show.lesson_off = !s->show.lesson_off;
		ui_notice(s, s->show.lesson_off
		                 ? "lesson layout off: table and ladder only"
		                 : "lesson layout: the why of each step (Left/Right) under it");
		break;
	case UI_ACT_RESTART:
		return ui_restart(s, err, errlen);
	case UI_ACT_COUNT:
		break;
	}
	return true;
}
