/* handshake_server.c — reference solution for socklab-check handshake-server (lab 04). */
/*
 * The tutorials' first server: socket, bind, listen, accept, recv, send, close. It reads the
 * client's message, answers it, and closes first (so TIME_WAIT lands on the server).
 *
 * Build: cc -Wall -o handshake_server handshake_server.c
 * Check: socklab-check handshake-server -- ./handshake_server {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	int port = atoi(argv[1]);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "%s: bad port: %s\n", argv[0], argv[1]);
		return 2;
	}

	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	int one = 1; /* restart at once even while an old connection sits in TIME_WAIT */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port); /* the port in network byte order */
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(s, 5) < 0) { /* now in LISTEN: the kernel completes handshakes for us */
		perror("listen");
		return 1;
	}

	/* accept() returns a NEW socket for the connection; s keeps listening. */
	struct sockaddr_in peer;
	socklen_t plen = sizeof peer;
	int conn = accept(s, (struct sockaddr *)&peer, &plen);
	if (conn < 0) {
		perror("accept");
		return 1;
	}
	printf("connection from %s:%d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));

	char buf[1024];
	ssize_t n = recv(conn, buf, sizeof buf - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		printf("received %zd bytes: %s", n, buf);
		const char *reply = "hello, client\n";
		if (send(conn, reply, strlen(reply), 0) < 0)
			perror("send");
	}
	close(conn); /* we close first: our FIN, and the TIME_WAIT is ours */
	close(s);
	return 0;
}
