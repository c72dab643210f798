/* marker_ring.c — markers waiting for the segment their call sends, and the rule that places
 * them: a fixed array, oldest first, no allocation. */
#include "socklab/marker_rx.h"

#include <string.h>

void marker_ring_init(struct marker_ring *r) { memset(r, 0, sizeof *r); }

bool marker_ring_push(struct marker_ring *r, const struct marker *m)
{
	if (r->n >= MARKER_RING_CAP) {
		r->dropped++;
		return false;
	}
	r->m[r->n++] = *m;
	return true;
}

static bool same_end(const struct decode_addr *a, uint16_t ap, const struct decode_addr *b,
                     uint16_t bp)
{
	return ap == bp && a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

static bool addr_unspecified(const struct decode_addr *a)
{
	static const uint8_t zero[16];
	return memcmp(a->bytes, zero, sizeof zero) == 0;
}

/* Is pkt the segment m's endpoint sends? Direction matters: on loopback both ends share an
 * address, so the ports tell them apart, sender's first. */
static bool sent_by(const struct marker *m, const struct decode_packet *pkt)
{
	if (!(m->flags & MARKER_F_PEER) || !same_end(&m->peer, m->peer_port, &pkt->dst, pkt->dport))
		return false;
	bool local = (m->flags & MARKER_F_LOCAL) && m->local_port != 0;
	if (local && !addr_unspecified(&m->local))
		return same_end(&m->local, m->local_port, &pkt->src, pkt->sport);
	if (local && m->local_port != pkt->sport)
		return false;
	/* connect() on an unbound socket: the kernel picks the port while sending the SYN, so
	 * the SYN to the target is the one (a bare SYN: a SYN-ACK is a server's) */
	if (!local)
		return (m->flags & MARKER_F_CONNECTING) && (pkt->flags & DECODE_TCP_SYN) &&
		       !(pkt->flags & DECODE_TCP_ACK);
	return true;
}

static bool placeable(const struct marker *m) { return m->flags & MARKER_F_PEER; }

/* Moves ring entry i to out[k] and closes the gap (the ring stays in arrival order). */
static void take(struct marker_ring *r, size_t i, struct marker_out *o, bool placed)
{
	o->m = r->m[i];
	o->placed = placed;
	memmove(&r->m[i], &r->m[i + 1], (r->n - i - 1) * sizeof r->m[0]);
	r->n--;
}

size_t marker_ring_take_segment(struct marker_ring *r, double t, const struct decode_packet *pkt,
                                struct marker_out *out, size_t max)
{
	size_t k = 0, i = 0;

	while (i < r->n && k < max) {
		const struct marker *m = &r->m[i];
		if (m->t > t) {
			i++;
			continue;
		}
		if (pkt && sent_by(m, pkt))
			take(r, i, &out[k++], true);
		else if (!placeable(m) || t - m->t > MARKER_HOLD_SECS)
			take(r, i, &out[k++], false);
		else
			i++;
	}
	return k;
}

size_t marker_ring_take_due(struct marker_ring *r, double now, bool flush, struct marker_out *out,
                            size_t max)
{
	size_t k = 0, i = 0;

	while (i < r->n && k < max) {
		const struct marker *m = &r->m[i];
		if (flush || (m->t <= now && (!placeable(m) || now - m->t > MARKER_HOLD_SECS)))
			take(r, i, &out[k++], false);
		else
			i++;
	}
	return k;
}
