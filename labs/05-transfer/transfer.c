/* transfer.c — lab05's send/recv loops: send-all, read-exactly, echo, byte stream, bulk. */
#include "transfer.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

#define QUIET_AFTER 6 /* narrate the first calls of a long loop, then count silently */

ssize_t send_all(int fd, const char *buf, size_t len)
{
	size_t sent = 0;
	while (sent < len) {
		lab_before("send(%d, buf+%zu, %zu, 0)", fd, sent, len - sent);
		ssize_t n = send(fd, buf + sent, len - sent, 0);
		lab_after(n, fd);
		if (n < 0)
			return -1;
		if ((size_t)n < len - sent)
			lab_say("short write: %zd of %zu bytes taken; loop for the rest", n,
			        len - sent);
		sent += (size_t)n;
	}
	return (ssize_t)len;
}

int recv_exact(int fd, char *buf, size_t len, size_t chunk)
{
	size_t got = 0;
	while (got < len) {
		size_t want = len - got < chunk ? len - got : chunk;
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, got, want);
		ssize_t n = recv(fd, buf + got, want, 0);
		lab_after(n, fd);
		if (n <= 0) {
			if (n == 0)
				lab_warn("end of stream after %zu of %zu bytes", got, len);
			return -1;
		}
		got += (size_t)n;
		if (got < len)
			lab_say("a short read: %zu of %zu bytes so far; recv() again", got, len);
	}
	return 0;
}

int echo_loop(int fd, size_t chunk, long slow_ms)
{
	char shown[160]; /* the peer's bytes, escaped (lab_escape), for one narration line */
	char *buf = malloc(chunk);
	unsigned long calls = 0, bytes = 0;
	int rc = 1;
	if (!buf)
		return 1;
	lab_say("echo loop: recv() up to %zu bytes, send them back, until recv() returns 0", chunk);
	for (;;) {
		bool loud = calls < QUIET_AFTER;
		if (slow_ms > 0) {
			usleep((useconds_t)slow_ms * 1000);
			if (loud)
				lab_say("(--slow: waited %ld ms before this recv())", slow_ms);
		}
		if (calls == QUIET_AFTER)
			lab_say("(quiet from now on: counting calls and bytes)");
		if (loud)
			lab_before("recv(%d, buf, %zu, 0)", fd, chunk);
		ssize_t n = recv(fd, buf, chunk, 0);
		if (!loud && n <= 0)
			lab_set_call("recv(%d, buf, %zu, 0)", fd, chunk);
		if (loud || n <= 0)
			lab_after(n, fd);
		calls++;
		if (n < 0)
			break;
		if (n == 0) {
			lab_say(
			    "recv() = 0: the client closed its side, end of stream (after %lu recv "
			    "calls, %lu bytes)",
			    calls, bytes);
			rc = 0;
			break;
		}
		bytes += (unsigned long)n;
		if (loud)
			lab_say("got %zd bytes: \"%s\"  (recv() call %lu, %lu bytes so far)", n,
			        lab_escape(buf, (size_t)n, shown, sizeof shown), calls, bytes);
		size_t sent = 0;
		while (sent < (size_t)n) { /* send-all, quietly after the first few */
			if (loud)
				lab_before("send(%d, buf+%zu, %zu, 0)", fd, sent, (size_t)n - sent);
			ssize_t w = send(fd, buf + sent, (size_t)n - sent, 0);
			if (!loud && w < 0)
				lab_set_call("send(%d, buf+%zu, %zu, 0)", fd, sent,
				             (size_t)n - sent);
			if (loud || w < 0)
				lab_after(w, fd);
			if (w < 0)
				goto out;
			sent += (size_t)w;
		}
	}
out:
	free(buf);
	return rc;
}

