/* states_util.c — lab09's narrated socket steps and its reading of the kernel's view. */
#include "states.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct states_opts states_opt = {.netns = "socklab-states"};

void states_as(const char *who) { lab_set_tag(who); }

void states_sleep_ms(long ms)
{
	while (ms > 0 && !lab_stopping()) {
		long step = ms > 50 ? 50 : ms;
		struct timespec ts = {0, step * 1000000L};
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static bool make_addr(const struct lab_opts *o, int port, struct sockaddr_storage *ss,
                      socklen_t *len)
{
	char err[128];
	if (lab_make_addr(o->family, o->host, port, ss, len, err, sizeof err) == 0)
		return true;
	lab_warn("%s", err);
	return false;
}

int states_listen(const struct lab_opts *o, int port, int backlog, bool reuse)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char a[LAB_ADDRSTRLEN];
	int one = 1;
	if (!make_addr(o, port, &ss, &len))
		return -1;
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	if (reuse) {
		lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
		lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	}
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	if (lab_after(bind(fd, (struct sockaddr *)&ss, len), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	lab_before("listen(%d, %d)", fd, backlog);
	if (lab_after(listen(fd, backlog), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	lab_guard(fd);
	return fd;
}

int states_connect(const struct lab_opts *o, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char a[LAB_ADDRSTRLEN];
	if (!make_addr(o, port, &ss, &len))
		return -1;
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_guard(fd);
	lab_before("connect(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	if (lab_after(connect(fd, (struct sockaddr *)&ss, len), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	return fd;
}

int states_accept(int lfd)
{
	lab_before("accept(%d, NULL, NULL)", lfd);
	int fd = accept(lfd, NULL, NULL);
	lab_after(fd, fd);
	if (fd >= 0)
		lab_guard(fd);
	return fd;
}

bool states_pair(const struct lab_opts *o, int port, int *lfd, int *cfd, int *sfd)
{
	*cfd = *sfd = -1;
	states_as("server");
	*lfd = states_listen(o, port, 4, true);
	if (*lfd < 0)
		return false;
	states_as("client");
	*cfd = states_connect(o, port);
	states_as("server");
	if (*cfd >= 0)
		*sfd = states_accept(*lfd);
	if (*sfd >= 0)
		return true;
	if (*cfd >= 0)
		lab_close(*cfd);
	lab_close(*lfd);
	*lfd = *cfd = -1;
	return false;
}

void states_close(int fd) { lab_close(fd); }

int states_settle(int fd, int want, int ms)
{
	int st = lab_tcp_state(fd);
	for (int waited = 0; st != want && waited < ms && !lab_stopping(); waited += 2) {
		struct timespec ts = {0, 2000000L};
		nanosleep(&ts, NULL);
		st = lab_tcp_state(fd);
	}
	return st;
}

static int tuple_state(const struct lab_tuple *t)
{
	int st = 0;
	return lab_tuple_find(t, &st) ? st : TCP_CLOSE;
}

int states_settle_tuple(const struct lab_tuple *t, int want, int ms)
{
	int st = tuple_state(t);
	for (int waited = 0; st != want && waited < ms && !lab_stopping(); waited += 5) {
		struct timespec ts = {0, 5000000L};
		nanosleep(&ts, NULL);
		st = tuple_state(t);
	}
	return st;
}

int states_kernel(const char *who, const struct lab_tuple *t)
{
	char a[LAB_ADDRSTRLEN], b[LAB_ADDRSTRLEN];
	int st = tuple_state(t);
	lab_say("kernel: %s %s -> %s  state=%s  (/proc/net/tcp%s)", who,
	        lab_addr_str((const struct sockaddr *)&t->local, t->local_len, a, sizeof a),
	        t->peer_len
	            ? lab_addr_str((const struct sockaddr *)&t->peer, t->peer_len, b, sizeof b)
	            : "-",
	        lab_state_name(st), st == TCP_CLOSE ? ": no such connection any more" : "");
	return st;
}

int states_retrans(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	return (int)ti.tcpi_total_retrans;
}

bool states_expect(const char *who, int got, int want)
{
	if (got == want)
		return true;
	lab_warn("expected %s in %s, but the kernel says %s", who, lab_state_name(want),
	         lab_state_name(got));
	return false;
}

long states_sysctl(const char *name)
{
	char path[128];
	long v = -1;
	snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int states_time_waits(int port)
{
	struct lab_sock rows[1024];
	int n = lab_proc_list(rows, 1024), tw = 0;
	for (int i = 0; i < n && i < 1024; i++) {
		const struct sockaddr_storage *l = &rows[i].local;
		int lport = l->ss_family == AF_INET
		                ? ntohs(((const struct sockaddr_in *)l)->sin_port)
		                : ntohs(((const struct sockaddr_in6 *)l)->sin6_port);
		tw += rows[i].state == TCP_TIME_WAIT && lport == port;
	}
	return tw;
}

long states_counter(const char *group, const char *name)
{
	static const char *const files[] = {"/proc/net/netstat", "/proc/net/snmp"};
	char hdr[4096], val[4096];
	size_t glen = strlen(group);
	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "re");
		if (!f)
			continue;
		while (fgets(hdr, sizeof hdr, f) && fgets(val, sizeof val, f)) {
			if (strncmp(hdr, group, glen) != 0 || hdr[glen] != ':')
				continue;
			char *hs, *vs, *h = strtok_r(hdr, " \n", &hs),
			               *v = strtok_r(val, " \n", &vs);
			for (; h && v;
			     h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
				if (strcmp(h, name) == 0) {
					fclose(f);
					return atol(v);
				}
		}
		fclose(f);
	}
	return -1;
}
