/*
 * check_chart: one chart laid out on a grid. Bar heights are derived here
 * from the formula chart.h documents (e = round(|log10 v| / decades *
 * side_rows * 8) eighths), not from the chart's own code, and read back
 * cell by cell.
 */
#include "chart.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logaxis.h"
#include "suites.h"

/* The reference geometry: 10^-4 .. 10^4 in 8 rows above and 8 below the
 * critical line. A chart of 18 rows at row 0 has the title on row 0,
 * plot rows 1..17 and so the line on row 9. */
#define REF_ROWS 18
#define REF_LINE 9
#define REF_SIDE 8

static Grid g;
static Scale ref_scale = {-4, 4, 0, -1, 1};

static void setup(void)
{
	memset(&g, 0, sizeof g);
}

static void teardown(void)
{
	grid_free(&g);
}

/* Lays out v[0 .. n-1], one layer per column, on a fresh grid of rows x
 * (gutter + n). Returns the first plot column. */
static int lay_out(const XMag *v, int n, int first, const Scale *s, int rows,
    int ascii)
{
	ChartAxis ax;
	Chart c;
	int gutter = chart_gutter(s);

	ck_assert_int_eq(grid_resize(&g, rows, gutter + n), 0);
	chart_axis_init(&ax, n, n);
	c.title = "test";
	c.values = v;
	c.first = first;
	c.scale = s;
	c.ascii = ascii;
	c.mono = 0;
	chart_layout(&g, 0, 0, rows, gutter, &ax, &c);
	return gutter;
}

static const char *glyph(int r, int col)
{
	const GridCell *c = grid_cell(&g, r, col);

	ck_assert_ptr_nonnull(c);
	return c->glyph;
}

static const char *row(int r)
{
	static char buf[4096];

	ck_assert_int_ge(grid_row_text(&g, r, buf, sizeof buf), 0);
	return buf;
}

static const char *const lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇",
    "█"};

/* Checks the column of a finite value against the documented scheme in
 * the reference geometry. */
static void assert_bar(int col, double lg)
{
	long long e = llround(fabs(lg) / 4 * REF_SIDE * 8);
	int up = lg > 0, k, r, full = (int)(e / 8), tip = (int)(e % 8);
	const GridCell *c;

	for (k = 1; k <= REF_SIDE; k++) {
		r = up ? REF_LINE - k : REF_LINE + k;
		c = grid_cell(&g, r, col);
		if (k <= full) {
			ck_assert_str_eq(c->glyph, up ? "█" : "▒");
			ck_assert_int_eq(c->role,
			    up ? GRID_ROLE_EXPLODING : GRID_ROLE_VANISHING);
		} else if (k == full + 1 && tip > 0) {
			/* Up: k eighths from below. Down: k eighths from
			 * above, the reversed lower block of 8 - k. */
			ck_assert_str_eq(c->glyph, lower[up ? tip : 8 - tip]);
			ck_assert_int_eq(c->attr, up ? 0 : GRID_ATTR_REVERSE);
		} else {
			ck_assert_str_eq(c->glyph, " ");
		}
		/* Nothing on the other side. */
		ck_assert_str_eq(glyph(up ? REF_LINE + k : REF_LINE - k, col),
		    " ");
	}
	ck_assert_str_eq(glyph(REF_LINE, col), "─");
}

START_TEST(test_geometry_and_labels)
{
	XMag one = xmag_from_double(1.0);
	int d, x0;
	char want[32];

	x0 = lay_out(&one, 1, 0, &ref_scale, REF_ROWS, 0);
	ck_assert_int_eq(x0, 6); /* "1e+04" and the axis */
	ck_assert_str_eq(row(0), "test   ");
	ck_assert_str_eq(row(REF_LINE), "1e+00┼─");
	ck_assert_int_eq(grid_cell(&g, REF_LINE, 6)->role, GRID_ROLE_CRITICAL);
	ck_assert_int_eq(grid_cell(&g, REF_LINE, 0)->role, GRID_ROLE_CRITICAL);
	/* Two rows per decade: every decade is labelled, on the row where a
	 * bar of exactly that power ends. */
	for (d = 1; d <= 4; d++) {
		snprintf(want, sizeof want, "1e+%02d┤ ", d);
		ck_assert_str_eq(row(REF_LINE - 2 * d), want);
		snprintf(want, sizeof want, "1e-%02d┤ ", d);
		ck_assert_str_eq(row(REF_LINE + 2 * d), want);
		ck_assert_str_eq(row(REF_LINE - 2 * d + 1), "     │ ");
	}
	ck_assert_str_eq(row(1), "1e+04┤ ");
	ck_assert_str_eq(row(17), "1e-04┤ ");
}
END_TEST