int two_sends_one_recv(int fd, int timeout_s)
{
	char shown[160]; /* the peer's bytes, escaped (lab_escape), for one narration line */
	char buf[64];
	const size_t want = 6; /* "one" + "two", echoed back */
	if (send_all(fd, "one", 3) < 0 || send_all(fd, "two", 3) < 0)
		return 1;
	lab_say("we wait until all %zu echoed bytes are in our receive buffer (asking "
	        "ioctl(FIONREAD) every 10 ms, up to %d s), then make one recv():",
	        want, timeout_s > 0 ? timeout_s : 10);
	int avail = 0, r, polls = 0, limit = (timeout_s > 0 ? timeout_s : 10) * 100;
	do {
		if (polls)
			usleep(10000);
		r = ioctl(fd, FIONREAD, &avail);
		polls++;
	} while (r == 0 && avail < (int)want && polls < limit && !lab_stopping());
	lab_set_call("ioctl(%d, FIONREAD, &n)", fd);
	lab_after(r, fd);
	if (r != 0)
		return 1;
	lab_say("%d byte(s) waiting after %d ioctl() call(s), about %d ms", avail, polls,
	        (polls - 1) * 10);
	lab_before("recv(%d, buf, %zu, 0)", fd, sizeof buf);
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	lab_after(n, fd);
	if (n <= 0)
		return 1;
	if ((size_t)n >= want)
		lab_say(
		    "one recv() returned \"%s\" (%zd bytes): the bytes of several send() calls "
		    "(our two, and however many the server used to echo them) in one piece. TCP "
		    "keeps no message boundaries; a protocol adds its own (lengths, newlines). The "
		    "server's own lines show how its recv() calls split the same bytes",
		    lab_escape(buf, (size_t)n, shown, sizeof shown), n);
	else
		lab_say("this recv() returned %zd of the %zu bytes: the rest had not arrived yet",
		        n, want);
	if ((size_t)n < want && recv_exact(fd, buf + n, want - (size_t)n, sizeof buf) != 0)
		return 1;
	return 0;
}

static int bulk_loop(int fd, const unsigned char *buf, size_t total, size_t sent)
{
	static unsigned char rbuf[65536];
	size_t got = 0;
	unsigned long sends = 0, shorts = 0, recvs = 0, polls = 0;
	while ((sent < total || got < total) && !lab_stopping()) {
		struct pollfd p = {fd, (short)(POLLIN | (sent < total ? POLLOUT : 0)), 0};
		int pr = poll(&p, 1, 10000);
		polls++;
		if (pr < 0) {
			lab_set_call("poll({%d, POLLIN%s}, 1, 10000)", fd,
			             sent < total ? "|POLLOUT" : "");
			lab_after(pr, fd);
			return 1;
		}
		if (pr == 0) {
			lab_warn("no progress for 10 s (sent %zu, echoed %zu of %zu)", sent, got,
			         total);
			return 1;
		}
		if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t n = recv(fd, rbuf, sizeof rbuf, MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN)) {
				lab_set_call("recv(%d, buf, %zu, MSG_DONTWAIT)", fd, sizeof rbuf);
				lab_after(n, fd);
				return 1;
			}
			for (ssize_t i = 0; i < n; i++)
				if (rbuf[i] != buf[got + (size_t)i]) {
					lab_warn("echo differs at byte %zu", got + (size_t)i);
					return 1;
				}
			got += n > 0 ? (size_t)n : 0;
			recvs += n > 0;
		}
		if (sent < total && (p.revents & POLLOUT)) {
			ssize_t w = send(fd, buf + sent, total - sent, MSG_DONTWAIT);
			if (w < 0 && errno != EAGAIN) {
				lab_set_call("send(%d, buf+%zu, %zu, MSG_DONTWAIT)", fd, sent,
				             total - sent);
				lab_after(w, fd);
				return 1;
			}
			if (w > 0) {
				sends++;
				shorts += (size_t)w < total - sent;
				sent += (size_t)w;
			}
		}
	}
	lab_say("send-all loop: %lu poll() calls; %lu send() calls, %lu of them short; %lu recv() "
	        "calls read the %zu echoed bytes, all identical",
	        polls, sends, shorts, recvs, got);
	return got != total;
}

int bulk_transfer(int fd, size_t total)
{
	unsigned char *buf = malloc(total);
	if (!buf)
		return 1;
	for (size_t i = 0; i < total; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	int small = 4096;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_SNDBUF, %d)", fd, small);
	if (lab_after(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), fd) != 0) {
		free(buf);
		return 1;
	}
	int got_buf = 0;
	socklen_t glen = sizeof got_buf;
	lab_before("getsockopt(%d, SOL_SOCKET, SO_SNDBUF, &v, &len)", fd);
	if (lab_after(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &got_buf, &glen), fd) == 0)
		lab_say("the send buffer is now %d bytes%s", got_buf,
		        got_buf == 2 * small
		            ? " (Linux doubles the value asked, for its bookkeeping)"
		            : "");
	lab_before("send(%d, buf, %zu, MSG_DONTWAIT)", fd, total);
	ssize_t n = send(fd, buf, total, MSG_DONTWAIT);
	lab_after(n, fd);
	if (n >= 0 && (size_t)n < total)
		lab_say(
		    "a short write: the kernel took %zd of %zu bytes, as much as its send buffer "
		    "and the peer's window allowed. The rest is still ours to send",
		    n, total);
	lab_say("if a program only wrote while its peer only echoed, both would block in send() "
	        "once both buffers were full; so this loop also reads the echo meanwhile (poll)");
	int rc = bulk_loop(fd, buf, total, n > 0 ? (size_t)n : 0);
	free(buf);
	return rc;
}
