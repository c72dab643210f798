/* lab_session.c — a lab's run: signals (flags only), the watchdog, per-call timeouts, --step. */
#include "lab.h"
#include "lab_internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

struct lab_session lab_session_state = {.timeout_s = LAB_DEFAULT_TIMEOUT};

static volatile sig_atomic_t stop_signal;
static pthread_mutex_t step_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_signal(int sig)
{
	/* A second Ctrl-C while the first is being handled means "now". */
	if (sig != SIGALRM && stop_signal && stop_signal != SIGALRM)
		_exit(128 + sig);
	stop_signal = sig;
}

void lab_start(const struct lab_info *info, const struct lab_opts *opts)
{
	struct lab_session *s = &lab_session_state;
	s->info = info;
	lab_line_set_color(opts->color);
	lab_set_linux_names(opts->linux_names);
	s->step = opts->step;
	s->timeout_s = opts->timeout_s;
	s->stdin_tty = isatty(STDIN_FILENO);
	s->started = true;
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked accept()/recv() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (opts->role && info->roles)
		lab_set_tag(opts->role);
	lab_title("%s%s%s: %s", info->name, opts->role ? " " : "", opts->role ? opts->role : "",
	          info->summary ? info->summary : "");
	lab_watchdog_arm();
}

bool lab_stopping(void) { return stop_signal != 0; }

int lab_stop_signal(void) { return stop_signal; }

int lab_exit_code(bool failed)
{
	int sig = stop_signal;
	if (sig == SIGALRM) {
		lab_warn(
		    "the watchdog stopped the lab: nothing happened for %d s (--timeout %d, + 5)",
		    lab_session_state.timeout_s + 5, lab_session_state.timeout_s);
		return 1;
	}
	if (sig) {
		lab_warn("stopped by %s: exiting (the kernel closes every socket still open when "
		         "the process ends)",
		         sig == SIGINT ? "Ctrl-C" : "SIGTERM");
		return 128 + sig;
	}
	return failed ? 1 : 0;
}

void lab_watchdog_arm(void)
{
	int t = lab_session_state.timeout_s;
	if (t > 0 && lab_session_state.started)
		alarm((unsigned)t + 5);
}

void lab_guard(int fd)
{
	static bool said;
	int t = lab_session_state.timeout_s;
	if (fd < 0 || t <= 0)
		return;
	struct timeval tv = {.tv_sec = t, .tv_usec = 0};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
		lab_warn("could not set SO_RCVTIMEO/SO_SNDTIMEO on descriptor %d: %s", fd,
		         strerror(errno));
		return;
	}
	if (!said) {
		said = true;
		lab_say("(socklab sets SO_RCVTIMEO/SO_SNDTIMEO = %d s on its sockets so no call "
		        "waits forever; --timeout changes it)",
		        t);
	}
}

/* Read one line from stdin, byte by byte so nothing of a later line is consumed.
 * Returns 1 for a line, 0 at end of input, -1 when interrupted. */
static int read_line(void)
{
	char c;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n == 1 && c == '\n')
			return 1;
		if (n == 0)
			return 0;
		if (n < 0)
			return errno == EINTR && !lab_stopping() ? 0 : -1;
	}
}

void lab_step_wait(const char *call_name)
{
	struct lab_session *s = &lab_session_state;
	if (!s->step || lab_stopping())
		return;
	pthread_mutex_lock(&step_lock);
	if (s->step) {
		if (!s->stdin_tty && !s->said_not_tty) {
			s->said_not_tty = true;
			lab_say("[step] stdin is not a terminal: each pause reads one line from it "
			        "(end of input ends the pauses)");
		}
		lab_say("[step] press Enter to run %s()", call_name);
		if (s->stdin_tty)
			alarm(0); /* a student may take their time; Ctrl-C still ends the lab */
		int r = read_line();
		if (r == 0) {
			s->step = false;
			lab_say("[step] end of input: no more pauses");
		}
		lab_watchdog_arm();
	}
	pthread_mutex_unlock(&step_lock);
}
