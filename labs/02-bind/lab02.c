/* lab02.c — lab02-bind: bind() gives a socket its address and port, and the ways it fails. */
#include "lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static bool reuseaddr, twice, time_wait, privileged, forget_htons;

static const struct lab_flag flags[] = {
    {"reuseaddr", NULL, "set SO_REUSEADDR before bind()", &reuseaddr, NULL},
    {"twice", NULL, "a second socket binds the same port while the first listens: EADDRINUSE",
     &twice, NULL},
    {"time-wait", NULL,
     "leave a connection in TIME_WAIT on the port, then bind it again without and with "
     "SO_REUSEADDR",
     &time_wait, NULL},
    {"privileged", NULL, "bind a port below 1024 (80, or --port if below 1024): EACCES as non-root",
     &privileged, NULL},
    {"forget-htons", NULL,
     "store the port without htons(): --port 4660 (0x1234) binds 13330 (0x3412)", &forget_htons,
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab02-bind",
    .summary = "bind() gives the socket a local address and port",
    .teaches =
        "bind(fd, addr, len) names the socket: IP address + port. Port 0 asks the kernel to pick "
        "a\n"
        "free (ephemeral) port; getsockname() tells which. The port is stored in network byte\n"
        "order (htons). bind fails with EADDRINUSE when another socket holds the port (a live\n"
        "listener, or a connection lingering in TIME_WAIT after a restart - SO_REUSEADDR allows\n"
        "the latter, never the former) and with EACCES for ports below 1024 unless root.\n"
        "Still no packet is sent, and the state stays CLOSED.",
    .flags = flags,
    .examples = "  lab02-bind\n  lab02-bind --port 0\n  lab02-bind --twice\n"
                "  lab02-bind --time-wait\n  lab02-bind --privileged\n"
                "  lab02-bind --forget-htons --port 4660",
};

/* Build the address by hand, as a tutorial does: family, port in network order, IP. */
static socklen_t fill_addr(const struct lab_opts *o, int port, bool use_htons,
                           struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (o->family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = use_htons ? htons((uint16_t)port) : (uint16_t)port;
		if (inet_pton(AF_INET6, o->host, &a6->sin6_addr) != 1)
			return 0;
		return sizeof *a6;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = use_htons ? htons((uint16_t)port) : (uint16_t)port; /* the pitfall */
	if (inet_pton(AF_INET, o->host, &a4->sin_addr) != 1)
		return 0;
	return sizeof *a4;
}

/* socket(), SO_REUSEADDR if asked, bind(); returns the fd, or -1 (errno from bind kept). */
static int bind_one(const struct lab_opts *o, int port, bool reuse)
{
	struct sockaddr_storage ss;
	char a[LAB_ADDRSTRLEN];
	socklen_t len = fill_addr(o, port, true, &ss);

	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	if (reuse) {
		int one = 1;
		lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
		lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	}
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	int r = bind(fd, (struct sockaddr *)&ss, len);
	lab_after(r, fd);
	if (r != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void close_fd(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	lab_after_gone(close(fd), &t);
}

static void show_bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char a[LAB_ADDRSTRLEN];
	lab_before("getsockname(%d)", fd);
	int r = getsockname(fd, (struct sockaddr *)&ss, &len);
	lab_after(r, fd);
	if (r == 0)
		lab_say("the socket's own address: %s",
		        lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
}

static int run_default(const struct lab_opts *o)
{
	int fd = bind_one(o, o->port, reuseaddr);
	if (fd < 0)
		return 1;
	show_bound_port(fd);
	if (o->port == 0)
		lab_say(
		    "port 0 means \"any free port\": the kernel picked the ephemeral port above "
		    "(range in /proc/sys/net/ipv4/ip_local_port_range)");
	lab_say("still CLOSED and still no packet: bind only names the socket. ss -tan does not "
	        "list it until it listens or connects");
	close_fd(fd);
	return 0;
}

static int run_forget_htons(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	char a[LAB_ADDRSTRLEN];
	socklen_t len = fill_addr(o, o->port, false, &ss); /* BUG on purpose: no htons() */
	lab_say("we store sin_port = %d without htons(): the bytes are in host order", o->port);
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return 1;
	lab_before("bind(%d, <sin_port = %d, not htons(%d)>)", fd, o->port, o->port);
	int r = bind(fd, (struct sockaddr *)&ss, len);
	lab_after(r, fd);
	if (r == 0) {
		show_bound_port(fd);
		unsigned wrong = ntohs((uint16_t)o->port);
		lab_say("asked for %d (0x%04x), got %u (0x%04x): the two bytes are swapped on this "
		        "little-endian CPU. Always htons() the port and ntohs() what you read back",
		        o->port, (unsigned)o->port, wrong, wrong);
		(void)a;
	}
	if (fd >= 0)
		close_fd(fd);
	return r != 0;
}

static int run_twice(const struct lab_opts *o)
{
	lab_title("first socket: bind and listen, like a running server");
	int fd1 = bind_one(o, o->port, reuseaddr);
	if (fd1 < 0)
		return 1;
	lab_before("listen(%d, 1)", fd1);
	lab_after(listen(fd1, 1), fd1);
	lab_title("second socket: bind the same address and port%s",
	          reuseaddr ? " (SO_REUSEADDR set)" : "");
	int fd2 = bind_one(o, o->port, reuseaddr);
	int failed = fd2 >= 0;
	if (fd2 < 0 && errno == EADDRINUSE)
		lab_say(
		    "EADDRINUSE as expected: one listener per address and port. SO_REUSEADDR does "
		    "not change that (try --reuseaddr): it only forgives TIME_WAIT leftovers");
	if (fd2 >= 0)
		close_fd(fd2);
	close_fd(fd1);
	return failed;
}

static int run_privileged(const struct lab_opts *o)
{
	int port = o->port > 0 && o->port < 1024 ? o->port : 80;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	int start = 1024;
	if (f) {
		if (fscanf(f, "%d", &start) != 1)
			start = 1024;
		fclose(f);
	}
	lab_say(
	    "ports below %d are privileged here (/proc/sys/net/ipv4/ip_unprivileged_port_start)",
	    start);
	if (port >= start)
		lab_warn("port %d is not privileged on this machine, so no EACCES will appear",
		         port);
	if (geteuid() == 0) {
		lab_say("we are root, and root may bind port %d:", port);
		int fd = bind_one(o, port, false);
		if (fd >= 0)
			close_fd(fd);
		lab_say("now a child process drops to user nobody (65534) and tries the same:");
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			lab_set_tag("nobody");
			if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
				lab_warn("cannot drop to nobody (%s): run this lab as a normal "
				         "user instead",
				         lab_errno_name(errno));
				_exit(3);
			}
			int cfd = bind_one(o, port, false);
			_exit(cfd < 0 && errno == EACCES ? 0 : 1);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			return 1;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
			return 0; /* explained by the child */
		return !(WIFEXITED(st) && WEXITSTATUS(st) == 0) && port < start;
	}
	int fd = bind_one(o, port, false);
	if (fd >= 0) {
		close_fd(fd);
		return port < start;
	}
	return errno != EACCES;
}

/* Leave a connection in TIME_WAIT on the server's port, as a server that closed first does. */
static int make_time_wait(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = fill_addr(o, o->port, true, &ss);
	lab_say("a well-written server sets SO_REUSEADDR (Linux forgives a TIME_WAIT only when "
	        "both the old and the new socket set it)");
	int lfd = bind_one(o, o->port, true);
	if (lfd < 0)
		return 1;
	lab_before("listen(%d, 1)", lfd);
	lab_after(listen(lfd, 1), lfd);
	lab_before("socket(%s, SOCK_STREAM, 0)  (a client)", lab_family_name(o->family));
	int cfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(cfd, cfd);
	lab_guard(cfd);
	lab_before("connect(%d, port %d)", cfd, o->port);
	lab_after(connect(cfd, (struct sockaddr *)&ss, len), cfd);
	lab_guard(lfd);
	lab_before("accept(%d)", lfd);
	int afd = accept(lfd, NULL, NULL);
	lab_after(afd, afd);
	if (afd < 0 || cfd < 0)
		return 1;
	struct lab_tuple t;
	lab_tuple_of(afd, &t);
	lab_say("the server closes first, so the server's side of this connection will wait in "
	        "TIME_WAIT:");
	close_fd(afd);
	close_fd(cfd);
	close_fd(lfd);
	int st = 0;
	for (int i = 0; i < 50; i++) { /* the last ACK crosses loopback within milliseconds */
		if (lab_proc_find((struct sockaddr *)&t.local, (struct sockaddr *)&t.peer, &st) &&
		    st == 6)
			break;
		usleep(20000);
	}
	char a[LAB_ADDRSTRLEN], b[LAB_ADDRSTRLEN];
	lab_say("/proc/net/tcp: %s -> %s is %s (it stays there 60 s)",
	        lab_addr_str((struct sockaddr *)&t.local, t.local_len, a, sizeof a),
	        lab_addr_str((struct sockaddr *)&t.peer, t.peer_len, b, sizeof b),
	        lab_state_name(st));
	return 0;
}

static int run_time_wait(const struct lab_opts *o)
{
	lab_title("a server runs, serves one connection, closes it first and exits");
	if (make_time_wait(o) != 0)
		return 1;
	lab_title("the server restarts without SO_REUSEADDR");
	int fd = bind_one(o, o->port, false);
	bool refused = fd < 0 && errno == EADDRINUSE;
	if (fd >= 0)
		close_fd(fd);
	lab_title("the server restarts with SO_REUSEADDR");
	fd = bind_one(o, o->port, true);
	if (fd >= 0) {
		lab_say("bound: SO_REUSEADDR lets a new socket bind while only TIME_WAIT leftovers "
		        "hold "
		        "the port. Servers set it before bind() for exactly this");
		close_fd(fd);
	}
	return !(refused && fd >= 0);
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	struct in6_addr probe;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK && inet_pton(o.family, o.host, &probe) != 1) {
		snprintf(err, sizeof err, "--host wants a numeric %s address here, not '%s'",
		         o.family == AF_INET6 ? "IPv6" : "IPv4", o.host);
		pr = LAB_PARSE_ERROR;
	}
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);

	int failed;
	if (forget_htons)
		failed = run_forget_htons(&o);
	else if (twice)
		failed = run_twice(&o);
	else if (time_wait)
		failed = run_time_wait(&o);
	else if (privileged)
		failed = run_privileged(&o);
	else
		failed = run_default(&o);
	return lab_exit_code(failed != 0);
}
