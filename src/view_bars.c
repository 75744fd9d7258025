/*
 * view_bars: the per-layer bar charts, the view the live screen opens
 * with. See include/viewmod.h.
 *
 * Two log-scale charts (chart.h) stacked in the rectangle: activation
 * rms above (floor(charts / 2) rows), gradient rms (or, with the weight
 * chart, weight-gradient rms) below, over one shared ChartAxis and
 * gutter (wide enough for either scale's labels), so that a layer sits
 * in the same columns in each; the layer numbers under them, the
 * information lines (view_info_rows: the cursor's readout, the
 * baseline's legend) and, on a screen of VIEW_LEGEND_ROWS rows or more,
 * the glyph legend; those last rows run under the caption box to the
 * screen's right edge. The weight-gradient chart has no layer 0 and
 * leaves that column empty; the theory has no weight-gradient column, so
 * its markers go on the other two charts only. With no result yet the
 * frames are drawn. No job.
 *
 * The cursor (x) marks its column(s) on both charts: blank cells become
 * ┊ (ASCII :), the critical line's cell is reversed, and ▲ (^) sits
 * under it on the layer-number row where that is blank. The
 * baseline (b) is a ◇ (o) per column where its bar would end, on the
 * same scales as the live bars (app_computed_with covers both). The
 * legend explains ◆ and ◇ while they are drawn.
 */
#include "viewmod.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "param.h"
#include "utf8.h"

/* Where the bars view puts things, for drawing and for the mouse. */
typedef struct {
	int legend; /* a legend row */
	int info;   /* information rows */
	int charts; /* rows of both charts */
	int top;    /* rows of the activation chart */
	int gutter;
	int depth;
	ChartAxis ax;
} ViewBars;

int view_bars_gutter(const AppState *app)
{
	int a = chart_gutter(&app->act_scale),
	    g = chart_gutter(&app->grad_scale);

	return a > g ? a : g;
}

static void view_bars_geom(DrawRect r, int g_rows, const AppState *app,
    const ViewData *d, ViewBars *b)
{
	b->legend = g_rows >= VIEW_LEGEND_ROWS;
	b->info = view_info_rows(app);
	b->charts = r.rows - 1 - b->legend - b->info;
	b->top = b->charts / 2;
	b->gutter = view_bars_gutter(app);
	b->depth = d->res != NULL ? d->res->depth : app->cfg.depth;
	chart_axis_init(&b->ax, b->depth + 1, r.cols - b->gutter);
}

/* ---------------------------------------------------------------------- */
/* The readout                                                            */
/* ---------------------------------------------------------------------- */

/* Appends printf-style text to buf (used bytes in *n), cut at len. */
static void view_bars_add(char *buf, size_t len, size_t *n, const char *fmt,
    const char *a, const char *b)
{
	int k;

	if (*n >= len)
		return;
	k = snprintf(buf + *n, len - *n, fmt, a, b);
	if (k > 0)
		*n += (size_t)k < len - *n ? (size_t)k : len - *n - 1;
}

/* live / base as "×0.31" (two decimals from 0.01 to 1000, else two
 * digits and an exponent, past double range too). */
static void view_bars_ratio(XMag live, XMag base, int ascii, char *buf,
    size_t len)
{
	XMag q = xmag_div(live, base);
	double lg = xmag_log10(q);
	char num[XMAG_FORMAT_MAX];

	if (isfinite(lg) && lg >= -2 && lg < 3)
		snprintf(num, sizeof num, "%.2f", xmag_to_double(q));
	else if (xmag_format_prec(q, 2, num, sizeof num) < 0)
		snprintf(num, sizeof num, "?");
	snprintf(buf, len, "%s%s", ascii ? "x" : "×", num);
}

/* One quantity of the readout: "activation 6.380000e+08 (layer 50)
 * (theory ...) ×0.31 vs baseline ...". */
static void view_bars_item(char *buf, size_t len, size_t *n, const char *sep,
    const char *label, const XMag *v, const XMag *th, const XMag *base,
    int base_depth, int first, int last, int ascii)
{
	char num[XMAG_FORMAT_MAX], at[32], ratio[40];
	int l = chart_extreme_layer(v, first, last), bl, blast;

	if (xmag_format(v[l], num, sizeof num) < 0)
		snprintf(num, sizeof num, "?");
	view_bars_add(buf, len, n, sep, label, num);
	if (first != last) {
		snprintf(at, sizeof at, "%d", l);
		view_bars_add(buf, len, n, " (layer %s)%s", at, "");
	}
	if (th != NULL && xmag_format(th[l], num, sizeof num) >= 0)
		view_bars_add(buf, len, n, " (theory %s)%s", num, "");
	blast = last < base_depth ? last : base_depth;
	if (base != NULL && first <= blast) {
		bl = chart_extreme_layer(base, first, blast);
		if (xmag_format(base[bl], num, sizeof num) < 0)
			snprintf(num, sizeof num, "?");
		view_bars_ratio(v[l], base[bl], ascii, ratio, sizeof ratio);
		view_bars_add(buf, len, n, " %s vs baseline %s", ratio, num);
	}
}

