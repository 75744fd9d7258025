/*
 * xmag: non-negative magnitudes over an unbounded exponent range.
 * See include/xmag.h for the contract.
 */
#include "xmag.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

/* Canonical specials: the exponent is 0 so that == comparisons of two
 * XMags mean equal values. */
static XMag xmag_make(double m, int64_t e)
{
	XMag r;
	int k;

	if (m != m)
		m = NAN;
	m = fabs(m); /* also makes -0 into +0 */
	if (m == 0 || isinf(m) || isnan(m)) {
		r.m = m;
		r.e = 0;
		return r;
	}
	r.m = frexp(m, &k);
	r.e = e + k;
	return r;
}

XMag xmag_from_double(double x)
{
	return xmag_make(x, 0);
}

double xmag_to_double(XMag x)
{
	if (x.m == 0 || !isfinite(x.m))
		return x.m;
	if (x.e > DBL_MAX_EXP)
		return INFINITY;
	if (x.e < DBL_MIN_EXP - DBL_MANT_DIG - 1)
		return 0.0;
	return ldexp(x.m, (int)x.e);
}

XMag xmag_mul(XMag a, XMag b)
{
	if (!xmag_is_finite(a) || !xmag_is_finite(b) || a.m == 0 || b.m == 0)
		return xmag_make(a.m * b.m, 0);
	return xmag_make(a.m * b.m, a.e + b.e);
}

XMag xmag_div(XMag a, XMag b)
{
	if (!xmag_is_finite(a) || !xmag_is_finite(b) || a.m == 0 || b.m == 0)
		return xmag_make(a.m / b.m, 0);
	return xmag_make(a.m / b.m, a.e - b.e);
}

XMag xmag_sqrt(XMag a)
{
	if (!xmag_is_finite(a) || a.m == 0)
		return a;
	/* Make the exponent even so it halves exactly. */
	if (a.e % 2 != 0)
		return xmag_make(sqrt(a.m * 2.0), (a.e - 1) / 2);
	return xmag_make(sqrt(a.m), a.e / 2);
}

double xmag_log10(XMag a)
{
	if (a.m == 0)
		return -INFINITY;
	if (!isfinite(a.m))
		return a.m;
	/* long double keeps e * log10(2) accurate for exponents far past the
	 * double range; the engine's largest is about 2^700000. */
	return (double)(log10l((long double)a.m) +
	    (long double)a.e * 0.301029995663981195213738894724493027L);
}

XMag xmag_pow10(double x)
{
	long double l2, ip;

	if (isnan(x))
		return xmag_make(NAN, 0);
	if (isinf(x))
		return xmag_make(x > 0 ? INFINITY : 0.0, 0);
	/* 10^x = 2^(x log2 10): split into an integer and a fractional power. */
	l2 = (long double)x * 3.321928094887362347870319429489390175L;
	ip = floorl(l2);
	return xmag_make((double)exp2l(l2 - ip), (int64_t)ip);
}

int xmag_is_zero(XMag a)
{
	return a.m == 0;
}

int xmag_is_inf(XMag a)
{
	return isinf(a.m);
}

int xmag_is_nan(XMag a)
{
	return isnan(a.m);
}

int xmag_is_finite(XMag a)
{
	return isfinite(a.m);
}

int xmag_cmp(XMag a, XMag b)
{
	if (isnan(a.m) || isnan(b.m))
		return 0;
	if (a.m == 0 || b.m == 0 || isinf(a.m) || isinf(b.m) || a.e == b.e)
		return (a.m > b.m) - (a.m < b.m);
	return a.e > b.e ? 1 : -1;
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */
/* ---------------------------------------------------------------------- */

int xmag_format_prec(XMag a, int prec, char *buf, size_t len)
{
	long double l10, ip, mant;
	char digits[24];
	int n;

	if (prec < 0)
		prec = 0;
	if (prec > 9)
		prec = 9;
	if (a.m == 0)
		n = snprintf(buf, len, "0");
	else if (isnan(a.m))
		n = snprintf(buf, len, "nan");
	else if (isinf(a.m))
		n = snprintf(buf, len, "inf");
	else if (a.e <= DBL_MAX_EXP && a.e >= DBL_MIN_EXP)
		/* Normal doubles: printf's own rounding, digit for digit. */
		n = snprintf(buf, len, "%.*e", prec, ldexp(a.m, (int)a.e));
	else {
		l10 = log10l((long double)a.m) +
		    (long double)a.e * 0.301029995663981195213738894724493027L;
		ip = floorl(l10);
		mant = powl(10.0L, l10 - ip);
		/* Rounding the mantissa can carry into a new decade. */
		snprintf(digits, sizeof digits, "%.*Lf", prec, mant);
		if (digits[0] == '1' && digits[1] == '0') {
			ip += 1;
			mant /= 10;
			snprintf(digits, sizeof digits, "%.*Lf", prec, mant);
		}
		n = snprintf(buf, len, "%se%c%02lld", digits,
		    ip < 0 ? '-' : '+', (long long)fabsl(ip));
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

int xmag_format(XMag a, char *buf, size_t len)
{
	return xmag_format_prec(a, 6, buf, len);
}
