/*
 * viewmod: the live view's views as modules, one file each
 * (src/view_<module>.c), behind one interface, in the manner of vis's
 * ui.h backends: the event loop (ui.c) holds one current job and its
 * module and knows no view by name; view.c asks the module of app->view
 * to draw into the charts' rectangle. The views are listed once, in
 * app.h's APP_VIEWS; src/viewmod.c turns that list into the registry.
 *
 * A view with a job runs it on the loop's background engine: job_new
 * starts one for a configuration, job_step does a piece of it (the loop
 * interleaves the pieces with keys), job_free ends it. The loop starts
 * a new job when the view changes or when the configuration changes in
 * a way that makes the job stale: any field ui_same_job compares
 * (lambda only when per_lambda), or what job_stale says on top.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_VIEWMOD_H
#define GRADSCOPE_VIEWMOD_H

#include <stddef.h>

#include "app.h"
#include "draw.h"
#include "engine.h"
#include "grid.h"
#include "sweep.h"
#include "view.h"
#include "xmag.h"

typedef struct {
	/* The job for cfg on eng (the loop's background engine, shared
	 * with no one else while the job lives): NULL with a one-line
	 * reason in why when the setting is unsupported or memory runs
	 * out. NULL member: the view has no job. */
	void *(*job_new)(Engine *eng, const EngineConfig *cfg, char *why,
	    size_t len);
	/* One piece of the work: 1 while work remains, 0 when the job is
	 * complete, -1 with a reason in err (an interrupted piece is tried
	 * again at the next step). A paced job may split a frame's step:
	 * 2 says that step is under way, and the loop does its next piece
	 * as soon as it has looked at the keys, not a frame later. */
	int (*job_step)(void *job, char *err, size_t errlen);
	void (*job_free)(void *job);
	/* Hands a running job what the state says about how it runs, not
	 * what it computes (training's learning rate), before each pass of
	 * job_step; NULL: nothing. */
	void (*job_tune)(void *job, const AppState *app);
	/* Whether a job made for job_cfg is stale for cfg although
	 * ui_same_job finds them the same; NULL: never. */
	int (*job_stale)(const EngineConfig *job_cfg, const EngineConfig *cfg);
	int per_lambda; /* a change of lambda alone restarts the job */
	int paced;      /* one step a frame (an animation), not as many as
	                   fit between looks at the keys */
	int presenter;  /* presenter mode's big digits go over it */
	/* Lays the view out into r from d (d->job is this module's job, or
	 * NULL). r takes the charts' rows, the layer numbers' and the
	 * legend's; what the view draws stays inside it. */
	void (*draw)(Grid *g, DrawRect r, const AppState *app,
	    const ViewData *d);
	/* What a click at (row, col) of the grid points at, for the
	 * rectangle r that draw was given (g_rows: the screen's rows):
	 * fills out and returns 0, or -1 for nothing. NULL: clicks do
	 * nothing. */
	int (*hit)(DrawRect r, int g_rows, const AppState *app,
	    const ViewData *d, int row, int col, AppPoint *out);
	int info; /* draws the information lines (view_info_rows) */
	/* With a baseline pinned, the loop runs a second job for the
	 * baseline's settings at the live lambda (the same range; the view
	 * draws its points from ViewData.base_job). */
	int base_job;
} ViewModule;

/* The module of view v (every AppView has one); NULL out of range. */
const ViewModule *viewmod_get(AppView v);

#define VIEWMOD_DECLARE(id, module, name) \
	extern const ViewModule view_##module##_module;
APP_VIEWS(VIEWMOD_DECLARE)
#undef VIEWMOD_DECLARE

/* The end of the sweep's and the map's lambda range for cfg: 0 to the
 * first of 2, 5, 10, 20, 50, 100 that is past cfg's lambda by a quarter
 * (10 at least for sigmoid, whose critical lambda is past 4). */
double viewmod_lambda_end(const EngineConfig *cfg);

/* A job_stale for the jobs over that range: whether its end moved. */
int viewmod_lambda_end_changed(const EngineConfig *job_cfg,
    const EngineConfig *cfg);

/* ---------------------------------------------------------------------- */
/* Each view drawn from plain data (what its module's draw passes on;    */
/* the tests draw from made-up data the same way)                         */
/* ---------------------------------------------------------------------- */

