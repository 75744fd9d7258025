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

/* ---------------------------------------------------------------------- */
/* Float kernels                                                          */
/* ---------------------------------------------------------------------- */

/*
 * The float kernels' exp: e^y for y <= 0 as hi + lo, to about 2^-54.5
 * relative (check_fkern's float64 bounds depend on it), reaching into
 * the subnormals (down to y = -746, where e^y is below half the
 * smallest subnormal). y = k ln2 + r as in exp_neg, r kept to more than
 * double precision; e^r = (1 + r) + r^2 Q(r) as a double-double whose
 * small part holds every rounding error but Q's; then scaled by 2^k as
 * 2^k1 2^(k - k1), two normal factors, so that a subnormal result is
 * rounded once. No calls, no integer conversions (SSE2 and AVX2 have
 * none for 64-bit lanes): the loops below vectorise. Every operation is
 * a plain IEEE double one (no FMA contraction: the Makefile passes
 * -ffp-contract=off), so the bits are the same on every machine.
 */
static inline ENGINE_INLINE void exp_neg_dd(double y, double *hi, double *lo)
{
	double kd, k1, rh, rl, r, re, bb, r2, r4, r8, c, h, l, s1, s2;
	uint64_t u;

	y = y > -746.0 ? y : -746.0;
	kd = y * 1.4426950408889634074 + 0x1.8p52;
	kd -= 0x1.8p52;
	/* r = rh + rl exactly to far below 2^-53 |r| (rh is exact: ln2's
	 * high part has 11 trailing zero bits), r their rounded sum and re
	 * its error (TwoSum). */
	rh = y - kd * 6.93147180369123816490e-01;
	rl = -(kd * 1.90821492927058770002e-10);
	r = rh + rl;
	bb = r - rh;
	re = (rh - (r - bb)) + (rl - bb);
	/* e^r = 1 + r + r^2 Q(r), Q's series 1/(n+2)! to r^11 (error below
	 * 2^-60), in Estrin's tree; the 1 + r exactly as h + l. */
	r2 = r * r;
	r4 = r2 * r2;
	r8 = r4 * r4;
	c = ((0.5 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0))) +
	    r4 *
	        ((1.0 / 720.0 + r * (1.0 / 5040.0)) +
	            r2 * (1.0 / 40320.0 + r * (1.0 / 362880.0)));
	c += r8 *
	    ((1.0 / 3628800.0 + r * (1.0 / 39916800.0)) +
	        r2 * (1.0 / 479001600.0 + r * (1.0 / 6227020800.0)));
	c *= r2;
	h = 1 + r;
	l = (((1 - h) + r) + re) + c;
	/* Renormalised (Fast2Sum, |l| < 0.1 < h): hi <= 1 as e^y is. */
	c = h + l;
	l = (h - c) + l;
	h = c;
	/* k in [-1076, 0] split as k1 = k/2 rounded and k - k1, both in
	 * [-539, 0]; each 2^j from the low bits of j + 1.5 2^52, as in
	 * exp_neg. */
	k1 = (kd * 0.5 + 0x1.8p52) - 0x1.8p52;
	s1 = k1 + 0x1.8p52;
	memcpy(&u, &s1, sizeof u);
	u = (u + 1023) << 52;
	memcpy(&s1, &u, sizeof s1);
	s2 = (kd - k1) + 0x1.8p52;
	memcpy(&u, &s2, sizeof u);
	u = (u + 1023) << 52;
	memcpy(&s2, &u, sizeof s2);
	*hi = (h * s1) * s2;
	*lo = (l * s1) * s2;
}

/* The rounding error of a * b (|a|, |b| < 2^995), exactly, by Dekker's
 * splitting: what an FMA would give, without one. */
static inline ENGINE_INLINE double two_prod_err(double a, double b, double ab)
{
	double c, ah, al, bh, bl;

	c = 134217729.0 * a;
	ah = c - (c - a);
	al = a - ah;
	c = 134217729.0 * b;
	bh = c - (c - b);
	bl = b - bh;
	return ((ah * bh - ab) + ah * bl + al * bh) + al * bl;
}

