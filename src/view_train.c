/*
 * view_train: gradient descent on the toy task, step by step, and the
 * trainer that runs it (train.h). See include/viewmod.h.
 *
 * Training: the loss on the left 2/3 (a log axis as above against the
 * step), the last step's weight-gradient RMS per layer on the right as a
 * chart (chart.h); row h-2 the step axis and the layer numbers, row h-1
 * the step count, "diverged" (SPECIAL) and the verdict.
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

/* The weight gradients as a chart in columns x0 .. w - 1 of rows 0 ..
 * rows - 1, the layer numbers on row `labels`. */
static void plot_train_bars(const DrawPen *p, const ViewTrain *t, int x0,
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
	scale_init(&sc);
	sc.lo = (int)lo;
	sc.hi = (int)hi;
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

void view_train_plot(Grid *g, DrawRect r, const ViewTrain *t, int ascii)
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

/* ---------------------------------------------------------------------- */
/* The module                                                             */
/* ---------------------------------------------------------------------- */

/* The run takes this many steps, one a frame. */
#define VIEW_TRAIN_STEPS 500

static void *view_train_new(Engine *eng, const EngineConfig *cfg, char *why,
    size_t len)
{
	(void)eng;
	return train_new(cfg, why, len);
}

/* One step: done at the last step or once the run has diverged. */
static int view_train_step(void *job, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return train_step(job) != 0 || train_steps(job) >= VIEW_TRAIN_STEPS ?
	    0 :
	    1;
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
		t.depth = d->job_cfg->depth;
		t.diverged = train_verdict(tr, NULL) == TRAIN_DIVERGED;
		if (d->job_done || t.diverged)
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
    .per_lambda = 1,
    .paced = 1,
    .draw = view_train_draw,
};
