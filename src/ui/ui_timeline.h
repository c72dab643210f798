/* ui_timeline.h — the capture's own order of segments across every connection, so the
 * timeline cursor can step through the whole file (or live capture) and not only through one
 * connection. A fixed ring of (connection, record number) pairs; no curses. */
#ifndef SOCKLAB_UI_TIMELINE_H
#define SOCKLAB_UI_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/track.h"
#include "ui_model.h"

/* Segments remembered in capture order (16 bytes each); older ones leave the ring. */
#define UI_TIMELINE_MAX 65536u

struct ui_timeline_entry {
	uint64_t id;  /* the connection */
	uint32_t rec; /* its record number (0-based, counting every record the slot ever got) */
};

struct ui_timeline {
	struct ui_timeline_entry *e; /* UI_TIMELINE_MAX, ring */
	uint64_t count;              /* entries ever added */
};

bool ui_timeline_init(struct ui_timeline *tl);
void ui_timeline_free(struct ui_timeline *tl);
void ui_timeline_clear(struct ui_timeline *tl);

/* After the model took ev: a PACKET whose connection keeps a ladder adds its segment's row. */
void ui_timeline_note(struct ui_timeline *tl, const struct ui_model *m,
                      const struct track_event *ev);

/* Entries kept, and the n-th of them (1-based, oldest first), NULL outside 1..kept. */
uint64_t ui_timeline_kept(const struct ui_timeline *tl);
const struct ui_timeline_entry *ui_timeline_at(const struct ui_timeline *tl, uint64_t n);

/* Where entry e is on its connection's ladder: the kept record index + 1 (a cursor position
 * for ui_model_rec), or 0 when that row is no longer kept (the slot went to a newer
 * connection, or the record fell between the ladder's head and tail). */
uint32_t ui_timeline_ladder_pos(const struct ui_model *m, const struct ui_timeline_entry *e);

#endif
