/* cli_save.c — -w: start saving the live capture, and keep stdout for the capture alone. */
#include "cli.h"

#include <string.h>

#include "socklab/capture_save.h"

int cli_save_start(const struct cli_options *o, struct capture *cap, char *err, size_t errlen)
{
	if (capture_save_open(cap, o->write_file, err, errlen) != 0)
		return -1;
	/* With "-w -" stdout carries the capture (through its own descriptor): the stream, which
	 * --format=none or the default asked not to show, goes nowhere instead. */
	if (o->stream_none || strcmp(o->write_file, "-") == 0) {
		if (!freopen("/dev/null", "w", stdout)) {
			snprintf(err, errlen, "cannot open /dev/null for the unused text stream");
			return -1;
		}
	}
	return 0;
}
