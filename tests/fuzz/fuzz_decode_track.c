/* fuzz_decode_track.c — libFuzzer target: records decoded and fed to a small track table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/track.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_CONNS 64 /* small, so eviction happens */

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* Touch what an output sink would read, so ASan/UBSan see every field handed out. */
static void on_event(const struct track_event *ev, void *user)
{
	uint64_t *n = user;
	(*n)++;
	if (ev->kind == TRACK_EVENT_PACKET) {
		/* what the segment caused rides on it (track.h "Events"); never a PACKET itself */
		FUZZ_CHECK(ev->ncaused <= 32 && (ev->ncaused == 0 || ev->caused != NULL));
		for (size_t i = 0; i < ev->ncaused; i++) {
			FUZZ_CHECK(ev->caused[i].kind != TRACK_EVENT_PACKET);
			on_event(&ev->caused[i], user);
		}
	}
	FUZZ_CHECK(ev->conn || ev->kind == TRACK_EVENT_ANOMALY);
	if (ev->conn) {
		const struct track_conn *c = ev->conn;
		FUZZ_CHECK(c->ep[0].state < TRACK_STATE_COUNT &&
		           c->ep[1].state < TRACK_STATE_COUNT);
		FUZZ_CHECK(memchr(c->history, '\0', sizeof(c->history)) != NULL);
	}
	switch (ev->kind) {
	case TRACK_EVENT_PACKET:
		FUZZ_CHECK(ev->pkt != NULL);
		FUZZ_CHECK(track_role_name(ev->sender) != NULL);
		break;
	case TRACK_EVENT_STATE:
		FUZZ_CHECK(ev->from < TRACK_STATE_COUNT && ev->to < TRACK_STATE_COUNT);
		FUZZ_CHECK(track_state_name(ev->from, TRACK_NAMES_RFC) != NULL);
		FUZZ_CHECK(track_state_name(ev->to, TRACK_NAMES_LINUX) != NULL);
		FUZZ_CHECK(ev->why == NULL || strlen(ev->why) < 4096);
		break;
	case TRACK_EVENT_ANOMALY:
		FUZZ_CHECK(ev->anomaly < TRACK_ANOMALY_COUNT);
		FUZZ_CHECK(track_anomaly_name(ev->anomaly) != NULL);
		FUZZ_CHECK(ev->why == NULL || strlen(ev->why) < 4096);
		break;
	default:
		break;
	}
}

struct visit {
	const struct track_table *tt;
	uint32_t count;
	uint64_t last_id;
};

static bool visit(const struct track_conn *c, void *user)
{
	struct visit *v = user;
	FUZZ_CHECK(c->id > v->last_id); /* id order */
	FUZZ_CHECK(track_find(v->tt, c->id) == c);
	v->last_id = c->id;
	v->count++;
	return true;
}

static void check_table(const struct track_table *tt)
{
	const struct track_stats *st = track_get_stats(tt);
	FUZZ_CHECK(st->conns_open <= FUZZ_MAX_CONNS);
	FUZZ_CHECK(st->conns_peak <= FUZZ_MAX_CONNS);
	struct visit v = {.tt = tt};
	track_foreach(tt, visit, &v);
	FUZZ_CHECK(v.count == st->conns_open);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t events = 0;
	struct track_config cfg = {.max_conns = FUZZ_MAX_CONNS,
	                           .time_wait_secs = 0.5,
	                           .pending_secs = 0.05,
	                           .on_event = on_event,
	                           .user = &events};
	char err[256];
	struct track_table *tt = track_create(&cfg, err, sizeof(err));
	if (!tt)
		abort();
	double t = 1000.0;
	struct fuzz_record r;
	while (fuzz_next_record(&data, &size, &r)) {
		t += r.step * FUZZ_TIME_UNIT;
		if (r.selector & FUZZ_SEL_ADVANCE)
			track_advance(tt, t);
		if ((r.selector & 0x60) == 0x60)
			track_clear_closed(tt);
		uint8_t *frame = malloc(r.len ? r.len : 1);
		if (!frame)
			break;
		memcpy(frame, r.frame, r.len);
		struct decode_packet p;
		enum decode_status st = decode_frame(r.link, frame, r.len, &p);
		if (st == DECODE_OK)
			track_segment(tt, t, &p);
		else if (st == DECODE_TRUNCATED)
			track_note(tt, t, TRACK_ANOMALY_TRUNCATED, "truncated frame");
		else if (st == DECODE_MALFORMED)
			track_note(tt, t, TRACK_ANOMALY_MALFORMED, "malformed frame");
		free(frame);
		check_table(tt);
	}
	track_finish(tt, t);
	check_table(tt);
	track_advance(tt, t + 3600); /* everything in TIME_WAIT expires */
	check_table(tt);
	track_destroy(tt);
	return 0;
}
