/* threads_server.c — lab08's server: the main thread accepts and joins, one thread per client. */
#include "threads.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
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
static const struct threads_server_opts *sopts;

static void *session_main(void *arg)
{
	struct session *s = arg;
	struct threads_linebuf lb = {.len = 0};
	char tag[32], msg[1025], reply[1100], shown[400];
	bool newline = sopts->framing == THREADS_NEWLINE;
	snprintf(tag, sizeof tag, "conn %d", s->id);
	lab_set_tag(tag);
	lab_say("thread started for descriptor %d", s->fd);
	int msgs = 0;
	if (threads_send_msg(s->fd, "Welcome!", sopts->framing) == 0) {
		for (;;) {
			long n = threads_recv_msg(s->fd, &lb, msg, sizeof msg, sopts->framing);
			if (n < 0) {
				if (errno == 0)
					lab_say("recv() returned 0: the client closed its side");
				else if (errno == EAGAIN && sopts->idle_s > 0)
					lab_say(
					    "no message for %ld s (--idle): this thread ends the "
					    "session, so an idle client cannot keep its place",
					    sopts->idle_s);
				break;
			}
			lab_escape(msg, (size_t)n, shown, sizeof shown);
			if (newline)
				lab_say("line: \"%s\"", shown);
			else
				lab_say("message: \"%s\" (no framing: the %ld bytes this recv() "
				        "returned are taken as one message)",
				        shown, n);
			if (strcmp(msg, "exit") == 0) {
				lab_say("the client said exit: this thread ends the session");
				break;
			}
			msgs++;
			snprintf(reply, sizeof reply, "Hello, %s!", msg);
			if (threads_send_msg(s->fd, reply, sopts->framing) != 0)
				break;
		}
	}
	pthread_mutex_lock(&sessions_lock);
	s->closing = true;
	pthread_mutex_unlock(&sessions_lock);
	lab_close(s->fd);
	lab_say("session over after %d message%s; telling the main thread to join us", msgs,
	        msgs == 1 ? "" : "s");
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
	lab_before("socket(%s, SOCK_STREAM | SOCK_CLOEXEC, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return -1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", fd);
	lab_after(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), fd);
	lab_before("bind(%d, %s)", fd, lab_addr_str((struct sockaddr *)&ss, sslen, a, sizeof a));
	if (lab_after(bind(fd, (struct sockaddr *)&ss, sslen), fd) != 0) {
		lab_close(fd);
		return -1;
	}
	lab_before("listen(%d, 64)", fd);
	if (lab_after(listen(fd, 64), fd) != 0) {
		lab_close(fd);
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
	pthread_mutex_lock(&sessions_lock);
	for (int i = 0; i < THREADS_MAX_SESSIONS; i++)
		n += sessions[i].running;
	pthread_mutex_unlock(&sessions_lock);
	return n;
}

/* Too many sessions: say so to the client in one line and close, instead of a silent drop
 * (the client would wait for a Welcome! that never comes). */
static void refuse(int c, int id)
{
	char line[128];
	int n = snprintf(line, sizeof line,
	                 "Sorry, the server is busy (%ld sessions): try again later\n",
	                 sopts->max_sessions);
	lab_warn("conn %d: %ld sessions are running (--max-sessions): refusing this one politely",
	         id, sopts->max_sessions);
	lab_before("send(%d, \"Sorry, the server is busy (%ld sessions): try again later\\n\", %d, "
	           "MSG_DONTWAIT)",
	           c, sopts->max_sessions, n);
	lab_after(send(c, line, (size_t)n, MSG_DONTWAIT), c);
	lab_close(c);
}

/* Give a session its idle limit: SO_RCVTIMEO, so its recv() fails with EAGAIN after idle_s. */
static void set_idle(int c)
{
	if (sopts->idle_s <= 0)
		return;
	struct timeval tv = {.tv_sec = sopts->idle_s, .tv_usec = 0};
	lab_before("setsockopt(%d, SOL_SOCKET, SO_RCVTIMEO, {%ld s})", c, sopts->idle_s);
	lab_after(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), c);
}

