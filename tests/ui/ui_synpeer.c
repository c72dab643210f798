/* ui_synpeer.c — a client that gives up in SYN_SENT without a word on the wire, for the kernel
 * view's screen test: a listener whose accept queue is full (backlog 0, one connection never
 * accepted) drops further SYNs silently, and a client with TCP_SYNCNT retries stops after
 * them (connect() fails with ETIMEDOUT; no RST is sent either way). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ui_synpeer PORT SYN_RETRIES HOLD_MS\n"
		                "  fills the accept queue of a listener on 127.0.0.1:PORT, then a\n"
		                "  client with SYN_RETRIES retries connects, gives up, and the\n"
		                "  listener stays HOLD_MS longer\n");
		return 2;
	}
	int port = atoi(argv[1]), retries = atoi(argv[2]);
	long hold = atol(argv[3]);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 0) != 0) {
		perror("ui_synpeer: listener");
		return 1;
	}
	/* the one connection the queue holds, never accepted */
	int first = socket(AF_INET, SOCK_STREAM, 0);
	if (first < 0 || connect(first, (struct sockaddr *)&a, sizeof a) != 0) {
		perror("ui_synpeer: first connect");
		return 1;
	}
	sleep_ms(300);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || setsockopt(c, IPPROTO_TCP, TCP_SYNCNT, &retries, sizeof retries) != 0) {
		perror("ui_synpeer: client");
		return 1;
	}
	int rc = connect(c, (struct sockaddr *)&a, sizeof a);
	int e = errno;
	if (rc == 0 || e != ETIMEDOUT) {
		fprintf(stderr, "ui_synpeer: connect: expected ETIMEDOUT, got %s\n",
		        rc == 0 ? "success" : strerror(e));
		return 1;
	}
	close(c);
	sleep_ms(hold);
	close(first);
	close(ls);
	return 0;
}
