/* marker_rx.c — the abstract AF_UNIX datagram socket tcpscope receives markers on: read
 * without blocking, checked (marker_parse), filtered by the capture's ports, held in the ring. */
#include "socklab/marker_rx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PORTS_MAX 64
#define PIDS_MAX  32 /* labs whose markers named a watched port: their socket() shows too */

struct marker_rx {
	int fd;
	struct marker_ring ring;
	struct marker_stats stats;
	double read_at; /* when the last drain started (CLOCK_REALTIME) */
	uint16_t ports[PORTS_MAX];
	size_t nports;
	uint32_t pids[PIDS_MAX];
	size_t npids, next_pid;
};

static double realtime(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct marker_rx *marker_rx_open(const char *name, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > MARKER_NAME_MAX || len >= sizeof sun.sun_path) {
		snprintf(err, errlen, "marker socket name must be 1-%d bytes", MARKER_NAME_MAX);
		return NULL;
	}
	struct marker_rx *rx = calloc(1, sizeof *rx);
	if (!rx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	marker_ring_init(&rx->ring);
	rx->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	/* any local user can send to an abstract socket: the kernel's own word on who sent each
	 * datagram (SCM_CREDENTIALS) is what makes the pid shown true */
	if (rx->fd < 0 || setsockopt(rx->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0) {
		snprintf(err, errlen, "marker socket: %s", strerror(errno));
		if (rx->fd >= 0)
			close(rx->fd);
		free(rx);
		return NULL;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, name, len); /* sun_path[0] = 0: the abstract namespace */
	socklen_t slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
	if (bind(rx->fd, (struct sockaddr *)&sun, slen) != 0) {
		snprintf(err, errlen, "marker socket @%s: %s%s", name, strerror(errno),
		         errno == EADDRINUSE ? " (another tcpscope receives the markers)" : "");
		close(rx->fd);
		free(rx);
		return NULL;
	}
	return rx;
}

void marker_rx_close(struct marker_rx *rx)
{
	if (!rx)
		return;
	close(rx->fd);
	free(rx);
}

int marker_rx_fd(const struct marker_rx *rx) { return rx ? rx->fd : -1; }

void marker_rx_set_ports(struct marker_rx *rx, const uint16_t *ports, size_t n)
{
	rx->nports = n < PORTS_MAX ? n : PORTS_MAX;
	memcpy(rx->ports, ports, rx->nports * sizeof *ports);
	if (n > PORTS_MAX)
		rx->nports = 0; /* more than kept: watch every marker rather than lose some */
}

static bool port_watched(const struct marker_rx *rx, uint16_t p)
{
	for (size_t i = 0; i < rx->nports; i++)
		if (rx->ports[i] == p)
			return true;
	return false;
}

static bool pid_known(const struct marker_rx *rx, uint32_t pid)
{
	for (size_t i = 0; i < rx->npids; i++)
		if (rx->pids[i] == pid)
			return true;
	return false;
}

/* In the capture's scope: one of its ports, or (no port at all) from a lab that already sent
 * one of those. */
static bool in_scope(struct marker_rx *rx, const struct marker *m)
{
	if (rx->nports == 0)
		return true;
	bool lp = (m->flags & MARKER_F_LOCAL) && m->local_port;
	bool pp = (m->flags & MARKER_F_PEER) && m->peer_port;
	if ((lp && port_watched(rx, m->local_port)) || (pp && port_watched(rx, m->peer_port))) {
		if (!pid_known(rx, m->pid)) {
			rx->pids[rx->next_pid] = m->pid;
			rx->next_pid = (rx->next_pid + 1) % PIDS_MAX;
			if (rx->npids < PIDS_MAX)
				rx->npids++;
		}
		return true;
	}
	return !lp && !pp && pid_known(rx, m->pid);
}

/* The sender's pid as the kernel reports it, or -1 when the datagram came without one. */
static long sender_pid(struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof cr);
			return (long)cr.pid;
		}
	return -1;
}

static size_t pending_from(const struct marker_ring *r, uint32_t pid)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->m[i].pid == pid;
	return n;
}

void marker_rx_drain(struct marker_rx *rx)
{
	/* one byte more than a marker, so that an oversized datagram shows (MSG_TRUNC) */
	uint8_t buf[MARKER_WIRE_LEN + 1];
	union {
		struct cmsghdr align;
		char bytes[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;

	rx->read_at = realtime();
	for (;;) {
		struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
		struct msghdr msg = {.msg_iov = &iov,
		                     .msg_iovlen = 1,
		                     .msg_control = ctl.bytes,
		                     .msg_controllen = sizeof ctl.bytes};
		ssize_t n = recvmsg(rx->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return; /* EAGAIN: nothing more waits */
		rx->stats.received++;
		struct marker m;
		if (marker_parse(buf, (size_t)n > sizeof buf ? sizeof buf : (size_t)n, &m) !=
		    MARKER_OK) {
			rx->stats.bad++;
			continue;
		}
		double skew = m.t - rx->read_at;
		if (sender_pid(&msg) != (long)m.pid || skew > MARKER_SKEW_SECS ||
		    skew < -MARKER_SKEW_SECS) {
			rx->stats.refused++;
			continue;
		}
		if (!in_scope(rx, &m)) {
			rx->stats.filtered++;
			continue;
		}
		if (pending_from(&rx->ring, m.pid) >= MARKER_PER_PID_CAP)
			rx->stats.dropped++;
		else if (marker_ring_push(&rx->ring, &m))
			rx->stats.accepted++;
		else
			rx->stats.dropped++;
	}
}

size_t marker_rx_segment(struct marker_rx *rx, double t, const struct decode_packet *pkt,
                         struct marker_out *out, size_t max)
{
	if (t > rx->read_at)
		marker_rx_drain(rx);
	return marker_ring_take_segment(&rx->ring, t, pkt, out, max);
}

size_t marker_rx_due(struct marker_rx *rx, double now, bool flush, struct marker_out *out,
                     size_t max)
{
	return marker_ring_take_due(&rx->ring, now, flush, out, max);
}

const struct marker_stats *marker_rx_stats(const struct marker_rx *rx) { return &rx->stats; }
