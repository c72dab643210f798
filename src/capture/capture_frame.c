/* capture_frame.c — one frame as read (header and bytes) to a decoded capture_frame. */
#include "socklab/capture.h"
#include "capture_internal.h"

#include "../decode/decode_fast.h"

void capture_decode(const struct capture *c, const struct capture_raw *r, const uint8_t *bytes,
                    struct capture_frame *f, struct decode_packet *pkt)
{
	f->t = (double)r->sec + (double)r->subsec * c->ts_scale;
	f->caplen = r->caplen;
	f->wirelen = r->wirelen;
	f->tuple_hash = 0;
	f->status = decode_frame_hashed(c->link, bytes, r->caplen, pkt, &f->tuple_hash);
	f->pkt = f->status == DECODE_OK ? pkt : NULL;
}
