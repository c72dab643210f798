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
static const char *hold_arg;

static const struct lab_flag flags[] = {
    {"reuseaddr", NULL, "set SO_REUSEADDR before bind()", &reuseaddr, NULL},
    {"twice", NULL, "a second socket binds the same port while the first listens", &twice, NULL},
    {"time-wait", NULL,
     "leave a connection in TIME_WAIT on the port, then bind it again without and with "
     "SO_REUSEADDR",
     &time_wait, NULL},
    {"privileged", NULL, "bind a port below 1024 (80, or --port if below 1024): EACCES as non-root",
     &privileged, NULL},
    {"forget-htons", NULL,
     "store the port without htons(): --port 4660 (0x1234) binds 13330 (0x3412)", &forget_htons,
     NULL},
    {"hold", "S", "keep the bound socket S seconds before closing (look with ss -tan)", NULL,
     &hold_arg},
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
        "bind() sends no packet, and the state stays CLOSED.",
    .flags = flags,
    .examples = "  lab02-bind\n  lab02-bind --port 0\n  lab02-bind --host localhost --hold 20\n"
                "  lab02-bind --twice\n  lab02-bind --time-wait\n  lab02-bind --privileged\n"
                "  lab02-bind --forget-htons --port 4660",
};

static struct sockaddr_storage host_addr; /* --host, resolved once (names such as localhost) */

