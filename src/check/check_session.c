/* check_session.c — steps every task shares: opening a session (and the handshake verdict),
 * accepting the program's connection, a client's exit, quoting untrusted bytes. */
#include "check.h"

#include <string.h>
#include <sys/wait.h>

void check_quote(const void *data, size_t n, char *buf, size_t len)
{
	char esc[200];
	size_t shown = n > 48 ? 48 : n;

	check_escape(data, shown, esc, sizeof esc);
	snprintf(buf, len, "\"%s\"%s", esc, shown < n ? "..." : "");
}

void check_exit_note(struct check_ctx *c, char *buf, size_t len)
{
	char how[96];

	if (check_ctx_alive(c, how, sizeof how)) {
		if (len)
			buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "; the program %s", how);
}

static void handshake_pass(struct check_ctx *c, struct check_peer *p, const char *what)
{
	struct check_wire_conn w;
	uint16_t key = check_conn_port(c, p);
	enum track_state st;
	bool found = check_diag_state(p->rport, p->lport, &st);

	if (check_report_get(&c->report, "handshake"))
		return; /* the first session's handshake is the one reported */
	if (check_ctx_wire(c, key, &w) && w.handshake)
		check_verdict(&c->report, "handshake", CHECK_PASS, key, NULL,
		              "%s: the wire shows SYN, SYN-ACK, ACK and the tracker has both ends "
		              "ESTABLISHED (%s: %s)",
		              what, w.state_why[1][0] ? "program" : "checker",
		              w.state_why[1][0] ? w.state_why[1] : w.state_why[0]);
	else
		check_verdict(&c->report, "handshake", CHECK_PASS, key, NULL,
		              "%s; sock_diag shows the %s's side in %s", what,
		              c->task->program_is_client ? "checker" : "program",
		              check_diag_state_text(found, st));
}

bool check_session_open(struct check_ctx *c, struct check_peer *p)
{
	enum check_io io = check_ctx_connect(c, p);
	char what[160], note[200];

	if (io == CHECK_IO_OK) {
		snprintf(what, sizeof what,
		         "the checker's connect() from port %u to port %u completed", p->lport,
		         c->port);
		handshake_pass(c, p, what);
		return true;
	}
	check_exit_note(c, note, sizeof note);
	if (io == CHECK_IO_RESET)
		check_verdict(
		    &c->report, "handshake", CHECK_FAIL, p->lport,
		    "a server accepts connections only while its socket listens: keep the "
		    "listening socket open and call accept() in a loop",
		    "the checker's connect() to port %u was refused (RST): nothing listens "
		    "there any more%s",
		    c->port, note);
	else
		check_verdict(
		    &c->report, "handshake", CHECK_FAIL, p->lport,
		    "listen(fd, backlog) with a backlog above 0, and accept() connections "
		    "as they come",
		    "the checker's connect() to port %u did not complete: %s%s", c->port,
		    io == CHECK_IO_TIMEOUT ? "no SYN-ACK came within the step" : strerror(p->err),
		    note);
	check_peer_free(p);
	return false;
}

static bool exited(void *user) { return !check_proc_alive(&((struct check_ctx *)user)->proc); }

bool check_session_accept(struct check_ctx *c, struct check_peer *p)
{
	double until = check_until(c, c->args->timeout_s / 2.0);
	int fd = check_accept(&c->ref, until, exited, c);
	char what[160], note[300];

	if (fd >= 0) {
		check_peer_adopt(p, fd);
		snprintf(what, sizeof what,
		         "the program connected from port %u to the reference server on port %u",
		         p->rport, c->port);
		handshake_pass(c, p, what);
		return true;
	}
	check_peer_init(p);
	check_exit_note(c, note, sizeof note);
	check_ctx_output_note(c, what, sizeof what);
	check_verdict(&c->report, "handshake", CHECK_FAIL, 0,
	              "connect() to 127.0.0.1 (or localhost) and the port from the command line "
	              "({port}) or $PORT, with htons() on the port",
	              "no connection from the program reached the reference server on port %u "
	              "within %.1f s%s%s",
	              c->port, check_now() - c->start, note, what);
	return false;
}

void check_client_exit(struct check_ctx *c)
{
	double until = check_step(c);
	char how[96], out[300];

	while (check_proc_alive(&c->proc) && check_now() < until && !check_interrupted())
		check_sleep(0.01);
	check_proc_describe(&c->proc, how, sizeof how);
	if (c->proc.exited && WIFEXITED(c->proc.status) && WEXITSTATUS(c->proc.status) == 0) {
		check_verdict(&c->report, "survives", CHECK_PASS, 0, NULL,
		              "the client ran to its end: it exited with status 0 by itself");
		return;
	}
	check_ctx_output_note(c, out, sizeof out);
	if (!c->proc.exited)
		check_verdict(&c->report, "survives", CHECK_FAIL, 0,
		              "when the server has closed (recv() returns 0) the client's work is "
		              "done: close() and return from main",
		              "the client was still running %.1f s after its session ended%s",
		              c->step, out);
	else
		check_verdict(&c->report, "survives", CHECK_FAIL, 0,
		              WIFSIGNALED(c->proc.status)
		                  ? "a signal ended it: SIGPIPE comes from send() on a connection "
		                    "the peer closed, SIGSEGV from a bad pointer"
		                  : "return 0 from main when the session went well",
		              "the client %s%s", how, out);
}
