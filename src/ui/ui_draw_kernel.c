/* ui_draw_kernel.c — the kernel cross-check: for each connection on this host, the state the
 * kernel reports for each endpoint (sock_diag) beside the inferred one, disagreements marked;
 * listening sockets first, so they show before any packet arrives. */
#include "ui_draw.h"

#include <stdio.h>
#include <string.h>

#include "ui_kernel_cmp.h"
#include "ui_paint.h"

static bool is_loopback(const struct decode_addr *a)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};
	return a->family == 4 ? a->bytes[0] == 127 : memcmp(a->bytes, v6_loopback, 16) == 0;
}

/* Listening sockets, loopback ones first (where the labs listen), on up to a third of the
 * view: the connections below matter more. */
static int draw_listeners(const struct ui_state *s, int y, int h, int w)
{
	int x = ui_put(y, 0, w, UI_ROLE_HEADER, "listening:");
	int used = 1, count = 0, most = h / 3 > 2 ? h / 3 : 2;
	bool full = false;
	char buf[DECODE_ENDPOINT_STRLEN + 2];
	for (int pass = 0; pass < 2 && !full; pass++) {
		for (int i = 0; i < s->kernel.n && !full; i++) {
			const struct kernel_sock *k = &s->kernel.socks[i];
			if (k->state != TRACK_LISTEN || is_loopback(&k->local) != (pass == 0))
				continue;
			decode_endpoint_format(&k->local, k->lport, buf, sizeof buf);
			int len = (int)strlen(buf) + 1;
			if (x + len > w) {
				if (used >= most || used >= h) {
					full = true;
					break;
				}
				used++;
				x = 10;
			}
			x += ui_putf(y + used - 1, x, w - x, UI_ROLE_OPENING, " %s", buf);
			count++;
		}
	}
	if (count == 0)
		ui_put(y, x, w - x, UI_ROLE_DIM, " none");
	return used;
}

/* What sock_diag was asked for and how much of its answer was read: with no port in the
 * capture filter the whole host's list is read, up to UI_KERNEL_MAX sockets. */
static void draw_scope(const struct ui_state *s, int y, int w)
{
	char what[8 * KERNEL_PORTS_MAX + 40] = "";
	int len = 0;
	if (s->kernel.nports > 0) {
		len = snprintf(what, sizeof what, "port%s", s->kernel.nports > 1 ? "s" : "");
		for (int i = 0; i < s->kernel.nports && len < (int)sizeof what; i++)
			len += snprintf(what + len, sizeof what - (size_t)len, "%s%u",
			                i ? "," : " ", (unsigned)s->kernel.ports[i]);
	}
	bool capped = s->kernel.total > s->kernel.n;
	char line[256], brief[sizeof what + 48]; /* room for the port list and two counts */
	int t = s->kernel.total, n = s->kernel.n;
	if (s->kernel.nports > 0 && !capped) {
		snprintf(line, sizeof line, "sock_diag: %d socket%s on %s (filtered in the kernel)",
		         t, t == 1 ? "" : "s", what);
		snprintf(brief, sizeof brief, "sock_diag: %d on %s", t, what);
	} else if (s->kernel.nports > 0) {
		snprintf(line, sizeof line,
		         "sock_diag: the kernel lists %d sockets on %s, %d read: one not read is "
		         "not compared",
		         t, what, n);
		snprintf(brief, sizeof brief, "sock_diag: %d of %d read", n, t);
	} else if (!capped) {
		snprintf(line, sizeof line,
		         "sock_diag: all %d TCP sockets of this host (the filter names no port)",
		         t);
		snprintf(brief, sizeof brief, "sock_diag: all %d TCP sockets", t);
	} else {
		snprintf(line, sizeof line,
		         "sock_diag: the kernel lists %d sockets, %d read (the filter names no "
		         "port; -p PORT lists one port's): one not read is not compared",
		         t, n);
		snprintf(brief, sizeof brief, "sock_diag: the kernel lists %d sockets, %d read", t,
		         n);
	}
	ui_put(y, 0, w, capped ? UI_ROLE_ALERT : UI_ROLE_DIM,
	       (int)strlen(line) <= w ? line : brief);
}

/* Kernel state of one endpoint: true and *st if the kernel has the socket. */
static bool kernel_state(const struct ui_state *s, const struct ui_row *r, int e,
                         enum track_state *st)
{
	int o = 1 - e;
	return kernel_find(s->kernel.socks, s->kernel.n, &r->addr[e], r->port[e], &r->addr[o],
	                   r->port[o], st);
}

/* On the selection bar everything but an alert takes the bar's colours: no holes. */
static enum ui_role bar_role(bool sel, enum ui_role role) { return sel ? UI_ROLE_SELECTED : role; }

