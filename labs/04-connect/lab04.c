/* lab04.c — lab04-connect: the three-way handshake seen from connect() and accept(). */
#include "lab.h"

#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *hold_arg;

/* Linux TCP_* state numbers (include/net/tcp_states.h), as lab_tcp_state() returns them;
 * <linux/tcp.h>, needed for tcpi_segs_in/out, does not name them. */
enum { K_ESTABLISHED = 1, K_CLOSE_WAIT = 8 };

static const char *const roles[] = {"server", "client", NULL};

static const struct lab_flag flags[] = {
    {"hold", "S", "client: stay connected S seconds before closing (default 1)", NULL, &hold_arg},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab04-connect",
    .summary = "connect() and accept(): the three-way handshake",
    .teaches =
        "The client's connect() sends a SYN (client: SYN_SENT); the listening server's kernel\n"
        "answers SYN+ACK (server side: SYN_RECEIVED); the SYN+ACK makes the client ESTABLISHED\n"
        "and it ACKs; that ACK makes the server side ESTABLISHED. connect() returns once the\n"
        "client is ESTABLISHED, whether or not the server has called accept(). accept()\n"
        "returns a NEW socket for the connection plus the client's address; the listening\n"
        "socket stays in LISTEN. With no listener, the kernel answers the SYN with RST and\n"
        "connect() fails with ECONNREFUSED.\n"
        "Run the server in one terminal, the client in another, and tcpscope -p with the same\n"
        "port (8888 unless --port) in a third.",
    .roles = roles,
    .flags = flags,
    .examples = "  lab04-connect server          (terminal 2)\n"
                "  lab04-connect client          (terminal 3)\n"
                "  lab04-connect server -6       (then: lab04-connect client -6)\n"
                "  lab04-connect client --port 8889    (nothing listens there: ECONNREFUSED)",
};

/* The command that starts the other role with this run's address options. */
static const char *other_role(const struct lab_opts *o, const char *role)
{
	static char cmd[256];
	bool v6 = o->family == AF_INET6;
	bool default_host = strcmp(o->host, v6 ? "::1" : "127.0.0.1") == 0;
	int n = snprintf(cmd, sizeof cmd, "lab04-connect %s%s", role, v6 ? " -6" : "");
	if (!default_host && n > 0 && (size_t)n < sizeof cmd)
		n += snprintf(cmd + n, sizeof cmd - (size_t)n, " --host %s", o->host);
	if (o->port != LAB_DEFAULT_PORT && n > 0 && (size_t)n < sizeof cmd)
		snprintf(cmd + n, sizeof cmd - (size_t)n, " --port %d", o->port);
	return cmd;
}

/* Segments this socket has sent and received, from TCP_INFO (false if unavailable). */
static bool segment_counts(int fd, unsigned *out, unsigned *in)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_segs_in) + sizeof ti.tcpi_segs_in)
		return false;
	*out = ti.tcpi_segs_out;
	*in = ti.tcpi_segs_in;
	return true;
}

