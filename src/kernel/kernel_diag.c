/* kernel_diag.c — list the host's TCP sockets through NETLINK_SOCK_DIAG (what `ss -tan` reads). */
#include "socklab/kernel.h"

#include "kernel_parse.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

/* One recv buffer per call: the kernel fills dump replies up to about 32 KiB each. */
#define KERNEL_RECV_BUF 65536

/* The kernel's numbering (include/net/tcp_states.h); not exported to user space as an enum. */
enum {
	K_TCP_ESTABLISHED = 1,
	K_TCP_SYN_SENT,
	K_TCP_SYN_RECV,
	K_TCP_FIN_WAIT1,
	K_TCP_FIN_WAIT2,
	K_TCP_TIME_WAIT,
	K_TCP_CLOSE,
	K_TCP_CLOSE_WAIT,
	K_TCP_LAST_ACK,
	K_TCP_LISTEN,
	K_TCP_CLOSING,
	K_TCP_NEW_SYN_RECV,
	K_TCP_BOUND_INACTIVE,
};

enum track_state kernel_map_state(uint8_t s)
{
	switch (s) {
	case K_TCP_ESTABLISHED:
		return TRACK_ESTABLISHED;
	case K_TCP_SYN_SENT:
		return TRACK_SYN_SENT;
	/* a request socket (NEW_SYN_RECV) is the RFC's SYN_RECEIVED before accept queueing */
	case K_TCP_SYN_RECV:
	case K_TCP_NEW_SYN_RECV:
		return TRACK_SYN_RECEIVED;
	case K_TCP_FIN_WAIT1:
		return TRACK_FIN_WAIT_1;
	case K_TCP_FIN_WAIT2:
		return TRACK_FIN_WAIT_2;
	case K_TCP_TIME_WAIT:
		return TRACK_TIME_WAIT;
	/* BOUND_INACTIVE: bound, never listened or connected: CLOSED in RFC terms */
	case K_TCP_CLOSE:
	case K_TCP_BOUND_INACTIVE:
		return TRACK_CLOSED;
	case K_TCP_CLOSE_WAIT:
		return TRACK_CLOSE_WAIT;
	case K_TCP_LAST_ACK:
		return TRACK_LAST_ACK;
	case K_TCP_LISTEN:
		return TRACK_LISTEN;
	case K_TCP_CLOSING:
		return TRACK_CLOSING;
	default:
		return TRACK_UNKNOWN;
	}
}

static void set_err(char *err, size_t errlen, const char *what, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "sock_diag: %s: %s", what, e ? strerror(e) : "bad reply");
}

/* A v4-mapped address (::ffff:a.b.c.d) from a dual-stack socket is the IPv4 peer the wire
 * shows, so report it as IPv4: captures and kernel_find then agree. */
static void set_addr(struct decode_addr *a, uint8_t family, const uint32_t raw[4])
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	uint8_t b[16];

	memset(a, 0, sizeof(*a));
	memcpy(b, raw, sizeof(b));
	if (family == AF_INET) {
		a->family = 4;
		memcpy(a->bytes, b, 4);
	} else if (memcmp(b, mapped, sizeof(mapped)) == 0) {
		a->family = 4;
		memcpy(a->bytes, b + 12, 4);
	} else {
		a->family = 6;
		memcpy(a->bytes, b, 16);
	}
}

/* Bytecode the kernel runs on each socket (inet_diag_bc_run) to keep only those with a local or
 * remote port in ports[]. Per port P: "sport == P ? accept : (dport == P ? accept : next)";
 * after the last port, reject. Jumps are byte offsets; reaching the end exactly accepts, end + 4
 * rejects. The kernel's audit (inet_diag_bc_audit) wants every op on the chain of "yes" jumps,
 * so "accept" is a JMP op (always "no") whose "yes" merely steps to the next op. */
#define BC_PER_PORT 24 /* S_EQ, operand, JMP, D_EQ, operand, JMP */
#define BC_MAX      (BC_PER_PORT * KERNEL_PORTS_MAX)

