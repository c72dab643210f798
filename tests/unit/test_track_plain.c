/* test_track_plain.c — track_plain (the common ESTABLISHED segment) against the general steps:
 * the same segments through both paths give the same events and the same table, field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/decode.h"
#include "socklab/track.h"
#include "track/track_internal.h"

/* The golden captures, found from this file's own path (tests/unit/ -> tests/golden/pcap/). */
static const char *const golden_pcaps[] = {"half-close", "handshake-close", "ipv6",
                                           "linger-rst", "refused",         "vlan"};

#define SEG_MAX 4096

struct seg {
	double t;
	struct decode_packet p;
};

struct evrec {
	enum track_event_kind kind;
	double t;
	uint64_t conn;
	enum track_role sender, endpoint;
	enum track_state from, to, st[2];
	enum track_anomaly anomaly;
	uint32_t rel_seq, rel_ack;
	bool has_pkt;
	char why[224];
};

#define EV_MAX 64
struct side {
	struct track_table *tt;
	struct evrec ev[EV_MAX]; /* events of the segment being fed */
	size_t n;
};

static void record_one(struct side *sd, const struct track_event *ev)
{
	assert_true(sd->n < EV_MAX);
	struct evrec *r = &sd->ev[sd->n++];
	memset(r, 0, sizeof *r);
	r->kind = ev->kind;
	r->t = ev->t;
	r->conn = ev->conn ? ev->conn->id : 0;
	r->sender = ev->sender;
	r->endpoint = ev->endpoint;
	r->from = ev->from;
	r->to = ev->to;
	r->anomaly = ev->anomaly;
	r->rel_seq = ev->rel_seq;
	r->rel_ack = ev->rel_ack;
	r->has_pkt = ev->pkt != NULL;
	if (ev->conn) {
		r->st[0] = ev->states[0];
		r->st[1] = ev->states[1];
	}
	if (ev->why)
		snprintf(r->why, sizeof r->why, "%s", ev->why);
}

/* What a segment caused, in order, then its PACKET. */
static void record(const struct track_event *ev, void *user)
{
	if (ev->kind == TRACK_EVENT_PACKET)
		for (size_t i = 0; i < ev->ncaused; i++)
			record_one(user, &ev->caused[i]);
	record_one(user, ev);
}

static void expect_same_events(const struct side *a, const struct side *b, size_t at)
{
	if (a->n != b->n)
		fail_msg("segment %zu: %zu events on the plain path, %zu on the general one", at,
		         a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct evrec *x = &a->ev[i], *y = &b->ev[i];
		if (memcmp(x, y, offsetof(struct evrec, why)) != 0 || strcmp(x->why, y->why) != 0)
			fail_msg("segment %zu, event %zu differs: kind %d/%d why '%s' / '%s'", at,
			         i, x->kind, y->kind, x->why, y->why);
	}
}

static void expect_same_endpoint(const struct track_endpoint *x, const struct track_endpoint *y)
{
	assert_memory_equal(&x->addr, &y->addr, sizeof x->addr);
	assert_int_equal(x->port, y->port);
	assert_int_equal(x->state, y->state);
	assert_int_equal(x->isn, y->isn);
	assert_int_equal(x->isn_known, y->isn_known);
	assert_int_equal(x->syn_sent, y->syn_sent);
	assert_int_equal(x->fin_sent, y->fin_sent);
	assert_int_equal(x->rst_sent, y->rst_sent);
	assert_int_equal(x->snd_nxt, y->snd_nxt);
	assert_int_equal(x->fin_seq, y->fin_seq);
	assert_int_equal(x->ack_sent, y->ack_sent);
	assert_int_equal(x->acked_any, y->acked_any);
	assert_int_equal(x->mss, y->mss);
	assert_int_equal(x->wscale, y->wscale);
	assert_int_equal(x->packets, y->packets);
	assert_int_equal(x->bytes, y->bytes);
}

