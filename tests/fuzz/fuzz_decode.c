/* fuzz_decode.c — libFuzzer target: every record through decode_frame, with invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/decode.h"
#include "decode/decode_fast.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the decoder promises broke: crash so the fuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static void check_packet(const struct decode_packet *p, const uint8_t *frame, size_t len)
{
	FUZZ_CHECK(p->ip_version == 4 || p->ip_version == 6);
	FUZZ_CHECK(p->src.family == p->ip_version && p->dst.family == p->ip_version);
	FUZZ_CHECK(p->data_offset >= 20 && p->data_offset <= 60 && p->data_offset % 4 == 0);
	FUZZ_CHECK(p->payload_captured <= p->payload_len);
	FUZZ_CHECK(p->payload >= frame && p->payload + p->payload_captured <= frame + len);
	FUZZ_CHECK(p->opts.sack_count <= DECODE_MAX_SACK_BLOCKS);
	/* the formatters must cope with anything the decoder produced */
	char buf[DECODE_ENDPOINT_STRLEN], flags[64];
	decode_endpoint_format(&p->src, p->sport, buf, sizeof(buf));
	FUZZ_CHECK(strlen(buf) < sizeof(buf));
	decode_addr_format(&p->dst, buf, sizeof(buf));
	FUZZ_CHECK(decode_flags_format(p->flags, flags, sizeof(flags)) <= 8);
}

/* A prefix of a frame is what a smaller snaplen would have captured: it may only turn the
 * answer into TRUNCATED, never into another status, and an OK prefix agrees with the whole. */
static void check_prefix(int link, const uint8_t *frame, size_t len, size_t cut,
                         enum decode_status full, const struct decode_packet *whole)
{
	uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any over-read */
	if (!copy)
		return;
	memcpy(copy, frame, cut);
	struct decode_packet p;
	enum decode_status st = decode_frame(link, copy, cut, &p);
	FUZZ_CHECK(st == full || st == DECODE_TRUNCATED);
	if (st == DECODE_OK) {
		FUZZ_CHECK(p.seq == whole->seq && p.sport == whole->sport);
		FUZZ_CHECK(p.payload_len == whole->payload_len);
		FUZZ_CHECK(p.payload_captured <= whole->payload_captured);
		check_packet(&p, copy, cut);
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_stats stats = {0};
	struct fuzz_record r;
	while (fuzz_next_record(&data, &size, &r)) {
		/* exact-size copy so reads past the frame hit ASan's redzone */
		uint8_t *frame = malloc(r.len ? r.len : 1);
		if (!frame)
			return 0;
		memcpy(frame, r.frame, r.len);
		struct decode_packet p;
		enum decode_status st = decode_frame(r.link, frame, r.len, &p);
		FUZZ_CHECK((unsigned)st < DECODE_STATUS_COUNT);
		FUZZ_CHECK(decode_link_supported(r.link) == (st != DECODE_UNSUPPORTED));
		decode_stats_add(&stats, st);
		FUZZ_CHECK(strcmp(decode_status_name(st), "unknown") != 0);
		if (st == DECODE_OK)
			check_packet(&p, frame, r.len);
		/* decode_frame_hashed: the same answer, and the hash decode_tuple_hash gives */
		struct decode_packet q;
		uint32_t h = 0;
		FUZZ_CHECK(decode_frame_hashed(r.link, frame, r.len, &q, &h) == st);
		if (st == DECODE_OK)
			FUZZ_CHECK(h == decode_tuple_hash(&q) && h == decode_tuple_hash(&p));
		if (r.len > 0 && st != DECODE_UNSUPPORTED) {
			check_prefix(r.link, frame, r.len, r.len - 1, st, &p);
			check_prefix(r.link, frame, r.len, r.step % r.len, st, &p);
		}
		/* the same bytes as a bare IP packet */
		enum decode_status ip = decode_ip(frame, r.len, &p);
		if (ip == DECODE_OK)
			check_packet(&p, frame, r.len);
		free(frame);
	}
	uint64_t sum = 0;
	for (int i = 0; i < DECODE_STATUS_COUNT; i++)
		sum += stats.by_status[i];
	FUZZ_CHECK(sum == stats.frames);
	return 0;
}
