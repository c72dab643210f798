/* cli_errors.c — what to tell the user when the capture cannot be opened, by kind of failure. */
#include "cli.h"
#include <errno.h>

#include <stdio.h>
#include <unistd.h>

int cli_capture_failed(const struct cli_options *o, enum capture_error kind, const char *msg)
{
	char devs[1024];

	switch (kind) {
	case CAPTURE_ERR_PERMISSION:
		cli_error("%s", msg); /* the message first, escaped; then the advice */
		fprintf(
		    stderr,
		    "  Capturing packets needs the CAP_NET_RAW capability. Either run it as root:\n"
		    "    sudo tcpscope ...\n"
		    "  or, once, give the program the capability:\n"
		    "    sudo setcap cap_net_raw,cap_net_admin,cap_setpcap+ep $(command -v "
		    "tcpscope)\n"
		    "  Without either, replay a capture file instead:  tcpscope -r file.pcap\n");
		return 1;
	case CAPTURE_ERR_NO_DEVICE:
		capture_list_devices(devs, sizeof devs);
		cli_error("%s; interfaces here: %s", msg, devs[0] ? devs : "(none found)");
		return 2;
	case CAPTURE_ERR_FILTER:
		cli_error("%s; try 'tcpscope --help'", msg);
		return 2;
	case CAPTURE_ERR_FILE:
	case CAPTURE_ERR_LINKTYPE:
		/* The file the user named is not one we can take (not a capture, empty, a link
		 * type we do not decode): bad input, like a bad option. A file that breaks off
		 * part way is reported after what it held, as a runtime failure. */
		if (kind == CAPTURE_ERR_FILE && o->dropped_to && !o->file_opened_early &&
		    access(o->file, R_OK) != 0 && errno == EACCES)
			/* started as root, it opened the file (a FIFO: see cli_open_capture_file) as
			 * -Z USER, who may not read it */
			cli_error(
			    "%s (opened as user '%s': with -r, tcpscope gives up root before it "
			    "opens a FIFO; run it without sudo, or choose the user with -Z)",
			    msg, o->dropped_to);
		else
			cli_error("%s", msg);
		return 2;
	case CAPTURE_OK:
	case CAPTURE_ERR_OTHER:
		break;
	}
	cli_error("%s", msg);
	return 1;
}
