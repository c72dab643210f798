/* ui_cursor.c — the timeline cursor over one connection's kept records. */
#include "ui_cursor.h"

#include <math.h>

#include "ui_notice.h"

void ui_cursor_step(struct ui_state *s, int dir)
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
	s->replay.on = true;
	s->replay.held = true;
	s->replay.id = id;
	s->replay.pos = pos;
	s->replay.next = HUGE_VAL; /* held: the replay's clock never advances it */
	s->dirty = true;
}
