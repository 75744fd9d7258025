/*
 * chart: one log-scale bar chart of per-layer magnitudes, laid out into a
 * rectangle of a grid, and the layer axis that stacked charts share.
 *
 * Geometry. A chart of `rows` rows is a title row over a plot of
 * P = rows - 1 rows: U rows above the critical line (10^0), the line, and
 * D rows below, for a Scale of 10^lo .. 10^hi:
 *     U = round((P - 1) * hi / (hi - lo)),  D = P - 1 - U,
 * except that a side with decades keeps one row when P >= 3. Left of the
 * plot a gutter holds the decade labels ("1e+04", right-aligned: logaxis_decade_label) and the
 * axis; a label marks the row where a bar of exactly that power of ten
 * ends. Labels go every k decades, k the first of 1, 2, 5, 10, 20, ...
 * that leaves a blank row between labels; the end of the range is
 * labelled too when there is room.
 *
 * Bars. A finite value v other than 1 draws a bar from the line, up for
 * v > 1 and down for v < 1, of
 *     e = round(|log10 v| / decades * side_rows * 8)  eighths of a cell
 * (decades and side_rows are hi and U above, -lo and D below): e / 8 full
 * cells and a tip of e % 8 eighths. A value beyond the scale fills its
 * side and ends in an off-scale mark. Glyphs (every one a single cell):
 *
 *                   UTF-8                             ASCII
 *   up body         █ (EXPLODING)                     #
 *   up tip          ▁▂▃▄▅▆▇: k eighths from below     . (1-3)  : (4-7)
 *   down body       ▒ (VANISHING)                     =
 *   down tip        k eighths from above: the lower   ' (1-3)  " (4-7)
 *                   block of 8 - k eighths, reversed
 *   off scale       ↑ at the top, ↓ at the bottom     !
 *   inf             ▲ at the top edge (SPECIAL)       ^
 *   exact 0         ▼ at the bottom edge (SPECIAL)    v
 *   nan             ? on the critical line (SPECIAL)  ?
 *   critical line   ─ (CRITICAL)                      -
 *   theory marker   ◆ (THEORY), see chart_theory      *
 *
 * Up and down bars differ in body and tip glyph, not only in colour, so
 * the chart reads the same without colour (NO_COLOR).
 *
 * The layer axis (one function pair maps columns to layers and back,
 * for the bars, the cursor, the mouse and the SVG). When the layers
 * (N) outnumber the plot columns (C), they spread over all of them:
 * column k shows layers floor(k N / C) .. floor((k + 1) N / C) - 1,
 * ceil(N / C) or floor(N / C) of them, and their extreme: nan if any is
 * nan, else inf if any is inf, else 0 if any is 0, else the value
 * farthest from 1 in log10 (the larger one on a tie). When the columns
 * outnumber the layers, layer l spans columns floor(l C / N) ..
 * floor((l + 1) C / N) - 1 (slot or slot + 1 of them, slot = floor(C /
 * N)); its bar takes the first `bar` of them (slot - 1 when slot >= 2,
 * else 1) and the rest are the gap after it. Either way the layers fill
 * the plot's width.
 *
 * Without colour (Chart.mono: NO_COLOR or a terminal without colours)
 * the tip of a bar below 1 is the below-1 glyph too, the bar rounded to
 * whole cells (at least one): a solid partial block there would read as
 * the tip of a bar above 1.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_CHART_H
#define GRADSCOPE_CHART_H

#include <stddef.h>

#include "grid.h"
#include "scale.h"
#include "xmag.h"

/* Which layers each plot column shows; shared by stacked charts so that
 * a layer sits in the same columns in each. */
typedef struct {
	int layers;      /* layers 0 .. layers - 1 */
	int cols;        /* plot columns */
	int per_col;     /* most layers a column shows: ceil(layers / cols) */
	int per_col_min; /* fewest: floor(layers / cols), 1 when spread */
	int slot;        /* fewest columns a layer spans when spread, else 1 */
	int bar;         /* bar columns of a layer when spread, else 1 */
} ChartAxis;

