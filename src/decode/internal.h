/* internal.h — entry points shared between the files of the decode module (not public). */
#ifndef SOCKLAB_DECODE_INTERNAL_H
#define SOCKLAB_DECODE_INTERNAL_H

#include "socklab/decode.h"
#include "cursor.h"

/* Decode an IP header at the cursor. want_version is 4 or 6 when the link layer already said
 * which (a mismatch is malformed), or 0 to take it from the first nibble. */
enum decode_status decode_ip_parse(struct decode_cursor *c, int want_version,
                                   struct decode_packet *out);

/* Decode a TCP header. c covers the captured bytes of the segment (never more than seg_len);
 * seg_len is the segment's length according to the IP header. */
enum decode_status decode_tcp_parse(struct decode_cursor *c, size_t seg_len,
                                    struct decode_packet *out);

#endif
