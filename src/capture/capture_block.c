/* capture_block.c — a block of a capture file's frames, decoded, with their payload bytes. */
#include "capture_internal.h"

#include <stdio.h>
#include <string.h>

/* Decodes one frame into b (which has room) and keeps a copy of its payload there.
 *
 * When another thread reads the blocks, their lines were last read on its CPU, so a store to
 * them waits for the line to come back. Stores drain from the store buffer without holding
 * anything up, but a load of what was just stored, when it spans several smaller stores,
 * waits for the line: the tuple hash read back that way stalled the reader for a quarter of
 * its time (perf). So it is worked out from the header bytes instead (decode_frame_hashed). */
static void put_frame(const struct capture *c, struct capture_block *b, const struct pcap_pkthdr *h,
                      const uint8_t *data)
{
	uint32_t i = b->n++;
	struct capture_frame *f = &b->f[i];
	struct decode_packet *pkt = &b->pkt[i];
	capture_decode(c, h, data, f, pkt);
	if (f->pkt && pkt->payload_captured > 0) {
		uint32_t len = pkt->payload_captured;
		/* Only a frame past CAPTURE_BLOCK_BYTES (impossible from libpcap) is cut. */
		if (len > CAPTURE_BLOCK_BYTES - b->used)
			pkt->payload_captured = len = CAPTURE_BLOCK_BYTES - b->used;
		memcpy(b->bytes + b->used, pkt->payload, len);
		pkt->payload = b->bytes + b->used;
		b->used += len;
	}
}

void capture_block_fill(const struct capture *c, struct capture_block *b, uint32_t limit,
                        struct capture_filler *fl)
{
	if (limit > CAPTURE_BLOCK_FRAMES)
		limit = CAPTURE_BLOCK_FRAMES;
	b->n = b->used = 0;
	b->end = b->failed = false;
	while (b->n < limit) {
		if (!fl->held) {
			int rc = pcap_next_ex(c->pcap, &fl->h, &fl->data);
			if (rc != 1) {
				b->end = true;
				if (rc == PCAP_ERROR) {
					b->failed = true;
					snprintf(fl->err, sizeof fl->err, "capture failed: %s",
					         pcap_geterr(c->pcap));
				}
				return;
			}
		}
		/* the whole capture, not the payload alone: a bound that needs no decoding */
		fl->held = b->n > 0 && fl->h->caplen > CAPTURE_BLOCK_BYTES - b->used;
		if (fl->held)
			return; /* it starts the next block */
		put_frame(c, b, fl->h, fl->data);
	}
}
