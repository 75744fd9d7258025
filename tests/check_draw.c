/*
 * check_draw: the drawing layer on a small grid, read back cell by cell:
 * clipping to the pen's rectangle, boxes, wrapping, labels and legends.
 */
#include "draw.h"

#include <check.h>
#include <string.h>

#include "suites.h"

static Grid g;

static void setup(void)
{
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(grid_resize(&g, 6, 12), 0);
}

static void teardown(void)
{
	grid_free(&g);
}

static const char *row(int r)
{
	static char buf[256];

	ck_assert_int_ge(grid_row_text(&g, r, buf, sizeof buf), 0);
	return buf;
}

START_TEST(test_text_clipped)
{
	DrawPen p = draw_pen(&g, (DrawRect){1, 2, 2, 3}, 0);

	/* The cells the text takes, written or not. */
	ck_assert_int_eq(draw_text(&p, 0, 0, "abcdef", GRID_ROLE_TITLE, 0), 6);
	ck_assert_str_eq(row(1), "  abc       ");
	ck_assert_int_eq(grid_cell(&g, 1, 2)->role, GRID_ROLE_TITLE);
	/* Left of the rectangle and below it: clipped. */
	draw_text(&p, 1, -2, "xyλw", GRID_ROLE_TEXT, 0);
	ck_assert_str_eq(row(2), "  λw        ");
	draw_text(&p, 2, 0, "zzz", GRID_ROLE_TEXT, 0);
	ck_assert_str_eq(row(3), "            ");
	/* At most n bytes, and never past a newline. */
	ck_assert_int_eq(draw_text_n(&p, 1, 0, "qrs", 1, GRID_ROLE_TEXT, 0), 1);
	ck_assert_str_eq(row(2), "  qw        ");
	ck_assert_int_eq(draw_text(&p, 0, 0, "m\nn", GRID_ROLE_TEXT, 0), 1);
	ck_assert_str_eq(row(1), "  mbc       ");
	ck_assert_ptr_null(draw_at(&p, 0, 3));
	ck_assert_ptr_nonnull(draw_at(&p, 1, 2));
}
END_TEST

START_TEST(test_sub_and_fill)
{
	DrawPen p = draw_pen(&g, (DrawRect){0, 0, 6, 12}, 0);
	DrawPen s = draw_sub(&p, 4, 10, 5, 5);

	/* Cut at the parent's edge. */
	ck_assert_int_eq(s.r.top, 4);
	ck_assert_int_eq(s.r.left, 10);
	ck_assert_int_eq(s.r.rows, 2);
	ck_assert_int_eq(s.r.cols, 2);
	draw_fill(&s, GRID_ROLE_HELP, GRID_ATTR_REVERSE);
	ck_assert_int_eq(grid_cell(&g, 5, 11)->role, GRID_ROLE_HELP);
	ck_assert_int_eq(grid_cell(&g, 5, 11)->attr, GRID_ATTR_REVERSE);
	ck_assert_int_eq(grid_cell(&g, 3, 11)->role, GRID_ROLE_TEXT);
	ck_assert_int_eq(grid_cell(&g, 5, 9)->role, GRID_ROLE_TEXT);
	s = draw_sub(&p, -1, -1, 2, 2);
	ck_assert(s.r.top == 0 && s.r.left == 0 && s.r.rows == 1 &&
	    s.r.cols == 1);
	ck_assert_str_eq(draw_pick(&p, "λ", "lambda"), "λ");
	p.ascii = 1;
	ck_assert_str_eq(draw_pick(&p, "λ", "lambda"), "lambda");
}
END_TEST

START_TEST(test_box)
{
	DrawPen p = draw_pen(&g, (DrawRect){1, 1, 4, 10}, 0);

	draw_box(&p, GRID_ROLE_CAPTION, " a title too long ", "h");
	ck_assert_str_eq(row(0), "            ");
	/* 10 wide: 10 - 4 - 1 cells of title, then the ellipsis. */
	ck_assert_str_eq(row(1), " ┌─ a ti…─┐ ");
	ck_assert_str_eq(row(2), " │        │ ");
	ck_assert_str_eq(row(4), " └──────h─┘ ");
	ck_assert_int_eq(grid_cell(&g, 1, 4)->attr, GRID_ATTR_BOLD);
	ck_assert_int_eq(grid_cell(&g, 2, 1)->role, GRID_ROLE_CAPTION);
	p.ascii = 1;
	draw_box(&p, GRID_ROLE_HELP, " ok ", NULL);
	ck_assert_str_eq(row(1), " +- ok ---+ ");
	ck_assert_str_eq(row(4), " +--------+ ");
	/* In ASCII the ellipsis is three dots. */
	draw_box(&p, GRID_ROLE_HELP, "0123456789", NULL);
	ck_assert_str_eq(row(1), " +-012...-+ ");
}
END_TEST

