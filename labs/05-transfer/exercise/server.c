/* server.c — lab 05 exercise: receive a 1 MiB stream, answer how many bytes arrived. */
/*
 * The listening part is done (you wrote it in lab 04). Write serve(): the TODOs in it.
 * As it is, the program builds and runs, accepts clients, but answers nothing.
 *
 * Build: cc -Wall -o server server.c
 * Check: socklab-check transfer-server -- ./server {port}
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

/* One client: count every byte it sends until it has finished sending, then answer the count
 * as decimal text, e.g. "1048576\n". */
static void serve(int conn)
{
	char buf[65536];
	unsigned long long total = 0;

	/* TODO 1: recv(conn, buf, sizeof buf, 0) in a loop, adding each return value to total.
	 * The client sent 1 MiB with ONE call, but TCP delivers a byte stream: recv() returns
	 * whatever has arrived, often much less. Stop when recv() returns 0 (the client has
	 * shut down its sending side: end of stream) or -1 (an error: return). */
	(void)buf; /* the (void) lines only keep the compiler quiet until you write the TODO */

	char reply[32];
	int len = snprintf(reply, sizeof reply, "%llu\n", total);
	/* TODO 2: send the len bytes of reply. send() may write fewer bytes than asked and
	 * returns how many it wrote: loop until all are sent. */
	(void)len;
	(void)conn;
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
		close(conn);
	}
}
