/* states_close.c — lab09's closing stories: time-wait, close-wait and half-close. */
#include "states.h"

#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* recv() once and narrate what came: data, end of stream (0) or an error. */
static long recv_once(int fd, char *buf, size_t len)
{
	lab_before("recv(%d, buf, %zu, 0)", fd, len - 1);
	ssize_t n = recv(fd, buf, len - 1, 0);
	lab_after(n, fd);
	if (n > 0) {
		char shown[256];
		buf[n] = '\0';
		lab_say("got %zd bytes: \"%s\"", n,
		        lab_escape(buf, (size_t)n, shown, sizeof shown));
	} else if (n == 0) {
		lab_say("recv() returned 0: the peer's FIN arrived, no more data will come");
	}
	return n;
}

static bool send_text(int fd, const char *text)
{
	lab_before("send(%d, \"%s\", %zu, 0)", fd, text, strlen(text));
	return lab_after(send(fd, text, strlen(text), 0), fd) == (long)strlen(text);
}

bool states_time_wait(const struct lab_opts *o)
{
	int lfd, cfd, sfd;
	char buf[64];
	bool ok = true;
	lab_title("time-wait: whoever closes first waits 2 MSL in TIME_WAIT");
	lab_say("a server closes a connection first (it ended the session); then it is restarted");
	int old = states_time_waits(o->port);
	if (old > 0)
		lab_say(
		    "before we start, /proc/net/tcp lists %d connection%s in %s on port %d, left "
		    "by earlier runs. A bind() without SO_REUSEADDR fails (EADDRINUSE) while they "
		    "last (up to 60 s); with it, only one left by a socket without SO_REUSEADDR "
		    "blocks it (such as a --no-reuse run).",
		    old, old == 1 ? "" : "s", lab_state_name(TCP_TIME_WAIT), o->port);
	if (states_opt.no_reuse) {
		states_as("server");
		lab_say("--no-reuse: this first server does not set SO_REUSEADDR");
		lfd = states_listen(o, o->port, 4, false);
		if (lfd < 0 && old > 0)
			lab_say("that is the EADDRINUSE announced above: wait until  ss -tan state "
			        "time-wait '( sport = :%d )'  is empty, or use another --port",
			        o->port);
		states_as("client");
		cfd = lfd < 0 ? -1 : states_connect(o, o->port);
		states_as("server");
		sfd = cfd < 0 ? -1 : states_accept(lfd);
		if (sfd < 0) {
			if (cfd >= 0)
				states_close(cfd);
			if (lfd >= 0)
				states_close(lfd);
			return false;
		}
	} else if (!states_pair(o, o->port, &lfd, &cfd, &sfd)) {
		if (old > 0)
			lab_say("(with SO_REUSEADDR set, a bind() that fails here was blocked by a "
			        "%s left by a socket without it, see above)",
			        lab_state_name(TCP_TIME_WAIT));
		return false;
	}

	lab_title("the server closes first: the active close");
	states_as("server");
	struct lab_tuple server_end;
	lab_tuple_of(sfd, &server_end);
	states_close(sfd);
	states_as("client");
	recv_once(cfd, buf, sizeof buf);
	ok &= states_expect("the client", states_settle(cfd, TCP_CLOSE_WAIT, 500), TCP_CLOSE_WAIT);
	lab_show_state(cfd);
	lab_say("the client closes too: its FIN goes out, for the server's kernel to ACK");
	struct lab_tuple client_end;
	lab_tuple_of(cfd, &client_end);
	states_close(cfd);
	states_as("server");
	bool tw =
	    states_expect("the server's end", states_settle_tuple(&server_end, TCP_TIME_WAIT, 1000),
	                  TCP_TIME_WAIT);
	ok &= tw;
	states_kernel("server", &server_end);
	states_as("client");
	int cst = states_settle_tuple(&client_end, TCP_CLOSE, 1000);
	states_kernel("client", &client_end);
	states_ss((struct lab_tuple[]){server_end, client_end}, 2);
	if (tw)
		lab_say("the server's end sits in %s: it closed first.",
		        lab_state_name(TCP_TIME_WAIT));
	if (cst == TCP_CLOSE)
		lab_say("the client, the passive closer, went through %s (seen above) and left "
		        "nothing behind once its FIN was ACKed",
		        lab_state_name(TCP_CLOSE_WAIT));
	lab_say("2 MSL: RFC 9293 suggests MSL = 2 minutes; Linux waits a fixed 60 s "
	        "(TCP_TIMEWAIT_LEN). It keeps the 4-tuple so late duplicates die and a lost last "
	        "ACK can be sent again.");

	lab_title("the server restarts on the same port");
	states_as("server");
	states_close(lfd);
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int nfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(nfd, nfd);
	if (nfd < 0)
		return false;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], a[LAB_ADDRSTRLEN];
	if (lab_make_addr(o->family, o->host, o->port, &ss, &len, err, sizeof err) != 0) {
		states_close(nfd);
		return false;
	}
	lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a);
	lab_say("first without SO_REUSEADDR:");
	lab_before("bind(%d, %s)", nfd, a);
	int r = (int)lab_after(bind(nfd, (struct sockaddr *)&ss, len), nfd);
	if (r == 0) {
		lab_warn("bind succeeded: the TIME_WAIT did not block it (it ended already?)");
		ok = false;
	} else {
		int st = 0, lst = 0;
		bool held = lab_tuple_find(&server_end, &st) && st == TCP_TIME_WAIT;
		bool listener =
		    lab_proc_find((struct sockaddr *)&ss, NULL, &lst) && lst == TCP_LISTEN;
		if (held && !listener)
			lab_say("EADDRINUSE although nothing listens on port %d any more "
			        "(/proc/net/tcp): "
			        "the connection in %s still holds it",
			        o->port, lab_state_name(st));
	}
	int one = 1;
	lab_say("now with SO_REUSEADDR, as every server should do before bind():");
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", nfd);
	lab_after(setsockopt(nfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), nfd);
	lab_before("bind(%d, %s)", nfd, a);
	r = r == 0 ? 0 : (int)lab_after(bind(nfd, (struct sockaddr *)&ss, len), nfd);
	if (r == 0) {
		lab_before("listen(%d, 4)", nfd);
		r = (int)lab_after(listen(nfd, 4), nfd);
	}
	if (states_opt.no_reuse) {
		if (r == 0) {
			lab_warn("bind succeeded although the first server had no SO_REUSEADDR");
			ok = false;
		} else {
			lab_say(
			    "still EADDRINUSE: the connection in %s was left by a socket without "
			    "SO_REUSEADDR, and Linux lets a new bind() share the port only when "
			    "both "
			    "set it. Set it from the first run on.",
			    lab_state_name(TCP_TIME_WAIT));
		}
	} else if (r != 0) {
		ok = false;
	} else {
		lab_say("the restarted server listens; the old connection, from /proc/net/tcp:");
		if (states_kernel("old server end", &server_end) == TCP_TIME_WAIT)
			lab_say("so a listener and a %s share the port: SO_REUSEADDR allowed it",
			        lab_state_name(TCP_TIME_WAIT));
	}
	states_close(nfd);
	return ok;
}

