/*
 * check_engine: the engine against closed forms and independent
 * recurrences. Oracles are computed here in long double (x86-64: 64-bit
 * mantissa, exponent range past 10^4900), never taken from the engine or
 * from the lesson text.
 */
#include "engine.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act.h"
#include "rng.h"
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

static EngineConfig config(double lambda, int depth, int width, EngineInit init,
    EngineAct act, EnginePrecision prec)
{
	EngineConfig c;

	engine_config_default(&c);
	c.lambda = lambda;
	c.depth = depth;
	c.width = width;
	c.init = init;
	c.act = act;
	c.precision = prec;
	return c;
}

static EngineResult compute(const EngineConfig *c)
{
	EngineResult r;
	char err[256] = "";

	memset(&r, 0, sizeof r);
	ck_assert_msg(engine_compute(eng, c, &r, err, sizeof err) == 0,
	    "engine_compute failed: %s", err);
	ck_assert_int_eq(r.depth, c->depth);
	return r;
}

/* |log10(got) - want_log10| in units of relative error: for small
 * differences, relative error ~ ln(10) * |difference|. */
static void assert_log10(XMag got, long double want_log10, double rel,
    const char *what, int l)
{
	double g = xmag_log10(got);
	long double diff = fabsl((long double)g - want_log10) * 2.302585L;

	ck_assert_msg(isfinite(g) && diff <= rel,
	    "%s[%d]: log10 %.15g, want %.15Lg (relative error %.3Lg > %g)",
	    what, l, g, want_log10, diff, rel);
}

static void assert_close(XMag got, long double want, double rel,
    const char *what, int l)
{
	assert_log10(got, log10l(want), rel, what, l);
}

/* ---------------------------------------------------------------------- */
/* Identity weights, linear: lambda^l and lambda^(L-l) exactly            */
/* ---------------------------------------------------------------------- */

/* a[l] = lambda^l x, g[l] = lambda^(L-l) ones, dL/dW[l] = g[l] a[l-1]^T
 * has rms lambda^(L-l) lambda^(l-1) rms(x). */
