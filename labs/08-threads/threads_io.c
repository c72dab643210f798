/* threads_io.c — lab08's message I/O (unframed as in the tutorials, or one line per message;
 * one buffer per connection) and /proc/self counts. */
#include "threads.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int threads_send_msg(int fd, const char *msg, enum threads_framing framing)
{
	char buf[1100], shown[400];
	int n = snprintf(buf, sizeof buf, "%s%s", msg, framing == THREADS_NEWLINE ? "\n" : "");
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	size_t done = 0;
	while (done < (size_t)n) {
		lab_before("send(%d, \"%s\", %zu, 0)", fd,
		           lab_escape(buf + done, (size_t)n - done, shown, sizeof shown),
		           (size_t)n - done);
		ssize_t w = send(fd, buf + done, (size_t)n - done, 0);
		lab_after(w, fd);
		if (w < 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* The next newline-terminated line, without its newline. */
static long read_line(int fd, struct threads_linebuf *lb, char *out, size_t outlen)
{
	for (;;) {
		char *nl = memchr(lb->buf, '\n', lb->len);
		if (nl) {
			size_t n = (size_t)(nl - lb->buf);
			size_t copy = n < outlen - 1 ? n : outlen - 1;
			memcpy(out, lb->buf, copy);
			out[copy] = '\0';
			lb->len -= n + 1;
			memmove(lb->buf, nl + 1, lb->len);
			return (long)copy;
		}
		if (lb->len == sizeof lb->buf) {
			lab_warn("a line longer than %zu bytes: giving up on it", sizeof lb->buf);
			return -1;
		}
		if (lab_stopping())
			return -1;
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, lb->len, sizeof lb->buf - lb->len);
		ssize_t n = recv(fd, lb->buf + lb->len, sizeof lb->buf - lb->len, 0);
		lab_after(n, fd);
		if (n <= 0) {
			if (n == 0)
				errno = 0; /* end of stream, not an error */
			return -1;
		}
		lb->len += (size_t)n;
	}
}

long threads_recv_msg(int fd, struct threads_linebuf *lb, char *out, size_t outlen,
                      enum threads_framing framing)
{
	if (framing == THREADS_NEWLINE)
		return read_line(fd, lb, out, outlen);
	/* Unframed, as the tutorials' recv(1024): whatever one recv() returns is "a message".
	 * That holds only while the peer waits for each reply before it sends again. */
	if (lab_stopping())
		return -1;
	size_t want = outlen - 1 < 1024 ? outlen - 1 : 1024;
	lab_before("recv(%d, buf, %zu, 0)", fd, want);
	ssize_t n = recv(fd, out, want, 0);
	lab_after(n, fd);
	if (n <= 0) {
		if (n == 0)
			errno = 0;
		return -1;
	}
	out[n] = '\0';
	return (long)n;
}

long threads_expect(int fd, struct threads_linebuf *lb, const char *want, char *out, size_t outlen,
                    enum threads_framing framing)
{
	if (framing == THREADS_NEWLINE)
		return read_line(fd, lb, out, outlen);
	/* Unframed: a reply may come in pieces (TCP is a byte stream, lab05). This reader knows
	 * what it expects, so it reads on while what came is the start of it; a program that
	 * does not know the reply's length could not tell, which is what framing is for. */
	size_t wl = strlen(want), got = 0;
	char shown[400];
	while (got < wl && got < outlen - 1) {
		if (lab_stopping())
			return -1;
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, got, outlen - 1 - got);
		ssize_t n = recv(fd, out + got, outlen - 1 - got, 0);
		lab_after(n, fd);
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		got += (size_t)n;
		out[got] = '\0';
		if (got < wl && memcmp(out, want, got) == 0)
			lab_say(
			    "only %zu of the %zu bytes of the reply so far (\"%s\"): reading on",
			    got, wl, lab_escape(out, got, shown, sizeof shown));
		else
			break;
	}
	out[got] = '\0';
	return (long)got;
}

int threads_count_proc(const char *dir)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", dir);
	/* no session thread's marker socket or /proc/net/tcp read is open while we count */
	lab_scratch_lock();
	DIR *d = opendir(path);
	if (!d) {
		lab_scratch_unlock();
		return -1;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	lab_scratch_unlock();
	/* opendir holds a descriptor of its own while we count: not one of the lab's. */
	return strcmp(dir, "fd") == 0 ? n - 1 : n;
}

bool threads_only_stdio(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return false;
	int own = dirfd(d);
	bool only = true;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int fd;
		if (e->d_name[0] == '.' || sscanf(e->d_name, "%d", &fd) != 1 || fd == own)
			continue;
		only &= fd <= 2;
	}
	closedir(d);
	return only;
}

/* pthread_join() returns once the kernel has cleared the thread's tid (at exit_mm), which is
 * before the exited task is reaped and leaves /proc/self/task; a count taken straight after the
 * join can still see it. Re-read briefly, so a joined thread is not counted as alive. */
int threads_count_proc_settled(const char *dir, int want)
{
	int n = threads_count_proc(dir);
	for (int i = 0; i < 50 && n > want; i++) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
		n = threads_count_proc(dir);
	}
	return n;
}
