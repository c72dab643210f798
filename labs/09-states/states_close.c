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
		buf[n] = '\0';
		lab_say("got %zd bytes: \"%s\"", n, buf);
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
	if (states_opt.no_reuse) {
		states_as("server");
		lfd = states_listen(o, o->port, 4, false);
		lab_say("--no-reuse: this first server does not set SO_REUSEADDR");
		states_as("client");
		cfd = lfd < 0 ? -1 : states_connect(o, o->port);
		states_as("server");
		sfd = cfd < 0 ? -1 : states_accept(lfd);
		if (sfd < 0) {
			if (cfd >= 0)
				close(cfd);
			if (lfd >= 0)
				close(lfd);
			return false;
		}
	} else if (!states_pair(o, o->port, &lfd, &cfd, &sfd)) {
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
	lab_say("the client closes too: its FIN goes, the server's kernel ACKs it");
	struct lab_tuple client_end;
	lab_tuple_of(cfd, &client_end);
	states_close(cfd);
	states_as("server");
	ok &= states_expect("the server's end",
	                    states_settle_tuple(&server_end, TCP_TIME_WAIT, 1000), TCP_TIME_WAIT);
	states_kernel("server", &server_end);
	states_as("client");
	states_kernel("client", &client_end);
	states_ss(o->port, 0);
	lab_say(
	    "the server's end sits in TIME_WAIT: it closed first. The client, the passive closer, "
	    "went CLOSE_WAIT -> LAST_ACK -> CLOSED and left nothing behind.");
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
		close(nfd);
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
		lab_say("EADDRINUSE although no program uses port %d any more: the TIME_WAIT "
		        "connection still holds it",
		        o->port);
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
			lab_say("still EADDRINUSE: the TIME_WAIT remembers that its server had no "
			        "SO_REUSEADDR, so Linux keeps the port for the full 60 s. Set it "
			        "from the "
			        "first run on.");
		}
	} else if (r != 0) {
		ok = false;
	} else {
		lab_say(
		    "the restarted server listens while the old connection is still in TIME_WAIT:");
		states_kernel("old server end", &server_end);
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
	lab_say("... and the buggy server never calls close(sfd). Its kernel ACKed the FIN, that "
	        "is all.");
	ok &= states_expect("the server", states_settle(sfd, TCP_CLOSE_WAIT, 500), TCP_CLOSE_WAIT);
	lab_show_state(sfd);
	states_as("client");
	ok &= states_expect("the client's end",
	                    states_settle_tuple(&client_end, TCP_FIN_WAIT2, 1000), TCP_FIN_WAIT2);
	states_kernel("client", &client_end);
	states_as("server");
	states_kernel("server", &server_end);
	states_ss(o->port, 0);
	lab_say("CLOSE_WAIT means: the peer has closed, and we have not. It lasts until the "
	        "program closes the descriptor, for ever if it never does.");
	lab_say("The client's end waits in FIN_WAIT_2 for the server's FIN; with its descriptor "
	        "gone, Linux gives up after net.ipv4.tcp_fin_timeout (60 s).");
	lab_say("In production: ss -tan state close-wait piling up = a server with a missing "
	        "close(), leaking a descriptor per connection.");

	lab_title("the fix: the server closes");
	states_close(sfd);
	ok &= states_expect("the client's end",
	                    states_settle_tuple(&client_end, TCP_TIME_WAIT, 1000), TCP_TIME_WAIT);
	states_kernel("server", &server_end);
	states_as("client");
	states_kernel("client", &client_end);
	lab_say("the server went CLOSE_WAIT -> LAST_ACK -> CLOSED; the client FIN_WAIT_2 -> "
	        "TIME_WAIT");
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
	ok &= recv_once(cfd, buf, sizeof buf) == 6;
	lab_say("the client in FIN_WAIT_2 still receives: only its sending side is closed");
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
	states_kernel("client", &client_end);
	lab_say("TCP_INFO on the client's descriptor says CLOSED while /proc/net/tcp lists "
	        "TIME_WAIT: Linux hands a connection in TIME_WAIT to a small timewait socket and "
	        "the full socket is done");
	states_as("server");
	states_kernel("server", &server_end);
	states_ss(o->port, 0);
	states_as("client");
	states_close(cfd);
	states_as("server");
	states_close(lfd);
	return ok;
}
