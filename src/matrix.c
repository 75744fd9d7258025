/*
 * matrix: explicit weight matrices. See include/matrix.h for the contract.
 *
 * Products are OpenBLAS's dgemm and the orthogonal init LAPACK's
 * Householder QR (dgeqrf, dorgqr). LAPACK leaves R's diagonal of either
 * sign, so Q's columns are flipped to make it positive: G = Q R with R
 * positive-diagonal is unique, and the distribution of G is invariant
 * under Q -> U Q, so that Q is Haar.
 */
#include "matrix.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "rng.h"

/* ---------------------------------------------------------------------- */
/* Weights                                                                */
/* ---------------------------------------------------------------------- */

int matrix_models(const EngineConfig *cfg, const char *what, char *err,
    size_t errlen)
{
	char parts[160] = "";
	size_t n = 0;

	if (cfg->arch != ENGINE_ARCH_PLAIN)
		n += (size_t)snprintf(parts + n, sizeof parts - n,
		    "%s%s blocks", n > 0 ? ", " : "",
		    engine_arch_name(cfg->arch));
	if (cfg->norm != ENGINE_NORM_NONE && n < sizeof parts)
		n += (size_t)snprintf(parts + n, sizeof parts - n, "%s%s norm",
		    n > 0 ? ", " : "", engine_norm_name(cfg->norm));
	if (cfg->bias_std != 0 && n < sizeof parts)
		n += (size_t)snprintf(parts + n, sizeof parts - n,
		    "%sbiases (std %g)", n > 0 ? ", " : "", cfg->bias_std);
	if (n == 0)
		return 0;
	snprintf(err, errlen,
	    "%s models plain layers without biases or normalization only "
	    "(this network has %s)",
	    what, parts);
	return -1;
}

int matrix_weights(const EngineConfig *cfg, int layer, double *W, float *draws)
{
	int n = cfg->width, i, j;
	size_t nn = (size_t)n * n;
	double s = cfg->lambda / sqrt(n), *tau, t;

	if (cfg->init == ENGINE_INIT_IDENTITY) {
		memset(W, 0, nn * sizeof *W);
		for (i = 0; i < n; i++)
			W[(size_t)i * n + i] = cfg->lambda;
		return 0;
	}
	rng_normals(cfg->seed, RNG_STREAM_MATRIX, (uint32_t)layer, (int)nn,
	    draws);
	if (cfg->init == ENGINE_INIT_GAUSSIAN) {
		for (i = 0; (size_t)i < nn; i++)
			W[i] = s * draws[i];
		return 0;
	}
	/* Row-major G is column-major G^T: LAPACK works on the transpose's
	 * storage, so W gets G in column-major order (its columns
	 * contiguous, as dgeqrf wants), then Q in place, then the
	 * transpose back to row-major. */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			W[(size_t)j * n + i] = draws[(size_t)i * n + j];
	tau = malloc((size_t)n * sizeof *tau);
	if (tau == NULL ||
	    LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, n, W, n, tau) != 0) {
		free(tau);
		return -1;
	}
	/* R's diagonal signs, kept in draws' first n before dorgqr
	 * overwrites R. */
	for (j = 0; j < n; j++)
		draws[j] = W[(size_t)j * n + j] < 0 ? -1.0f : 1.0f;
	i = LAPACKE_dorgqr(LAPACK_COL_MAJOR, n, n, n, W, n, tau);
	free(tau);
	if (i != 0)
		return -1;
	for (j = 0; j < n; j++)
		for (i = 0; i < n; i++)
			W[(size_t)j * n + i] *= draws[j] * cfg->lambda;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			t = W[(size_t)i * n + j];
			W[(size_t)i * n + j] = W[(size_t)j * n + i];
			W[(size_t)j * n + i] = t;
		}
	return 0;
}

void matrix_input(const EngineConfig *cfg, double *x, float *draws)
{
	int n = cfg->width, i;

	if (cfg->input == ENGINE_INPUT_RANDOM)
		rng_normals(cfg->seed, RNG_STREAM_INPUT, 0, n, draws);
	for (i = 0; i < n; i++)
		x[i] = cfg->input == ENGINE_INPUT_RANDOM ? draws[i] : 1;
}

/* ---------------------------------------------------------------------- */
/* Products                                                               */
/* ---------------------------------------------------------------------- */

void matrix_mul(int m, int k, int p, const double *A, const double *B,
    double *C)
{
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, p, k, 1, A, k,
	    B, p, 0, C, p);
}

/* Four accumulators: without reassociation (ISO C, no -ffast-math) a
 * single sum is one serial chain; four run in parallel and vectorise. */
