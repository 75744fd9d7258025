/*
 * theory: the mean-field expectation of the per-layer magnitudes.
 * See include/theory.h for the contract.
 *
 * Every value runs through one loop: layer l turns the state of layer
 * l-1 into a new state and a gradient factor g[l] = t[l-1] / t[l]. For
 * random weights the state is r^2 and the factor sqrt(chi[l]); for
 * identity weights the state is the scalar a[l] and the factor
 * lambda |phi'(lambda a[l-1])|. States and products are kept with a long
 * double mantissa and a 64-bit exponent (Mag below), so a depth of 100000
 * loses about 1e5 * 2^-64 = 5e-15 relative to rounding, never a range.
 *
 * tanh and sigmoid reduce to two Gaussian expectations of tanh with a
 * scale c: T2(c) = E[tanh(c z)^2] and S4(c) = E[sech(c z)^4], because
 * sigmoid(x) = (1 + tanh(x/2)) / 2 (its odd part averages out):
 *   tanh:    E[phi^2] = T2(s),            E[phi'^2] = S4(s),       s = sqrt q
 *   sigmoid: E[phi^2] = (1 + T2(s/2)) / 4, E[phi'^2] = S4(s/2) / 16.
 * How T2 and S4 are integrated, and how accurately, is at "Quadrature".
 */
#include "theory.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "act.h"

/* ---------------------------------------------------------------------- */
/* Magnitudes with a long double mantissa                                 */
/* ---------------------------------------------------------------------- */

/* m * 2^e, 0.5 <= m < 1 or m == 0. Only finite non-negative values. */
typedef struct {
	long double m;
	int64_t e;
} Mag;

static Mag mag_make(long double m, int64_t e)
{
	Mag r = {0, 0};
	int k;

	if (m == 0)
		return r;
	r.m = frexpl(m, &k);
	r.e = e + k;
	return r;
}

static Mag mag_from_xmag(XMag x)
{
	return mag_make((long double)x.m, x.e);
}

/* The product of two mantissas in [0.5, 1) is in [0.25, 1): one
 * doubling renormalises it, exactly (this is the per-layer hot path). */
static Mag mag_mul(Mag a, Mag b)
{
	Mag r;

	if (a.m == 0 || b.m == 0)
		return mag_make(0, 0);
	r.m = a.m * b.m;
	r.e = a.e + b.e;
	if (r.m < 0.5L) {
		r.m *= 2;
		r.e--;
	}
	return r;
}

/* a * f for a finite f >= 0. */
static Mag mag_scale(Mag a, long double f)
{
	return mag_mul(a, mag_make(f, 0));
}

static XMag mag_to_xmag(Mag a)
{
	XMag x;

	x.m = (double)a.m;
	x.e = a.m == 0 ? 0 : a.e;
	if (x.m == 1) { /* rounded up out of [0.5, 1) */
		x.m = 0.5;
		x.e++;
	}
	return x;
}

static Mag mag_div(Mag a, Mag b)
{
	if (a.m == 0)
		return a;
	return mag_make(a.m / b.m, a.e - b.e);
}

static Mag mag_sqrt(Mag a)
{
	Mag r = a;

	if (a.m == 0)
		return a;
	/* An even exponent halves exactly; sqrt(m) for m in [0.5, 1) is in
	 * [0.7, 1) and sqrt(2m) in [1, 1.42) needs one halving. */
	if (a.e % 2 != 0) {
		r.m = sqrtl(a.m * 2) / 2;
		r.e = (a.e - 1) / 2 + 1;
	} else {
		r.m = sqrtl(a.m);
		r.e = a.e / 2;
	}
	return r;
}

/* The value as a double: inf above DBL_MAX, 0 far below DBL_MIN. */
static double mag_to_double(Mag a)
{
	if (a.m == 0 || a.e < DBL_MIN_EXP - DBL_MANT_DIG - 1)
		return 0;
	if (a.e > DBL_MAX_EXP)
		return INFINITY;
	return (double)ldexpl(a.m, (int)a.e);
}

