/* track_internal.h — private slot layout and helpers shared by the track module's files. */
#ifndef SOCKLAB_TRACK_INTERNAL_H
#define SOCKLAB_TRACK_INTERNAL_H

#include "socklab/track.h"

#include <stdarg.h>

#define TRACK_NIL UINT32_MAX

/* Intrusive doubly-linked lists of indices: no pointers, so slots can live in one array. */
struct track_tlink {
	uint32_t prev, next;
};
struct track_tlist {
	uint32_t head, tail;
};

/* Which link field a list uses: LRU and id lists link slots (node = slot index); timer lists
 * link endpoints (node = slot * 2 + role). */
enum track_list_kind { TRACK_LK_LRU, TRACK_LK_ID, TRACK_LK_TIMER };

/* What an endpoint's timer link is on: TIME_WAIT expiry, a pending receive-side inference, or
 * the moment a SYN_SENT endpoint whose peer never answered is predicted to have given up
 * (track_giveup.c). An endpoint never needs two at once: pending only exists in
 * LISTEN/SYN_SENT/ESTABLISHED/FIN_WAIT_2 (TIME_WAIT starts only once it is settled), and in
 * SYN_SENT only once the peer has sent something, which stops the give-up timer. */
enum track_timer { TRACK_TIMER_NONE, TRACK_TIMER_TW, TRACK_TIMER_PENDING, TRACK_TIMER_GIVEUP };

/* A receive-side transition waiting for evidence (the receiver's next segment). */
/* MIDFIN: mid-stream, an UNKNOWN endpoint sent a FIN; which closing state that FIN took it
 * to waits for the peer's sequence numbers (track_midclose.c). It has no timer: without the
 * evidence the endpoint stays UNKNOWN. pend_rel then holds the raw ACK its FIN carried. */
enum track_pend {
	TRACK_PEND_NONE,
	TRACK_PEND_SYN,
	TRACK_PEND_SYNACK,
	TRACK_PEND_FIN,
	TRACK_PEND_MIDFIN,
	/* FIN_WAIT_2 got a FIN carrying data. An application that has closed its socket refuses
	 * new data with a RST (RFC 1122 §4.2.2.13; Linux resets from FIN_WAIT_2 and never takes
	 * the FIN); one that only shut down writing takes both and ACKs the FIN: TIME_WAIT. */
	TRACK_PEND_FIN_DATA
};

/* Which LRU list a slot is on: free slots are on none (their lru.next chains the free list).
 * HALF: a handshake not completed (no endpoint synchronized yet, not mid-stream, not closed):
 * under a flood of SYNs these are what the cap evicts, youngest first, before any open one. */
enum track_lru { TRACK_LRU_FREE, TRACK_LRU_OPEN, TRACK_LRU_CLOSED, TRACK_LRU_HALF };

/* Per endpoint, what segments read and write (hot: in the slot's first four lines). */
struct track_side {
	uint32_t base;     /* relative-seq origin: ISN, else the first seq seen */
	uint16_t win;      /* last advertised window, raw */
	uint8_t timer;     /* enum track_timer */
	uint8_t pend;      /* enum track_pend */
	bool seen;         /* sent at least one segment */
	bool based;        /* base is set (its first seq, or the first ACK of its numbers seen) */
	bool win_from_syn; /* win came from a SYN: never scaled (RFC 7323 §2.2) */
	bool has_data, data_acked, synack_sent;
};

/* Per endpoint, what only timers, pending inferences and mid-stream pick-up use (cold). */
struct track_side_cold {
	struct track_tlink timer_link; /* on the TIME_WAIT or pending list */
	double deadline;               /* when that timer fires */
	uint32_t first_data;           /* seq of the first payload seen (mid-stream settling) */
	uint32_t
	    pend_rel; /* relative seq of the SYN/FIN whose receipt is pending (MIDFIN: raw ACK) */
};

/* One connection slot. The public part comes first so a track_conn pointer is the slot. Slots
 * start on a cache line (64-byte aligned, 5 lines). An ordinary segment touches only the first
 * four (public part + hot fields); the fifth holds list links and timer data, touched when a
 * timer is set or the slot moves on its LRU list (rarely, see lru_slack). */
