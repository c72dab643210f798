/* check_task_threads.c — lab 08's thread-per-connection server, with the tutorial's protocol:
 * Welcome! on accept, "Hello, <message>!" for each message, exit ends that client's session.
 * Five clients at once, a client that leaves without exit, one that aborts, and the counts of
 * descriptors and threads before and after. */
#include "check.h"

#include <stdio.h>
#include <string.h>

#define CLIENTS   5
#define LATER     6    /* sessions after the first five: leaver, aborter, four full dialogs */
#define STACK_KIB 2048 /* growth per session that means a thread's stack stayed mapped */

static const char *const messages[] = {"mindthink", "code change the world", "hello world"};

static const char reply_hint[] =
    "send \"Welcome!\" right after accept(), then answer each recv() with \"Hello, \" + what "
    "it returned + \"!\": the client sends no newline and waits for each answer";

/* Expect text (loosely: a trailing newline or NUL is fine); a reply failure otherwise. */
static bool expect(struct check_ctx *c, struct check_peer *p, int who, const char *text,
                   const char *after)
{
	enum check_io io = check_peer_expect(p, text, strlen(text), true, check_step(c));
	char got[200], note[160];

	if (io == CHECK_IO_OK)
		return true;
	check_peer_pending_text(p, got, sizeof got);
	check_exit_note(c, note, sizeof note);
	if (io == CHECK_IO_MISMATCH)
		check_verdict(&c->report, "reply", CHECK_FAIL, p->lport, reply_hint,
		              "client %d expected \"%s\" %s but got \"%s\"%s", who, text, after,
		              got, note);
	else
		check_verdict(&c->report, "reply", CHECK_FAIL, p->lport, reply_hint,
		              "client %d expected \"%s\" %s, but %s%s%s%s", who, text, after,
		              io == CHECK_IO_TIMEOUT ? "nothing more came within the step"
		                                     : check_io_name(io),
		              got[0] ? " (it had got \"" : "", got, got[0] ? "\")" : "");
	return false;
}

/* The three messages, each answer awaited. */
static bool talk(struct check_ctx *c, struct check_peer *p, int who)
{
	for (int i = 0; i < 3; i++) {
		char want[64], after[80];

		snprintf(want, sizeof want, "Hello, %s!", messages[i]);
		snprintf(after, sizeof after, "after sending \"%s\"", messages[i]);
		if (check_peer_send(p, messages[i], strlen(messages[i]), check_step(c)) !=
		        CHECK_IO_OK ||
		    !expect(c, p, who, want, after))
			return false;
	}
	return true;
}

/* "exit": the program must end this session (anything, then its FIN). */
static bool say_exit(struct check_ctx *c, struct check_peer *p, int who)
{
	enum check_io io = check_peer_send(p, "exit", 4, check_step(c));
	char note[160];

	if (io == CHECK_IO_OK)
		io = check_peer_read_to_end(p, check_step(c));
	if (io == CHECK_IO_EOF || io == CHECK_IO_RESET)
		return true; /* a RST is no-reset's business */
	check_exit_note(c, note, sizeof note);
	check_verdict(&c->report, "exit-command", CHECK_FAIL, p->lport,
	              "on \"exit\", leave that client's loop and close() its socket: the thread "
	              "ends, the server goes on",
	              "client %d sent \"exit\" but the program did not end the session: %s within "
	              "%.1f s%s",
	              who, io == CHECK_IO_TIMEOUT ? "no FIN" : check_io_name(io), c->step, note);
	return false;
}

/* A whole dialog on an open session, closed and judged. */
static bool dialog(struct check_ctx *c, struct check_peer *p, int who, bool welcomed)
{
	bool ok = (welcomed || expect(c, p, who, "Welcome!", "on connecting")) && talk(c, p, who) &&
	          say_exit(c, p, who);

	if (ok)
		check_judge_close(c, p, CHECK_JUDGE_NO_RESET | CHECK_JUDGE_CLOSE_ORDER);
	check_peer_free(p);
	return ok;
}

