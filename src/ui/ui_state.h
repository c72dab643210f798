/* ui_state.h — everything the live screen knows, shared by the loop, the key handling and the
 * drawing code. Internal to src/ui. */
#ifndef SOCKLAB_UI_STATE_H
#define SOCKLAB_UI_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/capture.h"
#include "socklab/kernel.h"
#include "socklab/track.h"
#include "socklab/ui.h"
#include "ui_model.h"
#include "ui_queue.h"

enum ui_view { UI_VIEW_MAIN, UI_VIEW_DIAGRAM, UI_VIEW_LOG, UI_VIEW_KERNEL, UI_VIEW_COUNT };
enum ui_sort { UI_SORT_ID, UI_SORT_RECENT, UI_SORT_PACKETS, UI_SORT_COUNT };

/* One table row, copied out of the tracker so rows can be sorted and drawn later. */
struct ui_row {
	uint64_t id;
	struct decode_addr addr[2];
	uint16_t port[2];
	uint8_t state[2];
	bool closed;
	uint64_t packets, bytes;
	double first_seen, last_seen;
};

#define UI_KERNEL_MAX   4096
#define UI_QUEUE_FRAMES 16384
#define UI_MSG_LEN      120

struct ui_state {
	const struct ui_options *opt;
	struct capture *cap;
	struct track_table *tt;
	struct ui_model model;
	struct ui_queue queue;
	bool live;
	enum track_names names;

	/* what is shown */
	enum ui_view view;
	bool help;
	enum ui_sort sort;
	struct ui_row *rows;
	uint32_t nrows, rows_cap;
	uint64_t selected_id;
	uint32_t sel_index, scroll;
	bool follow; /* keep the newest connection selected */
	uint64_t log_scroll;
	bool log_only_selected;

	/* flow */
	bool paused, eof, finished, quit;
	double speed;
	double pace_wall, pace_t; /* file replay: wall time at which frame time pace_t is due */
	bool pace_set;
	uint64_t frames, segments, not_tcp, bad_frames;
	uint64_t queue_full_stalls; /* times reading stopped because the pause queue was full */
	struct capture_stats cstats;
	double stats_next;
	double now;    /* for ages: the wall clock (live) or the last frame's time (file) */
	double last_t; /* time of the last frame fed */

	/* replay of the selected connection's ladder */
	bool replay;
	uint64_t replay_id;
	uint32_t replay_pos; /* records shown */
	double replay_next;

	/* kernel cross-check */
	struct kernel_sock *ksocks;
	int nk, nk_total;
	bool kernel_ok;
	char kernel_err[UI_MSG_LEN];
	double kernel_next;
	double kernel_at; /* wall clock when the list was last read */

	char msg[UI_MSG_LEN]; /* a one-off notice in the hint line */
	double msg_until;
	bool dirty;
	uint64_t drawn_version;
};

#endif
