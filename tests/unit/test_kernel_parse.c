/* test_kernel_parse.c — the sock_diag dump parser on hand-built, truncated and garbled replies. */
#include "kernel/kernel_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <cmocka.h>

#define SEQ 7

struct builder {
	uint8_t buf[4096];
	size_t len;
};

static void put_msg(struct builder *b, uint16_t type, uint32_t seq, const void *payload,
                    size_t plen)
{
	struct nlmsghdr nh;

	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + plen);
	nh.nlmsg_type = type;
	nh.nlmsg_seq = seq;
	assert_true(b->len + NLMSG_ALIGN(nh.nlmsg_len) <= sizeof(b->buf));
	memset(b->buf + b->len, 0, NLMSG_ALIGN(nh.nlmsg_len));
	memcpy(b->buf + b->len, &nh, sizeof(nh));
	if (plen)
		memcpy(b->buf + b->len + NLMSG_HDRLEN, payload, plen);
	b->len += NLMSG_ALIGN(nh.nlmsg_len);
}

static void put_sock(struct builder *b, uint32_t seq, uint8_t family, uint8_t kstate,
                     const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	struct inet_diag_msg m;

	memset(&m, 0, sizeof(m));
	m.idiag_family = family;
	m.idiag_state = kstate;
	m.id.idiag_sport = htons(sport);
	m.id.idiag_dport = htons(dport);
	assert_int_equal(inet_pton(family, src, m.id.idiag_src), 1);
	assert_int_equal(inet_pton(family, dst, m.id.idiag_dst), 1);
	m.idiag_inode = 4242;
	put_msg(b, SOCK_DIAG_BY_FAMILY, seq, &m, sizeof(m));
}

static void put_done(struct builder *b, uint32_t seq)
{
	int zero = 0;
	put_msg(b, NLMSG_DONE, seq, &zero, sizeof(zero));
}

static enum kernel_parse run(const struct builder *b, size_t len, struct kernel_sock *out, int max,
                             int *count, int *kerr)
{
	*count = 0;
	return kernel_parse_dump(b->buf, len, SEQ, out, max, count, kerr);
}

/* Fields come out in host order, states mapped, v4-mapped IPv6 reported as IPv4, and the
 * kernel's NEW_SYN_RECV request socket reported as SYN_RECEIVED. */
static void test_fields_and_states(void **state)
{
	struct builder b = {.len = 0};
	struct kernel_sock out[4];
	int count, kerr;

	put_sock(&b, SEQ, AF_INET, 10, "127.0.0.1", 21100, "0.0.0.0", 0);
	put_sock(&b, SEQ, AF_INET6, 12, "::1", 21100, "::1", 40000);
	put_sock(&b, SEQ, AF_INET6, 6, "::ffff:127.0.0.2", 40001, "::ffff:127.0.0.1", 21100);
	put_sock(&b, SEQ, AF_INET, 99, "127.0.0.1", 1, "127.0.0.1", 2);
	put_done(&b, SEQ);
	assert_int_equal(run(&b, b.len, out, 4, &count, &kerr), KERNEL_PARSE_DONE);
	assert_int_equal(count, 4);
	assert_int_equal(out[0].state, TRACK_LISTEN);
	assert_int_equal(out[0].lport, 21100);
	assert_int_equal(out[0].local.family, 4);
	assert_memory_equal(out[0].local.bytes, ((uint8_t[16]){127, 0, 0, 1}), 16);
	assert_int_equal(out[0].inode, 4242);
	assert_int_equal(out[1].state, TRACK_SYN_RECEIVED);
	assert_int_equal(out[1].local.family, 6);
	assert_int_equal(out[1].local.bytes[15], 1);
	assert_int_equal(out[1].rport, 40000);
	assert_int_equal(out[2].state, TRACK_TIME_WAIT);
	assert_int_equal(out[2].local.family, 4);
	assert_memory_equal(out[2].local.bytes, ((uint8_t[16]){127, 0, 0, 2}), 16);
	assert_memory_equal(out[2].remote.bytes, ((uint8_t[16]){127, 0, 0, 1}), 16);
	assert_int_equal(out[3].state, TRACK_UNKNOWN);
}

static void test_every_kernel_state(void **state)
{
	static const enum track_state want[] = {
	    TRACK_UNKNOWN,     TRACK_ESTABLISHED, TRACK_SYN_SENT,  TRACK_SYN_RECEIVED,
	    TRACK_FIN_WAIT_1,  TRACK_FIN_WAIT_2,  TRACK_TIME_WAIT, TRACK_CLOSED,
	    TRACK_CLOSE_WAIT,  TRACK_LAST_ACK,    TRACK_LISTEN,    TRACK_CLOSING,
	    TRACK_SYN_RECEIVED};
	struct builder b = {.len = 0};
	struct kernel_sock out[13];
	int count, kerr;

	for (int s = 0; s < 13; s++)
		put_sock(&b, SEQ, AF_INET, (uint8_t)s, "127.0.0.1", 1, "127.0.0.1", 2);
	assert_int_equal(run(&b, b.len, out, 13, &count, &kerr), KERNEL_PARSE_MORE);
	assert_int_equal(count, 13);
	for (int s = 0; s < 13; s++)
		assert_int_equal(out[s].state, want[s]);
}

