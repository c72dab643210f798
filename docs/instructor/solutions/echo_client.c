/* echo_client.c — reference solution for socklab-check echo-client (lab 07). */
/*
 * An echo client: connect, send a message, read back exactly as many bytes as it sent (the
 * echo may come in pieces), print it, then close first.
 *
 * Build: cc -Wall -o echo_client echo_client.c
 * Check: socklab-check echo-client -- ./echo_client {port}
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
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s PORT [MESSAGE]\n", argv[0]);
		return 2;
	}
	int port = atoi(argv[1]);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "%s: bad port: %s\n", argv[0], argv[1]);
		return 2;
	}
	const char *msg = argc == 3 ? argv[2] : "hello, echo";
	size_t len = strlen(msg);

	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		return 1;
	}

	/* A short message goes out in one send(); a loop would be needed for a large one. */
	if (send(s, msg, len, 0) != (ssize_t)len) {
		perror("send");
		close(s);
		return 1;
	}
	/* TCP is a byte stream: the echo may arrive in several pieces, so read until all of it
	 * is back. */
	char buf[4096];
	size_t got = 0;
	while (got < len && got < sizeof buf - 1) {
		ssize_t n = recv(s, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0) {
			fprintf(stderr, "the server closed after %zu of %zu bytes\n", got, len);
			close(s);
			return 1;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	printf("echo: %s\n", buf);
	close(s); /* we close first, so TIME_WAIT lands on our side */
	return 0;
}
