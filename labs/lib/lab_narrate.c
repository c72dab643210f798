/* lab_narrate.c — the narration lines: before and after each syscall, notes, titles, states. */
#include "lab.h"
#include "lab_internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static _Thread_local char call_text[512];

/* The call's name: the text up to '(' ("connect(3, ...)" -> "connect"). */
static void call_name(char *out, size_t len)
{
	size_t n = strcspn(call_text, "( ");
	if (n >= len)
		n = len - 1;
	memcpy(out, call_text, n);
	out[n] = '\0';
}

void lab_before(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(call_text, sizeof call_text, fmt, ap);
	va_end(ap);
	lab_watchdog_arm();
	struct lab_line l;
	lab_line_start(&l);
	lab_line_put(&l, "%s-> %s%s", lab_line_col(LAB_C_BOLD), call_text,
	             lab_line_col(LAB_C_RESET));
	lab_line_emit(&l);
	char name[64];
	call_name(name, sizeof name);
	lab_step_wait(name);
	/* after the pause, right before the call: a tracer beside the lab places it at the
	 * segment the call sends */
	lab_marker_send(call_text);
}

void lab_set_call(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(call_text, sizeof call_text, fmt, ap);
	va_end(ap);
	errno = err;
}

static bool has_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port != 0;
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port != 0;
	return false;
}

/* "<sep>state=X  local=A  peer=B" for a live descriptor; returns the state (-1: none). */
static int put_state(struct lab_line *l, int fd, const char *sep)
{
	int st = lab_tcp_state(fd);
	if (st < 0) {
		char name[64];
		call_name(name, sizeof name);
		const char *why = fd >= 0                       ? "not an open TCP socket"
		                  : strcmp(name, "socket") == 0 ? "no socket: no TCP state yet"
		                                                : "no socket to ask";
		lab_line_put(l, "%s%sstate=none%s  (%s)", sep, lab_line_col(LAB_C_CYAN),
		             lab_line_col(LAB_C_RESET), why);
		return -1;
	}
	lab_line_put(l, "%s%sstate=%s%s", sep, lab_line_col(LAB_C_CYAN), lab_state_name(st),
	             lab_line_col(LAB_C_RESET));
	struct lab_tuple t;
	char a[LAB_ADDRSTRLEN];
	lab_tuple_of(fd, &t);
	if (t.local_len && has_port(&t.local))
		lab_line_put(l, "  local=%s",
		             lab_addr_str((struct sockaddr *)&t.local, t.local_len, a, sizeof a));
	if (t.peer_len)
		lab_line_put(l, "  peer=%s",
		             lab_addr_str((struct sockaddr *)&t.peer, t.peer_len, a, sizeof a));
	return st;
}

static void put_result(struct lab_line *l, long ret, int err)
{
	lab_line_start(l);
	if (ret < 0)
		lab_line_put(l, "<- %s = %ld %s%s%s", call_text, ret, lab_line_col(LAB_C_RED),
		             lab_errno_name(err), lab_line_col(LAB_C_RESET));
	else
		lab_line_put(l, "<- %s = %s%ld%s", call_text, lab_line_col(LAB_C_GREEN), ret,
		             lab_line_col(LAB_C_RESET));
}

/* The "why:" and "hint:" lines after a failure. st is the state read after the call (-1 if
 * none), so an explanation about "when the call returned" can say what changed since. */
