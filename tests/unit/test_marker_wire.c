/* test_marker_wire.c — the syscall marker's wire format, the parser's checks on untrusted
 * datagrams, the placement ring, and the receiving socket counting bad datagrams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "socklab/marker_rx.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A well-formed marker: close() on 127.0.0.1:40000 -> 127.0.0.1:9998 by "client" at t. */
static void wire(uint8_t *w, const char *call, const char *role, uint32_t sec, uint32_t nsec)
{
	memset(w, 0, MARKER_WIRE_LEN);
	memcpy(w, "SLMK", 4);
	w[MARKER_OFF_VERSION] = MARKER_WIRE_VERSION;
	w[MARKER_OFF_FLAGS] = MARKER_F_LOCAL | MARKER_F_PEER;
	w[MARKER_OFF_FAMILY] = 4;
	put32(w + MARKER_OFF_PID, 4242);
	put32(w + MARKER_OFF_SEC + 4, sec);
	put32(w + MARKER_OFF_NSEC, nsec);
	const uint8_t lo[4] = {127, 0, 0, 1};
	memcpy(w + MARKER_OFF_LOCAL, lo, 4);
	put16(w + MARKER_OFF_LOCAL_PORT, 40000);
	memcpy(w + MARKER_OFF_PEER, lo, 4);
	put16(w + MARKER_OFF_PEER_PORT, 9998);
	memcpy(w + MARKER_OFF_CALL, call, strlen(call));
	memcpy(w + MARKER_OFF_ROLE, role, strlen(role));
}

static void parses_good(void **state)
{
	(void)state;
	uint8_t w[MARKER_WIRE_LEN];
	struct marker m;
	wire(w, "close", "conn 2", 1000, 500000000);
	assert_int_equal(marker_parse(w, sizeof w, &m), MARKER_OK);
	assert_string_equal(m.call, "close");
	assert_string_equal(m.role, "conn 2");
	assert_int_equal(m.pid, 4242);
	assert_int_equal(m.local_port, 40000);
	assert_int_equal(m.peer_port, 9998);
	assert_int_equal(m.local.family, 4);
	assert_int_equal(m.local.bytes[0], 127);
	assert_int_equal(m.local.bytes[4], 0); /* the rest of an IPv4 address stays zero */
	assert_true(m.t > 1000.49 && m.t < 1000.51);
}

static void refuses_lengths_magic_version(void **state)
{
	(void)state;
	uint8_t w[MARKER_WIRE_LEN + 8];
	struct marker m;
	wire(w, "close", "client", 1, 0);
	assert_int_equal(marker_parse(w, 0, &m), MARKER_BAD_LENGTH);
	assert_int_equal(marker_parse(NULL, MARKER_WIRE_LEN, &m), MARKER_BAD_LENGTH);
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN - 1, &m), MARKER_BAD_LENGTH); /* short */
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN + 1, &m), MARKER_BAD_LENGTH); /* long */
	w[0] = 'X';
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_BAD_MAGIC);
	wire(w, "close", "client", 1, 0);
	w[MARKER_OFF_VERSION] = 2;
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_BAD_VERSION);
	w[MARKER_OFF_VERSION] = 0;
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_BAD_VERSION);
}

static void refuses_bad_fields(void **state)
{
	(void)state;
	uint8_t w[MARKER_WIRE_LEN];
	struct marker m;
	struct {
		size_t off;
		uint8_t v;
	} bad[] = {
	    {MARKER_OFF_FLAGS, 0x08},                     /* unknown flag */
	    {MARKER_OFF_FAMILY, 5},                       /* no such family */
	    {MARKER_OFF_FAMILY, 0},                       /* addresses without a family */
	    {MARKER_OFF_RESERVED, 1},                     /* reserved must be 0 */
	    {MARKER_OFF_SEC, 1},                          /* a time past 2106 */
	    {MARKER_OFF_NSEC, 0x40},                      /* nanoseconds >= 1e9 */
	    {MARKER_OFF_CALL, 0},                         /* empty call name */
	    {MARKER_OFF_CALL, 'C'},                       /* upper case */
	    {MARKER_OFF_CALL + 2, '('},                   /* not a C name */
	    {MARKER_OFF_CALL + MARKER_CALL_LEN - 1, 'x'}, /* name not NUL-ended */
	    {MARKER_OFF_ROLE + 1, 0x1b},                  /* ESC in the role */
	    {MARKER_OFF_ROLE + 3, 0xc3},                  /* non-ASCII in the role */
	    {MARKER_OFF_ROLE + MARKER_ROLE_LEN - 1, 'x'}, /* role not NUL-ended */
	    {MARKER_OFF_PEER_PORT, 0},                    /* peer port 0 (with the next) */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wire(w, "close", "client", 1, 0);
		if (bad[i].off == MARKER_OFF_CALL + MARKER_CALL_LEN - 1)
			memset(w + MARKER_OFF_CALL, 'x', MARKER_CALL_LEN);
		if (bad[i].off == MARKER_OFF_ROLE + MARKER_ROLE_LEN - 1)
			memset(w + MARKER_OFF_ROLE, 'r', MARKER_ROLE_LEN);
		if (bad[i].off == MARKER_OFF_PEER_PORT)
			w[MARKER_OFF_PEER_PORT + 1] = 0;
		w[bad[i].off] = bad[i].v;
		if (bad[i].off == MARKER_OFF_CALL && bad[i].v == 0)
			memset(w + MARKER_OFF_CALL, 0, MARKER_CALL_LEN);
		assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_BAD_FIELD);
	}
	/* a connect() target must come with the peer flag */
	wire(w, "connect", "client", 1, 0);
	w[MARKER_OFF_FLAGS] = MARKER_F_LOCAL | MARKER_F_CONNECTING;
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_BAD_FIELD);
	/* the longest names are fine */
	wire(w, "abcdefghijklmno", "0123456789abcdefghi", 1, 999999999);
	assert_int_equal(marker_parse(w, MARKER_WIRE_LEN, &m), MARKER_OK);
}