/* Every slot ever used, public and private fields, and the table's own counters. */
static void expect_same_table(const struct track_table *a, const struct track_table *b)
{
	assert_int_equal(a->fresh, b->fresh);
	assert_int_equal(a->next_id, b->next_id);
	assert_int_equal(a->transitions, b->transitions);
	assert_int_equal(a->lru_clock, b->lru_clock);
	assert_memory_equal(&a->stats, &b->stats, sizeof a->stats);
	for (uint32_t i = 0; i < a->fresh; i++) {
		const struct track_slot *x = &a->slots[i], *y = &b->slots[i];
		assert_int_equal(x->c.id, y->c.id);
		for (int r = 0; r < 2; r++) {
			expect_same_endpoint(&x->c.ep[r], &y->c.ep[r]);
			const struct track_side *p = &x->side[r], *q = &y->side[r];
			assert_int_equal(p->base, q->base);
			assert_int_equal(p->win, q->win);
			assert_int_equal(p->timer, q->timer);
			assert_int_equal(p->pend, q->pend);
			assert_int_equal(p->seen, q->seen);
			assert_int_equal(p->win_from_syn, q->win_from_syn);
			assert_int_equal(p->has_data, q->has_data);
			assert_int_equal(p->data_acked, q->data_acked);
			assert_int_equal(p->synack_sent, q->synack_sent);
			assert_true(x->cold[r].deadline == y->cold[r].deadline);
			assert_int_equal(x->cold[r].first_data, y->cold[r].first_data);
			assert_int_equal(x->cold[r].pend_rel, y->cold[r].pend_rel);
		}
		assert_true(x->c.first_seen == y->c.first_seen);
		assert_true(x->c.last_seen == y->c.last_seen);
		assert_int_equal(x->c.midstream, y->c.midstream);
		assert_int_equal(x->c.closed, y->c.closed);
		assert_string_equal(x->c.history, y->c.history);
		assert_int_equal(x->hist_len, y->hist_len);
		assert_int_equal(x->hashed, y->hashed);
		assert_int_equal(x->lru_list, y->lru_list);
		assert_int_equal(x->lru_stamp, y->lru_stamp);
	}
}

/* How many of the segments took the plain path: the comparison means nothing without them. */
static uint64_t plain_taken;

static bool would_be_plain(struct track_table *tt, const struct decode_packet *p)
{
	enum track_role a = TRACK_CLIENT;
	struct track_slot *s = track_lookup(tt, p, decode_tuple_hash(p), &a);
	return s && track_is_plain(s, a, p->flags);
}

/* One sequence through a table on the normal path and one on the general path only. */
static void run_both(const struct seg *segs, size_t n, struct track_config cfg)
{
	static struct side plain, general;
	char err[128];
	if (!cfg.max_conns)
		cfg.max_conns =
		    64; /* small tables: created twice per sequence, thousands of times */
	cfg.on_event = record;
	cfg.user = &plain;
	plain.tt = track_create(&cfg, err, sizeof err);
	cfg.user = &general;
	general.tt = track_create(&cfg, err, sizeof err);
	assert_non_null(plain.tt);
	assert_non_null(general.tt);
	track_set_general_only(general.tt, true);
	for (size_t i = 0; i < n; i++) {
		plain.n = general.n = 0;
		if (would_be_plain(plain.tt, &segs[i].p))
			plain_taken++;
		track_segment(plain.tt, segs[i].t, &segs[i].p);
		track_segment(general.tt, segs[i].t, &segs[i].p);
		expect_same_events(&plain, &general, i);
		expect_same_table(plain.tt, general.tt);
	}
	double end = n ? segs[n - 1].t : 0;
	plain.n = general.n = 0;
	track_advance(plain.tt, end + 2);
	track_advance(general.tt, end + 2);
	track_finish(plain.tt, end + 3);
	track_finish(general.tt, end + 3);
	expect_same_events(&plain, &general, n);
	expect_same_table(plain.tt, general.tt);
	track_destroy(plain.tt);
	track_destroy(general.tt);
}

/* ---- segment sources ---- */

static uint32_t rd32(const uint8_t *b, bool swap)
{
	uint32_t v =
	    (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return swap ? __builtin_bswap32(v) : v;
}

/* A classic pcap file's TCP segments (what tcpscope -r would track). */
static size_t read_pcap(const char *path, struct seg *out, size_t max, uint8_t *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	size_t len = fread(buf, 1, cap, fp);
	fclose(fp);
	assert_true(len >= 24 && len < cap);
	uint32_t magic = rd32(buf, false);
	bool swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
	bool nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
	int link = (int)rd32(buf + 20, swap);
	size_t n = 0;
	for (size_t at = 24; at + 16 <= len && n < max;) {
		uint32_t sec = rd32(buf + at, swap), sub = rd32(buf + at + 4, swap);
		uint32_t caplen = rd32(buf + at + 8, swap);
		at += 16;
		if (caplen > len - at)
			break;
		struct seg *s = &out[n];
		if (decode_frame(link, buf + at, caplen, &s->p) == DECODE_OK) {
			s->t = (double)sec + (double)sub * (nsec ? 1e-9 : 1e-6);
			n++;
		}
		at += caplen;
	}
	return n;
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33);
}
static uint32_t below(uint32_t n) { return n ? rnd() % n : 0; }

struct conv {
	struct seg *out;
	size_t n, max;
	double t;
	struct decode_addr ca, sa;
	uint16_t cport, sport;
	uint32_t nxt[2]; /* next seq each side sends */
};

