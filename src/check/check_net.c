/* check_net.c — the checker's own sockets: nonblocking, every wait bounded by a deadline. */
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sockios.h>

/* Longest single poll: waits are cut into slices so an interrupt is seen quickly. */
#define SLICE_MS 50

const char *check_io_name(enum check_io io)
{
	switch (io) {
	case CHECK_IO_OK:
		return "ok";
	case CHECK_IO_TIMEOUT:
		return "timeout";
	case CHECK_IO_EOF:
		return "end of stream (FIN)";
	case CHECK_IO_RESET:
		return "connection reset (RST)";
	case CHECK_IO_ERROR:
		return "socket error";
	case CHECK_IO_MISMATCH:
		return "unexpected bytes";
	case CHECK_IO_STOP:
		return "interrupted";
	}
	return "?";
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

void check_peer_init(struct check_peer *p)
{
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

void check_peer_free(struct check_peer *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->buf);
	p->buf = NULL;
}

static void fill_names(struct check_peer *p)
{
	socklen_t l = sizeof p->local;

	if (getsockname(p->fd, (struct sockaddr *)&p->local, &l) == 0)
		p->lport = port_of(&p->local);
	l = sizeof p->remote;
	if (getpeername(p->fd, (struct sockaddr *)&p->remote, &l) == 0)
		p->rport = port_of(&p->remote);
}

static int ms_until(double deadline)
{
	double left = deadline - check_now();

	if (left <= 0)
		return 0;
	if (left * 1000 > SLICE_MS)
		return SLICE_MS;
	return (int)(left * 1000) + 1;
}

enum check_io check_peer_connect(struct check_peer *p, const struct sockaddr_storage *to,
                                 socklen_t tolen, double deadline)
{
	p->fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		p->err = errno;
		return CHECK_IO_ERROR;
	}
	if (!p->buf)
		p->buf = malloc(CHECK_PEER_KEEP);
	if (!p->buf) {
		p->err = ENOMEM;
		return CHECK_IO_ERROR;
	}
	if (connect(p->fd, (const struct sockaddr *)to, tolen) == 0) {
		fill_names(p);
		return CHECK_IO_OK;
	}
	if (errno != EINPROGRESS) {
		p->err = errno;
		return errno == ECONNRESET || errno == ECONNREFUSED ? CHECK_IO_RESET
		                                                    : CHECK_IO_ERROR;
	}
	for (;;) {
		struct pollfd pf = {.fd = p->fd, .events = POLLOUT};
		int soerr = 0;
		socklen_t l = sizeof soerr;

		if (check_interrupted())
			return CHECK_IO_STOP;
		if (check_now() >= deadline) {
			fill_names(p); /* the local port names the stuck connection in the ladder */
			return CHECK_IO_TIMEOUT;
		}
		if (poll(&pf, 1, ms_until(deadline)) <= 0)
			continue;
		getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &l);
		if (soerr) {
			p->err = soerr;
			fill_names(p);
			return soerr == ECONNREFUSED || soerr == ECONNRESET ? CHECK_IO_RESET
			                                                    : CHECK_IO_ERROR;
		}
		fill_names(p);
		return CHECK_IO_OK;
	}
}

void check_peer_adopt(struct check_peer *p, int fd)
{
	check_peer_init(p);
	p->fd = fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	p->buf = malloc(CHECK_PEER_KEEP);
	fill_names(p);
}

/* Read what is there without waiting. CHECK_IO_OK when at least one byte came (or nothing
 * was there), EOF/RESET/ERROR when the stream ended. */
static enum check_io drain(struct check_peer *p, bool *got)
{
	unsigned char tmp[16384];

