/*
 * app: the live view's state and the one place it changes.
 * See include/app.h.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* lambda lives on a grid of 1e-4 (the smallest step), so twenty presses
 * of + from 1.5 land on 1.7 exactly as the status line prints it, not on
 * 1.6999999999999997. */
static double app_quantize(double lambda)
{
	return nearbyint(lambda * 1e4) / 1e4;
}

void app_init(AppState *app, const EngineConfig *cfg, int ascii)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	app->step = APP_STEP_START;
	app->play_dir = 1;
	app->ascii = ascii;
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

/* Sets an integer parameter within [lo, hi]; at a bound says so. */
static int app_set_int(AppState *app, int *field, long value, int lo, int hi,
    const char *what)
{
	if (value > hi) {
		value = hi;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its maximum, %d", what, hi);
	} else if (value < lo) {
		value = lo;
		snprintf(app->notice, sizeof app->notice,
		    "%s is at its minimum, %d", what, lo);
	}
	if (value == *field)
		return APP_REDRAW;
	*field = (int)value;
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

int app_apply(AppState *app, Action a)
{
	EngineConfig *c = &app->cfg;

	if (app->help) {
		if (a == ACTION_QUIT || a == ACTION_HELP) {
			app->help = 0;
			return APP_REDRAW;
		}
		return 0;
	}
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
		return app_set_int(app, &c->depth, (long)c->depth + 1,
		    ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX, "depth");
	case ACTION_DEPTH_DOWN:
		return app_set_int(app, &c->depth, (long)c->depth - 1,
		    ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX, "depth");
	case ACTION_DEPTH_UP10:
		return app_set_int(app, &c->depth, (long)c->depth + 10,
		    ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX, "depth");
	case ACTION_DEPTH_DOWN10:
		return app_set_int(app, &c->depth, (long)c->depth - 10,
		    ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX, "depth");
	case ACTION_WIDTH_UP:
		return app_set_int(app, &c->width, (long)c->width + 1,
		    ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX, "width");
	case ACTION_WIDTH_DOWN:
		return app_set_int(app, &c->width, (long)c->width - 1,
		    ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX, "width");
	case ACTION_WIDTH_DOUBLE:
		return app_set_int(app, &c->width, (long)c->width * 2,
		    ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX, "width");
	case ACTION_WIDTH_HALVE:
		/* Halving 1 would give 0: stay at the minimum instead. */
		return app_set_int(app, &c->width,
		    c->width > 1 ? (long)c->width / 2 : 0,
		    ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX, "width");
	case ACTION_NEXT_ACT:
		c->act = (EngineAct)((c->act + 1) % ENGINE_ACT_COUNT);
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_NEXT_INIT:
		c->init = (EngineInit)((c->init + 1) % ENGINE_INIT_COUNT);
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_NEXT_PRECISION:
		c->precision = (EnginePrecision)((c->precision + 1) %
		    ENGINE_PRECISION_COUNT);
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_NEW_SEED:
		/* The next seed, not a random one: a class can get back to
		 * the network on the screen by its number. */
		c->seed++;
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_TOGGLE_GRADIENT:
		/* The gradient chart's scale must follow its new data:
		 * app_computed runs after a recompute. */
		app->weight_chart = !app->weight_chart;
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_TOGGLE_PIN:
		app->pinned = !app->pinned;
		return APP_RECOMPUTE | APP_REDRAW;
	case ACTION_TOGGLE_PLAY:
		app->playing = !app->playing;
		return APP_REDRAW;
	case ACTION_HELP:
		app->help = 1;
		return APP_REDRAW;
	case ACTION_QUIT:
		return APP_QUIT;
	default:
		return 0;
	}
}

int app_tick(AppState *app)
{
	double lo = 1 - APP_PLAY_SPAN, hi = 1 + APP_PLAY_SPAN;
	double lambda = app->cfg.lambda;

	if (!app->playing || app->help)
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
	} else if (scale_extent(res->gradient_rms, 0, res->depth, &lo,
	    &hi) == 0) {
		scale_follow(&app->grad_scale, lo, hi);
	}
}
