/* out_text.c — human-readable lines: one per segment with both states after it, then the
 * transitions and anomalies it caused, indented beneath it (the PACKET event carries them). */
#include "socklab/out.h"

#include <string.h>

#include "out_priv.h"

/* Column widths of the segment line (see the man page's example). */
#define W_TIME  10
#define W_CONN  5
#define W_ENDS  35
#define W_FLAGS 9
#define W_NUMS  32
#define W_STATE 13

static void put(struct out_sink *s, const char *line, char *end)
{
	size_t n = (size_t)(end - line);
	char *p = out_line_begin(s);

	memcpy(p, line, n);
	out_line_end(s, p + n);
}

static char *time_col(char *p, int64_t rel_us)
{
	char tmp[32];
	char *e = out_fmt_usec(tmp, rel_us);
	size_t n = (size_t)(e - tmp);

	for (size_t i = n; i < W_TIME; i++)
		*p++ = ' ';
	memcpy(p, tmp, n);
	p += n;
	*p++ = ' ';
	return p;
}

static char *indent(char *p)
{
	memset(p, ' ', W_TIME + 1);
	return p + W_TIME + 1;
}

static char *conn_col(char *p, const struct track_conn *c)
{
	char *from = p;

	if (c) {
		*p++ = '#';
		p = out_fmt_u64(p, c->id);
	} else {
		p = out_fmt_str(p, "--");
	}
	return out_pad(p, from, W_CONN);
}

static char *states_col(struct out_sink *s, char *p, const struct track_conn *c)
{
	char *from;

	p = out_fmt_str(p, "client ");
	from = p;
	p = out_fmt_str(p, track_state_name(c->ep[TRACK_CLIENT].state, s->names));
	p = out_pad(p, from, W_STATE);
	p = out_fmt_str(p, "server ");
	return out_fmt_str(p, track_state_name(c->ep[TRACK_SERVER].state, s->names));
}

static void segment(struct out_sink *s, const struct track_event *ev)
{
	const struct decode_packet *pkt = ev->pkt;
	char line[OUT_LINE_MAX];
	char *p = time_col(line, out_rel_usec(s, ev->t));
	char *from;

	p = conn_col(p, ev->conn);
	from = p;
	p = out_fmt_endpoint(p, &pkt->src, pkt->sport);
	p = out_fmt_str(p, " > ");
	p = out_fmt_endpoint(p, &pkt->dst, pkt->dport);
	p = out_pad(p, from, W_ENDS);
	from = p;
	p = out_fmt_flags_text(p, pkt->flags);
	p = out_pad(p, from, W_FLAGS);
	from = p;
	p = out_fmt_u64(out_fmt_str(p, "seq="), ev->rel_seq);
	if (pkt->flags & DECODE_TCP_ACK) /* without ACK the field means nothing */
		p = out_fmt_u64(out_fmt_str(p, " ack="), ev->rel_ack);
	p = out_fmt_u64(out_fmt_str(p, " len="), pkt->payload_len);
	/* in bytes, scaled (RFC 7323 §2.2); "(raw)": the scale is unknown, handshake not seen */
	p = out_fmt_u64(out_fmt_str(p, " win="), ev->win);
	if (ev->win_shift < 0)
		p = out_fmt_str(p, "(raw)");
	if (ev->conn) {
		p = out_pad(p, from, W_NUMS);
		p = states_col(s, p, ev->conn);
	}
	put(s, line, p);
}

/* An ISN, raw: the number a side's relative numbers count from. */
static char *isn_of(char *p, const struct track_endpoint *e)
{
	if (!e->isn_known)
		return p;
	p = out_fmt_u64(out_fmt_str(p, " (ISN "), e->isn);
	*p++ = ')';
	return p;
}

