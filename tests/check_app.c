/*
 * check_app: actions change the state as the key table promises, within
 * the engine's ranges, and report what became dirty.
 */
#include "app.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"

static AppState app;

static void setup(void)
{
	EngineConfig c;

	engine_config_default(&c);
	app_init(&app, &c, 0);
}

START_TEST(test_init)
{
	ck_assert(app.cfg.lambda == 1.5);
	ck_assert(app.step == APP_STEP_START);
	ck_assert(!app.help && !app.playing && !app.pinned);
	ck_assert_str_eq(app.notice, "");
}
END_TEST

/* The learning rate key: half decades, bounded, with a notice at the
 * bound; no recompute (the training run takes it as it goes). */
START_TEST(test_rate_keys)
{
	int i;

	ck_assert_int_eq(app.rate_exp, 0);
	ck_assert_int_eq(app_apply(&app, ACTION_RATE_UP), APP_REDRAW);
	ck_assert_int_eq(app.rate_exp, 1);
	for (i = 0; i < 20; i++)
		app_apply(&app, ACTION_RATE_DOWN);
	ck_assert_int_eq(app.rate_exp, -APP_RATE_EXP_MAX);
	ck_assert_ptr_nonnull(strstr(app.notice, "minimum"));
	for (i = 0; i < 20; i++)
		app_apply(&app, ACTION_RATE_UP);
	ck_assert_int_eq(app.rate_exp, APP_RATE_EXP_MAX);
	ck_assert_ptr_nonnull(strstr(app.notice, "maximum"));
}
END_TEST

START_TEST(test_lambda_keys)
{
	int i, f;

	f = app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert_int_eq(f, APP_RECOMPUTE | APP_REDRAW);
	ck_assert_double_eq_tol(app.cfg.lambda, 1.51, 1e-12);
	app_apply(&app, ACTION_STEP_UP);
	ck_assert_double_eq_tol(app.step, 0.1, 1e-15);
	app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert_double_eq_tol(app.cfg.lambda, 1.61, 1e-12);
	app_apply(&app, ACTION_LAMBDA_ONE);
	ck_assert(app.cfg.lambda == 1.0);
	/* Twenty steps of 0.01 from 1 land on 1.2 itself, and back down
	 * on 1 itself: lambda lives on a grid of 1e-4. */
	app_apply(&app, ACTION_STEP_DOWN);
	for (i = 0; i < 20; i++)
		app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert_msg(app.cfg.lambda == 1.2, "lambda %.17g", app.cfg.lambda);
	for (i = 0; i < 20; i++)
		app_apply(&app, ACTION_LAMBDA_DOWN);
	ck_assert_msg(app.cfg.lambda == 1.0, "lambda %.17g", app.cfg.lambda);
}
END_TEST

START_TEST(test_step_bounds)
{
	static const double want[] = {0.001, 0.0001, 0.0001};
	int i;

	for (i = 0; i < 3; i++) {
		app_apply(&app, ACTION_STEP_DOWN);
		ck_assert_double_eq_tol(app.step, want[i], 1e-15);
	}
	ck_assert_ptr_nonnull(strstr(app.notice, "minimum"));
	for (i = 0; i < 5; i++)
		app_apply(&app, ACTION_STEP_UP);
	ck_assert_double_eq_tol(app.step, 0.1, 1e-15);
	ck_assert_ptr_nonnull(strstr(app.notice, "maximum"));
	/* Any other action clears the notice. */
	app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert_str_eq(app.notice, "");
}
END_TEST

START_TEST(test_lambda_bounds)
{
	int i, f = 0;

	app_apply(&app, ACTION_STEP_UP);
	for (i = 0; i < 20; i++)
		f = app_apply(&app, ACTION_LAMBDA_DOWN);
	ck_assert(app.cfg.lambda == ENGINE_LAMBDA_MIN);
	ck_assert_int_eq(f, APP_REDRAW); /* nothing to recompute */
	ck_assert_ptr_nonnull(strstr(app.notice, "minimum"));
	app.cfg.lambda = 99.95;
	f = app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert(app.cfg.lambda == ENGINE_LAMBDA_MAX);
	ck_assert_int_eq(f, APP_RECOMPUTE | APP_REDRAW);
	ck_assert_ptr_nonnull(strstr(app.notice, "maximum"));
}
END_TEST

