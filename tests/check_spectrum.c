/*
 * check_spectrum: singular values of the input-output Jacobian against
 * closed forms (orthogonal and identity weights), an exact expectation
 * (gaussian weights, averaged over seeds) and the spread's known trend.
 */
#include "spectrum.h"

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "act.h"
#include "matrix.h"
#include "scenario.h"
#include "suites.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static EngineConfig config(EngineInit init, EngineAct act, double lambda,
    int depth, int width, uint64_t seed)
{
	EngineConfig c;

	engine_config_default(&c);
	c.init = init;
	c.act = act;
	c.lambda = lambda;
	c.depth = depth;
	c.width = width;
	c.seed = seed;
	return c;
}

/* Runs a job to the end, checking the stepping contract on the way;
 * the caller frees it. */
static SpectrumJob *run(const EngineConfig *c)
{
	char err[256] = "";
	SpectrumJob *job = spectrum_job_new(c, err, sizeof err);
	double progress = 0, p;
	int r, steps = 0;

	ck_assert_msg(job != NULL, "spectrum_job_new: %s", err);
	ck_assert_ptr_null(spectrum_job_values(job, NULL, NULL));
	do {
		r = spectrum_job_step(job, err, sizeof err);
		ck_assert_msg(r == 0 || r == 1, "step returned %d: %s", r, err);
		p = spectrum_job_progress(job);
		ck_assert_msg(p >= progress && p <= 1, "progress %g after %g",
		    p, progress);
		progress = p;
		ck_assert_int_lt(++steps, 100000);
	} while (r == 1);
	ck_assert(spectrum_job_progress(job) == 1);
	ck_assert(memcmp(spectrum_job_config(job), c, sizeof *c) == 0);
	return job;
}

static const XMag *values(const SpectrumJob *job, int *unresolved)
{
	int n;
	const XMag *v = spectrum_job_values(job, &n, unresolved);

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(n, spectrum_job_config(job)->width);
	return v;
}

/* |ln(got) - ln(want)|, want given as its log10: the relative error. */
static double rel_err(XMag got, double want_log10)
{
	return fabs(xmag_log10(got) - want_log10) * log(10);
}

/* ln(max / min) of the values: the spread. */
static double log_spread(const SpectrumJob *job)
{
	int u;
	const XMag *v = values(job, &u);
	int n = spectrum_job_config(job)->width;

	ck_assert_int_eq(u, 0);
	return (xmag_log10(v[0]) - xmag_log10(v[n - 1])) * log(10);
}

/* ---------------------------------------------------------------------- */
/* Closed forms                                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_orthogonal_linear_isometry)
{
	/* A product of orthogonal matrices is orthogonal: every singular
	 * value is lambda^L (dynamical isometry). */
	static const struct {
		int width, depth;
		double lambda;
	} cases[] = {{64, 200, 1}, {256, 4, 1}, {1, 50, 1}, {16, 100, 1.25},
	    {64, 200, 0.9}};
	size_t k;
	int i, u;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		EngineConfig c = config(ENGINE_INIT_ORTHOGONAL,
		    ENGINE_ACT_LINEAR, cases[k].lambda, cases[k].depth,
		    cases[k].width, 3);
		SpectrumJob *job = run(&c);
		const XMag *v = values(job, &u);
		double want = cases[k].depth * log10(cases[k].lambda);

		ck_assert_int_eq(u, 0);
		for (i = 0; i < c.width; i++)
			ck_assert_msg(rel_err(v[i], want) <= 1e-12,
			    "width %d depth %d: sigma[%d] off by %g", c.width,
			    c.depth, i, rel_err(v[i], want));
		ck_assert_msg(rel_err(spectrum_job_mean_sq(job), 2 * want) <=
		        1e-12,
		    "mean sigma^2");
		spectrum_job_free(job);
	}
}
END_TEST

START_TEST(test_identity_linear_power)
{
	/* J = lambda^L I, past double range at lambda 100 (10^400) and
	 * below it at 0.01 (10^-400). */
	static const double lambdas[] = {1.5, 100, 0.01, 0.7};
	size_t k;
	int i, u;

	for (k = 0; k < sizeof lambdas / sizeof lambdas[0]; k++) {
		EngineConfig c = config(ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
		    lambdas[k], 200, 8, 1);
		SpectrumJob *job = run(&c);
		const XMag *v = values(job, &u);
		double want = 200 * log10(lambdas[k]);

		ck_assert_int_eq(u, 0);
		for (i = 0; i < 8; i++)
			ck_assert_msg(rel_err(v[i], want) <= 1e-12,
			    "lambda %g: sigma[%d] = 10^%.15g, want 10^%.15g",
			    lambdas[k], i, xmag_log10(v[i]), want);
		spectrum_job_free(job);
	}
}
END_TEST

