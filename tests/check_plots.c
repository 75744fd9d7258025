/*
 * check_plots: the sweep, map, spectrum and training views on a grid.
 * Data is made here (lambda^L for an identity-linear network, fabricated
 * singular values and losses); positions are derived from the geometry
 * src/plots.c documents, not from its code, and read back cell by cell.
 */
#include "plots.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "viewmod.h"

#define GRID_ROWS 60
#define GRID_COLS 220

static Grid g;

static void setup(void)
{
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(grid_resize(&g, GRID_ROWS, GRID_COLS), 0);
}

static void teardown(void)
{
	grid_free(&g);
}

/* The cell at (row, col) of rectangle r. */
static const GridCell *at(DrawRect r, int row, int col)
{
	const GridCell *c = grid_cell(&g, r.top + row, r.left + col);

	ck_assert_ptr_nonnull(c);
	return c;
}

static const char *glyph(DrawRect r, int row, int col)
{
	return at(r, row, col)->glyph;
}

/* Row `row` of rectangle r as text. */
static const char *rect_row(DrawRect r, int row)
{
	static char buf[4096];
	size_t used = 0, n;
	int x;

	buf[0] = '\0';
	for (x = 0; x < r.cols; x++) {
		n = strlen(glyph(r, row, x));
		ck_assert_uint_lt(used + n, sizeof buf);
		memcpy(buf + used, glyph(r, row, x), n + 1);
		used += n;
	}
	return buf;
}

/* The number of cells of r in role. */
static int count_role(DrawRect r, GridRole role)
{
	int y, x, n = 0;

	for (y = 0; y < r.rows; y++)
		for (x = 0; x < r.cols; x++)
			n += at(r, y, x)->role == role;
	return n;
}

/* The log axis row of log10 y, plots.c's formula, relative to r. */
static int log_row(double y, double lo, double hi, int first, int rows)
{
	return first + (int)lround((hi - y) / (hi - lo) * (rows - 1));
}

static int lin_col(double x, double a, double b, int w)
{
	return (int)lround((x - a) / (b - a) * (w - 1));
}

/* ---------------------------------------------------------------------- */
/* Sweep                                                                  */
/* ---------------------------------------------------------------------- */

#define SW_N 101
#define SW_L 10

static SweepPoint sw[SW_N];

/* lambda = 0.5 .. 1.5 by 0.01; an identity-linear network of SW_L layers
 * has output and first-layer gradient lambda^L, theory likewise. */
static void sweep_fill(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		sw[i].lambda = 0.5 + i * (1.0 / (n - 1));
		sw[i].output_rms = xmag_pow10(SW_L * log10(sw[i].lambda));
		sw[i].input_gradient = sw[i].output_rms;
		sw[i].theory_output = sw[i].output_rms;
		sw[i].theory_gradient = sw[i].output_rms;
		sw[i].done = 1;
	}
}

START_TEST(test_sweep_identity_linear)
{
	DrawRect r = {2, 3, 20, 70};
	/* log10 runs from 10 log10 0.5 = -3.01 to 10 log10 1.5 = 1.76:
	 * decades -4 .. 2, labels "1e-04" wide: a gutter of 6. */
	const double lo = -4, hi = 2;
	const int gutter = 6, w = r.cols - gutter, first = 1, P = r.rows - 3;
	int i, row, col, one, xn, xc;

	sweep_fill(SW_N);
	view_sweep_plot(&g, r, sw, SW_N, 1.23, 1.0, 0, 1, 0);
	/* The 10^0 line, labelled as the chart labels it. */
	one = log_row(0, lo, hi, first, P);
	ck_assert_int_eq(strncmp(rect_row(r, one), "1e+00┼───", 15), 0);
	ck_assert_int_eq(at(r, one, 0)->role, GRID_ROLE_CRITICAL);
	ck_assert_int_eq(strncmp(rect_row(r, first), "1e+02┤", 8), 0);
	ck_assert_int_eq(strncmp(rect_row(r, first + P - 1), "1e-04┤", 8), 0);
	/* Every point where the mapping puts it; output and gradient are
	 * equal here, one cell each, which says so: ⊗. */
	for (i = 0; i < SW_N; i++) {
		row = log_row(SW_L * log10(sw[i].lambda), lo, hi, first, P);
		col = gutter + lin_col(sw[i].lambda, 0.5, 1.5, w);
		ck_assert_str_eq(glyph(r, row, col), "⊗");
	}
	/* lambda = 1 crosses 10^0, in the CRITICAL role. */
	col = gutter + lin_col(1.0, 0.5, 1.5, w);
	ck_assert_str_eq(glyph(r, one, col), "⊗");
	ck_assert_int_eq(at(r, one, col)->role, GRID_ROLE_CRITICAL);
	/* Coloured by magnitude: 1.5^10 above 10, 0.5^10 below 0.1. */
	ck_assert_int_eq(at(r, log_row(SW_L * log10(1.5), lo, hi, first, P),
	                     gutter + w - 1)
	                     ->role,
	    GRID_ROLE_EXPLODING);
	ck_assert_int_eq(at(r, log_row(SW_L * log10(0.5), lo, hi, first, P),
	                     gutter)
	                     ->role,
	    GRID_ROLE_VANISHING);
	/* The markers: lambda right of the critical one, its label from
	 * its column; the critical label ending at its own. */
	xn = gutter + lin_col(1.23, 0.5, 1.5, w);
	xc = gutter + lin_col(1.0, 0.5, 1.5, w);
	ck_assert_str_eq(glyph(r, first, xn), "│");
	ck_assert_str_eq(glyph(r, first, xc), "┆");
	ck_assert_int_eq(at(r, first, xc)->role, GRID_ROLE_CRITICAL);
	ck_assert_str_eq(glyph(r, r.rows - 2, xn), "λ");
	ck_assert_str_eq(glyph(r, r.rows - 2, xn + 1), "=");
	ck_assert_str_eq(glyph(r, r.rows - 2, xn + 7), "0");
	ck_assert_str_eq(glyph(r, r.rows - 2, xc - 8), "λ");
	ck_assert_str_eq(glyph(r, r.rows - 2, xc - 7), "c");
	ck_assert_str_eq(glyph(r, r.rows - 2, xc), "0");
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "λc=1.0000"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "λ=1.2300"));
	/* The range's ends, and a legend. */
	ck_assert_str_eq(glyph(r, r.rows - 2, gutter), "0");
	ck_assert_str_eq(glyph(r, r.rows - 2, r.cols - 3), "1");
	ck_assert_str_eq(glyph(r, r.rows - 2, r.cols - 1), "5");
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "● output"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "× gradient"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "⊗ both"));
	/* All done: no progress. */
	ck_assert_ptr_null(strstr(rect_row(r, 0), "points"));
	ck_assert_int_eq(count_role(r, GRID_ROLE_THEORY), 0);
}
END_TEST

