/*
 * check_xmag: extended-range magnitudes against long double. On x86-64 a
 * long double has a 64-bit mantissa and a 15-bit exponent (up to about
 * 10^4932), so powl, ldexpl, log10l and printf's "%Le" give independent
 * oracles for values far past double range. Nothing here is taken from
 * xmag's own output.
 */
#include "xmag.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/* 2^k exactly, for any k: the struct is public and m * 2^e by contract. */
static XMag pow2(int64_t k)
{
	XMag r;

	r.m = 0.5;
	r.e = k + 1;
	return r;
}

/* d * 2^k, exactly (multiplying by a power of two does not round). */
static XMag scaled(double d, int64_t k)
{
	return xmag_mul(xmag_from_double(d), pow2(k));
}

/* A long double as an XMag, with one rounding of its mantissa to double. */
static XMag from_ld(long double v)
{
	int e;
	long double m = frexpl(v, &e);

	return scaled((double)m, e);
}

/* x / ref - 1, with the quotient computed in XMag so that it is back in
 * double range whatever the size of x. */
static double rel_err(XMag x, long double ref)
{
	return xmag_to_double(xmag_div(x, from_ld(ref))) - 1.0;
}

/* b^n by n successive xmag_mul: each step rounds once, so the relative
 * error is at most about n * 2^-53. */
static XMag repeated_mul(double b, int n)
{
	XMag x = xmag_from_double(1.0);
	XMag f = xmag_from_double(b);
	int i;

	for (i = 0; i < n; i++)
		x = xmag_mul(x, f);
	return x;
}

/* A fixed xorshift64 so that the "random" cases are the same every run. */
static uint64_t next_u64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A double in [1, 2) with 52 random fraction bits. */
static double random_mantissa(uint64_t *s)
{
	return 1.0 + (double)(next_u64(s) >> 12) * 0x1p-52;
}

/* A double with random bits: sign cleared, every finite exponent
 * including subnormals, never inf or nan. */
static double random_double(uint64_t *s)
{
	uint64_t bits;
	double x;

	do {
		bits = next_u64(s) & 0x7fffffffffffffffULL;
		memcpy(&x, &bits, sizeof x);
	} while (!isfinite(x));
	return x;
}

static void check_format_eq(XMag x, const char *want, const char *what)
{
	char got[XMAG_FORMAT_MAX];
	int n = xmag_format(x, got, sizeof got);

	ck_assert_msg(n == (int)strlen(want) && strcmp(got, want) == 0,
	    "%s (m=%a e=%lld): xmag_format gave \"%s\" (%d), want \"%s\"", what,
	    x.m, (long long)x.e, got, n, want);
}

/* The doubles every representation test runs through. */
static const double special_doubles[] = {
    0.0,
    DBL_TRUE_MIN,
    3 * DBL_TRUE_MIN,
    DBL_MIN - DBL_TRUE_MIN,
    DBL_MIN,
    1e-300,
    DBL_EPSILON,
    0.1,
    1.0 / 3.0,
    0.5,
    1.0 - DBL_EPSILON / 2,
    1.0,
    1.0 + DBL_EPSILON,
    2.0,
    10.0,
    123456.789,
    1e300,
    DBL_MAX,
};
#define N_SPECIAL_DOUBLES (sizeof special_doubles / sizeof special_doubles[0])

/* ---------------------------------------------------------------------- */
/* Representation                                                         */
/* ---------------------------------------------------------------------- */

