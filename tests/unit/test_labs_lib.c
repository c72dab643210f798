/* test_labs_lib.c — labs/lib: errno names and explanations, addresses, options, states, narration. */
#include "lab.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEST_PORT 22990 /* labs1's test port range is 22000-22999 */

static void test_errno_names(void **state)
{
	(void)state;
	assert_string_equal(lab_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_string_equal(lab_errno_name(EADDRINUSE), "EADDRINUSE");
	assert_string_equal(lab_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(lab_errno_name(EHOSTUNREACH), "EHOSTUNREACH");
	assert_string_equal(lab_errno_name(9999), "errno 9999");
}

static void test_errno_explanations_depend_on_call(void **state)
{
	(void)state;
	assert_non_null(strstr(lab_errno_explain(ECONNREFUSED, "connect"), "RST"));
	assert_non_null(strstr(lab_errno_hint(ECONNREFUSED, "connect"), "server"));
	assert_non_null(strstr(lab_errno_explain(EADDRINUSE, "bind"), "TIME_WAIT"));
	assert_non_null(strstr(lab_errno_hint(EADDRINUSE, "bind"), "SO_REUSEADDR"));
	assert_non_null(strstr(lab_errno_explain(EACCES, "bind"), "1024"));
	assert_non_null(strstr(lab_errno_explain(EINVAL, "accept"), "listen"));
	/* the same errno explained differently for another call */
	assert_string_not_equal(lab_errno_explain(EINVAL, "accept"),
	                        lab_errno_explain(EINVAL, "bind"));
	/* aliases: sendto behaves like send */
	assert_string_equal(lab_errno_explain(EAGAIN, "sendto"), lab_errno_explain(EAGAIN, "send"));
	assert_non_null(strstr(lab_errno_explain(EPIPE, "send"), "SIGPIPE"));
	/* every errno socket code meets has its own text, not strerror's */
	int table[] = {EADDRINUSE,  EACCES,       ECONNREFUSED, ETIMEDOUT, ECONNRESET,
	               EPIPE,       EINVAL,       EAFNOSUPPORT, ENOTCONN,  EISCONN,
	               EINPROGRESS, EAGAIN,       EINTR,        EBADF,     EMFILE,
	               ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		assert_string_not_equal(lab_errno_explain(table[i], NULL), strerror(table[i]));
		assert_string_not_equal(lab_errno_hint(table[i], NULL),
		                        "see the man page of the call (section ERRORS)");
		assert_true(lab_errno_name(table[i])[0] == 'E');
	}
	/* unknown: strerror and a generic hint, never NULL */
	assert_non_null(lab_errno_explain(9999, "connect"));
	assert_non_null(lab_errno_hint(9999, NULL));
}

static void test_addr_format(void **state)
{
	(void)state;
	char buf[LAB_ADDRSTRLEN];
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8888)};
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	assert_string_equal(lab_addr_str((struct sockaddr *)&in, sizeof in, buf, sizeof buf),
	                    "127.0.0.1:8888");
	in.sin_port = 0;
	assert_string_equal(lab_addr_str((struct sockaddr *)&in, sizeof in, buf, sizeof buf),
	                    "127.0.0.1:0");
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(8888)};
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	assert_string_equal(lab_addr_str((struct sockaddr *)&in6, sizeof in6, buf, sizeof buf),
	                    "[::1]:8888");
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
	assert_string_equal(lab_addr_str((struct sockaddr *)&in6, sizeof in6, buf, sizeof buf),
	                    "[::ffff:127.0.0.1]:8888");
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	in6.sin6_scope_id = 2;
	assert_string_equal(lab_addr_str((struct sockaddr *)&in6, sizeof in6, buf, sizeof buf),
	                    "[fe80::1%2]:8888");
	/* short length or unknown family: "?" rather than reading past the struct */
	assert_string_equal(lab_addr_str((struct sockaddr *)&in, 4, buf, sizeof buf), "?");
	struct sockaddr sa = {.sa_family = AF_UNIX};
	assert_string_equal(lab_addr_str(&sa, sizeof sa, buf, sizeof buf), "?");
	/* a tiny buffer truncates, still terminated */
	char tiny[6];
	in.sin_port = htons(8888);
	lab_addr_str((struct sockaddr *)&in, sizeof in, tiny, sizeof tiny);
	assert_string_equal(tiny, "127.0");
	assert_string_equal(lab_family_name(AF_INET6), "AF_INET6");
	assert_string_equal(lab_family_name(12345), "family 12345");
}

