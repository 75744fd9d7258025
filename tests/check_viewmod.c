/*
 * check_viewmod: the registry of the views' modules and what the event
 * loop relies on: every view has a module that draws, a module with a
 * job can step and end it, and the jobs' staleness and lambda range.
 */
#include "train.h"
#include "viewmod.h"

#include <check.h>
#include <math.h>
#include <string.h>

#include "suites.h"

START_TEST(test_registry)
{
	const ViewModule *m;
	int v;

	for (v = 0; v < APP_VIEW_COUNT; v++) {
		m = viewmod_get((AppView)v);
		ck_assert_ptr_nonnull(m);
		ck_assert_ptr_nonnull(m->draw);
		if (m->job_new != NULL) {
			ck_assert_ptr_nonnull(m->job_step);
			ck_assert_ptr_nonnull(m->job_free);
		}
	}
	ck_assert_ptr_null(viewmod_get(APP_VIEW_COUNT));
	ck_assert_ptr_eq(viewmod_get(APP_VIEW_BARS), &view_bars_module);
	ck_assert_ptr_eq(viewmod_get(APP_VIEW_TRAIN), &view_train_module);
	/* The bars have no job and take presenter mode; training steps a
	 * frame at a time; the spectrum and training follow lambda. */
	ck_assert_ptr_null(view_bars_module.job_new);
	ck_assert_int_eq(view_bars_module.presenter, 1);
	ck_assert_int_eq(view_sweep_module.presenter, 0);
	ck_assert_int_eq(view_train_module.paced, 1);
	ck_assert_int_eq(view_spectrum_module.paced, 0);
	ck_assert_int_eq(view_spectrum_module.per_lambda, 1);
	ck_assert_int_eq(view_train_module.per_lambda, 1);
	ck_assert_int_eq(view_sweep_module.per_lambda, 0);
	ck_assert_int_eq(view_map_module.per_lambda, 0);
}
END_TEST

START_TEST(test_lambda_end)
{
	EngineConfig a, b;

	engine_config_default(&a);
	ck_assert(viewmod_lambda_end(&a) == 2); /* 1.25 * 1.5 <= 2 */
	a.lambda = 1.7;                         /* 2.125 */
	ck_assert(viewmod_lambda_end(&a) == 5);
	a.lambda = 90;
	ck_assert(viewmod_lambda_end(&a) == 100);
	a.lambda = 1;
	a.act = ENGINE_ACT_SIGMOID;
	ck_assert(viewmod_lambda_end(&a) == 10);
	b = a;
	b.lambda = 7.9; /* 9.875: still 10 */
	ck_assert_int_eq(viewmod_lambda_end_changed(&a, &b), 0);
	b.lambda = 8.1; /* 10.125: 20 */
	ck_assert_int_eq(viewmod_lambda_end_changed(&a, &b), 1);
	/* Only a row flatter than the identity at 0 widens the range:
	 * relu's phi'(0) is 0 by definition, tanh's and linear's 1. */
	a.act = ENGINE_ACT_RELU;
	ck_assert(viewmod_lambda_end(&a) == 2);
	a.act = ENGINE_ACT_TANH;
	ck_assert(viewmod_lambda_end(&a) == 2);
}
END_TEST

START_TEST(test_train_job_ends)
{
	const ViewModule *m = viewmod_get(APP_VIEW_TRAIN);
	char why[256], err[256];
	EngineConfig c;
	void *job;
	int steps = 0, rc;

	engine_config_default(&c);
	c.depth = 10;
	c.width = 4;
	c.lambda = 1;
	job = m->job_new(NULL, &c, why, sizeof why);
	ck_assert_ptr_nonnull(job);
	while ((rc = m->job_step(job, err, sizeof err)) >= 1)
		steps += rc == 1;
	ck_assert_int_eq(rc, 0);
	/* A frame for step 0, then 500 steps unless the run diverged
	 * first (the last one ends the job: 0). */
	ck_assert_int_le(steps, 500);
	ck_assert(train_ready(job));
	m->job_free(job);
	/* At 256 x 64 a step is split into pieces (2 while it is under
	 * way), and the rate the state asks for reaches the trainer. */
	c.width = 256;
	c.depth = 64;
	job = m->job_new(NULL, &c, why, sizeof why);
	ck_assert_ptr_nonnull(job);
	{
		AppState app;
		int pieces = 0;

		app_init(&app, &c, 0);
		app.rate_exp = -2;
		m->job_tune(job, &app);
		ck_assert(fabs(train_rate(job) - train_rate_default(64) / 10) <
		    1e-15);
		/* Step 0 (the weights drawn, the first passes) is a frame
		 * of pieces of its own. */
		while ((rc = m->job_step(job, err, sizeof err)) == 2)
			pieces++;
		ck_assert_int_eq(rc, 1);
		ck_assert_int_ge(pieces, 4);
		ck_assert(train_ready(job));
		ck_assert_int_eq(train_steps(job), 0);
		pieces = 0;
		while ((rc = m->job_step(job, err, sizeof err)) == 2)
			pieces++;
		ck_assert_int_eq(rc, 1);
		ck_assert_int_ge(pieces, 4);
		ck_assert_int_eq(train_steps(job), 1);
	}
	m->job_free(job);
	/* Unsupported: no job, and why. */
	c.width = TRAIN_WIDTH_MAX + 1;
	why[0] = '\0';
	ck_assert_ptr_null(m->job_new(NULL, &c, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "width"));
}
END_TEST

Suite *viewmod_suite(void)
{
	Suite *s = suite_create("viewmod");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_lambda_end);
	tcase_add_test(tc, test_train_job_ends);
	suite_add_tcase(s, tc);
	return s;
}
