/* ui_state.h — everything the live screen knows, shared by the loop, the key handling and the
 * drawing code. Internal to src/ui. */
#ifndef SOCKLAB_UI_STATE_H
#define SOCKLAB_UI_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/capture.h"
#include "socklab/kernel.h"
#include "socklab/out_fig.h"
#include "socklab/track.h"
#include "socklab/ui.h"
#include "ui_layout.h"
#include "ui_model.h"
#include "ui_queue.h"
#include "ui_timeline.h"

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
	uint64_t sent[2]; /* segments each endpoint sent */
	/* CLOSED after SYNs only, its peer silent: it gave up (the tracker's prediction, or a
	 * new SYN from the same port superseded it) */
	bool gave_up[2];
	double first_seen, last_seen;
};

#define UI_KERNEL_MAX   4096
#define UI_QUEUE_FRAMES 16384
#define UI_MSG_LEN      120
#define UI_PROMPT_LEN   21 /* the digits of any uint64_t */

/* What is on screen: the view, the overlay, the spelling of states. Keys change it. */
struct ui_show {
	enum ui_view view;
	bool help;
	enum track_names names;
	struct ui_screen_layout layout; /* set by ui_view_update for the frame being drawn */
	bool prompt;                    /* "/" typed: the hint line reads a connection number */
	bool lesson_off;                /* `L`: the plain table and ladder, no lesson layout */
	char prompt_text[UI_PROMPT_LEN];
};

/* The connection table: rows copied from the tracker, the selection and the first row shown.
 * Keys and ui_rows_* move the selection; ui_view_update scrolls; drawing only reads. */
struct ui_table {
	struct ui_row *rows;
	uint32_t nrows, cap;
	enum ui_sort sort;
	uint64_t selected_id;
	uint32_t sel;   /* index of the selected row */
	uint32_t first; /* index of the first row on screen */
	uint32_t body;  /* rows the table shows (set by ui_view_update) */
	bool follow;    /* keep the newest connection selected */
};

/* The transition log's position and filter. back counts wanted entries from the newest; while
 * it is above 0, ui_view_update raises it by the wanted entries that arrived (seen: the
 * model's log count it last looked at), so the lines on screen stay put. */
struct ui_log_view {
	uint64_t back;
	uint64_t seen;
	bool only_selected;
};

/* Moving frames into the tracker: pause, end of input, and the file's pacing. */
struct ui_pacing {
	bool paused, eof, finished;
	double speed;
	double wall, t; /* file replay: wall time at which frame time t is due */
	bool set;       /* wall/t valid; cleared to rebase after pause, resume or speed change */
	double now;     /* for ages: the wall clock (live) or the last frame's time (file) */
	double last_t;  /* time of the last frame fed */
	double t0;      /* time of the first frame fed: the base of every time the views show */
	bool t0_set;
};

/* What came in, and the capture's own counters (live only). */
struct ui_counts {
	uint64_t frames, segments, not_tcp, bad_frames;
	uint64_t queue_full_stalls; /* times reading stopped because the pause queue was full */
	struct capture_stats cstats;
	double stats_next;
};

/* The ladder replay of one connection. */
struct ui_replay {
	bool on;
	uint64_t id;
	uint32_t pos; /* records shown */
	double next;  /* monotonic time of the next record */
	bool held;    /* the timeline cursor (Left/Right) holds it at pos */
	/* `t`: Left/Right step through every connection's segments in capture order (the
	 * timeline), the selection following; file_pos is the place in it (1-based, 0: not yet
	 * placed, the next step starts from the newest). */
	bool file_scope;
	uint64_t file_pos;
};

/* The kernel cross-check: sock_diag's socket list, read once a second in that view; only the
 * sockets on the capture filter's ports when it names any (nports > 0). */
struct ui_kernel_view {
	struct kernel_sock *socks;
	int n, total;
	uint16_t ports[KERNEL_PORTS_MAX];
	int nports;
	bool ok;
	char err[UI_MSG_LEN];
	double next;
	double at; /* wall clock when the list was last read */
};

/* A one-off notice in the hint line. */
struct ui_hint {
	char msg[UI_MSG_LEN];
	double until;
};

struct ui_state {
	const struct ui_options *opt;
	struct capture *cap;
	struct track_table *tt;
	struct ui_model model;
	struct ui_timeline timeline;   /* every segment in capture order, for file-scope stepping */
	struct track_config track_cfg; /* kept so that `R` can start a fresh tracker */
	struct capture *own_cap;       /* the file opened again by `R` (ui closes it), or NULL */
	struct out_fig *fig;           /* the same events, kept for `e` (the latest connections) */
	struct ui_queue queue;
	bool live;

	struct ui_show show;
	struct ui_table table;
	struct ui_log_view log;
	struct ui_pacing pace;
	struct ui_counts counts;
	struct ui_replay replay;
	struct ui_kernel_view kernel;
	struct ui_hint hint;

	char save_name[64]; /* `w` is saving the live capture to this file; "": not */

	bool quit;
	bool dirty; /* something changed: redraw at the next frame slot */
	uint64_t drawn_version;
};

#endif
