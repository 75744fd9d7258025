/*
 * plots: the sweep, map, spectrum and training views laid out into a
 * rectangle of the grid. See include/plots.h.
 *
 * Every view owns its rectangle: it blanks it first, and every write goes
 * through plot_put, which clips to it, so nothing lands outside. Below a
 * view's minimum size (or when its axes leave no room to plot) the
 * rectangle holds "too small", clipped. Rows and columns below are
 * relative to the rectangle, of h rows and w columns.
 *
 * Log axes (the sweep and the loss). The y range is whole decades lo..hi
 * around the finite, non-zero values shown: lo = floor of the least
 * log10, hi = ceil of the greatest (the sweep's widened to take in 10^0;
 * one decade either side when they meet). A plot of P rows from row
 * `first` puts log10 y on row
 *     first + round((hi - y) / (hi - lo) * (P - 1)),
 * hi on the first row and lo on the last. A gutter left of the plot holds
 * the decade labels as the chart writes them ("1e+02", right-aligned; see
 * chart_decade_label) and the axis, labels every k decades (k the first
 * of 1, 2, 5, 10, ... that leaves a blank row between them), 10^0 in the
 * CRITICAL role. Specials take the chart's marks in the SPECIAL role: inf
 * ▲ on the first plot row, 0 ▼ on the last, nan ? on the 10^0 row (the
 * nearest plot row to it when 10^0 is off the range).
 *
 * Linear x axes. A plot of W columns from column x0 puts x of a range
 * [a, b] on column x0 + round((x - a) / (b - a) * (W - 1)) (the middle
 * column when a == b).
 *
 * Roles by magnitude, as in the map: log10 above 1 EXPLODING, below -1
 * VANISHING, else (within a decade of 10^0) CRITICAL.
 *
 * Sweep: row 0 the title and, while points remain, "12/101 points" at
 * its right; rows 1 .. h-3 the plot, lambda over the points' range (done
 * or not, so the axis does not move as they come in); row h-2 the lambda
 * axis, its ends and the markers' labels; row h-1 the legend. The output
 * is ● (ASCII o), the first-layer gradient × (x), coloured by magnitude;
 * theory curves · and + in the THEORY role, under the measured ones; the
 * lambda marker │ (|), the critical marker ┆ (:) in the CRITICAL role.
 *
 * Map: row 0 title and progress; rows 1 .. h-3 the heat, P rows by W
 * columns right of a depth gutter; screen cell (y, x) shows map cell
 * (y * rows / P, x * cols / W), so small maps stretch and large ones are
 * sampled. The cursor sits on the first screen cell of the span of its
 * map cell (the nearest lambda and depth), reversed, a + when the cell is
 * blank. By |log10|: up to 1 ░ (.); above 1, up to 10 ▒ (:), 100 ▓ (*),
 * more █ (#); below 1, ╌ (,), ─ (-), ═ (=). Row h-2 the lambda axis, row
 * h-1 the legend.
 *
 * Spectrum: row 0 the title; rows 1 .. h-4 the histogram: the finite,
 * non-zero values' log10 over lo..hi (as above, without 10^0 forced) in
 * W bins of one column each, bin i = floor((y - lo) / (hi - lo) * W)
 * (the last bin closed); a bin of c values rises e = round(c * P * 8 /
 * cmax) eighths of a cell (at least one) from the bottom row, cmax
 * labelled at the top of the count gutter. Row h-3 the decade axis, row
 * h-2 the count, unresolved values and specials, row h-1 mean sigma^2
 * against theory.
 *
 * Training: the loss on the left 2/3 (a log axis as above against the
 * step), the last step's weight-gradient RMS per layer on the right as a
 * chart (chart.h); row h-2 the step axis and the layer numbers, row h-1
 * the step count, "diverged" (SPECIAL) and the verdict.
 */
#include "plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "draw.h"
#include "logaxis.h"
#include "utf8.h"

/* ---------------------------------------------------------------------- */
/* Glyphs                                                                 */
/* ---------------------------------------------------------------------- */

enum {
	PLOT_G_OUT,     /* the output activation */
	PLOT_G_GRAD,    /* the first-layer gradient */
	PLOT_G_TH_OUT,  /* theory's output */
	PLOT_G_TH_GRAD, /* theory's gradient */
	PLOT_G_LOSS,
	PLOT_G_INF, /* the chart's specials */
	PLOT_G_ZERO,
	PLOT_G_NAN,
	PLOT_G_LINE, /* the 10^0 line */
	PLOT_G_AXIS,
	PLOT_G_TICK,
	PLOT_G_CROSS,
	PLOT_G_NOW,  /* the lambda marker */
	PLOT_G_CRIT, /* the critical-lambda marker */
	PLOT_G_FULL, /* a full bar cell, a done progress cell */
	PLOT_G_TODO, /* a progress cell to go */
	PLOT_G_COUNT
};

