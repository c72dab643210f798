/* threads_client.c — reference solution for socklab-check threads-client (lab 08). */
/*
 * The tutorials' client: connect, read the server's "Welcome!", send four messages one per
 * send() and wait for each reply before the next, the last one being "exit", then close.
 *
 * Build: cc -Wall -o threads_client threads_client.c
 * Check: socklab-check threads-client -- ./threads_client {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const messages[] = {"mindthink", "code change the world", "hello world", "exit"};

/* Read one reply and print it; returns its length, 0 when the server closed, -1 on error. */
static ssize_t read_reply(int s)
{
	char buf[1024];
	ssize_t n = recv(s, buf, sizeof buf - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		printf("server: %s\n", buf);
	}
	return n;
}

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
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		return 1;
	}

	if (read_reply(s) <= 0) { /* "Welcome!" */
		close(s);
		return 1;
	}
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
		const char *m = messages[i];
		if (send(s, m, strlen(m), 0) != (ssize_t)strlen(m)) {
			perror("send");
			close(s);
			return 1;
		}
		printf("client: %s\n", m);
		if (strcmp(m, "exit") == 0)
			break; /* no reply to exit: the server ends the session */
		if (read_reply(s) <= 0) {
			close(s);
			return 1;
		}
	}
	/* The server ends the session on "exit": wait for its FIN (recv() returns 0) before
	 * closing, so nothing is left unread and the server, which closed first, keeps the
	 * TIME_WAIT. */
	char rest[256];
	while (recv(s, rest, sizeof rest, 0) > 0)
		;
	close(s);
	return 0;
}
