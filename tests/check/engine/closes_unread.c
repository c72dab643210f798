/* closes_unread.c — answers after reading one byte and closes with the rest of the message
 * unread: Linux sends a RST instead of a FIN (the no-reset check's bug). */
#include "engine_util.h"

int main(int argc, char **argv)
{
	int s, c;
	char ch;

	if (argc < 2)
		return 2;
	s = engine_listen(argv[1]);
	c = accept(s, NULL, NULL);
	if (recv(c, &ch, 1, 0) == 1)
		send(c, "hi\n", 3, 0);
	usleep(100000); /* the rest of the message has arrived by now, unread */
	close(c);
	for (;;)
		pause();
}