static void emit(struct conv *cv, int from, uint8_t flags, uint32_t len)
{
	if (cv->n >= cv->max)
		return;
	struct seg *s = &cv->out[cv->n++];
	memset(s, 0, sizeof *s);
	cv->t += (double)(1 + below(3000)) * 1e-6;
	s->t = cv->t;
	struct decode_packet *p = &s->p;
	p->src = from ? cv->sa : cv->ca;
	p->dst = from ? cv->ca : cv->sa;
	p->sport = from ? cv->sport : cv->cport;
	p->dport = from ? cv->cport : cv->sport;
	p->seq = cv->nxt[from];
	p->ack = (flags & DECODE_TCP_ACK) ? cv->nxt[!from] : 0;
	p->flags = flags;
	p->window = (uint16_t)(512 + below(60000));
	p->payload_len = p->payload_captured = len;
	p->ip_version = 4;
	p->data_offset = 20;
	if (flags & DECODE_TCP_SYN) {
		p->opts.has_mss = true;
		p->opts.mss = 1460;
		p->opts.has_wscale = below(2);
		p->opts.wscale = (uint8_t)below(15);
	}
	cv->nxt[from] +=
	    len + ((flags & DECODE_TCP_SYN) ? 1 : 0) + ((flags & DECODE_TCP_FIN) ? 1 : 0);
}

/* One conversation: a handshake (or not: picked up mid-stream), data and ACKs both ways with
 * retransmissions, then one of the ways a connection ends. ISNs near the wrap often. */
static void conversation(struct conv *cv, uint16_t cport)
{
	const uint8_t A = DECODE_TCP_ACK, S = DECODE_TCP_SYN, F = DECODE_TCP_FIN,
	              R = DECODE_TCP_RST, P = DECODE_TCP_PSH;
	cv->cport = cport;
	for (int r = 0; r < 2; r++)
		cv->nxt[r] = below(4) == 0 ? 0xffffffffu - below(3000) : rnd();
	if (below(6) != 0) {
		emit(cv, 0, S, 0);
		if (below(5) == 0) { /* the SYN again */
			cv->nxt[0]--;
			emit(cv, 0, S, 0);
		}
		emit(cv, 1, S | A, 0);
		emit(cv, 0, A, 0);
	}
	uint32_t rounds = 1 + below(40);
	for (uint32_t i = 0; i < rounds; i++) {
		int from = (int)below(2);
		uint32_t len = below(3) == 0 ? 0 : 1 + below(1400);
		switch (below(8)) {
		case 0: /* the last data again (a retransmission) */
			if (len) {
				cv->nxt[from] -= len;
				emit(cv, from, A | P, len);
			}
			break;
		case 1: /* part of it again, overlapping new data */
			if (len > 10) {
				cv->nxt[from] -= len / 2;
				emit(cv, from, A, len);
			}
			break;
		case 2: /* an ACK that acknowledges less than it could */
			cv->nxt[!from] -= 1;
			emit(cv, from, A, 0);
			cv->nxt[!from] += 1;
			break;
		default:
			emit(cv, from, A | (len ? P : 0), len);
			emit(cv, !from, A, 0);
			break;
		}
	}
	switch (below(7)) {
	case 0: /* client closes first */
		emit(cv, 0, F | A, 0);
		emit(cv, 1, A, 0);
		emit(cv, 1, F | A, 0);
		emit(cv, 0, A, 0);
		break;
	case 1: /* server first, its FIN ACKed with data still flowing the other way */
		emit(cv, 1, F | A, 0);
		emit(cv, 0, A | P, 1 + below(100));
		emit(cv, 1, A, 0);
		emit(cv, 0, F | A, 0);
		emit(cv, 1, A, 0);
		break;
	case 2: { /* FINs cross */
		uint32_t c = cv->nxt[0], s = cv->nxt[1];
		emit(cv, 0, F | A, 0);
		cv->nxt[0] = c;
		emit(cv, 1, F | A, 0);
		cv->nxt[0] = c + 1;
		(void)s;
		emit(cv, 0, A, 0);
		emit(cv, 1, A, 0);
		break;
	}
	case 3: /* a RST at the next seq */
		emit(cv, (int)below(2), R | A, 0);
		break;
	case 4: /* a RST somewhere in the window, then one far outside */
		cv->nxt[0] += 1 + below(100);
		emit(cv, 0, R, 0);
		cv->nxt[0] += 0x40000000u;
		emit(cv, 0, R, 0);
		break;
	case 5: /* FIN, retransmitted */
		emit(cv, 0, F | A, 0);
		cv->nxt[0]--;
		emit(cv, 0, F | A, 0);
		emit(cv, 1, A, 0);
		break;
	default: /* left open */
		break;
	}
}