START_TEST(test_sweep_progress_and_markers)
{
	enum { N = 21 };
	DrawRect r = {0, 0, 16, 80};
	const int gutter = 6, w = r.cols - gutter;
	int i, y, col, hits;

	sweep_fill(N);
	/* Every other point not done yet, and worlds apart: it must not
	 * show, nor stretch the axis. */
	for (i = 1; i < N; i += 2) {
		sw[i].done = 0;
		sw[i].output_rms = sw[i].input_gradient = xmag_pow10(300);
	}
	view_sweep_plot(&g, r, sw, N, NAN, NAN, 0, 1, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 0), "11/21 points"));
	for (i = 0; i < N; i++) {
		col = gutter + lin_col(sw[i].lambda, 0.5, 1.5, w);
		for (hits = 0, y = 1; y < r.rows - 2; y++)
			hits += strcmp(glyph(r, y, col), "⊗") == 0;
		ck_assert_int_eq(hits, sw[i].done ? 1 : 0);
	}
	/* No lambda, no critical lambda: no markers, no labels. */
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 2), "λ"));
	for (y = 1; y < r.rows - 2; y++)
		ck_assert_ptr_null(strstr(rect_row(r, y), "┆"));
	/* A lambda outside the range has no marker either. */
	view_sweep_plot(&g, r, sw, N, 2.5, 0.1, 0, 1, 0);
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 2), "λ"));
}
END_TEST

START_TEST(test_sweep_theory)
{
	DrawRect r = {1, 1, 20, 70};
	const double lo = -4, hi = 2;
	const int gutter = 6, w = r.cols - gutter, first = 1, P = r.rows - 3;
	int i, row, col, n = 0;

	sweep_fill(SW_N);
	/* Theory a decade below the measured output from lambda = 1.2. */
	for (i = 70; i < SW_N; i++)
		sw[i].theory_output = sw[i].theory_gradient = xmag_pow10(SW_L *
		        log10(sw[i].lambda) -
		    1);
	view_sweep_plot(&g, r, sw, SW_N, 1.0, NAN, 1, 1, 0);
	for (i = 70; i < SW_N; i++) {
		row = log_row(SW_L * log10(sw[i].lambda) - 1, lo, hi, first, P);
		col = gutter + lin_col(sw[i].lambda, 0.5, 1.5, w);
		if (strcmp(glyph(r, row, col), "⊗") == 0) {
			/* On the measured curve: drawn reversed. */
			ck_assert(at(r, row, col)->attr & GRID_ATTR_REVERSE);
			continue;
		}
		/* Theory's output and gradient are equal: one mark. */
		ck_assert_int_eq(at(r, row, col)->role, GRID_ROLE_THEORY);
		ck_assert_str_eq(glyph(r, row, col), "⊕");
		n++;
	}
	ck_assert_int_gt(n, 5);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "theory"));
}
END_TEST

/* By default the sweep frames lambda_c +- a quarter of it (taking in
 * lambda) and fits the y axis to the points there; full shows them all.
 * Output and gradient that differ keep their own glyphs; a measured mark
 * on theory is reversed, and each kind has its legend entry. */
