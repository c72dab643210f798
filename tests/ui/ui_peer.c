/* ui_peer.c — a client and a server on loopback in one process, for the screen tests: listen,
 * connect, exchange one message, hold the connection open, then close (client first). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "ui_peer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ui_peer PORT HOLD_MS [listen-first-ms]\n"
		                "  listens on 127.0.0.1:PORT, connects to it, sends \"hello\",\n"
		                "  holds HOLD_MS, closes the client then the server\n");
		return 2;
	}
	int port = atoi(argv[1]);
	long hold = atol(argv[2]);
	long before = argc > 3 ? atol(argv[3]) : 0;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
		die("socket");
	if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 8) != 0)
		die("bind/listen");
	sleep_ms(before); /* a LISTEN socket alone, for the kernel view */
	int cs = socket(AF_INET, SOCK_STREAM, 0);
	if (cs < 0 || connect(cs, (struct sockaddr *)&a, sizeof a) != 0)
		die("connect");
	int ss = accept(ls, NULL, NULL);
	if (ss < 0)
		die("accept");
	char buf[16];
	if (write(cs, "hello", 5) != 5 || read(ss, buf, sizeof buf) <= 0)
		die("exchange");
	sleep_ms(hold);
	close(cs);
	sleep_ms(50);
	close(ss);
	close(ls);
	return 0;
}
