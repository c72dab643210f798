/* states_reset.c — lab09's abrupt endings (reset) and the listen backlog (backlog). */
#include "states.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
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
	lab_say(
	    "with SO_LINGER {1, 0}, close() throws the connection away: a RST instead of a FIN");
	states_close(cfd);
	bool gone = states_expect("the client's end",
	                          states_settle_tuple(&client_end, TCP_CLOSE, 200), TCP_CLOSE);
	ok &= gone;
	if (gone)
		lab_say(
		    "no %s, no %s in /proc/net/tcp: an aborted connection leaves nothing behind",
		    lab_state_name(TCP_FIN_WAIT1), lab_state_name(TCP_TIME_WAIT));
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
			states_close(cfd);
		states_close(lfd);
		return false;
	}
	states_as("client");
	const char *req = "a request nobody reads";
	lab_before("send(%d, \"%s\", %zu, 0)", cfd, req, strlen(req));
	lab_after(send(cfd, req, strlen(req), 0), cfd);
	states_as("server");
	struct lab_tuple server_end;
	lab_tuple_of(sfd, &server_end);
	int unread = 0;
	for (int i = 0; i < 50 && unread < (int)strlen(req); i++) {
		if (ioctl(sfd, FIONREAD, &unread) != 0)
			unread = 0;
		if (unread < (int)strlen(req))
			states_sleep_ms(10);
	}
	lab_before("ioctl(%d, FIONREAD, &n)", sfd);
	if (lab_after(ioctl(sfd, FIONREAD, &unread), sfd) != 0)
		unread = 0;
	lab_say("the server closes without reading the %d bytes waiting in its receive buffer",
	        unread);
	states_close(sfd);
	bool reset = states_expect("the server's end",
	                           states_settle_tuple(&server_end, TCP_CLOSE, 200), TCP_CLOSE);
	ok &= reset && unread > 0;
	if (reset && unread > 0)
		lab_say(
		    "gone at once: the data would be lost silently, so the kernel tells the peer "
		    "with a RST instead of a FIN");
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

/* Show the listener's accept queue; returns how many wait (-1 if unknown). */
static int show_queue(int lfd)
{
	unsigned q = 0, b = 0;
	if (lab_accept_queue(lfd, &q, &b) != 0)
		return -1;
	lab_say("accept queue: %u waiting for accept(), backlog %u  (TCP_INFO of the listener; "
	        "ss -ltn shows it as Recv-Q / Send-Q)%s",
	        q, b,
	        q > b ? ": full (Linux takes a new connection only while no more than backlog wait)"
	              : "");
	return (int)q;
}

/* Watch a connecting socket for ms milliseconds: the moments its SYN was retransmitted, from
 * TCP_INFO's retransmission count polled every 5 ms. Returns the count at the end. */
static int watch_syns(int fd, double t0, long ms, char *times, size_t len)
{
	int seen = states_retrans(fd);
	size_t o = strlen(times);
	double start = now_s();
	while ((now_s() - start) * 1000 < (double)ms && !lab_stopping()) {
		states_sleep_ms(5);
		int n = states_retrans(fd);
		if (n > seen && o < len) {
			o += (size_t)snprintf(times + o, len - o, "%s%.1f s", o ? ", " : "",
			                      now_s() - t0);
			seen = n;
		}
		if (lab_tcp_state(fd) != TCP_SYN_SENT)
			break;
	}
	return seen;
}

/* What this kernel will do with an unanswered SYN, from its own settings (Documentation/
 * networking/ip-sysctl.rst): the retry count becomes a time limit, so no count is promised. */
static void say_syn_rules(void)
{
	long retries = states_sysctl("tcp_syn_retries");
	long linear = states_sysctl("tcp_syn_linear_timeouts");
	if (linear >= 0)
		lab_say(
		    "this kernel: net.ipv4.tcp_syn_retries = %ld, net.ipv4.tcp_syn_linear_timeouts "
		    "= %ld: the first %ld retransmission timeouts stay at the initial RTO (1 s), "
		    "then the timeout doubles from 1 s (1, 2, 4, ... s); tcp_syn_retries sets how "
		    "long connect() keeps trying before it fails with ETIMEDOUT (the kernel turns "
		    "it into a time limit)",
		    retries, linear, linear);
	else
		lab_say("this kernel: net.ipv4.tcp_syn_retries = %ld (no tcp_syn_linear_timeouts "
		        "here): the retransmission timeout starts at 1 s (the initial RTO) and "
		        "doubles each time; tcp_syn_retries sets how long connect() keeps trying "
		        "before it fails with ETIMEDOUT",
		        retries);
}