START_TEST(test_sweep_frame_and_overlaps)
{
	enum { N = 201 };
	static SweepPoint q[N];
	DrawRect r = {0, 0, 20, 130};
	const int first = 1, P = r.rows - 3;
	int i, y, x, outs = 0, grads = 0, rev = 0;
	double lo_full = 1e9, lo_win = 1e9;

	/* lambda 0 .. 4 by 0.02, L = 60 layers: output lambda^60, gradient
	 * a decade above it, theory on the output. lambda_c = 1. */
	for (i = 0; i < N; i++) {
		q[i].lambda = i * 0.02;
		q[i].output_rms = i == 0 ? xmag_from_double(0) :
		                           xmag_pow10(60 * log10(q[i].lambda));
		q[i].input_gradient = i == 0 ?
		    xmag_from_double(0) :
		    xmag_pow10(60 * log10(q[i].lambda) + 1);
		q[i].theory_output = q[i].output_rms;
		q[i].theory_gradient = q[i].output_rms;
		q[i].done = 1;
		if (i > 0 && 60 * log10(q[i].lambda) < lo_full)
			lo_full = 60 * log10(q[i].lambda);
		if (q[i].lambda >= 0.75 - 1e-9 && q[i].lambda <= 1.25 + 1e-9 &&
		    60 * log10(q[i].lambda) < lo_win)
			lo_win = 60 * log10(q[i].lambda);
	}
	view_sweep_plot(&g, r, q, N, 1.1, 1.0, 1, 0, 0);
	/* The x axis ends: 0.75 and 1.25; the legend says F shows all. */
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "0.75"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "1.25"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "F: all λ"));
	/* The lowest decade is the window's, 60 log10 0.75 = -7.5. */
	ck_assert_int_eq(strncmp(rect_row(r, first + P - 1), "1e-08┤", 8), 0);
	ck_assert_int_eq((int)floor(lo_win), -8);
	/* Both series visible, the theory's under the output reversed. */
	for (y = first; y < first + P; y++)
		for (x = 0; x < r.cols; x++) {
			outs += strcmp(glyph(r, y, x), "●") == 0;
			grads += strcmp(glyph(r, y, x), "×") == 0;
			rev += strcmp(glyph(r, y, x), "●") == 0 &&
			    (at(r, y, x)->attr & GRID_ATTR_REVERSE);
		}
	ck_assert_int_gt(outs, 10);
	ck_assert_int_gt(grads, 10);
	ck_assert_int_gt(rev, 10);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "on theory"));
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 1), "⊗"));
	/* Full: 0 .. 4, down to the smallest finite value's decade. */
	view_sweep_plot(&g, r, q, N, 1.1, 1.0, 1, 1, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "4"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "F: around λc"));
	ck_assert_int_lt(floor(lo_full), -100);
	ck_assert_ptr_nonnull(strstr(rect_row(r, first + P - 1), "1e-100┤"));
	/* No critical lambda: nothing to frame, all of it. */
	view_sweep_plot(&g, r, q, N, 1.1, NAN, 0, 0, 0);
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 1), "F:"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "4"));
}
END_TEST

START_TEST(test_sweep_specials)
{
	DrawRect r = {0, 0, 20, 70};
	const int first = 1, P = r.rows - 3;
	int i, y, x, one = -1;

	sweep_fill(SW_N);
	/* Specials everywhere but at lambda = 1: decades -1 .. 1. */
	for (i = 0; i < SW_N; i++) {
		sw[i].output_rms = sw[i].input_gradient = xmag_from_double(i %
		                3 ==
		            0 ?
		        INFINITY :
		        i % 3 == 1 ? 0.0 :
		                     NAN);
	}
	sw[50].output_rms = sw[50].input_gradient = xmag_from_double(1.0);
	view_sweep_plot(&g, r, sw, SW_N, 1.0, 1.0, 0, 1, 0);
	for (y = 0; y < r.rows; y++)
		if (strncmp(rect_row(r, y), "1e+00┼", 8) == 0)
			one = y;
	ck_assert_int_eq(one, log_row(0, -1, 1, first, P));
	for (x = 6; x < r.cols; x++) {
		if (strcmp(glyph(r, first, x), "▲") == 0)
			ck_assert_int_eq(at(r, first, x)->role,
			    GRID_ROLE_SPECIAL);
		if (strcmp(glyph(r, first + P - 1, x), "▼") == 0)
			ck_assert_int_eq(at(r, first + P - 1, x)->role,
			    GRID_ROLE_SPECIAL);
	}
	ck_assert_ptr_nonnull(strstr(rect_row(r, first), "▲"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, first + P - 1), "▼"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, one), "?"));
	ck_assert_int_gt(count_role(r, GRID_ROLE_SPECIAL), 30);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Map                                                                    */
/* ---------------------------------------------------------------------- */

#define MAP_R 10
#define MAP_C 30

static double map_lambda[MAP_C];
static int map_depth[MAP_R];
static XMag map_cell[MAP_R * MAP_C];
static unsigned char map_done[MAP_R * MAP_C];

/* lambda 0.8 .. 1.38, depth 20 .. 200: cells lambda^depth. */
static MapView map_fill(void)
{
	MapView m = {MAP_R, MAP_C, map_lambda, map_depth, map_cell, map_done,
	    0};
	int y, x;

	for (x = 0; x < MAP_C; x++)
		map_lambda[x] = 0.8 + 0.02 * x;
	for (y = 0; y < MAP_R; y++)
		map_depth[y] = 20 * (y + 1);
	for (y = 0; y < MAP_R; y++)
		for (x = 0; x < MAP_C; x++) {
			map_cell[y * MAP_C + x] = xmag_pow10(map_depth[y] *
			    log10(map_lambda[x]));
			map_done[y * MAP_C + x] = 1;
		}
	m.ndone = MAP_R * MAP_C;
	return m;
}

