/* fuzz_marker.c — libFuzzer target: a syscall marker datagram, untrusted, through the parser and
 * the placement ring, with the invariants the screen and the outputs rely on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/marker_rx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static bool printable(const char *s, size_t max, bool name)
{
	size_t n = strnlen(s, max);
	if (n == max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (name ? !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
		         : (c < 0x20 || c > 0x7e))
			return false;
	}
	return true;
}

/* One datagram: parsed, and when good, placed; the invariants checked. */
static void one(const uint8_t *data, size_t len)
{
	static struct marker_ring ring;
	struct marker m;
	if (marker_parse(data, len, &m) != MARKER_OK)
		return;
	FUZZ_CHECK(len == MARKER_WIRE_LEN);
	FUZZ_CHECK(m.call[0] && printable(m.call, sizeof m.call, true));
	FUZZ_CHECK(printable(m.role, sizeof m.role, false));
	FUZZ_CHECK(!(m.flags & ~MARKER_F_ALL));
	FUZZ_CHECK(!(m.flags & MARKER_F_PEER) || m.peer_port != 0);
	marker_ring_init(&ring);
	FUZZ_CHECK(marker_ring_push(&ring, &m));
	/* the segment the marker names, if any, takes it; a flush takes what is left */
	struct decode_packet p;
	memset(&p, 0, sizeof p);
	p.src = m.local;
	p.sport = m.local_port;
	p.dst = m.peer;
	p.dport = m.peer_port;
	p.flags = DECODE_TCP_SYN;
	struct marker_out out[2];
	size_t a = marker_ring_take_segment(&ring, m.t, &p, out, 2);
	size_t b = marker_ring_take_due(&ring, 0, true, out, 2);
	FUZZ_CHECK(a + b == 1 && ring.n == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size); /* the input as one datagram (any length) */
	/* and as a run of datagrams of the marker's size */
	for (size_t off = 0; size > MARKER_WIRE_LEN && off + MARKER_WIRE_LEN <= size;
	     off += MARKER_WIRE_LEN)
		one(data + off, MARKER_WIRE_LEN);
	return 0;
}
