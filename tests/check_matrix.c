/*
 * check_matrix: explicit weight matrices against their definitions. The
 * orthogonal init is checked through the decomposition that defines it
 * (G = Q R, R upper triangular with a positive diagonal), the gaussian
 * one through the draws it is made of and their sample variance.
 */
#include "matrix.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "rng.h"
#include "suites.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static EngineConfig config(EngineInit init, double lambda, int width,
    uint64_t seed)
{
	EngineConfig c;

	engine_config_default(&c);
	c.init = init;
	c.lambda = lambda;
	c.width = width;
	c.seed = seed;
	return c;
}

/* A fresh n x n weight matrix for (cfg, layer); the caller frees it. */
static double *weights(const EngineConfig *c, int layer)
{
	size_t nn = (size_t)c->width * c->width;
	double *W = malloc(nn * sizeof *W);
	float *draws = malloc(nn * sizeof *draws);

	ck_assert(W != NULL && draws != NULL);
	matrix_weights(c, layer, W, draws);
	free(draws);
	return W;
}

/* (A^T B)[i][j] for n x n A and B. */
static double at_b(const double *A, const double *B, int n, int i, int j)
{
	double s = 0;
	int k;

	for (k = 0; k < n; k++)
		s += A[(size_t)k * n + i] * B[(size_t)k * n + j];
	return s;
}

/* ---------------------------------------------------------------------- */
/* Orthogonal                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_orthogonal_is_orthogonal)
{
	static const int widths[] = {1, 2, 3, 7, 64, 256};
	size_t w;
	int i, j, seed;
	double e, worst;

	for (w = 0; w < sizeof widths / sizeof widths[0]; w++)
		for (seed = 1; seed <= 3; seed++) {
			EngineConfig c = config(ENGINE_INIT_ORTHOGONAL, 1,
			    widths[w], (uint64_t)seed);
			int n = widths[w];
			double *Q = weights(&c, seed + 4);

			worst = 0;
			for (i = 0; i < n; i++)
				for (j = 0; j <= i; j++) {
					e = fabs(at_b(Q, Q, n, i, j) -
					    (i == j));
					worst = e > worst ? e : worst;
				}
			ck_assert_msg(worst <= 1e-13,
			    "n %d seed %d: "
			    "|Q^T Q - I| = %g",
			    n, seed, worst);
			free(Q);
		}
}
END_TEST

START_TEST(test_orthogonal_is_q_of_the_gaussian)
{
	/* R = Q^T G must be upper triangular with a positive diagonal, G
	 * the gaussian init's matrix of the same (seed, layer): that is the
	 * decomposition that makes Q Haar. */
	static const int widths[] = {1, 2, 5, 40};
	size_t w;
	int i, j, n;
	double r, tol;

	for (w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		EngineConfig cq = config(ENGINE_INIT_ORTHOGONAL, 1, widths[w],
		    9);
		EngineConfig cg = config(ENGINE_INIT_GAUSSIAN, 1, widths[w], 9);
		double *Q = weights(&cq, 3), *G = weights(&cg, 3);

		n = widths[w];
		/* Entries of G are about 1/sqrt(n); R's are sums of n
		 * products of size 1/sqrt(n) * 1/sqrt(n). */
		tol = 1e-13;
		for (i = 0; i < n; i++)
			for (j = 0; j <= i; j++) {
				r = at_b(Q, G, n, i, j);
				if (i == j)
					ck_assert_msg(r > 0.01,
					    "n %d: R[%d]"
					    "[%d] = %g, want > 0",
					    n, i, i, r);
				else
					ck_assert_msg(fabs(r) <= tol,
					    "n %d: "
					    "R[%d][%d] = %g below the "
					    "diagonal",
					    n, i, j, r);
			}
		free(Q);
		free(G);
	}
}
END_TEST

