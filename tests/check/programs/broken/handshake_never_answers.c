/* handshake_never_answers.c — broken handshake-server: reads but never answers (reply). */
#include "student.h"

int main(int argc, char **argv)
{
	int s = student_listen(student_port(argc, argv));
	int conn = accept(s, NULL, NULL);
	if (conn < 0)
		return 1;
	char buf[1024];
	ssize_t n;
	/* BUG: the message is read, but no send() ever answers it. The server still closes
	 * cleanly once the client has closed its side. */
	while ((n = recv(conn, buf, sizeof buf, 0)) > 0)
		printf("got %zd bytes\n", n);
	close(conn);
	close(s);
	return 0;
}