/* {UTF-8, ASCII} */
static const char *const plot_glyphs[PLOT_G_COUNT][2] = {
    [PLOT_G_OUT] = {"●", "o"},
    [PLOT_G_GRAD] = {"×", "x"},
    [PLOT_G_TH_OUT] = {"·", "."},
    [PLOT_G_TH_GRAD] = {"+", "+"},
    [PLOT_G_LOSS] = {"●", "o"},
    [PLOT_G_INF] = {"▲", "^"},
    [PLOT_G_ZERO] = {"▼", "v"},
    [PLOT_G_NAN] = {"?", "?"},
    [PLOT_G_LINE] = {"─", "-"},
    [PLOT_G_AXIS] = {"│", "|"},
    [PLOT_G_TICK] = {"┤", "+"},
    [PLOT_G_CROSS] = {"┼", "+"},
    [PLOT_G_NOW] = {"│", "|"},
    [PLOT_G_CRIT] = {"┆", ":"},
    [PLOT_G_FULL] = {"█", "#"},
    [PLOT_G_TODO] = {"░", "-"},
};

/* The map's cells by |log10|: within a decade of 10^0, then up to 10,
 * 100 and more decades, above 1 (solid, growing) and below (lines,
 * thinning), so that the direction reads without colour (NO_COLOR, the
 * monochrome theme) as the chart's solid and shaded bars do. {UTF-8,
 * ASCII} */
static const char *const plot_shades[2][4][2] = {
    {{"░", "."}, {"▒", ":"}, {"▓", "*"}, {"█", "#"}},
    {{"░", "."}, {"╌", ","}, {"─", "-"}, {"═", "="}},
};

/* Lower blocks by eighths, as the chart's bars. */
static const char *const plot_lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆",
    "▇", "█"};

/* ---------------------------------------------------------------------- */
/* Writing inside the rectangle                                           */
/* ---------------------------------------------------------------------- */

static const char *plot_glyph(const DrawPen *p, int which)
{
	return plot_glyphs[which][p->ascii ? 1 : 0];
}

/* What a view shows when it cannot draw in its rectangle. */
static void plot_too_small(const DrawPen *p)
{
	draw_fill(p, GRID_ROLE_TEXT, 0);
	draw_text(p, 0, 0, "too small", GRID_ROLE_NOTICE, 0);
}

/* Blanks the rectangle and checks its size: 0, or -1 (saying so when it
 * has any cells) below min_rows x min_cols. */
static int plot_begin(DrawPen *p, Grid *g, DrawRect r, int ascii, int min_rows,
    int min_cols)
{
	*p = draw_pen(g, r, ascii);
	if (r.rows <= 0 || r.cols <= 0)
		return -1;
	draw_fill(p, GRID_ROLE_TEXT, 0);
	if (r.rows < min_rows || r.cols < min_cols) {
		plot_too_small(p);
		return -1;
	}
	return 0;
}

/* The title on row 0, and a note (progress) right-aligned after it when
 * both fit with two blanks between, else the note alone. */
static void plot_title(const DrawPen *p, const char *title, const char *note)
{
	int n = utf8_cells(note);

	if (n == 0 || utf8_cells(title) + 2 + n <= p->r.cols)
		draw_text(p, 0, 0, title, GRID_ROLE_TITLE, GRID_ATTR_BOLD);
	if (n > 0)
		draw_text(p, 0, p->r.cols - n > 0 ? p->r.cols - n : 0, note,
		    GRID_ROLE_NOTICE, 0);
}

/* ---------------------------------------------------------------------- */
/* Axes                                                                   */
/* ---------------------------------------------------------------------- */

static GridRole plot_role(double lg)
{
	if (lg > 1)
		return GRID_ROLE_EXPLODING;
	if (lg < -1)
		return GRID_ROLE_VANISHING;
	return GRID_ROLE_CRITICAL;
}

/* Column of x in [a, b] on a plot of w columns, relative to the plot. */
static int plot_x(double x, double a, double b, int w)
{
	double f;

	if (w <= 1)
		return 0;
	if (!(b > a))
		return (w - 1) / 2;
	f = (x - a) / (b - a);
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return (int)lround(f * (w - 1));
}

typedef struct {
	int first, rows; /* plot rows */
	int gutter;      /* columns left of the plot, axis included */
	double lo, hi;   /* whole decades */
} PlotLogAxis;

static void plot_log_axis(PlotLogAxis *a, const LogExtent *e, int with_one,
    int first, int rows)
{
	char buf[16];
	int n;

	logaxis_decades(e, with_one, &a->lo, &a->hi);
	a->first = first;
	a->rows = rows;
	a->gutter = 5;
	n = logaxis_decade_label((int)a->lo, buf, sizeof buf);
	a->gutter = n > a->gutter ? n : a->gutter;
	n = logaxis_decade_label((int)a->hi, buf, sizeof buf);
	a->gutter = (n > a->gutter ? n : a->gutter) + 1;
}

static int plot_log_row(const PlotLogAxis *a, double lg)
{
	double f;

	if (a->rows <= 1)
		return a->first;
	f = (a->hi - lg) / (a->hi - a->lo) * (a->rows - 1);
	f = f < 0 ? 0 : f > a->rows - 1 ? a->rows - 1 : f;
	return a->first + (int)lround(f);
}

