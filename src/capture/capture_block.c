/* capture_block.c — a block of a capture file's frames: copied as read, decoded later. */
#include "capture_internal.h"

#include <stdio.h>
#include <string.h>

/* Copies frame i's header and bytes in at *used. */
static void put_frame(struct capture_block *b, uint32_t i, uint32_t *used,
                      const struct pcap_pkthdr *h, const uint8_t *data)
{
	uint32_t len = h->caplen;
	/* Only a frame past CAPTURE_BLOCK_BYTES (impossible from libpcap) is cut. */
	if (len > CAPTURE_BLOCK_BYTES - *used)
		len = CAPTURE_BLOCK_BYTES - *used;
	b->raw[i] = (struct capture_raw){.sec = h->ts.tv_sec,
	                                 .subsec = h->ts.tv_usec,
	                                 .caplen = len,
	                                 .wirelen = h->len,
	                                 .off = *used};
	memcpy(b->bytes + *used, data, len);
	*used += len;
}

void capture_block_fill(const struct capture *c, struct capture_block *b, uint32_t limit,
                        struct capture_filler *fl)
{
	if (limit > CAPTURE_BLOCK_FRAMES)
		limit = CAPTURE_BLOCK_FRAMES;
	b->decoded = 0;
	b->end = b->failed = false;
	/* Counts and the frame in hand kept in locals: every libpcap call could, as far as the
	 * compiler knows, change what b and fl point at, so fields would be read again. */
	uint32_t n = 0, used = 0;
	struct pcap_pkthdr *h = fl->h;
	const uint8_t *data = fl->data;
	bool held = fl->held;
	while (n < limit) {
		if (!held) {
			int rc = pcap_next_ex(c->pcap, &h, &data);
			if (rc != 1) {
				b->end = true;
				if (rc == PCAP_ERROR) {
					b->failed = true;
					snprintf(fl->err, sizeof fl->err, "capture failed: %s",
					         pcap_geterr(c->pcap));
				}
				break;
			}
		}
		held = n > 0 && h->caplen > CAPTURE_BLOCK_BYTES - used;
		if (held)
			break; /* it starts the next block */
		put_frame(b, n++, &used, h, data);
	}
	b->n = n;
	b->used = used;
	fl->h = h;
	fl->data = data;
	fl->held = held;
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