/* w = n q / (1 + q) for n = 1 or 2, q = qh + ql in [0, 1], as w0 + *wc
 * with |wc| below an ulp of w0 and the sum good to about 2^-54: the
 * denominator kept as a double-double and the quotient corrected by its
 * exact remainder. */
static inline ENGINE_INLINE double frac_dd(double n, double qh, double ql,
    double *wc)
{
	double dh, dl, nh, nl, inv, w0, ph, pl;

	nh = n * qh;
	nl = n * ql;
	dh = 1 + qh;
	dl = ((1 - dh) + qh) + ql;
	/* One division: w0 may be an ulp off, which the exact remainder
	 * (nh - ph is exact, ph being within two ulps of nh) corrects. */
	inv = 1 / dh;
	w0 = nh * inv;
	ph = w0 * dh;
	pl = two_prod_err(w0, dh, ph);
	*wc = ((((nh - ph) - pl) + nl) - w0 * dl) * inv;
	return w0;
}

/* 1 - (w0 + wc), w0 in [0, 1], as hi + *lo, hi the sum rounded once
 * (Fast2Sum on 1 - w0). */
static inline ENGINE_INLINE double one_minus_dd(double w0, double wc,
    double *lo)
{
	double s = 1 - w0, e = ((1 - s) - w0) - wc, hi = s + e;

	*lo = e - (hi - s);
	return hi;
}

/*
 * hi + lo (hi >= 0 the sum rounded to nearest) for a narrower format:
 * rounded to odd, i.e. hi, or its neighbour toward lo when lo is nonzero
 * and hi's last bit is even. Rounding that value to a format of at most
 * 51 bits gives the format's rounding of hi + lo, where rounding hi
 * would round twice (sigmoid(z) for a small float32 z is 1/2 + z/4 -
 * z^3/48: in double exactly a float32 midpoint, which ties the wrong
 * way).
 */
static inline ENGINE_INLINE double round_odd(double hi, double lo)
{
	uint64_t u;

	memcpy(&u, &hi, sizeof u);
	u += lo != 0 && (u & 1) == 0 ? (lo > 0 ? 1 : (uint64_t)-1) : 0;
	memcpy(&hi, &u, sizeof hi);
	return hi;
}

/* tanh x for |x| < 0.55: x + x s P(s), s = x^2, P the Taylor series of
 * (tanh x - x) / x^3 to s^17 (truncation below 2^-57 relative; the
 * coefficients are 2^2n (2^2n - 1) B_2n / (2n)! rounded). The correction
 * is at most a tenth of x, so its rounding errors cost under a third of
 * an ulp. */
#define TT(j) fkern_tanh_taylor[j]
static const double fkern_tanh_taylor[18] = {
    -0x1.5555555555555p-2,
    0x1.1111111111111p-3,
    -0x1.ba1ba1ba1ba1cp-5,
    0x1.664f4882c10fap-6,
    -0x1.226e355e6c23dp-7,
    0x1.d6d3d0e157de0p-9,
    -0x1.7da36452b75e3p-10,
    0x1.3558248036744p-11,
    -0x1.f57d7734d1664p-13,
    0x1.967e18afcafadp-14,
    -0x1.497d8eea25259p-15,
    0x1.0b132d39a6050p-16,
    -0x1.b0f72d3ee24e9p-18,
    0x1.5ef2da474e5b7p-19,
    -0x1.1c77df95c1c0dp-20,
    0x1.cd299de4ae6bbp-22,
    -0x1.75cde6563fed9p-23,
    0x1.2efe8db3aff1fp-24,
};

/* P(s): Horner's rule for the first five terms, which carry the value
 * (their rounding errors are what reach the result), and Estrin's tree
 * for the rest (at most 2^-14 of P at s = 0.3, so its errors do not
 * count), which shortens the chain of dependent operations. Written out,
 * so that the loops have no inner loop and vectorise. */
