/* threads_server.c — lab08's server: the main thread accepts and joins, one thread per client. */
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct session {
	pthread_t tid;
	int fd;
	int id;
	bool running; /* a thread was started and not joined yet */
	bool closing; /* the thread is closing fd: main must not touch it any more */
};

static struct session sessions[THREADS_MAX_SESSIONS];
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;
static int done_pipe[2] = {-1, -1}; /* a finished thread writes its slot number here */

static void *session_main(void *arg)
{
	struct session *s = arg;
	struct threads_linebuf lb = {.len = 0};
	char tag[32], line[1024], reply[1100];
	snprintf(tag, sizeof tag, "conn %d", s->id);
	lab_set_tag(tag);
	lab_say("thread started for descriptor %d", s->fd);
	int lines = 0;
	if (threads_send_line(s->fd, "Welcome!") == 0) {
		while (threads_read_line(s->fd, &lb, line, sizeof line) >= 0) {
			if (strcmp(line, "exit") == 0) {
				lab_say("the client said exit: goodbye, and this thread ends the "
				        "session");
				threads_send_line(s->fd, "Goodbye!");
				break;
			}
			lines++;
			snprintf(reply, sizeof reply, "Hello, %s!", line);
			if (threads_send_line(s->fd, reply) != 0)
				break;
		}
	}
	pthread_mutex_lock(&sessions_lock);
	s->closing = true;
	pthread_mutex_unlock(&sessions_lock);
	struct lab_tuple t;
	lab_tuple_of(s->fd, &t);
	lab_before("close(%d)", s->fd);
	lab_after_gone(close(s->fd), &t);
	lab_say("session over after %d message%s; telling the main thread to join us", lines,
	        lines == 1 ? "" : "s");
	int slot = (int)(s - sessions);
	if (write(done_pipe[1], &slot, sizeof slot) != (ssize_t)sizeof slot)
		lab_warn("could not write to the thread-done pipe: %s", strerror(errno));
	return NULL;
}