/* Whether gutter row y has no label within a row of it (a label always
 * ends in the column left of the axis). */
static int plot_label_room(const DrawPen *p, const PlotLogAxis *a, int y)
{
	const GridCell *c;
	int k;

	for (k = y - 1; k <= y + 1; k++) {
		c = draw_at(p, k, a->gutter - 2);
		if (k >= a->first && k < a->first + a->rows && c != NULL &&
		    strcmp(c->glyph, " ") != 0)
			return 0;
	}
	return 1;
}

/* The label of decade d, when it has room. */
static void plot_log_label(const DrawPen *p, const PlotLogAxis *a, double d)
{
	char buf[16];
	int y = plot_log_row(a, d);
	int n = logaxis_decade_label((int)d, buf, sizeof buf);

	if (n < 0 || n > a->gutter - 1 || !plot_label_room(p, a, y))
		return;
	draw_text(p, y, a->gutter - 1 - n, buf,
	    d == 0 ? GRID_ROLE_CRITICAL : GRID_ROLE_AXIS, 0);
	draw_put(p, y, a->gutter - 1,
	    plot_glyph(p, d == 0 ? PLOT_G_CROSS : PLOT_G_TICK), GRID_ROLE_AXIS,
	    0);
}

/* The gutter's axis and labels (10^0 first, as the chart always labels
 * it, then every k decades, then the ends where they have room); with
 * with_one, the 10^0 line across the plot's w columns. */
static void plot_log_frame(const DrawPen *p, const PlotLogAxis *a, int w,
    int with_one)
{
	double per = (a->rows - 1) / (a->hi - a->lo), d;
	int k = 1, y, x;

	for (y = a->first; y < a->first + a->rows; y++)
		draw_put(p, y, a->gutter - 1, plot_glyph(p, PLOT_G_AXIS),
		    GRID_ROLE_AXIS, 0);
	if (with_one)
		for (x = 0; x < w; x++)
			draw_put(p, plot_log_row(a, 0), a->gutter + x,
			    plot_glyph(p, PLOT_G_LINE), GRID_ROLE_CRITICAL, 0);
	k = logaxis_step(per, 2);
	if (a->lo <= 0 && a->hi >= 0)
		plot_log_label(p, a, 0);
	for (d = floor(a->hi / k) * k; d >= a->lo; d -= k)
		plot_log_label(p, a, d);
	plot_log_label(p, a, a->hi);
	plot_log_label(p, a, a->lo);
}

/* A point of v on a log axis at plot column x: its glyph in role (or by
 * magnitude when role < 0), or the chart's special mark. */
static void plot_point(const DrawPen *p, const PlotLogAxis *a, int x, XMag v,
    int glyph, int role)
{
	double lg;

	if (xmag_is_nan(v)) {
		draw_put(p, plot_log_row(a, 0), a->gutter + x,
		    plot_glyph(p, PLOT_G_NAN), GRID_ROLE_SPECIAL,
		    GRID_ATTR_BOLD);
	} else if (xmag_is_inf(v)) {
		draw_put(p, a->first, a->gutter + x, plot_glyph(p, PLOT_G_INF),
		    GRID_ROLE_SPECIAL, GRID_ATTR_BOLD);
	} else if (xmag_is_zero(v)) {
		draw_put(p, a->first + a->rows - 1, a->gutter + x,
		    plot_glyph(p, PLOT_G_ZERO), GRID_ROLE_SPECIAL,
		    GRID_ATTR_BOLD);
	} else {
		lg = xmag_log10(v);
		draw_put(p, plot_log_row(a, lg), a->gutter + x,
		    plot_glyph(p, glyph),
		    role < 0 ? plot_role(lg) : (GridRole)role, 0);
	}
}

/* The ends of an x range, "%.4g", on row under a plot from column x0 of
 * w columns, where the row has room for them. */
static void plot_x_ends(const DrawPen *p, int row, int x0, int w, double a,
    double b)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof buf, "%.4g", a);
	if (draw_free(p, row, x0, n, x0))
		draw_text(p, row, x0, buf, GRID_ROLE_AXIS, 0);
	n = snprintf(buf, sizeof buf, "%.4g", b);
	if (b > a && draw_free(p, row, x0 + w - n, n, x0))
		draw_text(p, row, x0 + w - n, buf, GRID_ROLE_AXIS, 0);
}

/* ---------------------------------------------------------------------- */
/* Sweep                                                                  */
/* ---------------------------------------------------------------------- */

