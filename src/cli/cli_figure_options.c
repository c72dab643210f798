/* cli_figure_options.c — the options of -w and --format=svg: --conn lists and how they combine. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cli_parse_result cli_parse_conns(const char *arg, struct cli_options *o)
{
	const char *p = arg;

	for (;;) {
		char *end;
		unsigned long long v;

		if (*p < '0' || *p > '9')
			return CLI_USAGE;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || v == 0 || o->nconns == CLI_CONNS_MAX)
			return CLI_USAGE;
		o->conns[o->nconns++] = v;
		if (*end == '\0')
			return CLI_RUN;
		if (*end != ',')
			return CLI_USAGE;
		p = end + 1;
	}
}

enum cli_parse_result cli_check_figure_options(const struct cli_options *o, char *err,
                                               size_t errlen)
{
	const char *why = NULL;
	bool to_stdout = o->write_file && strcmp(o->write_file, "-") == 0;
	/* a stream format asked for by name (the default text is dropped silently by -w -) */
	bool stream_named = o->format_given && !o->stream_none && o->figure == CLI_FIGURE_NONE;

	if (o->figure != CLI_FIGURE_NONE && !o->file)
		why = "--format=svg and html draw a capture file: add -r FILE";
	else if (o->figure != CLI_FIGURE_NONE && o->summary)
		why = "--summary goes with the text format, not with --format=svg or html";
	else if (o->figure == CLI_FIGURE_HTML && (o->diagram || o->blank))
		why = "--diagram and --blank go with --format=svg (the page has both figures)";
	else if (o->figure == CLI_FIGURE_NONE && (o->diagram || o->blank || o->nconns))
		why = "--diagram, --blank and --conn go with --format=svg (--conn also with html)";
	else if (o->write_file && o->file)
		why = "-w saves a live capture; a file read with -r is saved already";
	else if (o->stream_none && !o->write_file)
		why = "--format=none shows nothing: it goes with -w FILE";
	else if (to_stdout && (stream_named || o->summary))
		why = "-w - writes the capture to standard output: the text stream cannot go there "
		      "too (use --format=none, or -w FILE)";
	else if (to_stdout && isatty(STDOUT_FILENO))
		why =
		    "-w - would write a binary capture to the terminal: redirect it or use -w FILE";
	if (!why)
		return CLI_RUN;
	snprintf(err, errlen, "%s", why);
	return CLI_USAGE;
}
