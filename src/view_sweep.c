/*
 * view_sweep: output and first-layer gradient against lambda, and the job
 * that computes them (sweep.h). See include/viewmod.h.
 *
 * Sweep: row 0 the title and, while points remain, "12/101 points" at
 * its right; rows 1 .. h-3 the plot, lambda over the points' range (done
 * or not, so the axis does not move as they come in); row h-2 the lambda
 * axis, its ends and the markers' labels; row h-1 the legend. The output
 * is ● (ASCII o), the first-layer gradient × (x), coloured by magnitude;
 * theory curves · and + in the THEORY role, under the measured ones; the
 * lambda marker │ (|), the critical marker ┆ (:) in the CRITICAL role.
 * Marks that share a cell say so (view_sweep_marks). By default the
 * lambda axis frames the critical lambda, +- a quarter of it (and
 * lambda), the y axis fitted to the points there; F shows every point.
 */
#include "viewmod.h"

#include <math.h>
#include <stdio.h>

#include "plots.h"
#include "utf8.h"

/* ---------------------------------------------------------------------- */
/* Sweep                                                                  */
/* ---------------------------------------------------------------------- */

/* The lambda window the sweep frames by default: the critical lambda
 * +- VIEW_SWEEP_FRAME of it (at least two points' spacing), widened to
 * take in lambda_now. [*a, *b] is left as it is (the full range) when
 * there is no critical lambda. */
#define VIEW_SWEEP_FRAME 0.25

static void view_sweep_frame(int n, double lambda_now, double lambda_crit,
    double *a, double *b)
{
	double half = VIEW_SWEEP_FRAME * lambda_crit, lo, hi;

	if (!isfinite(lambda_crit) || n < 2 || !(*b > *a))
		return;
	if (half < 2 * (*b - *a) / (n - 1))
		half = 2 * (*b - *a) / (n - 1);
	lo = lambda_crit - half;
	hi = lambda_crit + half;
	if (isfinite(lambda_now) && lambda_now < lo)
		lo = lambda_now;
	if (isfinite(lambda_now) && lambda_now > hi)
		hi = lambda_now;
	/* Within the swept range. */
	*a = lo > *a ? lo : *a;
	*b = hi < *b ? hi : *b;
}

/* The markers of one lambda at plot column x, theory under the
 * measured points. Two on one cell show as one glyph that says so (⊗
 * output and gradient, ⊕ the theory's two), and a measured mark on a
 * theory mark is drawn reversed, so that no series hides under another.
 * Sets bits in *seen: 1 ⊗ drawn, 2 ⊕, 4 a reversed mark. */
static void view_sweep_marks(const DrawPen *pen, const PlotLogAxis *ax, int x,
    const SweepPoint *q, int theory, int *seen)
{
	int ro = plot_point_row(ax, q->output_rms);
	int rg = plot_point_row(ax, q->input_gradient);
	int to = theory ? plot_point_row(ax, q->theory_output) : -1;
	int tg = theory ? plot_point_row(ax, q->theory_gradient) : -1;
	int col = ax->gutter + x, y;

	if (theory) {
		plot_point(pen, ax, x, q->theory_gradient,
		    to == tg ? PLOT_G_TH_BOTH : PLOT_G_TH_GRAD,
		    GRID_ROLE_THEORY);
		if (to != tg)
			plot_point(pen, ax, x, q->theory_output, PLOT_G_TH_OUT,
			    GRID_ROLE_THEORY);
		/* Counted only where no measured mark covers it. */
		*seen |= to == tg && to != ro && to != rg ? 2 : 0;
	}
	plot_point(pen, ax, x, q->input_gradient,
	    ro == rg ? PLOT_G_BOTH : PLOT_G_GRAD, -1);
	if (ro != rg)
		plot_point(pen, ax, x, q->output_rms, PLOT_G_OUT, -1);
	*seen |= ro == rg ? 1 : 0;
	if (!theory)
		return;
	for (y = 0; y < 2; y++) {
		int row = y == 0 ? ro : rg;
		GridCell *c;

		if (row != to && row != tg)
			continue;
		c = grid_at(pen->g, pen->r.top + row, pen->r.left + col);
		if (c != NULL)
			c->attr |= GRID_ATTR_REVERSE;
		*seen |= 4;
	}
}

/* The lambda range [*a, *b] drawn (every point's, framed around the
 * critical lambda unless full), the y extent of the points done in it
 * (with the theory's when shown) and how many are done in all; whether
 * any point has a lambda. The plot and its hit test both use it, so a
 * click finds the point drawn under it. */
