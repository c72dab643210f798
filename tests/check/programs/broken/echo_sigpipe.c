/* echo_sigpipe.c — broken echo-server: killed by SIGPIPE when a client leaves early (survives). */
#include "student.h"

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	/* BUG: no signal(SIGPIPE, SIG_IGN) and no MSG_NOSIGNAL: a send() on a connection the
	 * client has reset raises SIGPIPE, whose default action ends the whole server. */
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0)
			continue;
		char buf[4096];
		ssize_t n;
		while ((n = recv(conn, buf, sizeof buf, 0)) > 0)
			if (student_send_all(conn, buf, (size_t)n) != 0)
				break;
		close(conn);
	}
}
