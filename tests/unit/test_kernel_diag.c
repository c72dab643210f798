/* test_kernel_diag.c — kernel_list_tcp / kernel_find against real loopback sockets and `ss`. */
#include "socklab/kernel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* Ports from the integration engineer's range (21000-21999); one per test. */
#define PORT_V4        21001
#define PORT_V6        21002
#define PORT_TW        21003
#define PORT_SS        21004
#define PORT_ABSENT    21005
#define PORT_CLOSEWAIT 21006
#define PORT_FILTER    21007 /* and 21008 */
#define PORT_MULTI     21010 /* to 21012 */

struct tcp_pair {
	int listener, client, server;
	struct decode_addr addr; /* the loopback address all three use */
	uint16_t port, cport;    /* listening port, client's ephemeral port */
};

static void addr_from(struct decode_addr *a, int family, const void *raw)
{
	memset(a, 0, sizeof(*a));
	a->family = family == AF_INET ? 4 : 6;
	memcpy(a->bytes, raw, family == AF_INET ? 4 : 16);
}

/* A listener on the loopback address of the family, a connected client and the accepted
 * server socket. */
static void pair_open(struct tcp_pair *p, int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		addr_from(&p->addr, family, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_loopback;
		addr_from(&p->addr, family, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	p->port = port;
	p->listener = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(p->listener >= 0);
	assert_int_equal(setsockopt(p->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	assert_int_equal(bind(p->listener, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(p->listener, 4), 0);
	p->client = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(p->client >= 0);
	assert_int_equal(connect(p->client, (struct sockaddr *)&ss, len), 0);
	p->server = accept4(p->listener, NULL, NULL, SOCK_CLOEXEC);
	assert_true(p->server >= 0);
	struct sockaddr_storage me;
	socklen_t mlen = sizeof(me);
	assert_int_equal(getsockname(p->client, (struct sockaddr *)&me, &mlen), 0);
	p->cport = ntohs(family == AF_INET ? ((struct sockaddr_in *)&me)->sin_port
	                                   : ((struct sockaddr_in6 *)&me)->sin6_port);
}

static void close_if(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void pair_close(struct tcp_pair *p)
{
	close_if(&p->client);
	close_if(&p->server);
	close_if(&p->listener);
}

/* Every TCP socket on the host; the array grows until it holds them all. */
static struct kernel_sock *list_all(int *n)
{
	int cap = 256;
	char err[128];

	for (;;) {
		struct kernel_sock *v = calloc((size_t)cap, sizeof(*v));
		assert_non_null(v);
		int got = kernel_list_tcp(v, cap, err, sizeof(err));
		if (got < 0)
			fail_msg("kernel_list_tcp: %s", err);
		if (got <= cap) {
			*n = got;
			return v;
		}
		free(v);
		cap = got * 2;
	}
}

static bool find_state(const struct tcp_pair *p, uint16_t lport, uint16_t rport, bool wildcard,
                       enum track_state *st)
{
	struct decode_addr any = {.family = p->addr.family};
	int n;
	struct kernel_sock *v = list_all(&n);
	bool ok = kernel_find(v, n, &p->addr, lport, wildcard ? &any : &p->addr, rport, st);
	free(v);
	return ok;
}

static enum track_state state_of(const struct tcp_pair *p, uint16_t lport, uint16_t rport)
{
	enum track_state st = TRACK_UNKNOWN;
	if (!find_state(p, lport, rport, false, &st))
		fail_msg("no kernel socket %u -> %u", lport, rport);
	return st;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Poll the kernel until the socket reaches want (delayed ACKs take ~40 ms); at most 2 s. */
static enum track_state wait_state(const struct tcp_pair *p, uint16_t lport, uint16_t rport,
                                   enum track_state want)
{
	enum track_state st = TRACK_UNKNOWN;
	for (int i = 0; i < 200; i++) {
		st = state_of(p, lport, rport);
		if (st == want)
			break;
		sleep_ms(10);
	}
	return st;
}

static void check_open_pair(int family, uint16_t port)
{
	struct tcp_pair p;
	enum track_state st = TRACK_UNKNOWN;

	pair_open(&p, family, port);
	assert_true(find_state(&p, port, 0, true, &st));
	assert_int_equal(st, TRACK_LISTEN);
	assert_int_equal(state_of(&p, p.cport, port), TRACK_ESTABLISHED);
	assert_int_equal(state_of(&p, port, p.cport), TRACK_ESTABLISHED);
	pair_close(&p);
}

static void test_listen_established_v4(void **state) { check_open_pair(AF_INET, PORT_V4); }
static void test_listen_established_v6(void **state) { check_open_pair(AF_INET6, PORT_V6); }

/* The inode the kernel reports is the socket's own: fstat on the fd gives the same number. */
static void test_inode_matches_fd(void **state)
{
	struct tcp_pair p;
	struct stat sb;
	int n;

	pair_open(&p, AF_INET, PORT_V4);
	assert_int_equal(fstat(p.client, &sb), 0);
	struct kernel_sock *v = list_all(&n);
	bool found = false;
	for (int i = 0; i < n; i++)
		if (v[i].lport == p.cport && v[i].rport == PORT_V4)
			found = v[i].inode == (uint32_t)sb.st_ino;
	free(v);
	assert_true(found);
	pair_close(&p);
}

/* Active close: FIN_WAIT_2 / CLOSE_WAIT, then TIME_WAIT (only sock_diag sees it) after the
 * passive side closes too. */
static void test_active_close_time_wait(void **state)
{
	struct tcp_pair p;

	pair_open(&p, AF_INET, PORT_TW);
	close_if(&p.client);
	assert_int_equal(wait_state(&p, p.cport, PORT_TW, TRACK_FIN_WAIT_2), TRACK_FIN_WAIT_2);
	assert_int_equal(state_of(&p, PORT_TW, p.cport), TRACK_CLOSE_WAIT);
	close_if(&p.server);
	assert_int_equal(wait_state(&p, p.cport, PORT_TW, TRACK_TIME_WAIT), TRACK_TIME_WAIT);
	/* the passive side is gone once its FIN is ACKed */
	enum track_state st;
	for (int i = 0; i < 200 && find_state(&p, PORT_TW, p.cport, false, &st); i++)
		sleep_ms(10);
	assert_false(find_state(&p, PORT_TW, p.cport, false, &st));
	pair_close(&p);
}

/* Half-close kept open: the passive side sits in CLOSE_WAIT until it closes; the active side
 * reaches FIN_WAIT_2 once its FIN is ACKed, which a delayed ACK can hold back ~40 ms. */
static void test_half_close_close_wait(void **state)
{
	struct tcp_pair p;

	pair_open(&p, AF_INET6, PORT_CLOSEWAIT);
	assert_int_equal(shutdown(p.client, SHUT_WR), 0);
	assert_int_equal(wait_state(&p, PORT_CLOSEWAIT, p.cport, TRACK_CLOSE_WAIT),
	                 TRACK_CLOSE_WAIT);
	assert_int_equal(wait_state(&p, p.cport, PORT_CLOSEWAIT, TRACK_FIN_WAIT_2),
	                 TRACK_FIN_WAIT_2);
	pair_close(&p);
}

static void test_absent_socket_not_found(void **state)
{
	struct tcp_pair p;
	enum track_state st = TRACK_ESTABLISHED;

	memset(&p, 0, sizeof(p));
	p.addr.family = 4;
	p.addr.bytes[0] = 127;
	p.addr.bytes[3] = 1;
	assert_false(find_state(&p, PORT_ABSENT, 0, true, &st));
	assert_int_equal(st, TRACK_ESTABLISHED); /* untouched */
}

/* max limits what is stored, not what is counted; max 0 with no array just counts. */
static void test_count_beyond_max(void **state)
{
	struct tcp_pair p;
	struct kernel_sock one[1];
	char err[128] = "";

	pair_open(&p, AF_INET, PORT_V4);
	int total = kernel_list_tcp(NULL, 0, err, sizeof(err));
	assert_true(total >= 3); /* listener, client, server */
	assert_true(kernel_list_tcp(one, 1, err, sizeof(err)) >= 3);
	assert_int_equal(kernel_list_tcp(NULL, 5, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	pair_close(&p);
}

/* The kernel-side port filter keeps exactly the sockets with that local or remote port: a
 * second connection on another port is left out, and both ends and the listener are in. */
static void test_port_filter(void **state)
{
	struct tcp_pair p, other;
	struct kernel_sock v[64];
	char err[128] = "";
	enum track_state st;

	pair_open(&p, AF_INET, PORT_FILTER);
	pair_open(&other, AF_INET, PORT_FILTER + 1);
	int n = kernel_list_tcp_port(PORT_FILTER, v, 64, err, sizeof(err));
	assert_true(n >= 3);
	assert_true(n <= 64);
	for (int i = 0; i < n; i++)
		assert_true(v[i].lport == PORT_FILTER || v[i].rport == PORT_FILTER);
	assert_true(kernel_find(v, n, &p.addr, p.cport, &p.addr, PORT_FILTER, &st));
	assert_int_equal(st, TRACK_ESTABLISHED);
	assert_true(kernel_find(v, n, &p.addr, PORT_FILTER, &p.addr, p.cport, &st));
	assert_int_equal(st, TRACK_ESTABLISHED);
	assert_false(
	    kernel_find(v, n, &other.addr, other.cport, &other.addr, PORT_FILTER + 1, &st));
	assert_int_equal(kernel_list_tcp_port(0, v, 64, err, sizeof(err)), -1);
	pair_close(&other);
	pair_close(&p);
}

/* Several ports in one kernel-side filter: the sockets of two watched ports are listed (both
 * ends and the listener of each), a third port's are not, and every socket listed has a
 * watched port. Eight ports (the most) work the same; nine or none are refused. */
static void test_ports_filter(void **state)
{
	struct tcp_pair a, b, c;
	struct kernel_sock v[64];
	char err[128] = "";
	enum track_state st;
	uint16_t ports[KERNEL_PORTS_MAX + 1] = {PORT_MULTI, PORT_MULTI + 1};

	pair_open(&a, AF_INET, PORT_MULTI);
	pair_open(&b, AF_INET6, PORT_MULTI + 1);
	pair_open(&c, AF_INET, PORT_MULTI + 2);
	int n = kernel_list_tcp_ports(ports, 2, v, 64, err, sizeof(err));
	assert_true(n >= 6);
	assert_true(n <= 64);
	for (int i = 0; i < n; i++)
		assert_true(v[i].lport == PORT_MULTI || v[i].rport == PORT_MULTI ||
		            v[i].lport == PORT_MULTI + 1 || v[i].rport == PORT_MULTI + 1);
	assert_true(kernel_find(v, n, &a.addr, a.cport, &a.addr, PORT_MULTI, &st));
	assert_true(kernel_find(v, n, &a.addr, PORT_MULTI, &a.addr, a.cport, &st));
	assert_true(kernel_find(v, n, &b.addr, b.cport, &b.addr, PORT_MULTI + 1, &st));
	assert_true(kernel_find(v, n, &b.addr, PORT_MULTI + 1, &b.addr, b.cport, &st));
	assert_false(kernel_find(v, n, &c.addr, c.cport, &c.addr, PORT_MULTI + 2, &st));
	/* the watched ports last of eight: each op of the program is reached */
	for (int i = 0; i < KERNEL_PORTS_MAX; i++)
		ports[i] = (uint16_t)(PORT_MULTI + 100 + i);
	ports[KERNEL_PORTS_MAX - 2] = PORT_MULTI;
	ports[KERNEL_PORTS_MAX - 1] = PORT_MULTI + 2;
	n = kernel_list_tcp_ports(ports, KERNEL_PORTS_MAX, v, 64, err, sizeof(err));
	assert_true(n >= 6);
	assert_true(kernel_find(v, n, &a.addr, a.cport, &a.addr, PORT_MULTI, &st));
	assert_true(kernel_find(v, n, &c.addr, PORT_MULTI + 2, &c.addr, c.cport, &st));
	assert_false(kernel_find(v, n, &b.addr, b.cport, &b.addr, PORT_MULTI + 1, &st));
	assert_int_equal(
	    kernel_list_tcp_ports(ports, KERNEL_PORTS_MAX + 1, v, 64, err, sizeof(err)), -1);
	assert_int_equal(kernel_list_tcp_ports(ports, 0, v, 64, err, sizeof(err)), -1);
	pair_close(&c);
	pair_close(&b);
	pair_close(&a);
}

/* kernel_find on a hand-made table: exact 4-tuple match, and a live socket beats a TIME_WAIT
 * leftover on the same 4-tuple. */
static void test_find_prefers_live(void **state)
{
	struct kernel_sock v[3];
	struct decode_addr a = {.family = 4, .bytes = {127, 0, 0, 1}};
	struct decode_addr b = {.family = 4, .bytes = {127, 0, 0, 2}};
	enum track_state st;

	memset(v, 0, sizeof(v));
	for (int i = 0; i < 3; i++) {
		v[i].local = a;
		v[i].remote = a;
		v[i].lport = 1000;
		v[i].rport = 2000;
	}
	v[0].state = TRACK_TIME_WAIT;
	v[1].state = TRACK_SYN_SENT;
	v[2].remote = b;
	v[2].state = TRACK_CLOSE_WAIT;
	assert_true(kernel_find(v, 3, &a, 1000, &a, 2000, &st));
	assert_int_equal(st, TRACK_SYN_SENT);
	assert_true(kernel_find(v, 3, &a, 1000, &b, 2000, &st));
	assert_int_equal(st, TRACK_CLOSE_WAIT);
	assert_true(kernel_find(v, 1, &a, 1000, &a, 2000, &st));
	assert_int_equal(st, TRACK_TIME_WAIT);
	assert_false(kernel_find(v, 3, &a, 1001, &a, 2000, &st));
	assert_false(kernel_find(v, 3, &b, 1000, &a, 2000, &st));
}

/* ss spells states its own way; map the ones these tests produce. */
static enum track_state ss_state(const char *s)
{
	static const struct {
		const char *name;
		enum track_state st;
	} map[] = {{"LISTEN", TRACK_LISTEN},         {"ESTAB", TRACK_ESTABLISHED},
	           {"TIME-WAIT", TRACK_TIME_WAIT},   {"FIN-WAIT-2", TRACK_FIN_WAIT_2},
	           {"CLOSE-WAIT", TRACK_CLOSE_WAIT}, {"SYN-SENT", TRACK_SYN_SENT},
	           {"SYN-RECV", TRACK_SYN_RECEIVED}, {"FIN-WAIT-1", TRACK_FIN_WAIT_1},
	           {"LAST-ACK", TRACK_LAST_ACK},     {"CLOSING", TRACK_CLOSING}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, s) == 0)
			return map[i].st;
	return TRACK_UNKNOWN;
}

/* Every socket `ss -tan` lists on our port appears in kernel_list_tcp with the same state. */
static void test_agrees_with_ss(void **state)
{
	struct tcp_pair p;
	char cmd[160], line[512];
	int rows = 0;

	if (access("/usr/bin/ss", X_OK) != 0 && access("/bin/ss", X_OK) != 0)
		skip();
	pair_open(&p, AF_INET, PORT_SS);
	close_if(&p.client);
	close_if(&p.server);
	assert_int_equal(wait_state(&p, p.cport, PORT_SS, TRACK_TIME_WAIT), TRACK_TIME_WAIT);
	snprintf(cmd, sizeof(cmd), "ss -tanH '( sport = :%u or dport = :%u )' 2>/dev/null", PORT_SS,
	         PORT_SS);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	int n;
	struct kernel_sock *v = list_all(&n);
	while (fgets(line, sizeof(line), f)) {
		char st[32], local[128], peer[128];
		unsigned rq, sq;
		if (sscanf(line, "%31s %u %u %127s %127s", st, &rq, &sq, local, peer) != 5)
			continue;
		char *lc = strrchr(local, ':'), *pc = strrchr(peer, ':');
		assert_non_null(lc);
		assert_non_null(pc);
		unsigned lport = (unsigned)strtoul(lc + 1, NULL, 10);
		unsigned rport = (unsigned)strtoul(pc + 1, NULL, 10);
		enum track_state want = ss_state(st), got = TRACK_UNKNOWN;
		bool wild = *pc == '*' || pc[1] == '*';
		struct decode_addr any = {.family = 4};
		if (wild)
			rport = 0;
		assert_true(kernel_find(v, n, &p.addr, (uint16_t)lport, wild ? &any : &p.addr,
		                        (uint16_t)rport, &got));
		assert_int_equal(got, want);
		rows++;
	}
	free(v);
	pclose(f);
	assert_true(rows >= 2); /* the listener and our TIME_WAIT at least */
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listen_established_v4),
	    cmocka_unit_test(test_listen_established_v6),
	    cmocka_unit_test(test_inode_matches_fd),
	    cmocka_unit_test(test_active_close_time_wait),
	    cmocka_unit_test(test_half_close_close_wait),
	    cmocka_unit_test(test_absent_socket_not_found),
	    cmocka_unit_test(test_count_beyond_max),
	    cmocka_unit_test(test_port_filter),
	    cmocka_unit_test(test_ports_filter),
	    cmocka_unit_test(test_find_prefers_live),
	    cmocka_unit_test(test_agrees_with_ss),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
