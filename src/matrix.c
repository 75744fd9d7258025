/*
 * matrix: explicit weight matrices. See include/matrix.h for the contract.
 *
 * The orthogonal init is a Householder QR of a gaussian matrix G, done as
 * the LQ decomposition of G^T so that every reflector works on contiguous
 * rows. Each reflector sends its row to +|row| e_k (Parlett's form, no
 * cancellation), so R = L^T has a positive diagonal and Q needs no sign
 * fix to be Haar: G = Q R with R positive-diagonal is unique, and the
 * distribution of G is invariant under Q -> U Q.
 */
#include "matrix.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "rng.h"

/* ---------------------------------------------------------------------- */
/* Weights                                                                */
/* ---------------------------------------------------------------------- */

/*
 * In place: H (n x n) holds G^T on entry and Q on return, G = Q R, R
 * upper triangular with a positive diagonal.
 *
 * Forward: for k = 0..n-1 the reflector P_k = I - v v^T (|v|^2 = 2 or
 * v = 0) acting on columns k..n-1 zeroes row k right of the diagonal and
 * leaves +|row| on it; v overwrites row k from column k on. Then
 * H P_0 ... P_{n-1} = L, so G = (P_0 ... P_{n-1}) L^T: Q = P_0 ... P_{n-1}.
 *
 * Backward: Q is accumulated in place, Q_k = P_k diag(I, B) with B the
 * trailing block of Q_{k+1}. With w = v[1:]^T B, the new block is
 *   [ 1 - v0^2    -v0 w         ]
 *   [ -v0 v[1:]   B - v[1:] w^T ]
 * v[1:] moves to column k below the diagonal (the forward pass left L's
 * subdiagonal there, no longer needed), which frees row k to hold w: the
 * inner loops then all run along rows.
 */
static void householder_q(double *H, int n)
{
	double *v, alpha, sigma, u0, scale, s, v0;
	int i, c, k;

	for (k = 0; k < n; k++) {
		v = H + (size_t)k * n + k;
		sigma = 0;
		for (c = 1; c < n - k; c++)
			sigma += v[c] * v[c];
		alpha = sqrt(v[0] * v[0] + sigma);
		u0 = v[0] > 0 ? -sigma / (v[0] + alpha) : v[0] - alpha;
		if (u0 * u0 + sigma == 0) {
			/* Already +|row| e_k: no reflection. */
			for (c = 0; c < n - k; c++)
				v[c] = 0;
			continue;
		}
		scale = sqrt(2 / (u0 * u0 + sigma));
		v[0] = u0 * scale;
		for (c = 1; c < n - k; c++)
			v[c] *= scale;
		for (i = k + 1; i < n; i++) {
			double *row = H + (size_t)i * n + k;

			s = 0;
			for (c = 0; c < n - k; c++)
				s += row[c] * v[c];
			for (c = 0; c < n - k; c++)
				row[c] -= s * v[c];
		}
	}
	for (k = n - 1; k >= 0; k--) {
		double *w = H + (size_t)k * n + k + 1;

		v0 = H[(size_t)k * n + k];
		for (i = k + 1; i < n; i++)
			H[(size_t)i * n + k] = w[i - k - 1];
		for (c = 0; c < n - k - 1; c++)
			w[c] = 0;
		for (i = k + 1; i < n; i++) {
			const double *row = H + (size_t)i * n + k + 1;
			double vi = H[(size_t)i * n + k];

			for (c = 0; c < n - k - 1; c++)
				w[c] += vi * row[c];
		}
		for (i = k + 1; i < n; i++) {
			double *row = H + (size_t)i * n + k + 1;
			double vi = H[(size_t)i * n + k];

			for (c = 0; c < n - k - 1; c++)
				row[c] -= vi * w[c];
			H[(size_t)i * n + k] = -v0 * vi;
		}
		for (c = 0; c < n - k - 1; c++)
			w[c] *= -v0;
		H[(size_t)k * n + k] = 1 - v0 * v0;
	}
}

