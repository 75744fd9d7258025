/*
 * view: the live view's screen, laid out into a grid.
 *
 * The view of app->view (its module, viewmod.h: the bar charts, the
 * sweep, the map, the spectrum or training) in the charts' place, the
 * caption box of a preset or lesson step right of
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
#include "theory.h"

#define VIEW_MIN_COLS 60
#define VIEW_MIN_ROWS 16

/* From this many rows on, a legend row explains the glyphs. */
#define VIEW_LEGEND_ROWS 20
/* From this many rows on (outside presenter mode) the last row is the
 * key hint bar, as htop's: "? help  q quit  ←→ λ  ↑↓ depth ...". */
#define VIEW_HINT_ROWS 20

/* Everything the views draw, owned by the event loop. A NULL member
 * shows as "not computed yet". */
typedef struct {
	const EngineResult *res; /* the engine's result, or NULL */
	/* Theory per layer (depth + 1) while the overlay is on, or NULL. */
	const XMag *theory_act;
	const XMag *theory_grad;
	const TheoryFactor *factor; /* chi and xi at the setting, or NULL */
	const char *busy;           /* a long compute runs: what, or NULL */
	/* The job of the view on screen (viewmod.h), of its module's own
	 * type, or NULL when it has none (yet); whether it is complete;
	 * why it could not start, or NULL; the configuration it is for. */
	const void *job;
	int job_done;
	const char *why;
	const EngineConfig *job_cfg;
	/* The theory's gradient per layer when res is for job_cfg, lambda
	 * too, whether the overlay is on or not; else NULL. */
	const XMag *job_theory_grad;
	/* The baseline's curves (b), for app->baseline_cfg, or NULL. */
	const EngineResult *base;
	/* The baseline's job for a module with base_job (viewmod.h), of the
	 * module's job type, or NULL. */
	const void *base_job;
} ViewData;

/* Rows under a view for its information lines, full width (under the
 * caption box): the cursor's readout while the cursor is on, the
 * baseline's legend while one is pinned; 0 for a view whose module
 * draws none (ViewModule.info). */
int view_info_rows(const AppState *app);

/* The plot columns of the bars view on a rows x cols screen for app
 * (what , and . step through): the view's width less the charts'
 * gutter; 0 below the minimum size. */
int view_bar_columns(int rows, int cols, const AppState *app);

/* What a mouse event at (row, col) of a rows x cols screen points at,
 * for the screen view_layout lays out from app and d: button 1 for a
 * click of the first button, 4 for the wheel up, 5 down (other buttons
 * point at nothing). A click goes to the view's module (ViewModule.hit),
 * the wheel anywhere over the view's rectangle; nothing while help or
 * the picker is open, below the minimum size, or outside. Returns
 * out->kind. */
AppPointKind view_point(int rows, int cols, const AppState *app,
    const ViewData *d, int row, int col, int button, AppPoint *out);

/* Lays the screen for app->view out into g, which has the terminal's
 * size, from d. */
void view_layout(Grid *g, const AppState *app, const ViewData *d);

/* The key hint bar for cols columns into buf: each hint's keys (from the
 * key table, keymap.h) and its word, as many as fit, in order. ASCII
 * keys are single letters ("h/l lambda"). Returns the cells used. */
int view_hints(const AppState *app, int cols, char *buf, size_t len);

/* The caption box's footer when the settings differ from the shown
 * step's (param_equal, field by field, in the table's order): "changed:
 * L 50→55, seed 1→2 · r restores", each field by its status-line label
 * (else its name), cut with "…" to fit cells, down to "changed · r
 * restores" or "changed". ASCII: "->", "..." and " - ". Returns 1 and
 * fills buf, or 0 and "" when nothing changed or no preset is shown. */
int view_changed(const AppState *app, int cells, char *buf, size_t len);

/* The theory's factor for the status line, labelled as the
 * infinite-width theory. Full: "theory: χ=0.9800 ξ=49.5 (trains to ~297
 * layers)", "theory: χ=1.0000 ξ=∞ (critical)" (also when |ln χ| is
 * below 1e-12, rounding), "theory: χ=2.2500 grows e-fold every 1.23
 * layers" when χ > 1 (1/ln χ, not a negative ξ); short, for a narrow
 * window: "theory: χ=0.98 ξ=49.5", "theory: χ=1 ξ=∞", "theory: χ=2.25
 * grows e-fold/1.23 layers"; full < 0, the tiniest, for 80 columns:
 * "theory χ=1 ξ=∞", "theory χ=0.98 ξ=49.5", "theory χ=2.25 grows". ASCII: "chi=", "xi=", "inf". Returns the
 * length, or -1 if buf is too small. */
int view_factor(const AppState *app, const TheoryFactor *f, int full, char *buf,
    size_t len);

/* The status line: "λ=1.5000  L=150  n=2  ..." ("lambda=" in ASCII
 * mode), then init, activation, precision, seed and step. Returns its
 * length in bytes, or -1 if buf is too small. */
int view_status(const AppState *app, char *buf, size_t len);

/* A caption with its placeholders filled: {output} (activation rms at the
 * last layer) and {gradient} (gradient rms at layer 0) as the verdict
 * prints them ("2.59e+26"; "?" when res is NULL), {lambda} ("1.5", %g),
 * {depth} and {width} from cfg. Other braces stay as they are. Returns
 * the length, or -1 if buf is too small (it then holds what fitted). */
int view_caption_expand(const char *caption, const EngineConfig *cfg,
    const EngineResult *res, char *buf, size_t len);

#endif
