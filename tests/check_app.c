/*
 * check_app: actions change the state as the key table promises, within
 * the engine's ranges, and report what became dirty.
 */
#include "app.h"

#include <check.h>
#include <math.h>
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

START_TEST(test_toggles)
{
	app_apply(&app, ACTION_TOGGLE_GRADIENT);
	ck_assert(app.weight_chart);
	app_apply(&app, ACTION_TOGGLE_PIN);
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
	/* q / Esc close help instead of quitting; then they quit. */
	ck_assert_int_eq(app_apply(&app, ACTION_QUIT), APP_REDRAW);
	ck_assert(!app.help);
	app_apply(&app, ACTION_HELP);
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

Suite *app_suite(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("actions");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_lambda_keys);
	tcase_add_test(tc, test_step_bounds);
	tcase_add_test(tc, test_lambda_bounds);
	tcase_add_test(tc, test_depth_and_width);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_toggles);
	tcase_add_test(tc, test_help_swallows_keys);
	tcase_add_test(tc, test_play_sweep);
	tcase_add_test(tc, test_scales_follow_unless_pinned);
	suite_add_tcase(s, tc);
	return s;
}