START_TEST(test_bar_heights)
{
	/* Whole cells, a tip of every size, both sides, the edges. */
	static const double lg[] = {
	    2,
	    2.3,
	    4,
	    0.5,
	    0.0625,
	    0.03,
	    1.0 / 64 * 3,
	    -3,
	    -0.3,
	    -4,
	    -2.95,
	    -0.0625,
	    -1.5,
	    -3.99,
	};
	enum { N = sizeof lg / sizeof lg[0] };
	XMag v[N];
	int i, x0;

	for (i = 0; i < N; i++)
		v[i] = xmag_pow10(lg[i]);
	x0 = lay_out(v, N, 0, &ref_scale, REF_ROWS, 0);
	for (i = 0; i < N; i++)
		assert_bar(x0 + i, lg[i]);

	/* Spelled out for 1e2 (32 eighths: four cells, no tip) and 10^2.3
	 * (36.8 -> 37 eighths: four cells and a five-eighths tip). */
	ck_assert_str_eq(glyph(REF_LINE - 4, x0), "█");
	ck_assert_str_eq(glyph(REF_LINE - 5, x0), " ");
	ck_assert_str_eq(glyph(REF_LINE - 4, x0 + 1), "█");
	ck_assert_str_eq(glyph(REF_LINE - 5, x0 + 1), "▅");
	/* 10^-0.3: 4.8 -> 5 eighths from above: the lower 3/8, reversed. */
	ck_assert_str_eq(glyph(REF_LINE + 1, x0 + 8), "▃");
	ck_assert_int_eq(grid_cell(&g, REF_LINE + 1, x0 + 8)->attr,
	    GRID_ATTR_REVERSE);
	ck_assert_str_eq(glyph(REF_LINE + 2, x0 + 8), " ");
}
END_TEST

START_TEST(test_exactly_one_draws_nothing)
{
	XMag v[2];
	int x0, r;

	v[0] = xmag_from_double(1.0);
	v[1] = xmag_pow10(1e-4); /* under half an eighth */
	x0 = lay_out(v, 2, 0, &ref_scale, REF_ROWS, 0);
	for (r = 1; r < REF_ROWS; r++)
		if (r != REF_LINE) {
			ck_assert_str_eq(glyph(r, x0), " ");
			ck_assert_str_eq(glyph(r, x0 + 1), " ");
		}
}
END_TEST

START_TEST(test_up_and_down_differ_in_glyph)
{
	XMag v[2];
	const GridCell *up, *down;
	int x0;

	v[0] = xmag_pow10(2.25); /* 36 eighths: a half-cell tip */
	v[1] = xmag_pow10(-2.25);
	x0 = lay_out(v, 2, 0, &ref_scale, REF_ROWS, 0);
	/* Bodies. */
	ck_assert_str_ne(glyph(REF_LINE - 1, x0), glyph(REF_LINE + 1, x0 + 1));
	/* Tips: the same half cell, drawn differently. */
	up = grid_cell(&g, REF_LINE - 5, x0);
	down = grid_cell(&g, REF_LINE + 5, x0 + 1);
	ck_assert_str_eq(up->glyph, "▄");
	ck_assert_str_eq(down->glyph, "▄");
	ck_assert_int_ne(up->attr, down->attr);
	ck_assert_int_ne(up->role, down->role);
	/* And in ASCII. */
	x0 = lay_out(v, 2, 0, &ref_scale, REF_ROWS, 1);
	ck_assert_str_eq(glyph(REF_LINE - 1, x0), "#");
	ck_assert_str_eq(glyph(REF_LINE + 1, x0 + 1), "=");
	ck_assert_str_eq(glyph(REF_LINE - 5, x0), ":");
	ck_assert_str_eq(glyph(REF_LINE + 5, x0 + 1), "\"");
}
END_TEST

START_TEST(test_off_scale)
{
	XMag v[2];
	int x0, k;

	v[0] = xmag_pow10(7);
	v[1] = xmag_pow10(-300);
	x0 = lay_out(v, 2, 0, &ref_scale, REF_ROWS, 0);
	for (k = 1; k < REF_SIDE; k++) {
		ck_assert_str_eq(glyph(REF_LINE - k, x0), "█");
		ck_assert_str_eq(glyph(REF_LINE + k, x0 + 1), "▒");
	}
	ck_assert_str_eq(glyph(REF_LINE - REF_SIDE, x0), "↑");
	ck_assert_str_eq(glyph(REF_LINE + REF_SIDE, x0 + 1), "↓");
}
END_TEST

/* The column of a special value holds its mark and nothing else. */
static void assert_only(int col, int mark_row, const char *mark)
{
	int r;

	for (r = 1; r < REF_ROWS; r++) {
		if (r == mark_row) {
			ck_assert_str_eq(glyph(r, col), mark);
			ck_assert_int_eq(grid_cell(&g, r, col)->role,
			    GRID_ROLE_SPECIAL);
		} else {
			ck_assert_str_eq(glyph(r, col),
			    r == REF_LINE ? "─" : " ");
		}
	}
}

