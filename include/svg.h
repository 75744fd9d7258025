/*
 * svg: the chart as a vector image for slides and handouts.
 *
 * Both charts (activation rms and gradient rms per layer) on log axes with
 * the critical line at 10^0, axis labels, a title and the parameters, one
 * shape per layer. Numbers come from the engine's result. Pure C on a
 * FILE*: the caller opens and commits the file (fileio.h).
 */
#ifndef GRADSCOPE_SVG_H
#define GRADSCOPE_SVG_H

#include <stdio.h>

#include "engine.h"

/* Writes a standalone SVG document. weight_chart plots
 * weight_gradient_rms instead of gradient_rms below. Returns 0, or -1 if
 * a write failed. */
int svg_write(FILE *out, const EngineConfig *cfg, const EngineResult *res,
    const char *title, int weight_chart);

/* The same with a baseline (base NULL: none, as svg_write): its curves
 * as a dashed line per chart on the same scale as the bars (which then
 * covers both), and a line under the verdict naming base_cfg
 * ("baseline (dashed): λ=1 · L=200 · ..."). */
int svg_write_baseline(FILE *out, const EngineConfig *cfg,
    const EngineResult *res, const char *title, int weight_chart,
    const EngineResult *base, const EngineConfig *base_cfg);

#endif
