/* track_lists.c — the intrusive index lists slots and endpoints are linked on. */
#include "socklab/track.h"
#include "track_internal.h"

static struct track_tlink *link_of(struct track_table *tt, enum track_list_kind k, uint32_t node)
{
	switch (k) {
	case TRACK_LK_LRU:
		return &tt->slots[node].lru;
	case TRACK_LK_ID:
		return &tt->slots[node].by_id;
	case TRACK_LK_TIMER:
	default:
		return &tt->slots[node >> 1].cold[node & 1].timer_link;
	}
}

void track_list_append(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                       uint32_t node)
{
	struct track_tlink *n = link_of(tt, k, node);
	n->prev = l->tail;
	n->next = TRACK_NIL;
	if (l->tail != TRACK_NIL)
		link_of(tt, k, l->tail)->next = node;
	else
		l->head = node;
	l->tail = node;
}

void track_list_remove(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                       uint32_t node)
{
	struct track_tlink *n = link_of(tt, k, node);
	if (n->prev != TRACK_NIL)
		link_of(tt, k, n->prev)->next = n->next;
	else
		l->head = n->next;
	if (n->next != TRACK_NIL)
		link_of(tt, k, n->next)->prev = n->prev;
	else
		l->tail = n->prev;
	n->prev = n->next = TRACK_NIL;
}

void track_list_insert_after(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                             uint32_t after, uint32_t node)
{
	struct track_tlink *n = link_of(tt, k, node);
	uint32_t next = after == TRACK_NIL ? l->head : link_of(tt, k, after)->next;
	n->prev = after;
	n->next = next;
	if (after == TRACK_NIL)
		l->head = node;
	else
		link_of(tt, k, after)->next = node;
	if (next == TRACK_NIL)
		l->tail = node;
	else
		link_of(tt, k, next)->prev = node;
}
