/*
 * check_sweep: lambda grids, the --sweep parser, points against closed
 * forms, the critical lambda, and the jobs' coarse-to-fine order and
 * their agreement with single points.
 */
#include "sweep.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static Engine *eng;

static void setup(void)
{
	eng = engine_new();
	ck_assert_ptr_nonnull(eng);
}

static void teardown(void)
{
	engine_free(eng);
	eng = NULL;
}

static EngineConfig config(int depth, int width, EngineInit init, EngineAct a)
{
	EngineConfig c;

	engine_config_default(&c);
	c.depth = depth;
	c.width = width;
	c.init = init;
	c.act = a;
	return c;
}

/* got within rel of 10^want_log10 (computed in long double). */
static void assert_log10(XMag got, long double want_log10, double rel,
    const char *what)
{
	long double d = fabsl((long double)xmag_log10(got) - want_log10) *
	    2.302585L;

	ck_assert_msg(d <= rel, "%s: log10 %.15g, want %.15Lg", what,
	    xmag_log10(got), want_log10);
}

/* Runs a job to the end, checking the step protocol: 1 while points
 * remain, 0 on the last and after it. */
static void run_sweep(SweepJob *job, int n)
{
	char err[256];
	int k, rc;

	for (k = 1; k <= n; k++) {
		rc = sweep_job_step(job, err, sizeof err);
		ck_assert_msg(rc == (k < n), "step %d of %d: %d (%s)", k, n, rc,
		    err);
		ck_assert_int_eq(sweep_job_done(job), k);
	}
	ck_assert_int_eq(sweep_job_step(job, err, sizeof err), 0);
	ck_assert_int_eq(sweep_job_done(job), n);
}

static double job_critical(const EngineConfig *c, double lo, double step, int n)
{
	SweepJob *job = sweep_job_new(eng, c, lo, step, n);
	const SweepPoint *p;
	double crit;
	int m;

	ck_assert_ptr_nonnull(job);
	run_sweep(job, n);
	p = sweep_job_points(job, &m);
	ck_assert_int_eq(m, n);
	crit = sweep_critical(p, m);
	sweep_job_free(job);
	return crit;
}

/* ---------------------------------------------------------------------- */
/* Grids and parsing                                                      */
/* ---------------------------------------------------------------------- */

START_TEST(test_count)
{
	/* 1 / 0.1 is 9.999999999999998 steps in doubles: still 11 points. */
	ck_assert_int_eq(sweep_count(0, 1, 0.1), 11);
	ck_assert_int_eq(sweep_count(0, 0.3, 0.1), 4);
	ck_assert_int_eq(sweep_count(0.7, 2.1, 0.7), 3);
	ck_assert_int_eq(sweep_count(0, 100, 0.001), 100001);
	ck_assert_int_eq(sweep_count(0, 1, 0.3), 4);     /* 0 .. 0.9 */
	ck_assert_int_eq(sweep_count(2.5, 2.5, 0.1), 1); /* lo == hi */
	ck_assert_int_eq(sweep_count(1, 1.5, 0.7), 1);   /* step > range */
	ck_assert_int_eq(sweep_count(2, 1, 0.1), 0);     /* empty */
	ck_assert_int_eq(sweep_count(0, 1, 0), 0);
	ck_assert_int_eq(sweep_count(0, 1, -0.1), 0);
	ck_assert_int_eq(sweep_count(0, 1, NAN), 0);
	ck_assert_int_eq(sweep_count(NAN, 1, 0.1), 0);
	/* lo + i step, not a running sum: 0.1 added ten times is
	 * 0.9999999999999999. */
	ck_assert(sweep_lambda(0, 0.1, 10) == 1.0);
	ck_assert(sweep_lambda(0.5, 0.25, 3) == 1.25);
	/* The last point never leaves the engine's range. */
	ck_assert(sweep_lambda(0, 0.1, 1000) <= ENGINE_LAMBDA_MAX);
	ck_assert(sweep_lambda(99.7, 0.1, 3) <= ENGINE_LAMBDA_MAX);
}
END_TEST

