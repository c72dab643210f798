/* ui_notice.c — the hint line's short-lived notice. */
#include "ui_notice.h"

#include <stdarg.h>
#include <stdio.h>

#include "ui_clock.h"

#define NOTICE_SECS 3.0

void ui_notice(struct ui_state *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	s->hint.msg[0] = ' ';
	vsnprintf(s->hint.msg + 1, sizeof s->hint.msg - 1, fmt, ap);
	va_end(ap);
	s->hint.until = ui_clock_mono() + NOTICE_SECS;
	s->dirty = true;
}
