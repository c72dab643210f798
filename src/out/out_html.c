/* out_html.c — one self-contained HTML page of a capture for a browser or a learning platform:
 * summary, connections table, and per connection the ladder, the state diagram with the paths,
 * the paths written out and the reason of every change. Inline SVG and CSS only. */
#include "socklab/out_fig.h"

#include "out_svg_priv.h"

/* Written as XHTML-compatible HTML (every element closed, only XML's entities), so that an XML
 * parser reads it too (the tests do). */
static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    "<style>\n"
    "body{font-family:\"DejaVu Sans\",Helvetica,Arial,sans-serif;color:#222222;max-width:880px;"
    "margin:24px auto;padding:0 12px}\n"
    "h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-top:1px solid #cccccc;"
    "padding-top:16px}h3{font-size:15px}\n"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #cccccc;"
    "padding:3px 8px;text-align:left;vertical-align:top}\n"
    ".client{color:" OUT_SVG_CLIENT_COLOUR "}.server{color:" OUT_SVG_SERVER_COLOUR "}\n"
    "svg.figure{max-width:100%;height:auto;display:block}\n"
    /* printed: a connection starts a page; a figure, a table row or a heading is never cut
     * from what it belongs to, and a table cut by a page repeats its header row */
    "@media print{section{break-before:page}h2{border-top:none}"
    "svg.figure,tr{break-inside:avoid}h2,h3{break-after:avoid}"
    "thead{display:table-header-group}}\n"
    "</style>\n";

static const char *const role[2] = {"client", "server"};

/* "CLOSED → SYN_SENT → ..." for one endpoint; with no change, its start state if the capture
 * showed it, and "no state change seen". */
static void path_text(FILE *fp, const struct out_fig_conn *c, int ep, enum track_names names)
{
	bool any = false;

	for (uint32_t i = 0; i < c->nstates; i++) {
		const struct out_fig_state *s = &c->states[i];
		if (s->endpoint != ep)
			continue;
		if (!any)
			fputs(track_state_name((enum track_state)s->from, names), fp);
		fprintf(fp, " &#8594; %s", track_state_name((enum track_state)s->to, names));
		any = true;
	}
	if (!any && c->start[ep] != TRACK_UNKNOWN) /* e.g. a refused connection's server */
		fprintf(fp, "%s (no state change seen)",
		        track_state_name((enum track_state)c->start[ep], names));
	else if (!any)
		fputs("no state change seen", fp);
}

static void summary(FILE *fp, const struct out_fig *f, const struct out_svg_options *o)
{
	uint64_t segs = 0;

	for (uint32_t i = 0; i < f->nconns; i++)
		segs += f->conns[i].segments[0] + f->conns[i].segments[1];
	fputs("<h1>TCP connections", fp);
	if (o->source) {
		fputs(" in ", fp);
		out_svg_text(fp, o->source);
	}
	fputs("</h1>\n<p id=\"summary\">", fp);
	fprintf(fp, "%u connection%s shown, %llu segment%s between them.", f->nconns,
	        f->nconns == 1 ? "" : "s", (unsigned long long)segs, segs == 1 ? "" : "s");
	if (f->conns_cut)
		fprintf(fp, " %llu more connection%s not shown (pick them with --conn).",
		        (unsigned long long)f->conns_cut, f->conns_cut == 1 ? "" : "s");
	fputs(" The client (blue) is the endpoint that sent the first SYN. States are inferred "
	      "from the segments (RFC 9293 names).</p>\n",
	      fp);
}

static void conn_table(FILE *fp, const struct out_fig *f, const struct out_svg_options *o)
{
	fputs(
	    "<table id=\"connections\"><thead><tr><th>#</th><th>client</th><th>server</th>"
	    "<th>client's states</th><th>server's states</th><th>segments c/s</th></tr></thead>\n",
	    fp);
	for (uint32_t i = 0; i < f->nconns; i++) {
		const struct out_fig_conn *c = &f->conns[i];

		fprintf(fp, "<tr><td><a href=\"#conn-%llu\">%llu</a></td>",
		        (unsigned long long)c->id, (unsigned long long)c->id);
		for (int ep = 0; ep < 2; ep++) {
			fprintf(fp, "<td class=\"%s\">", role[ep]);
			out_svg_text(fp, c->ep_text[ep]);
			fputs("</td>", fp);
		}
		for (int ep = 0; ep < 2; ep++) {
			fprintf(fp, "<td class=\"%s\">", role[ep]);
			path_text(fp, c, ep, o->names);
			fputs("</td>", fp);
		}
		fprintf(fp, "<td>%llu / %llu</td></tr>\n", (unsigned long long)c->segments[0],
		        (unsigned long long)c->segments[1]);
	}
	fputs("</table>\n", fp);
}

