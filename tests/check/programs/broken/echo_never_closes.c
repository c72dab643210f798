/* echo_never_closes.c — broken echo-server: the accepted socket is never closed (close-wait). */
#include "student.h"

#include <signal.h>

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0)
			continue;
		char buf[4096];
		ssize_t n;
		while ((n = recv(conn, buf, sizeof buf, 0)) > 0)
			if (student_send_all(conn, buf, (size_t)n) != 0)
				break;
		/* BUG: no close(conn): the client's FIN was read (recv() == 0) but ours never
		 * goes out; the connection sits in CLOSE_WAIT as long as the process lives. */
	}
}