/* Descriptors and threads back where they were, within a second of settling. */
static void judge_leak(struct check_ctx *c, int fd0, int task0, long vm_a, int sessions)
{
	double until = check_until(c, 1.0);
	int fd, task;
	long vm_b;
	pid_t pid = c->proc.pid;

	do {
		fd = check_proc_count(pid, "fd");
		task = check_proc_count(pid, "task");
		if (fd <= fd0 && task <= task0)
			break;
		check_sleep(0.05);
	} while (check_now() < until);
	vm_b = check_proc_vmsize_kb(pid);
	if (fd < 0 || task < 0) {
		check_verdict(&c->report, "leak", CHECK_SKIP, 0, NULL,
		              "not judged: /proc/%d could not be read (the program ended?)",
		              (int)pid);
	} else if (fd > fd0) {
		check_verdict(
		    &c->report, "leak", CHECK_FAIL, 0,
		    "close() each client's socket when its session ends (exit, or recv() "
		    "returning 0)",
		    "after the sessions the program had %d descriptors open, %d more than "
		    "before the first client (%d): sockets that were never closed",
		    fd, fd - fd0, fd0);
	} else if (task > task0) {
		check_verdict(
		    &c->report, "leak", CHECK_FAIL, 0,
		    "each session's thread must end: return from the thread function when "
		    "the client leaves or says exit",
		    "after the sessions the program had %d threads, %d more than before the "
		    "first client (%d)",
		    task, task - task0, task0);
	} else if (vm_a > 0 && vm_b - vm_a > (long)sessions * STACK_KIB) {
		check_verdict(
		    &c->report, "leak", CHECK_FAIL, 0,
		    "pthread_detach() each session's thread, or pthread_join() it: until "
		    "then its stack stays mapped",
		    "the thread count came back to %d, but the program's mapped memory grew "
		    "by %ld MiB over %d later sessions (about %ld MiB each): finished threads "
		    "whose stacks were never released",
		    task, (vm_b - vm_a) / 1024, sessions, (vm_b - vm_a) / 1024 / sessions);
	} else {
		check_verdict(
		    &c->report, "leak", CHECK_PASS, 0, NULL,
		    "after the sessions the program had %d descriptors and %d threads open, "
		    "as before the first client (/proc/%d); mapped memory changed by %ld KiB "
		    "over %d sessions",
		    fd, task, (int)pid, vm_b - vm_a, sessions);
	}
}