/* a + s for a finite s >= 0 (the bias variance S^2, at most 100). */
static Mag mag_add_small(Mag a, long double s)
{
	if (s == 0 || a.e > 80)
		return a;
	if (a.m == 0 || a.e < -16000)
		return mag_make(s, 0);
	return mag_make(ldexpl(a.m, (int)a.e) + s, 0);
}

/* a < 2^e (a finite). */
static int mag_below(Mag a, int64_t e)
{
	return a.m == 0 || a.e <= e;
}

/* exp(-x) for x >= 0 of any size (a 64-bit exponent holds e^-1e15). */
static Mag mag_exp_neg(double x)
{
	XMag v;

	if (x < 700)
		return mag_make(expl(-(long double)x), 0);
	if (!(x < 1e15))
		x = 1e15;
	v = xmag_pow10(-x * 0.43429448190325182765);
	return mag_from_xmag(v);
}

/* ---------------------------------------------------------------------- */
/* Quadrature                                                             */
/* ---------------------------------------------------------------------- */

/*
 * Gauss-Hermite nodes and weights for E over z ~ N(0, 1), by Newton on
 * the orthonormal Hermite recurrence (Numerical Recipes' gauher, whose
 * starting guesses put each Newton run next to its own root), then scaled
 * from the weight e^(-x^2) to the normal density. Only the n/2 positive
 * nodes are kept: the rule is symmetric, n is even.
 */
#define GH_N 64 /* the general rule */
#define GH_SMALL_N \
	12 /* for q <= GH_SMALL_Q, where integrands are nearly
                       * polynomials (see below) */

typedef struct {
	int half; /* n / 2 */
	double x[GH_N / 2];
	double w[GH_N / 2]; /* sums to 1/2 */
} GaussRule;

static void gauss_rule(int n, GaussRule *g)
{
	const long double pim4 = 0.7511255444649424828587030047762276930510L;
	long double z = 0, z1, p1, p2, p3, pp = 1, xs[GH_N / 2];
	int i, j, it;

	g->half = n / 2;
	for (i = 0; i < n / 2; i++) {
		if (i == 0)
			z = sqrtl(2.0L * n + 1) -
			    1.85575L * powl(2.0L * n + 1, -0.16667L);
		else if (i == 1)
			z -= 1.14L * powl((long double)n, 0.426L) / z;
		else if (i == 2)
			z = 1.86L * z - 0.86L * xs[0];
		else if (i == 3)
			z = 1.91L * z - 0.91L * xs[1];
		else
			z = 2 * z - xs[i - 2];
		for (it = 0; it < 100; it++) {
			p1 = pim4;
			p2 = 0;
			for (j = 1; j <= n; j++) {
				p3 = p2;
				p2 = p1;
				p1 = z * sqrtl(2.0L / j) * p2 -
				    sqrtl((long double)(j - 1) / j) * p3;
			}
			pp = sqrtl(2.0L * n) * p2;
			z1 = z;
			z = z1 - p1 / pp;
			if (fabsl(z - z1) <= 1e-17L * fabsl(z))
				break;
		}
		xs[i] = z;
		/* Physicists' weight 2 / pp^2 over sqrt(pi), at sqrt(2) z. */
		g->x[n / 2 - 1 - i] = (double)(z * 1.41421356237309504880L);
		g->w[n / 2 - 1 - i] = (double)(2 / (pp * pp) /
		    1.77245385090551602730L);
	}
}

/*
 * The plain 64-node rule: exact for polynomials to degree 127 and fast
 * for entire functions, slow where f has poles near the real axis:
 * E[tanh(x)^2] is good to 4e-16 up to q = 1/4 but only to 7e-9 at q = 1
 * (measured), which is why theory_compute switches rule past q = 1/4.
 */
double theory_gauss_expect(double (*f)(double x, void *ctx), void *ctx,
    double q)
{
	GaussRule g;
	double s = sqrt(q), sum = 0;
	int i;

	gauss_rule(GH_N, &g);
	/* Smallest terms first. */
	for (i = g.half - 1; i >= 0; i--)
		sum += g.w[i] * (f(s * g.x[i], ctx) + f(-s * g.x[i], ctx));
	return sum;
}

