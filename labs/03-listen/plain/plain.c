/* plain.c — plain03-listen: lab03's core as straight C: socket(), bind(), listen(fd, 5). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end1 = NULL, *end2 = NULL;
	long port = argc >= 2 ? strtol(argv[1], &end1, 10) : 8888;
	long hold = argc >= 3 ? strtol(argv[2], &end2, 10) : 0;
	if (argc > 3 ||
	    (argc >= 2 && (argv[1][0] < '1' || argv[1][0] > '9' || *end1 || port > 65535)) ||
	    (argc == 3 && (argv[2][0] < '0' || argv[2][0] > '9' || *end2 || hold > 3600))) {
		bool help =
		    argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
		fprintf(help ? stdout : stderr, "usage: plain03-listen [PORT [SECONDS]]  (default "
		                                "8888; stay listening SECONDS)\n");
		return !help ? 2 : fflush(stdout) == 0 ? 0 : (perror("stdout"), 1);
	}

	int fd = socket(AF_INET, SOCK_STREAM, 0); /* Python: socket.socket(AF_INET, SOCK_STREAM) */
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	int one = 1; /* a restarted server may bind while old connections are in TIME_WAIT */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
		perror("setsockopt");
		close(fd);
		return 1;
	}
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Python: s.bind(('localhost', 8888)) */
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		perror("bind");
		close(fd);
		return 1;
	}

	/* Python: s.listen(5) */
	if (listen(fd, 5) != 0) {
		perror("listen");
		close(fd);
		return 1;
	}
	printf("listening on 127.0.0.1:%ld for %ld s\n", port, hold);
	fflush(stdout);
	sleep((unsigned)hold);

	if (close(fd) != 0) { /* Python: s.close() */
		perror("close");
		return 1;
	}
	return 0;
}
