/* track_midclose.c — a connection picked up at its teardown: which closing states its FINs took. */
#include "socklab/track.h"
#include "track_internal.h"

/* An endpoint F that was UNKNOWN sent a FIN carrying ack=X: it had received every sequence
 * number of its peer O below X, and nothing from X on. Sending a FIN takes ESTABLISHED to
 * FIN_WAIT_1 and CLOSE_WAIT to LAST_ACK (RFC 9293 §3.6, figure 5); which one F was in is told
 * by where O's FIN lies, because a FIN takes the sequence number after all of its sender's
 * data (§3.4):
 * - O has sent something that ends beyond X (data at X or later, or a FIN at X or later): O's
 *   FIN, if any, is at X or later, so F had not received it: F was ESTABLISHED.
 * - O's FIN lies below X: F had received it: F was CLOSE_WAIT.
 * Only the FIN's ACK field is used: a FIN without ACK leaves F UNKNOWN. So does a FIN whose
 * evidence never comes (nothing is assumed at a deadline). The peer O, if it was UNKNOWN and
 * had sent no FIN, was ESTABLISHED when F's FIN reached it. */

/* O was ESTABLISHED when F's FIN arrived; what O's earlier segments ACKed settles the rest. */
static void peer_established(struct track_table *tt, struct track_slot *s, enum track_role f,
                             double t, bool o_acked)
{
	enum track_role o = (enum track_role) !f;
	struct track_endpoint *ef = &s->c.ep[f], *eo = &s->c.ep[o];
	if (eo->state != TRACK_UNKNOWN || eo->fin_sent)
		return;
	track_set_start(tt, s, o, TRACK_ESTABLISHED, t,
	                "it had sent no FIN when the peer's FIN reached it: it was ESTABLISHED");
	uint32_t rel = track_rel(s, f, ef->fin_seq);
	if (o_acked) /* §3.10.7.4 eighth step: ESTABLISHED + FIN -> CLOSE_WAIT */
		track_set_state(tt, s, o, TRACK_CLOSE_WAIT, t,
		                "received FIN seq=%u (its earlier ACK covered the FIN)", rel);
	else /* as for any FIN received in ESTABLISHED: the receiver's next segment tells */
		track_pend_set(tt, s, o, TRACK_PEND_FIN, rel, t);
}

static bool peer_acked_fin(const struct track_slot *s, enum track_role f)
{
	const struct track_endpoint *eo = &s->c.ep[!f];
	return eo->acked_any && track_acks_fin(&s->c.ep[f], eo->ack_sent);
}

/* F's FIN was sent earlier; the evidence came now. */
static void fin_was_from(struct track_table *tt, struct track_slot *s, enum track_role f, double t,
                         bool established)
{
	struct track_endpoint *ef = &s->c.ep[f];
	bool o_acked = peer_acked_fin(s, f);
	uint32_t rel = track_rel(s, f, ef->fin_seq);
	track_pend_drop(tt, s, f);
	if (established) {
		track_set_start(tt, s, f, TRACK_ESTABLISHED, t,
		                "the peer's FIN had not reached it when it sent its FIN: it was "
		                "ESTABLISHED");
		track_set_state(
		    tt, s, f, TRACK_FIN_WAIT_1, t,
		    "sent FIN seq=%u (earlier: the peer's numbers since show it had not "
		    "received a FIN)",
		    rel);
		if (o_acked) /* §3.10.7.4 fifth step, FIN-WAIT-1: our FIN ACKed -> FIN_WAIT_2 */
			track_set_state(tt, s, f, TRACK_FIN_WAIT_2, t,
			                "received ACK of our FIN (ack=%u)",
			                track_rel(s, f, s->c.ep[!f].ack_sent));
		peer_established(tt, s, f, t, o_acked);
		return;
	}
	track_set_start(
	    tt, s, f, TRACK_CLOSE_WAIT, t,
	    "its FIN ACKed the peer's FIN: it had received that FIN, it was CLOSE_WAIT");
	track_set_state(tt, s, f, TRACK_LAST_ACK, t,
	                "sent FIN seq=%u (earlier: its ACK covered the peer's FIN)", rel);
	if (o_acked) /* §3.10.7.4 fifth step, LAST-ACK: our FIN ACKed -> CLOSED */
		track_set_state(tt, s, f, TRACK_CLOSED, t, "received ACK of our FIN (ack=%u)",
		                track_rel(s, f, s->c.ep[!f].ack_sent));
}

void track_midclose_evidence(struct track_seg *seg)
{
	if (seg->side_b->pend != TRACK_PEND_MIDFIN || seg->rst)
		return;
	uint32_t x = seg->s->cold[seg->b].pend_rel; /* what B had received when it sent its FIN */
	const struct decode_packet *p = seg->p;
	uint32_t data_end = p->seq + p->payload_len;
	uint32_t end = data_end + (seg->syn ? 1u : 0u) + (seg->fin ? 1u : 0u);
	if (decode_seq_gt(end, x))
		fin_was_from(seg->tt, seg->s, seg->b, seg->t, true);
	else if (seg->fin && decode_seq_lt(data_end, x)) /* A's FIN (sent again) is below x */
		fin_was_from(seg->tt, seg->s, seg->b, seg->t, false);
}

void track_midclose_fin(struct track_seg *seg)
{
	struct track_table *tt = seg->tt;
	struct track_slot *s = seg->s;
	if (!seg->ack)
		return; /* no ACK field: nothing shows what it had received */
	uint32_t x = seg->p->ack;
	if (seg->eb->fin_sent && decode_seq_lt(seg->eb->fin_seq, x)) {
		/* It had received the peer's FIN: CLOSE_WAIT; its FIN now makes it LAST_ACK. */
		track_set_start(tt, s, seg->a, TRACK_CLOSE_WAIT, seg->t,
		                "its FIN ACKs the peer's FIN: it had received that FIN, it was "
		                "CLOSE_WAIT");
	} else if (seg->side_b->seen && decode_seq_gt(seg->eb->snd_nxt, x)) {
		/* The peer has sent beyond this ACK already, so its FIN had not arrived. */
		track_set_start(
		    tt, s, seg->a, TRACK_ESTABLISHED, seg->t,
		    "the peer had sent more than it ACKs, and no FIN it received: it was "
		    "ESTABLISHED");
		struct track_endpoint *eb = seg->eb;
		if (eb->state == TRACK_UNKNOWN && !eb->fin_sent)
			track_set_start(tt, s, seg->b, TRACK_ESTABLISHED, seg->t,
			                "it had sent no FIN when the peer's FIN reached it: it was "
			                "ESTABLISHED");
	} else {
		seg->side_a->pend = TRACK_PEND_MIDFIN; /* no timer: never assumed */
		s->cold[seg->a].pend_rel = x;
	}
}