static void draw_endpoint(const struct ui_state *s, int y, int w, const struct ui_row *r, int e,
                          bool local, bool sel)
{
	char ep[DECODE_ENDPOINT_STRLEN];
	decode_endpoint_format(&r->addr[e], r->port[e], ep, sizeof ep);
	enum ui_role base = sel ? UI_ROLE_SELECTED : UI_ROLE_NORMAL;
	if (sel)
		ui_fill(y, 0, w, UI_ROLE_SELECTED);
	bool narrow = w < 70;
	int x = 0;
	if (e == 0)
		x += ui_putf(y, x, w, base, "%4llu ", (unsigned long long)r->id);
	else
		x += ui_put(y, x, w, base, "     ");
	x += ui_putf(y, x, w - x, base, "%c %-*.*s ", e == 0 ? 'C' : 'S', narrow ? 12 : 22,
	             narrow ? 12 : 22, narrow && (int)strlen(ep) > 12 ? ep + strlen(ep) - 12 : ep);
	enum track_state inferred = (enum track_state)r->state[e], k = TRACK_CLOSED;
	x += ui_putf(y, x, w - x, bar_role(sel, ui_theme_state_role(inferred)), "%-13s",
	             ui_state_text(s->show.names, inferred, narrow));
	if (!local) {
		ui_put(y, x, w - x, bar_role(sel, UI_ROLE_DIM), "not on this host");
		return;
	}
	struct ui_kcmp_in in = {
	    .inferred = inferred,
	    .peer_inferred = (enum track_state)r->state[1 - e],
	    .live = s->live,
	    .paused = s->pace.paused,
	    .list_capped = s->kernel.total > s->kernel.n,
	    .list_at = s->kernel.at,
	    .last_seen = r->last_seen,
	    .time_wait_secs = s->opt ? s->opt->time_wait_secs : 0,
	    .sent = r->sent[e],
	    .peer_sent = r->sent[1 - e],
	    .gave_up = r->gave_up[e],
	};
	in.found = kernel_state(s, r, e, &k);
	in.kernel = k;
	enum ui_kcmp_verdict v = ui_kcmp_judge(&in);
	if (v == UI_KCMP_NA_FILE) {
		/* a file's connections are not this host's sockets now: nothing to compare */
		ui_put(y, x, w - x, bar_role(sel, UI_ROLE_DIM),
		       ui_kcmp_text(v, &in, w - x, NULL, 0));
		return;
	}
	x += ui_putf(y, x, w - x, bar_role(sel, in.found ? ui_theme_state_role(k) : UI_ROLE_DIM),
	             "%-13s", in.found ? ui_state_text(s->show.names, k, narrow) : "(none)");
	if (v == UI_KCMP_AGREE)
		return;
	char buf[48];
	/* e.g. at 80 columns the short words, not a cut */
	const char *why = ui_kcmp_text(v, &in, w - x, buf, (int)sizeof buf);
	ui_put(y, x, w - x, v == UI_KCMP_DISAGREE ? UI_ROLE_ALERT : bar_role(sel, UI_ROLE_DIM),
	       why);
}

void ui_draw_kernel(const struct ui_state *s, int y, int h, int w)
{
	ui_fill(y, 0, w, UI_ROLE_HEADER);
	if (w >= 92)
		ui_putf(
		    y, 0, w, UI_ROLE_HEADER,
		    " kernel cross-check: inferred state | kernel's own (sock_diag, every 1 s) | "
		    "! = they disagree%s",
		    w >= 129 ? ", ~ = they differ for a known reason" : "");
	else if (w >= 77)
		ui_put(
		    y, 0, w, UI_ROLE_HEADER,
		    " kernel cross-check: inferred | kernel's own (sock_diag, 1/s) | ! = disagree");
	else
		ui_put(y, 0, w, UI_ROLE_HEADER, " inferred | kernel | ! differ");
	if (!s->kernel.ok) {
		ui_putf(y + 1, 1, w - 1, UI_ROLE_ALERT, "kernel view unavailable: %s",
		        s->kernel.err[0] ? s->kernel.err : "not read yet");
		return;
	}
	int ly = y + 1;
	ly += draw_listeners(s, ly, h - 1, w);
	if (ly < y + h)
		draw_scope(s, ly++, w);
	if (!s->live && ly < y + h)
		ui_put(ly++, 0, w, UI_ROLE_DIM,
		       "replaying a file: its connections are not this host's sockets (n/a)");
	if (ly >= y + h)
		return;
	ui_putf(ly++, 0, w, UI_ROLE_HEADER, "%-5s %-*s %-13s %s", "#", w < 70 ? 14 : 24, "endpoint",
	        "inferred", "kernel");
	uint32_t per = 2, room = (uint32_t)(y + h - ly) / per;
	if (room == 0)
		return;
	uint32_t first = s->table.sel >= room ? s->table.sel - room + 1 : 0;
	for (uint32_t i = first; i < s->table.nrows && i < first + room; i++) {
		const struct ui_row *r = &s->table.rows[i];
		enum track_state k;
		bool local = kernel_state(s, r, 0, &k) || kernel_state(s, r, 1, &k);
		if (!local) {
			/* both sockets gone is normal after close; only call it remote when the
			 * addresses are not this host's (loopback is always ours) */
			local = is_loopback(&r->addr[0]);
		}
		for (int e = 0; e < 2; e++)
			draw_endpoint(s, ly++, w, r, e, local, i == s->table.sel);
	}
	if (s->table.nrows == 0)
		ui_put(ly, 1, w - 1, UI_ROLE_DIM, "no connection seen yet");
}