/* Past max, sockets are counted but not stored. */
static void test_max_counts_only(void **state)
{
	struct builder b = {.len = 0};
	struct kernel_sock out[2];
	int count, kerr;

	memset(out, 0xaa, sizeof(out));
	for (int i = 0; i < 3; i++)
		put_sock(&b, SEQ, AF_INET, 1, "127.0.0.1", (uint16_t)(100 + i), "127.0.0.1", 2);
	assert_int_equal(run(&b, b.len, out, 1, &count, &kerr), KERNEL_PARSE_MORE);
	assert_int_equal(count, 3);
	assert_int_equal(out[0].lport, 100);
	assert_int_equal(out[1].lport, 0xaaaa); /* untouched */
}

static void test_kernel_error(void **state)
{
	struct builder b = {.len = 0};
	struct nlmsgerr e;
	struct kernel_sock out[1];
	int count, kerr;

	memset(&e, 0, sizeof(e));
	e.error = -EPERM;
	put_msg(&b, NLMSG_ERROR, SEQ, &e, sizeof(e));
	assert_int_equal(run(&b, b.len, out, 1, &count, &kerr), KERNEL_PARSE_ERROR);
	assert_int_equal(kerr, EPERM);
	/* an error message too short to hold its struct */
	b.len = 0;
	put_msg(&b, NLMSG_ERROR, SEQ, &e, 2);
	assert_int_equal(run(&b, b.len, out, 1, &count, &kerr), KERNEL_PARSE_ERROR);
	assert_int_equal(kerr, EPROTO);
}

/* Replies to another request number and unknown message types are skipped. */
static void test_stale_and_foreign_skipped(void **state)
{
	struct builder b = {.len = 0};
	struct kernel_sock out[2];
	int count, kerr;

	put_sock(&b, SEQ + 1, AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	put_done(&b, SEQ + 1);
	put_msg(&b, 0x77, SEQ, "abcd", 4);
	put_sock(&b, SEQ, AF_INET, 1, "127.0.0.1", 3, "127.0.0.1", 4);
	put_done(&b, SEQ);
	assert_int_equal(run(&b, b.len, out, 2, &count, &kerr), KERNEL_PARSE_DONE);
	assert_int_equal(count, 1);
	assert_int_equal(out[0].lport, 3);
}

static void set_len(struct builder *b, size_t at, uint32_t len)
{
	memcpy(b->buf + at + offsetof(struct nlmsghdr, nlmsg_len), &len, sizeof(len));
}

/* Lengths that lie: longer than the buffer, shorter than a header, a payload too short for
 * inet_diag_msg. Each is an error, never a read outside the buffer (ASan build checks). */
static void test_lying_lengths(void **state)
{
	struct builder b = {.len = 0};
	struct kernel_sock out[2];
	int count, kerr;

	put_sock(&b, SEQ, AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	size_t one = b.len;
	set_len(&b, 0, (uint32_t)one + 4);
	assert_int_equal(run(&b, one, out, 2, &count, &kerr), KERNEL_PARSE_ERROR);
	assert_int_equal(kerr, EPROTO);
	set_len(&b, 0, 3);
	assert_int_equal(run(&b, one, out, 2, &count, &kerr), KERNEL_PARSE_ERROR);
	set_len(&b, 0, 0xffffffffu);
	assert_int_equal(run(&b, one, out, 2, &count, &kerr), KERNEL_PARSE_ERROR);
	set_len(&b, 0, NLMSG_HDRLEN + 8);
	assert_int_equal(run(&b, one, out, 2, &count, &kerr), KERNEL_PARSE_ERROR);
	assert_int_equal(count, 0);
}

/* A valid reply cut at every length: never DONE unless whole, never a read past the cut. */
static void test_truncated_at_every_byte(void **state)
{
	struct builder b = {.len = 0};
	struct kernel_sock out[4];
	int count, kerr;

	put_sock(&b, SEQ, AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	put_sock(&b, SEQ, AF_INET6, 10, "::1", 3, "::", 0);
	put_done(&b, SEQ);
	for (size_t cut = 0; cut < b.len; cut++) {
		/* an exact-size heap copy, so ASan catches any read past the cut */
		uint8_t *copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, b.buf, cut);
		count = 0;
		enum kernel_parse r = kernel_parse_dump(copy, cut, SEQ, out, 4, &count, &kerr);
		free(copy);
		assert_true(r != KERNEL_PARSE_DONE);
		assert_true(count <= 2);
	}
	assert_int_equal(run(&b, b.len, out, 4, &count, &kerr), KERNEL_PARSE_DONE);
	assert_int_equal(count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields_and_states),
	    cmocka_unit_test(test_every_kernel_state),
	    cmocka_unit_test(test_max_counts_only),
	    cmocka_unit_test(test_kernel_error),
	    cmocka_unit_test(test_stale_and_foreign_skipped),
	    cmocka_unit_test(test_lying_lengths),
	    cmocka_unit_test(test_truncated_at_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