START_TEST(test_depth_and_width)
{
	int i;

	app_apply(&app, ACTION_DEPTH_UP);
	ck_assert_int_eq(app.cfg.depth, 151);
	app_apply(&app, ACTION_DEPTH_DOWN10);
	ck_assert_int_eq(app.cfg.depth, 141);
	app_apply(&app, ACTION_DEPTH_UP10);
	app_apply(&app, ACTION_DEPTH_DOWN);
	ck_assert_int_eq(app.cfg.depth, 150);
	app.cfg.depth = 5;
	app_apply(&app, ACTION_DEPTH_DOWN10);
	ck_assert_int_eq(app.cfg.depth, ENGINE_DEPTH_MIN);
	app.cfg.depth = ENGINE_DEPTH_MAX - 3;
	app_apply(&app, ACTION_DEPTH_UP10);
	ck_assert_int_eq(app.cfg.depth, ENGINE_DEPTH_MAX);

	app_apply(&app, ACTION_WIDTH_UP);
	ck_assert_int_eq(app.cfg.width, 3);
	app_apply(&app, ACTION_WIDTH_DOUBLE);
	ck_assert_int_eq(app.cfg.width, 6);
	app_apply(&app, ACTION_WIDTH_HALVE);
	app_apply(&app, ACTION_WIDTH_DOWN);
	ck_assert_int_eq(app.cfg.width, 2);
	for (i = 0; i < 3; i++)
		app_apply(&app, ACTION_WIDTH_HALVE);
	ck_assert_int_eq(app.cfg.width, ENGINE_WIDTH_MIN);
	ck_assert_int_eq(app_apply(&app, ACTION_WIDTH_DOWN), APP_REDRAW);
	for (i = 0; i < 20; i++)
		app_apply(&app, ACTION_WIDTH_DOUBLE);
	ck_assert_int_eq(app.cfg.width, ENGINE_WIDTH_MAX);
	ck_assert_ptr_nonnull(strstr(app.notice, "width"));
}
END_TEST

START_TEST(test_cycles)
{
	/* Each mode key walks every mode once and comes back. */
	int i, seen = 0;

	for (i = 0; i < ENGINE_ACT_COUNT; i++) {
		seen |= 1 << app.cfg.act;
		ck_assert_int_eq(app_apply(&app, ACTION_NEXT_ACT),
		    APP_RECOMPUTE | APP_REDRAW);
	}
	ck_assert_int_eq(seen, (1 << ENGINE_ACT_COUNT) - 1);
	ck_assert_int_eq(app.cfg.act, ENGINE_ACT_LINEAR);
	for (i = 0, seen = 0; i < ENGINE_INIT_COUNT; i++) {
		seen |= 1 << app.cfg.init;
		app_apply(&app, ACTION_NEXT_INIT);
	}
	ck_assert_int_eq(seen, (1 << ENGINE_INIT_COUNT) - 1);
	for (i = 0, seen = 0; i < ENGINE_PRECISION_COUNT; i++) {
		seen |= 1 << app.cfg.precision;
		app_apply(&app, ACTION_NEXT_PRECISION);
	}
	ck_assert_int_eq(seen, (1 << ENGINE_PRECISION_COUNT) - 1);
	app_apply(&app, ACTION_NEW_SEED);
	ck_assert(app.cfg.seed == 2);
}
END_TEST

START_TEST(test_upstream_and_bias_keys)
{
	int i;

	/* u: random, ones, random. */
	ck_assert_int_eq(app.cfg.upstream, ENGINE_UPSTREAM_RANDOM);
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_UPSTREAM),
	    APP_RECOMPUTE | APP_REDRAW);
	ck_assert_int_eq(app.cfg.upstream, ENGINE_UPSTREAM_ONES);
	app_apply(&app, ACTION_NEXT_UPSTREAM);
	ck_assert_int_eq(app.cfg.upstream, ENGINE_UPSTREAM_RANDOM);
	/* y / Y: 0.05 a step on the multiples of 1/20, exactly. */
	ck_assert(app.cfg.bias_std == 0);
	ck_assert_int_eq(app_apply(&app, ACTION_BIAS_DOWN), APP_REDRAW);
	ck_assert(app.cfg.bias_std == 0);
	ck_assert_ptr_nonnull(strstr(app.notice, "minimum"));
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(app_apply(&app, ACTION_BIAS_UP),
		    APP_RECOMPUTE | APP_REDRAW);
	ck_assert(app.cfg.bias_std == 0.15);
	app_apply(&app, ACTION_BIAS_DOWN);
	ck_assert(app.cfg.bias_std == 0.1);
	app.cfg.bias_std = 10;
	ck_assert_int_eq(app_apply(&app, ACTION_BIAS_UP), APP_REDRAW);
	ck_assert(app.cfg.bias_std == 10);
	ck_assert_ptr_nonnull(strstr(app.notice, "maximum"));
}
END_TEST

