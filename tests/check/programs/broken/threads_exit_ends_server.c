/* threads_exit_ends_server.c — broken threads-server: `exit` ends the whole server (exit-command). */
#include "threads_session.h"

#include <pthread.h>
#include <signal.h>

static void *session(void *arg)
{
	int conn = (int)(intptr_t)arg;
	if (student_session(conn)) {
		/* BUG: exit() ends the process, every other client's session with it; the
		 * session should only return (and close its own socket). */
		send(conn, "Goodbye!", 8, 0);
		exit(0);
	}
	close(conn);
	return NULL;
}

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0)
			continue;
		pthread_t t;
		if (pthread_create(&t, NULL, session, (void *)(intptr_t)conn) != 0) {
			close(conn);
			continue;
		}
		pthread_detach(t);
	}
}
