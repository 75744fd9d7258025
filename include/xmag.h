/*
 * xmag: non-negative magnitudes over an unbounded exponent range.
 *
 * The engine reports activation and gradient sizes such as 1.5^3000 (about
 * 10^528) or 0.5^1100 (about 10^-331) that a double cannot hold. An XMag is
 * m * 2^e with a double mantissa and a 64-bit binary exponent, so products
 * of per-layer factors never overflow or underflow. It also carries the
 * IEEE specials (0, inf, nan) so that float-precision results pass through
 * the same type unchanged.
 *
 * Pure C: no I/O, no allocation.
 */
#ifndef GRADSCOPE_XMAG_H
#define GRADSCOPE_XMAG_H

#include <stddef.h>
#include <stdint.h>

/* value = m * 2^e. Normalised: 0.5 <= m < 1, or m is 0, +inf or nan (e is
 * then 0). Only non-negative magnitudes are represented. */
typedef struct {
	double m;
	int64_t e;
} XMag;

/* |x| as an XMag: exact for every finite double; inf and nan carry over. */
XMag xmag_from_double(double x);

/* The nearest double: saturates to inf above DBL_MAX, to a subnormal or 0
 * below DBL_MIN. */
double xmag_to_double(XMag x);

/* Products and quotients, exact up to one rounding of the mantissa. IEEE
 * rules for the specials: 0 * inf = nan, x / 0 = inf, 0 / 0 = nan. */
XMag xmag_mul(XMag a, XMag b);
XMag xmag_div(XMag a, XMag b);
XMag xmag_sqrt(XMag a);

/* log10 of the value: -inf for 0, inf for inf, nan for nan. Accurate to
 * about 1e-12 absolute for every exponent the engine can produce. */
double xmag_log10(XMag a);

/* 10^x as an XMag (x may be far outside double range). */
XMag xmag_pow10(double x);

/* Predicates on the specials. */
int xmag_is_zero(XMag a);
int xmag_is_inf(XMag a);
int xmag_is_nan(XMag a);
int xmag_is_finite(XMag a); /* neither inf nor nan; 0 is finite */

/* -1, 0, 1 as a < b, a == b, a > b; nan compares as 0 against anything. */
int xmag_cmp(XMag a, XMag b);

/*
 * Formats like printf's "%.6e" ("1.234567e+05", "9.765625e-04"), also past
 * double range ("1.733781e+26", "1.234567e+528"). An exact zero prints "0",
 * the specials "inf" and "nan". Within double range the text is identical
 * to printf's. Returns the length written (not counting the NUL), or -1 if
 * buf (at least XMAG_FORMAT_MAX bytes is always enough) is too small.
 */
#define XMAG_FORMAT_MAX 32
int xmag_format(XMag a, char *buf, size_t len);

/* The same with prec digits after the point (0..9, clamped), like
 * printf's "%.*e": "2.59e+26" for prec 2. */
int xmag_format_prec(XMag a, int prec, char *buf, size_t len);

#endif
