/* ui_markers.c — the labs' syscall markers into the screen's model: at their segment, or alone
 * in the log. */
#include "ui_markers.h"

#include <stdio.h>
#include <time.h>

#include "socklab/marker_rx.h"

#define AT_ONCE 16

/* "client: close()" and, for the log's why, what the marker says about its socket. */
static void texts(const struct marker_out *mo, char *text, size_t tlen, char *details, size_t dlen)
{
	const struct marker *m = &mo->m;
	char a[DECODE_ENDPOINT_STRLEN], b[DECODE_ENDPOINT_STRLEN];
	if (m->role[0])
		snprintf(text, tlen, "%s: %s()", m->role, m->call);
	else
		snprintf(text, tlen, "pid %u: %s()", m->pid, m->call);
	a[0] = b[0] = '\0';
	if ((m->flags & MARKER_F_LOCAL) && m->local_port)
		decode_endpoint_format(&m->local, m->local_port, a, sizeof a);
	if (m->flags & MARKER_F_PEER)
		decode_endpoint_format(&m->peer, m->peer_port, b, sizeof b);
	snprintf(details, dlen, "syscall, pid %u%s%s%s%s%s", m->pid, a[0] ? "  local=" : "", a,
	         b[0] ? "  peer=" : "", b,
	         mo->placed                   ? ""
	         : (m->flags & MARKER_F_PEER) ? "  (no segment from it followed)"
	                                      : "  (no peer: no segment to place it at)");
}

static void add(struct ui_state *s, const struct marker_out *mo, uint64_t conn, int role,
                uint64_t log_at)
{
	char text[UI_MARK_LEN], details[UI_WHY_LEN];
	texts(mo, text, sizeof text, details, sizeof details);
	ui_model_marker(&s->model, conn, role, mo->m.t, text, details, log_at);
}

void ui_markers_on_event(struct ui_state *s, const struct track_event *ev)
{
	struct marker_rx *rx = s->opt->markers;
	if (!rx || ev->kind != TRACK_EVENT_PACKET || !ev->pkt) {
		ui_model_on_event(ev, &s->model);
		return;
	}
	struct marker_out mo[AT_ONCE];
	size_t n = marker_rx_segment(rx, ev->t, ev->pkt, mo, AT_ONCE);
	/* the lone ones first, in the log where they are due: before this segment's entries */
	for (size_t i = 0; i < n; i++)
		if (!mo[i].placed)
			add(s, &mo[i], 0, 2, 0);
	uint64_t log_at = s->model.log_count;
	ui_model_on_event(ev, &s->model);
	uint64_t id = ev->conn ? ev->conn->id : 0;
	for (size_t i = 0; i < n; i++)
		if (mo[i].placed)
			add(s, &mo[i], id, (int)ev->sender, log_at++);
}

void ui_markers_poll(struct ui_state *s, double wall)
{
	struct marker_rx *rx = s->opt->markers;
	if (!rx)
		return;
	marker_rx_drain(rx);
	/* while frames wait in the pause queue, their markers wait with them */
	if (s->queue.count > 0)
		return;
	struct marker_out mo[AT_ONCE];
	size_t n;
	do {
		n = marker_rx_due(rx, wall, false, mo, AT_ONCE);
		for (size_t i = 0; i < n; i++)
			add(s, &mo[i], 0, 2, 0);
	} while (n == AT_ONCE);
}
