/*
 * app: the live view's state and the one place it changes.
 * See include/app.h.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "param.h"

/* lambda lives on a grid of 1e-4 (the smallest step), so twenty presses
 * of + from 1.5 land on 1.7 exactly as the status line prints it, not on
 * 1.6999999999999997. */
static double app_quantize(double lambda)
{
	return nearbyint(lambda * 1e4) / 1e4;
}

#define APP_VIEW_NAME(id, module, name) [APP_VIEW_##id] = name,
static const char *const app_view_names[APP_VIEW_COUNT] = {
    APP_VIEWS(APP_VIEW_NAME)};
#undef APP_VIEW_NAME

const char *app_view_name(AppView v)
{
	return (unsigned)v < APP_VIEW_COUNT ? app_view_names[v] : "?";
}

void app_init(AppState *app, const EngineConfig *cfg, int ascii)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	app->step = APP_STEP_START;
	app->play_dir = 1;
	app->ascii = ascii;
	app->caption = 1;
	scale_init(&app->act_scale);
	scale_init(&app->grad_scale);
}

/* Sets lambda within the engine's range; at a bound says so. Returns the
 * dirty flags. */
static int app_set_lambda(AppState *app, double lambda)
{
	const char *l = app->ascii ? "lambda" : "λ";

	lambda = app_quantize(lambda);
	if (lambda > ENGINE_LAMBDA_MAX) {
		lambda = ENGINE_LAMBDA_MAX;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its maximum, %g", l, ENGINE_LAMBDA_MAX);
	} else if (lambda < ENGINE_LAMBDA_MIN) {
		lambda = ENGINE_LAMBDA_MIN;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its minimum, %g", l, ENGINE_LAMBDA_MIN);
	}
	if (lambda == app->cfg.lambda)
		return APP_REDRAW;
	app->cfg.lambda = lambda;
	return APP_RECOMPUTE | APP_REDRAW;
}

/* Sets integer field id within its range; at a bound says so. */
static int app_set_int(AppState *app, ParamId id, long value)
{
	const ParamDef *p = &param_table[id];
	ParamValue v = param_get(&app->cfg, id);
	int lo = (int)p->min, hi = (int)p->max;

	if (value > hi) {
		value = hi;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its maximum, %d", p->name, hi);
	} else if (value < lo) {
		value = lo;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its minimum, %d", p->name, lo);
	}
	if (value == v.integer)
		return APP_REDRAW;
	v.integer = (int)value;
	param_set(&app->cfg, id, v);
	return APP_RECOMPUTE | APP_REDRAW;
}

/* The action that moves a field on (param_next): a, i, f, s. */
static int app_next_param(AppState *app, Action a)
{
	int id = param_by_action(a);

	if (id < 0)
		return 0;
	param_next(&app->cfg, (ParamId)id);
	return APP_RECOMPUTE | APP_REDRAW;
}

/* The bias std one step of 0.05 up (dir 1) or down (-1), on the
 * multiples of 0.05 (k / 20, the nearest double), within its range. */
static int app_set_bias(AppState *app, double s, int dir)
{
	double k = nearbyint(s * 20) + dir;

	if (k < 0 || k > ENGINE_BIAS_STD_MAX * 20) {
		snprintf(app->notice, sizeof app->notice,
		    "the bias std is at its %s, %g",
		    k < 0 ? "minimum" : "maximum",
		    k < 0 ? ENGINE_BIAS_STD_MIN : ENGINE_BIAS_STD_MAX);
		return APP_REDRAW;
	}
	app->cfg.bias_std = k / 20;
	return APP_RECOMPUTE | APP_REDRAW;
}

/* The values } and { walk through, in order; the literal 1/sqrt(L)
 * (about 0.08 at L = 152) sits between 0 and 0.1. */
static const double app_branch_cycle[] = {0, ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH,
    0.1, 0.25, 0.5, 1, 2};
#define APP_BRANCH_COUNT \
	(int)(sizeof app_branch_cycle / sizeof app_branch_cycle[0])

/* The branch scale to the next value of the cycle (dir 1) or the
 * previous (-1); from a value off the cycle, to the nearest number of
 * the cycle that way. */
