/*
 * plots: what the plot views (view_sweep.c, view_map.c, view_spectrum.c,
 * view_train.c) share: their glyphs, the rectangle a view owns, its
 * title row, log and linear axes, points and the progress bar. Each
 * function draws through a pen (draw.h) clipped to the view's rectangle;
 * rows and columns are the rectangle's. The geometry is described in
 * src/plots.c.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_PLOTS_H
#define GRADSCOPE_PLOTS_H

#include "draw.h"
#include "grid.h"
#include "logaxis.h"
#include "xmag.h"

/* The plots' glyphs, each {UTF-8, ASCII} (plot_glyph). */
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
	PLOT_G_NOW,       /* the lambda marker */
	PLOT_G_CRIT,      /* the critical-lambda marker */
	PLOT_G_FULL,      /* a full bar cell, a done progress cell */
	PLOT_G_TODO,      /* a progress cell to go */
	PLOT_G_BOTH,      /* output and gradient on one cell */
	PLOT_G_TH_BOTH,   /* theory's output and gradient on one cell */
	PLOT_G_BASE_OUT,  /* the baseline's output (issue 13) */
	PLOT_G_BASE_GRAD, /* the baseline's gradient */
	PLOT_G_COUNT
};

/* Glyph which (PLOT_G_*) in the pen's glyph set. */
const char *plot_glyph(const DrawPen *p, int which);

/* Binds p to r of g and blanks r; 0, or -1 (saying "too small" when r
 * has any cells) below min_rows x min_cols. */
int plot_begin(DrawPen *p, Grid *g, DrawRect r, int ascii, int min_rows,
    int min_cols);

/* What a view shows when it cannot draw in its rectangle. */
void plot_too_small(const DrawPen *p);

/* The title on row 0, and a note (progress) right-aligned after it when
 * both fit with two blanks between, else the note alone. */
void plot_title(const DrawPen *p, const char *title, const char *note);

/* The role of a magnitude of log10 lg: above 1 EXPLODING, below -1
 * VANISHING, else CRITICAL. */
GridRole plot_role(double lg);

/* Column of x in [a, b] on a plot of w columns, relative to the plot. */
int plot_x(double x, double a, double b, int w);

/* A log axis: plot rows first .. first + rows - 1 over whole decades
 * lo..hi, with a gutter of labels left of the plot. */
typedef struct {
	int first, rows; /* plot rows */
	int gutter;      /* columns left of the plot, axis included */
	double lo, hi;   /* whole decades */
} PlotLogAxis;

/* The axis for the values e (with_one: taking in 10^0) on rows rows
 * from first; its gutter fits the labels. */
void plot_log_axis(PlotLogAxis *a, const LogExtent *e, int with_one, int first,
    int rows);

/* The gutter's axis and labels (10^0 first, then every k decades, then
 * the ends where they have room); with with_one, the 10^0 line across
 * the plot's w columns. */
void plot_log_frame(const DrawPen *p, const PlotLogAxis *a, int w,
    int with_one);

/* A point of v on a log axis at plot column x: glyph in role (or by
 * magnitude when role < 0), or the chart's special mark. */
void plot_point(const DrawPen *p, const PlotLogAxis *a, int x, XMag v,
    int glyph, int role);

/* The plot row plot_point draws v on (its special mark's for inf, 0 and
 * nan). */
int plot_point_row(const PlotLogAxis *a, XMag v);

/* The ends of an x range, "%.4g", on row under a plot from column x0 of
 * w columns, where the row has room for them. */
void plot_x_ends(const DrawPen *p, int row, int x0, int w, double a, double b);

/* The progress bar "[███░░░░]  45%" on row, as wide as the rectangle
 * allows up to 40 cells of bar. */
void plot_progress(const DrawPen *p, int row, double f);

#endif