int view_bars_readout(const EngineResult *res, const XMag *th_act,
    const XMag *th_grad, const EngineResult *base, int first, int last,
    int ascii, int cells, char *buf, size_t len)
{
	/* Longest first; the first that fits is drawn. */
	static const struct {
		int shrt, theory, base, wgrad;
	} forms[] = {
	    {0, 1, 1, 1},
	    {1, 1, 1, 1},
	    {1, 0, 1, 1},
	    {1, 0, 1, 0},
	    {1, 0, 0, 0},
	};
	char head[48];
	size_t n, f;
	int w = 0, wfirst = first < 1 ? 1 : first;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (res == NULL || first < 0 || last > res->depth || first > last)
		return 0;
	if (first == last)
		snprintf(head, sizeof head, "layer %d:", first);
	else
		snprintf(head, sizeof head, "layers %d%s%d:", first,
		    ascii ? "-" : "–", last);
	for (f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		const EngineResult *b = forms[f].base ? base : NULL;
		const XMag *ba = b != NULL ? b->activation_rms : NULL;
		const XMag *bg = b != NULL ? b->gradient_rms : NULL;
		const XMag *bw = b != NULL ? b->weight_gradient_rms : NULL;
		int bd = b != NULL ? b->depth : -1;

		n = 0;
		view_bars_add(buf, len, &n, "%s%s", head, "");
		view_bars_item(buf, len, &n, " %s %s",
		    forms[f].shrt ? "act" : "activation", res->activation_rms,
		    forms[f].theory ? th_act : NULL, ba, bd, first, last,
		    ascii);
		view_bars_item(buf, len, &n, "  %s %s",
		    forms[f].shrt ? "grad" : "gradient", res->gradient_rms,
		    forms[f].theory ? th_grad : NULL, bg, bd, first, last,
		    ascii);
		/* Layer 0 has no weights: as --dump, no value. */
		if (forms[f].wgrad && wfirst <= last)
			view_bars_item(buf, len, &n, "  %s %s",
			    forms[f].shrt ? "wgrad" : "weight gradient",
			    res->weight_gradient_rms, NULL, bw, bd, wfirst,
			    last, ascii);
		w = utf8_cells(buf);
		if (w <= cells)
			break;
	}
	return w;
}

/* ---------------------------------------------------------------------- */
/* Drawing                                                                */
/* ---------------------------------------------------------------------- */

/* The cursor's layers: the column that shows its layer (clamped to the
 * depth on screen), [*first, *last], and its columns [*c0, *c1). */
static void view_bars_cursor(const ViewBars *b, const AppState *app, int *first,
    int *last, int *c0, int *c1)
{
	int layer = app->cursor_layer;

	if (layer > b->depth)
		layer = b->depth;
	if (layer < 0)
		layer = 0;
	*c0 = chart_layer_column(&b->ax, layer);
	if (b->ax.layers > b->ax.cols) {
		chart_column_layers(&b->ax, *c0, first, last);
		*c1 = *c0 + 1;
	} else {
		*first = *last = layer;
		*c1 = *c0 + b->ax.bar;
	}
}

/* The cursor's columns on a chart's plot rows: blank cells dotted, the
 * critical line's cells reversed (a column of full bars has no blank
 * cell, but always a line). */
static void view_bars_mark(Grid *g, int row, int rows, int x0, int x1,
    int ascii)
{
	int r, x;
	GridCell *c;

	for (r = row + 1; r < row + rows; r++)
		for (x = x0; x < x1; x++) {
			c = grid_at(g, r, x);
			if (c == NULL)
				continue;
			if (strcmp(c->glyph, " ") == 0)
				grid_put(g, r, x, ascii ? ":" : "┊",
				    GRID_ROLE_TEXT, GRID_ATTR_BOLD);
			else if (c->role == GRID_ROLE_CRITICAL)
				c->attr |= GRID_ATTR_REVERSE;
		}
}

