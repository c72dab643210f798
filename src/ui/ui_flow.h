/* ui_flow.h — moving frames from the capture through the pause queue into the tracker:
 * live draining, file pacing by timestamps * speed, single-step, and the ladder replay. */
#ifndef SOCKLAB_UI_FLOW_H
#define SOCKLAB_UI_FLOW_H

#include <stdbool.h>

#include "ui_state.h"

/* Read what the capture has (live: what is ready; file: enough to keep the queue fed).
 * Returns false on a capture error (message in err). */
bool ui_flow_read(struct ui_state *s, char *err, size_t errlen);
/* The descriptor that says frames are waiting: a live capture's, or standard input when the
 * capture is read from it and not at its end yet; -1 otherwise (a file is always ready). */
int ui_flow_poll_fd(const struct ui_state *s);
/* Feed the tracker what is due now (nothing while paused). */
void ui_flow_feed(struct ui_state *s, double mono_now);
/* Feed exactly one TCP segment (frames that are not TCP pass with it). False if none waits. */
bool ui_flow_step(struct ui_state *s, char *err, size_t errlen);
/* Let time pass in the tracker: wall clock (live) or the file's clock (replay). */
void ui_flow_tick(struct ui_state *s, double mono_now);
/* Seconds until the next frame of a file is due (-1: none scheduled). */
double ui_flow_next_due(const struct ui_state *s, double mono_now);
/* A file (not standard input: poll watches that) whose queue is empty, not paused and not at
 * its end: the loop must read now rather than sleep. */
bool ui_flow_wants_read(const struct ui_state *s);
/* Rebase the file pacing (after pause, resume or a speed change). */
void ui_flow_rebase(struct ui_state *s);

/* Ladder replay of one connection. */
void ui_replay_start(struct ui_state *s, uint64_t id, double mono_now);
void ui_replay_stop(struct ui_state *s);
void ui_replay_step(struct ui_state *s);
void ui_replay_tick(struct ui_state *s, double mono_now);

#endif
