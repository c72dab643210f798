/* ui_term.c — curses session, signal self-pipe, and terminal restore on every path. */
#include "ui_term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t sig_bits;
static bool active;
static bool atexit_done;
static SCREEN *screen;
/* Where keys come from: stdin, or the terminal itself when stdin carries the capture. */
static FILE *key_in;
static bool key_in_opened;
static int key_fd = STDIN_FILENO; /* its descriptor, for the crash path (no stdio there) */

static const int flag_sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
static struct sigaction old_flag[4];

/* Crash path: only async-signal-safe calls, with what was prepared at start. */
static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction old_fatal[5];
static struct termios saved_tio;
static bool saved_tio_ok;
static char restore_seq[128];
static size_t restore_len;

static void on_flag_signal(int sig)
{
	int saved = errno;
	unsigned bit = sig == SIGWINCH  ? UI_SIG_WINCH
	               : sig == SIGINT  ? UI_SIG_INT
	               : sig == SIGTERM ? UI_SIG_TERM
	                                : UI_SIG_HUP;
	sig_bits |= (sig_atomic_t)bit;
	if (sig_pipe[1] >= 0) {
		char c = 1;
		ssize_t w = write(sig_pipe[1], &c, 1); /* full pipe: a wake-up is pending anyway */
		(void)w;
	}
	errno = saved;
}

static void on_fatal_signal(int sig)
{
	if (restore_len) {
		ssize_t w = write(STDOUT_FILENO, restore_seq, restore_len);
		(void)w;
	}
	if (saved_tio_ok)
		tcsetattr(key_fd, TCSANOW, &saved_tio);
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++) {
		if (fatal_sigs[i] == sig)
			sigaction(sig, &old_fatal[i], NULL);
	}
	/* A fault re-executes and now reaches the previous handler (a sanitizer's, or the
	 * default core dump); an abort must be raised again. */
	if (sig == SIGABRT)
		raise(sig);
}

static void append_cap(const char *name)
{
	char *s = tigetstr(name);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void at_exit_restore(void) { ui_term_stop(); }

static void close_key_in(void)
{
	if (key_in_opened)
		fclose(key_in);
	key_in_opened = false;
	key_in = NULL;
}

bool ui_term_start(bool color, char *err, size_t errlen)
{
	(void)color;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		return false;
	}
	sig_bits = 0;
	/* ncurses reads keys from the stream it is given; when stdin is the capture (tcpdump
	 * -w - | tcpscope -r -) that would eat packet bytes and never see a key. */
	key_in = stdin;
	key_in_opened = false;
	if (!isatty(STDIN_FILENO)) {
		key_in = fopen("/dev/tty", "re");
		if (!key_in) {
			snprintf(err, errlen, "no terminal to read keys from (/dev/tty: %s)",
			         strerror(errno));
			close(sig_pipe[0]);
			close(sig_pipe[1]);
			sig_pipe[0] = sig_pipe[1] = -1;
			return false;
		}
		key_in_opened = true;
	}
	key_fd = fileno(key_in);
	saved_tio_ok = tcgetattr(key_fd, &saved_tio) == 0;

	/* Install ours before curses starts, so curses leaves them alone. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_flag_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < 4; i++)
		sigaction(flag_sigs[i], &sa, &old_flag[i]);

	setlocale(LC_ALL, "");
	screen = newterm(NULL, stdout, key_in);
	if (!screen) {
		snprintf(err, errlen, "cannot start the screen: terminal type \"%s\" unknown",
		         getenv("TERM") ? getenv("TERM") : "(unset)");
		for (size_t i = 0; i < 4; i++)
			sigaction(flag_sigs[i], &old_flag[i], NULL);
		close_key_in();
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
		return false;
	}
	active = true;
	if (!atexit_done) {
		atexit(at_exit_restore);
		atexit_done = true;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);

	restore_len = 0;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmcup");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
		sigaction(fatal_sigs[i], &sa, &old_fatal[i]);
	return true;
}

void ui_term_stop(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
	close_key_in();
	for (size_t i = 0; i < sizeof fatal_sigs / sizeof fatal_sigs[0]; i++)
		sigaction(fatal_sigs[i], &old_fatal[i], NULL);
	for (size_t i = 0; i < 4; i++)
		sigaction(flag_sigs[i], &old_flag[i], NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}

int ui_term_signal_fd(void) { return sig_pipe[0]; }

int ui_term_key_fd(void) { return key_in ? fileno(key_in) : -1; }

unsigned ui_term_take_signals(void)
{
	char buf[64];
	while (sig_pipe[0] >= 0 && read(sig_pipe[0], buf, sizeof buf) > 0)
		;
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < 4; i++)
		sigaddset(&block, flag_sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	unsigned bits = (unsigned)sig_bits;
	sig_bits = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return bits;
}

void ui_term_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}
