/* track_receive.c — the receiver's side of one segment: ACK-, SYN- and FIN-driven changes. */
#include "socklab/track.h"
#include "track_internal.h"

/* Receive-side changes driven by the ACK field commit at once: an ACK cannot cross anything
 * that would change the outcome (RFC 9293 §3.10.7.4, fifth step, per state). */
static void on_ack(struct track_seg *seg)
{
	struct track_table *tt = seg->tt;
	struct track_endpoint *eb = seg->eb;
	uint32_t ack = seg->p->ack;
	/* Each check only in the state that needs it: most segments arrive in ESTABLISHED. */
	switch (eb->state) {
	case TRACK_SYN_RECEIVED:
		/* SYN-RECEIVED: an ACK of our SYN -> ESTABLISHED. */
		if (track_acks_syn(eb, ack))
			track_set_state(tt, seg->s, seg->b, TRACK_ESTABLISHED, seg->t,
			                seg->syn ? "received SYN-ACK seq=%u acking our SYN"
			                         : "received ACK of our SYN-ACK (ack=%u)",
			                seg->syn ? track_rel(seg->s, seg->a, seg->p->seq)
			                         : track_rel(seg->s, seg->b, ack));
		break;
	case TRACK_FIN_WAIT_1:
		/* FIN-WAIT-1: our FIN acknowledged -> FIN_WAIT_2. */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, seg->s, seg->b, TRACK_FIN_WAIT_2, seg->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(seg->s, seg->b, ack));
		break;
	case TRACK_CLOSING:
		/* CLOSING: our FIN acknowledged -> TIME_WAIT. */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, seg->s, seg->b, TRACK_TIME_WAIT, seg->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(seg->s, seg->b, ack));
		break;
	case TRACK_LAST_ACK:
		/* LAST-ACK: our FIN acknowledged -> delete the TCB (CLOSED). */
		if (track_acks_fin(eb, ack))
			track_set_state(tt, seg->s, seg->b, TRACK_CLOSED, seg->t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(seg->s, seg->b, ack));
		break;
	default:
		break;
	}
}

static void on_syn(struct track_seg *seg)
{
	struct track_table *tt = seg->tt;
	uint32_t rel = track_rel(seg->s, seg->a, seg->p->seq);
	if (!seg->ack) {
		enum track_state st = seg->eb->state;
		if (st == TRACK_UNKNOWN && !seg->s->c.midstream) {
			/* A server not yet heard from: its reply will tell whether it was listening
			 * (RFC 9293 §3.10.7.2: LISTEN + SYN -> SYN_RECEIVED) or connecting too
			 * (§3.5 fig 8); the pending SYN lets a crossing SYN show. */
			track_pend_set(tt, seg->s, seg->b, TRACK_PEND_SYN, rel, seg->t);
			return;
		}
		switch (st) {
		case TRACK_SYN_SENT:
			/* §3.10.7.3 fourth check: SYN_SENT + SYN without ACK -> SYN_RECEIVED
			 * (simultaneous open, §3.5 figure 8). */
			track_set_state(tt, seg->s, seg->b, TRACK_SYN_RECEIVED, seg->t,
			                "received SYN seq=%u while in SYN_SENT (SYNs crossed: "
			                "simultaneous open)",
			                rel);
			break;
		default:
			track_anomaly(tt, seg->t, seg->s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
			              "SYN received in %s",
			              track_state_name(seg->eb->state, TRACK_NAMES_RFC));
			break;
		}
		return;
	}
	if (seg->eb->state != TRACK_SYN_SENT)
		return; /* simultaneous open: the ACK part already did the work */
	if (track_acks_syn(seg->eb, seg->p->ack)) {
		/* §3.10.7.3: SYN_SENT + acceptable SYN-ACK -> ESTABLISHED, committed when the
		 * client's own ACK of it is seen (or assumed after pending_secs). */
		track_pend_set(tt, seg->s, seg->b, TRACK_PEND_SYNACK, rel, seg->t);
	} else {
		track_anomaly(tt, seg->t, seg->s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
		              "SYN-ACK does not ACK our SYN: a RST is due");
	}
}

static void on_fin(struct track_seg *seg, bool acked_our_fin_now)
{
	struct track_table *tt = seg->tt;
	uint32_t rel = track_rel(seg->s, seg->a, seg->ea->fin_seq);
	if (seg->side_b->pend !=
	    TRACK_PEND_NONE) /* got A's earlier segment first (in-order channel) */
		track_pend_commit(tt, seg->s, seg->b, seg->t, " (assumed: FIN followed)");
	switch (seg->eb->state) {
	case TRACK_ESTABLISHED:
		/* RFC 9293 §3.10.7.4 eighth step: ESTABLISHED + FIN -> CLOSE_WAIT, unless B's own
		 * FIN crosses it (-> CLOSING): pending until B's next segment tells. */
		track_pend_set(tt, seg->s, seg->b, TRACK_PEND_FIN, rel, seg->t);
		break;
	case TRACK_FIN_WAIT_1:
		/* Eighth step, FIN-WAIT-1 with our FIN not yet ACKed -> CLOSING (§3.6 fig 13). */
		track_set_state(tt, seg->s, seg->b, TRACK_CLOSING, seg->t,
		                "received FIN seq=%u while our FIN is unACKed (FINs crossed: "
		                "simultaneous close)",
		                rel);
		break;
	case TRACK_FIN_WAIT_2:
		/* Eighth step, FIN-WAIT-2 + FIN -> TIME_WAIT; with data on it, only once the
		 * receiver's ACK shows it took the data (track_internal.h, TRACK_PEND_FIN_DATA). */
		if (seg->p->payload_len > 0) {
			track_pend_set(tt, seg->s, seg->b, TRACK_PEND_FIN_DATA, rel, seg->t);
			break;
		}
		track_set_state(tt, seg->s, seg->b, TRACK_TIME_WAIT, seg->t,
		                acked_our_fin_now ? "received FIN seq=%u, peer ACKed our FIN"
		                                  : "received FIN seq=%u in FIN_WAIT_2",
		                rel);
		break;
	case TRACK_UNKNOWN:
		break; /* mid-stream: CLOSE_WAIT, CLOSING or TIME_WAIT depends on unseen history */
	default:
		track_anomaly(tt, seg->t, seg->s, seg->a, seg->p, TRACK_ANOMALY_UNEXPECTED,
		              "FIN received in %s",
		              track_state_name(seg->eb->state, TRACK_NAMES_RFC));
		break;
	}
}

void track_receive(struct track_seg *seg, bool new_syn, bool new_fin, bool retrans_fin)
{
	if (seg->rst) {
		track_rst(seg);
		return;
	}
	enum track_state before = seg->eb->state;
	if (seg->ack)
		on_ack(seg);
	if (new_syn)
		on_syn(seg);
	if (new_fin)
		on_fin(seg, before == TRACK_FIN_WAIT_1);
	else if (retrans_fin)
		track_tw_restart(seg->tt, seg->s, seg->b, seg->t);
}
