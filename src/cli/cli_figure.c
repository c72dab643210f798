/* cli_figure.c — --format=svg: read a whole capture file, track it, write the figure. */
#include "cli.h"

int cli_figure(const struct cli_options *o, struct capture *cap)
{
	(void)o;
	(void)cap;
	fprintf(stderr, "tcpscope: --format=svg is not written yet\n");
	return 1;
}
