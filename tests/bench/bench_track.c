/* bench_track.c — offline tracking cost: capture + decode + track with no output.
 * Usage: bench_track file.pcap [max_conns]
 * Prints one line of key=value figures: packets, secs, pps, ns_per_packet, peak_rss_kib,
 * conns_total, conns_peak, evicted, footprint (bytes per connection slot), table_bytes,
 * anomalies (the generated captures are clean, so any is a finding). */
#include "socklab/capture.h"
#include "socklab/track.h"
#include "track/track_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

/* Segments are handed to the tracker in batches (track_segments), as tcpscope does. */
#define BATCH 256

struct bench {
	struct track_table *tt;
	const struct decode_packet *pp[BATCH]; /* in the capture's run, valid while it lasts */
	double pt[BATCH];
	uint32_t ph[BATCH]; /* their tuple hashes, worked out by the capture */
	size_t npend;
	uint64_t frames, segments, not_ok;
	double next_tick; /* capture-clock second at which timers are next advanced */
	double last_t;
};

static double now_secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void flush(struct bench *b)
{
	track_segments_hashed(b->tt, b->pt, b->pp, b->ph, b->npend);
	b->npend = 0;
}

static void on_frame(struct bench *b, const struct capture_frame *f)
{
	b->frames++;
	b->last_t = f->t;
	/* Timers run on the capture clock, every 0.2 captured seconds, as tcpscope -r does. */
	if (f->t >= b->next_tick) {
		flush(b); /* earlier segments first, as one at a time would have it */
		track_advance(b->tt, f->t);
		b->next_tick = f->t + 0.2;
	}
	if (f->pkt) {
		b->segments++;
		b->pp[b->npend] = f->pkt;
		b->pt[b->npend] = f->t;
		b->ph[b->npend] = f->tuple_hash;
		if (++b->npend == BATCH)
			flush(b);
	} else {
		b->not_ok++;
	}
}

/* A run of frames, tracked where they lie (as tcpscope does), before the run ends. */
static void on_frames(const struct capture_frame *f, size_t n, void *user)
{
	struct bench *b = user;
	for (size_t i = 0; i < n; i++)
		on_frame(b, &f[i]);
	flush(b);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_track file.pcap [max_conns]\n");
		return 2;
	}
	struct track_config cfg = {0};
	if (argc == 3)
		cfg.max_conns = (uint32_t)strtoul(argv[2], NULL, 10);
	char err[256];
	double t0 = now_secs();
	struct bench b = {0};
	b.tt = track_create(&cfg, err, sizeof err);
	if (!b.tt) {
		fprintf(stderr, "bench_track: %s\n", err);
		return 1;
	}
	/* As tcpscope reads a file: a second thread reads ahead when there is a CPU for it. */
	struct capture_options opt = {.file = argv[1],
	                              .readahead = getenv("BENCH_NO_READAHEAD") == NULL};
	enum capture_error kind;
	struct capture *c = capture_open(&opt, &kind, err, sizeof err);
	if (!c) {
		fprintf(stderr, "bench_track: %s\n", err);
		return 1;
	}
	int n;
	while ((n = capture_dispatch_batch(c, 0, on_frames, &b, err, sizeof err)) > 0)
		;
	if (n < 0) {
		fprintf(stderr, "bench_track: %s\n", err);
		return 1;
	}
	flush(&b);
	track_finish(b.tt, b.last_t);
	capture_close(c);
	double secs = now_secs() - t0;
	struct timespec cpu;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu); /* this thread's: tracking, without reading */
	double track_cpu = (double)cpu.tv_sec + (double)cpu.tv_nsec * 1e-9;

	const struct track_stats *st = track_get_stats(b.tt);
	uint32_t max_conns = cfg.max_conns ? cfg.max_conns : 65536;
	uint64_t anomalies = 0;
	for (int i = 0; i < TRACK_ANOMALY_COUNT; i++)
		anomalies += st->anomalies[i];
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double all_cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
	                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	printf("packets=%llu segments=%llu not_tcp_ok=%llu secs=%.3f track_thread_cpu=%.3f "
	       "process_cpu=%.3f pps=%.0f ns_per_packet=%.1f "
	       "peak_rss_kib=%ld conns_total=%llu conns_peak=%u evicted=%llu footprint=%zu "
	       "table_bytes=%zu anomalies=%llu\n",
	       (unsigned long long)b.frames, (unsigned long long)b.segments,
	       (unsigned long long)b.not_ok, secs, track_cpu, all_cpu,
	       secs > 0 ? (double)b.frames / secs : 0.0,
	       b.frames ? secs * 1e9 / (double)b.frames : 0.0, ru.ru_maxrss,
	       (unsigned long long)st->conns_total, st->conns_peak, (unsigned long long)st->evicted,
	       track_conn_footprint(), track_conn_footprint() * max_conns,
	       (unsigned long long)anomalies);
	track_destroy(b.tt);
	return 0;
}
