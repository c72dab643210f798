/* hash.c — a direction-independent hash of a segment's 4-tuple. */
#include "socklab/decode.h"

#include "hash.h"

#include <string.h>

static uint64_t endpoint(const struct decode_addr *a, uint16_t port)
{
	uint64_t w0, w1;
	memcpy(&w0, a->bytes, 8);
	memcpy(&w1, a->bytes + 8, 8);
	return decode_hash_endpoint(w0, w1, port, a->family);
}

/* Cheap: it runs on every segment. */
uint32_t decode_tuple_hash(const struct decode_packet *p)
{
	return decode_hash_tuple(endpoint(&p->src, p->sport), endpoint(&p->dst, p->dport));
}
