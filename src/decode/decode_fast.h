/* decode_fast.h — decoding a frame and its 4-tuple hash in one pass, for the capture's blocks.
 * Not public: the capture module and the tests include it by path. */
#ifndef SOCKLAB_DECODE_FAST_H
#define SOCKLAB_DECODE_FAST_H

#include "socklab/decode.h"

/* As decode_frame, and on DECODE_OK also *hash = decode_tuple_hash(out) (hash may be NULL).
 * For the common frame it is worked out from the header words at hand, not read back from
 * *out: cheaper, and *out may be memory another CPU reads (the capture's reader thread). */
enum decode_status decode_frame_hashed(int link, const uint8_t *buf, size_t caplen,
                                       struct decode_packet *out, uint32_t *hash);

#endif
