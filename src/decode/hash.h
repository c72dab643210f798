/* hash.h — the 4-tuple hash's parts, inline, so the fast decoder can work the hash out from
 * the header words it holds in registers (decode_frame_hashed). */
#ifndef SOCKLAB_DECODE_HASH_H
#define SOCKLAB_DECODE_HASH_H

#include <stdint.h>

static inline uint64_t decode_hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* One endpoint: w0, w1 are its 16 address bytes as two native 64-bit words (IPv4: the first 4
 * bytes, the rest zero). Multiply-xor per endpoint; the tuple's hash is one full mix of the
 * two endpoints' sum (a sum does not care which endpoint is the source). */
static inline uint64_t decode_hash_endpoint(uint64_t w0, uint64_t w1, uint16_t port, uint8_t family)
{
	return (w0 * 0x9e3779b97f4a7c15ULL) ^ (w1 * 0xc2b2ae3d27d4eb4fULL) ^
	       (((uint64_t)port << 8 | family) * 0x165667b19e3779f9ULL);
}

static inline uint32_t decode_hash_tuple(uint64_t a, uint64_t b)
{
	return (uint32_t)decode_hash_mix64(a + b);
}

#endif
