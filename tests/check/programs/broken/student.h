/* student.h — the setup every broken program shares, so each file shows only its one bug. */
#ifndef BROKEN_STUDENT_H
#define BROKEN_STUDENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The port from argv[1]; exits 2 on bad usage. */
static inline int student_port(int argc, char **argv)
{
	int port = argc == 2 ? atoi(argv[1]) : 0;
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		exit(2);
	}
	return port;
}

/* socket, bind 127.0.0.1:port, listen: correct, as the reference solutions do it. */
static inline int student_listen(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0) {
		perror("listen");
		exit(1);
	}
	return s;
}

/* socket, connect to 127.0.0.1:port. */
static inline int student_connect(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		exit(1);
	}
	return s;
}

/* send() until all of buf is written. */
static inline int student_send_all(int fd, const char *buf, size_t len)
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

#endif