/* The axis for `layers` layers (>= 0) over `cols` plot columns (>= 0). */
void chart_axis_init(ChartAxis *ax, int layers, int cols);

/* The layers plot column col shows, [*first, *last]. Returns 0, or -1
 * when col shows none (a gap between bars, past the last layer, or
 * outside the plot). */
int chart_column_layers(const ChartAxis *ax, int col, int *first, int *last);

/* The first plot column that shows layer (0 <= layer < ax->layers). For
 * every column col that shows layers, chart_layer_column of each of them
 * is col when they aggregate, and col is within [c, c + bar) of its
 * layer's c when they spread. */
int chart_layer_column(const ChartAxis *ax, int layer);

/* What one column shows for v[first..last] (first <= last): the extreme
 * by the priority above. */
XMag chart_extreme(const XMag *v, int first, int last);

/* The layer that holds it: the first nan, else the first inf, else the
 * first 0, else the first layer of the extreme value. */
int chart_extreme_layer(const XMag *v, int first, int last);

typedef struct {
	const char *title;  /* "activation rms per layer" */
	const XMag *values; /* values[l] for l = first .. layers - 1; NULL:
	                        no data yet, the frame alone is drawn */
	int first;          /* first layer with a value (1 for weights) */
	const Scale *scale;
	int ascii; /* ASCII glyphs only */
	int mono;  /* drawn without colour: see above */
} Chart;

/* Gutter columns that the labels of scale s need, axis included. */
int chart_gutter(const Scale *s);

/* Lays c out into `rows` rows from (row, col): the title row, then the
 * plot. The chart is gutter + ax->cols columns wide; gutter must be at
 * least chart_gutter(c->scale). When columns aggregate, the title row
 * says how many layers each shows: "(each column: 3 layers, showing the
 * extreme)", "(each column: 2–3 layers, ...)" when they differ ("2-3" in
 * ASCII), or "(3 layers a column)" where that does not fit the chart's
 * width, or nothing. */
void chart_layout(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c);

/* Theory markers over a chart that chart_layout laid out with the same
 * arguments: theory[l] for the layers of c (c->first .. ax->layers - 1;
 * NULL: none), one ◆ (ASCII *) per plot column in the THEORY role on the
 * cell where a bar of the column's theory value would end, aggregated as
 * the bars are. So a layer that matches theory has the marker on its
 * bar's last cell, and 10^k's marker is on 10^k's label row when that
 * is a whole number of rows from the line. 1 marks the critical line;
 * inf, 0 and values off the scale mark the edge of their side; nan (no
 * theory for that layer) marks nothing. */
void chart_theory(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c, const XMag *theory);

/* The baseline's marks over a chart laid out like chart_theory's: one
 * ◇ (ASCII o) per plot column, in the TEXT role, on the cell where a bar
 * of base's value for the column would end, for the layers of c that
 * base has (base[l] for l <= base_last); the same rules as the theory
 * markers otherwise. */
void chart_baseline(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c, const XMag *base, int base_last);

/* The layer axis row under a chart laid out from column col: "layer" in
 * the gutter, then 0, a few round layer numbers and the last layer under
 * their columns, never closer than two blanks. */
void chart_layer_labels(Grid *g, int row, int col, int gutter,
    const ChartAxis *ax);

/* The glyph legend ("█ above 1   ▒ below 1   ▲ inf ...") from (row,
 * col), as many items as fit in width columns. */
void chart_legend(Grid *g, int row, int col, int width, int ascii);

/* The same with "◆ theory" (theory) and "◇ baseline" (baseline) after
 * the critical line's item, while those marks are drawn. */
void chart_legend_marks(Grid *g, int row, int col, int width, int ascii,
    int theory, int baseline);

#endif
