/* plain.c — plain04-connect: lab04's core as straight C: the handshake from connect() and accept(). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int server(const struct sockaddr_in *addr)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0); /* Python: s = socket.socket(...) */
	int one = 1;
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(lfd, (const struct sockaddr *)addr, sizeof *addr) != 0 || /* s.bind(...) */
	    listen(lfd, 5) != 0) {                                         /* s.listen(5) */
		perror("server socket/setsockopt/bind/listen");
		return 1;
	}
	struct sockaddr_in peer; /* Python: conn, addr = s.accept() */
	socklen_t len = sizeof peer;
	int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
	if (cfd < 0) {
		perror("accept");
		close(lfd);
		return 1;
	}
	printf("accept() = %d: client 127.0.0.1:%u\n", cfd, (unsigned)ntohs(peer.sin_port));
	char c; /* wait until the client closes: recv() returns 0 at the end of the stream */
	ssize_t n = recv(cfd, &c, 1, 0);
	printf("recv() = %zd\n", n);
	int rc = close(cfd) | close(lfd); /* conn.close(); s.close() */
	return n < 0 || rc != 0;
}

static int client(const struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 ||
	    connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0) { /* s.connect */
		perror("socket/connect");
		return 1;
	}
	struct sockaddr_in me;
	socklen_t len = sizeof me;
	if (getsockname(fd, (struct sockaddr *)&me, &len) != 0) {
		perror("getsockname");
		close(fd);
		return 1;
	}
	printf("connect() = 0: our port %u\n", (unsigned)ntohs(me.sin_port));
	return close(fd) != 0; /* Python: s.close() */
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long port = argc == 3 ? strtol(argv[2], &end, 10) : 8888;
	bool is_server = argc >= 2 && strcmp(argv[1], "server") == 0;
	if (argc < 2 || argc > 3 || (!is_server && strcmp(argv[1], "client") != 0) ||
	    (argc == 3 && (argv[2][0] < '1' || argv[2][0] > '9' || *end || port > 65535))) {
		bool help =
		    argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
		fprintf(help ? stdout : stderr, "usage: plain04-connect server|client [PORT]\n");
		return !help ? 2 : fflush(stdout) == 0 ? 0 : (perror("stdout"), 1);
	}
	struct sockaddr_in addr; /* ('localhost', PORT): 127.0.0.1, the port in network order */
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return is_server ? server(&addr) : client(&addr);
}
