/* out_marker.c — a syscall marker from a lab as a text line or a JSONL "marker" object, written
 * just before the segment it was placed at (or on its own). */
#include "socklab/out.h"

#include "socklab/marker_rx.h"

#include <string.h>

#include "out_priv.h"

#define W_TIME 10
#define W_CONN 5

/* "client: close()": the lab's role (its narration tag), or its pid when it has none. */
static char *who_called(char *p, const struct marker *m)
{
	if (m->role[0])
		p = out_fmt_str(p, m->role);
	else
		p = out_fmt_u64(out_fmt_str(p, "pid "), m->pid);
	p = out_fmt_str(p, ": ");
	p = out_fmt_str(p, m->call);
	return out_fmt_str(p, "()");
}

static bool has_local(const struct marker *m)
{
	return (m->flags & MARKER_F_LOCAL) && m->local_port != 0;
}

static void text(struct out_sink *s, const struct marker_out *mo, uint64_t conn)
{
	const struct marker *m = &mo->m;
	char *line = out_line_begin(s);
	char tmp[32];
	char *p = line, *e = out_fmt_usec(tmp, out_rel_usec(s, m->t)), *from;

	for (size_t i = (size_t)(e - tmp); i < W_TIME; i++)
		*p++ = ' ';
	memcpy(p, tmp, (size_t)(e - tmp));
	p += e - tmp;
	*p++ = ' ';
	from = p;
	if (conn)
		p = out_fmt_u64(out_fmt_str(p, "#"), conn);
	else
		p = out_fmt_str(p, "--");
	p = out_pad(p, from, W_CONN);
	p = who_called(out_fmt_str(p, "syscall "), m);
	p = out_fmt_u64(out_fmt_str(p, "  pid="), m->pid);
	if (has_local(m))
		p = out_fmt_endpoint(out_fmt_str(p, "  local="), &m->local, m->local_port);
	if (m->flags & MARKER_F_PEER)
		p = out_fmt_endpoint(out_fmt_str(p, "  peer="), &m->peer, m->peer_port);
	if (!mo->placed)
		p = out_fmt_str(p, m->flags & MARKER_F_PEER
		                       ? "  (no segment from this socket followed within 0.5 s)"
		                       : "  (a socket without a peer: no segment to place it at)");
	out_line_end(s, p);
}

static void jsonl(struct out_sink *s, const struct marker_out *mo, uint64_t conn)
{
	const struct marker *m = &mo->m;
	char *p = out_line_begin(s);

	p = out_fmt_str(p, "{\"type\":\"marker\",\"t\":");
	p = out_fmt_usec(p, out_rel_usec(s, m->t));
	p = out_fmt_str(p, ",\"conn\":");
	p = conn ? out_fmt_u64(p, conn) : out_fmt_str(p, "null");
	p = out_fmt_json_str(out_fmt_str(p, ",\"role\":"), m->role, MARKER_ROLE_LEN);
	p = out_fmt_json_str(out_fmt_str(p, ",\"call\":"), m->call, MARKER_CALL_LEN);
	p = out_fmt_u64(out_fmt_str(p, ",\"pid\":"), m->pid);
	if (has_local(m)) {
		p = out_fmt_str(p, ",\"local\":\"");
		p = out_fmt_str(out_fmt_endpoint(p, &m->local, m->local_port), "\"");
	}
	if (m->flags & MARKER_F_PEER) {
		p = out_fmt_str(p, ",\"peer\":\"");
		p = out_fmt_str(out_fmt_endpoint(p, &m->peer, m->peer_port), "\"");
	}
	p = out_fmt_str(p, mo->placed ? ",\"placed\":true}" : ",\"placed\":false}");
	out_line_end(s, p);
}

void out_marker(struct out_sink *s, const struct marker_out *mo, uint64_t conn)
{
	if (s->format == OUT_FORMAT_TEXT)
		text(s, mo, conn);
	else if (s->format == OUT_FORMAT_JSONL)
		jsonl(s, mo, conn);
}