void plots_sweep(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int ascii)
{
	DrawPen pen;
	LogExtent ext = {0, 0, 0};
	PlotLogAxis ax;
	DrawLegend legend[6];
	char note[48], now[32], crit[32];
	double a = 0, b = 0;
	int i, done = 0, any = 0, w, x, xn = -1, xc = -1, y, nl = 0;

	if (plot_begin(&pen, g, r, ascii, 6, 20) < 0)
		return;
	note[0] = '\0';
	for (i = 0; p != NULL && i < n; i++) {
		if (p[i].done) {
			done++;
			logaxis_extent_add(&ext, p[i].output_rms);
			logaxis_extent_add(&ext, p[i].input_gradient);
			if (theory) {
				logaxis_extent_add(&ext, p[i].theory_output);
				logaxis_extent_add(&ext, p[i].theory_gradient);
			}
		}
		if (isfinite(p[i].lambda)) {
			a = !any || p[i].lambda < a ? p[i].lambda : a;
			b = !any || p[i].lambda > b ? p[i].lambda : b;
			any = 1;
		}
	}
	if (p != NULL && done < n)
		snprintf(note, sizeof note, "%d/%d points", done, n);
	plot_title(&pen,
	    draw_pick(&pen,
	        "λ sweep: output and first-layer "
	        "gradient",
	        "lambda sweep: output and first-layer gradient"),
	    note);
	if (!any) {
		draw_text(&pen, 1, 0, "no points yet", GRID_ROLE_DIM, 0);
		return;
	}
	plot_log_axis(&ax, &ext, 1, 1, r.rows - 3);
	w = r.cols - ax.gutter;
	if (w < 8) {
		plot_too_small(&pen);
		return;
	}
	plot_log_frame(&pen, &ax, w, 1);

	/* The markers under the curves, their labels on the axis row: the
	 * left one ending at its column, the right one starting at it. */
	if (isfinite(lambda_crit) && lambda_crit >= a && lambda_crit <= b)
		xc = plot_x(lambda_crit, a, b, w);
	if (isfinite(lambda_now) && lambda_now >= a && lambda_now <= b)
		xn = plot_x(lambda_now, a, b, w);
	for (y = ax.first; y < ax.first + ax.rows; y++) {
		if (xc >= 0)
			draw_put(&pen, y, ax.gutter + xc,
			    plot_glyph(&pen, PLOT_G_CRIT), GRID_ROLE_CRITICAL,
			    0);
		if (xn >= 0)
			draw_put(&pen, y, ax.gutter + xn,
			    plot_glyph(&pen, PLOT_G_NOW), GRID_ROLE_TEXT,
			    GRID_ATTR_BOLD);
	}
	snprintf(now, sizeof now, "%s=%.4f", draw_pick(&pen, "λ", "lambda"),
	    lambda_now);
	snprintf(crit, sizeof crit, "%s=%.4f",
	    draw_pick(&pen, "λc", "lambda_c"), lambda_crit);
	y = r.rows - 2;
	if (xc >= 0 && xn >= 0 && xc <= xn) {
		draw_label(&pen, y, ax.gutter + xc - utf8_cells(crit) + 1, crit,
		    GRID_ROLE_CRITICAL, 0);
		draw_label(&pen, y, ax.gutter + xn + (xc == xn), now,
		    GRID_ROLE_TEXT, GRID_ATTR_BOLD);
	} else {
		if (xn >= 0)
			draw_label(&pen, y,
			    xc >= 0 ? ax.gutter + xn - utf8_cells(now) + 1 :
			              ax.gutter + xn,
			    now, GRID_ROLE_TEXT, GRID_ATTR_BOLD);
		if (xc >= 0)
			draw_label(&pen, y, ax.gutter + xc, crit,
			    GRID_ROLE_CRITICAL, 0);
	}
	plot_x_ends(&pen, y, ax.gutter, w, a, b);

	/* Theory under the measured points, the output on top. */
	for (i = 0; i < n; i++) {
		if (!p[i].done || !isfinite(p[i].lambda))
			continue;
		x = plot_x(p[i].lambda, a, b, w);
		if (theory) {
			plot_point(&pen, &ax, x, p[i].theory_gradient,
			    PLOT_G_TH_GRAD, GRID_ROLE_THEORY);
			plot_point(&pen, &ax, x, p[i].theory_output,
			    PLOT_G_TH_OUT, GRID_ROLE_THEORY);
		}
	}
	for (i = 0; i < n; i++) {
		if (!p[i].done || !isfinite(p[i].lambda))
			continue;
		x = plot_x(p[i].lambda, a, b, w);
		plot_point(&pen, &ax, x, p[i].input_gradient, PLOT_G_GRAD, -1);
		plot_point(&pen, &ax, x, p[i].output_rms, PLOT_G_OUT, -1);
	}

	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_OUT),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "output"};
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_GRAD),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "gradient"};
	if (theory) {
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_TH_OUT),
		    GRID_ROLE_THEORY, "", GRID_ROLE_TEXT, "theory output"};
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_TH_GRAD),
		    GRID_ROLE_THEORY, "", GRID_ROLE_TEXT, "theory gradient"};
	}
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_NOW),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, draw_pick(&pen, "λ", "lambda")};
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_CRIT),
	    GRID_ROLE_CRITICAL, "", GRID_ROLE_TEXT,
	    draw_pick(&pen, "λc", "lambda_c")};
	draw_legend(&pen, r.rows - 1, ax.gutter, legend, nl, 2);
}

/* ---------------------------------------------------------------------- */
/* Map                                                                    */
/* ---------------------------------------------------------------------- */

/* The i-th of the map's lambdas (dv) or depths (iv). */
static double plot_map_axis(const double *dv, const int *iv, int i)
{
	return dv != NULL ? dv[i] : (double)iv[i];
}

