/* check_task_echo.c — lab 07: the echo server (every byte back, a client leaving early does
 * not kill it, the next client is served) and the echo client (standard input out, the echoes
 * printed). */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ECHO_BIG   100000            /* a message larger than any one recv() buffer */
#define EARLY_SEND (8 * 1024 * 1024) /* more than the buffers hold while nobody reads */

static const char line1[] = "hello, echo\n";
static const char line2[] = "TCP is a byte stream\n";
static const char line3[] = "still there?\n";

/* Send msg and expect it back; records a reply failure and returns false on a difference. */
static bool echo_once(struct check_ctx *c, struct check_peer *p, const void *msg, size_t n,
                      const char *label)
{
	enum check_io io = check_peer_send(p, msg, n, check_step(c));
	size_t before = p->pos;
	char got[200], note[160];

	if (io == CHECK_IO_OK || io == CHECK_IO_EOF)
		io = check_peer_expect(p, msg, n, false, check_step(c));
	if (io == CHECK_IO_OK)
		return true;
	check_exit_note(c, note, sizeof note);
	check_peer_pending_text(p, got, sizeof got);
	if (io == CHECK_IO_MISMATCH)
		check_verdict(
		    &c->report, "reply", CHECK_FAIL, p->lport,
		    "send back exactly the bytes recv() returned: send(fd, buf, n, 0) with "
		    "n from recv(), not sizeof buf or strlen",
		    "the echo of %s differs from what was sent: after %zu matching bytes "
		    "came \"%s\"%s",
		    label, before, got, note);
	else
		check_verdict(&c->report, "reply", CHECK_FAIL, p->lport,
		              "loop: recv(), then send() all of it (send() may take less), until "
		              "recv() returns 0",
		              "the echo of %s (%zu bytes) did not come back whole: %s after %zu of "
		              "them%s",
		              label, n, check_io_name(io), p->len - before, note);
	return false;
}

/* A client that leaves early: it sends for half a second (up to 8 MiB), never looking at the
 * echo it reads back, then aborts (RST) while the program still has its bytes queued. Linux fails the
 * program's first send() after a RST in ESTABLISHED with ECONNRESET and no signal; the next one
 * (after a recv() of the bytes still queued) with EPIPE, which raises SIGPIPE unless the
 * program ignores it or sends with MSG_NOSIGNAL. A program that ends the session on the first
 * failed send() survives this, as it should. */
static void early_leaver(struct check_ctx *c)
{
	struct check_peer p;
	unsigned char *data = calloc(1, EARLY_SEND);

	check_peer_init(&p);
	if (data)
		memset(data, 'x', EARLY_SEND); /* before the clock starts: 8 MiB of page faults */
	if (data && check_ctx_connect(c, &p) == CHECK_IO_OK) {
		check_peer_send(&p, data, EARLY_SEND, check_until(c, 0.5));
		check_peer_abort(&p);
	}
	check_peer_free(&p);
	free(data);
	check_sleep(0.2); /* the program's reaction to the RST */
}

