/* bench_ui_loadgen.c — load for the screen benchmark: RATE loopback connections per second for
 * SECONDS (connect, close; the server side accepts and closes), then prints what it made.
 * Client sources spread over 127.0.0.2-201 so 10k/s for 10 s does not run out of ports. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void drain(int ls, unsigned long *accepted)
{
	int fd;
	while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		close(fd);
		(*accepted)++;
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ui_loadgen PORT RATE_PER_SEC SECONDS\n");
		return 2;
	}
	int port = atoi(argv[1]);
	double rate = atof(argv[2]), secs = atof(argv[3]);
	if (port <= 0 || port > 65535 || rate <= 0 || secs <= 0 || secs > 60) {
		fprintf(stderr, "ui_loadgen: bad arguments (SECONDS at most 60)\n");
		return 2;
	}
	struct sockaddr_in srv = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	srv.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(ls, (struct sockaddr *)&srv, sizeof srv) != 0 || listen(ls, 4096) != 0) {
		perror("ui_loadgen: listen");
		return 1;
	}
	unsigned long made = 0, failed = 0, accepted = 0;
	double start = now(), end = start + secs;
	for (double t = now(); t < end; t = now()) {
		/* how many connections should exist by now: keeps the rate without bursts */
		unsigned long due = (unsigned long)((t - start) * rate);
		while (made + failed < due) {
			int c = socket(AF_INET, SOCK_STREAM, 0);
			struct sockaddr_in src = {.sin_family = AF_INET};
			src.sin_addr.s_addr =
			    htonl(0x7f000002u + (uint32_t)((made + failed) % 200));
			setsockopt(c, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
			if (c < 0 || bind(c, (struct sockaddr *)&src, sizeof src) != 0 ||
			    connect(c, (struct sockaddr *)&srv, sizeof srv) != 0)
				failed++;
			else
				made++;
			if (c >= 0)
				close(c);
			if ((made + failed) % 64 == 0)
				drain(ls, &accepted);
		}
		drain(ls, &accepted);
		struct timespec ts = {0, 500000}; /* 0.5 ms */
		nanosleep(&ts, NULL);
	}
	double took = now() - start;
	for (int i = 0; i < 100; i++) {
		drain(ls, &accepted);
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
	close(ls);
	printf("connections %lu failed %lu accepted %lu seconds %.2f rate %.0f/s\n", made, failed,
	       accepted, took, made / took);
	return failed ? 1 : 0;
}