START_TEST(test_toggles)
{
	/* The chart shown and the pin change no number: the scales follow
	 * the numbers already computed, without a recompute. */
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_GRADIENT),
	    APP_RESCALE | APP_REDRAW);
	ck_assert(app.weight_chart);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_PIN),
	    APP_RESCALE | APP_REDRAW);
	ck_assert(app.pinned);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_PLAY), APP_REDRAW);
	ck_assert(app.playing);
	app_apply(&app, ACTION_TOGGLE_GRADIENT);
	app_apply(&app, ACTION_TOGGLE_PIN);
	app_apply(&app, ACTION_TOGGLE_PLAY);
	ck_assert(!app.weight_chart && !app.pinned && !app.playing);
}
END_TEST

START_TEST(test_help_swallows_keys)
{
	double lambda = app.cfg.lambda;

	ck_assert_int_eq(app_apply(&app, ACTION_HELP), APP_REDRAW);
	ck_assert(app.help);
	ck_assert_int_eq(app_apply(&app, ACTION_LAMBDA_UP), 0);
	ck_assert(app.cfg.lambda == lambda);
	/* The depth keys turn its pages instead. */
	ck_assert_int_eq(app_apply(&app, ACTION_DEPTH_DOWN), APP_REDRAW);
	ck_assert_int_eq(app_apply(&app, ACTION_DEPTH_DOWN10), APP_REDRAW);
	ck_assert_int_eq(app.help_page, 2);
	app_apply(&app, ACTION_DEPTH_UP);
	ck_assert_int_eq(app.help_page, 1);
	ck_assert_int_eq(app.cfg.depth, 150);
	/* q / Esc close help instead of quitting; then they quit. */
	ck_assert_int_eq(app_apply(&app, ACTION_QUIT), APP_REDRAW);
	ck_assert(!app.help);
	app_apply(&app, ACTION_HELP);
	ck_assert_int_eq(app.help_page, 0); /* it opens at its first page */
	app_apply(&app, ACTION_HELP);
	ck_assert(!app.help);
	ck_assert_int_eq(app_apply(&app, ACTION_QUIT), APP_QUIT);
	ck_assert_int_eq(app_apply(&app, ACTION_NONE), 0);
}
END_TEST

START_TEST(test_play_sweep)
{
	/* Paused: nothing. Playing from 1.5 (outside the band): start at
	 * the top edge, then sweep down through 1 to the bottom edge and
	 * back, APP_PLAY_RATE per second. */
	double lo = 1 - APP_PLAY_SPAN, hi = 1 + APP_PLAY_SPAN, prev;
	int i, f, crossed = 0, bounced = 0;

	ck_assert_int_eq(app_tick(&app), 0);
	app_apply(&app, ACTION_TOGGLE_PLAY);
	f = app_tick(&app);
	ck_assert_int_eq(f, APP_RECOMPUTE | APP_REDRAW);
	ck_assert_double_eq_tol(app.cfg.lambda, hi, 1e-12);
	prev = app.cfg.lambda;
	/* Two full sweeps' worth of frames. */
	for (i = 0; i < (int)(4 * APP_PLAY_SPAN / APP_PLAY_RATE * APP_FPS);
	     i++) {
		app_tick(&app);
		ck_assert(app.cfg.lambda >= lo - 1e-12 &&
		    app.cfg.lambda <= hi + 1e-12);
		ck_assert(fabs(app.cfg.lambda - prev) <=
		    APP_PLAY_RATE / APP_FPS + 1e-4);
		crossed += (prev - 1) * (app.cfg.lambda - 1) < 0;
		bounced += app.cfg.lambda == lo;
		prev = app.cfg.lambda;
	}
	ck_assert_int_ge(crossed, 2);
	ck_assert_int_ge(bounced, 1);
	/* Help pauses the animation. */
	app_apply(&app, ACTION_HELP);
	ck_assert_int_eq(app_tick(&app), 0);
}
END_TEST

