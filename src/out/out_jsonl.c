/* out_jsonl.c — JSON Lines writer: packet, state, anomaly, conn and summary objects. */
#include "socklab/out.h"

#include <string.h>

#include "out_priv.h"

/* {"type":"<type>","t":<rel>, */
static char *begin(char *p, const char *type, int64_t rel_us)
{
	p = out_fmt_str(p, "{\"type\":\"");
	p = out_fmt_str(p, type);
	p = out_fmt_str(p, "\",\"t\":");
	p = out_fmt_usec(p, rel_us);
	return p;
}

static char *key(char *p, const char *k)
{
	*p++ = ',';
	*p++ = '"';
	p = out_fmt_str(p, k);
	*p++ = '"';
	*p++ = ':';
	return p;
}

static char *key_u64(char *p, const char *k, uint64_t v) { return out_fmt_u64(key(p, k), v); }

static char *key_str(char *p, const char *k, const char *v)
{
	return out_fmt_json_str(key(p, k), v, OUT_WHY_MAX);
}

static char *key_endpoint(char *p, const char *k, const struct decode_addr *a, uint16_t port)
{
	p = key(p, k);
	*p++ = '"';
	p = out_fmt_endpoint(p, a, port);
	*p++ = '"';
	return p;
}

/* Copies a short cached string: a fixed-size copy (inlined) when it fits, since the source
 * buffers are at least OUT_COPY_FAST bytes long and the line has room to spare. */
#define OUT_COPY_FAST 24
_Static_assert(OUT_FLAGS_JSON_MAX >= OUT_COPY_FAST, "a flags slot can be copied whole");
static inline char *copy_short(char *p, const char *src, size_t n)
{
	if (n <= OUT_COPY_FAST)
		memcpy(p, src, OUT_COPY_FAST);
	else
		memcpy(p, src, n);
	return p + n;
}

/* The hot path: one line per segment, every field written directly. */
static void packet(struct out_sink *s, const struct track_event *ev)
{
	const struct decode_packet *pkt = ev->pkt;
	char *p = OUT_LIT(out_line_begin(s), "{\"type\":\"packet\",\"t\":");

	p = out_fmt_usec(p, out_rel_usec(s, ev->t));
	p = OUT_LIT(p, ",\"conn\":");
	p = out_fmt_u64(p, ev->conn->id);
	p = OUT_LIT(p, ",\"src\":\"");
	p = out_fmt_endpoint(p, &pkt->src, pkt->sport);
	p = OUT_LIT(p, "\",\"dst\":\"");
	p = out_fmt_endpoint(p, &pkt->dst, pkt->dport);
	p = OUT_LIT(p, "\",\"flags\":");
	p = copy_short(p, s->flags_json[pkt->flags], s->flags_json_len[pkt->flags]);
	p = OUT_LIT(p, ",\"seq\":");
	p = out_fmt_u32(p, ev->rel_seq);
	p = OUT_LIT(p, ",\"ack\":");
	p = out_fmt_u32(p, ev->rel_ack);
	p = OUT_LIT(p, ",\"seq_raw\":");
	p = out_fmt_u32(p, pkt->seq);
	p = OUT_LIT(p, ",\"ack_raw\":");
	p = out_fmt_u32(p, pkt->ack);
	p = OUT_LIT(p, ",\"len\":");
	p = out_fmt_u32(p, pkt->payload_len);
	p = OUT_LIT(p, ",\"win\":");
	p = out_fmt_u32(p, pkt->window);
	/* bytes, scaled (RFC 7323 §2.2); null when the scale is unknown (handshake not seen) */
	p = OUT_LIT(p, ",\"win_scaled\":");
	if (ev->win_shift < 0)
		p = OUT_LIT(p, "null");
	else
		p = out_fmt_u32(p, ev->win);
	*p++ = '}';
	out_line_end(s, p);
}

static char *state_str(struct out_sink *s, char *p, enum track_state st)
{
	if ((unsigned)st >= TRACK_STATE_COUNT)
		return out_fmt_str(p, "?");
	memcpy(p, s->state_name[st], s->state_len[st]);
	return p + s->state_len[st];
}

static void state(struct out_sink *s, const struct track_event *ev)
{
	const struct track_endpoint *ep = &ev->conn->ep[ev->endpoint];
	int who = ev->endpoint == TRACK_SERVER;
	char *p = OUT_LIT(out_line_begin(s), "{\"type\":\"state\",\"t\":");

	p = out_fmt_usec(p, out_rel_usec(s, ev->t));
	p = OUT_LIT(p, ",\"conn\":");
	p = out_fmt_u64(p, ev->conn->id);
	p = OUT_LIT(p, ",\"endpoint\":\"");
	p = out_fmt_endpoint(p, &ep->addr, ep->port);
	p = who ? OUT_LIT(p, "\",\"role\":\"server\",\"from\":\"")
	        : OUT_LIT(p, "\",\"role\":\"client\",\"from\":\"");
	p = state_str(s, p, ev->from);
	p = OUT_LIT(p, "\",\"to\":\"");
	p = state_str(s, p, ev->to);
	p = OUT_LIT(p, "\",\"why\":");
	p = out_fmt_json_str(p, ev->why, OUT_WHY_MAX);
	*p++ = '}';
	out_line_end(s, p);
}

