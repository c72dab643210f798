/* capture.c — live and offline packet sources over libpcap, each frame decoded as it arrives. */
#include "socklab/capture.h"
#include "capture_internal.h"
#include "socklab/capture_save.h"

#include <net/if.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define CAPTURE_DEFAULT_BUFFER_MB 8
#define CAPTURE_DEFAULT_DEVICE    "lo"
#define CAPTURE_DEFAULT_FILTER    "tcp"
/* "tcp" alone does not see past 802.1Q / QinQ tags: on Ethernet, look inside up to two. */
#define CAPTURE_DEFAULT_FILTER_ETH "tcp or (vlan and (tcp or (vlan and tcp)))"
/* Live captures keep headers only: in immediate mode every ring slot is snaplen bytes, so a
 * 256 KiB snaplen leaves room for ~120 frames in an 8 MiB buffer and a burst of connections
 * drops packets; 256 bytes covers Ethernet + 2 tags + IPv6 with extension headers + TCP with
 * options, and payload lengths come from the IP headers anyway. */
#define CAPTURE_LIVE_SNAPLEN 256

/* What pcap_dispatch's callback needs; lives on capture_dispatch's stack. */
struct dispatch_ctx {
	struct capture *c; /* the kept frames (capture_save_remember) change */
	capture_batch_fn fn;
	void *user;
};

/* Sets the failure kind and a one-line message. */
__attribute__((format(printf, 5, 6))) static void
fail(enum capture_error *kind, enum capture_error k, char *err, size_t errlen, const char *fmt, ...)
{
	if (kind)
		*kind = k;
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* libpcap messages sometimes end in a newline; callers want one line. */
	char *nl = strchr(err, '\n');
	if (nl)
		*nl = '\0';
}

static pcap_t *open_offline(const struct capture_options *opt, enum capture_error *kind, char *err,
                            size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	/* Nanosecond precision keeps loopback timings apart; libpcap scales microsecond files. */
	pcap_t *p;
	if (opt->file_stream) {
		/* on success pcap_close() closes it; on failure it is still ours */
		p = pcap_fopen_offline_with_tstamp_precision(opt->file_stream,
		                                             PCAP_TSTAMP_PRECISION_NANO, ebuf);
		if (!p)
			fclose(opt->file_stream);
	} else {
		p = pcap_open_offline_with_tstamp_precision(opt->file, PCAP_TSTAMP_PRECISION_NANO,
		                                            ebuf);
	}
	if (!p) {
		const char *name = strcmp(opt->file, "-") == 0 ? "standard input" : opt->file;
		fail(kind, CAPTURE_ERR_FILE, err, errlen, "cannot read capture file %s: %s", name,
		     ebuf);
	}
	return p;
}

static enum capture_error activate_error_kind(int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return CAPTURE_ERR_PERMISSION;
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return CAPTURE_ERR_NO_DEVICE;
	default:
		return CAPTURE_ERR_OTHER;
	}
}

/* Does the kernel flag this device as a loopback (lo)? Its capture counters count each frame
 * twice (capture_get_stats). */
static bool device_is_loopback(const char *dev)
{
	struct ifreq ifr;
	if (!dev || strlen(dev) >= sizeof ifr.ifr_name)
		return false;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0); /* any socket answers this ioctl */
	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, dev, strlen(dev));
	bool lo = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_LOOPBACK);
	close(fd);
	return lo;
}

static pcap_t *open_live(const struct capture_options *opt, enum capture_error *kind, char *err,
                         size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const char *dev = opt->device ? opt->device : CAPTURE_DEFAULT_DEVICE;
	pcap_t *p = pcap_create(dev, ebuf);
	if (!p) {
		fail(kind, CAPTURE_ERR_OTHER, err, errlen, "cannot capture on %s: %s", dev, ebuf);
		return NULL;
	}
	int snaplen = opt->snaplen > 0 ? opt->snaplen : CAPTURE_LIVE_SNAPLEN;
	int buffer_mb = opt->buffer_mb > 0 ? opt->buffer_mb : CAPTURE_DEFAULT_BUFFER_MB;
	if (buffer_mb > 1024)
		buffer_mb = 1024; /* bytes must fit an int; a GiB is more than any kernel grants */
	pcap_set_snaplen(p, snaplen);
	pcap_set_promisc(p, 0);
	pcap_set_buffer_size(p, buffer_mb * 1024 * 1024);
	/* A teaching screen must show each segment as it happens, not when a buffer fills. */
	pcap_set_immediate_mode(p, 1);
	/* Not every device offers nanosecond stamps; microseconds are fine then. */
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);

	int rc = pcap_activate(p);
	if (rc < 0) {
		enum capture_error k = activate_error_kind(rc);
		const char *why = pcap_geterr(p);
		if (k == CAPTURE_ERR_PERMISSION)
			fail(kind, k, err, errlen,
			     "no permission to capture on %s (needs root or CAP_NET_RAW): %s", dev,
			     why);
		else if (k == CAPTURE_ERR_NO_DEVICE)
			fail(kind, k, err, errlen, "no such interface %s: %s", dev, why);
		else if (rc == PCAP_ERROR)
			fail(kind, k, err, errlen, "cannot capture on %s: %s", dev, why);
		else
			fail(kind, k, err, errlen, "cannot capture on %s: %s", dev,
			     pcap_statustostr(rc));
		pcap_close(p);
		return NULL;
	}
	if (pcap_setnonblock(p, 1, ebuf) < 0) {
		fail(kind, CAPTURE_ERR_OTHER, err, errlen, "cannot capture on %s: %s", dev, ebuf);
		pcap_close(p);
		return NULL;
	}
	return p;
}

