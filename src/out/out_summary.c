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

void out_rows_add(struct out_sink *s, const struct out_row *r)
{
	if (s->nrows == s->rows_alloc) {
		size_t want = s->rows_alloc ? s->rows_alloc * 2 : 1024;
		struct out_row *bigger;

		if (want > s->max_rows)
			want = s->max_rows;
		bigger = want > s->rows_alloc ? realloc(s->rows, want * sizeof *bigger) : NULL;
		if (!bigger) {
			/* at the cap (or out of memory): count what cannot be shown */
			s->rows_not_kept++;
			return;
		}
		s->rows = bigger;
		s->rows_alloc = want;
	}
	s->rows[s->nrows++] = *r;
}

static int by_id(const void *a, const void *b)
{
	const struct out_row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

void out_rows_print(struct out_sink *s)
{
	FILE *fp = s->fp;

	qsort(s->rows, s->nrows, sizeof *s->rows, by_id);
	fprintf(fp, "\n%5s  %-22s %-22s %-13s %-13s %-13s %-15s %-10s %s\n", "id", "client",
	        "server", "client state", "server state", "packets c/s", "bytes c/s", "duration",
	        "history");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct out_row *r = &s->rows[i];
		char ends[2][DECODE_ENDPOINT_STRLEN], pk[48], by[48], dur[32];
		char *e;

		for (int k = 0; k < 2; k++)
			decode_endpoint_format(&r->addr[k], r->port[k], ends[k], sizeof ends[k]);
		snprintf(pk, sizeof pk, "%llu/%llu", (unsigned long long)r->packets[0],
		         (unsigned long long)r->packets[1]);
		snprintf(by, sizeof by, "%llu/%llu", (unsigned long long)r->bytes[0],
		         (unsigned long long)r->bytes[1]);
		e = out_fmt_usec(dur, r->last_us - r->first_us);
		*e = '\0';
		fprintf(fp, "%5llu  %-22s %-22s %-13s %-13s %-13s %-15s %-10s %s%s%s\n",
		        (unsigned long long)r->id, ends[0], ends[1],
		        track_state_name((enum track_state)r->state[0], s->names),
		        track_state_name((enum track_state)r->state[1], s->names), pk, by, dur,
		        r->history, r->midstream ? "  [mid-stream]" : "",
		        r->left == OUT_LEFT_EVICTED ? "  [evicted: table full]" : "");
	}
	if (s->rows_not_kept)
		fprintf(fp, "... %llu more connection%s not shown (only %zu rows are kept)\n",
		        (unsigned long long)s->rows_not_kept, s->rows_not_kept == 1 ? "" : "s",
		        s->max_rows);
}
