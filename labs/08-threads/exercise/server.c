/* server.c — lab 08 exercise: a thread per connection. */
/*
 * The tutorials' protocol: on accept the server sends "Welcome!"; it answers each message
 * with "Hello, <message>!"; "exit" ends that client's session only. Write the TODOs. As it
 * is, the program builds and runs, accepts, but never starts a session.
 *
 * Build: cc -Wall -pthread -o server server.c
 * Check: socklab-check threads-server -- ./server {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
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
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 16) < 0) {
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

/* One client's session; runs in a thread of its own. arg is the accepted descriptor. */
static void *session(void *arg)
{
	int conn = (int)(intptr_t)arg;
	char msg[1024];
	char reply[1100];

	if (send_all(conn, "Welcome!", 8) == 0) {
		for (;;) {
			/* The client sends one message per send() and waits for the reply before
			 * the next, without a newline: one recv() is one message here. */
			ssize_t n = recv(conn, msg, sizeof msg - 1, 0);
			if (n <= 0)
				break;
			msg[n] = '\0';
			msg[strcspn(msg, "\r\n")] = '\0'; /* so that nc's "exit\n" works too */
			/* TODO 2: if msg is "exit", end this session (break): only this one, the
			 * server goes on serving the others. */
			int len = snprintf(reply, sizeof reply, "Hello, %s!", msg);
			if (send_all(conn, reply, (size_t)len) != 0)
				break;
		}
	}
	/* TODO 3: close this session's descriptor (never the listening one). */
	return NULL;
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
		/* TODO 1: start a thread running session() for this connection:
		 *     pthread_t t;
		 *     pthread_create(&t, NULL, session, (void *)(intptr_t)conn)
		 * (on failure close(conn) and continue). Nobody will pthread_join() it, so
		 * pthread_detach(t): otherwise every finished session keeps its stack. */
		(void)session; /* the (void) line only keeps the compiler quiet until TODO 1 */
	}
}