static int app_set_branch(AppState *app, int dir)
{
	double a = app->cfg.branch_scale;
	int i, to = -1;

	for (i = 0; i < APP_BRANCH_COUNT; i++)
		if (app_branch_cycle[i] == a)
			to = i + dir;
	for (i = 0; to < 0 && dir > 0 && i < APP_BRANCH_COUNT; i++)
		if (app_branch_cycle[i] > a)
			to = i;
	for (i = APP_BRANCH_COUNT - 1; to < 0 && dir < 0 && i >= 0; i--)
		if (app_branch_cycle[i] >= 0 && app_branch_cycle[i] < a)
			to = i;
	if (to < 0 || to >= APP_BRANCH_COUNT) {
		snprintf(app->notice, sizeof app->notice,
		    "the branch scale is at the %s of the cycle; "
		    "--branch-scale sets any value from 0 to 10",
		    dir > 0 ? "top" : "bottom");
		return APP_REDRAW;
	}
	app->cfg.branch_scale = app_branch_cycle[to];
	return APP_RECOMPUTE | APP_REDRAW;
}

static int app_set_step(AppState *app, double factor)
{
	double step = app->step * factor;

	/* Snap to the nearest power of ten so repeated x10 / /10 never
	 * drift. */
	step = pow(10.0, nearbyint(log10(step)));
	if (step > APP_STEP_MAX * 1.001) {
		step = APP_STEP_MAX;
		snprintf(app->notice, sizeof app->notice,
		    "the step is at its maximum, 0.1");
	} else if (step < APP_STEP_MIN * 0.999) {
		step = APP_STEP_MIN;
		snprintf(app->notice, sizeof app->notice,
		    "the step is at its minimum, 0.0001");
	}
	app->step = step;
	return APP_REDRAW;
}

/* ---------------------------------------------------------------------- */
/* Scenarios and lesson steps                                             */
/* ---------------------------------------------------------------------- */

void app_show(AppState *app, const Scenario *s, int step)
{
	app->scenario = s;
	if (s == NULL || step < 0)
		step = 0;
	else if (step >= s->nsteps)
		step = s->nsteps - 1;
	app->step_index = step;
}

int app_open(AppState *app, const Scenario *s, int step)
{
	app_show(app, s, step);
	if (s == NULL || s->nsteps < 1)
		return APP_REDRAW;
	app->cfg = s->steps[app->step_index].cfg;
	app->playing = 0;
	return APP_RECOMPUTE | APP_REDRAW;
}

const Preset *app_preset_shown(const AppState *app)
{
	if (app->scenario == NULL || app->scenario->nsteps < 1)
		return NULL;
	return &app->scenario->steps[app->step_index];
}

/* r: the shown step's settings again, on a fresh scale fitted to its
 * data (the next app_computed grows it at once from the initial range),
 * or a notice when no preset is open. */
static int app_restore(AppState *app)
{
	if (app_preset_shown(app) == NULL) {
		snprintf(app->notice, sizeof app->notice,
		    "no preset open: nothing to restore");
		return APP_REDRAW;
	}
	scale_init(&app->act_scale);
	scale_init(&app->grad_scale);
	snprintf(app->notice, sizeof app->notice, "step %d's settings restored",
	    app->step_index + 1);
	return app_open(app, app->scenario, app->step_index) | APP_RESCALE;
}

/* n and N: the neighbouring step, or a notice at either end. */
static int app_move_step(AppState *app, int delta)
{
	const Scenario *s = app->scenario;
	int to = app->step_index + delta;

	if (s == NULL || !s->lesson) {
		snprintf(app->notice, sizeof app->notice,
		    "no lesson open: p picks one");
		return APP_REDRAW;
	}
	if (to < 0 || to >= s->nsteps) {
		snprintf(app->notice, sizeof app->notice,
		    "this is the lesson's %s step (%d/%d)",
		    to < 0 ? "first" : "last", app->step_index + 1, s->nsteps);
		return APP_REDRAW;
	}
	return app_open(app, s, to);
}

static int app_same_config(const EngineConfig *a, const EngineConfig *b)
{
	return param_same(a, b, 1);
}

void app_preset(const AppState *app, Preset *out)
{
	const Preset *shown = app_preset_shown(app);
	const EngineConfig *c = &app->cfg;

	scenario_preset_default(out);
	out->cfg = *c;
	if (shown != NULL && app_same_config(&shown->cfg, c)) {
		snprintf(out->title, sizeof out->title, "%s", shown->title);
		snprintf(out->caption, sizeof out->caption, "%s",
		    shown->caption);
		return;
	}
	/* ASCII, like the shipped presets: it reads the same anywhere. */
	param_line(c, PARAM_LINE_TITLE, out->title, sizeof out->title);
}

