/* capture_block.c — a block of a capture file's frames: copied as read, decoded later. */
#include "capture_internal.h"

#include <stdio.h>
#include <string.h>

static void put_frame(struct capture_block *b, const struct pcap_pkthdr *h, const uint8_t *data)
{
	uint32_t i = b->n++;
	uint32_t len = h->caplen;
	/* Only a frame past CAPTURE_BLOCK_BYTES (impossible from libpcap) is cut. */
	if (len > CAPTURE_BLOCK_BYTES - b->used)
		len = CAPTURE_BLOCK_BYTES - b->used;
	b->raw[i] = (struct capture_raw){.sec = h->ts.tv_sec,
	                                 .subsec = h->ts.tv_usec,
	                                 .caplen = len,
	                                 .wirelen = h->len,
	                                 .off = b->used};
	memcpy(b->bytes + b->used, data, len);
	b->used += len;
}

void capture_block_fill(const struct capture *c, struct capture_block *b, uint32_t limit,
                        struct capture_filler *fl)
{
	if (limit > CAPTURE_BLOCK_FRAMES)
		limit = CAPTURE_BLOCK_FRAMES;
	b->n = b->used = b->decoded = 0;
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
		fl->held = b->n > 0 && fl->h->caplen > CAPTURE_BLOCK_BYTES - b->used;
		if (fl->held)
			return; /* it starts the next block */
		put_frame(b, fl->h, fl->data);
	}
}

/* The decoder writes into the block and works each tuple hash out from the header bytes
 * (decode_frame_hashed), not from what it has just stored: when the other thread read this
 * block's lines last, reading those stores back waits for the lines to come home. */
void capture_block_decode(const struct capture *c, struct capture_block *b)
{
	for (uint32_t i = b->decoded; i < b->n; i++)
		capture_decode(c, &b->raw[i], b->bytes + b->raw[i].off, &b->f[i], &b->pkt[i]);
	b->decoded = b->n;
}