START_TEST(test_relu_identity_counts_dead_units)
{
	/* Identity weights keep the input's signs: J = lambda^L diag(x > 0),
	 * so the values are lambda^L once per positive input entry and 0
	 * (unresolved) for the rest. */
	EngineConfig c = config(ENGINE_INIT_IDENTITY, ENGINE_ACT_RELU, 1.1, 20,
	    32, 5);
	SpectrumJob *job;
	const XMag *v;
	double x[32];
	float scratch[32];
	int i, u, positive = 0;

	c.input = ENGINE_INPUT_RANDOM;
	job = run(&c);
	v = values(job, &u);
	matrix_input(&c, x, scratch);
	for (i = 0; i < 32; i++)
		positive += x[i] > 0;
	ck_assert(positive > 0 && positive < 32);
	ck_assert_int_eq(u, 32 - positive);
	for (i = 0; i < 32; i++) {
		if (i < positive)
			ck_assert(rel_err(v[i], 20 * log10(1.1)) <= 1e-13);
		else
			ck_assert(xmag_is_zero(v[i]));
	}
	spectrum_job_free(job);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Gaussian weights                                                       */
/* ---------------------------------------------------------------------- */

/*
 * The exact mean and variance of Y = |J|_F^2 / n (the mean of sigma^2) for
 * J = W[L] ... W[1], W iid N(0, s), s = lambda^2 / n, linear.
 *
 * With A = J J^T after l layers and A' = W A W^T one layer later, the
 * Wishart moments E[B_ij B_kl] of B = W^T W (= n^2 s^2 d_ij d_kl +
 * n s^2 (d_ik d_jl + d_il d_jk)) give, given A,
 *   E[(tr A')^2] = lambda^4 ((tr A)^2 + (2/n) tr(A^2)),
 *   E[tr(A'^2)]  = lambda^4 ((tr A)^2 / n + (1 + 1/n) tr(A^2)),
 * a linear recursion for p = E[(tr A)^2], q = E[tr(A^2)] from A = I
 * (p = n^2, q = n). Then E[Y] = lambda^(2L) and Var Y = p / n^2 -
 * lambda^(4L). Returned: Var Y / (E Y)^2.
 */
static double gaussian_rel_var(int n, int depth)
{
	long double p = (long double)n * n, q = n, p2;
	int l;

	for (l = 0; l < depth; l++) {
		p2 = p + 2 * q / n;
		q = p / n + (1 + 1.0L / n) * q;
		p = p2;
	}
	return (double)(p / ((long double)n * n) - 1);
}

START_TEST(test_gaussian_mean_sq_expectation)
{
	/*
	 * The mean over S seeds of Y has relative standard deviation
	 * sqrt(gaussian_rel_var / S): at n = 128, L = 8 that is 0.067 per
	 * seed and 0.0137 for S = 24. The test allows five of them (6.8%):
	 * under the normal approximation of the 24-seed mean, a correct
	 * product fails with probability ~6e-7; a wrong variance (lambda^2/n
	 * off by a factor 1 + 1/n, say) would shift the mean by 6%, a
	 * missing or doubled layer by the factor lambda^2 itself.
	 */
	enum { N = 128, L = 8, S = 24 };
	double rel_sd = sqrt(gaussian_rel_var(N, L) / S), mean = 0, sum, y;
	int seed, i, u;

	ck_assert(rel_sd > 0.01 && rel_sd < 0.02);
	for (seed = 1; seed <= S; seed++) {
		EngineConfig c = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
		    1, L, N, (uint64_t)seed);
		SpectrumJob *job = run(&c);
		const XMag *v = values(job, &u);

		/* The values themselves: their mean square is |J|_F^2 / n,
		 * which the decomposition preserves. */
		y = xmag_to_double(spectrum_job_mean_sq(job));
		sum = 0;
		for (i = 0; i < N; i++)
			sum += xmag_to_double(v[i]) * xmag_to_double(v[i]);
		ck_assert_msg(fabs(sum / N / y - 1) <= 1e-12,
		    "seed %d: mean sigma^2 %.17g vs |J|_F^2/n %.17g", seed,
		    sum / N, y);
		mean += y / S;
		spectrum_job_free(job);
	}
	ck_assert_msg(fabs(mean - 1) <= 5 * rel_sd,
	    "mean of sigma^2 over %d seeds: %g, want 1 +- %g", S, mean,
	    5 * rel_sd);
}
END_TEST

