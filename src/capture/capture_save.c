/* capture_save.c — -w: a live capture's frames written to a pcap file as they are handed over. */
#include "socklab/capture_save.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_internal.h"

#define KEEP_MAX_BYTES (4u << 20)

static void keep_free(struct capture *c)
{
	if (!c->keep)
		return;
	free(c->keep->hdr);
	free(c->keep->bytes);
	free(c->keep);
	c->keep = NULL;
}

int capture_save_keep(struct capture *c, uint32_t max_frames)
{
	struct capture_keep *k;
	int snap = pcap_snapshot(c->pcap);
	uint32_t slot = snap > 0 && snap < 65536 ? (uint32_t)snap : 65535;

	keep_free(c);
	if (max_frames > KEEP_MAX_BYTES / slot)
		max_frames = KEEP_MAX_BYTES / slot;
	if (max_frames == 0)
		return 0;
	k = calloc(1, sizeof *k);
	if (!k)
		return -1;
	k->hdr = calloc(max_frames, sizeof *k->hdr);
	k->bytes = malloc((size_t)max_frames * slot);
	k->slot = slot;
	k->cap = max_frames;
	c->keep = k;
	if (!k->hdr || !k->bytes) {
		keep_free(c);
		return -1;
	}
	return 0;
}

void capture_save_remember(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *bytes)
{
	struct capture_keep *k = c->keep;
	uint32_t i = (k->head + k->count) % k->cap;
	uint32_t n = h->caplen < k->slot ? h->caplen : k->slot;

	if (k->count == k->cap) { /* full: the oldest goes */
		i = k->head;
		k->head = (k->head + 1) % k->cap;
		k->forgotten++;
	} else {
		k->count++;
	}
	k->hdr[i] = *h;
	k->hdr[i].caplen = n;
	memcpy(k->bytes + (size_t)i * k->slot, bytes, n);
}

void capture_save_kept(const struct capture *c, uint64_t *kept, uint64_t *forgotten)
{
	*kept = c->keep ? c->keep->count : 0;
	*forgotten = c->keep ? c->keep->forgotten : 0;
}

/* The pcap header, then the kept frames, oldest first, then every frame handed over from now
 * on, into fp (closed on failure). */
static int dump_to(struct capture *c, FILE *fp, char *err, size_t errlen)
{
	c->dump = pcap_dump_fopen(c->pcap, fp);
	if (!c->dump) {
		snprintf(err, errlen, "cannot write a capture file: %s", pcap_geterr(c->pcap));
		fclose(fp);
		return -1;
	}
	if (c->keep) {
		const struct capture_keep *k = c->keep;
		for (uint32_t j = 0; j < k->count; j++) {
			uint32_t i = (k->head + j) % k->cap;
			pcap_dump((u_char *)c->dump, &k->hdr[i], k->bytes + (size_t)i * k->slot);
		}
		keep_free(c); /* from here on the file has them */
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

	keep_free(c);
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
