/* client.c — lab 04 exercise: connect, send a message, print the answer, close. */
/*
 * Write the TODOs in order (EXERCISE.md explains each one). As it is, the program builds and
 * runs but stops at the first TODO.
 *
 * Build: cc -Wall -o client client.c
 * Check: socklab-check handshake-client -- ./client {port}
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

	/* TODO 1: create a TCP socket. */
	int s = -1;
	if (s < 0) {
		fprintf(stderr, "TODO 1: no socket yet\n");
		return 1;
	}

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	/* TODO 2: the server's address: port (htons) and 127.0.0.1 (htonl(INADDR_LOOPBACK)). */

	/* TODO 3: connect(s, ...) to addr; on failure perror("connect") and return 1.
	 * connect() sends the SYN and returns once the three-way handshake is done. */

	/* TODO 4: send() a message, e.g. "hello, server" (strlen of it bytes). */

	char buf[1024];
	/* TODO 5: recv() the answer into buf (n = the number of bytes); 0 means the server
	 * closed without answering. */
	ssize_t n = 0;
	if (n <= 0) {
		fprintf(stderr, "TODO 5: no answer received\n");
		return 1;
	}
	printf("server answered: %.*s\n", (int)n, buf);

	/* TODO 6: read on (recv() in a loop) until it returns 0: the server has closed its side.
	 * Closing with unread data would send a RST instead of a FIN. */

	/* TODO 7: close(s). */
	return 0;
}