START_TEST(test_scales_follow_unless_pinned)
{
	XMag act[3], grad[3], wgrad[3];
	EngineResult r = {2, act, grad, wgrad};
	Scale before;
	int l;

	for (l = 0; l < 3; l++) {
		act[l] = xmag_pow10(40.0 * l);   /* up to 1e80 */
		grad[l] = xmag_pow10(-30.0 * l); /* down to 1e-60 */
		wgrad[l] = xmag_pow10(5.0);
	}
	app_computed(&app, &r);
	ck_assert_int_ge(app.act_scale.hi, 80);
	ck_assert_int_le(app.grad_scale.lo, -60);
	/* Pinned: the scales stay, whatever the data. */
	app_apply(&app, ACTION_TOGGLE_PIN);
	before = app.act_scale;
	act[2] = xmag_pow10(300);
	app_computed(&app, &r);
	ck_assert_int_eq(app.act_scale.hi, before.hi);
	/* The weight chart follows weight_gradient_rms, from layer 1. */
	app_apply(&app, ACTION_TOGGLE_PIN);
	app_apply(&app, ACTION_TOGGLE_GRADIENT);
	wgrad[0] = xmag_pow10(-500); /* layer 0 has no weights */
	app_computed(&app, &r);
	ck_assert_int_ge(app.act_scale.hi, 300);
	ck_assert_int_gt(app.grad_scale.lo, -500);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Lessons, presets and the picker                                        */
/* ---------------------------------------------------------------------- */

static Scenario lesson;

/* A lesson of three steps that differ in every engine parameter. */
static void make_lesson(void)
{
	/* Designated, so that a new field takes its zero here rather than
	 * break the build (-Wmissing-field-initializers). */
	static const EngineConfig cfgs[3] = {
	    {.lambda = 1.5,
	        .depth = 150,
	        .width = 2,
	        .init = ENGINE_INIT_IDENTITY,
	        .act = ENGINE_ACT_LINEAR,
	        .precision = ENGINE_PRECISION_EXACT,
	        .input = ENGINE_INPUT_ONES,
	        .seed = 1},
	    {.lambda = 0.5,
	        .depth = 40,
	        .width = 16,
	        .init = ENGINE_INIT_GAUSSIAN,
	        .act = ENGINE_ACT_TANH,
	        .precision = ENGINE_PRECISION_FLOAT64,
	        .input = ENGINE_INPUT_RANDOM,
	        .seed = 7},
	    {.lambda = 1.4142,
	        .depth = 200,
	        .width = 256,
	        .init = ENGINE_INIT_ORTHOGONAL,
	        .act = ENGINE_ACT_RELU,
	        .precision = ENGINE_PRECISION_FLOAT32,
	        .input = ENGINE_INPUT_ONES,
	        .seed = 42},
	};
	int i;

	memset(&lesson, 0, sizeof lesson);
	snprintf(lesson.name, sizeof lesson.name, "lesson");
	snprintf(lesson.title, sizeof lesson.title, "A lesson");
	lesson.lesson = 1;
	lesson.nsteps = 3;
	for (i = 0; i < 3; i++) {
		lesson.steps[i].cfg = cfgs[i];
		snprintf(lesson.steps[i].title, sizeof lesson.steps[i].title,
		    "Step %d", i + 1);
		snprintf(lesson.steps[i].caption,
		    sizeof lesson.steps[i].caption, "Caption %d", i + 1);
	}
}

static void assert_config(const EngineConfig *a, const EngineConfig *b)
{
	ck_assert(a->lambda == b->lambda);
	ck_assert_int_eq(a->depth, b->depth);
	ck_assert_int_eq(a->width, b->width);
	ck_assert_int_eq(a->init, b->init);
	ck_assert_int_eq(a->act, b->act);
	ck_assert_int_eq(a->precision, b->precision);
	ck_assert_int_eq(a->input, b->input);
	ck_assert(a->seed == b->seed);
}

START_TEST(test_lesson_steps)
{
	int i;

	make_lesson();
	app.playing = 1;
	ck_assert_int_eq(app_open(&app, &lesson, 0),
	    APP_RECOMPUTE | APP_REDRAW);
	ck_assert(!app.playing);
	assert_config(&app.cfg, &lesson.steps[0].cfg);
	ck_assert_str_eq(app_preset_shown(&app)->title, "Step 1");
	/* n loads every parameter of the next step. */
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(app_apply(&app, ACTION_NEXT_STEP),
		    APP_RECOMPUTE | APP_REDRAW);
		ck_assert_int_eq(app.step_index, i);
		assert_config(&app.cfg, &lesson.steps[i].cfg);
		ck_assert_str_eq(app.notice, "");
	}
	/* Past the last step: nothing changes, the notice says so. */
	app.cfg.lambda = 2.0;
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_STEP), APP_REDRAW);
	ck_assert_int_eq(app.step_index, 2);
	ck_assert(app.cfg.lambda == 2.0);
	ck_assert_str_eq(app.notice, "this is the lesson's last step (3/3)");
	/* N goes back, and reloads the step's own configuration. */
	app_apply(&app, ACTION_PREV_STEP);
	app_apply(&app, ACTION_PREV_STEP);
	ck_assert_int_eq(app.step_index, 0);
	assert_config(&app.cfg, &lesson.steps[0].cfg);
	ck_assert_int_eq(app_apply(&app, ACTION_PREV_STEP), APP_REDRAW);
	ck_assert_int_eq(app.step_index, 0);
	ck_assert_str_eq(app.notice, "this is the lesson's first step (1/3)");
}
END_TEST

