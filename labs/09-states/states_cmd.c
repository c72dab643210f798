/* states_cmd.c — lab09's outside commands (ip, nft, ss), and the private network namespace
 * with its nftables table that the simultaneous scenarios need. */
#include "states.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool ns_created, ns_entered, nft_table;

/* The command line as a person would type it (arguments with spaces in single quotes). */
static void command_text(const char *const argv[], char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; argv[i] && o < len; i++) {
		bool quote = strpbrk(argv[i], " (){}|&;") != NULL;
		o += (size_t)snprintf(buf + o, len - o, "%s%s%s%s", i ? " " : "", quote ? "'" : "",
		                      argv[i], quote ? "'" : "");
	}
}

/* Show the command's output, one narration line per output line. */
static void show_output(int fd)
{
	char buf[4096], line[512];
	size_t ll = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0 ||
	       (n < 0 && errno == EINTR && !lab_stopping())) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || ll == sizeof line - 1) {
				line[ll] = '\0';
				lab_say("| %s", line);
				ll = 0;
				if (buf[i] == '\n')
					continue;
			}
			line[ll++] = buf[i] == '\t' ? ' ' : buf[i];
		}
	}
	if (ll) {
		line[ll] = '\0';
		lab_say("| %s", line);
	}
}

static int run_command(const char *const argv[], bool pause)
{
	char text[600];
	int p[2];
	command_text(argv, text, sizeof text);
	if (pause)
		lab_before("%s", text);
	else
		lab_say("at once, no pause: %s", text);
	if (pipe2(p, O_CLOEXEC) != 0) {
		lab_warn("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		lab_warn("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	show_output(p[0]);
	close(p[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (code == 127) {
		lab_warn("%s is not installed (Debian: %s)", argv[0],
		         strcmp(argv[0], "nft") == 0 ? "nftables" : "iproute2");
		return -1;
	}
	if (code != 0)
		lab_warn("%s failed (exit status %d)", argv[0], code);
	return code;
}

int states_run(const char *const argv[]) { return run_command(argv, true); }

int states_nft(const char *fmt, ...)
{
	char rule[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rule, sizeof rule, fmt, ap);
	va_end(ap);
	const char *const argv[] = {"nft", rule, NULL};
	return run_command(argv, true);
}

int states_nft_now(const char *fmt, ...)
{
	char rule[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rule, sizeof rule, fmt, ap);
	va_end(ap);
	const char *const argv[] = {"nft", rule, NULL};
	return run_command(argv, false);
}

void states_ss(const struct lab_tuple *conns, int n)
{
	static bool have_ss = true;
	char filter[1024], a[LAB_ADDRSTRLEN], b[LAB_ADDRSTRLEN];
	size_t o = 0;
	if (!have_ss)
		return;
	filter[0] = '\0';
	for (int i = 0; i < n && o < sizeof filter; i++) {
		const struct lab_tuple *t = &conns[i];
		if (!t->local_len)
			continue;
		lab_addr_str((const struct sockaddr *)&t->local, t->local_len, a, sizeof a);
		if (t->peer_len)
			o += (size_t)snprintf(filter + o, sizeof filter - o,
			                      "%s( src %s and dst %s )", o ? " or " : "", a,
			                      lab_addr_str((const struct sockaddr *)&t->peer,
			                                   t->peer_len, b, sizeof b));
		else
			o += (size_t)snprintf(filter + o, sizeof filter - o,
			                      "%s( src %s and dport = :0 )", o ? " or " : "", a);
	}
	if (!filter[0] || o >= sizeof filter)
		return;
	const char *const argv[] = {"ss", "-tano", filter, NULL};
	if (states_run(argv) < 0)
		have_ss = false;
}

static bool in_path(const char *prog)
{
	static const char *const dirs[] = {"/usr/sbin", "/sbin",           "/usr/bin",
	                                   "/bin",      "/usr/local/sbin", "/usr/local/bin"};
	char path[128];
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dirs[i], prog);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

bool states_netns_enter(void)
{
	const char *name = states_opt.netns;
	char path[128];
	if (geteuid() != 0) {
		lab_warn(
		    "not permitted: this scenario needs root. It makes a private network namespace "
		    "(%s) with an nftables rule inside it, so nothing outside it is touched.",
		    name);
		lab_say("run it as:  sudo lab09-states <scenario>   (a namespace the lab makes is "
		        "deleted at the end)");
		return false;
	}
	if (!in_path("ip") || !in_path("nft")) {
		lab_warn("this scenario needs the ip and nft commands: install the Debian packages "
		         "iproute2 and nftables (sudo apt-get install iproute2 nftables)");
		return false;
	}
	lab_title("a private network namespace: its own loopback, its own firewall");
	snprintf(path, sizeof path, "/run/netns/%s", name);
	struct stat st;
	if (stat(path, &st) == 0) {
		lab_say("namespace %s exists already: using it, and leaving it in place", name);
	} else {
		const char *const add[] = {"ip", "netns", "add", name, NULL};
		if (states_run(add) != 0) {
			lab_warn("could not make the namespace %s: not permitted here (a container "
			         "without CAP_SYS_ADMIN?)",
			         name);
			return false;
		}
		ns_created = true;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	lab_before("setns(open(\"%s\"), CLONE_NEWNET)", path);
	int r = fd < 0 ? -1 : setns(fd, CLONE_NEWNET);
	lab_after_plain(r);
	if (fd >= 0)
		close(fd); /* the namespace's file, not a socket */
	if (r != 0) {
		states_netns_leave();
		return false;
	}
	ns_entered = true;
	const char *const up[] = {"ip", "link", "set", "lo", "up", NULL};
	if (states_run(up) != 0) {
		states_netns_leave();
		return false;
	}
	lab_say("this process now lives in %s: its sockets, its lo, its own nftables rules", name);
	lab_say("to watch it in the tracer, in another terminal:  sudo ip netns exec %s tcpscope",
	        name);
	if (states_nft("add table inet socklab") != 0 ||
	    states_nft("flush table inet socklab") != 0) {
		states_netns_leave();
		return false;
	}
	nft_table = true;
	return true;
}

void states_netns_leave(void)
{
	const char *name = states_opt.netns;
	states_as(NULL);
	if (nft_table) {
		nft_table = false;
		states_nft("delete table inet socklab");
	}
	if (ns_created && !states_opt.keep_netns) {
		const char *const del[] = {"ip", "netns", "delete", name, NULL};
		states_run(del);
	} else if (ns_created) {
		lab_say("kept namespace %s; delete it with  sudo ip netns delete %s", name, name);
	}
	ns_created = ns_entered = false;
}