START_TEST(test_special_marks)
{
	XMag v[3];
	int x0;

	v[0] = xmag_from_double(INFINITY);
	v[1] = xmag_from_double(0.0);
	v[2] = xmag_from_double(NAN);
	x0 = lay_out(v, 3, 0, &ref_scale, REF_ROWS, 0);
	assert_only(x0, 1, "▲");
	assert_only(x0 + 1, REF_ROWS - 1, "▼");
	assert_only(x0 + 2, REF_LINE, "?");
	x0 = lay_out(v, 3, 0, &ref_scale, REF_ROWS, 1);
	ck_assert_str_eq(glyph(1, x0), "^");
	ck_assert_str_eq(glyph(REF_ROWS - 1, x0 + 1), "v");
	ck_assert_str_eq(glyph(REF_LINE, x0 + 2), "?");
}
END_TEST

START_TEST(test_extreme_priority)
{
	XMag v[5];

	v[0] = xmag_pow10(5);
	v[1] = xmag_from_double(0.0);
	v[2] = xmag_from_double(INFINITY);
	v[3] = xmag_from_double(NAN);
	v[4] = xmag_pow10(-9);
	ck_assert(xmag_is_nan(chart_extreme(v, 0, 4)));
	ck_assert(xmag_is_inf(chart_extreme(v, 0, 2)));
	ck_assert(xmag_is_zero(chart_extreme(v, 0, 1)));
	/* nan anywhere in the column wins, first or last. */
	ck_assert(xmag_is_nan(chart_extreme(v, 3, 4)));
	/* Finite: farthest from 1 in log10, whichever side. */
	ck_assert_int_eq(xmag_cmp(chart_extreme(v, 4, 4), v[4]), 0);
	v[1] = xmag_pow10(-2);
	ck_assert_int_eq(xmag_cmp(chart_extreme(v, 0, 1), v[0]), 0);
	v[0] = xmag_pow10(1.5);
	ck_assert_int_eq(xmag_cmp(chart_extreme(v, 0, 1), v[1]), 0);
	/* A tie goes to the larger value. */
	v[0] = xmag_pow10(2);
	ck_assert_int_eq(xmag_cmp(chart_extreme(v, 0, 1), v[0]), 0);
}
END_TEST

START_TEST(test_priority_on_screen)
{
	/* Four columns of two layers: (inf, 0), (0, 1e3), (nan, inf),
	 * (1e-3, 1e2). */
	XMag v[8];
	ChartAxis ax;
	Chart c = {"t", v, 0, &ref_scale, 0, 0};
	int gutter = chart_gutter(&ref_scale);

	v[0] = xmag_from_double(INFINITY);
	v[1] = xmag_from_double(0.0);
	v[2] = xmag_from_double(0.0);
	v[3] = xmag_pow10(3);
	v[4] = xmag_from_double(NAN);
	v[5] = xmag_from_double(INFINITY);
	v[6] = xmag_pow10(-3);
	v[7] = xmag_pow10(2);
	ck_assert_int_eq(grid_resize(&g, REF_ROWS, gutter + 60), 0);
	chart_axis_init(&ax, 8, 4);
	ck_assert_int_eq(ax.per_col, 2);
	chart_layout(&g, 0, 0, REF_ROWS, gutter, &ax, &c);
	assert_only(gutter, 1, "▲");
	assert_only(gutter + 1, REF_ROWS - 1, "▼");
	assert_only(gutter + 2, REF_LINE, "?");
	assert_bar(gutter + 3, -3);
}
END_TEST

START_TEST(test_title_note_fits)
{
	/* Two layers a column: the note in full, short, or not at all, as
	 * the chart's width allows; never past it. */
	static const struct {
		int cols;
		const char *want;
	} cases[] = {
	    {74,
	        "activation rms per layer  (each column: 2 layers, "
	        "showing the extreme)"},
	    {60, "activation rms per layer  (2 layers a column)"},
	    {20, "activation rms per layer"},
	};
	XMag v[148];
	ChartAxis ax;
	Chart c = {"activation rms per layer", v, 0, &ref_scale, 0, 0};
	int gutter = chart_gutter(&ref_scale), l;
	size_t i;
	char want[128];

	for (l = 0; l < 148; l++)
		v[l] = xmag_from_double(2.0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(grid_resize(&g, REF_ROWS, 100), 0);
		chart_axis_init(&ax, 2 * cases[i].cols, cases[i].cols);
		ck_assert_int_eq(ax.per_col, 2);
		chart_layout(&g, 0, 0, REF_ROWS, gutter, &ax, &c);
		snprintf(want, sizeof want, "%-100s", cases[i].want);
		ck_assert_str_eq(row(0), want);
	}
}
END_TEST

