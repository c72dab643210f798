/* threads_client_never_closes.c — broken threads-client: never closes its socket (close-wait). */
#include "student.h"

static const char *const messages[] = {"mindthink", "code change the world", "hello world", "exit"};

int main(int argc, char **argv)
{
	int s = student_connect(student_port(argc, argv));
	char buf[1024];
	if (recv(s, buf, sizeof buf, 0) <= 0) /* Welcome! */
		return 1;
	for (int i = 0; i < 4; i++) {
		send(s, messages[i], strlen(messages[i]), 0);
		if (i < 3 && recv(s, buf, sizeof buf, 0) <= 0)
			return 1;
	}
	/* BUG: the server ended the session (its FIN arrives), but this client goes on with
	 * other work and never calls close(s): its side stays in CLOSE_WAIT until it exits. */
	sleep(4);
	return 0;
}
