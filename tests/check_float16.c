/*
 * check_float16: the float16 and bfloat16 precisions. The engine's
 * rounding functions (engine_impl.h) against independent computations
 * written here (binary16 decoded from its bits, bfloat16 by integer
 * rounding of float32 bits), and the identity-weight overflow and
 * underflow layers of both formats, derived with those independent
 * rounders, in both passes.
 */
#include "engine.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "rng.h"
#include "suites.h"

/* binary16 bits to their value: sign, 5-bit exponent (bias 15), 10-bit
 * fraction; exponent 0 holds the subnormals f 2^-24. */
static double f16_decode(unsigned h)
{
	unsigned e = (h >> 10) & 31, f = h & 1023;
	double v;

	if (e == 31)
		v = f ? NAN : INFINITY;
	else if (e == 0)
		v = ldexp(f, -24);
	else
		v = ldexp(1024 + f, (int)e - 25);
	return (h & 0x8000) ? -v : v;
}

/* Same value and, for zeros, the same sign. */
static int same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b && signbit(a) == signbit(b);
}

START_TEST(test_f16_every_pattern)
{
	unsigned h;
	double v, w, mid, want;

	for (h = 0; h < 0x10000; h++) {
		v = f16_decode(h);
		ck_assert_msg(same(prec_round_f16(v), v), "pattern %04x", h);
	}
	/* Every midpoint between neighbours (0 .. 65504 and one past the
	 * top, 65536 = inf's place) ties to the even pattern; a hair
	 * either side goes to the nearer. */
	for (h = 0; h < 0x7c00; h++) {
		v = f16_decode(h);
		w = h + 1 < 0x7c00 ? f16_decode(h + 1) : 65536;
		mid = (v + w) / 2;
		want = (h & 1) ? (h + 1 < 0x7c00 ? w : INFINITY) : v;
		ck_assert_msg(same(prec_round_f16(mid), want), "tie %04x", h);
		ck_assert_msg(same(prec_round_f16(-mid), -want), "-tie %04x",
		    h);
		ck_assert(same(prec_round_f16(nextafter(mid, 0)), v));
		ck_assert(same(prec_round_f16(nextafter(mid, INFINITY)),
		    h + 1 < 0x7c00 ? w : INFINITY));
	}
	ck_assert(prec_round_f16(65519.99) == 65504);
	ck_assert(isinf(prec_round_f16(65520)));
	ck_assert(isinf(prec_round_f16(-1e300)));
	ck_assert(prec_round_f16(0x1p-25) == 0);
	ck_assert(prec_round_f16(0x1.0000000000001p-25) == 0x1p-24);
	ck_assert(same(prec_round_f16(-1e-300), -0.0));
	ck_assert(same(prec_round_f16(0x1p-1074), 0.0));
	ck_assert(isnan(prec_round_f16(NAN)));
	ck_assert(prec_round_f16(-INFINITY) == -INFINITY);
}
END_TEST

/* float32 to bfloat16 by integer rounding of its bits (ties to even; a
 * carry out of the fraction moves the exponent, up to inf). */
static float bf16_from_float(float f)
{
	uint32_t u;

	if (isnan(f))
		return f;
	memcpy(&u, &f, sizeof u);
	u += 0x7fff + ((u >> 16) & 1);
	u &= 0xffff0000u;
	memcpy(&f, &u, sizeof f);
	return f;
}

