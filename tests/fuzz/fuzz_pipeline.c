/* fuzz_pipeline.c — libFuzzer target: the whole pipeline tcpscope runs, decode -> track -> out,
 * into text, JSON Lines and the summary table at once; every JSONL line must parse. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/out.h"
#include "socklab/track.h"
#include "fuzz_input.h"
#include "json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_CONNS 64 /* small, so eviction (and its summary rows) happens */

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* Where the capture clock starts: selector bit 0x40 on the first record picks one of these by
 * its time step, so inputs reach the times an odd pcapng if_tsresol/if_tsoffset gives (libpcap
 * hands over any 64-bit second count) as well as ordinary ones. */
static const double start_times[] = {
    1000.0, 0.0, -1.0, 1.7e9, -9.3e12, 9.3e12, 4.6e18, -4.6e18, 9.2233720368547758e18, -9.3e18,
};
#define FUZZ_SEL_START 0x40

enum { SINK_TEXT, SINK_JSONL, SINK_SUMMARY, SINK_COUNT };

struct sinks {
	struct out_sink *s[SINK_COUNT];
};

static void on_event(const struct track_event *ev, void *user)
{
	struct sinks *k = user;

	for (int i = 0; i < SINK_COUNT; i++)
		out_event(ev, k->s[i]);
}

/* Every line of a JSONL stream is one valid JSON object, and the stream ends with a newline. */
static void check_jsonl(const char *buf, size_t len)
{
	size_t at = 0;

	FUZZ_CHECK(len > 0 && buf[len - 1] == '\n'); /* at least the summary line */
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);

		FUZZ_CHECK(nl != NULL);
		if (!json_check_object(buf + at, (size_t)(nl - (buf + at)))) {
			fprintf(stderr, "fuzz_pipeline: not a JSON object: %.*s\n",
			        (int)(nl - (buf + at)), buf + at);
			abort();
		}
		at = (size_t)(nl - buf) + 1;
	}
}

/* Text is lines of printable bytes: the formatters never leave a NUL or a cut line behind. */
static void check_text(const char *buf, size_t len)
{
	FUZZ_CHECK(len > 0 && buf[len - 1] == '\n');
	FUZZ_CHECK(memchr(buf, '\0', len) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum out_format formats[SINK_COUNT] = {OUT_FORMAT_TEXT, OUT_FORMAT_JSONL,
	                                                    OUT_FORMAT_SUMMARY};
	struct sinks k;
	char *buf[SINK_COUNT] = {NULL};
	size_t len[SINK_COUNT] = {0};
	FILE *fp[SINK_COUNT];
	char err[256];
	double t = start_times[0];
	struct fuzz_record r;

	if (size >= 2 && (data[0] & FUZZ_SEL_START))
		t = start_times[data[1] % (sizeof start_times / sizeof start_times[0])];
	for (int i = 0; i < SINK_COUNT; i++) {
		struct out_options o = {.format = formats[i],
		                        .names =
		                            i == SINK_TEXT ? TRACK_NAMES_LINUX : TRACK_NAMES_RFC,
		                        .summary = i == SINK_TEXT,
		                        .summary_cap = 48}; /* below the table: rows not kept too */
		fp[i] = open_memstream(&buf[i], &len[i]);
		FUZZ_CHECK(fp[i] != NULL);
		o.fp = fp[i];
		k.s[i] = out_create(&o, err, sizeof err);
		FUZZ_CHECK(k.s[i] != NULL);
	}
	struct track_config cfg = {.max_conns = FUZZ_MAX_CONNS,
	                           .time_wait_secs = 0.5,
	                           .pending_secs = 0.05,
	                           .on_event = on_event,
	                           .user = &k};
	struct track_table *tt = track_create(&cfg, err, sizeof err);
	FUZZ_CHECK(tt != NULL);

	/* as tcpscope's stream loop does: time passes, the frame is counted, then tracked */
	while (fuzz_next_record(&data, &size, &r)) {
		t += r.step * FUZZ_TIME_UNIT;
		if (r.selector & FUZZ_SEL_ADVANCE) {
			track_advance(tt, t);
			for (int i = 0; i < SINK_COUNT; i++)
				out_flush(k.s[i]);
		}
		uint8_t *frame = malloc(r.len ? r.len : 1);
		if (!frame)
			break;
		memcpy(frame, r.frame, r.len);
		struct decode_packet p;
		/* as a short snap length would: the wire length may exceed what was captured */
		uint32_t wirelen = (uint32_t)r.len + (r.selector & 0x20 ? r.step : 0);
		enum decode_status st = decode_frame(r.link, frame, r.len, &p);
		for (int i = 0; i < SINK_COUNT; i++)
			out_frame(k.s[i], t, st, (uint32_t)r.len, wirelen);
		if (st == DECODE_OK)
			track_segment(tt, t, &p);
		free(frame);
	}
	track_finish(tt, t);
	/* live runs add the kernel's counters: cover that line too, with odd values */
	struct out_capture_stats cs = {
	    .valid = t > 0, .received = UINT64_MAX, .dropped = 0, .if_dropped = (uint64_t)size};
	for (int i = 0; i < SINK_COUNT; i++) {
		FUZZ_CHECK(out_finish(k.s[i], tt, &cs) == 0);
		out_destroy(k.s[i]);
		FUZZ_CHECK(fclose(fp[i]) == 0);
	}
	track_destroy(tt);

	check_text(buf[SINK_TEXT], len[SINK_TEXT]);
	check_text(buf[SINK_SUMMARY], len[SINK_SUMMARY]);
	check_jsonl(buf[SINK_JSONL], len[SINK_JSONL]);
	for (int i = 0; i < SINK_COUNT; i++)
		free(buf[i]);
	return 0;
}
