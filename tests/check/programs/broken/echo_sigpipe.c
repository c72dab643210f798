/* echo_sigpipe.c — broken echo-server: killed by SIGPIPE when a client leaves early (survives). */
#include "student.h"

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	/* BUG: no signal(SIGPIPE, SIG_IGN) and no MSG_NOSIGNAL: once the client has reset the
	 * connection, the first call to notice reports ECONNRESET and the next send() raises
	 * SIGPIPE, whose default action ends the whole server. (The loop also ignores what
	 * send() returns, as the tutorials' loops do, so it goes on sending.) */
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0)
			continue;
		char buf[4096];
		ssize_t n;
		while ((n = recv(conn, buf, sizeof buf, 0)) > 0)
			send(conn, buf, (size_t)n, 0);
		close(conn);
	}
}
