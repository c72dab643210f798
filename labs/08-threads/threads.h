/* threads.h — the parts of lab08-threads: the thread-per-connection server and its clients. */
#ifndef SOCKLAB_LAB08_THREADS_H
#define SOCKLAB_LAB08_THREADS_H

#include <stddef.h>
#include <sys/types.h>

#include "lab.h"

#define THREADS_MAX_CLIENTS  200 /* client threads one run may start */
#define THREADS_MAX_SESSIONS 256 /* server threads alive at once */

/* How messages are cut out of the byte stream. */
enum threads_framing {
	THREADS_UNFRAMED, /* the tutorials' protocol: one recv() is taken as one message */
	THREADS_NEWLINE,  /* --framing=newline: each message ends with '\n' */
};

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
	enum threads_framing framing;
};

struct threads_server_opts {
	long count;        /* stop after this many sessions ended; 0 = until Ctrl-C */
	long max_sessions; /* sessions at once; one more is told "busy" and closed */
	long idle_s;       /* a session with no message for this long is ended; 0 = --timeout */
	enum threads_framing framing;
};

/* Serve every client in its own thread. True on success. */
bool threads_server(const struct lab_opts *o, const struct threads_server_opts *so);

/* Run c->clients clients at once; true when every reply was the expected one. */
bool threads_clients(const struct lab_opts *o, const struct threads_client_opts *c);

/* send() every byte of a message, plus '\n' with newline framing (narrated). 0 or -1. */
int threads_send_msg(int fd, const char *msg, enum threads_framing framing);

/* The next message into out (without its newline): unframed, what one recv() returned;
 * newline-framed, the next line. Length, or -1 at end of stream (errno 0) or error. */
long threads_recv_msg(int fd, struct threads_linebuf *lb, char *out, size_t outlen,
                      enum threads_framing framing);

/* A reply the caller expects to be want: unframed, recv() until as many bytes as want came
 * (or they stop matching); newline-framed, the next line. Length, or -1 as above. */
long threads_expect(int fd, struct threads_linebuf *lb, const char *want, char *out, size_t outlen,
                    enum threads_framing framing);

/* How many entries /proc/self/<dir> has ("fd" or "task"), or -1. */
int threads_count_proc(const char *dir);
/* The same count, re-read for up to half a second until it is at most `want`: a joined
 * thread can still be listed in /proc/self/task for a moment (see threads_io.c). */
int threads_count_proc_settled(const char *dir, int want);
/* True if this process has no descriptor open but 0, 1 and 2. */
bool threads_only_stdio(void);

#endif