/*
 * T2(c) and S4(c), c > 0 finite, by one of two rules:
 *
 * - c <= TANH_GH_MAX: Gauss-Hermite. tanh(c z) has poles at
 *   z = i pi / (2c), closer to the real axis as c grows, and the rule
 *   degrades fast: with 64 nodes the error is 4e-16 at c = 0.5 but 7e-9
 *   (T2) and 2e-7 (S4) at c = 1 (measured; 24-48 nodes are already
 *   1e-8..1e-13 off at c = 0.5), hence the switch at 0.5. For c^2 <= GH_SMALL_Q, 12 nodes are exact for the
 *   Taylor series to degree 23, and the rest is below rounding.
 *
 * - c > TANH_GH_MAX: tanh(c z) is on its way to a step, and Gauss-Hermite
 *   would need thousands of nodes. Substituting x = c z gives
 *     E[f(c z)] = (1/c) int f(x) phi(x / c) dx,
 *   and for f = sech^2k the integrand is analytic in |Im x| < pi/2 and
 *   falls like e^(-2k|x|), so the trapezoid rule with step h is accurate
 *   to about exp(-pi^2 / h) (1e-34 for h = 1/8), and cutting at |x| = 20
 *   drops 2 e^-40 = 8e-18 of mass. T2 = 1 - S(2) (or, for c < 2, tanh^2
 *   directly: see tanh_moments_trap).
 *
 * Measured against a long double trapezoid in z with step 1/(20 max(c, 1))
 * (the oracle of tests/check_theory.c) at 400 values of c from 1e-6 to
 * 1e4, dense around the switch: relative error of T2 and S4 at most
 * 4.4e-16, on both sides of the switch and at c = 1e-6 and 1e4.
 */
#define TANH_GH_MAX 0.5
#define GH_SMALL_Q 1e-3
#define TRAP_STEP 0.125
#define TRAP_CUT 20.0

static void tanh_moments_gh(const GaussRule *g, double c, double *t2,
    double *s4)
{
	double y, em, t, sech2, st = 0, ss = 0;
	int i;

	for (i = g->half - 1; i >= 0; i--) {
		/* tanh y = -expm1(-2y) / (1 + e^-2y): full relative
		 * precision for small y, where the ratio path needs it. */
		y = c * g->x[i];
		em = expm1(-2 * y);
		t = -em / (2 + em);
		sech2 = 4 * (em + 1) / ((2 + em) * (2 + em));
		st += g->w[i] * t * t;
		ss += g->w[i] * sech2 * sech2;
	}
	*t2 = 2 * st;
	*s4 = 2 * ss;
}

static void tanh_moments_trap(double c, double *t2, double *s4)
{
	const double k = TRAP_STEP / (c * 2.50662827463100050242);
	double x, e, t, sech2, ph, st = 0, s2 = 0, ss = 0;
	int j;

	for (j = (int)(TRAP_CUT / TRAP_STEP); j >= 1; j--) {
		x = j * TRAP_STEP;
		e = exp(-2 * x);
		t = (1 - e) / (1 + e);
		sech2 = 4 * e / ((1 + e) * (1 + e));
		ph = exp(-0.5 * (x / c) * (x / c));
		st += t * t * ph;
		s2 += sech2 * ph;
		ss += sech2 * sech2 * ph;
	}
	/* x = 0 once (tanh 0 = 0, sech 0 = 1), the others twice. While
	 * 9c < TRAP_CUT the Gaussian itself cuts T2's integrand off, and
	 * integrating it directly avoids 1 - S(2) cancelling (T2 < 0.64). */
	*t2 = c < 2 ? 2 * st * k : 1 - (2 * s2 + 1) * k;
	*s4 = (2 * ss + 1) * k;
}

typedef struct {
	GaussRule big, small;
} Rules;