START_TEST(test_orthogonal_scales_by_lambda)
{
	EngineConfig c1 = config(ENGINE_INIT_ORTHOGONAL, 1, 6, 4);
	EngineConfig c2 = config(ENGINE_INIT_ORTHOGONAL, 2.5, 6, 4);
	double *Q1 = weights(&c1, 2), *Q2 = weights(&c2, 2);
	int i;

	for (i = 0; i < 36; i++)
		ck_assert_msg(fabs(Q2[i] - 2.5 * Q1[i]) <= 1e-15,
		    "entry %d: %.17g vs 2.5 * %.17g", i, Q2[i], Q1[i]);
	free(Q1);
	free(Q2);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Gaussian and identity                                                  */
/* ---------------------------------------------------------------------- */

START_TEST(test_gaussian_is_the_scaled_draws)
{
	enum { N = 5 };
	EngineConfig c = config(ENGINE_INIT_GAUSSIAN, 1.3, N, 77);
	double *W = weights(&c, 12);
	float d[N * N];
	int i;

	rng_normals(77, RNG_STREAM_MATRIX, 12, N * N, d);
	for (i = 0; i < N * N; i++)
		ck_assert_msg(fabs(W[i] - 1.3 / sqrt(N) * d[i]) <= 1e-15,
		    "entry %d: %.17g, draw %.9g", i, W[i], d[i]);
	free(W);
}
END_TEST

START_TEST(test_gaussian_variance)
{
	/*
	 * N = n^2 iid N(0, s2) entries, s2 = lambda^2 / n: the sample mean
	 * has standard error sqrt(s2 / N) and the sample variance (about the
	 * true mean 0) sqrt(2 / N) s2. Five standard errors: a sound draw
	 * fails with probability ~6e-7 per check.
	 */
	static const int widths[] = {64, 256};
	size_t w;
	int n, i, layer;
	double lambda = 1.7, s2, mean, var, N;

	for (w = 0; w < sizeof widths / sizeof widths[0]; w++)
		for (layer = 1; layer <= 3; layer++) {
			EngineConfig c = config(ENGINE_INIT_GAUSSIAN, lambda,
			    widths[w], 21);
			double *W = weights(&c, layer);

			n = widths[w];
			N = (double)n * n;
			s2 = lambda * lambda / n;
			mean = var = 0;
			for (i = 0; i < n * n; i++) {
				mean += W[i];
				var += W[i] * W[i];
			}
			mean /= N;
			var /= N;
			ck_assert_msg(fabs(mean) <= 5 * sqrt(s2 / N),
			    "n %d layer %d: mean %g", n, layer, mean);
			ck_assert_msg(fabs(var - s2) <= 5 * sqrt(2 / N) * s2,
			    "n %d layer %d: variance %g, want %g", n, layer,
			    var, s2);
			free(W);
		}
}
END_TEST

START_TEST(test_identity_is_lambda_i)
{
	EngineConfig c = config(ENGINE_INIT_IDENTITY, 0.7, 4, 1);
	double *W = weights(&c, 1);
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			ck_assert(W[i * 4 + j] == (i == j ? 0.7 : 0));
	free(W);
}
END_TEST

START_TEST(test_deterministic_per_seed_and_layer)
{
	static const EngineInit inits[] = {ENGINE_INIT_GAUSSIAN,
	    ENGINE_INIT_ORTHOGONAL};
	size_t k;

	for (k = 0; k < 2; k++) {
		EngineConfig c = config(inits[k], 1, 8, 5);
		double *a = weights(&c, 3), *b = weights(&c, 3);
		double *other_layer = weights(&c, 4), *other_seed;

		c.seed = 6;
		other_seed = weights(&c, 3);
		ck_assert(memcmp(a, b, 64 * sizeof *a) == 0);
		ck_assert(a[0] != other_layer[0] && a[0] != other_seed[0]);
		free(a);
		free(b);
		free(other_layer);
		free(other_seed);
	}
}
END_TEST

START_TEST(test_input_is_the_engines)
{
	enum { N = 7 };
	EngineConfig c = config(ENGINE_INIT_GAUSSIAN, 1, N, 31);
	double x[N];
	float d[N], scratch[N];
	int i;

	matrix_input(&c, x, scratch);
	for (i = 0; i < N; i++)
		ck_assert(x[i] == 1);
	c.input = ENGINE_INPUT_RANDOM;
	matrix_input(&c, x, scratch);
	rng_normals(31, RNG_STREAM_INPUT, 0, N, d);
	for (i = 0; i < N; i++)
		ck_assert(x[i] == d[i]);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Products                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_mul)
{
	static const double A[6] = {1, 2, 3, 4, 5, 6};    /* 2 x 3 */
	static const double B[6] = {7, 8, 9, 10, 11, 12}; /* 3 x 2 */
	static const double want[4] = {58, 64, 139, 154};
	double C[4];
	int i;

	matrix_mul(2, 3, 2, A, B, C);
	for (i = 0; i < 4; i++)
		ck_assert(C[i] == want[i]);
}
END_TEST

static int desc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a < b) - (a > b);
}

