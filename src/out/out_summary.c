/* out_summary.c — the --summary table: a fixed-size row per connection, kept when it leaves the
 * table (so evicted connections still appear) and printed in id order at the end. */
#include "socklab/out.h"

#include <stdlib.h>
#include <string.h>

#include "out_priv.h"

void out_row_from_conn(struct out_sink *s, const struct track_conn *c, enum out_left left,
                       struct out_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = c->id;
	for (int i = 0; i < 2; i++) {
		r->addr[i] = c->ep[i].addr;
		r->port[i] = c->ep[i].port;
		r->state[i] = (uint8_t)c->ep[i].state;
		r->packets[i] = c->ep[i].packets;
		r->bytes[i] = c->ep[i].bytes;
	}
	r->left = (uint8_t)left;
	r->midstream = c->midstream;
	r->first_us = out_rel_usec(s, c->first_seen);
	r->last_us = out_rel_usec(s, c->last_seen);
	memcpy(r->history, c->history, sizeof r->history);
	r->history[TRACK_HISTORY_LEN] = '\0';
}

/* Row id - 1 sits at row_chunk[(id - 1) / OUT_ROWS_PER_CHUNK]: connection ids are 1, 2, 3 ...
 * and every connection leaves one row (when it leaves the table or at the end), so the rows
 * fill their chunks densely and are already in the order the table is printed in: no sort,
 * each row written once in place, and no copy as the table grows (chunks come zeroed from
 * calloc, and are touched first when a row is written). */
void out_rows_keep(struct out_sink *s, const struct track_conn *c, enum out_left left)
{
	size_t i, chunk;
	struct out_row *r;

	if (c->id == 0 || c->id > s->max_rows) {
		s->rows_not_kept++; /* beyond the cap: counted, not shown */
		return;
	}
	i = (size_t)(c->id - 1);
	chunk = i / OUT_ROWS_PER_CHUNK;
	if (!s->row_chunk[chunk]) {
		s->row_chunk[chunk] = calloc(OUT_ROWS_PER_CHUNK, sizeof *r);
		if (!s->row_chunk[chunk]) {
			s->rows_not_kept++; /* out of memory: counted, not shown */
			return;
		}
	}
	r = &s->row_chunk[chunk][i % OUT_ROWS_PER_CHUNK];
	if (r->id == 0)
		s->nrows++;
	out_row_from_conn(s, c, left, r);
}

/* Right-aligns what was written from from to p in width columns (no cut when longer). */
static char *align_right(char *from, char *p, size_t width)
{
	size_t n = (size_t)(p - from);

	if (n >= width)
		return p;
	memmove(from + (width - n), from, n);
	memset(from, ' ', width - n);
	return from + width;
}

/* A field, then spaces to width columns plus the one that separates it from the next. */
static char *column(char *p, const char *text, size_t width)
{
	char *from = p;

	return out_pad(out_fmt_str(p, text), from, width + 1);
}

static char *pair_column(char *p, uint64_t a, uint64_t b, size_t width)
{
	char *from = p;

	p = out_fmt_u64(p, a);
	*p++ = '/';
	p = out_fmt_u64(p, b);
	return out_pad(p, from, width + 1);
}

/* One row, in the columns of the header below: written with the sink's own formatters into
 * its buffer, since a capture can leave a million rows. */
static void row_line(struct out_sink *s, const struct out_row *r)
{
	char *p = out_line_begin(s), *from = p;

	p = align_right(from, out_fmt_u64(p, r->id), 5);
	p = OUT_LIT(p, "  ");
	for (int k = 0; k < 2; k++) {
		from = p;
		p = out_pad(out_fmt_endpoint(p, &r->addr[k], r->port[k]), from, 23);
	}
	p = column(p, track_state_name((enum track_state)r->state[0], s->names), 13);
	p = column(p, track_state_name((enum track_state)r->state[1], s->names), 13);
	p = pair_column(p, r->packets[0], r->packets[1], 13);
	p = pair_column(p, r->bytes[0], r->bytes[1], 15);
	from = p;
	p = out_pad(out_fmt_usec(p, out_usec_sub(r->last_us, r->first_us)), from, 11);
	p = out_fmt_str(p, r->history);
	if (r->midstream)
		p = OUT_LIT(p, "  [mid-stream]");
	if (r->left == OUT_LEFT_EVICTED)
		p = OUT_LIT(p, "  [evicted: table full]");
	out_line_end(s, p);
}

void out_rows_print(struct out_sink *s)
{
	FILE *fp = s->fp;

	fprintf(fp, "\n%5s  %-22s %-22s %-13s %-13s %-13s %-15s %-10s %s\n", "id", "client",
	        "server", "client state", "server state", "packets c/s", "bytes c/s", "duration",
	        "history");
	for (size_t k = 0; k < OUT_ROW_CHUNKS; k++) {
		const struct out_row *rows = s->row_chunk[k];

		for (size_t i = 0; rows && i < OUT_ROWS_PER_CHUNK; i++)
			if (rows[i].id) /* an id that left no row leaves a gap */
				row_line(s, &rows[i]);
	}
	out_buf_flush(s);
	if (s->rows_not_kept)
		fprintf(fp, "... %llu more connection%s not shown (only %zu rows are kept)\n",
		        (unsigned long long)s->rows_not_kept, s->rows_not_kept == 1 ? "" : "s",
		        s->max_rows);
}
