/* ui_driver.c — opens a capture and runs the screen, with the capture's knobs (snaplen, kernel
 * buffer) exposed, so the benchmark can show what they do to drops. Not the product: tcpscope
 * is. Usage: ui_driver [-i IFACE] [-p PORT] [-r FILE] [--speed X] [--snaplen N] [--buffer-mb N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/capture.h"
#include "socklab/ui.h"

int main(int argc, char **argv)
{
	struct capture_options co = {.device = "lo"};
	struct ui_options uo = {.speed = 1, .color = getenv("NO_COLOR") == NULL};
	char filter[64] = "", err[256] = "", label[128];
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "ui_driver: %s needs a value\n", a);
			return 2;
		}
		if (strcmp(a, "-i") == 0)
			co.device = v;
		else if (strcmp(a, "-p") == 0)
			snprintf(filter, sizeof filter, "tcp port %d", atoi(v));
		else if (strcmp(a, "-r") == 0)
			co.file = v, co.device = NULL;
		else if (strcmp(a, "--speed") == 0)
			uo.speed = atof(v);
		else if (strcmp(a, "--snaplen") == 0)
			co.snaplen = atoi(v);
		else if (strcmp(a, "--buffer-mb") == 0)
			co.buffer_mb = atoi(v);
		else {
			fprintf(stderr, "ui_driver: unknown option %s\n", a);
			return 2;
		}
	}
	co.filter = filter[0] ? filter : NULL;
	enum capture_error kind;
	struct capture *cap = capture_open(&co, &kind, err, sizeof err);
	if (!cap) {
		fprintf(stderr, "ui_driver: %s\n", err);
		return 1;
	}
	snprintf(label, sizeof label, "%s %s", co.file ? co.file : co.device, filter);
	uo.cap = cap;
	uo.source_label = label;
	int rc = ui_run(&uo, err, sizeof err);
	if (rc)
		fprintf(stderr, "ui_driver: %s\n", err);
	capture_close(cap);
	return rc;
}
