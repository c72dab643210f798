/* lab_kernel.c — the kernel's own view of a TCP socket: TCP_INFO and /proc/net/tcp{,6}. */
#include "lab.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Linux TCP_* state numbers (include/net/tcp_states.h) -> RFC 9293 §3.3.2 names. */
static const char *const state_names[] = {
    [1] = "ESTABLISHED",
    [2] = "SYN_SENT",
    [3] = "SYN_RECEIVED",
    [4] = "FIN_WAIT_1",
    [5] = "FIN_WAIT_2",
    [6] = "TIME_WAIT",
    [7] = "CLOSED",
    [8] = "CLOSE_WAIT",
    [9] = "LAST_ACK",
    [10] = "LISTEN",
    [11] = "CLOSING",
    [12] = "SYN_RECEIVED", /* TCP_NEW_SYN_RECV: a request socket, not yet a full one */
};

/* The same states as /proc/net/tcp's users (ss, the sock:inet_sock_set_state tracepoint) and
 * tcpscope --names=linux spell them. */
static const char *const linux_names[] = {
    [1] = "ESTABLISHED", [2] = "SYN_SENT",  [3] = "SYN_RECV", [4] = "FIN_WAIT1",
    [5] = "FIN_WAIT2",   [6] = "TIME_WAIT", [7] = "CLOSE",    [8] = "CLOSE_WAIT",
    [9] = "LAST_ACK",    [10] = "LISTEN",   [11] = "CLOSING", [12] = "SYN_RECV",
};

static bool use_linux_names;

void lab_set_linux_names(bool on) { use_linux_names = on; }

const char *lab_state_name(int kstate)
{
	if (kstate < 1 || kstate >= (int)(sizeof state_names / sizeof state_names[0]))
		return "?";
	return use_linux_names ? linux_names[kstate] : state_names[kstate];
}

int lab_tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	return ti.tcpi_state;
}

int lab_accept_queue(int fd, unsigned *queued, unsigned *backlog)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	if (ti.tcpi_state != TCP_LISTEN) {
		errno = EINVAL;
		return -1;
	}
	/* On a listener Linux reuses these fields for the accept queue (tcp_get_info). */
	if (queued)
		*queued = ti.tcpi_unacked;
	if (backlog)
		*backlog = ti.tcpi_sacked;
	return 0;
}

/* Parse "0100007F:22B8" (IPv4) or 32 hex digits + ":PORT" (IPv6). The kernel prints each 32-bit
 * word of the address as it lies in memory, so storing the parsed words back as-is restores the
 * network-order bytes on this (the same) host. */
static int parse_endpoint(const char *s, int family, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof *out);
	unsigned port;
	if (family == AF_INET) {
		unsigned a;
		if (sscanf(s, "%8x:%4x", &a, &port) != 2)
			return -1;
		struct sockaddr_in *in = (struct sockaddr_in *)out;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = a;
		in->sin_port = htons((uint16_t)port);
		return 0;
	}
	unsigned w[4];
	if (sscanf(s, "%8x%8x%8x%8x:%4x", &w[0], &w[1], &w[2], &w[3], &port) != 5)
		return -1;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	in6->sin6_family = AF_INET6;
	for (int i = 0; i < 4; i++) {
		uint32_t v = w[i];
		memcpy(&in6->sin6_addr.s6_addr[4 * i], &v, 4);
	}
	in6->sin6_port = htons((uint16_t)port);
	return 0;
}

typedef int (*row_fn)(const struct lab_sock *row, void *arg); /* nonzero: stop */

