/*
 * engine_act: the activations' vector kernels, for exact precision (phi
 * and phi' as scale and direction, to full relative precision over any
 * range) and the float precisions (IEEE arithmetic on actual values).
 * One kernel of each kind per row of ENGINE_ACTS. Internal; see
 * include/engine_impl.h.
 */
#include "engine_impl.h"

#include <math.h>
#include <string.h>

/* tanh, sigmoid: below this |z| the activation is linear to double
 * precision (tanh z = z (1 - z^2/3 ...), z^2/3 < 2^-55). */
#define ENGINE_LINEAR_BELOW 0x1p-27
/* Past this exponent argument the derivatives are scaled out as an XMag
 * so they do not underflow (exp(-700) is near DBL_MIN). */
#define ENGINE_EXP_SAFE 600.0

/* min and max of |x[i]|. */
ENGINE_HOT static void vec_absrange(const double *x, int n, double *lo,
    double *hi)
{
	double mn[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
	double mx[4] = {0, 0, 0, 0}, ax;
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			ax = fabs(x[i + k]);
			mn[k] = ax < mn[k] ? ax : mn[k];
			mx[k] = ax > mx[k] ? ax : mx[k];
		}
	for (; i < n; i++) {
		ax = fabs(x[i]);
		mn[0] = ax < mn[0] ? ax : mn[0];
		mx[0] = ax > mx[0] ? ax : mx[0];
	}
	for (k = 1; k < 4; k++) {
		mn[0] = mn[k] < mn[0] ? mn[k] : mn[0];
		mx[0] = mx[k] > mx[0] ? mx[k] : mx[0];
	}
	*lo = mn[0];
	*hi = mx[0];
}

/* XMag of exp(x) for any x. */
static XMag xmag_exp(double x)
{
	return xmag_pow10(x * 0.43429448190325182765);
}

/*
 * exp(y) and expm1(y) for y <= 0 to within a few ulp, without branches
 * or calls so that the loops below vectorise: y = k ln2 + r, |r| <=
 * ln2/2, expm1(r) by its Taylor series to r^13 (error < 2^-56), then
 * exp(y) = 2^k (1 + expm1(r)) and expm1(y) = 2^k expm1(r) + (2^k - 1),
 * which is exact in the k = 0 range where plain exp(y) - 1 would cancel.
 * y below -708 is clamped there: callers only use such values where they
 * are negligible next to larger ones.
 */
static inline ENGINE_INLINE void exp_neg(double y, double *q, double *em)
{
	double kd, r, r2, r4, r8, p, sc;
	uint64_t u;

	y = y > -708.0 ? y : -708.0;
	/* Round y / ln2 to an integer in the low bits of kd. */
	kd = y * 1.4426950408889634074 + 0x1.8p52;
	memcpy(&u, &kd, sizeof u);
	kd -= 0x1.8p52;
	r = (y - kd * 6.93147180369123816490e-01) -
	    kd * 1.90821492927058770002e-10;
	/* Estrin's scheme: the same series as Horner's rule, but in a tree
	 * of depth 4 rather than a chain of 13, so that the loop is not
	 * bound by the latency of one long chain. */
	r2 = r * r;
	r4 = r2 * r2;
	r8 = r4 * r4;
	p = ((1.0 + r * 0.5) + r2 * (1.0 / 6.0 + r * (1.0 / 24.0))) +
	    r4 *
	        ((1.0 / 120.0 + r * (1.0 / 720.0)) +
	            r2 * (1.0 / 5040.0 + r * (1.0 / 40320.0)));
	p += r8 *
	    (((1.0 / 362880.0 + r * (1.0 / 3628800.0)) +
	         r2 * (1.0 / 39916800.0 + r * (1.0 / 479001600.0))) +
	        r4 * (1.0 / 6227020800.0));
	p *= r;
	/* 2^k from the exponent field; k is in [-1022, 0]. */
	u = (u + 1023) << 52;
	memcpy(&sc, &u, sizeof sc);
	*q = sc + sc * p;
	*em = sc * p + (sc - 1);
}

/*
 * Entry i of the tanh and sigmoid kernels' common case: with v = xi[i] k
 * (a[i] when xi is NULL) and x = s v, a[i] = phi(x), d[i] = phi'(x).
 * Inlined with xi a constant NULL or not, so that each kernel has a loop
 * for either: reading the draws directly saves a pass that would write
 * v into a.
 */
static inline ENGINE_INLINE void tanh_one(const float *xi, double k,
    double *restrict a, double s, double *restrict d, int i)
{
	double x, q, em, inv;

	x = s * (xi != NULL ? xi[i] * k : a[i]);
	exp_neg(-2 * fabs(x), &q, &em);
	inv = 1 / (1 + q);
	d[i] = 4 * q * inv * inv;
	a[i] = copysign(-em * inv, x);
}

