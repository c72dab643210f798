/* lab_errno.c — errno names, and what each errno means for the socket call that returned it. */
#include "lab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One explanation. call == NULL is the generic entry for the errno; entries for a specific call
 * come first so they win. */
struct errno_entry {
	int e;
	const char *call;
	const char *explain;
	const char *hint;
};

static const struct errno_entry entries[] = {
    {EADDRINUSE, "bind",
     "another socket already uses this address and port: a server still running, or a "
     "connection from an earlier run still in TIME_WAIT",
     "if a program listens there (ss -ltnp shows it), stop it or pick another --port: "
     "SO_REUSEADDR does not get past a listener; if only connections in TIME_WAIT hold it, "
     "SO_REUSEADDR set before bind() lets you bind, or wait for them to end (60 s on Linux)"},
    {EADDRINUSE, "listen", "another socket is already listening on this port",
     "stop the other server (ss -ltnp shows it) or pick another --port"},
    {EADDRINUSE, NULL, "the address and port are already in use by another socket",
     "pick another --port, or find the other socket with ss -tanp"},
    {EACCES, "bind",
     "ports below 1024 are privileged: only root (or a program with CAP_NET_BIND_SERVICE) may "
     "bind them",
     "use a port of 1024 or more, such as the default 8888 "
     "(/proc/sys/net/ipv4/ip_unprivileged_port_start holds the limit)"},
    {EACCES, NULL, "permission denied (a privileged port, or a firewall/security rule)",
     "try a port of 1024 or more, or check firewall and security settings"},
    {ECONNREFUSED, "connect",
     "nothing is listening on that address and port: its kernel answered our SYN with a RST "
     "(reset), so connect() failed at once",
     "start the server first (e.g. lab04-connect server), and check --host, --port and -4/-6 "
     "match the server's"},
    {ECONNREFUSED, NULL,
     "the peer refused: its kernel answered with a RST because no socket matched",
     "check that the other side is running and listening on that port"},
    {ETIMEDOUT, "connect",
     "no answer to our SYN: the kernel retransmitted it net.ipv4.tcp_syn_retries times and "
     "gave up (a host that is down, or a firewall dropping packets)",
     "check the address; on loopback this means something drops packets (nftables/iptables)"},
    {ETIMEDOUT, NULL,
     "the connection timed out: our segments were retransmitted and never acknowledged",
     "the peer vanished or packets are dropped; the connection is dead, close it"},
    {ECONNRESET, NULL,
     "the peer reset the connection (it sent RST): e.g. it closed with unread data, aborted "
     "with SO_LINGER 0, or its kernel had no socket for our segment any more",
     "the connection is gone: close it; lab06-close shows both ways to cause a RST"},
    {EPIPE, NULL,
     "the connection is closed for writing: we shut down our side (SHUT_WR), or the peer reset "
     "it. SIGPIPE is ignored here; by default it would have killed the program",
     "stop sending after shutdown(SHUT_WR) or after the peer went away; real servers use "
     "MSG_NOSIGNAL or ignore SIGPIPE"},
    {EINVAL, "bind",
     "this socket is already bound (a socket binds once), or the address length or family "
     "does not fit the socket",
     "create a new socket to bind elsewhere; pass sizeof the sockaddr of the socket's family"},
    {EINVAL, "listen",
     "this socket cannot listen in its current state (it is connected, or not a stream socket)",
     "listen() on a fresh, bound socket; a connected socket cannot become a listener"},
    {EINVAL, "accept", "this socket is not listening: accept() works only after listen()",
     "call listen() on the socket before accept()"},
    {EINVAL, "shutdown", "how must be SHUT_RD, SHUT_WR or SHUT_RDWR",
     "pass one of SHUT_RD, SHUT_WR, SHUT_RDWR"},
    {EINVAL, NULL, "an argument is not valid for this socket in its current state",
     "check the arguments and the order of the calls (socket, bind, listen, accept)"},
    {EAFNOSUPPORT, "socket",
     "this address family is not supported here (IPv6 disabled in the kernel?)", "use -4 for IPv4"},
    {EAFNOSUPPORT, NULL,
     "the address's family does not match the socket's (an IPv6 address on an AF_INET socket?)",
     "create the socket with the same family as the address (-4 or -6 for both)"},
    {ENOTCONN, NULL,
     "the socket is not connected: send, recv, getpeername and shutdown need a connection",
     "connect() first (client), or use the socket accept() returned (server), not the "
     "listening one"},
    {EISCONN, NULL, "the socket is already connected",
     "a socket connects once: create a new socket for a new connection"},
    {EINPROGRESS, "connect",
     "the handshake has not finished: the socket is non-blocking, or the SO_SNDTIMEO limit "
     "(--timeout) ran out while waiting for the SYN+ACK",
     "wait with poll() for POLLOUT, then read the outcome with getsockopt(SO_ERROR)"},
    {EINPROGRESS, NULL, "the operation has started and continues in the background",
     "wait for it with poll()"},
    {EALREADY, NULL, "a connect() on this socket is already in progress",
     "wait for the first connect() to finish (poll for POLLOUT)"},
    {EAGAIN, "accept",
     "no connection arrived within the time limit (SO_RCVTIMEO, --timeout), or the socket is "
     "non-blocking and the accept queue is empty",
     "start the client, or raise --timeout (0 waits forever)"},
    {EAGAIN, "recv",
     "nothing arrived within the time limit (SO_RCVTIMEO, --timeout), or the socket is "
     "non-blocking and no data is waiting",
     "check the peer sent something; raise --timeout, or poll() for POLLIN"},
    {EAGAIN, "send",
     "the send buffer stayed full for the whole time limit (the peer does not read), or the "
     "socket is non-blocking",
     "the receiver must read; poll() for POLLOUT before sending more"},
    {EAGAIN, NULL, "try again: the call would have had to wait (time limit or non-blocking)",
     "poll() for readiness, or raise --timeout"},
    {EINTR, NULL,
     "a signal interrupted the call before it completed (Ctrl-C, or the socklab watchdog)",
     "real programs retry the call after EINTR unless they are shutting down"},
    {EBADF, NULL, "the descriptor is not open: it was closed already, or never created",
     "after close() the number means nothing; check which descriptor you pass"},
    {ENOTSOCK, NULL, "the descriptor is open but is not a socket",
     "pass the descriptor socket() or accept() returned"},
    {EMFILE, NULL, "this process has too many open descriptors (its limit, ulimit -n, is reached)",
     "close descriptors you no longer need (a server must close each accepted socket)"},
    {ENFILE, NULL, "the whole system ran out of open files", "close descriptors; check for leaks"},
    {ENETUNREACH, NULL, "no route to that network (no IPv6 route, or a wrong address)",
     "check the address, and ip route / ip -6 route"},
    {EHOSTUNREACH, NULL,
     "the host is unreachable: no route, or a router answered ICMP host-unreachable",
     "check the address and that the host is up"},
    {EADDRNOTAVAIL, "bind", "that address is not one of this machine's addresses",
     "bind to 127.0.0.1, ::1, 0.0.0.0 or :: (ip addr lists this machine's addresses)"},
    {EADDRNOTAVAIL, NULL,
     "the address cannot be used: not local, or no free local (ephemeral) port for this "
     "destination",
     "check the address; wait for TIME_WAIT connections to end if ports ran out"},
    {ECONNABORTED, NULL,
     "a connection waiting in the accept queue was aborted (reset) before accept() took it",
     "just accept() again"},
    {EPROTONOSUPPORT, NULL, "this protocol is not supported for the socket type",
     "use socket(AF_INET or AF_INET6, SOCK_STREAM, 0)"},
    {ESOCKTNOSUPPORT, NULL, "this socket type is not supported in this address family",
     "use SOCK_STREAM for TCP"},
    {EPROTOTYPE, NULL, "the protocol does not fit the socket type", "use protocol 0 for TCP"},
    {EOPNOTSUPP, NULL,
     "the operation is not supported on this socket (e.g. listen() on a UDP socket)",
     "check the socket type: TCP needs SOCK_STREAM"},
    {ENOPROTOOPT, NULL, "the socket option is unknown at that level",
     "check the level (SOL_SOCKET, IPPROTO_TCP) and the option name"},
    {ENOBUFS, NULL, "the kernel has no buffer space left for this", "close sockets; retry later"},
    {ENOMEM, NULL, "the kernel is out of memory", "close sockets; retry later"},
    {EFAULT, NULL, "a pointer argument points outside the program's memory",
     "check the buffers and sockaddr pointers you pass"},
    {EPERM, NULL, "not permitted (missing privileges, or a firewall rule)",
     "run with the needed privileges, or check nftables/iptables rules"},
    {EMSGSIZE, NULL, "the message is too large for this socket", "send less at once"},
    {ENOENT, NULL, "no such file or directory", "check the path"},
};

