/* transfer_server.c — reference solution for socklab-check transfer-server (lab 05). */
/*
 * TCP moves bytes, not messages: the client's one big send arrives in many recv() calls of
 * varying size. The server adds them up until the client shuts down its sending side
 * (recv() returns 0), then answers with the total as decimal text and closes.
 *
 * Build: cc -Wall -o transfer_server transfer_server.c
 * Check: socklab-check transfer-server -- ./transfer_server {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
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

/* Count every byte until the end of the stream, then answer the count. */
static void serve(int conn)
{
	char buf[65536];
	unsigned long long total = 0;
	for (;;) {
		ssize_t n = recv(conn, buf, sizeof buf, 0);
		if (n < 0)
			return;
		if (n == 0)
			break; /* the client's FIN: nothing more will come */
		total += (unsigned long long)n;
	}
	char reply[32];
	int len = snprintf(reply, sizeof reply, "%llu\n", total);
	send_all(conn, reply, (size_t)len);
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
	signal(SIGPIPE, SIG_IGN);

	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(s, 5) < 0) {
		perror("listen");
		return 1;
	}

	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			perror("accept");
			continue;
		}
		serve(conn);
		close(conn);
	}
}
