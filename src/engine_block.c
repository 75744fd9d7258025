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

/* y = x - m with its sum of squares, in one pass; *differ counts the
 * entries unlike x[0]. */
ENGINE_HOT static double block_center(const double *x, double m, int n,
    double *restrict y, int *differ)
{
	double s[4] = {0, 0, 0, 0};
	int i, k, d = 0;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			y[i + k] = x[i + k] - m;
			s[k] += y[i + k] * y[i + k];
			d += x[i + k] != x[0];
		}
	for (; i < n; i++) {
		y[i] = x[i] - m;
		s[0] += y[i] * y[i];
		d += x[i] != x[0];
	}
	*differ = d;
	return (s[0] + s[1]) + (s[2] + s[3]);
}

XMag block_norm_exact(EngineNorm norm, const double *x, XMag c, int n,
    double *y, XMag *sigma)
{
	double m = norm == ENGINE_NORM_LAYER ? block_mean(x, n) : 0, r, inv;
	XMag v;
	int i, differ;

	r = vec_rms_ss(y, n, block_center(x, m, n, y, &differ), NULL);
	/* A constant vector's mean is itself, exactly, though a sum of n
	 * copies rounds: layer norm of it is 0, not rounding noise that
	 * 1/sqrt(eps) would blow up layer after layer. */
	if (norm == ENGINE_NORM_LAYER && differ == 0)
		r = 0;
	/* The true rms of v - mean(v) (of v for rms): var(v) = V^2, and
	 * eps is added at the true scale, however far from 1 it is. */
	v = xmag_mul(c, xmag_from_double(r));
	*sigma = xmag_sqrt(block_xmag_add(xmag_mul(v, v),
	    xmag_from_double(ENGINE_NORM_EPS)));
	if (r == 0) {
		/* A constant vector (layer) or zero: N(v) = 0 exactly. */
		memset(y, 0, (size_t)n * sizeof *y);
		return xmag_from_double(0);
	}
	inv = 1 / r;
	for (i = 0; i < n; i++)
		y[i] *= inv;
	return xmag_div(v, *sigma);
}

/* mean(e) (when centred) and y . e, in one pass. */
ENGINE_HOT static void block_mean_dot(const double *y, const double *e, int n,
    int centred, double *mean, double *dot)
{
	double s[4] = {0, 0, 0, 0}, t[4] = {0, 0, 0, 0};
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			s[k] += e[i + k];
			t[k] += y[i + k] * e[i + k];
		}
	for (; i < n; i++) {
		s[0] += e[i];
		t[0] += y[i] * e[i];
	}
	*mean = centred ? ((s[0] + s[1]) + (s[2] + s[3])) / n : 0;
	*dot = (t[0] + t[1]) + (t[2] + t[3]);
}

ENGINE_HOT void block_norm_back(EngineNorm norm, const double *y, double yy,
    double keep, double *e, int n)
{
	double m, c;
	int i;

	block_mean_dot(y, e, n, norm == ENGINE_NORM_LAYER, &m, &c);
	c = yy > 0 ? c / yy : 0;
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
	s = prec_round(sqrt(prec_round(var + prec_round(ENGINE_NORM_EPS, q),
	                   q)),
	    q);
	for (i = 0; i < n; i++)
		y[i] = prec_round(y[i] / s, p);
	return s;
}

/* out = x c1 + y c2, returning how many entries came out 0: the pass
 * vectorises, and the rare zeros are looked at again by the caller. */
ENGINE_HOT static int block_axpby(double *restrict out, const double *x,
    double c1, const double *y, double c2, int n)
{
	int i, zeros = 0;

	for (i = 0; i < n; i++) {
		out[i] = x[i] * c1 + y[i] * c2;
		zeros += out[i] == 0;
	}
	return zeros;
}

XMag block_add_exact(double *out, const double *x, XMag cx, double rx,
    const double *y, XMag cy, double ry, int n)
{
	double sn = sqrt((double)n), c1, c2;
	XMag s, sy, r1, r2;
	int i, zeros;

	/* |x[i]| <= sqrt(n) rms(x): s bounds every entry of both terms. */
	s = xmag_mul(cx, xmag_from_double(rx * sn));
	sy = xmag_mul(cy, xmag_from_double(ry * sn));
	if (xmag_cmp(sy, s) > 0)
		s = sy;
	if (xmag_is_zero(s)) {
		memset(out, 0, (size_t)n * sizeof *out);
		return s;
	}
	r1 = xmag_div(cx, s);
	r2 = xmag_div(cy, s);
	c1 = xmag_to_double(r1);
	c2 = xmag_to_double(r2);
	zeros = block_axpby(out, x, c1, y, c2, n);
	for (i = 0; zeros > 0 && i < n; i++)
		if (out[i] == 0 && (x[i] != 0 || y[i] != 0))
			out[i] = engine_tiny_sign(x[i], r1, y[i], r2);
	return s;
}
