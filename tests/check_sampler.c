/*
 * check_sampler: the engine's matrix-free sampler against explicit random
 * matrices.
 *
 * The engine never builds W: it draws W a from its distribution and then
 * W^T e from the distribution of W given W a (see src/engine.c). The claim
 * is that this is exact in distribution. The reference below builds every
 * W[l] as a matrix, runs the forward and the backward pass with it, and
 * reports the same three per-layer magnitudes; the tests compare the two
 * samplers' distributions over many seeds. The reference shares no code
 * with the engine beyond rng_uniform's bits, on streams the engine never
 * uses, so the two samples are independent.
 *
 * Everything is deterministic (fixed seeds). "False alarm rate" below is
 * the probability, over the choice of seeds, that a correct engine fails.
 * Set SAMPLER_VERBOSE in the environment to print every comparison.
 */
#include "suites.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "rng.h"
#include "xmag.h"

/* ---------------------------------------------------------------------- */
/* Reference: explicit matrices in double                                 */
/* ---------------------------------------------------------------------- */

#define REF_WIDTH_MAX 8
#define REF_DEPTH_MAX 6

/* Streams of the test's own draws, apart from the engine's. */
enum {
	REF_STREAM_WEIGHTS = RNG_STREAM_TEST,
	REF_STREAM_FRESH, /* the independent copy for fresh_backward */
	REF_STREAM_INPUT,
	REF_STREAM_BIAS,    /* b[l] / S, layer l's */
	REF_STREAM_UPSTREAM /* u of the random upstream gradient */
};

typedef struct {
	double act[REF_DEPTH_MAX + 1];
	double grad[REF_DEPTH_MAX + 1];
	double wgrad[REF_DEPTH_MAX + 1]; /* [0] unused */
} RefResult;

/* out[0..count-1]: standard normals of (seed, stream, layer) by
 * Box-Muller, two from each pair of uniforms. */
static void ref_normals(uint64_t seed, uint32_t stream, uint32_t layer,
    int count, double *out)
{
	const double two_pi = 6.28318530717958647692;
	double r, t;
	int k;

	for (k = 0; k < count; k += 2) {
		r = sqrt(-2 *
		    log(rng_uniform(seed, stream, layer, (uint64_t)k)));
		t = two_pi * rng_uniform(seed, stream, layer, (uint64_t)k + 1);
		out[k] = r * sin(t);
		if (k + 1 < count)
			out[k + 1] = r * cos(t);
	}
}

/*
 * Replaces the n x n row-major g by the Q of g = QR, by modified
 * Gram-Schmidt on the columns. Gram-Schmidt makes R's diagonal the
 * (positive) column norms, so the usual sign fix Q[:,j] *= sign(R[j][j])
 * is already applied: Q is the unique factor with R[j][j] > 0, which for a
 * Gaussian g is Haar-distributed. (Householder QR would need the fix.)
 */
static void ref_orthonormalize(double *g, int n)
{
	double dot, norm;
	int i, j, k;

	for (j = 0; j < n; j++) {
		for (k = 0; k < j; k++) {
			dot = 0;
			for (i = 0; i < n; i++)
				dot += g[i * n + k] * g[i * n + j];
			for (i = 0; i < n; i++)
				g[i * n + j] -= dot * g[i * n + k];
		}
		norm = 0;
		for (i = 0; i < n; i++)
			norm += g[i * n + j] * g[i * n + j];
		norm = sqrt(norm);
		for (i = 0; i < n; i++)
			g[i * n + j] /= norm;
	}
}

/* W[l] of cfg's init as an n x n row-major matrix, from stream. */
static void ref_weights(const EngineConfig *cfg, uint64_t seed, uint32_t stream,
    int l, double *w)
{
	int n = cfg->width, i;

	ref_normals(seed, stream, (uint32_t)l, n * n, w);
	if (cfg->init == ENGINE_INIT_ORTHOGONAL) {
		ref_orthonormalize(w, n);
		for (i = 0; i < n * n; i++)
			w[i] *= cfg->lambda;
	} else {
		for (i = 0; i < n * n; i++)
			w[i] *= cfg->lambda / sqrt((double)n);
	}
}

static double ref_phi(EngineAct act, double z, double *dphi)
{
	double t;

	switch (act) {
	case ENGINE_ACT_TANH:
		t = tanh(z);
		*dphi = 1 - t * t;
		return t;
	case ENGINE_ACT_RELU:
		*dphi = z > 0 ? 1 : 0;
		return z > 0 ? z : 0;
	case ENGINE_ACT_SIGMOID:
		t = 1 / (1 + exp(-z));
		*dphi = t * (1 - t);
		return t;
	case ENGINE_ACT_LINEAR:
	case ENGINE_ACT_COUNT:
		break;
	}
	*dphi = 1;
	return z;
}

static double ref_rms(const double *x, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += x[i] * x[i];
	return sqrt(s / n);
}

/* N(v) of cfg's norm into y, and its Jacobian dN/dv into jac (n x n,
 * row-major), each entry differentiated from the definition: with
 * m = mean(v) (0 for rms), s^2 = mean((v - m)^2) + eps,
 * dN_i/dv_j = (delta_ij - dm/dv_j) / s - (v_i - m) (ds/dv_j) / s^2 and
 * ds/dv_j = (v_j - m) / (n s) (the dm/dv_j terms of s^2 cancel). */
