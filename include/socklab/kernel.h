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

/* The same, only sockets whose local or remote port is port (filtered in the kernel, so it
 * stays fast when the host holds many sockets, e.g. tens of thousands in TIME_WAIT). */
int kernel_list_tcp_port(uint16_t port, struct kernel_sock *out, int max, char *err, size_t errlen);

/* The kernel's state for the socket whose local end is (addr,port) and remote end (raddr,
 * rport); false if there is none. */
bool kernel_find(const struct kernel_sock *socks, int n, const struct decode_addr *laddr,
                 uint16_t lport, const struct decode_addr *raddr, uint16_t rport,
                 enum track_state *state);

#endif
