/* ui_term.h — curses session and signals: handlers only set flags and write to a self-pipe;
 * the terminal is restored on every way out (quit, signals, errors, exit, crashes). */
#ifndef SOCKLAB_UI_TERM_H
#define SOCKLAB_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

enum ui_term_sig {
	UI_SIG_WINCH = 1u << 0,
	UI_SIG_INT = 1u << 1,
	UI_SIG_TERM = 1u << 2,
	UI_SIG_HUP = 1u << 3,
};

/* Installs the handlers and starts curses on stdout, reading keys from stdin, or from
 * /dev/tty when stdin is not a terminal (it carries the capture). False with a message on failure
 * (then nothing is left installed). */
bool ui_term_start(bool color, char *err, size_t errlen);
/* Ends curses and puts the previous signal handlers back; safe to call twice. */
void ui_term_stop(void);
/* The descriptor keys arrive on, to poll (-1 when the screen is not running). */
int ui_term_key_fd(void);
/* The self-pipe's read end, to poll. */
int ui_term_signal_fd(void);
/* Signals seen since the last call (enum ui_term_sig bits); empties the pipe. */
unsigned ui_term_take_signals(void);
/* Adopt the terminal's new size (after SIGWINCH). */
void ui_term_resize(void);

#endif