bool states_backlog(const struct lab_opts *o)
{
	bool ok = true;
	lab_title("backlog: listen(fd, 0) and a full accept queue");
	states_as("server");
	int lfd = states_listen(o, o->port, 0, true);
	if (lfd < 0)
		return false;
	struct lab_tuple lt;
	lab_tuple_of(lfd, &lt);
	show_queue(lfd);
	lab_say("the server never calls accept() for now");
	states_as("client 1");
	int c1 = states_connect(o, o->port);
	if (c1 < 0) {
		states_close(lfd);
		return false;
	}
	lab_say("connect() returned 0: the kernel finished the handshake, no accept() needed");
	states_as("server");
	int q = show_queue(lfd);

	states_as("client 2");
	long overflows = states_counter("TcpExt", "ListenOverflows");
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], a[LAB_ADDRSTRLEN], times[256] = "";
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
	/* For ss: both ends of client 1's connection, and client 2 by its addresses (a socket in
	 * SYN_SENT has no peer for getpeername() yet). */
	struct lab_tuple conns[4];
	lab_tuple_of(c1, &conns[1]);
	conns[2] = conns[1];
	conns[2].local = conns[1].peer;
	conns[2].local_len = conns[1].peer_len;
	conns[2].peer = conns[1].local;
	conns[2].peer_len = conns[1].local_len;
	lab_tuple_of(c2, &conns[3]);
	memcpy(&conns[3].peer, &ss, len);
	conns[3].peer_len = len;
	conns[0] = lt;
	int rt = watch_syns(c2, t0, 2500, times, sizeof times);
	int st = lab_tcp_state(c2);
	ok &= states_expect("client 2", st, TCP_SYN_SENT);
	lab_show_state(c2);
	long after = states_counter("TcpExt", "ListenOverflows");
	if (st == TCP_SYN_SENT)
		lab_say("%.1f s later: still %s; TCP_INFO counted %d SYN retransmission%s%s%s%s",
		        now_s() - t0, lab_state_name(st), rt, rt == 1 ? "" : "s", rt ? " (at " : "",
		        times, rt ? " after connect())" : "");
	if (overflows >= 0 && after >= 0)
		lab_say(
		    "TcpExt ListenOverflows went from %ld to %ld (all listeners of this host)%s",
		    overflows, after,
		    after > overflows && q > 0
		        ? ": the listener dropped the SYNs, its queue was full"
		        : "");
	states_ss(conns, 4);
	lab_say(
	    "no RST, no error: a dropped SYN looks like a lost one, so the client retransmits it");
	say_syn_rules();

	states_as("server");
	lab_say("the server accepts one connection, which takes it out of the queue");
	int s1 = states_accept(lfd);
	show_queue(lfd);
	states_as("client 2");
	int r = 0;
	for (int round = 0; r == 0 && round < 30 && !lab_stopping(); round++) {
		struct pollfd p = {.fd = c2, .events = POLLOUT};
		lab_before("poll([%d POLLOUT], 1, 8000)", c2);
		r = poll(&p, 1, 8000);
		lab_after(r, c2);
		if (r == 0)
			lab_say(
			    "not connected within 8 s (TCP_INFO: %d SYN retransmissions so far); "
			    "the next one is due after the doubled wait: poll() again",
			    states_retrans(c2));
	}
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	lab_before("getsockopt(%d, SOL_SOCKET, SO_ERROR)", c2);
	lab_after(getsockopt(c2, SOL_SOCKET, SO_ERROR, &soerr, &sl), c2);
	st = lab_tcp_state(c2);
	rt = states_retrans(c2);
	if (r == 1 && soerr == 0 && st == TCP_ESTABLISHED)
		lab_say("SO_ERROR = 0, state %s: connected %.1f s after connect(), after %d SYN "
		        "retransmission%s (TCP_INFO)",
		        lab_state_name(st), now_s() - t0, rt, rt == 1 ? "" : "s");
	else
		lab_say("SO_ERROR = %d (%s), state %s: not connected", soerr,
		        soerr ? lab_errno_name(soerr) : "none", lab_state_name(st));
	ok &= r == 1 && soerr == 0 && states_expect("client 2", st, TCP_ESTABLISHED);
	states_as("server");
	show_queue(lfd);
	int s2 = ok ? states_accept(lfd) : -1;
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
