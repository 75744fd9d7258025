/*
 * check_fkern: the float precisions' tanh and sigmoid kernels
 * (engine_phi_float, src/engine_act.c), which call no libm, against a
 * reference written here with long double libm (tanhl, expl) and a
 * rounder of its own (nearbyintl on the scaled value, not the engine's
 * bit arithmetic; sigmoid near 1/2 carried as a sum of two long doubles,
 * see ref_phi):
 *
 *   float16, bfloat16  every one of the 65536 bit patterns;
 *   float32            every 2^12-th pattern, every pattern where tanh
 *                      and sigmoid saturate to 1, a dense sample of the
 *                      region where tanh z stops rounding to z, and the
 *                      specials;
 *   float64            a log-uniform sample over the whole range, the
 *                      subnormal sigmoids of large negative z, specials.
 *
 * a must be within one ulp of the format (and, for the narrow formats,
 * is asserted correctly rounded: the double kernel's error is a few
 * 2^-53, so a miss needs phi(z) that close to a rounding boundary), keep
 * the IEEE special cases, and d must be 1 - a^2 (tanh) or a (1 - a)
 * (sigmoid) with each operation rounded to the format. The same checks
 * run on deliberately wrong kernels and must count failures there.
 */
#include "engine.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "suites.h"

/* ------------------------------------------------------------ formats */

typedef struct {
	EnginePrecision p;
	int bits; /* significand bits, the implicit one included */
	int emin; /* exponent of the smallest normal */
	long double max;
} Format;

static const Format F64 = {ENGINE_PRECISION_FLOAT64, 53, -1022, DBL_MAX};
static const Format F32 = {ENGINE_PRECISION_FLOAT32, 24, -126, FLT_MAX};
static const Format F16 = {ENGINE_PRECISION_FLOAT16, 11, -14, 65504.0L};
static const Format BF16 = {ENGINE_PRECISION_BFLOAT16, 8, -126, 0x1.fep127L};

/* The exponent of v's ulp in format f (v finite). */
static int ulp_exp(const Format *f, long double v)
{
	int e;

	if (v == 0)
		return f->emin - f->bits + 1;
	frexpl(v, &e);
	/* v in [2^(e-1), 2^e): the leading bit's exponent is e - 1. */
	return (e - 1 > f->emin ? e - 1 : f->emin) - f->bits + 1;
}

/* v rounded to nearest even in f: the scaled value rounded by
 * nearbyintl in the default mode, overflow to inf. */
static long double ref_round(const Format *f, long double v)
{
	long double r;
	int q;

	if (isnan(v) || isinf(v))
		return v;
	q = ulp_exp(f, v);
	r = ldexpl(nearbyintl(ldexpl(v, -q)), q);
	if (fabsl(r) > f->max)
		return copysignl(INFINITY, v);
	return r == 0 ? copysignl(0, v) : r;
}

/* v + e rounded to f (e much smaller than v's ulp): v's rounding but
 * where v is a midpoint, which e decides. */
static long double ref_round2(const Format *f, long double v, long double e)
{
	long double r = ref_round(f, v), half;

	if (e == 0 || isnan(v) || isinf(v))
		return r;
	half = ldexpl(1, ulp_exp(f, v) - 1);
	if (fabsl(v - r) == half)
		r = ref_round(f, v + copysignl(half / 2, e));
	return r;
}

/* phi(z) as v + *e. tanh: tanhl. sigmoid: for z >= -1, 1/2 + tanh(z/2)/2
 * with the sum's rounding error kept (for a small z, 1/2 + z/4 - z^3/48
 * is a float32 midpoint to long double precision, and the z^3 term
 * decides which way it rounds); below, e^z / (1 + e^z). */
static long double ref_phi(EngineAct act, long double z, long double *e)
{
	long double u, v;

	*e = 0;
	if (act == ENGINE_ACT_TANH)
		return tanhl(z);
	if (isnan(z) || z < -1)
		return expl(z) / (1 + expl(z));
	u = tanhl(z / 2) / 2;
	v = 0.5L + u;
	*e = u - (v - 0.5L);
	return v;
}

/* binary16 and bfloat16 bit patterns to values. */
static double f16_value(unsigned h)
{
	unsigned e = (h >> 10) & 31, m = h & 1023;
	double v;

	if (e == 31)
		v = m ? NAN : INFINITY;
	else if (e == 0)
		v = ldexp(m, -24);
	else
		v = ldexp(1024 + m, (int)e - 25);
	return (h & 0x8000) ? -v : v;
}

