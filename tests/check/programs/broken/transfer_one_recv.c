/* transfer_one_recv.c — broken transfer-server: one recv() taken for the whole send (reply). */
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
		/* BUG: the client sent 1 MiB with one sendall(), so the program assumes one
		 * recv() with a big enough buffer gets all of it. TCP delivers a byte stream in
		 * segments: this recv() returns only what had arrived so far. */
		static char buf[1 << 20];
		ssize_t n = recv(conn, buf, sizeof buf, 0);
		char reply[32];
		int len = snprintf(reply, sizeof reply, "%zd\n", n);
		student_send_all(conn, reply, (size_t)len);
		/* The end is right: read (and drop) the rest until the client's FIN, so that
		 * close() sends a FIN, not a RST. Only the count is wrong. */
		while (recv(conn, buf, sizeof buf, 0) > 0)
			;
		close(conn);
	}
}