static inline ENGINE_INLINE double fkern_taylor(double s)
{
	double s2 = s * s, s4 = s2 * s2, s8 = s4 * s4;
	double e0 = TT(5) + TT(6) * s, e1 = TT(7) + TT(8) * s;
	double e2 = TT(9) + TT(10) * s, e3 = TT(11) + TT(12) * s;
	double e4 = TT(13) + TT(14) * s, e5 = TT(15) + TT(16) * s;
	double r = ((e0 + e1 * s2) + (e2 + e3 * s2) * s4) +
	    ((e4 + e5 * s2) + TT(17) * s4) * s8;

	return TT(0) +
	    s * (TT(1) + s * (TT(2) + s * (TT(3) + s * (TT(4) + s * r))));
}
#undef TT

/*
 * tanh and sigmoid of a double to within one ulp (check_fkern measures
 * it against long double), IEEE special cases kept: tanh(+-0) = +-0, a
 * subnormal x gives x, +-inf gives +-1; sigmoid(-inf) = 0, sigmoid(inf)
 * = 1, sigmoid of a large negative x the subnormal e^x; nan gives nan.
 * Both branches are computed and one selected, so that loops vectorise.
 *
 * tanh: the Taylor polynomial below |x| = 0.55; above, with q =
 * e^(-2|x|) <= 1/3, tanh|x| = 1 - 2q / (1 + q), the fraction (at most
 * 1/2, so its error counts half) in double-double and one rounding of
 * the difference. sigmoid, q = e^-|x|: q / (1 + q) for x < 0 and
 * 1 - q / (1 + q) for x >= 0, likewise.
 */
static inline ENGINE_INLINE double fkern_tanh(double x, int odd)
{
	double ax = fabs(x), s = x * x, p, c, qh, ql, w0, wc, hs, ls, hb, lb;

	p = fkern_taylor(s);
	/* On |x|, the sign put back last: x + x (s p) would turn -0 into
	 * +0 (s p is -0 there). */
	c = ax * (s * p);
	hs = ax + c;
	ls = c - (hs - ax);
	exp_neg_dd(-2 * ax, &qh, &ql);
	w0 = frac_dd(2, qh, ql, &wc);
	hb = one_minus_dd(w0, wc, &lb);
	hs = ax < 0.55 ? hs : hb;
	ls = ax < 0.55 ? ls : lb;
	hs = odd ? round_odd(hs, ls) : hs;
	return x != x ? x : copysign(hs, x);
}

static inline ENGINE_INLINE double fkern_sigmoid(double x, int odd)
{
	double qh, ql, w0, wc, hn, ln, hp, lp;

	exp_neg_dd(-fabs(x), &qh, &ql);
	w0 = frac_dd(1, qh, ql, &wc);
	hp = one_minus_dd(w0, wc, &lp);
	hn = w0 + wc;
	ln = wc - (hn - w0);
	hp = x >= 0 ? hp : hn;
	lp = x >= 0 ? lp : ln;
	hp = odd ? round_odd(hp, lp) : hp;
	return x != x ? x : hp;
}

/*
 * prec_round_fmt's rounding (p-bit significand, smallest normal 2^emin,
 * largest finite max; ties to even, subnormals kept, overflow to inf,
 * nan and inf passed) without branches, so that the 16-bit formats'
 * loops vectorise too: |x| + c - c rounds |x| to a multiple of c's ulp
 * in the FPU's default mode, c = 2^(e + 53 - p) for |x|'s exponent e
 * clamped to [emin, emin + 270] (below emin the format's ulp is fixed;
 * far above max the result is inf whatever c is). ISO C does not let
 * the compiler fold (|x| + c) - c. check_fkern compares the kernels'
 * results, rounded so, with its own rounder over every 16-bit pattern.
 */
static inline ENGINE_INLINE double round_narrow(double x, int p, int emin,
    double max)
{
	double ax = fabs(x), lo = ldexp(1, emin), hi = ldexp(1, emin + 270);
	double e, c, r;
	uint64_t u;

	e = ax > lo ? ax : lo;
	e = e < hi ? e : hi;
	memcpy(&u, &e, sizeof u);
	u = (u & 0x7ff0000000000000u) + ((uint64_t)(53 - p) << 52);
	memcpy(&c, &u, sizeof c);
	r = (ax + c) - c;
	r = r > max ? HUGE_VAL : r;
	return copysign(r, x);
}

