/* lab05.c — lab05-transfer: send() and recv() move a byte stream, not messages. */
#include "lab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transfer.h"

static const char *recv_size_arg, *message_arg, *bulk_arg, *slow_arg;

static const char *const roles[] = {"server", "client", NULL};

static const struct lab_flag flags[] = {
    {"message", "TEXT", "client: the message to send (default \"hello, socket\")", NULL,
     &message_arg},
    {"recv-size", "N", "recv() at most N bytes per call (default 1024; small = short reads)", NULL,
     &recv_size_arg},
    {"bulk", "BYTES", "client: also send BYTES at once with a tiny send buffer (short writes)",
     NULL, &bulk_arg},
    {"slow", "MS", "server: wait MS milliseconds before each recv() (the client's bytes pile up)",
     NULL, &slow_arg},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab05-transfer",
    .summary = "send() and recv(): an echo, and why TCP is a byte stream",
    .teaches =
        "The client sends a message, the server echoes it back. TCP carries bytes, not\n"
        "messages: two send() calls can arrive in one recv(), one send() can need several\n"
        "recv() calls (short reads, try --recv-size 4), and send() may take fewer bytes than\n"
        "asked (a short write, --bulk), so a program loops until all bytes are sent or read.\n"
        "recv() returning 0 means the peer closed: end of stream.",
    .roles = roles,
    .flags = flags,
    .examples = "  lab05-transfer server                 (terminal 2)\n"
                "  lab05-transfer client                 (terminal 3)\n"
                "  lab05-transfer client --recv-size 4 --bulk 1000000",
};

/* This run's address options (" -6 --host H --port P", each only when not the default), for
 * the command that starts the other role. */
static const char *addr_opts(const struct lab_opts *o)
{
	static char buf[128];
	bool v6 = o->family == AF_INET6;
	int n = snprintf(buf, sizeof buf, "%s", v6 ? " -6" : "");
	if (strcmp(o->host, v6 ? "::1" : "127.0.0.1") != 0 && n >= 0 && (size_t)n < sizeof buf)
		n += snprintf(buf + n, sizeof buf - (size_t)n, " --host %s", o->host);
	if (o->port != LAB_DEFAULT_PORT && n >= 0 && (size_t)n < sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n, " --port %d", o->port);
	return buf;
}

static int server(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len, size_t rsize,
                  long slow_ms)
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
	lab_before("bind(%d, %s)", lfd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(bind(lfd, sa, len), lfd) != 0 || lab_stopping()) {
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
	lab_before("accept(%d, NULL, NULL)", lfd);
	int cfd = accept(lfd, NULL, NULL);
	lab_after(cfd, cfd);
	if (cfd < 0) {
		lab_close(lfd);
		return 1;
	}
	lab_guard(cfd);
	int rc = echo_loop(cfd, rsize, slow_ms);
	rc |= lab_close(cfd) != 0;
	rc |= lab_close(lfd) != 0;
	return rc;
}

static int client(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len, size_t rsize,
                  const char *msg, long bulk)
{
	char shown[160]; /* the echo, escaped (lab_escape), for one narration line */
	char a[LAB_ADDRSTRLEN];
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return 1;
	lab_guard(fd);
	lab_before("connect(%d, %s)", fd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(connect(fd, sa, len), fd) != 0) {
		if (errno == ECONNREFUSED)
			lab_say("this lab's client needs this lab's server: start  lab05-transfer "
			        "server%s  first",
			        addr_opts(o));
		lab_close(fd);
		return 1;
	}
	int failed = 0;

	lab_title("1. an echo: send the message, read the same number of bytes back");
	size_t n = strlen(msg);
	char *back = calloc(1, n + 1);
	if (!back || send_all(fd, msg, n) != (ssize_t)n || recv_exact(fd, back, n, rsize) != 0)
		failed = 1;
	else
		lab_say("echoed back: \"%s\" (%zu bytes)%s",
		        lab_escape(back, n, shown, sizeof shown), n,
		        memcmp(back, msg, n) == 0 ? ", unchanged" : "  -- DIFFERENT!");
	free(back);

	lab_title("2. a byte stream: two send() calls, then one recv()");
	if (!failed)
		failed = two_sends_one_recv(fd, o->timeout_s);

	if (!failed && bulk > 0) {
		lab_title("3. short writes: send %ld bytes with a tiny send buffer", bulk);
		failed = bulk_transfer(fd, (size_t)bulk);
	}

	lab_title("the end: close(); with nothing left unread it sends a FIN, and the server's "
	          "next recv() returns 0 (end of stream)");
	failed |= lab_close(fd) != 0;
	return failed;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	long rsize = 1024, bulk = 0, slow = 0;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK &&
	    ((recv_size_arg && !lab_parse_long(recv_size_arg, 1, 65536, &rsize)) ||
	     (bulk_arg && !lab_parse_long(bulk_arg, 0, 64L << 20, &bulk)) ||
	     (slow_arg && !lab_parse_long(slow_arg, 0, 10000, &slow)))) {
		snprintf(err, sizeof err, "--recv-size 1-65536, --bulk 0-%ld, --slow 0-10000 ms",
		         64L << 20);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK &&
	    lab_make_addr(o.family, o.host, o.port, &ss, &len, err, sizeof err) != 0)
		pr = LAB_PARSE_ERROR;
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);
	const char *msg = message_arg && *message_arg ? message_arg : "hello, socket";
	int failed = strcmp(o.role, "server") == 0
	                 ? server(&o, (struct sockaddr *)&ss, len, (size_t)rsize, slow)
	                 : client(&o, (struct sockaddr *)&ss, len, (size_t)rsize, msg, bulk);
	return lab_exit_code(failed);
}