static void ref_norm(EngineNorm norm, const double *v, int n, double *y,
    double *jac)
{
	double m = 0, s = 0, ds;
	int i, j;

	if (norm == ENGINE_NORM_NONE) {
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				jac[i * n + j] = i == j;
		memcpy(y, v, (size_t)n * sizeof *y);
		return;
	}
	if (norm == ENGINE_NORM_LAYER) {
		for (i = 0; i < n; i++)
			m += v[i];
		m /= n;
	}
	for (i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	s = sqrt(s / n + ENGINE_NORM_EPS);
	for (i = 0; i < n; i++)
		y[i] = (v[i] - m) / s;
	for (j = 0; j < n; j++) {
		ds = (v[j] - m) / (n * s);
		for (i = 0; i < n; i++)
			jac[i * n + j] = ((i == j) -
			                     (norm == ENGINE_NORM_LAYER ?
			                             1.0 / n :
			                             0)) /
			        s -
			    (v[i] - m) * ds / (s * s);
	}
}

/* out = jac^T x. */
static void ref_jac_t(const double *jac, const double *x, int n, double *out)
{
	int i, j;

	for (j = 0; j < n; j++) {
		out[j] = 0;
		for (i = 0; i < n; i++)
			out[j] += jac[i * n + j] * x[i];
	}
}

/* The residual branch's scale, computed here from the field. */
static double ref_alpha(const EngineConfig *cfg)
{
	return cfg->branch_scale < 0 ? 1 / sqrt((double)cfg->depth) :
	                               cfg->branch_scale;
}

/*
 * The network of cfg (gaussian or orthogonal init, width and depth within
 * the REF_ limits) with explicit weights drawn for cfg->seed. The backward
 * pass uses the forward pass's W[l], or with fresh_backward an independent
 * copy of it: the classic mistake the tests must be able to tell apart.
 */
static void reference_run(const EngineConfig *cfg, int fresh_backward,
    RefResult *out)
{
	double w[REF_DEPTH_MAX][REF_WIDTH_MAX * REF_WIDTH_MAX];
	double a[REF_DEPTH_MAX + 1][REF_WIDTH_MAX];
	double d[REF_DEPTH_MAX + 1][REF_WIDTH_MAX];
	/* What W[l] multiplies, and the norm's Jacobian of layer l. */
	double h[REF_DEPTH_MAX + 1][REF_WIDTH_MAX];
	double jac[REF_DEPTH_MAX + 1][REF_WIDTH_MAX * REF_WIDTH_MAX];
	double fresh[REF_WIDTH_MAX * REF_WIDTH_MAX], g[REF_WIDTH_MAX];
	double e[REF_WIDTH_MAX], b[REF_WIDTH_MAX], ss, z, r;
	double zv[REF_WIDTH_MAX], y[REF_WIDTH_MAX], t[REF_WIDTH_MAX];
	const double *wb;
	int n = cfg->width, L = cfg->depth, l, i, j;
	int res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	double alpha = res ? ref_alpha(cfg) : 1;

	ck_assert(n >= 1 && n <= REF_WIDTH_MAX);
	ck_assert(L >= 1 && L <= REF_DEPTH_MAX);
	ck_assert(cfg->init == ENGINE_INIT_GAUSSIAN ||
	    cfg->init == ENGINE_INIT_ORTHOGONAL);

	if (cfg->input == ENGINE_INPUT_RANDOM)
		ref_normals(cfg->seed, REF_STREAM_INPUT, 0, n, a[0]);
	else
		for (i = 0; i < n; i++)
			a[0][i] = 1;
	out->act[0] = ref_rms(a[0], n);
	for (l = 1; l <= L; l++) {
		ref_weights(cfg, cfg->seed, REF_STREAM_WEIGHTS, l, w[l - 1]);
		ref_normals(cfg->seed, REF_STREAM_BIAS, (uint32_t)l, n, b);
		/* plain: a = phi(N(W a + b)); residual: a = a + alpha
		 * phi(W N(a) + b). */
		if (res)
			ref_norm(cfg->norm, a[l - 1], n, h[l], jac[l]);
		else
			memcpy(h[l], a[l - 1], (size_t)n * sizeof h[l][0]);
		for (i = 0; i < n; i++) {
			z = cfg->bias_std * b[i];
			for (j = 0; j < n; j++)
				z += w[l - 1][i * n + j] * h[l][j];
			zv[i] = z;
		}
		if (!res)
			ref_norm(cfg->norm, zv, n, y, jac[l]);
		else
			memcpy(y, zv, sizeof y);
		for (i = 0; i < n; i++) {
			a[l][i] = ref_phi(cfg->act, y[i], &d[l][i]);
			if (res)
				a[l][i] = a[l - 1][i] + alpha * a[l][i];
		}
		out->act[l] = ref_rms(a[l], n);
	}

	for (i = 0; i < n; i++)
		g[i] = 1;
	if (cfg->upstream == ENGINE_UPSTREAM_RANDOM) {
		ref_normals(cfg->seed, REF_STREAM_UPSTREAM, 0, n, g);
		r = ref_rms(g, n);
		for (i = 0; i < n; i++)
			g[i] /= r;
	}
	out->grad[L] = 1;
	for (l = L; l >= 1; l--) {
		for (i = 0; i < n; i++)
			t[i] = alpha * d[l][i] * g[i];
		/* e = dL/dz[l]: through the norm for plain blocks. */
		if (!res)
			ref_jac_t(jac[l], t, n, e);
		else
			memcpy(e, t, sizeof e);
		/* dL/dW[l] = e h^T, entry by entry. */
		ss = 0;
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++)
				ss += (e[i] * h[l][j]) * (e[i] * h[l][j]);
		out->wgrad[l] = sqrt(ss / ((double)n * n));
		wb = w[l - 1];
		if (fresh_backward) {
			ref_weights(cfg, cfg->seed, REF_STREAM_FRESH, l, fresh);
			wb = fresh;
		}
		for (j = 0; j < n; j++) {
			t[j] = 0;
			for (i = 0; i < n; i++)
				t[j] += wb[i * n + j] * e[i];
		}
		/* residual: g[l-1] = g[l] + J^T W^T e. */
		if (res) {
			ref_jac_t(jac[l], t, n, y);
			for (j = 0; j < n; j++)
				g[j] += y[j];
		} else {
			memcpy(g, t, sizeof g);
		}
		out->grad[l - 1] = ref_rms(g, n);
	}
	out->wgrad[0] = NAN;
}

/* ---------------------------------------------------------------------- */
/* Samples: the statistics of M seeds                                     */
/* ---------------------------------------------------------------------- */

/* Seeds per sampler and setting: with M = 3000 the difference of two
 * means has a standard error of 0.026 standard deviations, so a real
 * difference of K times that, 0.13 sd, shows. */