static void check_round_trip(double x)
{
	XMag a = xmag_from_double(x);
	XMag b = xmag_from_double(-x);
	double back = xmag_to_double(a);

	ck_assert_msg(back == x, "to_double(from_double(%a)) = %a", x, back);
	ck_assert_msg(xmag_to_double(b) == x,
	    "to_double(from_double(%a)) = %a, want |x| = %a", -x,
	    xmag_to_double(b), x);
	ck_assert_msg(a.m == b.m && a.e == b.e,
	    "from_double(%a) = {%a, %lld} but from_double(%a) = {%a, %lld}", x,
	    a.m, (long long)a.e, -x, b.m, (long long)b.e);
	if (x == 0)
		return;
	/* The normal form, checked in long double where m * 2^e is exact. */
	ck_assert_msg(a.m >= 0.5 && a.m < 1 && ldexpl(a.m, (int)a.e) == x,
	    "from_double(%a) = {%a, %lld}: not a normalised m * 2^e = x", x,
	    a.m, (long long)a.e);
}

START_TEST(test_xmag_round_trip)
{
	static const double mantissas[] = {
	    1.0,
	    1.5,
	    1.0 + 0x1p-52,
	    2.0 - 0x1p-52,
	    1.2345678901234567,
	};
	uint64_t s = 0x243f6a8885a308d3ULL;
	size_t i, j;
	int e2;
	XMag inf, nan_;

	for (i = 0; i < N_SPECIAL_DOUBLES; i++)
		check_round_trip(special_doubles[i]);
	/* Every binary exponent, subnormals (where ldexp rounds, which does
	 * not matter: the result is some double) included. */
	for (e2 = -1074; e2 <= 1023; e2++)
		for (j = 0; j < sizeof mantissas / sizeof mantissas[0]; j++)
			check_round_trip(ldexp(mantissas[j], e2));
	for (i = 0; i < 20000; i++)
		check_round_trip(random_double(&s));

	inf = xmag_from_double(-INFINITY);
	ck_assert_msg(xmag_is_inf(inf) && !xmag_is_nan(inf) &&
	        !xmag_is_finite(inf) && xmag_to_double(inf) == INFINITY,
	    "from_double(-inf) -> %g", xmag_to_double(inf));
	nan_ = xmag_from_double(-NAN);
	ck_assert_msg(xmag_is_nan(nan_) && !xmag_is_inf(nan_) &&
	        !xmag_is_finite(nan_) && isnan(xmag_to_double(nan_)),
	    "from_double(nan) -> %g", xmag_to_double(nan_));
	ck_assert(xmag_is_zero(xmag_from_double(0.0)));
	ck_assert(xmag_is_finite(xmag_from_double(0.0)));
	ck_assert(!xmag_is_zero(xmag_from_double(DBL_TRUE_MIN)));
}
END_TEST

/* |-0| is +0: a magnitude has no sign, and a -0 that survives would print
 * as "-0" wherever a caller formats the double with printf. */
START_TEST(test_xmag_negative_zero)
{
	XMag z = xmag_from_double(-0.0);
	XMag p = xmag_mul(z, xmag_from_double(2.0));

	ck_assert_msg(xmag_is_zero(z) && !signbit(z.m) &&
	        !signbit(xmag_to_double(z)),
	    "from_double(-0.0) = {%g, %lld}, to_double %g: want +0", z.m,
	    (long long)z.e, xmag_to_double(z));
	ck_assert_msg(xmag_is_zero(p) && !signbit(xmag_to_double(p)),
	    "from_double(-0.0) * 2 -> %g, want +0", xmag_to_double(p));
}
END_TEST