static int open_listener(const struct lab_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[128], a[LAB_ADDRSTRLEN];
	int one = 1;
	if (lab_make_addr(o->family, o->host, o->port, &ss, &sslen, err, sizeof err) != 0) {
		lab_warn("%s", err);
		return -1;
	}
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
	lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, sslen, a, sizeof a));
	if (lab_after(bind(fd, (struct sockaddr *)&ss, sslen), fd) != 0 ||
	    (lab_before("listen(%d, 64)", fd), lab_after(listen(fd, 64), fd)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Join the thread of one slot, narrated. */
static void join_slot(int slot)
{
	struct session *s = &sessions[slot];
	lab_before("pthread_join(conn %d)", s->id);
	int rc = pthread_join(s->tid, NULL);
	errno = rc;
	lab_after_plain(rc == 0 ? 0 : -1);
	pthread_mutex_lock(&sessions_lock);
	s->running = false;
	pthread_mutex_unlock(&sessions_lock);
}

static int running_count(void)
{
	int n = 0;
	for (int i = 0; i < THREADS_MAX_SESSIONS; i++)
		n += sessions[i].running;
	return n;
}

/* Start a thread for a new connection; false if there was no room or no thread. */
static bool start_session(int c, int id)
{
	int slot = -1;
	for (int i = 0; i < THREADS_MAX_SESSIONS && slot < 0; i++)
		if (!sessions[i].running)
			slot = i;
	if (slot < 0) {
		lab_warn("%d sessions already running: refusing this one", THREADS_MAX_SESSIONS);
		return false;
	}
	struct session *s = &sessions[slot];
	pthread_mutex_lock(&sessions_lock);
	*s = (struct session){.fd = c, .id = id, .running = true};
	pthread_mutex_unlock(&sessions_lock);
	lab_guard(c);
	lab_before("pthread_create(&tid, NULL, session_main, conn %d)", id);
	int rc = pthread_create(&s->tid, NULL, session_main, s);
	errno = rc;
	lab_after_plain(rc == 0 ? 0 : -1);
	if (rc != 0) {
		s->running = false;
		return false;
	}
	return true;
}

/* Ctrl-C: wake every running session (its recv() returns 0), then join them all. */
static void stop_sessions(void)
{
	pthread_mutex_lock(&sessions_lock);
	for (int i = 0; i < THREADS_MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (s->running && !s->closing) {
			lab_before("shutdown(%d, SHUT_RDWR)", s->fd);
			lab_after(shutdown(s->fd, SHUT_RDWR), s->fd);
		}
	}
	pthread_mutex_unlock(&sessions_lock);
	for (int i = 0; i < THREADS_MAX_SESSIONS; i++)
		if (sessions[i].running)
			join_slot(i);
}

static void report_counts(long ended)
{
	lab_say("sessions ended: %ld, running: %d; descriptors open: %d, threads: %d", ended,
	        running_count(), threads_count_proc("fd"), threads_count_proc("task"));
}

bool threads_server(const struct lab_opts *o, long count)
{
	int base_fds = threads_count_proc("fd"), base_tasks = threads_count_proc("task");
	lab_say("at start: %d descriptors open (0-2: stdin, stdout, stderr), %d thread", base_fds,
	        base_tasks);
	lab_before("pipe2(done_pipe, O_CLOEXEC)");
	if (lab_after_plain(pipe2(done_pipe, O_CLOEXEC)) != 0)
		return false;
	lab_say("finished threads write their slot number into this pipe, so the main thread "
	        "wakes up and joins them");
	int lfd = open_listener(o);
	if (lfd < 0)
		return false;
	lab_say(
	    "waiting for clients: start  lab08-threads client --clients 3  in another terminal");
	long ended = 0, started = 0;
	bool ok = true;
	int timeout_ms = o->timeout_s > 0 ? o->timeout_s * 1000 : -1;
	while (!lab_stopping() && (count == 0 || ended < count)) {
		struct pollfd p[2] = {{.fd = lfd, .events = POLLIN},
		                      {.fd = done_pipe[0], .events = POLLIN}};
		lab_before("poll([%d listener, %d done-pipe], 2, %d)", lfd, done_pipe[0],
		           timeout_ms);
		int r = poll(p, 2, timeout_ms);
		lab_after(r, lfd);
		if (r < 0) {
			ok = errno == EINTR && lab_stopping();
			break;
		}
		if (r == 0)
			lab_say(
			    "nothing happened for %d s; polling again (Ctrl-C stops the server)",
			    o->timeout_s);
		if (p[1].revents & POLLIN) {
			int slot;
			if (read(done_pipe[0], &slot, sizeof slot) == (ssize_t)sizeof slot &&
			    slot >= 0 && slot < THREADS_MAX_SESSIONS && sessions[slot].running) {
				join_slot(slot);
				ended++;
				report_counts(ended);
			}
		}
		if (p[0].revents & POLLIN) {
			struct sockaddr_storage peer;
			socklen_t plen = sizeof peer;
			char a[LAB_ADDRSTRLEN];
			lab_before("accept(%d, &peer, &len)", lfd);
			int c = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
			lab_after(c, c);
			if (c < 0)
				continue;
			started++;
			lab_say(
			    "conn %ld is %s: a new thread will serve it; the main thread goes back "
			    "to waiting",
			    started, lab_addr_str((struct sockaddr *)&peer, plen, a, sizeof a));
			if (!start_session(c, (int)started)) {
				lab_before("close(%d)", c);
				lab_after(close(c), -1);
			}
		}
	}
	stop_sessions();
	lab_before("close(%d)", lfd);
	lab_after(close(lfd), -1);
	close(done_pipe[0]);
	close(done_pipe[1]);
	int fds = threads_count_proc("fd");
	int tasks = threads_count_proc_settled("task", base_tasks);
	lab_say("at the end: %d descriptors open (at start: %d), %d thread (at start: %d)", fds,
	        base_fds, tasks, base_tasks);
	if (fds != base_fds || tasks != base_tasks) {
		lab_warn("LEAK: descriptors or threads were not given back");
		ok = false;
	} else {
		lab_say("no leak: every accepted descriptor was closed and every thread joined");
	}
	return ok;
}
