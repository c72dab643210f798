/* plain.c — plain05-transfer: lab05's core as straight C: an echo server and client. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Python's sendall(): send() may take fewer bytes than asked, so loop. */
static int send_all(int fd, const char *buf, size_t len)
{
	for (size_t sent = 0; sent < len;) {
		ssize_t n = send(fd, buf + sent, len - sent, 0);
		if (n < 0)
			return -1;
		sent += (size_t)n;
	}
	return 0;
}

static int server(const struct sockaddr_in *addr)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(lfd, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(lfd, 5) != 0) {
		perror("server socket/setsockopt/bind/listen");
		return 1;
	}
	int cfd = accept(lfd, NULL, NULL); /* Python: conn, addr = s.accept() */
	if (cfd < 0) {
		perror("accept");
		return 1;
	}
	char buf[1024];
	ssize_t n;
	while ((n = recv(cfd, buf, sizeof buf, 0)) > 0) {        /* data = conn.recv(1024) */
		printf("got %zd bytes: %.*s\n", n, (int)n, buf); /* data.decode(): bytes, n long */
		if (send_all(cfd, buf, (size_t)n) != 0) {        /* conn.sendall(data) */
			perror("send");
			break;
		}
	}
	if (n < 0) /* n == 0 is Python's "if not data: break": the client closed */
		perror("recv");
	int rc = close(cfd) | close(lfd);
	return n != 0 || rc != 0;
}

static int client(const struct sockaddr_in *addr, const char *msg)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
		perror("socket/connect");
		return 1;
	}
	size_t len = strlen(msg), got = 0;
	char back[1024];
	if (send_all(fd, msg, len) != 0) { /* s.sendall(message.encode()) */
		perror("send");
		close(fd);
		return 1;
	}
	while (got < len) { /* one recv() may return only part of the echo */
		ssize_t n = recv(fd, back + got, len - got, 0);
		if (n <= 0) {
			fprintf(stderr, "recv: %s\n", n == 0 ? "end of stream" : "failed");
			close(fd);
			return 1;
		}
		got += (size_t)n;
	}
	printf("echoed back: %.*s\n", (int)got, back);
	return close(fd) != 0; /* s.close() */
}

int main(int argc, char **argv)
{
	char *end = NULL;
	long port = argc >= 3 ? strtol(argv[2], &end, 10) : 8888;
	bool is_server = argc >= 2 && strcmp(argv[1], "server") == 0;
	const char *msg = argc == 4 ? argv[3] : "hello, socket";
	if (argc < 2 || argc > 4 || (!is_server && strcmp(argv[1], "client") != 0) ||
	    (argc >= 3 && (argv[2][0] < '1' || argv[2][0] > '9' || *end || port > 65535)) ||
	    (argc == 4 && (is_server || strlen(msg) == 0 || strlen(msg) > 1024))) {
		bool help =
		    argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
		fprintf(help ? stdout : stderr,
		        "usage: plain05-transfer server [PORT] | client [PORT [MESSAGE]]\n");
		return !help ? 2 : fflush(stdout) == 0 ? 0 : (perror("stdout"), 1);
	}
	struct sockaddr_in addr; /* ('localhost', PORT) */
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return is_server ? server(&addr) : client(&addr, msg);
}
