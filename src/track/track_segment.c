/* track_segment.c — one captured segment applied to both endpoints of its connection. */
#include "socklab/track.h"
#include "track_internal.h"

#include <string.h>

/* UNKNOWN here is a server never heard from (mid-stream connections are handled apart). */
static bool is_done(enum track_state st)
{
	return st == TRACK_CLOSED || st == TRACK_TIME_WAIT || st == TRACK_UNKNOWN;
}

/* A bare SYN on a known 4-tuple starts a new connection when the old one is over, or was only
 * ever seen mid-stream; the same ISN again is a retransmission instead. */
static bool syn_reuses(const struct track_slot *s, enum track_role sender, uint32_t seq)
{
	const struct track_endpoint *e = &s->c.ep[sender];
	if (e->isn_known && e->syn_sent && e->isn == seq)
		return false;
	if (s->c.midstream)
		return true;
	return is_done(s->c.ep[0].state) && is_done(s->c.ep[1].state);
}

static void retire(struct track_table *tt, struct track_slot *s, double t)
{
	for (int r = 0; r < 2; r++) {
		enum track_state st = s->c.ep[r].state;
		if (st == TRACK_CLOSED || (st == TRACK_UNKNOWN && !s->c.midstream))
			continue; /* nothing to end (a server never heard from stays UNKNOWN) */
		/* Linux lets a new SYN take over a TIME_WAIT 4-tuple; the old socket is gone. */
		track_set_state(tt, s, (enum track_role)r, TRACK_CLOSED, t,
		                st == TRACK_TIME_WAIT
		                    ? "TIME_WAIT ended early: new SYN on the same 4-tuple"
		                    : "superseded: new SYN on the same 4-tuple");
	}
	track_unhash(tt, s);
}

static struct track_slot *open_conn(struct track_table *tt, double t, const struct decode_packet *p,
                                    uint32_t h, bool reuse, enum track_role *sender)
{
	bool syn = (p->flags & (DECODE_TCP_SYN | DECODE_TCP_RST)) == DECODE_TCP_SYN;
	bool synack = syn && (p->flags & DECODE_TCP_ACK);
	/* A SYN's client starts CLOSED (its SYN makes it SYN_SENT); the server stays UNKNOWN until
	 * its first segment shows what it was (resolve_server_start). Mid-stream, both are
	 * UNKNOWN. OPEN announces these start states. */
	struct track_slot *s =
	    track_conn_new(tt, t, p, h, !synack, syn ? TRACK_CLOSED : TRACK_UNKNOWN);
	struct track_event ev = {.kind = TRACK_EVENT_OPEN, .t = t, .conn = &s->c};
	*sender = synack ? TRACK_SERVER : TRACK_CLIENT;
	if (syn) {
		track_emit(tt, &ev);
		if (reuse)
			track_anomaly(tt, t, s, TRACK_CLIENT, p, TRACK_ANOMALY_PORT_REUSE,
			              "new SYN on a 4-tuple whose previous connection is over");
		if (synack) {
			/* The SYN was not captured, but the SYN-ACK proves it was sent (ACK-1). */
			struct track_endpoint *c = &s->c.ep[TRACK_CLIENT];
			c->isn = p->ack - 1;
			c->isn_known = c->syn_sent = true;
			c->snd_nxt = p->ack;
			s->side[TRACK_CLIENT].base = c->isn;
			track_anomaly(tt, t, s, TRACK_SERVER, p, TRACK_ANOMALY_MIDSTREAM,
			              "SYN not captured: picked up at the SYN-ACK");
			track_set_state(tt, s, TRACK_CLIENT, TRACK_SYN_SENT, t,
			                "sent SYN seq=0 (not captured; the SYN-ACK ACKs it)");
		}
		return s;
	}
	/* Mid-stream: never invent a handshake; both stay UNKNOWN until evidence settles them. */
	s->c.midstream = true;
	track_emit(tt, &ev);
	track_anomaly(tt, t, s, TRACK_CLIENT, p, TRACK_ANOMALY_MIDSTREAM,
	              "first segment seen was not a SYN: handshake not captured");
	return s;
}

/* The server's first segment shows what it was before it (RFC 9293): that start state is set
 * with a START event, not a STATE event, as no transition was seen. A reply that proves
 * nothing leaves it UNKNOWN. */
