/*
 * chart: one log-scale bar chart laid out into a grid. See include/chart.h
 * for the geometry, the glyph scheme and the aggregation rule.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "logaxis.h"
#include "utf8.h"

/* ---------------------------------------------------------------------- */
/* Glyphs                                                                 */
/* ---------------------------------------------------------------------- */

enum {
	CHART_G_UP,        /* up bar body */
	CHART_G_DOWN,      /* down bar body */
	CHART_G_OVER_UP,   /* bar beyond the top of the scale */
	CHART_G_OVER_DOWN, /* bar beyond the bottom */
	CHART_G_INF,
	CHART_G_ZERO,
	CHART_G_NAN,
	CHART_G_LINE,   /* the critical line */
	CHART_G_AXIS,   /* the gutter's axis */
	CHART_G_TICK,   /* the axis at a labelled decade */
	CHART_G_CROSS,  /* the axis at the critical line */
	CHART_G_THEORY, /* a theory marker */
	CHART_G_BASE,   /* a baseline mark */
	CHART_G_COUNT
};

/* {UTF-8, ASCII} */
static const char *const chart_glyphs[CHART_G_COUNT][2] = {
    [CHART_G_UP] = {"█", "#"},
    [CHART_G_DOWN] = {"▒", "="},
    [CHART_G_OVER_UP] = {"↑", "!"},
    [CHART_G_OVER_DOWN] = {"↓", "!"},
    [CHART_G_INF] = {"▲", "^"},
    [CHART_G_ZERO] = {"▼", "v"},
    [CHART_G_NAN] = {"?", "?"},
    [CHART_G_LINE] = {"─", "-"},
    [CHART_G_AXIS] = {"│", "|"},
    [CHART_G_TICK] = {"┤", "+"},
    [CHART_G_CROSS] = {"┼", "+"},
    [CHART_G_THEORY] = {"◆", "*"},
    [CHART_G_BASE] = {"◇", "o"},
};

/* Lower blocks by eighths: [k] fills the bottom k/8 of a cell. */
static const char *const chart_lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆",
    "▇", "█"};

static const char *chart_glyph(int which, int ascii)
{
	return chart_glyphs[which][ascii ? 1 : 0];
}

/* The tip of a bar filled k eighths (1..7) from the line. Down tips must
 * fill from the top of the cell, for which Unicode has no common glyphs:
 * the lower block of the other 8 - k eighths, reversed, shows exactly
 * that (the reversed cell is solid except for the glyph). */
static const char *chart_tip(int up, int k, int ascii, int *attr)
{
	*attr = 0;
	if (ascii) {
		if (up)
			return k < 4 ? "." : ":";
		return k < 4 ? "'" : "\"";
	}
	if (up)
		return chart_lower[k];
	*attr = GRID_ATTR_REVERSE;
	return chart_lower[8 - k];
}

/* ---------------------------------------------------------------------- */
/* The layer axis and aggregation                                         */
/* ---------------------------------------------------------------------- */

void chart_axis_init(ChartAxis *ax, int layers, int cols)
{
	ax->layers = layers > 0 ? layers : 0;
	ax->cols = cols > 0 ? cols : 0;
	ax->per_col = ax->per_col_min = 1;
	ax->slot = ax->bar = 1;
	if (ax->layers == 0 || ax->cols == 0)
		return;
	if (ax->layers > ax->cols) {
		ax->per_col = (ax->layers + ax->cols - 1) / ax->cols;
		ax->per_col_min = ax->layers / ax->cols;
	} else {
		ax->slot = ax->cols / ax->layers;
		ax->bar = ax->slot >= 2 ? ax->slot - 1 : 1;
	}
}

/* floor(i * num / den) without overflow for the axis's sizes. */
static int chart_scale_index(int i, int num, int den)
{
	return (int)((long long)i * num / den);
}

int chart_column_layers(const ChartAxis *ax, int col, int *first, int *last)
{
	int l;

	if (col < 0 || col >= ax->cols || ax->layers == 0)
		return -1;
	if (ax->layers > ax->cols) {
		*first = chart_scale_index(col, ax->layers, ax->cols);
		*last = chart_scale_index(col + 1, ax->layers, ax->cols) - 1;
		return 0;
	}
	/* The layer whose span holds col: the last l with l C / N <= col. */
	l = (int)(((long long)(col + 1) * ax->layers - 1) / ax->cols);
	if (col - chart_layer_column(ax, l) >= ax->bar)
		return -1; /* the gap after its bar */
	*first = *last = l;
	return 0;
}

