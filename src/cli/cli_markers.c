/* cli_markers.c — opens the socket the labs' syscall markers arrive on, for a live capture. */
#include "cli.h"

#include "socklab/kernel.h"

struct marker_rx *cli_markers_open(const struct cli_options *o)
{
	char err[256];
	uint16_t ports[KERNEL_PORTS_MAX];

	if (o->no_markers || o->file)
		return NULL; /* a file was captured without any lab beside this tcpscope */
	struct marker_rx *rx = marker_rx_open(o->marker_socket, err, sizeof err);
	if (!rx) {
		/* the capture works without them: say so once and go on */
		cli_error("no syscall markers: %s", err);
		return NULL;
	}
	/* markers of other labs (other ports) would only confuse the picture */
	int n = kernel_filter_ports(o->filter, ports, KERNEL_PORTS_MAX);
	if (n > 0)
		marker_rx_set_ports(rx, ports, (size_t)n);
	return rx;
}