struct track_slot {
	_Alignas(64) struct track_conn c;
	struct track_side side[2];
	uint32_t hash;
	uint32_t lru_stamp; /* tt->lru_clock when it was last appended to its LRU list */
	uint8_t lru_list;   /* enum track_lru */
	uint8_t lru_want;   /* the list its states call for (track_lru_kind) */
	bool hashed;        /* findable by 4-tuple (false once a new SYN reused the tuple) */
	uint8_t hist_len;
	_Alignas(64) struct track_side_cold cold[2];
	struct track_tlink lru, by_id;
};

/* Lines of a slot a segment touches: prefetched ahead of it. */
#define TRACK_SLOT_HOT_BYTES 256

/* A 4-tuple hash entry carries the full hash, so a probe compares it without reading the slot
 * (a cache miss per probe otherwise); the slot is read once, on a match. */
struct track_hent {
	uint32_t hash;
	uint32_t idx; /* slot index; TRACK_NIL = empty */
};

/* Room for the events one segment causes (OPEN, EVICT, START, STATE, ANOMALY): at most about
 * a dozen arise from one segment (port reuse with an eviction, then a full handshake step). */
#define TRACK_CAUSED_MAX 32
#define TRACK_WHY_MAX    224

struct track_table {
	struct track_config cfg;
	struct track_slot *slots;
	struct track_hent *hash; /* open addressing, linear probing, load <= 1/2 */
	uint32_t hash_mask;
	uint32_t free_head; /* slots freed by eviction, chained through lru.next */
	uint32_t fresh;     /* slots [fresh, max_conns) were never used */
	struct track_tlist lru_open, lru_closed, lru_half, ids, tw, pend;
	struct track_tlist giveup; /* SYN give-up predictions: kept sorted (durations vary) */
	uint32_t lru_clock; /* appends to an LRU list so far (wraps; only differences count) */
	uint32_t lru_slack; /* a touch within this many appends of the last one does not move */
	double timer_due;   /* no timer fires before this (a lower bound; +inf if none) */
	uint64_t next_id;
	double now;
	struct track_stats stats;
	uint64_t transitions;    /* STATE changes so far: tells whether a segment changed any */
	bool general_only;       /* every segment takes the general steps (test_track_plain) */
	void *slots_mem;         /* what calloc returned (slots is it, aligned up to 64) */
	char why[TRACK_WHY_MAX]; /* why of an event delivered on its own; events are synchronous */
	struct track_event lone; /* an event delivered on its own, built here */
	/* The segment being applied: the events it causes are kept here, each with its why, and
	 * delivered inside its PACKET event (track_segment_end). */
	bool in_segment;
	uint32_t ncaused;
	struct track_event caused[TRACK_CAUSED_MAX];
	char caused_why[TRACK_CAUSED_MAX][TRACK_WHY_MAX];
	struct track_conn gone; /* a connection evicted during the segment, as it was */
};

/* track_lists.c */
void track_list_append(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                       uint32_t node);
void track_list_remove(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                       uint32_t node);
/* Inserts node after the node after (TRACK_NIL: at the head). */
void track_list_insert_after(struct track_table *tt, struct track_tlist *l, enum track_list_kind k,
                             uint32_t after, uint32_t node);

/* track_lru.c */
/* The LRU list a slot belongs on: closed; half-open (both endpoints before ESTABLISHED, RFC
 * 9293 §3.3.2's unsynchronized states, handshake seen); or open. */
enum track_lru track_lru_kind(const struct track_slot *s);
struct track_tlist *track_lru_list_of(struct track_table *tt, const struct track_slot *s);
/* Appends s to l and stamps it with the LRU clock. */
void track_lru_append(struct track_table *tt, struct track_tlist *l, struct track_slot *s);
/* Moves s to the tail of the LRU list it belongs on (track_touch decided it must). */
void track_touch_move(struct track_table *tt, struct track_slot *s);
/* A segment or state change on s: keep it off the eviction end of its LRU list. Inline: on
 * nearly every call it was moved recently and nothing is done (see lru_slack). */
static inline void track_touch(struct track_table *tt, struct track_slot *s)
{
	if (s->lru_want == s->lru_list && tt->lru_clock - s->lru_stamp <= tt->lru_slack)
		return;
	track_touch_move(tt, s);
}

/* track_timers.c: ep's one timer; starting it replaces whatever ran before. */
void track_timer_start(struct track_table *tt, struct track_slot *s, enum track_role ep,
                       enum track_timer which, double deadline);
void track_timer_stop(struct track_table *tt, struct track_slot *s, enum track_role ep);

