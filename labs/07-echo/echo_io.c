/* echo_io.c — lab07's narrated I/O: connect, send everything, read one line, show bytes. */
#include "echo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int echo_connect(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[128], a[LAB_ADDRSTRLEN];
	if (lab_make_addr(o->family, o->host, o->port, &ss, &sslen, err, sizeof err) != 0) {
		lab_warn("%s", err);
		return -1;
	}
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_guard(fd);
	lab_before("connect(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, sslen, a, sizeof a));
	int r = connect(fd, (struct sockaddr *)&ss, sslen);
	lab_after(r, fd);
	if (r != 0) {
		lab_close(fd);
		return -1;
	}
	return fd;
}

ssize_t echo_send_all(int fd, const char *data, size_t len, int *state_before)
{
	char shown[300];
	size_t done = 0;
	while (done < len && !lab_stopping()) {
		lab_before("send(%d, \"%s\", %zu, 0)", fd,
		           lab_escape(data + done, len - done, shown, sizeof shown), len - done);
		if (state_before && done == 0)
			*state_before = lab_tcp_state(fd);
		ssize_t n = send(fd, data + done, len - done, 0);
		lab_after(n, fd);
		if (n < 0)
			return -1;
		if ((size_t)n < len - done)
			lab_say("a short write: %zd of %zu bytes went; send() again with the rest",
			        n, len - done);
		done += (size_t)n;
	}
	return done == len ? (ssize_t)len : -1;
}

long echo_read_line(int fd, struct echo_linebuf *lb, char *out, size_t outlen)
{
	char shown[300];
	for (;;) {
		char *nl = memchr(lb->buf, '\n', lb->len);
		if (nl) {
			size_t n = (size_t)(nl - lb->buf);
			size_t copy = n < outlen - 1 ? n : outlen - 1;
			memcpy(out, lb->buf, copy);
			out[copy] = '\0';
			lb->len -= n + 1;
			memmove(lb->buf, nl + 1, lb->len);
			lab_say("line: \"%s\"  (%zu bytes stay in the buffer for the next line)",
			        lab_escape(out, copy, shown, sizeof shown), lb->len);
			return (long)copy;
		}
		if (lb->len == sizeof lb->buf) {
			lab_warn("a line longer than %zu bytes: giving up on it", sizeof lb->buf);
			return -1;
		}
		if (lab_stopping())
			return -1;
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, lb->len, sizeof lb->buf - lb->len);
		ssize_t n = recv(fd, lb->buf + lb->len, sizeof lb->buf - lb->len, 0);
		lab_after(n, fd);
		if (n <= 0) {
			if (n == 0) {
				lab_say("end of stream: the peer closed%s",
				        lb->len ? " in the middle of a line" : "");
				errno = 0; /* the end, not an error */
			}
			return -1;
		}
		lab_say("got %zd bytes: \"%s\"%s", n,
		        lab_escape(lb->buf + lb->len, (size_t)n, shown, sizeof shown),
		        memchr(lb->buf + lb->len, '\n', (size_t)n)
		            ? ""
		            : "  (no newline yet: keep reading)");
		lb->len += (size_t)n;
	}
}