/* T2 and S4 at scale c = sqrt(cq), cq given as a Mag (any size). T2 is
 * returned as a Mag: for small c it is c^2 times a ratio near 1, which
 * keeps it exact far below the double range. Returns 1 when c^2 is past
 * GH_SMALL_Q, where the nonlinearity is felt (see theory_compute). */
static int tanh_moments(const Rules *ru, Mag cq, Mag *t2, Mag *s4)
{
	double c, t, s, ratio;

	/* Below 2^-200, T2 = c^2 (1 - 2 c^2 ...) and S4 = 1 - 4 c^2 ... are
	 * c^2 and 1 to far past double precision. */
	if (mag_below(cq, -200)) {
		*t2 = cq;
		*s4 = mag_make(1, 0);
		return 0;
	}
	/* Above 2^200, T2 = 1 - 0.8/c and S4 = (4/3) / (sqrt(2 pi) c) to
	 * within 1e-30. */
	if (!mag_below(cq, 200)) {
		*t2 = mag_make(1, 0);
		*s4 = mag_div(mag_make(4.0L / 3 / 2.506628274631000502416L, 0),
		    mag_sqrt(cq));
		return 1;
	}
	c = sqrt(mag_to_double(cq));
	if (c > TANH_GH_MAX) {
		tanh_moments_trap(c, &t, &s);
		*t2 = mag_make(t, 0);
		*s4 = mag_make(s, 0);
		return 1;
	}
	tanh_moments_gh(c * c <= GH_SMALL_Q ? &ru->small : &ru->big, c, &t, &s);
	*s4 = mag_make(s, 0);
	/* t / c^2 is the ratio near 1; multiplying it back into the exact
	 * cq keeps T2 to full precision for tiny c. */
	ratio = t / (c * c);
	*t2 = mag_scale(cq, ratio);
	return c * c > GH_SMALL_Q;
}

/* ---------------------------------------------------------------------- */
/* Layers                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * Each row's maps, the meaning of ENGINE_ACTS here. Returning 1 means
 * the layer is nonlinear enough for the map to settle on a fixed point.
 *
 * random_<name>: random weights, from q = lambda^2 r^2[l-1] to r^2[l]
 * and chi[l].
 * identity_<name>: identity weights, from x = lambda a[l-1] (a[l-1] >=
 * 0) to a[l] = phi(x) and the gradient factor lambda |phi'(x)|.
 */
static int random_linear(const Rules *ru, Mag lam2, Mag q, Mag *r2, Mag *chi)
{
	(void)ru;
	*r2 = q;
	*chi = lam2;
	return 0;
}

static int identity_linear(double lambda, Mag lam, Mag x, Mag *a, Mag *g)
{
	(void)lambda;
	*a = x;
	*g = lam;
	return 0;
}

static int random_tanh(const Rules *ru, Mag lam2, Mag q, Mag *r2, Mag *chi)
{
	Mag s4;
	int settles = tanh_moments(ru, q, r2, &s4);

	*chi = mag_mul(s4, lam2);
	return settles;
}

static int identity_tanh(double lambda, Mag lam, Mag x, Mag *a, Mag *g)
{
	long double xd, em;
	Mag e;

	/* Below 2^-27, tanh x = x (1 - x^2/3) is x to double precision and
	 * sech^2 is 1: the engine's rule too. */
	if (mag_below(x, -27)) {
		*a = x;
		*g = lam;
		return 0;
	}
	xd = mag_to_double(x);
	em = expm1l(-2 * xd);
	*a = mag_make(-em / (2 + em), 0);
	/* sech^2 x = 4 e^-2x / (1 + e^-2x)^2 */
	e = mag_exp_neg(2 * (double)xd);
	*g = mag_scale(e, 4 * lambda / ((2 + em) * (2 + em)));
	return 1;
}

static int random_relu(const Rules *ru, Mag lam2, Mag q, Mag *r2, Mag *chi)
{
	(void)ru;
	/* Half the mass is passed, with derivative 1: both halve. */
	*r2 = q;
	*chi = lam2;
	r2->e -= r2->m != 0;
	chi->e -= chi->m != 0;
	return 0;
}