int chart_layer_column(const ChartAxis *ax, int layer)
{
	if (ax->layers > ax->cols)
		return (int)(((long long)(layer + 1) * ax->cols - 1) /
		    ax->layers);
	return chart_scale_index(layer, ax->cols, ax->layers);
}

int chart_extreme_layer(const XMag *v, int first, int last)
{
	int l, finite = -1, inf = -1, zero = -1, min = first, max = first;

	/* Comparisons, not a log10 per layer: a column can cover thousands
	 * of layers and is redrawn every frame. */
	for (l = first; l <= last; l++) {
		if (xmag_is_nan(v[l]))
			return l;
		if (xmag_is_inf(v[l])) {
			if (inf < 0)
				inf = l;
		} else if (xmag_is_zero(v[l])) {
			if (zero < 0)
				zero = l;
		} else {
			if (finite < 0 || xmag_cmp(v[l], v[min]) < 0)
				min = l;
			if (finite < 0 || xmag_cmp(v[l], v[max]) > 0)
				max = l;
			finite = l;
		}
	}
	if (inf >= 0)
		return inf;
	if (zero >= 0)
		return zero;
	return -xmag_log10(v[min]) > xmag_log10(v[max]) ? min : max;
}

XMag chart_extreme(const XMag *v, int first, int last)
{
	return v[chart_extreme_layer(v, first, last)];
}

/* ---------------------------------------------------------------------- */
/* Text helpers                                                           */
/* ---------------------------------------------------------------------- */

int chart_gutter(const Scale *s)
{
	char buf[16];
	int w = logaxis_decade_label(s->hi, buf, sizeof buf);
	int lo = logaxis_decade_label(s->lo, buf, sizeof buf);

	/* "1e+00", the critical line's label, is always there. */
	if (lo > w)
		w = lo;
	if (w < 5)
		w = 5;
	return w + 1;
}

/* ---------------------------------------------------------------------- */
/* The plot                                                               */
/* ---------------------------------------------------------------------- */

/* Where one chart's plot lies on the grid. */
typedef struct {
	int line;     /* row of the critical line */
	int up, down; /* rows above and below it */
	int hi, lo;   /* the scale */
	int ascii;
	int mono;
} ChartPlot;

/* Splits p plot rows around the line as chart.h states. */
static void chart_split(ChartPlot *pl, int top, int p)
{
	int side = p - 1;

	pl->up = 0;
	if (side > 0 && pl->hi > pl->lo)
		pl->up = (int)lround((double)side * pl->hi /
		    (double)(pl->hi - pl->lo));
	if (side >= 2 && pl->hi > 0 && pl->up == 0)
		pl->up = 1;
	if (side >= 2 && pl->lo < 0 && pl->up == side)
		pl->up = side - 1;
	pl->down = side > 0 ? side - pl->up : 0;
	pl->line = top + pl->up;
}

/* The row of the k-th cell (k >= 1) from the line on one side. */
static int chart_side_row(const ChartPlot *pl, int up, int k)
{
	return up ? pl->line - k : pl->line + k;
}

/* The eighths of a cell a bar of log10 lg (finite, not 0) fills from the
 * line, and its side's rows; -1 when it is off the scale. Off the scale
 * is judged in eighths, the drawing's resolution, so that a value at the
 * very edge, a rounding error past it, is a full bar and not an
 * off-scale mark. */
static long long chart_eighths(const ChartPlot *pl, double lg, int *rows)
{
	int up = lg > 0;
	double dec = up ? pl->hi : -pl->lo, e;

	*rows = up ? pl->up : pl->down;
	if (dec <= 0)
		return -1;
	e = fabs(lg) / dec * *rows * 8;
	/* Compared as a double first: llround of a huge one is undefined. */
	if (e > 8.0 * *rows + 1 || llround(e) > 8LL * *rows)
		return -1;
	return llround(e);
}