void check_task_echo_server(struct check_ctx *c)
{
	struct check_peer p;
	unsigned char *big;
	char how[96], note[300];
	bool ok;

	if (!check_session_open(c, &p))
		return;
	big = malloc(ECHO_BIG);
	if (!big) {
		check_peer_free(&p);
		return;
	}
	for (size_t i = 0; i < ECHO_BIG; i++)
		big[i] = (unsigned char)('a' + i % 26);
	ok = echo_once(c, &p, line1, sizeof line1 - 1, "\"hello, echo\\x0a\"") &&
	     echo_once(c, &p, line2, sizeof line2 - 1, "\"TCP is a byte stream\\x0a\"") &&
	     echo_once(c, &p, big, ECHO_BIG, "a 100000-byte message");
	free(big);
	if (ok)
		check_verdict(
		    &c->report, "reply", CHECK_PASS, p.lport, NULL,
		    "the program echoed all %llu bytes exactly (12, then 21, then 100000 in "
		    "one send)",
		    (unsigned long long)p.sent);
	/* the checker closes first: the program must see recv() == 0 and close too */
	check_end_session(c, &p, 0);
	check_judge_close(c, &p, CHECK_JUDGE_ALL);
	check_peer_free(&p);
	if (check_over(c))
		return;

	early_leaver(c);
	if (!check_ctx_alive(c, how, sizeof how)) {
		check_ctx_output_note(c, note, sizeof note);
		check_verdict(
		    &c->report, "survives", CHECK_FAIL, 0,
		    "a client that disconnects makes send() fail: ignore SIGPIPE "
		    "(signal(SIGPIPE, SIG_IGN)) or send with MSG_NOSIGNAL, and end only that "
		    "client's session on EPIPE or ECONNRESET",
		    "after a client sent for half a second and then aborted (RST) while the "
		    "program was still echoing to it, the program %s%s",
		    how, note);
		return;
	}
	if (!check_session_open(c, &p))
		return;
	if (echo_once(c, &p, line3, sizeof line3 - 1, "\"still there?\\x0a\"")) {
		check_end_session(c, &p, 0);
		if (p.eof)
			check_verdict(&c->report, "survives", CHECK_PASS, p.lport, NULL,
			              "after a client sent for half a second and aborted (RST) "
			              "while the program was still echoing to it, the program "
			              "still ran and echoed the next client's 13 bytes");
		check_judge_close(c, &p, CHECK_JUDGE_ALL);
	} else {
		check_verdict(
		    &c->report, "survives", CHECK_FAIL, p.lport,
		    "after a client leaves, go back to accept() and serve the next one",
		    "after a client left early, the next client's 13 bytes were not echoed");
	}
	check_peer_free(&p);
}

/* ---- echo-client ---- */

static const char input[] = "hello, echo\nTCP is a byte stream\n";

/* Whether s (len n) holds a and then b (each without its newline). */
static bool holds_in_order(const char *s, size_t n, const char *a, const char *b)
{
	const char *x = memmem(s, n, a, strlen(a));

	if (!x)
		return false;
	x += strlen(a);
	return memmem(x, n - (size_t)(x - s), b, strlen(b)) != NULL;
}

void check_task_echo_client(struct check_ctx *c)
{
	struct check_peer p;
	char out[4096], q[200], note[160];
	size_t olen;
	bool sent_ok, printed;

	/* its input: two lines, then end of file */
	if (write(c->proc.stdin_fd, input, sizeof input - 1) != (ssize_t)(sizeof input - 1)) {
		/* the program may have closed its stdin: what it sent is judged below */
	}
	close(c->proc.stdin_fd);
	c->proc.stdin_fd = -1;
	if (!check_session_accept(c, &p))
		return;
	/* echo everything until the client's FIN (the reference server closes second) */
	for (;;) {
		enum check_io io = check_peer_read_some(&p, check_step(c));
		if (p.len > p.pos) {
			size_t n = p.len - p.pos;
			check_peer_send(&p, p.buf + p.pos, n, check_step(c));
			p.pos = p.len;
		}
		if (io != CHECK_IO_OK)
			break;
	}
	sent_ok = holds_in_order((const char *)p.buf, p.len, "hello, echo", "TCP is a byte stream");
	check_peer_close(&p);
	check_client_exit(c); /* waits for it to end, so its output is complete */
	olen = check_proc_output(&c->proc, out, sizeof out);
	printed = holds_in_order(out, olen, "hello, echo", "TCP is a byte stream");
	check_quote(p.buf, p.len, q, sizeof q);
	check_exit_note(c, note, sizeof note);
	if (sent_ok && printed)
		check_verdict(&c->report, "reply", CHECK_PASS, p.rport, NULL,
		              "the client sent both lines of its input (%llu bytes: %s), got them "
		              "echoed and printed them",
		              (unsigned long long)p.received, q);
	else if (!sent_ok)
		check_verdict(&c->report, "reply", CHECK_FAIL, p.rport,
		              "read standard input line by line (fgets) and send() each line",
		              "the reference server received %s, not the two input lines \"hello, "
		              "echo\" and \"TCP is a byte stream\"",
		              q);
	else
		check_verdict(&c->report, "reply", CHECK_FAIL, p.rport,
		              "print what recv() returns (fwrite or printf(\"%%.*s\", n, buf)) and "
		              "fflush(stdout) before exiting",
		              "the client sent both lines but its output does not show both echoes "
		              "(%zu bytes of output)",
		              olen);
	check_judge_close(c, &p, CHECK_JUDGE_NO_RESET | CHECK_JUDGE_CLOSE_ORDER);
	check_peer_free(&p);
}