static int identity_relu(double lambda, Mag lam, Mag x, Mag *a, Mag *g)
{
	(void)lambda;
	*a = x;
	*g = x.m > 0 ? lam : x;
	return 0;
}

static int random_sigmoid(const Rules *ru, Mag lam2, Mag q, Mag *r2, Mag *chi)
{
	Mag t2, s4;
	int settles;

	/* sigmoid at scale s/2: c^2 = q/4. */
	q.e -= q.m != 0 ? 2 : 0;
	settles = tanh_moments(ru, q, &t2, &s4);
	*r2 = mag_make((1 + (long double)mag_to_double(t2)) / 4, 0);
	*chi = mag_mul(s4, lam2);
	chi->e -= chi->m != 0 ? 4 : 0;
	return settles;
}

static int identity_sigmoid(double lambda, Mag lam, Mag x, Mag *a, Mag *g)
{
	long double xd, d;
	Mag e;

	(void)lam;
	xd = mag_to_double(x);
	/* sigmoid x = 1 / (1 + e^-x), sigmoid' = e^-x / (1 + e^-x)^2 */
	e = mag_exp_neg((double)xd);
	d = 1 + mag_to_double(e);
	*a = mag_make(1 / d, 0);
	*g = mag_scale(e, lambda / (d * d));
	return 1;
}

/* E[phi(sqrt(q) z)], the mean a residual branch adds to every unit
 * (0 for an odd phi): ReLU's sqrt(q / (2 pi)), sigmoid's 1/2 (sigmoid
 * - 1/2 is odd). */
static Mag mean_linear(Mag q)
{
	(void)q;
	return mag_make(0, 0);
}

static Mag mean_tanh(Mag q)
{
	(void)q;
	return mag_make(0, 0);
}

static Mag mean_relu(Mag q)
{
	return mag_scale(mag_sqrt(q), 0.398942280401432677939946059934L);
}

static Mag mean_sigmoid(Mag q)
{
	(void)q;
	return mag_make(0.5L, 0);
}