static void test_make_addr(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], buf[LAB_ADDRSTRLEN];
	assert_int_equal(lab_make_addr(AF_INET, "127.0.0.1", 8888, &ss, &len, err, sizeof err), 0);
	assert_string_equal(lab_addr_str((struct sockaddr *)&ss, len, buf, sizeof buf),
	                    "127.0.0.1:8888");
	assert_int_equal(lab_make_addr(AF_INET6, "::1", 22001, &ss, &len, err, sizeof err), 0);
	assert_string_equal(lab_addr_str((struct sockaddr *)&ss, len, buf, sizeof buf),
	                    "[::1]:22001");
	assert_int_equal(lab_make_addr(AF_INET, "::1", 8888, &ss, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "-6"));
	assert_int_equal(lab_make_addr(AF_INET, "127.0.0.1", 70000, &ss, &len, err, sizeof err),
	                 -1);
	/* an IPv4 literal asked for as IPv6 fails without a DNS query */
	assert_int_equal(lab_make_addr(AF_INET6, "127.0.0.1", 1, &ss, &len, err, sizeof err), -1);
	assert_non_null(strstr(err, "127.0.0.1"));
}

static bool sw_on;
static const char *val;
static const struct lab_flag flags[] = {
    {"forget-htons", NULL, "a switch", &sw_on, NULL},
    {"message", "TEXT", "a value", NULL, &val},
    {NULL, NULL, NULL, NULL, NULL},
};
static const char *const roles[] = {"server", "client", NULL};
static const struct lab_info plain = {.name = "labX", .summary = "s", .flags = flags};
static const struct lab_info with_roles = {.name = "labY", .summary = "s", .roles = roles};
static const struct lab_info default_role = {
    .name = "labZ", .summary = "s", .roles = roles, .default_role = "server"};

/* Parse a NULL-terminated list of words (argv is modified by lab_parse, so copy it). */
static enum lab_parse_result parse(const struct lab_info *info, struct lab_opts *o, char *err, ...)
{
	static char *argv[16];
	static char store[16][64];
	va_list ap;
	int argc = 0;
	va_start(ap, err);
	argv[argc++] = strcpy(store[0], "lab");
	for (const char *w; (w = va_arg(ap, const char *)) && argc < 15; argc++)
		argv[argc] = strcpy(store[argc], w);
	va_end(ap);
	argv[argc] = NULL;
	sw_on = false;
	val = NULL;
	return lab_parse(argc, argv, info, o, err, 128);
}