bool states_close_wait(const struct lab_opts *o)
{
	int lfd, cfd, sfd;
	char buf[64];
	bool ok = true;
	lab_title("close-wait: a server that forgets to close()");
	if (!states_pair(o, o->port, &lfd, &cfd, &sfd))
		return false;
	states_as("client");
	send_text(cfd, "last request");
	struct lab_tuple client_end, server_end;
	lab_tuple_of(cfd, &client_end);
	lab_tuple_of(sfd, &server_end);
	lab_say("the client is done and closes");
	states_close(cfd);
	states_as("server");
	recv_once(sfd, buf, sizeof buf);
	recv_once(sfd, buf, sizeof buf);
	lab_say("... and the buggy server never calls close(sfd)");
	bool cw =
	    states_expect("the server", states_settle(sfd, TCP_CLOSE_WAIT, 500), TCP_CLOSE_WAIT);
	ok &= cw;
	lab_show_state(sfd);
	states_as("client");
	bool fw2 =
	    states_expect("the client's end", states_settle_tuple(&client_end, TCP_FIN_WAIT2, 1000),
	                  TCP_FIN_WAIT2);
	ok &= fw2;
	states_kernel("client", &client_end);
	states_as("server");
	states_kernel("server", &server_end);
	states_ss((struct lab_tuple[]){server_end, client_end}, 2);
	if (fw2)
		lab_say(
		    "the client's end is in %s, so the server's kernel ACKed its FIN: that is all "
		    "a kernel does by itself",
		    lab_state_name(TCP_FIN_WAIT2));
	lab_say("%s means: the peer has closed, and we have not. It lasts until the program "
	        "closes the descriptor, for ever if it never does.",
	        lab_state_name(TCP_CLOSE_WAIT));
	long ft = states_sysctl("tcp_fin_timeout");
	lab_say("the client's end waits in %s for the server's FIN; with its descriptor gone, "
	        "Linux gives up after net.ipv4.tcp_fin_timeout (%ld s here).",
	        lab_state_name(TCP_FIN_WAIT2), ft);
	lab_say("In production: ss -tan state close-wait piling up = a server with a missing "
	        "close(), leaking a descriptor per connection.");

	lab_title("the fix: the server closes");
	states_close(sfd);
	bool ctw =
	    states_expect("the client's end", states_settle_tuple(&client_end, TCP_TIME_WAIT, 1000),
	                  TCP_TIME_WAIT);
	ok &= ctw;
	int sst = states_kernel("server", &server_end);
	states_as("client");
	states_kernel("client", &client_end);
	if (ctw && sst == TCP_CLOSE)
		lab_say(
		    "the server's end is gone: its FIN was ACKed; the client's went from %s to %s",
		    lab_state_name(TCP_FIN_WAIT2), lab_state_name(TCP_TIME_WAIT));
	states_as("server");
	states_close(lfd);
	return ok;
}