static void resolve_server_start(struct track_seg *seg)
{
	if (seg->ea->state != TRACK_UNKNOWN || seg->s->c.midstream)
		return;
	bool acks_syn = seg->ack && track_acks_syn(seg->eb, seg->p->ack);
	if (seg->rst) {
		if (!acks_syn)
			return; /* not an answer to the SYN: the client ignores it (§3.10.7.3) */
		/* §3.10.7.1: CLOSED answers a SYN with RST/ACK; the client reports the refusal. */
		track_set_start(seg->tt, seg->s, seg->a, TRACK_CLOSED, seg->t,
		                "it answered our SYN with RST/ACK: nothing was listening");
		track_pend_drop(seg->tt, seg->s, seg->a);
	} else if (seg->syn && !seg->ack) {
		/* §3.5 fig 8: a bare SYN means it was connecting too (CLOSED -> SYN_SENT), and its
		 * SYN left before ours arrived. */
		track_set_start(seg->tt, seg->s, seg->a, TRACK_CLOSED, seg->t,
		                "it sent a SYN of its own: it was connecting, not listening");
	} else if (acks_syn) {
		/* §3.10.7.2: only a listener answers our SYN by ACKing it (normally a SYN-ACK). */
		track_set_start(seg->tt, seg->s, seg->a, TRACK_LISTEN, seg->t,
		                "it answered our SYN with an ACK of it: it was listening");
		track_pend_drop(seg->tt, seg->s, seg->a);
		track_set_state(seg->tt, seg->s, seg->a, TRACK_SYN_RECEIVED, seg->t,
		                seg->syn ? "sent SYN-ACK acking SYN seq=%u" : "ACKed SYN seq=%u",
		                track_rel(seg->s, seg->b, seg->eb->isn));
	}
}

/* Does this segment show the sender had received what its pending inference is about? */
static void resolve_sender_pending(struct track_seg *seg, bool new_syn, bool new_fin, bool *crossed)
{
	struct track_table *tt = seg->tt;
	uint32_t ack = seg->p->ack;
	switch (seg->side_a->pend) {
	case TRACK_PEND_SYN:
		/* An answer to the SYN was settled by resolve_server_start. */
		if (!seg->rst && new_syn && !seg->ack)
			*crossed = true; /* its own SYN was sent before ours arrived (§3.5 fig 8) */
		break;
	case TRACK_PEND_SYNACK:
		if (!seg->rst && seg->ack && track_acks_syn(seg->eb, ack)) {
			/* RFC 9293 §3.10.7.3: SYN_SENT + acceptable SYN-ACK -> ESTABLISHED; the
			 * client's ACK of it is its own evidence. */
			uint32_t rel = seg->s->cold[seg->a].pend_rel;
			track_pend_drop(tt, seg->s, seg->a);
			track_set_state(tt, seg->s, seg->a, TRACK_ESTABLISHED, seg->t,
			                "sent ACK of SYN-ACK seq=%u", rel);
		}
		break;
	case TRACK_PEND_FIN_DATA:
		/* Its ACK of the FIN shows it took the data too; a RST (track_rst.c) closes it
		 * from FIN_WAIT_2 and drops this inference. */
		if (!seg->rst && seg->ack && track_acks_fin(seg->eb, ack))
			track_pend_commit(tt, seg->s, seg->a, seg->t, " (its ACK covers the FIN)");
		break;
	case TRACK_PEND_FIN:
		if (seg->ack && track_acks_fin(seg->eb, ack)) {
			track_pend_commit(tt, seg->s, seg->a, seg->t, " (its ACK covers the FIN)");
		} else if (new_fin) {
			*crossed = true; /* FIN sent before the peer's FIN arrived (§3.6 fig 13) */
		}
		break;
	default:
		break;
	}
}