/* every byte value at every offset: never a crash, and whatever passes is in range */
static void survives_every_byte(void **state)
{
	(void)state;
	uint8_t w[MARKER_WIRE_LEN];
	struct marker m;
	for (size_t off = 0; off < MARKER_WIRE_LEN; off++)
		for (int v = 0; v < 256; v++) {
			wire(w, "send", "server", 7, 0);
			w[off] = (uint8_t)v;
			if (marker_parse(w, sizeof w, &m) != MARKER_OK)
				continue;
			assert_true(strlen(m.call) >= 1 && strlen(m.call) < MARKER_CALL_LEN);
			assert_true(strlen(m.role) < MARKER_ROLE_LEN);
		}
}

static struct decode_packet seg(uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	p.src.family = p.dst.family = 4;
	p.src.bytes[0] = p.dst.bytes[0] = 127;
	p.src.bytes[3] = p.dst.bytes[3] = 1;
	p.sport = sport;
	p.dport = dport;
	p.flags = flags;
	return p;
}

static struct marker mk(double t, uint16_t lport, uint16_t pport, uint8_t flags)
{
	uint8_t w[MARKER_WIRE_LEN];
	struct marker m;
	wire(w, "close", "client", 0, 0);
	w[MARKER_OFF_FLAGS] = flags;
	w[MARKER_OFF_FAMILY] = flags ? 4 : 0;
	put16(w + MARKER_OFF_LOCAL_PORT, lport);
	put16(w + MARKER_OFF_PEER_PORT, pport);
	assert_int_equal(marker_parse(w, sizeof w, &m), MARKER_OK);
	m.t = t;
	return m;
}

/* On loopback both ends share 127.0.0.1: the marker goes to the segment its side sends. */
static void placed_by_direction(void **state)
{
	(void)state;
	struct marker_ring r;
	struct marker_out o[4];
	marker_ring_init(&r);
	struct marker m = mk(10.0, 40000, 9998, MARKER_F_LOCAL | MARKER_F_PEER);
	assert_true(marker_ring_push(&r, &m));
	struct decode_packet from_server = seg(9998, 40000, DECODE_TCP_ACK);
	struct decode_packet from_client = seg(40000, 9998, DECODE_TCP_FIN | DECODE_TCP_ACK);
	/* a segment before the call: not it */
	assert_int_equal(marker_ring_take_segment(&r, 9.9, &from_client, o, 4), 0);
	/* the peer's segment after it: not it either */
	assert_int_equal(marker_ring_take_segment(&r, 10.1, &from_server, o, 4), 0);
	assert_int_equal(marker_ring_take_segment(&r, 10.2, &from_client, o, 4), 1);
	assert_true(o[0].placed);
	assert_int_equal(r.n, 0);
}

static void connect_goes_to_the_syn(void **state)
{
	(void)state;
	struct marker_ring r;
	struct marker_out o[4];
	marker_ring_init(&r);
	struct marker m = mk(5.0, 0, 9998, MARKER_F_PEER | MARKER_F_CONNECTING);
	marker_ring_push(&r, &m);
	struct decode_packet synack = seg(9998, 41000, DECODE_TCP_SYN | DECODE_TCP_ACK);
	struct decode_packet syn = seg(41000, 9998, DECODE_TCP_SYN);
	assert_int_equal(marker_ring_take_segment(&r, 5.1, &synack, o, 4), 0);
	assert_int_equal(marker_ring_take_segment(&r, 5.1, &syn, o, 4), 1);
	assert_true(o[0].placed);
}