/* r: the shown step's settings again, on fresh scales; a notice when
 * there is nothing to restore. */
START_TEST(test_restore)
{
	ck_assert_int_eq(app_apply(&app, ACTION_RESTORE), APP_REDRAW);
	ck_assert_str_eq(app.notice, "no preset open: nothing to restore");
	make_lesson();
	app_open(&app, &lesson, 1);
	app_apply(&app, ACTION_DEPTH_UP);
	app_apply(&app, ACTION_NEXT_INIT);
	app.cfg.lambda = 0.7;
	app.act_scale.lo = -30;
	app.grad_scale.hi = 20;
	app.playing = 1;
	ck_assert_int_eq(app_apply(&app, ACTION_RESTORE),
	    APP_RECOMPUTE | APP_REDRAW | APP_RESCALE);
	assert_config(&app.cfg, &lesson.steps[1].cfg);
	ck_assert_int_eq(app.step_index, 1);
	ck_assert(!app.playing);
	ck_assert_int_eq(app.act_scale.lo, -1);
	ck_assert_int_eq(app.act_scale.hi, 1);
	ck_assert_int_eq(app.grad_scale.lo, -1);
	ck_assert_int_eq(app.grad_scale.hi, 1);
	ck_assert_str_eq(app.notice, "step 2's settings restored");
}
END_TEST

/* A step starts afresh however it is reached: its own lambda step and
 * scale (or the defaults), unpinned, the scale fitted by the next
 * compute from its initial range. */
START_TEST(test_step_starts_afresh)
{
	XMag v[3] = {xmag_from_double(1e-5), xmag_from_double(1),
	    xmag_from_double(1e3)};
	EngineResult r = {0};

	make_lesson();
	lesson.steps[1].lambda_step = 0.001;
	lesson.steps[1].scale_min = 1e-30;
	lesson.steps[1].scale_max = 1e10;
	app_open(&app, &lesson, 0);
	app_apply(&app, ACTION_STEP_UP);
	app.pinned = 1;
	app.act_scale.lo = -200;
	app.grad_scale.hi = 50;
	app_apply(&app, ACTION_NEXT_STEP);
	ck_assert(!app.pinned);
	ck_assert(app.step == 0.001);
	ck_assert_int_eq(app.act_scale.lo, -30);
	ck_assert_int_eq(app.act_scale.hi, 10);
	ck_assert_int_eq(app.grad_scale.lo, -30);
	ck_assert_int_eq(app.grad_scale.hi, 10);
	/* The step's range holds while the data fits in it: data over
	 * 1e-5 .. 1e3 leaves it as it is, however often. */
	r.depth = 2;
	r.activation_rms = r.gradient_rms = r.weight_gradient_rms = v;
	for (int i = 0; i < 10; i++)
		app_computed(&app, &r);
	ck_assert_int_eq(app.act_scale.lo, -30);
	ck_assert_int_eq(app.act_scale.hi, 10);
	/* Data past it grows it. */
	v[0] = xmag_from_double(1e-40);
	app_computed(&app, &r);
	ck_assert_int_eq(app.act_scale.lo, -40);
	/* The next step has neither: the defaults, the initial range. */
	app_apply(&app, ACTION_NEXT_STEP);
	ck_assert(app.step == APP_STEP_START);
	ck_assert_int_eq(app.act_scale.lo, -1);
	ck_assert_int_eq(app.act_scale.hi, 1);
	/* Shown rather than opened (a start with --step): the same. */
	app_show(&app, &lesson, 1);
	ck_assert(app.step == 0.001);
	ck_assert_int_eq(app.act_scale.lo, -30);
	/* r after a pin: unpinned, and the step's range again. */
	app.pinned = 1;
	app.act_scale.lo = -90;
	app_apply(&app, ACTION_RESTORE);
	ck_assert(!app.pinned);
	ck_assert_int_eq(app.act_scale.lo, -30);
}
END_TEST