/* Returns rows seen, or -1 if the file cannot be read. */
static int scan_file(const char *path, int family, row_fn fn, void *arg, int *stopped)
{
	lab_scratch_lock();
	FILE *f = fopen(path, "re");
	if (!f) {
		lab_scratch_unlock();
		return -1;
	}
	char line[512];
	int n = 0;
	if (!fgets(line, sizeof line, f)) { /* header */
		fclose(f);
		lab_scratch_unlock();
		return 0;
	}
	while (!*stopped && fgets(line, sizeof line, f)) {
		char local[64], remote[64];
		unsigned st;
		if (sscanf(line, " %*u: %63s %63s %x", local, remote, &st) != 3)
			continue;
		struct lab_sock row;
		if (parse_endpoint(local, family, &row.local) != 0 ||
		    parse_endpoint(remote, family, &row.remote) != 0)
			continue;
		row.state = (int)st;
		n++;
		if (fn(&row, arg))
			*stopped = 1;
	}
	fclose(f);
	lab_scratch_unlock();
	return n;
}

static int scan_all(row_fn fn, void *arg)
{
	int stopped = 0;
	int n4 = scan_file("/proc/net/tcp", AF_INET, fn, arg, &stopped);
	int n6 = stopped ? 0 : scan_file("/proc/net/tcp6", AF_INET6, fn, arg, &stopped);
	if (n4 < 0 && n6 < 0)
		return -1;
	return (n4 > 0 ? n4 : 0) + (n6 > 0 ? n6 : 0);
}

struct list_ctx {
	struct lab_sock *out;
	int max, n;
};

static int list_row(const struct lab_sock *row, void *arg)
{
	struct list_ctx *c = arg;
	if (c->n < c->max)
		c->out[c->n] = *row;
	c->n++;
	return 0;
}

int lab_proc_list(struct lab_sock *out, int max)
{
	struct list_ctx c = {out, max < 0 ? 0 : max, 0};
	if (scan_all(list_row, &c) < 0)
		return -1;
	return c.n;
}

static bool same_endpoint(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (b->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (b->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
	}
	return false;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

struct find_ctx {
	const struct sockaddr *local, *remote;
	int state;
	bool found;
};

static int find_row(const struct lab_sock *row, void *arg)
{
	struct find_ctx *c = arg;
	if (!same_endpoint(&row->local, c->local))
		return 0;
	if (c->remote ? !same_endpoint(&row->remote, c->remote) : port_of(&row->remote) != 0)
		return 0;
	c->state = row->state;
	c->found = true;
	return 1;
}

bool lab_proc_find(const struct sockaddr *local, const struct sockaddr *remote, int *kstate)
{
	struct find_ctx c = {local, remote, 0, false};
	if (!local)
		return false;
	scan_all(find_row, &c);
	if (c.found && kstate)
		*kstate = c.state;
	return c.found;
}

void lab_tuple_of(int fd, struct lab_tuple *t)
{
	memset(t, 0, sizeof *t);
	t->local_len = sizeof t->local;
	if (getsockname(fd, (struct sockaddr *)&t->local, &t->local_len) != 0)
		t->local_len = 0;
	t->peer_len = sizeof t->peer;
	if (getpeername(fd, (struct sockaddr *)&t->peer, &t->peer_len) != 0)
		t->peer_len = 0;
	t->state = lab_tcp_state(fd);
}

bool lab_tuple_find(const struct lab_tuple *t, int *kstate)
{
	if (!t || !t->local_len || port_of(&t->local) == 0)
		return false;
	if (t->peer_len)
		return lab_proc_find((const struct sockaddr *)&t->local,
		                     (const struct sockaddr *)&t->peer, kstate);
	/* No peer: only a listener may be found by its local address. A connection that lost
	 * its peer (reset) or a socket that never connected is gone once closed; looking it up
	 * by address alone would find the listener on the same port instead. */
	if (t->state != TCP_LISTEN)
		return false;
	return lab_proc_find((const struct sockaddr *)&t->local, NULL, kstate);
}

bool lab_wait_gone_state(const struct lab_tuple *t, int kstate, int ms)
{
	for (int waited = 0;; waited += 10) {
		int st = 0;
		bool found = lab_tuple_find(t, &st);
		if (found ? st == kstate : kstate == TCP_CLOSE)
			return true;
		if (waited >= ms)
			return false;
		usleep(10000);
	}
}
