/* track_giveup.c — a client whose SYNs go unanswered: when it is predicted to have given up. */
#include "socklab/track.h"
#include "track_internal.h"

/* A SYN_SENT endpoint retransmits its SYN each time its retransmission timer expires (RFC 9293
 * §3.8.1, RFC 6298 §5.4), and the timer backs off (RFC 6298 §5.5: it doubles; Linux starts at
 * 1 s, keeps the first tcp_syn_linear_timeouts gaps at 1 s, then doubles up to 120 s). So the
 * next gap is never more than twice the last one. When it gives up (RFC 9293 §3.8.3's R2; on
 * Linux a time budget set by tcp_syn_retries or TCP_SYNCNT, checked when the timer expires),
 * connect() fails and the socket is CLOSED with nothing on the wire; a program that closes
 * the socket in SYN_SENT sends nothing either (§3.10.4). Both show only as SYNs that stop.
 * The capture cannot see the moment, so it is predicted once a next SYN is overdue: the
 * expected gap plus an eighth, for the capture's own delay in a live run. */
#define GIVEUP_SLACK 0.125
/* One SYN alone is never predicted to have given up: Linux retransmits a SYN at least once
 * (tcp_syn_retries and TCP_SYNCNT are >= 1), so a lone SYN whose answer comes late means the
 * capture missed frames (a full capture buffer, a filter) or a program closed the socket
 * within its first RTO; the wire cannot tell which, so the client stays SYN_SENT, the last
 * state seen. It also keeps the common case (every connection's first SYN) off the sorted
 * timer list. The prediction starts with the first retransmission, whose gap is measured. */
/* Gaps below the RFC 6298 §2.4 minimum RTO are not the timer's (e.g. a SYN sent twice). */
#define GIVEUP_MIN_GAP 1.0

static double tenths(double x) { return (double)(long long)(x * 10.0 + 0.5) / 10.0; }

void track_giveup_arm(struct track_seg *seg)
{
	struct track_table *tt = seg->tt;
	struct track_slot *s = seg->s;
	if (seg->side_a->timer == TRACK_TIMER_GIVEUP)
		track_timer_stop(tt, s, seg->a);
	/* Only a bare SYN from SYN_SENT, to a peer that has never sent anything. */
	if (!seg->syn || seg->ack || seg->rst || seg->ea->state != TRACK_SYN_SENT ||
	    seg->side_b->seen || s->c.midstream)
		return;
	if (seg->ea->packets < 2)
		return;
	double next = 2.0 * (seg->t - seg->prev_seen);
	if (next < GIVEUP_MIN_GAP)
		next = GIVEUP_MIN_GAP;
	track_timer_start(tt, s, seg->a, TRACK_TIMER_GIVEUP, seg->t + next * (1.0 + GIVEUP_SLACK));
}

void track_giveup_fire(struct track_table *tt, struct track_slot *s, enum track_role ep,
                       double when)
{
	const struct track_endpoint *e = &s->c.ep[ep];
	/* The timer was started at the last SYN, which is the connection's last segment (any
	 * other segment stops it): the expected gap is recovered from the deadline. */
	double last = s->c.last_seen;
	double next = (when - last) / (1.0 + GIVEUP_SLACK);
	unsigned n = (unsigned)e->packets;
	track_timer_stop(tt, s, ep);
	/* "by about": the kernel's budget may end a little before the last RTO does, and a
	 * close() in SYN_SENT any time before it. */
	track_set_state(tt, s, ep, TRACK_CLOSED, when,
	                "no answer to %u SYNs (%u retransmissions), none within %g s of the "
	                "last (2x the last gap, RFC 6298 5.5): predicted CLOSED, given up by "
	                "about %g s after the first (retry limit, or close())",
	                n, n - 1, tenths(next), tenths(last + next - s->c.first_seen));
	track_history_add(s, ep == TRACK_SERVER ? 'g' : 'G');
}
