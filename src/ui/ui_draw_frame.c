/* ui_draw_frame.c — the frame around the views: status line, key hints, help overlay, the
 * "enlarge the window" notice; it picks the view to draw in between. */
#include "ui_draw.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui_clock.h"
#include "ui_draw_lesson.h"
#include "ui_keys.h"
#include "ui_layout.h"
#include "ui_paint.h"

static const char *const view_names[UI_VIEW_COUNT] = {"table", "states", "log", "kernel"};

static void format_speed(double speed, char *buf, size_t len)
{
	if (speed <= 0)
		snprintf(buf, len, "max");
	else
		snprintf(buf, len, "%gx", speed);
}

static void draw_status(const struct ui_state *s, int cols)
{
	ui_fill(0, 0, cols, UI_ROLE_TITLE);
	char mode[64], speed[16];
	format_speed(s->pace.speed, speed, sizeof speed);
	if (s->replay.on && s->replay.held) {
		/* the timeline cursor: which segment of how many kept */
		const struct ui_slot *slot = ui_model_slot(&s->model, s->replay.id);
		int n =
		    snprintf(mode, sizeof mode, "AT #%llu %u/%u", (unsigned long long)s->replay.id,
		             s->replay.pos, slot ? ui_model_rec_count(slot) : 0);
		/* stepping through the whole file: the place among every segment kept */
		if (s->replay.file_scope && s->replay.file_pos && n > 0 && (size_t)n < sizeof mode)
			snprintf(mode + n, sizeof mode - (size_t)n, " file %llu/%llu",
			         (unsigned long long)s->replay.file_pos,
			         (unsigned long long)ui_timeline_kept(&s->timeline));
	} else if (s->replay.on)
		snprintf(mode, sizeof mode, "REPLAY #%llu %u", (unsigned long long)s->replay.id,
		         s->replay.pos);
	else if (s->pace.paused && ui_queue_space(&s->queue) == 0)
		/* not reading now: the kernel buffer holds what follows and counts any drop */
		snprintf(mode, sizeof mode, "PAUSED %u queued (full)", s->queue.count);
	else if (s->pace.paused)
		snprintf(mode, sizeof mode, "PAUSED %u queued", s->queue.count);
	else if (s->pace.finished)
		/* read to the end is not enough: every frame read must also have been shown */
		snprintf(mode, sizeof mode, "end of file");
	else
		snprintf(mode, sizeof mode, "%s", s->live ? "LIVE" : "replay");
	unsigned long long drops =
	    s->counts.cstats.valid
	        ? (unsigned long long)(s->counts.cstats.dropped + s->counts.cstats.if_dropped)
	        : 0;
	const struct track_stats *ts = track_get_stats(s->tt);
	/* A file is read ahead of its pacing: count the frames shown so far, not those read. */
	unsigned long long pkts =
	    s->live ? (unsigned long long)s->counts.frames
	            : (unsigned long long)(s->counts.segments + s->counts.not_tcp +
	                                   s->counts.bad_frames);
	char line[512], pace[40];
	/* Kernel drops exist only for live captures; a file has a replay pace instead. */
	if (s->live && s->counts.cstats.valid)
		snprintf(pace, sizeof pace, "drops %llu", drops);
	else if (s->live)
		snprintf(pace, sizeof pace, "drops ?");
	else
		snprintf(pace, sizeof pace, "speed %s", speed);
	if (cols >= 80)
		snprintf(line, sizeof line, " tcpscope  %s | %s | pkts %llu | conns %u | %s | %s",
		         s->opt->source_label ? s->opt->source_label : "", mode, pkts,
		         ts ? ts->conns_open : 0, pace, view_names[s->show.view]);
	else
		snprintf(line, sizeof line, " %s|%s|p%llu c%u d%llu", mode,
		         s->opt->source_label ? s->opt->source_label : "", pkts,
		         ts ? ts->conns_open : 0, drops);
	/* `w` (or -w) writes a file for as long as tcpscope runs: it stays in sight */
	const char *saving = s->save_name[0] ? s->save_name : s->live ? s->opt->write_file : NULL;
	if (cols >= 80 && saving) {
		size_t len = strlen(line);
		snprintf(line + len, sizeof line - len, " | saving %s", saving);
	}
	ui_put(0, 0, cols, UI_ROLE_TITLE, line);
	if (s->pace.paused || s->replay.on) {
		/* the mode is what the room must notice: mark it */
		const char *p = strstr(line, mode);
		if (p)
			ui_put(0, (int)(p - line), (int)strlen(mode), UI_ROLE_ALERT, mode);
	}
}

static void draw_hints(const struct ui_state *s, int y, int cols, double now)
{
	if (s->show.prompt) {
		int x = ui_putf(y, 0, cols, UI_ROLE_HEADER, " log of connection #%s",
		                s->show.prompt_text);
		ui_put(y, x, 1, UI_ROLE_SELECTED, " ");
		ui_put(y, x + 2, cols - x - 2, UI_ROLE_DIM,
		       cols >= 80 ? "(Enter: show only its log, empty: all; Esc cancels)"
		                  : "(Enter / Esc)");
		return;
	}
	if (s->hint.msg[0] && now < s->hint.until) {
		ui_put(y, 0, cols, UI_ROLE_ALERT, s->hint.msg);
		return;
	}
	/* wide: the stepping keys too (R where a file can be read again) */
	const char *hint =
	    cols >= 140 && s->opt->rewind_fd > 0
	        ? " ? help  q quit  space pause  n step  r replay  Tab/1-4 views  / filter  c clear"
	          "  Left/Right step  t file/conn  L lesson  R restart"
	    : cols >= 130
	        ? " ? help  q quit  space pause  n step  r replay  Tab/1-4 views  / filter  c clear"
	          "  Left/Right step  t file/conn  L lesson"
	    : cols >= 80
	        ? " ? help  q quit  space pause  n step  r replay  Tab/1-4 views  / filter  c clear"
	        : " ? help  q quit  space pause  Tab view";
	ui_put(y, 0, cols, UI_ROLE_DIM, hint);
}