START_TEST(test_sweep_full_key)
{
	ck_assert(!app.sweep_full);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_FULL), APP_REDRAW);
	ck_assert(app.sweep_full);
	app_apply(&app, ACTION_TOGGLE_FULL);
	ck_assert(!app.sweep_full);
}
END_TEST

START_TEST(test_no_lesson)
{
	EngineConfig before = app.cfg;

	ck_assert_ptr_null(app_preset_shown(&app));
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_STEP), APP_REDRAW);
	ck_assert_str_eq(app.notice, "no lesson open: p picks one");
	/* A preset is a scenario of one step, not a lesson. */
	make_lesson();
	lesson.lesson = 0;
	lesson.nsteps = 1;
	app_show(&app, &lesson, 0);
	ck_assert_int_eq(app_apply(&app, ACTION_PREV_STEP), APP_REDRAW);
	ck_assert_str_eq(app.notice, "no lesson open: p picks one");
	assert_config(&app.cfg, &before);
}
END_TEST

START_TEST(test_show_keeps_config)
{
	/* The command line's options over a step: app_show leaves cfg. */
	EngineConfig before = app.cfg;

	make_lesson();
	app_show(&app, &lesson, 1);
	assert_config(&app.cfg, &before);
	ck_assert_int_eq(app.step_index, 1);
	ck_assert_str_eq(app_preset_shown(&app)->caption, "Caption 2");
	app_show(&app, &lesson, 99);
	ck_assert_int_eq(app.step_index, 2);
	app_show(&app, &lesson, -1);
	ck_assert_int_eq(app.step_index, 0);
	app_show(&app, NULL, 2);
	ck_assert_ptr_null(app_preset_shown(&app));
}
END_TEST

START_TEST(test_view_toggles_and_file_flags)
{
	ck_assert(app.caption && !app.presenter);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_PRESENTER), APP_REDRAW);
	ck_assert(app.presenter);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_CAPTION), APP_REDRAW);
	ck_assert(!app.caption);
	app_apply(&app, ACTION_TOGGLE_PRESENTER);
	app_apply(&app, ACTION_TOGGLE_CAPTION);
	ck_assert(app.caption && !app.presenter);
	/* The file actions only ask the event loop. */
	ck_assert_int_eq(app_apply(&app, ACTION_SAVE), APP_SAVE | APP_REDRAW);
	ck_assert_int_eq(app_apply(&app, ACTION_EXPORT),
	    APP_EXPORT | APP_REDRAW);
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_THEME),
	    APP_THEME | APP_REDRAW);
	/* Enter means nothing outside the picker. */
	ck_assert_int_eq(app_apply(&app, ACTION_SELECT), 0);
	ck_assert(app.cfg.lambda == 1.5);
}
END_TEST

/* v goes through every view once and comes back to the bars; neither v
 * nor o touches the configuration, so neither asks for a recompute. */
START_TEST(test_views_and_theory)
{
	static const char *const names[APP_VIEW_COUNT] = {"bars", "sweep",
	    "map", "spectrum", "training"};
	EngineConfig before = app.cfg;
	int v;

	ck_assert_int_eq(app.view, APP_VIEW_BARS);
	ck_assert(!app.theory);
	for (v = 0; v < APP_VIEW_COUNT; v++) {
		ck_assert_str_eq(app_view_name((AppView)v), names[v]);
		ck_assert_int_eq(app.view, v);
		ck_assert_int_eq(app_apply(&app, ACTION_NEXT_VIEW), APP_REDRAW);
	}
	ck_assert_int_eq(app.view, APP_VIEW_BARS);
	ck_assert_str_eq(app_view_name(APP_VIEW_COUNT), "?");
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_THEORY), APP_REDRAW);
	ck_assert(app.theory);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_THEORY), APP_REDRAW);
	ck_assert(!app.theory);
	ck_assert(memcmp(&before, &app.cfg, sizeof before) == 0);
	/* Help swallows them like any other key. */
	app_apply(&app, ACTION_HELP);
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_VIEW), 0);
	ck_assert_int_eq(app.view, APP_VIEW_BARS);
}
END_TEST

