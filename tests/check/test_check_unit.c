/* test_check_unit.c — socklab-check's pure parts: escaping untrusted bytes (text and JSON),
 * {port} substitution, the command line, and the verdicts' rules and output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"

static void escape_control_bytes(void **state)
{
	char out[128];
	const char in[] = "ok \x1b[2J\\\n\xff";

	(void)state;
	check_escape(in, sizeof in - 1, out, sizeof out);
	assert_string_equal(out, "ok \\x1b[2J\\\\\\x0a\\xff");
}

static void escape_never_cuts_an_escape(void **state)
{
	char out[8];

	(void)state;
	/* "ab" fits, "\x1b" (4 bytes) would need 7 with the NUL: cut before it, whole */
	assert_int_equal(check_escape("ab\x1b", 3, out, 6), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(check_escape("", 0, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void json_escape_is_valid_json(void **state)
{
	char out[128];

	(void)state;
	check_json_escape("say \"hi\"\\\n\t\x01\xc3\xa9", out, sizeof out);
	assert_string_equal(out, "say \\\"hi\\\"\\\\\\n\\u0009\\u0001\\u00c3\\u00a9");
	/* cut at an escape boundary, never inside one */
	assert_int_equal(check_json_escape("a\"", out, 3), 1);
	assert_string_equal(out, "a");
}

static void subst_port(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(check_subst_port("{port}", 4242, out, sizeof out), 4);
	assert_string_equal(out, "4242");
	check_subst_port("--addr=127.0.0.1:{port},{port}", 80, out, sizeof out);
	assert_string_equal(out, "--addr=127.0.0.1:80,80");
	check_subst_port("{por}t {PORT} plain", 80, out, sizeof out);
	assert_string_equal(out, "{por}t {PORT} plain");
	assert_int_equal(check_subst_port("{port}", 65535, out, 5), -1);
	assert_int_equal(check_subst_port("{port}", 65535, out, 6), 5);
	assert_int_equal(check_subst_port("abc", 1, out, 3), -1);
}

/* Parse a NULL-terminated list of words; returns check_args_parse's result. */
static int parse(struct check_args *a, char *err, ...)
{
	char *argv[32] = {"socklab-check"};
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	for (char *w; (w = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return check_args_parse(argc, argv, a, err, 200);
}

static void args_good(void **state)
{
	struct check_args a;
	char err[200];

	(void)state;
	assert_int_equal(parse(&a, err, "echo-server", "--", "./srv", "{port}", NULL), 0);
	assert_int_equal(a.action, CHECK_ACT_RUN);
	assert_string_equal(a.task, "echo-server");
	assert_int_equal(a.port, 0);
	assert_int_equal(a.timeout_s, CHECK_TIMEOUT_DEFAULT);
	assert_int_equal(a.format, CHECK_FORMAT_TEXT);
	assert_int_equal(a.ncmd, 2);
	assert_string_equal(a.cmd[0], "./srv");

	assert_int_equal(parse(&a, err, "--port", "5000", "--timeout=30", "--format=jsonl",
	                       "threads-server", "--", "python3", "s.py", "--port", "1", NULL),
	                 0);
	assert_int_equal(a.port, 5000);
	assert_int_equal(a.timeout_s, 30);
	assert_int_equal(a.format, CHECK_FORMAT_JSONL);
	assert_int_equal(a.ncmd, 4); /* options after "--" belong to the program */
	assert_int_equal(parse(&a, err, "echo-server", "--format", "text", "--", "x", NULL), 0);

	assert_int_equal(parse(&a, err, "--list", NULL), 0);
	assert_int_equal(a.action, CHECK_ACT_LIST);
	assert_int_equal(parse(&a, err, "--help", NULL), 0);
	assert_int_equal(a.action, CHECK_ACT_HELP);
	assert_int_equal(parse(&a, err, "--version", NULL), 0);
	assert_int_equal(a.action, CHECK_ACT_VERSION);
}

static void args_bad(void **state)
{
	struct check_args a;
	char err[200];

	(void)state;
	assert_int_equal(parse(&a, err, NULL), -1);
	assert_non_null(strstr(err, "no TASK"));
	assert_int_equal(parse(&a, err, "echo-server", NULL), -1);
	assert_non_null(strstr(err, "no COMMAND"));
	assert_int_equal(parse(&a, err, "echo-server", "--", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "./srv", NULL), -1);
	assert_non_null(strstr(err, "--"));
	assert_int_equal(parse(&a, err, "echo-server", "--port", "0", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--port", "65536", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--port=12ab", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--port", "-5", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--timeout", "1", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--timeout", "601", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--format=xml", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "--port", NULL), -1);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(parse(&a, err, "echo-server", "--port", "--", "x", NULL), -1);
	assert_int_equal(parse(&a, err, "echo-server", "-x", "--", "x", NULL), -1);
	assert_non_null(strstr(err, "unknown option"));
	/* every message is one line */
	assert_null(strchr(err, '\n'));
}

static const char *const names[] = {"listens", "reply", "close-wait", "leak", NULL};

static void verdict_rules(void **state)
{
	struct check_report r = {.task = "t"};

	(void)state;
	check_verdict(&r, "reply", CHECK_PASS, 0, NULL, "first pass");
	check_verdict(&r, "reply", CHECK_SKIP, 0, NULL, "a skip never hides a pass");
	assert_string_equal(check_report_get(&r, "reply")->why, "first pass");
	check_verdict(&r, "reply", CHECK_FAIL, 7, "hint one", "failed %d", 1);
	check_verdict(&r, "reply", CHECK_FAIL, 8, "hint two", "failed %d", 2);
	check_verdict(&r, "reply", CHECK_PASS, 0, NULL, "a later pass never hides a failure");
	assert_int_equal(check_report_get(&r, "reply")->status, CHECK_FAIL);
	assert_string_equal(check_report_get(&r, "reply")->why, "failed 1");
	assert_string_equal(check_report_get(&r, "reply")->hint, "hint one");
	assert_int_equal(check_report_get(&r, "reply")->conn_port, 7);
	check_verdict(&r, "leak", CHECK_PASS, 0, "no hint on a pass", "ok");
	assert_string_equal(check_report_get(&r, "leak")->hint, "");
	assert_null(check_report_get(&r, "close-wait"));
}

/* Print r to a string (freed by the caller) and return the exit status in *rc. */
static char *print(struct check_report *r, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	*rc = check_report_print(r, names, fp, NULL, NULL);
	fclose(fp);
	return buf;
}

static void report_text(void **state)
{
	struct check_report r = {.task = "echo-server"};
	char *out;
	int rc;

	(void)state;
	check_verdict(&r, "leak", CHECK_PASS, 0, NULL, "fine");
	check_verdict(&r, "listens", CHECK_PASS, 0, NULL, "listening");
	out = print(&r, &rc);
	assert_int_equal(rc, 0); /* skipped checks do not fail a run */
	/* the task's order, not the order the verdicts came in; unreached ones skipped */
	assert_non_null(strstr(out, "PASS listens       listening\n"
	                            "SKIP reply         not reached"));
	assert_non_null(strstr(out, "PASS leak          fine\n"));
	assert_non_null(strstr(out, "echo-server: 2 passed, 0 failed, 2 skipped"));
	free(out);

	check_verdict(&r, "close-wait", CHECK_FAIL, 0, "close it", "sat in CLOSE_WAIT");
	out = print(&r, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "FAIL close-wait    sat in CLOSE_WAIT\n     hint: close it\n"));
	free(out);
}

static void report_jsonl(void **state)
{
	struct check_report r = {.task = "echo-server", .format = CHECK_FORMAT_JSONL};
	char *out;
	int rc;

	(void)state;
	check_verdict(&r, "listens", CHECK_PASS, 0, NULL, "a \"quoted\" \\ why");
	check_verdict(&r, "reply", CHECK_FAIL, 0, "h", "got \x01");
	check_verdict(&r, "close-wait", CHECK_SKIP, 0, NULL, "not judged");
	out = print(&r, &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(
	    out,
	    "{\"type\":\"check\",\"task\":\"echo-server\",\"check\":\"listens\",\"ok\":true,"
	    "\"why\":\"a \\\"quoted\\\" \\\\ why\",\"hint\":\"\"}\n"
	    "{\"type\":\"check\",\"task\":\"echo-server\",\"check\":\"reply\",\"ok\":false,"
	    "\"why\":\"got \\u0001\",\"hint\":\"h\"}\n"
	    "{\"type\":\"check\",\"task\":\"echo-server\",\"check\":\"close-wait\",\"ok\":null,"
	    "\"skipped\":true,\"why\":\"not judged\",\"hint\":\"\"}\n"
	    "{\"type\":\"check\",\"task\":\"echo-server\",\"check\":\"leak\",\"ok\":null,"
	    "\"skipped\":true,\"why\":\"not reached: the run stopped at an earlier failure\","
	    "\"hint\":\"\"}\n"
	    "{\"type\":\"result\",\"task\":\"echo-server\",\"passed\":1,\"failed\":1,"
	    "\"skipped\":2,\"capture\":false}\n");
	free(out);
}

static void tasks_table(void **state)
{
	const struct check_task *t;
	size_t n = 0;

	(void)state;
	for (; (t = check_task_at(n)); n++) {
		assert_ptr_equal(check_task_find(t->name), t);
		assert_non_null(t->run);
		assert_non_null(t->checks[0]);
	}
	assert_int_equal(n, 7);
	assert_null(check_task_find("echo"));
	assert_true(check_task_find("echo-client")->program_is_client);
	assert_true(check_task_find("echo-client")->stdin_pipe);
	assert_false(check_task_find("threads-server")->program_is_client);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(escape_control_bytes),
	    cmocka_unit_test(escape_never_cuts_an_escape),
	    cmocka_unit_test(json_escape_is_valid_json),
	    cmocka_unit_test(subst_port),
	    cmocka_unit_test(args_good),
	    cmocka_unit_test(args_bad),
	    cmocka_unit_test(verdict_rules),
	    cmocka_unit_test(report_text),
	    cmocka_unit_test(report_jsonl),
	    cmocka_unit_test(tasks_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