static void chart_bar(Grid *g, const ChartPlot *pl, int x, XMag v)
{
	const int ascii = pl->ascii;
	double lg;
	long long e;
	int up, rows, k, attr;
	GridRole role;

	if (xmag_is_nan(v)) {
		grid_put(g, pl->line, x, chart_glyph(CHART_G_NAN, ascii),
		    GRID_ROLE_SPECIAL, GRID_ATTR_BOLD);
		return;
	}
	if (xmag_is_inf(v)) {
		grid_put(g, pl->line - pl->up, x,
		    chart_glyph(CHART_G_INF, ascii), GRID_ROLE_SPECIAL,
		    GRID_ATTR_BOLD);
		return;
	}
	if (xmag_is_zero(v)) {
		grid_put(g, pl->line + pl->down, x,
		    chart_glyph(CHART_G_ZERO, ascii), GRID_ROLE_SPECIAL,
		    GRID_ATTR_BOLD);
		return;
	}
	lg = xmag_log10(v);
	if (lg == 0)
		return;
	up = lg > 0;
	role = up ? GRID_ROLE_EXPLODING : GRID_ROLE_VANISHING;
	e = chart_eighths(pl, lg, &rows);
	if (e < 0) {
		/* A full side, its edge cell marked. With no rows on this
		 * side the mark sits on the line itself. */
		for (k = 1; k < rows; k++)
			grid_put(g, chart_side_row(pl, up, k), x,
			    chart_glyph(up ? CHART_G_UP : CHART_G_DOWN, ascii),
			    role, 0);
		grid_put(g, chart_side_row(pl, up, rows), x,
		    chart_glyph(up ? CHART_G_OVER_UP : CHART_G_OVER_DOWN,
		        ascii),
		    role, GRID_ATTR_BOLD);
		return;
	}
	/* Without colour a down tip is the down glyph: a whole cell. */
	if (pl->mono && !up && e > 0)
		e = e < 8 ? 8 : (e + 4) / 8 * 8;
	for (k = 1; k <= e / 8; k++)
		grid_put(g, chart_side_row(pl, up, k), x,
		    chart_glyph(up ? CHART_G_UP : CHART_G_DOWN, ascii), role,
		    0);
	if (e % 8 != 0) {
		const char *tip = chart_tip(up, (int)(e % 8), ascii, &attr);

		grid_put(g, chart_side_row(pl, up, k), x, tip, role, attr);
	}
}

/* The first round number of decades whose label rows are at least two
 * rows apart on the denser side. */
static int chart_label_step(const ChartPlot *pl)
{
	double per = 0; /* rows per decade, the smaller side's */

	if (pl->up > 0 && pl->hi > 0)
		per = (double)pl->up / pl->hi;
	if (pl->down > 0 && pl->lo < 0 &&
	    (per == 0 || (double)pl->down / -pl->lo < per))
		per = (double)pl->down / -pl->lo;
	if (per == 0)
		return 1;
	return logaxis_step(per, 2);
}

static void chart_label(Grid *g, int row, int col, int gutter, int decade,
    GridRole role, int ascii, int axis_glyph)
{
	char buf[16];
	int n = logaxis_decade_label(decade, buf, sizeof buf);

	if (n < 0)
		return;
	grid_text(g, row, col + gutter - 1 - n, buf, role, 0);
	grid_put(g, row, col + gutter - 1, chart_glyph(axis_glyph, ascii),
	    GRID_ROLE_AXIS, 0);
}

/* Decade labels of one side: every step decades, then the end of the
 * range if it is at least two rows from the last one. */
static void chart_side_labels(Grid *g, const ChartPlot *pl, int col, int gutter,
    int up, int step)
{
	int dec = up ? pl->hi : -pl->lo;
	int rows = up ? pl->up : pl->down;
	int d, k, last = 0;

	if (dec <= 0 || rows <= 0)
		return;
	for (d = step; d <= dec; d += step) {
		k = (int)lround((double)d / dec * rows);
		chart_label(g, chart_side_row(pl, up, k), col, gutter,
		    up ? d : -d, GRID_ROLE_AXIS, pl->ascii, CHART_G_TICK);
		last = k;
	}
	if (dec % step != 0 && rows - last >= 2)
		chart_label(g, chart_side_row(pl, up, rows), col, gutter,
		    up ? dec : -dec, GRID_ROLE_AXIS, pl->ascii, CHART_G_TICK);
}

/* The title, and when columns aggregate a note saying how many layers
 * each shows: in full, or short, or not at all, whichever fits the
 * chart's width (a caption box may stand right of it). */
static void chart_title(Grid *g, int row, int col, int width,
    const ChartAxis *ax, const Chart *c)
{
	char note[96], count[32];
	int n;

	n = grid_text(g, row, col, c->title, GRID_ROLE_TITLE, GRID_ATTR_BOLD);
	if (ax->per_col <= 1)
		return;

	if (ax->per_col_min == ax->per_col)
		snprintf(count, sizeof count, "%d", ax->per_col);
	else
		snprintf(count, sizeof count, "%d%s%d", ax->per_col_min,
		    c->ascii ? "-" : "–", ax->per_col);
	snprintf(note, sizeof note,
	    "  (each column: %s layers, showing the extreme)", count);
	if (n + utf8_cells(note) > width)
		snprintf(note, sizeof note, "  (%s layers a column)", count);
	if (n + utf8_cells(note) <= width)
		grid_text(g, row, col + n, note, GRID_ROLE_DIM, 0);
}

