/* echo.h — the parts of lab07-echo: the accept-loop server, the client, the framing demo. */
#ifndef SOCKLAB_LAB07_ECHO_H
#define SOCKLAB_LAB07_ECHO_H

#include <stddef.h>
#include <sys/types.h>

#include "lab.h"

/* Bytes received but not yet handed out as lines: a newline-framed reader's state. */
struct echo_linebuf {
	char buf[8192];
	size_t len;
};

/* Serve clients one after another; count 0 = until Ctrl-C. Returns true on success. */
bool echo_server(const struct lab_opts *o, long count);

/* Send msg plus a newline, read the reply up to its newline, check it is unchanged. */
bool echo_client(const struct lab_opts *o, const char *msg);

/* Show that one recv() is not one message, then read the same traffic by newline. */
bool echo_framing(const struct lab_opts *o);

/* socket() + connect() narrated; the descriptor or -1. */
int echo_connect(const struct lab_opts *o);

/* send() until every byte is gone, narrating each call. Returns bytes sent or -1.
 * *state_before (may be NULL): the TCP state just before the first send() (after --step). */
ssize_t echo_send_all(int fd, const char *data, size_t len, int *state_before);

/* The next newline-terminated line (without the newline) into out; recv() more as needed,
 * narrating each call. Returns its length, or -1 at end of stream / error. */
long echo_read_line(int fd, struct echo_linebuf *lb, char *out, size_t outlen);

#endif
