/* track_table.c — the connection table: preallocated slots, 4-tuple hash, LRU and id lists. */
#include "socklab/track.h"
#include "track_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define TRACK_DEFAULT_MAX_CONNS 65536u
#define TRACK_LIMIT_MAX_CONNS   (1u << 24) /* keeps node = slot*2+role and the hash in 32 bits */

/* The prefetches assume every field an ordinary segment touches lies in the hot lines. */
_Static_assert(offsetof(struct track_slot, cold) == TRACK_SLOT_HOT_BYTES,
               "track_slot: hot fields must fill exactly the first lines");

static const struct track_tlist empty_list = {TRACK_NIL, TRACK_NIL};

size_t track_conn_footprint(void)
{
	/* One slot plus its share of the hash: two entries per slot (power of two >= 2x). */
	return sizeof(struct track_slot) + 2 * sizeof(struct track_hent);
}

/* Segments reach slots at random across the table (tens of MiB): with 4 KiB pages nearly
 * every one also misses the TLB. Ask for 2 MiB pages where the kernel offers them (a hint:
 * the whole-page interior of the block only, and nothing happens if it says no). */
static void huge_pages(void *mem, size_t len)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from = ((uintptr_t)mem + huge - 1) & ~(huge - 1);
	uintptr_t to = ((uintptr_t)mem + len) & ~(huge - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
	(void)mem;
	(void)len;
#endif
}

struct track_table *track_create(const struct track_config *cfg, char *err, size_t errlen)
{
	struct track_config c = cfg ? *cfg : (struct track_config){0};
	if (c.max_conns == 0)
		c.max_conns = TRACK_DEFAULT_MAX_CONNS;
	if (c.time_wait_secs == 0)
		c.time_wait_secs = 60.0;
	if (c.pending_secs == 0)
		c.pending_secs = 1.0;
	if (c.max_conns > TRACK_LIMIT_MAX_CONNS || !(c.time_wait_secs > 0) ||
	    !(c.pending_secs > 0)) {
		if (err && errlen)
			snprintf(err, errlen,
			         "track: bad config (max_conns <= %u, time_wait_secs and "
			         "pending_secs > 0)",
			         TRACK_LIMIT_MAX_CONNS);
		return NULL;
	}
	uint32_t hcap = 1;
	while (hcap < 2 * c.max_conns)
		hcap <<= 1;
	struct track_table *tt = calloc(1, sizeof *tt);
	if (tt) {
		/* calloc, not aligned_alloc + memset: pages stay untouched until a slot is used. */
		size_t align = _Alignof(struct track_slot);
		tt->slots_mem = calloc((size_t)c.max_conns * sizeof *tt->slots + align, 1);
		tt->slots = (struct track_slot *)(((uintptr_t)tt->slots_mem + align - 1) &
		                                  ~(uintptr_t)(align - 1));
		if (tt->slots_mem)
			huge_pages(tt->slots_mem, (size_t)c.max_conns * sizeof *tt->slots + align);
		tt->hash = malloc((size_t)hcap * sizeof *tt->hash);
	}
	if (!tt || !tt->slots_mem || !tt->hash) {
		track_destroy(tt);
		if (err && errlen)
			snprintf(err, errlen, "track: out of memory for %u connections",
			         c.max_conns);
		return NULL;
	}
	memset(tt->hash, 0xff, (size_t)hcap * sizeof *tt->hash);
	tt->cfg = c;
	/* Exact LRU would relink a slot and its neighbours (cache misses) on every segment; a
	 * slot moved within the last quarter of the table's worth of moves is recent enough to
	 * stay put. Eviction takes the list head, three quarters of a table away from that. */
	tt->lru_slack = c.max_conns / 4;
	tt->timer_due = INFINITY;
	tt->hash_mask = hcap - 1;
	/* No free list to build: slots never used are taken in order (fresh), so a slot's memory
	 * is first touched when a connection needs it, not all 20 MiB here. */
	tt->free_head = TRACK_NIL;
	tt->fresh = 0;
	tt->lru_open = tt->lru_closed = tt->lru_half = tt->ids = tt->tw = tt->pend = empty_list;
	tt->giveup = empty_list;
	tt->next_id = 1;
	return tt;
}

void track_destroy(struct track_table *tt)
{
	if (!tt)
		return;
	free(tt->slots_mem);
	free(tt->hash);
	free(tt);
}