#define SAMPLER_M 3000

/* Logs over the nonzero values only compare when both samples have at
 * least this many; the zero fractions are compared on their own. */
#define SAMPLER_MIN_NONZERO 100

enum { STAT_ACT_L, STAT_GRAD_0, STAT_WGRAD_1, STAT_LOG_COUNT };

static const char *const stat_names[STAT_LOG_COUNT] = {
    "log10 activation_rms[L]",
    "log10 gradient_rms[0]",
    "log10 weight_gradient_rms[1]",
};

typedef enum { SOURCE_ENGINE, SOURCE_REFERENCE, SOURCE_REFERENCE_FRESH } Source;

static const char *const source_names[] = {"engine", "reference",
    "reference(fresh W in backward)"};

typedef struct {
	Source source;
	int m;
	double *v[STAT_LOG_COUNT]; /* log10 of the magnitude, -inf for 0 */
	double *g2;                /* gradient_rms[0]^2, zeros included */
} Sample;

/* Runs src for seeds 1..m of setting into s (free with sample_free). */
static void sample_collect(const EngineConfig *setting, Source src, int m,
    Sample *s)
{
	EngineConfig cfg = *setting;
	EngineResult res;
	RefResult ref;
	Engine *eng = NULL;
	char err[256];
	double g0;
	int k, L = setting->depth;

	s->source = src;
	s->m = m;
	for (k = 0; k < STAT_LOG_COUNT; k++) {
		s->v[k] = malloc((size_t)m * sizeof(double));
		ck_assert_ptr_nonnull(s->v[k]);
	}
	s->g2 = malloc((size_t)m * sizeof(double));
	ck_assert_ptr_nonnull(s->g2);
	if (src == SOURCE_ENGINE) {
		eng = engine_new();
		ck_assert_ptr_nonnull(eng);
	}
	for (k = 0; k < m; k++) {
		cfg.seed = (uint64_t)k + 1;
		if (src == SOURCE_ENGINE) {
			ck_assert_msg(engine_compute(eng, &cfg, &res, err,
			                  sizeof err) == 0,
			    "engine_compute: %s", err);
			s->v[STAT_ACT_L][k] = xmag_log10(res.activation_rms[L]);
			s->v[STAT_GRAD_0][k] = xmag_log10(res.gradient_rms[0]);
			s->v[STAT_WGRAD_1]
			    [k] = xmag_log10(res.weight_gradient_rms[1]);
			g0 = xmag_to_double(res.gradient_rms[0]);
		} else {
			reference_run(&cfg, src == SOURCE_REFERENCE_FRESH,
			    &ref);
			s->v[STAT_ACT_L][k] = log10(ref.act[L]);
			s->v[STAT_GRAD_0][k] = log10(ref.grad[0]);
			s->v[STAT_WGRAD_1][k] = log10(ref.wgrad[1]);
			g0 = ref.grad[0];
		}
		s->g2[k] = g0 * g0;
	}
	engine_free(eng);
}

static void sample_free(Sample *s)
{
	int k;

	for (k = 0; k < STAT_LOG_COUNT; k++)
		free(s->v[k]);
	free(s->g2);
}

/* Moments of the finite values of x[0..m-1] (a log10 of 0 is -inf). */
typedef struct {
	int count;
	double mean;
	double var; /* unbiased */
	double m4;  /* fourth central moment */
} Moments;

static Moments moments(const double *x, int m)
{
	Moments mo = {0, 0, 0, 0};
	double s = 0, t;
	int i;

	for (i = 0; i < m; i++)
		if (isfinite(x[i])) {
			s += x[i];
			mo.count++;
		}
	if (mo.count < 2)
		return mo;
	mo.mean = s / mo.count;
	for (i = 0; i < m; i++)
		if (isfinite(x[i])) {
			t = (x[i] - mo.mean) * (x[i] - mo.mean);
			mo.var += t;
			mo.m4 += t * t;
		}
	mo.var /= mo.count - 1;
	mo.m4 /= mo.count;
	return mo;
}

/* ---------------------------------------------------------------------- */
/* Two-sample tests                                                       */
/* ---------------------------------------------------------------------- */

/*
 * Error budget. Every comparison whose failure would be a false alarm is
 * counted in SAMPLER_FAMILY, and the suite as a whole may false-alarm with
 * probability SAMPLER_ALPHA; by Bonferroni each comparison gets
 * SAMPLER_ALPHA / SAMPLER_FAMILY. For the z tests that is a two-sided
 * normal bound K (about 4.9 for the ~1000 comparisons here); for the
 * Kolmogorov-Smirnov tests the asymptotic bound P(D sqrt(m/2) > c) <=
 * 2 exp(-2 c^2). The z statistics are asymptotic (M = 3000): under the
 * null the two samples are identically distributed, so the difference is
 * symmetric and its normal approximation is good well into the tail.
 */
#define SAMPLER_ALPHA 1e-3

/* Comparisons per setting: 3 log means, the g^2 mean, 3 log variances,
 * 3 zero fractions. */
#define STATS_PER_SETTING 10

/* One comparison: two estimates and the standard error of their
 * difference (infinite when there is too little data to compare). */
typedef struct {
	char what[64];
	double x, y, se;
} Diff;

/*
 * Where a statistic does not vary (orthogonal linear networks, n = 1) the
 * two samplers differ by rounding alone, not by a distribution: differences
 * within SAMPLER_ROUNDING (absolute; every estimate here is a log10, a
 * variance of one, a fraction or a mean square of order 1) count as none.
 */
#define SAMPLER_ROUNDING 1e-12

static double diff_z(const Diff *d)
{
	if (fabs(d->x - d->y) <= SAMPLER_ROUNDING)
		return 0;
	return (d->x - d->y) / d->se;
}

static void diff_mean(Diff *d, const char *stat, const double *x,
    const double *y, int m)
{
	Moments mx = moments(x, m), my = moments(y, m);

	snprintf(d->what, sizeof d->what, "mean of %s", stat);
	d->x = mx.mean;
	d->y = my.mean;
	d->se = mx.count < SAMPLER_MIN_NONZERO ||
	        my.count < SAMPLER_MIN_NONZERO ?
	    INFINITY :
	    sqrt(mx.var / mx.count + my.var / my.count);
}