static void open_line(struct out_sink *s, const struct track_event *ev,
                      const struct track_event *seg)
{
	const struct track_conn *c = ev->conn;
	const struct decode_packet *pkt = seg ? seg->pkt : NULL;
	char line[OUT_LINE_MAX];
	char *p = time_col(line, out_rel_usec(s, ev->t));

	p = conn_col(p, c);
	p = out_fmt_str(p, "new connection: client ");
	p = out_fmt_endpoint(p, &c->ep[TRACK_CLIENT].addr, c->ep[TRACK_CLIENT].port);
	p = isn_of(p, &c->ep[TRACK_CLIENT]);
	p = out_fmt_str(p, ", server ");
	p = out_fmt_endpoint(p, &c->ep[TRACK_SERVER].addr, c->ep[TRACK_SERVER].port);
	p = isn_of(p, &c->ep[TRACK_SERVER]);
	if (c->midstream) {
		p = out_fmt_str(p, " (picked up mid-stream: handshake not seen");
		if (pkt) { /* the first segment is the client's: where each side's numbers start */
			p = out_fmt_u64(out_fmt_str(p, "; numbers count from client seq "),
			                pkt->seq);
			if (pkt->flags & DECODE_TCP_ACK)
				p = out_fmt_u64(out_fmt_str(p, ", server seq "), pkt->ack);
		}
		*p++ = ')';
	}
	put(s, line, p);
}

/* A SYN's sender shows its ISN (the client's, on the connection's first line). */
static void isn_line(struct out_sink *s, const struct track_event *ev)
{
	const struct track_endpoint *e = &ev->conn->ep[ev->sender];
	char line[OUT_LINE_MAX];
	char *p = indent(line);

	*p++ = '#';
	p = out_fmt_u64(p, ev->conn->id);
	*p++ = ' ';
	p = out_fmt_str(p, track_role_name(ev->sender));
	p = out_fmt_u64(out_fmt_str(p, " ISN "), e->isn);
	p = out_fmt_str(p, " (raw; its seq numbers count from it)");
	put(s, line, p);
}

/* A line beneath its segment's line is indented; one on its own (a timer) has its own time. */
static char *event_start(struct out_sink *s, char *line, const struct track_event *ev, bool beneath)
{
	return beneath ? indent(line) : time_col(line, out_rel_usec(s, ev->t));
}

static void state_line(struct out_sink *s, const struct track_event *ev, bool beneath)
{
	char line[OUT_LINE_MAX + 40];
	char *p = event_start(s, line, ev, beneath);

	*p++ = '#';
	p = out_fmt_u64(p, ev->conn->id);
	*p++ = ' ';
	p = out_fmt_str(p, track_role_name(ev->endpoint));
	p = out_fmt_str(p, ": ");
	p = out_fmt_str(p, track_state_name(ev->from, s->names));
	p = out_fmt_str(p, " -> ");
	p = out_fmt_str(p, track_state_name(ev->to, s->names));
	if (ev->why && *ev->why) {
		size_t n = strnlen(ev->why, OUT_WHY_MAX);

		p = out_fmt_str(p, "  ");
		memcpy(p, ev->why, n);
		p += n;
	}
	put(s, line, p);
}

static void anomaly_line(struct out_sink *s, const struct track_event *ev, bool beneath)
{
	char line[OUT_LINE_MAX + 40];
	char *p = event_start(s, line, ev, beneath);

	if (ev->conn) {
		*p++ = '#';
		p = out_fmt_u64(p, ev->conn->id);
	} else {
		p = out_fmt_str(p, "--");
	}
	p = out_fmt_str(p, " anomaly: ");
	p = out_fmt_str(p, track_anomaly_name(ev->anomaly));
	if (ev->why && *ev->why) {
		size_t n = strnlen(ev->why, OUT_WHY_MAX);

		p = out_fmt_str(p, "  ");
		memcpy(p, ev->why, n);
		p += n;
	}
	put(s, line, p);
}

