/* ui_keys_doc.c — prints the screen's key table (src/ui/ui_keys.c) for the man page, so the
 * help overlay, the keys and docs/tcpscope.1 come from one list.
 *   ui_keys_doc           roff lines (.TP / .B) to paste into docs/tcpscope.1
 *   ui_keys_doc --tsv     label<TAB>help, one key line per line (the screen test reads it)
 *   ui_keys_doc --check F exit 1 unless man page F, read as text, carries every help line */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_keys.h"

/* Escapes as they read: "\-" is '-', "\~" a space, font changes vanish. */
static size_t unescape(const char *in, size_t n, char *out, size_t o, size_t len)
{
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		if (in[i] != '\\' || i + 1 >= n) {
			out[o++] = in[i];
			continue;
		}
		char e = in[++i];
		if (e == 'f' && i + 1 < n)
			i++; /* \fB \fR \fI \fP */
		else if (e == '~' || e == ' ')
			out[o++] = ' ';
		else if (e != '&')
			out[o++] = e; /* \- and the rest: the character itself */
	}
	return o;
}

/* Append one source line as text: macro lines give their arguments, joined with no space for
 * the alternating-font macros (.BR, .RB, ...) as roff does; other requests give nothing. */
static size_t render_line(const char *line, size_t n, char *out, size_t o, size_t len)
{
	if (n == 0 || o + 2 >= len)
		return o;
	if (o > 0)
		out[o++] = ' ';
	if (line[0] != '.')
		return unescape(line, n, out, o, len);
	size_t i = 1;
	while (i < n && line[i] != ' ')
		i++;
	size_t mlen = i - 1;
	bool font = (mlen == 1 && (line[1] == 'B' || line[1] == 'I')) ||
	            (mlen == 2 && strchr("BRI", line[1]) && strchr("BRI", line[2]));
	if (!font)
		return o;
	bool join = mlen == 2;
	bool first = true;
	while (i < n) {
		while (i < n && line[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t start = i, end;
		if (line[i] == '"') {
			start = ++i;
			while (i < n && line[i] != '"')
				i++;
			end = i++;
		} else {
			while (i < n && line[i] != ' ')
				i++;
			end = i;
		}
		if (!first && !join && o + 1 < len)
			out[o++] = ' ';
		o = unescape(line + start, end - start, out, o, len);
		first = false;
	}
	return o;
}

static void collapse(char *s)
{
	size_t o = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ' ' && (o == 0 || s[o - 1] == ' '))
			continue;
		s[o++] = s[i];
	}
	s[o] = '\0';
}

static int check(const char *path, const struct ui_key *keys, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	static char raw[1 << 18], flat[1 << 18];
	size_t got = fread(raw, 1, sizeof raw - 1, f);
	fclose(f);
	raw[got] = '\0';
	size_t o = 0;
	for (char *line = raw, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		size_t ln = nl ? (size_t)(nl - line) : strlen(line);
		o = render_line(line, ln, flat, o, sizeof flat);
	}
	flat[o] = '\0';
	collapse(flat);
	int missing = 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		if (!strstr(flat, keys[i].help)) {
			printf("%s: key '%s' missing: \"%s\"\n", path, keys[i].label, keys[i].help);
			missing++;
		}
	}
	return missing ? 1 : 0;
}

int main(int argc, char **argv)
{
	size_t n;
	const struct ui_key *keys = ui_keys_table(&n);
	if (argc > 2 && strcmp(argv[1], "--check") == 0)
		return check(argv[2], keys, n);
	bool tsv = argc > 1 && strcmp(argv[1], "--tsv") == 0;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i].label)
			continue;
		if (tsv) {
			printf("%s\t%s\n", keys[i].label, keys[i].help);
			continue;
		}
		printf(".TP\n.B %s\n", keys[i].label);
		for (const char *p = keys[i].help; *p; p++) {
			if (*p == '-' || *p == '\\')
				putchar('\\');
			putchar(*p);
		}
		putchar('\n');
	}
	return 0;
}