static const struct {
	int (*random)(const Rules *ru, Mag lam2, Mag q, Mag *r2, Mag *chi);
	int (*identity)(double lambda, Mag lam, Mag x, Mag *a, Mag *g);
	Mag (*mean)(Mag q);
} maps[] = {
#define MAP_ROW(e, name, ...) \
	[ENGINE_ACT_##e] = {random_##name, identity_##name, mean_##name},
    ENGINE_ACTS(MAP_ROW)
#undef MAP_ROW
};

/* ---------------------------------------------------------------------- */
/* The network                                                            */
/* ---------------------------------------------------------------------- */

/* |a - b| <= tol b. */
static int mag_close(Mag a, Mag b, long double tol)
{
	if (a.m == 0 || b.m == 0)
		return a.m == b.m;
	if (a.e - b.e > 1 || b.e - a.e > 1)
		return 0;
	return fabsl(ldexpl(a.m, (int)(a.e - b.e)) - b.m) <= tol * b.m;
}

/*
 * Depth 100000 takes 3-10 ms for most settings and at most ~35 ms (tanh
 * at lambda 1, where q ~ 1/(2l) never settles and every layer costs a
 * 12-node quadrature), measured over every init, activation and lambda
 * in {0, 0.5, 0.9, 1, 1.01, 1.5, 2, 4, 10, 100} on the build machine.
 */
int theory_derived(const EngineConfig *cfg)
{
	return (cfg->arch == ENGINE_ARCH_PLAIN &&
	           cfg->norm == ENGINE_NORM_NONE) ||
	    cfg->init != ENGINE_INIT_IDENTITY;
}

/*
 * Whether the gradient independence the blocks' chi assumes holds. Not
 * for residual blocks of a non-odd phi without layer norm: the branches'
 * common mean builds a component along ones into every a[l], W^T e's
 * part along a[l-1] (the forward product's) carries it into the
 * gradient, and the engine's gradient runs far above the independent
 * one (He ReLU, width 4096, depth 60: 3e12 against 1e9; at alpha =
 * 1/sqrt(L) 2.5 against 1.6). Layer norm removes the mean before W
 * sees it, and an odd phi adds none.
 */
static int theory_blocks_gradient(const EngineConfig *cfg)
{
	return cfg->arch == ENGINE_ARCH_PLAIN ||
	    cfg->norm == ENGINE_NORM_LAYER || act_odd(cfg->act);
}

/* a + b, both finite and non-negative. */
static Mag mag_add(Mag a, Mag b)
{
	Mag t;

	if (a.m == 0)
		return b;
	if (b.m == 0)
		return a;
	if (a.e < b.e) {
		t = a;
		a = b;
		b = t;
	}
	if (a.e - b.e > 80)
		return a;
	return mag_make(a.m + ldexpl(b.m, (int)(b.e - a.e)), a.e);
}

/* a - b for a >= b >= 0 (0 when rounding says otherwise). */
static Mag mag_sub(Mag a, Mag b)
{
	long double d;

	if (b.m == 0)
		return a;
	if (a.e - b.e > 80)
		return a;
	d = a.m - ldexpl(b.m, (int)(b.e - a.e));
	return d > 0 ? mag_make(d, a.e) : mag_make(0, 0);
}

/* v / (v + eps): a norm's output's mean square for an input of
 * variance (layer) or mean square (rms) v. */
static Mag norm_share(Mag v)
{
	return mag_div(v, mag_add(v, mag_make(ENGINE_NORM_EPS, 0)));
}

/*
 * The mean-field maps of the blocks, for random weights (width and the
 * seed do not enter), gradient independent of the forward pass as in
 * theory_compute; E is over z ~ N(0, 1), q the pre-activation's
 * variance, eps = ENGINE_NORM_EPS.
 *
 * plain, norm N: z has variance qz = lambda^2 q[l-1] + S^2 (mean 0),
 * y = N(z) has mean square qy = qz / (qz + eps) for either norm, and
 *   q[l] = E[phi(sqrt(qy) z)^2],
 *   chi[l] = lambda^2 E[phi'(sqrt(qy) z)^2] / (qz + eps)
 * (the Jacobian divides by sigma = sqrt(qz + eps) and projects off one
 * or two of n directions).
 *
 * residual: a[l] = a[l-1] + alpha phi(z) with phi(z) independent of
 * a[l-1]'s unit, so the units' mean mu and variance v (q = v + mu^2)
 * follow
 *   mu[l] = mu[l-1] + alpha m,  m = E[phi(sqrt(qz) z)] (0 if phi is odd),
 *   v[l]  = v[l-1] + alpha^2 (E[phi^2] - m^2),
 * with qz = lambda^2 qh + S^2 and qh = q (none), v / (v + eps) (layer),
 * q / (q + eps) (rms); the gradient's square gains the branch's
 *   chi[l] = 1 + alpha^2 lambda^2 E[phi'(sqrt(qz) z)^2] / s,
 * s = 1 (none), v + eps (layer), q + eps (rms). mu[0] is the input's
 * mean: 1 for ones, 0 (its expectation) for random.
 */
static int theory_blocks(const EngineConfig *cfg, XMag r0, XMag *act,
    XMag *grad, TheoryFactor *factor)
{
	int L = cfg->depth, l, res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	long double s2 = (long double)cfg->bias_std * cfg->bias_std;
	long double al = engine_branch_alpha(cfg);
	Mag lam2 = mag_make((long double)cfg->lambda * cfg->lambda, 0);
	Mag one = mag_make(1, 0), eps = mag_make(ENGINE_NORM_EPS, 0);
	Mag q = mag_from_xmag(r0), mu, v, qh, qz, r2, chi, m, s, f;
	Mag prod = one;
	XMag total;
	Rules ru;
	double c = 1;

	gauss_rule(GH_N, &ru.big);
	gauss_rule(GH_SMALL_N, &ru.small);
	q = mag_mul(q, q);
	mu = cfg->input == ENGINE_INPUT_ONES ? mag_from_xmag(r0) :
	                                       mag_make(0, 0);
	v = mag_sub(q, mag_mul(mu, mu));
	act[0] = r0;
	grad[0] = xmag_from_double(1);
	for (l = 1; l <= L; l++) {
		if (!res) {
			qz = mag_add_small(mag_mul(lam2, q), s2);
			maps[cfg->act].random(&ru, one, norm_share(qz), &r2,
			    &chi);
			f = mag_div(mag_mul(lam2, chi), mag_add(qz, eps));
			q = r2;
		} else {
			qh = cfg->norm == ENGINE_NORM_NONE ? q :
			    cfg->norm == ENGINE_NORM_LAYER ? norm_share(v) :
			                                     norm_share(q);
			s = cfg->norm == ENGINE_NORM_NONE  ? one :
			    cfg->norm == ENGINE_NORM_LAYER ? mag_add(v, eps) :
			                                     mag_add(q, eps);
			qz = mag_add_small(mag_mul(lam2, qh), s2);
			maps[cfg->act].random(&ru, lam2, qz, &r2, &chi);
			m = maps[cfg->act].mean(qz);
			v = mag_add(v,
			    mag_scale(mag_sub(r2, mag_mul(m, m)), al * al));
			mu = mag_add(mu, mag_scale(m, al));
			q = mag_add(v, mag_mul(mu, mu));
			f = mag_add(one, mag_div(mag_scale(chi, al * al), s));
		}
		act[l] = mag_to_xmag(mag_sqrt(q));
		prod = mag_mul(prod, mag_sqrt(f));
		grad[l] = mag_to_xmag(prod);
		c = mag_to_double(f);
	}
	total = grad[L];
	for (l = 0; l <= L; l++)
		grad[l] = theory_blocks_gradient(cfg) ?
		    xmag_div(total, grad[l]) :
		    xmag_from_double(NAN);
	if (factor != NULL) {
		factor->chi = theory_blocks_gradient(cfg) ? c : NAN;
		factor->xi = c == 1 ? INFINITY : c == 0 ? 0 : -1 / log(c);
		if (isnan(factor->chi))
			factor->xi = NAN;
	}
	return 0;
}

int theory_compute(const EngineConfig *cfg, XMag r0, XMag *act, XMag *grad,
    TheoryFactor *factor, char *err, size_t errlen)
{
	/* With biases each coordinate of an identity network has its own
	 * b: the scalar recurrence is gone and the mean-field map (exact in
	 * expectation for linear) stands in. */
	int identity = cfg->init == ENGINE_INIT_IDENTITY &&
	    !(cfg->bias_std > 0);
	long double s2 = (long double)cfg->bias_std * cfg->bias_std;
	int L, l, lz = 0, repeat = 0, settles;
	Mag state, prev, next, gl = mag_make(1, 0), prod = mag_make(1, 0);
	Mag chi = mag_make(0, 0), lam = mag_make(cfg->lambda, 0), lam2;
	XMag total, out = r0;
	Rules ru;
	double c;

	if (engine_config_validate(cfg, err, errlen) < 0)
		return -1;
	if (!xmag_is_finite(r0)) {
		snprintf(err, errlen, "input rms is not finite");
		return -1;
	}
	L = cfg->depth;
	if (theory_derived(cfg) &&
	    (cfg->arch != ENGINE_ARCH_PLAIN || cfg->norm != ENGINE_NORM_NONE))
		return theory_blocks(cfg, r0, act, grad, factor);
	if (!theory_derived(cfg)) {
		/* No recurrence is derived for these blocks: nan says so
		 * (no marker, "nan" in a table) rather than a wrong value. */
		for (l = 0; l <= L; l++)
			act[l] = grad[l] = xmag_from_double(NAN);
		if (factor != NULL)
			factor->chi = factor->xi = NAN;
		return 0;
	}
	lam2 = mag_mul(lam, lam);
	/* The maps of rows that are not homogeneous integrate. */
	if (!identity && !act_homogeneous(cfg->act)) {
		gauss_rule(GH_N, &ru.big);
		gauss_rule(GH_SMALL_N, &ru.small);
	}
	/* The state: r^2 for random weights, a for identity. */
	state = mag_from_xmag(r0);
	if (!identity)
		state = mag_mul(state, state);
	act[0] = r0;
	grad[0] = xmag_from_double(1);
	for (l = 1; l <= L; l++) {
		/*
		 * Once a nonlinear map gives back its input to within the
		 * quadrature's precision, every later layer is this one
		 * again: deep networks cost the transient, not the depth.
		 * (Linear maps, r^2 -> lambda^2 r^2 and the like, are cheap
		 * and run to the end: there a relative step of 2^-50 can be
		 * a real lambda^2 = 1 + 2^-50.) Stopping when the step is
		 * below tol leaves the state off the fixed point by
		 * tol / (1 - rate) for a map contracting at rate, and every
		 * later factor off by that times its sensitivity, so tol is
		 * the precision of the map itself: 2^-50 for the quadratures
		 * (4e-16), 2^-60 for the identity recurrence in long double
		 * (at depth 600 a coarser stop costs 1e-12 in t[0]).
		 */
		if (!repeat) {
			prev = state;
			if (identity) {
				settles = maps[cfg->act].identity(cfg->lambda,
				    lam, mag_mul(state, lam), &next, &gl);
				chi = mag_mul(gl, gl);
			} else {
				settles = maps[cfg->act].random(&ru, lam2,
				    mag_add_small(mag_mul(state, lam2), s2),
				    &next, &chi);
				gl = mag_sqrt(chi);
			}
			state = next;
			repeat = settles &&
			    mag_close(state, prev,
			        identity ? 0x1p-60L : 0x1p-50L);
			out = mag_to_xmag(identity ? state : mag_sqrt(state));
		}
		act[l] = out;
		/* grad[l] holds the product of the factors since the last
		 * zero one (lz): t[l] = grad[L] / grad[l] above lz. */
		if (gl.m == 0) {
			lz = l;
			prod = mag_make(1, 0);
		} else {
			prod = mag_mul(prod, gl);
		}
		grad[l] = mag_to_xmag(prod);
	}
	total = grad[L];
	for (l = 0; l <= L; l++)
		grad[l] = l < lz ? xmag_from_double(0) :
		                   xmag_div(total, grad[l]);
	if (factor != NULL) {
		c = mag_to_double(chi);
		factor->chi = c;
		factor->xi = c == 1 ? INFINITY : c == 0 ? 0 : -1 / log(c);
	}
	return 0;
}

/*
 * tanh's edge of chaos at bias std S: the lambda at which chi = lambda^2
 * S4(sqrt q*) is 1 at the variance map's fixed point q* = lambda^2
 * T2(sqrt q*) + S^2. Both conditions hold at once exactly when lambda^2
 * = 1 / S4(sqrt q) and S^2 = h(q) = q - T2(sqrt q) / S4(sqrt q), so q* is
 * found by bisection on h (which rises from 0 at q = 0 like q^3 and
 * grows without bound) and lambda follows from it.
 */
double theory_tanh_critical_lambda(double bias_std)
{
	Rules ru;
	Mag t2, s4;
	double lo = 0, hi = 1, mid = 0, s2 = bias_std * bias_std, h;
	int it;

	if (!(bias_std > 0))
		return 1;
	gauss_rule(GH_N, &ru.big);
	gauss_rule(GH_SMALL_N, &ru.small);
	for (it = 0; it < 200; it++) {
		tanh_moments(&ru, mag_make(hi, 0), &t2, &s4);
		if (hi - mag_to_double(t2) / mag_to_double(s4) >= s2)
			break;
		lo = hi;
		hi *= 2;
	}
	for (it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
		mid = (lo + hi) / 2;
		tanh_moments(&ru, mag_make(mid, 0), &t2, &s4);
		h = mid - mag_to_double(t2) / mag_to_double(s4);
		if (h < s2)
			lo = mid;
		else
			hi = mid;
	}
	tanh_moments(&ru, mag_make((lo + hi) / 2, 0), &t2, &s4);
	return 1 / sqrt(mag_to_double(s4));
}
