/* track_batch.c — track_segments: a batch of segments with their table memory fetched ahead. */
#include "socklab/track.h"

#include "track_internal.h"

/* Past this many the hashes are kept for a chunk at a time (stack array). */
#define BATCH_CHUNK 32

/* Over thousands of open connections each segment costs two dependent cache misses (its
 * hash entry, then its slot). Prefetching every entry of the chunk first, then every slot,
 * overlaps those misses across segments. Prefetches are hints only: the segments are then
 * applied one by one, in order, exactly as track_segment does, so events cannot differ. */
static void chunk(struct track_table *tt, const double *t, const struct decode_packet *const *pkts,
                  size_t n)
{
	uint32_t h[BATCH_CHUNK];
	for (size_t i = 0; i < n; i++) {
		h[i] = track_tuple_hash(pkts[i]);
		__builtin_prefetch(&tt->hash[h[i] & tt->hash_mask], 0, 3);
	}
	for (size_t i = 0; i < n; i++) {
		/* Walk the probe run as track_lookup will (a full table is at load 1/2: a third
		 * of the matches are past the first position, nearly always in the same line). */
		for (uint32_t j = h[i] & tt->hash_mask;; j = (j + 1) & tt->hash_mask) {
			const struct track_hent *e = &tt->hash[j];
			if (e->idx == TRACK_NIL)
				break;
			if (e->hash != h[i])
				continue;
			const char *s = (const char *)&tt->slots[e->idx];
			for (size_t off = 0; off < TRACK_SLOT_HOT_BYTES; off += 64)
				__builtin_prefetch(s + off, 1, 3);
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		track_segment_hashed(tt, t[i], pkts[i], h[i]);
}

void track_segments(struct track_table *tt, const double *t,
                    const struct decode_packet *const *pkts, size_t n)
{
	while (n > 0) {
		size_t k = n < BATCH_CHUNK ? n : BATCH_CHUNK;
		chunk(tt, t, pkts, k);
		t += k;
		pkts += k;
		n -= k;
	}
}
