/* server.c — lab 04 exercise: accept one client, answer its message, close. */
/*
 * Write the TODOs in order (EXERCISE.md explains each one). As it is, the program builds and
 * runs but stops at the first TODO.
 *
 * Build: cc -Wall -o server server.c
 * Check: socklab-check handshake-server -- ./server {port}
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

	/* TODO 1: create a TCP socket: socket(AF_INET, SOCK_STREAM, 0). */
	int s = -1;
	if (s < 0) {
		fprintf(stderr, "TODO 1: no socket yet\n");
		return 1;
	}
	int one = 1; /* lets you restart the server while an old connection is in TIME_WAIT */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	/* TODO 2: fill in addr.sin_port (the port, in network byte order: htons) and
	 * addr.sin_addr.s_addr (127.0.0.1: htonl(INADDR_LOOPBACK)). */

	/* TODO 3: bind(s, ...) to addr; on failure perror("bind") and return 1. */

	/* TODO 4: listen(s, 5); on failure perror("listen") and return 1. */

	/* TODO 5: accept() a connection. It returns a NEW descriptor for this client;
	 * s keeps listening. */
	int conn = -1;
	if (conn < 0) {
		fprintf(stderr, "TODO 5: no connection accepted yet\n");
		return 1;
	}

	char buf[1024];
	/* TODO 6: recv() the client's message into buf (n = the number of bytes). */
	ssize_t n = 0;
	if (n > 0) {
		printf("received %zd bytes: %.*s", n, (int)n, buf);
		/* TODO 7: send() an answer to the client, e.g. "hello, client\n". */
	}

	/* TODO 8: close() the connection's socket, then the listening one. */
	return 0;
}
