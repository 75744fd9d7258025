/*
 * view_map: the first-layer gradient over depth x lambda, and the job that
 * computes it (sweep.h). See include/viewmod.h.
 *
 * Map: row 0 title and progress; rows 1 .. h-3 the heat, P rows by W
 * columns right of a depth gutter; screen cell (y, x) shows map cell
 * (y * rows / P, x * cols / W), so small maps stretch and large ones are
 * sampled. The cursor sits on the first screen cell of the span of its
 * map cell (the nearest lambda and depth), reversed, a + when the cell is
 * blank. By |log10|: up to 1 ░ (.); above 1, up to 10 ▒ (:), 100 ▓ (*),
 * more █ (#); below 1, ▄ (-), ▆ (=), ▇ (%). The cursor's row is
 * labelled in the gutter with its depth, the status line's L. Row h-2
 * the lambda axis, with a tick at lambda = 1; row h-1 the legend, with
 * the specials that are on the map.
 */
#include "viewmod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots.h"
#include "utf8.h"

/* The map's cells by |log10|: within a decade of 10^0, then up to 10,
 * 100 and more decades, above 1 (shades) and below (blocks rising from
 * the cell's foot), as heavy as each other at each band, so that the
 * vanishing half reads as clearly as the exploding one, and its
 * direction without colour (NO_COLOR, the monochrome theme). {UTF-8,
 * ASCII} */
static const char *const plot_shades[2][4][2] = {
    {{"░", "."}, {"▒", ":"}, {"▓", "*"}, {"█", "#"}},
    {{"░", "."}, {"▄", "-"}, {"▆", "="}, {"▇", "%"}},
};

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

/* The depth labels' columns and the axis. */
static int plot_map_gutter(MapView m)
{
	char buf[32];
	int a = snprintf(buf, sizeof buf, "%d", m.depth[m.rows - 1]);
	int b = snprintf(buf, sizeof buf, "%d", m.depth[0]);

	return (a > b ? a : b) + 1;
}

void view_map_plot(Grid *g, DrawRect r, MapView m, double lambda_now,
    int depth_now, int ascii)
{
	DrawPen pen;
	DrawLegend legend[7];
	char note[64], buf[32];
	double lg;
	int gutter, P, W, x, y, mr, mc, last, n, cr, cc, cy, idx, band, nl;
	int specials = 0; /* 1 inf, 2 zero, 4 nan on the map */
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
	gutter = plot_map_gutter(m);
	P = r.rows - 3;
	W = r.cols - gutter;
	if (W < 4) {
		plot_too_small(&pen);
		return;
	}

	/* Where the cursor goes: its row is labelled whatever the spacing. */
	cr = plot_map_cursor(NULL, m.depth, m.rows, depth_now);
	cc = plot_map_cursor(m.lambda, NULL, m.cols, lambda_now);
	cy = cr >= 0 && cc >= 0 ? plot_span_start(cr, m.rows, P) : -9;

	/* The heat, and the depth of the first screen row of each map row,
	 * labelled where it leaves a blank row (and none next to the
	 * cursor's). */
	last = -3;
	for (y = 0; y < P; y++) {
		/* A sampled map shows the cursor's own row where it sits. */
		mr = y == cy ? cr : (int)((long long)y * m.rows / P);
		draw_put(&pen, 1 + y, gutter - 1, plot_glyph(&pen, PLOT_G_AXIS),
		    GRID_ROLE_AXIS, 0);
		if (y == cy ||
		    ((y == 0 || mr != (int)((long long)(y - 1) * m.rows / P)) &&
		        y - last >= 2 &&
		        (y == P - 1 || P - 1 - y >= 2 || y == 0) &&
		        abs(y - cy) >= 2)) {
			n = snprintf(buf, sizeof buf, "%d", m.depth[mr]);
			draw_text(&pen, 1 + y, gutter - 1 - n, buf,
			    y == cy ? GRID_ROLE_TEXT : GRID_ROLE_AXIS,
			    y == cy ? GRID_ATTR_BOLD : 0);
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
				specials |= 4;
				continue;
			}
			if (xmag_is_inf(m.cell[idx]) ||
			    xmag_is_zero(m.cell[idx])) {
				draw_put(&pen, 1 + y, gutter + x,
				    plot_glyph(&pen,
				        xmag_is_inf(m.cell[idx]) ? PLOT_G_INF :
				                                   PLOT_G_ZERO),
				    GRID_ROLE_SPECIAL, 0);
				specials |= xmag_is_inf(m.cell[idx]) ? 1 : 2;
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
	if (last != P - 1 && P - 1 - last >= 2 && abs(P - 1 - cy) >= 2) {
		n = snprintf(buf, sizeof buf, "%d", m.depth[m.rows - 1]);
		draw_text(&pen, P, gutter - 1 - n, buf, GRID_ROLE_AXIS, 0);
	}

	/* The cursor, and its lambda under it. */
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
	/* The tick at lambda = 1 (its map column's first cell), where the
	 * row has room for it. */
	idx = plot_map_cursor(m.lambda, NULL, m.cols, 1.0);
	if (idx >= 0) {
		x = gutter + plot_span_start(idx, m.cols, W);
		snprintf(buf, sizeof buf, "%s1", draw_pick(&pen, "↑", "^"));
		if (draw_free(&pen, r.rows - 2, x, utf8_cells(buf), gutter))
			draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_CRITICAL,
			    0);
	}

	legend[0] = (DrawLegend){plot_shades[0][0][ascii ? 1 : 0],
	    GRID_ROLE_CRITICAL, "", GRID_ROLE_TEXT,
	    draw_pick(&pen, "within 10^±1", "within 10^+-1")};
	legend[1] = (DrawLegend){draw_pick(&pen, "▒▓█", ":*#"),
	    GRID_ROLE_EXPLODING, "", GRID_ROLE_TEXT, "above"};
	legend[2] = (DrawLegend){draw_pick(&pen, "▄▆▇", "-=%"),
	    GRID_ROLE_VANISHING, "", GRID_ROLE_TEXT, "below"};
	legend[3] = (DrawLegend){"", GRID_ROLE_DIM, "", GRID_ROLE_TEXT,
	    "by up to 10, 100, more decades"};
	nl = 4;
	if (specials & 1)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_INF),
		    GRID_ROLE_SPECIAL, "", GRID_ROLE_TEXT, "inf"};
	if (specials & 2)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_ZERO),
		    GRID_ROLE_SPECIAL, "", GRID_ROLE_TEXT, "0"};
	if (specials & 4)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_NAN),
		    GRID_ROLE_SPECIAL, "", GRID_ROLE_TEXT, "nan"};
	draw_legend(&pen, r.rows - 1, gutter, legend, nl, 2);
}

