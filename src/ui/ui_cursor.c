/* ui_cursor.c — the timeline cursor over one connection's kept records, or over the whole
 * capture's segments in order. */
#include "ui_cursor.h"

#include <math.h>

#include "ui_notice.h"
#include "ui_rows.h"

/* Hold the ladder replay of id at kept record pos (1-based). */
static void hold(struct ui_state *s, uint64_t id, uint32_t pos)
{
	s->replay.on = true;
	s->replay.held = true;
	s->replay.id = id;
	s->replay.pos = pos;
	s->replay.next = HUGE_VAL; /* held: the replay's clock never advances it */
	s->dirty = true;
}

static void connection_step(struct ui_state *s, int dir)
{
	/* the selected connection; moving the selection moves the cursor to that one */
	uint64_t id = s->table.selected_id ? s->table.selected_id : s->replay.id;
	bool same = s->replay.on && s->replay.id == id;
	const struct ui_slot *slot = id ? ui_model_slot(&s->model, id) : NULL;
	uint32_t count = slot ? ui_model_rec_count(slot) : 0;
	if (count == 0) {
		if (id)
			ui_notice(s, "no segment of #%llu kept", (unsigned long long)id);
		else
			ui_notice(s, "select a connection first");
		return;
	}
	/* a running replay is caught where it is; otherwise start from the whole history */
	uint32_t pos = same && s->replay.pos <= count ? s->replay.pos : count;
	if (dir < 0 && pos > 1)
		pos--;
	else if (dir > 0 && pos < count)
		pos++;
	if (!same || !s->replay.held)
		ui_notice(s, "Left/Right step through #%llu, Esc returns to the live view",
		          (unsigned long long)id);
	hold(s, id, pos);
}

/* Select connection id's row, if the table still has it (the ladder shows it either way). */
static void select_conn(struct ui_state *s, uint64_t id)
{
	for (uint32_t i = 0; i < s->table.nrows; i++) {
		if (s->table.rows[i].id == id) {
			ui_rows_move(s, (long)i - (long)s->table.sel);
			return;
		}
	}
}

static void file_step(struct ui_state *s, int dir)
{
	uint64_t kept = ui_timeline_kept(&s->timeline);
	if (kept == 0) {
		ui_notice(s, "no segment seen yet");
		return;
	}
	bool placed =
	    s->replay.on && s->replay.held && s->replay.file_pos >= 1 && s->replay.file_pos <= kept;
	uint64_t pos = placed ? s->replay.file_pos : kept;
	/* the next segment whose row its connection's ladder still keeps */
	for (uint64_t n = pos; dir != 0;) {
		if ((dir < 0 && n <= 1) || (dir > 0 && n >= kept))
			break;
		n = dir < 0 ? n - 1 : n + 1;
		if (ui_timeline_ladder_pos(&s->model, ui_timeline_at(&s->timeline, n))) {
			pos = n;
			break;
		}
	}
	const struct ui_timeline_entry *e = ui_timeline_at(&s->timeline, pos);
	uint32_t at = ui_timeline_ladder_pos(&s->model, e);
	if (!at) {
		ui_notice(s, "the ladder of #%llu is no longer kept", (unsigned long long)e->id);
		return;
	}
	if (!placed)
		ui_notice(s,
		          "Left/Right step through the whole file, Esc returns to the live view");
	s->replay.file_pos = pos;
	select_conn(s, e->id);
	hold(s, e->id, at);
}

void ui_cursor_step(struct ui_state *s, int dir)
{
	/* with no connection to step through (none selected, e.g. after `c`), the file's
	 * timeline is the one there is */
	bool none = !s->table.selected_id && !s->replay.id;
	if (none && ui_timeline_kept(&s->timeline) > 0)
		s->replay.file_scope = true; /* as if `t` had been pressed: the status says so */
	if (s->replay.file_scope)
		file_step(s, dir);
	else
		connection_step(s, dir);
}

/* The timeline entry of the held cursor's segment (searched from the newest), or 0. */
static uint64_t entry_of_cursor(const struct ui_state *s)
{
	if (!s->replay.on || !s->replay.held)
		return 0;
	for (uint64_t n = ui_timeline_kept(&s->timeline); n >= 1; n--) {
		const struct ui_timeline_entry *e = ui_timeline_at(&s->timeline, n);
		if (e->id == s->replay.id && ui_timeline_ladder_pos(&s->model, e) == s->replay.pos)
			return n;
	}
	return 0;
}

void ui_cursor_toggle_scope(struct ui_state *s)
{
	s->replay.file_scope = !s->replay.file_scope;
	if (s->replay.file_scope) {
		s->replay.file_pos = entry_of_cursor(s);
		s->table.follow = false; /* the selection goes where the steps lead */
		ui_notice(s, "Left/Right: every connection's segments in capture order");
	} else {
		ui_notice(s, "Left/Right: the selected connection's segments");
	}
	s->dirty = true;
}
