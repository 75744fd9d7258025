/*
 * view_train: gradient descent on the toy task, step by step, and the
 * trainer that runs it (train.h). See include/viewmod.h.
 *
 * Training: the loss on the left half (a log axis against the step),
 * then the last step's weight-gradient RMS per layer and its update:data
 * ratio per layer as charts (chart.h), the ratio's with a line on the
 * 1e-3 row (below 60 columns, or without ratios, the loss takes 2/3 and
 * the gradients the rest); row h-2 the step axis and the layer numbers,
 * row h-1 the step count, the learning rate and the verdict (a
 * divergence in the EXPLODING role). The job is paced, one step a frame,
 * each step done in train_piece's pieces (job_step returns 2 between
 * them) so the keys are read within a piece of any step; step 0 (the
 * weights drawn, the first passes) is pieces too, its progress on row
 * h-1.
 */
#include "viewmod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "logaxis.h"
#include "plots.h"
#include "train.h"
#include "utf8.h"

/* ---------------------------------------------------------------------- */
/* Training                                                               */
/* ---------------------------------------------------------------------- */

/* One of the per-layer charts beside the loss: titles from the longest
 * to the shortest, the values v[1..depth] (v[0] unused; negative or nan:
 * none) on a log scale that holds them and, when ref > 0, ref. */
typedef struct {
	const char *const *titles; /* ends with "" */
	const double *v;
	int log10;  /* v holds log10 of the values */
	double ref; /* a reference line's value (the update ratio's 1e-3) */
} TrainChart;

/* The reference line of tc over the chart laid out in columns x0 ..
 * x0 + gutter + ax->cols - 1: chart_theory marks the cell where a bar
 * of ref ends in every column; that row becomes a line (CRITICAL, over
 * the blank cells and the marks only, so no bar is hidden). */
static void plot_train_ref(const DrawPen *p, const TrainChart *tc,
    const Chart *c, const ChartAxis *ax, int x0, int rows, int gutter,
    XMag *ref)
{
	int l, r, x, line = -1, row = p->r.top, col = p->r.left + x0;
	const char *glyph = draw_pick(p, "─", "-");
	GridCell *cell;

	for (l = 0; l <= ax->layers - 1; l++)
		ref[l] = xmag_from_double(tc->ref);
	chart_theory(p->g, row, col, rows, gutter, ax, c, ref);
	for (r = row + 1; r < row + rows && line < 0; r++)
		for (x = col + gutter; x < col + gutter + ax->cols; x++) {
			cell = grid_at(p->g, r, x);
			if (cell != NULL && cell->role == GRID_ROLE_THEORY)
				line = r;
		}
	for (x = col + gutter; line >= 0 && x < col + gutter + ax->cols; x++) {
		cell = grid_at(p->g, line, x);
		if (cell != NULL &&
		    (cell->role == GRID_ROLE_THEORY ||
		        strcmp(cell->glyph, " ") == 0))
			grid_put(p->g, line, x, glyph, GRID_ROLE_CRITICAL, 0);
	}
}

/* tc as a chart in columns x0 .. x0 + w - 1 of rows 0 .. rows - 1, the
 * layer numbers on row `labels`. */
static void plot_train_chart(const DrawPen *p, const TrainChart *tc, int depth,
    int x0, int w, int rows, int labels)
{
	LogExtent ext = {0, 0, 0};
	ChartAxis ax;
	Chart c;
	Scale sc;
	XMag *v;
	double lo, hi;
	size_t i;
	int l, gutter;
	char buf[16];

	v = malloc(((size_t)depth + 1) * sizeof *v);
	if (v == NULL)
		return;
	v[0] = xmag_from_double(NAN);
	for (l = 1; l <= depth; l++) {
		if (tc->log10)
			v[l] = isnan(tc->v[l]) ? xmag_from_double(NAN) :
			                         xmag_pow10(tc->v[l]);
		else
			v[l] = xmag_from_double(tc->v[l] < 0 ? NAN : tc->v[l]);
		logaxis_extent_add(&ext, v[l]);
	}
	if (tc->ref > 0)
		logaxis_extent_add(&ext, xmag_from_double(tc->ref));
	logaxis_decades(&ext, 1, &lo, &hi);
	scale_init(&sc);
	sc.lo = (int)lo;
	sc.hi = (int)hi;
	gutter = chart_gutter(&sc);
	if (w - gutter < 2) {
		free(v);
		return;
	}
	chart_axis_init(&ax, depth + 1, w - gutter);
	/* chart_layout clips at the grid, not at the rectangle: a title
	 * that fits. */
	for (i = 0; utf8_cells(tc->titles[i]) > w; i++)
		;
	c.title = tc->titles[i];
	c.values = v;
	c.first = 1;
	c.scale = &sc;
	c.ascii = p->ascii;
	c.mono = 0;
	chart_layout(p->g, p->r.top, p->r.left + x0, rows, gutter, &ax, &c);
	if (tc->ref > 0)
		plot_train_ref(p, tc, &c, &ax, x0, rows, gutter, v);
	if (snprintf(buf, sizeof buf, "%d", depth) < ax.cols)
		chart_layer_labels(p->g, p->r.top + labels, p->r.left + x0,
		    gutter, &ax);
	free(v);
}

static const char *const train_grad_titles[] = {
    "weight gradient rms per layer",
    "weight gradient rms",
    "weight grad",
    "",
};

static const char *const train_ratio_titles[] = {
    "update:data |ΔW|/|W| per layer, ─ 1e-3",
    "update:data, ─ 1e-3",
    "update:data",
    "update",
    "",
};