/* The first of w cells showing index i of n (the map stretched). */
static int span_start(int i, int n, int w)
{
	int x;

	for (x = 0; x < w; x++)
		if (x * n / w == i)
			return x;
	return -1;
}

START_TEST(test_map_cells_and_cursor)
{
	static const char *const shades[2][4] = {{"░", "▒", "▓", "█"},
	    {"░", "╌", "─", "═"}};
	DrawRect r = {3, 4, 24, 80};
	MapView m = map_fill();
	const int gutter = 4, P = r.rows - 3, W = r.cols - gutter;
	int y, x, mr, mc, band, reversed = 0, cy, cx;
	double lg;
	const GridCell *c;

	map_done[3 * MAP_C + 5] = 0;
	m.ndone--;
	view_map_plot(&g, r, m, map_lambda[11], map_depth[6], 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 0), "299/300 cells"));
	for (y = 0; y < P; y++)
		for (x = 0; x < W; x++) {
			mr = y * MAP_R / P;
			mc = x * MAP_C / W;
			c = at(r, 1 + y, gutter + x);
			reversed += (c->attr & GRID_ATTR_REVERSE) != 0;
			if (mr == 3 && mc == 5) {
				ck_assert_str_eq(c->glyph, " ");
				continue;
			}
			lg = map_depth[mr] * log10(map_lambda[mc]);
			band = fabs(lg) <= 1 ? 0 :
			    fabs(lg) <= 10   ? 1 :
			    fabs(lg) <= 100  ? 2 :
			                       3;
			ck_assert_str_eq(c->glyph, shades[lg < 0][band]);
			ck_assert_int_eq(c->role,
			    lg > 1      ? GRID_ROLE_EXPLODING :
			        lg < -1 ? GRID_ROLE_VANISHING :
			                  GRID_ROLE_CRITICAL);
		}
	/* One cursor, on the first cell of (depth 140, lambda 1.02). */
	ck_assert_int_eq(reversed, 1);
	cy = 1 + span_start(6, MAP_R, P);
	cx = gutter + span_start(11, MAP_C, W);
	ck_assert(at(r, cy, cx)->attr & GRID_ATTR_REVERSE);
	/* Depths in the gutter, lambda's ends and the cursor's lambda. */
	ck_assert_int_eq(strncmp(rect_row(r, 1), " 20│", 6), 0);
	ck_assert_int_eq(strncmp(rect_row(r, P), "200│", 6), 0);
	ck_assert_int_eq(strncmp(rect_row(r, r.rows - 2), "    0.8", 7), 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "1.38"));
	ck_assert_str_eq(glyph(r, r.rows - 2, cx), "λ");
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2),
	    "λ=1.0200 L=140"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1), "above"));

	/* A cursor on a blank cell shows as +; off the map, none. */
	map_done[6 * MAP_C + 11] = 0;
	view_map_plot(&g, r, m, map_lambda[11], map_depth[6], 0);
	ck_assert_str_eq(glyph(r, cy, cx), "+");
	view_map_plot(&g, r, m, 3.0, map_depth[6], 0);
	ck_assert_int_eq(count_role(r, GRID_ROLE_TEXT) > 0, 1);
	for (y = 0; y < r.rows; y++)
		for (x = 0; x < r.cols; x++)
			ck_assert(!(at(r, y, x)->attr & GRID_ATTR_REVERSE));
}
END_TEST

