/* track_receive.c — the receiver's side of one segment: ACK-, SYN- and FIN-driven changes. */
#include "socklab/track.h"
#include "track_internal.h"

/* Receive-side changes driven by the ACK field commit at once: an ACK cannot cross anything
 * that would change the outcome (RFC 9293 §3.10.7.4, fifth step, per state). */
static void on_ack(struct track_seg *g)
{
	struct track_table *tt = g->tt;
	struct track_endpoint *eb = g->eb;
	uint32_t ack = g->p->ack;
	/* Each check only in the state that needs it: most segments arrive in ESTABLISHED. */
	switch (eb->state) {
	case TRACK_SYN_RECEIVED:
		/* SYN-RECEIVED: an ACK of our SYN -> ESTABLISHED. */
		if (track_acks_syn(eb, ack))
			track_set_state(tt, g->s, g->b, TRACK_ESTABLISHED, g->t,
			                g->syn ? "received SYN-ACK seq=%u acking our SYN"
			                       : "received ACK of our SYN-ACK (ack=%u)",
			                g->syn ? track_rel(g->s, g->a, g->p->seq)
			                       : track_rel(g->s, g->b, ack));
		break;
	case TRACK_FIN_WAIT_1:
		/* FIN-WAIT-1: our FIN acknowledged -> FIN_WAIT_2. */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, g->s, g->b, TRACK_FIN_WAIT_2, g->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(g->s, g->b, ack));
		break;
	case TRACK_CLOSING:
		/* CLOSING: our FIN acknowledged -> TIME_WAIT. */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, g->s, g->b, TRACK_TIME_WAIT, g->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(g->s, g->b, ack));
		break;
	case TRACK_LAST_ACK:
		/* LAST-ACK: our FIN acknowledged -> delete the TCB (CLOSED). */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, g->s, g->b, TRACK_CLOSED, g->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(g->s, g->b, ack));
		break;
	default:
		break;
	}
}

static void on_syn(struct track_seg *g)
{
	struct track_table *tt = g->tt;
	uint32_t rel = track_rel(g->s, g->a, g->p->seq);
	if (!g->ack) {
		enum track_state st = g->eb->state;
		if (st == TRACK_UNKNOWN && !g->s->c.midstream) {
			/* A server not yet heard from: its reply will tell whether it was listening
			 * (RFC 9293 §3.10.7.2: LISTEN + SYN -> SYN_RECEIVED) or connecting too
			 * (§3.5 fig 8); the pending SYN lets a crossing SYN show. */
			track_pend_set(tt, g->s, g->b, TRACK_PEND_SYN, rel, g->t);
			return;
		}
		switch (st) {
		case TRACK_SYN_SENT:
			/* §3.10.7.3 fourth check: SYN_SENT + SYN without ACK -> SYN_RECEIVED
			 * (simultaneous open, §3.5 figure 8). */
			track_set_state(tt, g->s, g->b, TRACK_SYN_RECEIVED, g->t,
			                "received SYN seq=%u while in SYN_SENT (SYNs crossed: "
			                "simultaneous open)",
			                rel);
			break;
		default:
			track_anomaly(tt, g->t, g->s, g->a, g->p, TRACK_ANOMALY_UNEXPECTED,
			              "SYN received in %s",
			              track_state_name(g->eb->state, TRACK_NAMES_RFC));
			break;
		}
		return;
	}
	if (g->eb->state != TRACK_SYN_SENT)
		return; /* simultaneous open: the ACK part already did the work */
	if (track_acks_syn(g->eb, g->p->ack)) {
		/* §3.10.7.3: SYN_SENT + acceptable SYN-ACK -> ESTABLISHED, committed when the
		 * client's own ACK of it is seen (or assumed after pending_secs). */
		track_pend_set(tt, g->s, g->b, TRACK_PEND_SYNACK, rel, g->t);
	} else {
		track_anomaly(tt, g->t, g->s, g->a, g->p, TRACK_ANOMALY_UNEXPECTED,
		              "SYN-ACK does not ACK our SYN: a RST is due");
	}
}

static void on_fin(struct track_seg *g, bool acked_our_fin_now)
{
	struct track_table *tt = g->tt;
	uint32_t rel = track_rel(g->s, g->a, g->ea->fin_seq);
	if (g->db->pend != TRACK_PEND_NONE) /* got A's earlier segment first (in-order channel) */
		track_pend_commit(tt, g->s, g->b, g->t, " (assumed: FIN followed)");
	switch (g->eb->state) {
	case TRACK_ESTABLISHED:
		/* RFC 9293 §3.10.7.4 eighth step: ESTABLISHED + FIN -> CLOSE_WAIT, unless B's own
		 * FIN crosses it (-> CLOSING): pending until B's next segment tells. */
		track_pend_set(tt, g->s, g->b, TRACK_PEND_FIN, rel, g->t);
		break;
	case TRACK_FIN_WAIT_1:
		/* Eighth step, FIN-WAIT-1 with our FIN not yet ACKed -> CLOSING (§3.6 fig 13). */
		track_set_state(tt, g->s, g->b, TRACK_CLOSING, g->t,
		                "received FIN seq=%u while our FIN is unACKed (FINs crossed: "
		                "simultaneous close)",
		                rel);
		break;
	case TRACK_FIN_WAIT_2:
		/* Eighth step, FIN-WAIT-2 + FIN -> TIME_WAIT. */
		track_set_state(tt, g->s, g->b, TRACK_TIME_WAIT, g->t,
		                acked_our_fin_now ? "received FIN seq=%u, peer ACKed our FIN"
		                                  : "received FIN seq=%u in FIN_WAIT_2",
		                rel);
		break;
	case TRACK_UNKNOWN:
		break; /* mid-stream: CLOSE_WAIT, CLOSING or TIME_WAIT depends on unseen history */
	default:
		track_anomaly(tt, g->t, g->s, g->a, g->p, TRACK_ANOMALY_UNEXPECTED,
		              "FIN received in %s",
		              track_state_name(g->eb->state, TRACK_NAMES_RFC));
		break;
	}
}

void track_receive(struct track_seg *g, bool new_syn, bool new_fin, bool retrans_fin)
{
	if (g->rst) {
		track_rst(g);
		return;
	}
	enum track_state before = g->eb->state;
	if (g->ack)
		on_ack(g);
	if (new_syn)
		on_syn(g);
	if (new_fin)
		on_fin(g, before == TRACK_FIN_WAIT_1);
	else if (retrans_fin)
		track_tw_restart(g->tt, g->s, g->b, g->t);
}
