/*
 * engine_block: the kernels of the blocks past the plain chain, the
 * normalizations (forward, and their Jacobians' transposes for the
 * backward pass) and the residual sum, in exact precision (a vector
 * times an XMag coefficient) and in the float formats. Internal; see
 * include/engine_impl.h.
 *
 * The Jacobians, with y = N(v) and sigma = sqrt(var(v) + eps) for layer
 * norm, sqrt(mean(v^2) + eps) for RMS norm (both symmetric):
 *   layer: dy/dv = (I - 1 1^T / n - y y^T / n) / sigma
 *   rms:   dy/dv = (I - y y^T / n) / sigma
 */
#include "engine_impl.h"

#include <float.h>
#include <math.h>
#include <string.h>

XMag block_xmag_add(XMag a, XMag b)
{
	XMag t;
	double r;

	if (xmag_cmp(a, b) < 0) {
		t = a;
		a = b;
		b = t;
	}
	if (xmag_is_zero(a) || !xmag_is_finite(a) || !xmag_is_finite(b))
		return xmag_is_finite(b) ? a : b;
	r = xmag_to_double(xmag_div(b, a)); /* in [0, 1] */
	return xmag_mul(a, xmag_from_double(1 + r));
}

/* The mean of x in a fixed order. */
static double block_mean(const double *x, int n)
{
	double s[4] = {0, 0, 0, 0};
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++)
			s[k] += x[i + k];
	for (; i < n; i++)
		s[0] += x[i];
	return ((s[0] + s[1]) + (s[2] + s[3])) / n;
}

/* x . y in a fixed order. */
static double block_dot(const double *x, const double *y, int n)
{
	double s[4] = {0, 0, 0, 0};
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++)
			s[k] += x[i + k] * y[i + k];
	for (; i < n; i++)
		s[0] += x[i] * y[i];
	return (s[0] + s[1]) + (s[2] + s[3]);
}

XMag block_norm_exact(EngineNorm norm, const double *x, XMag c, int n,
    double *y, XMag *sigma)
{
	double m = norm == ENGINE_NORM_LAYER ? block_mean(x, n) : 0, r;
	XMag v;
	int i;

	for (i = 0; i < n; i++)
		y[i] = x[i] - m;
	r = vec_rms(y, n, NULL);
	/* The true rms of v - mean(v) (of v for rms): var(v) = V^2, and
	 * eps is added at the true scale, however far from 1 it is. */
	v = xmag_mul(c, xmag_from_double(r));
	*sigma = xmag_sqrt(
	    block_xmag_add(xmag_mul(v, v), xmag_from_double(ENGINE_NORM_EPS)));
	if (r == 0) {
		/* A constant vector (layer) or zero: N(v) = 0 exactly. */
		memset(y, 0, (size_t)n * sizeof *y);
		return xmag_from_double(0);
	}
	for (i = 0; i < n; i++)
		y[i] /= r;
	return xmag_div(v, *sigma);
}

void block_norm_back(EngineNorm norm, const double *y, double keep, int exact,
    double *e, int n)
{
	double m = norm == ENGINE_NORM_LAYER ? block_mean(e, n) : 0;
	double yy = exact ? block_dot(y, y, n) : n;
	double c = yy > 0 ? block_dot(y, e, n) / yy : 0;
	int i;

	/* Exact: the part along y is projected off whole (by y's own
	 * |y|^2, so a stored y a rounding off rms 1 leaves nothing along
	 * it) and keep of it added back: no 1 - k^2 is ever formed, which
	 * would cancel to a few digits where var >> eps. */
	for (i = 0; i < n; i++)
		e[i] = ((e[i] - m) - c * y[i]) + keep * (c * y[i]);
}

/* The accumulation format the float norms' statistics are kept in:
 * float64's own, float32 for the others (as 16-bit hardware does). */
static EnginePrecision block_acc(EnginePrecision p)
{
	return p == ENGINE_PRECISION_FLOAT64 ? p : ENGINE_PRECISION_FLOAT32;
}

double block_norm_float(EngineNorm norm, EnginePrecision p, const double *x,
    int n, double *y)
{
	EnginePrecision q = block_acc(p);
	double m = 0, ss = 0, var, s;
	int i;

	if (norm == ENGINE_NORM_LAYER)
		m = prec_round(block_mean(x, n), q);
	for (i = 0; i < n; i++) {
		y[i] = prec_round(x[i] - m, q);
		ss += prec_round(y[i] * y[i], q);
	}
	var = prec_round(ss / n, q);
	s = prec_round(sqrt(prec_round(var + prec_round(ENGINE_NORM_EPS, q), q)),
	    q);
	for (i = 0; i < n; i++)
		y[i] = prec_round(y[i] / s, p);
	return s;
}

/* The true sign of x r1 + y r2 when its double form rounded to 0: the
 * larger term's; 0 only for an exact tie. */
static double block_tiny(double x, XMag r1, double y, XMag r2)
{
	XMag p = xmag_mul(xmag_from_double(x), r1);
	XMag q = xmag_mul(xmag_from_double(y), r2);
	int c = xmag_cmp(p, q);

	if (c == 0)
		return 0;
	return copysign(DBL_TRUE_MIN, c > 0 ? x : y);
}

XMag block_add_exact(double *x, XMag cx, const double *y, XMag cy, int n)
{
	double hx = 0, hy = 0, t, c1, c2;
	XMag s, sy, r1, r2;
	int i;

	for (i = 0; i < n; i++) {
		hx = fabs(x[i]) > hx ? fabs(x[i]) : hx;
		hy = fabs(y[i]) > hy ? fabs(y[i]) : hy;
	}
	s = xmag_mul(cx, xmag_from_double(hx));
	sy = xmag_mul(cy, xmag_from_double(hy));
	if (xmag_cmp(sy, s) > 0)
		s = sy;
	if (xmag_is_zero(s))
		return cx;
	r1 = xmag_div(cx, s);
	r2 = xmag_div(cy, s);
	c1 = xmag_to_double(r1);
	c2 = xmag_to_double(r2);
	for (i = 0; i < n; i++) {
		t = x[i] * c1 + y[i] * c2;
		if (t == 0 && (x[i] != 0 || y[i] != 0))
			t = block_tiny(x[i], r1, y[i], r2);
		x[i] = t;
	}
	return s;
}
