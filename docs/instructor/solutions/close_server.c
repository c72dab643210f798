/* close_server.c — reference solution of lab 06's exercise (socklab-check handshake-server). */
/*
 * Closing done right, the server waiting for the client: answer every message with the same
 * bytes until the client closes its side (recv() returns 0: our side is in CLOSE_WAIT), then
 * close the accepted socket at once, so our FIN answers the client's and the client, which
 * closed first, keeps the TIME_WAIT. Every byte is read before close(), so close() sends a
 * FIN, never a RST.
 *
 * Build: cc -Wall -o close_server close_server.c
 * Check: socklab-check handshake-server -- ./close_server {port}
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

/* Answer one client: whatever arrives is sent back, until the client closes. */
static void serve(int conn)
{
	char buf[1024];
	for (;;) {
		ssize_t n = recv(conn, buf, sizeof buf, 0);
		if (n <= 0)
			return; /* 0: the client closed first (its FIN); we are in CLOSE_WAIT */
		if (send(conn, buf, (size_t)n, 0) < 0)
			return;
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
	signal(SIGPIPE, SIG_IGN); /* a client that leaves early must not kill the server */

	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	int one = 1; /* restart at once even while old connections sit in TIME_WAIT */
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port); /* port in network byte order */
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
		/* accept() returns a NEW socket for this connection; s keeps listening. */
		struct sockaddr_in peer;
		socklen_t plen = sizeof peer;
		int conn = accept(s, (struct sockaddr *)&peer, &plen);
		if (conn < 0) {
			perror("accept");
			continue;
		}
		printf("connection from %s:%d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
		fflush(stdout);
		serve(conn);
		close(conn); /* leaves CLOSE_WAIT: LAST_ACK until the client ACKs our FIN */
	}
}
