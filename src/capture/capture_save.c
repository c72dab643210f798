/* capture_save.c — -w: a live capture's frames written to a pcap file as they are handed over. */
#include "socklab/capture_save.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture_internal.h"

/* The pcap header, then every frame handed over, into fp (closed on failure). */
static int dump_to(struct capture *c, FILE *fp, char *err, size_t errlen)
{
	c->dump = pcap_dump_fopen(c->pcap, fp);
	if (!c->dump) {
		snprintf(err, errlen, "cannot write a capture file: %s", pcap_geterr(c->pcap));
		fclose(fp);
		return -1;
	}
	return 0;
}

int capture_save_open_fd(struct capture *c, int fd, char *err, size_t errlen)
{
	FILE *fp;

	if (c->dump) {
		snprintf(err, errlen, "the capture is already being saved");
		close(fd);
		return -1;
	}
	fp = fdopen(fd, "wb");
	if (!fp) {
		snprintf(err, errlen, "cannot write the capture file: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return dump_to(c, fp, err, errlen);
}

int capture_save_open(struct capture *c, const char *path, char *err, size_t errlen)
{
	FILE *fp;

	if (c->dump) {
		snprintf(err, errlen, "the capture is already being saved");
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		/* a descriptor of its own: tcpscope then points stdout at /dev/null, so that nothing
		 * but the capture file reaches the pipe */
		int fd = dup(STDOUT_FILENO);

		fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
		if (!fp) {
			snprintf(err, errlen, "cannot write the capture to standard output: %s",
			         strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
	} else {
		fp = fopen(path, "wb");
		if (!fp) {
			snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
			return -1;
		}
	}
	return dump_to(c, fp, err, errlen);
}

int capture_save_flush(struct capture *c)
{
	if (!c->dump)
		return 0;
	return pcap_dump_flush(c->dump) == 0 ? 0 : -1;
}

int capture_save_close(struct capture *c)
{
	int rc;

	if (!c->dump)
		return 0;
	/* pcap_dump_close returns nothing: flush first to learn whether the disk took it all */
	rc = capture_save_flush(c);
	if (ferror(pcap_dump_file(c->dump)))
		rc = -1;
	pcap_dump_close(c->dump);
	c->dump = NULL;
	return rc;
}