/* Var(s^2) ~ (m4 - sigma^4) / count, which rounding can make slightly
 * negative for a statistic that does not vary. */
static void diff_var(Diff *d, const char *stat, const double *x,
    const double *y, int m)
{
	Moments mx = moments(x, m), my = moments(y, m);

	snprintf(d->what, sizeof d->what, "variance of %s", stat);
	d->x = mx.var;
	d->y = my.var;
	d->se = mx.count < SAMPLER_MIN_NONZERO ||
	        my.count < SAMPLER_MIN_NONZERO ?
	    INFINITY :
	    sqrt(fmax(0,
	        (mx.m4 - mx.var * mx.var) / mx.count +
	            (my.m4 - my.var * my.var) / my.count));
}

/* Fractions of exact zeros (-inf logs), pooled two-proportion test. */
static void diff_zeros(Diff *d, const char *stat, const double *x,
    const double *y, int m)
{
	double p;
	int zx = 0, zy = 0, i;

	for (i = 0; i < m; i++) {
		zx += x[i] == -INFINITY;
		zy += y[i] == -INFINITY;
	}
	snprintf(d->what, sizeof d->what, "zero fraction of %s", stat);
	d->x = (double)zx / m;
	d->y = (double)zy / m;
	p = (double)(zx + zy) / (2.0 * m);
	d->se = sqrt(p * (1 - p) * 2.0 / m);
}

/* Where compare_samples puts the mean of gradient_rms[0]^2. */
#define DIFF_G2_MEAN (3 * STAT_LOG_COUNT)

/* All STATS_PER_SETTING comparisons of x against y. */
static void compare_samples(const Sample *x, const Sample *y,
    Diff d[STATS_PER_SETTING])
{
	int k, m = x->m;

	ck_assert_int_eq(x->m, y->m);
	for (k = 0; k < STAT_LOG_COUNT; k++) {
		diff_mean(&d[k], stat_names[k], x->v[k], y->v[k], m);
		diff_var(&d[STAT_LOG_COUNT + k], stat_names[k], x->v[k],
		    y->v[k], m);
		diff_zeros(&d[2 * STAT_LOG_COUNT + k], stat_names[k], x->v[k],
		    y->v[k], m);
	}
	diff_mean(&d[DIFF_G2_MEAN], "gradient_rms[0]^2", x->g2, y->g2, m);
}