static void test_options(void **state)
{
	(void)state;
	struct lab_opts o;
	char err[128];
	assert_int_equal(parse(&plain, &o, err, NULL), LAB_PARSE_OK);
	assert_int_equal(o.port, LAB_DEFAULT_PORT);
	assert_int_equal(o.family, AF_INET);
	assert_string_equal(o.host, "127.0.0.1");
	assert_false(o.step);
	assert_int_equal(o.timeout_s, LAB_DEFAULT_TIMEOUT);
	assert_null(o.role);
	assert_int_equal(o.nargs, 0);

	assert_int_equal(parse(&plain, &o, err, "--port", "0", "--step", "--timeout=3", NULL),
	                 LAB_PARSE_OK);
	assert_int_equal(o.port, 0);
	assert_true(o.step);
	assert_int_equal(o.timeout_s, 3);
	setenv("SOCKLAB_PORT", "22123", 1);
	assert_int_equal(parse(&plain, &o, err, NULL), LAB_PARSE_OK);
	assert_int_equal(o.port, 22123);
	unsetenv("SOCKLAB_PORT");
	assert_int_equal(parse(&plain, &o, err, "--port=22000", NULL), LAB_PARSE_OK);
	assert_int_equal(o.port, 22000);

	assert_int_equal(parse(&plain, &o, err, "-6", NULL), LAB_PARSE_OK);
	assert_int_equal(o.family, AF_INET6);
	assert_string_equal(o.host, "::1");
	assert_int_equal(parse(&plain, &o, err, "--host", "::1", NULL), LAB_PARSE_OK);
	assert_int_equal(o.family, AF_INET6);
	assert_int_equal(parse(&plain, &o, err, "--no-color", NULL), LAB_PARSE_OK);
	assert_false(o.color);

	assert_int_equal(parse(&plain, &o, err, "--forget-htons", "--message", "hi", NULL),
	                 LAB_PARSE_OK);
	assert_true(sw_on);
	assert_string_equal(val, "hi");
	assert_int_equal(parse(&plain, &o, err, "--message=a b", NULL), LAB_PARSE_OK);
	assert_string_equal(val, "a b");

	assert_int_equal(parse(&plain, &o, err, "-h", NULL), LAB_PARSE_HELP);
	assert_int_equal(parse(&plain, &o, err, "--port", "1", "--help", NULL), LAB_PARSE_HELP);

	/* a word after the role (or none) is a typo, never ignored */
	assert_int_equal(parse(&plain, &o, err, "extra", "--", "--port", NULL), LAB_PARSE_ERROR);
	assert_string_equal(err, "unexpected argument 'extra'");
	assert_int_equal(parse(&plain, &o, err, "--", "--port", NULL), LAB_PARSE_ERROR);
	assert_string_equal(err, "unexpected argument '--port'");
}

static void test_option_errors(void **state)
{
	(void)state;
	struct lab_opts o;
	char err[128];
	struct {
		const char *a, *b, *want;
	} bad[] = {
	    {"--port", "70000", "--port"},  {"--port", "x", "--port"},
	    {"--bogus", NULL, "--bogus"},   {"-x", NULL, "-x"},
	    {"--port", NULL, "needs"},      {"-4", "-6", "together"},
	    {"--timeout", "-1", "timeout"}, {"--step=1", NULL, "no value"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse(&plain, &o, err, bad[i].a, bad[i].b, NULL), LAB_PARSE_ERROR);
		assert_non_null(strstr(err, bad[i].want));
	}
	assert_int_equal(parse(&with_roles, &o, err, NULL), LAB_PARSE_ERROR);
	assert_non_null(strstr(err, "server|client"));
	assert_int_equal(parse(&with_roles, &o, err, "servr", NULL), LAB_PARSE_ERROR);
	assert_non_null(strstr(err, "servr"));
	assert_int_equal(parse(&with_roles, &o, err, "--port", "22001", "client", NULL),
	                 LAB_PARSE_OK);
	assert_string_equal(o.role, "client");
	assert_int_equal(o.nargs, 0);
	assert_int_equal(parse(&default_role, &o, err, NULL), LAB_PARSE_OK);
	assert_string_equal(o.role, "server");
	assert_int_equal(lab_parse_exit(LAB_PARSE_ERROR, &plain, "x"), 2);
}