static double bf16_value(unsigned h)
{
	uint32_t u = (uint32_t)h << 16;
	float x;

	memcpy(&x, &u, sizeof x);
	return x;
}

static double f32_value(uint32_t u)
{
	float x;

	memcpy(&x, &u, sizeof x);
	return x;
}

/* ------------------------------------------------------------ checker */

typedef void (*Kernel)(EngineAct act, EnginePrecision p, const double *z, int n,
    double *a, double *d);

typedef struct {
	long miss_a; /* a not the correctly rounded phi(z) */
	long far_a;  /* a more than one ulp off, or a special case wrong */
	long bad_d;  /* d not the format's rounded 1 - a^2 / a (1 - a) */
	double max_ulp;
	double worst_z;
} Tally;

static int same(long double a, long double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	/* signbit's nonzero value may differ between a folded constant
	 * and a run-time long double: compare truth values. */
	return a == b && !signbit(a) == !signbit(b);
}

/* Runs kern on z[0..n) in one call and tallies its errors. */
static Tally check_kernel(Kernel kern, EngineAct act, const Format *f,
    const double *z, int n)
{
	double *a = malloc((size_t)n * sizeof *a);
	double *d = malloc((size_t)n * sizeof *d);
	Tally t = {0, 0, 0, 0, 0};
	int i;

	ck_assert(a != NULL && d != NULL);
	kern(act, f->p, z, n, a, d);
	for (i = 0; i < n; i++) {
		long double zl = z[i], ref, re, want, wd, err;

		ref = ref_phi(act, zl, &re);
		want = ref_round2(f, ref, re);
		if (!same(a[i], want))
			t.miss_a++;
		if (isnan(z[i]) || isinf(ref)) {
			if (!same(a[i], want))
				t.far_a++;
		} else {
			err = fabsl(a[i] - ref) / ldexpl(1, ulp_exp(f, ref));
			if (!(err <= 1) ||
			    (act == ENGINE_ACT_TANH &&
			        !signbit(a[i]) != !signbit(z[i])))
				t.far_a++;
			if (err > t.max_ulp) {
				t.max_ulp = (double)err;
				t.worst_z = z[i];
			}
		}
		/* d from the kernel's own a, each operation rounded. For
		 * the narrow formats the products are exact in long double
		 * (64 bits hold a 24-bit square) and a difference that is
		 * not lies far from the format's rounding boundaries; for
		 * float64 the double operations are the definition. */
		if (f->p == ENGINE_PRECISION_FLOAT64)
			wd = act == ENGINE_ACT_TANH ? 1 - a[i] * a[i] :
			                              a[i] * (1 - a[i]);
		else if (act == ENGINE_ACT_TANH)
			wd = ref_round(f,
			    1 - ref_round(f, (long double)a[i] * a[i]));
		else
			wd = ref_round(f,
			    (long double)a[i] *
			        ref_round(f, 1 - (long double)a[i]));
		if (!same(d[i], wd))
			t.bad_d++;
	}
	free(a);
	free(d);
	return t;
}

/* ------------------------------------------------------------ samples */

/* Every 16-bit pattern of a 16-bit format. */
static double *all16(const Format *f, int *n)
{
	double *z = malloc(0x10000 * sizeof *z);
	unsigned h;

	ck_assert(z != NULL);
	for (h = 0; h < 0x10000; h++)
		z[h] = f->p == ENGINE_PRECISION_FLOAT16 ? f16_value(h) :
		                                          bf16_value(h);
	*n = 0x10000;
	return z;
}

/* float32: every 2^12-th pattern; every 2nd pattern in [8.5, 9.5] (tanh
 * reaches 1 - 2^-25 near 9.01), every 4th in [16, 18] (sigmoid reaches
 * 1 - 2^-25 near 17.3), every 64th in [2^-13, 2^-10] (tanh z stops
 * rounding to z near 2^-11.2); both signs; the specials (about 3.3
 * million values). */
