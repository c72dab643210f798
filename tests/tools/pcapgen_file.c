/* pcapgen_file.c — writes frames as classic pcap, pcapng, or fuzz-target records. */
#include "pcapgen.h"

#include <errno.h>
#include <string.h>

#include "fuzz_input.h"

static bool put(struct pcapgen_writer *w, const void *p, size_t n, char *err, size_t errlen)
{
	if (n && fwrite(p, 1, n, w->f) != n) {
		snprintf(err, errlen, "write failed: %s", strerror(errno));
		return false;
	}
	return true;
}

/* pcap and pcapng are written in this host's byte order; readers detect it by the magic. */
static bool put32(struct pcapgen_writer *w, uint32_t v, char *err, size_t errlen)
{
	return put(w, &v, 4, err, errlen);
}

static bool put16(struct pcapgen_writer *w, uint16_t v, char *err, size_t errlen)
{
	return put(w, &v, 2, err, errlen);
}

static bool header(struct pcapgen_writer *w, char *err, size_t errlen)
{
	/* DLT_RAW is 12 on Linux but 14 on some BSDs; files use LINKTYPE_RAW (101) */
	uint32_t link = w->link == DECODE_LINK_RAW ? DECODE_LINK_RAW_ALT : (uint32_t)w->link;
	switch (w->format) {
	case PCAPGEN_PCAP:
		return put32(w, 0xa1b2c3d4, err, errlen) && put16(w, 2, err, errlen) &&
		       put16(w, 4, err, errlen) && put32(w, 0, err, errlen) &&
		       put32(w, 0, err, errlen) && put32(w, w->snaplen, err, errlen) &&
		       put32(w, link, err, errlen);
	case PCAPGEN_PCAPNG:
		/* Section Header Block: no options, section length unknown (-1) */
		if (!(put32(w, 0x0a0d0d0a, err, errlen) && put32(w, 28, err, errlen) &&
		      put32(w, 0x1a2b3c4d, err, errlen) && put16(w, 1, err, errlen) &&
		      put16(w, 0, err, errlen) && put32(w, 0xffffffff, err, errlen) &&
		      put32(w, 0xffffffff, err, errlen) && put32(w, 28, err, errlen)))
			return false;
		/* Interface Description Block: default resolution is microseconds */
		return put32(w, 1, err, errlen) && put32(w, 20, err, errlen) &&
		       put16(w, (uint16_t)link, err, errlen) && put16(w, 0, err, errlen) &&
		       put32(w, w->snaplen, err, errlen) && put32(w, 20, err, errlen);
	case PCAPGEN_FUZZ:
		return true;
	}
	return false;
}

bool pcapgen_writer_open(struct pcapgen_writer *w, const char *out, enum pcapgen_format format,
                         int link, uint32_t snaplen, char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->format = format;
	w->link = link;
	w->snaplen = snaplen ? snaplen : 262144;
	if (format == PCAPGEN_FUZZ && fuzz_selector_for(link) < 0) {
		snprintf(err, errlen, "link %d has no fuzz selector", link);
		return false;
	}
	if (strcmp(out, "-") == 0) {
		w->f = stdout;
	} else {
		w->f = fopen(out, "wb");
		if (!w->f) {
			snprintf(err, errlen, "%s: %s", out, strerror(errno));
			return false;
		}
	}
	if (!header(w, err, errlen)) {
		if (w->f != stdout)
			fclose(w->f);
		w->f = NULL;
		return false;
	}
	return true;
}

static bool fuzz_record(struct pcapgen_writer *w, int64_t usec, const uint8_t *frame, size_t caplen,
                        char *err, size_t errlen)
{
	int64_t units = w->any ? (usec - w->last_usec) / (int64_t)(FUZZ_TIME_UNIT * 1e6) : 0;
	uint8_t hdr[FUZZ_RECORD_HEADER];
	hdr[0] = (uint8_t)fuzz_selector_for(w->link);
	hdr[1] = (uint8_t)(units < 0 ? 0 : units > 255 ? 255 : units);
	if (caplen > 0xffff)
		caplen = 0xffff;
	hdr[2] = (uint8_t)(caplen >> 8);
	hdr[3] = (uint8_t)caplen;
	w->last_usec = usec;
	return put(w, hdr, sizeof(hdr), err, errlen) && put(w, frame, caplen, err, errlen);
}

bool pcapgen_writer_frame(struct pcapgen_writer *w, int64_t usec, const uint8_t *frame,
                          size_t caplen, size_t len, char *err, size_t errlen)
{
	static const uint8_t zeros[4] = {0};
	if (caplen > w->snaplen)
		caplen = w->snaplen;
	bool ok = false;
	uint32_t sec = (uint32_t)(usec / 1000000), frac = (uint32_t)(usec % 1000000);
	size_t pad = (4 - caplen % 4) % 4;
	uint32_t blen = (uint32_t)(32 + caplen + pad);
	switch (w->format) {
	case PCAPGEN_PCAP:
		ok = put32(w, sec, err, errlen) && put32(w, frac, err, errlen) &&
		     put32(w, (uint32_t)caplen, err, errlen) &&
		     put32(w, (uint32_t)len, err, errlen) && put(w, frame, caplen, err, errlen);
		break;
	case PCAPGEN_PCAPNG: /* Enhanced Packet Block, timestamp as 64-bit microseconds */
		ok = put32(w, 6, err, errlen) && put32(w, blen, err, errlen) &&
		     put32(w, 0, err, errlen) &&
		     put32(w, (uint32_t)((uint64_t)usec >> 32), err, errlen) &&
		     put32(w, (uint32_t)usec, err, errlen) &&
		     put32(w, (uint32_t)caplen, err, errlen) &&
		     put32(w, (uint32_t)len, err, errlen) && put(w, frame, caplen, err, errlen) &&
		     put(w, zeros, pad, err, errlen) && put32(w, blen, err, errlen);
		break;
	case PCAPGEN_FUZZ:
		ok = fuzz_record(w, usec, frame, caplen, err, errlen);
		break;
	}
	w->any = true;
	return ok;
}

bool pcapgen_writer_close(struct pcapgen_writer *w, char *err, size_t errlen)
{
	if (!w->f)
		return true;
	bool ok = fflush(w->f) == 0;
	if (w->f != stdout)
		ok = fclose(w->f) == 0 && ok;
	w->f = NULL;
	if (!ok)
		snprintf(err, errlen, "closing output: %s", strerror(errno));
	return ok;
}
