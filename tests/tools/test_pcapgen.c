/* test_pcapgen.c — pcapgen's frames decode back, checksums verify, files are well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapgen.h"
#include "fuzz_input.h"

static uint8_t frame[PCAPGEN_MAX_FRAME];

static struct pcapgen_segment sample(int family)
{
	struct pcapgen_segment s = {.sport = 40000,
	                            .dport = 9998,
	                            .seq = 1000,
	                            .ack = 2000,
	                            .flags = DECODE_TCP_SYN | DECODE_TCP_ACK,
	                            .window = 512,
	                            .ttl = 64,
	                            .len = 13,
	                            .has_mss = true,
	                            .mss = 1460,
	                            .has_wscale = true,
	                            .wscale = 7,
	                            .sack_permitted = true,
	                            .has_timestamps = true,
	                            .ts_val = 11,
	                            .ts_ecr = 22};
	s.src.family = s.dst.family = (uint8_t)family;
	if (family == 4) {
		memcpy(s.src.bytes, (uint8_t[]){127, 0, 0, 1}, 4);
		memcpy(s.dst.bytes, (uint8_t[]){127, 0, 0, 2}, 4);
	} else {
		s.src.bytes[15] = 1;
		s.dst.bytes[15] = 1;
	}
	return s;
}

static size_t ip_offset(int link)
{
	switch (link) {
	case DECODE_LINK_EN10MB:
		return 14;
	case DECODE_LINK_LINUX_SLL:
		return 16;
	case DECODE_LINK_LINUX_SLL2:
		return 20;
	case DECODE_LINK_NULL:
	case DECODE_LINK_LOOP:
		return 4;
	default:
		return 0;
	}
}

static uint16_t ip4_header_sum(const uint8_t *ip)
{
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void checksums_verify_every_link(void **state)
{
	const int links[] = {DECODE_LINK_EN10MB, DECODE_LINK_LINUX_SLL, DECODE_LINK_LINUX_SLL2,
	                     DECODE_LINK_NULL,   DECODE_LINK_LOOP,      DECODE_LINK_RAW};
	char err[128];
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		for (int fam = 4; fam <= 6; fam += 2) {
			struct pcapgen_segment s = sample(fam);
			size_t len =
			    pcapgen_build(links[i], &s, frame, sizeof(frame), err, sizeof(err));
			assert_true(len > 0);
			size_t ip = ip_offset(links[i]);
			size_t tcp = ip + (fam == 4 ? 20 : 40);
			if (fam == 4)
				assert_int_equal(ip4_header_sum(frame + ip), 0);
			/* summing a segment with its own checksum in place gives 0 */
			assert_int_equal(
			    pcapgen_tcp_checksum(&s.src, &s.dst, frame + tcp, len - tcp), 0);
			s.bad_checksum = true;
			len = pcapgen_build(links[i], &s, frame, sizeof(frame), err, sizeof(err));
			assert_int_not_equal(
			    pcapgen_tcp_checksum(&s.src, &s.dst, frame + tcp, len - tcp), 0);
		}
	}
}

/* A known segment checked against a checksum computed by hand (tcpdump agreed). */
static void checksum_known_value(void **state)
{
	struct pcapgen_segment s = sample(4);
	s.flags = DECODE_TCP_ACK;
	s.len = 0;
	s.has_mss = s.has_wscale = s.sack_permitted = s.has_timestamps = false;
	char err[128];
	size_t len = pcapgen_build(DECODE_LINK_RAW, &s, frame, sizeof(frame), err, sizeof(err));
	assert_int_equal(len, 40);
	/* pseudo 7f00 0001 7f00 0002 0006 0014 + 9c40 270e 0000 03e8 0000 07d0 5010 0200 */
	uint32_t sum = 0x7f00 + 0x0001 + 0x7f00 + 0x0002 + 0x0006 + 0x0014 + 0x9c40 + 0x270e +
	               0x03e8 + 0x07d0 + 0x5010 + 0x0200;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t want = (uint16_t)~sum;
	assert_int_equal(frame[36] << 8 | frame[37], want);
}

static void frames_decode_back(void **state)
{
	const int links[] = {DECODE_LINK_EN10MB, DECODE_LINK_LINUX_SLL, DECODE_LINK_LINUX_SLL2,
	                     DECODE_LINK_NULL,   DECODE_LINK_LOOP,      DECODE_LINK_RAW};
	char err[128];
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		for (int fam = 4; fam <= 6; fam += 2) {
			struct pcapgen_segment s = sample(fam);
			s.sack_count = 2;
			s.sack[0][0] = 10, s.sack[0][1] = 20, s.sack[1][0] = 30, s.sack[1][1] = 40;
			s.has_mss = false;
			size_t len =
			    pcapgen_build(links[i], &s, frame, sizeof(frame), err, sizeof(err));
			struct decode_packet p;
			assert_int_equal(decode_frame(links[i], frame, len, &p), DECODE_OK);
			assert_int_equal(p.ip_version, fam);
			assert_memory_equal(&p.src, &s.src, sizeof(s.src));
			assert_memory_equal(&p.dst, &s.dst, sizeof(s.dst));
			assert_int_equal(p.sport, 40000);
			assert_int_equal(p.seq, 1000);
			assert_int_equal(p.ack, 2000);
			assert_int_equal(p.flags, s.flags);
			assert_int_equal(p.window, 512);
			assert_int_equal(p.payload_len, 13);
			assert_false(p.tcp_options_malformed);
			assert_true(p.opts.has_wscale && p.opts.sack_permitted &&
			            p.opts.has_timestamps);
			assert_int_equal(p.opts.ts_ecr, 22);
			assert_int_equal(p.opts.sack_count, 2);
			assert_int_equal(p.opts.sack[1][1], 40);
		}
	}
}

