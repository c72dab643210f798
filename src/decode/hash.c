/* hash.c — a direction-independent hash of a segment's 4-tuple. */
#include "socklab/decode.h"

#include <string.h>

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Multiply-xor per endpoint; one full mix of the sum (a sum does not care which endpoint is
 * the source). Cheap: it runs on every segment. */
static uint64_t endpoint_hash(const struct decode_addr *a, uint16_t port)
{
	uint64_t w0, w1;
	memcpy(&w0, a->bytes, 8);
	memcpy(&w1, a->bytes + 8, 8);
	return (w0 * 0x9e3779b97f4a7c15ULL) ^ (w1 * 0xc2b2ae3d27d4eb4fULL) ^
	       (((uint64_t)port << 8 | a->family) * 0x165667b19e3779f9ULL);
}

uint32_t decode_tuple_hash(const struct decode_packet *p)
{
	return (uint32_t)mix64(endpoint_hash(&p->src, p->sport) + endpoint_hash(&p->dst, p->dport));
}