/* The index of the map's lambdas or depths, n of them in order, nearest
 * x; -1 when x lies more than half a step outside them (the cursor is
 * off the map, and drawing it at the edge would be a lie). */
static int plot_map_cursor(const double *dv, const int *iv, int n, double x)
{
	double half;
	int i, best = 0;

	if (!isfinite(x) || n <= 0)
		return -1;
	for (i = 1; i < n; i++)
		if (fabs(plot_map_axis(dv, iv, i) - x) <
		    fabs(plot_map_axis(dv, iv, best) - x))
			best = i;
	half = n > 1 ?
	    fabs(plot_map_axis(dv, iv, n - 1) - plot_map_axis(dv, iv, 0)) /
	        (n - 1) / 2 :
	    0.5;
	return fabs(plot_map_axis(dv, iv, best) - x) <= half * (1 + 1e-9) ?
	    best :
	    -1;
}

/* The first of w screen cells that shows map index i of n (or the one
 * that shows its neighbour when the map is sampled). */
static int plot_span_start(int i, int n, int w)
{
	int s = (int)(((long long)i * w + n - 1) / n);
	int e = (int)(((long long)(i + 1) * w + n - 1) / n) - 1;

	return s <= e ? s : (int)((long long)i * w / n);
}

void plots_map(Grid *g, DrawRect r, MapView m, double lambda_now, int depth_now,
    int ascii)
{
	DrawPen pen;
	DrawLegend legend[4];
	char note[64], buf[32];
	double lg;
	int gutter, P, W, x, y, mr, mc, last, n, cr, cc, idx, band;
	GridCell *c;

	if (plot_begin(&pen, g, r, ascii, 5, 20) < 0)
		return;
	note[0] = '\0';
	if (m.rows > 0 && m.cols > 0 && m.ndone < m.rows * m.cols)
		snprintf(note, sizeof note, "%d/%d cells", m.ndone,
		    m.rows * m.cols);
	plot_title(&pen,
	    draw_pick(&pen, "depth × λ: first-layer gradient",
	        "depth x lambda: first-layer gradient"),
	    note);
	if (m.rows <= 0 || m.cols <= 0 || m.lambda == NULL || m.depth == NULL ||
	    m.cell == NULL || m.done == NULL) {
		draw_text(&pen, 1, 0, "no map yet", GRID_ROLE_DIM, 0);
		return;
	}
	gutter = snprintf(buf, sizeof buf, "%d", m.depth[m.rows - 1]);
	n = snprintf(buf, sizeof buf, "%d", m.depth[0]);
	gutter = (n > gutter ? n : gutter) + 1;
	P = r.rows - 3;
	W = r.cols - gutter;
	if (W < 4) {
		plot_too_small(&pen);
		return;
	}

	/* The heat, and the depth of the first screen row of each map row,
	 * labelled where it leaves a blank row. */
	last = -3;
	for (y = 0; y < P; y++) {
		mr = (int)((long long)y * m.rows / P);
		draw_put(&pen, 1 + y, gutter - 1, plot_glyph(&pen, PLOT_G_AXIS),
		    GRID_ROLE_AXIS, 0);
		if ((y == 0 || mr != (int)((long long)(y - 1) * m.rows / P)) &&
		    y - last >= 2 && (y == P - 1 || P - 1 - y >= 2 || y == 0)) {
			n = snprintf(buf, sizeof buf, "%d", m.depth[mr]);
			draw_text(&pen, 1 + y, gutter - 1 - n, buf,
			    GRID_ROLE_AXIS, 0);
			last = y;
		}
		for (x = 0; x < W; x++) {
			mc = (int)((long long)x * m.cols / W);
			idx = mr * m.cols + mc;
			if (!m.done[idx])
				continue;
			if (xmag_is_nan(m.cell[idx])) {
				draw_put(&pen, 1 + y, gutter + x,
				    plot_glyph(&pen, PLOT_G_NAN),
				    GRID_ROLE_SPECIAL, 0);
				continue;
			}
			if (xmag_is_inf(m.cell[idx]) ||
			    xmag_is_zero(m.cell[idx])) {
				draw_put(&pen, 1 + y, gutter + x,
				    plot_glyph(&pen,
				        xmag_is_inf(m.cell[idx]) ? PLOT_G_INF :
				                                   PLOT_G_ZERO),
				    GRID_ROLE_SPECIAL, 0);
				continue;
			}
			lg = xmag_log10(m.cell[idx]);
			band = fabs(lg) <= 1 ? 0 :
			    fabs(lg) <= 10   ? 1 :
			    fabs(lg) <= 100  ? 2 :
			                       3;
			draw_put(&pen, 1 + y, gutter + x,
			    plot_shades[lg < 0][band][ascii ? 1 : 0],
			    plot_role(lg), 0);
		}
	}
	/* The last row's depth, when the loop left it out. */
	if (last != P - 1 && P - 1 - last >= 2) {
		n = snprintf(buf, sizeof buf, "%d", m.depth[m.rows - 1]);
		draw_text(&pen, P, gutter - 1 - n, buf, GRID_ROLE_AXIS, 0);
	}

	/* The cursor, and its lambda under it. */
	cr = plot_map_cursor(NULL, m.depth, m.rows, depth_now);
	cc = plot_map_cursor(m.lambda, NULL, m.cols, lambda_now);
	if (cr >= 0 && cc >= 0) {
		y = 1 + plot_span_start(cr, m.rows, P);
		x = gutter + plot_span_start(cc, m.cols, W);
		c = draw_at(&pen, y, x);
		if (c != NULL && strcmp(c->glyph, " ") == 0)
			draw_put(&pen, y, x, "+", GRID_ROLE_TEXT, 0);
		c = draw_at(&pen, y, x);
		if (c != NULL)
			c->attr |= GRID_ATTR_REVERSE | GRID_ATTR_BOLD;
		snprintf(buf, sizeof buf, "%s=%.4f L=%d",
		    draw_pick(&pen, "λ", "lambda"), lambda_now, depth_now);
		draw_label(&pen, r.rows - 2, x, buf, GRID_ROLE_TEXT,
		    GRID_ATTR_BOLD);
	}
	plot_x_ends(&pen, r.rows - 2, gutter, W, m.lambda[0],
	    m.lambda[m.cols - 1]);

	legend[0] = (DrawLegend){plot_shades[0][0][ascii ? 1 : 0],
	    GRID_ROLE_CRITICAL, "", GRID_ROLE_TEXT,
	    draw_pick(&pen, "within 10^±1", "within 10^+-1")};
	legend[1] = (DrawLegend){draw_pick(&pen, "▒▓█", ":*#"),
	    GRID_ROLE_EXPLODING, "", GRID_ROLE_TEXT, "above"};
	legend[2] = (DrawLegend){draw_pick(&pen, "╌─═", ",-="),
	    GRID_ROLE_VANISHING, "", GRID_ROLE_TEXT, "below"};
	legend[3] = (DrawLegend){"", GRID_ROLE_DIM, "", GRID_ROLE_TEXT,
	    "by up to 10, 100, more decades"};
	draw_legend(&pen, r.rows - 1, gutter, legend, 4, 2);
}