static size_t port_bytecode(uint8_t *bc, const uint16_t *ports, int nports)
{
	size_t total = (size_t)BC_PER_PORT * (size_t)nports - 4, off = 0;

	for (int i = 0; i < nports; i++) {
		bool last = i == nports - 1;
		struct inet_diag_bc_op ops[6] = {
		    {INET_DIAG_BC_S_EQ, 8, 12}, /* sport == P -> the JMP, else -> D_EQ */
		    {0, 0, ports[i]},
		    {INET_DIAG_BC_JMP, 4, (uint16_t)(total - off - 8)}, /* -> end: accept */
		    {INET_DIAG_BC_D_EQ, 8, 12}, /* dport == P -> the JMP (or end), else -> next */
		    {0, 0, ports[i]},
		    {INET_DIAG_BC_JMP, 4, (uint16_t)(total - off - 20)},
		};
		/* the last port has no JMP after D_EQ: "yes" lands on the end (accept) and "no"
		 * on end + 4 (reject) */
		size_t n = last ? 5 : 6;

		memcpy(bc + off, ops, n * sizeof(ops[0]));
		off += n * sizeof(ops[0]);
	}
	return off;
}

static int send_request(int fd, uint8_t family, uint32_t seq, const uint16_t *ports, int nports)
{
	struct diag_req {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 req;
		struct nlattr attr;
		uint8_t bc[BC_MAX];
	} msg;
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	size_t bclen = 0, len = offsetof(struct diag_req, attr);

	_Static_assert(offsetof(struct diag_req, bc) ==
	                   NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2) + NLA_HDRLEN,
	               "request must be packed as the kernel reads it");
	memset(&msg, 0, sizeof(msg));
	if (nports > 0) {
		bclen = port_bytecode(msg.bc, ports, nports);
		len = offsetof(struct diag_req, bc) + bclen;
	}
	msg.nh.nlmsg_len = (uint32_t)len;
	msg.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nh.nlmsg_seq = seq;
	msg.req.sdiag_family = family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0u; /* every state, LISTEN and TIME_WAIT included */
	if (nports > 0) {
		msg.attr.nla_len = (uint16_t)(NLA_HDRLEN + bclen);
		msg.attr.nla_type = INET_DIAG_REQ_BYTECODE;
	}
	for (;;) {
		ssize_t n = sendto(fd, &msg, len, 0, (struct sockaddr *)&to, sizeof(to));
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? errno : EIO;
	}
}

static void store(const struct inet_diag_msg *m, struct kernel_sock *out, int max, int *count)
{
	if (*count < max) {
		struct kernel_sock *k = &out[*count];

		set_addr(&k->local, m->idiag_family, m->id.idiag_src);
		set_addr(&k->remote, m->idiag_family, m->id.idiag_dst);
		k->lport = ntohs(m->id.idiag_sport);
		k->rport = ntohs(m->id.idiag_dport);
		k->state = kernel_map_state(m->idiag_state);
		k->inode = m->idiag_inode;
	}
	if (*count < INT_MAX)
		(*count)++;
}

/* Walk the messages in buf[0..len) by offset: each header is copied out only when it fits, its
 * claimed length must fit in what is left, and each payload is checked against the struct it
 * must hold before it is copied out. Nothing is read through a cast pointer. */
enum kernel_parse kernel_parse_dump(const uint8_t *buf, size_t len, uint32_t seq,
                                    struct kernel_sock *out, int max, int *count, int *kerr)
{
	size_t off = 0;

	*kerr = 0;
	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr nh;

		memcpy(&nh, buf + off, sizeof(nh));
		if (nh.nlmsg_len < NLMSG_HDRLEN || nh.nlmsg_len > len - off) {
			*kerr = EPROTO;
			return KERNEL_PARSE_ERROR;
		}
		const uint8_t *data = buf + off + NLMSG_HDRLEN;
		size_t payload = nh.nlmsg_len - NLMSG_HDRLEN;
		/* the next message starts aligned; the last one may end unpadded */
		size_t step = NLMSG_ALIGN(nh.nlmsg_len);
		off = step > len - off ? len : off + step;

		if (nh.nlmsg_seq != seq)
			continue; /* a stale reply to an earlier request on this socket */
		if (nh.nlmsg_type == NLMSG_DONE)
			return KERNEL_PARSE_DONE;
		if (nh.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;

			if (payload < sizeof(e)) {
				*kerr = EPROTO;
				return KERNEL_PARSE_ERROR;
			}
			memcpy(&e, data, sizeof(e));
			*kerr = e.error < 0 && e.error > -4096 ? -e.error : EPROTO;
			return KERNEL_PARSE_ERROR;
		}
		if (nh.nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		if (payload < sizeof(struct inet_diag_msg)) {
			*kerr = EPROTO;
			return KERNEL_PARSE_ERROR;
		}
		struct inet_diag_msg m;

		memcpy(&m, data, sizeof(m));
		if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
			continue;
		store(&m, out, max, count);
	}
	/* bytes left over that do not make a whole header: a truncated or garbled reply */
	if (off != len) {
		*kerr = EPROTO;
		return KERNEL_PARSE_ERROR;
	}
	return KERNEL_PARSE_MORE;
}

