/* lab01.c — lab01-socket: socket() makes a descriptor and a kernel socket, and sends nothing. */
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static bool exhaust;
static const char *hold;

static const struct lab_flag flags[] = {
    {"hold", "S", "keep the socket open S seconds so you can look at it (ls -l /proc/PID/fd)", NULL,
     &hold},
    {"exhaust", NULL, "lower the descriptor limit to 16 and make sockets until EMFILE", &exhaust,
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab01-socket",
    .summary = "socket() creates a descriptor and a TCP socket in state CLOSED; nothing is sent",
    .teaches = "socket(AF_INET, SOCK_STREAM, 0) asks the kernel for a TCP socket. You get back a\n"
               "small number, a file descriptor (the lowest free one: 0-2 are stdin/out/err, so\n"
               "usually 3). /proc/self/fd/3 shows it is a socket with an inode number. The\n"
               "kernel's TCP state is CLOSED, and no packet goes on the wire: a socket has no\n"
               "address and no peer yet.",
    .flags = flags,
    .examples = "  lab01-socket\n  lab01-socket -6 --hold 30\n  lab01-socket --exhaust",
};

/* Tcp OutSegs from /proc/net/snmp: segments this machine has sent (all programs). */
static long out_segs(void)
{
	FILE *f = fopen("/proc/net/snmp", "re");
	char hdr[1024], val[1024];
	long result = -1;
	if (!f)
		return -1;
	while (fgets(hdr, sizeof hdr, f) && fgets(val, sizeof val, f)) {
		if (strncmp(hdr, "Tcp:", 4) != 0)
			continue;
		char *hs, *vs, *h = strtok_r(hdr, " \n", &hs), *v = strtok_r(val, " \n", &vs);
		while (h && v) {
			if (strcmp(h, "OutSegs") == 0)
				result = atol(v);
			h = strtok_r(NULL, " \n", &hs);
			v = strtok_r(NULL, " \n", &vs);
		}
	}
	fclose(f);
	return result;
}

static int run_exhaust(int family)
{
	struct rlimit old, rl;
	int fds[32], n = 0, result = 1;
	if (getrlimit(RLIMIT_NOFILE, &old) != 0)
		return 1;
	rl = old;
	rl.rlim_cur = 16; /* only the soft limit: it can be raised back afterwards */
	lab_before("setrlimit(RLIMIT_NOFILE, {cur=16, max=%ld})", (long)old.rlim_max);
	lab_after(setrlimit(RLIMIT_NOFILE, &rl), -1);
	while (n < 32 && !lab_stopping()) {
		lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(family));
		int fd = socket(family, SOCK_STREAM, 0);
		lab_after(fd, fd);
		if (fd < 0) {
			lab_say(
			    "descriptors 0-15 are all in use: the 17th open fails. Servers that "
			    "forget close() end here.");
			result = 0;
			break;
		}
		fds[n++] = fd;
	}
	while (n > 0)
		close(fds[--n]);
	setrlimit(RLIMIT_NOFILE, &old);
	lab_say("closed them all and restored the limit");
	return result;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256], path[64], target[256];
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	long hold_s = 0;
	if (pr == LAB_PARSE_OK && hold && !lab_parse_long(hold, 0, 3600, &hold_s)) {
		snprintf(err, sizeof err, "--hold wants seconds 0-3600, not '%s'", hold);
		pr = LAB_PARSE_ERROR;
	}
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);
	if (exhaust)
		return lab_exit_code(run_exhaust(o.family) != 0);

	long segs_before = out_segs();

	/* 1. Ask the kernel for a TCP socket. */
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o.family));
	int fd = socket(o.family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return lab_exit_code(true);
	lab_say("descriptor %d: 0, 1 and 2 are stdin, stdout and stderr, so a new descriptor is "
	        "usually 3",
	        fd);

	/* 2. What is behind the number: /proc/self/fd/N is a link to "socket:[inode]". */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	lab_before("readlink(\"%s\")", path);
	ssize_t n = readlink(path, target, sizeof target - 1);
	lab_after(n, fd);
	if (n >= 0) {
		target[n] = '\0';
		lab_say("/proc/%ld/fd/%d -> %s: the kernel object behind the number (an inode in "
		        "sockfs)",
		        (long)getpid(), fd, target);
	}

	/* 3. The kernel's view: a TCP socket that has no address and no peer is CLOSED. */
	lab_show_state(fd);
	lab_say("ss -tan does not list it yet: the kernel lists a TCP socket once it is bound or "
	        "connected");
	long segs_after = out_segs();
	if (segs_before >= 0 && segs_after >= 0)
		lab_say(
		    "Tcp OutSegs (segments this machine sent, all programs) before %ld, after %ld: "
		    "socket() sent nothing%s",
		    segs_before, segs_after,
		    segs_after == segs_before ? ""
		                              : " (the difference is other programs' traffic)");
	lab_say("tcpscope shows no packet for this lab: nothing went on the wire");

	if (hold_s > 0) {
		lab_say("holding the socket for %ld s: try  ls -l /proc/%ld/fd", hold_s,
		        (long)getpid());
		for (long i = 0; i < hold_s && !lab_stopping(); i++)
			sleep(1);
	}

	/* 4. Give it back. */
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	int r = close(fd);
	lab_after_gone(r, &t);
	return lab_exit_code(r != 0);
}
