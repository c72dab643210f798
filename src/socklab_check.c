/* socklab_check.c — socklab-check's main: runs a student's program against a task's scripted
 * peers and says, check by check, what the wire and the kernel showed. */
#include "check/check.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *fp)
{
	fputs("usage: socklab-check TASK [--port N] [--timeout S] [--format=text|jsonl] -- COMMAND "
	      "[ARGS...]\n"
	      "       socklab-check --list | --help | --version\n",
	      fp);
}

static void list(void)
{
	const struct check_task *t;

	for (size_t i = 0; (t = check_task_at(i)); i++) {
		printf("%-17s %s\n%17s  checks:", t->name, t->summary, "");
		for (const char *const *c = t->checks; *c; c++)
			printf(" %s", *c);
		printf("\n");
	}
}

static void help(void)
{
	usage(stdout);
	fputs(
	    "\n"
	    "Runs COMMAND (your server or client, in any language) in its own process group,\n"
	    "drives it with the task's scripted peers on loopback while capturing the port's\n"
	    "segments, and prints one line per check: PASS or FAIL, the check's name, and the\n"
	    "evidence from the wire or the kernel (a hint and the connection's ladder on FAIL).\n"
	    "\n"
	    "  TASK            one of the tasks --list shows\n"
	    "  --port N        the port to use (default: a free one)\n"
	    "  --timeout S     the whole run takes at most S seconds (default 10, 2-600); one\n"
	    "                  wait (a listen, an answer, a close) gives up after max(1, S/4)\n"
	    "  --format=text   one line per check (default); --format=jsonl: one JSON object per\n"
	    "                  check "
	    "{\"type\":\"check\",\"task\",\"check\",\"ok\",\"why\",\"hint\"}\n"
	    "                  (\"ok\":null and \"skipped\":true for a skipped check), then\n"
	    "                  {\"type\":\"result\",\"task\",\"passed\",\"failed\",\"skipped\","
	    "\"capture\"}\n"
	    "  --list          the tasks and their checks\n"
	    "  COMMAND ARGS    every {port} in ARGS becomes the port; $PORT holds it too\n"
	    "\n"
	    "Checks (names are stable): listens, handshake, reply, concurrency, exit-command,\n"
	    "close-wait, no-reset, close-order, leak, survives. A check that an earlier failure\n"
	    "kept from running is SKIP. Tasks (what each peer sends: socklab-check(1)):\n"
	    "\n",
	    stdout);
	list();
	fputs(
	    "\n"
	    "The program is always ended (SIGTERM to its group, SIGKILL 0.5 s later). Capturing\n"
	    "needs root or CAP_NET_RAW; without it every check still runs from the checker's own\n"
	    "sockets and sock_diag, without the wire's details and ladders. As root the checker\n"
	    "opens the capture, then becomes the sudo user (or nobody) before it starts the\n"
	    "program, so the program never runs as root.\n"
	    "\n"
	    "Exit status: 0 every check passed, 1 a check failed, 2 bad usage.\n"
	    "Example:  socklab-check echo-server -- ./echo_server {port}\n"
	    "See socklab-check(1).\n",
	    stdout);
}

/* After --help, --version or --list: stdout may be a full disk or a closed pipe, and a lost
 * help text must not look like success. */
static int flushed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "socklab-check: writing to standard output failed\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct check_args a;
	const struct check_task *t;
	char err[256];

	if (check_args_parse(argc, argv, &a, err, sizeof err) != 0) {
		fprintf(stderr, "socklab-check: %s\n", err);
		return 2;
	}
	switch (a.action) {
	case CHECK_ACT_HELP:
		help();
		return flushed();
	case CHECK_ACT_VERSION:
		printf("socklab-check %s\n", SOCKLAB_VERSION);
		return flushed();
	case CHECK_ACT_LIST:
		list();
		return flushed();
	case CHECK_ACT_RUN:
		break;
	}
	t = check_task_find(a.task);
	if (!t) {
		fprintf(stderr,
		        "socklab-check: unknown task '%.60s' (socklab-check --list shows them)\n",
		        a.task);
		return 2;
	}
	check_signals_install();
	return check_run(&a, t);
}