static void test_states(void **state)
{
	(void)state;
	assert_string_equal(lab_state_name(1), "ESTABLISHED");
	assert_string_equal(lab_state_name(3), "SYN_RECEIVED");
	assert_string_equal(lab_state_name(4), "FIN_WAIT_1");
	assert_string_equal(lab_state_name(6), "TIME_WAIT");
	assert_string_equal(lab_state_name(7), "CLOSED");
	assert_string_equal(lab_state_name(10), "LISTEN");
	assert_string_equal(lab_state_name(12), "SYN_RECEIVED");
	assert_string_equal(lab_state_name(0), "?");
	assert_string_equal(lab_state_name(13), "?");

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(lab_tcp_state(fd), 7);
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128];
	assert_int_equal(lab_make_addr(AF_INET, "127.0.0.1", TEST_PORT, &ss, &len, err, sizeof err),
	                 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(fd, 3), 0);
	assert_int_equal(lab_tcp_state(fd), 10);
	int kstate = 0;
	assert_true(lab_proc_find((struct sockaddr *)&ss, NULL, &kstate));
	assert_int_equal(kstate, 10);
	unsigned queued = 99, backlog = 0;
	assert_int_equal(lab_accept_queue(fd, &queued, &backlog), 0);
	assert_int_equal(queued, 0);
	assert_int_equal(backlog, 3);

	int c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(lab_accept_queue(fd, &queued, &backlog), 0);
	assert_int_equal(queued, 1); /* connected, not accepted */
	struct lab_tuple t;
	lab_tuple_of(c, &t);
	assert_true(t.local_len > 0 && t.peer_len > 0);
	assert_true(
	    lab_proc_find((struct sockaddr *)&t.local, (struct sockaddr *)&t.peer, &kstate));
	assert_int_equal(kstate, 1);
	/* the listener's entry is not mistaken for a connection with a peer */
	assert_false(lab_proc_find((struct sockaddr *)&ss, (struct sockaddr *)&ss, &kstate));

	struct lab_sock rows[4];
	assert_true(lab_proc_list(rows, 4) >= 2);
	assert_int_equal(lab_accept_queue(c, &queued, &backlog), -1); /* not a listener */
	close(c);
	close(fd);

	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(lab_tcp_state(p[0]), -1);
	assert_int_equal(lab_tcp_state(-1), -1);
	close(p[0]);
	close(p[1]);
}

