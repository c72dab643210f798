/* out_buf.c — what every writer shares: the sink's output buffer and its time origin. */
#include "out_priv.h"

char *out_line_begin(struct out_sink *s)
{
	if (OUT_BUF_SIZE - s->olen < OUT_LINE_MAX + 64)
		out_buf_flush(s);
	return s->obuf + s->olen;
}

void out_line_end(struct out_sink *s, char *end)
{
	*end++ = '\n';
	s->olen = (size_t)(end - s->obuf);
}

void out_buf_flush(struct out_sink *s)
{
	if (s->olen)
		fwrite(s->obuf, 1, s->olen, s->fp);
	s->olen = 0;
}

int64_t out_rel_usec(struct out_sink *s, double t)
{
	int64_t us = out_usec(t);

	if (!s->have_start) {
		s->have_start = true;
		s->start_us = us;
	}
	return out_usec_sub(us, s->start_us); /* extreme pcapng times: held, not wrapped */
}