static void send_transition(struct track_seg *seg, bool new_syn, bool new_fin, bool crossed)
{
	struct track_table *tt = seg->tt;
	struct track_slot *s = seg->s;
	uint32_t rel = track_rel(s, seg->a, seg->p->seq);
	if (new_syn && !seg->ack) {
		if (seg->ea->state == TRACK_CLOSED) {
			/* RFC 9293 §3.10.1: active OPEN sends SYN -> SYN_SENT. */
			track_set_state(tt, s, seg->a, TRACK_SYN_SENT, seg->t,
			                seg->a == TRACK_SERVER ? "sent SYN seq=%u (connecting too, "
			                                         "not listening)"
			                                       : "sent SYN seq=%u",
			                rel);
		} else {
			track_anomaly(tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
			              "SYN sent in %s",
			              track_state_name(seg->ea->state, TRACK_NAMES_RFC));
		}
		if (crossed && seg->ea->state == TRACK_SYN_SENT) {
			/* RFC 9293 §3.10.7.3 fourth check: SYN_SENT + SYN -> SYN_RECEIVED. */
			uint32_t prel = seg->s->cold[seg->a].pend_rel;
			track_pend_drop(tt, s, seg->a);
			track_set_state(tt, s, seg->a, TRACK_SYN_RECEIVED, seg->t,
			                "received SYN seq=%u after sending its own (SYNs crossed: "
			                "simultaneous open)",
			                prel);
		}
	} else if (new_syn) {
		enum track_state st = seg->ea->state;
		/* A server not yet known: its SYN-ACK did not ACK the SYN; the receiver side
		 * reports that. */
		bool unanswered = st == TRACK_UNKNOWN && !s->c.midstream;
		if (st != TRACK_SYN_RECEIVED && st != TRACK_ESTABLISHED && !unanswered)
			track_anomaly(tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
			              "SYN-ACK sent in %s", track_state_name(st, TRACK_NAMES_RFC));
	}
	if (!new_fin)
		return;
	if (seg->ea->state == TRACK_UNKNOWN && s->c.midstream)
		track_midclose_fin(seg); /* may show it was ESTABLISHED or CLOSE_WAIT */
	switch (seg->ea->state) {
	case TRACK_SYN_RECEIVED:
	case TRACK_ESTABLISHED:
		/* RFC 9293 §3.10.4: CLOSE in SYN_RECEIVED/ESTABLISHED sends FIN -> FIN_WAIT_1. */
		track_set_state(tt, s, seg->a, TRACK_FIN_WAIT_1, seg->t, "sent FIN seq=%u",
		                track_rel(s, seg->a, seg->ea->fin_seq));
		break;
	case TRACK_CLOSE_WAIT:
		/* RFC 9293 §3.10.4: CLOSE in CLOSE_WAIT sends FIN -> LAST_ACK. */
		track_set_state(tt, s, seg->a, TRACK_LAST_ACK, seg->t, "sent FIN seq=%u",
		                track_rel(s, seg->a, seg->ea->fin_seq));
		break;
	case TRACK_UNKNOWN:
		/* Mid-stream, not settled yet: FIN_WAIT_1 or LAST_ACK depends on a FIN of the peer
		 * not seen; the peer's numbers will tell (track_midclose.c). */
		break;
	default:
		track_anomaly(tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
		              "FIN sent in %s", track_state_name(seg->ea->state, TRACK_NAMES_RFC));
		break;
	}
	if (crossed && seg->ea->state == TRACK_FIN_WAIT_1) {
		/* RFC 9293 §3.10.7.4 eighth step: FIN_WAIT_1 + FIN (ours unacked) -> CLOSING. */
		uint32_t prel = seg->s->cold[seg->a].pend_rel;
		track_pend_drop(tt, s, seg->a);
		track_set_state(tt, s, seg->a, TRACK_CLOSING, seg->t,
		                "received FIN seq=%u after sending its own (FINs crossed: "
		                "simultaneous close)",
		                prel);
	}
}

/* What A's segment says about its own sequence space, ACK, window and options. */
static void note_sent(struct track_seg *seg, bool new_syn, bool new_fin)
{
	const struct decode_packet *p = seg->p;
	struct track_endpoint *ea = seg->ea;
	uint32_t len = p->payload_len;
	ea->packets++;
	ea->bytes += len;
	if (new_syn) {
		if (!ea->syn_sent) {
			ea->isn = p->seq;
			ea->isn_known = ea->syn_sent = true;
			seg->side_a->base = p->seq;
		}
		seg->side_a->synack_sent = seg->ack;
		if (p->opts.has_mss)
			ea->mss = p->opts.mss;
		if (p->opts.has_wscale) /* RFC 7323 §2.3: shifts above 14 are treated as 14 */
			ea->wscale = (int8_t)(p->opts.wscale > 14 ? 14 : p->opts.wscale);
	}
	if (new_fin) {
		ea->fin_sent = true;
		ea->fin_seq = p->seq + len;
	}
	if (seg->rst) {
		ea->rst_sent = true;
		if (!seg->a_known)
			ea->snd_nxt = p->seq;
	} else {
		uint32_t end = p->seq + len + (seg->syn ? 1u : 0u) + (seg->fin ? 1u : 0u);
		if (!seg->a_known || decode_seq_gt(end, ea->snd_nxt))
			ea->snd_nxt = end;
	}
	if (seg->ack) {
		if (!ea->acked_any || decode_seq_gt(p->ack, ea->ack_sent))
			ea->ack_sent = p->ack;
		ea->acked_any = true;
	}
	seg->side_a->win = p->window;
	seg->side_a->win_from_syn = seg->syn;
	seg->side_a->seen = true;
}