double matrix_dot(const double *x, const double *y, int n)
{
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	int i;

	for (i = 0; i + 4 <= n; i += 4) {
		s0 += x[i] * y[i];
		s1 += x[i + 1] * y[i + 1];
		s2 += x[i + 2] * y[i + 2];
		s3 += x[i + 3] * y[i + 3];
	}
	for (; i < n; i++)
		s0 += x[i] * y[i];
	return (s0 + s1) + (s2 + s3);
}

/* ---------------------------------------------------------------------- */
/* Graded one-sided Jacobi                                                */
/* ---------------------------------------------------------------------- */

void matrix_rows_normalize(double *C, XMag *scale, int n)
{
	double nrm, *r;
	int i, k;

	for (i = 0; i < n; i++) {
		r = C + (size_t)i * n;
		nrm = sqrt(matrix_dot(r, r, n));
		if (!(nrm > 0) || !isfinite(nrm)) {
			if (nrm == 0)
				scale[i] = xmag_from_double(0);
			else
				scale[i] = xmag_from_double(NAN);
			continue;
		}
		for (k = 0; k < n; k++)
			r[k] /= nrm;
		scale[i] = xmag_mul(scale[i], xmag_from_double(nrm));
	}
}

/*
 * Rows p and q (s_p >= s_q) in the frame of s_p: x = c_p, y = rho c_q with
 * rho = s_q / s_p <= 1, so a = |x|^2 = 1, b = rho^2, c = x . y = rho g.
 * The rotation is Rutishauser's (cot 2 theta = (b - a) / 2c, t = tan
 * theta the smaller root). Below GRADED_RHO, rho^2 is under the rounding
 * of 1 and the rotation is its first-order limit, exact to that rounding:
 * t = -rho g, x' = x, y' = rho (c_q - g c_p) (a Gram-Schmidt step), which
 * never forms rho, so rho may be far below the double range.
 */
#define GRADED_RHO 1e-140

static void graded_rotate(double *cp, double *cq, XMag *sp, XMag *sq, int n,
    double g)
{
	double rho = xmag_to_double(xmag_div(*sq, *sp)), zeta, t, cs, sn, x, y;
	double a = 0, b = 0;
	int k;

	if (rho < GRADED_RHO) {
		for (k = 0; k < n; k++) {
			cq[k] -= g * cp[k];
			b += cq[k] * cq[k];
		}
		b = sqrt(b);
		for (k = 0; k < n; k++)
			cq[k] /= b;
		*sq = xmag_mul(*sq, xmag_from_double(b));
		return;
	}
	zeta = (rho * rho - 1) / (2 * rho * g);
	/* hypot: zeta can be past 1e154 when rho is small. */
	t = (zeta >= 0 ? 1 : -1) / (fabs(zeta) + hypot(1, zeta));
	cs = 1 / sqrt(1 + t * t);
	sn = cs * t;
	for (k = 0; k < n; k++) {
		x = cs * cp[k] - sn * rho * cq[k];
		y = sn * cp[k] + cs * rho * cq[k];
		cp[k] = x;
		cq[k] = y;
		a += x * x;
		b += y * y;
	}
	a = sqrt(a);
	b = sqrt(b);
	for (k = 0; k < n; k++) {
		cp[k] /= a;
		cq[k] /= b;
	}
	*sq = xmag_mul(*sp, xmag_from_double(b));
	*sp = xmag_mul(*sp, xmag_from_double(a));
}

int matrix_jacobi_graded(double *C, XMag *scale, int n, int first, int last)
{
	/* The dot product's own rounding error grows like sqrt(n) eps: a
	 * tighter test could never be met (LAPACK's dgesvj uses the same). */
	double tol = sqrt(n) * DBL_EPSILON, g;
	int i, j, rotations = 0;

	for (i = first; i < last; i++)
		for (j = i + 1; j < n; j++) {
			double *ri = C + (size_t)i * n, *rj = C + (size_t)j * n;

			if (xmag_is_zero(scale[i]) || xmag_is_zero(scale[j]) ||
			    !xmag_is_finite(scale[i]) ||
			    !xmag_is_finite(scale[j]))
				continue;
			g = matrix_dot(ri, rj, n);
			if (!(fabs(g) > tol))
				continue;
			if (xmag_cmp(scale[i], scale[j]) >= 0)
				graded_rotate(ri, rj, &scale[i], &scale[j], n,
				    g);
			else
				graded_rotate(rj, ri, &scale[j], &scale[i], n,
				    g);
			rotations++;
		}
	return rotations;
}
