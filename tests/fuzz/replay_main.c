/* replay_main.c — runs a fuzz target over files and directories (no libFuzzer needed). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1 << 20) /* libFuzzer's default -max_len is far smaller */

static int run_file(const char *path, long *count)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	uint8_t *buf = malloc(REPLAY_MAX_INPUT);
	if (!buf) {
		fclose(f);
		fprintf(stderr, "replay: out of memory\n");
		return 1;
	}
	size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		fprintf(stderr, "replay: cannot read %s\n", path);
		return 1;
	}
	/* an exact-size copy, so an over-read of the input is caught like under libFuzzer */
	uint8_t *exact = malloc(n ? n : 1);
	if (exact) {
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	free(buf);
	(*count)++;
	return exact ? 0 : 1;
}

static int run_path(const char *path, long *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') /* ., .., and dotfiles such as .gitkeep */
			continue;
		char child[4096];
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		rc |= run_path(child, count);
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	long count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		rc |= run_path(argv[i], &count);
	printf("replayed %ld inputs\n", count);
	return rc ? 1 : 0;
}
