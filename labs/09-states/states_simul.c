/* states_simul.c — lab09's simultaneous open and simultaneous close, made reliable in a private
 * network namespace with nftables: drop the first SYNs (FINs) so both ends are waiting, let
 * the retransmissions cross, and hold each end in the middle state long enough to look. */
#include "states.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ATTEMPTS 3

enum outcome { CROSSED, MISSED, BROKEN };

static const char *const hook = "{ type filter hook output priority 0 ; }";

/* Whatever stage failed, no rule of this attempt may stay behind. */
static void reset_rules(void)
{
	states_nft("delete table inet socklab");
	states_nft("add table inet socklab");
}

/* Both ends checked (and both reported when wrong). */
static bool expect_both(const char *wa, int ga, const char *wb, int gb, int want)
{
	bool ok_a = states_expect(wa, ga, want);
	bool ok_b = states_expect(wb, gb, want);
	return ok_a && ok_b;
}

/* The two ends' states, as TCP_INFO gives them, in one line the tests can read. */
static void show_pair(int a, int b)
{
	states_as("A");
	lab_show_state(a);
	states_as("B");
	lab_show_state(b);
	states_as(NULL);
}

/* Wait until neither end is in state from any more (or ms pass). */
static void wait_leave(int a, int b, int from, int ms)
{
	for (int waited = 0; waited < ms && !lab_stopping(); waited += 2) {
		if (lab_tcp_state(a) != from && lab_tcp_state(b) != from)
			return;
		states_sleep_ms(2);
	}
}

/* The two ends of the connection between the addresses sa and sb, for ss. */
static void ends(const struct sockaddr_storage *sa, socklen_t la, const struct sockaddr_storage *sb,
                 socklen_t lb, struct lab_tuple t[2])
{
	memset(t, 0, 2 * sizeof t[0]);
	t[0].local = *sa;
	t[0].local_len = la;
	t[0].peer = *sb;
	t[0].peer_len = lb;
	t[1].local = *sb;
	t[1].local_len = lb;
	t[1].peer = *sa;
	t[1].peer_len = la;
	t[0].state = t[1].state = -1;
}

