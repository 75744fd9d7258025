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

#include "grid.h"
#include "spectrum.h"
#include "sweep.h"
#include "train.h"

typedef struct {
	int top, left, rows, cols;
} PlotRect;

/* log10 of the output activation (one mark) and of the first-layer
 * gradient (another) against lambda on the x axis; the 10^0 line; a
 * vertical marker at lambda_now and at the critical lambda (NAN: none),
 * both labelled with their values. With theory, the theory curves too. */
void plots_sweep(Grid *g, PlotRect r, const SweepPoint *p, int n,
    double lambda_now, double lambda_crit, int theory, int ascii);

/* The map as a heatmap: lambda across, depth down, colour = log10 of the
 * first-layer gradient on a diverging scale centred on 10^0 (exploding
 * role above, vanishing below, critical within a decade; shade by
 * magnitude), cells not computed yet blank, a cursor at (lambda_now,
 * depth_now) and axis labels. */
void plots_map(Grid *g, PlotRect r, const MapJob *job, double lambda_now,
    int depth_now, int ascii);

/* A histogram of the singular values on a log10 axis, with the count of
 * unresolved values, the mean of sigma^2 and, while computing, the
 * progress. job NULL: why is shown instead (unsupported setting). */
void plots_spectrum(Grid *g, PlotRect r, const SpectrumJob *job,
    const char *why, int ascii);

/* The loss curve on a log10 axis against the step (left) and the
 * per-layer weight-gradient bars (right), the step count and the verdict
 * (diverged flagged in the SPECIAL role). tr NULL: why is shown. */
void plots_train(Grid *g, PlotRect r, const Trainer *tr, const char *why,
    int ascii);

#endif