START_TEST(test_bf16_against_float32_bits)
{
	static const uint32_t lows[] = {0, 1, 0x7fff, 0x8000, 0x8001, 0xffff,
	    0x4321};
	uint32_t hi, u, x = 12345;
	size_t k;
	float f;
	int i;

	/* Every upper half (every sign, exponent and bfloat16 fraction,
	 * subnormals and the top binade included) with lower halves that
	 * are exact, just below, at and just above the midpoint. */
	for (hi = 0; hi < 0x10000; hi++)
		for (k = 0; k < sizeof lows / sizeof lows[0]; k++) {
			u = hi << 16 | lows[k];
			memcpy(&f, &u, sizeof f);
			ck_assert_msg(same(prec_round_bf16(f),
			                  bf16_from_float(f)),
			    "bits %08x", u);
		}
	for (i = 0; i < 1000000; i++) {
		x = x * 1664525u + 1013904223u;
		memcpy(&f, &x, sizeof f);
		ck_assert_msg(same(prec_round_bf16(f), bf16_from_float(f)),
		    "bits %08x", x);
	}
	/* A double just past a bfloat16 midpoint, closer than float32 can
	 * say: rounds away from the even neighbour. */
	ck_assert(prec_round_bf16(1 + 0x1p-8 + 0x1p-40) == 1 + 0x1p-7);
	ck_assert(prec_round_bf16(1 + 0x1p-8) == 1);
	ck_assert(prec_round_bf16(1 + 3 * 0x1p-8) == 1 + 0x1p-6);
	ck_assert(prec_round_bf16(0x1.fep127) == 0x1.fep127);
	ck_assert(isinf(prec_round_bf16(0x1.ffp127)));
	ck_assert(prec_round_bf16(0x1.fefffffffp127) == 0x1.fep127);
	ck_assert(isinf(prec_round_bf16(1e300)));
	ck_assert(prec_round_bf16(0x1p-133) == 0x1p-133);
	ck_assert(prec_round_bf16(0x1p-134) == 0);
	ck_assert(prec_round_bf16(0x1.8p-134) == 0x1p-133);
	ck_assert(prec_round_bf16(0x1.8p-133) == 0x1p-132);
	ck_assert(same(prec_round_bf16(-1e-300), -0.0));
}
END_TEST

