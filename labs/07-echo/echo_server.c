/* echo_server.c — lab07's server: accept a client, echo its bytes until it closes, repeat. */
#include "echo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int open_listener(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[128], a[LAB_ADDRSTRLEN];
	int one = 1;
	if (lab_make_addr(o->family, o->host, o->port, &ss, &sslen, err, sizeof err) != 0) {
		lab_warn("%s", err);
		return -1;
	}
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
	lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	lab_say("SO_REUSEADDR: if connections of an earlier run still sit in TIME_WAIT on this "
	        "port, a restarted server may bind anyway");
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, sslen, a, sizeof a));
	if (lab_after(bind(fd, (struct sockaddr *)&ss, sslen), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	lab_before("listen(%d, 8)", fd);
	if (lab_after(listen(fd, 8), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	return fd;
}

/* Echo everything the client sends until it closes. False on a failure. */
static bool echo_session(int c)
{
	char buf[1024], shown[300];
	for (;;) {
		lab_before("recv(%d, buf, %zu, 0)", c, sizeof buf);
		ssize_t n = recv(c, buf, sizeof buf, 0);
		lab_after(n, c);
		if (n == 0) {
			lab_say(
			    "recv() returned 0: the client closed its side, the session is over");
			return true;
		}
		if (n < 0)
			return false;
		lab_say("got %zd bytes: \"%s\"; sending them back unchanged", n,
		        lab_escape(buf, (size_t)n, shown, sizeof shown));
		if (echo_send_all(c, buf, (size_t)n, NULL) < 0)
			return false;
	}
}

bool echo_server(const struct lab_opts *o, long count)
{
	int lfd = open_listener(o);
	if (lfd < 0)
		return false;
	lab_guard(lfd);
	lab_say("waiting for clients: start  lab07-echo client  in another terminal");
	long served = 0;
	bool ok = true;
	while (!lab_stopping() && (count == 0 || served < count)) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof peer;
		char a[LAB_ADDRSTRLEN];
		lab_before("accept(%d, &peer, &len)", lfd);
		int c = accept(lfd, (struct sockaddr *)&peer, &plen);
		lab_after(c, c);
		if (c < 0) {
			if (errno == EAGAIN && !lab_stopping()) {
				lab_say("no client yet; accept() again (Ctrl-C stops the server)");
				continue;
			}
			ok = lab_stopping();
			break;
		}
		served++;
		lab_say(
		    "client #%ld is %s; if more clients connect while we serve it, they wait in "
		    "the accept queue",
		    served, lab_addr_str((struct sockaddr *)&peer, plen, a, sizeof a));
		lab_guard(c);
		if (!echo_session(c) && !lab_stopping())
			lab_say("this client's session ended with an error; the server goes on");
		lab_close(c);
		lab_say("client #%ld done%s", served,
		        !lab_stopping() && (count == 0 || served < count)
		            ? "; back to accept() for the next one"
		            : "");
	}
	lab_close(lfd);
	lab_say("served %ld client%s", served, served == 1 ? "" : "s");
	return ok;
}
