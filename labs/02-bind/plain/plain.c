/* plain.c — plain02-bind: lab02's core as straight C: socket(), bind() to 127.0.0.1:PORT. */
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
	char *end = NULL;
	long port = argc == 2 ? strtol(argv[1], &end, 10) : 8888;
	if (argc > 2 ||
	    (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9' || *end || port > 65535))) {
		bool help =
		    argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
		fprintf(help ? stdout : stderr,
		        "usage: plain02-bind [PORT]  (0-65535, default 8888)\n");
		return !help ? 2 : fflush(stdout) == 0 ? 0 : (perror("stdout"), 1);
	}

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}

	/* Python: s.bind(('localhost', 8888)) -- localhost is 127.0.0.1; the port in network order */
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		perror("bind");
		close(fd);
		return 1;
	}

	/* Which port did we get? (port 0 lets the kernel choose) */
	struct sockaddr_in me;
	socklen_t len = sizeof me;
	if (getsockname(fd, (struct sockaddr *)&me, &len) != 0) {
		perror("getsockname");
		close(fd);
		return 1;
	}
	printf("bound to 127.0.0.1:%u\n", (unsigned)ntohs(me.sin_port));

	/* Python: s.close() */
	if (close(fd) != 0) {
		perror("close");
		return 1;
	}
	return 0;
}