/* ---------------------------------------------------------------------- */
/* The module                                                             */
/* ---------------------------------------------------------------------- */

/* Lambdas over 0 .. viewmod_lambda_end, depths up to the setting's. */
#define VIEW_MAP_COLS 41
#define VIEW_MAP_ROWS 24

static void *view_map_new(Engine *eng, const EngineConfig *cfg, char *why,
    size_t len)
{
	double hi = viewmod_lambda_end(cfg);
	MapJob *job = map_job_new(eng, cfg, 0, hi / (VIEW_MAP_COLS - 1),
	    VIEW_MAP_COLS, cfg->depth, VIEW_MAP_ROWS);

	if (job == NULL)
		snprintf(why, len, "out of memory");
	return job;
}

static int view_map_step(void *job, char *err, size_t errlen)
{
	return map_job_step(job, err, errlen);
}

static void view_map_free(void *job)
{
	map_job_free(job);
}

/* The cursor (x) in the map: the cell under the map's cursor (the
 * nearest lambda and depth), in place of the legend row: "λ=1.2000
 * L=150: first-layer gradient 1.234567e+05" (--dump's format), or
 * "not computed yet". */
static void view_map_readout(Grid *g, DrawRect r, MapView m,
    const AppState *app)
{
	char line[160], v[XMAG_FORMAT_MAX];
	int cr, cc, x;

	if (m.rows <= 0 || m.cols <= 0 || m.lambda == NULL || m.depth == NULL ||
	    m.cell == NULL || m.done == NULL || r.rows < 5)
		return;
	cr = plot_map_cursor(NULL, m.depth, m.rows, app->cfg.depth);
	cc = plot_map_cursor(m.lambda, NULL, m.cols, app->cfg.lambda);
	if (cr < 0 || cc < 0)
		return;
	if (m.done[cr * m.cols + cc])
		xmag_format(m.cell[cr * m.cols + cc], v, sizeof v);
	else
		snprintf(v, sizeof v, "not computed yet");
	snprintf(line, sizeof line, "%s=%.4f L=%d: first-layer gradient %s",
	    app->ascii ? "lambda" : "λ", m.lambda[cc], m.depth[cr], v);
	for (x = 0; x < r.cols; x++)
		grid_put(g, r.top + r.rows - 1, r.left + x, " ", GRID_ROLE_TEXT,
		    0);
	grid_text(g, r.top + r.rows - 1, r.left, line, GRID_ROLE_TEXT, 0);
}

static void view_map_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	MapView m;

	memset(&m, 0, sizeof m);
	if (d->job != NULL)
		m = map_job_view(d->job);
	view_map_plot(g, r, m, app->cfg.lambda, app->cfg.depth, app->ascii);
	if (app->cursor)
		view_map_readout(g, r, m, app);
}

/* A click on a cell of the heat: its lambda and depth (as drawn: screen
 * cell (y, x) shows map cell (y * rows / P, x * cols / W)). */
static int view_map_hit(DrawRect r, int g_rows, const AppState *app,
    const ViewData *d, int row, int col, AppPoint *out)
{
	MapView m;
	int gutter, P, W, y, x;

	(void)g_rows;
	(void)app;
	if (d->job == NULL)
		return -1;
	m = map_job_view(d->job);
	if (m.rows <= 0 || m.cols <= 0 || m.lambda == NULL || m.depth == NULL ||
	    r.rows < 5 || r.cols < 20)
		return -1;
	gutter = plot_map_gutter(m);
	P = r.rows - 3;
	W = r.cols - gutter;
	y = row - r.top - 1;
	x = col - r.left - gutter;
	if (W < 4 || y < 0 || y >= P || x < 0 || x >= W)
		return -1;
	out->kind = APP_POINT_CELL;
	out->lambda = m.lambda[(long long)x * m.cols / W];
	out->depth = m.depth[(long long)y * m.rows / P];
	return 0;
}

/* Lambda is the map's axis: only its range's end makes a job stale. */
const ViewModule view_map_module = {
    .hit = view_map_hit,
    .job_new = view_map_new,
    .job_step = view_map_step,
    .job_free = view_map_free,
    .job_stale = viewmod_lambda_end_changed,
    .draw = view_map_draw,
};