static const char *const train_ratio_titles_ascii[] = {
    "update:data |dW|/|W| per layer, - 1e-3",
    "update:data, - 1e-3",
    "update:data",
    "update",
    "",
};

void view_train_plot(Grid *g, DrawRect r, const ViewTrain *t, int ascii)
{
	DrawPen pen;
	LogExtent ext = {0, 0, 0};
	PlotLogAxis ax;
	TrainChart tc;
	char buf[64];
	int lc, gc, w, i, x, bars;
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
	/* The loss on the left (half, or two thirds when only the
	 * gradient bars fit or there are no ratios), a blank column, the
	 * gradient bars, the update ratios. */
	bars = t->depth > 0 && t->wgrad != NULL;
	lc = r.cols;
	gc = 0;
	if (bars && t->ratio != NULL && r.cols >= 60) {
		lc = r.cols / 2;
		gc = (r.cols - lc) / 2;
	} else if (bars && r.cols >= 40) {
		lc = r.cols * 2 / 3;
		gc = r.cols - lc;
	}
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
	if (gc > 0) {
		tc.titles = train_grad_titles;
		tc.v = t->wgrad;
		tc.log10 = 0;
		tc.ref = 0;
		plot_train_chart(&pen, &tc, t->depth, lc,
		    gc - (lc + gc < r.cols), r.rows - 2, r.rows - 2);
	}
	if (lc + gc < r.cols && t->ratio != NULL) {
		tc.titles = ascii ? train_ratio_titles_ascii :
		                    train_ratio_titles;
		tc.v = t->ratio;
		tc.log10 = 1;
		tc.ref = 1e-3;
		plot_train_chart(&pen, &tc, t->depth, lc + gc, r.cols - lc - gc,
		    r.rows - 2, r.rows - 2);
	}

	snprintf(buf, sizeof buf, "step %d", t->steps);
	x = draw_text(&pen, r.rows - 1, 0, buf, GRID_ROLE_STATUS, 0) + 2;
	if (t->rate > 0) {
		snprintf(buf, sizeof buf, "rate %.3g (* /)", t->rate);
		x += draw_text(&pen, r.rows - 1, x, buf, GRID_ROLE_STATUS, 0) +
		    2;
	}
	/* A divergence in the exploding colour, as the bars above 1. */
	if (t->verdict != NULL)
		draw_text(&pen, r.rows - 1, x, t->verdict,
		    t->diverged ? GRID_ROLE_EXPLODING : GRID_ROLE_VERDICT,
		    t->diverged ? GRID_ATTR_BOLD : 0);
}

/* ---------------------------------------------------------------------- */
/* The module                                                             */
/* ---------------------------------------------------------------------- */

/* The run takes this many steps, one a frame. */
#define VIEW_TRAIN_STEPS 500

static void *view_train_new(Engine *eng, const EngineConfig *cfg, char *why,
    size_t len)
{
	(void)eng;
	return train_start(cfg, why, len);
}

/* A piece of a step (2 while the step goes on: the loop does the rest
 * before it looks for the next frame); done at the last step or once
 * the run has diverged; -1 when memory ran out. */
static int view_train_step(void *job, char *err, size_t errlen)
{
	int rc = train_piece(job);

	if (rc == 1)
		return 2;
	if (rc < 0) {
		snprintf(err, errlen, "training: out of memory");
		return -1;
	}
	return train_verdict(job, NULL) == TRAIN_DIVERGED ||
	        train_steps(job) >= VIEW_TRAIN_STEPS ?
	    0 :
	    1;
}

/* The learning rate app->rate_exp asks for: half decades from the
 * trainer's default for its depth. */
static double view_train_rate(const Trainer *tr, const AppState *app)
{
	return train_rate_default(train_depth(tr)) *
	    pow(10, app->rate_exp / 2.0);
}

/* The learning rate app->rate_exp asks for, from the next step on. */
static void view_train_tune(void *job, const AppState *app)
{
	train_set_rate(job, view_train_rate(job, app));
}

static void view_train_free(void *job)
{
	train_free(job);
}

static void view_train_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	const Trainer *tr = d->job;
	char verdict[64];
	ViewTrain t;

	memset(&t, 0, sizeof t);
	t.why = d->why;
	if (tr != NULL) {
		t.loss = train_losses(tr);
		t.steps = train_steps(tr);
		t.wgrad = train_weight_gradients(tr);
		t.ratio = train_update_ratios(tr);
		t.rate = train_rate(tr);
		t.depth = d->job_cfg->depth;
		t.diverged = train_verdict(tr, NULL) == TRAIN_DIVERGED;
		/* Before step 0 is done (train_start: seconds at the
		 * largest sizes) no loss and no bars yet, but how far it
		 * has got. */
		if (!train_ready(tr)) {
			t.loss = t.wgrad = t.ratio = NULL;
			t.depth = 0;
			snprintf(verdict, sizeof verdict,
			    "drawing weights %d%%",
			    (int)(100 * train_setup_progress(tr)));
		} else if (d->job_done || t.diverged)
			train_verdict_text(tr, verdict, sizeof verdict);
		else
			snprintf(verdict, sizeof verdict,
			    "training: step %d of %d", t.steps,
			    VIEW_TRAIN_STEPS);
		t.verdict = verdict;
	}
	view_train_plot(g, r, &t, app->ascii);
}

const ViewModule view_train_module = {
    .job_new = view_train_new,
    .job_step = view_train_step,
    .job_free = view_train_free,
    .job_tune = view_train_tune,
    .per_lambda = 1,
    .paced = 1,
    .draw = view_train_draw,
};