/* A segment: the connections it opened, its line, then what it caused, beneath it. */
static void segment_with_caused(struct out_sink *s, const struct track_event *ev)
{
	bool opened = false, first_syn = false;

	for (size_t i = 0; i < ev->ncaused; i++) {
		const struct track_event *c = &ev->caused[i];
		if (c->kind == TRACK_EVENT_OPEN && c->conn) {
			open_line(s, c, c->conn == ev->conn ? ev : NULL);
			opened |= c->conn == ev->conn;
		}
		/* the sender's first SYN moved it out of CLOSED or LISTEN */
		first_syn |= c->kind == TRACK_EVENT_STATE && c->conn == ev->conn &&
		             c->endpoint == ev->sender &&
		             (c->from == TRACK_CLOSED || c->from == TRACK_LISTEN);
	}
	segment(s, ev);
	if ((ev->pkt->flags & DECODE_TCP_SYN) && first_syn && !opened)
		isn_line(s, ev);
	for (size_t i = 0; i < ev->ncaused; i++) {
		const struct track_event *c = &ev->caused[i];
		if (c->kind == TRACK_EVENT_STATE && c->conn)
			state_line(s, c, true);
		else if (c->kind == TRACK_EVENT_ANOMALY)
			anomaly_line(s, c, true);
	}
}

void out_text_event(struct out_sink *s, const struct track_event *ev)
{
	switch (ev->kind) {
	case TRACK_EVENT_OPEN:
		if (ev->conn)
			open_line(s, ev, NULL);
		break;
	case TRACK_EVENT_PACKET:
		if (ev->pkt)
			segment_with_caused(s, ev);
		break;
	case TRACK_EVENT_STATE:
		if (ev->conn)
			state_line(s, ev, false);
		break;
	case TRACK_EVENT_ANOMALY:
		anomaly_line(s, ev, false);
		break;
	case TRACK_EVENT_EVICT:
	case TRACK_EVENT_START: /* no transition: the state columns show it */
		break;
	}
}

void out_text_frame_problem(struct out_sink *s, int64_t rel_us, const char *kind, const char *why)
{
	char line[OUT_LINE_MAX];
	char *p = time_col(line, rel_us);

	p = out_fmt_str(p, "-- anomaly: ");
	p = out_fmt_str(p, kind);
	p = out_fmt_str(p, "  ");
	p = out_fmt_str(p, why);
	put(s, line, p);
}

void out_text_finish(struct out_sink *s, const struct track_stats *ts,
                     const struct out_capture_stats *cs)
{
	const uint64_t *by = s->dstats.by_status;
	uint64_t conns = ts ? ts->conns_total : s->conns;

	out_buf_flush(s); /* the rest is written with stdio directly */

	fprintf(s->fp,
	        "-- %llu frames: %llu TCP, %llu truncated, %llu malformed, %llu not TCP, "
	        "%llu fragments, %llu unsupported; %llu connection%s\n",
	        (unsigned long long)s->dstats.frames, (unsigned long long)by[DECODE_OK],
	        (unsigned long long)by[DECODE_TRUNCATED], (unsigned long long)by[DECODE_MALFORMED],
	        (unsigned long long)by[DECODE_NOT_TCP], (unsigned long long)by[DECODE_FRAGMENT],
	        (unsigned long long)by[DECODE_UNSUPPORTED], (unsigned long long)conns,
	        conns == 1 ? "" : "s");
	if (ts) {
		const char *sep = "-- anomalies: ";
		bool any = false;

		for (int a = TRACK_ANOMALY_NONE + 1; a < TRACK_ANOMALY_COUNT; a++) {
			if (a == TRACK_ANOMALY_TRUNCATED || a == TRACK_ANOMALY_MALFORMED ||
			    !ts->anomalies[a])
				continue;
			fprintf(s->fp, "%s%llu %s", sep, (unsigned long long)ts->anomalies[a],
			        track_anomaly_name((enum track_anomaly)a));
			sep = ", ";
			any = true;
		}
		if (any)
			fputc('\n', s->fp);
	}
	if (cs && cs->valid)
		fprintf(s->fp,
		        "-- kernel: %llu received, %llu dropped, %llu dropped by the interface%s\n",
		        (unsigned long long)cs->received, (unsigned long long)cs->dropped,
		        (unsigned long long)cs->if_dropped, cs->loopback ? OUT_LOOPBACK_NOTE : "");
	if (s->summary)
		out_rows_print(s);
}