START_TEST(test_aggregation_100000_layers)
{
	enum { L = 100000, COLS = 50, C = L / COLS };
	XMag *v = malloc(L * sizeof *v);
	ChartAxis ax;
	int k, first, last, at;

	ck_assert_ptr_nonnull(v);
	chart_axis_init(&ax, L, COLS);
	ck_assert_int_eq(ax.per_col, C);
	/* Every layer near 1; in column k one layer at 10^(k - 25) and a
	 * runner-up on the same side but nearer 1. */
	for (k = 0; k < L; k++)
		v[k] = xmag_pow10(k % 2 ? 0.01 : -0.01);
	for (k = 0; k < COLS; k++) {
		ck_assert_int_eq(chart_column_layers(&ax, k, &first, &last), 0);
		ck_assert_int_eq(first, k * C);
		ck_assert_int_eq(last, (k + 1) * C - 1);
		at = k * C + (k * 37) % C;
		v[at] = xmag_pow10(k - 25.5);
		v[k * C + (k * 37 + 1) % C] = xmag_pow10((k - 25.5) * 0.9);
	}
	for (k = 0; k < COLS; k++) {
		chart_column_layers(&ax, k, &first, &last);
		at = k * C + (k * 37) % C;
		ck_assert_int_eq(xmag_cmp(chart_extreme(v, first, last), v[at]),
		    0);
	}
	/* Every layer is in exactly one column. */
	ck_assert_int_eq(chart_column_layers(&ax, COLS, &first, &last), -1);
	ck_assert_int_eq(chart_layer_column(&ax, L - 1), COLS - 1);
	ck_assert_int_eq(chart_layer_column(&ax, C), 1);
	free(v);
}
END_TEST

START_TEST(test_axis_uneven_and_wide)
{
	ChartAxis ax;
	int first, last;

	/* 151 layers in 74 columns: 2 or 3 a column, all 74 used. */
	chart_axis_init(&ax, 151, 74);
	ck_assert_int_eq(ax.per_col, 3);
	ck_assert_int_eq(ax.per_col_min, 2);
	ck_assert_int_eq(chart_column_layers(&ax, 73, &first, &last), 0);
	ck_assert_int_eq(last, 150);
	ck_assert_int_eq(first, 73 * 151 / 74);
	ck_assert_int_eq(chart_column_layers(&ax, 74, &first, &last), -1);
	ck_assert_int_eq(chart_column_layers(&ax, -1, &first, &last), -1);
	/* 4 layers in 21 columns: spans of 5 from 0, 5, 10, 15 (21 * l / 4),
	 * bars of 4, the rest gaps. */
	chart_axis_init(&ax, 4, 21);
	ck_assert_int_eq(ax.per_col, 1);
	ck_assert_int_eq(ax.slot, 5);
	ck_assert_int_eq(ax.bar, 4);
	ck_assert_int_eq(chart_column_layers(&ax, 3, &first, &last), 0);
	ck_assert_int_eq(first, 0);
	ck_assert_int_eq(chart_column_layers(&ax, 4, &first, &last), -1);
	ck_assert_int_eq(chart_column_layers(&ax, 5, &first, &last), 0);
	ck_assert_int_eq(first, 1);
	ck_assert_int_eq(chart_column_layers(&ax, 18, &first, &last), 0);
	ck_assert_int_eq(first, 3);
	ck_assert_int_eq(chart_column_layers(&ax, 19, &first, &last), -1);
	ck_assert_int_eq(chart_column_layers(&ax, 20, &first, &last), -1);
	ck_assert_int_eq(chart_layer_column(&ax, 2), 10);
	/* Degenerate sizes. */
	chart_axis_init(&ax, 10, 0);
	ck_assert_int_eq(chart_column_layers(&ax, 0, &first, &last), -1);
	chart_axis_init(&ax, 0, 10);
	ck_assert_int_eq(chart_column_layers(&ax, 0, &first, &last), -1);
}
END_TEST

