/* track_batch.c — track_segments: a batch of segments with their table memory fetched ahead. */
#include "track_batch.h"
#include "track_internal.h"

#include <assert.h>

/* Without given hashes they are worked out for a chunk at a time (stack array). */
#define BATCH_CHUNK 64

/* How far ahead of the segment being applied its memory is asked for: the hash entry
 * HASH_AHEAD segments before, the slot (found through that entry) SLOT_AHEAD before. */
#define HASH_AHEAD 16
#define SLOT_AHEAD 6
/* ... and the segment itself (read straight from the capture's blocks, which may have been
 * decoded on another CPU) this many before. */
#define PKT_AHEAD 6

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
		_Static_assert(TRACK_SLOT_HOT_BYTES == 256, "four lines prefetched");
		__builtin_prefetch(s, 1, 3);
		__builtin_prefetch(s + 64, 1, 3);
		__builtin_prefetch(s + 128, 1, 3);
		__builtin_prefetch(s + 192, 1, 3);
		return;
	}
}

static inline __attribute__((always_inline)) void prefetch_pkt(const struct decode_packet *p)
{
	_Static_assert(sizeof *p <= 128, "two lines prefetched");
	__builtin_prefetch(p, 0, 3);
	__builtin_prefetch((const char *)p + 64, 0, 3);
}

static inline __attribute__((always_inline)) void prefetch_hent(const struct track_table *tt,
                                                                uint32_t h)
{
	__builtin_prefetch(&tt->hash[h & tt->hash_mask], 0, 3);
}

/* Over thousands of open connections each segment costs two dependent cache misses (its
 * hash entry, then its slot). Both are asked for ahead, in a pipeline over the batch: by the
 * time a segment is applied its slot has arrived, and by the time its slot is asked for its
 * hash entry has. Prefetches are hints only: the segments are applied one by one, in order,
 * exactly as track_segment does, so events cannot differ. */
static void pipeline(struct track_table *tt, const double *t,
                     const struct decode_packet *const *pkts, const uint32_t *h, size_t n)
{
	for (size_t i = 0; i < n && i < HASH_AHEAD; i++)
		prefetch_hent(tt, h[i]);
	for (size_t i = 0; i < n && i < SLOT_AHEAD; i++)
		prefetch_slot(tt, h[i]);
	for (size_t i = 0; i < n && i < PKT_AHEAD; i++)
		prefetch_pkt(pkts[i]);
	for (size_t i = 0; i < n; i++) {
		assert(h[i] == decode_tuple_hash(pkts[i]));
		if (i + HASH_AHEAD < n)
			prefetch_hent(tt, h[i + HASH_AHEAD]);
		if (i + SLOT_AHEAD < n)
			prefetch_slot(tt, h[i + SLOT_AHEAD]);
		if (i + PKT_AHEAD < n)
			prefetch_pkt(pkts[i + PKT_AHEAD]);
		track_segment_hashed(tt, t[i], pkts[i], h[i]);
	}
}

void track_segments_hashed(struct track_table *tt, const double *t,
                           const struct decode_packet *const *pkts, const uint32_t *hashes,
                           size_t n)
{
	if (hashes) {
		pipeline(tt, t, pkts, hashes, n);
		return;
	}
	uint32_t h[BATCH_CHUNK];
	while (n > 0) {
		size_t k = n < BATCH_CHUNK ? n : BATCH_CHUNK;
		for (size_t i = 0; i < k; i++)
			h[i] = decode_tuple_hash(pkts[i]);
		pipeline(tt, t, pkts, h, k);
		t += k;
		pkts += k;
		n -= k;
	}
}

void track_segments(struct track_table *tt, const double *t,
                    const struct decode_packet *const *pkts, size_t n)
{
	track_segments_hashed(tt, t, pkts, NULL, n);
}
