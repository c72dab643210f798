/* client.c — lab 07 exercise: an echo client for the lines typed on stdin. */
/*
 * Write the TODOs. As it is, the program builds and runs but stops at the first TODO.
 *
 * Build: cc -Wall -o client client.c
 * Check: socklab-check echo-client -- ./client {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Send all of buf: send() may write less than asked. Returns 0, or -1 on an error. */
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

/* Receive exactly len bytes into buf. Returns 0, or -1 when the connection ended first. */
static int recv_all(int fd, char *buf, size_t len)
{
	/* TODO 3: TCP is a byte stream: one recv() may return only part of the echo. Call
	 * recv() in a loop until len bytes have arrived; return -1 if it returns 0 or -1. */
	(void)fd; /* the (void) lines only keep the compiler quiet until you write the TODO */
	(void)buf;
	(void)len;
	return -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT   (lines to echo on stdin)\n", argv[0]);
		return 2;
	}
	int port = atoi(argv[1]);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "%s: bad port: %s\n", argv[0], argv[1]);
		return 2;
	}

	/* TODO 1: socket() and connect() to 127.0.0.1:port (lab 04); on failure perror and
	 * return 1. */
	int s = -1;
	if (s < 0) {
		fprintf(stderr, "TODO 1: not connected yet\n");
		return 1;
	}

	char line[1024];
	char echo[1024] = "";
	while (fgets(line, sizeof line, stdin) != NULL) {
		size_t len = strlen(line);
		/* TODO 2: send_all() the line, then recv_all() its len bytes of echo into echo;
		 * if either fails, say so on stderr, close(s) and return 1. */
		(void)send_all;
		(void)recv_all;
		printf("echo: %.*s", (int)len, echo);
		fflush(stdout);
	}
	/* TODO 4: stdin is at its end: close(s). The client closes first, so the TIME_WAIT
	 * lands on its side. */
	return 0;
}
