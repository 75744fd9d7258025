/*
 * view_spectrum: the singular values of the input-output Jacobian, and
 * the job that computes them (spectrum.h). See include/viewmod.h.
 *
 * Spectrum: row 0 the title; rows 1 .. h-4 the histogram: the finite,
 * non-zero values' log10 over lo..hi (as above, without 10^0 forced) in
 * W bins of one column each, bin i = floor((y - lo) / (hi - lo) * W)
 * (the last bin closed); a bin of c values rises e = round(c * P * 8 /
 * cmax) eighths of a cell (at least one) from the bottom row, cmax
 * labelled at the top of the count gutter; the theory's edge (when there
 * is one, in the range) a vertical line in its bin's column over the
 * blank cells. Row h-3 the decade axis, row h-2 the count, the specials
 * and the edge's value, row h-1 mean sigma^2 against theory.
 */
#include "viewmod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logaxis.h"
#include "plots.h"
#include "spectrum.h"

/* Lower blocks by eighths, as the chart's bars. */
static const char *const plot_lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆",
    "▇", "█"};

/* ---------------------------------------------------------------------- */
/* Writing inside the rectangle                                           */
/* ---------------------------------------------------------------------- */

/* ---------------------------------------------------------------------- */
/* Spectrum                                                               */
/* ---------------------------------------------------------------------- */

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

void view_spectrum_plot(Grid *g, DrawRect r, const ViewSpectrum *s, int ascii)
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
	if (xmag_is_finite(s->edge) && !xmag_is_zero(s->edge))
		logaxis_extent_add(&ext, s->edge);
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
	lg = xmag_log10(s->edge);
	if (isfinite(lg)) {
		b = (int)floor((lg - lo) / (hi - lo) * W);
		b = b < 0 ? 0 : b >= W ? W - 1 : b;
		for (i = 1; i <= P; i++)
			if (strcmp(grid_cell(g, r.top + i, r.left + gutter + b)
			               ->glyph,
			        " ") == 0)
				draw_put(&pen, i, gutter + b,
				    draw_pick(&pen, "┊", ":"), GRID_ROLE_THEORY,
				    0);
	}
	plot_decade_axis(&pen, r.rows - 3, gutter, W, lo, hi);

	/* The counts: all, and the specials in their marks. Every value is
	 * resolved (spectrum.h): none is left out for precision. */
	x = snprintf(buf, sizeof buf, "%d values", s->n);
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
		x += draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_SPECIAL, 0);
	}
	if (isfinite(lg) && xmag_format_prec(s->edge, 2, m1, sizeof m1) >= 0) {
		snprintf(buf, sizeof buf, "  %s %s %s",
		    draw_pick(&pen, "┊", ":"),
		    s->exact ?
		        draw_pick(&pen,
		            "every σ = λ^L =", "every sigma = lambda^L =") :
		        draw_pick(&pen, "Fuss–Catalan edge σ_max ≈",
		            "Fuss-Catalan edge sigma_max ~"),
		    m1);
		draw_text(&pen, r.rows - 2, x, buf, GRID_ROLE_THEORY, 0);
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
/* The module                                                             */
/* ---------------------------------------------------------------------- */

static void *view_spectrum_new(Engine *eng, const EngineConfig *cfg, char *why,
    size_t len)
{
	(void)eng;
	return spectrum_job_new(cfg, why, len);
}

static int view_spectrum_step(void *job, char *err, size_t errlen)
{
	return spectrum_job_step(job, err, errlen);
}

static void view_spectrum_free(void *job)
{
	spectrum_job_free(job);
}

static void view_spectrum_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	const SpectrumJob *job = d->job;
	ViewSpectrum s;
	XMag t0;

	memset(&s, 0, sizeof s);
	s.why = d->why;
	s.theory_mean_sq = xmag_from_double(NAN);
	s.edge = xmag_from_double(NAN);
	if (job != NULL) {
		s.progress = spectrum_job_progress(job);
		s.ready = d->job_done;
		if (s.ready) {
			s.values = spectrum_job_values(job, &s.n, NULL);
			s.mean_sq = spectrum_job_mean_sq(job);
			spectrum_theory_edge(spectrum_job_config(job), &s.edge,
			    &s.exact);
		}
		/* In mean field the mean of sigma^2 is the product of the
		 * layers' chi: the theory's first-layer gradient, squared. */
		if (d->job_theory_grad != NULL) {
			t0 = d->job_theory_grad[0];
			s.theory_mean_sq = xmag_mul(t0, t0);
		}
	}
	view_spectrum_plot(g, r, &s, app->ascii);
}

const ViewModule view_spectrum_module = {
    .job_new = view_spectrum_new,
    .job_step = view_spectrum_step,
    .job_free = view_spectrum_free,
    .per_lambda = 1,
    .draw = view_spectrum_draw,
};
