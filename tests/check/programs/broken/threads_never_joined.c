/* threads_never_joined.c — broken threads-server: threads neither joined nor detached (leak). */
#include "threads_session.h"

#include <pthread.h>
#include <signal.h>

static void *session(void *arg)
{
	int conn = (int)(intptr_t)arg;
	student_session(conn);
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
		/* BUG: no pthread_detach(t) and nobody calls pthread_join(t): a finished thread
		 * stays a zombie whose stack (8 MiB of address space) is never given back. */
		if (pthread_create(&t, NULL, session, (void *)(intptr_t)conn) != 0)
			close(conn);
	}
}