START_TEST(test_parse)
{
	double lo, hi, step;
	char err[256] = "";

	ck_assert_int_eq(sweep_parse("0:2:0.5", &lo, &hi, &step, err,
	                     sizeof err),
	    0);
	ck_assert(lo == 0 && hi == 2 && step == 0.5);
	ck_assert_int_eq(sweep_parse("1.5:1.5:1e-3", &lo, &hi, &step, err,
	                     sizeof err),
	    0);
	ck_assert(lo == 1.5 && hi == 1.5 && step == 1e-3);
	/* Exactly SWEEP_POINTS_MAX points. */
	ck_assert_int_eq(sweep_parse("0:100:0.001", &lo, &hi, &step, err,
	                     sizeof err),
	    0);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const struct {
		const char *in, *names;
	} rows[] = {
	    {"1:0:0.1", "has LO > HI"},
	    {"", "not three fields"},
	    {"1:2", "not three fields"},
	    {"1:2:0.1:4", "not three fields"},
	    {":1:0.1", "a LO that is empty"},
	    {"0::0.1", "a HI that is empty"},
	    {"0:1:", "a STEP that is empty"},
	    {"nan:1:0.1", "a LO that is not a finite number"},
	    {"0:inf:0.1", "a HI that is not a finite number"},
	    {"0:1:1e999", "a STEP that is not a finite number"},
	    {"0:1:0.1x", "a STEP that is not a number"},
	    {"a:1:0.1", "a LO that is not a number"},
	    {" 0:1:0.1", "a LO that is not a number"},
	    {"-1:1:0.1", "LO -1 out of range"},
	    {"0:101:1", "HI 101 out of range"},
	    {"0:1:0", "STEP 0, not > 0"},
	    {"0:1:-0.5", "STEP -0.5, not > 0"},
	    {"0:100:0.0001", "more than 100001 points"},
	    {"0:1:\n", "'0:1:?'"},
	};
	double lo = -7, hi = -7, step = -7;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		strcpy(err, "");
		ck_assert_int_eq(sweep_parse(rows[i].in, &lo, &hi, &step, err,
		                     sizeof err),
		    -1);
		ck_assert_msg(strncmp(err, "--sweep: '", 10) == 0 &&
		        strstr(err, rows[i].names) != NULL &&
		        strstr(err,
		            "; accepted: LO:HI:STEP with 0 <= LO <= HI "
		            "<= 100, STEP > 0 and at most 100001 points") !=
		            NULL &&
		        strchr(err, '\n') == NULL,
		    "'%s': %s", rows[i].in, err);
	}
	ck_assert(lo == -7 && hi == -7 && step == -7);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Points                                                                 */
/* ---------------------------------------------------------------------- */

