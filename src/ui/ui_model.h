/* ui_model.h — what the screen remembers beyond the tracker's table: a fixed ring of recent
 * segments per connection (the ladder and its replay) and the transition log. Fed by the
 * tracker's events; no curses, no allocation after ui_model_init. */
#ifndef SOCKLAB_UI_MODEL_H
#define SOCKLAB_UI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/decode.h"
#include "socklab/track.h"

/* Ladders are kept for the last UI_SLOTS connections (slot = id % UI_SLOTS, so a newer
 * connection takes the place of the one UI_SLOTS before it). Each keeps its first
 * UI_REC_HEAD records (the handshake) and the latest UI_REC_TAIL (the teardown). */
#define UI_SLOTS    512
#define UI_REC_HEAD 12
#define UI_REC_TAIL 52
#define UI_REC_MAX  (UI_REC_HEAD + UI_REC_TAIL)
#define UI_LOG_MAX  2048
#define UI_WHY_LEN  224 /* TRACK_WHY_MAX: the tracker's reasons whole (96 cut the give-up one) */
#define UI_REC_VIA  3

enum ui_rec_kind {
	UI_REC_SEGMENT, /* a segment, with the state changes it caused */
	UI_REC_STATE,   /* state changes with no segment (timer, assumed at end of input) */
	UI_REC_MARKER,  /* a lab's syscall marker, on the row before the segment the call sent:
	                 * sender is the side that called, rel_seq its text's number
	                 * (ui_model_mark_text), changed 0, both states as before the segment */
};

/* Texts of the latest syscall markers ("client: close()"), for their ladder rows. */
#define UI_MARKS_MAX 1024
#define UI_MARK_LEN  40

struct ui_rec {
	double t;
	uint32_t rel_seq, rel_ack, len;
	uint32_t win;     /* bytes, scaled (RFC 7323); raw if win_shift < 0 (scale unknown) */
	int8_t win_shift; /* the tracker's: -1 when the handshake was not seen */
	uint8_t flags;
	uint8_t kind;     /* enum ui_rec_kind */
	uint8_t sender;   /* enum track_role */
	uint8_t changed;  /* bit (1 << role) for each endpoint whose state changed here */
	uint8_t state[2]; /* both endpoints' states after this record */
	uint8_t from[2];  /* and before it */
	/* States an endpoint passed through on this record between from and state, in order
	 * (one segment may cause two or three transitions: FIN_WAIT_1 -> FIN_WAIT_2 ->
	 * TIME_WAIT); at most UI_REC_VIA kept. */
	uint8_t via[2][UI_REC_VIA];
	uint8_t nvia[2];
	uint8_t anomaly; /* enum track_anomaly noted about this segment, or NONE */
};

struct ui_slot {
	uint64_t id; /* 0: empty */
	char ep_text[2][DECODE_ENDPOINT_STRLEN];
	uint32_t isn[2]; /* each side's initial sequence number, raw (valid if isn_known) */
	bool isn_known[2];
	uint8_t state[2];
	/* The last transition of each endpoint: the state diagram marks it. */
	bool edge_valid[2];
	uint8_t edge_from[2], edge_to[2];
	char edge_why[2][UI_WHY_LEN];
	uint8_t last_mover;
	uint32_t nrec; /* records ever added; see ui_model_rec */
	struct ui_rec rec[UI_REC_MAX];
};

enum ui_log_kind { UI_LOG_STATE, UI_LOG_ANOMALY, UI_LOG_MARKER };

struct ui_log_entry {
	double t;
	uint64_t conn; /* 0: not tied to a connection */
	uint8_t kind;  /* enum ui_log_kind */
	uint8_t role, from, to, anomaly;
	char endpoint[DECODE_ENDPOINT_STRLEN];
	char why[UI_WHY_LEN];   /* UI_LOG_MARKER: pid and addresses, or why it has no segment */
	char mark[UI_MARK_LEN]; /* UI_LOG_MARKER: "client: close()" (role 2: no connection) */
};

struct ui_model {
	struct ui_slot *slots;    /* UI_SLOTS */
	struct ui_log_entry *log; /* UI_LOG_MAX, ring */
	uint64_t log_count;       /* entries ever added */
	uint64_t newest_id;
	uint64_t version; /* bumped on every change: the screen redraws when it moves */
	double t0;        /* time of the first segment, for relative times */
	bool t0_set;
	char (*marks)[UI_MARK_LEN]; /* UI_MARKS_MAX, ring */
	uint64_t marks_count;       /* texts ever added */
};

/* Allocates the fixed arrays; false if out of memory. */
bool ui_model_init(struct ui_model *m);
void ui_model_free(struct ui_model *m);

/* The tracker's callback (user = the model). A segment's PACKET event carries the state
 * changes it caused (track.h, "Events"), so they are marked on the segment's own row. */
void ui_model_on_event(const struct track_event *ev, void *user);

/* The slot holding id's ladder, or NULL if it was not kept. */
const struct ui_slot *ui_model_slot(const struct ui_model *m, uint64_t id);

/* Records kept for a slot (at most UI_REC_MAX), how many were skipped between the head and
 * the tail (0 if none), and the i-th kept record in order. */
uint32_t ui_model_rec_count(const struct ui_slot *s);
uint32_t ui_model_rec_skipped(const struct ui_slot *s);
const struct ui_rec *ui_model_rec(const struct ui_slot *s, uint32_t i);

/* A lab's syscall marker (text "client: close()", details for the log's why) at time t. With
 * conn and role (the side that called, 0 or 1), it gets a ladder row just before that
 * connection's newest record (the segment the call sent, added just before); its log entry
 * goes in at log position log_at (the log_count before that segment's entries), so it comes
 * before the transitions the segment caused. conn 0: the log only, at its end. */
void ui_model_marker(struct ui_model *m, uint64_t conn, int role, double t, const char *text,
                     const char *details, uint64_t log_at);
/* The text of marker number i (a UI_REC_MARKER's rel_seq), or "" once it left the ring. */
const char *ui_model_mark_text(const struct ui_model *m, uint32_t i);

/* The i-th newest log entry (0 = newest), NULL past the end of what is kept. */
const struct ui_log_entry *ui_model_log(const struct ui_model *m, uint64_t i);
uint64_t ui_model_log_kept(const struct ui_model *m);

#endif
