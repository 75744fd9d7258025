/*
 * view: the live view's screen, laid out into a grid. See include/view.h.
 *
 * Layout, top to bottom (rows R >= VIEW_MIN_ROWS, columns C >=
 * VIEW_MIN_COLS):
 *
 *   activation chart      floor((R - B) / 2) rows: title row + plot
 *   gradient chart        the other R - B - floor((R - B) / 2) rows
 *   layer numbers         shared by both charts
 *   legend                only when R >= VIEW_LEGEND_ROWS
 *   status line
 *   verdict line
 *
 * B is the 3 or 4 rows below the charts. Both charts use the same gutter
 * (wide enough for either scale's labels) and the same ChartAxis, so a
 * layer sits in the same columns in each. The weight-gradient chart has
 * no layer 0 and leaves that column empty. app->notice goes right of the
 * verdict when it fits, else right of the status line, else in place of
 * the row above the status line: it is the answer to the key just pressed. With no result
 * yet (res NULL) the frames and the status line are drawn.
 *
 * The help overlay is a box centred over all of it: one line per action
 * with all of its keys, the closing hint in the bottom border, and "…" as
 * the last line when the screen is too short for every line.
 *
 * Below the minimum size the screen holds one line, centred and clipped:
 * "gradscope needs at least 60x16; this window is 40x12", or in a window
 * too narrow for that, "need 60x16, have 30x12".
 *
 * The verdict classifies by the first-layer gradient g0 alone, the
 * quantity training depends on: above 10 (or inf) exploding, below 0.1
 * (or 0) vanishing, else near-critical; nan says the float arithmetic
 * broke down.
 */
#include "view.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "keymap.h"
#include "xmag.h"

/* From this many rows on, a legend row explains the glyphs. */
#define VIEW_LEGEND_ROWS 20

/* ---------------------------------------------------------------------- */
/* Status and verdict                                                     */
/* ---------------------------------------------------------------------- */

/* Digits after the point that show step exactly: 0.01 -> 2. */
static int view_step_decimals(double step)
{
	double p = 1;
	int d;

	for (d = 0; d < 9; d++, p *= 10)
		if (fabs(round(step * p) / p - step) <= fabs(step) * 1e-9)
			return d;
	return d;
}

