/* track_batch.c — track_segments: a batch of segments with their table memory fetched ahead. */
#include "socklab/track.h"

#include "track_internal.h"

#include <assert.h>

/* Past this many the hashes are kept for a chunk at a time (stack array). */
#define BATCH_CHUNK 64

/* Segments ahead of the one being applied whose slots are being fetched. */
#define SLOT_AHEAD 8

/* Prefetch the hot lines of the slot the segment with hash h will find (a hint: the table
 * may change before that segment is applied, which costs only a wasted fetch). */
static inline __attribute__((always_inline)) void prefetch_slot(const struct track_table *tt,
                                                                uint32_t h)
{
	/* Walk the probe run as track_lookup will (a full table is at load 1/2: a third of the
	 * matches are past the first position, nearly always in the same line). */
	for (uint32_t j = h & tt->hash_mask;; j = (j + 1) & tt->hash_mask) {
		const struct track_hent *e = &tt->hash[j];
		if (e->idx == TRACK_NIL)
			return;
		if (e->hash != h)
			continue;
		const char *s = (const char *)&tt->slots[e->idx];
		for (size_t off = 0; off < TRACK_SLOT_HOT_BYTES; off += 64)
			__builtin_prefetch(s + off, 1, 3);
		return;
	}
}

/* Over thousands of open connections each segment costs two dependent cache misses (its
 * hash entry, then its slot). The chunk's hash entries are all requested first; then each
 * segment's slot is requested SLOT_AHEAD segments before it is applied, by which time its
 * hash entry has arrived, so neither miss stalls the segment in hand. Prefetches are hints
 * only: the segments are applied one by one, in order, exactly as track_segment does, so
 * events cannot differ. */
static void chunk(struct track_table *tt, const double *t, const struct decode_packet *const *pkts,
                  const uint32_t *given, size_t n)
{
	uint32_t mine[BATCH_CHUNK];
	const uint32_t *h = given ? given : mine;
	for (size_t i = 0; i < n; i++) {
		if (!given)
			mine[i] = track_tuple_hash(pkts[i]);
		assert(h[i] == track_tuple_hash(pkts[i]));
		__builtin_prefetch(&tt->hash[h[i] & tt->hash_mask], 0, 3);
	}
	for (size_t i = 0; i < n && i < SLOT_AHEAD; i++)
		prefetch_slot(tt, h[i]);
	for (size_t i = 0; i < n; i++) {
		if (i + SLOT_AHEAD < n)
			prefetch_slot(tt, h[i + SLOT_AHEAD]);
		track_segment_hashed(tt, t[i], pkts[i], h[i]);
	}
}

void track_segments_hashed(struct track_table *tt, const double *t,
                           const struct decode_packet *const *pkts, const uint32_t *hashes,
                           size_t n)
{
	while (n > 0) {
		size_t k = n < BATCH_CHUNK ? n : BATCH_CHUNK;
		chunk(tt, t, pkts, hashes, k);
		t += k;
		pkts += k;
		if (hashes)
			hashes += k;
		n -= k;
	}
}

void track_segments(struct track_table *tt, const double *t,
                    const struct decode_packet *const *pkts, size_t n)
{
	track_segments_hashed(tt, t, pkts, NULL, n);
}