START_TEST(test_prec_round_dispatch)
{
	double x = 1.0 / 3;

	ck_assert(prec_round(x, ENGINE_PRECISION_EXACT) == x);
	ck_assert(prec_round(x, ENGINE_PRECISION_FLOAT64) == x);
	ck_assert(prec_round(x, ENGINE_PRECISION_FLOAT32) == (double)(float)x);
	ck_assert(prec_round(x, ENGINE_PRECISION_FLOAT16) ==
	    f16_decode(0x3555));
	ck_assert(prec_round(x, ENGINE_PRECISION_BFLOAT16) ==
	    bf16_from_float((float)x));
	ck_assert(prec_round(1e5, ENGINE_PRECISION_FLOAT16) == INFINITY);
	ck_assert(prec_round(1e5, ENGINE_PRECISION_BFLOAT16) == 99840);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Identity-weight overflow and underflow layers                          */
/* ---------------------------------------------------------------------- */

/* The test's own rounder for each format: bfloat16 by float32 bits; for
 * binary16, the nearest of the decoded patterns by bisection (ties to
 * the even one), inf past 65520. */
static double f16_nearest(double x)
{
	unsigned lo = 0, hi = 0x7bff, mid;
	double ax = fabs(x), a, b, r;

	if (isnan(x))
		return x;
	if (ax >= 65520)
		return copysign(INFINITY, x);
	while (lo < hi) { /* the largest pattern <= ax */
		mid = (lo + hi + 1) / 2;
		if (f16_decode(mid) <= ax)
			lo = mid;
		else
			hi = mid - 1;
	}
	a = f16_decode(lo);
	b = lo < 0x7bff ? f16_decode(lo + 1) : 65536;
	r = ax - a < b - ax ? a : (ax - a > b - ax ? b : ((lo & 1) ? b : a));
	return copysign(r, x);
}

static double ref_round(EnginePrecision p, double x)
{
	return p == ENGINE_PRECISION_FLOAT16 ? f16_nearest(x) :
	                                       bf16_from_float((float)x);
}

/*
 * Identity, linear, width 2, input ones: each entry evolves alone,
 * a_i[l] = fl(lambda a_i[l-1]) (lambda 1.5 or 0.5 is exact in both
 * formats, and so are the products in float32, so the reference rounds
 * them once); backward g_i[l-1] = fl(lambda g_i[l]) from g[L], the
 * upstream rounded to the format. Returns the first layer (forward,
 * counting up) whose entries are all inf / all 0 resp. any inf (pred 1)
 * or all 0 (pred 0), or -1.
 */
static int ref_first(EnginePrecision p, double lambda, const double *x0, int n,
    int depth, int up, int inf)
{
	double v[2];
	int l, i, hit;

	memcpy(v, x0, (size_t)n * sizeof *v);
	for (l = 0; l <= depth; l++) {
		if (l > 0)
			for (i = 0; i < n; i++)
				v[i] = ref_round(p, lambda * v[i]);
		hit = !inf;
		for (i = 0; i < n; i++)
			hit = inf ? hit || isinf(v[i]) : hit && v[i] == 0;
		if (hit)
			return up ? depth - l : l;
	}
	return -1;
}

/* The engine's g[L] for seed 1, width n: u / rms(u) rounded. */
static void upstream(EnginePrecision p, EngineUpstream up, int n, double *g)
{
	float u[2];
	double ss = 0;
	int i;

	for (i = 0; i < n; i++)
		g[i] = 1;
	if (up == ENGINE_UPSTREAM_ONES)
		return;
	rng_normals(1, RNG_STREAM_UPSTREAM, 0, n, u);
	for (i = 0; i < n; i++)
		ss += (double)u[i] * u[i];
	for (i = 0; i < n; i++)
		g[i] = ref_round(p, u[i] / sqrt(ss / n));
}

static int engine_first(const XMag *v, int depth, int inf, int down)
{
	int l, k;

	for (k = 0; k <= depth; k++) {
		l = down ? depth - k : k;
		if (inf ? xmag_is_inf(v[l]) : xmag_is_zero(v[l]))
			return l;
	}
	return -1;
}

START_TEST(test_half_overflow_underflow_layers)
{
	static const EnginePrecision precs[] = {ENGINE_PRECISION_FLOAT16,
	    ENGINE_PRECISION_BFLOAT16};
	/* From ones: float16 overflows at l = 28, the first l with 1.5^l
	 * past 65504 (1.5^27 = 56815 and 1.5^28 = 85222 are far enough from
	 * it that 27 roundings of 2^-11 cannot move it). bfloat16 keeps only
	 * 8 bits: its rounded powers drift below 1.5^l, and fl(1.5 a[218])
	 * is still finite though 1.5^219 = 3.66e38 is past the largest
	 * bfloat16, 3.39e38: the layer is 220, one later than the exact
	 * power says. 0.5^l = 2^-l is exact down to the smallest subnormal
	 * (2^-24, 2^-133); 2^-25 resp. 2^-134 ties to even, 0. */
	static const int over[] = {28, 220}, under[] = {25, 134};
	Engine *eng = engine_new();
	EngineConfig c;
	EngineResult r;
	char err[128];
	double ones[2] = {1, 1}, g[2];
	size_t k;
	int up, lam, L, want_a, want_g;

	ck_assert_ptr_nonnull(eng);
	ck_assert(pow(1.5, 219) > 0x1.fep127 && pow(1.5, 218) < 0x1.fep127);
	for (k = 0; k < 2; k++)
		for (up = 0; up < ENGINE_UPSTREAM_COUNT; up++)
			for (lam = 0; lam < 2; lam++) {
				engine_config_default(&c);
				c.lambda = lam ? 0.5 : 1.5;
				c.depth = L = 260;
				c.width = 2;
				c.precision = precs[k];
				c.upstream = (EngineUpstream)up;
				ck_assert_int_eq(engine_compute(eng, &c, &r,
				                     err, sizeof err),
				    0);
				want_a = ref_first(precs[k], c.lambda, ones, 2,
				    L, 0, !lam);
				ck_assert_int_eq(want_a,
				    (lam ? under[k] : over[k]));
				ck_assert_int_eq(engine_first(r.activation_rms,
				                     L, !lam, 0),
				    want_a);
				if (lam)
					ck_assert(xmag_to_double(
					              r.activation_rms[want_a -
					                  1]) ==
					    ldexp(1, 1 - want_a));
				upstream(precs[k], (EngineUpstream)up, 2, g);
				want_g = ref_first(precs[k], c.lambda, g, 2, L,
				    1, !lam);
				ck_assert_int_ne(want_g, -1);
				ck_assert_int_eq(engine_first(r.gradient_rms, L,
				                     !lam, 1),
				    want_g);
				if (up == ENGINE_UPSTREAM_ONES)
					ck_assert_int_eq(want_g, L - want_a);
			}
	engine_free(eng);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* After the first overflow: inf meets random signs                       */
/* ---------------------------------------------------------------------- */

/* The test's own standard normals: xorshift64 and Box-Muller. */
static double ref_normal(uint64_t *x)
{
	double u1, u2;

	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	u1 = ((*x >> 11) + 0.5) * 0x1p-53;
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	u2 = (*x >> 11) * 0x1p-53;
	return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

/* x in the format p (as a double). */
static double ref_fmt(EnginePrecision p, double x)
{
	if (p == ENGINE_PRECISION_FLOAT64)
		return x;
	if (p == ENGINE_PRECISION_FLOAT32)
		return (float)x;
	return ref_round(p, x);
}

/* One product of an explicit float network: out = W x (or W^T x), the
 * weights in the format, each term formed and summed as the hardware
 * does (in double for float64, in float32 otherwise: the 16-bit
 * formats' products are exact there and float32 is their accumulator),
 * the sum rounded once to the format. A float32 or float64 product can
 * overflow on its own, and two of opposite signs make nan at the very
 * layer that overflows: the engine does not model that (its nan comes
 * one or two layers later), so the reference allows it. */
static void ref_matvec(EnginePrecision p, const double *w, const double *x,
    int n, int trans, double *out)
{
	double sd;
	float sf;
	int i, j;

	for (i = 0; i < n; i++) {
		sd = 0;
		sf = 0;
		for (j = 0; j < n; j++) {
			double t = (trans ? w[(size_t)j * n + i] :
			                    w[(size_t)i * n + j]) *
			    x[j];
			if (p == ENGINE_PRECISION_FLOAT64)
				sd += t;
			else
				sf += (float)t;
		}
		out[i] = ref_fmt(p, p == ENGINE_PRECISION_FLOAT64 ? sd : sf);
	}
}

/* 0 finite, 1 some inf (no nan), 2 some nan. */
static int vec_state(const double *x, int n)
{
	int i, st = 0;

	for (i = 0; i < n; i++)
		if (isnan(x[i]))
			return 2;
		else if (isinf(x[i]))
			st = 1;
	return st;
}

static int xmag_state(XMag m)
{
	return xmag_is_nan(m) ? 2 : (xmag_is_inf(m) ? 1 : 0);
}

/*
 * Gaussian, linear, lambda 8, input ones, upstream ones, widths 64 and
 * 256: in an explicit float network of every format nan comes at most
 * two layers after the first non-finite one, mostly at the next (k >= 2
 * inf entries meet mixed signs; one inf entry spreads to every output
 * first). The engine's first non-finite layer of either pass is inf and
 * nan follows at the next layer or the one after, for every seed; before
 * it modelled this it drew inf forever.
 */
START_TEST(test_inf_turns_nan_like_explicit_matrices)
{
	static const EnginePrecision precs[] = {ENGINE_PRECISION_FLOAT64,
	    ENGINE_PRECISION_FLOAT32, ENGINE_PRECISION_FLOAT16,
	    ENGINE_PRECISION_BFLOAT16};
	static const int depths[] = {360, 60, 20, 60}, widths[] = {64, 256};
	Engine *eng = engine_new();
	EngineConfig c;
	EngineResult r;
	char err[128];
	size_t k, wi;
	int seed, l, n, L, st, first, pass, ref_next = 0, eng_next = 0;
	double *w, *a, *b;
	uint64_t x;

	ck_assert_ptr_nonnull(eng);
	w = malloc(sizeof(double) * 256 * 256);
	a = malloc(sizeof(double) * 256);
	b = malloc(sizeof(double) * 256);
	ck_assert(w != NULL && a != NULL && b != NULL);
	for (k = 0; k < 4; k++)
		for (wi = 0; wi < 2; wi++) {
			n = widths[wi];
			L = depths[k];
			for (seed = 1; seed <= (n == 64 ? 8 : 3); seed++) {
				x = 0x9e3779b97f4a7c15ull * (uint64_t)seed + k;
				for (l = 0; l < n * n; l++)
					w[l] = ref_fmt(precs[k],
					    ref_normal(&x) * 8 / sqrt(n));
				for (pass = 0; pass < 2; pass++) {
					for (l = 0; l < n; l++)
						a[l] = 1;
					first = -1;
					for (l = 1; l <= L; l++) {
						ref_matvec(precs[k], w, a, n,
						    pass, b);
						memcpy(a, b,
						    sizeof(double) * (size_t)n);
						st = vec_state(a, n);
						if (first < 0 && st)
							first = l;
						if (first > 0 && st == 2)
							break;
					}
					ck_assert_int_gt(first, 0);
					ck_assert_msg(l <= first + 2,
					    "%s n %d: ref inf at %d, nan "
					    "at %d",
					    engine_precision_name(precs[k]), n,
					    first, l);
					ref_next += l == first + 1;
				}
			}
			for (seed = 1; seed <= 20; seed++) {
				engine_config_default(&c);
				c.init = ENGINE_INIT_GAUSSIAN;
				c.lambda = 8;
				c.depth = L;
				c.width = n;
				c.precision = precs[k];
				c.upstream = ENGINE_UPSTREAM_ONES;
				c.seed = (uint64_t)seed;
				ck_assert_int_eq(engine_compute(eng, &c, &r,
				                     err, sizeof err),
				    0);
				for (pass = 0; pass < 2; pass++) {
					const XMag *v = pass ? r.gradient_rms :
					                       r.activation_rms;
					first = -1;
					for (l = 1; l <= L; l++) {
						st = xmag_state(v[pass ? L - l :
						                         l]);
						if (first < 0 && st)
							first = l;
						if (first > 0 && st == 2)
							break;
					}
					ck_assert_int_gt(first, 0);
					/* float64's sampler overflows in its
					 * own double arithmetic, as a literal
					 * product overflows: nan at once. */
					ck_assert_msg((l == first + 1 ||
					                  l == first + 2) ||
					        (l == first &&
					            precs[k] ==
					                ENGINE_PRECISION_FLOAT64),
					    "%s n %d seed %d pass %d: inf "
					    "at %d, nan at %d",
					    engine_precision_name(precs[k]), n,
					    seed, pass, first, l);
					eng_next += l == first + 1;
				}
			}
		}
	/* At the very next layer in most runs of both (61 of the 88
	 * reference runs, the rest at once or one later). */
	ck_assert_int_ge(ref_next, 4 * (8 + 3) * 2 / 2);
	ck_assert_int_ge(eng_next, 4 * 2 * 20 * 2 * 3 / 4);
	free(w);
	free(a);
	free(b);
	engine_free(eng);
}
END_TEST

Suite *float16_suite(void)
{
	Suite *s = suite_create("float16");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_f16_every_pattern);
	tcase_add_test(tc, test_bf16_against_float32_bits);
	tcase_add_test(tc, test_prec_round_dispatch);
	tcase_add_test(tc, test_half_overflow_underflow_layers);
	tcase_add_test(tc, test_inf_turns_nan_like_explicit_matrices);
	suite_add_tcase(s, tc);
	return s;
}