START_TEST(test_axis_fills_width)
{
	/* For every size up to 200 x 90: aggregated, the columns show
	 * consecutive runs of layers, each of per_col_min or per_col, from 0
	 * to the last, every column used, and chart_layer_column inverts
	 * the mapping; spread, each layer's bar starts at its column and
	 * the last bar ends at most slot + 1 columns before the edge. */
	ChartAxis ax;
	int n, c, k, first = 0, last = 0, next, l, end, bad = 0, bad_n = 0,
	             bad_c = 0;

	/* Counted, not asserted one by one: 18000 sizes. */
#define AXIS_CHECK(ok) \
	do { \
		if (!(ok) && bad++ == 0) { \
			bad_n = n; \
			bad_c = c; \
		} \
	} while (0)
#define AXIS_EQ(a, b) AXIS_CHECK((a) == (b))
#define AXIS_GE(a, b) AXIS_CHECK((a) >= (b))
#define AXIS_LE(a, b) AXIS_CHECK((a) <= (b))
#define AXIS_LT(a, b) AXIS_CHECK((a) < (b))

	for (n = 1; n <= 200; n++)
		for (c = 1; c <= 90; c++) {
			chart_axis_init(&ax, n, c);
			if (n > c) {
				next = 0;
				for (k = 0; k < c; k++) {
					AXIS_EQ(chart_column_layers(&ax, k,
					            &first, &last),
					    0);
					AXIS_EQ(first, next);
					AXIS_GE(last - first + 1,
					    ax.per_col_min);
					AXIS_LE(last - first + 1, ax.per_col);
					for (l = first; l <= last; l++)
						AXIS_EQ(chart_layer_column(&ax,
						            l),
						    k);
					next = last + 1;
				}
				AXIS_EQ(next, n);
				continue;
			}
			end = -1;
			for (k = 0; k < c; k++) {
				if (chart_column_layers(&ax, k, &first, &last) <
				    0)
					continue;
				AXIS_EQ(first, last);
				l = chart_layer_column(&ax, first);
				AXIS_LE(l, k);
				AXIS_LT(k, l + ax.bar);
				end = k;
			}
			AXIS_GE(end, c - ax.slot - 2);
			AXIS_EQ(chart_column_layers(&ax,
			            chart_layer_column(&ax, n - 1), &first,
			            &last),
			    0);
			AXIS_EQ(first, n - 1);
		}
	ck_assert_msg(bad == 0,
	    "%d failures, the first at %d layers in %d columns", bad, bad_n,
	    bad_c);
#undef AXIS_CHECK
#undef AXIS_EQ
#undef AXIS_GE
#undef AXIS_LE
#undef AXIS_LT
}
END_TEST

START_TEST(test_mono_down_tips)
{
	/* Without colour a down bar of 2.25 decades (36 eighths: 4.5 cells
	 * on this scale) is 5 whole cells of the down glyph, a tiny one one
	 * cell; up bars keep their eighths. */
	XMag v[3];
	ChartAxis ax;
	Chart c = {"mono", v, 0, &ref_scale, 0, 1};
	int gutter = chart_gutter(&ref_scale), k;

	v[0] = xmag_pow10(-2.25);
	v[1] = xmag_pow10(-0.05); /* 0.8 eighths: 1 */
	v[2] = xmag_pow10(2.25);
	ck_assert_int_eq(grid_resize(&g, REF_ROWS, gutter + 3), 0);
	chart_axis_init(&ax, 3, 3);
	chart_layout(&g, 0, 0, REF_ROWS, gutter, &ax, &c);
	for (k = 1; k <= 5; k++)
		ck_assert_str_eq(glyph(REF_LINE + k, gutter), "▒");
	ck_assert_str_eq(glyph(REF_LINE + 6, gutter), " ");
	ck_assert_str_eq(glyph(REF_LINE + 1, gutter + 1), "▒");
	ck_assert_str_eq(glyph(REF_LINE + 2, gutter + 1), " ");
	ck_assert_str_eq(glyph(REF_LINE - 5, gutter + 2), "▄");
}
END_TEST

START_TEST(test_first_layer_skipped)
{
	/* The weight chart: layer 0 holds a nan that means "no weights". */
	XMag v[2];
	int x0, r;

	v[0] = xmag_from_double(NAN);
	v[1] = xmag_pow10(2);
	x0 = lay_out(v, 2, 1, &ref_scale, REF_ROWS, 0);
	for (r = 1; r < REF_ROWS; r++)
		ck_assert_str_eq(glyph(r, x0), r == REF_LINE ? "─" : " ");
	assert_bar(x0 + 1, 2);
}
END_TEST

START_TEST(test_decade_labels)
{
	char buf[16];
	Scale s = {-1, 27, 0, -1, 1};

	ck_assert_int_eq(logaxis_decade_label(4, buf, sizeof buf), 5);
	ck_assert_str_eq(buf, "1e+04");
	logaxis_decade_label(-46, buf, sizeof buf);
	ck_assert_str_eq(buf, "1e-46");
	logaxis_decade_label(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "1e+00");
	logaxis_decade_label(528, buf, sizeof buf);
	ck_assert_str_eq(buf, "1e+528");
	ck_assert_int_eq(logaxis_decade_label(26, buf, 5), -1);
	ck_assert_int_eq(chart_gutter(&s), 6);
	s.lo = -331;
	ck_assert_int_eq(chart_gutter(&s), 7);
	s.hi = 100000;
	ck_assert_int_eq(chart_gutter(&s), 10);
}
END_TEST