static void add_pick(const char *name)
{
	AppPick e;

	memset(&e, 0, sizeof e);
	snprintf(e.name, sizeof e.name, "%s", name);
	snprintf(e.title, sizeof e.title, "title of %s", name);
	e.nsteps = 1;
	ck_assert_int_eq(app_pick_add(&app, &e), 0);
}

START_TEST(test_picker)
{
	static const char *const names[] = {"critical", "exploding", "lesson",
	    "vanishing", "xavier-tanh"};
	double lambda = app.cfg.lambda;
	int i;

	make_lesson();
	app_show(&app, &lesson, 0);
	ck_assert_int_eq(app_apply(&app, ACTION_PICK), APP_PICK | APP_REDRAW);
	ck_assert(app.picking);
	ck_assert_int_eq(app.npick, 0);
	/* Nothing to choose yet: Enter does nothing. */
	ck_assert_int_eq(app_apply(&app, ACTION_SELECT), 0);
	for (i = 0; i < 5; i++)
		add_pick(names[i]);
	/* The choice starts at the scenario on screen. */
	ck_assert_int_eq(app.pick_sel, 2);
	/* Down / j, Up / k move; PgUp / PgDn by ten, within the list. */
	ck_assert_int_eq(app_apply(&app, ACTION_DEPTH_DOWN), APP_REDRAW);
	ck_assert_int_eq(app.pick_sel, 3);
	app_apply(&app, ACTION_DEPTH_DOWN);
	app_apply(&app, ACTION_DEPTH_DOWN);
	ck_assert_int_eq(app.pick_sel, 4);
	app_apply(&app, ACTION_DEPTH_UP10);
	ck_assert_int_eq(app.pick_sel, 0);
	app_apply(&app, ACTION_DEPTH_UP);
	ck_assert_int_eq(app.pick_sel, 0);
	app_apply(&app, ACTION_DEPTH_DOWN10);
	ck_assert_int_eq(app.pick_sel, 4);
	app_apply(&app, ACTION_DEPTH_UP);
	/* Other keys do nothing while it is open: not even the depth. */
	ck_assert_int_eq(app_apply(&app, ACTION_LAMBDA_UP), 0);
	ck_assert_int_eq(app_apply(&app, ACTION_NEXT_STEP), 0);
	ck_assert(app.cfg.lambda == lambda);
	ck_assert_int_eq(app.cfg.depth, 150);
	app.playing = 1;
	ck_assert_int_eq(app_tick(&app), 0);
	app.playing = 0;
	/* Enter closes it and asks for the load of the choice. */
	ck_assert_int_eq(app_apply(&app, ACTION_SELECT), APP_LOAD | APP_REDRAW);
	ck_assert(!app.picking);
	ck_assert_str_eq(app.pick[app.pick_sel].name, "vanishing");
	/* Esc / q and p close it without loading, and do not quit. */
	app_apply(&app, ACTION_PICK);
	ck_assert_int_eq(app_apply(&app, ACTION_QUIT), APP_REDRAW);
	ck_assert(!app.picking);
	app_apply(&app, ACTION_PICK);
	ck_assert_int_eq(app_apply(&app, ACTION_PICK), APP_REDRAW);
	ck_assert(!app.picking);
}
END_TEST

START_TEST(test_picker_full)
{
	AppPick e;
	int i;

	memset(&e, 0, sizeof e);
	app_apply(&app, ACTION_PICK);
	for (i = 0; i < APP_PICK_MAX; i++)
		ck_assert_int_eq(app_pick_add(&app, &e), 0);
	ck_assert_int_eq(app_pick_add(&app, &e), -1);
	ck_assert_int_eq(app.npick, APP_PICK_MAX);
	ck_assert_int_eq(app.pick_sel, 0); /* no scenario to start at */
}
END_TEST

START_TEST(test_preset_to_save)
{
	Preset p;

	make_lesson();
	app_open(&app, &lesson, 1);
	/* Unchanged: the step as it is, texts and all. */
	ck_assert_ptr_eq(app_preset_unchanged(&app), &lesson.steps[1]);
	app_preset(&app, &p);
	assert_config(&p.cfg, &lesson.steps[1].cfg);
	ck_assert_str_eq(p.title, "Step 2");
	ck_assert_str_eq(p.caption, "Caption 2");
	/* Changed: the caption would describe other parameters, and the
	 * SVG that e writes is titled by its parameters, not the step. */
	app_apply(&app, ACTION_LAMBDA_UP);
	ck_assert_ptr_null(app_preset_unchanged(&app));
	app_preset(&app, &p);
	assert_config(&p.cfg, &app.cfg);
	ck_assert_str_eq(p.title,
	    "lambda=0.51 L=40 n=16 gaussian tanh float64");
	ck_assert_str_eq(p.caption, "");
	/* No scenario at all: the same. */
	app_show(&app, NULL, 0);
	app_apply(&app, ACTION_LAMBDA_ONE);
	app_preset(&app, &p);
	ck_assert_str_eq(p.title, "lambda=1 L=40 n=16 gaussian tanh float64");
}
END_TEST

