/*
 * check_grid: the cell grid. Cells are read back one by one and as row
 * text; multibyte glyphs, clipping at every edge, malformed UTF-8 and
 * empty grids are what the view leans on.
 */
#include "grid.h"

#include <check.h>
#include <string.h>

#include "suites.h"

static Grid g;

static void setup(void)
{
	memset(&g, 0, sizeof g);
}

static void teardown(void)
{
	grid_free(&g);
}

/* Row text of the fixture grid, in a static buffer. */
static const char *row(int r)
{
	static char buf[1024];

	ck_assert_int_ge(grid_row_text(&g, r, buf, sizeof buf), 0);
	return buf;
}

START_TEST(test_role_names)
{
	ck_assert_str_eq(grid_role_name(GRID_ROLE_TEXT), "text");
	ck_assert_str_eq(grid_role_name(GRID_ROLE_EXPLODING), "exploding");
	ck_assert_str_eq(grid_role_name(GRID_ROLE_VANISHING), "vanishing");
	ck_assert_str_eq(grid_role_name(GRID_ROLE_HELP_KEY), "help-key");
	ck_assert_str_eq(grid_role_name(GRID_ROLE_NOTICE), "notice");
	ck_assert_str_eq(grid_role_name(GRID_ROLE_COUNT), "?");
	ck_assert_str_eq(grid_role_name((GridRole)-1), "?");
}
END_TEST

START_TEST(test_resize_clears)
{
	const GridCell *c;
	int r, k;

	ck_assert_int_eq(grid_resize(&g, 3, 4), 0);
	ck_assert_int_eq(g.rows, 3);
	ck_assert_int_eq(g.cols, 4);
	grid_put(&g, 1, 1, "x", GRID_ROLE_SPECIAL, GRID_ATTR_BOLD);
	/* A resize to a new shape starts from blank cells again. */
	ck_assert_int_eq(grid_resize(&g, 2, 6), 0);
	for (r = 0; r < 2; r++)
		for (k = 0; k < 6; k++) {
			c = grid_cell(&g, r, k);
			ck_assert_ptr_nonnull(c);
			ck_assert_str_eq(c->glyph, " ");
			ck_assert_int_eq(c->role, GRID_ROLE_TEXT);
			ck_assert_int_eq(c->attr, 0);
		}
	ck_assert_str_eq(row(1), "      ");
	/* Negative sizes are empty grids, not errors. */
	ck_assert_int_eq(grid_resize(&g, -3, 5), 0);
	ck_assert_int_eq(g.rows, 0);
}
END_TEST

