/* threads.h — the parts of lab08-threads: the thread-per-connection server and its clients. */
#ifndef SOCKLAB_LAB08_THREADS_H
#define SOCKLAB_LAB08_THREADS_H

#include <stddef.h>
#include <sys/types.h>

#include "lab.h"

#define THREADS_MAX_CLIENTS  200 /* client threads one run may start */
#define THREADS_MAX_SESSIONS 256 /* server threads alive at once */

/* A newline-framed reader's buffer (one per connection, so one per thread). */
struct threads_linebuf {
	char buf[4096];
	size_t len;
};

struct threads_client_opts {
	long clients;         /* connections at once */
	const char *messages; /* comma-separated */
	long hold_ms;         /* all connected: wait this long before talking */
	long delay_ms;        /* between two messages */
};

/* Serve every client in its own thread; count 0 = until Ctrl-C. True on success. */
bool threads_server(const struct lab_opts *o, long count);

/* Run c->clients clients at once; true when every reply was the expected one. */
bool threads_clients(const struct lab_opts *o, const struct threads_client_opts *c);

/* send() every byte of a line (narrated). 0 or -1. */
int threads_send_line(int fd, const char *line);

/* The next line without its newline (narrated recv()s). Length, or -1 at end / error. */
long threads_read_line(int fd, struct threads_linebuf *lb, char *out, size_t outlen);

/* How many entries /proc/self/<dir> has ("fd" or "task"), or -1. */
int threads_count_proc(const char *dir);
/* The same count, re-read for up to half a second until it is at most `want`: a joined
 * thread can still be listed in /proc/self/task for a moment (see threads_io.c). */
int threads_count_proc_settled(const char *dir, int want);

#endif
