/* states_reset.c — lab09's abrupt endings (reset) and the listen backlog (backlog). */
#include "states.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* recv() that expects the connection to have been reset. */
static bool expect_reset(int fd)
{
	char buf[64];
	lab_before("recv(%d, buf, %zu, 0)", fd, sizeof buf);
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	int e = errno;
	lab_after(n, fd);
	if (n < 0 && e == ECONNRESET)
		return states_expect("this end", lab_tcp_state(fd), TCP_CLOSE);
	lab_warn("expected ECONNRESET");
	return false;
}

bool states_reset(const struct lab_opts *o)
{
	int lfd, cfd, sfd;
	bool ok = true;
	lab_title("reset 1/3: abort with SO_LINGER {on, 0 s}");
	if (!states_pair(o, o->port, &lfd, &cfd, &sfd))
		return false;
	states_as("client");
	struct linger lg = {1, 0};
	lab_before("setsockopt(%d, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0})", cfd);
	lab_after(setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), cfd);
	struct lab_tuple client_end;
	lab_tuple_of(cfd, &client_end);
	lab_say("close() now throws the connection away: a RST instead of a FIN");
	states_close(cfd);
	ok &= states_expect("the client's end", states_settle_tuple(&client_end, TCP_CLOSE, 200),
	                    TCP_CLOSE);
	lab_say("no FIN_WAIT, no TIME_WAIT: an aborted connection leaves nothing behind");
	states_as("server");
	ok &= expect_reset(sfd);
	states_close(sfd);

	lab_title("reset 2/3: close() with unread data");
	states_as("client");
	cfd = states_connect(o, o->port);
	states_as("server");
	sfd = cfd < 0 ? -1 : states_accept(lfd);
	if (sfd < 0) {
		if (cfd >= 0)
			close(cfd);
		close(lfd);
		return false;
	}
	states_as("client");
	const char *req = "a request nobody reads";
	lab_before("send(%d, \"%s\", %zu, 0)", cfd, req, strlen(req));
	lab_after(send(cfd, req, strlen(req), 0), cfd);
	states_as("server");
	states_settle(sfd, TCP_ESTABLISHED, 10);
	struct lab_tuple server_end;
	lab_tuple_of(sfd, &server_end);
	lab_say("the server closes without reading the %zu bytes waiting for it", strlen(req));
	states_close(sfd);
	ok &= states_expect("the server's end", states_settle_tuple(&server_end, TCP_CLOSE, 200),
	                    TCP_CLOSE);
	lab_say("data would be lost silently, so the kernel tells the peer with a RST (RFC 9293 "
	        "§3.6: an abort)");
	states_as("client");
	ok &= expect_reset(cfd);
	states_close(cfd);

	lab_title("reset 3/3: connect() to a port where nobody listens");
	states_as("server");
	states_close(lfd);
	states_as("client");
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], a[LAB_ADDRSTRLEN];
	if (lab_make_addr(o->family, o->host, o->port, &ss, &len, err, sizeof err) != 0)
		return false;
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	cfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(cfd, cfd);
	if (cfd < 0)
		return false;
	lab_before("connect(%d, %s)", cfd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	int r = connect(cfd, (struct sockaddr *)&ss, len);
	int e = errno;
	lab_after(r, cfd);
	if (r == 0 || e != ECONNREFUSED) {
		lab_warn("expected ECONNREFUSED");
		ok = false;
	} else {
		lab_say("our SYN was answered by RST+ACK from the kernel: ECONNREFUSED at once");
	}
	states_close(cfd);
	return ok;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_queue(int lfd)
{
	unsigned q = 0, b = 0;
	if (lab_accept_queue(lfd, &q, &b) == 0)
		lab_say(
		    "accept queue: %u waiting for accept(), backlog %u  (TCP_INFO of the listener; "
		    "ss -ltn shows it as Recv-Q / Send-Q)",
		    q, b);
}

bool states_backlog(const struct lab_opts *o)
{
	bool ok = true;
	lab_title("backlog: listen(fd, 0) and a full accept queue");
	states_as("server");
	int lfd = states_listen(o, o->port, 0, true);
	if (lfd < 0)
		return false;
	show_queue(lfd);
	lab_say("the server never calls accept() for now");
	states_as("client 1");
	int c1 = states_connect(o, o->port);
	if (c1 < 0) {
		close(lfd);
		return false;
	}
	lab_say("connect() returned: the kernel finished the handshake, no accept() needed");
	states_as("server");
	show_queue(lfd);
	lab_say("Linux lets backlog+1 connections wait: with 0, one. The queue is full now.");

	states_as("client 2");
	long overflows = states_counter("TcpExt", "ListenOverflows");
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], a[LAB_ADDRSTRLEN];
	if (lab_make_addr(o->family, o->host, o->port, &ss, &len, err, sizeof err) != 0)
		return false;
	lab_before("socket(%s, SOCK_STREAM | SOCK_NONBLOCK, 0)", lab_family_name(o->family));
	int c2 = socket(o->family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	lab_after(c2, c2);
	if (c2 < 0)
		return false;
	lab_say("non-blocking, so we can watch the connection while it tries");
	double t0 = now_s();
	lab_before("connect(%d, %s)", c2, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	lab_after(connect(c2, (struct sockaddr *)&ss, len), c2);
	states_sleep_ms(1500);
	int st = lab_tcp_state(c2);
	ok &= states_expect("client 2", st, TCP_SYN_SENT);
	lab_show_state(c2);
	long after = states_counter("TcpExt", "ListenOverflows");
	lab_say("1.5 s later: still SYN_SENT, its SYN retransmitted %d time%s (TCP_INFO "
	        "tcpi_total_retrans): the listener dropped it, the queue was full",
	        states_retrans(c2), states_retrans(c2) == 1 ? "" : "s");
	if (overflows >= 0 && after >= 0)
		lab_say("TcpExt ListenOverflows went from %ld to %ld (all listeners of this host)",
		        overflows, after);
	states_ss(o->port, 0);
	lab_say("no RST, no error: the client retransmits its SYN, 1 s apart at first "
	        "(net.ipv4.tcp_syn_linear_timeouts on newer kernels), then doubling, "
	        "net.ipv4.tcp_syn_retries times in all");

	states_as("server");
	lab_say("the server finally accepts one connection, which frees a place in the queue");
	int s1 = states_accept(lfd);
	show_queue(lfd);
	states_as("client 2");
	struct pollfd p = {.fd = c2, .events = POLLOUT};
	lab_before("poll([%d POLLOUT], 1, 8000)", c2);
	int r = poll(&p, 1, 8000);
	lab_after(r, c2);
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	lab_before("getsockopt(%d, SOL_SOCKET, SO_ERROR)", c2);
	lab_after(getsockopt(c2, SOL_SOCKET, SO_ERROR, &soerr, &sl), c2);
	st = lab_tcp_state(c2);
	lab_say("SO_ERROR = %d; connected %.1f s after connect(), after %d SYN "
	        "retransmission%s",
	        soerr, now_s() - t0, states_retrans(c2), states_retrans(c2) == 1 ? "" : "s");
	ok &= r == 1 && soerr == 0 && states_expect("client 2", st, TCP_ESTABLISHED);
	states_as("server");
	show_queue(lfd);
	int s2 = states_accept(lfd);
	ok &= s1 >= 0 && s2 >= 0;
	if (s1 >= 0)
		states_close(s1);
	if (s2 >= 0)
		states_close(s2);
	states_close(lfd);
	states_as("client 1");
	states_close(c1);
	states_as("client 2");
	states_close(c2);
	return ok;
}
