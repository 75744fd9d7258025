/*
 * plots: the live view's other views, laid out into a rectangle of the
 * grid: the lambda sweep, the depth x lambda map, the Jacobian spectrum
 * and the training run. view.c picks the view and the rectangle; each
 * function here fills it from its job's results (partial results drawn
 * as far as they go, with the progress) and never computes.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_PLOTS_H
#define GRADSCOPE_PLOTS_H

#include "draw.h"
#include "grid.h"
#include "sweep.h"
#include "xmag.h"

/* log10 of the output activation (one mark) and of the first-layer
 * gradient (another) against lambda on the x axis; the 10^0 line; a
 * vertical marker at lambda_now and at the critical lambda (NAN: none),
 * both labelled with their values. With theory, the theory curves too. */
void plots_sweep(Grid *g, DrawRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int ascii);

/* The map as a heatmap: lambda across, depth down, colour = log10 of the
 * first-layer gradient on a diverging scale centred on 10^0 (exploding
 * role above, vanishing below, critical within a decade; shade by
 * magnitude), cells not computed yet blank, a cursor at (lambda_now,
 * depth_now), axis labels and the progress (m.ndone of rows * cols). */
void plots_map(Grid *g, DrawRect r, MapView m, double lambda_now, int depth_now,
    int ascii);

/* What the spectrum view shows: ready = the values are computed (else
 * progress in [0, 1] is shown); values descending, unresolved = how many
 * fell below the double resolution; mean_sq = the mean of sigma^2 and
 * theory_mean_sq its expectation (a nan XMag when there is none). why
 * non-NULL: the setting is unsupported, shown instead of everything. */
typedef struct {
	int ready;
	double progress;
	const XMag *values;
	int n;
	int unresolved;
	XMag mean_sq;
	XMag theory_mean_sq;
	const char *why;
} PlotSpectrum;

/* A histogram of the singular values on a log10 axis (bins across, count
 * up), with the count of unresolved values, the mean of sigma^2 against
 * theory and, while computing, the progress. */
void plots_spectrum(Grid *g, DrawRect r, const PlotSpectrum *s, int ascii);

/* What the training view shows: loss[0..steps], the per-layer weight
 * gradient RMS wgrad[1..depth] of the last step, the verdict text and
 * whether the run diverged (flagged in the SPECIAL role). why non-NULL:
 * the setting is unsupported, shown instead. */
typedef struct {
	const double *loss;
	int steps;
	const double *wgrad;
	int depth;
	const char *verdict;
	int diverged;
	const char *why;
} PlotTrain;

/* The loss curve on a log10 axis against the step (left) and the
 * per-layer weight-gradient bars (right), the step count and the
 * verdict. */
void plots_train(Grid *g, DrawRect r, const PlotTrain *t, int ascii);

#endif