static bool check_link(pcap_t *p, enum capture_error *kind, char *err, size_t errlen)
{
	int link = pcap_datalink(p);
	if (decode_link_supported(link))
		return true;
	/* libpcap has no names for the private-use range 147..162 (DLT_USER0..15). */
	char name[32];
	const char *known = pcap_datalink_val_to_name(link);
	if (known)
		snprintf(name, sizeof name, "%s", known);
	else if (link >= 147 && link <= 162)
		snprintf(name, sizeof name, "USER%d", link - 147);
	else
		snprintf(name, sizeof name, "unknown");
	fail(kind, CAPTURE_ERR_LINKTYPE, err, errlen,
	     "link type %s (%d) is not supported (Ethernet, Linux cooked, loopback and raw IP are)",
	     name, link);
	return false;
}

const char *capture_default_filter(int link)
{
	return link == DLT_EN10MB ? CAPTURE_DEFAULT_FILTER_ETH : CAPTURE_DEFAULT_FILTER;
}

static bool apply_filter(pcap_t *p, const char *filter, enum capture_error *kind, char *err,
                         size_t errlen)
{
	struct bpf_program prog;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fail(kind, CAPTURE_ERR_FILTER, err, errlen, "bad filter '%s': %s", filter,
		     pcap_geterr(p));
		return false;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		fail(kind, CAPTURE_ERR_FILTER, err, errlen, "cannot apply filter '%s': %s", filter,
		     pcap_geterr(p));
		return false;
	}
	return true;
}

struct capture *capture_open(const struct capture_options *opt, enum capture_error *kind, char *err,
                             size_t errlen)
{
	if (kind)
		*kind = CAPTURE_OK;
	if (err && errlen > 0)
		err[0] = '\0';
	if (!opt) {
		fail(kind, CAPTURE_ERR_OTHER, err, errlen, "no capture options given");
		return NULL;
	}
	bool live = opt->file == NULL;
	pcap_t *p = live ? open_live(opt, kind, err, errlen) : open_offline(opt, kind, err, errlen);
	if (!p)
		return NULL;
	/* A file with no filter given is read whole: the decoder tells TCP from the rest itself
	 * (counted as not_tcp), at a fraction of the cost of running libpcap's BPF interpreter
	 * over every frame, and it also sees TCP behind IPv6 extension headers, which "tcp"
	 * (ip6 proto tcp: the fixed header's next-header field) does not. Live captures keep the
	 * default filter: there it runs in the kernel and spares copying the rest of the traffic. */
	const char *filter = opt->filter ? opt->filter
	                     : live      ? capture_default_filter(pcap_datalink(p))
	                                 : NULL;
	/* The link type comes first: a filter cannot compile for a link libpcap cannot parse. */
	if (!check_link(p, kind, err, errlen) ||
	    (filter && !apply_filter(p, filter, kind, err, errlen))) {
		pcap_close(p);
		return NULL;
	}
	struct capture *c = calloc(1, sizeof *c);
	if (!c) {
		fail(kind, CAPTURE_ERR_OTHER, err, errlen, "out of memory");
		pcap_close(p);
		return NULL;
	}
	c->pcap = p;
	c->link = pcap_datalink(p);
	c->live = live;
	c->loopback =
	    live && device_is_loopback(opt->device ? opt->device : CAPTURE_DEFAULT_DEVICE);
	c->ts_scale = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO ? 1e-9 : 1e-6;
	if (opt->readahead && !live && capture_ra_wanted(opt->file, opt->file_stream))
		c->ra = capture_ra_create(); /* NULL (out of memory): read on this thread */
	return c;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	capture_ra_destroy(c); /* its thread reads c->pcap: stopped first */
	capture_save_close(c);
	pcap_close(c->pcap);
	free(c->blk);
	free(c);
}

static void on_pcap_frame(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	const struct dispatch_ctx *ctx = (const struct dispatch_ctx *)arg;
	struct decode_packet pkt;
	struct capture_frame f;
	struct capture_raw r = {
	    .sec = h->ts.tv_sec, .subsec = h->ts.tv_usec, .caplen = h->caplen, .wirelen = h->len};
	if (ctx->c->dump) /* -w: saved as captured, before anything reads it */
		pcap_dump((u_char *)ctx->c->dump, h, bytes);
	else if (ctx->c->keep) /* the screen's `w` may save it later */
		capture_save_remember(ctx->c, h, bytes);
	capture_decode(ctx->c, &r, bytes, &f, &pkt);
	if (ctx->fn)
		ctx->fn(&f, 1, ctx->user);
}

