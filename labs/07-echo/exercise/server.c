/* server.c — lab 07 exercise: an echo server that serves one client after another. */
/*
 * The listening part is done (lab 04). Write the TODOs: accept clients one after the other,
 * send back every byte each one sends, and survive a client that leaves early. As it is, the
 * program builds and runs, listens, but never accepts anyone (the kernel still completes
 * the handshakes: the clients wait in the accept queue).
 *
 * Build: cc -Wall -o server server.c
 * Check: socklab-check echo-server -- ./server {port}
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

/* Send all of buf: send() may write less than asked. Returns 0, or -1 on an error. */
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

/* Echo one client until it closes its side. */
static void echo(int conn)
{
	char buf[4096];
	/* TODO 2: recv() into buf in a loop; send_all() back exactly the n bytes received.
	 * Stop when recv() returns 0 (the client's FIN) or -1, or when send_all() fails (the
	 * client has gone). */
	(void)buf; /* the (void) lines only keep the compiler quiet until you write the TODO */
	(void)conn;
	(void)send_all;
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
	/* TODO 1: a send() to a client that has already reset the connection raises SIGPIPE,
	 * and its default action ends the whole server. Ignore it: signal(SIGPIPE, SIG_IGN);
	 * send() then fails with EPIPE instead. */

	int s = listen_on(port);
	if (s < 0)
		return 1;
	for (;;) {
		/* TODO 3: accept() the next client. A failed accept() is no reason to stop the
		 * server: continue with the next one. */
		int conn = -1;
		if (conn < 0) {
			sleep(1); /* only while TODO 3 is missing: remove this line */
			continue;
		}
		echo(conn);
		/* TODO 4: close(conn): your FIN answers the client's, no CLOSE_WAIT is left. */
	}
}
