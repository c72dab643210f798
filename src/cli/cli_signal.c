/* cli_signal.c — SIGINT, SIGTERM and SIGHUP set a flag; the loops notice it and end cleanly. */
#include "cli.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) { stop_signal = sig; }

void cli_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking poll() returns EINTR so the loop sees the flag at once */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a reader that goes away (| head) shows up as EPIPE on write: end quietly, not killed */
	signal(SIGPIPE, SIG_IGN);
}

bool cli_stop_requested(void) { return stop_signal != 0; }

int cli_stop_signal(void) { return (int)stop_signal; }
