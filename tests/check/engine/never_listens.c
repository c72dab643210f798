/* never_listens.c — binds the port but never calls listen(), then waits forever. */
#include "engine_util.h"

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (argc < 2)
		return 2;
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(s, (struct sockaddr *)&a, sizeof a);
	for (;;)
		pause();
}