START_TEST(test_put_and_read)
{
	const GridCell *c;

	ck_assert_int_eq(grid_resize(&g, 2, 3), 0);
	grid_put(&g, 1, 2, "z", GRID_ROLE_EXPLODING, GRID_ATTR_BOLD);
	c = grid_cell(&g, 1, 2);
	ck_assert_str_eq(c->glyph, "z");
	ck_assert_int_eq(c->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(c->attr, GRID_ATTR_BOLD);
	ck_assert_ptr_eq(grid_at(&g, 1, 2), c);
	ck_assert_str_eq(row(1), "  z");
	ck_assert_str_eq(row(0), "   ");

	/* Outside the grid: no cell, and writing there changes nothing. */
	ck_assert_ptr_null(grid_at(&g, 2, 0));
	ck_assert_ptr_null(grid_at(&g, 0, 3));
	ck_assert_ptr_null(grid_at(&g, -1, 0));
	ck_assert_ptr_null(grid_cell(&g, 0, -1));
	grid_put(&g, -1, 0, "x", GRID_ROLE_TEXT, 0);
	grid_put(&g, 0, 3, "x", GRID_ROLE_TEXT, 0);
	grid_put(&g, 2, 2, "x", GRID_ROLE_TEXT, 0);
	ck_assert_str_eq(row(0), "   ");
	ck_assert_str_eq(row(1), "  z");

	/* An empty glyph is a blank, not a hole in the row. */
	grid_put(&g, 1, 2, "", GRID_ROLE_TEXT, 0);
	ck_assert_str_eq(row(1), "   ");
}
END_TEST

START_TEST(test_put_multibyte)
{
	ck_assert_int_eq(grid_resize(&g, 1, 4), 0);
	grid_put(&g, 0, 0, "█", GRID_ROLE_EXPLODING, 0);   /* 3 bytes */
	grid_put(&g, 0, 1, "▁▂▃", GRID_ROLE_EXPLODING, 0); /* first only */
	grid_put(&g, 0, 2, "λ", GRID_ROLE_STATUS, 0);      /* 2 bytes */
	grid_put(&g, 0, 3, "\xf0\x9d\x9c\x86", GRID_ROLE_TEXT, 0); /* 4 */
	ck_assert_str_eq(grid_cell(&g, 0, 0)->glyph, "█");
	ck_assert_str_eq(grid_cell(&g, 0, 1)->glyph, "▁");
	ck_assert_str_eq(grid_cell(&g, 0, 2)->glyph, "λ");
	ck_assert_str_eq(grid_cell(&g, 0, 3)->glyph, "\xf0\x9d\x9c\x86");
	ck_assert_str_eq(row(0), "█▁λ\xf0\x9d\x9c\x86");
}
END_TEST

START_TEST(test_text_clipping)
{
	ck_assert_int_eq(grid_resize(&g, 3, 5), 0);
	/* Right edge. */
	ck_assert_int_eq(grid_text(&g, 0, 2, "abcdef", GRID_ROLE_TEXT, 0), 3);
	ck_assert_str_eq(row(0), "  abc");
	/* Left edge: what starts off-screen is cut, not shifted. */
	ck_assert_int_eq(grid_text(&g, 1, -2, "abcdef", GRID_ROLE_TEXT, 0), 4);
	ck_assert_str_eq(row(1), "cdef ");
	/* A newline ends the text. */
	ck_assert_int_eq(grid_text(&g, 2, 0, "ab\ncd", GRID_ROLE_TEXT, 0), 2);
	ck_assert_str_eq(row(2), "ab   ");
	/* Rows outside the grid and columns past its end. */
	ck_assert_int_eq(grid_text(&g, 3, 0, "x", GRID_ROLE_TEXT, 0), 0);
	ck_assert_int_eq(grid_text(&g, -1, 0, "x", GRID_ROLE_TEXT, 0), 0);
	ck_assert_int_eq(grid_text(&g, 0, 5, "x", GRID_ROLE_TEXT, 0), 0);
	ck_assert_int_eq(grid_text(&g, 0, -9, "abc", GRID_ROLE_TEXT, 0), 0);
	ck_assert_str_eq(row(0), "  abc");
}
END_TEST

START_TEST(test_text_utf8_one_cell_per_character)
{
	ck_assert_int_eq(grid_resize(&g, 1, 12), 0);
	ck_assert_int_eq(grid_text(&g, 0, 0, "λ=1.5 ×2 ─▒", GRID_ROLE_STATUS,
	                     GRID_ATTR_REVERSE),
	    11);
	ck_assert_str_eq(grid_cell(&g, 0, 0)->glyph, "λ");
	ck_assert_str_eq(grid_cell(&g, 0, 1)->glyph, "=");
	ck_assert_str_eq(grid_cell(&g, 0, 6)->glyph, "×");
	ck_assert_str_eq(grid_cell(&g, 0, 10)->glyph, "▒");
	ck_assert_int_eq(grid_cell(&g, 0, 10)->role, GRID_ROLE_STATUS);
	ck_assert_int_eq(grid_cell(&g, 0, 10)->attr, GRID_ATTR_REVERSE);
	ck_assert_str_eq(row(0), "λ=1.5 ×2 ─▒ ");
	/* Clipped between multibyte characters, never inside one. */
	ck_assert_int_eq(grid_text(&g, 0, 10, "▁▂▃", GRID_ROLE_TEXT, 0), 2);
	ck_assert_str_eq(row(0), "λ=1.5 ×2 ─▁▂");
}
END_TEST

START_TEST(test_text_malformed_utf8)
{
	ck_assert_int_eq(grid_resize(&g, 1, 9), 0);
	/* A bad lead byte, a truncated sequence (two bytes of a three-byte
	 * character), a control character and an overlong '/': each bad
	 * byte is one '?' and the good text around it survives. */
	ck_assert_int_eq(grid_text(&g, 0, 0,
	                     "\xff"
	                     "a\xe2\x96x\t\xc0\xaf",
	                     GRID_ROLE_TEXT, 0),
	    8);
	ck_assert_str_eq(row(0), "?a??x??? ");
	grid_put(&g, 0, 8, "\x80", GRID_ROLE_TEXT, 0);
	ck_assert_str_eq(grid_cell(&g, 0, 8)->glyph, "?");
}
END_TEST

START_TEST(test_row_text_buffer)
{
	char buf[8];

	ck_assert_int_eq(grid_resize(&g, 1, 3), 0);
	grid_text(&g, 0, 0, "█ab", GRID_ROLE_TEXT, 0);
	/* 3 + 1 + 1 bytes and the NUL. */
	ck_assert_int_eq(grid_row_text(&g, 0, buf, 6), 5);
	ck_assert_str_eq(buf, "█ab");
	ck_assert_int_eq(grid_row_text(&g, 0, buf, 5), -1);
	ck_assert_int_eq(grid_row_text(&g, 0, buf, 0), -1);
	/* A row that does not exist reads as empty. */
	ck_assert_int_eq(grid_row_text(&g, 1, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_empty_grid)
{
	char buf[4];

	ck_assert_int_eq(grid_resize(&g, 0, 0), 0);
	ck_assert_int_eq(g.rows, 0);
	ck_assert_int_eq(g.cols, 0);
	grid_clear(&g);
	grid_put(&g, 0, 0, "x", GRID_ROLE_TEXT, 0);
	ck_assert_int_eq(grid_text(&g, 0, 0, "abc", GRID_ROLE_TEXT, 0), 0);
	ck_assert_ptr_null(grid_at(&g, 0, 0));
	ck_assert_int_eq(grid_row_text(&g, 0, buf, sizeof buf), 0);
	/* One dimension zero is just as empty. */
	ck_assert_int_eq(grid_resize(&g, 0, 7), 0);
	ck_assert_int_eq(grid_text(&g, 0, 0, "abc", GRID_ROLE_TEXT, 0), 0);
	ck_assert_int_eq(grid_resize(&g, 7, 0), 0);
	ck_assert_int_eq(grid_text(&g, 3, 0, "abc", GRID_ROLE_TEXT, 0), 0);
	/* And back to a real size. */
	ck_assert_int_eq(grid_resize(&g, 1, 1), 0);
	ck_assert_int_eq(grid_text(&g, 0, 0, "abc", GRID_ROLE_TEXT, 0), 1);
	ck_assert_str_eq(row(0), "a");
	grid_free(&g);
	grid_free(&g);
	ck_assert_ptr_null(g.cells);
}
END_TEST

Suite *grid_suite(void)
{
	Suite *s = suite_create("grid");
	TCase *tc = tcase_create("cells");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_role_names);
	tcase_add_test(tc, test_resize_clears);
	tcase_add_test(tc, test_put_and_read);
	tcase_add_test(tc, test_put_multibyte);
	tcase_add_test(tc, test_text_clipping);
	tcase_add_test(tc, test_text_utf8_one_cell_per_character);
	tcase_add_test(tc, test_text_malformed_utf8);
	tcase_add_test(tc, test_row_text_buffer);
	tcase_add_test(tc, test_empty_grid);
	suite_add_tcase(s, tc);
	return s;
}
