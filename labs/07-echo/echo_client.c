/* echo_client.c — lab07's client: one line out, the same line back; and the framing demo. */
#include "echo.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(long ms, const char *why)
{
	lab_say("(waiting %ld ms %s)", ms, why);
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Close the client's end, said from the state it is in: who closed first is what the kernel
 * shows, not what the lab planned. */
static void close_client(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	int st = lab_tcp_state(fd);
	if (st == TCP_ESTABLISHED)
		lab_say("the server has not closed (we are %s): we close first, so if its FIN "
		        "comes our end waits in %s afterwards",
		        lab_state_name(st), lab_state_name(TCP_TIME_WAIT));
	else if (st == TCP_CLOSE_WAIT)
		lab_say("the server closed first (we are %s: its FIN arrived); we close second",
		        lab_state_name(st));
	lab_close_as(fd, &t);
	if (st == TCP_ESTABLISHED && lab_wait_gone_state(&t, TCP_TIME_WAIT, 1000)) {
		lab_show_gone_state(&t);
		lab_say("the server's FIN came: our end, the first closer, is in %s",
		        lab_state_name(TCP_TIME_WAIT));
	}
}

/* The server went away before our request: say what the kernel shows, and show EPIPE. */
static void explain_gone_server(int fd, int state_at_send, ssize_t sent)
{
	if (state_at_send == TCP_CLOSE_WAIT)
		lab_say(
		    "send() returned %zd although the server had closed (we were in %s: its FIN "
		    "had arrived): send() only hands the bytes to our kernel, which sent them",
		    sent, lab_state_name(state_at_send));
	int st = lab_tcp_state(fd);
	for (int i = 0; i < 50 && st != TCP_CLOSE; i++) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
		st = lab_tcp_state(fd);
	}
	lab_show_state(fd);
	if (st != TCP_CLOSE)
		return;
	lab_say("%s now: the server's kernel has no socket for this connection any more and "
	        "answered our data with a RST. One more send() shows what that does:",
	        lab_state_name(st));
	lab_before("send(%d, \"x\", 1, 0)", fd);
	lab_after(send(fd, "x", 1, 0), fd);
}

bool echo_client(const struct lab_opts *o, const char *msg)
{
	char line[4200], reply[4200], shown[300], shown2[300];
	int fd = echo_connect(o);
	if (fd < 0)
		return false;
	int n = snprintf(line, sizeof line, "%s\n", msg);
	int state_before_send = -1;
	bool ok = echo_send_all(fd, line, (size_t)n, &state_before_send) == n;
	struct echo_linebuf lb = {.len = 0};
	long got = ok ? echo_read_line(fd, &lb, reply, sizeof reply) : -1;
	if (got < 0 && ok && errno == EAGAIN) {
		lab_warn("echo check: FAILED, no echo came back within %d s (--timeout)",
		         o->timeout_s);
		ok = false;
	} else if (got < 0) {
		lab_warn("echo check: FAILED, the connection ended before the echo came back");
		if (ok)
			explain_gone_server(fd, state_before_send, n);
		ok = false;
	} else if ((size_t)got == strlen(msg) && memcmp(reply, msg, (size_t)got) == 0) {
		lab_say("echo check: OK, the %d bytes came back unchanged: \"%s\"", n,
		        lab_escape(line, (size_t)n, shown, sizeof shown));
	} else {
		lab_warn("echo check: FAILED, sent \"%s\" but got back \"%s\"",
		         lab_escape(msg, strlen(msg), shown, sizeof shown),
		         lab_escape(reply, (size_t)got, shown2, sizeof shown2));
		ok = false;
	}
	close_client(fd);
	return ok;
}

/* One plain recv() of 1024 bytes, read the way a naive program would: as "one message".
 * Returns the bytes; *lines the newlines among them. */
static ssize_t naive_recv(int fd, char *buf, size_t len, size_t *lines)
{
	char shown[300];
	lab_before("recv(%d, buf, %zu, 0)", fd, len);
	ssize_t n = recv(fd, buf, len, 0);
	lab_after(n, fd);
	*lines = 0;
	if (n > 0) {
		for (ssize_t i = 0; i < n; i++)
			*lines += buf[i] == '\n';
		lab_say("one recv() returned %zd bytes holding %zu newline%s: \"%s\"", n, *lines,
		        *lines == 1 ? "" : "s", lab_escape(buf, (size_t)n, shown, sizeof shown));
	}
	return n;
}

