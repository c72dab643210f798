/* sockets.c — socket helpers for integ_scenario: loopback addresses, timeouts, checked I/O. */
#include "sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

_Noreturn void sk_die(const char *what)
{
	fprintf(stderr, "integ_scenario: %s%s%s\n", what, errno ? ": " : "",
	        errno ? strerror(errno) : "");
	exit(1);
}

static socklen_t sa_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

void sk_loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_loopback;
	}
}

/* Every socket gets timeouts so a lost segment fails the scenario instead of hanging it. */
static int new_socket(int family)
{
	struct timeval tv = {.tv_sec = 5};
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		sk_die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		sk_die("setsockopt timeouts");
	return fd;
}

int sk_listen(const struct sockaddr_storage *ss)
{
	int one = 1;
	int fd = new_socket(ss->ss_family);

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		sk_die("SO_REUSEADDR");
	if (bind(fd, (const struct sockaddr *)ss, sa_len(ss)) != 0)
		sk_die("bind listener");
	if (listen(fd, 8) != 0)
		sk_die("listen");
	return fd;
}

int sk_bound_client(int family, struct sockaddr_storage *me)
{
	int fd = new_socket(family);
	socklen_t len = sizeof(*me);

	sk_loopback(family, 0, me);
	if (bind(fd, (struct sockaddr *)me, sa_len(me)) != 0)
		sk_die("bind client");
	if (getsockname(fd, (struct sockaddr *)me, &len) != 0)
		sk_die("getsockname");
	return fd;
}

int sk_bound(int family, uint16_t port, struct sockaddr_storage *me)
{
	int one = 1;
	int fd = new_socket(family);

	sk_loopback(family, port, me);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		sk_die("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)me, sa_len(me)) != 0)
		sk_die("bind");
	return fd;
}

void sk_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) != 0)
		sk_die("fcntl O_NONBLOCK");
}

int sk_try_connect(int fd, const struct sockaddr_storage *ss)
{
	return connect(fd, (const struct sockaddr *)ss, sa_len(ss)) == 0 ? 0 : errno;
}

void sk_connect(int fd, const struct sockaddr_storage *ss)
{
	int e = sk_try_connect(fd, ss);

	errno = e;
	if (e)
		sk_die("connect");
}

int sk_accept(int listener)
{
	int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	struct timeval tv = {.tv_sec = 5};

	if (fd < 0)
		sk_die("accept");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		sk_die("setsockopt timeout");
	return fd;
}

void sk_send_str(int fd, const char *s)
{
	size_t len = strlen(s);

	if (send(fd, s, len, MSG_NOSIGNAL) != (ssize_t)len)
		sk_die("send");
}

void sk_expect(int fd, const char *s)
{
	char buf[128];
	size_t want = strlen(s), got = 0;

	if (want > sizeof(buf))
		sk_die("sk_expect: string too long");
	while (got < want) {
		ssize_t n = recv(fd, buf + got, want - got, 0);
		if (n <= 0)
			sk_die("recv (expected data)");
		got += (size_t)n;
	}
	if (memcmp(buf, s, want) != 0) {
		errno = 0;
		sk_die("recv: unexpected bytes");
	}
}

void sk_expect_eof(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, 0);

	if (n != 0) {
		if (n > 0)
			errno = 0;
		sk_die("recv (expected end of stream)");
	}
}

void sk_expect_reset(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, 0);

	if (n < 0 && errno == ECONNRESET)
		return;
	if (n >= 0)
		errno = 0;
	sk_die("recv (expected ECONNRESET)");
}

void sk_wait_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (poll(&p, 1, 5000) != 1)
		sk_die("poll (expected data to arrive)");
}

void sk_shutdown_wr(int fd)
{
	if (shutdown(fd, SHUT_WR) != 0)
		sk_die("shutdown");
}

void sk_linger_zero(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) != 0)
		sk_die("SO_LINGER");
}

void sk_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
