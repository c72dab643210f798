/* cli_errors.c — what to tell the user when the capture cannot be opened, by kind of failure. */
#include "cli.h"

#include <stdio.h>

int cli_capture_failed(const struct cli_options *o, enum capture_error kind, const char *msg)
{
	char devs[1024];

	switch (kind) {
	case CAPTURE_ERR_PERMISSION:
		fprintf(
		    stderr,
		    "tcpscope: %s\n"
		    "  Capturing packets needs the CAP_NET_RAW capability. Either run it as root:\n"
		    "    sudo tcpscope ...\n"
		    "  or, once, give the program the capability:\n"
		    "    sudo setcap cap_net_raw,cap_net_admin+eip $(command -v tcpscope)\n"
		    "  Without either, replay a capture file instead:  tcpscope -r file.pcap\n",
		    msg);
		return 1;
	case CAPTURE_ERR_NO_DEVICE:
		capture_list_devices(devs, sizeof devs);
		fprintf(stderr, "tcpscope: %s; interfaces here: %s\n", msg,
		        devs[0] ? devs : "(none found)");
		return 2;
	case CAPTURE_ERR_FILTER:
		fprintf(stderr, "tcpscope: %s; try 'tcpscope --help'\n", msg);
		return 2;
	case CAPTURE_ERR_FILE:
	case CAPTURE_ERR_LINKTYPE:
		/* The file the user named is not one we can take (not a capture, empty, a link
		 * type we do not decode): bad input, like a bad option. A file that breaks off
		 * part way is reported after what it held, as a runtime failure. */
		fprintf(stderr, "tcpscope: %s\n", msg);
		return 2;
	case CAPTURE_OK:
	case CAPTURE_ERR_OTHER:
		break;
	}
	(void)o;
	fprintf(stderr, "tcpscope: %s\n", msg);
	return 1;
}
