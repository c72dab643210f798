/* check_proc.c — the program under test: started in its own process group, watched, always
 * ended and reaped; its /proc counts; the checker's own signal flags and clocks. */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Output kept from the program: enough to show its last lines, capped so a program printing in
 * a loop cannot fill the memory (writes past it fail with EFBIG, SIGXFSZ ignored). */
#define OUTPUT_CAP (16L * 1024 * 1024)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void check_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a peer that vanished is a verdict, not the checker's death */
}

bool check_interrupted(void) { return interrupted != 0; }

double check_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double check_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void check_sleep(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL); /* a signal cuts it short: callers re-check their deadline */
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(char *const *argv, int in_fd, int out_fd, int err_pipe, pid_t parent)
{
	struct sigaction sa;
	sigset_t none;
	struct rlimit fsz = {OUTPUT_CAP, OUTPUT_CAP};
	int e;

	setpgid(0, 0);
	/* Dispositions set to "ignore" survive exec: give the program the defaults back (the
	 * checker ignores SIGPIPE; a program that forgets to must die of it, as it would alone). */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	/* past the output cap a write fails with EFBIG instead of killing the program */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGXFSZ, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the program dies with the checker, even if the checker is killed with SIGKILL */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	setrlimit(RLIMIT_FSIZE, &fsz);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		goto fail;
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(err_pipe, &e, sizeof e) < 0) {
		/* nothing more can be said */
	}
	_exit(127);
}

int check_proc_start(struct check_proc *p, char *const *argv, unsigned port, bool stdin_pipe,
                     char *err, size_t errlen)
{
	int in[2] = {-1, -1}, ep[2];
	char portstr[12];
	pid_t parent = getpid();
	ssize_t r;
	int e;

	*p = (struct check_proc){.pid = -1, .out_fd = -1, .stdin_fd = -1};
	snprintf(portstr, sizeof portstr, "%u", port);
	if (setenv("PORT", portstr, 1) != 0) {
		snprintf(err, errlen, "setenv PORT: %s", strerror(errno));
		return -1;
	}
	p->out_fd = memfd_create("socklab-check-output", MFD_CLOEXEC);
	if (p->out_fd < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if (stdin_pipe) {
		if (pipe2(in, O_CLOEXEC) != 0) {
			snprintf(err, errlen, "pipe: %s", strerror(errno));
			return -1;
		}
	} else {
		in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (in[0] < 0) {
			snprintf(err, errlen, "/dev/null: %s", strerror(errno));
			return -1;
		}
	}
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	p->pid = fork();
	if (p->pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (p->pid == 0)
		child(argv, in[0], p->out_fd, ep[1], parent);
	/* both sides set the group, so it exists whichever runs first */
	setpgid(p->pid, p->pid);
	close(in[0]);
	p->stdin_fd = in[1];
	close(ep[1]);
	do
		r = read(ep[0], &e, sizeof e);
	while (r < 0 && errno == EINTR);
	close(ep[0]);
	if (r == (ssize_t)sizeof e) {
		p->exec_errno = e;
		check_proc_stop(p, 0.1);
	}
	return 0;
}

bool check_proc_poll(struct check_proc *p)
{
	int st;

	if (p->exited || p->pid <= 0)
		return true;
	if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
		p->exited = true;
		p->status = st;
		p->exit_t = check_now();
	}
	return p->exited;
}

bool check_proc_alive(struct check_proc *p) { return !check_proc_poll(p); }

/* Wait for the leader to exit, up to s seconds. */
static bool wait_exit(struct check_proc *p, double s)
{
	double until = check_now() + s;

	while (!check_proc_poll(p)) {
		if (check_now() >= until)
			return false;
		check_sleep(0.01);
	}
	return true;
}

bool check_proc_stop(struct check_proc *p, double grace)
{
	bool killed = false;

	if (p->pid <= 0)
		return false;
	/* the group too: children or threads the program started must not outlive the check */
	if (!check_proc_poll(p))
		kill(-p->pid, SIGTERM);
	if (!wait_exit(p, grace)) {
		killed = true;
		kill(-p->pid, SIGKILL);
		wait_exit(p, 2.0);
	}
	kill(-p->pid, SIGKILL); /* whatever of the group is left after the leader ended */
	if (p->stdin_fd >= 0) {
		close(p->stdin_fd);
		p->stdin_fd = -1;
	}
	return killed;
}

void check_proc_describe(const struct check_proc *p, char *buf, size_t len)
{
	if (p->exec_errno)
		snprintf(buf, len, "could not be started (%s)", strerror(p->exec_errno));
	else if (!p->exited)
		snprintf(buf, len, "still running");
	else if (WIFEXITED(p->status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status))
		snprintf(buf, len, "was killed by SIG%s",
		         sigabbrev_np(WTERMSIG(p->status)) ? sigabbrev_np(WTERMSIG(p->status))
		                                           : "?");
	else
		snprintf(buf, len, "ended");
}

size_t check_proc_output(const struct check_proc *p, char *buf, size_t len)
{
	struct stat st;
	off_t off = 0;
	ssize_t r;

	if (p->out_fd < 0 || len == 0 || fstat(p->out_fd, &st) != 0)
		return 0;
	if (st.st_size > (off_t)len)
		off = st.st_size - (off_t)len;
	r = pread(p->out_fd, buf, len, off);
	return r > 0 ? (size_t)r : 0;
}

void check_proc_output_tail(const struct check_proc *p, char *buf, size_t len)
{
	char raw[400];
	size_t n = check_proc_output(p, raw, sizeof raw);

	while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		n--;
	check_escape(raw, n, buf, len);
}

int check_proc_count(pid_t pid, const char *dir)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, dir);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

long check_proc_vmsize_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmSize: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Whether /proc/PID/fd lists a socket with this inode. */
static bool pid_has_inode(const char *pid, const char *want)
{
	char path[64], link[64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char fdpath[384];
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fdpath, sizeof fdpath, "%s/%s", path, de->d_name);
		n = readlink(fdpath, link, sizeof link - 1);
		if (n > 0) {
			link[n] = '\0';
			found = strcmp(link, want) == 0;
		}
	}
	closedir(d);
	return found;
}

/* The process group of a pid, from /proc/PID/stat (field 5, after the command in parens). */
static long pid_group(const char *pid)
{
	char path[64], buf[512];
	const char *rp;
	long pgrp = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	if (!rp || sscanf(rp + 1, " %*c %*d %ld", &pgrp) != 1)
		return -1;
	return pgrp;
}

bool check_proc_has_inode(pid_t pgid, uint32_t inode)
{
	char want[32], self[16];
	struct dirent *de;
	bool found;
	DIR *d;

	snprintf(want, sizeof want, "socket:[%u]", inode);
	snprintf(self, sizeof self, "%d", (int)pgid);
	found = pid_has_inode(self, want); /* the leader first: usually it holds the socket */
	d = found ? NULL : opendir("/proc");
	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' || strcmp(de->d_name, self) == 0)
			continue;
		if (pid_group(de->d_name) == (long)pgid)
			found = pid_has_inode(de->d_name, want);
	}
	if (d)
		closedir(d);
	return found;
}