/* Mid-stream: data sent by each side and ACKed by the other proves both are synchronized and
 * neither had sent a FIN before (data cannot follow a FIN): both ESTABLISHED. */
static void settle_midstream(struct track_seg *seg, bool retrans)
{
	const struct decode_packet *p = seg->p;
	if (p->payload_len > 0 && !retrans && !seg->side_a->has_data) {
		seg->side_a->has_data = true;
		seg->s->cold[seg->a].first_data = p->seq;
	}
	if (seg->ack && seg->side_b->has_data &&
	    decode_seq_gt(p->ack, seg->s->cold[seg->b].first_data))
		seg->side_b->data_acked = true;
	const struct track_endpoint *e = seg->s->c.ep;
	if (e[0].state != TRACK_UNKNOWN || e[1].state != TRACK_UNKNOWN)
		return;
	if (!seg->s->side[0].data_acked || !seg->s->side[1].data_acked || e[0].fin_sent ||
	    e[1].fin_sent || e[0].rst_sent || e[1].rst_sent)
		return;
	for (int r = 0; r < 2; r++)
		track_set_state(seg->tt, seg->s, (enum track_role)r, TRACK_ESTABLISHED, seg->t,
		                "data ACKed both ways (picked up mid-stream)");
}

/* History alphabet (see track.h): upper case = client, lower case = server. */
static void note_history(struct track_seg *seg, bool retrans, bool changed)
{
	char c = 0;
	if (seg->rst)
		c = 'R';
	else if (seg->syn && !retrans)
		c = 'S';
	else if (seg->fin && !retrans)
		c = 'F';
	else if (seg->p->payload_len > 0 && !retrans)
		c = 'D';
	else if (changed)
		c = 'A';
	if (!c)
		return;
	if (seg->a == TRACK_SERVER)
		c = (char)(c - 'A' + 'a');
	struct track_slot *s = seg->s;
	if ((c == 'D' || c == 'd') && s->hist_len > 0 && s->c.history[s->hist_len - 1] == c)
		return; /* a run of data segments is one letter */
	track_history_add(s, c);
}

static bool classify(struct track_seg *seg, bool *new_syn, bool *new_fin, bool *retrans_fin)
{
	const struct decode_packet *p = seg->p;
	uint32_t rel = track_rel(seg->s, seg->a, p->seq), len = p->payload_len;
	bool retrans = false;
	*new_syn = *new_fin = *retrans_fin = false;
	if (seg->rst)
		return false; /* a RST is judged on its own (track_rst.c) */
	if (seg->syn) {
		if (seg->ea->syn_sent && p->seq != seg->ea->isn)
			track_anomaly(seg->tt, seg->t, seg->s, seg->a, p, TRACK_ANOMALY_UNEXPECTED,
			              "SYN with a new ISN on a live connection: ignored");
		else if (seg->ack ? seg->side_a->synack_sent : seg->ea->syn_sent)
			retrans = true;
		else
			*new_syn = true;
	}
	if (seg->fin) {
		if (!seg->ea->fin_sent)
			*new_fin = true;
		else if (p->seq + len == seg->ea->fin_seq)
			retrans = *retrans_fin = true;
		else
			track_anomaly(seg->tt, seg->t, seg->s, seg->a, p, TRACK_ANOMALY_UNEXPECTED,
			              "second FIN at a different seq=%u: ignored", rel + len);
	}
	if (!seg->syn && !seg->fin && len > 0 && seg->a_known &&
	    decode_seq_le(p->seq + len, seg->prev_snd_nxt))
		retrans = true;
	if (retrans)
		track_anomaly(seg->tt, seg->t, seg->s, seg->a, p, TRACK_ANOMALY_RETRANSMISSION,
		              "%s seq=%u len=%u sent again",
		              seg->syn   ? (seg->ack ? "SYN-ACK" : "SYN")
		              : seg->fin ? "FIN"
		                         : "data",
		              rel, len);
	return retrans;
}