static double *sample32(int *n)
{
	size_t cap = ((size_t)1 << 20) + ((size_t)3 << 20) + 64, k = 0;
	double *z = malloc(cap * sizeof *z);
	uint64_t u;
	float lo[3] = {8.5f, 16.0f, 0x1p-13f}, hi[3] = {9.5f, 18.0f, 0x1p-10f};
	int step[3] = {2, 4, 64}, r;
	uint32_t b, s;

	ck_assert(z != NULL);
	for (u = 0; u < ((uint64_t)1 << 32); u += (uint64_t)1 << 12)
		z[k++] = f32_value((uint32_t)u);
	for (r = 0; r < 3; r++) {
		uint32_t b0, b1;

		memcpy(&b0, &lo[r], sizeof b0);
		memcpy(&b1, &hi[r], sizeof b1);
		for (b = b0; b <= b1 && k + 2 <= cap; b += (uint32_t)step[r])
			for (s = 0; s < 2; s++)
				z[k++] = f32_value(b | (s << 31));
	}
	z[k++] = 0x1p-149;
	z[k++] = -0x1p-149;
	z[k++] = 0x1p-126;
	z[k++] = FLT_MAX;
	z[k++] = -FLT_MAX;
	ck_assert(k <= cap);
	*n = (int)k;
	return z;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t x = (*s += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* float64: |z| = 2^e with e uniform in [-1074, 10], any significand,
 * either sign; z uniform in [-750, -700] (sigmoid's subnormals) and in
 * [-2, 2]; the specials. */
static double *sample64(int *n)
{
	int k = 0, cap = 600016, i;
	double *z = malloc((size_t)cap * sizeof *z);
	uint64_t s = 16, r;

	ck_assert(z != NULL);
	for (i = 0; i < 400000; i++) {
		r = splitmix(&s);
		z[k] = ldexp(1 + (double)(r >> 12) * 0x1p-52,
		    (int)(r % 1085) - 1074);
		z[k] = (r >> 11) & 1 ? -z[k] : z[k];
		k++;
	}
	for (i = 0; i < 100000; i++) {
		r = splitmix(&s);
		z[k++] = -700 - (double)(r >> 11) * 0x1p-53 * 50;
		r = splitmix(&s);
		z[k++] = -2 + (double)(r >> 11) * 0x1p-53 * 4;
	}
	z[k++] = 0x1p-1074;
	z[k++] = -0x1p-1074;
	z[k++] = 0x1p-1022;
	z[k++] = DBL_MAX;
	z[k++] = -DBL_MAX;
	z[k++] = 0.0;
	z[k++] = -0.0;
	z[k++] = INFINITY;
	z[k++] = -INFINITY;
	z[k++] = NAN;
	ck_assert(k <= cap);
	*n = k;
	return z;
}

/* ---------------------------------------------------- wrong kernels */

/* The engine's a, but d = 1 - a^2 / a (1 - a) with the inner operation
 * not rounded to the format. */
static void kernel_unrounded_d(EngineAct act, EnginePrecision p,
    const double *z, int n, double *a, double *d)
{
	int i;

	engine_phi_float(act, p, z, n, a, d);
	for (i = 0; i < n; i++)
		d[i] = prec_round(act == ENGINE_ACT_TANH ? 1 - a[i] * a[i] :
		                                           a[i] * (1 - a[i]),
		    p);
}

/* phi computed 2^-20 too large (as a coefficient with a wrong low bit
 * would make it) before rounding to the format. */
static void kernel_biased(EngineAct act, EnginePrecision p, const double *z,
    int n, double *a, double *d)
{
	int i;

	engine_phi_float(act, p, z, n, a, d);
	for (i = 0; i < n; i++) {
		double v = act == ENGINE_ACT_TANH ? tanh(z[i]) :
		                                    1 / (1 + exp(-z[i]));

		a[i] = prec_round(v *
		        (1 +
		            (p == ENGINE_PRECISION_FLOAT64 ? 0x1p-50 :
		                                             0x1p-20)),
		    p);
	}
}

/* ---------------------------------------------------------------- tests */

static void expect_clean(EngineAct act, const Format *f, const double *z, int n,
    int correctly_rounded)
{
	Tally t = check_kernel(engine_phi_float, act, f, z, n);

	ck_assert_msg(t.far_a == 0 && t.bad_d == 0,
	    "%s %s: %ld entries over one ulp (worst %.3g ulp at z = %a), "
	    "%ld wrong d",
	    engine_act_name(act), engine_precision_name(f->p), t.far_a,
	    t.max_ulp, t.worst_z, t.bad_d);
	if (correctly_rounded)
		ck_assert_msg(t.miss_a == 0,
		    "%s %s: %ld entries not correctly rounded",
		    engine_act_name(act), engine_precision_name(f->p),
		    t.miss_a);
}

START_TEST(test_half_exhaustive)
{
	const Format *f = _i < 2 ? &F16 : &BF16;
	EngineAct act = _i % 2 ? ENGINE_ACT_SIGMOID : ENGINE_ACT_TANH;
	int n;
	double *z = all16(f, &n);

	expect_clean(act, f, z, n, 1);
	free(z);
}
END_TEST

START_TEST(test_float32_sample)
{
	EngineAct act = _i ? ENGINE_ACT_SIGMOID : ENGINE_ACT_TANH;
	int n;
	double *z = sample32(&n);

	expect_clean(act, &F32, z, n, 1);
	free(z);
}
END_TEST

START_TEST(test_float64_sample)
{
	EngineAct act = _i ? ENGINE_ACT_SIGMOID : ENGINE_ACT_TANH;
	int n;
	double *z = sample64(&n);

	expect_clean(act, &F64, z, n, 0);
	free(z);
}
END_TEST

/* The special cases bit for bit, in every format. */
START_TEST(test_specials)
{
	static const Format *fs[] = {&F64, &F32, &F16, &BF16};
	double z[6] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 0x1p-1074};
	double a[6], d[6];
	const Format *f = fs[_i];

	engine_phi_float(ENGINE_ACT_TANH, f->p, z, 6, a, d);
	ck_assert(same(a[0], 0.0) && same(a[1], -0.0));
	ck_assert(same(a[2], 1) && same(a[3], -1));
	ck_assert(same(d[0], 1) && same(d[2], 0) && same(d[3], 0));
	ck_assert(isnan(a[4]) && isnan(d[4]));
	/* A subnormal keeps its value where the format holds it. */
	ck_assert(same(a[5], prec_round(0x1p-1074, f->p)));
	engine_phi_float(ENGINE_ACT_SIGMOID, f->p, z, 6, a, d);
	ck_assert(same(a[0], 0.5) && same(a[1], 0.5));
	ck_assert(same(a[2], 1) && same(a[3], 0));
	ck_assert(same(d[2], 0) && same(d[3], 0));
	ck_assert(isnan(a[4]) && isnan(d[4]));
}
END_TEST

/* The checks have power: each wrong kernel fails them somewhere. */
START_TEST(test_wrong_kernels_fail)
{
	static const Format *fs[] = {&F16, &BF16};
	int n, k;
	double *z;
	Tally t;

	for (k = 0; k < 2; k++) {
		z = all16(fs[k], &n);
		t = check_kernel(kernel_unrounded_d, ENGINE_ACT_TANH, fs[k], z,
		    n);
		ck_assert_msg(t.bad_d > 0, "unrounded t*t passed (%s)",
		    engine_precision_name(fs[k]->p));
		t = check_kernel(kernel_unrounded_d, ENGINE_ACT_SIGMOID, fs[k],
		    z, n);
		ck_assert_msg(t.bad_d > 0, "unrounded 1-t passed (%s)",
		    engine_precision_name(fs[k]->p));
		free(z);
	}
	z = sample32(&n);
	t = check_kernel(kernel_biased, ENGINE_ACT_TANH, &F32, z, n);
	ck_assert_msg(t.miss_a > 0, "biased tanh passed for float32");
	free(z);
	z = sample64(&n);
	t = check_kernel(kernel_biased, ENGINE_ACT_TANH, &F64, z, n);
	ck_assert_msg(t.far_a > 0, "biased tanh passed for float64");
	t = check_kernel(kernel_biased, ENGINE_ACT_SIGMOID, &F64, z, n);
	ck_assert_msg(t.far_a > 0, "biased sigmoid passed for float64");
	free(z);
}
END_TEST

Suite *fkern_suite(void)
{
	Suite *s = suite_create("fkern");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_half_exhaustive, 0, 4);
	tcase_add_loop_test(tc, test_float32_sample, 0, 2);
	tcase_add_loop_test(tc, test_float64_sample, 0, 2);
	tcase_add_loop_test(tc, test_specials, 0, 4);
	tcase_add_test(tc, test_wrong_kernels_fail);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
