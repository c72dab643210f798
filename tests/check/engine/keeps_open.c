/* keeps_open.c — an echo server that never closes an accepted socket: after the client's FIN
 * its side stays in CLOSE_WAIT (the close-wait check's bug). */
#include "engine_util.h"

#include <signal.h>

int main(int argc, char **argv)
{
	int s;

	if (argc < 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	s = engine_listen(argv[1]);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char buf[4096];
		ssize_t n;

		while ((n = recv(c, buf, sizeof buf, 0)) > 0)
			send(c, buf, (size_t)n, 0);
		/* the bug: no close(c) */
	}
}
