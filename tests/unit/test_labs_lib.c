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

	assert_int_equal(parse(&plain, &o, err, "extra", "--", "--port", NULL), LAB_PARSE_OK);
	assert_int_equal(o.nargs, 2);
	assert_string_equal(o.args[0], "extra");
	assert_string_equal(o.args[1], "--port");
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
	assert_non_null(
	    strstr(out, "<- bogus() = -1 EBADF  state=none  (no socket: no TCP state yet)"));
	assert_non_null(strstr(out, "[server]    a note\n"));
	assert_null(strstr(out, "\033[")); /* not a terminal: no colour */
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
