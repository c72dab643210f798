/* test_ui_diagram.c — the state diagram's geometry: the art and its tables agree, every line
 * joins what it should (no arrow a column off), marks have cells of their own beside the
 * boxes, and the refused and abort stories have edges and one place per endpoint. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/ui_diagram.h"

static const char *const *art;
static int rows, nb, ne;
static const struct ui_diagram_box *boxes;
static const struct ui_diagram_edge *edges;

static int setup(void **state)
{
	(void)state;
	art = ui_diagram_art(&rows);
	boxes = ui_diagram_boxes(&nb);
	edges = ui_diagram_edges(&ne);
	return 0;
}

/* The character at (r, c), blank outside the art. */
static char at(int r, int c)
{
	if (r < 0 || r >= rows || c < 0 || c >= (int)strlen(art[r]))
		return ' ';
	return art[r][c];
}

static bool in_box(int r, int c)
{
	for (int i = 0; i < nb; i++)
		if (boxes[i].row == r && c >= boxes[i].col && c < boxes[i].col + UI_DIAGRAM_BOX_W)
			return true;
	return false;
}

static bool vertical_end(int r, int c)
{
	char ch = at(r, c);
	return ch == '|' || ch == '+' || ch == '^' || ch == 'v' || in_box(r, c);
}

static bool horizontal_end(int r, int c)
{
	char ch = at(r, c);
	return ch == '-' || ch == '+' || ch == '<' || ch == '>';
}

static void test_art_matches_tables(void **state)
{
	(void)state;
	assert_int_equal(rows, UI_DIAGRAM_ROWS);
	for (int r = 0; r < rows; r++)
		assert_true((int)strlen(art[r]) <= UI_DIAGRAM_COLS);
	assert_true(UI_DIAGRAM_COLS <= 80); /* the whole figure at 80 columns */
	bool seen[TRACK_STATE_COUNT] = {0};
	for (int i = 0; i < nb; i++) {
		const char *line = art[boxes[i].row];
		assert_true((int)strlen(line) >= boxes[i].col + UI_DIAGRAM_BOX_W);
		assert_int_equal(line[boxes[i].col], '[');
		assert_int_equal(line[boxes[i].col + UI_DIAGRAM_BOX_W - 1], ']');
		seen[boxes[i].state] = true;
	}
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++)
		assert_true(seen[s]); /* every RFC state has a box */
	for (int i = 0; i < ne; i++) {
		assert_true(edges[i].nspans > 0 && edges[i].nspans <= UI_EDGE_SPANS);
		for (int k = 0; k < edges[i].nspans; k++) {
			const struct ui_diagram_span *sp = &edges[i].spans[k];
			assert_true(sp->r0 >= 0 && sp->r0 <= sp->r1 && sp->r1 < rows);
			assert_true(sp->c0 <= sp->c1);
			for (int r = sp->r0; r <= sp->r1; r++) {
				assert_true((int)strlen(art[r]) > sp->c1);
				assert_int_not_equal(art[r][sp->c0], ' ');
				assert_int_not_equal(art[r][sp->c1], ' ');
				for (int c = sp->c0; c <= sp->c1; c++)
					assert_false(in_box(
					    r, c)); /* lighting an edge never recolours a box */
			}
		}
		assert_non_null(ui_diagram_edge_label(edges[i].from, edges[i].to));
		assert_ptr_equal(ui_diagram_find_edge(edges[i].from, edges[i].to, true), &edges[i]);
	}
	assert_null(ui_diagram_find_edge(TRACK_ESTABLISHED, TRACK_LISTEN, false));
}

/* Every line joins: a vertical has a line, arrow or box above and below, a corner has one
 * vertical and one horizontal neighbour. The old 2 MSL corner sat a column left of its
 * arrow head, so it failed this. */
static void test_lines_join(void **state)
{
	(void)state;
	for (int r = 0; r < rows; r++) {
		for (int c = 0; art[r][c]; c++) {
			char ch = art[r][c];
			if (ch == '|') {
				assert_true(vertical_end(r - 1, c));
				assert_true(vertical_end(r + 1, c));
			} else if (ch == '+') {
				assert_true(vertical_end(r - 1, c) || vertical_end(r + 1, c));
				assert_true(horizontal_end(r, c - 1) || horizontal_end(r, c + 1));
			} else if (ch == '^') {
				assert_true(in_box(r - 1, c));
				assert_true(vertical_end(r + 1, c));
			}
		}
	}
}

/* The mark cells beside every box are blank in the art: a mark never covers a bracket or
 * a line, and a box's own row never has text touching it. */
static void test_mark_cells_free(void **state)
{
	(void)state;
	for (int i = 0; i < nb; i++) {
		assert_int_equal(at(boxes[i].row, boxes[i].col - 1), ' ');
		assert_int_equal(at(boxes[i].row, boxes[i].col + UI_DIAGRAM_BOX_W), ' ');
		assert_true(boxes[i].col >= 1);
	}
}

static void test_refused_and_abort(void **state)
{
	(void)state;
	const struct ui_diagram_box *first = ui_diagram_place(TRACK_CLOSED, TRACK_UNKNOWN);
	const struct ui_diagram_box *last = ui_diagram_place(TRACK_CLOSED, TRACK_LAST_ACK);
	assert_non_null(first);
	assert_non_null(last);
	assert_ptr_not_equal(first, last);
	assert_int_equal(first->row, 0);
	/* refused: the SYN's sender goes back to the first CLOSED by a drawn RST edge */
	const struct ui_diagram_edge *refused =
	    ui_diagram_find_edge(TRACK_SYN_SENT, TRACK_CLOSED, true);
	assert_non_null(refused);
	assert_ptr_equal(ui_diagram_place(TRACK_CLOSED, TRACK_SYN_SENT), first);
	assert_true(refused->spans[0].r0 == first->row + 1);
	/* without RST (a client that gave up) the RST edge is not the one taken */
	assert_null(ui_diagram_find_edge(TRACK_SYN_SENT, TRACK_CLOSED, false));
	/* abort: ESTABLISHED -> the last CLOSED, its line ends at that box's arrow */
	const struct ui_diagram_edge *abort_edge =
	    ui_diagram_find_edge(TRACK_ESTABLISHED, TRACK_CLOSED, true);
	assert_non_null(abort_edge);
	assert_null(ui_diagram_find_edge(TRACK_ESTABLISHED, TRACK_CLOSED, false));
	assert_ptr_equal(ui_diagram_place(TRACK_CLOSED, TRACK_ESTABLISHED), last);
	assert_ptr_equal(ui_diagram_place(TRACK_CLOSED, TRACK_TIME_WAIT), last);
	const struct ui_diagram_span *tail = &abort_edge->spans[abort_edge->nspans - 1];
	assert_int_equal(tail->r0, last->row);
	assert_int_equal(at(tail->r0, tail->c1), '>');
	assert_int_equal(tail->c1 + 2, last->col); /* arrow, the mark's cell, the bracket */
	/* every state but UNKNOWN has a place */
	for (int s = TRACK_CLOSED; s < TRACK_STATE_COUNT; s++)
		assert_non_null(ui_diagram_place((enum track_state)s, TRACK_UNKNOWN));
	assert_null(ui_diagram_place(TRACK_UNKNOWN, TRACK_UNKNOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_art_matches_tables),
	    cmocka_unit_test(test_lines_join),
	    cmocka_unit_test(test_mark_cells_free),
	    cmocka_unit_test(test_refused_and_abort),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
