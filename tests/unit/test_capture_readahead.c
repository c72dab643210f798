/* test_capture_readahead.c — a file read on a second thread hands over exactly what reading it
 * on the caller's thread does: every frame, in order, with its payload, then the same end;
 * one frame at a time or in runs (capture_dispatch_batch). */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "socklab/capture.h"

/* More frames than the ring holds (8 blocks of 512), so the reader waits for room and the
 * consumer for data, many times over. */
#define FRAMES 9000

static void le16(FILE *f, uint16_t v)
{
	fputc(v & 0xff, f);
	fputc(v >> 8, f);
}
static void le32(FILE *f, uint32_t v)
{
	le16(f, (uint16_t)v);
	le16(f, (uint16_t)(v >> 16));
}
static void be16(FILE *f, uint16_t v)
{
	fputc(v >> 8, f);
	fputc(v & 0xff, f);
}
static void be32(FILE *f, uint32_t v)
{
	be16(f, (uint16_t)(v >> 16));
	be16(f, (uint16_t)v);
}

/* Frame i: Ethernet + IPv4 + TCP, sport 10000 + i % 1000, seq i, a payload of i % 200 bytes
 * each equal to (uint8_t)(i + k); every 7th frame is UDP instead (not TCP). */
static size_t payload_len(int i) { return (size_t)(i % 200); }

static void write_frame(FILE *f, int i)
{
	bool udp = i % 7 == 3;
	size_t pl = udp ? 0 : payload_len(i);
	uint16_t l4 = udp ? 8 : 20;
	uint32_t caplen = 14 + 20 + l4 + (uint32_t)pl;
	le32(f, 1700000000u + (uint32_t)i / 1000);
	le32(f, (uint32_t)(i % 1000) * 1000u);
	le32(f, caplen);
	le32(f, caplen);
	for (int k = 0; k < 12; k++)
		fputc(0, f);
	be16(f, 0x0800);
	fputc(0x45, f);
	fputc(0, f);
	be16(f, (uint16_t)(20 + l4 + pl));
	be32(f, 0x00014000); /* id 1, DF */
	fputc(64, f);
	fputc(udp ? 17 : 6, f);
	be16(f, 0);
	be32(f, 0x7f000001);
	be32(f, 0x7f000001);
	be16(f, (uint16_t)(10000 + i % 1000));
	be16(f, 80);
	if (udp) {
		be16(f, 8);
		be16(f, 0);
		return;
	}
	be32(f, (uint32_t)i);
	be32(f, 0);
	fputc(5 << 4, f);
	fputc(0x18, f); /* PSH ACK */
	be16(f, 65535);
	be32(f, 0);
	for (size_t k = 0; k < pl; k++)
		fputc((uint8_t)(i + (int)k), f);
}