static void check_identity_linear_up(double lambda, int depth, int width,
    double rel, EngineUpstream up)
{
	EngineConfig c = config(lambda, depth, width, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r;
	long double ll = log10l((long double)lambda);
	int l;

	c.upstream = up;
	r = compute(&c);
	for (l = 0; l <= depth; l++) {
		assert_log10(r.activation_rms[l], ll * l, rel, "activation", l);
		assert_log10(r.gradient_rms[l], ll * (depth - l), rel,
		    "gradient", l);
		if (l > 0)
			assert_log10(r.weight_gradient_rms[l], ll * (depth - 1),
			    rel, "weight_gradient", l);
	}
}

/* Both upstreams: g[L] has rms 1 either way and lambda I scales every
 * entry alike. */
static void check_identity_linear(double lambda, int depth, int width,
    double rel)
{
	check_identity_linear_up(lambda, depth, width, rel,
	    ENGINE_UPSTREAM_RANDOM);
	check_identity_linear_up(lambda, depth, width, rel,
	    ENGINE_UPSTREAM_ONES);
}

START_TEST(test_identity_linear_past_double_range)
{
	/* 1.5^3000 ~ 10^528 and 0.5^1100 ~ 10^-331: past double range. */
	check_identity_linear(1.5, 3000, 2, 1e-12);
	check_identity_linear(0.5, 1100, 2, 1e-12);
	check_identity_linear(1.1, 152, 7, 1e-13);
	check_identity_linear(0.9, 152, 1, 1e-13);
	/* The extremes of the accepted range: 100^100000 = 10^200000. */
	check_identity_linear(100.0, 100000, 1, 1e-10);
	check_identity_linear(0.01, 100000, 3, 1e-10);
}
END_TEST

START_TEST(test_identity_linear_values)
{
	/* Against long double powers directly, every layer. */
	EngineConfig c = config(1.5, 150, 2, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r = compute(&c);
	int l;

	for (l = 0; l <= 150; l++) {
		assert_close(r.activation_rms[l], powl(1.5L, l), 1e-14,
		    "activation", l);
		assert_close(r.gradient_rms[l], powl(1.5L, 150 - l), 1e-14,
		    "gradient", l);
	}
	/* 0.5^10 is a binary fraction: exact, not just close. */
	c.lambda = 0.5;
	c.depth = 10;
	r = compute(&c);
	ck_assert_msg(xmag_to_double(r.activation_rms[10]) == 0x1p-10,
	    "0.5^10: got %.17g", xmag_to_double(r.activation_rms[10]));
}
END_TEST

START_TEST(test_identity_random_input)
{
	/* a[l] = lambda^l x: the ratio to layer 0 is lambda^l. */
	EngineConfig c = config(0.75, 400, 16, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r;
	long double x0;
	int l;

	c.input = ENGINE_INPUT_RANDOM;
	c.seed = 7;
	r = compute(&c);
	x0 = (long double)xmag_to_double(r.activation_rms[0]);
	ck_assert_msg(x0 > 0.2L && x0 < 3.0L, "rms of a normal input %Lg", x0);
	for (l = 0; l <= 400; l += 50)
		assert_close(r.activation_rms[l], x0 * powl(0.75L, l), 1e-13,
		    "activation", l);
}
END_TEST

START_TEST(test_orthogonal_linear_norm_preserving)
{
	/* |Q a| = |a| exactly for any orthogonal Q: lambda^l again, at any
	 * width, including n = 1 where Q = +-1. */
	static const int widths[] = {1, 2, 5, 64};
	EngineConfig c;
	EngineResult r;
	size_t k;
	int l;

	for (k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		c = config(1.25, 300, widths[k], ENGINE_INIT_ORTHOGONAL,
		    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
		r = compute(&c);
		for (l = 0; l <= 300; l += 25) {
			assert_close(r.activation_rms[l], powl(1.25L, l), 1e-11,
			    "activation", l);
			assert_close(r.gradient_rms[l], powl(1.25L, 300 - l),
			    1e-11, "gradient", l);
		}
	}
}
END_TEST

START_TEST(test_draws_past_the_cache)
{
	/*
	 * The draw cache holds 2^22 floats per stream: at width 4096, layers
	 * 1 to 1024. Past them the draws are made on each use (the forward
	 * pass makes only xi). The orthogonal closed form holds there too,
	 * and float64 agrees with exact for tanh as it does in the cache.
	 */
	EngineConfig c = config(1.25, 1100, 4096, ENGINE_INIT_ORTHOGONAL,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r;
	XMag ex[2][1101];
	int l;

	r = compute(&c);
	for (l = 1000; l <= 1100; l += 4) {
		assert_close(r.activation_rms[l], powl(1.25L, l), 1e-11,
		    "activation", l);
		assert_close(r.gradient_rms[l], powl(1.25L, 1100 - l), 1e-11,
		    "gradient", l);
	}
	c = config(1.0, 1100, 4096, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH,
	    ENGINE_PRECISION_EXACT);
	r = compute(&c);
	for (l = 0; l <= 1100; l++) {
		ex[0][l] = r.activation_rms[l];
		ex[1][l] = r.gradient_rms[l];
	}
	c.precision = ENGINE_PRECISION_FLOAT64;
	r = compute(&c);
	for (l = 1; l <= 1100; l++) {
		assert_log10(r.activation_rms[l], xmag_log10(ex[0][l]), 1e-11,
		    "float64 act", l);
		assert_log10(r.gradient_rms[l - 1], xmag_log10(ex[1][l - 1]),
		    1e-11, "float64 grad", l - 1);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Identity weights, tanh and sigmoid: scalar recurrences                 */
/* ---------------------------------------------------------------------- */

/*
 * With W = lambda I and x = ones, every unit carries the same value:
 * x[l] = phi(lambda x[l-1]) and g[l-1] = lambda phi'(lambda x[l-1]) g[l].
 * The oracle runs that scalar recurrence in long double.
 */
static void check_scalar_recurrence_up(EngineAct act, double lambda, int depth,
    double rel, EngineUpstream up)
{
	EngineConfig c = config(lambda, depth, 3, ENGINE_INIT_IDENTITY, act,
	    ENGINE_PRECISION_EXACT);
	EngineResult r;
	long double *x = malloc((size_t)(depth + 1) * sizeof *x);
	long double lg = 0, z, s, d; /* lg: log10 of g[l] */
	int l;

	c.upstream = up;
	r = compute(&c);
	ck_assert_ptr_nonnull(x);
	x[0] = 1;
	for (l = 1; l <= depth; l++) {
		z = lambda * x[l - 1];
		x[l] = act == ENGINE_ACT_TANH ? tanhl(z) : 1 / (1 + expl(-z));
		assert_close(r.activation_rms[l], x[l], rel, "activation", l);
	}
	for (l = depth; l >= 1; l--) {
		assert_log10(r.gradient_rms[l], lg, rel, "gradient", l);
		z = lambda * x[l - 1];
		if (act == ENGINE_ACT_TANH) {
			s = 1 / coshl(z);
			d = s * s;
		} else {
			s = 1 / (1 + expl(-z));
			d = s * (1 - s);
		}
		/* dL/dW[l] = phi'(z) g[l] x[l-1] */
		assert_log10(r.weight_gradient_rms[l],
		    lg + log10l(d * x[l - 1]), rel, "weight_gradient", l);
		lg += log10l(lambda * d);
	}
	assert_log10(r.gradient_rms[0], lg, rel, "gradient", 0);
	free(x);
}

/* phi'(z) is the same in every unit, so the random upstream's entries
 * are all scaled alike: the recurrence holds for both upstreams. */
static void check_scalar_recurrence(EngineAct act, double lambda, int depth,
    double rel)
{
	check_scalar_recurrence_up(act, lambda, depth, rel,
	    ENGINE_UPSTREAM_RANDOM);
	check_scalar_recurrence_up(act, lambda, depth, rel,
	    ENGINE_UPSTREAM_ONES);
}

START_TEST(test_identity_tanh_sigmoid_recurrence)
{
	check_scalar_recurrence(ENGINE_ACT_TANH, 1.5, 300, 1e-11);
	check_scalar_recurrence(ENGINE_ACT_TANH, 0.5, 1200, 1e-11);
	check_scalar_recurrence(ENGINE_ACT_TANH, 1.0, 2000, 1e-10);
	check_scalar_recurrence(ENGINE_ACT_TANH, 20.0, 50, 1e-11);
	check_scalar_recurrence(ENGINE_ACT_SIGMOID, 1.0, 200, 1e-11);
	check_scalar_recurrence(ENGINE_ACT_SIGMOID, 4.0, 200, 1e-11);
	check_scalar_recurrence(ENGINE_ACT_SIGMOID, 0.25, 200, 1e-11);
}
END_TEST

START_TEST(test_identity_tanh_fixed_point)
{
	/*
	 * For lambda > 1, x = tanh(lambda x) has one positive root x*, and
	 * the iteration from 1 converges to it (tanh(lambda x) is concave,
	 * increasing, above the diagonal below x* and below it above). The
	 * gradient then shrinks by lambda sech^2(lambda x*) = lambda (1 -
	 * x*^2) per layer. Bisection finds x* independently.
	 */
	EngineConfig c = config(1.5, 400, 2, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r = compute(&c);
	long double lo = 0.1L, hi = 1, mid, factor, ratio;
	int i;

	for (i = 0; i < 200; i++) {
		mid = (lo + hi) / 2;
		if (tanhl(1.5L * mid) > mid)
			lo = mid;
		else
			hi = mid;
	}
	assert_close(r.activation_rms[400], lo, 1e-12, "activation", 400);
	factor = 1.5L * (1 - lo * lo);
	ck_assert_msg(factor < 1, "per-layer gradient factor %Lg", factor);
	/* Far from both ends, g[l-1] / g[l] is the fixed-point factor. */
	ratio = powl(10.0L,
	    (long double)xmag_log10(r.gradient_rms[100]) -
	        (long double)xmag_log10(r.gradient_rms[101]));
	ck_assert_msg(fabsl(ratio - factor) < 1e-9L,
	    "gradient ratio %.15Lg, want %.15Lg", ratio, factor);
}
END_TEST

START_TEST(test_identity_tanh_critical_decay)
{
	/*
	 * At lambda = 1, x[l] = tanh(x[l-1]) = x - x^3/3 + 2x^5/15 ..., so
	 * 1/x[l]^2 = 1/x[l-1]^2 + 2/3 + x[l-1]^2/15 + O(x^4). Summing,
	 * 1/x[L]^2 = 2L/3 + (1/10) ln L + O(1), and
	 * x[L] sqrt(2L/3) = 1 - (3/40) ln(L)/L + O(1/L).
	 * At L = 100000 that is 1 - 8.6e-6 + O(1e-5): within 1e-4 of 1, and
	 * below 1, and nearer 1 than at L = 1000.
	 */
	EngineConfig c = config(1.0, 100000, 1, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r = compute(&c);
	double far = xmag_to_double(r.activation_rms[100000]) *
	    sqrt(2.0 * 100000 / 3);
	double near = xmag_to_double(r.activation_rms[1000]) *
	    sqrt(2.0 * 1000 / 3);

	ck_assert_msg(fabs(far - 1) < 1e-4 && far < 1,
	    "x[L] sqrt(2L/3) at L=1e5: %.9f", far);
	ck_assert_msg(fabs(near - 1) > fabs(far - 1),
	    "no convergence: %.9f at 1e3, %.9f at 1e5", near, far);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Float precisions: where IEEE arithmetic overflows and underflows       */
/* ---------------------------------------------------------------------- */

/* max |g[L]_i| / rms(g[L]) of the engine's upstream of seed 1: 1 for
 * ones, from the engine's own stream for random. */
static long double upstream_max(int up, int n)
{
	float u[64];
	long double ss = 0, mx = 0;
	int i;

	if (up == ENGINE_UPSTREAM_ONES)
		return 1;
	rng_normals(1, RNG_STREAM_UPSTREAM, 0, n, u);
	for (i = 0; i < n; i++) {
		ss += (long double)u[i] * u[i];
		mx = fabsl(u[i]) > mx ? fabsl(u[i]) : mx;
	}
	return mx / sqrtl(ss / n);
}

/* The first layer whose activation is inf (or 0), or -1. */
static int first_layer(const XMag *v, int depth, int (*pred)(XMag))
{
	int l;

	for (l = 0; l <= depth; l++)
		if (pred(v[l]))
			return l;
	return -1;
}

START_TEST(test_float_overflow_layers)
{
	/*
	 * Identity, linear, lambda = 1.5 from ones: a[l] is 1.5^l rounded
	 * layer by layer. Overflow comes at the first l with 1.5^l above the
	 * format's largest finite value; the checks below make sure that
	 * rounding cannot move it (1.5^l is clear of the limit by far more
	 * than the accumulated rounding, l * 2^-24 at most).
	 */
	struct {
		EnginePrecision p;
		long double max;
		double eps;
	} fmt[] = {
	    {ENGINE_PRECISION_FLOAT32, FLT_MAX, FLT_EPSILON},
	    {ENGINE_PRECISION_FLOAT64, DBL_MAX, DBL_EPSILON},
	};
	size_t k;
	int want, want_g, got, L, up;
	long double umax;

	for (k = 0; k < 2 * 2; k++) {
		up = (int)(k / 2);
		umax = upstream_max(up, 2);
		want = (int)floorl(logl(fmt[k % 2].max) / logl(1.5L)) + 1;
		/* The gradient's largest entry, umax 1.5^(L-l), overflows
		 * first: at L - l = want_g. */
		want_g = (int)floorl(logl(fmt[k % 2].max / umax) / logl(1.5L)) +
		    1;
		ck_assert(umax * powl(1.5L, want_g - 1) <
		    fmt[k % 2].max * (1 - want_g * fmt[k % 2].eps));
		ck_assert(umax * powl(1.5L, want_g) >
		    fmt[k % 2].max * (1 + want_g * fmt[k % 2].eps));
		ck_assert(powl(1.5L, want - 1) <
		    fmt[k % 2].max * (1 - want * fmt[k % 2].eps));
		ck_assert(powl(1.5L, want) >
		    fmt[k % 2].max * (1 + want * fmt[k % 2].eps));
		L = want + 10;
		EngineConfig c = config(1.5, L, 2, ENGINE_INIT_IDENTITY,
		    ENGINE_ACT_LINEAR, fmt[k % 2].p);
		c.upstream = (EngineUpstream)up;
		EngineResult r = compute(&c);
		got = first_layer(r.activation_rms, L, xmag_is_inf);
		ck_assert_msg(got == want, "%s: first inf at %d, want %d",
		    engine_precision_name(fmt[k % 2].p), got, want);
		/* Below it the values are the powers themselves. */
		assert_close(r.activation_rms[want - 1], powl(1.5L, want - 1),
		    1e3 * fmt[k % 2].eps, "activation", want - 1);
		/* The gradient 1.5^(L-l) g[L] overflows from l = L - want_g
		 * down (want_g = want for ones); the weight gradient is inf
		 * wherever a[l-1] is. */
		ck_assert(up != ENGINE_UPSTREAM_ONES || want_g == want);
		ck_assert(xmag_is_inf(r.gradient_rms[L - want_g]));
		ck_assert(xmag_is_finite(r.gradient_rms[L - want_g + 1]));
		ck_assert(xmag_is_inf(r.weight_gradient_rms[want + 1]));
		/* In exact precision nothing overflows. */
		c.precision = ENGINE_PRECISION_EXACT;
		r = compute(&c);
		ck_assert_int_eq(first_layer(r.activation_rms, L, xmag_is_inf),
		    -1);
		assert_close(r.activation_rms[L], powl(1.5L, L), 1e-12,
		    "exact activation", L);
	}
}
END_TEST

START_TEST(test_float_underflow_layers)
{
	/*
	 * lambda = 0.5: a[l] = 2^-l exactly in binary, down through the
	 * subnormals: float's smallest is 2^-149, double's 2^-1074. 2^-150
	 * and 2^-1075 lie halfway to 0 and round to even, which is 0.
	 */
	EngineConfig c = config(0.5, 1100, 2, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_FLOAT32);
	EngineResult r = compute(&c);

	ck_assert_int_eq(first_layer(r.activation_rms, 1100, xmag_is_zero),
	    150);
	ck_assert(xmag_to_double(r.activation_rms[149]) == 0x1p-149);
	c.precision = ENGINE_PRECISION_FLOAT64;
	r = compute(&c);
	ck_assert_int_eq(first_layer(r.activation_rms, 1100, xmag_is_zero),
	    1075);
	ck_assert(xmag_to_double(r.activation_rms[1074]) == 0x1p-1074);
	c.precision = ENGINE_PRECISION_EXACT;
	r = compute(&c);
	ck_assert_int_eq(first_layer(r.activation_rms, 1100, xmag_is_zero), -1);
}
END_TEST

START_TEST(test_float_agrees_with_exact_in_range)
{
	/* Same draws, different arithmetic: where nothing overflows, float64
	 * matches exact to rounding, float32 to single precision. */
	static const EngineInit inits[] = {ENGINE_INIT_GAUSSIAN,
	    ENGINE_INIT_ORTHOGONAL};
	static const EngineAct acts[] = {ENGINE_ACT_LINEAR, ENGINE_ACT_TANH,
	    ENGINE_ACT_RELU, ENGINE_ACT_SIGMOID};
	EngineResult r;
	XMag *ex;
	size_t i, j;
	int l;

	ex = malloc(3 * 41 * sizeof *ex);
	ck_assert_ptr_nonnull(ex);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++) {
			EngineConfig c = config(1.1, 40, 32, inits[i], acts[j],
			    ENGINE_PRECISION_EXACT);
			r = compute(&c);
			for (l = 0; l <= 40; l++) {
				ex[l] = r.activation_rms[l];
				ex[41 + l] = r.gradient_rms[l];
				ex[82 + l] = r.weight_gradient_rms[l];
			}
			c.precision = ENGINE_PRECISION_FLOAT64;
			r = compute(&c);
			for (l = 1; l <= 40; l++) {
				assert_log10(r.activation_rms[l],
				    xmag_log10(ex[l]), 1e-11, "float64 act", l);
				assert_log10(r.gradient_rms[l - 1],
				    xmag_log10(ex[41 + l - 1]), 1e-11,
				    "float64 grad", l - 1);
				assert_log10(r.weight_gradient_rms[l],
				    xmag_log10(ex[82 + l]), 1e-11,
				    "float64 wgrad", l);
			}
			c.precision = ENGINE_PRECISION_FLOAT32;
			r = compute(&c);
			for (l = 1; l <= 40; l++)
				assert_log10(r.activation_rms[l],
				    xmag_log10(ex[l]), 1e-4, "float32 act", l);
		}
	free(ex);
}
END_TEST

/*
 * The blocks' two arithmetics agree where nothing overflows: exact
 * (engine_block.c's scale and direction, the projections by |y|^2)
 * and float64 (values as a float network holds them, the norms'
 * statistics in double), for every block, init and activation, with
 * biases and input random (a layer norm of input ones is 0 in both).
 * float32 keeps the activations to single precision. A float norm's
 * Jacobian subtracts y's whole share, (1 - eps/sigma^2) of it, and so
 * loses an ulp times sigma^2 / eps a layer (2e-11 at sigma ~ 1) that
 * the exact path keeps: the gradients' tolerance with a norm is 40
 * layers of 8 of those. Identity weights in a residual block are left
 * out: there z = lambda a[l-1] grows with the residual sum and saturates
 * tanh and sigmoid unit by unit, where float64's phi' = 1 - t^2 loses
 * an ulp over phi' (3.6e-10 at layer 34) as any float network does.
 * Fails if either path drops a term the other has (the residual g[l],
 * the Jacobian's mean or y part, alpha).
 */
START_TEST(test_blocks_float_agrees_with_exact)
{
	static const EngineInit inits[] = {ENGINE_INIT_IDENTITY,
	    ENGINE_INIT_GAUSSIAN, ENGINE_INIT_ORTHOGONAL};
	EngineResult r;
	XMag *ex;
	double tol;
	char what[96];
	int i, j, k, l;

	ex = malloc(3 * 41 * sizeof *ex);
	ck_assert_ptr_nonnull(ex);
	for (k = 1; k < ENGINE_ARCH_COUNT * ENGINE_NORM_COUNT; k++)
		for (i = 0; i < 3; i++)
			for (j = 0; j < ENGINE_ACT_COUNT; j++) {
				EngineConfig c = config(1.1, 40, 32, inits[i],
				    (EngineAct)j, ENGINE_PRECISION_EXACT);

				c.arch = (EngineArch)(k / ENGINE_NORM_COUNT);
				c.norm = (EngineNorm)(k % ENGINE_NORM_COUNT);
				if (c.arch == ENGINE_ARCH_RESIDUAL &&
				    c.init == ENGINE_INIT_IDENTITY)
					continue;
				c.branch_scale = 0.5;
				c.bias_std = 0.2;
				c.input = ENGINE_INPUT_RANDOM;
				r = compute(&c);
				for (l = 0; l <= 40; l++) {
					ex[l] = r.activation_rms[l];
					ex[41 + l] = r.gradient_rms[l];
					ex[82 + l] = r.weight_gradient_rms[l];
				}
				c.precision = ENGINE_PRECISION_FLOAT64;
				r = compute(&c);
				snprintf(what, sizeof what,
				    "float64 %s %s %s norm %s",
				    engine_init_name(c.init),
				    engine_act_name(c.act),
				    engine_arch_name(c.arch),
				    engine_norm_name(c.norm));
				tol = c.norm == ENGINE_NORM_NONE ?
				    1e-10 :
				    40 * 8 * DBL_EPSILON / ENGINE_NORM_EPS;
				for (l = 1; l <= 40; l++) {
					assert_log10(r.activation_rms[l],
					    xmag_log10(ex[l]), 1e-10, what, l);
					assert_log10(r.gradient_rms[l - 1],
					    xmag_log10(ex[41 + l - 1]), tol,
					    what, l - 1);
					assert_log10(r.weight_gradient_rms[l],
					    xmag_log10(ex[82 + l]), tol, what,
					    l);
				}
				c.precision = ENGINE_PRECISION_FLOAT32;
				r = compute(&c);
				for (l = 1; l <= 40; l++)
					assert_log10(r.activation_rms[l],
					    xmag_log10(ex[l]), 1e-4,
					    "float32 act", l);
			}
	free(ex);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Zeros, extremes, determinism                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_lambda_zero)
{
	/* W = 0: every activation past the input is phi(0), every gradient
	 * below the top is W^T e = 0; nothing is nan. */
	static const EngineInit inits[] = {ENGINE_INIT_IDENTITY,
	    ENGINE_INIT_GAUSSIAN, ENGINE_INIT_ORTHOGONAL};
	EngineResult r;
	size_t i;
	int a, l, p;

	for (i = 0; i < 3; i++)
		for (a = 0; a < ENGINE_ACT_COUNT; a++)
			for (p = 0; p < ENGINE_PRECISION_COUNT; p++) {
				EngineConfig c = config(0, 5, 4, inits[i],
				    (EngineAct)a, (EnginePrecision)p);
				r = compute(&c);
				for (l = 1; l <= 5; l++) {
					/* phi(0): 0, or 1/2 for sigmoid */
					ck_assert(xmag_to_double(
					              r.activation_rms[l]) ==
					    fabs(act_phi((EngineAct)a, 0,
					        NULL)));
					ck_assert(xmag_is_zero(r.gradient_rms
					                           [l - 1]));
				}
				ck_assert(xmag_to_double(r.gradient_rms[5]) ==
				    1);
			}
}
END_TEST

START_TEST(test_relu_exact_zero)
{
	/*
	 * Width 1, gaussian, ReLU: each layer passes its input with
	 * probability 1/2, so some seed below 64 kills the signal at some
	 * layer k (all 63 seeds surviving 20 layers has chance 2^-1260).
	 * From there on activations are exactly 0. Above k, z = W 0 = 0 and relu'(0) = 0; at k, z <= 0: so every
	 * e[l] is 0 and every gradient below the top is exactly 0.
	 */
	EngineConfig c = config(1.0, 20, 1, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT);
	EngineResult r;
	int k = -1, l;

	for (c.seed = 1; c.seed < 64 && k < 0; c.seed++) {
		r = compute(&c);
		k = first_layer(r.activation_rms, 20, xmag_is_zero);
	}
	ck_assert_msg(k >= 1, "no seed killed the signal");
	for (l = 0; l <= 20; l++) {
		ck_assert(xmag_is_zero(r.activation_rms[l]) == (l >= k));
		ck_assert(xmag_is_zero(r.gradient_rms[l]) == (l < 20));
		ck_assert(l == 0 || xmag_is_zero(r.weight_gradient_rms[l]));
	}
}
END_TEST

START_TEST(test_exact_never_inf_or_nan)
{
	/* Every init and activation at the ends of the lambda range. */
	static const double lambdas[] = {0.0, 1e-3, 100.0};
	EngineResult r;
	size_t k;
	int i, a, l;

	for (k = 0; k < 3; k++)
		for (i = 0; i < ENGINE_INIT_COUNT; i++)
			for (a = 0; a < ENGINE_ACT_COUNT; a++) {
				EngineConfig c = config(lambdas[k], 2000, 8,
				    (EngineInit)i, (EngineAct)a,
				    ENGINE_PRECISION_EXACT);
				r = compute(&c);
				for (l = 0; l <= 2000; l++) {
					ck_assert(xmag_is_finite(
					    r.activation_rms[l]));
					ck_assert(xmag_is_finite(r.gradient_rms
					                             [l]));
					ck_assert(l == 0 ||
					    xmag_is_finite(r.weight_gradient_rms
					                       [l]));
				}
			}
}
END_TEST

START_TEST(test_exact_biases_never_inf_or_nan)
{
	/*
	 * The same extremes with biases, the largest and a tiny std: a + b
	 * where |a| is 1e-300000 or 1e+300000 in the scaled representation.
	 * z = s_z v + b never overflows (the larger term sets the scale) and
	 * is 0 only where both are: with b != 0 almost surely, linear, tanh
	 * and sigmoid networks have no zero activation, nor a zero gradient
	 * unless lambda is 0 (W = 0: g[l-1] = 0 truly).
	 */
	static const double lambdas[] = {0.0, 1e-3, 100.0};
	static const double stds[] = {10.0, 1e-300};
	EngineResult r;
	size_t k, s;
	int i, a, l, nonzero;

	for (k = 0; k < 3; k++)
		for (s = 0; s < 2; s++)
			for (i = 0; i < ENGINE_INIT_COUNT; i++)
				for (a = 0; a < ENGINE_ACT_COUNT; a++) {
					EngineConfig c = config(lambdas[k],
					    2000, 8, (EngineInit)i,
					    (EngineAct)a,
					    ENGINE_PRECISION_EXACT);
					c.bias_std = stds[s];
					r = compute(&c);
					nonzero = a != ENGINE_ACT_RELU;
					for (l = 0; l <= 2000; l++) {
						ck_assert(xmag_is_finite(
						    r.activation_rms[l]));
						ck_assert(xmag_is_finite(
						    r.gradient_rms[l]));
						ck_assert(l == 0 ||
						    xmag_is_finite(
						        r.weight_gradient_rms
						            [l]));
						ck_assert_msg(!nonzero ||
						        (!xmag_is_zero(
						             r.activation_rms
						                 [l]) &&
						            (lambdas[k] == 0 ||
						                !xmag_is_zero(
						                    r.gradient_rms
						                        [l]))),
						    "%s %s lambda %g std %g: "
						    "a zero at layer %d",
						    engine_init_name(c.init),
						    engine_act_name(c.act),
						    c.lambda, c.bias_std, l);
					}
				}
}
END_TEST

/*
 * Identity ReLU, lambda 100, a bias std of 1e-300, width 2, a random
 * input with one negative entry: that unit dies at layer 1 and from then
 * on its z is the bias alone, 1e-300 next to the live unit's 100^l: by
 * layer 4 more than the 1e308 a double spans between them. Its phi'
 * (the sign of the bias) still decides whether the gradient passes, so
 * gradient_rms must follow a long double oracle of the same network
 * (long double spans 1e4932). Past layer 14 S / 100^14 is below the
 * smallest double: the sign survives only because the engine keeps it.
 */
START_TEST(test_exact_bias_signs_far_below)
{
	const int n = 2, L = 30;
	const double S = 1e-300;
	long double a[2], g[2], d[31][2], z, ss, gs;
	float x[2], b[2];
	EngineConfig c = config(100.0, L, n, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT);
	EngineResult r;
	uint64_t seed;
	int l, i, dead = 0, revived = 0;

	/* A seed whose dead unit stays dead (negative biases) through
	 * layer 14, where S / 100^14 is below the smallest double, and then
	 * revives: about one seed in 2^14. */
	for (seed = 1; seed < 1000000; seed++) {
		rng_normals(seed, RNG_STREAM_INPUT, 0, n, x);
		if ((x[0] < 0) == (x[1] < 0))
			continue;
		dead = x[0] < 0 ? 0 : 1;
		for (l = 2; l <= 14; l++) {
			rng_normals(seed, RNG_STREAM_BIAS, (uint32_t)l, n, b);
			if (b[dead] > 0)
				break;
		}
		if (l > 14)
			break;
	}
	ck_assert(seed < 1000000);
	c.input = ENGINE_INPUT_RANDOM;
	c.seed = seed;
	c.bias_std = S;
	c.upstream = ENGINE_UPSTREAM_ONES;
	r = compute(&c);
	for (i = 0; i < n; i++)
		a[i] = x[i];
	for (l = 1; l <= L; l++) {
		rng_normals(seed, RNG_STREAM_BIAS, (uint32_t)l, n, b);
		ss = 0;
		for (i = 0; i < n; i++) {
			z = 100.0L * a[i] + (long double)S * b[i];
			d[l][i] = z > 0 ? 1 : 0;
			revived |= l > 14 && i == dead && z > 0;
			a[i] = z > 0 ? z : 0;
			ss += a[i] * a[i];
		}
		assert_close(r.activation_rms[l], sqrtl(ss / n), 1e-12,
		    "activation", l);
	}
	ck_assert_msg(revived, "seed %d: the dead unit never revives",
	    (int)seed);
	for (i = 0; i < n; i++)
		g[i] = 1;
	for (l = L; l >= 1; l--) {
		gs = 0;
		for (i = 0; i < n; i++) {
			g[i] *= 100.0L * d[l][i];
			gs += g[i] * g[i];
		}
		assert_close(r.gradient_rms[l - 1], sqrtl(gs / n), 1e-12,
		    "gradient", l - 1);
	}
}
END_TEST

/*
 * Float precisions add the bias as a float network does: b rounded to
 * the format, then z = fl(fl(lambda a) + b). Identity ReLU in float32
 * against that network written out here, every layer, both passes.
 */
START_TEST(test_float_biases_as_hardware)
{
	const int n = 8, L = 40;
	const float lam = 1.3f;
	const double S = 0.3; /* not a power of 2: S b needs rounding */
	float a[8], d[41][8], b[8], g[8], z, bf;
	double ss;
	EngineConfig c = config(1.3, L, n, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_RELU, ENGINE_PRECISION_FLOAT32);
	EngineResult r;
	int l, i;

	c.bias_std = S;
	c.upstream = ENGINE_UPSTREAM_ONES;
	r = compute(&c);
	for (i = 0; i < n; i++)
		a[i] = 1;
	for (l = 1; l <= L; l++) {
		rng_normals(c.seed, RNG_STREAM_BIAS, (uint32_t)l, n, b);
		ss = 0;
		for (i = 0; i < n; i++) {
			bf = (float)(S * b[i]);
			z = (float)((float)(lam * a[i]) + bf);
			d[l][i] = z > 0 ? 1.0f : 0.0f;
			a[i] = z > 0 ? z : 0;
			ss += (double)a[i] * a[i];
		}
		/* Equal entries: the rms agrees to its own summation
		 * order (1e-14), far inside one float rounding (6e-8). */
		ck_assert_msg(fabs(xmag_to_double(r.activation_rms[l]) /
		                      sqrt(ss / n) -
		                  1) < 1e-14,
		    "layer %d: activation %.9g, float network %.9g", l,
		    xmag_to_double(r.activation_rms[l]), sqrt(ss / n));
	}
	for (i = 0; i < n; i++)
		g[i] = 1;
	for (l = L; l >= 1; l--) {
		ss = 0;
		for (i = 0; i < n; i++) {
			g[i] = lam * (float)(d[l][i] * g[i]);
			ss += (double)g[i] * g[i];
		}
		ck_assert_msg(fabs(xmag_to_double(r.gradient_rms[l - 1]) /
		                      sqrt(ss / n) -
		                  1) < 1e-14,
		    "layer %d: gradient %.9g, float network %.9g", l - 1,
		    xmag_to_double(r.gradient_rms[l - 1]), sqrt(ss / n));
	}
}
END_TEST

/* The bias cache changes no number: an engine that held another seed's
 * and another width's biases gives a fresh engine's bits, also past the
 * cache's layers (width 4096: 1024 layers cached, the rest drawn). */
START_TEST(test_bias_cache_changes_nothing)
{
	static const int widths[] = {64, 128, 4096};
	Engine *fresh;
	EngineConfig c = config(1.2, 1100, 64, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r, f;
	char err[256];
	size_t k;
	int l;

	c.bias_std = 0.3;
	for (k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		c.seed = 2;
		c.width = 32;
		compute(&c);
		c.seed = 1;
		c.width = widths[k];
		c.depth = widths[k] == 4096 ? 1100 : 300;
		r = compute(&c);
		fresh = engine_new();
		ck_assert_ptr_nonnull(fresh);
		ck_assert_int_eq(engine_compute(fresh, &c, &f, err, sizeof err),
		    0);
		for (l = 0; l <= c.depth; l++) {
			ck_assert_mem_eq(&r.activation_rms[l],
			    &f.activation_rms[l], sizeof(XMag));
			ck_assert_mem_eq(&r.gradient_rms[l], &f.gradient_rms[l],
			    sizeof(XMag));
		}
		engine_free(fresh);
	}
}
END_TEST

START_TEST(test_tanh_saturated_gradient_not_zero)
{
	/*
	 * lambda = 100, identity tanh: x[l] = tanh(100 x[l-1]) -> 1 and each
	 * layer multiplies the gradient by 100 sech^2(100 x) ~ 400 e^-200,
	 * about 10^-84: after 100 layers about 10^-8400, far below any
	 * float, yet not zero.
	 */
	EngineConfig c = config(100.0, 100, 2, ENGINE_INIT_IDENTITY,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r = compute(&c);
	long double per = log10l(100.0L) +
	    2 * log10l(1 / coshl(100.0L * tanhl(100.0L)));

	ck_assert(!xmag_is_zero(r.gradient_rms[0]));
	assert_log10(r.gradient_rms[0], 100 * per, 1e-9, "gradient", 0);
}
END_TEST

START_TEST(test_same_seed_same_numbers)
{
	EngineConfig c = config(1.05, 120, 24, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	Engine *other = engine_new();
	EngineResult r1, r2;
	char err[128];
	int l, differ = 0;

	ck_assert_ptr_nonnull(other);
	c.seed = 12345;
	r1 = compute(&c);
	/* A fresh engine, after a different shape on the first one. */
	ck_assert_int_eq(engine_compute(other, &c, &r2, err, sizeof err), 0);
	for (l = 0; l <= 120; l++) {
		ck_assert(memcmp(&r1.activation_rms[l], &r2.activation_rms[l],
		              sizeof(XMag)) == 0);
		ck_assert(memcmp(&r1.gradient_rms[l], &r2.gradient_rms[l],
		              sizeof(XMag)) == 0);
	}
	/* Another seed: other numbers. */
	c.seed = 12346;
	ck_assert_int_eq(engine_compute(other, &c, &r2, err, sizeof err), 0);
	for (l = 1; l <= 120; l++)
		differ += xmag_cmp(r1.activation_rms[l],
		              r2.activation_rms[l]) != 0;
	ck_assert_int_ge(differ, 100);
	engine_free(other);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Residual blocks and norms                                              */
/* ---------------------------------------------------------------------- */

/*
 * Identity weights, linear, residual, no norm, no bias: a[l] = a[l-1] +
 * alpha lambda a[l-1] = (1 + alpha lambda)^l a[0]; backward g[l-1] =
 * g[l] + alpha lambda g[l], so g[l] = (1 + alpha lambda)^(L-l) g[L];
 * dL/dW[l] = (alpha g[l]) a[l-1]^T has rms alpha (1 + alpha
 * lambda)^(L-l) (1 + alpha lambda)^(l-1). For alpha = 1/sqrt(L) the
 * test computes alpha itself.
 */
START_TEST(test_residual_identity_linear)
{
	static const double alphas[] = {0, 0.1, 1, 10, -1};
	static const double lambdas[] = {0.5, 1.5, 100};
	static const int depths[] = {152, 3000};
	int ai, li, di, w, up, l;

	for (ai = 0; ai < 5; ai++)
		for (li = 0; li < 3; li++)
			for (di = 0; di < 2; di++)
				for (w = 1; w <= 7; w += 3)
					for (up = 0; up < 2; up++) {
						EngineConfig
						    c = config(lambdas[li],
						        depths[di], w,
						        ENGINE_INIT_IDENTITY,
						        ENGINE_ACT_LINEAR,
						        ENGINE_PRECISION_EXACT);
						EngineResult r;
						long double al, f;
						int L = depths[di];

						c.arch = ENGINE_ARCH_RESIDUAL;
						c.branch_scale = alphas[ai] <
						        0 ?
						    ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH :
						    alphas[ai];
						c.upstream = (EngineUpstream)up;
						al = alphas[ai] < 0 ?
						    1 / sqrtl((long double)L) :
						    (long double)alphas[ai];
						f = log10l(1 +
						    al * lambdas[li]);
						r = compute(&c);
						for (l = 0; l <= L; l++) {
							assert_log10(
							    r.activation_rms[l],
							    f * l, 1e-10,
							    "activation", l);
							assert_log10(
							    r.gradient_rms[l],
							    f * (L - l), 1e-10,
							    "gradient", l);
							if (l == 0)
								continue;
							if (al == 0)
								ck_assert(
								    xmag_is_zero(
								        r.weight_gradient_rms
								            [l]));
							else
								assert_log10(
								    r.weight_gradient_rms
								        [l],
								    log10l(al) +
								        f *
								            (L -
								                1),
								    1e-10,
								    "wgrad", l);
						}
					}
}
END_TEST

/* The mean and rms of the engine's random upstream u (RNG_STREAM_UPSTREAM,
 * layer 0), computed here from the draws. */
static void upstream_stats(uint64_t seed, int n, long double *mean,
    long double *rms)
{
	float u[64];
	long double s = 0, q = 0;
	int i;

	ck_assert_int_le(n, 64);
	rng_normals(seed, RNG_STREAM_UPSTREAM, 0, n, u);
	for (i = 0; i < n; i++) {
		s += u[i];
		q += (long double)u[i] * u[i];
	}
	*mean = s / n;
	*rms = sqrtl(q / n);
}

/*
 * Layer norm of a constant vector is exactly 0 (v - mean(v) = 0), and
 * the engine says so: identity weights with input ones give z[l] =
 * lambda a[l-1] ones, so a[l] = phi(0) ones for every l >= 1 (0 for
 * linear, tanh and ReLU, 1/2 for sigmoid). The Jacobian there is
 * (I - 1 1^T / n) / sqrt(eps) (var = 0, y = 0): the gradient loses its
 * mean and gains 1/sqrt(eps) a layer, so with the random upstream u,
 * g[l] = (lambda phi'(0) / sqrt(eps))^(L-l) sqrt(1 - (mean u / rms u)^2)
 * for l < L, and with ones(n) it is exactly 0 below L.
 */
START_TEST(test_layer_norm_constant_vector)
{
	static const int acts[] = {ENGINE_ACT_LINEAR, ENGINE_ACT_TANH,
	    ENGINE_ACT_RELU, ENGINE_ACT_SIGMOID};
	const int L = 200, n = 5;
	long double mean, rms, dphi0, f, keep;
	int k, up, l;

	for (k = 0; k < 4; k++)
		for (up = 0; up < 2; up++) {
			EngineConfig c = config(1.5, L, n, ENGINE_INIT_IDENTITY,
			    (EngineAct)acts[k], ENGINE_PRECISION_EXACT);
			EngineResult r;
			long double phi0 = acts[k] == ENGINE_ACT_SIGMOID ?
			    0.5L :
			    0;

			dphi0 = acts[k] == ENGINE_ACT_SIGMOID ? 0.25L :
			    acts[k] == ENGINE_ACT_RELU        ? 0 :
			                                        1;
			c.norm = ENGINE_NORM_LAYER;
			c.upstream = (EngineUpstream)up;
			r = compute(&c);
			for (l = 1; l <= L; l++) {
				if (phi0 == 0)
					ck_assert_msg(
					    xmag_is_zero(r.activation_rms[l]),
					    "%s: activation_rms[%d] not 0",
					    engine_act_name(c.act), l);
				else
					assert_close(r.activation_rms[l], phi0,
					    1e-15, "activation", l);
			}
			upstream_stats(c.seed, n, &mean, &rms);
			keep = up == ENGINE_UPSTREAM_RANDOM ?
			    sqrtl(1 - (mean / rms) * (mean / rms)) :
			    0;
			f = 1.5L * dphi0 / sqrtl(1e-5L);
			for (l = 0; l < L; l++) {
				if (keep == 0 || f == 0)
					ck_assert_msg(
					    xmag_is_zero(r.gradient_rms[l]),
					    "%s upstream %d: gradient_rms[%d] "
					    "not 0",
					    engine_act_name(c.act), up, l);
				else
					assert_log10(r.gradient_rms[l],
					    log10l(keep) + (L - l) * log10l(f),
					    1e-9, "gradient", l);
			}
		}
}
END_TEST

/*
 * RMS norm of a constant vector x ones is x / sqrt(x^2 + eps) ones:
 * identity linear with input ones gives the scalar recurrence x[l] =
 * lambda x / sqrt(lambda^2 x^2 + eps), i.e. u = 1 / x^2 obeys u[l] =
 * 1 + r u[l-1] with r = eps / lambda^2 and u[0] = 1, so u[l] = 1 + r +
 * ... + r^l. Backward with upstream ones: J^T ones = (1 - x[l]^2) ones /
 * sigma[l], sigma[l] = sqrt(lambda^2 x[l-1]^2 + eps), and 1 - x[l]^2 =
 * eps / sigma[l]^2, so t[l-1] = t[l] lambda eps / sigma[l]^3. lambda =
 * 0.001 (r = 10) takes x to 10^-1500 at depth 3000, where eps is
 * everything; lambda = 1 keeps it near 1.
 */
START_TEST(test_rms_norm_constant_vector)
{
	static const double lambdas[] = {0.001, 0.00316, 1, 40};
	const int L = 3000;
	long double eps = 1e-5L, r, lu, lt, lx_prev, ls;
	long double *lx = malloc((L + 1) * sizeof *lx);
	int li, l;

	ck_assert_ptr_nonnull(lx);
	for (li = 0; li < 4; li++) {
		EngineConfig c = config(lambdas[li], L, 3, ENGINE_INIT_IDENTITY,
		    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
		EngineResult res;
		long double lam = lambdas[li];

		c.norm = ENGINE_NORM_RMS;
		c.upstream = ENGINE_UPSTREAM_ONES;
		res = compute(&c);
		r = eps / (lam * lam);
		for (l = 0; l <= L; l++) {
			/* log10 of 1 + r + ... + r^l, without overflow. */
			if (r == 1)
				lu = log10l(l + 1.0L);
			else if (r > 1)
				lu = (l + 1) * log10l(r) +
				    log10l(1 - powl(r, -(l + 1))) -
				    log10l(r - 1);
			else
				lu = log10l((1 - powl(r, l + 1)) / (1 - r));
			lx[l] = -lu / 2;
			assert_log10(res.activation_rms[l], lx[l], 1e-9,
			    "activation", l);
		}
		lt = 0;
		for (l = L; l >= 1; l--) {
			/* sigma = sqrt(lambda^2 x^2 + eps), in logs. */
			lx_prev = 2 * (log10l(lam) + lx[l - 1]);
			ls = (lx_prev > log10l(eps) ? lx_prev +
			                 log10l(1 + eps / powl(10, lx_prev)) :
			                              log10l(eps) +
			                 log10l(1 + powl(10, lx_prev) / eps)) /
			    2;
			lt += log10l(lam) + log10l(eps) - 3 * ls;
			/* The gradient is parallel to y here, and the norm
			 * keeps eps / sigma^2 of it (1e-5 at lambda 1,
			 * 6e-9 at 40): the projection's rounding, a few
			 * ulps of e, is 8 ulp sigma^2 / eps of what is
			 * left, a layer. lambda 40 gets the activations
			 * only. */
			if (lam > 1)
				continue;
			assert_log10(res.gradient_rms[l - 1], lt,
			    L * 8 * DBL_EPSILON / 1e-5, "gradient", l - 1);
		}
	}
	free(lx);
}
END_TEST

/*
 * A residual branch 600 decades below its skip path (lambda = alpha =
 * 1e-300, gaussian, linear): the sum is the skip path to double
 * precision, and the branch's weight gradient keeps its own scale,
 * alpha rms(g) rms(a) = 1e-300 rms(a[0]), never 0.
 */
START_TEST(test_residual_branch_far_below)
{
	EngineConfig c = config(1e-300, 500, 16, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r;
	long double l0;
	int l;

	c.arch = ENGINE_ARCH_RESIDUAL;
	c.branch_scale = 1e-300;
	c.input = ENGINE_INPUT_RANDOM;
	r = compute(&c);
	l0 = xmag_log10(r.activation_rms[0]);
	for (l = 0; l <= c.depth; l++) {
		assert_log10(r.activation_rms[l], l0, 1e-14, "activation", l);
		assert_log10(r.gradient_rms[l], 0, 1e-14, "gradient", l);
		if (l > 0)
			assert_log10(r.weight_gradient_rms[l], -300 + l0, 1e-12,
			    "wgrad", l);
	}
}
END_TEST

/* Segments and the draw cache change no number of a normalized
 * residual network either (the norm's output is kept per segment). */
START_TEST(test_blocks_segments_change_nothing)
{
	EngineConfig c = config(1.2, 60, 16, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r;
	XMag ref[3][61];
	int l, k, prec;

	for (prec = 0; prec < 2; prec++)
		for (k = 1; k < ENGINE_ARCH_COUNT * ENGINE_NORM_COUNT; k++) {
			c.precision = prec ? ENGINE_PRECISION_FLOAT32 :
			                     ENGINE_PRECISION_EXACT;
			c.arch = (EngineArch)(k / ENGINE_NORM_COUNT);
			c.norm = (EngineNorm)(k % ENGINE_NORM_COUNT);
			c.bias_std = 0.2;
			engine_free(eng);
			eng = engine_new();
			r = compute(&c);
			for (l = 0; l <= 60; l++) {
				ref[0][l] = r.activation_rms[l];
				ref[1][l] = r.gradient_rms[l];
				ref[2][l] = r.weight_gradient_rms[l];
			}
			engine_free(eng);
			eng = engine_new();
			engine_set_state_budget(eng,
			    3 * 3 * 16 * sizeof(double));
			r = compute(&c);
			for (l = 0; l <= 60; l++) {
				ck_assert(memcmp(&ref[0][l],
				              &r.activation_rms[l],
				              sizeof(XMag)) == 0);
				ck_assert(memcmp(&ref[1][l], &r.gradient_rms[l],
				              sizeof(XMag)) == 0);
				ck_assert(l == 0 ||
				    memcmp(&ref[2][l],
				        &r.weight_gradient_rms[l],
				        sizeof(XMag)) == 0);
			}
		}
}
END_TEST

START_TEST(test_cache_and_segments_change_nothing)
{
	/*
	 * The draw cache grows and shrinks with the depth and the backward
	 * pass recomputes segments when the state budget is small: neither
	 * may change a number. Reference: a fresh engine at the default
	 * budget; then a deeper compute first, and a tiny budget (segments
	 * of 3 layers).
	 */
	EngineConfig c = config(1.0, 50, 16, ENGINE_INIT_ORTHOGONAL,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r;
	XMag ref[3][51];
	int l, pass;

	r = compute(&c);
	for (l = 0; l <= 50; l++) {
		ref[0][l] = r.activation_rms[l];
		ref[1][l] = r.gradient_rms[l];
		ref[2][l] = r.weight_gradient_rms[l];
	}
	for (pass = 0; pass < 2; pass++) {
		engine_free(eng);
		eng = engine_new();
		if (pass == 0) {
			c.depth = 200;
			compute(&c);
			c.depth = 50;
		} else {
			engine_set_state_budget(eng,
			    3 * 2 * 16 * sizeof(double));
		}
		r = compute(&c);
		for (l = 0; l <= 50; l++) {
			ck_assert_msg(memcmp(&ref[0][l], &r.activation_rms[l],
			                  sizeof(XMag)) == 0,
			    "pass %d act %d", pass, l);
			ck_assert_msg(memcmp(&ref[1][l], &r.gradient_rms[l],
			                  sizeof(XMag)) == 0,
			    "pass %d grad %d", pass, l);
			ck_assert(l == 0 ||
			    memcmp(&ref[2][l], &r.weight_gradient_rms[l],
			        sizeof(XMag)) == 0);
		}
	}
}
END_TEST

START_TEST(test_lambda_moves_smoothly)
{
	/* Draws are fixed per (seed, layer): a tiny change of lambda makes a
	 * tiny change of every number, not a new random network. For linear
	 * gaussian the whole chain scales as lambda^l exactly. */
	EngineConfig c = config(1.0, 100, 64, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT);
	EngineResult r;
	double base[101];
	int l;

	r = compute(&c);
	for (l = 0; l <= 100; l++)
		base[l] = xmag_log10(r.activation_rms[l]);
	c.lambda = 1.001;
	r = compute(&c);
	for (l = 0; l <= 100; l++)
		assert_log10(r.activation_rms[l], base[l] + l * log10l(1.001L),
		    1e-12, "activation", l);
}
END_TEST

START_TEST(test_invalid_config)
{
	static const struct {
		double lambda;
		int depth, width;
		const char *word;
	} bad[] = {
	    {-0.1, 10, 2, "lambda"},
	    {100.5, 10, 2, "lambda"},
	    {NAN, 10, 2, "lambda"},
	    {INFINITY, 10, 2, "lambda"},
	    {1, 0, 2, "depth"},
	    {1, 100001, 2, "depth"},
	    {1, 10, 0, "width"},
	    {1, 10, 4097, "width"},
	};
	EngineResult r;
	char err[256];
	size_t k;

	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		EngineConfig c = config(bad[k].lambda, bad[k].depth,
		    bad[k].width, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
		    ENGINE_PRECISION_EXACT);
		err[0] = 0;
		ck_assert_int_eq(engine_compute(eng, &c, &r, err, sizeof err),
		    -1);
		ck_assert_msg(strstr(err, bad[k].word) != NULL,
		    "row %zu: message '%s' does not name %s", k, err,
		    bad[k].word);
	}
}
END_TEST

START_TEST(test_regime)
{
	/* g0 = lambda^L for identity linear: 1.5^150 > 10, 0.5^150 < 0.1,
	 * 1.01^150 = 4.45 between; float32 overflows g0 to inf at L = 300
	 * (1.5^300 > FLT_MAX). */
	static const struct {
		double lambda;
		int depth;
		EnginePrecision p;
		EngineRegime want;
	} rows[] = {
	    {1.5, 150, ENGINE_PRECISION_EXACT, ENGINE_REGIME_EXPLODING},
	    {0.5, 150, ENGINE_PRECISION_EXACT, ENGINE_REGIME_VANISHING},
	    {1.01, 150, ENGINE_PRECISION_EXACT, ENGINE_REGIME_CRITICAL},
	    {1.5, 300, ENGINE_PRECISION_FLOAT32, ENGINE_REGIME_EXPLODING},
	    {0.5, 300, ENGINE_PRECISION_FLOAT32, ENGINE_REGIME_VANISHING},
	};
	size_t k;

	for (k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		EngineConfig c = config(rows[k].lambda, rows[k].depth, 2,
		    ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR, rows[k].p);
		EngineResult r = compute(&c);

		ck_assert_msg(engine_regime(&r) == rows[k].want, "row %zu", k);
	}
	ck_assert_str_eq(engine_regime_name(ENGINE_REGIME_CRITICAL),
	    "near-critical");
	ck_assert_str_eq(engine_regime_name(ENGINE_REGIME_NAN), "nan");
}
END_TEST

START_TEST(test_mode_names_round_trip)
{
	EngineInit i;
	EngineAct a;
	EnginePrecision p;
	EngineInput in;
	int k;

	for (k = 0; k < ENGINE_INIT_COUNT; k++) {
		ck_assert_int_eq(engine_init_parse(engine_init_name((EngineInit)
		                                           k),
		                     &i),
		    0);
		ck_assert_int_eq(i, k);
		ck_assert_ptr_nonnull(strstr(engine_init_names(),
		    engine_init_name((EngineInit)k)));
	}
	for (k = 0; k < ENGINE_ACT_COUNT; k++) {
		ck_assert_int_eq(engine_act_parse(engine_act_name((EngineAct)k),
		                     &a),
		    0);
		ck_assert_int_eq(a, k);
	}
	for (k = 0; k < ENGINE_PRECISION_COUNT; k++) {
		ck_assert_int_eq(engine_precision_parse(
		                     engine_precision_name((EnginePrecision)k),
		                     &p),
		    0);
		ck_assert_int_eq(p, k);
	}
	for (k = 0; k < ENGINE_INPUT_COUNT; k++) {
		ck_assert_int_eq(
		    engine_input_parse(engine_input_name((EngineInput)k), &in),
		    0);
		ck_assert_int_eq(in, k);
	}
	ck_assert_int_eq(engine_init_parse("Gaussian", &i), -1);
	ck_assert_int_eq(engine_act_parse("", &a), -1);
	ck_assert_int_eq(engine_precision_parse(NULL, &p), -1);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Interrupting a compute                                                 */
/* ---------------------------------------------------------------------- */

/* Counts its calls; asks to stop at call stop_at (never when 0). Also
 * the longest stretch of this thread's CPU time between two calls (or
 * from the start), which preemption on a busy machine does not inflate. */
typedef struct {
	int calls, stop_at;
	double last_ms, max_gap_ms;
} PollLog;

static double thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void poll_log_start(PollLog *pl, int stop_at)
{
	memset(pl, 0, sizeof *pl);
	pl->stop_at = stop_at;
	pl->last_ms = thread_cpu_ms();
}

static int poll_log(void *ctx)
{
	PollLog *pl = ctx;
	double t = thread_cpu_ms();

	if (t - pl->last_ms > pl->max_gap_ms)
		pl->max_gap_ms = t - pl->last_ms;
	pl->last_ms = t;
	pl->calls++;
	return pl->stop_at > 0 && pl->calls >= pl->stop_at;
}

static int poll_always(void *ctx)
{
	(void)ctx;
	return 1;
}

static void assert_same_result(const EngineResult *a, const EngineResult *b,
    const char *what)
{
	int l;

	ck_assert_int_eq(a->depth, b->depth);
	for (l = 0; l <= a->depth; l++) {
		ck_assert_msg(memcmp(&a->activation_rms[l],
		                  &b->activation_rms[l], sizeof(XMag)) == 0,
		    "%s: act %d", what, l);
		ck_assert_msg(memcmp(&a->gradient_rms[l], &b->gradient_rms[l],
		                  sizeof(XMag)) == 0,
		    "%s: grad %d", what, l);
		ck_assert_msg(l == 0 ||
		        memcmp(&a->weight_gradient_rms[l],
		            &b->weight_gradient_rms[l], sizeof(XMag)) == 0,
		    "%s: wgrad %d", what, l);
	}
}

START_TEST(test_interrupt_then_reuse)
{
	/*
	 * Interrupted at every poll in turn (while the draw cache fills, in
	 * the forward pass, in the backward pass and its segment
	 * recomputes), the engine reports -2 and "interrupted", and the next
	 * compute, of the same or another configuration, is bit for bit a
	 * fresh engine's. Segments of 40 layers force the recomputes.
	 */
	static const struct {
		EngineInit init;
		EngineAct act;
		EnginePrecision p;
	} rows[] = {
	    {ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT},
	    {ENGINE_INIT_ORTHOGONAL, ENGINE_ACT_SIGMOID,
	        ENGINE_PRECISION_FLOAT64},
	};
	size_t budget = 40 * 2 * 512 * sizeof(double), k;
	Engine *ref = engine_new(), *other = engine_new();
	EngineResult r, want, want_b;
	PollLog pl;
	char err[128];
	int stop, total;

	ck_assert_ptr_nonnull(ref);
	ck_assert_ptr_nonnull(other);
	for (k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		EngineConfig c = config(1.2, 300, 512, rows[k].init,
		                 rows[k].act, rows[k].p),
		             b = c;

		b.seed = 99;
		b.width = 100;
		engine_set_state_budget(ref, budget);
		ck_assert_int_eq(engine_compute(other, &b, &want_b, err,
		                     sizeof err),
		    0);
		/* The polls of one uninterrupted compute on a fresh engine. */
		engine_free(eng);
		eng = engine_new();
		engine_set_state_budget(eng, budget);
		poll_log_start(&pl, 0);
		engine_set_poll(eng, poll_log, &pl);
		r = compute(&c);
		total = pl.calls;
		ck_assert_int_ge(total, 10);
		ck_assert_int_eq(engine_compute(ref, &c, &want, err,
		                     sizeof err),
		    0);
		assert_same_result(&r, &want, "with a poll");
		for (stop = 1; stop <= total; stop++) {
			engine_free(eng);
			eng = engine_new();
			engine_set_state_budget(eng, budget);
			poll_log_start(&pl, stop);
			engine_set_poll(eng, poll_log, &pl);
			err[0] = 0;
			ck_assert_int_eq(engine_compute(eng, &c, &r, err,
			                     sizeof err),
			    ENGINE_INTERRUPTED);
			ck_assert_str_eq(err, "interrupted");
			ck_assert_int_eq(pl.calls, stop);
			engine_set_poll(eng, NULL, NULL);
			/* Alternately the same configuration, and another seed
			 * and width first. */
			if (stop % 2) {
				r = compute(&b);
				assert_same_result(&r, &want_b, "other");
			}
			r = compute(&c);
			ck_assert_int_eq(engine_compute(ref, &c, &want, err,
			                     sizeof err),
			    0);
			assert_same_result(&r, &want, "after interrupt");
		}
	}
	engine_free(ref);
	engine_free(other);
}
END_TEST

START_TEST(test_poll_often_enough)
{
	/*
	 * Depth 1000 x width 1024: 2 x 1024000 activation and gradient
	 * entries, plus the draws. The engine polls at least every 2^16
	 * entries, so at least 31 times, and no stretch between polls takes
	 * 10 ms of CPU (the contract's millisecond, with room for slow
	 * sanitizer builds). Also with segment recomputes and in float64,
	 * whose libm calls make each entry slower.
	 */
	static const struct {
		EngineInit init;
		EnginePrecision p;
		size_t budget;
	} rows[] = {
	    {ENGINE_INIT_GAUSSIAN, ENGINE_PRECISION_EXACT, 32 << 20},
	    {ENGINE_INIT_ORTHOGONAL, ENGINE_PRECISION_EXACT, 2 << 20},
	    {ENGINE_INIT_GAUSSIAN, ENGINE_PRECISION_FLOAT64, 32 << 20},
	    {ENGINE_INIT_IDENTITY, ENGINE_PRECISION_EXACT, 32 << 20},
	};
	PollLog pl;
	size_t k;

	for (k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		EngineConfig c = config(1.0, 1000, 1024, rows[k].init,
		    ENGINE_ACT_TANH, rows[k].p);

		engine_free(eng);
		eng = engine_new();
		engine_set_state_budget(eng, rows[k].budget);
		poll_log_start(&pl, 0);
		engine_set_poll(eng, poll_log, &pl);
		compute(&c);
		ck_assert_msg(pl.calls >= 31, "row %zu: %d polls", k, pl.calls);
		ck_assert_msg(pl.max_gap_ms < 10,
		    "row %zu: %.3f ms between "
		    "polls",
		    k, pl.max_gap_ms);
	}
}
END_TEST

START_TEST(test_null_poll_never_interrupts)
{
	/* A poll that always says stop, then replaced by NULL. */
	EngineConfig c = config(1.0, 1000, 1024, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT);
	EngineResult r;
	char err[128];

	engine_set_poll(eng, poll_always, NULL);
	ck_assert_int_eq(engine_compute(eng, &c, &r, err, sizeof err),
	    ENGINE_INTERRUPTED);
	engine_set_poll(eng, NULL, NULL);
	compute(&c);
	c.depth = 100000;
	c.width = 1;
	compute(&c);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("closed forms");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_identity_linear_past_double_range);
	tcase_add_test(tc, test_identity_linear_values);
	tcase_add_test(tc, test_identity_random_input);
	tcase_add_test(tc, test_orthogonal_linear_norm_preserving);
	tcase_add_test(tc, test_draws_past_the_cache);
	tcase_add_test(tc, test_identity_tanh_sigmoid_recurrence);
	tcase_add_test(tc, test_identity_tanh_fixed_point);
	tcase_add_test(tc, test_identity_tanh_critical_decay);
	tcase_add_test(tc, test_float_overflow_layers);
	tcase_add_test(tc, test_float_underflow_layers);
	tcase_add_test(tc, test_float_agrees_with_exact_in_range);
	tcase_add_test(tc, test_lambda_zero);
	tcase_add_test(tc, test_relu_exact_zero);
	tcase_add_test(tc, test_exact_never_inf_or_nan);
	tcase_add_test(tc, test_exact_biases_never_inf_or_nan);
	tcase_add_test(tc, test_exact_bias_signs_far_below);
	tcase_add_test(tc, test_bias_cache_changes_nothing);
	tcase_add_test(tc, test_float_biases_as_hardware);
	tcase_add_test(tc, test_tanh_saturated_gradient_not_zero);
	tcase_add_test(tc, test_same_seed_same_numbers);
	tcase_add_test(tc, test_cache_and_segments_change_nothing);
	tcase_add_test(tc, test_residual_identity_linear);
	tcase_add_test(tc, test_layer_norm_constant_vector);
	tcase_add_test(tc, test_rms_norm_constant_vector);
	tcase_add_test(tc, test_residual_branch_far_below);
	tcase_add_test(tc, test_blocks_segments_change_nothing);
	tcase_add_test(tc, test_blocks_float_agrees_with_exact);
	tcase_add_test(tc, test_lambda_moves_smoothly);
	tcase_add_test(tc, test_invalid_config);
	tcase_add_test(tc, test_mode_names_round_trip);
	tcase_add_test(tc, test_regime);
	tcase_add_test(tc, test_interrupt_then_reuse);
	tcase_add_test(tc, test_poll_often_enough);
	tcase_add_test(tc, test_null_poll_never_interrupts);
	suite_add_tcase(s, tc);
	return s;
}