void check_task_threads_server(struct check_ctx *c)
{
	struct check_peer p[CLIENTS], q;
	bool welcomed[CLIENTS] = {false};
	int fd0, task0, during = -1, later = 0;
	long vm_a;
	char how[96], note[300];
	bool served5;

	check_sleep(0.1); /* a server's start-up may still open files or threads */
	fd0 = check_proc_count(c->proc.pid, "fd");
	task0 = check_proc_count(c->proc.pid, "task");

	/* phase 1: five clients at once; the fifth is served while the other four wait */
	for (int i = 0; i < CLIENTS; i++)
		check_peer_init(&p[i]);
	for (int i = 0; i < CLIENTS; i++)
		if (!check_session_open(c, &p[i]))
			goto out;
	welcomed[0] = expect(c, &p[0], 1, "Welcome!", "on connecting");
	if (!welcomed[0])
		goto out;
	if (check_peer_expect(&p[4], "Welcome!", 8, true, check_step(c)) == CHECK_IO_OK) {
		welcomed[4] = true;
		during = check_proc_count(c->proc.pid, "task");
		served5 = talk(c, &p[4], 5) && say_exit(c, &p[4], 5);
		if (served5) {
			check_verdict(&c->report, "concurrency", CHECK_PASS, p[4].lport, NULL,
			              "client 5 got Welcome!, its three answers and the end of its "
			              "session while clients 1-4 stayed connected mid-session (the "
			              "program had %d threads then, %d before)",
			              during, task0);
			check_judge_close(c, &p[4], CHECK_JUDGE_NO_RESET | CHECK_JUDGE_CLOSE_ORDER);
		}
		check_peer_free(&p[4]);
	} else {
		check_verdict(
		    &c->report, "concurrency", CHECK_FAIL, p[4].lport,
		    "accept() in a loop and start a thread for each client "
		    "(pthread_create), so one client's session does not hold up the next",
		    "client 5 got no Welcome! within %.1f s while client 1 (welcomed) and "
		    "clients 2-4 were connected: the program serves one client at a time",
		    c->step);
	}
	if (!check_ctx_alive(c, how, sizeof how)) {
		check_ctx_output_note(c, note, sizeof note);
		check_verdict(
		    &c->report, "exit-command", CHECK_FAIL, 0,
		    "\"exit\" ends that client's session only: close its socket and end its "
		    "thread; never exit() the process or close the listening socket",
		    "after client 5 sent exit the program %s, ending clients 1-4's sessions "
		    "with it%s",
		    how, note);
		goto out;
	}
	for (int i = 0; i < CLIENTS; i++) {
		if (p[i].fd < 0)
			continue;
		if (!dialog(c, &p[i], i + 1, welcomed[i]))
			goto out;
	}
	/* later sessions' failures replace this */
	check_verdict(&c->report, "reply", CHECK_PASS, 0, NULL,
	              "every client got \"Welcome!\" and \"Hello, <message>!\" for mindthink, code "
	              "change the world and hello world, one message per send, each awaited");
	check_verdict(&c->report, "exit-command", CHECK_PASS, 0, NULL,
	              "each client's exit ended its own session (the program's FIN), and the "
	              "clients still connected were answered afterwards");
	vm_a = check_proc_vmsize_kb(c->proc.pid);

	/* phase 2: a client that leaves without exit: the program must close its side */
	if (!check_session_open(c, &q))
		goto out;
	if (expect(c, &q, 6, "Welcome!", "on connecting") && talk(c, &q, 6)) {
		check_end_session(c, &q, 0);
		check_judge_close(c, &q, CHECK_JUDGE_ALL);
	}
	check_peer_free(&q);
	later++;

	/* phase 3: a client that aborts before its answer */
	if (!check_session_open(c, &q))
		goto out;
	if (check_peer_expect(&q, "Welcome!", 8, true, check_step(c)) == CHECK_IO_OK)
		check_peer_send(&q, messages[0], strlen(messages[0]), check_step(c));
	check_peer_abort(&q);
	check_peer_free(&q);
	check_sleep(0.1);
	later++;

	/* phase 4: still there, and four more whole sessions */
	if (!check_ctx_alive(c, how, sizeof how)) {
		check_ctx_output_note(c, note, sizeof note);
		check_verdict(&c->report, "survives", CHECK_FAIL, 0,
		              "a client that disconnects makes send() fail: ignore SIGPIPE or use "
		              "MSG_NOSIGNAL, and end only that session on EPIPE or ECONNRESET",
		              "after a client aborted (RST) before its answer, the program %s%s",
		              how, note);
		goto out;
	}
	for (int i = 0; i < 4 && !check_over(c); i++) {
		if (!check_session_open(c, &q) || !dialog(c, &q, 7 + i, false)) {
			if (i == 0)
				check_verdict(
				    &c->report, "survives", CHECK_FAIL, 0,
				    "after a client leaves, keep accepting: the next one must be "
				    "served",
				    "after a client aborted, the next client was not served");
			goto out;
		}
		later++;
		if (i == 0)
			check_verdict(
			    &c->report, "survives", CHECK_PASS, 0, NULL,
			    "after a client left without exit and one aborted (RST) before "
			    "its answer, the program still ran and served the next client "
			    "whole");
	}
	judge_leak(c, fd0, task0, vm_a, later);
out:
	for (int i = 0; i < CLIENTS; i++)
		check_peer_free(&p[i]);
}
