/* plain.c — plain01-socket: lab01's core as straight C, no narration: socket(), then close(). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		bool help = strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr, "usage: plain01-socket (no arguments)\n");
		return !help ? 2 : fflush(stdout) == 0 ? 0 : (perror("stdout"), 1);
	}

	/* Python: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM) */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	printf("socket(AF_INET, SOCK_STREAM, 0) = %d\n", fd);

	/* Python: s.close() */
	if (close(fd) != 0) {
		perror("close");
		return 1;
	}
	printf("close(%d) = 0\n", fd);
	return 0;
}