int view_status(const AppState *app, char *buf, size_t len)
{
	const EngineConfig *c = &app->cfg;
	int n;

	n = snprintf(buf, len,
	    "%s=%.4f  L=%d  n=%d  %s  %s  %s  seed=%" PRIu64 "  step=%.*f%s%s",
	    app->ascii ? "lambda" : "λ", c->lambda, c->depth, c->width,
	    engine_init_name(c->init), engine_act_name(c->act),
	    engine_precision_name(c->precision), c->seed,
	    view_step_decimals(app->step), app->step,
	    app->playing ? "  [playing]" : "", app->pinned ? "  [pinned]" : "");
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

typedef enum {
	VIEW_EXPLODING,
	VIEW_VANISHING,
	VIEW_CRITICAL,
	VIEW_NAN
} ViewRegime;

static ViewRegime view_regime(XMag g0)
{
	double lg;

	if (xmag_is_nan(g0))
		return VIEW_NAN;
	lg = xmag_log10(g0); /* inf for inf, -inf for 0 */
	if (lg > 1)
		return VIEW_EXPLODING;
	if (lg < -1)
		return VIEW_VANISHING;
	return VIEW_CRITICAL;
}

/* The regime's words, and the role that colours them on screen. */
static const struct {
	const char *text;
	GridRole role;
} view_regimes[] = {
	[VIEW_EXPLODING] = {"exploding", GRID_ROLE_EXPLODING},
	[VIEW_VANISHING] = {"vanishing", GRID_ROLE_VANISHING},
	[VIEW_CRITICAL] = {"near-critical", GRID_ROLE_CRITICAL},
	[VIEW_NAN] = {"nan", GRID_ROLE_SPECIAL},
};

int view_verdict(const AppState *app, const EngineResult *res, char *buf,
    size_t len)
{
	char out[XMAG_FORMAT_MAX], g0[XMAG_FORMAT_MAX];
	const char *times = app->ascii ? "x" : "×";
	ViewRegime r = view_regime(res->gradient_rms[0]);
	int n;

	if (xmag_format_prec(res->activation_rms[res->depth], 2, out,
	    sizeof out) < 0 || xmag_format_prec(res->gradient_rms[0], 2, g0,
	    sizeof g0) < 0)
		return -1;
	if (r == VIEW_NAN)
		n = snprintf(buf, len, "nan: the float arithmetic broke down "
		    "(output %s%s, first-layer gradient %s%s)", times, out,
		    times, g0);
	else
		n = snprintf(buf, len, "%s: output %s%s, first-layer gradient "
		    "%s%s", view_regimes[r].text, times, out, times, g0);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

/* ---------------------------------------------------------------------- */
/* Help overlay                                                           */
/* ---------------------------------------------------------------------- */

typedef struct {
	Action action;
	char keys[48];    /* "→ l + =" */
	const char *help; /* "λ += step" */
} ViewHelpLine;

/* One line per action, in the order the table first lists it, with all
 * of its keys. Returns the number of lines. */
static int view_help_lines(ViewHelpLine *lines, int ascii)
{
	const KeyBinding *t;
	size_t count, i, j;
	int n = 0, k, seen;
	size_t used;

	t = keymap_table(&count);
	for (i = 0; i < count && n < ACTION_COUNT; i++) {
		for (seen = 0, k = 0; k < n && !seen; k++)
			seen = lines[k].action == t[i].action;
		if (seen)
			continue;
		lines[n].action = t[i].action;
		lines[n].keys[0] = '\0';
		used = 0;
		for (j = i; j < count; j++) {
			if (t[j].action != t[i].action)
				continue;
			snprintf(lines[n].keys + used, sizeof lines[n].keys -
			    used, "%s%s", used > 0 ? " " : "",
			    ascii ? t[j].ascii_name : t[j].name);
			used = strlen(lines[n].keys);
		}
		lines[n].help = keymap_action_help(t[i].action, ascii);
		n++;
	}
	return n;
}

static void view_help(Grid *g, int ascii)
{
	static const char *const border[2][6] = {
		/* top-left, top, top-right, side, bottom-left, bottom-right */
		{"┌", "─", "┐", "│", "└", "┘"},
		{"+", "-", "+", "|", "+", "+"},
	};
	const char *const *b = border[ascii ? 1 : 0];
	const char *title = " keys ";
	const char *hint = " Esc, q or ? close this ";
	ViewHelpLine lines[ACTION_COUNT];
	int n = view_help_lines(lines, ascii);
	int keyw = 0, helpw = 0, w, h, top, left, shown, i, r, x;

	for (i = 0; i < n; i++) {
		if (chart_text_cells(lines[i].keys) > keyw)
			keyw = chart_text_cells(lines[i].keys);
		if (chart_text_cells(lines[i].help) > helpw)
			helpw = chart_text_cells(lines[i].help);
	}
	/* Border, a blank, keys, three blanks, help, a blank, border. */
	w = 1 + 1 + keyw + 3 + helpw + 1 + 1;
	if (w < chart_text_cells(hint) + 4)
		w = chart_text_cells(hint) + 4;
	if (w > g->cols)
		w = g->cols;
	h = n + 2;
	if (h > g->rows)
		h = g->rows;
	/* When the lines do not all fit, the last visible one says so. */
	shown = h - 2 < n ? h - 3 : n;
	top = (g->rows - h) / 2;
	left = (g->cols - w) / 2;

	for (r = top; r < top + h; r++)
		for (x = left; x < left + w; x++)
			grid_put(g, r, x, " ", GRID_ROLE_HELP, 0);
	for (i = 0; i < shown; i++) {
		grid_text(g, top + 1 + i, left + 2, lines[i].keys,
		    GRID_ROLE_HELP_KEY, GRID_ATTR_BOLD);
		grid_text(g, top + 1 + i, left + 2 + keyw + 3, lines[i].help,
		    GRID_ROLE_HELP, 0);
	}
	if (shown < n)
		grid_text(g, top + 1 + shown, left + 2, ascii ? "..." : "…",
		    GRID_ROLE_HELP, 0);

	/* The frame last, so that clipped text never overwrites it. */
	for (x = left + 1; x < left + w - 1; x++) {
		grid_put(g, top, x, b[1], GRID_ROLE_HELP, 0);
		grid_put(g, top + h - 1, x, b[1], GRID_ROLE_HELP, 0);
	}
	for (r = top + 1; r < top + h - 1; r++) {
		grid_put(g, r, left, b[3], GRID_ROLE_HELP, 0);
		grid_put(g, r, left + w - 1, b[3], GRID_ROLE_HELP, 0);
	}
	grid_put(g, top, left, b[0], GRID_ROLE_HELP, 0);
	grid_put(g, top, left + w - 1, b[2], GRID_ROLE_HELP, 0);
	grid_put(g, top + h - 1, left, b[4], GRID_ROLE_HELP, 0);
	grid_put(g, top + h - 1, left + w - 1, b[5], GRID_ROLE_HELP, 0);
	grid_text(g, top, left + 2, title, GRID_ROLE_HELP, GRID_ATTR_BOLD);
	if (chart_text_cells(hint) <= w - 4)
		grid_text(g, top + h - 1, left + 2, hint, GRID_ROLE_HELP, 0);
}

/* ---------------------------------------------------------------------- */
/* The screen                                                             */
/* ---------------------------------------------------------------------- */

static void view_tiny(Grid *g)
{
	char msg[96];
	int n;

	snprintf(msg, sizeof msg, "gradscope needs at least %dx%d; this "
	    "window is %dx%d", VIEW_MIN_COLS, VIEW_MIN_ROWS, g->cols, g->rows);
	n = chart_text_cells(msg);
	if (n > g->cols) {
		/* The same facts in fewer words, for very narrow windows. */
		snprintf(msg, sizeof msg, "need %dx%d, have %dx%d",
		    VIEW_MIN_COLS, VIEW_MIN_ROWS, g->cols, g->rows);
		n = chart_text_cells(msg);
	}
	grid_text(g, g->rows / 2, n < g->cols ? (g->cols - n) / 2 : 0, msg,
	    GRID_ROLE_NOTICE, 0);
}

/* The status line, the verdict (its regime word coloured) and the
 * notice on the last two rows. */
static void view_bottom(Grid *g, const AppState *app,
    const EngineResult *res)
{
	char status[256], verdict[256];
	int row_s = g->rows - 2, row_v = g->rows - 1;
	int ns = 0, nv = 0, nn, x;

	if (view_status(app, status, sizeof status) >= 0)
		ns = grid_text(g, row_s, 0, status, GRID_ROLE_STATUS, 0);
	if (res != NULL && view_verdict(app, res, verdict, sizeof verdict) >=
	    0) {
		ViewRegime r = view_regime(res->gradient_rms[0]);
		int w = chart_text_cells(view_regimes[r].text);

		nv = grid_text(g, row_v, 0, verdict, GRID_ROLE_VERDICT, 0);
		for (x = 0; x < w && x < nv; x++)
			grid_at(g, row_v, x)->role = view_regimes[r].role;
	}
	if (app->notice[0] == '\0')
		return;
	nn = chart_text_cells(app->notice);
	if (nv + 2 + nn <= g->cols)
		grid_text(g, row_v, g->cols - nn, app->notice,
		    GRID_ROLE_NOTICE, GRID_ATTR_BOLD);
	else if (ns + 2 + nn <= g->cols)
		grid_text(g, row_s, g->cols - nn, app->notice,
		    GRID_ROLE_NOTICE, GRID_ATTR_BOLD);
	else {
		/* In place of the row above the status line (the legend or
		 * the layer numbers) until the next key clears it: the status
		 * and the verdict stay whole. */
		for (x = 0; x < g->cols; x++)
			grid_put(g, row_s - 1, x, " ", GRID_ROLE_TEXT, 0);
		grid_text(g, row_s - 1, 0, app->notice, GRID_ROLE_NOTICE,
		    GRID_ATTR_BOLD);
	}
}

void view_layout(Grid *g, const AppState *app, const EngineResult *res)
{
	ChartAxis ax;
	Chart act, grad;
	int legend, charts, top, gutter, depth;

	grid_clear(g);
	if (g->rows < VIEW_MIN_ROWS || g->cols < VIEW_MIN_COLS) {
		view_tiny(g);
		return;
	}
	legend = g->rows >= VIEW_LEGEND_ROWS;
	charts = g->rows - 3 - legend;
	top = charts / 2;

	gutter = chart_gutter(&app->act_scale);
	if (chart_gutter(&app->grad_scale) > gutter)
		gutter = chart_gutter(&app->grad_scale);
	depth = res != NULL ? res->depth : app->cfg.depth;
	chart_axis_init(&ax, depth + 1, g->cols - gutter);

	act.title = "activation rms per layer";
	act.values = res != NULL ? res->activation_rms : NULL;
	act.first = 0;
	act.scale = &app->act_scale;
	act.ascii = app->ascii;
	grad = act;
	grad.scale = &app->grad_scale;
	if (app->weight_chart) {
		grad.title = "weight gradient rms per layer";
		grad.values = res != NULL ? res->weight_gradient_rms : NULL;
		grad.first = 1;
	} else {
		grad.title = "gradient rms per layer";
		grad.values = res != NULL ? res->gradient_rms : NULL;
	}
	chart_layout(g, 0, 0, top, gutter, &ax, &act);
	chart_layout(g, top, 0, charts - top, gutter, &ax, &grad);
	chart_layer_labels(g, charts, 0, gutter, &ax);
	if (legend)
		chart_legend(g, charts + 1, gutter, g->cols - gutter,
		    app->ascii);
	view_bottom(g, app, res);
	if (app->help)
		view_help(g, app->ascii);
}