static void anomaly(struct out_sink *s, const struct track_event *ev)
{
	char *p = begin(out_line_begin(s), "anomaly", out_rel_usec(s, ev->t));

	p = key(p, "conn");
	p = ev->conn ? out_fmt_u64(p, ev->conn->id) : out_fmt_str(p, "null");
	p = key_str(p, "kind", track_anomaly_name(ev->anomaly));
	p = key_str(p, "why", ev->why);
	if (ev->conn && ev->pkt) {
		/* about one segment: say who sent it */
		const struct track_endpoint *ep = &ev->conn->ep[ev->sender];

		p = key_endpoint(p, "endpoint", &ep->addr, ep->port);
		p = key_str(p, "role", track_role_name(ev->sender));
	}
	*p++ = '}';
	out_line_end(s, p);
}

void out_jsonl_event(struct out_sink *s, const struct track_event *ev)
{
	switch (ev->kind) {
	case TRACK_EVENT_PACKET:
		if (ev->pkt && ev->conn)
			packet(s, ev);
		break;
	case TRACK_EVENT_STATE:
		if (ev->conn)
			state(s, ev);
		break;
	case TRACK_EVENT_ANOMALY:
		anomaly(s, ev);
		break;
	case TRACK_EVENT_OPEN:
	case TRACK_EVENT_EVICT:
	case TRACK_EVENT_START: /* no transition: not a state object */
		break;
	}
}

void out_jsonl_frame_problem(struct out_sink *s, int64_t rel_us, const char *kind, const char *why,
                             uint32_t caplen, uint32_t wirelen)
{
	char *p = begin(out_line_begin(s), "anomaly", rel_us);

	p = out_fmt_str(key(p, "conn"), "null");
	p = key_str(p, "kind", kind);
	p = key_str(p, "why", why);
	p = key_u64(p, "frame", s->dstats.frames);
	p = key_u64(p, "caplen", caplen);
	p = key_u64(p, "wirelen", wirelen);
	*p++ = '}';
	out_line_end(s, p);
}

static const char *const left_names[] = {"capture_end", "expired", "evicted"};

void out_jsonl_row(struct out_sink *s, const struct out_row *r)
{
	char *p = out_fmt_str(out_line_begin(s), "{\"type\":\"conn\"");

	p = key_u64(p, "conn", r->id);
	p = key_endpoint(p, "client", &r->addr[TRACK_CLIENT], r->port[TRACK_CLIENT]);
	p = key_endpoint(p, "server", &r->addr[TRACK_SERVER], r->port[TRACK_SERVER]);
	p = key_str(p, "client_state", track_state_name(r->state[TRACK_CLIENT], s->names));
	p = key_str(p, "server_state", track_state_name(r->state[TRACK_SERVER], s->names));
	p = out_fmt_usec(key(p, "first"), r->first_us);
	p = out_fmt_usec(key(p, "last"), r->last_us);
	p = key_u64(p, "client_packets", r->packets[TRACK_CLIENT]);
	p = key_u64(p, "server_packets", r->packets[TRACK_SERVER]);
	p = key_u64(p, "client_bytes", r->bytes[TRACK_CLIENT]);
	p = key_u64(p, "server_bytes", r->bytes[TRACK_SERVER]);
	p = out_fmt_str(key(p, "midstream"), r->midstream ? "true" : "false");
	p = key_str(p, "end", left_names[r->left]);
	p = key_str(p, "history", r->history);
	*p++ = '}';
	out_line_end(s, p);
}

void out_jsonl_finish(struct out_sink *s, const struct track_stats *ts,
                      const struct out_capture_stats *cs)
{
	const uint64_t *by = s->dstats.by_status;
	char *p = out_fmt_str(out_line_begin(s), "{\"type\":\"summary\"");

	p = key(p, "start");
	p = s->have_start ? out_fmt_usec(p, s->start_us) : out_fmt_str(p, "null");
	p = out_fmt_usec(key(p, "duration"), s->last_us);
	p = key_u64(p, "packets", s->dstats.frames);
	p = key_u64(p, "tcp", by[DECODE_OK]);
	p = key_u64(p, "truncated", by[DECODE_TRUNCATED]);
	p = key_u64(p, "malformed", by[DECODE_MALFORMED]);
	p = key_u64(p, "not_tcp", by[DECODE_NOT_TCP]);
	p = key_u64(p, "fragments", by[DECODE_FRAGMENT]);
	p = key_u64(p, "unsupported", by[DECODE_UNSUPPORTED]);
	p = key_u64(p, "conns", ts ? ts->conns_total : s->conns);
	p = key_u64(p, "conns_evicted", s->conns_evicted);
	p = key_u64(p, "conns_peak", ts ? ts->conns_peak : 0);
	p = key(p, "anomalies");
	*p++ = '{';
	bool first = true;
	for (int a = TRACK_ANOMALY_NONE + 1; a < TRACK_ANOMALY_COUNT; a++) {
		/* decode problems are counted above, from the frames themselves */
		if (a == TRACK_ANOMALY_TRUNCATED || a == TRACK_ANOMALY_MALFORMED)
			continue;
		if (!first)
			*p++ = ',';
		first = false;
		p = out_fmt_json_str(p, track_anomaly_name((enum track_anomaly)a), 64);
		*p++ = ':';
		p = out_fmt_u64(p, ts ? ts->anomalies[a] : 0);
	}
	*p++ = '}';
	const char *names[] = {"received", "dropped", "if_dropped"};
	uint64_t vals[3] = {0, 0, 0};
	if (cs && cs->valid) {
		vals[0] = cs->received;
		vals[1] = cs->dropped;
		vals[2] = cs->if_dropped;
	}
	for (int i = 0; i < 3; i++) {
		p = key(p, names[i]);
		/* null: a file has no kernel counters (not the same as zero drops) */
		p = cs && cs->valid ? out_fmt_u64(p, vals[i]) : out_fmt_str(p, "null");
	}
	*p++ = '}';
	out_line_end(s, p);
}
