/* closing.c — lab06's scenarios: FIN from either side, half-close, and two kinds of RST. */
#include "closing.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
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

/* After a FIN or RST, getpeername() fails; keep the addresses from while it worked. */
static void remember_conn(int fd)
{
	lab_tuple_of(fd, &conn);
	conn_fd = fd;
}

void close_narrated(int fd)
{
	if (fd == conn_fd)
		last_closed = conn;
	else
		lab_tuple_of(fd, &last_closed);
	lab_before("close(%d)", fd);
	lab_after_gone(close(fd), &last_closed);
	if (fd == conn_fd)
		conn_fd = -1;
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

/* Wait (quietly) for the connection just closed to reach kstate, then show it. */
static void follow(int kstate, int ms)
{
	lab_wait_gone_state(&last_closed, kstate, ms);
	lab_show_gone_state(&last_closed);
}

/* recv() until end of stream or error; returns the last recv() result. */
static long drain(int fd)
{
	char buf[128];
	for (;;) {
		lab_before("recv(%d, buf, %zu, 0)", fd, sizeof buf);
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		lab_after(n, fd);
		if (n <= 0)
			return n;
		lab_say("got \"%.*s\"",
		        (int)strcspn(buf, "\n") < n ? (int)strcspn(buf, "\n") : (int)n, buf);
	}
}

/* The active closer: close first, go FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT. */
static int close_first(int fd)
{
	lab_say("we close first: our FIN goes out (FIN_WAIT_1), its ACK comes back (FIN_WAIT_2)");
	close_narrated(fd);
	lab_say("waiting for the peer's FIN (it closes after --hold seconds)...");
	follow(TCP_TIME_WAIT, 10000);
	lab_say(
	    "we closed first, so we wait in TIME_WAIT (60 s on Linux): ss -tan state time-wait");
	return 0;
}

/* The passive closer: recv() returns 0 (CLOSE_WAIT), then close() -> LAST_ACK -> CLOSED. */
static int close_second(int fd, long hold)
{
	if (drain(fd) != 0) {
		close_narrated(fd);
		return 1;
	}
	lab_say("recv() = 0: the peer's FIN arrived, end of stream. We are in CLOSE_WAIT until we "
	        "close(); a program that forgets close() stays there forever");
	lab_show_state(fd);
	hold_for(hold);
	close_narrated(fd);
	lab_say("our FIN went out (LAST_ACK); the peer's ACK ends it (CLOSED), no TIME_WAIT here");
	follow(TCP_CLOSE, 2000);
	return 0;
}

static int half_close_client(int fd)
{
	lab_before("shutdown(%d, SHUT_WR)", fd);
	if (lab_after(shutdown(fd, SHUT_WR), fd) != 0)
		return 1;
	lab_say("half-close: our FIN is out, so we can no longer send, but we still read");
	long r = drain(fd);
	lab_say("the reply arrived after our FIN, then the server's FIN (recv() = 0). The socket "
	        "reports CLOSED: Linux handed the connection to a TIME_WAIT mini-socket");
	close_narrated(fd);
	follow(TCP_TIME_WAIT, 2000);
	return r != 0;
}

static int half_close_server(int fd)
{
	if (drain(fd) != 0) {
		close_narrated(fd);
		return 1;
	}
	lab_say("the client's FIN arrived (CLOSE_WAIT), yet we may still send: a half-close");
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
	lab_after(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), fd);
	lab_say("with linger 0, close() aborts: a RST instead of a FIN, no TIME_WAIT");
	close_narrated(fd);
	return 0;
}

static int unread_client(int fd)
{
	int waiting = 0;
	usleep(300000); /* let the server's data arrive; we will not read it */
	lab_before("ioctl(%d, FIONREAD)", fd);
	lab_after(ioctl(fd, FIONREAD, &waiting), fd);
	lab_say("%d byte(s) wait unread in our receive buffer; close() now sends RST, not FIN",
	        waiting);
	close_narrated(fd);
	return 0;
}

/* The side that receives a RST: its next call fails with ECONNRESET (or sees EPIPE). */
static int reset_victim(int fd)
{
	char c;
	lab_before("recv(%d, buf, 1, 0)", fd);
	long r = lab_after(recv(fd, &c, 1, 0), fd);
	int e = errno;
	if (r < 0 && e == ECONNRESET)
		lab_say(
		    "ECONNRESET: the client's RST ended the connection at once, no FIN exchange");
	close_narrated(fd);
	return !(r < 0 && e == ECONNRESET);
}

int server_scenario(int fd, const char *name, long hold)
{
	remember_conn(fd);
	if (strcmp(name, "client-first") == 0)
		return close_second(fd, hold);
	if (strcmp(name, "server-first") == 0)
		return close_first(fd);
	if (strcmp(name, "half-close") == 0)
		return half_close_server(fd);
	if (strcmp(name, "unread") == 0) {
		static const char data[] = "data the client will never read\n";
		lab_before("send(%d, \"data the client will never read\\n\", %zu, 0)", fd,
		           sizeof data - 1);
		lab_after(send(fd, data, sizeof data - 1, 0), fd);
		return reset_victim(fd);
	}
	if (strcmp(name, "linger0") == 0)
		return reset_victim(fd);
	lab_warn("unknown scenario \"%s\"", name);
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
