/* out_priv.h — the sink's private state, shared by the text, JSONL and summary writers. */
#ifndef SOCKLAB_OUT_PRIV_H
#define SOCKLAB_OUT_PRIV_H

#include "socklab/out.h"

#include "out_fmt.h"

/* Longest line any writer builds (the "why" text is cut to fit). */
#define OUT_LINE_MAX 2048
#define OUT_WHY_MAX  600
/* Output is built in the sink's own buffer and handed to stdio in big blocks: one copy less
 * and no per-line stdio call, which matters at a million lines a second. */
#define OUT_BUF_SIZE (1 << 17)

/* Summary rows are allocated OUT_ROWS_PER_CHUNK at a time, as ids reach them. */
#define OUT_ROWS_PER_CHUNK 4096
#define OUT_ROW_CHUNKS     ((OUT_SUMMARY_CAP_DEFAULT + OUT_ROWS_PER_CHUNK - 1) / OUT_ROWS_PER_CHUNK)

/* After the kernel's counters on a loopback device (see out_capture_stats.loopback). */
#define OUT_LOOPBACK_NOTE                                                                          \
	" (lo: the kernel counts each frame twice, the copy sent and the copy received; these "    \
	"are "                                                                                     \
	"its counts halved)"

/* How a connection left the table, for the summary. */
enum out_left { OUT_LEFT_OPEN, OUT_LEFT_CLOSED, OUT_LEFT_EVICTED };

/* One summary row: fixed size, copied out of the tracker when a connection leaves. */
struct out_row {
	uint64_t id;
	struct decode_addr addr[2];
	uint16_t port[2];
	uint8_t state[2];
	uint8_t left; /* enum out_left */
	bool midstream;
	uint64_t packets[2], bytes[2];
	int64_t first_us, last_us;
	char history[TRACK_HISTORY_LEN + 1];
};

struct out_sink {
	FILE *fp;
	char obuf[OUT_BUF_SIZE];
	size_t olen;
	char flags_json[256][OUT_FLAGS_JSON_MAX]; /* made by out_fmt_flags_json, not NUL-ended */
	uint8_t flags_json_len[256];
	const char *state_name[TRACK_STATE_COUNT]; /* in the chosen spelling */
	uint8_t state_len[TRACK_STATE_COUNT];
	enum out_format format;
	enum track_names names;
	bool summary;
	bool have_start;
	int64_t start_us; /* time of the first frame, microseconds since the epoch */
	int64_t last_us;  /* latest frame, relative to start_us */
	struct decode_stats dstats;
	uint64_t conns;         /* OPEN events seen */
	uint64_t conns_evicted; /* left the table before they were closed (the cap) */
	/* summary rows by id (out_summary.c), up to max_rows; beyond that only counted */
	struct out_row *row_chunk[OUT_ROW_CHUNKS];
	size_t nrows, max_rows;
	uint64_t rows_not_kept;
};

/* The buffer and the time origin (out_buf.c). A line is written in place: begin returns where
 * it starts (room for OUT_LINE_MAX bytes), end takes the position after its last byte and adds
 * the newline. */
char *out_line_begin(struct out_sink *s);
void out_line_end(struct out_sink *s, char *end);
/* Hands the buffer to stdio; needed before any direct fprintf to s->fp. */
void out_buf_flush(struct out_sink *s);

/* Relative time of an absolute one, fixing the origin if nothing set it yet. */
int64_t out_rel_usec(struct out_sink *s, double t);

/* Writers. */
void out_text_event(struct out_sink *s, const struct track_event *ev);
void out_text_frame_problem(struct out_sink *s, int64_t rel_us, const char *kind, const char *why);
void out_text_finish(struct out_sink *s, const struct track_stats *ts,
                     const struct out_capture_stats *cs);
void out_jsonl_event(struct out_sink *s, const struct track_event *ev);
void out_jsonl_frame_problem(struct out_sink *s, int64_t rel_us, const char *kind, const char *why,
                             uint32_t caplen, uint32_t wirelen);
void out_jsonl_row(struct out_sink *s, const struct out_row *r);
void out_jsonl_finish(struct out_sink *s, const struct track_stats *ts,
                      const struct out_capture_stats *cs);

/* Summary rows (out_summary.c). */
void out_row_from_conn(struct out_sink *s, const struct track_conn *c, enum out_left left,
                       struct out_row *r);
/* Keeps c's row for the table (text summary). */
void out_rows_keep(struct out_sink *s, const struct track_conn *c, enum out_left left);
void out_rows_print(struct out_sink *s);

#endif