static void build_errors(void **state)
{
	char err[128] = "";
	struct pcapgen_segment s = sample(4);
	s.sack_count = 4; /* with MSS, TS, WS: far over 40 bytes */
	assert_int_equal(pcapgen_build(DECODE_LINK_RAW, &s, frame, sizeof(frame), err, sizeof(err)),
	                 0);
	assert_non_null(strstr(err, "40 bytes"));
	s = sample(6);
	assert_int_equal(
	    pcapgen_build(DECODE_LINK_IPV4, &s, frame, sizeof(frame), err, sizeof(err)), 0);
	assert_int_equal(pcapgen_build(147, &s, frame, sizeof(frame), err, sizeof(err)), 0);
	s = sample(4);
	s.dst.family = 6;
	assert_int_equal(pcapgen_build(DECODE_LINK_RAW, &s, frame, sizeof(frame), err, sizeof(err)),
	                 0);
}

/* Runs script text through pcapgen_run_script into a temp file; returns its bytes. */
static uint8_t *run(const char *text, enum pcapgen_format fmt, bool *ok, size_t *size, char *err)
{
	char path[] = "/tmp/test_pcapgen_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	*ok = pcapgen_run_script(in, "t.txt", path, fmt, err, 256);
	fclose(in);
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);
	*size = f ? fread(buf, 1, 1 << 16, f) : 0;
	if (f)
		fclose(f);
	unlink(path);
	return buf;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void script_to_pcap(void **state)
{
	const char *text = "# comment\n"
	                   "link LINUX_SLL2\n"
	                   "snaplen 60\n"
	                   "\n"
	                   "1.5 127.0.0.1:1 > 127.0.0.1:2 S seq=7 mss=1460   # trailing comment\n"
	                   "+0.000250 [::1]:2 > [::1]:1 RA ack=8 win=0\n"
	                   "2.000001 127.0.0.1:1 > 127.0.0.1:2 PA data=\"a b\\n\" caplen=30\n"
	                   "3 127.0.0.1:1 > 127.0.0.1:2 A len=100\n";
	char err[256] = "";
	bool ok;
	size_t n;
	uint8_t *b = run(text, PCAPGEN_PCAP, &ok, &n, err);
	assert_true(ok);
	assert_int_equal(le32(b), 0xa1b2c3d4);
	assert_int_equal(le32(b + 16), 60);  /* snaplen */
	assert_int_equal(le32(b + 20), 276); /* LINUX_SLL2 */
	size_t off = 24;
	const uint32_t sec[] = {1, 1, 2, 3}, usec[] = {500000, 500250, 1, 0};
	const uint32_t wire[] = {20 + 20 + 24, 20 + 40 + 20, 20 + 20 + 20 + 4, 20 + 20 + 20 + 100};
	const uint32_t cap[] = {60, 60, 30, 60}; /* snaplen 60 cuts all but the caplen=30 one */
	for (int i = 0; i < 4; i++) {
		assert_true(off + 16 <= n);
		assert_int_equal(le32(b + off), sec[i]);
		assert_int_equal(le32(b + off + 4), usec[i]);
		assert_int_equal(le32(b + off + 8), cap[i]);
		assert_int_equal(le32(b + off + 12), wire[i]);
		off += 16 + le32(b + off + 8);
	}
	assert_int_equal(off, n);
	free(b);
}

static void script_to_pcapng_and_fuzz(void **state)
{
	const char *text = "link RAW\n"
	                   "0.1 10.0.0.1:5 > 10.0.0.2:6 S\n"
	                   "0.35 10.0.0.2:6 > 10.0.0.1:5 SA data=xyz\n";
	char err[256] = "";
	bool ok;
	size_t n;
	uint8_t *b = run(text, PCAPGEN_PCAPNG, &ok, &n, err);
	assert_true(ok);
	assert_int_equal(le32(b), 0x0a0d0d0a);
	size_t off = 0;
	const uint32_t types[] = {0x0a0d0d0a, 1, 6, 6};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(le32(b + off), types[i]);
		uint32_t blen = le32(b + off + 4);
		assert_int_equal(blen % 4, 0);
		assert_int_equal(le32(b + off + blen - 4), blen); /* trailing length repeats */
		if (types[i] == 1)
			assert_int_equal(b[off + 8], 101); /* RAW is written as LINKTYPE_RAW */
		off += blen;
	}
	assert_int_equal(off, n);
	free(b);

	b = run(text, PCAPGEN_FUZZ, &ok, &n, err);
	assert_true(ok);
	const uint8_t *d = b;
	struct fuzz_record r;
	assert_true(fuzz_next_record(&d, &n, &r));
	assert_int_equal(r.link, DECODE_LINK_RAW);
	assert_int_equal(r.len, 40);
	assert_true(fuzz_next_record(&d, &n, &r));
	assert_int_equal(r.step, 25); /* 0.25 s in 10 ms units */
	assert_int_equal(r.len, 43);
	assert_false(fuzz_next_record(&d, &n, &r));
	free(b);
}

