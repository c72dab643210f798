/* threads_one_at_a_time.c — broken threads-server: serves one client at a time (concurrency). */
#include "threads_session.h"

#include <signal.h>

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0)
			continue;
		/* BUG: the session runs in the main thread, so the next accept() waits until this
		 * client has finished: every other client sits in the accept queue, connected
		 * (the kernel did the handshake) but never welcomed. */
		student_session(conn);
		close(conn);
	}
}
