/* plain.c — plain06-close: lab06's core as straight C: a half-close, then close() on both sides. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The server reads until the client's FIN (recv() = 0), answers after it, and closes. */
static int server(const struct sockaddr_in *addr)
{
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(lfd, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(lfd, 5) != 0) {
		perror("server socket/setsockopt/bind/listen");
		return 1;
	}
	int cfd = accept(lfd, NULL, NULL); /* Python: sock, addr = s.accept() */
	if (cfd < 0) {
		perror("accept");
		close(lfd);
		return 1;
	}
	char buf[128], reply[64];
	ssize_t n, total = 0;
	while ((n = recv(cfd, buf, sizeof buf, 0)) > 0) /* data = sock.recv(1024) */
		total += n;
	printf("recv() = %zd after %zd bytes: the client's FIN\n", n, total); /* if not data */
	int len = snprintf(reply, sizeof reply, "got %zd bytes\n", total);
	if (n == 0 && send(cfd, reply, (size_t)len, 0) != len) /* our direction is still open */
		perror("send");
	int rc = close(cfd) | close(lfd); /* sock.close() */
	return n < 0 || rc != 0;
}

/* The client sends, shuts down its sending side (FIN), still reads the reply, then closes. */
static int client(const struct sockaddr_in *addr)
{
	char buf[128];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 ||
	    send(fd, "bye", 3, 0) != 3 || shutdown(fd, SHUT_WR) != 0) { /* s.shutdown(SHUT_WR) */
		perror("socket/connect/send/shutdown");
		return 1;
	}
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
	printf("after shutdown(SHUT_WR), recv() = %zd\n", n);
	if (n > 0 && recv(fd, buf, sizeof buf, 0) == 0)
		printf("then recv() = 0: the server's FIN\n");
	return close(fd) != 0; /* s.close() */
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long port = argc == 3 ? strtol(argv[2], &end, 10) : 8888;
	if (argc < 2 || argc > 3 || (strcmp(argv[1], "server") && strcmp(argv[1], "client")) ||
	    (argc == 3 && (*end || port < 1 || port > 65535))) {
		fprintf(stderr, "usage: plain06-close server|client [PORT]\n");
		return 2;
	}
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* ('localhost', PORT) */
	return strcmp(argv[1], "server") == 0 ? server(&addr) : client(&addr);
}
