/* lab04.c — lab04-connect: the three-way handshake seen from connect() and accept(). */
#include "lab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *hold_arg;

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
        "answers SYN+ACK (server side: SYN_RECEIVED); the client's ACK makes both ESTABLISHED.\n"
        "connect() returns when that is done, even before the server calls accept(). accept()\n"
        "returns a NEW socket for the connection plus the client's address; the listening\n"
        "socket stays in LISTEN. With no listener, the kernel answers the SYN with RST and\n"
        "connect() fails with ECONNREFUSED.\n"
        "Run the server in one terminal, the client in another, and tcpscope -p 8888 in a third.",
    .roles = roles,
    .flags = flags,
    .examples = "  lab04-connect server          (terminal 1)\n"
                "  lab04-connect client          (terminal 2)\n"
                "  lab04-connect client --port 8889    (nothing listens there: ECONNREFUSED)",
};

static void close_fd(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	lab_after_gone(close(fd), &t);
}

static int server(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len)
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
	lab_after(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), lfd);
	lab_before("bind(%d, %s)", lfd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(bind(lfd, sa, len), lfd) != 0 || lab_stopping()) {
		close(lfd);
		return 1;
	}
	lab_before("listen(%d, 5)", lfd);
	if (lab_after(listen(lfd, 5), lfd) != 0) {
		close(lfd);
		return 1;
	}
	if (o->port == LAB_DEFAULT_PORT)
		lab_say("waiting in accept(): start the client now (lab04-connect client)");
	else
		lab_say(
		    "waiting in accept(): start the client now (lab04-connect client --port %d)",
		    o->port);

	/* accept() hands back a new socket for the connection and fills in the client's address. */
	struct sockaddr_storage peer;
	socklen_t plen = sizeof peer;
	lab_before("accept(%d, &peer, &len)", lfd);
	int cfd = accept(lfd, (struct sockaddr *)&peer, &plen);
	lab_after(cfd, cfd);
	if (cfd < 0) {
		close_fd(lfd);
		return 1;
	}
	lab_guard(cfd);
	lab_say("accept() filled in the client's address: %s  (its port is the client's ephemeral "
	        "port)",
	        lab_addr_str((struct sockaddr *)&peer, plen, a, sizeof a));
	lab_say("two sockets now: fd %d still listens, fd %d is the connection", lfd, cfd);
	lab_show_state(lfd);
	lab_show_state(cfd);
	lab_say(
	    "the server side went LISTEN -> SYN_RECEIVED (sent SYN+ACK) -> ESTABLISHED (got the "
	    "ACK) inside the kernel, before accept() ran; tcpscope shows each segment");

	/* Let the client close first, so the TIME_WAIT is on its side, not on port 8888. */
	char c;
	lab_say("waiting for the client to close (recv returns 0 at end of stream)");
	lab_before("recv(%d, buf, 1, 0)", cfd);
	lab_after(recv(cfd, &c, 1, 0), cfd);
	close_fd(cfd);
	close_fd(lfd);
	return 0;
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
			lab_say("tcpscope shows the two segments: our SYN, and the RST that "
			        "refused it");
		close_fd(fd);
		return 1;
	}
	lab_say("the socket went CLOSED -> SYN_SENT (our SYN) -> ESTABLISHED (their SYN+ACK, our "
	        "ACK) during connect()");
	lab_before("getsockname(%d)", fd);
	struct sockaddr_storage me;
	socklen_t mlen = sizeof me;
	if (lab_after(getsockname(fd, (struct sockaddr *)&me, &mlen), fd) == 0)
		lab_say("our ephemeral port: %s",
		        lab_addr_str((struct sockaddr *)&me, mlen, a, sizeof a));
	for (long i = 0; i < hold * 10 && !lab_stopping(); i++)
		usleep(100000);
	close_fd(fd);
	return 0;
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
