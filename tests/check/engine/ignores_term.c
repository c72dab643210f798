/* ignores_term.c — listens, accepts, never reads, and ignores SIGTERM: only SIGKILL ends it.
 * It also leaves a child of its own (same process group) that ignores SIGTERM too. argv[2]
 * receives its pid, argv[3] the child's. */
#include "engine_util.h"

#include <signal.h>

int main(int argc, char **argv)
{
	pid_t child;
	int s;

	if (argc < 4)
		return 2;
	signal(SIGTERM, SIG_IGN);
	s = engine_listen(argv[1]);
	child = fork();
	if (child == 0) {
		close(s);
		for (;;)
			pause();
	}
	engine_pidfile(argv[3], child);
	engine_pidfile(argv[2], getpid());
	for (;;)
		accept(s, NULL, NULL);
}
