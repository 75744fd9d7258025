/*
 * engine_vec: the engine's vector kernels, the sums of squares, rms and
 * dot products every layer makes. Internal; see include/engine_impl.h.
 */
#include "engine_impl.h"

#include <math.h>
#include <string.h>

/* Sums of squares and dot products with several accumulators: the order
 * is fixed (so results are reproducible) and the chains run in parallel.
 * vec_sumsq, called twice a layer on vectors already in the L1 cache, is
 * bound by the latency of its additions: sixteen lanes (four vectors of
 * four) keep four chains going. */
ENGINE_HOT double vec_sumsq(const double *x, int n)
{
	double s[16] = {0};
	int i, k;

	for (i = 0; i + 16 <= n; i += 16)
		for (k = 0; k < 16; k++)
			s[k] += x[i + k] * x[i + k];
	for (; i < n; i++)
		s[i % 16] += x[i] * x[i];
	for (k = 0; k < 4; k++)
		s[k] = (s[k] + s[k + 4]) + (s[k + 8] + s[k + 12]);
	return (s[0] + s[1]) + (s[2] + s[3]);
}

/*
 * rms(x) without overflow or underflow of its own: the plain sum of
 * squares when it is safely in range, else again scaled by max |x|. With
 * flags, also reports the specials present (any inf, nan, exact zero).
 * vec_rms_ss is given the sum of squares (vec_sumsq's, or the same sum
 * made in another pass).
 */
double vec_rms_ss(const double *x, int n, double ss, unsigned *flags)
{
	double amax = 0, ax, t;
	unsigned f = 0;
	int i;

	if (flags == NULL && ss > 0x1p-900 && ss < 0x1p900)
		return sqrt(ss / n);
	for (i = 0; i < n; i++) {
		ax = fabs(x[i]);
		if (ax > amax)
			amax = ax;
		else if (ax != ax)
			f |= VEC_NAN;
		if (ax == 0)
			f |= VEC_ZERO;
	}
	if (isinf(amax))
		f |= VEC_INF;
	if (flags != NULL)
		*flags = f;
	if (f & VEC_NAN)
		return NAN;
	if (f & VEC_INF)
		return INFINITY;
	if (amax == 0)
		return 0;
	if (ss > 0x1p-900 && ss < 0x1p900)
		return sqrt(ss / n);
	ss = 0;
	for (i = 0; i < n; i++) {
		t = x[i] / amax;
		ss += t * t;
	}
	return amax * sqrt(ss / n);
}

/* Divides x by its rms and returns that rms (0 for a zero vector, which
 * is left as it is). x must be finite. */
XMag vec_normalize(double *x, int n)
{
	double r = vec_rms(x, n, NULL), inv;
	int i;

	if (r == 0)
		return xmag_from_double(0);
	inv = 1.0 / r;
	for (i = 0; i < n; i++)
		x[i] *= inv;
	return xmag_from_double(r);
}

/* x . xi and y . eta in one pass. */
ENGINE_HOT void vec_dot2(const double *x, const float *xi, const double *y,
    const float *eta, int n, double *x_xi, double *y_eta)
{
	double s[4] = {0, 0, 0, 0}, t[4] = {0, 0, 0, 0};
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			s[k] += x[i + k] * xi[i + k];
			t[k] += y[i + k] * eta[i + k];
		}
	for (; i < n; i++) {
		s[0] += x[i] * xi[i];
		t[0] += y[i] * eta[i];
	}
	*x_xi = (s[0] + s[1]) + (s[2] + s[3]);
	*y_eta = (t[0] + t[1]) + (t[2] + t[3]);
}

/* e = d * g with its rms, one pass while the sum of squares is in range. */
ENGINE_HOT double vec_mul_rms(const double *d, const double *g, int n,
    double *e)
{
	double s[4] = {0, 0, 0, 0}, ss;
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			e[i + k] = d[i + k] * g[i + k];
			s[k] += e[i + k] * e[i + k];
		}
	for (; i < n; i++) {
		e[i] = d[i] * g[i];
		s[0] += e[i] * e[i];
	}
	ss = (s[0] + s[1]) + (s[2] + s[3]);
	return vec_rms_ss(e, n, ss, NULL);
}

/*
 * vec_mul_rms and vec_dot2(e, xi, a, eta) in one pass: the stored phi'
 * and a[l-1] come from memory once per backward step, and most of the
 * step's time is spent waiting for them. The sums are vec_mul_rms's and
 * vec_dot2's, lane for lane, so the numbers are theirs.
 */
ENGINE_HOT double vec_mul_dots(const double *d, const double *g,
    const double *a, const float *xi, const float *eta, int n, double *e,
    double *e_xi, double *a_eta)
{
	double s[4] = {0, 0, 0, 0}, x[4] = {0, 0, 0, 0}, y[4] = {0, 0, 0, 0};
	int i, k;
#if ENGINE_LANES
	Lanes ls = {0, 0, 0, 0}, lx = ls, ly = ls, vd, vg, va, ve;
	LanesF fx, fe;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&vd, d + i, sizeof vd);
		memcpy(&vg, g + i, sizeof vg);
		memcpy(&va, a + i, sizeof va);
		memcpy(&fx, xi + i, sizeof fx);
		memcpy(&fe, eta + i, sizeof fe);
		ve = vd * vg;
		memcpy(e + i, &ve, sizeof ve);
		ls += ve * ve;
		lx += ve * __builtin_convertvector(fx, Lanes);
		ly += va * __builtin_convertvector(fe, Lanes);
	}
	for (k = 0; k < 4; k++) {
		s[k] = ls[k];
		x[k] = lx[k];
		y[k] = ly[k];
	}
#else
	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			e[i + k] = d[i + k] * g[i + k];
			s[k] += e[i + k] * e[i + k];
			x[k] += e[i + k] * xi[i + k];
			y[k] += a[i + k] * eta[i + k];
		}
#endif
	for (; i < n; i++) {
		e[i] = d[i] * g[i];
		s[0] += e[i] * e[i];
		x[0] += e[i] * xi[i];
		y[0] += a[i] * eta[i];
	}
	*e_xi = (x[0] + x[1]) + (x[2] + x[3]);
	*a_eta = (y[0] + y[1]) + (y[2] + y[3]);
	return vec_rms_ss(e, n, (s[0] + s[1]) + (s[2] + s[3]), NULL);
}

/* prec_round's 16-bit formats (the others are never passed). */
double prec_round_half(double x, EnginePrecision p)
{
	return p == ENGINE_PRECISION_FLOAT16 ? prec_round_f16(x) :
	                                       prec_round_bf16(x);
}