static void put_why(struct lab_line *l, long ret, int err, int st)
{
	if (ret >= 0)
		return;
	char name[64], hint[256];
	call_name(name, sizeof name);
	const char *why = lab_errno_explain(err, name);
	const char *h = lab_errno_hint(err, name);
	if (err == EINTR && lab_stop_signal() == SIGALRM)
		why = "the socklab watchdog interrupted a call that waited longer than --timeout";
	else if (err == EINTR && lab_stop_signal())
		why = "Ctrl-C (or SIGTERM) interrupted the call: the lab stops";
	if (err == EINPROGRESS && strcmp(name, "connect") == 0 && st == TCP_ESTABLISHED)
		why =
		    "the handshake had not finished when connect() returned (a non-blocking socket "
		    "does not wait for it); it finished before the state above was read: "
		    "ESTABLISHED";
	const struct lab_info *info = lab_session_state.info;
	if (err == ECONNREFUSED && strcmp(name, "connect") == 0 && info && info->roles) {
		bool has_server = false;
		for (const char *const *r = info->roles; *r; r++)
			has_server |= strcmp(*r, "server") == 0;
		if (has_server) {
			snprintf(hint, sizeof hint,
			         "start the server first (%s server), and check --host, --port and "
			         "-4/-6 match the server's",
			         info->name);
			h = hint;
		}
	}
	lab_line_next(l);
	lab_line_put(l, "   why: %s", why);
	lab_line_next(l);
	lab_line_put(l, "   hint: %s", h);
}

long lab_after(long ret, int fd)
{
	int err = errno;
	struct lab_line l;
	put_result(&l, ret, err);
	int st = put_state(&l, fd, "  ");
	put_why(&l, ret, err, st);
	lab_line_emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

long lab_after_plain(long ret)
{
	int err = errno;
	struct lab_line l;
	put_result(&l, ret, err); /* no state part: the call has no socket */
	put_why(&l, ret, err, -1);
	lab_line_emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

/* "  state=X  local=A  peer=B  (note)" for a connection known only by its addresses.
 * gone: the descriptor was just closed (close() returned 0). */
static void put_gone_state(struct lab_line *l, const struct lab_tuple *t, bool gone,
                           const char *sep)
{
	char a[LAB_ADDRSTRLEN];
	int st = 0;
	bool known = t && t->local_len && has_port(&t->local);
	bool found = lab_tuple_find(t, &st);
	lab_line_put(l, "%s%sstate=%s%s", sep, lab_line_col(LAB_C_CYAN),
	             lab_state_name(found ? st : TCP_CLOSE), lab_line_col(LAB_C_RESET));
	if (known)
		lab_line_put(
		    l, "  local=%s",
		    lab_addr_str((const struct sockaddr *)&t->local, t->local_len, a, sizeof a));
	if (t && t->peer_len)
		lab_line_put(
		    l, "  peer=%s",
		    lab_addr_str((const struct sockaddr *)&t->peer, t->peer_len, a, sizeof a));
	if (found && st == TCP_LISTEN)
		lab_line_put(l, "  (from /proc/net/tcp: a socket still listens on this address)");
	else if (found && gone)
		lab_line_put(l, "  (from /proc/net/tcp: the descriptor is gone, the kernel keeps "
		                "the connection)");
	else if (found)
		lab_line_put(l, "  (from /proc/net/tcp)");
	else if (gone)
		lab_line_put(l, "  (the kernel no longer has this socket)");
}

long lab_after_gone(long ret, const struct lab_tuple *t)
{
	int err = errno;
	struct lab_line l;
	put_result(&l, ret, err);
	put_gone_state(&l, t, ret == 0, "  ");
	put_why(&l, ret, err, -1);
	lab_line_emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

void lab_show_state(int fd)
{
	struct lab_line l;
	lab_line_start(&l);
	lab_line_put(&l, "   now:");
	put_state(&l, fd, " ");
	lab_line_emit(&l);
}

void lab_show_gone_state(const struct lab_tuple *t)
{
	struct lab_line l;
	lab_line_start(&l);
	lab_line_put(&l, "   now:");
	put_gone_state(&l, t, true, " ");
	lab_line_emit(&l);
}

long lab_close_as(int fd, const struct lab_tuple *t)
{
	struct lab_tuple now;
	if (!t) {
		lab_tuple_of(fd, &now);
		t = &now;
	}
	lab_before("close(%d)", fd);
	return lab_after_gone(close(fd), t);
}

long lab_close(int fd) { return lab_close_as(fd, NULL); }
