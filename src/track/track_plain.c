/* track_plain.c — the common segment: an ACK or data between two ESTABLISHED endpoints. */
#include "socklab/track.h"
#include "track_internal.h"

/* Exactly what track_segment_hashed's general steps do for such a segment (classify, note_sent,
 * note_history, PACKET event), without the flag and state tests that cannot fire here: about
 * half of all segments take this path. */
void track_plain(struct track_table *tt, struct track_slot *s, enum track_role a, double t,
                 const struct decode_packet *p)
{
	enum track_role b = (enum track_role) !a;
	struct track_endpoint *ea = &s->c.ep[a];
	struct track_side *side_a = &s->side[a];
	uint32_t len = p->payload_len;
	bool a_known = side_a->seen || ea->isn_known;
	if (!a_known && !side_a->based)
		side_a->base = p->seq; /* relative to the first seq seen */
	side_a->based = true;
	bool retrans = len > 0 && a_known && decode_seq_le(p->seq + len, ea->snd_nxt);
	if (retrans)
		track_anomaly(tt, t, s, a, p, TRACK_ANOMALY_RETRANSMISSION,
		              "%s seq=%u len=%u sent again", "data", track_rel(s, a, p->seq), len);

	ea->packets++;
	ea->bytes += len;
	uint32_t end = p->seq + len;
	if (!a_known || decode_seq_gt(end, ea->snd_nxt))
		ea->snd_nxt = end;
	if (!ea->acked_any || decode_seq_gt(p->ack, ea->ack_sent))
		ea->ack_sent = p->ack;
	ea->acked_any = true;
	side_a->win = p->window;
	side_a->win_from_syn = false;
	side_a->seen = true;

	if (len > 0 && !retrans) {
		char c = a == TRACK_SERVER ? 'd' : 'D';
		/* a run of data segments is one letter */
		if (s->hist_len == 0 || s->c.history[s->hist_len - 1] != c)
			track_history_add(s, c);
	}

	if (!tt->cfg.on_event) {
		track_segment_end(tt, NULL);
		return;
	}
	struct track_event ev = {
	    .kind = TRACK_EVENT_PACKET,
	    .t = t,
	    .conn = &s->c,
	    .pkt = p,
	    .sender = a,
	    .rel_seq = track_rel(s, a, p->seq),
	    .rel_ack = track_rel(s, b, p->ack), /* b is ESTABLISHED: its base is set */
	};
	track_event_window(s, a, p, &ev);
	track_segment_end(tt, &ev);
}
