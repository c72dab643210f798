/* fuzz_input.h — the fuzz targets' input format: a sequence of framed, link-tagged records. */
#ifndef SOCKLAB_FUZZ_INPUT_H
#define SOCKLAB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* One record: [selector u8][time step u8][length u16 big-endian][length bytes of frame].
 * selector % FUZZ_LINK_COUNT picks the link type (the last one is unsupported on purpose);
 * selector bit 0x80 asks the driver to let time pass (track_advance) before this frame.
 * The time step advances the clock by step * FUZZ_TIME_UNIT seconds. A length beyond the end
 * of the input is cut to what remains, so every byte string is a valid input. */
#define FUZZ_RECORD_HEADER 4
#define FUZZ_TIME_UNIT     0.01
#define FUZZ_SEL_ADVANCE   0x80

static const int fuzz_links[] = {1 /* EN10MB */,       113 /* LINUX_SLL */,
                                 276 /* LINUX_SLL2 */, 0 /* NULL */,
                                 108 /* LOOP */,       12 /* RAW */,
                                 101 /* RAW alt */,    228 /* IPV4 */,
                                 229 /* IPV6 */,       147 /* unsupported */};
#define FUZZ_LINK_COUNT (sizeof(fuzz_links) / sizeof(fuzz_links[0]))

struct fuzz_record {
	uint8_t selector;
	uint8_t step;
	int link;
	const uint8_t *frame;
	size_t len;
};

/* Takes the next record from data and size; returns 0 when the input is used up. */
static inline int fuzz_next_record(const uint8_t **data, size_t *size, struct fuzz_record *r)
{
	if (*size < FUZZ_RECORD_HEADER)
		return 0;
	const uint8_t *d = *data;
	size_t len = (size_t)d[2] << 8 | d[3];
	size_t rest = *size - FUZZ_RECORD_HEADER;
	if (len > rest)
		len = rest;
	r->selector = d[0];
	r->step = d[1];
	r->link = fuzz_links[(d[0] & 0x7f) % FUZZ_LINK_COUNT];
	r->frame = d + FUZZ_RECORD_HEADER;
	r->len = len;
	*data = d + FUZZ_RECORD_HEADER + len;
	*size = rest - len;
	return 1;
}

/* Selector for a link type (for writers of seed files); -1 if not in the table. */
static inline int fuzz_selector_for(int link)
{
	for (size_t i = 0; i < FUZZ_LINK_COUNT; i++)
		if (fuzz_links[i] == link)
			return (int)i;
	return -1;
}

#endif