static int server(const struct lab_opts *o, const struct sockaddr *sa, socklen_t salen)
{
	char a[LAB_ADDRSTRLEN];
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int lfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(lfd, lfd);
	if (lfd < 0)
		return 1;
	lab_guard(lfd);
	int one = 1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", lfd);
	if (lab_after(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), lfd) != 0) {
		lab_close(lfd);
		return 1;
	}
	lab_before("bind(%d, %s)", lfd, lab_addr_str(sa, salen, a, sizeof a));
	if (lab_after(bind(lfd, sa, salen), lfd) != 0 || lab_stopping()) {
		int e = errno, st = 0;
		if (e == EADDRINUSE && lab_proc_find(sa, NULL, &st))
			lab_say(
			    "/proc/net/tcp{,6}: %s is held by a socket in %s: another server runs "
			    "there (stop it, or pick another --port)",
			    a, lab_state_name(st));
		lab_close(lfd);
		return 1;
	}
	lab_before("listen(%d, 5)", lfd);
	if (lab_after(listen(lfd, 5), lfd) != 0) {
		lab_close(lfd);
		return 1;
	}
	lab_say("the next call, accept(), waits for a connection: start the client now (%s)",
	        other_role(o, "client"));

	/* accept() hands back a new socket for the connection and fills in the client's address. */
	struct sockaddr_storage peer;
	socklen_t len = sizeof peer;
	lab_before("accept(%d, &peer, &len)", lfd);
	int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
	lab_after(cfd, cfd);
	if (cfd < 0) {
		lab_close(lfd);
		return 1;
	}
	lab_guard(cfd);
	lab_say("accept() filled in the client's address: %s  (its port is the client's ephemeral "
	        "port)",
	        lab_addr_str((struct sockaddr *)&peer, len, a, sizeof a));
	lab_say("two sockets now: fd %d and fd %d", lfd, cfd);
	lab_show_state(lfd);
	lab_show_state(cfd);
	unsigned out = 0, in = 0;
	int st = lab_tcp_state(cfd);
	if (st == K_ESTABLISHED && segment_counts(cfd, &out, &in))
		lab_say("just after accept() returned, the new socket is ESTABLISHED and TCP_INFO "
		        "counts %u segment(s) received on it: the kernel finished the handshake; "
		        "accept() sends nothing, it takes a finished connection from the queue",
		        in);
	else if (st == K_CLOSE_WAIT)
		lab_say(
		    "the new socket is already CLOSE_WAIT: the client connected and closed before "
		    "accept() returned");
	lab_say("if tcpscope watches port %d, it shows the handshake: SYN, SYN+ACK, ACK, and this "
	        "side going LISTEN -> SYN_RECEIVED -> ESTABLISHED",
	        o->port);

	/* Let the client close first, so the TIME_WAIT is on its side, not on the server's port. */
	char c;
	lab_say("now recv() waits: it returns 0 when the client closes (end of stream)");
	lab_before("recv(%d, &c, 1, 0)", cfd);
	ssize_t r = recv(cfd, &c, 1, 0);
	lab_after(r, cfd);
	if (r == 0 && lab_tcp_state(cfd) == K_CLOSE_WAIT)
		lab_say(
		    "recv() = 0 and CLOSE_WAIT: the client's FIN arrived, it closed first. If a "
		    "TIME_WAIT follows, it is on the client's side");
	int failed = r < 0;
	failed |= lab_close(cfd) != 0;
	failed |= lab_close(lfd) != 0;
	return failed;
}

static int client(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len, long hold)
{
	char a[LAB_ADDRSTRLEN];
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return 1;
	lab_guard(fd);
	lab_say("no bind(): connect() picks an ephemeral local port for us");

	/* connect() sends the SYN and returns once the SYN+ACK came back and we ACKed it. */
	lab_before("connect(%d, %s)", fd, lab_addr_str(sa, len, a, sizeof a));
	int r = connect(fd, sa, len);
	lab_after(r, fd);
	if (r != 0) {
		if (errno == ECONNREFUSED)
			lab_say(
			    "if tcpscope watches port %d (tcpscope -p %d), it shows two segments: "
			    "our SYN, and the RST that refused it. Start the server first: %s",
			    o->port, o->port, other_role(o, "server"));
		lab_close(fd);
		return 1;
	}
	unsigned out = 0, in = 0;
	if (segment_counts(fd, &out, &in))
		lab_say(
		    "CLOSED before connect(), ESTABLISHED after it; TCP_INFO counts %u segment(s) "
		    "sent and %u received on this socket%s",
		    out, in,
		    out == 2 && in == 1 ? ": our SYN and ACK, their SYN+ACK (in between, the "
		                          "socket was SYN_SENT)"
		                        : "");
	struct sockaddr_storage me;
	socklen_t mlen = sizeof me;
	lab_before("getsockname(%d, &me, &mlen)", fd);
	if (lab_after(getsockname(fd, (struct sockaddr *)&me, &mlen), fd) == 0)
		lab_say("our ephemeral port: %s",
		        lab_addr_str((struct sockaddr *)&me, mlen, a, sizeof a));
	if (hold > 0)
		lab_say("keeping the connection open %ld s (--hold), then close()", hold);
	for (long i = 0; i < hold * 10 && !lab_stopping(); i++)
		usleep(100000);
	return lab_close(fd) != 0;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	long hold = 1;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK && hold_arg && !lab_parse_long(hold_arg, 0, 3600, &hold)) {
		snprintf(err, sizeof err, "--hold wants seconds 0-3600, not '%s'", hold_arg);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK &&
	    lab_make_addr(o.family, o.host, o.port, &ss, &len, err, sizeof err) != 0)
		pr = LAB_PARSE_ERROR;
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);
	int failed = strcmp(o.role, "server") == 0 ? server(&o, (struct sockaddr *)&ss, len)
	                                           : client(&o, (struct sockaddr *)&ss, len, hold);
	return lab_exit_code(failed);
}