START_TEST(test_map_specials_and_sampling)
{
	DrawRect r = {0, 0, 8, 24};
	MapView m = map_fill();
	int y, x, n = 0;

	/* 10 x 30 cells into 5 x 20: sampled, never past the rectangle. */
	map_cell[0] = xmag_from_double(INFINITY);
	map_cell[1] = xmag_from_double(0.0);
	map_cell[2] = xmag_from_double(NAN);
	view_map_plot(&g, r, m, 0.8, 20, 0);
	ck_assert_str_eq(glyph(r, 1, 4), "▲");
	ck_assert_int_eq(at(r, 1, 4)->role, GRID_ROLE_SPECIAL);
	for (y = 1; y < 6; y++)
		for (x = 4; x < 24; x++)
			n += strcmp(glyph(r, y, x), " ") != 0;
	ck_assert_int_eq(n, 5 * 20);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Spectrum                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_spectrum_histogram)
{
	enum { N = 60 };
	DrawRect r = {2, 2, 20, 62};
	XMag v[N];
	ViewSpectrum s = {.ready = 1,
	    .progress = 1,
	    .values = v,
	    .n = N,
	    .mean_sq = xmag_from_double(1.0234),
	    .theory_mean_sq = xmag_from_double(1.0),
	    .edge = xmag_from_double(NAN)};
	/* log10 sigma from -2 to 0.9: decades -2 .. 1; 60 resolved values
	 * ("60": a gutter of 3). */
	const double lo = -2, hi = 1;
	const int gutter = 3, W = r.cols - gutter, P = r.rows - 4;
	int count[64] = {0}, i, b, cmax = 0, k, full, tip;
	long long e;
	double lg;
	static const char *const lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆",
	    "▇", "█"};

	for (i = 0; i < N; i++) {
		/* Bunched: 1, 2, 3, ... values in a few bins. */
		lg = i == 0 ? -2 : i == 1 ? 0.9 : -1.5 + (i % 7) * 0.3;
		v[i] = xmag_pow10(lg);
		b = (int)floor((lg - lo) / (hi - lo) * W);
		b = b >= W ? W - 1 : b;
		count[b]++;
	}
	for (b = 0; b < W; b++)
		cmax = count[b] > cmax ? count[b] : cmax;
	view_spectrum_plot(&g, r, &s, 0);
	for (b = 0; b < W; b++) {
		e = count[b] == 0 ? 0 :
		                    llround((double)count[b] * P * 8 / cmax);
		e = count[b] > 0 && e == 0 ? 1 : e;
		full = (int)(e / 8);
		tip = (int)(e % 8);
		for (k = 0; k < P; k++) {
			const char *want = k < full ? "█" :
			    k == full               ? lower[tip] :
			                              " ";

			ck_assert_msg(strcmp(glyph(r, P - k, gutter + b),
			                  want) == 0,
			    "bin %d (count %d), cell %d: '%s', not '%s'", b,
			    count[b], k, glyph(r, P - k, gutter + b), want);
		}
	}
	/* The largest count at the top of the gutter. */
	ck_assert_int_eq(strncmp(rect_row(r, 1), " 9┤", 5), 0);
	ck_assert_int_eq(cmax, 9);
	/* Decades under their bin boundaries, 10^0 critical. */
	ck_assert_str_eq(glyph(r, r.rows - 3, gutter), "1");
	ck_assert_int_eq(strncmp(rect_row(r, r.rows - 3) + gutter, "1e-02", 5),
	    0);
	k = gutter + (int)lround(2.0 / 3 * W);
	ck_assert_str_eq(glyph(r, r.rows - 3, k), "1");
	ck_assert_int_eq(at(r, r.rows - 3, k)->role, GRID_ROLE_CRITICAL);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "60 values"));
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 2), "unresolved"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1),
	    "mean σ² = 1.02e+00 (theory 1.00e+00)"));

	/* No theory: no parenthesis. ASCII: sigma^2. */
	s.theory_mean_sq = xmag_from_double(NAN);
	view_spectrum_plot(&g, r, &s, 1);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1),
	    "mean sigma^2 = 1.02e+00  "));
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 1), "theory"));
}
END_TEST

/* The theory's edge: a vertical line in the edge's bin over blank cells,
 * and its value on the counts row, worded for an edge or an exact value. */
START_TEST(test_spectrum_edge)
{
	enum { N = 30 };
	DrawRect r = {0, 0, 16, 70};
	XMag v[N];
	ViewSpectrum s = {.ready = 1,
	    .values = v,
	    .n = N,
	    .mean_sq = xmag_from_double(1),
	    .theory_mean_sq = xmag_from_double(NAN),
	    .edge = xmag_pow10(1.0)};
	/* Values 10^-2 .. 10^0.9: decades -2 .. 1 with the edge 10^1. */
	const double lo = -2, hi = 1;
	const int gutter = 3, W = r.cols - gutter, P = r.rows - 4;
	int i, b, marks = 0;

	for (i = 0; i < N; i++)
		v[i] = xmag_pow10(-2 + i * 0.1);
	view_spectrum_plot(&g, r, &s, 0);
	b = W - 1; /* 10^1 is the top of the range: the last bin */
	for (i = 1; i <= P; i++)
		marks += strcmp(glyph(r, i, gutter + b), "┊") == 0 &&
		    at(r, i, gutter + b)->role == GRID_ROLE_THEORY;
	ck_assert_int_eq(marks, P);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2),
	    "30 values  ┊ Fuss–Catalan edge σ_max ≈ 1.00e+01"));
	/* Exact, between two values' bins (each a full bar: one value a
	 * bin): the line in its own column, the bars beside it kept. */
	s.edge = xmag_pow10(-0.45);
	s.exact = 1;
	view_spectrum_plot(&g, r, &s, 1);
	b = (int)floor((-0.45 - lo) / (hi - lo) * W);
	ck_assert_str_eq(glyph(r, 1, gutter + b), ":");
	ck_assert_str_eq(glyph(r, P, gutter + b), ":");
	ck_assert_str_eq(glyph(r, P, gutter + b - 1), "#");
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2),
	    ": every sigma = lambda^L = 3.55e-01"));
	/* None: no line, no words. */
	s.edge = xmag_from_double(NAN);
	view_spectrum_plot(&g, r, &s, 0);
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 2), "edge"));
	ck_assert_int_eq(count_role(r, GRID_ROLE_THEORY), 0);
}
END_TEST