START_TEST(test_xmag_to_double_saturates)
{
	static const struct {
		double d;
		int64_t k;
		double want;
	} cases[] = {
	    /* Largest finite: (1 - 2^-53) * 2^1024. */
	    {1.0 - 0x1p-53, 1024, DBL_MAX},
	    /* 2^1024 and beyond: inf. */
	    {1.0, 1024, INFINITY},
	    {1.5, 5000, INFINITY},
	    {1.0, INT64_C(1) << 40, INFINITY},
	    /* Below DBL_MIN: round to the nearest subnormal, ties to even. */
	    {1.0, -1074, DBL_TRUE_MIN},
	    {1.0, -1075, 0.0},              /* half of TRUE_MIN: tie to 0 */
	    {1.5, -1075, DBL_TRUE_MIN},     /* above the tie */
	    {3.0, -1075, 2 * DBL_TRUE_MIN}, /* 1.5 TRUE_MIN: tie to even */
	    {5.0, -1075, 2 * DBL_TRUE_MIN}, /* 2.5 TRUE_MIN: tie to even */
	    {1.9, -1075, DBL_TRUE_MIN},     /* 0.95 TRUE_MIN */
	    {1.9, -1076, 0.0},              /* 0.475 TRUE_MIN */
	    {1.0, -1076, 0.0},
	    {1.0, -5000, 0.0},
	    {1.0, -(INT64_C(1) << 40), 0.0},
	};
	size_t i;
	double got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = xmag_to_double(scaled(cases[i].d, cases[i].k));
		ck_assert_msg(got == cases[i].want,
		    "to_double(%a * 2^%lld) = %a, want %a", cases[i].d,
		    (long long)cases[i].k, got, cases[i].want);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Arithmetic                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_xmag_mul_past_double_range)
{
	/* Each within long double range; n <= 4000 keeps the accumulated
	 * rounding (at most n * 2^-53 < 5e-13) inside the 1e-12 bound. */
	static const struct {
		double b;
		int n;
	} cases[] = {
	    {1.5, 3000},  /* ~1e528 */
	    {0.7, 2000},  /* ~1e-310 */
	    {3.0, 4000},  /* ~1e1908 */
	    {1e-10, 450}, /* ~1e-4500 */
	    {1e10, 480},  /* ~1e4800 */
	};
	size_t i;
	XMag x;
	long double ref;
	double r, l;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		x = repeated_mul(cases[i].b, cases[i].n);
		ref = powl((long double)cases[i].b, cases[i].n);
		r = rel_err(x, ref);
		ck_assert_msg(fabs(r) < 1e-12,
		    "%.17g^%d: relative error %g against powl (%Le)",
		    cases[i].b, cases[i].n, r, ref);
		l = xmag_log10(x);
		ck_assert_msg(fabsl(l - log10l(ref)) < 1e-12L,
		    "log10(%.17g^%d) = %.15f, long double says %.15Lf",
		    cases[i].b, cases[i].n, l, log10l(ref));
	}

	/* Powers of two multiply exactly. */
	x = repeated_mul(0.5, 1100);
	ck_assert_msg(x.m == 0.5 && x.e == -1099,
	    "0.5^1100 = {%a, %lld}, want {0x1p-1, -1099}", x.m, (long long)x.e);
	ck_assert_msg(rel_err(x, ldexpl(1.0L, -1100)) == 0,
	    "0.5^1100 / 2^-1100 - 1 = %g", rel_err(x, ldexpl(1.0L, -1100)));
}
END_TEST

START_TEST(test_xmag_div_past_double_range)
{
	XMag big = repeated_mul(1.5, 3000);
	XMag tiny = repeated_mul(0.5, 1100);
	XMag q;
	long double ref;
	double r;

	/* ~1e859 and ~1e-859: neither the operands nor the results fit. */
	q = xmag_div(big, tiny);
	ref = powl(1.5L, 3000) * ldexpl(1.0L, 1100);
	r = rel_err(q, ref);
	ck_assert_msg(fabs(r) < 1e-12, "1.5^3000 / 0.5^1100: rel err %g", r);

	q = xmag_div(tiny, big);
	ref = ldexpl(1.0L, -1100) / powl(1.5L, 3000);
	r = rel_err(q, ref);
	ck_assert_msg(fabs(r) < 1e-12, "0.5^1100 / 1.5^3000: rel err %g", r);

	/* Back into double range: (1.5^3000 / 1.5^2990) = 1.5^10. */
	q = xmag_div(big, repeated_mul(1.5, 2990));
	r = xmag_to_double(q) / 57.6650390625 - 1;
	ck_assert_msg(fabs(r) < 1e-12, "1.5^3000 / 1.5^2990 = %.17g",
	    xmag_to_double(q));

	/* Inside double range division is the double's: one rounding. */
	q = xmag_div(xmag_from_double(1.0), xmag_from_double(3.0));
	ck_assert_msg(xmag_to_double(q) == 1.0 / 3.0, "1/3 = %a",
	    xmag_to_double(q));
	q = xmag_mul(xmag_from_double(0.1), xmag_from_double(0.3));
	ck_assert_msg(xmag_to_double(q) == 0.1 * 0.3, "0.1*0.3 = %a, want %a",
	    xmag_to_double(q), 0.1 * 0.3);
}
END_TEST

