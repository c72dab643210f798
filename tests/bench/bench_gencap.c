/* bench_gencap.c — writes a deterministic benchmark capture: many complete TCP connections
 * (handshake, request/response data, close) interleaved so a set number are open at once.
 * Usage: bench_gencap [-p packets] [-c conns] [-k concurrent] [-r pps] [-s seed] -o out.pcap
 * Prints what it wrote on stdout: "packets=N conns=C peak_open=K seconds=S bytes=B". */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FRAME   512
#define MAX_PAYLOAD 160

struct gen_conn {
	uint32_t index; /* connection number, which fixes its addresses */
	uint32_t cseq, sseq;
	uint32_t step, total; /* packets written so far and in all */
	uint8_t payload_seed;
	bool server_closes;
};

struct gen {
	FILE *out;
	uint64_t rng;
	uint64_t packets, bytes;
	double t0, dt, t; /* t = t0 + packets * dt, never accumulated */
	uint8_t frame[MAX_FRAME];
};

/* xorshift64*: fast, deterministic, good enough to shuffle connections. */
static uint32_t gen_rand(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 2685821657736338717ull) >> 32);
}

static uint8_t *put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v & 0xffff);
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Client 10.64.0.1 + index/28000, port 32768 + index%28000: unique per connection. Server
 * 10.0.0.1..4 on port 80. */
static void conn_addrs(const struct gen_conn *c, bool from_client, uint32_t *src, uint32_t *dst,
                       uint16_t *sport, uint16_t *dport)
{
	uint32_t cip = 0x0a400001u + c->index / 28000u;
	uint16_t cport = (uint16_t)(32768u + c->index % 28000u);
	uint32_t sip = 0x0a000001u + c->index % 4u;
	*src = from_client ? cip : sip;
	*dst = from_client ? sip : cip;
	*sport = from_client ? cport : 80;
	*dport = from_client ? 80 : cport;
}

static void emit(struct gen *g, const struct gen_conn *c, bool from_client, uint8_t flags,
                 uint32_t seq, uint32_t ack, uint32_t payload)
{
	uint32_t src, dst;
	uint16_t sport, dport;
	conn_addrs(c, from_client, &src, &dst, &sport, &dport);
	bool syn = flags & 0x02;
	uint32_t tcp_len = syn ? 40 : 32; /* SYN: MSS, SACK-permitted, TS, WS; others: TS */
	uint32_t ip_len = 20 + tcp_len + payload;

	uint8_t *p = g->frame + 16;
	memset(p, 0, 12); /* MACs */
	p = put16(p + 12, 0x0800);
	*p++ = 0x45;
	*p++ = 0;
	p = put16(p, ip_len);
	p = put16(p, (uint32_t)g->packets & 0xffff);
	p = put16(p, 0x4000);
	*p++ = 64;
	*p++ = 6;
	p = put16(p, 0); /* checksum not computed: nothing under test checks it */
	p = put32(p, src);
	p = put32(p, dst);
	p = put16(p, sport);
	p = put16(p, dport);
	p = put32(p, seq);
	p = put32(p, ack);
	*p++ = (uint8_t)((tcp_len / 4) << 4);
	*p++ = flags;
	p = put16(p, syn ? 65535 : 512);
	p = put16(p, 0);
	p = put16(p, 0);
	/* TCP timestamps wrap modulo 2^32: convert through 64 bits (a direct double -> u32 of an
	 * epoch in ms is undefined) */
	uint32_t ts = (uint32_t)(uint64_t)(g->t * 1000.0);
	if (syn) {
		static const uint8_t mss[4] = {2, 4, 0x05, 0xb4};
		memcpy(p, mss, 4);
		p += 4;
		*p++ = 4; /* SACK permitted */
		*p++ = 2;
	} else {
		*p++ = 1; /* NOP NOP, then timestamps */
		*p++ = 1;
	}
	*p++ = 8;
	*p++ = 10;
	p = put32(p, ts);
	p = put32(p, (flags & 0x10) ? ts - 1 : 0);
	if (syn) {
		static const uint8_t ws[4] = {1, 3, 3, 7};
		memcpy(p, ws, 4);
		p += 4;
	}
	for (uint32_t i = 0; i < payload; i++)
		*p++ = (uint8_t)('a' + (c->payload_seed + i) % 26);

	uint32_t caplen = (uint32_t)(p - (g->frame + 16));
	uint64_t usec = (uint64_t)(g->t * 1e6 + 0.5);
	put32le(g->frame, (uint32_t)(usec / 1000000u));
	put32le(g->frame + 4, (uint32_t)(usec % 1000000u));
	put32le(g->frame + 8, caplen);
	put32le(g->frame + 12, caplen);
	fwrite(g->frame, 1, 16 + caplen, g->out);
	g->packets++;
	g->bytes += 16 + caplen;
	g->t = g->t0 + (double)g->packets * g->dt;
}

/* Writes connection c's next packet. Layout: 3 handshake packets, then request/ACK/response/ACK
 * groups (the data part may end mid-group), then 4 close packets. */
