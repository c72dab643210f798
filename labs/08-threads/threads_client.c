/* threads_client.c — lab08's client: N connections at once, one thread each, replies checked. */
#include "threads.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGES 16

struct client {
	pthread_t tid;
	int idx;
	int checked, wrong;
	bool connected, finished;
};

static const struct lab_opts *opts;
static const struct threads_client_opts *copts;
static char messages[MAX_MESSAGES][256];
static int nmessages;
static pthread_barrier_t all_connected, go;

static void sleep_ms(long ms)
{
	while (ms > 0 && !lab_stopping()) {
		long step = ms > 100 ? 100 : ms;
		struct timespec ts = {0, step * 1000000L};
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static int connect_one(void)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[128], a[LAB_ADDRSTRLEN];
	if (lab_make_addr(opts->family, opts->host, opts->port, &ss, &sslen, err, sizeof err) !=
	    0) {
		lab_warn("%s", err);
		return -1;
	}
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(opts->family));
	int fd = socket(opts->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_guard(fd);
	lab_before("connect(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, sslen, a, sizeof a));
	if (lab_after(connect(fd, (struct sockaddr *)&ss, sslen), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	return fd;
}

/* Read the reply the server must send and compare. */
static bool expect(struct client *c, int fd, struct threads_linebuf *lb, const char *want)
{
	char reply[1200], shown[400];
	long n = threads_expect(fd, lb, want, reply, sizeof reply, copts->framing);
	if (n < 0) {
		lab_warn("expected \"%s\", but the connection ended", want);
		c->wrong++;
		return false;
	}
	lab_escape(reply, (size_t)n, shown, sizeof shown);
	if (strcmp(reply, want) != 0) {
		lab_warn("WRONG reply: expected \"%s\", got \"%s\"", want, shown);
		c->wrong++;
		return false;
	}
	c->checked++;
	lab_say("reply \"%s\": as expected", shown);
	return true;
}

static void talk(struct client *c, int fd, struct threads_linebuf *lb)
{
	char text[300], want[320], rest[64];
	for (int m = 0; m < nmessages && !lab_stopping(); m++) {
		if (strcmp(messages[m], "exit") == 0)
			break;
		if (copts->clients > 1)
			snprintf(text, sizeof text, "%.255s #%d", messages[m], c->idx);
		else
			snprintf(text, sizeof text, "%.255s", messages[m]);
		snprintf(want, sizeof want, "Hello, %s!", text);
		if (threads_send_msg(fd, text, copts->framing) != 0 || !expect(c, fd, lb, want))
			return;
		if (copts->delay_ms > 0)
			sleep_ms(copts->delay_ms);
	}
	if (threads_send_msg(fd, "exit", copts->framing) != 0)
		return;
	/* The server answers exit by closing: wait for its FIN rather than assume it. */
	long n = threads_recv_msg(fd, lb, rest, sizeof rest, copts->framing);
	if (n < 0 && errno == 0) {
		lab_say("recv() returned 0: the server ended the session after our exit");
		c->finished = true;
	} else if (n >= 0) {
		char shown[200];
		lab_warn("after exit the server sent \"%s\" instead of closing",
		         lab_escape(rest, (size_t)n, shown, sizeof shown));
	}
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	char tag[32];
	struct threads_linebuf lb = {.len = 0};
	snprintf(tag, sizeof tag, "client %d", c->idx);
	lab_set_tag(tag);
	int fd = connect_one();
	c->connected = fd >= 0 && expect(c, fd, &lb, "Welcome!");
	/* Every thread reaches both barriers, connected or not, so none waits forever. */
	pthread_barrier_wait(&all_connected);
	pthread_barrier_wait(&go);
	if (c->connected)
		talk(c, fd, &lb);
	if (fd >= 0)
		lab_close(fd);
	return NULL;
}

static void split_messages(const char *list)
{
	const char *p = list;
	nmessages = 0;
	while (*p && nmessages < MAX_MESSAGES) {
		size_t n = strcspn(p, ",");
		if (n > 0 && n < sizeof messages[0]) {
			memcpy(messages[nmessages], p, n);
			messages[nmessages++][n] = '\0';
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

bool threads_clients(const struct lab_opts *o, const struct threads_client_opts *co)
{
	static struct client clients[THREADS_MAX_CLIENTS];
	opts = o;
	copts = co;
	split_messages(co->messages);
	int n = (int)co->clients;
	pthread_barrier_init(&all_connected, NULL, (unsigned)n + 1);
	pthread_barrier_init(&go, NULL, (unsigned)n + 1);
	int started = 0;
	for (int i = 0; i < n; i++) {
		clients[i] = (struct client){.idx = i + 1};
		int rc = pthread_create(&clients[i].tid, NULL, client_main, &clients[i]);
		if (rc != 0) {
			lab_warn("pthread_create failed for client %d: %s", i + 1, strerror(rc));
			break;
		}
		started++;
	}
	if (started < n) {
		/* The barriers expect n+1 threads: stand in for the missing ones. */
		lab_warn("only %d of %d client threads started", started, n);
		for (int i = started; i < n; i++)
			clients[i].connected = false;
	}
	bool ok = started == n;
	if (ok) {
		pthread_barrier_wait(&all_connected);
		int up = 0, est = 0;
		for (int i = 0; i < n; i++)
			up += clients[i].connected;
		struct lab_sock rows[512];
		int nrows = lab_proc_list(rows, 512);
		for (int i = 0; i < nrows && i < 512; i++) {
			const struct sockaddr_storage *r = &rows[i].remote;
			int rport = r->ss_family == AF_INET
			                ? ntohs(((const struct sockaddr_in *)r)->sin_port)
			                : ntohs(((const struct sockaddr_in6 *)r)->sin6_port);
			est += rows[i].state == TCP_ESTABLISHED && rport == o->port;
		}
		if (n > 1)
			lab_say("%d of %d clients got their Welcome!; /proc/net/tcp lists %d "
			        "ESTABLISHED connection%s to port %d right now: count them in the "
			        "tracer (or  ss -tn state established '( dport = :%d )')",
			        up, n, est, est == 1 ? "" : "s", o->port, o->port);
		if (co->hold_ms > 0 && up > 0) {
			lab_say("holding them for %ld ms before anyone talks", co->hold_ms);
			sleep_ms(co->hold_ms);
		}
		pthread_barrier_wait(&go);
	}
	int checked = 0, wrong = 0, finished = 0;
	for (int i = 0; i < started; i++) {
		pthread_join(clients[i].tid, NULL);
		checked += clients[i].checked;
		wrong += clients[i].wrong;
		finished += clients[i].finished;
	}
	pthread_barrier_destroy(&all_connected);
	pthread_barrier_destroy(&go);
	lab_set_tag("client");
	lab_say("%d client%s, %d finished their session; %d replies checked, %d wrong", n,
	        n == 1 ? "" : "s", finished, checked, wrong);
	if (finished == n && wrong == 0)
		lab_say("reply check: OK, every reply was the expected one");
	else
		lab_warn("reply check: FAILED");
	return ok && finished == n && wrong == 0;
}