static void lone_and_held_markers(void **state)
{
	(void)state;
	struct marker_ring r;
	struct marker_out o[4];
	marker_ring_init(&r);
	struct marker listen = mk(1.0, 9998, 0, MARKER_F_LOCAL); /* no peer: its own row */
	struct marker held = mk(1.5, 40000, 9998, MARKER_F_LOCAL | MARKER_F_PEER);
	marker_ring_push(&r, &listen);
	marker_ring_push(&r, &held);
	struct decode_packet other = seg(5555, 6666, DECODE_TCP_ACK);
	/* before another connection's segment at 1.2: the listen() (older), not the later one */
	assert_int_equal(marker_ring_take_segment(&r, 1.2, &other, o, 4), 1);
	assert_false(o[0].placed);
	assert_int_equal(o[0].m.t, 1.0);
	/* held until MARKER_HOLD_SECS have passed with no segment from its side */
	assert_int_equal(marker_ring_take_due(&r, 1.5 + MARKER_HOLD_SECS / 2, false, o, 4), 0);
	assert_int_equal(marker_ring_take_due(&r, 1.6 + MARKER_HOLD_SECS, false, o, 4), 1);
	assert_false(o[0].placed);
	/* the end of a run flushes everything, a future one too */
	marker_ring_push(&r, &held);
	assert_int_equal(marker_ring_take_due(&r, 0, true, o, 4), 1);
}

static void ring_is_capped(void **state)
{
	(void)state;
	struct marker_ring r;
	marker_ring_init(&r);
	struct marker m = mk(1.0, 40000, 9998, MARKER_F_LOCAL | MARKER_F_PEER);
	for (int i = 0; i < MARKER_RING_CAP; i++)
		assert_true(marker_ring_push(&r, &m));
	assert_false(marker_ring_push(&r, &m));
	assert_int_equal(r.dropped, 1);
	assert_int_equal(r.n, MARKER_RING_CAP);
}

/* The socket: good markers kept, bad datagrams counted and dropped. */
static void socket_counts_bad_datagrams(void **state)
{
	(void)state;
	char name[64], err[256];
	snprintf(name, sizeof name, "socklab-test-markers-%d", (int)getpid());
	struct marker_rx *rx = marker_rx_open(name, err, sizeof err);
	assert_non_null(rx);
	assert_null(marker_rx_open(name, err, sizeof err)); /* a second one cannot bind it */
	assert_non_null(strstr(err, "another tcpscope"));

	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, name, strlen(name));
	socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	uint8_t w[MARKER_WIRE_LEN * 2];
	uint32_t now = (uint32_t)time(NULL);
	wire(w, "close", "client", now, 0);
	put32(w + MARKER_OFF_PID, (uint32_t)getpid()); /* the kernel's word must agree */
	assert_int_equal(sendto(s, w, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl),
	                 MARKER_WIRE_LEN);
	uint8_t f[MARKER_WIRE_LEN];
	memcpy(f, w, MARKER_WIRE_LEN);
	put32(f + MARKER_OFF_PID, 1); /* someone else's pid: refused */
	sendto(s, f, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl);
	memcpy(f, w, MARKER_WIRE_LEN);
	put32(f + MARKER_OFF_SEC + 4, now + 3600); /* an hour ahead: would never be due */
	sendto(s, f, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl);
	put32(f + MARKER_OFF_SEC + 4, 100); /* 1970 */
	sendto(s, f, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl);
	sendto(s, w, 3, 0, (struct sockaddr *)&sun, sl);        /* short */
	sendto(s, w, sizeof w, 0, (struct sockaddr *)&sun, sl); /* oversize */
	sendto(s, w, 0, 0, (struct sockaddr *)&sun, sl);        /* empty */
	w[MARKER_OFF_VERSION] = 9;
	sendto(s, w, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl); /* wrong version */
	close(s);
	marker_rx_drain(rx);
	const struct marker_stats *st = marker_rx_stats(rx);
	assert_int_equal(st->received, 8);
	assert_int_equal(st->bad, 4);
	assert_int_equal(st->refused, 3);
	assert_int_equal(st->accepted, 1);
	struct marker_out o[4];
	assert_int_equal(marker_rx_due(rx, 0, true, o, 4), 1);
	assert_string_equal(o[0].m.call, "close");

	/* a flood from one process holds at most its share of the ring */
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	w[MARKER_OFF_VERSION] = MARKER_WIRE_VERSION;
	for (int i = 0; i < MARKER_PER_PID_CAP + 10; i++) {
		sendto(s, w, MARKER_WIRE_LEN, 0, (struct sockaddr *)&sun, sl);
		marker_rx_drain(
		    rx); /* a datagram socket's queue is short (net.unix.max_dgram_qlen) */
	}
	close(s);
	assert_int_equal(st->accepted, 1 + MARKER_PER_PID_CAP);
	assert_int_equal(st->dropped, 10);
	marker_rx_close(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_good),
	    cmocka_unit_test(refuses_lengths_magic_version),
	    cmocka_unit_test(refuses_bad_fields),
	    cmocka_unit_test(survives_every_byte),
	    cmocka_unit_test(placed_by_direction),
	    cmocka_unit_test(connect_goes_to_the_syn),
	    cmocka_unit_test(lone_and_held_markers),
	    cmocka_unit_test(ring_is_capped),
	    cmocka_unit_test(socket_counts_bad_datagrams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
