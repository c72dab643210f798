/* kernel.h — the kernel's own view of TCP sockets on this host, read through sock_diag
 * netlink (what `ss` reads; no root needed). Used by the UI cross-check view and the tests. */
#ifndef SOCKLAB_KERNEL_H
#define SOCKLAB_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socklab/decode.h"
#include "socklab/track.h"

struct kernel_sock {
	struct decode_addr local, remote;
	uint16_t lport, rport;
	enum track_state state; /* mapped from the kernel's TCP_* states */
	uint32_t inode;
};

/* Fill up to max sockets (IPv4 and IPv6, all states incl. LISTEN and TIME_WAIT). Returns the
 * number found (may exceed max: only max are stored), or -1 with a message in err. */
int kernel_list_tcp(struct kernel_sock *out, int max, char *err, size_t errlen);

/* The most ports one filtered listing (and kernel_filter_ports) handles. */
#define KERNEL_PORTS_MAX 8

/* The same, only sockets whose local or remote port is one of ports[0..nports) (1 to
 * KERNEL_PORTS_MAX, none 0). The kernel applies the filter (an INET_DIAG_REQ_BYTECODE program),
 * so the count covers only those sockets and stays small on a host that holds tens of
 * thousands of others. */
int kernel_list_tcp_ports(const uint16_t *ports, int nports, struct kernel_sock *out, int max,
                          char *err, size_t errlen);
/* kernel_list_tcp_ports with one port. */
int kernel_list_tcp_port(uint16_t port, struct kernel_sock *out, int max, char *err, size_t errlen);

/* The ports a capture filter (BPF syntax as for tcpdump, e.g. "tcp port 9998 and host
 * 127.0.0.1" or "port 80 or port 443") confines the capture to: every packet it admits has one
 * of them as source or destination port. Returns how many were stored in ports (1 to max),
 * or 0 when the filter admits other ports too, or is empty, or is more than this reader
 * understands (then nothing may be filtered out). Never more ports than max. */
int kernel_filter_ports(const char *filter, uint16_t *ports, int max);

/* The kernel's state for the socket whose local end is (addr,port) and remote end (raddr,
 * rport); false if there is none. */
bool kernel_find(const struct kernel_sock *socks, int n, const struct decode_addr *laddr,
                 uint16_t lport, const struct decode_addr *raddr, uint16_t rport,
                 enum track_state *state);

#endif
