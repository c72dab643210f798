/* plain.c — plain08-threads: lab08's core as straight C: the tutorials' server, one thread per
 * connection (Welcome!, Hello, <message>! per recv(), exit ends the session). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 64

static void *tcplink(void *arg) /* Python: def tcplink(sock, addr): */
{
	int fd = (int)(intptr_t)arg;
	char data[1025], reply[1100];
	/* sock.send(b'Welcome!') */
	for (bool ok = send(fd, "Welcome!", 8, 0) == 8; ok;) {
		ssize_t n = recv(fd, data, sizeof data - 1, 0); /* data = sock.recv(1024) */
		if (n <= 0)
			break; /* if not data: break */
		data[n] = '\0';
		if (strcmp(data, "exit") == 0) /* ... or data.decode('utf-8') == 'exit' */
			break;
		int len = snprintf(reply, sizeof reply, "Hello, %s!", data);
		if (send(fd, reply, (size_t)len, 0) != len) /* sock.send(('Hello, %s!' % ...)) */
			break;
	}
	close(fd); /* sock.close() */
	return NULL;
}

int main(int argc, char **argv)
{
	char *end = NULL, *end2 = NULL;
	long port = argc >= 2 ? strtol(argv[1], &end, 10) : 8888;
	long count = argc == 3 ? strtol(argv[2], &end2, 10) : 1;
	if (argc > 3 || (end && (*end || port < 1 || port > 65535)) ||
	    (end2 && (*end2 || count < 1 || count > MAX_CLIENTS))) {
		fprintf(stderr, "usage: plain08-threads [PORT [CLIENTS (1-%d)]]\n", MAX_CLIENTS);
		return 2;
	}
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 5) != 0) {
		perror("socket/setsockopt/bind/listen");
		return 1;
	}
	pthread_t tid[MAX_CLIENTS];
	long started = 0;
	while (started < count) {
		int fd = accept(lfd, NULL, NULL); /* sock, addr = s.accept() */
		if (fd < 0)
			break;
		/* t = threading.Thread(target=tcplink, args=(sock, addr)); t.start() */
		if (pthread_create(&tid[started], NULL, tcplink, (void *)(intptr_t)fd) != 0) {
			close(fd);
			break;
		}
		started++;
	}
	for (long i = 0; i < started; i++) /* the tutorial never joins; a C server must */
		pthread_join(tid[i], NULL);
	printf("%ld session%s served\n", started, started == 1 ? "" : "s");
	return close(lfd) != 0 || started != count;
}
