/* track_batch.h — segments handed to the tracker in batches, their memory fetched ahead.
 * Not public: tcpscope's streaming loop, the benchmark and the tests include it by path. */
#ifndef SOCKLAB_TRACK_BATCH_H
#define SOCKLAB_TRACK_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/track.h"

/* Feed n segments at once: exactly the events, in the same order, of n track_segment calls
 * (pkts[i] at t[i]). Faster over many open connections: all n hash entries, then all n slots,
 * are fetched from memory together instead of one after another. The payload pointers are not
 * used, so pkts may point at copies of the decoded packets. Any n; tcpscope uses 256. */
void track_segments(struct track_table *tt, const double *t,
                    const struct decode_packet *const *pkts, size_t n);
/* The same with each segment's decode_tuple_hash already worked out (hashes[i] must be
 * decode_tuple_hash(pkts[i]); capture_frame carries it): the capture hashes as it decodes,
 * from the header bytes, so it is not worked out again from the decoded segment. */
void track_segments_hashed(struct track_table *tt, const double *t,
                           const struct decode_packet *const *pkts, const uint32_t *hashes,
                           size_t n);

#endif
