/* ui_timeline.c — every segment's place in capture order, across connections. */
#include "ui_timeline.h"

#include <stdlib.h>

bool ui_timeline_init(struct ui_timeline *tl)
{
	tl->count = 0;
	tl->e = calloc(UI_TIMELINE_MAX, sizeof *tl->e);
	return tl->e != NULL;
}

void ui_timeline_free(struct ui_timeline *tl)
{
	free(tl->e);
	tl->e = NULL;
}

void ui_timeline_clear(struct ui_timeline *tl) { tl->count = 0; }

void ui_timeline_note(struct ui_timeline *tl, const struct ui_model *m,
                      const struct track_event *ev)
{
	if (!tl->e || ev->kind != TRACK_EVENT_PACKET || !ev->conn || !ev->pkt)
		return;
	const struct ui_slot *slot = ui_model_slot(m, ev->conn->id);
	if (!slot || slot->nrec == 0)
		return;
	/* the model has just appended the segment's row as the slot's last record */
	tl->e[tl->count % UI_TIMELINE_MAX] =
	    (struct ui_timeline_entry){.id = ev->conn->id, .rec = slot->nrec - 1};
	tl->count++;
}

uint64_t ui_timeline_kept(const struct ui_timeline *tl)
{
	return tl->count < UI_TIMELINE_MAX ? tl->count : UI_TIMELINE_MAX;
}

const struct ui_timeline_entry *ui_timeline_at(const struct ui_timeline *tl, uint64_t n)
{
	uint64_t kept = ui_timeline_kept(tl);
	if (!tl->e || n == 0 || n > kept)
		return NULL;
	return &tl->e[(tl->count - kept + n - 1) % UI_TIMELINE_MAX];
}

uint32_t ui_timeline_ladder_pos(const struct ui_model *m, const struct ui_timeline_entry *e)
{
	const struct ui_slot *slot = ui_model_slot(m, e->id);
	if (!slot || e->rec >= slot->nrec)
		return 0;
	if (e->rec < UI_REC_HEAD)
		return e->rec + 1;
	/* the tail keeps the latest records; kept index i is record i + skipped */
	uint32_t skipped = ui_model_rec_skipped(slot);
	if (e->rec < UI_REC_HEAD + skipped)
		return 0;
	return e->rec - skipped + 1;
}