/* Whether p is narrower than double (its phi is rounded from the
 * double-double by way of round_odd). */
#define FKERN_ODD(p) \
	((p) == ENGINE_PRECISION_FLOAT32 || (p) == ENGINE_PRECISION_FLOAT16 || \
	    (p) == ENGINE_PRECISION_BFLOAT16)

/* x rounded to p's format, p a constant after inlining: the 16-bit
 * formats inline too (prec_round calls them out of line). */
static inline ENGINE_INLINE double fkern_round(double x, EnginePrecision p)
{
	switch (p) {
	case ENGINE_PRECISION_FLOAT32:
		return (double)(float)x;
	case ENGINE_PRECISION_FLOAT16:
		return round_narrow(x, 11, -14, 65504.0);
	case ENGINE_PRECISION_BFLOAT16:
		return round_narrow(x, 8, -126, 0x1.fep127);
	case ENGINE_PRECISION_EXACT:
	case ENGINE_PRECISION_FLOAT64:
	case ENGINE_PRECISION_COUNT:
		break;
	}
	return x;
}

/*
 * a = phi(z) rounded to the format, d = phi'(z) from a with each
 * operation rounded as the format's hardware would: 1 - a^2 for tanh,
 * a (1 - a) for sigmoid. For float64 phi is the kernel's double, within
 * one ulp; for float32 and the 16-bit formats the kernel's double-double
 * rounded to odd and then to the format, which is the correctly rounded
 * phi(z) unless phi(z) lies within the double-double's error (about
 * 2^-54 relative) of a midpoint, and within one ulp always (check_fkern:
 * no such value among every 16-bit pattern and 3.3 million float32 ones).
 */
static inline ENGINE_INLINE void fkern_tanh_loop(EnginePrecision p,
    const double *z, int n, double *a, double *d)
{
	double t;
	int i;

	for (i = 0; i < n; i++) {
		t = fkern_round(fkern_tanh(z[i], FKERN_ODD(p)), p);
		a[i] = t;
		d[i] = fkern_round(1 - fkern_round(t * t, p), p);
	}
}

static inline ENGINE_INLINE void fkern_sigmoid_loop(EnginePrecision p,
    const double *z, int n, double *a, double *d)
{
	double t;
	int i;

	for (i = 0; i < n; i++) {
		t = fkern_round(fkern_sigmoid(z[i], FKERN_ODD(p)), p);
		a[i] = t;
		d[i] = fkern_round(t * fkern_round(1 - t, p), p);
	}
}

/* One loop per format, each with its rounding inlined. */
#define FKERN_DISPATCH(loop, p, z, n, a, d) \
	do { \
		switch (p) { \
		case ENGINE_PRECISION_FLOAT32: \
			loop(ENGINE_PRECISION_FLOAT32, z, n, a, d); \
			break; \
		case ENGINE_PRECISION_FLOAT16: \
			loop(ENGINE_PRECISION_FLOAT16, z, n, a, d); \
			break; \
		case ENGINE_PRECISION_BFLOAT16: \
			loop(ENGINE_PRECISION_BFLOAT16, z, n, a, d); \
			break; \
		case ENGINE_PRECISION_EXACT: \
		case ENGINE_PRECISION_FLOAT64: \
		case ENGINE_PRECISION_COUNT: \
			loop(ENGINE_PRECISION_FLOAT64, z, n, a, d); \
			break; \
		} \
	} while (0)

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

ENGINE_HOT static void float_tanh(EnginePrecision p, const double *z, int n,
    double *a, double *d)
{
	FKERN_DISPATCH(fkern_tanh_loop, p, z, n, a, d);
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

ENGINE_HOT static void float_sigmoid(EnginePrecision p, const double *z, int n,
    double *a, double *d)
{
	FKERN_DISPATCH(fkern_sigmoid_loop, p, z, n, a, d);
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
