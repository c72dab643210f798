/* plain.c — plain07-echo: lab07's core as straight C: an echo server in an accept loop. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Send every byte: send() may take only part of them (Python's sendall does this loop). */
static int send_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, 0);
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int server(const struct sockaddr_in *addr, long count)
{
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(lfd, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(lfd, 5) != 0) {
		perror("server socket/setsockopt/bind/listen");
		return 1;
	}
	for (long served = 0; served < count; served++) { /* Python: while True: */
		int c = accept(lfd, NULL, NULL);          /* conn, addr = s.accept() */
		if (c < 0)
			break;
		char buf[1024];
		ssize_t n, total = 0;
		while ((n = recv(c, buf, sizeof buf, 0)) > 0 && send_all(c, buf, (size_t)n) == 0)
			total += n; /* data = conn.recv(1024); conn.sendall(data) */
		printf("client %ld: %zd bytes echoed\n", served + 1,
		       total); /* if not data: break */
		close(c);      /* conn.close() */
	}
	return close(lfd) != 0;
}

static int client(const struct sockaddr_in *addr)
{
	char reply[64];
	size_t got = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 ||
	    send_all(fd, "hello, echo\n", 12) != 0) {
		perror("socket/connect/send");
		return 1;
	}
	while (got < 12) { /* the reply may come in pieces: read until all 12 bytes are in */
		ssize_t n = recv(fd, reply + got, sizeof reply - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	printf("echo: %s",
	       got == 12 && memcmp(reply, "hello, echo\n", 12) == 0 ? "hello, echo\n" : "WRONG\n");
	return close(fd) != 0 || got != 12;
}

int main(int argc, char **argv)
{
	char *end = NULL, *end2 = NULL;
	long port = argc >= 3 ? strtol(argv[2], &end, 10) : 8888;
	long count = argc == 4 ? strtol(argv[3], &end2, 10) : 1;
	if (argc < 2 || argc > 4 || (strcmp(argv[1], "server") && strcmp(argv[1], "client")) ||
	    (end && (*end || port < 1 || port > 65535)) || (end2 && (*end2 || count < 1))) {
		fprintf(stderr, "usage: plain07-echo server [PORT [COUNT]] | client [PORT]\n");
		return 2;
	}
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return strcmp(argv[1], "server") == 0 ? server(&addr, count) : client(&addr);
}