/* A socket bound to port, non-blocking; -1 on failure. */
static int bound_socket(const struct lab_opts *o, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], a[LAB_ADDRSTRLEN];
	int one = 1;
	if (lab_make_addr(o->family, o->host, port, &ss, &len, err, sizeof err) != 0)
		return -1;
	lab_before("socket(%s, SOCK_STREAM | SOCK_NONBLOCK, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
	lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	if (lab_after(bind(fd, (struct sockaddr *)&ss, len), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	return fd;
}

static enum outcome try_open(const struct lab_opts *o, int pa, int pb)
{
	int a = -1, b = -1;
	enum outcome out = BROKEN;
	struct sockaddr_storage sa, sb;
	socklen_t la, lb;
	char err[128], ta[LAB_ADDRSTRLEN], tb[LAB_ADDRSTRLEN];
	states_as(NULL);
	lab_title("the rules: drop the first SYNs, hold the SYN+ACKs");
	if (states_nft("add chain inet socklab drop_first_syns %s", hook) != 0 ||
	    states_nft("add rule inet socklab drop_first_syns tcp dport { %d, %d } "
	               "tcp flags & (syn | ack) == syn counter drop",
	               pa, pb) != 0 ||
	    states_nft("add chain inet socklab hold_synacks %s", hook) != 0 ||
	    states_nft("add rule inet socklab hold_synacks tcp dport { %d, %d } "
	               "tcp flags & (syn | ack) == syn | ack counter drop",
	               pa, pb) != 0)
		goto done;
	if (lab_make_addr(o->family, o->host, pa, &sa, &la, err, sizeof err) != 0 ||
	    lab_make_addr(o->family, o->host, pb, &sb, &lb, err, sizeof err) != 0)
		goto done;
	states_as(NULL);
	lab_title("two sockets, each bound to its own fixed port; each connects to the other");
	states_as("A");
	a = bound_socket(o, pa);
	states_as("B");
	b = bound_socket(o, pb);
	if (a < 0 || b < 0)
		goto done;
	states_as("A");
	/* One step for both calls: their SYN retransmission timers must fire in the same tick. */
	lab_before("connect(%d, %s) and at once B's connect(%d, %s)", a,
	           lab_addr_str((struct sockaddr *)&sb, lb, tb, sizeof tb), b,
	           lab_addr_str((struct sockaddr *)&sa, la, ta, sizeof ta));
	int ra = connect(a, (struct sockaddr *)&sb, lb);
	int ea = errno;
	int rb = connect(b, (struct sockaddr *)&sa, la);
	int eb = errno;
	errno = ea;
	lab_after(ra, a);
	states_as("B");
	lab_say("connect(%d, %s) = %d %s", b, ta, rb, rb < 0 ? lab_errno_name(eb) : "");
	show_pair(a, b);
	if (!expect_both("A", lab_tcp_state(a), "B", lab_tcp_state(b), TCP_SYN_SENT))
		goto done;
	lab_say("both ends are in %s; the rule's counter shows the SYNs it dropped:",
	        lab_state_name(TCP_SYN_SENT));
	states_nft("list chain inet socklab drop_first_syns");

	states_as(NULL);
	lab_title("let the retransmitted SYNs through: they cross");
	states_nft("delete chain inet socklab drop_first_syns");
	lab_say("both kernels retransmit their SYN after the initial RTO (1 s); if they do it in "
	        "the same timer tick, each SYN reaches an end that is itself in %s",
	        lab_state_name(TCP_SYN_SENT));
	wait_leave(a, b, TCP_SYN_SENT, 8000);
	if (lab_stopping())
		goto done;
	int sta = lab_tcp_state(a), stb = lab_tcp_state(b);
	show_pair(a, b);
	if (sta != TCP_SYN_RECV || stb != TCP_SYN_RECV) {
		lab_warn("the SYNs did not cross this time (A %s, B %s): the retransmissions did "
		         "not meet",
		         lab_state_name(sta), lab_state_name(stb));
		out = MISSED;
		goto done;
	}
	lab_say("both ends received a bare SYN while in %s: both went to %s and answer with "
	        "SYN+ACK, which the second rule holds back (its counter):",
	        lab_state_name(TCP_SYN_SENT), lab_state_name(TCP_SYN_RECV));
	states_nft("list chain inet socklab hold_synacks");
	struct lab_tuple pair[2];
	ends(&sa, la, &sb, lb, pair);
	states_ss(pair, 2);

	states_as(NULL);
	lab_title("release the SYN+ACKs");
	states_nft("delete chain inet socklab hold_synacks");
	wait_leave(a, b, TCP_SYN_RECV, 10000);
	states_settle(a, TCP_ESTABLISHED, 1000);
	states_settle(b, TCP_ESTABLISHED, 1000);
	show_pair(a, b);
	if (expect_both("A", lab_tcp_state(a), "B", lab_tcp_state(b), TCP_ESTABLISHED)) {
		states_ss(pair, 2);
		lab_say("verified with TCP_INFO at each stage: A and B both %s -> %s -> %s",
		        lab_state_name(TCP_SYN_SENT), lab_state_name(TCP_SYN_RECV),
		        lab_state_name(TCP_ESTABLISHED));
		lab_say("one connection, no listener, no client or server: RFC 9293 §3.5 figure 7");
		out = CROSSED;
	}
done:
	states_as("A");
	if (a >= 0)
		states_close(a);
	states_as("B");
	if (b >= 0)
		states_close(b);
	states_as(NULL);
	if (out != CROSSED && !lab_stopping())
		reset_rules();
	return out;
}

static enum outcome try_close(const struct lab_opts *o, int pa, int pb)
{
	int lfd = -1, a = -1, b = -1;
	enum outcome out = BROKEN;
	struct sockaddr_storage sa;
	socklen_t la;
	char err[128], ta[LAB_ADDRSTRLEN];
	states_as(NULL);
	lab_title("a connection: A (port %d) connects to B (port %d)", pb, pa);
	states_as("B");
	lfd = states_listen(o, pa, 1, true);
	states_as("A");
	a = lfd < 0 ? -1 : bound_socket(o, pb);
	if (a < 0 || lab_make_addr(o->family, o->host, pa, &sa, &la, err, sizeof err) != 0)
		goto done;
	lab_before("connect(%d, %s)", a, lab_addr_str((struct sockaddr *)&sa, la, ta, sizeof ta));
	lab_after(connect(a, (struct sockaddr *)&sa, la), a);
	states_settle(a, TCP_ESTABLISHED, 1000);
	states_as("B");
	b = states_accept(lfd);
	if (b < 0)
		goto done;
	states_close(lfd);
	lfd = -1;

	states_as(NULL);
	lab_title("the rules: drop the first FINs, hold the bare ACKs");
	if (states_nft("add chain inet socklab drop_first_fins %s", hook) != 0 ||
	    states_nft("add rule inet socklab drop_first_fins tcp dport { %d, %d } "
	               "tcp flags & fin == fin counter drop",
	               pa, pb) != 0 ||
	    states_nft("add chain inet socklab hold_acks %s", hook) != 0 ||
	    states_nft("add rule inet socklab hold_acks tcp dport { %d, %d } "
	               "tcp flags & (fin | syn | rst | ack) == ack counter drop",
	               pa, pb) != 0)
		goto done;

	states_as(NULL);
	lab_title("both ends close at the same moment");
	states_as("A");
	/* One step for both calls: their FIN retransmission timers must fire in the same tick. */
	lab_before("shutdown(%d, SHUT_WR) and at once B's shutdown(%d, SHUT_WR)", a, b);
	int ra = shutdown(a, SHUT_WR);
	int ea = errno;
	int rb = shutdown(b, SHUT_WR);
	int eb = errno;
	errno = ea;
	lab_after(ra, a);
	states_as("B");
	lab_say("shutdown(%d, SHUT_WR) = %d %s", b, rb, rb < 0 ? lab_errno_name(eb) : "");
	show_pair(a, b);
	if (!expect_both("A", lab_tcp_state(a), "B", lab_tcp_state(b), TCP_FIN_WAIT1))
		goto done;
	lab_say("both ends are in %s; the rule's counter shows the FINs it dropped:",
	        lab_state_name(TCP_FIN_WAIT1));
	states_nft("list chain inet socklab drop_first_fins");

	states_as(NULL);
	lab_title("let the retransmitted FINs through: they cross");
	states_nft("delete chain inet socklab drop_first_fins");
	wait_leave(a, b, TCP_FIN_WAIT1, 8000);
	if (lab_stopping())
		goto done;
	int sta = lab_tcp_state(a), stb = lab_tcp_state(b);
	if (sta == TCP_CLOSING && stb == TCP_CLOSING) {
		/* The next FIN retransmission comes a few hundred ms later: no pause here. */
		lab_say(
		    "both in %s; at once, without a pause, a rule that holds everything so they "
		    "stay there:",
		    lab_state_name(TCP_CLOSING));
		states_nft_now(
		    "add chain inet socklab hold_all %s ; add rule inet socklab hold_all "
		    "tcp dport { %d, %d } counter drop",
		    hook, pa, pb);
	}
	show_pair(a, b);
	if (sta != TCP_CLOSING || stb != TCP_CLOSING) {
		lab_warn("the FINs did not cross this time (A %s, B %s): the retransmissions did "
		         "not meet",
		         lab_state_name(sta), lab_state_name(stb));
		out = MISSED;
		goto done;
	}
	lab_say("each end received the other's FIN while its own FIN was not yet ACKed: %s -> %s "
	        "on both sides",
	        lab_state_name(TCP_FIN_WAIT1), lab_state_name(TCP_CLOSING));
	struct lab_tuple pair[2];
	lab_tuple_of(a, &pair[0]);
	lab_tuple_of(b, &pair[1]);
	states_ss(pair, 2);

	states_as(NULL);
	lab_title("release the ACKs");
	struct lab_tuple ta_end, tb_end;
	lab_tuple_of(a, &ta_end);
	lab_tuple_of(b, &tb_end);
	states_nft("delete chain inet socklab hold_all");
	states_nft("delete chain inet socklab hold_acks");
	int ka = states_settle_tuple(&ta_end, TCP_TIME_WAIT, 10000);
	int kb = states_settle_tuple(&tb_end, TCP_TIME_WAIT, 2000);
	show_pair(a, b);
	states_as("A");
	states_kernel("A", &ta_end);
	states_as("B");
	states_kernel("B", &tb_end);
	states_as(NULL);
	states_ss(pair, 2);
	if (expect_both("A's connection", ka, "B's connection", kb, TCP_TIME_WAIT)) {
		if (lab_tcp_state(a) == TCP_CLOSE && lab_tcp_state(b) == TCP_CLOSE)
			lab_say(
			    "TCP_INFO says %s: the full sockets are done; /proc/net/tcp lists both "
			    "connections in %s",
			    lab_state_name(TCP_CLOSE), lab_state_name(TCP_TIME_WAIT));
		lab_say(
		    "verified at each stage: A and B both %s -> %s -> %s (both closed first, so "
		    "both wait 2 MSL)",
		    lab_state_name(TCP_FIN_WAIT1), lab_state_name(TCP_CLOSING),
		    lab_state_name(TCP_TIME_WAIT));
		out = CROSSED;
	}
done:
	states_as("A");
	if (a >= 0)
		states_close(a);
	states_as("B");
	if (b >= 0)
		states_close(b);
	if (lfd >= 0)
		states_close(lfd);
	states_as(NULL);
	if (out != CROSSED && !lab_stopping())
		reset_rules();
	return out;
}

static bool run_attempts(const struct lab_opts *o,
                         enum outcome (*attempt)(const struct lab_opts *, int, int))
{
	if (o->port >= 65535) {
		lab_warn("this scenario uses --port and --port + 1");
		return false;
	}
	if (!states_netns_enter())
		return false;
	enum outcome out = MISSED;
	for (int i = 1; i <= ATTEMPTS && out == MISSED && !lab_stopping(); i++) {
		if (i > 1)
			states_as(NULL);
		lab_title("attempt %d of %d", i, ATTEMPTS);
		out = attempt(o, o->port, o->port + 1);
	}
	states_netns_leave();
	return out == CROSSED;
}

bool states_simultaneous_open(const struct lab_opts *o)
{
	states_as(NULL);
	lab_title("simultaneous-open: two ends connect to each other at the same time");
	lab_say(
	    "no listen(), no accept(): both SYNs are in flight at once and cross. On loopback "
	    "the first SYN arrives before the other end has sent its own, so the lab makes them "
	    "cross in a private namespace with nftables.");
	return run_attempts(o, try_open);
}

bool states_simultaneous_close(const struct lab_opts *o)
{
	states_as(NULL);
	lab_title("simultaneous-close: both ends close at the same time");
	lab_say(
	    "both FINs are in flight at once; each end receives a FIN while waiting for the ACK "
	    "of its own: CLOSING. The lab makes them cross in a private namespace with "
	    "nftables.");
	return run_attempts(o, try_close);
}
