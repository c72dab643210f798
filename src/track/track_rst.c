/* track_rst.c — RST acceptance (RFC 9293 §3.10.7, RFC 5961 §3.2) and who it closes. */
#include "socklab/track.h"
#include "track_internal.h"

/* Receive window B advertised last, scaled only if both SYNs carried window scale and the
 * segment was not itself a SYN (RFC 7323 §2.2). 0 if B has sent nothing: exact match only. */
static uint32_t rcv_wnd(const struct track_seg *seg)
{
	if (!seg->side_b->seen)
		return 0;
	uint32_t w = seg->side_b->win;
	const struct track_endpoint *e = seg->s->c.ep;
	if (!seg->side_b->win_from_syn && e[0].wscale >= 0 && e[1].wscale >= 0)
		w <<= seg->eb->wscale;
	return w;
}

/* A sent RST at its own send position: its socket is aborting, whatever B makes of it. */
static void sender_aborts(struct track_seg *seg, const char *how)
{
	/* RFC 9293 §3.10.4 (ABORT call) / §3.10.7.1: the sender's TCB is deleted -> CLOSED. */
	track_set_state(seg->tt, seg->s, seg->a, TRACK_CLOSED, seg->t, "sent RST seq=%u (%s)",
	                track_rel(seg->s, seg->a, seg->p->seq), how);
}

void track_rst(struct track_seg *seg)
{
	struct track_table *tt = seg->tt;
	struct track_slot *s = seg->s;
	uint32_t seq = seg->p->seq, ack = seg->p->ack;

	switch (seg->eb->state) {
	case TRACK_SYN_SENT: {
		/* RFC 9293 §3.10.7.3: in SYN-SENT a RST is acceptable only if its ACK acknowledges
		 * our SYN (SND.UNA < SEG.ACK =< SND.NXT); then the connection is refused. */
		bool ok = seg->ack && track_acks_syn(seg->eb, ack);
		if (!ok) {
			track_anomaly(tt, seg->t, s, seg->a, seg->p,
			              TRACK_ANOMALY_RST_OUT_OF_WINDOW,
			              "RST does not ACK our SYN (RFC 9293 3.10.7.3): ignored");
			return;
		}
		if (seg->ea->state == TRACK_CLOSED) {
			/* §3.10.7.1: a CLOSED port answers a SYN with RST/ACK (resolve_server_start
			 * set that start state, without an event: it did not change). */
			track_set_state(tt, s, seg->b, TRACK_CLOSED, seg->t,
			                "connection refused: RST acking our SYN; nothing listening "
			                "on port %u",
			                (unsigned)seg->ea->port);
			return;
		}
		sender_aborts(seg, "abort");
		track_set_state(tt, s, seg->b, TRACK_CLOSED, seg->t,
		                "received RST acking our SYN (connection refused)");
		return;
	}
	case TRACK_UNKNOWN:
		if (s->c.midstream)
			break;
		/* A server never heard from: whether it was listening stays unknown, and so does
		 * its state; the RST only shows the client aborting its connect. */
		if (!seg->a_known || seq != seg->prev_snd_nxt) {
			track_anomaly(
			    tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_RST_OUT_OF_WINDOW,
			    "RST seq=%u is not the next seq=%u: ignored", track_rel(s, seg->a, seq),
			    track_rel(s, seg->a, seg->prev_snd_nxt));
			return;
		}
		track_pend_drop(tt, s, seg->b);
		sender_aborts(seg, "abort");
		return;
	case TRACK_CLOSED:
		/* Nothing left at B to reset; A's RST still shows A aborting (e.g. both reset). */
		if (seg->a_known && seq == seg->prev_snd_nxt)
			sender_aborts(seg, "abort");
		return;
	default:
		break;
	}

	/* B received A's earlier segments before this one (in-order channel): settle them. */
	if (seg->side_b->pend != TRACK_PEND_NONE)
		track_pend_commit(tt, s, seg->b, seg->t, " (assumed: RST followed)");

	/* RCV.NXT is estimated from what A had sent; with no history, from B's last ACK. */
	uint32_t rcv_nxt = seq;
	if (seg->a_known)
		rcv_nxt = seg->prev_snd_nxt;
	else if (seg->eb->acked_any)
		rcv_nxt = seg->eb->ack_sent;
	uint32_t wnd = rcv_wnd(seg);

	if (seq == rcv_nxt) {
		/* RFC 9293 §3.10.7.4 first check + RFC 5961 §3.2: exactly RCV.NXT resets.
		 * SYN_RECEIVED goes to CLOSED rather than back to LISTEN: the tracked connection
		 * (like Linux's request socket) is gone either way. TIME_WAIT too (Linux's default
		 * tcp_rfc1337=0 lets a RST kill a TIME_WAIT socket). */
		if (seg->ea->state != TRACK_CLOSED)
			sender_aborts(seg, "abort");
		track_set_state(tt, s, seg->b, TRACK_CLOSED, seg->t,
		                "received RST seq=%u = RCV.NXT (connection reset)",
		                track_rel(s, seg->a, seq));
	} else if (decode_seq_gt(seq, rcv_nxt) && decode_seq_lt(seq, rcv_nxt + wnd)) {
		/* RFC 5961 §3.2: in window but not exact -> challenge ACK, no state change. */
		track_anomaly(tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_RST_CHALLENGE,
		              "RST seq=%u in window but not RCV.NXT=%u: challenge ACK, no reset",
		              track_rel(s, seg->a, seq), track_rel(s, seg->a, rcv_nxt));
	} else {
		track_anomaly(tt, seg->t, s, seg->a, seg->p, TRACK_ANOMALY_RST_OUT_OF_WINDOW,
		              "RST seq=%u outside the window [%u, %u+%u): ignored",
		              track_rel(s, seg->a, seq), track_rel(s, seg->a, rcv_nxt),
		              track_rel(s, seg->a, rcv_nxt), wnd);
	}
}