/* app_name gives the names S and e try, in order (fileio_write_free
 * claims the first free one), and none past APP_NAME_TRIES. */
START_TEST(test_name)
{
	char stem[APP_NAME_MAX], k2[APP_NAME_MAX], tiny[8];

	ck_assert_int_eq(app_name(&app, 1, stem, sizeof stem), 0);
	ck_assert_str_eq(stem,
	    "gradscope-lambda1.5-L150-n2-identity-linear-exact-seed1");
	ck_assert_int_eq(app_name(&app, 2, k2, sizeof k2), 0);
	ck_assert_str_eq(k2,
	    "gradscope-lambda1.5-L150-n2-identity-linear-exact-seed1-2");
	ck_assert_int_eq(app_name(&app, APP_NAME_TRIES, stem, sizeof stem), 0);
	ck_assert_str_eq(stem,
	    "gradscope-lambda1.5-L150-n2-identity-linear-exact-seed1-1000");
	/* Init, activation and seed are told apart. */
	app_apply(&app, ACTION_NEXT_INIT);
	app_apply(&app, ACTION_NEXT_ACT);
	app_apply(&app, ACTION_NEW_SEED);
	ck_assert_int_eq(app_name(&app, 1, stem, sizeof stem), 0);
	ck_assert_str_eq(stem,
	    "gradscope-lambda1.5-L150-n2-gaussian-tanh-exact-seed2");
	ck_assert_int_eq(app_name(&app, APP_NAME_TRIES + 1, stem, sizeof stem),
	    -1);
	ck_assert_int_eq(app_name(&app, 0, stem, sizeof stem), -1);
	ck_assert_int_eq(app_name(&app, 1, tiny, sizeof tiny), -1);
}
END_TEST

START_TEST(test_name_lambda)
{
	char stem[APP_NAME_MAX];

	/* lambda as it reads, on its 1e-4 grid; the longest name fits. */
	app.cfg.lambda = 0.9999;
	app.cfg.depth = 100000;
	app.cfg.width = 4096;
	app.cfg.init = ENGINE_INIT_ORTHOGONAL;
	app.cfg.act = ENGINE_ACT_SIGMOID;
	app.cfg.precision = ENGINE_PRECISION_BFLOAT16;
	app.cfg.seed = UINT64_MAX;
	ck_assert_int_eq(app_name(&app, APP_NAME_TRIES, stem, sizeof stem), 0);
	ck_assert_str_eq(stem,
	    "gradscope-lambda0.9999-L100000-n4096-orthogonal-sigmoid-"
	    "bfloat16-seed18446744073709551615-1000");
}
END_TEST

Suite *app_suite(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("actions");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_lambda_keys);
	tcase_add_test(tc, test_rate_keys);
	tcase_add_test(tc, test_step_bounds);
	tcase_add_test(tc, test_lambda_bounds);
	tcase_add_test(tc, test_depth_and_width);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_upstream_and_bias_keys);
	tcase_add_test(tc, test_toggles);
	tcase_add_test(tc, test_help_swallows_keys);
	tcase_add_test(tc, test_play_sweep);
	tcase_add_test(tc, test_scales_follow_unless_pinned);
	tcase_add_test(tc, test_lesson_steps);
	tcase_add_test(tc, test_restore);
	tcase_add_test(tc, test_no_lesson);
	tcase_add_test(tc, test_show_keeps_config);
	tcase_add_test(tc, test_view_toggles_and_file_flags);
	tcase_add_test(tc, test_views_and_theory);
	tcase_add_test(tc, test_step_starts_afresh);
	tcase_add_test(tc, test_sweep_full_key);
	tcase_add_test(tc, test_picker);
	tcase_add_test(tc, test_picker_full);
	tcase_add_test(tc, test_preset_to_save);
	tcase_add_test(tc, test_name_lambda);
	tcase_add_test(tc, test_name);
	suite_add_tcase(s, tc);
	return s;
}
