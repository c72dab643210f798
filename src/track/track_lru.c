/* track_lru.c — the open and closed LRU lists that choose which connection the cap evicts. */
#include "socklab/track.h"
#include "track_internal.h"

/* "Least recently seen" is kept to within a quarter of the cap (lru_slack): a connection seen
 * again soon after it last moved to the tail is not moved again, which spares most segments
 * the relinking of a slot and its neighbours (cache misses). Eviction takes the list head, three
 * quarters of a table's worth of moves away from anything that stayed put. */

static bool synchronized(enum track_state st)
{
	return st >= TRACK_ESTABLISHED && st < TRACK_STATE_COUNT;
}

enum track_lru track_lru_kind(const struct track_slot *s)
{
	if (s->c.closed)
		return TRACK_LRU_CLOSED;
	if (!s->c.midstream && !synchronized(s->c.ep[0].state) && !synchronized(s->c.ep[1].state))
		return TRACK_LRU_HALF;
	return TRACK_LRU_OPEN;
}

static struct track_tlist *list_of_kind(struct track_table *tt, uint8_t kind)
{
	switch (kind) {
	case TRACK_LRU_CLOSED:
		return &tt->lru_closed;
	case TRACK_LRU_HALF:
		return &tt->lru_half;
	default:
		return &tt->lru_open;
	}
}

struct track_tlist *track_lru_list_of(struct track_table *tt, const struct track_slot *s)
{
	return list_of_kind(tt, s->lru_list);
}

void track_lru_append(struct track_table *tt, struct track_tlist *l, struct track_slot *s)
{
	track_list_append(tt, l, TRACK_LK_LRU, track_slot_index(tt, s));
	s->lru_stamp = tt->lru_clock++;
}

void track_touch_move(struct track_table *tt, struct track_slot *s)
{
	uint8_t want_kind = s->lru_want;
	uint32_t idx = track_slot_index(tt, s);
	struct track_tlist *want = list_of_kind(tt, want_kind);
	struct track_tlist *have = track_lru_list_of(tt, s);
	if (have == want && want->tail == idx)
		return;
	track_list_remove(tt, have, TRACK_LK_LRU, idx);
	track_lru_append(tt, want, s);
	s->lru_list = want_kind;
}