/* One dump for one address family. Returns 0 or an errno value. */
static int dump_family(int fd, uint8_t family, uint32_t seq, const uint16_t *ports, int nports,
                       uint8_t *buf, struct kernel_sock *out, int max, int *count)
{
	int e = send_request(fd, family, seq, ports, nports);

	if (e)
		return e;
	for (;;) {
		struct iovec iov = {.iov_base = buf, .iov_len = KERNEL_RECV_BUF};
		struct sockaddr_nl from;
		struct msghdr mh = {.msg_name = &from,
		                    .msg_namelen = sizeof(from),
		                    .msg_iov = &iov,
		                    .msg_iovlen = 1};
		ssize_t n = recvmsg(fd, &mh, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0 || (mh.msg_flags & MSG_TRUNC))
			return EMSGSIZE;
		if (mh.msg_namelen < sizeof(from) || from.nl_pid != 0)
			continue; /* only the kernel (port id 0) may answer */
		int kerr = 0;
		enum kernel_parse r =
		    kernel_parse_dump(buf, (size_t)n, seq, out, max, count, &kerr);

		if (r == KERNEL_PARSE_DONE)
			return 0;
		if (r == KERNEL_PARSE_ERROR)
			return kerr;
	}
}

static int list_tcp(const uint16_t *ports, int nports, struct kernel_sock *out, int max, char *err,
                    size_t errlen)
{
	static const uint8_t families[] = {AF_INET, AF_INET6};
	int count = 0;

	if (max < 0 || (max > 0 && !out)) {
		set_err(err, errlen, "bad arguments", EINVAL);
		return -1;
	}
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		set_err(err, errlen, "socket(AF_NETLINK)", errno);
		return -1;
	}
	/* a receive timeout so a kernel that never answers cannot hang the caller */
	struct timeval tv = {.tv_sec = 2};
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	uint8_t *buf = malloc(KERNEL_RECV_BUF);
	if (!buf) {
		close(fd);
		set_err(err, errlen, "out of memory", ENOMEM);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < sizeof(families); i++) {
		int e = dump_family(fd, families[i], (uint32_t)(i + 1), ports, nports, buf, out,
		                    max, &count);

		/* no IPv6 in this kernel: there are simply no IPv6 sockets */
		if (e == ENOENT && families[i] == AF_INET6)
			continue;
		if (e) {
			set_err(err, errlen, families[i] == AF_INET ? "IPv4 dump" : "IPv6 dump", e);
			rc = -1;
			break;
		}
	}
	free(buf);
	close(fd);
	return rc < 0 ? -1 : count;
}

int kernel_list_tcp(struct kernel_sock *out, int max, char *err, size_t errlen)
{
	return list_tcp(NULL, 0, out, max, err, errlen);
}

int kernel_list_tcp_ports(const uint16_t *ports, int nports, struct kernel_sock *out, int max,
                          char *err, size_t errlen)
{
	if (nports < 1 || nports > KERNEL_PORTS_MAX || !ports) {
		if (err && errlen)
			snprintf(err, errlen, "sock_diag: want 1 to %d ports to filter on",
			         KERNEL_PORTS_MAX);
		return -1;
	}
	for (int i = 0; i < nports; i++) {
		if (ports[i] == 0) {
			if (err && errlen)
				snprintf(err, errlen, "sock_diag: port 0 is not a filter");
			return -1;
		}
	}
	return list_tcp(ports, nports, out, max, err, errlen);
}

int kernel_list_tcp_port(uint16_t port, struct kernel_sock *out, int max, char *err, size_t errlen)
{
	return kernel_list_tcp_ports(&port, 1, out, max, err, errlen);
}

static bool addr_equal(const struct decode_addr *a, const struct decode_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

bool kernel_find(const struct kernel_sock *socks, int n, const struct decode_addr *laddr,
                 uint16_t lport, const struct decode_addr *raddr, uint16_t rport,
                 enum track_state *state)
{
	const struct kernel_sock *hit = NULL;

	if (!socks || !laddr || !raddr)
		return false;
	for (int i = 0; i < n; i++) {
		const struct kernel_sock *k = &socks[i];

		if (k->lport != lport || k->rport != rport || !addr_equal(&k->local, laddr) ||
		    !addr_equal(&k->remote, raddr))
			continue;
		/* a TIME_WAIT leftover and a new connection can share a 4-tuple: the live one wins */
		if (!hit || hit->state == TRACK_TIME_WAIT)
			hit = k;
	}
	if (!hit)
		return false;
	if (state)
		*state = hit->state;
	return true;
}
