/* lab_narrate.c — the narration lines: before and after each syscall, notes, titles, states. */
#include "lab.h"
#include "lab_internal.h"

#include <errno.h>
#include <netinet/in.h>
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

/* "<sep>state=X  local=A  peer=B" for a live descriptor. */
static void put_state(struct lab_line *l, int fd, const char *sep)
{
	int st = lab_tcp_state(fd);
	if (st < 0) {
		lab_line_put(l, "%s%sstate=none%s  (%s)", sep, lab_line_col(LAB_C_CYAN),
		             lab_line_col(LAB_C_RESET),
		             fd < 0 ? "no socket: no TCP state yet" : "not an open TCP socket");
		return;
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

static void put_why(struct lab_line *l, long ret, int err)
{
	if (ret >= 0)
		return;
	char name[64];
	call_name(name, sizeof name);
	const char *why = lab_errno_explain(err, name);
	if (err == EINTR && lab_stop_signal() == SIGALRM)
		why = "the socklab watchdog interrupted a call that waited longer than --timeout";
	else if (err == EINTR && lab_stop_signal())
		why = "Ctrl-C (or SIGTERM) interrupted the call: the lab stops";
	lab_line_next(l);
	lab_line_put(l, "   why: %s", why);
	lab_line_next(l);
	lab_line_put(l, "   hint: %s", lab_errno_hint(err, name));
}

long lab_after(long ret, int fd)
{
	int err = errno;
	struct lab_line l;
	put_result(&l, ret, err);
	put_state(&l, fd, "  ");
	put_why(&l, ret, err);
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
	put_why(&l, ret, err);
	lab_line_emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

/* "  state=X  local=A  peer=B  (note)" for a connection known only by its addresses. */
static void put_gone_state(struct lab_line *l, const struct lab_tuple *t, bool closed_ok,
                           const char *sep)
{
	char a[LAB_ADDRSTRLEN];
	int st = 0;
	bool known = t && t->local_len && has_port(&t->local);
	bool found =
	    known && lab_proc_find((const struct sockaddr *)&t->local,
	                           t->peer_len ? (const struct sockaddr *)&t->peer : NULL, &st);
	lab_line_put(l, "%s%sstate=%s%s", sep, lab_line_col(LAB_C_CYAN),
	             found ? lab_state_name(st) : "CLOSED", lab_line_col(LAB_C_RESET));
	if (known)
		lab_line_put(
		    l, "  local=%s",
		    lab_addr_str((const struct sockaddr *)&t->local, t->local_len, a, sizeof a));
	if (t && t->peer_len)
		lab_line_put(
		    l, "  peer=%s",
		    lab_addr_str((const struct sockaddr *)&t->peer, t->peer_len, a, sizeof a));
	if (found)
		lab_line_put(l,
		             "  (from /proc/net/tcp: the descriptor is gone, the kernel keeps the "
		             "connection)");
	else if (closed_ok)
		lab_line_put(l, "  (the kernel no longer has this socket)");
}

long lab_after_gone(long ret, const struct lab_tuple *t)
{
	int err = errno;
	struct lab_line l;
	put_result(&l, ret, err);
	put_gone_state(&l, t, ret == 0, "  ");
	put_why(&l, ret, err);
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

long lab_close(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	return lab_after_gone(close(fd), &t);
}