/* The K with P(|N(0,1)| > K) = alpha, by bisection on erfc. */
static double normal_bound(double alpha)
{
	double lo = 0, hi = 40, mid;
	int i;

	for (i = 0; i < 100; i++) {
		mid = (lo + hi) / 2;
		if (erfc(mid / sqrt(2.0)) > alpha)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static void setting_name(const EngineConfig *cfg, char *buf, size_t len)
{
	snprintf(buf, len,
	    "%s %s n=%d L=%d lambda=%g input=%s upstream=%s bias_std=%g "
	    "arch=%s norm=%s alpha=%g",
	    engine_init_name(cfg->init), engine_act_name(cfg->act), cfg->width,
	    cfg->depth, cfg->lambda, engine_input_name(cfg->input),
	    engine_upstream_name(cfg->upstream), cfg->bias_std,
	    engine_arch_name(cfg->arch), engine_norm_name(cfg->norm),
	    cfg->branch_scale);
}

static void report(const char *setting, const Sample *x, const Sample *y,
    const Diff *d, double k)
{
	if (getenv("SAMPLER_VERBOSE") == NULL)
		return;
	fprintf(stderr,
	    "%s | %s: %s %.6g vs %s %.6g, bound %.3g, z %+.2f "
	    "(K %.2f)\n",
	    setting, d->what, source_names[x->source], d->x,
	    source_names[y->source], d->y, k * d->se, diff_z(d), k);
}

/* Asserts that every comparison of x against y is within K. */
static void expect_agree(const char *setting, const Sample *x, const Sample *y,
    double k)
{
	Diff d[STATS_PER_SETTING];
	int i;

	compare_samples(x, y, d);
	for (i = 0; i < STATS_PER_SETTING; i++) {
		report(setting, x, y, &d[i], k);
		ck_assert_msg(fabs(diff_z(&d[i])) <= k,
		    "%s: %s: %s %.6g vs %s %.6g; |difference| %.3g > bound "
		    "%.3g (K %.2f, z %.2f)",
		    setting, d[i].what, source_names[x->source], d[i].x,
		    source_names[y->source], d[i].y, fabs(d[i].x - d[i].y),
		    k * d[i].se, k, diff_z(&d[i]));
	}
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * Two-sample Kolmogorov-Smirnov distance between the values of x[0..m-1]
 * and y[0..m-1] (sorts both). Equal values (the -inf of exact zeros) are
 * stepped over together, which only makes the test conservative.
 */
static double ks_distance(double *x, double *y, int m)
{
	double t, dist = 0;
	int i = 0, j = 0;

	qsort(x, (size_t)m, sizeof *x, cmp_double);
	qsort(y, (size_t)m, sizeof *y, cmp_double);
	while (i < m && j < m) {
		t = x[i] < y[j] ? x[i] : y[j];
		while (i < m && x[i] == t)
			i++;
		while (j < m && y[j] == t)
			j++;
		if (fabs((double)(i - j) / m) > dist)
			dist = fabs((double)(i - j) / m);
	}
	return dist;
}

/* ---------------------------------------------------------------------- */
/* The settings                                                           */
/* ---------------------------------------------------------------------- */

static const int grid_width[] = {1, 2, 3, 8};
static const int grid_depth[] = {1, 3, 6};
static const double grid_lambda[] = {0.8, 1.0, 1.5};

#define GRID_WIDTHS ((int)(sizeof grid_width / sizeof grid_width[0]))
#define GRID_DEPTHS ((int)(sizeof grid_depth / sizeof grid_depth[0]))
#define GRID_SETTINGS (GRID_WIDTHS * GRID_DEPTHS * 2 * ENGINE_ACT_COUNT)

/*
 * Setting i of the grid: every width x depth x {gaussian, orthogonal} x
 * activation. lambda and the input cycle with s = width index + depth
 * index + activation, which runs over six consecutive values for each
 * (init, activation): so each of those meets every lambda with both
 * inputs, without the cost of the full product. The upstream gradient
 * is ones at the middle depth and random at the others, and the bias std
 * 0.5 at odd width indices and 0 at even ones: each (init, activation)
 * meets all four (upstream, bias) pairs.
 */
static void grid_setting(int i, EngineConfig *cfg)
{
	int wi = i % GRID_WIDTHS, di = i / GRID_WIDTHS % GRID_DEPTHS;
	int init = i / (GRID_WIDTHS * GRID_DEPTHS) % 2;
	int act = i / (GRID_WIDTHS * GRID_DEPTHS * 2), s = wi + di + act;

	engine_config_default(cfg);
	cfg->width = grid_width[wi];
	cfg->depth = grid_depth[di];
	cfg->init = init ? ENGINE_INIT_ORTHOGONAL : ENGINE_INIT_GAUSSIAN;
	cfg->act = (EngineAct)act;
	cfg->lambda = grid_lambda[s % 3];
	cfg->input = s % 2 ? ENGINE_INPUT_RANDOM : ENGINE_INPUT_ONES;
	cfg->upstream = di == 1 ? ENGINE_UPSTREAM_ONES : ENGINE_UPSTREAM_RANDOM;
	cfg->bias_std = wi % 2 ? 0.5 : 0;
}

/*
 * The blocks' grid: every (arch, norm) but the plain chain without a
 * norm, with each init and activation. Width, depth, lambda, the input,
 * the upstream, the bias std and the branch scale (1, 0.5, 1/sqrt(L))
 * cycle with the setting's index so each (block, init, activation)
 * meets several of each. Width 1 is left out: layer norm makes it 0.
 */
static const int block_width[] = {2, 3, 8};
#define BLOCK_COMBOS (ENGINE_ARCH_COUNT * ENGINE_NORM_COUNT - 1)
#define BLOCK_SETTINGS (BLOCK_COMBOS * 2 * ENGINE_ACT_COUNT)

static void block_setting(int i, EngineConfig *cfg)
{
	static const double alphas[] = {1, 0.5,
	    ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH};
	int combo = 1 + i % BLOCK_COMBOS, init = i / BLOCK_COMBOS % 2;
	int act = i / (BLOCK_COMBOS * 2), s = combo + init + act;

	engine_config_default(cfg);
	cfg->arch = (EngineArch)(combo / ENGINE_NORM_COUNT);
	cfg->norm = (EngineNorm)(combo % ENGINE_NORM_COUNT);
	cfg->init = init ? ENGINE_INIT_ORTHOGONAL : ENGINE_INIT_GAUSSIAN;
	cfg->act = (EngineAct)act;
	cfg->width = block_width[s % 3];
	cfg->depth = grid_depth[(s + i / 3) % 3];
	cfg->lambda = grid_lambda[(s + 1) % 3];
	cfg->input = s % 2 ? ENGINE_INPUT_RANDOM : ENGINE_INPUT_ONES;
	cfg->upstream = (i / 2) % 2 ? ENGINE_UPSTREAM_ONES :
	                              ENGINE_UPSTREAM_RANDOM;
	cfg->bias_std = i % 2 ? 0.5 : 0;
	cfg->branch_scale = alphas[(i / 4) % 3];
}

/* Settings that also get a Kolmogorov-Smirnov test of each log. Their
 * logs have no atoms but the exact zeros. Rounding splits an atom
 * differently in the two samplers and KS would see it: orthogonal networks
 * have atoms at width 1, and at depth 1, where |g[0]| = lambda
 * |relu'(z)| takes a few values. */
static const EngineConfig ks_settings[] = {
    {.lambda = 1.0,
        .depth = 3,
        .width = 2,
        .init = ENGINE_INIT_GAUSSIAN,
        .act = ENGINE_ACT_RELU,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_ONES,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 3,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_RELU,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_RANDOM,
        .upstream = ENGINE_UPSTREAM_ONES,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_GAUSSIAN,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_ONES,
        .seed = 0},
    {.lambda = 0.8,
        .depth = 3,
        .width = 2,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_SIGMOID,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_ONES,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_GAUSSIAN,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .bias_std = 0.5,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 3,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_RELU,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_RANDOM,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .bias_std = 0.3,
        .seed = 0},
};

#define KS_SETTINGS ((int)(sizeof ks_settings / sizeof ks_settings[0]))

/*
 * The power setting: ReLU, gaussian, width 8, depth 1. With one layer and
 * g[1] = ones, g[0] = W^T relu'(z) = the sum of the active rows w_i, those
 * with w_i . a > 0. Each active row's component along a is positive, so
 * two active rows are correlated: E[w_i . w_k | both active] =
 * (lambda^2/n) (2/pi), where independent rows would give 0. With the
 * forward W, E|g[0]|^2 = lambda^2 n/2 (the n/2 active rows' own norms)
 * plus lambda^2 (n-1)/(2 pi) (the n(n-1)/4 active pairs); with a fresh
 * copy only the first term: gradient_rms[0]^2 has mean lambda^2 (1/2 +
 * (n-1)/(2 pi n)) = 0.639 against 0.5 at n = 8. At n = 2 the gap is
 * 0.580 against 0.5, too small for M = 3000 to show at K.
 */
static const EngineConfig power_setting = {.lambda = 1.0,
    .depth = 1,
    .width = 8,
    .init = ENGINE_INIT_GAUSSIAN,
    .act = ENGINE_ACT_RELU,
    .precision = ENGINE_PRECISION_EXACT,
    .input = ENGINE_INPUT_ONES,
    .upstream = ENGINE_UPSTREAM_ONES,
    .seed = 0};

/*
 * The power check for the random upstream gradient. With g[L] = u / rms(u)
 * the mean of gradient_rms[0]^2 no longer tells a fresh backward W apart
 * (at depth 1 the whole distribution is the same: u's symmetry makes
 * u_i |z_i| and u_i z_i alike), but deeper the forward W's component of
 * W^T e along a[l-1] meets the next layer's phi' where a[l-1] was
 * active, and the statistics of the first-layer gradients differ. Each
 * setting: the engine agrees with the reference, and some statistic
 * rejects the fresh-W reference against the reference and the engine.
 * tanh shows it (|z| 6 to 12 at M = 3000); measured, ReLU does not (|z|
 * below 2.5 at depth 6, width 8, with and without biases): with a random
 * upstream a fresh backward W is invisible in these statistics for a
 * homogeneous phi, so the settings are tanh's.
 */
static const EngineConfig power_random_settings[] = {
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_GAUSSIAN,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .bias_std = 0.5,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .bias_std = 0,
        .seed = 0},
};

#define POWER_RANDOM_SETTINGS \
	((int)(sizeof power_random_settings / sizeof power_random_settings[0]))

/*
 * The power check for the blocks: a backward pass through tanh blocks
 * (plain with either norm, residual without) that drew fresh weights
 * must be told apart. Residual blocks with a norm are not here, and
 * cannot be: given the forward product, W^T e differs from a fresh
 * draw only along h = N(a[l-1]) (see src/engine.c), and the norm's
 * Jacobian J^T = (I - 1 1^T/n - h h^T/n)/sigma removes that direction
 * up to a factor eps / (var + eps), so the gradient's distribution is
 * the same with a fresh W (measured: |z| <= 3.2 over eight settings of
 * act, depth 1 to 6, both inputs and upstreams).
 */
static const EngineConfig power_block_settings[] = {
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .arch = ENGINE_ARCH_PLAIN,
        .norm = ENGINE_NORM_LAYER,
        .branch_scale = 1,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_ORTHOGONAL,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .arch = ENGINE_ARCH_PLAIN,
        .norm = ENGINE_NORM_RMS,
        .branch_scale = 1,
        .seed = 0},
    {.lambda = 1.5,
        .depth = 6,
        .width = 8,
        .init = ENGINE_INIT_GAUSSIAN,
        .act = ENGINE_ACT_TANH,
        .precision = ENGINE_PRECISION_EXACT,
        .input = ENGINE_INPUT_ONES,
        .upstream = ENGINE_UPSTREAM_RANDOM,
        .arch = ENGINE_ARCH_RESIDUAL,
        .norm = ENGINE_NORM_NONE,
        .branch_scale = 1,
        .seed = 0},
};

#define POWER_BLOCK_SETTINGS \
	((int)(sizeof power_block_settings / sizeof power_block_settings[0]))

/* Everything that can false-alarm: the grid, the KS tests (one per log)
 * and the engine's comparisons in the power settings. */
#define SAMPLER_FAMILY \
	((GRID_SETTINGS + BLOCK_SETTINGS) * STATS_PER_SETTING + \
	    KS_SETTINGS * STAT_LOG_COUNT + STATS_PER_SETTING + \
	    (POWER_RANDOM_SETTINGS + POWER_BLOCK_SETTINGS) * \
	        STATS_PER_SETTING)

static double sampler_k(void)
{
	return normal_bound(SAMPLER_ALPHA / SAMPLER_FAMILY);
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                  */
/* ---------------------------------------------------------------------- */

/* The engine and the reference agree on every statistic of setting i. */
START_TEST(test_grid)
{
	EngineConfig cfg;
	Sample eng, ref;
	char name[128];

	grid_setting(_i, &cfg);
	setting_name(&cfg, name, sizeof name);
	sample_collect(&cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(&cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	expect_agree(name, &eng, &ref, sampler_k());
	sample_free(&eng);
	sample_free(&ref);
}
END_TEST

/* The same for setting i of the blocks' grid. */
START_TEST(test_block_grid)
{
	EngineConfig cfg;
	Sample eng, ref;
	char name[160];

	block_setting(_i, &cfg);
	setting_name(&cfg, name, sizeof name);
	sample_collect(&cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(&cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	expect_agree(name, &eng, &ref, sampler_k());
	sample_free(&eng);
	sample_free(&ref);
}
END_TEST

/* Whole distributions, not only two moments, agree. */
START_TEST(test_ks)
{
	const EngineConfig *cfg = &ks_settings[_i];
	double alpha = SAMPLER_ALPHA / SAMPLER_FAMILY;
	double c = sqrt(-log(alpha / 2) / 2);
	double bound = c * sqrt(2.0 / SAMPLER_M), dist;
	Sample eng, ref;
	char name[128];
	int k;

	setting_name(cfg, name, sizeof name);
	sample_collect(cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	for (k = 0; k < STAT_LOG_COUNT; k++) {
		dist = ks_distance(eng.v[k], ref.v[k], SAMPLER_M);
		if (getenv("SAMPLER_VERBOSE") != NULL)
			fprintf(stderr, "%s | KS of %s: D %.4f, bound %.4f\n",
			    name, stat_names[k], dist, bound);
		ck_assert_msg(dist <= bound,
		    "%s: KS distance of %s between "
		    "engine and reference %.4f > bound %.4f (alpha %.2g)",
		    name, stat_names[k], dist, bound, alpha);
	}
	sample_free(&eng);
	sample_free(&ref);
}
END_TEST

/*
 * The tests have power: where reusing W in the backward pass matters, the
 * same comparison rejects the reference with a fresh backward W against
 * the reference with the forward W (and against the engine), while the
 * engine passes against the reference.
 */
START_TEST(test_power)
{
	const EngineConfig *cfg = &power_setting;
	double k = sampler_k(), z;
	Sample eng, ref, fresh;
	Diff d[STATS_PER_SETTING];
	char name[128];
	int i;

	setting_name(cfg, name, sizeof name);
	sample_collect(cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	sample_collect(cfg, SOURCE_REFERENCE_FRESH, SAMPLER_M, &fresh);
	expect_agree(name, &eng, &ref, k);

	/* The mean of gradient_rms[0]^2 is the quantity computed above. */
	compare_samples(&fresh, &ref, d);
	i = DIFF_G2_MEAN;
	z = diff_z(&d[i]);
	report(name, &fresh, &ref, &d[i], k);
	ck_assert_msg(fabs(z) > k,
	    "%s: %s: fresh %.6g vs reference %.6g; "
	    "|difference| %.3g <= bound %.3g (K %.2f, z %.2f): the test "
	    "cannot see a fresh backward W",
	    name, d[i].what, d[i].x, d[i].y, fabs(d[i].x - d[i].y), k * d[i].se,
	    k, z);
	compare_samples(&fresh, &eng, d);
	z = diff_z(&d[i]);
	report(name, &fresh, &eng, &d[i], k);
	ck_assert_msg(fabs(z) > k,
	    "%s: %s: fresh %.6g vs engine %.6g; "
	    "|difference| %.3g <= bound %.3g (K %.2f, z %.2f)",
	    name, d[i].what, d[i].x, d[i].y, fabs(d[i].x - d[i].y), k * d[i].se,
	    k, z);
	sample_free(&eng);
	sample_free(&ref);
	sample_free(&fresh);
}
END_TEST

/* The largest |z| of fresh against y over the statistics, and which. */
static double max_z(const Sample *fresh, const Sample *y, const char *name,
    double k, int *which)
{
	Diff d[STATS_PER_SETTING];
	double best = 0;
	int i;

	compare_samples(fresh, y, d);
	*which = 0;
	for (i = 0; i < STATS_PER_SETTING; i++) {
		report(name, fresh, y, &d[i], k);
		if (isfinite(diff_z(&d[i])) && fabs(diff_z(&d[i])) > best) {
			best = fabs(diff_z(&d[i]));
			*which = i;
		}
	}
	return best;
}

/* Fresh backward weights are seen in cfg: some statistic rejects the
 * fresh-W reference against the reference and against the engine,
 * which agrees with the reference. */
static void check_power_max_z(const EngineConfig *cfg)
{
	double k = sampler_k(), z;
	Sample eng, ref, fresh;
	char name[160];
	int which;

	setting_name(cfg, name, sizeof name);
	sample_collect(cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	sample_collect(cfg, SOURCE_REFERENCE_FRESH, SAMPLER_M, &fresh);
	expect_agree(name, &eng, &ref, k);
	z = max_z(&fresh, &ref, name, k, &which);
	ck_assert_msg(z > k,
	    "%s: no statistic tells the fresh-W reference from the "
	    "reference: largest |z| %.2f <= K %.2f",
	    name, z, k);
	z = max_z(&fresh, &eng, name, k, &which);
	ck_assert_msg(z > k,
	    "%s: no statistic tells the fresh-W reference from the engine: "
	    "largest |z| %.2f <= K %.2f",
	    name, z, k);
	sample_free(&eng);
	sample_free(&ref);
	sample_free(&fresh);
}

START_TEST(test_power_blocks)
{
	check_power_max_z(&power_block_settings[_i]);
}
END_TEST

START_TEST(test_power_random_upstream)
{
	const EngineConfig *cfg = &power_random_settings[_i];
	double k = sampler_k(), z;
	Sample eng, ref, fresh;
	char name[128];
	int which;

	setting_name(cfg, name, sizeof name);
	sample_collect(cfg, SOURCE_ENGINE, SAMPLER_M, &eng);
	sample_collect(cfg, SOURCE_REFERENCE, SAMPLER_M, &ref);
	sample_collect(cfg, SOURCE_REFERENCE_FRESH, SAMPLER_M, &fresh);
	expect_agree(name, &eng, &ref, k);
	z = max_z(&fresh, &ref, name, k, &which);
	ck_assert_msg(z > k,
	    "%s: no statistic tells the fresh-W reference from the "
	    "reference: largest |z| %.2f <= K %.2f",
	    name, z, k);
	z = max_z(&fresh, &eng, name, k, &which);
	ck_assert_msg(z > k,
	    "%s: no statistic tells the fresh-W reference from the engine: "
	    "largest |z| %.2f <= K %.2f",
	    name, z, k);
	sample_free(&eng);
	sample_free(&ref);
	sample_free(&fresh);
}
END_TEST

/*
 * Orthogonal, linear: norms are preserved exactly, so with r0 = |x|/sqrt(n)
 * activation_rms[l] = r0 lambda^l, gradient_rms[l] = lambda^(L-l) (g[L]
 * has rms 1, ones or random) and weight_gradient_rms[l] = gradient_rms[l] activation_rms[l-1]
 * = r0 lambda^(L-1), for every seed, to 1e-12 relative over 50 layers.
 * Twenty seeds: at width 2 the backward product's rounding depends on the
 * angle between two random directions, and a few seeds are not enough to
 * meet the near-parallel ones.
 */
enum { CLOSED_ACT, CLOSED_GRAD, CLOSED_WGRAD };

static const char *const closed_names[] = {"activation_rms", "gradient_rms",
    "weight_gradient_rms"};

/* Checks the quantities first..last of the closed form above over widths,
 * lambdas, both inputs and twenty seeds. */
static void check_orthogonal_linear(int first, int last)
{
	static const int widths[] = {1, 2, 3, 8, 64, 1024};
	const double tol = 1e-12;
	EngineConfig cfg;
	EngineResult res;
	Engine *eng = engine_new();
	const XMag *got[3];
	float x[1024];
	double r0, want, err_rel;
	char err[256], name[128];
	int wi, li, input, l, q, i;
	uint64_t seed;

	ck_assert_ptr_nonnull(eng);
	engine_config_default(&cfg);
	cfg.init = ENGINE_INIT_ORTHOGONAL;
	cfg.act = ENGINE_ACT_LINEAR;
	cfg.depth = 50;
	for (wi = 0; wi < (int)(sizeof widths / sizeof widths[0]); wi++)
		for (li = 0; li < 3; li++)
			for (input = 0; input < 2 * ENGINE_INPUT_COUNT; input++)
				for (seed = 1; seed <= 20; seed++) {
					/* Both upstreams: rms(g[L]) = 1 either
					 * way, and Q^T keeps it. */
					cfg.upstream = input % 2 ?
					    ENGINE_UPSTREAM_ONES :
					    ENGINE_UPSTREAM_RANDOM;
					cfg.width = widths[wi];
					cfg.lambda = grid_lambda[li];
					cfg.input = (EngineInput)(input / 2);
					cfg.seed = seed;
					setting_name(&cfg, name, sizeof name);
					ck_assert_msg(engine_compute(eng, &cfg,
					                  &res, err,
					                  sizeof err) == 0,
					    "engine_compute: %s", err);
					r0 = 1;
					if (cfg.input == ENGINE_INPUT_RANDOM) {
						/* The engine's input: RNG_STREAM_INPUT, layer 0. */
						rng_normals(seed,
						    RNG_STREAM_INPUT, 0,
						    cfg.width, x);
						r0 = 0;
						for (i = 0; i < cfg.width; i++)
							r0 += (double)x[i] *
							    x[i];
						r0 = sqrt(r0 / cfg.width);
					}
					got[CLOSED_ACT] = res.activation_rms;
					got[CLOSED_GRAD] = res.gradient_rms;
					got[CLOSED_WGRAD] =
					    res.weight_gradient_rms;
					for (q = first; q <= last; q++)
						for (l = q == CLOSED_WGRAD ? 1 :
						                             0;
						     l <= cfg.depth; l++) {
							want = q == CLOSED_ACT ?
							    r0 *
							        pow(cfg.lambda,
							            l) :
							    q == CLOSED_GRAD ?
							    pow(cfg.lambda,
							        cfg.depth - l) :
							    r0 *
							        pow(cfg.lambda,
							            cfg.depth -
							                1);
							err_rel =
							    xmag_to_double(got
							            [q][l]) /
							        want -
							    1;
							ck_assert_msg(
							    fabs(err_rel) <=
							        tol,
							    "%s seed %d layer "
							    "%d: %s %.17g, closed form %.17g; |relative error| "
							    "%.3g > %.0e",
							    name, (int)seed, l,
							    closed_names[q],
							    xmag_to_double(got
							            [q][l]),
							    want, fabs(err_rel),
							    tol);
						}
				}
	engine_free(eng);
}

START_TEST(test_orthogonal_linear_activations)
{
	check_orthogonal_linear(CLOSED_ACT, CLOSED_ACT);
}
END_TEST

START_TEST(test_orthogonal_linear_gradients)
{
	check_orthogonal_linear(CLOSED_GRAD, CLOSED_WGRAD);
}
END_TEST

/*
 * Gaussian, linear, wide: each layer multiplies rms(a)^2 by lambda^2 X/n,
 * X ~ chi^2_n, independently. ln(X/n) has mean ~ -1/n and variance ~ 2/n,
 * so ln(activation_rms[L] / lambda^L) has mean -L/(2n) and standard
 * deviation sqrt(L/(2n)) (0.07 at n = 1024, L = 10). For a linear network
 * g[l] does not depend on the forward pass, so g[l-1] = W^T g[l] is the
 * same chi-square chain and gradient_rms[0] obeys the same law. One seed;
 * the bound is 6 standard deviations (two-sided tail 2e-9).
 */
START_TEST(test_gaussian_linear_wide)
{
	const int n = 1024, L = 10;
	const double sd = sqrt(L / (2.0 * n)), shift = -L / (2.0 * n);
	EngineConfig cfg;
	EngineResult res;
	Engine *eng = engine_new();
	double dev[2];
	char err[256], name[128];
	int li, q;

	ck_assert_ptr_nonnull(eng);
	engine_config_default(&cfg);
	cfg.init = ENGINE_INIT_GAUSSIAN;
	cfg.act = ENGINE_ACT_LINEAR;
	cfg.width = n;
	cfg.depth = L;
	cfg.input = ENGINE_INPUT_ONES;
	cfg.seed = 1;
	for (li = 0; li < 3; li++) {
		cfg.lambda = grid_lambda[li];
		setting_name(&cfg, name, sizeof name);
		ck_assert_msg(engine_compute(eng, &cfg, &res, err,
		                  sizeof err) == 0,
		    "engine_compute: %s", err);
		dev[0] = log(xmag_to_double(res.activation_rms[L])) -
		    L * log(cfg.lambda);
		dev[1] = log(xmag_to_double(res.gradient_rms[0])) -
		    L * log(cfg.lambda);
		for (q = 0; q < 2; q++)
			ck_assert_msg(fabs(dev[q] - shift) <= 6 * sd,
			    "%s: ln(%s / lambda^L) = %.4f, expected %.4f "
			    "+- %.4f (6 sd)",
			    name,
			    q == 0 ? "activation_rms[L]" : "gradient_rms[0]",
			    dev[q], shift, 6 * sd);
	}
	engine_free(eng);
}
END_TEST

Suite *sampler_suite(void)
{
	Suite *s = suite_create("sampler");
	TCase *tc = tcase_create("distribution");
	TCase *exact = tcase_create("closed_form");

	/* Each grid setting runs 6000 networks; leave room on slow
	 * machines and under valgrind. */
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_grid, 0, GRID_SETTINGS);
	tcase_add_loop_test(tc, test_ks, 0, KS_SETTINGS);
	tcase_add_test(tc, test_power);
	tcase_add_loop_test(tc, test_power_random_upstream, 0,
	    POWER_RANDOM_SETTINGS);
	tcase_add_loop_test(tc, test_block_grid, 0, BLOCK_SETTINGS);
	tcase_add_loop_test(tc, test_power_blocks, 0, POWER_BLOCK_SETTINGS);
	suite_add_tcase(s, tc);
	tcase_set_timeout(exact, 60);
	tcase_add_test(exact, test_orthogonal_linear_activations);
	tcase_add_test(exact, test_orthogonal_linear_gradients);
	tcase_add_test(exact, test_gaussian_linear_wide);
	suite_add_tcase(s, exact);
	return s;
}