	for (;;) {
		ssize_t n;

		if (p->eof)
			return CHECK_IO_EOF;
		if (p->reset)
			return CHECK_IO_RESET;
		if (p->err)
			return CHECK_IO_ERROR;
		n = recv(p->fd, tmp, sizeof tmp, 0);
		if (n > 0) {
			size_t keep = (size_t)n;

			if (p->buf && p->len < CHECK_PEER_KEEP) {
				if (keep > CHECK_PEER_KEEP - p->len)
					keep = CHECK_PEER_KEEP - p->len;
				memcpy(p->buf + p->len, tmp, keep);
				p->len += keep;
			}
			p->received += (uint64_t)n;
			*got = true;
			continue;
		}
		if (n == 0) {
			p->eof = true;
			p->eof_t = check_now();
			return CHECK_IO_EOF;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return CHECK_IO_OK;
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET) {
			p->reset = true;
			p->eof_t = check_now();
			return CHECK_IO_RESET;
		}
		p->err = errno;
		return CHECK_IO_ERROR;
	}
}

enum check_io check_peer_send(struct check_peer *p, const void *data, size_t n, double deadline)
{
	const unsigned char *d = data;
	size_t off = 0;
	bool got = false;

	while (off < n) {
		struct pollfd pf = {.fd = p->fd, .events = POLLIN | POLLOUT};
		ssize_t w = send(p->fd, d + off, n - off, MSG_NOSIGNAL);

		if (w > 0) {
			off += (size_t)w;
			p->sent += (uint64_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			if (errno == ECONNRESET || errno == EPIPE) {
				/* the RST may still be behind data we have not read: read it all */
				enum check_io io = drain(p, &got);
				if (io == CHECK_IO_OK) {
					p->reset = true;
					io = CHECK_IO_RESET;
				}
				return io;
			}
			p->err = errno;
			return CHECK_IO_ERROR;
		}
		if (check_interrupted())
			return CHECK_IO_STOP;
		if (check_now() >= deadline)
			return CHECK_IO_TIMEOUT;
		if (poll(&pf, 1, ms_until(deadline)) > 0 &&
		    (pf.revents & (POLLIN | POLLHUP | POLLERR))) {
			enum check_io io = drain(p, &got);
			if (io == CHECK_IO_RESET || io == CHECK_IO_ERROR)
				return io;
			/* EOF: the peer closed its sending side; sending may still work */
		}
	}
	return CHECK_IO_OK;
}

enum check_io check_peer_read_some(struct check_peer *p, double deadline)
{
	for (;;) {
		struct pollfd pf = {.fd = p->fd, .events = POLLIN};
		bool got = false;
		enum check_io io = drain(p, &got);

		if (got)
			return CHECK_IO_OK;
		if (io != CHECK_IO_OK)
			return io;
		if (check_interrupted())
			return CHECK_IO_STOP;
		if (check_now() >= deadline)
			return CHECK_IO_TIMEOUT;
		poll(&pf, 1, ms_until(deadline));
	}
}

enum check_io check_peer_read_to_end(struct check_peer *p, double deadline)
{
	for (;;) {
		enum check_io io = check_peer_read_some(p, deadline);
		if (io != CHECK_IO_OK)
			return io;
	}
}

static bool is_term(unsigned char c) { return c == '\r' || c == '\n' || c == '\0'; }

enum check_io check_peer_expect(struct check_peer *p, const void *want, size_t n, bool loose,
                                double deadline)
{
	const unsigned char *w = want;

	for (;;) {
		size_t at = p->pos, have;
		enum check_io io;

		if (loose)
			while (at < p->len && is_term(p->buf[at]))
				at++;
		have = p->len - at;
		if (have > n)
			have = n;
		if (memcmp(p->buf + at, w, have) != 0) {
			double more = check_now() + 0.05;
			check_peer_read_some(p, more < deadline ? more : deadline);
			return CHECK_IO_MISMATCH;
		}
		if (have == n) {
			at += n;
			if (loose) {
				/* a terminator that came with it; later ones are skipped next time */
				while (at < p->len && is_term(p->buf[at]))
					at++;
			}
			p->pos = at;
			return CHECK_IO_OK;
		}
		if (p->len >= CHECK_PEER_KEEP)
			return CHECK_IO_ERROR; /* cannot happen with the task's sizes */
		io = check_peer_read_some(p, deadline);
		if (io != CHECK_IO_OK)
			return io;
	}
}

enum check_io check_peer_read_message(struct check_peer *p, double quiet_s, double deadline)
{
	size_t start = p->len;
	enum check_io io;

