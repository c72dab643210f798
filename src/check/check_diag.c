/* check_diag.c — the kernel's view (sock_diag): who listens on the port, a connection's state. */
#include "check.h"

#include "socklab/kernel.h"

#include <stdlib.h>
#include <string.h>

#define DIAG_MAX 4096 /* sockets read per look-up; the port filter keeps it small */

static struct kernel_sock socks[DIAG_MAX];

bool check_diag_listener(unsigned port, pid_t pid, struct decode_addr *addr)
{
	char err[160];
	int n = kernel_list_tcp_port((uint16_t)port, socks, DIAG_MAX, err, sizeof err);

	if (n > DIAG_MAX)
		n = DIAG_MAX;
	for (int i = 0; i < n; i++) {
		if (socks[i].state != TRACK_LISTEN || socks[i].lport != port)
			continue;
		if (pid > 0 && !check_proc_has_inode(pid, socks[i].inode))
			continue;
		if (addr)
			*addr = socks[i].local;
		return true;
	}
	return false;
}

unsigned check_diag_other_listener(pid_t pid, unsigned skip_port)
{
	char err[160];
	int n = kernel_list_tcp(socks, DIAG_MAX, err, sizeof err);

	if (n > DIAG_MAX)
		n = DIAG_MAX;
	for (int i = 0; i < n; i++)
		if (socks[i].state == TRACK_LISTEN && socks[i].lport != skip_port &&
		    check_proc_has_inode(pid, socks[i].inode))
			return socks[i].lport;
	return 0;
}

bool check_diag_state(unsigned lport, unsigned rport, enum track_state *st)
{
	char err[160];
	int n = kernel_list_tcp_port((uint16_t)lport, socks, DIAG_MAX, err, sizeof err);

	if (n > DIAG_MAX)
		n = DIAG_MAX;
	for (int i = 0; i < n; i++) {
		if (socks[i].lport == lport && socks[i].rport == rport) {
			*st = socks[i].state;
			return true;
		}
	}
	return false;
}

const char *check_diag_state_text(bool found, enum track_state st)
{
	return found ? track_state_name(st, TRACK_NAMES_RFC) : "no socket";
}
