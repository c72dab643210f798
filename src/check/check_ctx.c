/* check_ctx.c — what every task needs from a run: deadlines, connecting to the program, the
 * wire's view of one connection, and how the program ended. */
#include "check.h"

#include <string.h>

double check_until(const struct check_ctx *c, double s)
{
	double now = check_now(), t = now + s;

	if (t > c->deadline)
		t = c->deadline;
	return t < now ? now : t;
}

double check_step(const struct check_ctx *c) { return check_until(c, c->step); }

bool check_over(const struct check_ctx *c)
{
	return check_interrupted() || check_now() >= c->deadline;
}

enum check_io check_ctx_connect(struct check_ctx *c, struct check_peer *p)
{
	check_peer_init(p);
	return check_peer_connect(p, &c->target, c->target_len, check_step(c));
}

bool check_ctx_wire(struct check_ctx *c, uint16_t conn_port, struct check_wire_conn *w)
{
	if (!c->wire) {
		memset(w, 0, sizeof *w);
		w->first_fin = -1;
		return false;
	}
	check_wire_settle(c->wire, 0.03, 0.3);
	return check_wire_conn(c->wire, conn_port, w);
}

void check_ctx_output_note(const struct check_ctx *c, char *buf, size_t len)
{
	char tail[200];

	check_proc_output_tail(&c->proc, tail, sizeof tail);
	if (tail[0])
		snprintf(buf, len, "; its output ends: \"%s\"", tail);
	else if (len)
		buf[0] = '\0';
}

bool check_ctx_alive(struct check_ctx *c, char *why, size_t len)
{
	if (check_proc_alive(&c->proc))
		return true;
	check_proc_describe(&c->proc, why, len);
	return false;
}

/* "CLOSE_WAIT -> LAST_ACK -> CLOSED" from the states a side went through. */
static void path_text(const struct check_wire_conn *w, int side, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < w->nseen[side] && o < len; i++) {
		int n = snprintf(buf + o, len - o, "%s%s", i ? " -> " : "",
		                 track_state_name(w->seen[side][i], TRACK_NAMES_RFC));
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

void check_ctx_wire_close_text(struct check_ctx *c, uint16_t conn_port, char *buf, size_t len)
{
	struct check_wire_conn w;
	char prog[160], chk[160];

	if (!check_ctx_wire(c, conn_port, &w)) {
		if (len)
			buf[0] = '\0';
		return;
	}
	path_text(&w, 1, prog, sizeof prog);
	path_text(&w, 0, chk, sizeof chk);
	snprintf(buf, len, "; wire: %s, program %s, checker %s",
	         w.first_fin < 0 ? "no FIN seen"
	         : w.first_fin   ? "the program sent the first FIN"
	                         : "the checker sent the first FIN",
	         prog, chk);
}
