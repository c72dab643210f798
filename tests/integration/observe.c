/* observe.c — sample the kernel's state of each endpoint (TCP_INFO, else sock_diag) to JSONL. */
#include "observe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/kernel_parse.h"
#include "sockets.h"

int obs_open(struct obs *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < OBS_MAX_EPS; i++)
		o->ep[i].fd = -1;
	o->path = path;
	o->out = fopen(path, "w");
	return o->out ? 0 : -1;
}

int obs_reset(struct obs *o)
{
	obs_close(o);
	return obs_open(o, o->path);
}

void obs_close(struct obs *o)
{
	if (o->out)
		fclose(o->out);
	o->out = NULL;
}

static void from_sockaddr(const struct sockaddr *sa, struct decode_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)sa;
		a->family = 4;
		memcpy(a->bytes, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		a->family = 6;
		memcpy(a->bytes, &sin6->sin6_addr, 16);
		*port = ntohs(sin6->sin6_port);
	}
}

void obs_set_local(struct obs_ep *e, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN];

	from_sockaddr(sa, &e->laddr, &e->lport);
	inet_ntop(e->laddr.family == 4 ? AF_INET : AF_INET6, e->laddr.bytes, host, sizeof(host));
	if (e->laddr.family == 4)
		snprintf(e->key, sizeof(e->key), "%s:%u", host, e->lport);
	else
		snprintf(e->key, sizeof(e->key), "[%s]:%u", host, e->lport);
}

void obs_set_remote(struct obs_ep *e, const struct sockaddr *sa)
{
	from_sockaddr(sa, &e->raddr, &e->rport);
}

/* Only the sockets on this endpoint's port, filtered in the kernel: a host with tens of
 * thousands of TIME_WAIT sockets (a benchmark running alongside) must not slow sampling. */
static enum track_state diag_state(const struct obs_ep *e)
{
	static struct kernel_sock *socks;
	static int cap;
	char err[160];
	enum track_state st = TRACK_CLOSED;
	int n;

	while ((n = kernel_list_tcp_port(e->lport, socks, cap, err, sizeof(err))) > cap) {
		free(socks);
		cap = n * 2;
		socks = calloc((size_t)cap, sizeof(*socks));
		if (!socks)
			sk_die("out of memory");
	}
	if (n < 0) {
		fprintf(stderr, "integ_scenario: %s\n", err);
		exit(1);
	}
	return kernel_find(socks, n, &e->laddr, e->lport, &e->raddr, e->rport, &st) ? st
	                                                                            : TRACK_CLOSED;
}

/* A socket whose fd is closed is only seen through sock_diag. When such an orphan reaches
 * FIN_WAIT_2 or TIME_WAIT the kernel swaps it for a timewait mini-socket, and one dump in
 * the swap missed it (CI saw FIN_WAIT_1 -> CLOSED -> FIN_WAIT_2 once). Gone means gone from
 * three dumps a millisecond apart; a socket that is really closed costs 2 ms more. */
static enum track_state diag_state_settled(const struct obs_ep *e)
{
	enum track_state st = diag_state(e);
	for (int i = 0; i < 2 && st == TRACK_CLOSED; i++) {
		obs_sleep_ms(1);
		st = diag_state(e);
	}
	return st;
}

enum track_state obs_state(const struct obs_ep *e)
{
	if (e->fd >= 0) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);

		memset(&ti, 0, sizeof(ti));
		if (getsockopt(e->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0) {
			enum track_state st = kernel_map_state(ti.tcpi_state);
			/* a socket that met TIME_WAIT shows CLOSE on its fd; the mini-socket has it */
			if (st != TRACK_CLOSED)
				return st;
		}
	}
	return diag_state_settled(e);
}

static void record(struct obs *o, struct obs_ep *e, enum track_state st)
{
	if (e->recorded && e->last == st)
		return;
	e->recorded = true;
	e->last = st;
	fprintf(o->out,
	        "{\"type\":\"expect\",\"endpoint\":\"%s\",\"role\":\"%s\",\"step\":\"%s\","
	        "\"state\":\"%s\"}\n",
	        e->key, e->role, o->step ? o->step : "", track_state_name(st, TRACK_NAMES_RFC));
	fflush(o->out);
}

void obs_sample(struct obs *o, const char *step)
{
	o->step = step;
	for (int i = 0; i < OBS_MAX_EPS; i++)
		if (o->ep[i].used)
			record(o, &o->ep[i], obs_state(&o->ep[i]));
}

static bool transient(enum track_state s)
{
	return s == TRACK_SYN_SENT || s == TRACK_SYN_RECEIVED || s == TRACK_FIN_WAIT_1 ||
	       s == TRACK_CLOSING || s == TRACK_LAST_ACK;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void obs_settle(struct obs *o, const char *step, int max_ms)
{
	double end = now_ms() + max_ms;

	for (;;) {
		bool busy = false;

		obs_sample(o, step);
		for (int i = 0; i < OBS_MAX_EPS; i++)
			if (o->ep[i].used && transient(o->ep[i].last))
				busy = true;
		if (!busy || now_ms() >= end)
			return;
		obs_sleep_ms(2);
	}
}

bool obs_wait_all(struct obs *o, const char *step, enum track_state want, int max_ms)
{
	double end = now_ms() + max_ms;

	for (;;) {
		bool all = true;

		obs_sample(o, step);
		for (int i = 0; i < OBS_MAX_EPS; i++)
			if (o->ep[i].used && o->ep[i].last != want)
				all = false;
		if (all)
			return true;
		if (now_ms() >= end)
			return false;
		obs_sleep_ms(2);
	}
}

void obs_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