void matrix_weights(const EngineConfig *cfg, int layer, double *W, float *draws)
{
	int n = cfg->width, i, j;
	size_t nn = (size_t)n * n;
	double s = cfg->lambda / sqrt(n);

	if (cfg->init == ENGINE_INIT_IDENTITY) {
		memset(W, 0, nn * sizeof *W);
		for (i = 0; i < n; i++)
			W[(size_t)i * n + i] = cfg->lambda;
		return;
	}
	rng_normals(cfg->seed, RNG_STREAM_MATRIX, (uint32_t)layer, (int)nn,
	    draws);
	if (cfg->init == ENGINE_INIT_GAUSSIAN) {
		for (i = 0; (size_t)i < nn; i++)
			W[i] = s * draws[i];
		return;
	}
	/* W = G^T, then Q in place. */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			W[(size_t)i * n + j] = draws[(size_t)j * n + i];
	householder_q(W, n);
	for (i = 0; (size_t)i < nn; i++)
		W[i] *= cfg->lambda;
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

/* Row by row, each row of C a sum of rows of B: the inner loop runs over
 * contiguous memory in both and vectorises; four rows of B per pass over
 * the row of C cut its loads and stores fourfold. */
void matrix_mul(int m, int k, int p, const double *A, const double *B,
    double *C)
{
	int i, t, j;

	for (i = 0; i < m; i++) {
		const double *a = A + (size_t)i * k;
		double *c = C + (size_t)i * p;

		for (j = 0; j < p; j++)
			c[j] = 0;
		for (t = 0; t + 4 <= k; t += 4) {
			const double *b0 = B + (size_t)t * p, *b1 = b0 + p;
			const double *b2 = b1 + p, *b3 = b2 + p;

			for (j = 0; j < p; j++)
				c[j] += (a[t] * b0[j] + a[t + 1] * b1[j]) +
				    (a[t + 2] * b2[j] + a[t + 3] * b3[j]);
		}
		for (; t < k; t++) {
			const double *b = B + (size_t)t * p;

			for (j = 0; j < p; j++)
				c[j] += a[t] * b[j];
		}
	}
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
/* One-sided Jacobi                                                       */
/* ---------------------------------------------------------------------- */

/*
 * The rotation (Rutishauser's form) makes rows i and j orthogonal:
 * cot 2 theta = (b - a) / 2c with a, b their squared norms and c their
 * dot product; t = tan theta is the smaller root, so the rotation is
 * never more than 45 degrees. The new norms are summed as the rows are
 * rotated: the cheaper update a - t c cancels to noise for a row that
 * gets small, and the test on the next pair would then be wrong.
 */
int matrix_jacobi_rows(double *M, int n, int first, int last, double tiny,
    double *norms)
{
	/* The dot product's own rounding error grows like sqrt(n) eps: a
	 * tighter test could never be met (LAPACK's dgesvj uses the same). */
	double tol = sqrt(n) * DBL_EPSILON, a, b, c, zeta, t, cs, sn, x, y;
	int i, j, k, rotations = 0;

	for (i = 0; i < n; i++)
		norms[i] = matrix_dot(M + (size_t)i * n, M + (size_t)i * n, n);
	for (i = first; i < last; i++)
		for (j = i + 1; j < n; j++) {
			double *ri = M + (size_t)i * n, *rj = M + (size_t)j * n;

			a = norms[i];
			b = norms[j];
			if (a < tiny || b < tiny || a == 0 || b == 0)
				continue;
			c = matrix_dot(ri, rj, n);
			if (!(fabs(c) > tol * sqrt(a) * sqrt(b)))
				continue;
			zeta = (b - a) / (2 * c);
			/* hypot: zeta can be past 1e154 when a << b. */
			t = (zeta >= 0 ? 1 : -1) /
			    (fabs(zeta) + hypot(1, zeta));
			cs = 1 / sqrt(1 + t * t);
			sn = cs * t;
			a = b = 0;
			for (k = 0; k < n; k++) {
				x = cs * ri[k] - sn * rj[k];
				y = sn * ri[k] + cs * rj[k];
				ri[k] = x;
				rj[k] = y;
				a += x * x;
				b += y * y;
			}
			norms[i] = a;
			norms[j] = b;
			rotations++;
		}
	return rotations;
}