static void draw_too_small(int rows, int cols)
{
	/* Word-wrapped into what there is, centred, never written past the screen. */
	static const char *const words[] = {"enlarge", "the", "window", "(need", "40x12)"};
	char lines[5][40];
	int n = 0;
	lines[0][0] = '\0';
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t cur = strlen(lines[n]);
		if (cur && (int)(cur + 1 + strlen(words[i])) > cols && n < 4)
			lines[++n][0] = '\0', cur = 0;
		snprintf(lines[n] + cur, sizeof lines[n] - cur, "%s%s", cur ? " " : "", words[i]);
	}
	n++;
	int y0 = rows > n ? (rows - n) / 2 : 0;
	for (int i = 0; i < n && y0 + i < rows; i++) {
		int len = (int)strlen(lines[i]);
		ui_put(y0 + i, len < cols ? (cols - len) / 2 : 0, cols, UI_ROLE_ALERT, lines[i]);
	}
}

/* Narrow screens: two columns of "key word" pairs instead of sentences. */
static void draw_help_brief(const struct ui_key *keys, size_t n, int rows, int cols)
{
	int count = 0, label_w = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		count++;
		if ((int)strlen(keys[i].label) > label_w)
			label_w = (int)strlen(keys[i].label);
	}
	int per_col = (count + 1) / 2;
	int h = per_col + 2 < rows ? per_col + 2 : rows;
	int y0 = (rows - h) / 2, colw = cols / 2;
	for (int y = 0; y < h; y++)
		ui_fill(y0 + y, 0, cols, UI_ROLE_NORMAL);
	ui_put(y0, 0, cols, UI_ROLE_HEADER, "-- keys (any key closes) --");
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		int y = y0 + 1 + k % per_col, x = (k / per_col) * colw;
		k++;
		if (y >= y0 + h)
			continue;
		/* every key of the label is shown (g G were cut at 80); the word gets the rest */
		ui_put(y, x, colw, UI_ROLE_KEY, keys[i].label);
		ui_put(y, x + label_w + 1, colw - label_w - 2, UI_ROLE_NORMAL, keys[i].brief);
	}
}

void ui_draw_help(const struct ui_state *s, int rows, int cols)
{
	size_t n;
	const struct ui_key *keys = ui_keys_table(&n);
	int lines = 0, label_w = 0, help_w = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		lines++;
		if ((int)strlen(keys[i].label) > label_w)
			label_w = (int)strlen(keys[i].label);
		if ((int)strlen(keys[i].help) > help_w)
			help_w = (int)strlen(keys[i].help);
	}
	int w = label_w + help_w + 5;
	if (w > cols - 2 || lines + 2 > rows - 2) {
		draw_help_brief(keys, n, rows, cols);
		return;
	}
	int h = lines + 3;
	int y0 = (rows - h) / 2, x0 = (cols - w) / 2;
	for (int y = 0; y < h; y++)
		ui_fill(y0 + y, x0, w, UI_ROLE_NORMAL);
	attr_t a = (attr_t)ui_theme_attr(UI_ROLE_HEADER);
	attron(a);
	mvhline(y0, x0, '-', w);
	mvhline(y0 + h - 1, x0, '-', w);
	attroff(a);
	ui_put(y0, x0 + 2, w - 4, UI_ROLE_HEADER, " keys (any key closes) ");
	int y = y0 + 1;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		ui_put(y, x0 + 1, label_w + 1, UI_ROLE_KEY, keys[i].label);
		ui_put(y, x0 + 3 + label_w, w - label_w - 4, UI_ROLE_NORMAL, keys[i].help);
		y++;
	}
	(void)s;
}

void ui_draw_screen(const struct ui_state *s)
{
	int rows = LINES, cols = COLS;
	erase();
	struct ui_screen_layout L = s->show.layout;
	if (L.too_small) {
		draw_too_small(rows, cols);
		return;
	}
	draw_status(s, cols);
	switch (s->show.view) {
	case UI_VIEW_MAIN:
		ui_draw_main(s, &L, cols); /* with the lesson layout when it is on */
		break;
	case UI_VIEW_DIAGRAM:
		ui_draw_diagram(s, L.body_y, L.body_h, cols);
		break;
	case UI_VIEW_LOG:
		ui_draw_log(s, L.body_y, L.body_h, cols);
		break;
	case UI_VIEW_KERNEL:
		ui_draw_kernel(s, L.body_y, L.body_h, cols);
		break;
	default:
		break;
	}
	draw_hints(s, L.hint_y, cols, ui_clock_mono());
	if (s->show.help)
		ui_draw_help(s, rows, cols);
}
