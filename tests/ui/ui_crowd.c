/* ui_crowd.c — a busy host for the kernel view's screen test: N listening sockets on 127.0.0.1
 * at ports the kernel picks (port 0), held open, so sock_diag lists more than the view's cap. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[1]) < 1) {
		fprintf(stderr,
		        "usage: ui_crowd N HOLD_MS\n"
		        "  holds N listeners on 127.0.0.1 (ports the kernel picks) for HOLD_MS,\n"
		        "  printing \"ready\" once they are all open\n");
		return 2;
	}
	int n = atoi(argv[1]);
	long hold = atol(argv[2]);
	struct rlimit rl;
	/* one descriptor per listener: raise the soft limit as far as the hard one allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)n + 16 ? rl.rlim_max : (rlim_t)n + 16;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
		    listen(fd, 1) != 0) {
			fprintf(stderr, "ui_crowd: listener %d: %s\n", i + 1, strerror(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	struct timespec ts = {hold / 1000, (hold % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}
