/* handshake_unread_close.c — broken handshake-server: closes with unread data (no-reset). */
#include "student.h"

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	int conn = accept(s, NULL, NULL);
	if (conn < 0)
		return 1;
	/* BUG: a 3-byte buffer and one recv(): the rest of the client's message stays in the
	 * receive buffer, and close() with unread data sends a RST instead of a FIN. */
	char buf[3];
	if (recv(conn, buf, sizeof buf, 0) > 0)
		send(conn, "hi\n", 3, 0);
	usleep(200000); /* the rest of "hello\n" has surely arrived by now */
	close(conn);
	close(s);
	return 0;
}