void track_segment(struct track_table *tt, double t, const struct decode_packet *pkt)
{
	track_segment_hashed(tt, t, pkt, decode_tuple_hash(pkt));
}

void track_segment_hashed(struct track_table *tt, double t, const struct decode_packet *pkt,
                          uint32_t h)
{
	if (!(t >= tt->now)) /* also catches NaN */
		t = tt->now;
	if (t >= tt->timer_due)
		track_run_timers(tt, t); /* their events come on their own, before this segment's */
	tt->now = t;
	tt->stats.segments++;
	track_segment_begin(tt);

	enum track_role a = TRACK_CLIENT;
	struct track_slot *s = track_lookup(tt, pkt, h, &a);
	bool bare_syn =
	    (pkt->flags & (DECODE_TCP_SYN | DECODE_TCP_ACK | DECODE_TCP_RST)) == DECODE_TCP_SYN;
	bool reuse = false;
	if (s && bare_syn && syn_reuses(s, a, pkt->seq)) {
		retire(tt, s, t);
		s = NULL;
		reuse = true;
	}
	if (!s)
		s = open_conn(tt, t, pkt, h, reuse, &a);
	else
		track_touch(tt, s);
	double prev_seen = s->c.last_seen;
	s->c.last_seen = t;
	if (track_is_plain(s, a, pkt->flags) && !tt->general_only) {
		track_plain(tt, s, a, t, pkt);
		return;
	}

	struct track_seg seg = {.tt = tt,
	                        .s = s,
	                        .p = pkt,
	                        .t = t,
	                        .a = a,
	                        .b = (enum track_role) !a,
	                        .prev_seen = prev_seen};
	seg.ea = &s->c.ep[seg.a];
	seg.eb = &s->c.ep[seg.b];
	seg.side_a = &s->side[seg.a];
	seg.side_b = &s->side[seg.b];
	seg.syn = pkt->flags & DECODE_TCP_SYN;
	seg.fin = pkt->flags & DECODE_TCP_FIN;
	seg.rst = pkt->flags & DECODE_TCP_RST;
	seg.ack = pkt->flags & DECODE_TCP_ACK;
	seg.a_known = seg.side_a->seen || seg.ea->isn_known;
	seg.prev_snd_nxt = seg.ea->snd_nxt;
	/* No SYN seen: numbers count from the first of each side's numbers seen, its own first
	 * seq, or the peer's ACK of its numbers if that came first (the ACK of a segment picked
	 * up at a FIN would otherwise be raw beside a relative seq). */
	if (!seg.a_known && !seg.side_a->based)
		seg.side_a->base = pkt->seq;
	seg.side_a->based = true;
	if (seg.ack && !seg.side_b->based && !seg.eb->isn_known) {
		seg.side_b->base = pkt->ack;
		seg.side_b->based = true;
	}
	if (s->c.midstream)
		track_midclose_evidence(&seg); /* before this segment's own effects */
	if (seg.side_b->timer == TRACK_TIMER_GIVEUP)
		track_timer_stop(tt, s, seg.b); /* its peer answered: no longer unanswered SYNs */

	bool new_syn, new_fin, retrans_fin;
	bool retrans = classify(&seg, &new_syn, &new_fin, &retrans_fin);
	note_sent(&seg, new_syn, new_fin);

	uint64_t before = tt->transitions;
	bool crossed = false;
	resolve_server_start(&seg);
	resolve_sender_pending(&seg, new_syn, new_fin, &crossed);
	send_transition(&seg, new_syn, new_fin, crossed);
	track_receive(&seg, new_syn, new_fin, retrans_fin);
	track_giveup_arm(&seg); /* A's SYN give-up prediction: restarted, or stopped */
	if (s->c.midstream)
		settle_midstream(&seg, retrans);
	note_history(&seg, retrans, tt->transitions != before);

	if (!tt->cfg.on_event) {
		track_segment_end(tt, NULL);
		return;
	}
	struct track_event ev = {
	    .kind = TRACK_EVENT_PACKET,
	    .t = t,
	    .conn = &s->c,
	    .pkt = pkt,
	    .sender = a,
	    .rel_seq = track_rel(s, a, pkt->seq),
	    .rel_ack = seg.ack ? track_rel(s, seg.b, pkt->ack) : 0,
	};
	track_event_window(s, a, pkt, &ev);
	track_segment_end(tt, &ev);
}
