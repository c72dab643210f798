/* server.c — lab 06 exercise: a server that closes its connections the right way. */
/*
 * The setup and the answering are done. Write the end of the conversation: read until the
 * client has closed its side, then close yours. As it is, the program builds and runs, answers
 * the client, but never closes: the connection stays in CLOSE_WAIT.
 *
 * Build: cc -Wall -o server server.c
 * Check: socklab-check handshake-server -- ./server {port}
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

/* socket, bind 127.0.0.1:port, listen (lab 04). Returns the listening socket, or -1. */
static int listen_on(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return -1;
	}
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 5) < 0) {
		perror("bind/listen");
		close(s);
		return -1;
	}
	return s;
}

/* One client: answer its first message with the same bytes. */
static void serve(int conn)
{
	char buf[1024];
	ssize_t n = recv(conn, buf, sizeof buf, 0);
	if (n <= 0)
		return;
	if (send(conn, buf, (size_t)n, 0) < 0)
		return;

	/* TODO 1: the client may still send, and will close its side when it is done. Read
	 * (recv() in a loop, answering each message the same way) until recv() returns 0:
	 * that is the client's FIN, and your side is now in CLOSE_WAIT. Stop on -1 too.
	 * Why read to the end at all? See "Try breaking it" in EXERCISE.md. */
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
	int s = listen_on(port);
	if (s < 0)
		return 1;
	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			perror("accept");
			continue;
		}
		serve(conn);
		/* TODO 2: close the accepted socket: your FIN answers the client's, your side
		 * goes CLOSE_WAIT -> LAST_ACK -> CLOSED, and the TIME_WAIT stays with the client,
		 * which closed first. Never close s here: it still has to listen. */
	}
}