/* Names for errnos with no explanation entry, so every errno a lab may meet has a name. */
static const struct {
	int e;
	const char *name;
} names[] = {
    {EADDRINUSE, "EADDRINUSE"},
    {EACCES, "EACCES"},
    {ECONNREFUSED, "ECONNREFUSED"},
    {ETIMEDOUT, "ETIMEDOUT"},
    {ECONNRESET, "ECONNRESET"},
    {EPIPE, "EPIPE"},
    {EINVAL, "EINVAL"},
    {EAFNOSUPPORT, "EAFNOSUPPORT"},
    {ENOTCONN, "ENOTCONN"},
    {EISCONN, "EISCONN"},
    {EINPROGRESS, "EINPROGRESS"},
    {EALREADY, "EALREADY"},
    {EAGAIN, "EAGAIN"}, /* == EWOULDBLOCK on Linux */
    {EINTR, "EINTR"},
    {EBADF, "EBADF"},
    {ENOTSOCK, "ENOTSOCK"},
    {EMFILE, "EMFILE"},
    {ENFILE, "ENFILE"},
    {ENETUNREACH, "ENETUNREACH"},
    {EHOSTUNREACH, "EHOSTUNREACH"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
    {ECONNABORTED, "ECONNABORTED"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
    {EPROTOTYPE, "EPROTOTYPE"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
    {ENOPROTOOPT, "ENOPROTOOPT"},
    {ENOBUFS, "ENOBUFS"},
    {ENOMEM, "ENOMEM"},
    {EFAULT, "EFAULT"},
    {EPERM, "EPERM"},
    {EMSGSIZE, "EMSGSIZE"},
    {ENOENT, "ENOENT"},
    {ENETDOWN, "ENETDOWN"},
    {ENETRESET, "ENETRESET"},
    {EHOSTDOWN, "EHOSTDOWN"},
    {ESHUTDOWN, "ESHUTDOWN"},
    {EDESTADDRREQ, "EDESTADDRREQ"},
    {EEXIST, "EEXIST"},
    {ENOSPC, "ENOSPC"},
    {EIO, "EIO"},
};

const char *lab_errno_name(int e)
{
	static _Thread_local char buf[24];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof buf, "errno %d", e);
	return buf;
}

static const struct errno_entry *lookup(int e, const char *call)
{
	const struct errno_entry *generic = NULL;
	for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		if (entries[i].e != e)
			continue;
		if (!entries[i].call) {
			if (!generic)
				generic = &entries[i];
		} else if (call && strcmp(entries[i].call, call) == 0) {
			return &entries[i];
		}
	}
	return generic;
}

/* sendto/sendmsg/write behave like send, recvfrom/read like recv, accept4 like accept. */
static const char *canonical_call(const char *call)
{
	static const char *const alias[][2] = {
	    {"sendto", "send"},  {"sendmsg", "send"}, {"write", "send"},     {"recvfrom", "recv"},
	    {"recvmsg", "recv"}, {"read", "recv"},    {"accept4", "accept"},
	};
	if (!call)
		return NULL;
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(call, alias[i][0]) == 0)
			return alias[i][1];
	return call;
}

const char *lab_errno_explain(int e, const char *call)
{
	const struct errno_entry *en = lookup(e, canonical_call(call));
	return en ? en->explain : strerror(e);
}

const char *lab_errno_hint(int e, const char *call)
{
	const struct errno_entry *en = lookup(e, canonical_call(call));
	return en ? en->hint : "see the man page of the call (section ERRORS)";
}
