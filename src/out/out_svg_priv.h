/* out_svg_priv.h — the SVG writers' shared pieces: XML text, the two colours, and the two
 * figures (each drawn at a vertical offset, or only measured when fp is NULL). */
#ifndef SOCKLAB_OUT_SVG_PRIV_H
#define SOCKLAB_OUT_SVG_PRIV_H

#include <stdio.h>

#include "socklab/out_fig.h"

/* One colour per endpoint, in the ladder and the diagram alike: the screen's cyan and yellow,
 * darkened to read on white paper and on a projector. */
#define OUT_SVG_CLIENT_COLOUR "#1565c0"
#define OUT_SVG_SERVER_COLOUR "#b35900"
#define OUT_SVG_WIDTH         840

/* Writes s as XML character data / attribute text: & < > " ' escaped, control characters and
 * bytes that are not UTF-8 written as U+FFFD (XML 1.0 cannot hold them). */
void out_svg_text(FILE *fp, const char *s);

/* fprintf that does nothing when fp is NULL: each figure is first only measured. */
__attribute__((format(printf, 2, 3))) void out_svg_put(FILE *fp, const char *fmt, ...);

/* out_svg.c: the <style> and <defs> (arrowheads) the figures refer to; once per document. */
void out_svg_defs(FILE *fp);

/* fp NULL: nothing written, the height returned (to size the document first). */
int out_svg_ladder(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y);
int out_svg_diagram(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y);

#endif
