/* echo_client.c — lab07's client: one line out, the same line back; and the framing demo. */
#include "echo.h"

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

static void close_narrated(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	lab_after_gone(close(fd), &t);
}

bool echo_client(const struct lab_opts *o, const char *msg)
{
	char line[4200], reply[4200], shown[160];
	int fd = echo_connect(o);
	if (fd < 0)
		return false;
	int n = snprintf(line, sizeof line, "%s\n", msg);
	bool ok = echo_send_all(fd, line, (size_t)n) == n;
	struct echo_linebuf lb = {.len = 0};
	long got = ok ? echo_read_line(fd, &lb, reply, sizeof reply) : -1;
	if (got < 0) {
		ok = false;
	} else if ((size_t)got == strlen(msg) && memcmp(reply, msg, (size_t)got) == 0) {
		lab_say("echo check: OK, the %d bytes came back unchanged: \"%s\"", n,
		        echo_show(line, (size_t)n, shown, sizeof shown));
	} else {
		lab_warn("echo check: FAILED, sent \"%s\" but got back \"%s\"",
		         echo_show(msg, strlen(msg), shown, sizeof shown), reply);
		ok = false;
	}
	lab_say("we close first, so our end of the connection waits in TIME_WAIT afterwards");
	close_narrated(fd);
	return ok;
}

/* One plain recv() of 1024 bytes, read the way a naive program would: as "one message". */
static ssize_t naive_recv(int fd, char *buf, size_t len)
{
	char shown[160];
	lab_before("recv(%d, buf, %zu, 0)", fd, len);
	ssize_t n = recv(fd, buf, len, 0);
	lab_after(n, fd);
	if (n > 0) {
		size_t lines = 0;
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
		lab_say("one recv() returned %zd bytes holding %zu newline%s: \"%s\"", n, lines,
		        lines == 1 ? "" : "s", echo_show(buf, (size_t)n, shown, sizeof shown));
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
	ok &= echo_send_all(fd, "one\n", 4) == 4;
	ok &= echo_send_all(fd, "two\n", 4) == 4;
	ok &= echo_send_all(fd, "three\n", 6) == 6;
	pause_ms(200, "so that every echo is back in our receive buffer");
	ssize_t n = naive_recv(fd, buf, sizeof buf);
	if (n > 0)
		lab_say("a program that takes one recv() as one message sees ONE message here, "
		        "not three: TCP keeps no boundaries between send() calls");
	ok &= n == 14;

	lab_title("2. one line of %zu bytes, read by one recv() of %zu", sizeof big, sizeof buf);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\n';
	ok &= echo_send_all(fd, big, sizeof big) == (ssize_t)sizeof big;
	pause_ms(200, "so that the whole echo is back");
	n = naive_recv(fd, buf, sizeof buf);
	if (n > 0) {
		lab_say("only %zd of %zu bytes: PART of the message; the rest waits in the kernel",
		        n, sizeof big);
		lab_say("reading the rest up to the newline:");
	}
	ok &= n == (ssize_t)sizeof buf;
	ok &= echo_read_line(fd, &lb, line, sizeof line) == (long)(sizeof big - 1 - sizeof buf);

	lab_title("3. one line sent in two halves, 300 ms apart");
	ok &= echo_send_all(fd, "hel", 3) == 3;
	pause_ms(100, "and read at once: the second half is not sent yet");
	n = naive_recv(fd, buf, sizeof buf);
	if (n > 0)
		lab_say("HALF a message: \"hel\" without its newline");
	ok &= n == 3;
	pause_ms(200, "and then send the second half");
	ok &= echo_send_all(fd, "lo\n", 3) == 3;
	ok &=
	    echo_read_line(fd, &lb, line, sizeof line) == 2; /* "lo": the naive reader ate "hel" */

	lab_title("4. the fix: frame messages by newline and read until a whole line is in");
	lab_say(
	    "same traffic again; the reader keeps a buffer, recv()s into it, hands out complete "
	    "lines and keeps the rest for the next call");
	static const char *const want[] = {"one", "two", "three", "hello"};
	ok &= echo_send_all(fd, "one\n", 4) == 4;
	ok &= echo_send_all(fd, "two\n", 4) == 4;
	ok &= echo_send_all(fd, "three\n", 6) == 6;
	ok &= echo_send_all(fd, "hel", 3) == 3;
	pause_ms(200, "and read: the last line is still incomplete");
	for (int i = 0; i < 4 && ok; i++) {
		if (i == 3)
			ok &= echo_send_all(fd, "lo\n", 3) == 3;
		long got = echo_read_line(fd, &lb, line, sizeof line);
		if (got < 0 || strcmp(line, want[i]) != 0) {
			lab_warn("framed reader: expected \"%s\", got \"%s\"", want[i],
			         got < 0 ? "" : line);
			ok = false;
		}
	}
	if (ok)
		lab_say("framing check: OK, the reader gave back exactly the 4 lines sent, however "
		        "the bytes were cut into recv() results");
	else
		lab_warn("framing check: FAILED (see above)");
	close_narrated(fd);
	return ok;
}