static int sweep_range(const SweepPoint *p, int n, int theory, int full,
    double lambda_now, double lambda_crit, LogExtent *ext, double *a, double *b,
    int *done, const SweepPoint *bp, int bn)
{
	int i, any = 0;

	*done = 0;
	for (i = 0; p != NULL && i < n; i++) {
		if (p[i].done)
			(*done)++;
		if (isfinite(p[i].lambda)) {
			*a = !any || p[i].lambda < *a ? p[i].lambda : *a;
			*b = !any || p[i].lambda > *b ? p[i].lambda : *b;
			any = 1;
		}
	}
	if (any && !full && isfinite(lambda_crit))
		view_sweep_frame(n, lambda_now, lambda_crit, a, b);
	for (i = 0; p != NULL && i < n; i++) {
		if (!p[i].done || !(p[i].lambda >= *a && p[i].lambda <= *b))
			continue;
		logaxis_extent_add(ext, p[i].output_rms);
		logaxis_extent_add(ext, p[i].input_gradient);
		if (theory) {
			logaxis_extent_add(ext, p[i].theory_output);
			logaxis_extent_add(ext, p[i].theory_gradient);
		}
	}
	/* The baseline's points in the window on the same y axis (its
	 * lambdas are the live job's: the same range). */
	for (i = 0; bp != NULL && i < bn; i++)
		if (bp[i].done && bp[i].lambda >= *a && bp[i].lambda <= *b) {
			logaxis_extent_add(ext, bp[i].output_rms);
			logaxis_extent_add(ext, bp[i].input_gradient);
		}
	return any;
}

void view_sweep_plot(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int full, int ascii)
{
	view_sweep_plot_base(g, r, p, n, lambda_now, lambda_crit, theory, full,
	    ascii, NULL, 0);
}

void view_sweep_plot_base(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int full, int ascii,
    const SweepPoint *bp, int bn)
{
	DrawPen pen;
	LogExtent ext = {0, 0, 0};
	PlotLogAxis ax;
	DrawLegend legend[11];
	char note[48] = "", now[32], crit[32];
	const char *range = "";
	double a = 0, b = 0;
	int i, done = 0, any = 0, w, x, xn = -1, xc = -1, y, nl = 0, seen = 0;

	if (plot_begin(&pen, g, r, ascii, 6, 20) < 0)
		return;
	note[0] = '\0';
	any = sweep_range(p, n, theory, full, lambda_now, lambda_crit, &ext, &a,
	    &b, &done, bp, bn);
	/* Framed around the critical lambda unless F asked for it all; the
	 * legend's last entry says how to get the other. */
	if (any && isfinite(lambda_crit))
		range = !full ?
		    draw_pick(&pen, "F: all λ", "F: all lambda") :
		    draw_pick(&pen, "F: around λc", "F: around lambda_c");
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

	/* The baseline under the live points. */
	for (i = 0; bp != NULL && i < bn; i++) {
		if (!bp[i].done || !(bp[i].lambda >= a && bp[i].lambda <= b))
			continue;
		x = plot_x(bp[i].lambda, a, b, w);
		plot_point(&pen, &ax, x, bp[i].input_gradient, PLOT_G_BASE_GRAD,
		    GRID_ROLE_TEXT);
		plot_point(&pen, &ax, x, bp[i].output_rms, PLOT_G_BASE_OUT,
		    GRID_ROLE_TEXT);
	}
	for (i = 0; i < n; i++) {
		if (!p[i].done || !(p[i].lambda >= a && p[i].lambda <= b))
			continue;
		x = plot_x(p[i].lambda, a, b, w);
		view_sweep_marks(&pen, &ax, x, &p[i], theory, &seen);
	}

	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_OUT),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "output"};
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_GRAD),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "gradient"};
	if (seen & 1)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_BOTH),
		    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, "both"};
	if (theory) {
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_TH_OUT),
		    GRID_ROLE_THEORY, "", GRID_ROLE_TEXT, "theory output"};
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_TH_GRAD),
		    GRID_ROLE_THEORY, "", GRID_ROLE_TEXT, "theory gradient"};
	}
	if (bp != NULL)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_BASE_OUT),
		    GRID_ROLE_TEXT, plot_glyph(&pen, PLOT_G_BASE_GRAD),
		    GRID_ROLE_TEXT, "baseline"};
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_NOW),
	    GRID_ROLE_TEXT, "", GRID_ROLE_TEXT, draw_pick(&pen, "λ", "lambda")};
	legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_CRIT),
	    GRID_ROLE_CRITICAL, "", GRID_ROLE_TEXT,
	    draw_pick(&pen, "λc", "lambda_c")};
	if (range[0] != '\0')
		legend[nl++] = (DrawLegend){"", GRID_ROLE_TEXT, "",
		    GRID_ROLE_TEXT, range};
	if (seen & 2)
		legend[nl++] = (DrawLegend){plot_glyph(&pen, PLOT_G_TH_BOTH),
		    GRID_ROLE_THEORY, "", GRID_ROLE_TEXT, "theory both"};
	if (seen & 4)
		legend[nl++] = (DrawLegend){"", GRID_ROLE_TEXT, "",
		    GRID_ROLE_TEXT, "reversed: on theory"};
	draw_legend(&pen, r.rows - 1, ax.gutter, legend, nl, 2);
}

/* ---------------------------------------------------------------------- */
/* The module                                                             */
/* ---------------------------------------------------------------------- */

/* Points over 0 .. viewmod_lambda_end. */
#define VIEW_SWEEP_POINTS 101