static bool addr_eq(const struct decode_addr *a, const struct decode_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* Direction comes from address AND port: on loopback both addresses are 127.0.0.1. */
static bool slot_match(const struct track_slot *s, const struct decode_packet *p,
                       enum track_role *sender)
{
	const struct track_endpoint *c = &s->c.ep[TRACK_CLIENT], *v = &s->c.ep[TRACK_SERVER];
	if (c->port == p->sport && v->port == p->dport && addr_eq(&c->addr, &p->src) &&
	    addr_eq(&v->addr, &p->dst)) {
		*sender = TRACK_CLIENT;
		return true;
	}
	if (v->port == p->sport && c->port == p->dport && addr_eq(&v->addr, &p->src) &&
	    addr_eq(&c->addr, &p->dst)) {
		*sender = TRACK_SERVER;
		return true;
	}
	return false;
}

struct track_slot *track_lookup(struct track_table *tt, const struct decode_packet *pkt, uint32_t h,
                                enum track_role *sender)
{
	for (uint32_t i = h & tt->hash_mask;; i = (i + 1) & tt->hash_mask) {
		const struct track_hent *e = &tt->hash[i];
		if (e->idx == TRACK_NIL)
			return NULL;
		if (e->hash != h)
			continue;
		struct track_slot *s = &tt->slots[e->idx];
		if (slot_match(s, pkt, sender))
			return s;
	}
}

/* Linear-probing delete by backward shift, so no tombstones accumulate. */
void track_unhash(struct track_table *tt, struct track_slot *s)
{
	if (!s->hashed)
		return;
	uint32_t idx = track_slot_index(tt, s), m = tt->hash_mask;
	uint32_t i = s->hash & m;
	while (tt->hash[i].idx != idx)
		i = (i + 1) & m;
	for (uint32_t j = (i + 1) & m; tt->hash[j].idx != TRACK_NIL; j = (j + 1) & m) {
		uint32_t home = tt->hash[j].hash & m;
		/* Entry j may move to hole i unless its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			tt->hash[i] = tt->hash[j];
			i = j;
		}
	}
	tt->hash[i].idx = TRACK_NIL;
	s->hashed = false;
}

static void evict(struct track_table *tt, struct track_slot *s, double t)
{
	uint32_t idx = track_slot_index(tt, s);
	const struct track_conn *conn = &s->c;
	if (tt->in_segment) {
		/* The slot is reused before the segment's PACKET event is delivered: the events
		 * about this connection point at a copy of it instead. */
		tt->gone = s->c;
		for (uint32_t i = 0; i < tt->ncaused; i++)
			if (tt->caused[i].conn == &s->c)
				tt->caused[i].conn = &tt->gone;
		conn = &tt->gone;
	}
	struct track_event ev = {.kind = TRACK_EVENT_EVICT, .t = t, .conn = conn};
	track_emit(tt, &ev);
	track_unhash(tt, s);
	track_list_remove(tt, track_lru_list_of(tt, s), TRACK_LK_LRU, idx);
	track_list_remove(tt, &tt->ids, TRACK_LK_ID, idx);
	for (int r = 0; r < 2; r++)
		track_timer_stop(tt, s, (enum track_role)r);
	s->lru_list = TRACK_LRU_FREE;
	s->lru.next = tt->free_head;
	tt->free_head = idx;
	tt->stats.conns_open--;
}

struct track_slot *track_conn_new(struct track_table *tt, double t, const struct decode_packet *pkt,
                                  uint32_t h, bool src_is_client, enum track_state client_start)
{
	if (tt->free_head == TRACK_NIL && tt->fresh < tt->cfg.max_conns) {
		tt->slots[tt->fresh].lru.next = TRACK_NIL;
		tt->free_head = tt->fresh++;
	}
	if (tt->free_head == TRACK_NIL) {
		/* Cap reached: drop the least recently seen closed connection; if none is closed,
		 * the youngest half-open one (a flood of SYNs then pushes out its own connections,
		 * not the established ones); only then the least recently seen live one. Say so
		 * for a live one. */
		struct track_slot *victim;
		if (tt->lru_closed.head != TRACK_NIL) {
			victim = &tt->slots[tt->lru_closed.head];
		} else if (tt->lru_half.tail != TRACK_NIL) {
			victim = &tt->slots[tt->lru_half.tail];
			track_anomaly(
			    tt, t, victim, TRACK_CLIENT, NULL, TRACK_ANOMALY_TABLE_FULL,
			    "table full (%u connections): evicting the youngest half-open "
			    "connection, so that established ones are kept",
			    tt->cfg.max_conns);
		} else {
			victim = &tt->slots[tt->lru_open.head];
			track_anomaly(tt, t, victim, TRACK_CLIENT, NULL, TRACK_ANOMALY_TABLE_FULL,
			              "table full (%u connections): evicting the least recently "
			              "seen live connection",
			              tt->cfg.max_conns);
		}
		evict(tt, victim, t);
		tt->stats.evicted++;
	}
	uint32_t idx = tt->free_head;
	struct track_slot *s = &tt->slots[idx];
	tt->free_head = s->lru.next;
	memset(s, 0, sizeof *s);
	if (tt->free_head == TRACK_NIL && tt->fresh == tt->cfg.max_conns) {
		/* Full: the next new connection will take the least recently seen closed one, cold
		 * by now; fetch it meanwhile (a hint, never read here). */
		uint32_t next = tt->lru_closed.head;
		if (next != TRACK_NIL && next != idx)
			for (size_t off = 0; off < sizeof *s; off += 64)
				__builtin_prefetch((const char *)&tt->slots[next] + off, 1, 0);
	}
	s->c.id = tt->next_id++;
	const struct decode_addr *ca = src_is_client ? &pkt->src : &pkt->dst;
	const struct decode_addr *sa = src_is_client ? &pkt->dst : &pkt->src;
	s->c.ep[TRACK_CLIENT].addr = *ca;
	s->c.ep[TRACK_SERVER].addr = *sa;
	s->c.ep[TRACK_CLIENT].port = src_is_client ? pkt->sport : pkt->dport;
	s->c.ep[TRACK_SERVER].port = src_is_client ? pkt->dport : pkt->sport;
	s->c.ep[TRACK_CLIENT].wscale = s->c.ep[TRACK_SERVER].wscale = -1;
	s->c.ep[TRACK_CLIENT].state = client_start; /* the server starts UNKNOWN (0) */
	s->c.first_seen = s->c.last_seen = t;
	for (int r = 0; r < 2; r++)
		s->cold[r].timer_link.prev = s->cold[r].timer_link.next = TRACK_NIL;
	s->hash = h;
	for (uint32_t i = s->hash & tt->hash_mask;; i = (i + 1) & tt->hash_mask) {
		if (tt->hash[i].idx == TRACK_NIL) {
			tt->hash[i] = (struct track_hent){.hash = s->hash, .idx = idx};
			break;
		}
	}
	s->hashed = true;
	/* With a SYN seen (client_start CLOSED) the handshake is yet to complete; mid-stream
	 * connections are open from the start. */
	s->lru_list = s->lru_want = client_start == TRACK_CLOSED ? TRACK_LRU_HALF : TRACK_LRU_OPEN;
	track_lru_append(tt, track_lru_list_of(tt, s), s);
	track_list_append(tt, &tt->ids, TRACK_LK_ID, idx);
	tt->stats.conns_total++;
	if (++tt->stats.conns_open > tt->stats.conns_peak)
		tt->stats.conns_peak = tt->stats.conns_open;
	return s;
}

const struct track_stats *track_get_stats(const struct track_table *tt) { return &tt->stats; }

void track_foreach(const struct track_table *tt, track_visit_fn fn, void *user)
{
	for (uint32_t i = tt->ids.head; i != TRACK_NIL;) {
		uint32_t next = tt->slots[i].by_id.next;
		if (!fn(&tt->slots[i].c, user))
			return;
		i = next;
	}
}

/* A walk in id order: the UI asks for one connection at a time, not per packet. */
const struct track_conn *track_find(const struct track_table *tt, uint64_t id)
{
	for (uint32_t i = tt->ids.head; i != TRACK_NIL; i = tt->slots[i].by_id.next) {
		if (tt->slots[i].c.id == id)
			return &tt->slots[i].c;
		if (tt->slots[i].c.id > id)
			break;
	}
	return NULL;
}

void track_clear_closed(struct track_table *tt)
{
	while (tt->lru_closed.head != TRACK_NIL)
		evict(tt, &tt->slots[tt->lru_closed.head], tt->now);
}

void track_note(struct track_table *tt, double t, enum track_anomaly a, const char *why)
{
	if ((unsigned)a >= TRACK_ANOMALY_COUNT)
		a = TRACK_ANOMALY_NONE;
	tt->stats.anomalies[a]++;
	struct track_event ev = {.kind = TRACK_EVENT_ANOMALY, .t = t, .anomaly = a, .why = why};
	track_emit(tt, &ev);
}