/* A file on the caller's thread: a block of up to max frames at a time. */
static int dispatch_inline(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                           size_t errlen)
{
	if (!c->blk && !c->ended) {
		c->blk = malloc(sizeof *c->blk);
		if (!c->blk) {
			if (err && errlen > 0)
				snprintf(err, errlen, "capture failed: out of memory");
			return -1;
		}
	}
	int handled = 0;
	while (!c->ended && (max <= 0 || handled < max)) {
		uint32_t limit = CAPTURE_BLOCK_FRAMES;
		if (max > 0 && (uint32_t)(max - handled) < limit)
			limit = (uint32_t)(max - handled);
		struct capture_block *b = c->blk;
		capture_block_fill(c, b, limit, &c->fill);
		capture_block_decode(c, b);
		if (b->n > 0 && fn)
			fn(b->f, b->n, user);
		handled += (int)b->n;
		if (b->end) {
			c->ended = true;
			if (b->failed) {
				if (err && errlen > 0)
					snprintf(err, errlen, "%s", c->fill.err);
				return -1;
			}
		}
	}
	return handled;
}

/* A live capture: libpcap's buffer, one frame per run. */
static int dispatch_live(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                         size_t errlen)
{
	struct dispatch_ctx ctx = {c, fn, user};
	int n = pcap_dispatch(c->pcap, max > 0 ? max : -1, on_pcap_frame, (u_char *)&ctx);
	if (c->dump && n > 0) /* -w: the file holds every frame handed over, even mid-run */
		pcap_dump_flush(c->dump);
	if (n == PCAP_ERROR) {
		if (err && errlen > 0)
			snprintf(err, errlen, "capture failed: %s", pcap_geterr(c->pcap));
		return -1;
	}
	return n < 0 ? 0 : n; /* PCAP_ERROR_BREAK: treated as "nothing more now" */
}

int capture_dispatch_batch(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                           size_t errlen)
{
	if (c->live)
		return dispatch_live(c, max, fn, user, err, errlen);
	if (c->ra) {
		int n = capture_ra_dispatch(c, max, fn, user, err, errlen);
		if (n != CAPTURE_RA_UNAVAILABLE)
			return n;
		capture_ra_destroy(c); /* no second thread to be had: read here from now on */
	}
	return dispatch_inline(c, max, fn, user, err, errlen);
}

/* How many frames ahead the per-frame adapter asks for a segment's lines: a block the reader
 * thread decoded has them in the other CPU's cache, and fetching them while earlier frames
 * are handled overlaps the transfers. */
#define FRAME_AHEAD 8

struct per_frame {
	capture_frame_fn fn;
	void *user;
};

static void each_frame(const struct capture_frame *f, size_t n, void *user)
{
	const struct per_frame *pf = user;
	for (size_t i = 0; i < n; i++) {
		if (i + FRAME_AHEAD < n && f[i + FRAME_AHEAD].pkt) {
			const char *q = (const char *)f[i + FRAME_AHEAD].pkt;
			for (size_t off = 0; off < sizeof *f->pkt; off += 64)
				__builtin_prefetch(q + off);
		}
		pf->fn(&f[i], pf->user);
	}
}

int capture_dispatch(struct capture *c, int max, capture_frame_fn fn, void *user, char *err,
                     size_t errlen)
{
	struct per_frame pf = {fn, user};
	return capture_dispatch_batch(c, max, fn ? each_frame : NULL, &pf, err, errlen);
}

int capture_fd(const struct capture *c) { return c->live ? pcap_get_selectable_fd(c->pcap) : -1; }

bool capture_is_live(const struct capture *c) { return c->live; }

int capture_link(const struct capture *c) { return c->link; }

void capture_get_stats(struct capture *c, struct capture_stats *st)
{
	memset(st, 0, sizeof *st);
	struct pcap_stat ps;
	if (!c->live || pcap_stats(c->pcap, &ps) < 0)
		return;
	/* On lo, the copy sent and the copy received of each frame both pass the kernel's filter
	 * and both take room in the buffer, so both counters count each frame twice; the two
	 * copies come in turn, so a frame is lost or kept whole (include/socklab/capture.h). */
	uint64_t copies = c->loopback ? 2 : 1;
	st->received = ((uint64_t)ps.ps_recv + copies - 1) / copies;
	st->dropped = ((uint64_t)ps.ps_drop + copies - 1) / copies;
	st->if_dropped = ps.ps_ifdrop;
	st->halved = c->loopback;
	st->valid = true;
}

void capture_list_devices(char *buf, size_t len)
{
	if (!buf || len == 0)
		return;
	buf[0] = '\0';
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL;
	if (pcap_findalldevs(&all, ebuf) < 0)
		return;
	size_t used = 0;
	for (pcap_if_t *d = all; d && used + 1 < len; d = d->next) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", d->name);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0'; /* drop a name cut in half rather than print part of it */
			break;
		}
		used += (size_t)n;
	}
	pcap_freealldevs(all);
}