/* The two bar charts, with the theory's markers when the overlay is on. */
static void view_bars_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	const EngineResult *res = d->res, *base = d->base;
	ViewBars b;
	Chart act, grad;
	int row, info_cols = g->cols - r.left, first, last, c0, c1;
	char line[1024];
	GridCell *cell;

	view_bars_geom(r, g->rows, app, d, &b);
	act.title = "activation rms per layer";
	act.values = res != NULL ? res->activation_rms : NULL;
	act.first = 0;
	act.scale = &app->act_scale;
	act.ascii = app->ascii;
	act.mono = app->mono;
	grad = act;
	grad.scale = &app->grad_scale;
	if (app->weight_chart) {
		grad.title = "weight gradient rms per layer";
		grad.values = res != NULL ? res->weight_gradient_rms : NULL;
		grad.first = 1;
	} else {
		grad.title = "gradient rms per layer";
		grad.values = res != NULL ? res->gradient_rms : NULL;
	}
	chart_layout(g, r.top, r.left, b.top, b.gutter, &b.ax, &act);
	chart_layout(g, r.top + b.top, r.left, b.charts - b.top, b.gutter,
	    &b.ax, &grad);
	if (base != NULL) {
		chart_baseline(g, r.top, r.left, b.top, b.gutter, &b.ax, &act,
		    base->activation_rms, base->depth);
		chart_baseline(g, r.top + b.top, r.left, b.charts - b.top,
		    b.gutter, &b.ax, &grad,
		    app->weight_chart ? base->weight_gradient_rms :
		                        base->gradient_rms,
		    base->depth);
	}
	/* The theory has no weight-gradient column: no markers there. */
	chart_theory(g, r.top, r.left, b.top, b.gutter, &b.ax, &act,
	    d->theory_act);
	if (!app->weight_chart)
		chart_theory(g, r.top + b.top, r.left, b.charts - b.top,
		    b.gutter, &b.ax, &grad, d->theory_grad);
	chart_layer_labels(g, r.top + b.charts, r.left, b.gutter, &b.ax);

	row = r.top + b.charts + 1;
	if (app->cursor && b.ax.cols > 0) {
		view_bars_cursor(&b, app, &first, &last, &c0, &c1);
		view_bars_mark(g, r.top, b.top, r.left + b.gutter + c0,
		    r.left + b.gutter + c1, app->ascii);
		view_bars_mark(g, r.top + b.top, b.charts - b.top,
		    r.left + b.gutter + c0, r.left + b.gutter + c1, app->ascii);
		cell = grid_at(g, r.top + b.charts, r.left + b.gutter + c0);
		if (cell != NULL && strcmp(cell->glyph, " ") == 0)
			grid_put(g, r.top + b.charts, r.left + b.gutter + c0,
			    app->ascii ? "^" : "▲", GRID_ROLE_TEXT,
			    GRID_ATTR_BOLD);
		if (res != NULL) {
			view_bars_readout(res, d->theory_act, d->theory_grad,
			    base, first, last, app->ascii, info_cols, line,
			    sizeof line);
			grid_text(g, row, r.left, line, GRID_ROLE_TEXT, 0);
		}
		row++;
	}
	if (app->baseline) {
		int n = grid_text(g, row, r.left, "baseline: ", GRID_ROLE_TEXT,
		    GRID_ATTR_BOLD);

		param_line(&app->baseline_cfg,
		    app->ascii ? PARAM_LINE_STATUS_ASCII : PARAM_LINE_STATUS,
		    line, sizeof line);
		grid_text(g, row, r.left + n, line, GRID_ROLE_TEXT, 0);
		row++;
	}
	if (b.legend)
		chart_legend_marks(g, row, r.left + b.gutter,
		    g->cols - r.left - b.gutter, app->ascii,
		    d->theory_act != NULL, base != NULL);
}

/* A click on either chart's plot (title rows and gutter excluded) or on
 * the layer numbers: the cursor to the column's first layer (a gap
 * between spread bars: the bar left of it). */
static int view_bars_hit(DrawRect r, int g_rows, const AppState *app,
    const ViewData *d, int row, int col, AppPoint *out)
{
	ViewBars b;
	int x, first, last;

	view_bars_geom(r, g_rows, app, d, &b);
	x = col - r.left - b.gutter;
	if (row <= r.top || row > r.top + b.charts || row == r.top + b.top ||
	    x < 0 || x >= b.ax.cols)
		return -1;
	while (x > 0 && chart_column_layers(&b.ax, x, &first, &last) < 0)
		x--;
	if (chart_column_layers(&b.ax, x, &first, &last) < 0)
		return -1;
	out->kind = APP_POINT_LAYER;
	out->layer = first;
	return 0;
}

const ViewModule view_bars_module = {
    .job_new = NULL,
    .presenter = 1,
    .draw = view_bars_draw,
    .hit = view_bars_hit,
    .info = 1,
};