START_TEST(test_point_identity_linear)
{
	/* W = lambda I, input ones: output = lambda^L, input gradient =
	 * lambda^L, for the engine and the theory alike. */
	static const double lams[] = {0.9, 1.1, 1.5, 3};
	EngineConfig c = config(700, 2, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_LINEAR);
	SweepPoint p;
	char err[256];
	long double want;
	size_t i;

	for (i = 0; i < sizeof lams / sizeof lams[0]; i++) {
		memset(&p, 0, sizeof p);
		ck_assert_int_eq(sweep_point(eng, &c, lams[i], &p, err,
		                     sizeof err),
		    0);
		ck_assert(p.done == 1 && p.lambda == lams[i]);
		want = 700 * log10l((long double)lams[i]);
		assert_log10(p.output_rms, want, 1e-12, "output_rms");
		assert_log10(p.input_gradient, want, 1e-12, "input_gradient");
		assert_log10(p.theory_output, want, 1e-12, "theory_output");
		assert_log10(p.theory_gradient, want, 1e-12, "theory_gradient");
	}
	/* 1.5^700 ~ 10^123, 3^700 ~ 10^334: past double range. */
	ck_assert(xmag_log10(p.output_rms) > 333);
	c.width = 0;
	ck_assert_int_eq(sweep_point(eng, &c, 1, &p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "width"));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The critical lambda                                                    */
/* ---------------------------------------------------------------------- */

START_TEST(test_critical_identity_linear)
{
	EngineConfig c = config(50, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR);
	double crit;

	/* lambda^50 is exactly 1 at the grid point 1. */
	ck_assert(job_critical(&c, 0.5, 0.25, 5) == 1.0);
	/*
	 * Off the grid: log10 g0 = 50 log10 lambda is concave, so the
	 * chord between 0.95 and 1.05 lies below it and meets 0 to the
	 * right of 1, by at most h^2 max|f''| / (8 min f') = 0.01 *
	 * (1/0.95^2) / (8 / 1.05) = 0.00145 (h = 0.1, f = ln lambda).
	 */
	crit = job_critical(&c, 0.55, 0.1, 10);
	ck_assert_msg(crit > 1 && crit < 1.00145, "%.17g", crit);
}
END_TEST

START_TEST(test_critical_identity_tanh)
{
	/*
	 * None. With input ones, a[l] = tanh(lambda a[l-1]) falls from 1
	 * towards its fixed point a* (0 for lambda <= 1) and each gradient
	 * factor lambda sech^2(lambda a[l-1]) is the map's slope at a point
	 * at or above a*. The map is concave, so that slope is below its
	 * slope at a*, which is below 1 (a* > 0: below the chord
	 * tanh(lambda a*) / a* = 1; a* = 0: lambda sech^2(lambda a) < 1 for
	 * lambda <= 1, a > 0). So g0 < 1 for every lambda: no crossing.
	 */
	EngineConfig c = config(50, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_TANH);

	ck_assert(isnan(job_critical(&c, 0.25, 0.25, 16)));
	ck_assert(isnan(job_critical(&c, 1, 1, 100)));
}
END_TEST

START_TEST(test_critical_helpers)
{
	SweepPoint p[4];

	memset(p, 0, sizeof p);
	p[0].lambda = 1;
	p[0].input_gradient = xmag_from_double(0.01); /* log10 -2 */
	p[1].lambda = 2;                              /* not done */
	p[2].lambda = 3;
	p[2].input_gradient = xmag_from_double(100); /* log10 2 */
	p[3].lambda = 4;
	p[3].input_gradient = xmag_from_double(0.1);
	p[0].done = p[2].done = p[3].done = 1;
	/* Skips the point not done: halfway from 1 to 3. */
	ck_assert(fabs(sweep_critical(p, 4) - 2) < 1e-15);
	ck_assert(isnan(sweep_critical(p, 1)));
	ck_assert(isnan(sweep_critical(p, 0)));
	/* A zero gradient (log10 -inf) crosses at its finite neighbour. */
	p[0].input_gradient = xmag_from_double(0);
	ck_assert(sweep_critical(p, 3) == 3);
}
END_TEST

START_TEST(test_critical_gaussian_relu)
{
	/*
	 * Mean field: t[0] = (lambda / sqrt 2)^L, crossing 1 at sqrt 2;
	 * the theory's own crossing is that up to the chord error of
	 * L ln(lambda / sqrt 2), h^2 / (8 lambda) < 4e-5 for h = 0.02.
	 *
	 * The engine's gradient starts from g[L] = ones, which relu's
	 * non-negative activations see as a coherent component (see
	 * check_theory.c): near sqrt 2 it adds up to K ~ 0.64 min(L,
	 * 1 / (1 - lambda^2/2)) to t^2[0], shifting the crossing down by
	 * eps with 2 L eps = ln(1 + K): eps ~ 0.9% at L = 200. Width 1024
	 * adds fluctuations of ln t^2 with sd sqrt(7 L / n) = 1.2, i.e.
	 * 6 sd / (2L) = 1.8% in lambda. So the engine's crossing must lie
	 * in sqrt 2 (1 - 0.009 -+ 0.018).
	 */
	EngineConfig c = config(200, 1024, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_RELU);
	SweepJob *job = sweep_job_new(eng, &c, 1.2, 0.02, 21);
	SweepPoint th[21];
	const SweepPoint *p;
	double crit;
	int n, i;

	ck_assert_ptr_nonnull(job);
	run_sweep(job, 21);
	p = sweep_job_points(job, &n);
	crit = sweep_critical(p, n);
	ck_assert_msg(fabs(crit / sqrt(2) - (1 - 0.009)) < 0.018,
	    "engine crossing %.6g", crit);
	for (i = 0; i < n; i++) {
		th[i] = p[i];
		th[i].input_gradient = p[i].theory_gradient;
	}
	crit = sweep_critical(th, n);
	ck_assert_msg(fabs(crit - sqrt(2)) < 4e-5, "theory crossing %.9g",
	    crit);
	sweep_job_free(job);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Jobs                                                                   */
/* ---------------------------------------------------------------------- */

/* The index each step completes, for a job of n points. */
static void sweep_order(int n, int *order)
{
	EngineConfig c = config(3, 1, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR);
	SweepJob *job = sweep_job_new(eng, &c, 0, 0.01, n);
	const SweepPoint *p;
	char *seen = calloc((size_t)n, 1), err[256];
	int k, i, m, fresh;

	ck_assert_ptr_nonnull(job);
	ck_assert_ptr_nonnull(seen);
	for (k = 0; k < n; k++) {
		ck_assert_int_ge(sweep_job_step(job, err, sizeof err), 0);
		p = sweep_job_points(job, &m);
		fresh = -1;
		for (i = 0; i < n; i++)
			if (p[i].done && !seen[i]) {
				ck_assert_int_eq(fresh, -1); /* one per step */
				fresh = i;
			}
		ck_assert_int_ge(fresh, 0);
		seen[fresh] = 1;
		order[k] = fresh;
	}
	free(seen);
	sweep_job_free(job);
}

START_TEST(test_job_order)
{
	int order[100], k, j, i, n;

	/* 17 = 2^4 + 1: after 2^j + 1 steps exactly the multiples of
	 * 16 / 2^j are done. Every step adds a new index, so 17 steps
	 * visit each once. */
	sweep_order(17, order);
	ck_assert(order[0] == 0 && order[1] == 16 && order[2] == 8);
	for (j = 0; j <= 4; j++) {
		int stride = 16 >> j, have[17] = {0};

		for (k = 0; k < (1 << j) + 1; k++)
			have[order[k]] = 1;
		for (i = 0; i <= 16; i++)
			ck_assert_int_eq(have[i], i % stride == 0);
	}
	/* Other sizes: the ends first, each index once. */
	for (n = 1; n <= 100; n += 33) {
		int have[100] = {0};

		sweep_order(n, order);
		ck_assert_int_eq(order[0], 0);
		if (n > 1)
			ck_assert_int_eq(order[1], n - 1);
		for (k = 0; k < n; k++)
			ck_assert_int_eq(have[order[k]]++, 0);
	}
	sweep_order(2, order);
	ck_assert(order[0] == 0 && order[1] == 1);
}
END_TEST

START_TEST(test_job_matches_point)
{
	/* Bit for bit: the job's points are sweep_point's, on another
	 * engine, whatever order they were computed in. */
	EngineConfig c = config(25, 64, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH);
	Engine *other = engine_new();
	SweepJob *job;
	const SweepPoint *p;
	SweepPoint q;
	char err[256];
	int n, i;

	c.seed = 11;
	ck_assert_ptr_nonnull(other);
	job = sweep_job_new(eng, &c, 0.5, 0.25, 7);
	ck_assert_ptr_nonnull(job);
	ck_assert(sweep_job_config(job)->seed == 11 &&
	    sweep_job_config(job)->depth == 25);
	run_sweep(job, 7);
	p = sweep_job_points(job, &n);
	for (i = 0; i < n; i++) {
		memset(&q, 0, sizeof q);
		ck_assert_int_eq(sweep_point(other, &c, 0.5 + i * 0.25, &q, err,
		                     sizeof err),
		    0);
		ck_assert(p[i].done && p[i].lambda == q.lambda);
		ck_assert(memcmp(&p[i].output_rms, &q.output_rms,
		              sizeof q.output_rms) == 0);
		ck_assert(memcmp(&p[i].input_gradient, &q.input_gradient,
		              sizeof q.input_gradient) == 0);
		ck_assert(memcmp(&p[i].theory_output, &q.theory_output,
		              sizeof q.theory_output) == 0);
		ck_assert(memcmp(&p[i].theory_gradient, &q.theory_gradient,
		              sizeof q.theory_gradient) == 0);
	}
	sweep_job_free(job);
	engine_free(other);
}
END_TEST

START_TEST(test_map_identity_linear)
{
	/* Cells are lambda^depth; the corners come first, then the 3 x 3
	 * lattice of the first halvings, then the rest; each cell once. */
	EngineConfig c = config(7, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR);
	MapJob *job = map_job_new(eng, &c, 0.5, 0.25, 5, 40, 4);
	MapView v;
	char err[256], seen[20] = {0};
	int k, r, col, fresh, rc;

	ck_assert_ptr_nonnull(job);
	v = map_job_view(job);
	ck_assert(v.rows == 4 && v.cols == 5 && v.ndone == 0);
	for (r = 0; r < 4; r++)
		ck_assert_int_eq(v.depth[r], 10 * (r + 1));
	for (col = 0; col < 5; col++)
		ck_assert(v.lambda[col] == 0.5 + 0.25 * col);
	for (k = 1; k <= 20; k++) {
		rc = map_job_step(job, err, sizeof err);
		ck_assert_int_eq(rc, k < 20);
		v = map_job_view(job);
		ck_assert_int_eq(v.ndone, k);
		fresh = -1;
		for (r = 0; r < 20; r++)
			if (v.done[r] && !seen[r]) {
				ck_assert_int_eq(fresh, -1);
				fresh = r;
			}
		ck_assert_int_ge(fresh, 0);
		seen[fresh] = 1;
		r = fresh / 5;
		col = fresh % 5;
		if (k <= 4) /* corners */
			ck_assert((r == 0 || r == 3) && (col == 0 || col == 4));
		else if (k <= 9) /* rows {0, 1, 3} x cols {0, 2, 4} */
			ck_assert(r != 2 && col % 2 == 0);
	}
	ck_assert_int_eq(map_job_step(job, err, sizeof err), 0);
	v = map_job_view(job);
	for (r = 0; r < 4; r++)
		for (col = 0; col < 5; col++)
			assert_log10(v.cell[r * 5 + col],
			    v.depth[r] * log10l((long double)v.lambda[col]),
			    1e-13, "cell");
	ck_assert(map_job_config(job)->depth == 7);
	map_job_free(job);
}
END_TEST

START_TEST(test_map_depths)
{
	EngineConfig c = config(7, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR);
	MapJob *job;
	MapView v;
	int r;

	/* More rows than depths: every depth once, in order. */
	job = map_job_new(eng, &c, 1, 0.5, 2, 5, 8);
	ck_assert_ptr_nonnull(job);
	v = map_job_view(job);
	ck_assert_int_eq(v.rows, 5);
	for (r = 0; r < 5; r++)
		ck_assert_int_eq(v.depth[r], r + 1);
	map_job_free(job);
	/* round(100/3) = 33, round(200/3) = 67, 100. */
	job = map_job_new(eng, &c, 1, 0.5, 2, 100, 3);
	ck_assert_ptr_nonnull(job);
	v = map_job_view(job);
	ck_assert(v.rows == 3 && v.depth[0] == 33 && v.depth[1] == 67 &&
	    v.depth[2] == 100);
	map_job_free(job);
	/* One cell. */
	job = map_job_new(eng, &c, 1, 0.5, 1, 1, 1);
	ck_assert_ptr_nonnull(job);
	ck_assert_int_eq(map_job_step(job, NULL, 0), 0);
	v = map_job_view(job);
	ck_assert(v.ndone == 1 && v.done[0] && xmag_to_double(v.cell[0]) == 1);
	map_job_free(job);
}
END_TEST

Suite *sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("sweep");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_point_identity_linear);
	tcase_add_test(tc, test_critical_identity_linear);
	tcase_add_test(tc, test_critical_identity_tanh);
	tcase_add_test(tc, test_critical_helpers);
	tcase_add_test(tc, test_critical_gaussian_relu);
	tcase_add_test(tc, test_job_order);
	tcase_add_test(tc, test_job_matches_point);
	tcase_add_test(tc, test_map_identity_linear);
	tcase_add_test(tc, test_map_depths);
	suite_add_tcase(s, tc);
	return s;
}
