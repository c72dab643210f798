/* echo_server.c — reference solution for socklab-check echo-server (lab 07). */
/*
 * An iterative echo server: accept one client, send back every byte it sends until it closes
 * (recv() returns 0), close the accepted socket, then accept the next client.
 *
 * Build: cc -Wall -o echo_server echo_server.c
 * Check: socklab-check echo-server -- ./echo_server {port}
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

/* Echo until the client closes its side; errors end this client only. */
static void echo(int conn)
{
	char buf[4096];
	for (;;) {
		ssize_t n = recv(conn, buf, sizeof buf, 0);
		if (n <= 0)
			return; /* 0: the client sent FIN; our side is now in CLOSE_WAIT */
		if (send_all(conn, buf, (size_t)n) != 0)
			return; /* the client left early (EPIPE, ECONNRESET) */
	}
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
	/* Without this, a send() to a client that already left raises SIGPIPE and the default
	 * action kills the whole server. */
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
	addr.sin_port = htons((uint16_t)port); /* network byte order */
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	if (listen(s, 8) < 0) {
		perror("listen");
		return 1;
	}

	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			perror("accept");
			continue;
		}
		echo(conn);
		close(conn); /* leaves CLOSE_WAIT: our FIN answers the client's */
	}
}