START_TEST(test_spectrum_states)
{
	DrawRect r = {0, 0, 10, 40};
	XMag v[4];
	ViewSpectrum s = {.progress = 0.45, .edge = xmag_from_double(NAN)};

	view_spectrum_plot(&g, r, &s, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 2), " 45%"));
	ck_assert_str_eq(glyph(r, 2, 0), "[");
	ck_assert_str_eq(glyph(r, 2, 1), "█");
	ck_assert_str_eq(glyph(r, 2, 32), "░");
	s.why = "the spectrum needs a square weight matrix at every layer "
	        "(width in = width out)";
	view_spectrum_plot(&g, r, &s, 0);
	ck_assert_int_eq(strncmp(rect_row(r, 1),
	                     "the spectrum needs a "
	                     "square weight ",
	                     35),
	    0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 2), "matrix"));
	ck_assert_ptr_null(strstr(rect_row(r, 2), "%"));
	/* Specials only: counted, nothing to bin. */
	s.why = NULL;
	s.ready = 1;
	s.values = v;
	s.n = 4;
	v[0] = xmag_from_double(0.0);
	v[1] = xmag_from_double(0.0);
	v[2] = xmag_from_double(INFINITY);
	v[3] = xmag_from_double(NAN);
	r.cols = 60;
	view_spectrum_plot(&g, r, &s, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2),
	    "4 values  ▼ 2 zero  ▲ 1 inf  ? 1 nan"));
	ck_assert_int_eq(at(r, r.rows - 2, 10)->role, GRID_ROLE_SPECIAL);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 1), "no finite"));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Training                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_train_loss_and_bars)
{
	enum { STEPS = 100, DEPTH = 12 };
	DrawRect r = {1, 2, 22, 90};
	double loss[STEPS + 1], wgrad[DEPTH + 1];
	ViewTrain t = {.loss = loss,
	    .steps = STEPS,
	    .wgrad = wgrad,
	    .depth = DEPTH,
	    .verdict = "trains: loss 10 -> 0.01"};
	/* Loss 10 -> 0.01 geometrically: decades -2 .. 1, gutter 6; the
	 * loss gets 60 of the 90 columns, a blank one before the bars. */
	const int gutter = 6, lc = r.cols * 2 / 3, w = lc - gutter - 1;
	const int first = 1, P = r.rows - 3;
	int i, col, found = 0;

	for (i = 0; i <= STEPS; i++)
		loss[i] = 10 * pow(1e-3, (double)i / STEPS);
	for (i = 0; i <= DEPTH; i++)
		wgrad[i] = pow(10, (i - 6) / 2.0);
	view_train_plot(&g, r, &t, 0);
	ck_assert_str_eq(glyph(r, first, gutter), "●");
	ck_assert_str_eq(glyph(r, first + P - 1, gutter + w - 1), "●");
	i = STEPS / 3;
	ck_assert_str_eq(glyph(r, log_row(log10(loss[i]), -2, 1, first, P),
	                     gutter + lin_col(i, 0, STEPS, w)),
	    "●");
	ck_assert_int_eq(strncmp(rect_row(r, first), "1e+01┤", 8), 0);
	ck_assert_int_eq(strncmp(rect_row(r, first + P - 1), "1e-02┤", 8), 0);
	/* The steps' ends and the status row. */
	ck_assert_str_eq(glyph(r, r.rows - 2, gutter), "0");
	ck_assert_str_eq(glyph(r, r.rows - 2, gutter + w - 1), "0");
	ck_assert_str_eq(glyph(r, r.rows - 2, gutter + w - 3), "1");
	ck_assert_int_eq(strncmp(rect_row(r, r.rows - 1),
	                     "step 100  trains: "
	                     "loss 10 -> 0.01",
	                     33),
	    0);
	ck_assert_ptr_null(strstr(rect_row(r, r.rows - 1), "diverged"));
	/* The weight gradients as a chart right of the loss: 10^-3 .. 10^3
	 * with its own critical line, and the layer numbers. */
	ck_assert_ptr_nonnull(strstr(rect_row(r, 0), "weight gradient rms"));
	for (i = 1; i < r.rows - 2; i++)
		if (strstr(rect_row(r, i), "1e+00┼──") != NULL)
			found++;
	ck_assert_int_eq(found, 1);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 2), "layer"));
	ck_assert_int_gt(count_role(r, GRID_ROLE_EXPLODING), 5);
	ck_assert_int_gt(count_role(r, GRID_ROLE_VANISHING), 5);
	for (col = lc; col < r.cols; col++)
		ck_assert_str_ne(glyph(r, first, col), "●");
}
END_TEST

/* The update:data ratios: a third pane right of the gradient bars, its
 * 1e-3 line on the row labelled 1e-03, and the rate on the last row. */
START_TEST(test_train_update_ratios)
{
	enum { STEPS = 20, DEPTH = 8 };
	DrawRect r = {0, 0, 24, 120};
	double loss[STEPS + 1], wgrad[DEPTH + 1], ratio[DEPTH + 1];
	ViewTrain t = {.loss = loss,
	    .steps = STEPS,
	    .wgrad = wgrad,
	    .ratio = ratio,
	    .rate = 0.0632,
	    .depth = DEPTH,
	    .verdict = "converged"};
	int i, x, row = -1, line = 0;
	const char *lab;

	for (i = 0; i <= STEPS; i++)
		loss[i] = 1.0 / (i + 1);
	/* Ratios 1e-5 .. 1e-1 around the line: bars both ways. */
	for (i = 0; i <= DEPTH; i++) {
		wgrad[i] = 1;
		ratio[i] = -5 + i * 0.5;
	}
	view_train_plot(&g, r, &t, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 0), "update:data"));
	ck_assert_ptr_nonnull(strstr(rect_row(r, 0), "weight gradient"));
	/* The loss takes the left half now. */
	ck_assert_ptr_null(strstr(rect_row(r, 0) + 60, "training loss"));
	for (i = 1; i < r.rows - 2; i++) {
		lab = strstr(rect_row(r, i), "1e-03");
		if (lab != NULL && lab > rect_row(r, i) + 80)
			row = i;
	}
	ck_assert_int_ge(row, 1);
	/* The line runs along that row, in the critical colour, past the
	 * bars' columns. */
	for (x = 90; x < r.cols; x++)
		line += at(r, row, x)->role == GRID_ROLE_CRITICAL;
	ck_assert_int_ge(line, 10);
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1),
	    "step 20  rate 0.0632 (* /)  converged"));
	/* Every ratio is below 1: bars down from 10^0 (vanishing), ending
	 * above the line when the update is faster than 1e-3, below it
	 * when slower; none goes up. */
	for (line = 0, x = 90; x < r.cols; x++)
		for (i = 1; i < r.rows - 2; i++)
			line |= (at(r, i, x)->role == GRID_ROLE_EXPLODING) |
			    (at(r, i, x)->role == GRID_ROLE_VANISHING) << 1;
	ck_assert_int_eq(line, 2 | 0);
}
END_TEST

