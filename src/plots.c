/*
 * plots: what the plot views share (see include/plots.h): the glyphs,
 * the rectangle a view owns, its title row, log and linear axes, points
 * and the progress bar. The views themselves are src/view_sweep.c,
 * view_map.c, view_spectrum.c and view_train.c.
 *
 * Every view owns its rectangle: it blanks it first (plot_begin), and
 * every write goes through a pen (draw.h) that clips to it, so nothing
 * lands outside. Below a view's minimum size (or when its axes leave no
 * room to plot) the rectangle holds "too small", clipped. Rows and
 * columns are relative to the rectangle, of h rows and w columns.
 *
 * Log axes (the sweep and the loss). The y range is whole decades lo..hi
 * around the finite, non-zero values shown: lo = floor of the least
 * log10, hi = ceil of the greatest (the sweep's widened to take in 10^0;
 * one decade either side when they meet). A plot of P rows from row
 * `first` puts log10 y on row
 *     first + round((hi - y) / (hi - lo) * (P - 1)),
 * hi on the first row and lo on the last. A gutter left of the plot holds
 * the decade labels as the chart writes them ("1e+02", right-aligned; see
 * logaxis_decade_label) and the axis, labels every k decades (k the first
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
    [PLOT_G_BOTH] = {"⊗", "&"},
    [PLOT_G_TH_BOTH] = {"⊕", "%"},
    [PLOT_G_BASE_OUT] = {"○", "O"},
    [PLOT_G_BASE_GRAD] = {"◇", "X"},
};

const char *plot_glyph(const DrawPen *p, int which)
{
	return plot_glyphs[which][p->ascii ? 1 : 0];
}

/* What a view shows when it cannot draw in its rectangle. */
void plot_too_small(const DrawPen *p)
{
	draw_fill(p, GRID_ROLE_TEXT, 0);
	draw_text(p, 0, 0, "too small", GRID_ROLE_NOTICE, 0);
}

/* Blanks the rectangle and checks its size: 0, or -1 (saying so when it
 * has any cells) below min_rows x min_cols. */
int plot_begin(DrawPen *p, Grid *g, DrawRect r, int ascii, int min_rows,
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
void plot_title(const DrawPen *p, const char *title, const char *note)
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

GridRole plot_role(double lg)
{
	if (lg > 1)
		return GRID_ROLE_EXPLODING;
	if (lg < -1)
		return GRID_ROLE_VANISHING;
	return GRID_ROLE_CRITICAL;
}

/* Column of x in [a, b] on a plot of w columns, relative to the plot. */
int plot_x(double x, double a, double b, int w)
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

void plot_log_axis(PlotLogAxis *a, const LogExtent *e, int with_one, int first,
    int rows)
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
void plot_log_frame(const DrawPen *p, const PlotLogAxis *a, int w, int with_one)
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
void plot_point(const DrawPen *p, const PlotLogAxis *a, int x, XMag v,
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

int plot_point_row(const PlotLogAxis *a, XMag v)
{
	if (xmag_is_nan(v))
		return plot_log_row(a, 0);
	if (xmag_is_inf(v))
		return a->first;
	if (xmag_is_zero(v))
		return a->first + a->rows - 1;
	return plot_log_row(a, xmag_log10(v));
}

/* The ends of an x range, "%.4g", on row under a plot from column x0 of
 * w columns, where the row has room for them. */
void plot_x_ends(const DrawPen *p, int row, int x0, int w, double a, double b)
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
/* Progress                                                               */
/* ---------------------------------------------------------------------- */

/* The progress bar "[███░░░░]  45%" on row, as wide as the rectangle
 * allows up to 40 cells of bar. */
void plot_progress(const DrawPen *p, int row, double f)
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