/* The plot of a chart of `rows` rows from row: 0, or -1 when it has no
 * plot rows. */
static int chart_plot(ChartPlot *pl, int row, int rows, const Chart *c)
{
	if (rows - 1 <= 0)
		return -1;
	pl->hi = c->scale->hi;
	pl->lo = c->scale->lo;
	pl->ascii = c->ascii;
	pl->mono = c->mono;
	chart_split(pl, row + 1, rows - 1);
	return 0;
}

/* What plot column x shows of v (layers from `first` on): 0 and the
 * extreme in *out, or -1 when it shows none. */
static int chart_column_value(const ChartAxis *ax, int first_layer,
    const XMag *v, int x, XMag *out)
{
	int first, last;

	if (chart_column_layers(ax, x, &first, &last) < 0)
		return -1;
	if (first < first_layer)
		first = first_layer;
	if (first > last)
		return -1;
	*out = chart_extreme(v, first, last);
	return 0;
}

void chart_layout(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c)
{
	ChartPlot pl;
	XMag v;
	int r, x;

	if (rows <= 0)
		return;
	chart_title(g, row, col, gutter + ax->cols, ax, c);
	if (chart_plot(&pl, row, rows, c) < 0)
		return;

	/* The frame: axis, critical line and labels. */
	for (r = row + 1; r < row + rows; r++)
		grid_put(g, r, col + gutter - 1,
		    chart_glyph(CHART_G_AXIS, c->ascii), GRID_ROLE_AXIS, 0);
	for (x = 0; x < ax->cols; x++)
		grid_put(g, pl.line, col + gutter + x,
		    chart_glyph(CHART_G_LINE, c->ascii), GRID_ROLE_CRITICAL, 0);
	r = chart_label_step(&pl);
	chart_side_labels(g, &pl, col, gutter, 1, r);
	chart_side_labels(g, &pl, col, gutter, 0, r);
	chart_label(g, pl.line, col, gutter, 0, GRID_ROLE_CRITICAL, c->ascii,
	    CHART_G_CROSS);

	if (c->values == NULL)
		return;
	for (x = 0; x < ax->cols; x++)
		if (chart_column_value(ax, c->first, c->values, x, &v) == 0)
			chart_bar(g, &pl, col + gutter + x, v);
}

/* The cell where a bar of v ends: its top cell, the line for 1, the edge
 * of its side off the scale and for inf and 0. -1 for nan. */
static int chart_end_row(const ChartPlot *pl, XMag v)
{
	double lg;
	long long e;
	int rows;

	if (xmag_is_nan(v))
		return -1;
	if (xmag_is_inf(v))
		return pl->line - pl->up;
	if (xmag_is_zero(v))
		return pl->line + pl->down;
	lg = xmag_log10(v);
	if (lg == 0)
		return pl->line;
	e = chart_eighths(pl, lg, &rows);
	if (e < 0)
		return chart_side_row(pl, lg > 0, rows);
	return chart_side_row(pl, lg > 0, (int)((e + 7) / 8));
}

/* One mark per plot column on the cell where a bar of v's value for the
 * column (layers c->first .. last of v) would end. */
static void chart_marks(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c, const XMag *v, int last, int glyph,
    GridRole role)
{
	ChartAxis cut = *ax;
	ChartPlot pl;
	XMag m;
	int x, r;

	if (v == NULL || chart_plot(&pl, row, rows, c) < 0)
		return;
	/* The columns as the chart's axis has them; only the layers v has. */
	cut.layers = last + 1 < ax->layers ? last + 1 : ax->layers;
	for (x = 0; x < ax->cols; x++) {
		int first, end;

		if (chart_column_layers(ax, x, &first, &end) < 0)
			continue;
		if (first < c->first)
			first = c->first;
		if (end >= cut.layers)
			end = cut.layers - 1;
		if (first > end)
			continue;
		m = chart_extreme(v, first, end);
		r = chart_end_row(&pl, m);
		if (r >= 0)
			grid_put(g, r, col + gutter + x,
			    chart_glyph(glyph, c->ascii), role, GRID_ATTR_BOLD);
	}
}

