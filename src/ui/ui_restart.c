/* ui_restart.c — `R`: the file from frame 1 again. */
#include "ui_restart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui_notice.h"

/* The file from its start, through a new stream on the descriptor main kept (the current
 * capture owns its own stream; the two share the offset, and the old one is not read again). */
static struct capture *reopen(struct ui_state *s, char *msg, size_t len)
{
	int fd = s->opt->rewind_fd;
	if (lseek(fd, 0, SEEK_SET) != 0) {
		snprintf(msg, len, "cannot rewind the file: %s", strerror(errno));
		return NULL;
	}
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	FILE *fp = copy >= 0 ? fdopen(copy, "rb") : NULL;
	if (!fp) {
		snprintf(msg, len, "cannot read the file again: %s", strerror(errno));
		if (copy >= 0)
			close(copy);
		return NULL;
	}
	struct capture_options co = {
	    .file = s->opt->source_label ? s->opt->source_label : "the file",
	    .file_stream = fp, /* the capture owns it from here, even if opening fails */
	    .filter = s->opt->filter && s->opt->filter[0] ? s->opt->filter : NULL,
	};
	enum capture_error kind;
	return capture_open(&co, &kind, msg, len);
}

/* Everything that came from the old reading goes; what the user chose (view, speed, pause,
 * names, sort, filter) stays. */
static bool reset_state(struct ui_state *s, char *err, size_t errlen)
{
	track_destroy(s->tt);
	s->tt = track_create(&s->track_cfg, err, errlen);
	ui_model_free(&s->model);
	out_fig_destroy(s->fig);
	s->fig = out_fig_create(NULL, 0);
	if (!s->tt || !s->fig || !ui_model_init(&s->model)) {
		if (!err[0])
			snprintf(err, errlen, "out of memory restarting the file");
		return false;
	}
	out_fig_set_keep_latest(s->fig, true);
	ui_timeline_clear(&s->timeline);
	s->queue.head = s->queue.count = 0;
	memset(&s->counts, 0, sizeof s->counts);
	bool paused = s->pace.paused;
	double speed = s->pace.speed;
	memset(&s->pace, 0, sizeof s->pace);
	s->pace.paused = paused;
	s->pace.speed = speed;
	s->table.nrows = s->table.sel = s->table.first = 0;
	s->table.selected_id = 0;
	s->table.follow = true;
	s->log.back = s->log.seen = 0;
	memset(&s->replay, 0, sizeof s->replay);
	return true;
}

bool ui_restart(struct ui_state *s, char *err, size_t errlen)
{
	if (s->live) {
		ui_notice(s, "R restarts a file read with -r; a live capture cannot go back");
		return true;
	}
	if (s->opt->rewind_fd <= 0) {
		ui_notice(s, "R: standard input or a pipe cannot be read again");
		return true;
	}
	char msg[UI_MSG_LEN];
	struct capture *cap = reopen(s, msg, sizeof msg);
	if (!cap) {
		/* the old stream's offset moved with the rewind: it is not read any further */
		s->pace.eof = true;
		ui_notice(s, "R failed: %s", msg);
		return true;
	}
	if (s->own_cap)
		capture_close(s->own_cap); /* an earlier R's; main closes the first one */
	s->own_cap = cap;
	s->cap = cap;
	if (!reset_state(s, err, errlen))
		return false;
	ui_notice(s, "restarted: replaying the file from frame 1%s",
	          s->pace.paused ? " (paused: n steps, space resumes)" : "");
	s->dirty = true;
	return true;
}
