/* ui_queue.c — bounded FIFO of copied frames. */
#include "ui_queue.h"

#include <stdlib.h>
#include <string.h>

bool ui_queue_init(struct ui_queue *q, uint32_t cap)
{
	memset(q, 0, sizeof *q);
	q->buf = calloc(cap, sizeof *q->buf);
	if (!q->buf)
		return false;
	q->cap = cap;
	return true;
}

void ui_queue_free(struct ui_queue *q)
{
	free(q->buf);
	memset(q, 0, sizeof *q);
}

bool ui_queue_push(struct ui_queue *q, double t, int status, const struct decode_packet *pkt)
{
	if (q->count == q->cap)
		return false;
	struct ui_frame *f = &q->buf[(q->head + q->count) % q->cap];
	f->t = t;
	f->status = (uint8_t)status;
	if (pkt) {
		f->pkt = *pkt;
		/* The payload lives in libpcap's buffer, gone after the callback; nobody on this
		 * path reads payload bytes, so drop the pointer rather than copy them. */
		f->pkt.payload = NULL;
		f->pkt.payload_captured = 0;
	} else {
		memset(&f->pkt, 0, sizeof f->pkt);
	}
	q->count++;
	return true;
}

const struct ui_frame *ui_queue_peek(const struct ui_queue *q)
{
	return q->count ? &q->buf[q->head] : NULL;
}

void ui_queue_pop(struct ui_queue *q)
{
	if (!q->count)
		return;
	q->head = (q->head + 1) % q->cap;
	q->count--;
}
