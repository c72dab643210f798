/* check_task_threads_client.c — lab 08's client against a reference server that speaks the
 * tutorial's protocol: Welcome!, "Hello, <message>!", and exit closes the session. */
#include "check.h"

#include <string.h>

static const char *const script[] = {"mindthink", "code change the world", "hello world", "exit"};

static bool is_term(unsigned char ch) { return ch == '\r' || ch == '\n' || ch == '\0'; }

/* The next message: the unread bytes with terminators around them stripped. */
static size_t next_message(struct check_peer *p, const unsigned char **m)
{
	size_t a = p->pos, b = p->len;

	while (a < b && is_term(p->buf[a]))
		a++;
	while (b > a && is_term(p->buf[b - 1]))
		b--;
	*m = p->buf + a;
	return b - a;
}

void check_task_threads_client(struct check_ctx *c)
{
	struct check_peer p;
	char q[200], note[160];
	int i;

	if (!check_session_accept(c, &p))
		return;
	if (check_peer_send(&p, "Welcome!", 8, check_step(c)) != CHECK_IO_OK)
		goto close;
	for (i = 0; i < 4; i++) {
		const char *want = script[i];
		size_t wn = strlen(want), n;
		const unsigned char *m;
		enum check_io io;

		/* a message is what arrives before a short quiet: the client awaits each answer */
		do {
			io = check_peer_read_message(&p, 0.05, check_step(c));
			n = next_message(&p, &m);
		} while (io == CHECK_IO_OK && n < wn && memcmp(m, want, n) == 0);
		check_quote(m, n, q, sizeof q);
		if (n == wn && memcmp(m, want, wn) == 0) {
			p.pos = p.len;
			if (i < 3) {
				char reply[64];
				int rn = snprintf(reply, sizeof reply, "Hello, %s!", want);
				check_peer_send(&p, reply, (size_t)rn, check_step(c));
			}
			continue;
		}
		check_exit_note(c, note, sizeof note);
		if (n > wn && memcmp(m, want, wn) == 0)
			check_verdict(
			    &c->report, "reply", CHECK_FAIL, p.rport,
			    "recv() the answer to each message before sending the next",
			    "the client sent %s in one piece: it did not wait for the answer to "
			    "\"%s\"",
			    q, want);
		else if (n == 0)
			check_verdict(
			    &c->report, i == 3 ? "exit-command" : "reply", CHECK_FAIL, p.rport,
			    i == 3 ? "after the last answer, send \"exit\" to end the session"
			           : "after \"Welcome!\", send each message with one send()",
			    "the reference server waited for \"%s\" but got %s%s", want,
			    io == CHECK_IO_TIMEOUT ? "nothing within the step" : check_io_name(io),
			    note);
		else
			check_verdict(
			    &c->report, i == 3 ? "exit-command" : "reply", CHECK_FAIL, p.rport,
			    "send mindthink, code change the world, hello world, then exit, in "
			    "that order",
			    "the reference server expected \"%s\" but got %s%s", want, q, note);
		goto close;
	}
	check_verdict(&c->report, "reply", CHECK_PASS, p.rport, NULL,
	              "the client sent mindthink, code change the world and hello world one at a "
	              "time, each after the answer to the one before");
	/* exit: the reference server ends the session first, as the tutorial's server does; how
	 * the client then closes is close-wait's business */
	check_verdict(&c->report, "exit-command", CHECK_PASS, p.rport, NULL,
	              "the client sent exit after the third answer, as its last message; the "
	              "reference server then ended the session (its FIN)");
	check_peer_shutdown(&p);
	check_peer_read_to_end(&p, check_step(c));
close:
	if (!p.wr_shut) {
		check_peer_shutdown(&p);
		check_peer_read_to_end(&p, check_step(c));
	}
	check_judge_close(c, &p, CHECK_JUDGE_ALL);
	check_peer_free(&p);
	check_client_exit(c);
}