/* Start a thread for a new connection; false if there was no room or no thread. */
static bool start_session(int c, int id)
{
	int slot = -1;
	if (running_count() >= sopts->max_sessions) {
		refuse(c, id);
		return true; /* handled: c is closed */
	}
	for (int i = 0; i < THREADS_MAX_SESSIONS && slot < 0; i++)
		if (!sessions[i].running)
			slot = i;
	if (slot < 0) {
		refuse(c, id);
		return true;
	}
	struct session *s = &sessions[slot];
	pthread_mutex_lock(&sessions_lock);
	*s = (struct session){.fd = c, .id = id, .running = true};
	pthread_mutex_unlock(&sessions_lock);
	lab_guard(c);
	set_idle(c);
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

/* The counts after a join, against the counts with no session: each session not joined yet
 * holds at most one descriptor and one thread (fewer once it has closed or exited, which it
 * may have done before the main thread got round to joining it). */
static void report_counts(long ended, int idle_fds, int idle_tasks)
{
	int waiting = running_count();
	int fds = threads_count_proc("fd");
	int tasks = threads_count_proc_settled("task", idle_tasks + waiting);
	lab_say("sessions ended: %ld, not joined yet: %d; /proc/self/fd: %d descriptors, "
	        "/proc/self/task: %d thread%s",
	        ended, waiting, fds, tasks, tasks == 1 ? "" : "s");
	if (waiting == 0 && fds == idle_fds && tasks == idle_tasks)
		lab_say("back to %d descriptors and %d thread, as before any session: nothing left "
		        "behind",
		        idle_fds, idle_tasks);
	else if (waiting > 0 && fds >= idle_fds && fds <= idle_fds + waiting &&
	         tasks >= idle_tasks && tasks <= idle_tasks + waiting)
		lab_say("%d more descriptor%s and %d more thread%s than before any session: the %d "
		        "session%s not joined yet hold at most one of each",
		        fds - idle_fds, fds - idle_fds == 1 ? "" : "s", tasks - idle_tasks,
		        tasks - idle_tasks == 1 ? "" : "s", waiting, waiting == 1 ? "" : "s");
	else
		lab_warn("more than the %d session%s not joined yet can hold (before any session: "
		         "%d descriptors, %d thread)",
		         waiting, waiting == 1 ? "" : "s", idle_fds, idle_tasks);
}

bool threads_server(const struct lab_opts *o, const struct threads_server_opts *so)
{
	sopts = so;
	int base_fds = threads_count_proc("fd"), base_tasks = threads_count_proc("task");
	lab_say("this server is process %d (ls /proc/%d/task lists its threads); at start "
	        "/proc/self/fd has %d descriptors%s and /proc/self/task %d thread%s",
	        (int)getpid(), (int)getpid(), base_fds,
	        threads_only_stdio() ? " (0-2: stdin, stdout, stderr)" : "", base_tasks,
	        base_tasks == 1 ? "" : "s");
	lab_before("pipe2(done_pipe, O_CLOEXEC)");
	if (lab_after_plain(pipe2(done_pipe, O_CLOEXEC)) != 0)
		return false;
	lab_say("finished threads write their slot number into this pipe, so the main thread "
	        "wakes up and joins them");
	int lfd = open_listener(o);
	if (lfd < 0) {
		close(done_pipe[0]);
		close(done_pipe[1]);
		return false;
	}
	int idle_fds = threads_count_proc("fd"), idle_tasks = threads_count_proc("task");
	lab_say("with the pipe and the listener: %d descriptors, %d thread", idle_fds, idle_tasks);
	long idle = so->idle_s > 0 ? so->idle_s : (long)o->timeout_s;
	char idle_text[96];
	if (idle > 0)
		snprintf(idle_text, sizeof idle_text,
		         "each ended after %ld s without a message (%s)", idle,
		         so->idle_s > 0 ? "--idle" : "--timeout");
	else
		snprintf(idle_text, sizeof idle_text,
		         "none ended for being idle (--idle 0, --timeout 0)");
	lab_say("messages: %s; at most %ld sessions at once (--max-sessions), %s",
	        so->framing == THREADS_NEWLINE
	            ? "one per line (--framing=newline)"
	            : "unframed as in the tutorials: each recv() is taken as one message",
	        so->max_sessions, idle_text);
	lab_say("waiting for clients: start  lab08-threads client --clients 3  in another "
	        "terminal");
	long ended = 0, started = 0;
	bool ok = true;
	int timeout_ms = o->timeout_s > 0 ? o->timeout_s * 1000 : -1;
	while (!lab_stopping() && (so->count == 0 || ended < so->count)) {
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
				report_counts(ended, idle_fds, idle_tasks);
			}
		}
		if (p[0].revents & POLLIN) {
			struct sockaddr_storage peer;
			socklen_t plen = sizeof peer;
			char a[LAB_ADDRSTRLEN];
			lab_before("accept4(%d, &peer, &len, SOCK_CLOEXEC)", lfd);
			int c = accept4(lfd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
			lab_after(c, c);
			if (c < 0)
				continue;
			started++;
			lab_say("conn %ld is %s", started,
			        lab_addr_str((struct sockaddr *)&peer, plen, a, sizeof a));
			if (!start_session(c, (int)started))
				lab_close(c);
		}
	}
	stop_sessions();
	lab_close(lfd);
	lab_before("close(%d) and close(%d)  (the done-pipe)", done_pipe[0], done_pipe[1]);
	int r0 = close(done_pipe[0]), r1 = close(done_pipe[1]);
	lab_after_plain(r0 != 0 ? r0 : r1);
	int fds = threads_count_proc("fd");
	int tasks = threads_count_proc_settled("task", base_tasks);
	lab_say("at the end: %d descriptors open (at start: %d), %d thread%s (at start: %d)", fds,
	        base_fds, tasks, tasks == 1 ? "" : "s", base_tasks);
	if (fds != base_fds || tasks != base_tasks) {
		lab_warn("LEAK: the counts are not back to those at start");
		ok = false;
	} else {
		lab_say("no leak: the counts are back to those at start: every accepted descriptor "
		        "was closed and every thread joined");
	}
	return ok;
}
