/* engine_util.h — what the engine tests' tiny programs share: the port from argv, a listening
 * socket on 127.0.0.1, and a pid file, so each program shows only its one misbehaviour. */
#ifndef SOCKLAB_ENGINE_UTIL_H
#define SOCKLAB_ENGINE_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static inline int engine_listen(const char *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0) {
		perror("listen");
		exit(1);
	}
	return s;
}

/* Write this process's pid to path (the test checks it is gone afterwards). */
static inline void engine_pidfile(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%d\n", (int)pid);
		fclose(f);
	}
}

#endif