START_TEST(test_gaussian_scales_with_lambda)
{
	/* The same draws scaled: every value by lambda^L. Each product is
	 * rounded differently, which moves a value by about eps times the
	 * largest (so the smallest, 1e-13 of it here, only to a few
	 * digits): the bound is on that absolute error. */
	EngineConfig c1 = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR, 1, 12,
	    16, 8);
	EngineConfig c2 = c1;
	SpectrumJob *j1, *j2;
	const XMag *v1, *v2;
	int i, u1, u2;

	c2.lambda = 1.25;
	j1 = run(&c1);
	j2 = run(&c2);
	v1 = values(j1, &u1);
	v2 = values(j2, &u2);
	ck_assert_int_eq(u1, 0);
	ck_assert_int_eq(u2, 0);
	ck_assert(rel_err(v2[0], xmag_log10(v1[0]) + 12 * log10(1.25)) <=
	    1e-13);
	for (i = 0; i < 16; i++)
		ck_assert_msg(fabs(xmag_to_double(v2[i]) / pow(1.25, 12) -
		                  xmag_to_double(v1[i])) <=
		        1e-15 * xmag_to_double(v1[0]),
		    "sigma[%d]: %.17g vs %.17g", i,
		    xmag_to_double(v2[i]) / pow(1.25, 12),
		    xmag_to_double(v1[i]));
	spectrum_job_free(j1);
	spectrum_job_free(j2);
}
END_TEST

START_TEST(test_spread_grows_with_depth_for_gaussian_only)
{
	/* Products of gaussian matrices spread their singular values (the
	 * log spread grows about linearly in depth); orthogonal ones keep
	 * max / min = 1. Width 32, so every value stays resolved. */
	static const int depths[] = {1, 3, 6, 12};
	double prev = 0, spread;
	size_t k;

	for (k = 0; k < sizeof depths / sizeof depths[0]; k++) {
		EngineConfig g = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
		    1, depths[k], 32, 2);
		EngineConfig o = config(ENGINE_INIT_ORTHOGONAL,
		    ENGINE_ACT_LINEAR, 1, depths[k], 32, 2);
		SpectrumJob *jg = run(&g), *jo = run(&o);

		spread = log_spread(jg);
		ck_assert_msg(spread > prev + 1,
		    "depth %d: ln spread %g, "
		    "previous %g",
		    depths[k], spread, prev);
		prev = spread;
		ck_assert_msg(log_spread(jo) <= 1e-12,
		    "orthogonal depth %d: "
		    "ln spread %g",
		    depths[k], log_spread(jo));
		spectrum_job_free(jg);
		spectrum_job_free(jo);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Limits and extremes                                                    */
/* ---------------------------------------------------------------------- */

START_TEST(test_saturated_tanh_has_values)
{
	/* lambda 100: the tanh units saturate, phi' ~ e^-(tens to hundreds)
	 * per layer, and J ends far below the double range (1e-1049 for this
	 * seed); the largest value must still come out nonzero, with the
	 * rest in order. */
	EngineConfig c = config(ENGINE_INIT_ORTHOGONAL, ENGINE_ACT_TANH, 100,
	    200, 16, 1);
	SpectrumJob *job = run(&c);
	const XMag *v;
	int i, u;

	v = values(job, &u);
	ck_assert(u < 16);
	ck_assert_msg(xmag_log10(v[0]) < -400 && !xmag_is_zero(v[0]),
	    "largest value 10^%g", xmag_log10(v[0]));
	for (i = 0; i < 16; i++) {
		ck_assert(xmag_is_finite(v[i]));
		if (i > 0)
			ck_assert(xmag_cmp(v[i - 1], v[i]) >= 0);
	}
	ck_assert(xmag_is_finite(spectrum_job_mean_sq(job)));
	spectrum_job_free(job);
}
END_TEST

START_TEST(test_supported_limits)
{
	EngineConfig c = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR, 1,
	    SPECTRUM_DEPTH_MAX, SPECTRUM_WIDTH_MAX, 1);
	char err[256] = "";

	ck_assert_int_eq(spectrum_supported(&c, err, sizeof err), 0);
	c.width = SPECTRUM_WIDTH_MAX + 1;
	ck_assert_int_eq(spectrum_supported(&c, err, sizeof err), -1);
	ck_assert_msg(strstr(err,
	                  "the spectrum needs width <= 1024 and "
	                  "depth <= 10000") != NULL,
	    "message: %s", err);
	ck_assert_ptr_null(spectrum_job_new(&c, err, sizeof err));
	c.width = 4;
	c.depth = SPECTRUM_DEPTH_MAX + 1;
	err[0] = '\0';
	ck_assert_int_eq(spectrum_supported(&c, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "depth <= 10000"));
	c.depth = 4;
	c.lambda = -1;
	err[0] = '\0';
	ck_assert_int_eq(spectrum_supported(&c, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "lambda"));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Against independent computations                                       */
/* ---------------------------------------------------------------------- */

/* sum_l log|det W[l]| for cfg's weights, from each W's own QR (LAPACK's
 * R diagonal), computed here independently of the job. */
static double log_det_weights(const EngineConfig *c)
{
	int n = c->width, l, i;
	double *W = malloc((size_t)n * n * sizeof *W), tau[64], sum = 0;
	float *draws = malloc((size_t)n * n * sizeof *draws);

	ck_assert(W != NULL && draws != NULL && n <= 64);
	for (l = 1; l <= c->depth; l++) {
		ck_assert_int_eq(matrix_weights(c, l, W, draws), 0);
		ck_assert_int_eq(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, n, n, W, n,
		                     tau),
		    0);
		for (i = 0; i < n; i++)
			sum += log(fabs(W[(size_t)i * n + i]));
	}
	free(W);
	free(draws);
	return sum;
}