static void conn_step(struct gen *g, struct gen_conn *c)
{
	uint32_t s = c->step++;
	uint32_t data = c->total - 7;
	if (s == 0) {
		emit(g, c, true, 0x02, c->cseq++, 0, 0);
	} else if (s == 1) {
		emit(g, c, false, 0x12, c->sseq++, c->cseq, 0);
	} else if (s == 2) {
		emit(g, c, true, 0x10, c->cseq, c->sseq, 0);
	} else if (s < 3 + data) {
		uint32_t k = (s - 3) % 4;
		uint32_t len = 1 + (c->payload_seed * 7u + s * 13u) % MAX_PAYLOAD;
		if (k == 0) { /* request */
			emit(g, c, true, 0x18, c->cseq, c->sseq, len);
			c->cseq += len;
		} else if (k == 1) {
			emit(g, c, false, 0x10, c->sseq, c->cseq, 0);
		} else if (k == 2) { /* response */
			emit(g, c, false, 0x18, c->sseq, c->cseq, len);
			c->sseq += len;
		} else {
			emit(g, c, true, 0x10, c->cseq, c->sseq, 0);
		}
	} else {
		/* Close: the closer's FIN, its ACK, the other FIN, the last ACK. */
		uint32_t k = s - 3 - data;
		bool closer_is_client = !c->server_closes;
		bool by_closer = k == 0 || k == 3;
		bool from_client = by_closer ? closer_is_client : !closer_is_client;
		uint8_t flags = (k % 2 == 0) ? 0x11 : 0x10;
		uint32_t *mine = from_client ? &c->cseq : &c->sseq;
		uint32_t theirs = from_client ? c->sseq : c->cseq;
		emit(g, c, from_client, flags, *mine, theirs, 0);
		if (flags & 0x01)
			(*mine)++;
	}
}

static void conn_start(struct gen *g, struct gen_conn *c, uint32_t index, uint32_t total)
{
	c->index = index;
	c->cseq = gen_rand(g);
	c->sseq = gen_rand(g);
	c->step = 0;
	c->total = total;
	c->payload_seed = (uint8_t)gen_rand(g);
	c->server_closes = (gen_rand(g) % 8) == 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_gencap [-p packets] [-c conns] [-k concurrent] [-r pps] "
	                "[-s seed] -o out.pcap\n");
	return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v == 0)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t packets = 2000000, conns = 130000, concurrent = 5000, pps = 1000, seed = 1;
	const char *path = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "p:c:k:r:s:o:")) != -1) {
		uint64_t *dst = opt == 'p'   ? &packets
		                : opt == 'c' ? &conns
		                : opt == 'k' ? &concurrent
		                : opt == 'r' ? &pps
		                : opt == 's' ? &seed
		                             : NULL;
		if (opt == 'o')
			path = optarg;
		else if (!dst || !parse_u64(optarg, dst))
			return usage();
	}
	if (!path || optind != argc)
		return usage();
	if (concurrent > conns || packets < conns * 7 || conns > 28000ull * 1000) {
		fprintf(stderr, "bench_gencap: need concurrent <= conns, packets >= 7 * conns\n");
		return 2;
	}
	struct gen g = {.rng = seed * 0x9e3779b97f4a7c15ull + 1, .t0 = 1700000000.0};
	g.t = g.t0;
	g.dt = 1.0 / (double)pps;
	g.out = fopen(path, "wb");
	if (!g.out) {
		fprintf(stderr, "bench_gencap: %s: %s\n", path, strerror(errno));
		return 1;
	}
	static char iobuf[1 << 20];
	setvbuf(g.out, iobuf, _IOFBF, sizeof iobuf);
	uint8_t hdr[24];
	put32le(hdr, 0xa1b2c3d4);
	put32le(hdr + 4, 2 | (4u << 16));
	put32le(hdr + 8, 0);
	put32le(hdr + 12, 0);
	put32le(hdr + 16, 262144);
	put32le(hdr + 20, 1); /* EN10MB, as on Linux loopback */
	fwrite(hdr, 1, sizeof hdr, g.out);

	/* Spread the packets over the connections exactly: the first `extra` get one more. */
	uint64_t per = packets / conns, extra = packets % conns;
	struct gen_conn *slots = calloc(concurrent, sizeof *slots);
	if (!slots)
		return 1;
	uint64_t started = 0, live = 0, peak = 0;
	for (; started < concurrent; started++, live++)
		conn_start(&g, &slots[started], (uint32_t)started,
		           (uint32_t)(per + (started < extra)));
	peak = live;
	while (live > 0) {
		/* Pick an open connection at random; when it finishes, a new one takes its slot. */
		uint32_t i = gen_rand(&g) % (uint32_t)live;
		struct gen_conn *c = &slots[i];
		conn_step(&g, c);
		if (c->step < c->total)
			continue;
		if (started < conns) {
			conn_start(&g, c, (uint32_t)started, (uint32_t)(per + (started < extra)));
			started++;
		} else {
			slots[i] = slots[--live];
		}
	}
	free(slots);
	if (fclose(g.out) != 0) {
		fprintf(stderr, "bench_gencap: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("packets=%llu conns=%llu peak_open=%llu seconds=%.0f bytes=%llu\n",
	       (unsigned long long)g.packets, (unsigned long long)conns, (unsigned long long)peak,
	       (double)g.packets / (double)pps, (unsigned long long)(g.bytes + 24));
	return 0;
}