/* Parses "1e+NN" at the start of a row; returns 1 and the decade. */
static int label_at(int r, int *decade)
{
	const GridCell *c = grid_cell(&g, r, 0);
	char buf[4096];
	char *end;

	if (c == NULL || grid_row_text(&g, r, buf, sizeof buf) < 0)
		return 0;
	end = buf;
	while (*end == ' ')
		end++;
	if (strncmp(end, "1e", 2) != 0)
		return 0;
	*decade = (int)strtol(end + 2, &end, 10);
	return 1;
}

START_TEST(test_labels_never_collide)
{
	static const int rows[] = {3, 4, 5, 8, 11, 17, 24, 40};
	static const int ranges[][2] = {
	    {-1, 1},
	    {-1, 27},
	    {-46, 1},
	    {-331, 528},
	    {-3, 100000},
	    {-7, 7},
	    {-1, 3},
	    {-12, 1},
	};
	XMag one = xmag_from_double(1.0);
	int decades[40];
	size_t i, j;
	int r, d, prev_row, n, k, step;
	Scale s;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		for (j = 0; j < sizeof rows / sizeof rows[0]; j++) {
			s.lo = ranges[i][0];
			s.hi = ranges[i][1];
			s.shrink = 0;
			lay_out(&one, 1, 0, &s, rows[j], 0);
			prev_row = -10;
			n = 0;
			for (r = 1; r < rows[j]; r++) {
				if (!label_at(r, &d))
					continue;
				/* A blank row between labels, decades going
				 * down the screen, inside the scale. */
				ck_assert_int_ge(r - prev_row, 2);
				if (n > 0)
					ck_assert_int_lt(d, decades[n - 1]);
				ck_assert_int_le(d, s.hi);
				ck_assert_int_ge(d, s.lo);
				decades[n++] = d;
				prev_row = r;
			}
			/* The critical line is always labelled. */
			ck_assert_int_ge(n, 1);
			/* Apart from the ends of the range, labels are the
			 * multiples of one step: the smallest of them. */
			step = 0;
			for (k = 0; k < n; k++)
				if (decades[k] != s.hi && decades[k] != s.lo &&
				    decades[k] != 0 &&
				    (step == 0 || abs(decades[k]) < step))
					step = abs(decades[k]);
			for (k = 0; k < n; k++)
				if (step > 0 && decades[k] != s.hi &&
				    decades[k] != s.lo)
					ck_assert_int_eq(decades[k] % step, 0);
		}
}
END_TEST

START_TEST(test_ascii_only)
{
	enum { N = 12 };
	XMag v[N];
	ChartAxis ax;
	Chart c = {"ascii", v, 0, &ref_scale, 1, 0};
	const unsigned char *p;
	int r, k, gutter = chart_gutter(&ref_scale);

	for (k = 0; k < 8; k++)
		v[k] = xmag_pow10(k * 1.37 - 5.2); /* tips, bars, off scale */
	v[8] = xmag_from_double(INFINITY);
	v[9] = xmag_from_double(0.0);
	v[10] = xmag_from_double(NAN);
	v[11] = xmag_pow10(12);
	ck_assert_int_eq(grid_resize(&g, REF_ROWS + 2, gutter + 80), 0);
	chart_axis_init(&ax, N, 80);
	chart_layout(&g, 0, 0, REF_ROWS, gutter, &ax, &c);
	chart_layer_labels(&g, REF_ROWS, 0, gutter, &ax);
	chart_legend(&g, REF_ROWS + 1, 0, gutter + 80, 1);
	for (r = 0; r < g.rows; r++)
		for (k = 0; k < g.cols; k++)
			for (p = (const unsigned char *)glyph(r, k); *p; p++)
				ck_assert_uint_lt(*p, 0x80);
	ck_assert_int_eq(gutter, 6);
	ck_assert_int_eq(strncmp(row(REF_LINE), "1e+00+-----", 11), 0);
	ck_assert_ptr_nonnull(strstr(row(REF_ROWS + 1), "^ inf"));
}
END_TEST

START_TEST(test_layer_labels)
{
	ChartAxis ax;
	char buf[4096];
	const char *p, *q;
	long prev = -1, n;

	ck_assert_int_eq(grid_resize(&g, 1, 80), 0);
	chart_axis_init(&ax, 151, 74);
	chart_layer_labels(&g, 0, 0, 6, &ax);
	ck_assert_int_ge(grid_row_text(&g, 0, buf, sizeof buf), 0);
	ck_assert_int_eq(strncmp(buf, "layer", 5), 0);
	/* 0 under the first plot column, 150 ending under the last (the
	 * layers fill all 74). */
	ck_assert_str_eq(grid_cell(&g, 0, 6)->glyph, "0");
	ck_assert_int_eq(strncmp(buf + 6 + 74 - 3, "150", 3), 0);
	/* Increasing numbers, at least two blanks apart. */
	for (p = buf + 6; *p; p = q) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		n = strtol(p, (char **)&q, 10);
		ck_assert_ptr_ne(p, q);
		ck_assert_int_gt(n, prev);
		ck_assert(q[0] == '\0' || (q[0] == ' ' && q[1] == ' '));
		prev = n;
	}
	ck_assert_int_eq(prev, 150);
}
END_TEST

