/* lab01.c — lab01-socket: socket() makes a descriptor and a kernel socket, and sends nothing. */
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
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

/* Rows of /proc/net/tcp and /proc/net/tcp6 whose inode column is ino: the kernel's TCP tables
 * (listeners, connections, TIME_WAIT), the same ones ss -tan lists. -1 if neither is readable. */
static int rows_with_inode(unsigned long ino)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	int rows = 0, readable = 0;
	char line[512];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *f = fopen(files[i], "re");
		if (!f)
			continue;
		readable++;
		while (fgets(line, sizeof line, f)) {
			unsigned long row_ino;
			/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
			if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %lu", &row_ino) ==
			        1 &&
			    row_ino == ino)
				rows++;
		}
		fclose(f);
	}
	return readable ? rows : -1;
}

static int run_exhaust(int family)
{
	struct rlimit old, rl;
	int fds[32], n = 0, result = 1;
	lab_before("getrlimit(RLIMIT_NOFILE, &old)");
	if (lab_after_plain(getrlimit(RLIMIT_NOFILE, &old)) != 0)
		return 1;
	rl = old;
	rl.rlim_cur = 16; /* only the soft limit: it can be raised back afterwards */
	lab_before("setrlimit(RLIMIT_NOFILE, {cur=16, max=%ld})", (long)old.rlim_max);
	if (lab_after_plain(setrlimit(RLIMIT_NOFILE, &rl)) != 0)
		return 1;
	while (n < 32 && !lab_stopping()) {
		lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(family));
		int fd = socket(family, SOCK_STREAM, 0);
		lab_after(fd, fd);
		if (fd < 0) {
			if (errno == EMFILE && n > 0) {
				lab_say("EMFILE after %d sockets (descriptors %d-%d): with the "
				        "soft limit at "
				        "16, descriptors 0-15 are all taken, so no further one can "
				        "open. A "
				        "server that forgets close() ends here",
				        n, fds[0], fds[n - 1]);
				result = 0;
			}
			break;
		}
		fds[n++] = fd;
	}
	if (n == 32)
		lab_warn("32 sockets and no EMFILE: the limit did not apply");
	while (n > 0)
		if (lab_close(fds[--n]) != 0)
			result = 1;
	lab_before("setrlimit(RLIMIT_NOFILE, {cur=%ld, max=%ld})", (long)old.rlim_cur,
	           (long)old.rlim_max);
	if (lab_after_plain(setrlimit(RLIMIT_NOFILE, &old)) != 0)
		result = 1;
	return result;
}

/* Which descriptors below fd are open (fcntl F_GETFD succeeds on an open one). */
static int open_below(int fd)
{
	int open = 0;
	for (int i = 0; i < fd; i++)
		open += fcntl(i, F_GETFD) != -1;
	return open;
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
	if (fd == 3 && open_below(fd) == 3)
		lab_say("descriptor 3: the kernel hands out the lowest free number, and 0, 1, 2 "
		        "(stdin, stdout, stderr) are open");
	else
		lab_say("descriptor %d: the kernel hands out the lowest free number; %d of the "
		        "descriptors below it are open in this process",
		        fd, open_below(fd));

	/* 2. What is behind the number: /proc/self/fd/N is a link to "socket:[inode]". */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	lab_before("readlink(\"%s\", target, %zu)", path, sizeof target - 1);
	ssize_t n = readlink(path, target, sizeof target - 1);
	lab_after_plain(n);
	unsigned long ino = 0;
	if (n >= 0) {
		target[n] = '\0';
		lab_say("/proc/%ld/fd/%d -> %s: the kernel object behind the number (an inode in "
		        "sockfs)",
		        (long)getpid(), fd, target);
		if (sscanf(target, "socket:[%lu]", &ino) != 1)
			ino = 0;
	}

	/* 3. The kernel's view: a TCP socket that has no address and no peer is CLOSED. */
	lab_show_state(fd);
	int rows = ino ? rows_with_inode(ino) : -1;
	if (rows == 0)
		lab_say("no row of /proc/net/tcp or /proc/net/tcp6 has inode %lu: the kernel's TCP "
		        "tables, which ss -tan lists, do not hold this socket",
		        ino);
	else if (rows > 0)
		lab_say("/proc/net/tcp{,6} has %d row(s) with inode %lu", rows, ino);
	long segs_after = out_segs();
	if (segs_before >= 0 && segs_after >= 0 && segs_after == segs_before)
		lab_say("Tcp OutSegs (segments this machine sent, all programs) before %ld, after "
		        "%ld: nothing was sent meanwhile",
		        segs_before, segs_after);
	else if (segs_before >= 0 && segs_after >= 0)
		lab_say("Tcp OutSegs (segments this machine sent, all programs) before %ld, after "
		        "%ld: other programs sent %ld; this socket has no peer to send to",
		        segs_before, segs_after, segs_after - segs_before);
	lab_say("if tcpscope runs, it shows no segment for this lab: the socket has no peer");

	if (hold_s > 0) {
		lab_say(
		    "holding the socket for %ld s: try  ls -l /proc/%ld/fd  and  ss -tane | grep "
		    "ino:%lu",
		    hold_s, (long)getpid(), ino);
		for (long i = 0; i < hold_s && !lab_stopping(); i++)
			sleep(1);
	}

	/* 4. Give it back. */
	return lab_exit_code(lab_close(fd) != 0);
}