bool states_half_close(const struct lab_opts *o)
{
	int lfd, cfd, sfd;
	char buf[64];
	bool ok = true;
	lab_title("half-close: shutdown(SHUT_WR) ends one direction only");
	if (!states_pair(o, o->port, &lfd, &cfd, &sfd))
		return false;
	states_as("client");
	send_text(cfd, "question");
	lab_say("the client has nothing more to send, but wants the answer: shutdown(SHUT_WR)");
	lab_before("shutdown(%d, SHUT_WR)", cfd);
	lab_after(shutdown(cfd, SHUT_WR), cfd);
	ok &= states_expect("the client", states_settle(cfd, TCP_FIN_WAIT2, 1000), TCP_FIN_WAIT2);
	lab_show_state(cfd);
	states_as("server");
	recv_once(sfd, buf, sizeof buf);
	recv_once(sfd, buf, sizeof buf);
	ok &= states_expect("the server", lab_tcp_state(sfd), TCP_CLOSE_WAIT);
	lab_say("end of the request; the server can still send: its direction is open");
	ok &= send_text(sfd, "answer");
	states_as("client");
	bool got = recv_once(cfd, buf, sizeof buf) == 6;
	ok &= got;
	if (got && lab_tcp_state(cfd) == TCP_FIN_WAIT2)
		lab_say("the client in %s still receives: only its sending side is closed",
		        lab_state_name(TCP_FIN_WAIT2));
	states_as("server");
	struct lab_tuple server_end, client_end;
	lab_tuple_of(sfd, &server_end);
	lab_tuple_of(cfd, &client_end);
	states_close(sfd);
	states_as("client");
	ok &= recv_once(cfd, buf, sizeof buf) == 0;
	int st = states_settle_tuple(&client_end, TCP_TIME_WAIT, 1000);
	ok &= states_expect("the client's connection", st, TCP_TIME_WAIT);
	lab_show_state(cfd);
	int full = lab_tcp_state(cfd);
	states_kernel("client", &client_end);
	if (full == TCP_CLOSE && st == TCP_TIME_WAIT)
		lab_say("TCP_INFO on the client's descriptor says %s while /proc/net/tcp lists %s: "
		        "Linux hands a connection in TIME_WAIT to a small timewait socket and the "
		        "full socket is done",
		        lab_state_name(full), lab_state_name(st));
	states_as("server");
	states_kernel("server", &server_end);
	states_ss((struct lab_tuple[]){server_end, client_end}, 2);
	states_as("client");
	states_close(cfd);
	states_as("server");
	states_close(lfd);
	return ok;
}