static void script_errors_name_the_line(void **state)
{
	const struct {
		const char *text, *want;
	} cases[] = {
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S.\n", "t.txt:1: unknown flag '.'"},
	    {"\n0.1 1.2.3.4:5 > 1.2.3.4:6 X\n", "t.txt:2: unknown flag 'X'"},
	    {"0.1 1.2.3.4:5 > [::1]:6 S\n", "t.txt:1: source and destination"},
	    {"0.1 1.2.3.4 > 1.2.3.4:6 S\n", "t.txt:1: bad endpoint '1.2.3.4'"},
	    {"0.1 1.2.3.4:70000 > 1.2.3.4:6 S\n", "t.txt:1: bad endpoint"},
	    {"abc 1.2.3.4:5 > 1.2.3.4:6 S\n", "t.txt:1: bad time 'abc'"},
	    {"0.1 1.2.3.4:5 1.2.3.4:6 S\n", "t.txt:1: expected: TIME SRC > DST"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S seq=x\n", "t.txt:1: bad option 'seq=x'"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S bogus\n", "t.txt:1: bad option 'bogus'"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S len=2 data=abc\n", "t.txt:1: len=2 but data has 3"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S data=\"abc\n", "t.txt:1: unterminated quote"},
	    {"link TOKENRING\n", "t.txt:1: link EN10MB|"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S\nlink RAW\n", "t.txt:2: 'link' must come before"},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S sack=1-2,3-4,5-6,7-8,9-10\n", "t.txt:1: sack="},
	    {"0.1 1.2.3.4:5 > 1.2.3.4:6 S ts=5\n", "t.txt:1: ts needs two values"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		bool ok;
		size_t n;
		free(run(cases[i].text, PCAPGEN_PCAP, &ok, &n, err));
		assert_false(ok);
		if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got \"%s\", want prefix \"%s\"", i, err, cases[i].want);
	}
}

/* The lies a golden test uses to make malformed and truncated frames decode as such. */
static void lies_make_malformed_frames(void **state)
{
	const struct {
		const char *line;
		enum decode_status want;
	} cases[] = {
	    {"0 1.2.3.4:5 > 1.2.3.4:6 A doff=4\n", DECODE_MALFORMED},
	    {"0 1.2.3.4:5 > 1.2.3.4:6 A doff=6 len=2\n", DECODE_MALFORMED},
	    {"0 1.2.3.4:5 > 1.2.3.4:6 A iplen=10\n", DECODE_MALFORMED},
	    {"0 [::1]:5 > [::1]:6 A iplen=12\n", DECODE_MALFORMED},
	    {"0 1.2.3.4:5 > 1.2.3.4:6 A caplen=30\n", DECODE_TRUNCATED},
	    {"0 1.2.3.4:5 > 1.2.3.4:6 A doff=6 len=4\n", DECODE_OK},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128], err[256] = "";
		bool ok;
		size_t n;
		snprintf(text, sizeof(text), "link RAW\n%s", cases[i].line);
		uint8_t *b = run(text, PCAPGEN_PCAP, &ok, &n, err);
		assert_true(ok);
		struct decode_packet p;
		enum decode_status st = decode_frame(DECODE_LINK_RAW, b + 40, le32(b + 32), &p);
		if (st != cases[i].want)
			fail_msg("case %zu: %s, want %s", i, decode_status_name(st),
			         decode_status_name(cases[i].want));
		free(b);
	}
}

static void empty_script_makes_empty_capture(void **state)
{
	char err[256] = "";
	bool ok;
	size_t n;
	uint8_t *b = run("# nothing\n", PCAPGEN_PCAP, &ok, &n, err);
	assert_true(ok);
	assert_int_equal(n, 24);
	assert_int_equal(le32(b + 20), DECODE_LINK_EN10MB);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(checksums_verify_every_link),
	    cmocka_unit_test(checksum_known_value),
	    cmocka_unit_test(frames_decode_back),
	    cmocka_unit_test(lies_make_malformed_frames),
	    cmocka_unit_test(build_errors),
	    cmocka_unit_test(script_to_pcap),
	    cmocka_unit_test(script_to_pcapng_and_fuzz),
	    cmocka_unit_test(script_errors_name_the_line),
	    cmocka_unit_test(empty_script_makes_empty_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