START_TEST(test_train_specials)
{
	enum { STEPS = 10 };
	DrawRect r = {0, 0, 14, 60};
	double loss[STEPS + 1], wgrad[4] = {0, 1, INFINITY, NAN};
	ViewTrain t = {.loss = loss,
	    .steps = STEPS,
	    .wgrad = wgrad,
	    .depth = 3,
	    .verdict = "diverged at step 7",
	    .diverged = 1};
	const int gutter = 6, lc = 40, w = lc - gutter - 1, P = r.rows - 3;
	int i, one, x;

	for (i = 0; i <= STEPS; i++)
		loss[i] = 0.5;
	loss[7] = INFINITY;
	loss[8] = NAN;
	loss[9] = 0.0;
	view_train_plot(&g, r, &t, 0);
	/* 0.5: decades -1 .. 0; 10^0 the first row. */
	one = log_row(0, -1, 0, 1, P);
	x = gutter + lin_col(7, 0, STEPS, w);
	ck_assert_str_eq(glyph(r, 1, x), "▲");
	ck_assert_int_eq(at(r, 1, x)->role, GRID_ROLE_SPECIAL);
	x = gutter + lin_col(8, 0, STEPS, w);
	ck_assert_str_eq(glyph(r, one, x), "?");
	x = gutter + lin_col(9, 0, STEPS, w);
	ck_assert_str_eq(glyph(r, P, x), "▼");
	/* Diverged, in the exploding colour (issue 12: not the verdict's
	 * green). */
	ck_assert_ptr_nonnull(strstr(rect_row(r, r.rows - 1),
	    "step 10  diverged at step 7"));
	ck_assert_int_eq(at(r, r.rows - 1, 9)->role, GRID_ROLE_EXPLODING);
	t.diverged = 0;
	t.verdict = "plateaued";
	view_train_plot(&g, r, &t, 0);
	ck_assert_int_eq(at(r, r.rows - 1, 9)->role, GRID_ROLE_VERDICT);
	/* why: only that. */
	t.why = "training needs a loss: set --train";
	view_train_plot(&g, r, &t, 0);
	ck_assert_ptr_nonnull(strstr(rect_row(r, 1), "training needs a loss"));
	ck_assert_int_eq(count_role(r, GRID_ROLE_SPECIAL), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Every view: bounds, tiny sizes, ASCII                                  */
/* ---------------------------------------------------------------------- */

static XMag sp_values[40];
static double tr_loss[31], tr_wgrad[9], tr_ratio[9];

/* Lays out view k (0..7: each view, with data and in a message state)
 * into r. */
static void lay_out_view(int k, DrawRect r, int ascii)
{
	ViewSpectrum s = {.ready = 1,
	    .progress = 0.3,
	    .values = sp_values,
	    .n = 40,
	    .mean_sq = xmag_pow10(0.2),
	    .theory_mean_sq = xmag_from_double(1.0),
	    .edge = xmag_pow10(0.4)};
	ViewTrain t = {.loss = tr_loss,
	    .steps = 30,
	    .wgrad = tr_wgrad,
	    .ratio = tr_ratio,
	    .rate = 0.02,
	    .depth = 8,
	    .verdict = "verdict: ok",
	    .diverged = 1};
	MapView m = map_fill();
	int i;

	sweep_fill(SW_N);
	for (i = 0; i < SW_N; i += 9)
		sw[i].output_rms = xmag_from_double(i % 2 ? NAN : INFINITY);
	sw[5].done = 0;
	for (i = 0; i < 40; i++)
		sp_values[i] = xmag_pow10(-3 + i * 0.1);
	sp_values[3] = xmag_from_double(0.0);
	sp_values[4] = xmag_from_double(NAN);
	for (i = 0; i <= 30; i++)
		tr_loss[i] = i == 12 ? NAN : i == 20 ? INFINITY : 3.0 / (i + 1);
	for (i = 0; i <= 8; i++) {
		tr_wgrad[i] = i == 4 ? INFINITY : pow(10, i - 4);
		tr_ratio[i] = i == 5 ? NAN : -5 + i * 0.5;
	}
	map_cell[7] = xmag_from_double(NAN);
	map_done[9] = 0;
	m.ndone--;
	switch (k) {
	case 0:
		view_sweep_plot(&g, r, sw, SW_N, 1.03, 0.9998, 1, 1, ascii);
		break;
	case 1:
		view_sweep_plot(&g, r, NULL, 0, 1.0, NAN, 0, 1, ascii);
		break;
	case 2:
		view_map_plot(&g, r, m, 1.0, 100, ascii);
		break;
	case 3:
		m.rows = 0;
		view_map_plot(&g, r, m, 1.0, 100, ascii);
		break;
	case 4:
		view_spectrum_plot(&g, r, &s, ascii);
		break;
	case 5:
		s.ready = 0;
		view_spectrum_plot(&g, r, &s, ascii);
		break;
	case 6:
		view_train_plot(&g, r, &t, ascii);
		break;
	default:
		t.why = "no training for this setting";
		view_train_plot(&g, r, &t, ascii);
		break;
	}
}

START_TEST(test_bounds_every_size)
{
	static const int sizes[][2] = {
	    {0, 0},
	    {1, 1},
	    {3, 10},
	    {2, 40},
	    {5, 19},
	    {6, 20},
	    {7, 21},
	    {8, 30},
	    {10, 12},
	    {12, 40},
	    {24, 80},
	    {9, 200},
	    {50, 21},
	    {40, 150},
	    {-3, 20},
	};
	size_t i;
	int k, y, x, inside, bad;
	DrawRect r;
	const GridCell *c;

	for (k = 0; k < 8; k++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			r = (DrawRect){4, 7, sizes[i][0], sizes[i][1]};
			for (y = 0; y < GRID_ROWS; y++)
				for (x = 0; x < GRID_COLS; x++)
					grid_put(&g, y, x, "@", GRID_ROLE_HELP,
					    0);
			lay_out_view(k, r, k % 2);
			/* Counted, not asserted cell by cell: an assertion
			 * costs a message to the runner. */
			bad = 0;
			for (y = 0; y < GRID_ROWS; y++)
				for (x = 0; x < GRID_COLS; x++) {
					c = grid_cell(&g, y, x);
					inside = y >= r.top &&
					    y < r.top + r.rows && x >= r.left &&
					    x < r.left + r.cols;
					/* Inside, every cell is written. */
					bad += inside ==
					    (strcmp(c->glyph, "@") == 0 &&
					        c->role == GRID_ROLE_HELP);
				}
			ck_assert_msg(bad == 0, "view %d %dx%d: %d cells wrong",
			    k, r.rows, r.cols, bad);
		}
}
END_TEST

START_TEST(test_tiny_says_so)
{
	DrawRect r = {1, 1, 3, 10};
	int k;

	for (k = 0; k < 8; k++) {
		grid_clear(&g);
		lay_out_view(k, r, 0);
		ck_assert_str_eq(rect_row(r, 0), "too small ");
		ck_assert_str_eq(rect_row(r, 1), "          ");
	}
}
END_TEST

START_TEST(test_ascii_only)
{
	static const int sizes[][2] = {{3, 10}, {8, 30}, {24, 80}, {40, 150}};
	const unsigned char *p;
	size_t i;
	int k, y, x, blank, high;

	for (k = 0; k < 8; k++)
		for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			grid_clear(&g);
			lay_out_view(k,
			    (DrawRect){0, 0, sizes[i][0], sizes[i][1]}, 1);
			blank = 1;
			high = 0;
			for (y = 0; y < GRID_ROWS; y++)
				for (x = 0; x < GRID_COLS; x++) {
					p = (const unsigned char *)grid_cell(&g,
					    y, x)
					        ->glyph;
					blank &= strcmp((const char *)p, " ") ==
					    0;
					for (; *p != '\0'; p++)
						high += *p >= 0x80;
				}
			ck_assert_msg(high == 0,
			    "view %d %dx%d: %d bytes "
			    ">= 0x80",
			    k, sizes[i][0], sizes[i][1], high);
			ck_assert(!blank);
		}
	/* And the words change with the glyphs. */
	grid_clear(&g);
	lay_out_view(0, (DrawRect){0, 0, 24, 100}, 1);
	ck_assert_ptr_nonnull(strstr(rect_row((DrawRect){0, 0, 24, 100}, 22),
	    "lambda_c=0.9998"));
	ck_assert_ptr_nonnull(strstr(rect_row((DrawRect){0, 0, 24, 100}, 22),
	    "lambda=1.0300"));
}
END_TEST

Suite *plots_suite(void)
{
	Suite *s = suite_create("plots");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sweep_identity_linear);
	tcase_add_test(tc, test_sweep_progress_and_markers);
	tcase_add_test(tc, test_sweep_theory);
	tcase_add_test(tc, test_sweep_frame_and_overlaps);
	tcase_add_test(tc, test_sweep_specials);
	tcase_add_test(tc, test_map_cells_and_cursor);
	tcase_add_test(tc, test_map_specials_and_sampling);
	tcase_add_test(tc, test_spectrum_histogram);
	tcase_add_test(tc, test_spectrum_states);
	tcase_add_test(tc, test_train_loss_and_bars);
	tcase_add_test(tc, test_train_specials);
	tcase_add_test(tc, test_spectrum_edge);
	tcase_add_test(tc, test_train_update_ratios);
	tcase_add_test(tc, test_bounds_every_size);
	tcase_add_test(tc, test_tiny_says_so);
	tcase_add_test(tc, test_ascii_only);
	suite_add_tcase(s, tc);
	return s;
}