/* ---------------------------------------------------------------------- */
/* The picker                                                             */
/* ---------------------------------------------------------------------- */

int app_pick_add(AppState *app, const AppPick *entry)
{
	if (app->npick >= APP_PICK_MAX)
		return -1;
	app->pick[app->npick] = *entry;
	if (app->scenario != NULL &&
	    strcmp(entry->name, app->scenario->name) == 0)
		app->pick_sel = app->npick;
	app->npick++;
	return 0;
}

/* How far a depth key moves the depth (Up/k, Down/j, PgUp, PgDn); 0 for
 * the other actions. The picker's choice and the help's pages move the
 * other way: Down goes down the list. */
static int app_depth_move(Action a)
{
	static const int moves[ACTION_COUNT] = {
	    [ACTION_DEPTH_UP] = 1,
	    [ACTION_DEPTH_DOWN] = -1,
	    [ACTION_DEPTH_UP10] = 10,
	    [ACTION_DEPTH_DOWN10] = -10,
	};

	return (unsigned)a < ACTION_COUNT ? moves[a] : 0;
}

/* The keys while the picker is open. */
static int app_picker_key(AppState *app, Action a)
{
	int sel = app->pick_sel - app_depth_move(a);

	if (a == ACTION_SELECT) {
		if (app->npick == 0)
			return 0;
		app->picking = 0;
		return APP_LOAD | APP_REDRAW;
	}
	if (a == ACTION_QUIT || a == ACTION_PICK) {
		app->picking = 0;
		return APP_REDRAW;
	}
	if (app_depth_move(a) == 0)
		return 0;
	if (sel >= app->npick)
		sel = app->npick - 1;
	if (sel < 0)
		sel = 0;
	app->pick_sel = sel;
	return APP_REDRAW;
}

/* ---------------------------------------------------------------------- */
/* File names                                                             */
/* ---------------------------------------------------------------------- */