/* Writes FRAMES frames; cut > 0 ends the file that many bytes into the last record's data. */
static char *write_file(int frames, int cut)
{
	char *path = strdup("/tmp/socklab-readahead-test-XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	le32(f, 0xa1b2c3d4);
	le16(f, 2);
	le16(f, 4);
	le32(f, 0);
	le32(f, 0);
	le32(f, 65535);
	le32(f, 1);
	for (int i = 0; i < frames; i++)
		write_frame(f, i);
	if (cut > 0) {
		le32(f, 1700009999);
		le32(f, 0);
		le32(f, 100);
		le32(f, 100);
		for (int k = 0; k < cut; k++)
			fputc(0, f);
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

struct seen {
	int frames, not_tcp, bad_payload, out_of_order;
	double last_t;
};

static void check(const struct capture_frame *fr, void *user)
{
	struct seen *s = user;
	int i = s->frames++;
	if (fr->t < s->last_t)
		s->out_of_order++;
	s->last_t = fr->t;
	if (!fr->pkt) {
		s->not_tcp += fr->status == DECODE_NOT_TCP;
		return;
	}
	const struct decode_packet *p = fr->pkt;
	if ((int)p->seq != i || p->sport != 10000 + i % 1000 ||
	    fr->tuple_hash != decode_tuple_hash(p))
		s->out_of_order++;
	if (p->payload_captured != payload_len(i)) {
		s->bad_payload++;
		return;
	}
	for (size_t k = 0; k < p->payload_captured; k++)
		if (p->payload[k] != (uint8_t)(i + (int)k)) {
			s->bad_payload++;
			return;
		}
}

static struct capture *open_file(const char *path, bool readahead)
{
	struct capture_options o = {.file = path, .readahead = readahead};
	char err[256];
	struct capture *c = capture_open(&o, NULL, err, sizeof err);
	if (!c)
		fail_msg("%s", err);
	return c;
}

static bool have_two_cpus(void)
{
	cpu_set_t cpus;
	if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) > 1)
		return true;
	print_message("one CPU to run on: readahead stays off, both runs read on this thread\n");
	return false;
}

/* Read in chunks of 300 (as tcpscope reads a file: not a multiple of a block). */
static int read_all(struct capture *c, struct seen *s, char *err, size_t errlen)
{
	int n, total = 0;
	while ((n = capture_dispatch(c, 300, check, s, err, errlen)) > 0) {
		assert_true(n <= 300);
		total += n;
	}
	return n < 0 ? n : total;
}

static void test_same_frames_either_way(void **state)
{
	(void)state;
	have_two_cpus();
	char *path = write_file(FRAMES, 0);
	char err[256];
	for (int ra = 0; ra < 2; ra++) {
		struct capture *c = open_file(path, ra);
		struct seen s = {0};
		assert_int_equal(read_all(c, &s, err, sizeof err), FRAMES);
		assert_int_equal(s.frames, FRAMES);
		assert_int_equal(s.out_of_order, 0);
		assert_int_equal(s.bad_payload, 0);
		assert_int_equal(s.not_tcp, (FRAMES + 3) / 7);
		/* the end stays the end */
		assert_int_equal(capture_dispatch(c, 300, check, &s, err, sizeof err), 0);
		assert_int_equal(capture_dispatch(c, 0, check, &s, err, sizeof err), 0);
		capture_close(c);
	}
	unlink(path);
	free(path);
}

/* capture_dispatch_batch: runs of frames, each run's segments and payloads valid together
 * until the callback returns (tcpscope and the benchmark track them in place). */
struct runs {
	struct seen s;
	int runs, longest;
};

static void check_run(const struct capture_frame *f, size_t n, void *user)
{
	struct runs *r = user;
	assert_true(n >= 1 && n <= 512);
	r->runs++;
	if ((int)n > r->longest)
		r->longest = (int)n;
	int first = r->s.frames;
	for (size_t i = 0; i < n; i++)
		check(&f[i], &r->s);
	/* the run's first frames still hold their bytes after the last was handed over */
	struct seen again = {.frames = first};
	for (size_t i = 0; i < n; i++)
		check(&f[i], &again);
	assert_int_equal(again.out_of_order + again.bad_payload, 0);
}

/* A read to the end: the last call said end of file (0), and every frame came, once, in order,
 * with its payload. */
static void assert_read_whole(int last, int total, const struct runs *r)
{
	assert_int_equal(last, 0);
	assert_int_equal(total, FRAMES);
	assert_int_equal(r->s.frames, FRAMES);
	assert_int_equal(r->s.out_of_order + r->s.bad_payload, 0);
	assert_int_equal(r->s.not_tcp, (FRAMES + 3) / 7);
}

static void test_batch_runs(void **state)
{
	(void)state;
	char *path = write_file(FRAMES, 0);
	char err[256];
	for (int ra = 0; ra < 2; ra++) {
		struct capture *c = open_file(path, ra);
		struct runs r = {0};
		int n, total = 0;
		while ((n = capture_dispatch_batch(c, 300, check_run, &r, err, sizeof err)) > 0) {
			assert_true(n <= 300);
			total += n;
		}
		assert_read_whole(n, total, &r);
		/* runs, not single frames: what lets the caller skip copying each segment */
		assert_true(r.longest > 100);
		assert_true(r.runs < FRAMES / 10);
		capture_close(c);
	}
	unlink(path);
	free(path);
}

/* A consumer that falls behind: the reader then decodes blocks itself (while it keeps up,
 * the consumer decodes each block as it takes it). Both kinds arrive the same. */
static void slow_run(const struct capture_frame *f, size_t n, void *user)
{
	struct runs *r = user;
	if (r->runs % 4 == 0)
		usleep(3000); /* long enough for the reader to fill the ring */
	check_run(f, n, user);
}

static void test_slow_consumer(void **state)
{
	(void)state;
	char *path = write_file(FRAMES, 0);
	char err[256];
	struct capture *c = open_file(path, true);
	struct runs r = {0};
	int n, total = 0;
	while ((n = capture_dispatch_batch(c, 0, slow_run, &r, err, sizeof err)) > 0)
		total += n;
	assert_read_whole(n, total, &r);
	capture_close(c);
	unlink(path);
	free(path);
}

/* One frame at a time and in runs, in turn on one capture: nothing skipped or repeated. */
static void test_mixed_calls(void **state)
{
	(void)state;
	char *path = write_file(FRAMES, 0);
	char err[256];
	for (int ra = 0; ra < 2; ra++) {
		struct capture *c = open_file(path, ra);
		struct runs r = {0};
		int n, total = 0;
		for (int k = 0;; k++) {
			n = k % 2 ? capture_dispatch_batch(c, 333, check_run, &r, err, sizeof err)
			          : capture_dispatch(c, 7, check, &r.s, err, sizeof err);
			if (n <= 0)
				break;
			total += n;
		}
		assert_read_whole(n, total, &r);
		capture_close(c);
	}
	unlink(path);
	free(path);
}

/* max <= 0: the whole file in one call, as without readahead. */
static void test_whole_file_in_one_call(void **state)
{
	(void)state;
	char *path = write_file(FRAMES, 0);
	char err[256];
	struct capture *c = open_file(path, true);
	struct seen s = {0};
	assert_int_equal(capture_dispatch(c, 0, check, &s, err, sizeof err), FRAMES);
	assert_int_equal(s.out_of_order + s.bad_payload, 0);
	capture_close(c);
	unlink(path);
	free(path);
}

/* A file cut inside its last record: every whole frame first, then the error, both ways. */
static void test_cut_file_error_after_frames(void **state)
{
	(void)state;
	char *path = write_file(1500, 40);
	for (int ra = 0; ra < 2; ra++) {
		char err[256] = "";
		struct capture *c = open_file(path, ra);
		struct seen s = {0};
		assert_int_equal(read_all(c, &s, err, sizeof err), -1);
		assert_int_equal(s.frames, 1500);
		assert_int_equal(s.out_of_order + s.bad_payload, 0);
		assert_non_null(strstr(err, "capture failed:"));
		assert_non_null(strstr(err, "truncated"));
		capture_close(c);
	}
	unlink(path);
	free(path);
}

/* Stopping early (tcpscope -c, Ctrl-C) closes at once: the reader, waiting for room in a full
 * ring, is told to stop (a hang here is a test timeout; a leak, an ASan failure). */
static void test_close_early(void **state)
{
	(void)state;
	char *path = write_file(FRAMES, 0);
	char err[256];
	struct capture *c = open_file(path, true);
	struct seen s = {0};
	assert_int_equal(capture_dispatch(c, 10, check, &s, err, sizeof err), 10);
	usleep(100000); /* let the reader fill the ring and wait */
	capture_close(c);
	/* never read at all: no thread was started */
	c = open_file(path, true);
	capture_close(c);
	unlink(path);
	free(path);
}

/* Standard input, even a regular file behind it, is read on the caller's thread (a pipe could
 * block the reader where nothing can wake it); so is a FIFO. Frames are the same. */
static void test_stdin_reads_inline(void **state)
{
	(void)state;
	char *path = write_file(600, 0);
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	int saved = dup(STDIN_FILENO);
	assert_true(dup2(fileno(in), STDIN_FILENO) >= 0);
	fclose(in);
	char err[256];
	struct capture *c = open_file("-", true);
	struct runs r = {0};
	int n = capture_dispatch_batch(c, 250, check_run, &r, err, sizeof err);
	assert_int_equal(n, 250);
	int rest = read_all(c, &r.s, err, sizeof err);
	capture_close(c);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_int_equal(rest, 350);
	assert_int_equal(r.s.frames, 600);
	assert_int_equal(r.longest, 250); /* in runs here too */
	assert_int_equal(r.s.out_of_order + r.s.bad_payload, 0);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_frames_either_way),
	    cmocka_unit_test(test_batch_runs),
	    cmocka_unit_test(test_mixed_calls),
	    cmocka_unit_test(test_slow_consumer),
	    cmocka_unit_test(test_whole_file_in_one_call),
	    cmocka_unit_test(test_cut_file_error_after_frames),
	    cmocka_unit_test(test_close_early),
	    cmocka_unit_test(test_stdin_reads_inline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