	io = check_peer_read_some(p, deadline);
	if (io != CHECK_IO_OK && p->len == start)
		return io;
	for (;;) {
		double q = check_now() + quiet_s;
		io = check_peer_read_some(p, q < deadline ? q : deadline);
		if (io == CHECK_IO_TIMEOUT || io != CHECK_IO_OK)
			return p->len > start ? CHECK_IO_OK : io;
	}
}

void check_peer_shutdown(struct check_peer *p)
{
	if (p->fd >= 0 && !p->wr_shut) {
		bool got = false;

		drain(p, &got); /* a FIN already here came first: eof_t then precedes shut_t */
		shutdown(p->fd, SHUT_WR);
		p->wr_shut = true;
		p->shut_t = check_now();
	}
}

uint64_t check_peer_acked(const struct check_peer *p)
{
	int outq = 0;

	/* SIOCOUTQ: bytes written but not yet acknowledged (our FIN, once queued, counts one) */
	if (p->fd < 0 || ioctl(p->fd, SIOCOUTQ, &outq) != 0 || outq < 0)
		return p->sent;
	if (p->wr_shut && outq > 0)
		outq--; /* our FIN, not yet acknowledged */
	return (uint64_t)outq >= p->sent ? 0 : p->sent - (uint64_t)outq;
}

void check_peer_abort(struct check_peer *p)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	if (p->fd < 0)
		return;
	setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(p->fd);
	p->fd = -1;
}

void check_peer_close(struct check_peer *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

void check_peer_pending_text(const struct check_peer *p, char *buf, size_t len)
{
	size_t n = p->len - p->pos;

	if (n > 80)
		n = 80;
	check_escape(p->buf ? p->buf + p->pos : (const unsigned char *)"", n, buf, len);
}

int check_listen_loopback(struct check_listener *l, unsigned port, char *err, size_t errlen)
{
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
	int one = 1;

	l->n = 0;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a6.sin6_addr = in6addr_loopback;
	for (int i = 0; i < 2; i++) {
		int fam = i == 0 ? AF_INET : AF_INET6;
		int fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		const struct sockaddr *sa =
		    i == 0 ? (const struct sockaddr *)&a4 : (const struct sockaddr *)&a6;
		socklen_t sl = i == 0 ? sizeof a4 : sizeof a6;

		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (fam == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		if (bind(fd, sa, sl) != 0 || listen(fd, 16) != 0) {
			/* IPv4 is required; ::1 only where the host has IPv6 */
			if (i == 0) {
				snprintf(err, errlen,
				         "the reference server cannot listen on 127.0.0.1:%u: %s",
				         port, strerror(errno));
				close(fd);
				return -1;
			}
			close(fd);
			continue;
		}
		l->fd[l->n++] = fd;
	}
	return 0;
}

int check_accept(struct check_listener *l, double deadline, bool (*stop)(void *), void *user)
{
	for (;;) {
		struct pollfd pf[2];

		for (int i = 0; i < l->n; i++) {
			int fd = accept4(l->fd[i], NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				return fd;
			pf[i] = (struct pollfd){.fd = l->fd[i], .events = POLLIN};
		}
		if (check_interrupted() || check_now() >= deadline || (stop && stop(user)))
			return -1;
		poll(pf, (nfds_t)l->n, ms_until(deadline));
	}
}

void check_listener_close(struct check_listener *l)
{
	for (int i = 0; i < l->n; i++)
		close(l->fd[i]);
	l->n = 0;
}

unsigned check_free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t l = sizeof a;
	unsigned port = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &l) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}