/* track_events.c */
/* Delivers ev, or keeps a copy for the PACKET event of the segment being applied. */
void track_emit(struct track_table *tt, struct track_event *ev);
/* The same without the copy, for the frequent events: ev was built where track_event_place
 * said (its place in the segment's record, or tt->lone). */
void track_emit_placed(struct track_table *tt, struct track_event *ev);
static inline struct track_event *track_event_place(struct track_table *tt)
{
	return tt->in_segment && tt->ncaused < TRACK_CAUSED_MAX ? &tt->caused[tt->ncaused]
	                                                        : &tt->lone;
}
/* Where the why of the event about to be emitted is to be formatted (TRACK_WHY_MAX bytes). */
static inline char *track_why_buf(struct track_table *tt)
{
	return tt->in_segment && tt->ncaused < TRACK_CAUSED_MAX ? tt->caused_why[tt->ncaused]
	                                                        : tt->why;
}
/* A segment starts being applied: what it causes is kept for its PACKET event. */
static inline void track_segment_begin(struct track_table *tt)
{
	tt->in_segment = true;
	tt->ncaused = 0;
}
/* The segment is applied: delivers its PACKET event (if anyone listens; packet may then be
 * NULL) with the events it caused attached. */
static inline void track_segment_end(struct track_table *tt, struct track_event *packet)
{
	tt->in_segment = false;
	if (!packet || !tt->cfg.on_event)
		return;
	packet->caused = tt->caused;
	packet->ncaused = tt->ncaused;
	packet->states[0] = packet->conn->ep[0].state;
	packet->states[1] = packet->conn->ep[1].state;
	tt->cfg.on_event(packet, tt->cfg.user);
}
void track_anomaly(struct track_table *tt, double t, struct track_slot *s, enum track_role sender,
                   const struct decode_packet *pkt, enum track_anomaly a, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The why strings' formatter: %u, %s, %g and %% only. */
void track_format_why(char *out, size_t cap, const char *fmt, va_list ap);

/* track_table.c */
/* h, here and below, is decode_tuple_hash(pkt): the table's key. */
struct track_slot *track_lookup(struct track_table *tt, const struct decode_packet *pkt, uint32_t h,
                                enum track_role *sender);
/* A new slot, its endpoints at their start states (OPEN, emitted by the caller, announces
 * them): the client at client_start, the server UNKNOWN. */
struct track_slot *track_conn_new(struct track_table *tt, double t, const struct decode_packet *pkt,
                                  uint32_t h, bool src_is_client, enum track_state client_start);
void track_unhash(struct track_table *tt, struct track_slot *s);

/* track_clock.c: fires every timer due by now, in deadline order. */
void track_run_timers(struct track_table *tt, double now);

/* track_segment.c: track_segment with the 4-tuple hash already computed (track_batch.c). */
void track_segment_hashed(struct track_table *tt, double t, const struct decode_packet *pkt,
                          uint32_t h);

/* track_plain.c: a segment for which track_is_plain holds, applied (after lookup, LRU touch
 * and last_seen) with exactly the effects and events of the general path. */
void track_plain(struct track_table *tt, struct track_slot *s, enum track_role a, double t,
                 const struct decode_packet *p);
/* For the differential test: with on, track_plain is never taken, so the same segments can be
 * run through both paths and their events and states compared. */
static inline void track_set_general_only(struct track_table *tt, bool on)
{
	tt->general_only = on;
}
static inline bool track_is_plain(const struct track_slot *s, enum track_role a, uint8_t flags)
{
	return (flags & (DECODE_TCP_SYN | DECODE_TCP_FIN | DECODE_TCP_RST | DECODE_TCP_ACK)) ==
	           DECODE_TCP_ACK &&
	       s->c.ep[0].state == TRACK_ESTABLISHED && s->c.ep[1].state == TRACK_ESTABLISHED &&
	       s->side[a].pend == TRACK_PEND_NONE && !s->c.midstream;
}

/* track_state.c */
/* The one setter of a state after a connection's creation: a transition, with its STATE
 * event (track_set_state), or a start state learned from the endpoint's first segment, with
 * its START event (track_set_start: no transition, so no history letter, timer or LRU move). */
void track_set_state(struct track_table *tt, struct track_slot *s, enum track_role ep,
                     enum track_state to, double t, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void track_set_start(struct track_table *tt, struct track_slot *s, enum track_role ep,
                     enum track_state st, double t, const char *why);
void track_pend_set(struct track_table *tt, struct track_slot *s, enum track_role ep,
                    enum track_pend kind, uint32_t rel_seq, double t);
void track_pend_drop(struct track_table *tt, struct track_slot *s, enum track_role ep);
/* Commit ep's pending inference with its ordinary outcome; suffix ends the why string. */
void track_pend_commit(struct track_table *tt, struct track_slot *s, enum track_role ep, double t,
                       const char *suffix);
void track_history_add(struct track_slot *s, char letter);
void track_tw_restart(struct track_table *tt, struct track_slot *s, enum track_role ep, double t);

/* One segment being applied: A (sender) -> B (receiver). Built by track_segment.c. */
struct track_seg {
	struct track_table *tt;
	struct track_slot *s;
	const struct decode_packet *p;
	double t;
	enum track_role a, b;
	struct track_endpoint *ea, *eb;
	struct track_side *side_a, *side_b;
	bool syn, fin, rst, ack;
	bool a_known;          /* A's send position was known before this segment */
	double prev_seen;      /* the connection's last_seen before this segment */
	uint32_t prev_snd_nxt; /* A's snd_nxt before this segment */
};

/* track_giveup.c: a client whose SYNs go unanswered (RFC 9293 §3.8.1, §3.8.3; RFC 6298). */
/* After A's segment: if A is in SYN_SENT, sent a SYN and its peer has never sent anything,
 * (re)start A's give-up timer for when a next SYN would be overdue. */
void track_giveup_arm(struct track_seg *seg);
/* The timer fired: no further SYN came, A is predicted CLOSED (STATE event at time when). */
void track_giveup_fire(struct track_table *tt, struct track_slot *s, enum track_role ep,
                       double when);

/* track_rst.c: both endpoints' reaction to a RST (RFC 9293 §3.10.7, RFC 5961 §3.2). */
void track_rst(struct track_seg *seg);
/* track_receive.c: B's reaction (RST, ACK, SYN, FIN), after A's own send transition. */
void track_receive(struct track_seg *seg, bool new_syn, bool new_fin, bool retrans_fin);

/* track_midclose.c: a connection picked up at its teardown (RFC 9293 §3.6). */
/* Before A's segment is applied: does it settle B's pending mid-stream FIN? */
void track_midclose_evidence(struct track_seg *seg);
/* A, UNKNOWN mid-stream, sends its first FIN: settle its state now if what was seen allows,
 * else leave it UNKNOWN with a pending MIDFIN. Called before A's own send transition. */
void track_midclose_fin(struct track_seg *seg);

/* The window a PACKET event reports (RFC 7323 §2.2): the sender's shift applies when both ends
 * offered window scaling in their SYNs, never to a SYN itself. Unknown (-1) mid-stream, and
 * for a client whose SYN was not captured but whose peer's SYN-ACK scaled (a SYN-ACK carries
 * the option only in reply to one). */
static inline void track_event_window(const struct track_slot *s, enum track_role a,
                                      const struct decode_packet *p, struct track_event *ev)
{
	int sa = s->c.ep[a].wscale, sb = s->c.ep[!a].wscale;
	int shift = 0;
	if (p->flags & DECODE_TCP_SYN)
		shift = 0;
	else if (s->c.midstream || (sa < 0 && sb >= 0 && a == TRACK_CLIENT))
		shift = -1;
	else if (sa >= 0 && sb >= 0)
		shift = sa;
	ev->win_shift = (int8_t)shift;
	ev->win = shift > 0 ? (uint32_t)p->window << shift : p->window;
}

static inline uint32_t track_rel(const struct track_slot *s, enum track_role r, uint32_t seq)
{
	return seq - s->side[r].base;
}

/* RFC 9293 §3.4 acceptable ACK of e's SYN / FIN: beyond it, and not beyond what e sent. */
static inline bool track_acks_syn(const struct track_endpoint *e, uint32_t ack)
{
	return e->syn_sent && decode_seq_gt(ack, e->isn) && decode_seq_le(ack, e->snd_nxt);
}
static inline bool track_acks_fin(const struct track_endpoint *e, uint32_t ack)
{
	return e->fin_sent && decode_seq_gt(ack, e->fin_seq) && decode_seq_le(ack, e->snd_nxt);
}

static inline uint32_t track_slot_index(const struct track_table *tt, const struct track_slot *s)
{
	return (uint32_t)(s - tt->slots);
}

#endif
