/* lab_internal.h — what the files of labs/lib share (not part of the lab API). Layers, each
 * calling only the ones below it: lab_narrate.c -> lab_session.c -> lab_line.c, and
 * lab_marker.c (-> lab_line.c), lab_kernel.c, lab_errno.c, lab_addr.c, lab_escape.c, and
 * lab_scratch.c (the lock marker and kernel take around their short-lived descriptors) at the
 * bottom. */
#ifndef SOCKLAB_LAB_INTERNAL_H
#define SOCKLAB_LAB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"

#define LAB_C_RESET "\033[0m"
#define LAB_C_BOLD  "\033[1m"
#define LAB_C_DIM   "\033[2m"
#define LAB_C_RED   "\033[31m"
#define LAB_C_GREEN "\033[32m"
#define LAB_C_YEL   "\033[33m"
#define LAB_C_CYAN  "\033[36m"

/* ---- lab_line.c: one narration line, written with one fputs (threads never interleave) */
struct lab_line {
	char buf[2048];
	size_t len;
};
void lab_line_set_color(bool on);
const char *lab_line_col(const char *code); /* code, or "" without colour */
void lab_line_start(struct lab_line *l);    /* empty, with this thread's tag */
void lab_line_next(struct lab_line *l);     /* a further line in the same write */
void lab_line_put(struct lab_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lab_line_emit(struct lab_line *l);
const char *lab_line_tag(void); /* this thread's tag ("server", "conn 2"), "" if none */

/* ---- lab_marker.c: a syscall marker for a running tcpscope (socklab/marker.h); silent */
void lab_marker_send(const char *call_text);

/* ---- lab_session.c */
struct lab_session {
	const struct lab_info *info;
	bool step;
	bool stdin_tty;
	bool said_not_tty;
	int timeout_s;
	bool started; /* lab_start ran: signal handlers installed, the watchdog may be armed */
};

extern struct lab_session lab_session_state;

void lab_watchdog_arm(void);
void lab_step_wait(const char *call_name);
int lab_stop_signal(void);

#endif