/* view_sweep.c. log10 of the output activation (one mark) and of the
 * first-layer gradient (another) against lambda on the x axis; the 10^0
 * line; a vertical marker at lambda_now and at the critical lambda (NAN:
 * none), both labelled with their values. With theory, the theory curves
 * too. Unless full, the lambda axis is the window around lambda_crit
 * (+- a quarter of it, taking in lambda_now) and the y axis fits the
 * points in it; the title says which and that F switches. */
void view_sweep_plot(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int full, int ascii);

/* The same with a baseline's points bp[0..bn) (NULL: none) as ○ and ◇
 * (ASCII O and X) in the TEXT role, on the same axes, and a legend
 * entry. */
void view_sweep_plot_base(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int full, int ascii,
    const SweepPoint *bp, int bn);

/* view_bars.c. The gutter both bar charts share: wide enough for either
 * scale's labels (chart_gutter). */
int view_bars_gutter(const AppState *app);

/* view_bars.c. The cursor's readout for layers first .. last of res (one
 * layer, or an aggregated column): "layer 50: activation 6.380000e+08
 * gradient 4.060000e+17  weight gradient 1.730000e+26", each number as
 * --dump prints it (xmag_format, past double range too); for a range
 * "layers 48–50: activation ... (layer 50)" with the layer that holds
 * each extreme (chart_extreme). With th_act / th_grad (the overlay on):
 * "(theory ...)" after each; with base (a baseline): " ×0.31 vs
 * baseline 2.058000e+09" (live / baseline over the same layers). The
 * longest form that fits in cells: then short labels ("act", "grad",
 * "wgrad"), then without the theory, the weight gradient, the baseline.
 * Returns the cells of the line. */
int view_bars_readout(const EngineResult *res, const XMag *th_act,
    const XMag *th_grad, const EngineResult *base, int first, int last,
    int ascii, int cells, char *buf, size_t len);

/* view_map.c. The map as a heatmap: lambda across, depth down, colour =
 * log10 of the first-layer gradient on a diverging scale centred on 10^0
 * (exploding role above, vanishing below, critical within a decade;
 * shade by magnitude), cells not computed yet blank, a cursor at
 * (lambda_now, depth_now), axis labels and the progress (m.ndone of
 * rows * cols). */
void view_map_plot(Grid *g, DrawRect r, MapView m, double lambda_now,
    int depth_now, int ascii);

/* What the spectrum view shows: ready = the values are computed (else
 * progress in [0, 1] is shown); values descending (every one resolved:
 * an exact 0 is counted as zero); mean_sq = the mean of sigma^2 and
 * theory_mean_sq its expectation (a nan XMag when there is none); edge
 * the theory's largest sigma (spectrum_theory_edge; nan: none), exact
 * when every sigma is it. why non-NULL: the setting is unsupported,
 * shown instead of everything. */
typedef struct {
	int ready;
	double progress;
	const XMag *values;
	int n;
	XMag mean_sq;
	XMag theory_mean_sq;
	const char *why;
	XMag edge;
	int exact;
} ViewSpectrum;

/* view_spectrum.c. A histogram of the singular values on a log10 axis
 * (bins across, count up), with the count of values and specials, the
 * theory's edge as a vertical line (THEORY) in its bin's column, the mean
 * of sigma^2 against theory and, while computing, the progress. */
void view_spectrum_plot(Grid *g, DrawRect r, const ViewSpectrum *s, int ascii);

/* What the training view shows: loss[0..steps], the per-layer weight
 * gradient RMS wgrad[1..depth] and log10 of the update:data ratio
 * ratio[1..depth] (|rate dW| / |W|; nan before the first step) of the last
 * step, the learning rate (0: not shown), the verdict text and whether
 * the run diverged (the verdict in the EXPLODING role). why non-NULL:
 * the setting is unsupported, shown instead. */
typedef struct {
	const double *loss;
	int steps;
	const double *wgrad;
	const double *ratio;
	double rate;
	int depth;
	const char *verdict;
	int diverged;
	const char *why;
} ViewTrain;

/* view_train.c. The loss curve on a log10 axis against the step (left
 * half), the per-layer weight-gradient bars and the update:data ratio
 * bars with a line at 1e-3 (right quarters; the ratio is left out below
 * 60 columns, both below 40), the step count, the rate and the
 * verdict. */
void view_train_plot(Grid *g, DrawRect r, const ViewTrain *t, int ascii);

#endif