static size_t generate(struct seg *out, size_t max, int conns)
{
	struct conv cv = {.out = out, .max = max, .t = 1000.0 + below(1000), .sport = 9998};
	memset(&cv.ca, 0, sizeof cv.ca);
	cv.ca.family = cv.sa.family = 4;
	cv.ca.bytes[0] = cv.sa.bytes[0] = 127;
	cv.ca.bytes[3] = cv.sa.bytes[3] = 1;
	for (int i = 0; i < conns; i++)
		conversation(&cv, (uint16_t)(40000 + below(4)));
	return cv.n;
}

/* Random damage: flipped flags, moved seq/ack, lengths, duplicates, swaps, drops, reversed
 * direction, times that step back or jump past the pending and TIME_WAIT deadlines. */
static void mutate(struct seg *s, size_t *n, size_t max, int edits)
{
	static const uint8_t flag_bits[] = {DECODE_TCP_SYN, DECODE_TCP_FIN, DECODE_TCP_RST,
	                                    DECODE_TCP_ACK, DECODE_TCP_PSH};
	for (int e = 0; e<edits && * n> 1; e++) {
		size_t i = below((uint32_t)*n);
		struct decode_packet *p = &s[i].p;
		switch (below(9)) {
		case 0:
			p->flags ^= flag_bits[below(sizeof flag_bits)];
			break;
		case 1:
			p->seq += below(2) ? below(5) - 2 : rnd();
			break;
		case 2:
			p->ack += below(2) ? below(5) - 2 : rnd();
			break;
		case 3:
			p->payload_len = p->payload_captured = below(3) ? below(3) : below(70000);
			break;
		case 4:
			if (*n < max) { /* duplicate */
				memmove(&s[i + 1], &s[i], (*n - i) * sizeof *s);
				(*n)++;
			}
			break;
		case 5:
			if (i + 1 < *n) { /* swap with the next one */
				struct decode_packet tmp = s[i].p;
				s[i].p = s[i + 1].p;
				s[i + 1].p = tmp;
			}
			break;
		case 6: /* drop */
			memmove(&s[i], &s[i + 1], (*n - i - 1) * sizeof *s);
			(*n)--;
			break;
		case 7: { /* the other direction */
			struct decode_addr a = p->src;
			uint16_t port = p->sport;
			p->src = p->dst;
			p->sport = p->dport;
			p->dst = a;
			p->dport = port;
			break;
		}
		default:
			s[i].t +=
			    below(2) ? -0.5 : (double)below(3) * 0.7 + (below(8) == 0 ? 61 : 0);
			break;
		}
	}
}

static struct seg segs[SEG_MAX], base[SEG_MAX];
static uint8_t filebuf[1 << 20];

static void test_golden_captures(void **state)
{
	(void)state;
	char dir[512];
	snprintf(dir, sizeof dir, "%s", __FILE__);
	char *cut = strstr(dir, "unit/test_track_plain.c");
	assert_non_null(cut);
	for (size_t g = 0; g < sizeof golden_pcaps / sizeof *golden_pcaps; g++) {
		snprintf(cut, sizeof dir - (size_t)(cut - dir), "golden/pcap/%s.pcap",
		         golden_pcaps[g]);
		size_t n = read_pcap(dir, segs, SEG_MAX, filebuf, sizeof filebuf);
		assert_true(n > 0);
		run_both(segs, n, (struct track_config){0});
		/* and damaged, many times over */
		rng_state = g + 1;
		for (int m = 0; m < 300; m++) {
			size_t k = n;
			memcpy(base, segs, n * sizeof *segs);
			mutate(base, &k, SEG_MAX, 1 + (int)below(6));
			run_both(base, k, (struct track_config){0});
		}
	}
}

static void test_generated_conversations(void **state)
{
	(void)state;
	plain_taken = 0;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		rng_state = seed;
		size_t n = generate(segs, SEG_MAX, 1 + (int)below(6));
		struct track_config cfg = {0};
		if (seed % 3 == 0)
			cfg.max_conns = 2; /* evictions */
		if (seed % 4 == 0)
			cfg.pending_secs =
			    0.0005; /* pending inferences committed by their timers */
		if (seed % 5 == 0)
			cfg.time_wait_secs = 0.002;
		run_both(segs, n, cfg);
		for (int m = 0; m < 20; m++) {
			size_t k = n;
			memcpy(base, segs, n * sizeof *segs);
			mutate(base, &k, SEG_MAX, 1 + (int)below(10));
			run_both(base, k, cfg);
		}
	}
	/* Most segments of these conversations are plain ones: the comparison covered them. */
	print_message("%llu of the segments took the plain path\n",
	              (unsigned long long)plain_taken);
	assert_true(plain_taken > 50000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_captures),
	    cmocka_unit_test(test_generated_conversations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