static inline ENGINE_INLINE void sigmoid_one(const float *xi, double k,
    double *restrict a, double s, double *restrict d, int i)
{
	double x, q, em, inv;

	x = s * (xi != NULL ? xi[i] * k : a[i]);
	exp_neg(-fabs(x), &q, &em);
	inv = 1 / (1 + q);
	d[i] = q * inv * inv;
	a[i] = (x >= 0 ? 1 : q) * inv;
}

/*
 * The common case of both kernels, with one = tanh_one or sigmoid_one.
 * Eight entries a step: the vectoriser interleaves two vectors' chains
 * of dependent operations, which the core then overlaps. (A sum of
 * squares carried in the loop would stop GCC vectorising it.) One loop
 * for xi and one for a constant NULL. Macros, so that one is inlined
 * into each as surely as if it were written out.
 */
#define KERNEL_LOOP(one, xi, k, a, s, n, d) \
	do { \
		int i_, j_; \
		for (i_ = 0; i_ + 8 <= (n); i_ += 8) \
			for (j_ = 0; j_ < 8; j_++) \
				one(xi, k, a, s, d, i_ + j_); \
		for (; i_ < (n); i_++) \
			one(xi, k, a, s, d, i_); \
	} while (0)
#define KERNEL_COMMON(one, xi, k, a, s, n, d) \
	do { \
		if ((xi) != NULL) \
			KERNEL_LOOP(one, xi, k, a, s, n, d); \
		else \
			KERNEL_LOOP(one, NULL, 1, a, s, n, d); \
	} while (0)

/*
 * a = tanh(s v), d = tanh'(s v) = sech^2(s v), to full relative
 * precision, with v = xi k (or a on entry when xi is NULL). With
 * q = e^(-2|x|), tanh|x| = -expm1(-2|x|) / (1 + q) and sech^2 x =
 * 4q / (1 + q)^2. When every |x| is large, sech^2 underflows; then d is
 * returned divided by e^(-2 shift) (shift = min |x|).
 */
ENGINE_HOT static void kernel_tanh(const float *xi, double k,
    double *restrict a, double s, double shift, int n, double *restrict d)
{
	double x, q, em, qs;
	int i;

	if (shift == 0) {
		KERNEL_COMMON(tanh_one, xi, k, a, s, n, d);
		return;
	}
	if (xi != NULL)
		draws_scaled(xi, k, n, a);
	for (i = 0; i < n; i++) {
		x = fabs(s * a[i]);
		exp_neg(-2 * x, &q, &em);
		exp_neg(-2 * (x - shift), &qs, &em);
		d[i] = 4 * qs / ((1 + q) * (1 + q));
	}
	for (i = 0; i < n; i++) {
		x = s * a[i];
		exp_neg(-2 * fabs(x), &q, &em);
		a[i] = copysign(-em / (1 + q), x);
	}
}

/* a = sigmoid(s v), d = sigmoid'(s v) = q / (1 + q)^2 with q = e^-|x|;
 * d shifted by e^-shift and the rest as in kernel_tanh. */
ENGINE_HOT static void kernel_sigmoid(const float *xi, double k,
    double *restrict a, double s, double shift, int n, double *restrict d)
{
	double x, q, em, qs;
	int i;

	if (shift == 0) {
		KERNEL_COMMON(sigmoid_one, xi, k, a, s, n, d);
		return;
	}
	if (xi != NULL)
		draws_scaled(xi, k, n, a);
	for (i = 0; i < n; i++) {
		x = fabs(s * a[i]);
		exp_neg(-x, &q, &em);
		exp_neg(-(x - shift), &qs, &em);
		d[i] = qs / ((1 + q) * (1 + q));
	}
	for (i = 0; i < n; i++) {
		x = s * a[i];
		exp_neg(-fabs(x), &q, &em);
		a[i] = (x >= 0 ? 1 : q) / (1 + q);
	}
}

/* ---------------------------------------------------------------------- */
/* The rows' kernels                                                      */
/* ---------------------------------------------------------------------- */

/*
 * A row's exact kernel, on z = s_z v: v is in a, or, for rows that are
 * not homogeneous, v = xi k when xi is not NULL (the kernel reads the
 * draws itself, which saves a pass writing v into a); [vmin, vmax] is
 * the range of |v| (rows not homogeneous only). It writes phi'(z) as
 * s_d d (s_d is 1 on entry) and into a either phi(z) / s_z, returning 1
 * (the scale passes through), or phi(z), returning 0.
 */
typedef struct {
	XMag s_z;
	const float *xi;
	double k;
	double *a, *d;
	double vmin, vmax;
	int n;
	XMag s_d;
} ExactPhi;

static int exact_linear(ExactPhi *x)
{
	(void)x;
	return 1;
}