/* ---------------------------------------------------------------------- */
/* Spectrum                                                               */
/* ---------------------------------------------------------------------- */

/* The progress bar "[███░░░░]  45%" on row, as wide as the rectangle
 * allows up to 40 cells of bar. */
static void plot_progress(const DrawPen *p, int row, double f)
{
	char pct[8];
	int w = p->r.cols - 7, k, done;

	f = isfinite(f) ? f < 0 ? 0 : f > 1 ? 1 : f : 0;
	w = w > 40 ? 40 : w;
	snprintf(pct, sizeof pct, "%3d%%", (int)(f * 100));
	if (w < 1) {
		draw_text(p, row, 0, pct, GRID_ROLE_NOTICE, 0);
		return;
	}
	done = (int)lround(f * w);
	draw_text(p, row, 0, "[", GRID_ROLE_DIM, 0);
	for (k = 0; k < w; k++)
		draw_put(p, row, 1 + k,
		    plot_glyph(p, k < done ? PLOT_G_FULL : PLOT_G_TODO),
		    k < done ? GRID_ROLE_NOTICE : GRID_ROLE_DIM, 0);
	draw_text(p, row, 1 + w, "]", GRID_ROLE_DIM, 0);
	draw_text(p, row, 3 + w, pct, GRID_ROLE_NOTICE, 0);
}

/* A bar of e eighths up from row `base` at column x, as the chart draws
 * its up bars. */
static void plot_bar_up(const DrawPen *p, int base, int x, long long e,
    GridRole role)
{
	int k;

	for (k = 0; k < e / 8; k++)
		draw_put(p, base - k, x, plot_glyph(p, PLOT_G_FULL), role, 0);
	if (e % 8 != 0)
		draw_put(p, base - k, x,
		    p->ascii ? (e % 8 < 4 ? "." : ":") : plot_lower[e % 8],
		    role, 0);
}

/* The decade labels under a histogram of w columns from x0 over lo..hi,
 * every k decades so that they stand two blanks apart. */
static void plot_decade_axis(const DrawPen *p, int row, int x0, int w,
    double lo, double hi)
{
	char buf[16];
	double per = w / (hi - lo), d;
	int k = 1, x, n;

	n = logaxis_decade_label((int)lo, buf, sizeof buf);
	x = logaxis_decade_label((int)hi, buf, sizeof buf);
	n = (n > x ? n : x) + 2;
	k = logaxis_step(per, n);
	for (d = ceil(lo / k) * k; d <= hi; d += k) {
		x = x0 + (int)lround((d - lo) / (hi - lo) * w);
		n = logaxis_decade_label((int)d, buf, sizeof buf);
		if (x + n > x0 + w)
			x = x0 + w - n;
		if (n > 0 && draw_free(p, row, x, n, x0))
			draw_text(p, row, x, buf,
			    d == 0 ? GRID_ROLE_CRITICAL : GRID_ROLE_AXIS, 0);
	}
}