static double sum_log_values(const SpectrumJob *job)
{
	int u, i, n = spectrum_job_config(job)->width;
	const XMag *v = values(job, &u);
	double sum = 0;

	ck_assert_int_eq(u, 0);
	for (i = 0; i < n; i++)
		sum += xmag_log10(v[i]) * log(10);
	return sum;
}

START_TEST(test_gaussian_log_det_identity)
{
	/* Linear: prod sigma = |det J| = prod_l |det W[l]|, exactly; at
	 * depth 400 the values span far past double range (the old
	 * product lost all but the top ones). */
	static const int depths[] = {1, 20, 400};
	size_t k;

	for (k = 0; k < sizeof depths / sizeof depths[0]; k++) {
		EngineConfig c = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
		    1, depths[k], 24, 7);
		SpectrumJob *job = run(&c);
		double got = sum_log_values(job), want = log_det_weights(&c);
		const XMag *v = values(job, NULL);

		ck_assert_msg(fabs(got - want) <= 1e-11 * (1 + fabs(want)),
		    "depth %d: sum log sigma %.15g, sum log|det W| %.15g",
		    c.depth, got, want);
		if (depths[k] == 400)
			ck_assert_msg(xmag_log10(v[0]) - xmag_log10(v[23]) >
			        320,
			    "spread %g decades",
			    xmag_log10(v[0]) - xmag_log10(v[23]));
		spectrum_job_free(job);
	}
}
END_TEST

/*
 * For G n x n with iid N(0, 1) entries, |det G| = prod_k chi_k (k = 1..n,
 * independent: Bartlett), and E log chi_k = (psi(k/2) + ln 2) / 2, Var
 * log chi_k = psi'(k/2) / 4. With W = (lambda / sqrt n) G the log det
 * shifts by n log(lambda / sqrt n). psi and psi' at k/2 by their
 * recurrences from psi(1/2) = -gamma - 2 ln 2, psi(1) = -gamma,
 * psi'(1/2) = pi^2 / 2, psi'(1) = pi^2 / 6.
 */
static void log_det_moments(int n, double lambda, double *mean, double *var)
{
	const double gamma = 0.57721566490153286061, pi = 3.14159265358979324;
	double psi[2] = {-gamma - 2 * log(2.0), -gamma};
	double tri[2] = {pi * pi / 2, pi * pi / 6};
	int k;

	*mean = n * log(lambda / sqrt(n));
	*var = 0;
	for (k = 1; k <= n; k++) {
		/* psi(k/2) in psi[(k - 1) % 2], then step it by 1. */
		double x = k / 2.0;

		*mean += (psi[(k - 1) % 2] + log(2.0)) / 2;
		*var += tri[(k - 1) % 2] / 4;
		psi[(k - 1) % 2] += 1 / x;
		tri[(k - 1) % 2] -= 1 / (x * x);
	}
}

