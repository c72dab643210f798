/* closing.c — lab06's scenarios: FIN from either side, half-close, and two kinds of RST. Every
 * sentence about a state is said after reading it (TCP_INFO, /proc/net/tcp), or as a
 * prediction ("if ..."). */
#include "closing.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

static const char *const names[] = {"client-first", "server-first", "half-close", "linger0",
                                    "unread"};

bool scenario_known(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static struct lab_tuple last_closed; /* the connection close_narrated() let go of */
static struct lab_tuple conn;        /* the connection's addresses while it was connected */
static int conn_fd = -1;
static int follow_s = 60; /* how long to follow a closed connection: --timeout */

void closing_set_follow(int seconds) { follow_s = seconds > 0 ? seconds : 60; }

/* After a FIN or RST, getpeername() fails; keep the addresses from while it worked. */
static void remember_conn(int fd)
{
	lab_tuple_of(fd, &conn);
	conn_fd = fd;
}

void close_narrated(int fd)
{
	if (fd == conn_fd) {
		last_closed = conn;
		conn_fd = -1;
	} else {
		lab_tuple_of(fd, &last_closed);
	}
	lab_close_as(fd, &last_closed);
}

int recv_line(int fd, char *buf, size_t len)
{
	size_t got = 0;
	/* The peer sends its line in one send() and then waits, so this loop rarely turns twice. */
	while (got + 1 < len && !memchr(buf, '\n', got)) {
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, got, len - 1 - got);
		ssize_t n = recv(fd, buf + got, len - 1 - got, 0);
		lab_after(n, fd);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void hold_for(long s)
{
	for (long i = 0; i < s * 10 && !lab_stopping(); i++)
		usleep(100000);
}

/* The state the kernel has for the connection just closed (TCP_CLOSE: none). */
static int gone_state(void)
{
	int st = 0;
	return lab_tuple_find(&last_closed, &st) ? st : TCP_CLOSE;
}

/* Wait (quietly) up to ms for the connection just closed to reach kstate, show it, return it. */
static int follow(int kstate, int ms)
{
	lab_wait_gone_state(&last_closed, kstate, ms);
	lab_show_gone_state(&last_closed);
	return gone_state();
}

/* recv() until end of stream or error; returns the last recv() result, *bytes the data seen. */
static long drain(int fd, long *bytes)
{
	char buf[128], shown[300];
	if (bytes)
		*bytes = 0;
	for (;;) {
		lab_before("recv(%d, buf, %zu, 0)", fd, sizeof buf);
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		lab_after(n, fd);
		if (n <= 0)
			return n;
		if (bytes)
			*bytes += n;
		lab_say("got %zd bytes: \"%s\"", n,
		        lab_escape(buf, (size_t)n, shown, sizeof shown));
	}
}

static long fin_timeout(void)
{
	long v = -1;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_fin_timeout", "re");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* What the first closer's end was seen in, said from that observation. */
static int tell_first_closer(int st)
{
	if (st == TCP_TIME_WAIT) {
		lab_say("the peer's FIN came and our kernel ACKed it: we closed first, so our end "
		        "is the one in %s (60 s on Linux):  ss -tan state time-wait",
		        lab_state_name(TCP_TIME_WAIT));
		return 0;
	}
	if (st == TCP_FIN_WAIT2) {
		long ft = fin_timeout();
		lab_say("still %s: our FIN was ACKed, the peer has not closed yet. Our descriptor "
		        "is gone, so this end is an orphan: if no FIN comes within "
		        "net.ipv4.tcp_fin_timeout (%ld s here), Linux drops it; if the FIN comes, "
		        "it goes to %s",
		        lab_state_name(st), ft, lab_state_name(TCP_TIME_WAIT));
		return 0;
	}
	if (st == TCP_CLOSE) {
		lab_say("the kernel has nothing left for this connection (it was reset, or its "
		        "%s ended)",
		        lab_state_name(TCP_TIME_WAIT));
		return 0;
	}
	lab_say("our end is in %s", lab_state_name(st));
	return 0;
}

/* The active closer: close first, go FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT. */
static int close_first(int fd)
{
	lab_say("we close first: close() sends our FIN; until it is ACKed our end is in %s, then "
	        "%s until the peer's FIN",
	        lab_state_name(TCP_FIN_WAIT1), lab_state_name(TCP_FIN_WAIT2));
	close_narrated(fd);
	int st = gone_state();
	if (st == TCP_FIN_WAIT1 || st == TCP_FIN_WAIT2) {
		st = follow(TCP_TIME_WAIT, 2000);
		if (st == TCP_FIN_WAIT2 || st == TCP_FIN_WAIT1) {
			lab_say(
			    "waiting up to %d s for the peer's FIN (the server closes after its "
			    "--hold)...",
			    follow_s);
			st = follow(TCP_TIME_WAIT, follow_s * 1000);
		}
	} else {
		lab_show_gone_state(&last_closed);
	}
	return tell_first_closer(st);
}

/* The passive closer: recv() returns 0 (CLOSE_WAIT), then close() -> LAST_ACK -> CLOSED. */
static int close_second(int fd, long hold)
{
	if (drain(fd, NULL) != 0) {
		close_narrated(fd);
		return 1;
	}
	int st = lab_tcp_state(fd);
	lab_say("recv() returned 0: end of stream, the peer's FIN arrived; the kernel says %s",
	        lab_state_name(st));
	if (st == TCP_CLOSE_WAIT)
		lab_say("%s lasts until we close(); a program that forgets close() stays there "
		        "forever (lab09 close-wait)",
		        lab_state_name(st));
	lab_show_state(fd);
	if (hold > 0)
		lab_say("holding for %ld s (--hold) before our close()", hold);
	hold_for(hold);
	close_narrated(fd);
	int after = gone_state();
	st = after == TCP_CLOSE ? after : follow(TCP_CLOSE, 2000);
	if (after == TCP_LAST_ACK && st == TCP_CLOSE)
		lab_say("we closed second: %s until the peer ACKed our FIN, then nothing left: no "
		        "%s on this side",
		        lab_state_name(TCP_LAST_ACK), lab_state_name(TCP_TIME_WAIT));
	else if (st == TCP_CLOSE)
		lab_say(
		    "we closed second: the peer's ACK of our FIN came before the state was read; "
		    "nothing left, no %s on this side",
		    lab_state_name(TCP_TIME_WAIT));
	else
		lab_say("our end is still in %s", lab_state_name(st));
	return 0;
}

static int half_close_client(int fd)
{
	lab_before("shutdown(%d, SHUT_WR)", fd);
	if (lab_after(shutdown(fd, SHUT_WR), fd) != 0)
		return 1;
	lab_say("half-close: our FIN is on its way (the state above); we can no longer send, but "
	        "we still read");
	long bytes = 0;
	long r = drain(fd, &bytes);
	int full = lab_tcp_state(fd), st = TCP_CLOSE;
	if (!lab_tuple_find(&conn, &st))
		st = TCP_CLOSE;
	if (r == 0)
		lab_say("%ld byte(s) arrived after our shutdown(), then the server's FIN (recv() "
		        "= 0)",
		        bytes);
	if (full == TCP_CLOSE && st == TCP_TIME_WAIT)
		lab_say("the descriptor reports %s while /proc/net/tcp has the connection in %s: "
		        "Linux handed it to a small TIME_WAIT socket",
		        lab_state_name(full), lab_state_name(st));
	close_narrated(fd);
	follow(TCP_TIME_WAIT, 2000);
	return r != 0;
}

static int half_close_server(int fd, long hold)
{
	if (drain(fd, NULL) != 0) {
		close_narrated(fd);
		return 1;
	}
	int st = lab_tcp_state(fd);
	lab_say("recv() returned 0: the client's FIN arrived (we are in %s), yet our direction is "
	        "still open: a half-close",
	        lab_state_name(st));
	if (hold > 0)
		lab_say("holding for %ld s (--hold) before the reply", hold);
	hold_for(hold);
	static const char reply[] = "a reply sent after your FIN\n";
	lab_before("send(%d, \"a reply sent after your FIN\\n\", %zu, 0)", fd, sizeof reply - 1);
	lab_after(send(fd, reply, sizeof reply - 1, 0), fd);
	close_narrated(fd);
	follow(TCP_CLOSE, 2000);
	return 0;
}

static int linger0_client(int fd)
{
	struct linger lg = {1, 0};
	lab_before("setsockopt(%d, SOL_SOCKET, SO_LINGER, {on=1, linger=0})", fd);
	if (lab_after(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), fd) != 0)
		return 1;
	lab_say("with SO_LINGER {1, 0}, close() aborts: the kernel sends a RST instead of a FIN "
	        "and keeps nothing (see the state after close())");
	close_narrated(fd);
	return 0;
}

static int unread_client(int fd)
{
	int waiting = 0;
	/* Give the server's line time to arrive: we will not read it. Counted below, not
	 * assumed. */
	for (int i = 0; i < 50 && waiting == 0; i++) {
		usleep(20000);
		if (ioctl(fd, FIONREAD, &waiting) != 0)
			waiting = 0;
	}
	lab_before("ioctl(%d, FIONREAD, &n)", fd);
	if (lab_after(ioctl(fd, FIONREAD, &waiting), fd) != 0)
		waiting = 0;
	if (waiting > 0)
		lab_say("%d byte(s) wait unread in our receive buffer: so close() sends a RST, not "
		        "a FIN (the peer must learn that data was lost)",
		        waiting);
	else
		lab_say("nothing waits unread (the server's line has not arrived): close() sends a "
		        "normal FIN this time");
	close_narrated(fd);
	return 0;
}

/* The side that receives a RST: its next call fails with ECONNRESET. */
static int reset_victim(int fd)
{
	char c;
	lab_before("recv(%d, buf, 1, 0)", fd);
	long r = lab_after(recv(fd, &c, 1, 0), fd);
	int e = errno;
	if (r < 0 && e == ECONNRESET)
		lab_say(
		    "ECONNRESET: the client's RST ended the connection at once, no FIN exchange");
	else if (r == 0)
		lab_say("recv() returned 0: the client closed with a FIN, not a RST");
	close_narrated(fd);
	return !(r < 0 && e == ECONNRESET);
}

int server_scenario(int fd, const char *name, long hold)
{
	char shown[200];
	remember_conn(fd);
	if (strcmp(name, "client-first") == 0)
		return close_second(fd, hold);
	if (strcmp(name, "server-first") == 0)
		return close_first(fd);
	if (strcmp(name, "half-close") == 0)
		return half_close_server(fd, hold);
	if (strcmp(name, "unread") == 0) {
		static const char data[] = "data the client will never read\n";
		lab_before("send(%d, \"data the client will never read\\n\", %zu, 0)", fd,
		           sizeof data - 1);
		lab_after(send(fd, data, sizeof data - 1, 0), fd);
		return reset_victim(fd);
	}
	if (strcmp(name, "linger0") == 0)
		return reset_victim(fd);
	lab_warn("unknown scenario \"%s\"", lab_escape(name, strlen(name), shown, sizeof shown));
	close_narrated(fd);
	return 1;
}

int client_scenario(int fd, const char *name, long hold)
{
	remember_conn(fd);
	if (strcmp(name, "client-first") == 0)
		return close_first(fd);
	if (strcmp(name, "server-first") == 0)
		return close_second(fd, hold);
	if (strcmp(name, "half-close") == 0)
		return half_close_client(fd);
	if (strcmp(name, "linger0") == 0)
		return linger0_client(fd);
	return unread_client(fd);
}