START_TEST(test_jacobi_known_singular_values)
{
	/* M = U diag(s) V^T with U, V random orthogonal and s spread over
	 * three decades: the scales after the sweeps must be s. A value s_i
	 * comes out accurate to about eps s_max / s_i relative (the rounding
	 * of M itself), so 1e-12 with s_max / s_min = 1e3. */
	enum { N = 24 };
	EngineConfig c = config(ENGINE_INIT_ORTHOGONAL, 1, N, 13);
	double *U = weights(&c, 1), *V = weights(&c, 2);
	double M[N * N], US[N * N], VT[N * N], s[N], got[N];
	XMag scale[N];
	int i, j, sweeps = 0, rotations;

	for (i = 0; i < N; i++)
		s[i] = pow(10, -3.0 * i / (N - 1));
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			US[i * N + j] = U[i * N + j] * s[j];
			VT[i * N + j] = V[j * N + i];
		}
	matrix_mul(N, N, N, US, VT, M);
	for (i = 0; i < N; i++)
		scale[i] = xmag_from_double(1);
	matrix_rows_normalize(M, scale, N);
	do {
		rotations = matrix_jacobi_graded(M, scale, N, 0, N - 1);
		ck_assert_int_lt(++sweeps, 30);
	} while (rotations > 0);
	for (i = 0; i < N; i++)
		got[i] = xmag_to_double(scale[i]);
	qsort(got, N, sizeof got[0], desc);
	for (i = 0; i < N; i++)
		ck_assert_msg(fabs(got[i] / s[i] - 1) <= 1e-12,
		    "sigma[%d] = %.17g, want %.17g", i, got[i], s[i]);
	/* And the rows are unit and orthogonal to the sweep's own
	 * criterion. */
	for (i = 0; i < N; i++) {
		ck_assert(fabs(matrix_dot(M + i * N, M + i * N, N) - 1) <=
		    1e-14);
		for (j = 0; j < i; j++)
			ck_assert(fabs(matrix_dot(M + i * N, M + j * N, N)) <=
			    sqrt(N) * DBL_EPSILON);
	}
	free(U);
	free(V);
}
END_TEST

START_TEST(test_jacobi_graded_past_double_range)
{
	/* diag(s) C, C the rows of an upper triangular gaussian made unit,
	 * s_i = 10^(-100 i) times those rows' norms: sizes over 1100
	 * decades, far past double range. With rows that far apart value i
	 * is s_i times the distance of c_i from the span of c_0..c_{i-1}
	 * (to relative order 10^-200), which is |L_ii| of C = L Q: LAPACK's
	 * QR of C^T, computed here independently (here |L_ii| is down to
	 * 4e-7: C is ill-conditioned, and both sides are accurate to about
	 * eps / |L_ii| relative). And exactly, the product
	 * of the values is |det| = prod s_i |C_ii|. */
	enum { N = 12 };
	EngineConfig c = config(ENGINE_INIT_GAUSSIAN, 1, N, 3);
	double *B = weights(&c, 1), CT[N * N], tau[N], r, tol = 0;
	XMag scale[N], want[N], det = xmag_from_double(1),
	                        prod = xmag_from_double(1);
	int i, j, sweeps = 0;

	for (i = 0; i < N; i++)
		for (j = 0; j < i; j++)
			B[i * N + j] = 0;
	for (i = 0; i < N; i++)
		scale[i] = xmag_pow10(-100.0 * i);
	matrix_rows_normalize(B, scale, N);
	for (i = 0; i < N; i++)
		det = xmag_mul(det,
		    xmag_mul(scale[i], xmag_from_double(B[i * N + i])));
	/* Row-major C is column-major C^T. */
	memcpy(CT, B, sizeof CT);
	ck_assert_int_eq(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, N, N, CT, N, tau), 0);
	for (i = 0; i < N; i++)
		want[i] = xmag_mul(scale[i], xmag_from_double(CT[i * N + i]));
	while (matrix_jacobi_graded(B, scale, N, 0, N - 1) > 0)
		ck_assert_int_lt(++sweeps, 30);
	for (i = 0; i < N; i++) {
		prod = xmag_mul(prod, scale[i]);
		r = xmag_to_double(xmag_div(scale[i], want[i]));
		/* The distance |L_ii| is a cancellation: both sides are
		 * accurate to about eps / |L_ii|. */
		ck_assert_msg(fabs(r - 1) <= 1e-14 / fabs(CT[i * N + i]),
		    "value %d is %.17g times the want", i, r);
		tol += 1e-14 / fabs(CT[i * N + i]);
		ck_assert(fabs(matrix_dot(B + i * N, B + i * N, N) - 1) <=
		    1e-14);
	}
	r = xmag_to_double(xmag_div(prod, det));
	ck_assert_msg(fabs(r - 1) <= tol, "prod sigma / |det| = %.17g", r);
	free(B);
}
END_TEST

Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("matrix");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_orthogonal_is_orthogonal);
	tcase_add_test(tc, test_orthogonal_is_q_of_the_gaussian);
	tcase_add_test(tc, test_orthogonal_scales_by_lambda);
	tcase_add_test(tc, test_gaussian_is_the_scaled_draws);
	tcase_add_test(tc, test_gaussian_variance);
	tcase_add_test(tc, test_identity_is_lambda_i);
	tcase_add_test(tc, test_deterministic_per_seed_and_layer);
	tcase_add_test(tc, test_input_is_the_engines);
	tcase_add_test(tc, test_mul);
	tcase_add_test(tc, test_jacobi_known_singular_values);
	tcase_add_test(tc, test_jacobi_graded_past_double_range);
	suite_add_tcase(s, tc);
	return s;
}