/* Build the address by hand, as a tutorial does: family, port in network order, IP. */
static socklen_t fill_addr(const struct lab_opts *o, int port, bool use_htons,
                           struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (o->family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = use_htons ? htons((uint16_t)port) : (uint16_t)port;
		a6->sin6_addr = ((struct sockaddr_in6 *)&host_addr)->sin6_addr;
		return sizeof *a6;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	a4->sin_family = AF_INET;
	a4->sin_port = use_htons ? htons((uint16_t)port) : (uint16_t)port; /* the pitfall */
	a4->sin_addr = ((struct sockaddr_in *)&host_addr)->sin_addr;
	return sizeof *a4;
}

/* socket(), SO_REUSEADDR if asked, bind(); returns the fd, or -1 (errno from the failed call
 * kept). */
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
	int r = 0;
	if (reuse) {
		int one = 1;
		lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
		r = (int)lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	}
	if (r == 0) {
		lab_before("bind(%d, %s)", fd,
		           lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
		r = (int)lab_after(bind(fd, (struct sockaddr *)&ss, len), fd);
	}
	if (r != 0) {
		int e = errno;
		lab_close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int port_of_sa(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* What holds a port right now, from /proc/net/tcp{,6}: "1 LISTEN, 1 TIME_WAIT" (or "nothing").
 * Counts the LISTEN and TIME_WAIT rows for the caller. */
static const char *port_holders(int port, int *listen, int *time_wait_rows)
{
	enum { CAP = 4096 }; /* rows read; a busy machine may have more (said below) */
	static struct lab_sock rows[CAP];
	static char text[256];
	int count[13] = {0};
	int n = lab_proc_list(rows, CAP);
	for (int i = 0; i < n && i < CAP; i++)
		if (port_of_sa(&rows[i].local) == port && rows[i].state > 0 && rows[i].state < 13)
			count[rows[i].state]++;
	text[0] = '\0';
	for (int st = 1; st < 13; st++)
		if (count[st]) {
			size_t used = strlen(text);
			snprintf(text + used, sizeof text - used, "%s%d %s", used ? ", " : "",
			         count[st], lab_state_name(st));
		}
	if (listen)
		*listen = count[10];
	if (time_wait_rows)
		*time_wait_rows = count[6];
	if (n < 0)
		return "(cannot read /proc/net/tcp)";
	if (n > CAP) {
		size_t used = strlen(text);
		snprintf(text + used, sizeof text - used, "%s(in the first %d of %d rows)",
		         used ? " " : "", CAP, n);
	}
	return text[0] ? text : "no socket";
}

static void show_bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char a[LAB_ADDRSTRLEN];
	lab_before("getsockname(%d, &ss, &len)", fd);
	int r = getsockname(fd, (struct sockaddr *)&ss, &len);
	lab_after(r, fd);
	if (r == 0)
		lab_say("the socket's own address: %s",
		        lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
}

/* A bound socket is in no TCP table yet: no /proc/net/tcp row has its address without a peer. */
static void say_not_listed(int fd)
{
	struct lab_tuple t;
	char a[LAB_ADDRSTRLEN];
	int st = 0;
	lab_tuple_of(fd, &t);
	if (!t.local_len)
		return;
	lab_addr_str((struct sockaddr *)&t.local, t.local_len, a, sizeof a);
	if (!lab_proc_find((struct sockaddr *)&t.local, NULL, &st))
		lab_say(
		    "/proc/net/tcp{,6} has no row for %s: the kernel's TCP tables, which ss -tan "
		    "lists, hold listeners and connections, not a socket that is only bound",
		    a);
	else
		lab_say("/proc/net/tcp{,6} has a row for %s in %s", a, lab_state_name(st));
}

static int run_default(const struct lab_opts *o, long hold)
{
	int fd = bind_one(o, o->port, reuseaddr);
	if (fd < 0) {
		if (errno == EADDRINUSE)
			lab_say("/proc/net/tcp{,6} for port %d: %s", o->port,
			        port_holders(o->port, NULL, NULL));
		return 1;
	}
	show_bound_port(fd);
	if (o->port == 0)
		lab_say(
		    "port 0 means \"any free port\": the kernel picked the ephemeral port above "
		    "(range in /proc/sys/net/ipv4/ip_local_port_range)");
	say_not_listed(fd);
	lab_say("bind() sends no segment: it only names the socket (tcpscope, if it runs, shows "
	        "nothing)");
	if (hold > 0) {
		lab_say("holding the bound socket for %ld s: try  ss -tan  in another terminal",
		        hold);
		for (long i = 0; i < hold && !lab_stopping(); i++)
			sleep(1);
	}
	return lab_close(fd) != 0;
}

static int run_forget_htons(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	char a[LAB_ADDRSTRLEN];
	socklen_t len = fill_addr(o, o->port, false, &ss); /* BUG on purpose: no htons() */
	unsigned wrong = port_of_sa(&ss);                  /* what the kernel will read */
	lab_say(
	    "we store sin_port = %d without htons(): the two bytes in memory are in host order; "
	    "the kernel reads them in network order, as port %u",
	    o->port, wrong);
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return 1;
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	int r = bind(fd, (struct sockaddr *)&ss, len);
	lab_after(r, fd);
	if (r == 0) {
		show_bound_port(fd);
		if (wrong != (unsigned)o->port)
			lab_say(
			    "asked for %d (0x%04x), got %u (0x%04x): the two bytes are swapped on "
			    "this little-endian CPU. Always htons() the port and ntohs() what you "
			    "read back",
			    o->port, (unsigned)o->port, wrong, wrong);
		else
			lab_say(
			    "asked for %d, got %u: on this CPU (or for this port) host and network "
			    "order agree, so the missing htons() does no harm here, but it would "
			    "elsewhere",
			    o->port, wrong);
	}
	if (lab_close(fd) != 0)
		return 1;
	return r != 0;
}

static int run_twice(const struct lab_opts *o)
{
	lab_title("first socket: bind and listen, like a running server");
	int fd1 = bind_one(o, o->port, reuseaddr);
	if (fd1 < 0)
		return 1;
	lab_before("listen(%d, 1)", fd1);
	if (lab_after(listen(fd1, 1), fd1) != 0) {
		lab_close(fd1);
		return 1;
	}
	int port = o->port;
	struct lab_tuple t1;
	lab_tuple_of(fd1, &t1);
	if (t1.local_len)
		port = port_of_sa(&t1.local);
	lab_title("second socket: bind the same address and port%s",
	          reuseaddr ? " (SO_REUSEADDR set on both)" : "");
	int fd2 = bind_one(o, port, reuseaddr);
	int e = errno;
	int failed = 0;
	if (fd2 < 0 && e == EADDRINUSE) {
		int listeners = 0;
		const char *holders = port_holders(port, &listeners, NULL);
		lab_say("the first socket, at this moment:");
		lab_show_state(fd1);
		lab_say("/proc/net/tcp{,6} for port %d: %s", port, holders);
		if (reuseaddr && listeners > 0)
			lab_say("so SO_REUSEADDR, set on both sockets, did not help against a "
			        "listening "
			        "socket: it lets a bind through only past TIME_WAIT leftovers (see "
			        "--time-wait)");
		else if (listeners > 0)
			lab_say("a listening socket holds the port. Would SO_REUSEADDR change "
			        "that? Run "
			        "again with --reuseaddr and compare");
	} else if (fd2 >= 0) {
		lab_warn("the second bind() succeeded: something on this machine allows it");
		failed = 1;
		lab_close(fd2);
	} else {
		failed = 1;
	}
	if (lab_close(fd1) != 0)
		failed = 1;
	return failed;
}

static int drop_to_nobody(void)
{
	lab_before("setgroups(0, NULL)");
	if (lab_after_plain(setgroups(0, NULL)) != 0)
		return -1;
	lab_before("setgid(65534)");
	if (lab_after_plain(setgid(65534)) != 0)
		return -1;
	lab_before("setuid(65534)");
	return (int)lab_after_plain(setuid(65534));
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
	if (geteuid() != 0) {
		int fd = bind_one(o, port, false);
		if (fd >= 0)
			return lab_close(fd) != 0 || port < start;
		return errno != EACCES;
	}
	lab_say("we run as root (effective uid 0); root may bind below %d:", start);
	int fd = bind_one(o, port, false);
	if (fd >= 0 && lab_close(fd) != 0)
		return 1;
	lab_say("now a child process drops to user nobody (65534) and tries the same:");
	fflush(stdout);
	lab_before("fork()");
	pid_t pid = fork();
	if (pid == 0) {
		lab_set_tag("nobody");
		lab_after_plain(0);
		if (drop_to_nobody() != 0) {
			lab_warn("cannot drop to nobody: run this lab as a normal user instead");
			_exit(3);
		}
		int cfd = bind_one(o, port, false);
		int bind_errno = errno;
		if (cfd >= 0)
			lab_close(cfd);
		_exit(cfd < 0 && bind_errno == EACCES ? 0 : 1);
	}
	lab_after_plain(pid);
	if (pid < 0)
		return 1;
	int st = 0;
	lab_before("waitpid(%ld, &status, 0)", (long)pid);
	if (lab_after_plain(waitpid(pid, &st, 0)) < 0)
		return 1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return 0; /* explained by the child */
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0) && port < start;
}

/* Leave a connection in TIME_WAIT on the server's port, as a server that closed first does. */
static int make_time_wait(const struct lab_opts *o, struct lab_tuple *t)
{
	struct sockaddr_storage ss;
	char a[LAB_ADDRSTRLEN];
	socklen_t len = fill_addr(o, o->port, true, &ss);
	lab_say("a well-written server sets SO_REUSEADDR (Linux lets a bind past a TIME_WAIT only "
	        "when both the old and the new socket set it)");
	int lfd = bind_one(o, o->port, true);
	if (lfd < 0)
		return 1;
	lab_guard(lfd);
	lab_before("listen(%d, 1)", lfd);
	if (lab_after(listen(lfd, 1), lfd) != 0) {
		lab_close(lfd);
		return 1;
	}
	lab_say("a client connects (in this same program):");
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int cfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(cfd, cfd);
	if (cfd < 0) {
		lab_close(lfd);
		return 1;
	}
	lab_guard(cfd);
	lab_before("connect(%d, %s)", cfd, lab_addr_str((struct sockaddr *)&ss, len, a, sizeof a));
	int r = (int)lab_after(connect(cfd, (struct sockaddr *)&ss, len), cfd);
	int afd = -1;
	if (r == 0) {
		lab_before("accept(%d, NULL, NULL)", lfd);
		afd = accept(lfd, NULL, NULL);
		lab_after(afd, afd);
	}
	if (afd < 0) {
		lab_close(cfd);
		lab_close(lfd);
		return 1;
	}
	lab_show_state(afd);
	lab_tuple_of(afd, t);
	lab_say("if one side closes first, that side ends in TIME_WAIT. The server closes first:");
	int rc = lab_close(afd) != 0;
	rc |= lab_close(cfd) != 0;
	rc |= lab_close(lfd) != 0;
	char b[LAB_ADDRSTRLEN];
	lab_addr_str((struct sockaddr *)&t->local, t->local_len, a, sizeof a);
	lab_addr_str((struct sockaddr *)&t->peer, t->peer_len, b, sizeof b);
	/* the last ACK crosses loopback within milliseconds; wait up to 1 s for it */
	if (lab_wait_gone_state(t, 6, 1000)) {
		lab_say(
		    "/proc/net/tcp: %s -> %s is TIME_WAIT: the server's side, which closed first. "
		    "Linux keeps it 60 s",
		    a, b);
	} else {
		lab_warn("/proc/net/tcp shows no TIME_WAIT for %s -> %s", a, b);
		rc = 1;
	}
	return rc;
}

static int run_time_wait(const struct lab_opts *o)
{
	struct lab_tuple t;
	int tw = 0, listeners = 0;
	lab_title("a server runs, serves one connection, closes it first and exits");
	if (make_time_wait(o, &t) != 0)
		return 1;
	lab_title("the server restarts without SO_REUSEADDR");
	int fd = bind_one(o, o->port, false);
	bool refused = fd < 0 && errno == EADDRINUSE;
	const char *holders = port_holders(o->port, &listeners, &tw);
	if (refused && tw && !listeners)
		lab_say(
		    "/proc/net/tcp{,6} for port %d: %s, no listener: the TIME_WAIT leftover alone "
		    "blocks this bind",
		    o->port, holders);
	else if (refused)
		lab_say("/proc/net/tcp{,6} for port %d: %s", o->port, holders);
	if (fd >= 0 && lab_close(fd) != 0)
		return 1;
	lab_title("the server restarts with SO_REUSEADDR");
	fd = bind_one(o, o->port, true);
	if (fd >= 0) {
		holders = port_holders(o->port, &listeners, &tw);
		lab_say("bound, while /proc/net/tcp{,6} for port %d shows: %s", o->port, holders);
		if (tw && !listeners)
			lab_say(
			    "SO_REUSEADDR (on the old socket and on this one) let the bind past "
			    "the "
			    "TIME_WAIT leftover. Servers set it before bind() for exactly this");
		if (lab_close(fd) != 0)
			return 1;
	}
	return !(refused && fd >= 0);
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	long hold = 0;
	socklen_t hlen = 0;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK && hold_arg && !lab_parse_long(hold_arg, 0, 3600, &hold)) {
		snprintf(err, sizeof err, "--hold wants seconds 0-3600, not '%s'", hold_arg);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK &&
	    lab_make_addr(o.family, o.host, 0, &host_addr, &hlen, err, sizeof err) != 0)
		pr = LAB_PARSE_ERROR;
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
		failed = run_default(&o, hold);
	return lab_exit_code(failed != 0);
}