START_TEST(test_gaussian_log_det_expectation)
{
	/* The mean of sum log sigma over seeds against L E log|det W|. */
	enum { N = 16, L = 10, SEEDS = 40 };
	double mean, var, sum = 0;
	uint64_t seed;

	log_det_moments(N, 1.3, &mean, &var);
	for (seed = 1; seed <= SEEDS; seed++) {
		EngineConfig c = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
		    1.3, L, N, seed);
		SpectrumJob *job = run(&c);

		sum += sum_log_values(job);
		spectrum_job_free(job);
	}
	sum /= SEEDS;
	ck_assert_msg(fabs(sum - L * mean) <= 4 * sqrt(L * var / SEEDS),
	    "mean sum log sigma %g, want %g (sd of the mean %g)", sum, L * mean,
	    sqrt(L * var / SEEDS));
}
END_TEST

START_TEST(test_saturated_log_det_identity)
{
	/* prod sigma = |det J| = prod_l |det W[l]| prod_i phi'(z[l]_i), also
	 * for tanh at lambda 100, whose phi' across one layer's units spans
	 * over 150 decades (the spectrum's group gap: the rows are reduced in
	 * several groups at their own scales, so this checks that reduction;
	 * it is needed past 10^-308, where one group would lose rows): no
	 * value may be lost, and the sum of logs must match the
	 * one formed here from log phi' and each W's own QR. */
	enum { N = 16, L = 30 };
	EngineConfig c = config(ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH, 100, L,
	    N, 5);
	double W[N * N], a[N], z[N], tau[N], want = 0, lo, hi, span = 0, got,
	                                     ld;
	float draws[N * N];
	SpectrumJob *job;
	int l, i;

	matrix_input(&c, a, draws);
	for (l = 1; l <= L; l++) {
		ck_assert_int_eq(matrix_weights(&c, l, W, draws), 0);
		matrix_mul(N, N, 1, W, a, z);
		lo = INFINITY;
		hi = -INFINITY;
		for (i = 0; i < N; i++) {
			ld = act_log_deriv(c.act, z[i]);
			want += ld;
			hi = ld > hi ? ld : hi;
			lo = ld < lo ? ld : lo;
			a[i] = act_phi(c.act, z[i], NULL);
		}
		span = hi - lo > span ? hi - lo : span;
		ck_assert_int_eq(LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, N, N, W, N,
		                     tau),
		    0);
		for (i = 0; i < N; i++)
			want += log(fabs(W[i * N + i]));
	}
	ck_assert_msg(span / log(10) > 150, "phi' spans %g decades in a layer",
	    span / log(10));
	job = run(&c);
	got = sum_log_values(job);
	ck_assert_msg(fabs(got - want) <= 1e-11 * fabs(want),
	    "sum log sigma %.15g, want %.15g", got, want);
	spectrum_job_free(job);
}
END_TEST

static int desc_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a < b) - (a > b);
}

START_TEST(test_small_against_explicit_svd)
{
	/* J formed explicitly (D W products in double) and LAPACK's dgesvd:
	 * at small depth the range is a few decades, so the explicit values
	 * are accurate to about eps sigma_max / sigma_i, and the job's must
	 * agree to that. */
	static const EngineAct acts[] = {ENGINE_ACT_TANH, ENGINE_ACT_LINEAR,
	    ENGINE_ACT_RELU};
	enum { N = 8, L = 6 };
	size_t k;

	for (k = 0; k < sizeof acts / sizeof acts[0]; k++) {
		EngineConfig c = config(ENGINE_INIT_GAUSSIAN, acts[k], 1.2, L,
		    N, 11);
		SpectrumJob *job;
		const XMag *v;
		double W[N * N], J[N * N], T[N * N], a[N], z[N], d[N], sv[N];
		double superb[N], tol;
		float draws[N * N];
		int l, i, j, u;

		c.input = ENGINE_INPUT_RANDOM;
		matrix_input(&c, a, draws);
		for (l = 1; l <= L; l++) {
			ck_assert_int_eq(matrix_weights(&c, l, W, draws), 0);
			matrix_mul(N, N, 1, W, a, z);
			for (i = 0; i < N; i++)
				a[i] = act_phi(c.act, z[i], &d[i]);
			for (i = 0; i < N; i++)
				for (j = 0; j < N; j++)
					W[i * N + j] *= d[i];
			if (l == 1) {
				memcpy(J, W, sizeof J);
			} else {
				matrix_mul(N, N, N, W, J, T);
				memcpy(J, T, sizeof J);
			}
		}
		ck_assert_int_eq(LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'N', 'N', N,
		                     N, J, N, sv, NULL, 1, NULL, 1, superb),
		    0);
		qsort(sv, N, sizeof sv[0], desc_double);
		job = run(&c);
		v = values(job, &u);
		for (i = 0; i < N; i++) {
			if (sv[i] < 1e-13 * sv[0]) {
				/* A dead ReLU unit: exactly 0 in the job. */
				ck_assert(xmag_is_zero(v[i]));
				continue;
			}
			tol = 1e-13 * sv[0] / sv[i];
			ck_assert_msg(rel_err(v[i], log10(sv[i])) <= tol,
			    "act %d sigma[%d] = 10^%.15g, dgesvd 10^%.15g",
			    (int)acts[k], i, xmag_log10(v[i]), log10(sv[i]));
		}
		spectrum_job_free(job);
	}
}
END_TEST

