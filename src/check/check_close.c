/* check_close.c — the end of one session and its three verdicts: close-wait (the program
 * closed after the checker's FIN), no-reset (with a FIN, not a RST) and close-order (TIME_WAIT
 * on the side that sent the first FIN, RFC 9293 §3.6). */
#include "check.h"

#include <string.h>

uint16_t check_conn_port(const struct check_ctx *c, const struct check_peer *p)
{
	return c->task->program_is_client ? p->rport : p->lport;
}

void check_end_session(struct check_ctx *c, struct check_peer *p, double program_first_s)
{
	if (p->fd < 0)
		return;
	if (!p->eof && !p->reset && program_first_s > 0)
		check_peer_read_to_end(p, check_until(c, program_first_s));
	if (p->eof || p->reset || p->err)
		return;
	check_peer_shutdown(p);
	check_peer_read_to_end(p, check_step(c));
}

/* The program's side of the connection and the checker's side, as sock_diag keys. */
static void keys(const struct check_ctx *c, const struct check_peer *p, unsigned *pl, unsigned *pr)
{
	/* the checker's socket: local p->lport, remote p->rport; the program's is the reverse */
	*pl = p->rport;
	*pr = p->lport;
	(void)c;
}

static bool program_closed_first(const struct check_peer *p, const struct check_wire_conn *w,
                                 bool have_wire)
{
	if (have_wire && w->first_fin >= 0)
		return w->first_fin == 1;
	return p->eof && !(p->wr_shut && p->shut_t < p->eof_t);
}

static void judge_close_wait(struct check_ctx *c, const struct check_peer *p, bool first,
                             const char *wire, uint16_t key)
{
	const char *hint =
	    c->task->program_is_client
	        ? "your client never closed its socket after the server's FIN: when "
	          "recv() returns 0 the server is done; close() the socket"
	        : "the accepted socket was never closed: your server's side sat in "
	          "CLOSE_WAIT after the client's FIN; when recv() returns 0, close() "
	          "the accepted socket";
	unsigned pl, pr;
	enum track_state st;
	bool found;

	keys(c, p, &pl, &pr);
	if (p->eof || p->reset) {
		bool before = !p->wr_shut || p->eof_t <= p->shut_t;

		if (first || before)
			check_verdict(
			    &c->report, "close-wait", CHECK_PASS, key, NULL,
			    "the program ended the connection before the checker's FIN (%s), so "
			    "its side never was in CLOSE_WAIT%s",
			    p->reset ? "with a RST: see no-reset" : "its FIN came first", wire);
		else
			check_verdict(
			    &c->report, "close-wait", CHECK_PASS, key, NULL,
			    "after the checker's FIN the program closed its side %.2f ms later "
			    "(the checker's recv() returned %s)%s",
			    (p->eof_t - p->shut_t) * 1000, p->eof ? "0: its FIN" : "ECONNRESET",
			    wire);
		return;
	}
	found = check_diag_state(pl, pr, &st);
	if (found && st != TRACK_CLOSE_WAIT && st != TRACK_LAST_ACK && st != TRACK_CLOSED) {
		/* our FIN waits behind bytes the program never read: it cannot be in CLOSE_WAIT */
		check_verdict(
		    &c->report, "close-wait", CHECK_SKIP, 0, NULL,
		    "not judged: the checker's FIN had not reached the program (sock_diag "
		    "shows its side in %s): bytes before it were never read",
		    track_state_name(st, TRACK_NAMES_RFC));
		return;
	}
	check_verdict(&c->report, "close-wait", CHECK_FAIL, key, hint,
	              "%.1f s after the checker's FIN the program had not closed its side: no FIN "
	              "came, and sock_diag shows port %u -> %u in %s%s",
	              check_now() - p->shut_t, pl, pr, check_diag_state_text(found, st), wire);
}

static void judge_no_reset(struct check_ctx *c, const struct check_peer *p,
                           const struct check_wire_conn *w, bool have_wire, const char *wire,
                           uint16_t key)
{
	const char *hint =
	    "close() with unread bytes in the receive buffer sends a RST instead of a FIN: read "
	    "everything the peer sent (until recv() returns 0) before close(); SO_LINGER {1,0} "
	    "aborts the same way";

	if (p->reset || (have_wire && w->rst[1])) {
		check_verdict(&c->report, "no-reset", CHECK_FAIL, key, hint,
		              "the program aborted the connection: %s%s",
		              have_wire && w->rst[1]
		                  ? w->rst_why
		                  : "the checker's recv() failed with ECONNRESET",
		              wire);
		return;
	}
	if (!p->eof) {
		check_verdict(
		    &c->report, "no-reset", CHECK_SKIP, 0, NULL,
		    "not judged: the program did not end the connection (see close-wait)");
		return;
	}
	check_verdict(
	    &c->report, "no-reset", CHECK_PASS, key, NULL,
	    "the program ended the connection with a FIN (the checker's recv() returned 0)"
	    "%s",
	    have_wire ? ", and the wire shows no RST from it" : "");
}