START_TEST(test_tiny_and_empty)
{
	XMag v[3];
	ChartAxis ax;
	Chart c = {"a title longer than the grid", v, 0, &ref_scale, 0, 0};
	int rows;

	v[0] = xmag_pow10(3);
	v[1] = xmag_from_double(INFINITY);
	v[2] = xmag_from_double(0.0);
	/* Every height from nothing up, into a grid that may be smaller
	 * still: nothing to crash on, and the title row comes first. */
	for (rows = 0; rows < 6; rows++) {
		ck_assert_int_eq(grid_resize(&g, rows, 8), 0);
		chart_axis_init(&ax, 3, 2);
		chart_layout(&g, 0, 0, rows, 6, &ax, &c);
		chart_layout(&g, 0, 0, rows + 5, 6, &ax, &c);
		if (rows > 0)
			ck_assert_str_eq(row(0), "a title ");
	}
	/* No data yet: the frame alone. */
	c.values = NULL;
	ck_assert_int_eq(grid_resize(&g, REF_ROWS, 8), 0);
	chart_axis_init(&ax, 3, 2);
	chart_layout(&g, 0, 0, REF_ROWS, 6, &ax, &c);
	ck_assert_str_eq(row(REF_LINE), "1e+00┼──");
	ck_assert_str_eq(row(REF_LINE - 1), "     │  ");
	ck_assert_int_eq(grid_resize(&g, 0, 0), 0);
	chart_layout(&g, 0, 0, REF_ROWS, 6, &ax, &c);
	chart_layer_labels(&g, 0, 0, 6, &ax);
	chart_legend(&g, 0, 0, 80, 0);
}
END_TEST

START_TEST(test_legend_marks)
{
	/* With the overlay on, the legend explains ◆ (issue 12's NO_COLOR
	 * item: without colour the glyph is all there is); the baseline's ◇
	 * likewise; neither otherwise. */
	ck_assert_int_eq(grid_resize(&g, 1, 100), 0);
	chart_legend_marks(&g, 0, 0, 100, 0, 1, 0);
	ck_assert_ptr_nonnull(strstr(row(0), "─ 1e+00   ◆ theory   ▲ inf"));
	ck_assert_ptr_null(strstr(row(0), "baseline"));
	chart_legend_marks(&g, 0, 0, 100, 1, 1, 1);
	ck_assert_ptr_nonnull(strstr(row(0), "* theory   o baseline"));
	chart_legend(&g, 0, 0, 100, 0);
	ck_assert_ptr_null(strstr(row(0), "theory"));
}
END_TEST

/* Lays out v with theory markers t over it, as lay_out does. */
static int lay_out_theory(const XMag *v, const XMag *t, int n, int first,
    int ascii)
{
	ChartAxis ax;
	Chart c = {"theory", v, first, &ref_scale, ascii, 0};
	int gutter = lay_out(v, n, first, &ref_scale, REF_ROWS, ascii);

	chart_axis_init(&ax, n, n);
	chart_theory(&g, 0, 0, REF_ROWS, gutter, &ax, &c, t);
	return gutter;
}

/* The rows of column col holding a theory marker: their count, the last
 * one in *at. */
static int theory_marks(int col, int *at)
{
	int r, n = 0;

	for (r = 0; r < REF_ROWS; r++)
		if (grid_cell(&g, r, col)->role == GRID_ROLE_THEORY) {
			n++;
			*at = r;
		}
	return n;
}

START_TEST(test_theory_on_bar_tops)
{
	/* Whole cells, tips of several sizes, both sides, the edges. */
	static const double lg[] = {
	    2,
	    2.3,
	    4,
	    0.5,
	    0.03,
	    -3,
	    -0.3,
	    -4,
	    -2.95,
	    -1.5,
	    -3.99,
	};
	enum { N = sizeof lg / sizeof lg[0] };
	XMag v[N];
	int i, x0, at = -1, top;
	long long e;

	for (i = 0; i < N; i++)
		v[i] = xmag_pow10(lg[i]);
	x0 = lay_out_theory(v, v, N, 0, 0);
	for (i = 0; i < N; i++) {
		/* The bar's last cell, by the documented formula. */
		e = llround(fabs(lg[i]) / 4 * REF_SIDE * 8);
		top = (int)((e + 7) / 8);
		top = lg[i] > 0 ? REF_LINE - top : REF_LINE + top;
		ck_assert_int_eq(theory_marks(x0 + i, &at), 1);
		ck_assert_int_eq(at, top);
		ck_assert_str_eq(glyph(at, x0 + i), "◆");
		/* The bar below the marker is untouched (0.03 is under
		 * half an eighth: no bar, the marker on the line). */
		if (abs(at - REF_LINE) >= 2)
			ck_assert_str_eq(glyph(lg[i] > 0 ? at + 1 : at - 1,
			                     x0 + i),
			    lg[i] > 0 ? "█" : "▒");
	}
}
END_TEST

