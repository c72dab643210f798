/* lab03.c — lab03-listen: listen() turns a bound socket into a LISTEN socket with a queue. */
#include "lab.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 16

static bool no_accept;
static const char *backlog_arg, *clients_arg, *hold_arg;

static const struct lab_flag flags[] = {
    {"backlog", "N", "listen(fd, N): the accept queue's length (default 5)", NULL, &backlog_arg},
    {"no-accept", NULL, "connect to ourselves and never accept(): connections wait in the queue",
     &no_accept, NULL},
    {"clients", "N", "with --no-accept: how many connections to make (default 3, max 16)", NULL,
     &clients_arg},
    {"hold", "S", "stay listening S seconds (look with ss -ltn) before closing", NULL, &hold_arg},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab03-listen",
    .summary = "listen() makes a LISTEN socket; the kernel completes connections before accept()",
    .teaches =
        "listen(fd, backlog) marks a bound socket as passive: state LISTEN, listed by ss -ltn.\n"
        "Still nothing goes on the wire. When clients connect, the kernel does the whole\n"
        "three-way handshake by itself and puts the ESTABLISHED connection in the accept queue;\n"
        "accept() only takes it out. --no-accept shows connections waiting there, and what\n"
        "happens to them when the listener closes (they are reset).",
    .flags = flags,
    .examples = "  lab03-listen --hold 20        (then, in another terminal: ss -ltn)\n"
                "  lab03-listen --no-accept --clients 3",
};

static void show_queue(int lfd)
{
	unsigned queued = 0, backlog = 0;
	if (lab_accept_queue(lfd, &queued, &backlog) == 0)
		lab_say(
		    "accept queue of fd %d: %u connection(s) waiting, backlog %u  (ss -ltn shows "
		    "them as Recv-Q / Send-Q)",
		    lfd, queued, backlog);
}

/* SYN retransmissions of a socket still in SYN_SENT, from TCP_INFO; -1 if unknown. */
static int syn_retransmissions(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return -1;
	return (int)ti.tcpi_total_retrans;
}

/* Why a client's connect() failed, from what the kernel shows now. */
static void say_connect_failed(int cfd, int e, int lfd)
{
	unsigned queued = 0, backlog = 0;
	int st = lab_tcp_state(cfd);
	bool full = lab_accept_queue(lfd, &queued, &backlog) == 0 && queued > backlog;
	if ((e == EINPROGRESS || e == EAGAIN) && st == TCP_SYN_SENT && full) {
		int rtx = syn_retransmissions(cfd);
		lab_say(
		    "the client is still SYN_SENT and the accept queue holds %u with backlog %u: "
		    "the queue is full, so the kernel drops this client's SYNs. TCP_INFO counts "
		    "%d SYN retransmission(s) before connect() gave up at --timeout",
		    queued, backlog, rtx);
	} else {
		lab_say("connect() failed (%s) with the client in %s and %u connection(s) queued, "
		        "backlog %u",
		        lab_errno_name(e), st > 0 ? lab_state_name(st) : "no state", queued,
		        backlog);
	}
}

/* How many of the clients' server-side ends are in /proc/net/tcp{,6} as ESTABLISHED: each
 * looked up by its exact addresses (the server side's local address is the client's peer). */
static int queued_in_proc(const int *cfd, int n)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		struct lab_tuple t;
		int st = 0;
		lab_tuple_of(cfd[i], &t);
		if (t.local_len && t.peer_len &&
		    lab_proc_find((struct sockaddr *)&t.peer, (struct sockaddr *)&t.local, &st))
			count += st == TCP_ESTABLISHED;
	}
	return count;
}