void chart_theory(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c, const XMag *theory)
{
	chart_marks(g, row, col, rows, gutter, ax, c, theory, ax->layers - 1,
	    CHART_G_THEORY, GRID_ROLE_THEORY);
}

void chart_baseline(Grid *g, int row, int col, int rows, int gutter,
    const ChartAxis *ax, const Chart *c, const XMag *base, int base_last)
{
	chart_marks(g, row, col, rows, gutter, ax, c, base, base_last,
	    CHART_G_BASE, GRID_ROLE_TEXT);
}

/* ---------------------------------------------------------------------- */
/* Layer numbers and legend                                               */
/* ---------------------------------------------------------------------- */

void chart_layer_labels(Grid *g, int row, int col, int gutter,
    const ChartAxis *ax)
{
	char buf[16];
	int last = ax->layers - 1, width, step = 1, l, x, n, end;

	if (last < 0)
		return;
	grid_text(g, row, col, "layer", GRID_ROLE_AXIS, 0);
	col += gutter;

	/* The last layer, right-aligned under the end of its bar. */
	width = snprintf(buf, sizeof buf, "%d", last);
	end = chart_layer_column(ax, last) + ax->bar - 1;
	x = end - width + 1;
	if (x < 0)
		x = 0;
	grid_text(g, row, col + x, buf, GRID_ROLE_AXIS, 0);
	end = x; /* numbers left of it must end two blanks before */

	/* Round numbers, far enough apart for the widest of them. */
	while (step < last &&
	    chart_layer_column(ax, step) - chart_layer_column(ax, 0) <
	        width + 2)
		step = logaxis_next_round(step);
	for (l = 0; l < last; l += step) {
		n = snprintf(buf, sizeof buf, "%d", l);
		x = chart_layer_column(ax, l);
		if (x + n + 2 > end)
			break;
		grid_text(g, row, col + x, buf, GRID_ROLE_AXIS, 0);
	}
}

void chart_legend(Grid *g, int row, int col, int width, int ascii)
{
	chart_legend_marks(g, row, col, width, ascii, 0, 0);
}

void chart_legend_marks(Grid *g, int row, int col, int width, int ascii,
    int theory, int baseline)
{
	/* glyph2 < 0: a single glyph. */
	static const struct {
		int glyph, glyph2;
		GridRole role, role2;
		const char *text;
	} items[] = {
	    {CHART_G_UP, -1, GRID_ROLE_EXPLODING, 0, "above 1"},
	    {CHART_G_DOWN, -1, GRID_ROLE_VANISHING, 0, "below 1"},
	    {CHART_G_LINE, -1, GRID_ROLE_CRITICAL, 0, "1e+00"},
	    {CHART_G_THEORY, -1, GRID_ROLE_THEORY, 0, "theory"},
	    {CHART_G_BASE, -1, GRID_ROLE_TEXT, 0, "baseline"},
	    {CHART_G_INF, -1, GRID_ROLE_SPECIAL, 0, "inf"},
	    {CHART_G_ZERO, -1, GRID_ROLE_SPECIAL, 0, "0"},
	    {CHART_G_NAN, -1, GRID_ROLE_SPECIAL, 0, "nan"},
	    {CHART_G_OVER_UP, CHART_G_OVER_DOWN, GRID_ROLE_EXPLODING,
	        GRID_ROLE_VANISHING, "off the scale"},
	};
	enum { N = sizeof items / sizeof items[0] };
	DrawLegend legend[N];
	DrawPen p = draw_pen(g, (DrawRect){row, col, 1, width}, ascii);
	size_t i, n = 0;

	for (i = 0; i < N; i++) {
		/* The marks only while they are drawn. */
		if ((items[i].glyph == CHART_G_THEORY && !theory) ||
		    (items[i].glyph == CHART_G_BASE && !baseline))
			continue;
		legend[n].glyph = chart_glyph(items[i].glyph, ascii);
		legend[n].role = items[i].role;
		legend[n].glyph2 = items[i].glyph2 < 0 ?
		    "" :
		    chart_glyph(items[i].glyph2, ascii);
		/* In ASCII both off-scale marks are "!": shown once. */
		if (strcmp(legend[n].glyph, legend[n].glyph2) == 0)
			legend[n].glyph2 = "";
		legend[n].role2 = items[i].role2;
		legend[n].text = items[i].text;
		n++;
	}
	draw_legend(&p, 0, 0, legend, n, 3);
}