/* Every step of every shipped preset and lesson (presets/): a job
 * starts and multiplies in its first layer in steps that report more
 * progress each (knife-edge's 2 x 10000 and gaussian-wide's 1024 x 150
 * among them). Not timed. */
START_TEST(test_every_shipped_step_starts)
{
	static Scenario shipped;
	DIR *d = opendir("presets");
	struct dirent *de;
	char path[512], warn[512], err[512];
	int files = 0, wide = 0, i, steps, rc;
	double last, now;
	size_t len;
	SpectrumJob *job;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof path, "presets/%s", de->d_name);
		ck_assert_msg(scenario_load(path, &shipped, warn, sizeof warn,
		                  err, sizeof err) == 0,
		    "%s", err);
		files++;
		for (i = 0; i < shipped.nsteps; i++) {
			const EngineConfig *c = &shipped.steps[i].cfg;

			/* Refused, saying why: what the matrices leave out. */
			if (matrix_models(c, "the spectrum", err, sizeof err) !=
			    0) {
				ck_assert_ptr_null(spectrum_job_new(c, err,
				    sizeof err));
				ck_assert_ptr_nonnull(strstr(err,
				    "the spectrum models plain layers"));
				continue;
			}
			job = spectrum_job_new(c, err, sizeof err);
			ck_assert_msg(job != NULL, "%s step %d: %s", path,
			    i + 1, err);
			wide += c->width == 1024;
			last = spectrum_job_progress(job);
			ck_assert(last == 0);
			/* A layer is 5 stages, W Q in up to 8 panels: 12
			 * steps multiply in one at width 1024. */
			for (steps = 0; steps < 12; steps++) {
				rc = spectrum_job_step(job, err, sizeof err);
				ck_assert_msg(rc == 1, "%s step %d: %s", path,
				    i + 1, err);
				now = spectrum_job_progress(job);
				ck_assert(now >= last && now < 1);
				last = now;
			}
			ck_assert_msg(last > 0, "%s step %d: no progress", path,
			    i + 1);
			spectrum_job_free(job);
		}
	}
	closedir(d);
	ck_assert_int_ge(files, 13);
	ck_assert_int_eq(wide, 2); /* gaussian-wide and its lesson step */
}
END_TEST

Suite *spectrum_suite(void)
{
	Suite *s = suite_create("spectrum");
	TCase *tc = tcase_create("spectrum");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_orthogonal_linear_isometry);
	tcase_add_test(tc, test_identity_linear_power);
	tcase_add_test(tc, test_relu_identity_counts_dead_units);
	tcase_add_test(tc, test_gaussian_mean_sq_expectation);
	tcase_add_test(tc, test_gaussian_scales_with_lambda);
	tcase_add_test(tc, test_spread_grows_with_depth_for_gaussian_only);
	tcase_add_test(tc, test_saturated_tanh_has_values);
	tcase_add_test(tc, test_supported_limits);
	tcase_add_test(tc, test_gaussian_log_det_identity);
	tcase_add_test(tc, test_gaussian_log_det_expectation);
	tcase_add_test(tc, test_small_against_explicit_svd);
	tcase_add_test(tc, test_saturated_log_det_identity);
	tcase_add_test(tc, test_every_shipped_step_starts);
	suite_add_tcase(s, tc);
	return s;
}
