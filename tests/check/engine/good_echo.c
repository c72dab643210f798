/* good_echo.c — a correct echo server: every byte back, end of stream closes the client's
 * socket, SIGPIPE ignored, one client after another. The port is argv[1] or $PORT. */
#include "engine_util.h"

#include <signal.h>

int main(int argc, char **argv)
{
	const char *port = argc > 1 ? argv[1] : getenv("PORT");
	int s;

	if (!port)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	s = engine_listen(port);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char buf[4096];
		ssize_t n;

		if (c < 0)
			continue;
		while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
			ssize_t off = 0;
			while (off < n) {
				ssize_t w = send(c, buf + off, (size_t)(n - off), 0);
				if (w <= 0)
					break;
				off += w;
			}
			if (off < n)
				break;
		}
		close(c);
	}
}
