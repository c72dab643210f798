/* echo_client.c — reference solution for socklab-check echo-client (lab 07). */
/*
 * An echo client: connect, then for every line typed on stdin send it, read back exactly as
 * many bytes as were sent (the echo may come in pieces) and print them. At the end of stdin
 * (Ctrl-D) close first.
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

/* Send all of buf: send() may write less than asked. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, 0);
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* TCP is a byte stream: one recv() may return part of the echo, so read until len bytes. */
static int recv_all(int fd, char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = recv(fd, buf, len, 0);
		if (n <= 0)
			return -1; /* 0: the server closed early */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT   (lines to echo on stdin)\n", argv[0]);
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
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		return 1;
	}

	char line[1024];
	char echo[1024];
	while (fgets(line, sizeof line, stdin) != NULL) {
		size_t len = strlen(line);
		if (send_all(s, line, len) != 0 || recv_all(s, echo, len) != 0) {
			fprintf(stderr, "the connection ended early\n");
			close(s);
			return 1;
		}
		printf("echo: %.*s", (int)len, echo);
		fflush(stdout);
	}
	close(s); /* we close first, so TIME_WAIT lands on our side */
	return 0;
}