void plots_spectrum(Grid *g, DrawRect r, const PlotSpectrum *s, int ascii)
{
	DrawPen pen;
	LogExtent ext = {0, 0, 0};
	char buf[160], m1[XMAG_FORMAT_MAX], m2[XMAG_FORMAT_MAX];
	double lo, hi, lg;
	int *count, i, b, W, P, gutter, cmax = 0, nres = 0, x;
	int zero = 0, inf = 0, nan = 0;

	if (plot_begin(&pen, g, r, ascii, 6, 20) < 0)
		return;
	plot_title(&pen,
	    draw_pick(&pen,
	        "Jacobian singular values σ "
	        "(log10)",
	        "Jacobian singular values sigma (log10)"),
	    "");
	if (s == NULL)
		return;
	if (s->why != NULL) {
		draw_wrap_rows(&pen, 1, s->why, GRID_ROLE_NOTICE);
		return;
	}
	if (!s->ready || s->values == NULL) {
		draw_text(&pen, 1, 0, "computing the spectrum", GRID_ROLE_DIM,
		    0);
		plot_progress(&pen, 2, s->progress);
		return;
	}
	for (i = 0; i < s->n; i++) {
		zero += xmag_is_zero(s->values[i]);
		inf += xmag_is_inf(s->values[i]);
		nan += xmag_is_nan(s->values[i]);
		logaxis_extent_add(&ext, s->values[i]);
	}
	logaxis_decades(&ext, 0, &lo, &hi);

	/* One bin a column; the gutter is wide enough for any count. */
	for (i = 0; i < s->n; i++)
		nres += isfinite(xmag_log10(s->values[i]));
	P = r.rows - 4;
	gutter = snprintf(buf, sizeof buf, "%d", nres) + 1;
	W = r.cols - gutter;
	if (W < 4) {
		plot_too_small(&pen);
		return;
	}
	count = calloc((size_t)W, sizeof *count);
	if (count == NULL) {
		draw_text(&pen, 1, 0, "out of memory", GRID_ROLE_NOTICE, 0);
		return;
	}
	for (i = 0; i < s->n; i++) {
		lg = xmag_log10(s->values[i]);
		if (!isfinite(lg))
			continue;
		b = (int)floor((lg - lo) / (hi - lo) * W);
		b = b < 0 ? 0 : b >= W ? W - 1 : b;
		if (++count[b] > cmax)
			cmax = count[b];
	}
	for (i = 0; i < P; i++)
		draw_put(&pen, 1 + i, gutter - 1, plot_glyph(&pen, PLOT_G_AXIS),
		    GRID_ROLE_AXIS, 0);
	if (cmax == 0)
		draw_text(&pen, 1, gutter, "no finite, non-zero values",
		    GRID_ROLE_DIM, 0);
	if (cmax > 0) {
		x = snprintf(buf, sizeof buf, "%d", cmax);
		draw_text(&pen, 1, gutter - 1 - x, buf, GRID_ROLE_AXIS, 0);
		draw_put(&pen, 1, gutter - 1, plot_glyph(&pen, PLOT_G_TICK),
		    GRID_ROLE_AXIS, 0);
	}
	for (b = 0; b < W && cmax > 0; b++) {
		long long e = llround((double)count[b] * P * 8 / cmax);

		if (count[b] == 0)
			continue;
		plot_bar_up(&pen, P, gutter + b, e > 0 ? e : 1,
		    plot_role(lo + (b + 0.5) * (hi - lo) / W));
	}
	free(count);
	plot_decade_axis(&pen, r.rows - 3, gutter, W, lo, hi);

	/* The counts: all, unresolved, and the specials in their marks. */
	x = snprintf(buf, sizeof buf, "%d values, %d unresolved", s->n,
	    s->unresolved);
	x = draw_text(&pen, r.rows - 2, 0, buf, GRID_ROLE_TEXT, 0);
	if (zero > 0) {
		snprintf(buf, sizeof buf, "  %s %d zero",
		    plot_glyph(&pen, PLOT_G_ZERO), zero);
		x += draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_SPECIAL, 0);
	}
	if (inf > 0) {
		snprintf(buf, sizeof buf, "  %s %d inf",
		    plot_glyph(&pen, PLOT_G_INF), inf);
		x += draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_SPECIAL, 0);
	}
	if (nan > 0) {
		snprintf(buf, sizeof buf, "  %s %d nan",
		    plot_glyph(&pen, PLOT_G_NAN), nan);
		draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_SPECIAL, 0);
	}
	if (xmag_format_prec(s->mean_sq, 2, m1, sizeof m1) < 0)
		snprintf(m1, sizeof m1, "?");
	if (xmag_format_prec(s->theory_mean_sq, 2, m2, sizeof m2) < 0)
		snprintf(m2, sizeof m2, "?");
	snprintf(buf, sizeof buf, "mean %s = %s",
	    draw_pick(&pen, "σ²", "sigma^2"), m1);
	x = draw_text(&pen, r.rows - 1, 0, buf, GRID_ROLE_TEXT, 0);
	if (!xmag_is_nan(s->theory_mean_sq)) {
		snprintf(buf, sizeof buf, " (theory %s)", m2);
		draw_text(&pen, r.rows - 1, x, buf, GRID_ROLE_THEORY, 0);
	}
}