/* Run f with stdout captured into buf. */
static void capture(void (*f)(void), char *buf, size_t len)
{
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	dup2(fileno(tmp), STDOUT_FILENO);
	f();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(buf, 1, len - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

static void narrate_refused(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128];
	lab_make_addr(AF_INET, "127.0.0.1", TEST_PORT + 1, &ss, &len, err, sizeof err);
	lab_before("socket(AF_INET, SOCK_STREAM, 0)");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	lab_after(fd, fd);
	lab_before("connect(%d, 127.0.0.1:%d)", fd, TEST_PORT + 1);
	errno = 0;
	long r = lab_after(connect(fd, (struct sockaddr *)&ss, len), fd);
	assert_int_equal(r, -1);
	assert_int_equal(errno, ECONNREFUSED); /* preserved for the lab */
	lab_before("bogus()");
	errno = EBADF;
	lab_after(-1, -1);
	lab_before("socket(AF_INET, SOCK_STREAM, 0)");
	errno = EMFILE;
	lab_after(-1, -1);
	close(fd);
	lab_set_tag("server");
	lab_say("a note");
	lab_set_tag(NULL);
}

static void test_narration_format(void **state)
{
	(void)state;
	char out[4096];
	capture(narrate_refused, out, sizeof out);
	assert_non_null(strstr(out, "-> socket(AF_INET, SOCK_STREAM, 0)\n"));
	assert_non_null(strstr(out, "<- socket(AF_INET, SOCK_STREAM, 0) = "));
	assert_non_null(strstr(out, "  state=CLOSED\n"));
	assert_non_null(strstr(out, "<- connect("));
	assert_non_null(strstr(out, " = -1 ECONNREFUSED  state=CLOSED"));
	assert_non_null(strstr(out, "\n   why: nothing is listening"));
	assert_non_null(strstr(out, "\n   hint: start the server first"));
	assert_non_null(strstr(out, "<- bogus() = -1 EBADF  state=none  (no socket to ask)"));
	assert_non_null(strstr(
	    out, "<- socket(AF_INET, SOCK_STREAM, 0) = -1 EMFILE  state=none  (no socket: no TCP "
	         "state yet)"));
	assert_non_null(strstr(out, "[server]    a note\n"));
	assert_null(strstr(out, "\033[")); /* not a terminal: no colour */
}

static void test_escape(void **state)
{
	(void)state;
	char b[64];
	/* A terminal title, a bell and a screen clear become visible text, nothing raw. */
	static const char evil[] = "Hi\033]0;PWNED\007\033[2J\r\n\t\"q\\\xc3\xa9\x7f";
	lab_escape(evil, sizeof evil - 1, b, sizeof b);
	assert_string_equal(b, "Hi\\x1b]0;PWNED\\x07\\x1b[2J\\r\\n\\t\\\"q\\\\\\xc3\\xa9\\x7f");
	for (const char *p = b; *p; p++)
		assert_true(*p >= 0x20 && *p <= 0x7e);
	lab_escape("\0a", 2, b, sizeof b);
	assert_string_equal(b, "\\x00a");
	/* Too long: start and end kept, the middle counted, always terminated, never overrun. */
	char big[1000], small[40];
	memset(big, 'x', sizeof big);
	big[0] = 'S';
	big[sizeof big - 1] = 'E';
	lab_escape(big, sizeof big, b, sizeof b);
	assert_true(strlen(b) < sizeof b);
	assert_int_equal(b[0], 'S');
	assert_int_equal(b[strlen(b) - 1], 'E');
	assert_non_null(strstr(b, "more bytes)..."));
	memset(big, 0x1b, sizeof big);
	lab_escape(big, sizeof big, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
	assert_null(strchr(small, 0x1b));
	lab_escape(big, sizeof big, b, 1);
	assert_string_equal(b, "");
}

static void test_linux_names(void **state)
{
	(void)state;
	lab_set_linux_names(true);
	assert_string_equal(lab_state_name(3), "SYN_RECV");
	assert_string_equal(lab_state_name(4), "FIN_WAIT1");
	assert_string_equal(lab_state_name(5), "FIN_WAIT2");
	assert_string_equal(lab_state_name(7), "CLOSE");
	assert_string_equal(lab_state_name(12), "SYN_RECV");
	assert_string_equal(lab_state_name(13), "?");
	lab_set_linux_names(false);
	assert_string_equal(lab_state_name(3), "SYN_RECEIVED");

	static const struct lab_info info = {.name = "lab99-test", .summary = "s"};
	struct lab_opts o;
	char err[128];
	char *a1[] = {"lab", "--names=linux", NULL};
	assert_int_equal(lab_parse(2, a1, &info, &o, err, sizeof err), LAB_PARSE_OK);
	assert_true(o.linux_names);
	char *a2[] = {"lab", "--names", "rfc", NULL};
	assert_int_equal(lab_parse(3, a2, &info, &o, err, sizeof err), LAB_PARSE_OK);
	assert_false(o.linux_names);
	char *a3[] = {"lab", "--names=ss", NULL};
	assert_int_equal(lab_parse(2, a3, &info, &o, err, sizeof err), LAB_PARSE_ERROR);
	assert_non_null(strstr(err, "--names wants rfc or linux"));
}

static const struct lab_info help_info = {.name = "lab99-test", .summary = "s"};
static void print_help(void) { lab_print_help(stdout, &help_info); }

static void test_help_port(void **state)
{
	(void)state;
	struct lab_opts o;
	char err[128], out[4096];
	char *a1[] = {"lab", "--port", "9123", "--help", NULL};
	assert_int_equal(lab_parse(4, a1, &help_info, &o, err, sizeof err), LAB_PARSE_HELP);
	capture(print_help, out, sizeof out);
	assert_non_null(strstr(out, "tcpscope -p 9123\n"));
	setenv("SOCKLAB_PORT", "9124", 1);
	char *a2[] = {"lab", "-h", NULL};
	assert_int_equal(lab_parse(2, a2, &help_info, &o, err, sizeof err), LAB_PARSE_HELP);
	capture(print_help, out, sizeof out);
	assert_non_null(strstr(out, "tcpscope -p 9124\n"));
	assert_non_null(strstr(out, "(default 9124, from the environment variable SOCKLAB_PORT)"));
	char *a3[] = {"lab", NULL};
	assert_int_equal(lab_parse(1, a3, &help_info, &o, err, sizeof err), LAB_PARSE_OK);
	assert_int_equal(o.port, 9124);
	unsetenv("SOCKLAB_PORT");
}

static int reset_fd = -1;
static void close_reset(void) { lab_close(reset_fd); }

/* A connection reset by its peer has no peer address any more: its close() must not be
 * reported as the listener that shares its local port (lab09 reset said state=LISTEN). */
static void test_gone_state_after_reset(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], out[4096];
	assert_int_equal(
	    lab_make_addr(AF_INET, "127.0.0.1", TEST_PORT + 2, &ss, &len, err, sizeof err), 0);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	assert_int_equal(bind(lfd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(lfd, 3), 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&ss, len), 0);
	int s = accept(lfd, NULL, NULL);
	assert_true(s >= 0);
	struct linger lg = {1, 0};
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(c); /* RST */
	char ch;
	assert_int_equal(recv(s, &ch, 1, 0), -1);
	assert_int_equal(errno, ECONNRESET);
	struct lab_tuple t;
	int st = 0;
	lab_tuple_of(s, &t);
	assert_int_equal(t.peer_len, 0);
	assert_false(lab_tuple_find(&t, &st));
	reset_fd = s;
	capture(close_reset, out, sizeof out);
	assert_non_null(strstr(out, "= 0  state=CLOSED  local=127.0.0.1:"));
	assert_null(strstr(out, "LISTEN"));
	/* the listener itself is still found by its address, as a listener */
	lab_tuple_of(lfd, &t);
	assert_true(lab_tuple_find(&t, &st));
	assert_int_equal(st, 10);
	close(lfd);
}

static int inprogress_fd = -1;
static void narrate_inprogress(void)
{
	lab_set_call("connect(%d, 127.0.0.1:%d)", inprogress_fd, TEST_PORT + 3);
	errno = EINPROGRESS;
	lab_after(-1, inprogress_fd);
}

/* A non-blocking connect() that returned EINPROGRESS, narrated once the handshake is done:
 * the why: line must not say "has not finished" next to state=ESTABLISHED. */
static void test_inprogress_explained_from_state(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128], out[4096];
	assert_int_equal(
	    lab_make_addr(AF_INET, "127.0.0.1", TEST_PORT + 3, &ss, &len, err, sizeof err), 0);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	assert_int_equal(bind(lfd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(lfd, 3), 0);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(c, (struct sockaddr *)&ss, len);
	assert_true(r == 0 || errno == EINPROGRESS);
	for (int i = 0; i < 100 && lab_tcp_state(c) != 1; i++)
		usleep(1000);
	assert_int_equal(lab_tcp_state(c), 1);
	inprogress_fd = c;
	capture(narrate_inprogress, out, sizeof out);
	assert_non_null(strstr(out, "= -1 EINPROGRESS  state=ESTABLISHED"));
	assert_non_null(strstr(out, "why: the handshake had not finished when connect() returned"));
	assert_null(strstr(out, "has not finished"));
	close(c);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errno_names),
	    cmocka_unit_test(test_errno_explanations_depend_on_call),
	    cmocka_unit_test(test_addr_format),
	    cmocka_unit_test(test_make_addr),
	    cmocka_unit_test(test_options),
	    cmocka_unit_test(test_option_errors),
	    cmocka_unit_test(test_states),
	    cmocka_unit_test(test_narration_format),
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_linux_names),
	    cmocka_unit_test(test_help_port),
	    cmocka_unit_test(test_gone_state_after_reset),
	    cmocka_unit_test(test_inprogress_explained_from_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