/* Connect to ourselves n times; the listener never accepts. Returns how many connected. */
static int self_connect(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len,
                        int *cfd, int n, int lfd)
{
	char a[LAB_ADDRSTRLEN];
	int done = 0;
	for (int i = 0; i < n && !lab_stopping(); i++) {
		lab_set_tag("client");
		lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
		cfd[i] = socket(o->family, SOCK_STREAM, 0);
		lab_after(cfd[i], cfd[i]);
		if (cfd[i] < 0)
			break;
		lab_guard(cfd[i]);
		lab_before("connect(%d, %s)", cfd[i], lab_addr_str(sa, len, a, sizeof a));
		int r = connect(cfd[i], sa, len);
		lab_after(r, cfd[i]);
		lab_set_tag(NULL);
		int e = errno;
		show_queue(lfd);
		if (r != 0) {
			say_connect_failed(cfd[i], e, lfd);
			lab_set_tag("client");
			lab_close(cfd[i]);
			lab_set_tag(NULL);
			break;
		}
		done++;
	}
	lab_set_tag(NULL);
	return done;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256], a[LAB_ADDRSTRLEN];
	long backlog = 5, nclients = 3, hold = 0;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK &&
	    ((backlog_arg && !lab_parse_long(backlog_arg, 0, 4096, &backlog)) ||
	     (clients_arg && !lab_parse_long(clients_arg, 1, MAX_CLIENTS, &nclients)) ||
	     (hold_arg && !lab_parse_long(hold_arg, 0, 3600, &hold)))) {
		snprintf(err, sizeof err, "--backlog 0-4096, --clients 1-%d, --hold 0-3600 seconds",
		         MAX_CLIENTS);
		pr = LAB_PARSE_ERROR;
	}
	struct sockaddr_storage ss;
	socklen_t len = 0;
	if (pr == LAB_PARSE_OK &&
	    lab_make_addr(o.family, o.host, o.port, &ss, &len, err, sizeof err) != 0)
		pr = LAB_PARSE_ERROR;
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);
	struct sockaddr *sa = (struct sockaddr *)&ss;

	/* 1. socket + bind, as in lab01 and lab02. */
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o.family));
	int lfd = socket(o.family, SOCK_STREAM, 0);
	lab_after(lfd, lfd);
	if (lfd < 0)
		return lab_exit_code(true);
	int one = 1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", lfd);
	if (lab_after(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), lfd) != 0) {
		lab_close(lfd);
		return lab_exit_code(true);
	}
	lab_before("bind(%d, %s)", lfd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(bind(lfd, sa, len), lfd) != 0) {
		int e = errno, st = 0;
		if (e == EADDRINUSE && lab_proc_find(sa, NULL, &st))
			lab_say("/proc/net/tcp{,6}: %s is held by a socket in %s. bind() failed, "
			        "so this "
			        "program never reaches listen()",
			        a, lab_state_name(st));
		lab_close(lfd);
		return lab_exit_code(true);
	}

	/* 2. listen: from now on the kernel answers SYNs to this port by itself. */
	lab_before("listen(%d, %ld)", lfd, backlog);
	if (lab_after(listen(lfd, (int)backlog), lfd) != 0) {
		lab_close(lfd);
		return lab_exit_code(true);
	}
	show_queue(lfd);
	lab_say("listen() sends no segment: it only marks the socket as passive");

	int cfd[MAX_CLIENTS];
	int made = 0;
	if (no_accept) {
		lab_title("clients connect; this program never calls accept()");
		made = self_connect(&o, sa, len, cfd, (int)nclients, lfd);
		int est = 0;
		for (int i = 0; i < made; i++)
			est += lab_tcp_state(cfd[i]) == TCP_ESTABLISHED;
		lab_say("%d connect() call(s) returned 0; %d client socket(s) are ESTABLISHED now, "
		        "although accept() never ran",
		        made, est);
		int q = queued_in_proc(cfd, made);
		lab_say("/proc/net/tcp{,6}: %d server-side connection(s) on port %d in "
		        "ESTABLISHED: the kernel did each handshake and queued the "
		        "connection; no "
		        "descriptor of this program refers to them (accept() never ran)",
		        q, o.port);
		if (hold > 0)
			lab_say("during the --hold below, ss -tn 'sport = :%d' lists them too",
			        o.port);
		else
			lab_say("to see them with ss -tn 'sport = :%d', run again with --hold S: "
			        "without "
			        "it this program closes them now",
			        o.port);
		if ((long)made > backlog + 1)
			lab_warn("more connected than backlog+1: the kernel allowed it this time");
	}
	if (hold > 0) {
		lab_say("listening for %ld s; try  ss -ltn 'sport = :%d'  in another terminal",
		        hold, o.port);
		for (long i = 0; i < hold && !lab_stopping(); i++)
			sleep(1);
	} else {
		lab_say(
		    "to look at the listener from outside (ss -ltn 'sport = :%d'), run with --hold "
		    "S",
		    o.port);
	}

	/* 3. Close the listener: queued, never-accepted connections are reset. */
	bool failed = lab_close(lfd) != 0;
	if (made > 0) {
		int q = queued_in_proc(cfd, made);
		lab_say(
		    "the listener is closed; /proc/net/tcp{,6} now has %d of their server-side "
		    "ends in ESTABLISHED. If the kernel reset the queued connections, a client's "
		    "next call fails with ECONNRESET:",
		    q);
		char c;
		lab_set_tag("client");
		lab_before("recv(%d, &c, 1, 0)", cfd[0]);
		if (lab_after(recv(cfd[0], &c, 1, 0), cfd[0]) < 0 && errno == ECONNRESET)
			lab_say("ECONNRESET: a RST reached this client when the listener closed");
		lab_set_tag(NULL);
	}
	for (int i = 0; i < made; i++) {
		lab_set_tag("client");
		failed |= lab_close(cfd[i]) != 0;
	}
	lab_set_tag(NULL);
	return lab_exit_code(failed);
}
