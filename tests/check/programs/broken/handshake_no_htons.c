/* handshake_no_htons.c — broken handshake-server: the port without htons() (listens). */
#include "student.h"

int main(int argc, char **argv)
{
	int port = student_port(argc, argv);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	/* BUG: sin_port must be in network byte order; on a little-endian machine port 8888
	 * (0x22b8) becomes 47138 (0xb822). The server listens, but on the wrong port. */
	a.sin_port = (uint16_t)port;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 5) < 0) {
		perror("bind");
		return 1;
	}
	int conn = accept(s, NULL, NULL);
	char buf[1024];
	if (conn >= 0 && recv(conn, buf, sizeof buf, 0) > 0)
		send(conn, "hi\n", 3, 0);
	close(conn);
	close(s);
	return 0;
}
