/* ui_queue.h — a bounded FIFO of captured frames, copied out of libpcap's buffer, so the
 * screen can pause (frames wait here), single-step, and pace a file replay. */
#ifndef SOCKLAB_UI_QUEUE_H
#define SOCKLAB_UI_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/decode.h"

struct ui_frame {
	double t;
	uint8_t status;           /* enum decode_status */
	struct decode_packet pkt; /* valid when status is DECODE_OK; payload pointer cleared */
};

struct ui_queue {
	struct ui_frame *buf;
	uint32_t cap, head, count;
};

bool ui_queue_init(struct ui_queue *q, uint32_t cap);
void ui_queue_free(struct ui_queue *q);
/* False when full: the caller stops reading the capture instead (the kernel buffer holds
 * what follows, and counts what it cannot hold). */
bool ui_queue_push(struct ui_queue *q, double t, int status, const struct decode_packet *pkt);
const struct ui_frame *ui_queue_peek(const struct ui_queue *q);
void ui_queue_pop(struct ui_queue *q);
static inline uint32_t ui_queue_space(const struct ui_queue *q) { return q->cap - q->count; }

#endif
