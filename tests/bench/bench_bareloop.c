/* bench_bareloop.c — the baseline: libpcap reads a capture file and does nothing else.
 * Usage: bench_bareloop file.pcap   Prints "frames=N bytes=B secs=S ns_per_frame=X". */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static double now_secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_bareloop file.pcap\n");
		return 2;
	}
	char err[PCAP_ERRBUF_SIZE];
	double t0 = now_secs();
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "bench_bareloop: %s\n", err);
		return 1;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t frames = 0, bytes = 0;
	unsigned sum = 0;
	int rc;
	/* Touch the last byte of each frame, as any reader of the packet would. */
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		frames++;
		bytes += h->caplen;
		if (h->caplen)
			sum += data[h->caplen - 1];
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "bench_bareloop: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	double secs = now_secs() - t0;
	printf("frames=%llu bytes=%llu sum=%u secs=%.3f ns_per_frame=%.1f\n",
	       (unsigned long long)frames, (unsigned long long)bytes, sum, secs,
	       frames ? secs * 1e9 / (double)frames : 0.0);
	return 0;
}