START_TEST(test_theory_on_decade_rows)
{
	/* Theory 10^k, whatever the bar: the marker on 10^k's label row. */
	XMag v[9], t[9];
	char label[16];
	int k, x0, at = -1;

	for (k = -4; k <= 4; k++) {
		v[k + 4] = xmag_pow10(0.7 * k);
		t[k + 4] = xmag_pow10(k);
	}
	x0 = lay_out_theory(v, t, 9, 0, 0);
	for (k = -4; k <= 4; k++) {
		ck_assert_int_eq(theory_marks(x0 + k + 4, &at), 1);
		ck_assert_int_eq(at, REF_LINE - 2 * k);
		logaxis_decade_label(k, label, sizeof label);
		ck_assert_int_eq(strncmp(row(at), label, 5), 0);
	}
	/* ASCII: the same places. */
	x0 = lay_out_theory(v, t, 9, 0, 1);
	ck_assert_str_eq(glyph(REF_LINE - 6, x0 + 7), "*");
	ck_assert_int_eq(grid_cell(&g, REF_LINE - 6, x0 + 7)->role,
	    GRID_ROLE_THEORY);
}
END_TEST

START_TEST(test_theory_specials_and_absent)
{
	XMag v[6], t[6];
	int x0, at = -1, k;

	for (k = 0; k < 6; k++)
		v[k] = xmag_pow10(1);
	t[0] = xmag_from_double(INFINITY);
	t[1] = xmag_from_double(0.0);
	t[2] = xmag_from_double(NAN);
	t[3] = xmag_pow10(40);
	t[4] = xmag_pow10(-1e6);
	t[5] = xmag_from_double(1.0);
	x0 = lay_out_theory(v, t, 6, 0, 0);
	ck_assert_int_eq(theory_marks(x0, &at), 1);
	ck_assert_int_eq(at, 1);
	ck_assert_int_eq(theory_marks(x0 + 1, &at), 1);
	ck_assert_int_eq(at, REF_ROWS - 1);
	ck_assert_int_eq(theory_marks(x0 + 2, &at), 0);
	ck_assert_int_eq(theory_marks(x0 + 3, &at), 1);
	ck_assert_int_eq(at, REF_LINE - REF_SIDE);
	ck_assert_int_eq(theory_marks(x0 + 4, &at), 1);
	ck_assert_int_eq(at, REF_LINE + REF_SIDE);
	ck_assert_int_eq(theory_marks(x0 + 5, &at), 1);
	ck_assert_int_eq(at, REF_LINE);
	/* NULL: the chart alone, identical to one without theory. */
	x0 = lay_out_theory(v, NULL, 6, 0, 0);
	for (k = 0; k < 6; k++)
		ck_assert_int_eq(theory_marks(x0 + k, &at), 0);
	/* Layers before first (the weight chart's layer 0) get none. */
	x0 = lay_out_theory(v, t, 6, 1, 0);
	ck_assert_int_eq(theory_marks(x0, &at), 0);
	ck_assert_int_eq(theory_marks(x0 + 1, &at), 1);
}
END_TEST

Suite *chart_suite(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_geometry_and_labels);
	tcase_add_test(tc, test_bar_heights);
	tcase_add_test(tc, test_exactly_one_draws_nothing);
	tcase_add_test(tc, test_up_and_down_differ_in_glyph);
	tcase_add_test(tc, test_off_scale);
	tcase_add_test(tc, test_special_marks);
	tcase_add_test(tc, test_extreme_priority);
	tcase_add_test(tc, test_priority_on_screen);
	tcase_add_test(tc, test_title_note_fits);
	tcase_add_test(tc, test_aggregation_100000_layers);
	tcase_add_test(tc, test_axis_uneven_and_wide);
	tcase_add_test(tc, test_axis_fills_width);
	tcase_add_test(tc, test_mono_down_tips);
	tcase_add_test(tc, test_legend_marks);
	tcase_add_test(tc, test_first_layer_skipped);
	tcase_add_test(tc, test_decade_labels);
	tcase_add_test(tc, test_labels_never_collide);
	tcase_add_test(tc, test_ascii_only);
	tcase_add_test(tc, test_layer_labels);
	tcase_add_test(tc, test_tiny_and_empty);
	tcase_add_test(tc, test_theory_on_bar_tops);
	tcase_add_test(tc, test_theory_on_decade_rows);
	tcase_add_test(tc, test_theory_specials_and_absent);
	suite_add_tcase(s, tc);
	return s;
}
