/* threads_io.c — lab08's line I/O (one buffer per connection) and /proc/self counts. */
#include "threads.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int threads_send_line(int fd, const char *line)
{
	char buf[1100];
	int n = snprintf(buf, sizeof buf, "%s\n", line);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	size_t done = 0;
	while (done < (size_t)n) {
		lab_before("send(%d, \"%.*s\\n\", %zu, 0)", fd,
		           n - 1 - (int)done > 0 ? n - 1 - (int)done : 0, buf + done,
		           (size_t)n - done);
		ssize_t w = send(fd, buf + done, (size_t)n - done, 0);
		lab_after(w, fd);
		if (w < 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

long threads_read_line(int fd, struct threads_linebuf *lb, char *out, size_t outlen)
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
		if (lb->len == sizeof lb->buf || lab_stopping())
			return -1;
		lab_before("recv(%d, buf+%zu, %zu, 0)", fd, lb->len, sizeof lb->buf - lb->len);
		ssize_t n = recv(fd, lb->buf + lb->len, sizeof lb->buf - lb->len, 0);
		lab_after(n, fd);
		if (n <= 0)
			return -1;
		lb->len += (size_t)n;
	}
}

int threads_count_proc(const char *dir)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/%s", dir);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	/* opendir holds a descriptor of its own while we count: not one of the lab's. */
	return strcmp(dir, "fd") == 0 ? n - 1 : n;
}

/* pthread_join() returns once the kernel has cleared the thread's tid (at exit_mm), which is
 * before the exited task is reaped and leaves /proc/self/task; a count taken straight after the
 * last join can still see it. Re-read briefly, so "threads: 1" is not reported as a leak. */
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
