/* client.c — lab 08 exercise: the tutorials' client for the thread-per-connection server. */
/*
 * Connect, read "Welcome!", send the four messages one by one, each after the previous reply,
 * the last one being "exit", then close. As it is, the program builds and runs, reads the
 * welcome, but sends nothing.
 *
 * Build: cc -Wall -o client client.c
 * Check: socklab-check threads-client -- ./client {port}
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

/* socket, connect to 127.0.0.1:port (lab 04). Returns the socket, or -1. */
static int connect_to(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return -1;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		close(s);
		return -1;
	}
	return s;
}

/* Read one reply and print it. Returns its length, 0 when the server closed, -1 on error. */
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
	int s = connect_to(port);
	if (s < 0)
		return 1;
	if (read_reply(s) <= 0) /* "Welcome!" */
		return 1;

	/* TODO 1: for each of the four messages: send() it (strlen bytes, no newline), print
	 * it, and unless it is "exit", read_reply() before sending the next one. Sending them
	 * all at once would merge them in the byte stream: the server could not tell them
	 * apart. */
	(void)messages; /* the (void) line only keeps the compiler quiet until TODO 1 */

	/* TODO 2: after "exit" the server ends the session and closes first. recv() until it
	 * returns 0 (its FIN), then close(s): your side does not stay in CLOSE_WAIT. */
	return 0;
}
