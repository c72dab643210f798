/* ui_paint.c — clipped text and bars on the curses screen, the views' only way to write. */
#include "ui_paint.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui_layout.h"

int ui_put(int y, int x, int w, enum ui_role role, const char *text)
{
	if (w <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	int n = (int)strlen(text);
	if (n > w)
		n = w;
	attr_t a = (attr_t)ui_theme_attr(role);
	attron(a);
	mvaddnstr(y, x, text, n);
	attroff(a);
	return n;
}

int ui_putf(int y, int x, int w, enum ui_role role, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_put(y, x, w, role, buf);
}

void ui_fill(int y, int x, int w, enum ui_role role)
{
	if (y < 0 || y >= LINES || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	attr_t a = (attr_t)ui_theme_attr(role);
	attron(a);
	mvhline(y, x, ' ', w);
	attroff(a);
}

int ui_put_wrapped(int y, int x, int w, int next_x, int max_lines, enum ui_role role,
                   const char *text)
{
	struct ui_wrap_line lines[16];
	int right = x + w;
	int n = ui_wrap(text, w, right - next_x, lines, 16);
	if (n > 16)
		n = 16;
	if (n > max_lines)
		n = max_lines;
	for (int i = 0; i < n; i++) {
		int lx = i == 0 ? x : next_x;
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", lines[i].len, text + lines[i].start);
		ui_put(y + i, lx, right - lx, role, buf);
	}
	return n;
}

const char *ui_state_text(enum track_names names, enum track_state st, bool shortname)
{
	if (shortname)
		return ui_state_short_name(st);
	return track_state_name(st, names);
}