START_TEST(test_xmag_specials)
{
	XMag zero = xmag_from_double(0.0);
	XMag inf = xmag_from_double(INFINITY);
	XMag nan_ = xmag_from_double(NAN);
	XMag two = xmag_from_double(2.0);
	XMag big = pow2(5000);
	XMag tiny = pow2(-5000);

	ck_assert_msg(xmag_is_nan(xmag_mul(zero, inf)), "0 * inf not nan");
	ck_assert_msg(xmag_is_nan(xmag_mul(inf, zero)), "inf * 0 not nan");
	ck_assert_msg(xmag_is_inf(xmag_mul(inf, tiny)),
	    "inf * 2^-5000 not inf");
	ck_assert_msg(xmag_is_inf(xmag_mul(big, inf)), "2^5000 * inf not inf");
	ck_assert_msg(xmag_is_zero(xmag_mul(zero, big)), "0 * 2^5000 not 0");
	ck_assert_msg(xmag_is_nan(xmag_mul(nan_, two)), "nan * 2 not nan");
	ck_assert_msg(xmag_is_nan(xmag_mul(zero, nan_)), "0 * nan not nan");

	ck_assert_msg(xmag_is_inf(xmag_div(two, zero)), "2 / 0 not inf");
	ck_assert_msg(xmag_is_inf(xmag_div(tiny, zero)), "2^-5000 / 0 not inf");
	ck_assert_msg(xmag_is_nan(xmag_div(zero, zero)), "0 / 0 not nan");
	ck_assert_msg(xmag_is_nan(xmag_div(inf, inf)), "inf / inf not nan");
	ck_assert_msg(xmag_is_zero(xmag_div(zero, big)), "0 / 2^5000 not 0");
	ck_assert_msg(xmag_is_zero(xmag_div(big, inf)), "2^5000 / inf not 0");
	ck_assert_msg(xmag_is_inf(xmag_div(inf, big)), "inf / 2^5000 not inf");
	ck_assert_msg(xmag_is_nan(xmag_div(nan_, zero)), "nan / 0 not nan");

	/* The predicates partition: exactly one of zero/finite-nonzero/inf/
	 * nan, with zero counted finite. */
	ck_assert(xmag_is_finite(zero) && !xmag_is_inf(zero) &&
	    !xmag_is_nan(zero));
	ck_assert(xmag_is_finite(big) && !xmag_is_zero(big) &&
	    !xmag_is_inf(big) && !xmag_is_nan(big));
	ck_assert(xmag_is_finite(tiny) && !xmag_is_zero(tiny));
}
END_TEST

