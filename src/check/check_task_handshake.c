/* check_task_handshake.c — lab 04's programs: a server that accepts one client and answers
 * it, and a client that connects, sends, reads the answer and closes. */
#include "check.h"

#include <string.h>

static const char hello[] = "hello\n";

void check_task_handshake_server(struct check_ctx *c)
{
	struct check_peer p;
	enum check_io io;
	char q[200], note[160];

	if (!check_session_open(c, &p))
		return;
	io = check_peer_send(&p, hello, sizeof hello - 1, check_step(c));
	if (io == CHECK_IO_OK)
		io = check_peer_read_message(&p, 0.05, check_step(c));
	check_exit_note(c, note, sizeof note);
	if (p.len > 0) {
		check_quote(p.buf, p.len, q, sizeof q);
		check_verdict(
		    &c->report, "reply", CHECK_PASS, p.lport, NULL,
		    "the program answered the checker's 6 bytes (\"hello\\x0a\") with %zu "
		    "bytes: %s",
		    p.len, q);
	} else {
		check_verdict(
		    &c->report, "reply", CHECK_FAIL, p.lport,
		    "recv() the message on the socket accept() returned (not on the "
		    "listening one), then send() an answer on it",
		    "the program sent no answer to the checker's 6 bytes: %s after %.1f s%s",
		    io == CHECK_IO_TIMEOUT ? "nothing came" : check_io_name(io),
		    check_now() - c->start, note);
	}
	/* the tutorial's server closes right after its answer: give it a moment to go first */
	check_end_session(c, &p, 1.0);
	check_judge_close(c, &p, CHECK_JUDGE_ALL);
	check_peer_free(&p);
}

void check_task_handshake_client(struct check_ctx *c)
{
	struct check_peer p;
	enum check_io io;
	char q[200], note[160];

	if (!check_session_accept(c, &p))
		return;
	io = check_peer_read_message(&p, 0.05, check_step(c));
	if (p.len == 0) {
		check_exit_note(c, note, sizeof note);
		check_verdict(&c->report, "reply", CHECK_FAIL, p.rport,
		              "after connect(), send() the message on the same socket",
		              "the client sent nothing within %.1f s of connecting (%s)%s", c->step,
		              check_io_name(io), note);
	} else {
		check_quote(p.buf, p.len, q, sizeof q);
		p.pos = p.len;
		io = check_peer_send(&p, p.buf, p.len, check_step(c));
		if (io == CHECK_IO_OK)
			check_verdict(
			    &c->report, "reply", CHECK_PASS, p.rport, NULL,
			    "the client sent %zu bytes (%s) and the reference server's echo "
			    "of them was sent back on the same connection",
			    p.len, q);
		else
			check_verdict(
			    &c->report, "reply", CHECK_FAIL, p.rport,
			    "keep the socket open until the answer has come: recv() before "
			    "close()",
			    "the client sent %zu bytes (%s), but the answer could not be "
			    "delivered: %s",
			    p.len, q, check_io_name(io));
	}
	/* the reference server closes first, as the tutorial's server does */
	check_peer_shutdown(&p);
	check_peer_read_to_end(&p, check_step(c));
	check_judge_close(c, &p, CHECK_JUDGE_ALL);
	check_peer_free(&p);
	check_client_exit(c);
}
