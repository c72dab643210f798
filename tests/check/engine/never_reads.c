/* never_reads.c — listens and accepts, but never reads or closes: every wait of the checker
 * runs into its deadline. argv[2], if given, receives its pid. */
#include "engine_util.h"

int main(int argc, char **argv)
{
	int s;

	if (argc < 2)
		return 2;
	s = engine_listen(argv[1]);
	if (argc > 2)
		engine_pidfile(argv[2], getpid());
	for (;;)
		accept(s, NULL, NULL);
}
