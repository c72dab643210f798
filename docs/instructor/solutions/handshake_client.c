/* handshake_client.c — reference solution for socklab-check handshake-client (lab 04). */
/*
 * The tutorials' first client: socket, connect, send, recv, close. It sends one message,
 * prints the server's answer, reads on until the server has closed its side (recv() returns 0)
 * so nothing is left unread, and closes.
 *
 * Build: cc -Wall -o handshake_client handshake_client.c
 * Check: socklab-check handshake-client -- ./handshake_client {port}
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	int port = atoi(argv[1]);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "%s: bad port: %s\n", argv[0], argv[1]);
		return 2;
	}

	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		perror("socket");
		return 1;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* connect() sends the SYN and returns once the handshake is done. */
	if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("connect");
		return 1;
	}

	const char *msg = "hello, server";
	if (send(s, msg, strlen(msg), 0) < 0) {
		perror("send");
		close(s);
		return 1;
	}
	char buf[1024];
	ssize_t n = recv(s, buf, sizeof buf - 1, 0);
	if (n <= 0) {
		fprintf(stderr, "no answer from the server\n");
		close(s);
		return 1;
	}
	buf[n] = '\0';
	printf("server answered: %s\n", buf);
	/* Read whatever else comes until the server's FIN: close() with unread data would send
	 * a RST instead of a FIN. */
	while (recv(s, buf, sizeof buf, 0) > 0)
		;
	close(s); /* after the server's FIN: TIME_WAIT lands on the server */
	return 0;
}
