/* demo_session.c — the loopback session recorded in demo-loopback.pcap: one client, one
 * server on 127.0.0.1:9998, a message each way, a clean close; then a refused connection.
 * Everything runs in one thread: loopback delivers in order, so no step can deadlock. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DEMO_PORT    9998
#define REFUSED_PORT 9997

static void die(const char *what)
{
	fprintf(stderr, "demo_session: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A short pause so each step stands apart on the ladder diagram. */
static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void expect_read(int fd, const char *what, const char *want)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0)
		die(what);
	if ((size_t)n != strlen(want) || memcmp(buf, want, (size_t)n) != 0) {
		fprintf(stderr, "demo_session: %s: unexpected %zd bytes\n", what, n);
		exit(1);
	}
}

int main(void)
{
	struct sockaddr_in srv = loopback(DEMO_PORT);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
		die("socket");
	if (bind(lfd, (struct sockaddr *)&srv, sizeof srv) < 0)
		die("bind 127.0.0.1:9998");
	if (listen(lfd, 1) < 0)
		die("listen");

	int cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&srv, sizeof srv) < 0)
		die("connect");
	int afd = accept(lfd, NULL, NULL); /* the handshake finished already: it sits queued */
	if (afd < 0)
		die("accept");
	close(lfd);
	pause_ms(50);

	if (write(cfd, "hello\n", 6) != 6)
		die("client write");
	expect_read(afd, "server read", "hello\n");
	pause_ms(50);
	if (write(afd, "world\n", 6) != 6)
		die("server write");
	expect_read(cfd, "client read", "world\n");
	pause_ms(50);

	close(cfd); /* active close: the client goes to FIN_WAIT_1, later TIME_WAIT */
	char c;
	if (read(afd, &c, 1) != 0)
		die("server read EOF");
	pause_ms(50);
	close(afd); /* passive close: CLOSE_WAIT -> LAST_ACK -> CLOSED */
	pause_ms(100);

	struct sockaddr_in closed = loopback(REFUSED_PORT);
	int rfd = socket(AF_INET, SOCK_STREAM, 0);
	if (rfd < 0)
		die("socket");
	if (connect(rfd, (struct sockaddr *)&closed, sizeof closed) == 0 || errno != ECONNREFUSED) {
		fprintf(stderr, "demo_session: port %d was expected to refuse\n", REFUSED_PORT);
		return 1;
	}
	close(rfd);
	pause_ms(50);
	return 0;
}
