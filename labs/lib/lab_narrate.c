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

#define C_RESET "\033[0m"
#define C_BOLD  "\033[1m"
#define C_DIM   "\033[2m"
#define C_RED   "\033[31m"
#define C_GREEN "\033[32m"
#define C_YEL   "\033[33m"
#define C_CYAN  "\033[36m"

static _Thread_local char call_text[512];
static _Thread_local char tag[48];

/* A line under construction; written with one fputs so threads never interleave mid-line. */
struct line {
	char buf[2048];
	size_t len;
};

static void put(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *l, const char *fmt, ...)
{
	if (l->len >= sizeof l->buf - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, sizeof l->buf - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
	if (l->len > sizeof l->buf - 1)
		l->len = sizeof l->buf - 1;
}

static const char *col(const char *code) { return lab_session_state.color ? code : ""; }

static void put_tag(struct line *l)
{
	if (tag[0])
		put(l, "%s[%s]%s ", col(C_DIM), tag, col(C_RESET));
}

static void start_line(struct line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
	put_tag(l);
}

/* A further line in the same write (why:/hint:), tagged like the first. */
static void next_line(struct line *l)
{
	put(l, "\n");
	put_tag(l);
}

static void emit(struct line *l)
{
	if (l->len >= sizeof l->buf - 1) /* keep the newline even when truncated */
		l->len = sizeof l->buf - 2;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	fputs(l->buf, stdout);
}

void lab_set_tag(const char *t) { snprintf(tag, sizeof tag, "%s", t ? t : ""); }

static void vsay(const char *prefix, const char *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void vsay(const char *prefix, const char *c, const char *fmt, va_list ap)
{
	char text[1024];
	struct line l;
	vsnprintf(text, sizeof text, fmt, ap);
	start_line(&l);
	put(&l, "%s%s%s%s", col(c), prefix, text, col(C_RESET));
	emit(&l);
}

void lab_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("   ", "", fmt, ap);
	va_end(ap);
}

void lab_title(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("== ", C_BOLD, fmt, ap);
	va_end(ap);
}

void lab_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("!! ", C_YEL, fmt, ap);
	va_end(ap);
}

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
	struct line l;
	start_line(&l);
	put(&l, "%s-> %s%s", col(C_BOLD), call_text, col(C_RESET));
	emit(&l);
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
static void put_state(struct line *l, int fd, const char *sep)
{
	int st = lab_tcp_state(fd);
	if (st < 0) {
		put(l, "%s%sstate=none%s  (%s)", sep, col(C_CYAN), col(C_RESET),
		    fd < 0 ? "no socket: no TCP state yet" : "not an open TCP socket");
		return;
	}
	put(l, "%s%sstate=%s%s", sep, col(C_CYAN), lab_state_name(st), col(C_RESET));
	struct lab_tuple t;
	char a[LAB_ADDRSTRLEN];
	lab_tuple_of(fd, &t);
	if (t.local_len && has_port(&t.local))
		put(l, "  local=%s",
		    lab_addr_str((struct sockaddr *)&t.local, t.local_len, a, sizeof a));
	if (t.peer_len)
		put(l, "  peer=%s",
		    lab_addr_str((struct sockaddr *)&t.peer, t.peer_len, a, sizeof a));
}

static void put_result(struct line *l, long ret, int err)
{
	start_line(l);
	if (ret < 0)
		put(l, "<- %s = %ld %s%s%s", call_text, ret, col(C_RED), lab_errno_name(err),
		    col(C_RESET));
	else
		put(l, "<- %s = %s%ld%s", call_text, col(C_GREEN), ret, col(C_RESET));
}

static void put_why(struct line *l, long ret, int err)
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
	next_line(l);
	put(l, "   why: %s", why);
	next_line(l);
	put(l, "   hint: %s", lab_errno_hint(err, name));
}

long lab_after(long ret, int fd)
{
	int err = errno;
	struct line l;
	put_result(&l, ret, err);
	put_state(&l, fd, "  ");
	put_why(&l, ret, err);
	emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

long lab_after_plain(long ret)
{
	int err = errno;
	struct line l;
	put_result(&l, ret, err); /* no state part: the call has no socket */
	put_why(&l, ret, err);
	emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

/* "  state=X  local=A  peer=B  (note)" for a connection known only by its addresses. */
static void put_gone_state(struct line *l, const struct lab_tuple *t, bool closed_ok,
                           const char *sep)
{
	char a[LAB_ADDRSTRLEN];
	int st = 0;
	bool known = t && t->local_len && has_port(&t->local);
	bool found =
	    known && lab_proc_find((const struct sockaddr *)&t->local,
	                           t->peer_len ? (const struct sockaddr *)&t->peer : NULL, &st);
	put(l, "%s%sstate=%s%s", sep, col(C_CYAN), found ? lab_state_name(st) : "CLOSED",
	    col(C_RESET));
	if (known)
		put(l, "  local=%s",
		    lab_addr_str((const struct sockaddr *)&t->local, t->local_len, a, sizeof a));
	if (t && t->peer_len)
		put(l, "  peer=%s",
		    lab_addr_str((const struct sockaddr *)&t->peer, t->peer_len, a, sizeof a));
	if (found)
		put(l, "  (from /proc/net/tcp: the descriptor is gone, the kernel keeps the "
		       "connection)");
	else if (closed_ok)
		put(l, "  (the kernel no longer has this socket)");
}

long lab_after_gone(long ret, const struct lab_tuple *t)
{
	int err = errno;
	struct line l;
	put_result(&l, ret, err);
	put_gone_state(&l, t, ret == 0, "  ");
	put_why(&l, ret, err);
	emit(&l);
	lab_watchdog_arm();
	errno = err;
	return ret;
}

void lab_show_state(int fd)
{
	struct line l;
	start_line(&l);
	put(&l, "   now:");
	put_state(&l, fd, " ");
	emit(&l);
}

void lab_show_gone_state(const struct lab_tuple *t)
{
	struct line l;
	start_line(&l);
	put(&l, "   now:");
	put_gone_state(&l, t, true, " ");
	emit(&l);
}

long lab_close(int fd)
{
	struct lab_tuple t;
	lab_tuple_of(fd, &t);
	lab_before("close(%d)", fd);
	return lab_after_gone(close(fd), &t);
}