int app_name(const AppState *app, int k, char *stem, size_t len)
{
	char line[256];
	int n;

	if (k < 1 || k > APP_NAME_TRIES ||
	    param_line(&app->cfg, PARAM_LINE_FILE, line, sizeof line) >=
	        (int)sizeof line)
		return -1;
	n = snprintf(stem, len, "gradscope-%s", line);
	if (n >= 0 && k > 1 && (size_t)n < len)
		n += snprintf(stem + n, len - (size_t)n, "-%d", k);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ---------------------------------------------------------------------- */
/* Actions                                                                */
/* ---------------------------------------------------------------------- */

int app_apply(AppState *app, Action a)
{
	EngineConfig *c = &app->cfg;

	if (app->help) {
		if (a == ACTION_QUIT || a == ACTION_HELP) {
			app->help = 0;
			return APP_REDRAW;
		}
		if (app_depth_move(a) == 0)
			return 0;
		/* A page at a time, whichever depth key. */
		app->help_page += app_depth_move(a) > 0 ? -1 : 1;
		return APP_REDRAW;
	}
	if (app->picking)
		return app_picker_key(app, a);
	app->notice[0] = '\0';
	switch (a) {
	case ACTION_LAMBDA_UP:
		return app_set_lambda(app, c->lambda + app->step);
	case ACTION_LAMBDA_DOWN:
		return app_set_lambda(app, c->lambda - app->step);
	case ACTION_LAMBDA_ONE:
		return app_set_lambda(app, 1.0);
	case ACTION_STEP_UP:
		return app_set_step(app, 10.0);
	case ACTION_STEP_DOWN:
		return app_set_step(app, 0.1);
	case ACTION_DEPTH_UP:
	case ACTION_DEPTH_DOWN:
	case ACTION_DEPTH_UP10:
	case ACTION_DEPTH_DOWN10:
		return app_set_int(app, PARAM_DEPTH,
		    (long)c->depth + app_depth_move(a));
	case ACTION_WIDTH_UP:
		return app_set_int(app, PARAM_WIDTH, (long)c->width + 1);
	case ACTION_WIDTH_DOWN:
		return app_set_int(app, PARAM_WIDTH, (long)c->width - 1);
	case ACTION_WIDTH_DOUBLE:
		return app_set_int(app, PARAM_WIDTH, (long)c->width * 2);
	case ACTION_WIDTH_HALVE:
		/* Halving 1 would give 0: stay at the minimum instead. */
		return app_set_int(app, PARAM_WIDTH,
		    c->width > 1 ? (long)c->width / 2 : 0);
	case ACTION_BIAS_UP:
		return app_set_bias(app, c->bias_std, 1);
	case ACTION_BIAS_DOWN:
		return app_set_bias(app, c->bias_std, -1);
	case ACTION_BRANCH_UP:
		return app_set_branch(app, 1);
	case ACTION_BRANCH_DOWN:
		return app_set_branch(app, -1);
	case ACTION_NEXT_ARCH:
	case ACTION_NEXT_NORM:
	case ACTION_NEXT_ACT:
	case ACTION_NEXT_INIT:
	case ACTION_NEXT_PRECISION:
	case ACTION_NEXT_UPSTREAM:
	case ACTION_NEW_SEED:
		/* The next seed, not a random one: a class can get back to
		 * the network on the screen by its number. */
		return app_next_param(app, a);
	case ACTION_TOGGLE_GRADIENT:
		/* The gradient chart's scale must follow its new data. */
		app->weight_chart = !app->weight_chart;
		return APP_RESCALE | APP_REDRAW;
	case ACTION_TOGGLE_PIN:
		app->pinned = !app->pinned;
		return APP_RESCALE | APP_REDRAW;
	case ACTION_TOGGLE_PLAY:
		app->playing = !app->playing;
		return APP_REDRAW;
	case ACTION_NEXT_STEP:
		return app_move_step(app, 1);
	case ACTION_PREV_STEP:
		return app_move_step(app, -1);
	case ACTION_RESTORE:
		return app_restore(app);
	case ACTION_PICK:
		app->picking = 1;
		app->npick = 0;
		app->pick_sel = 0;
		return APP_PICK | APP_REDRAW;
	case ACTION_TOGGLE_CAPTION:
		app->caption = !app->caption;
		return APP_REDRAW;
	case ACTION_TOGGLE_PRESENTER:
		app->presenter = !app->presenter;
		return APP_REDRAW;
	case ACTION_NEXT_THEME:
		return APP_THEME | APP_REDRAW;
	case ACTION_NEXT_VIEW:
		app->view = (AppView)((app->view + 1) % APP_VIEW_COUNT);
		return APP_REDRAW;
	case ACTION_TOGGLE_THEORY:
		app->theory = !app->theory;
		return APP_REDRAW;
	case ACTION_SAVE:
		return APP_SAVE | APP_REDRAW;
	case ACTION_EXPORT:
		return APP_EXPORT | APP_REDRAW;
	case ACTION_HELP:
		app->help = 1;
		app->help_page = 0;
		return APP_REDRAW;
	case ACTION_QUIT:
		return APP_QUIT;
	case ACTION_NONE:
	case ACTION_SELECT:
	case ACTION_COUNT:
		return 0;
	}
	return 0;
}

int app_tick(AppState *app)
{
	double lo = 1 - APP_PLAY_SPAN, hi = 1 + APP_PLAY_SPAN;
	double lambda = app->cfg.lambda;

	if (!app->playing || app->help || app->picking)
		return 0;
	/* From outside the band, start at its nearest edge. */
	if (lambda > hi) {
		lambda = hi;
		app->play_dir = -1;
	} else if (lambda < lo) {
		lambda = lo;
		app->play_dir = 1;
	} else {
		lambda += app->play_dir * APP_PLAY_RATE / APP_FPS;
		if (lambda >= hi) {
			lambda = hi;
			app->play_dir = -1;
		} else if (lambda <= lo) {
			lambda = lo;
			app->play_dir = 1;
		}
	}
	return app_set_lambda(app, lambda);
}

void app_computed(AppState *app, const EngineResult *res)
{
	double lo, hi;

	if (app->pinned)
		return;
	if (scale_extent(res->activation_rms, 0, res->depth, &lo, &hi) == 0)
		scale_follow(&app->act_scale, lo, hi);
	if (app->weight_chart) {
		if (scale_extent(res->weight_gradient_rms, 1, res->depth, &lo,
		        &hi) == 0)
			scale_follow(&app->grad_scale, lo, hi);
	} else if (scale_extent(res->gradient_rms, 0, res->depth, &lo, &hi) ==
	    0) {
		scale_follow(&app->grad_scale, lo, hi);
	}
}