/* ---------------------------------------------------------------------- */
/* Training                                                               */
/* ---------------------------------------------------------------------- */

/* The weight gradients as a chart in columns x0 .. w - 1 of rows 0 ..
 * rows - 1, the layer numbers on row `labels`. */
static void plot_train_bars(const DrawPen *p, const PlotTrain *t, int x0,
    int rows, int labels)
{
	static const char *const titles[] = {
	    "weight gradient rms per layer",
	    "weight gradient rms",
	    "weight grad",
	    "",
	};
	LogExtent ext = {0, 0, 0};
	ChartAxis ax;
	Chart c;
	Scale sc;
	XMag *v;
	double lo, hi;
	size_t i;
	int l, gutter, w = p->r.cols - x0;
	char buf[16];

	v = malloc(((size_t)t->depth + 1) * sizeof *v);
	if (v == NULL)
		return;
	v[0] = xmag_from_double(NAN);
	for (l = 1; l <= t->depth; l++) {
		v[l] = xmag_from_double(t->wgrad[l]);
		if (t->wgrad[l] < 0)
			v[l] = xmag_from_double(NAN);
		logaxis_extent_add(&ext, v[l]);
	}
	logaxis_decades(&ext, 1, &lo, &hi);
	sc.lo = (int)lo;
	sc.hi = (int)hi;
	sc.shrink = 0;
	gutter = chart_gutter(&sc);
	if (w - gutter < 2) {
		free(v);
		return;
	}
	chart_axis_init(&ax, t->depth + 1, w - gutter);
	/* chart_layout clips at the grid, not at the rectangle: a title
	 * that fits. */
	for (i = 0; utf8_cells(titles[i]) > w; i++)
		;
	c.title = titles[i];
	c.values = v;
	c.first = 1;
	c.scale = &sc;
	c.ascii = p->ascii;
	chart_layout(p->g, p->r.top, p->r.left + x0, rows, gutter, &ax, &c);
	if (snprintf(buf, sizeof buf, "%d", t->depth) < ax.cols)
		chart_layer_labels(p->g, p->r.top + labels, p->r.left + x0,
		    gutter, &ax);
	free(v);
}

void plots_train(Grid *g, DrawRect r, const PlotTrain *t, int ascii)
{
	DrawPen pen;
	LogExtent ext = {0, 0, 0};
	PlotLogAxis ax;
	char buf[64];
	int lc, w, i, x;
	XMag v;

	if (plot_begin(&pen, g, r, ascii, 6, 20) < 0)
		return;
	if (t == NULL)
		return;
	if (t->why != NULL) {
		draw_text(&pen, 0, 0, "training", GRID_ROLE_TITLE,
		    GRID_ATTR_BOLD);
		draw_wrap_rows(&pen, 1, t->why, GRID_ROLE_NOTICE);
		return;
	}
	/* The loss on the left two thirds, a blank column, the bars. */
	lc = r.cols >= 40 && t->depth > 0 && t->wgrad != NULL ? r.cols * 2 / 3 :
	                                                        r.cols;
	for (i = 0; t->loss != NULL && i <= t->steps; i++)
		logaxis_extent_add(&ext, xmag_from_double(t->loss[i]));
	plot_log_axis(&ax, &ext, 0, 1, r.rows - 3);
	w = lc - ax.gutter - (lc < r.cols);
	if (w < 4) {
		plot_too_small(&pen);
		return;
	}
	draw_text(&pen, 0, 0,
	    w + ax.gutter >= 24 ? "training loss by step" : "loss",
	    GRID_ROLE_TITLE, GRID_ATTR_BOLD);
	plot_log_frame(&pen, &ax, w, 0);
	for (i = 0; t->loss != NULL && i <= t->steps; i++) {
		x = plot_x(i, 0, t->steps, w);
		/* A negative loss has no log: drawn as nan. */
		v = t->loss[i] < 0 ? xmag_from_double(NAN) :
		                     xmag_from_double(t->loss[i]);
		plot_point(&pen, &ax, x, v, PLOT_G_LOSS, GRID_ROLE_TEXT);
	}
	plot_x_ends(&pen, r.rows - 2, ax.gutter, w, 0, t->steps);
	if (lc < r.cols)
		plot_train_bars(&pen, t, lc, r.rows - 2, r.rows - 2);

	snprintf(buf, sizeof buf, "step %d", t->steps);
	x = draw_text(&pen, r.rows - 1, 0, buf, GRID_ROLE_STATUS, 0) + 2;
	if (t->diverged)
		x += draw_text(&pen, r.rows - 1, x, "diverged",
		         GRID_ROLE_SPECIAL, GRID_ATTR_BOLD) +
		    2;
	if (t->verdict != NULL)
		draw_text(&pen, r.rows - 1, x, t->verdict, GRID_ROLE_VERDICT,
		    0);
}