static void judge_close_order(struct check_ctx *c, struct check_peer *p,
                              const struct check_wire_conn *w, bool have_wire, bool first)
{
	unsigned pl, pr, l, r;
	enum track_state st = TRACK_UNKNOWN;
	bool found = false;
	uint16_t key = check_conn_port(c, p);
	double until;
	char tw[160] = "";

	if (p->reset || (have_wire && (w->rst[0] || w->rst[1]))) {
		check_verdict(&c->report, "close-order", CHECK_SKIP, 0, NULL,
		              "not judged: the connection was reset, so no side went through "
		              "TIME_WAIT (see no-reset)");
		return;
	}
	if (!p->eof) {
		check_verdict(
		    &c->report, "close-order", CHECK_SKIP, 0, NULL,
		    "not judged: the program did not close the connection (see close-wait)");
		return;
	}
	keys(c, p, &pl, &pr);
	/* after the second FIN is acknowledged the first closer is in TIME_WAIT (RFC 9293 §3.6) */
	l = first ? pl : p->lport;
	r = first ? pr : p->rport;
	until = check_until(c, 1.0);
	do {
		found = check_diag_state(l, r, &st);
		if (found && st == TRACK_TIME_WAIT)
			break;
		check_sleep(0.02);
	} while (check_now() < until);
	if (have_wire) {
		check_wire_settle(c->wire, 0.02, 0.3);
		check_wire_conn(c->wire, key, (struct check_wire_conn *)w);
		snprintf(tw, sizeof tw, "; the tracker has the program in %s, the checker in %s",
		         track_state_name(w->state[1], TRACK_NAMES_RFC),
		         track_state_name(w->state[0], TRACK_NAMES_RFC));
	} else if (!(found && st == TRACK_TIME_WAIT)) {
		/* Without the wire "first" is what the checker's socket saw, and two FINs a moment
		 * apart can be read in either order: the kernel's TIME_WAIT settles it. */
		enum track_state o;
		if (check_diag_state(first ? p->lport : pl, first ? p->rport : pr, &o) &&
		    o == TRACK_TIME_WAIT) {
			first = !first;
			l = first ? pl : p->lport;
			r = first ? pr : p->rport;
			found = true;
			st = o;
		}
	}
	if (found && st == TRACK_TIME_WAIT)
		check_verdict(
		    &c->report, "close-order", CHECK_PASS, key, NULL,
		    "the %s sent the first FIN, and TIME_WAIT landed on its side: sock_diag "
		    "shows port %u -> %u in TIME_WAIT%s",
		    first ? "program" : "checker", l, r, tw);
	else
		check_verdict(
		    &c->report, "close-order", CHECK_FAIL, key,
		    "the side that closes first keeps the connection in TIME_WAIT for 60 s; "
		    "if it is not there, the close was not the ordinary FIN exchange",
		    "the %s sent the first FIN, but sock_diag shows its side (port %u -> %u) "
		    "in %s, not TIME_WAIT%s",
		    first ? "program" : "checker", l, r, check_diag_state_text(found, st), tw);
}

void check_judge_close(struct check_ctx *c, struct check_peer *p, int which)
{
	struct check_wire_conn w;
	uint16_t key = check_conn_port(c, p);
	bool have_wire = check_ctx_wire(c, key, &w);
	bool first = program_closed_first(p, &w, have_wire);
	char wire[400];

	check_ctx_wire_close_text(c, key, wire, sizeof wire);
	if (which & CHECK_JUDGE_CLOSE_WAIT)
		judge_close_wait(c, p, first, wire, key);
	if (which & CHECK_JUDGE_NO_RESET)
		judge_no_reset(c, p, &w, have_wire, wire, key);
	if (p->eof)
		check_peer_close(p); /* our FIN (if not sent yet) after everything was read */
	if (which & CHECK_JUDGE_CLOSE_ORDER)
		judge_close_order(c, p, &w, have_wire, first);
	check_peer_close(p);
}
