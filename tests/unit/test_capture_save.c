/* test_capture_save.c — the frames the screen's `w` saves from before the key: the latest ones
 * kept in a bounded ring, written oldest first, cut to the capture's snap length, then the
 * frames that follow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/capture_internal.h"
#include "socklab/capture_save.h"

#define SNAP 64

static void remember(struct capture *c, uint32_t i, uint32_t len)
{
	struct pcap_pkthdr h = {.ts = {.tv_sec = i}, .caplen = len < SNAP ? len : SNAP, .len = len};
	uint8_t bytes[SNAP];

	memset(bytes, (int)i, sizeof bytes);
	capture_save_remember(c, &h, bytes);
}

/* A ring of 5: after 8 frames the first 3 are forgotten; the save writes frames 3..7 in order,
 * each with its own length and bytes, then a frame that arrives after the save started. */
static void test_keep_ring_then_save(void **state)
{
	struct capture *c = calloc(1, sizeof *c);
	char path[] = "/tmp/test_capture_save_XXXXXX";
	char err[256];
	uint64_t kept, forgotten;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *rd;
	int fd;

	(void)state;
	assert_non_null(c);
	c->pcap = pcap_open_dead(DLT_EN10MB, SNAP);
	c->live = true;
	assert_int_equal(capture_save_keep(c, 5), 0);
	capture_save_kept(c, &kept, &forgotten);
	assert_int_equal(kept, 0);
	for (uint32_t i = 0; i < 8; i++)
		remember(c, i, 20 + 10 * i);
	capture_save_kept(c, &kept, &forgotten);
	assert_int_equal(kept, 5);
	assert_int_equal(forgotten, 3);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(capture_save_open_fd(c, fd, err, sizeof err), 0);
	assert_null(c->keep); /* handed to the file: nothing kept twice */
	{
		/* what capture.c does with a frame once the save is open */
		struct pcap_pkthdr hn = {.ts = {.tv_sec = 8}, .caplen = 4, .len = 4};
		pcap_dump((u_char *)c->dump, &hn, (const u_char *)"\x08\x08\x08\x08");
	}
	assert_int_equal(capture_save_close(c), 0);

	rd = pcap_open_offline(path, err);
	assert_non_null(rd);
	for (uint32_t i = 3; i <= 8; i++) {
		uint32_t len = i == 8 ? 4 : 20 + 10 * i;
		assert_int_equal(pcap_next_ex(rd, &h, &data), 1);
		assert_int_equal(h->ts.tv_sec, i);
		assert_int_equal(h->len, len);
		assert_int_equal(h->caplen, len < SNAP ? len : SNAP);
		for (uint32_t b = 0; b < h->caplen; b++)
			assert_int_equal(data[b], i);
	}
	assert_int_equal(pcap_next_ex(rd, &h, &data), PCAP_ERROR_BREAK); /* nothing more */
	pcap_close(rd);
	unlink(path);
	pcap_close(c->pcap);
	free(c);
}

/* A second save is refused and closes the descriptor it was given. */
static void test_second_save_refused(void **state)
{
	struct capture *c = calloc(1, sizeof *c);
	char path[] = "/tmp/test_capture_save_XXXXXX";
	char err[256];
	int fd, fd2;

	(void)state;
	c->pcap = pcap_open_dead(DLT_EN10MB, SNAP);
	fd = mkstemp(path);
	assert_int_equal(capture_save_open_fd(c, fd, err, sizeof err), 0);
	fd2 = dup(STDERR_FILENO);
	assert_int_equal(capture_save_open_fd(c, fd2, err, sizeof err), -1);
	assert_non_null(strstr(err, "already being saved"));
	assert_int_equal(close(fd2), -1); /* closed by the refusal */
	assert_int_equal(capture_save_close(c), 0);
	unlink(path);
	pcap_close(c->pcap);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keep_ring_then_save),
	    cmocka_unit_test(test_second_save_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