/* One figure as an inline <svg>, scaled down with the page when it is narrow. */
static void inline_figure(FILE *fp, const struct out_fig_conn *c, const struct out_svg_options *o,
                          bool diagram, const char *label)
{
	struct out_svg_options fo = *o;
	int h;

	fo.diagram = diagram;
	fo.blank = false;
	h = diagram ? out_svg_diagram(NULL, c, &fo, 0) : out_svg_ladder(NULL, c, &fo, 0);
	fprintf(fp,
	        "<svg class=\"figure\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	        "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
	        OUT_SVG_WIDTH, h, OUT_SVG_WIDTH, h, label);
	fprintf(fp, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", OUT_SVG_WIDTH, h);
	if (diagram)
		out_svg_diagram(fp, c, &fo, 0);
	else
		out_svg_ladder(fp, c, &fo, 0);
	fputs("</svg>\n", fp);
}

/* Every state change, in order, with the tracker's reason. */
static void why_log(FILE *fp, const struct out_fig_conn *c, enum track_names names)
{
	fputs("<table class=\"why\"><thead><tr><th>endpoint</th><th>change</th><th>why</th></tr>"
	      "</thead>\n",
	      fp);
	for (uint32_t i = 0; i < c->nstates; i++) {
		const struct out_fig_state *s = &c->states[i];

		fprintf(fp, "<tr class=\"%s\"><td>%s</td><td>%s &#8594; %s</td><td>",
		        role[s->endpoint & 1], role[s->endpoint & 1],
		        track_state_name((enum track_state)s->from, names),
		        track_state_name((enum track_state)s->to, names));
		out_svg_text(fp, s->why);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (c->states_cut)
		fprintf(fp, "<p>%u more state changes not kept.</p>\n", c->states_cut);
}

int out_html_write(FILE *fp, const struct out_fig *f, const struct out_svg_options *o)
{
	fputs(page_head, fp);
	fputs("<title>tcpscope", fp);
	if (o->source) {
		fputs(": ", fp);
		out_svg_text(fp, o->source);
	}
	fputs("</title></head>\n<body>\n", fp);
	/* the arrowheads and label style, once for every figure on the page */
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" "
	      "style=\"position:absolute\" aria-hidden=\"true\">\n",
	      fp);
	out_svg_defs(fp);
	fputs("</svg>\n", fp);
	summary(fp, f, o);
	conn_table(fp, f, o);
	for (uint32_t i = 0; i < f->nconns; i++) {
		const struct out_fig_conn *c = &f->conns[i];

		fprintf(fp, "<section id=\"conn-%llu\">\n<h2>Connection %llu: ",
		        (unsigned long long)c->id, (unsigned long long)c->id);
		fputs("<span class=\"client\">", fp);
		out_svg_text(fp, c->ep_text[0]);
		fputs("</span> &#8594; <span class=\"server\">", fp);
		out_svg_text(fp, c->ep_text[1]);
		fputs("</span></h2>\n<h3>Ladder</h3>\n", fp);
		inline_figure(fp, c, o, false, "ladder");
		fputs("<h3>State path</h3>\n", fp);
		for (int ep = 0; ep < 2; ep++) {
			fprintf(fp, "<p class=\"%s path\"><b>%s ", role[ep], role[ep]);
			out_svg_text(fp, c->ep_text[ep]);
			fputs(":</b> ", fp);
			path_text(fp, c, ep, o->names);
			fputs("</p>\n", fp);
		}
		inline_figure(fp, c, o, true, "state diagram");
		fputs("<h3>Why each state changed</h3>\n", fp);
		why_log(fp, c, o->names);
		fputs("</section>\n", fp);
	}
	if (f->nconns == 0)
		fputs("<p>No TCP connection in this capture.</p>\n", fp);
	fputs("</body></html>\n", fp);
	return ferror(fp) ? -1 : 0;
}
