/* out_svg.c — the SVG document: every collected connection's figure, stacked in id order, with
 * a note when some were left out. Integers only, so the same events give the same bytes. */
#include "socklab/out_fig.h"

#include "out_svg_priv.h"

#define GAP 28 /* between two figures */

static int figure(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o, int y)
{
	return o->diagram ? out_svg_diagram(fp, c, o, y) : out_svg_ladder(fp, c, o, y);
}

/* The arrowheads: one per endpoint colour, the diagram's grey edges and its dashed resets;
 * and the white rim labels keep where a line passes under them. */
void out_svg_defs(FILE *fp)
{
	static const struct {
		const char *id, *colour;
	} heads[] = {{"client", OUT_SVG_CLIENT_COLOUR},
	             {"server", OUT_SVG_SERVER_COLOUR},
	             {"edge", "#8a8a8a"},
	             {"rst", "#a03030"}};

	fputs("<style>.halo{stroke:#ffffff;stroke-width:3px;paint-order:stroke;"
	      "stroke-linejoin:round}</style>\n",
	      fp);
	fputs("<defs>\n", fp);
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		fprintf(fp,
		        "<marker id=\"head-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		        "markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" "
		        "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n",
		        heads[i].id, heads[i].colour);
	fputs("</defs>\n", fp);
}

int out_svg_write(FILE *fp, const struct out_fig *f, const struct out_svg_options *o)
{
	int note = f->conns_cut || f->nconns == 0 ? 30 : 0;
	int height = 10 + note;

	for (uint32_t i = 0; i < f->nconns; i++)
		height += figure(NULL, &f->conns[i], o, 0) + (i ? GAP : 0);
	height += 10;
	fprintf(
	    fp,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
	    OUT_SVG_WIDTH, height, OUT_SVG_WIDTH, height);
	fputs("<title>", fp);
	fputs(o->diagram ? "TCP state diagram" : "TCP ladder", fp);
	if (o->source) {
		fputs(": ", fp);
		out_svg_text(fp, o->source);
	}
	fputs(" (tcpscope)</title>\n", fp);
	out_svg_defs(fp);
	fprintf(fp, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", OUT_SVG_WIDTH, height);
	if (f->nconns == 0)
		fputs("<text x=\"20\" y=\"30\" font-size=\"14\" fill=\"#8b0000\">no TCP connection "
		      "in this capture</text>\n",
		      fp);
	else if (f->conns_cut)
		fprintf(fp,
		        "<text x=\"20\" y=\"30\" font-size=\"14\" fill=\"#8b0000\">%s %u "
		        "connections shown; %llu %s not drawn%s</text>\n",
		        f->keep_latest ? "latest" : "first", f->nconns,
		        (unsigned long long)f->conns_cut, f->keep_latest ? "earlier" : "more",
		        f->keep_latest ? "" : " (pick them with --conn)");
	int y = 10 + note;
	for (uint32_t i = 0; i < f->nconns; i++) {
		if (i) {
			fprintf(fp,
			        "<line x1=\"20\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#cccccc\" "
			        "stroke-width=\"1\"/>\n",
			        y + GAP / 2, OUT_SVG_WIDTH - 20, y + GAP / 2);
			y += GAP;
		}
		fprintf(fp, "<g id=\"conn-%llu\">\n", (unsigned long long)f->conns[i].id);
		y += figure(fp, &f->conns[i], o, y);
		fputs("</g>\n", fp);
	}
	fputs("</svg>\n", fp);
	return ferror(fp) ? -1 : 0;
}
