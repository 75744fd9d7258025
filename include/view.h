/*
 * view: the live view's screen, laid out into a grid.
 *
 * Two log-scale bar charts sharing the layer axis (activations above,
 * gradients below), the caption box of a preset or lesson step right of
 * them, the presenter's big digits over them, the status line, the
 * verdict line, and the help and picker overlays; below VIEW_MIN_COLS x
 * VIEW_MIN_ROWS a one-line notice instead.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_VIEW_H
#define GRADSCOPE_VIEW_H

#include <stddef.h>

#include "app.h"
#include "engine.h"
#include "grid.h"

#define VIEW_MIN_COLS 60
#define VIEW_MIN_ROWS 16

/* Lays the screen out into g, which has the terminal's size. res is the
 * engine's result for app->cfg. */
void view_layout(Grid *g, const AppState *app, const EngineResult *res);

/* The status line: "λ=1.5000  L=150  n=2  ..." ("lambda=" in ASCII
 * mode), then init, activation, precision, seed and step. Returns its
 * length in bytes, or -1 if buf is too small. */
int view_status(const AppState *app, char *buf, size_t len);

/* The verdict: regime (exploding / vanishing / near-critical) with the
 * output magnitude and the first-layer gradient magnitude, e.g.
 * "exploding: output ×2.59e+26, first-layer gradient ×2.59e+26". */
int view_verdict(const AppState *app, const EngineResult *res, char *buf,
    size_t len);

/* A caption with its placeholders filled: {output} (activation rms at the
 * last layer) and {gradient} (gradient rms at layer 0) as the verdict
 * prints them ("2.59e+26"; "?" when res is NULL), {lambda} ("1.5", %g),
 * {depth} and {width} from cfg. Other braces stay as they are. Returns
 * the length, or -1 if buf is too small (it then holds what fitted). */
int view_caption_expand(const char *caption, const EngineConfig *cfg,
    const EngineResult *res, char *buf, size_t len);

#endif
