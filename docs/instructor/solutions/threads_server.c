/* threads_server.c — reference solution for socklab-check threads-server (lab 08). */
/*
 * The tutorials' thread-per-connection server: the main thread only accepts; every accepted
 * connection gets a thread of its own that says "Welcome!", answers each message with
 * "Hello, <message>!", and ends its own session on "exit". The thread is detached, so it
 * leaves nothing behind when it returns; it closes its own descriptor, never the listener.
 *
 * Build: cc -Wall -pthread -o threads_server threads_server.c
 * Check: socklab-check threads-server -- ./threads_server {port}
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

/* One client's session, in its own thread. */
static void *session(void *arg)
{
	int conn = (int)(intptr_t)arg;
	char msg[1024];
	char reply[1100];

	if (send_all(conn, "Welcome!", 8) == 0) {
		for (;;) {
			/* One message per recv(): the client waits for each reply before it sends
			 * the next one, so an unframed protocol works here. */
			ssize_t n = recv(conn, msg, sizeof msg - 1, 0);
			if (n <= 0)
				break; /* 0: the client closed; <0: an error (reset) */
			msg[n] = '\0';
			msg[strcspn(msg, "\r\n")] = '\0'; /* accept "exit\n" from nc too */
			if (strcmp(msg, "exit") == 0)
				break; /* ends this session only */
			int len = snprintf(reply, sizeof reply, "Hello, %s!", msg);
			if (send_all(conn, reply, (size_t)len) != 0)
				break;
		}
	}
	close(conn); /* the accepted socket; the listener stays open in main() */
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
	/* A client that leaves early must not kill the whole server: send() then fails with
	 * EPIPE instead of raising SIGPIPE. */
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
	if (listen(s, 16) < 0) {
		perror("listen");
		return 1;
	}
	printf("listening on 127.0.0.1:%d\n", port);
	fflush(stdout);

	for (;;) {
		int conn = accept(s, NULL, NULL);
		if (conn < 0) {
			perror("accept");
			continue;
		}
		pthread_t t;
		if (pthread_create(&t, NULL, session, (void *)(intptr_t)conn) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			close(conn);
			continue;
		}
		/* Nobody joins a session: detach it so its stack is freed when it returns. */
		pthread_detach(t);
	}
}