bool echo_framing(const struct lab_opts *o)
{
	static char big[3001];
	char buf[1024], line[4096];
	bool ok = true;
	int fd = echo_connect(o);
	if (fd < 0)
		return false;
	struct echo_linebuf lb = {.len = 0};

	lab_title("1. three lines sent by three send() calls, read by one recv()");
	ok &= echo_send_all(fd, "one\n", 4, NULL) == 4;
	ok &= echo_send_all(fd, "two\n", 4, NULL) == 4;
	ok &= echo_send_all(fd, "three\n", 6, NULL) == 6;
	pause_ms(200, "to give the three echoes time to come back");
	size_t lines = 0;
	ssize_t n = naive_recv(fd, buf, sizeof buf, &lines);
	if (n > 0 && lines > 1)
		lab_say("a program that takes one recv() as one message sees ONE message here, "
		        "not %zu: TCP keeps no boundaries between send() calls",
		        lines);
	else if (n > 0)
		lab_say("this time the echoes came back apart (%zu newline in this recv()): one "
		        "recv() is still not one message, as the next parts show",
		        lines);
	ok &= n == 14;

	lab_title("2. one line of %zu bytes, read by one recv() of %zu", sizeof big, sizeof buf);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\n';
	ok &= echo_send_all(fd, big, sizeof big, NULL) == (ssize_t)sizeof big;
	pause_ms(200, "to give the echo time to come back");
	n = naive_recv(fd, buf, sizeof buf, &lines);
	if (n > 0 && (size_t)n < sizeof big) {
		lab_say("only %zd of %zu bytes: PART of the message; the rest is still to be read",
		        n, sizeof big);
		lab_say("reading the rest up to the newline:");
	}
	ok &= n == (ssize_t)sizeof buf;
	ok &= echo_read_line(fd, &lb, line, sizeof line) == (long)(sizeof big - 1 - sizeof buf);

	lab_title("3. one line sent in two halves, 300 ms apart");
	ok &= echo_send_all(fd, "hel", 3, NULL) == 3;
	pause_ms(100, "and read at once: the second half is not sent yet");
	n = naive_recv(fd, buf, sizeof buf, &lines);
	if (n > 0 && lines == 0)
		lab_say("HALF a message: %zd bytes without their newline", n);
	ok &= n == 3;
	pause_ms(200, "and then send the second half");
	ok &= echo_send_all(fd, "lo\n", 3, NULL) == 3;
	ok &=
	    echo_read_line(fd, &lb, line, sizeof line) == 2; /* "lo": the naive reader ate "hel" */

	lab_title("4. the fix: frame messages by newline and read until a whole line is in");
	lab_say("the same traffic again; the reader keeps a buffer, recv()s into it, hands out "
	        "complete lines and keeps the rest for the next call");
	static const char *const want[] = {"one", "two", "three", "hello"};
	ok &= echo_send_all(fd, "one\n", 4, NULL) == 4;
	ok &= echo_send_all(fd, "two\n", 4, NULL) == 4;
	ok &= echo_send_all(fd, "three\n", 6, NULL) == 6;
	ok &= echo_send_all(fd, "hel", 3, NULL) == 3;
	pause_ms(200, "and read before the last line is complete");
	for (int i = 0; i < 4 && ok; i++) {
		if (i == 3)
			ok &= echo_send_all(fd, "lo\n", 3, NULL) == 3;
		long got = echo_read_line(fd, &lb, line, sizeof line);
		if (got < 0 || strcmp(line, want[i]) != 0) {
			char shown[300];
			lab_warn("framed reader: expected \"%s\", got \"%s\"", want[i],
			         got < 0 ? "" : lab_escape(line, (size_t)got, shown, sizeof shown));
			ok = false;
		}
	}
	if (ok)
		lab_say("framing check: OK, the reader gave back exactly the 4 lines sent, however "
		        "the bytes were cut into recv() results");
	else
		lab_warn("framing check: FAILED (see above)");
	close_client(fd);
	return ok;
}