static int exact_tanh(ExactPhi *x)
{
	double s, shift;
	int i;

	/* tanh is linear to double precision below ENGINE_LINEAR_BELOW; its
	 * output is bounded, so past that |z| = s_z |v| fits a double. */
	if (xmag_is_zero(x->s_z) ||
	    xmag_cmp(xmag_mul(x->s_z, xmag_from_double(x->vmax)),
	        xmag_from_double(ENGINE_LINEAR_BELOW)) < 0) {
		if (x->xi != NULL)
			draws_scaled(x->xi, x->k, x->n, x->a);
		for (i = 0; i < x->n; i++)
			x->d[i] = 1;
		return 1;
	}
	s = xmag_to_double(x->s_z);
	shift = 2 * s * x->vmin > ENGINE_EXP_SAFE ? s * x->vmin : 0;
	kernel_tanh(x->xi, x->k, x->a, s, shift, x->n, x->d);
	x->s_d = xmag_exp(-2 * shift);
	return 0;
}

static int exact_relu(ExactPhi *x)
{
	double *a = x->a, *d = x->d;
	int i;

	for (i = 0; i < x->n; i++) {
		d[i] = a[i] > 0 ? 1 : 0;
		a[i] = a[i] > 0 ? a[i] : 0;
	}
	return 1;
}

static int exact_sigmoid(ExactPhi *x)
{
	/* sigmoid is near 1/2 for tiny z: a z that underflows here rounds
	 * sigmoid to 1/2 within double precision. */
	double s = xmag_to_double(x->s_z);
	double shift = s * x->vmin > ENGINE_EXP_SAFE ? s * x->vmin : 0;

	kernel_sigmoid(x->xi, x->k, x->a, s, shift, x->n, x->d);
	x->s_d = xmag_exp(-shift);
	return 0;
}

/* A row's float kernel: a = phi(z), d = phi'(z), each operation rounded
 * to p's format. */
static void float_linear(EnginePrecision p, const double *z, int n, double *a,
    double *d)
{
	int i;

	(void)p;
	for (i = 0; i < n; i++) {
		a[i] = z[i];
		d[i] = 1;
	}
}

static void float_tanh(EnginePrecision p, const double *z, int n, double *a,
    double *d)
{
	double t;
	int i;

	for (i = 0; i < n; i++) {
		t = prec_round(tanh(z[i]), p);
		a[i] = t;
		d[i] = prec_round(1 - prec_round(t * t, p), p);
	}
}

static void float_relu(EnginePrecision p, const double *z, int n, double *a,
    double *d)
{
	int i;

	(void)p;
	for (i = 0; i < n; i++) {
		a[i] = z[i] > 0 ? z[i] : (z[i] <= 0 ? 0 : z[i]);
		d[i] = z[i] > 0 ? 1 : 0;
	}
}

static void float_sigmoid(EnginePrecision p, const double *z, int n, double *a,
    double *d)
{
	double t;
	int i;

	for (i = 0; i < n; i++) {
		t = prec_round(1 / (1 + exp(-z[i])), p);
		a[i] = t;
		d[i] = prec_round(t * prec_round(1 - t, p), p);
	}
}

/* The table's homogeneous column is here too (act_homogeneous's), read
 * once a layer. */
static const struct {
	int (*exact)(ExactPhi *x);
	void (*fl)(EnginePrecision p, const double *z, int n, double *a,
	    double *d);
	int homogeneous;
} rows[] = {
#define KERNEL_ROW(e, name, homogeneous, ...) \
	[ENGINE_ACT_##e] = {exact_##name, float_##name, homogeneous},
    ENGINE_ACTS(KERNEL_ROW)
#undef KERNEL_ROW
};

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */
/* ---------------------------------------------------------------------- */

XMag engine_phi_exact(EngineAct act, XMag s_z, const float *xi, double k,
    double *a, double vmin, double vmax, int n, double *d, XMag *s_d,
    double *r_a)
{
	ExactPhi x = {s_z, xi, k, a, d, vmin, vmax, n, xmag_from_double(1)};
	int through;

	if (rows[act].homogeneous) {
		/* phi acts on v alone: v into a. */
		if (xi != NULL) {
			draws_scaled(xi, k, n, a);
			x.xi = NULL;
		}
	} else if (isnan(vmin)) {
		/* min and max |v|: known from the draws' statistics for
		 * random weights, a scan otherwise. */
		vec_absrange(a, n, &x.vmin, &x.vmax);
	}
	through = rows[act].exact(&x);
	*s_d = x.s_d;
	*r_a = vec_rms(a, n, NULL);
	return through ? xmag_mul(s_z, xmag_from_double(*r_a)) :
	                 xmag_from_double(*r_a);
}

void engine_phi_float(EngineAct act, EnginePrecision p, const double *z, int n,
    double *a, double *d)
{
	rows[act].fl(p, z, n, a, d);
}
