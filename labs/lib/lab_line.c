/* lab_line.c — the bottom of the narration: one line built in a buffer (tag, colour) and
 * written with one fputs, and the plain lines (notes, titles, warnings) built on it. The
 * session (lab_session.c) and the syscall narration (lab_narrate.c) both sit on this file,
 * so neither has to call the other back. */
#include "lab_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool color;
static _Thread_local char tag[48];

void lab_line_set_color(bool on) { color = on; }

const char *lab_line_col(const char *code) { return color ? code : ""; }

const char *lab_line_tag(void) { return tag; }

void lab_line_put(struct lab_line *l, const char *fmt, ...)
{
	if (l->len >= sizeof l->buf - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->buf + l->len, sizeof l->buf - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
	if (l->len > sizeof l->buf - 1)
		l->len = sizeof l->buf - 1;
}

static void put_tag(struct lab_line *l)
{
	if (tag[0])
		lab_line_put(l, "%s[%s]%s ", lab_line_col(LAB_C_DIM), tag,
		             lab_line_col(LAB_C_RESET));
}

void lab_line_start(struct lab_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
	put_tag(l);
}

void lab_line_next(struct lab_line *l)
{
	lab_line_put(l, "\n");
	put_tag(l);
}

void lab_line_emit(struct lab_line *l)
{
	if (l->len >= sizeof l->buf - 1) /* keep the newline even when truncated */
		l->len = sizeof l->buf - 2;
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	fputs(l->buf, stdout);
}

void lab_set_tag(const char *t) { snprintf(tag, sizeof tag, "%s", t ? t : ""); }

static void vsay(const char *prefix, const char *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void vsay(const char *prefix, const char *c, const char *fmt, va_list ap)
{
	char text[1024];
	struct lab_line l;
	vsnprintf(text, sizeof text, fmt, ap);
	lab_line_start(&l);
	lab_line_put(&l, "%s%s%s%s", lab_line_col(c), prefix, text, lab_line_col(LAB_C_RESET));
	lab_line_emit(&l);
}

void lab_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("   ", "", fmt, ap);
	va_end(ap);
}

void lab_title(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("== ", LAB_C_BOLD, fmt, ap);
	va_end(ap);
}

void lab_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay("!! ", LAB_C_YEL, fmt, ap);
	va_end(ap);
}