START_TEST(test_xmag_sqrt)
{
	uint64_t s = 0x13198a2e03707344ULL;
	double x, got;
	long double ref;
	size_t i;
	int64_t k;
	XMag r;

	/* In double range the square root is exactly the double's (sqrt is
	 * correctly rounded and halving the exponent is exact). */
	for (i = 0; i < N_SPECIAL_DOUBLES; i++) {
		x = special_doubles[i];
		got = xmag_to_double(xmag_sqrt(xmag_from_double(x)));
		ck_assert_msg(got == sqrt(x), "sqrt(%a) = %a, want %a", x, got,
		    sqrt(x));
	}
	for (i = 0; i < 20000; i++) {
		x = random_double(&s);
		got = xmag_to_double(xmag_sqrt(xmag_from_double(x)));
		ck_assert_msg(got == sqrt(x), "sqrt(%a) = %a, want %a", x, got,
		    sqrt(x));
	}

	/* Odd and even exponents, positive and negative, past double range.
	 * Step 7 alternates the parity. */
	for (k = -16000; k <= 16000; k += 7) {
		r = xmag_sqrt(scaled(0.75, k));
		ref = sqrtl(ldexpl(0.75L, (int)k));
		ck_assert_msg(fabs(rel_err(r, ref)) <= 4 * DBL_EPSILON,
		    "sqrt(0.75 * 2^%lld): rel err %g", (long long)k,
		    rel_err(r, ref));
	}
	/* 2^-2199 (odd, negative) -> 2^-1099.5. */
	r = xmag_sqrt(pow2(-2199));
	ref = ldexpl(sqrtl(0.5L), -1099);
	ck_assert_msg(fabs(rel_err(r, ref)) <= 2 * DBL_EPSILON,
	    "sqrt(2^-2199) = {%a, %lld}", r.m, (long long)r.e);

	r = xmag_sqrt(repeated_mul(1.5, 3000));
	ck_assert_msg(fabs(rel_err(r, powl(1.5L, 1500))) < 1e-12,
	    "sqrt(1.5^3000): rel err %g", rel_err(r, powl(1.5L, 1500)));

	ck_assert(xmag_is_zero(xmag_sqrt(xmag_from_double(0.0))));
	ck_assert(xmag_is_inf(xmag_sqrt(xmag_from_double(INFINITY))));
	ck_assert(xmag_is_nan(xmag_sqrt(xmag_from_double(NAN))));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* log10 and pow10                                                        */
/* ---------------------------------------------------------------------- */

START_TEST(test_xmag_log10)
{
	uint64_t s = 0xa4093822299f31d0ULL;
	long double ref;
	double x, m, got;
	size_t i;
	int64_t k;

	for (i = 1; i < N_SPECIAL_DOUBLES; i++) {
		x = special_doubles[i];
		got = xmag_log10(xmag_from_double(x));
		ck_assert_msg(fabsl(got - log10l(x)) < 1e-12L,
		    "log10(%a) = %.17g, want %.17Lg", x, got, log10l(x));
	}
	/* Across the whole long double range. */
	for (k = -16300; k <= 16300; k += 11) {
		m = random_mantissa(&s);
		got = xmag_log10(scaled(m, k));
		ref = log10l(ldexpl(m, (int)k));
		ck_assert_msg(fabsl(got - ref) < 1e-12L,
		    "log10(%a * 2^%lld) = %.17g, want %.17Lg", m, (long long)k,
		    got, ref);
	}
	/* The engine's largest, past long double too: log10 m + k log10 2. */
	for (k = -700000; k <= 700000; k += 350000) {
		got = xmag_log10(scaled(1.5, k));
		ref = log10l(1.5L) + (long double)k * log10l(2.0L);
		ck_assert_msg(fabsl(got - ref) < 1e-12L * fabsl(ref) + 1e-12L,
		    "log10(1.5 * 2^%lld) = %.17g, want %.17Lg", (long long)k,
		    got, ref);
	}
	ck_assert(isinf(xmag_log10(xmag_from_double(0.0))) &&
	    xmag_log10(xmag_from_double(0.0)) < 0);
	ck_assert(xmag_log10(xmag_from_double(INFINITY)) == INFINITY);
	ck_assert(isnan(xmag_log10(xmag_from_double(NAN))));
}
END_TEST

START_TEST(test_xmag_pow10)
{
	char text[32];
	double want, got, x, r;
	int k;

	/* Integer powers in double range: within one ulp of strtod's
	 * correctly rounded 1ek. */
	for (k = -307; k <= 308; k++) {
		snprintf(text, sizeof text, "1e%d", k);
		want = strtod(text, NULL);
		got = xmag_to_double(xmag_pow10(k));
		ck_assert_msg(fabs(got / want - 1) <= DBL_EPSILON,
		    "pow10(%d) = %.17g, want %.17g", k, got, want);
	}
	/* Across the long double range, integer and fractional powers. */
	for (x = -4900; x <= 4900; x += 0.773) {
		r = rel_err(xmag_pow10(x), powl(10.0L, x));
		ck_assert_msg(fabs(r) < 1e-12, "pow10(%.17g): rel err %g", x,
		    r);
	}
	/* Round trips log10(pow10(x)) = x; the bound is 1e-12 plus the
	 * rounding of the double result. */
	for (x = -300000; x <= 300000; x += 1234.567) {
		got = xmag_log10(xmag_pow10(x));
		ck_assert_msg(fabs(got - x) <=
		        1e-12 + 2 * DBL_EPSILON * fabs(x),
		    "log10(pow10(%.17g)) = %.17g", x, got);
	}
	ck_assert(xmag_is_zero(xmag_pow10(-INFINITY)));
	ck_assert(xmag_is_inf(xmag_pow10(INFINITY)));
	ck_assert(xmag_is_nan(xmag_pow10(NAN)));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Ordering                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_xmag_cmp)
{
	/* Strictly increasing. */
	const XMag v[] = {
	    xmag_from_double(0.0),
	    pow2(-5000),
	    pow2(-1100),
	    scaled(1.5, -1100),
	    xmag_from_double(DBL_TRUE_MIN),
	    xmag_from_double(DBL_MIN),
	    xmag_from_double(1e-300),
	    xmag_from_double(0.5),
	    xmag_from_double(0.75),
	    xmag_from_double(1.0),
	    xmag_from_double(1.0 + DBL_EPSILON),
	    xmag_from_double(3.0),
	    xmag_from_double(DBL_MAX),
	    pow2(1024),
	    xmag_pow10(528),
	    scaled(1.5, 5000),
	    xmag_from_double(INFINITY),
	};
	const int n = (int)(sizeof v / sizeof v[0]);
	XMag nan_ = xmag_from_double(NAN);
	int i, j, c;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			c = xmag_cmp(v[i], v[j]);
			ck_assert_msg(c == (i > j) - (i < j),
			    "cmp(v[%d]={%a,%lld}, v[%d]={%a,%lld}) = %d", i,
			    v[i].m, (long long)v[i].e, j, v[j].m,
			    (long long)v[j].e, c);
		}
		ck_assert_msg(xmag_cmp(nan_, v[i]) == 0 &&
		        xmag_cmp(v[i], nan_) == 0,
		    "nan against v[%d] not 0", i);
	}
	ck_assert_int_eq(xmag_cmp(nan_, nan_), 0);
	/* Equal values made two ways. */
	ck_assert_int_eq(xmag_cmp(xmag_mul(xmag_from_double(2.0),
	                              xmag_from_double(3.0)),
	                     xmag_from_double(6.0)),
	    0);
	ck_assert_int_eq(xmag_cmp(xmag_mul(pow2(3000), pow2(-3000)),
	                     xmag_from_double(1.0)),
	    0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */
/* ---------------------------------------------------------------------- */

static void check_format_printf(double x)
{
	char want[64];

	snprintf(want, sizeof want, "%.6e", x);
	check_format_eq(xmag_from_double(x), want, "double");
}

START_TEST(test_xmag_format_double_range)
{
	/* Decimal mantissas near the rounding edges of the 7th digit. */
	static const char *const mantissas[] = {
	    "1",
	    "1.5",
	    "2.5",
	    "9.9999996",
	    "9.9999995",
	    "9.99999949",
	    "9.99999951",
	    "1.0000005",
	    "1.00000049",
	    "1.2345675",
	    "3.14159265",
	    "5.0000005",
	    "7.7777777",
	};
	uint64_t s = 0x082efa98ec4e6c89ULL;
	char text[64];
	size_t i, j;
	int e10, e2;

	for (i = 0; i < N_SPECIAL_DOUBLES; i++)
		if (special_doubles[i] != 0)
			check_format_printf(special_doubles[i]);
	check_format_printf(9.9999996e+05);
	for (e10 = -307; e10 <= 308; e10++)
		for (j = 0; j < sizeof mantissas / sizeof mantissas[0]; j++) {
			snprintf(text, sizeof text, "%se%d", mantissas[j], e10);
			check_format_printf(strtod(text, NULL));
		}
	for (e2 = -1022; e2 <= 1023; e2++)
		for (j = 0; j < 8; j++)
			check_format_printf(ldexp(random_mantissa(&s), e2));
	/* Subnormals are in double range too. */
	for (i = 0; i < 5000; i++)
		check_format_printf((double)(next_u64(&s) >> 12) *
		    DBL_TRUE_MIN);
	check_format_printf(DBL_TRUE_MIN);
	check_format_printf(DBL_MIN - DBL_TRUE_MIN);
}
END_TEST

/* The oracle for values past double range: x's exact value as a long
 * double, printed by printf's "%.6Le" (exact decimal conversion, so the
 * rounding of the 7th digit and the decade carry are printf's own). */
static void check_format_ld(XMag x, long double v, const char *what)
{
	char want[64];

	snprintf(want, sizeof want, "%.6Le", v);
	check_format_eq(x, want, what);
}

START_TEST(test_xmag_format_past_double_range)
{
	uint64_t s = 0x452821e638d01377ULL;
	char what[64];
	double m;
	int k;

	/* 1.5^3000 to ~3e-13: its 7th digit is nowhere near a rounding edge
	 * (the oracle below would show a near-tie as ...5000 digits). */
	check_format_ld(repeated_mul(1.5, 3000), powl(1.5L, 3000), "1.5^3000");
	/* Negative three-digit exponent, exact. */
	check_format_ld(repeated_mul(0.5, 1100), ldexpl(1.0L, -1100),
	    "0.5^1100");
	check_format_ld(repeated_mul(0.7, 2000), powl(0.7L, 2000), "0.7^2000");
	check_format_ld(pow2(1024), ldexpl(1.0L, 1024), "2^1024");
	check_format_ld(pow2(-1075), ldexpl(1.0L, -1075), "2^-1075");

	/* Exact values m * 2^k on both sides, up to four-digit exponents. */
	for (k = 1024; k <= 16000; k += 37) {
		m = random_mantissa(&s);
		snprintf(what, sizeof what, "%a * 2^%d", m, k);
		check_format_ld(scaled(m, k), ldexpl(m, k), what);
		snprintf(what, sizeof what, "%a * 2^%d", m, -k - 52);
		check_format_ld(scaled(m, -k - 52), ldexpl(m, -k - 52), what);
	}
}
END_TEST

START_TEST(test_xmag_format_decade_carry)
{
	/* 9.9999996e400 rounds to 10.000000 in the 7th digit, so it must
	 * print as 1.000000e+401 (the products below are off by ~1e-16,
	 * far from the 5e-8 rounding edge). */
	XMag x = xmag_mul(xmag_from_double(9.9999996e100),
	    xmag_from_double(1e300));

	check_format_eq(x, "1.000000e+401", "9.9999996e100 * 1e300");
	x = xmag_div(xmag_from_double(9.9999996e-100), xmag_from_double(1e300));
	check_format_eq(x, "1.000000e-399", "9.9999996e-100 / 1e300");
	x = xmag_mul(xmag_from_double(9.9999994e100), xmag_from_double(1e300));
	check_format_eq(x, "9.999999e+400", "9.9999994e100 * 1e300");
	x = xmag_div(xmag_from_double(9.99999999999e-100),
	    xmag_from_double(1e300));
	check_format_eq(x, "1.000000e-399", "9.99999999999e-100 / 1e300");
	/* 10^1000 and 10^-1000 to ~1e-13: never 9.999999e+999. */
	check_format_eq(xmag_pow10(1000), "1.000000e+1000", "pow10(1000)");
	check_format_eq(xmag_pow10(-1000), "1.000000e-1000", "pow10(-1000)");
	check_format_eq(xmag_pow10(-400), "1.000000e-400", "pow10(-400)");
}
END_TEST

START_TEST(test_xmag_format_specials)
{
	check_format_eq(xmag_from_double(0.0), "0", "0");
	check_format_eq(xmag_from_double(-0.0), "0", "-0");
	check_format_eq(xmag_div(pow2(-5000), xmag_from_double(INFINITY)), "0",
	    "2^-5000 / inf");
	check_format_eq(xmag_from_double(INFINITY), "inf", "inf");
	check_format_eq(xmag_from_double(-INFINITY), "inf", "-inf");
	check_format_eq(xmag_from_double(NAN), "nan", "nan");
	check_format_eq(xmag_mul(xmag_from_double(0.0),
	                    xmag_from_double(INFINITY)),
	    "nan", "0 * inf");
}
END_TEST

START_TEST(test_xmag_format_small_buffer)
{
	const XMag v[] = {
	    xmag_from_double(0.0),
	    xmag_from_double(INFINITY),
	    xmag_from_double(123456.789),
	    repeated_mul(1.5, 3000),
	    repeated_mul(0.5, 1100),
	    pow2(-16000),
	};
	char full[XMAG_FORMAT_MAX], buf[XMAG_FORMAT_MAX + 16];
	size_t i, len, b, n;
	int r;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		r = xmag_format(v[i], full, sizeof full);
		ck_assert_msg(r > 0 && (size_t)r == strlen(full),
		    "v[%zu]: xmag_format returned %d for \"%s\"", i, r, full);
		n = (size_t)r;
		for (len = 0; len <= n + 1; len++) {
			memset(buf, 'Z', sizeof buf);
			r = xmag_format(v[i], buf, len);
			if (len <= n)
				ck_assert_msg(r == -1,
				    "\"%s\" in %zu bytes: returned %d, want -1",
				    full, len, r);
			else
				ck_assert_msg(r == (int)n &&
				        strcmp(buf, full) == 0,
				    "\"%s\" in %zu bytes: returned %d, \"%s\"",
				    full, len, r, buf);
			for (b = len; b < sizeof buf; b++)
				ck_assert_msg(buf[b] == 'Z',
				    "\"%s\" in %zu bytes: wrote byte %zu", full,
				    len, b);
		}
	}
}
END_TEST

Suite *xmag_suite(void)
{
	Suite *s = suite_create("xmag");
	TCase *tc = tcase_create("long double oracles");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_xmag_round_trip);
	tcase_add_test(tc, test_xmag_negative_zero);
	tcase_add_test(tc, test_xmag_to_double_saturates);
	tcase_add_test(tc, test_xmag_mul_past_double_range);
	tcase_add_test(tc, test_xmag_div_past_double_range);
	tcase_add_test(tc, test_xmag_specials);
	tcase_add_test(tc, test_xmag_sqrt);
	tcase_add_test(tc, test_xmag_log10);
	tcase_add_test(tc, test_xmag_pow10);
	tcase_add_test(tc, test_xmag_cmp);
	tcase_add_test(tc, test_xmag_format_double_range);
	tcase_add_test(tc, test_xmag_format_past_double_range);
	tcase_add_test(tc, test_xmag_format_decade_carry);
	tcase_add_test(tc, test_xmag_format_specials);
	tcase_add_test(tc, test_xmag_format_small_buffer);
	suite_add_tcase(s, tc);
	return s;
}