static void *view_sweep_new(Engine *eng, const EngineConfig *cfg, char *why,
    size_t len)
{
	double hi = viewmod_lambda_end(cfg);
	SweepJob *job = sweep_job_new(eng, cfg, 0, hi / (VIEW_SWEEP_POINTS - 1),
	    VIEW_SWEEP_POINTS);

	if (job == NULL)
		snprintf(why, len, "out of memory");
	return job;
}

static int view_sweep_step(void *job, char *err, size_t errlen)
{
	return sweep_job_step(job, err, errlen);
}

static void view_sweep_free(void *job)
{
	sweep_job_free(job);
}

/* The cursor (x) in the sweep: the point nearest lambda, in place of
 * the legend row: "λ=1.2000: output 1.234567e+05  gradient ..." as
 * --sweep prints them, with the theory's when the overlay is on. */
static void view_sweep_readout(Grid *g, DrawRect r, const SweepPoint *p, int n,
    const AppState *app)
{
	char line[256], o[XMAG_FORMAT_MAX], gr[XMAG_FORMAT_MAX];
	char to[XMAG_FORMAT_MAX], tg[XMAG_FORMAT_MAX];
	int i, best = -1, x, k;

	for (i = 0; p != NULL && i < n; i++)
		if (p[i].done &&
		    (best < 0 ||
		        fabs(p[i].lambda - app->cfg.lambda) <
		            fabs(p[best].lambda - app->cfg.lambda)))
			best = i;
	if (best < 0 || r.rows < 6)
		return;
	xmag_format(p[best].output_rms, o, sizeof o);
	xmag_format(p[best].input_gradient, gr, sizeof gr);
	k = snprintf(line, sizeof line, "%s=%.4f: output %s  gradient %s",
	    app->ascii ? "lambda" : "λ", p[best].lambda, o, gr);
	if (app->theory && k > 0 && (size_t)k < sizeof line) {
		xmag_format(p[best].theory_output, to, sizeof to);
		xmag_format(p[best].theory_gradient, tg, sizeof tg);
		snprintf(line + k, sizeof line - (size_t)k, "  (theory %s, %s)",
		    to, tg);
	}
	for (x = 0; x < r.cols; x++)
		grid_put(g, r.top + r.rows - 1, r.left + x, " ", GRID_ROLE_TEXT,
		    0);
	grid_text(g, r.top + r.rows - 1, r.left, line, GRID_ROLE_TEXT, 0);
}

static void view_sweep_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	const SweepPoint *p = NULL, *bp = NULL;
	double crit = NAN;
	int n = 0, bn = 0;

	if (d->job != NULL) {
		p = sweep_job_points(d->job, &n);
		crit = sweep_critical(p, n);
	}
	if (d->base_job != NULL)
		bp = sweep_job_points(d->base_job, &bn);
	view_sweep_plot_base(g, r, p, n, app->cfg.lambda, crit, app->theory,
	    app->sweep_full, app->ascii, bp, bn);
	if (app->cursor)
		view_sweep_readout(g, r, p, n, app);
}

/* A click on the plot: lambda to the point drawn nearest that column
 * (the axis as view_sweep_plot lays it out). */
static int view_sweep_hit(DrawRect r, int g_rows, const AppState *app,
    const ViewData *d, int row, int col, AppPoint *out)
{
	const SweepPoint *p, *bp = NULL;
	LogExtent ext = {0, 0, 0};
	PlotLogAxis ax;
	double a = 0, b = 0, at;
	int n = 0, bn = 0, done, w, x, i, best = -1;

	(void)g_rows;
	if (d->job == NULL || r.rows < 6 || r.cols < 20)
		return -1;
	p = sweep_job_points(d->job, &n);
	if (d->base_job != NULL)
		bp = sweep_job_points(d->base_job, &bn);
	if (!sweep_range(p, n, app->theory, app->sweep_full, app->cfg.lambda,
	        sweep_critical(p, n), &ext, &a, &b, &done, bp, bn))
		return -1;
	plot_log_axis(&ax, &ext, 1, 1, r.rows - 3);
	w = r.cols - ax.gutter;
	x = col - r.left - ax.gutter;
	if (w < 8 || x < 0 || x >= w || row - r.top < ax.first ||
	    row - r.top >= ax.first + ax.rows)
		return -1;
	at = a + (b - a) * x / (w - 1);
	for (i = 0; i < n; i++)
		if (p[i].lambda >= a && p[i].lambda <= b &&
		    (best < 0 ||
		        fabs(p[i].lambda - at) < fabs(p[best].lambda - at)))
			best = i;
	if (best < 0)
		return -1;
	out->kind = APP_POINT_LAMBDA;
	out->lambda = p[best].lambda;
	return 0;
}

/* Lambda is the sweep's axis: only its range's end makes a job stale. */
const ViewModule view_sweep_module = {
    .hit = view_sweep_hit,
    .base_job = 1,
    .job_new = view_sweep_new,
    .job_step = view_sweep_step,
    .job_free = view_sweep_free,
    .job_stale = viewmod_lambda_end_changed,
    .draw = view_sweep_draw,
};