START_TEST(test_wrap)
{
	const char *s = "aa bb  cc\nd abcdefgh", *next;
	size_t n;

	next = draw_wrap(s, 5, &n);
	ck_assert_int_eq((int)n, 5); /* "aa bb" */
	ck_assert_str_eq(next, "cc\nd abcdefgh");
	next = draw_wrap(next, 5, &n);
	ck_assert_int_eq((int)n, 2); /* "cc", at the newline */
	ck_assert_str_eq(next, "d abcdefgh");
	next = draw_wrap(next, 5, &n);
	ck_assert_int_eq((int)n, 1); /* "d": the word does not fit */
	next = draw_wrap(next, 5, &n);
	ck_assert_int_eq((int)n, 5); /* a word longer than the line */
	ck_assert_str_eq(next, "fgh");
	/* Cells, not bytes. */
	next = draw_wrap("λλλ λ", 4, &n);
	ck_assert_int_eq((int)n, 6);
	ck_assert_str_eq(next, "λ");
}
END_TEST

START_TEST(test_wrap_rows)
{
	DrawPen p = draw_pen(&g, (DrawRect){0, 0, 3, 6}, 0);

	draw_wrap_rows(&p, 1, "  one two three four", GRID_ROLE_NOTICE);
	ck_assert_str_eq(row(0), "            ");
	ck_assert_str_eq(row(1), "one         ");
	ck_assert_str_eq(row(2), "two         ");
	ck_assert_str_eq(row(3), "            ");
	ck_assert_int_eq(grid_cell(&g, 1, 0)->role, GRID_ROLE_NOTICE);
}
END_TEST

START_TEST(test_label_and_free)
{
	DrawPen p = draw_pen(&g, (DrawRect){0, 0, 2, 12}, 0);

	/* Moved left to show whole. */
	draw_label(&p, 0, 9, "abcd", GRID_ROLE_AXIS, 0);
	ck_assert_str_eq(row(0), "        abcd");
	ck_assert_int_eq(draw_free(&p, 0, 0, 4, 0), 1);
	/* No blank between it and the label. */
	ck_assert_int_eq(draw_free(&p, 0, 4, 3, 0), 1);
	ck_assert_int_eq(draw_free(&p, 0, 5, 3, 0), 0);
	ck_assert_int_eq(draw_free(&p, 0, 4, 3, 5), 0);
	ck_assert_int_eq(draw_free(&p, 0, 10, 3, 0), 0);
	/* Wider than the rectangle: from column 0, clipped. */
	draw_label(&p, 1, 3, "0123456789abcdef", GRID_ROLE_AXIS, 0);
	ck_assert_str_eq(row(1), "0123456789ab");
}
END_TEST

START_TEST(test_legend)
{
	static const DrawLegend items[] = {
	    {"█", GRID_ROLE_EXPLODING, "", GRID_ROLE_TEXT, "up"},
	    {"↑", GRID_ROLE_EXPLODING, "↓", GRID_ROLE_VANISHING, "off"},
	    {"x", GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "gone"},
	};
	DrawPen p = draw_pen(&g, (DrawRect){2, 0, 1, 12}, 0);

	/* "█ up" (4), 2 blanks, "↑↓ off" (6): 12; the third does not fit. */
	draw_legend(&p, 0, 0, items, 3, 2);
	ck_assert_str_eq(row(2), "█ up  ↑↓ off");
	ck_assert_int_eq(grid_cell(&g, 2, 0)->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(grid_cell(&g, 2, 7)->role, GRID_ROLE_VANISHING);
	ck_assert_int_eq(grid_cell(&g, 2, 2)->role, GRID_ROLE_DIM);
	grid_clear(&g);
	draw_legend(&p, 0, 0, items, 3, 3);
	ck_assert_str_eq(row(2), "█ up        ");
}
END_TEST

Suite *draw_suite(void)
{
	Suite *s = suite_create("draw");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_text_clipped);
	tcase_add_test(tc, test_sub_and_fill);
	tcase_add_test(tc, test_box);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_wrap_rows);
	tcase_add_test(tc, test_label_and_free);
	tcase_add_test(tc, test_legend);
	suite_add_tcase(s, tc);
	return s;
}
