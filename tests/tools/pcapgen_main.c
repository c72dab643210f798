/* pcapgen_main.c — pcapgen: turns a line script of TCP segments into a pcap/pcapng file. */
#include "pcapgen.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: pcapgen [--pcapng | --fuzz] SCRIPT OUTPUT\n"
	           "  SCRIPT  line script (see tests/tools/README.md), '-' for standard input\n"
	           "  OUTPUT  capture file to write, '-' for standard output\n"
	           "  --pcapng  write pcapng instead of classic pcap\n"
	           "  --fuzz    write records for the fuzz targets (tests/fuzz/fuzz_input.h)\n");
}

int main(int argc, char **argv)
{
	enum pcapgen_format format = PCAPGEN_PCAP;
	const char *files[2];
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--pcapng") == 0) {
			format = PCAPGEN_PCAPNG;
		} else if (strcmp(argv[i], "--fuzz") == 0) {
			format = PCAPGEN_FUZZ;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "pcapgen: unknown option %s (try --help)\n", argv[i]);
			return 2;
		} else if (nfiles < 2) {
			files[nfiles++] = argv[i];
		} else {
			fprintf(stderr, "pcapgen: too many arguments (try --help)\n");
			return 2;
		}
	}
	if (nfiles != 2) {
		fprintf(stderr, "pcapgen: need SCRIPT and OUTPUT (try --help)\n");
		return 2;
	}
	FILE *in = strcmp(files[0], "-") == 0 ? stdin : fopen(files[0], "r");
	if (!in) {
		perror(files[0]);
		return 1;
	}
	char err[512];
	bool ok = pcapgen_run_script(in, files[0], files[1], format, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (!ok) {
		fprintf(stderr, "pcapgen: %s\n", err);
		if (strcmp(files[1], "-") != 0)
			remove(files[1]); /* no half-written capture left for a test to pick up */
		return 1;
	}
	return 0;
}
