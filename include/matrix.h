/*
 * matrix: explicit, seeded weight matrices and the model's pieces, for the
 * modules that need the network as matrices (spectrum, train).
 *
 * The engine never builds a weight matrix; these are a different draw
 * from the same distributions (EngineInit), fixed per (seed, layer) on
 * RNG_STREAM_MATRIX, so the spectrum and the trainer of one seed see the
 * same network. Activations and their derivatives are act.h's.
 *
 * Also the graded one-sided Jacobi decomposition the spectrum is computed
 * with. Matrices are dense, row-major doubles. Products go to OpenBLAS and
 * the QR to LAPACKE. Pure C: no I/O.
 */
#ifndef GRADSCOPE_MATRIX_H
#define GRADSCOPE_MATRIX_H

#include "engine.h"
#include "xmag.h"

/*
 * W[l] (n x n, n = cfg->width) for layer l >= 1 of cfg's init and lambda:
 *   identity    lambda I;
 *   gaussian    lambda / sqrt(n) G, G[i][j] = the (i n + j)-th of
 *               rng_normals(seed, RNG_STREAM_MATRIX, l, n n);
 *   orthogonal  lambda Q with G = Q R the QR decomposition of that same G,
 *               R's diagonal positive (so Q is Haar-distributed).
 * draws is scratch for n * n floats. Returns 0, or -1 when LAPACK's
 * workspace could not be allocated (orthogonal only; W is then garbage).
 */
/* 0 when the explicit-matrix views model cfg's network: plain blocks
 * without biases or normalization (the matrices are W[l] and D[l] only).
 * Else -1 and err says, after what ("training", "the spectrum"), which
 * of cfg's parts it leaves out, so a view never shows another network
 * than the one the status line names. */
int matrix_models(const EngineConfig *cfg, const char *what, char *err,
    size_t errlen);

int matrix_weights(const EngineConfig *cfg, int layer, double *W, float *draws);

/* The engine's input a[0] (n = cfg->width): ones, or the first n of
 * rng_normals(seed, RNG_STREAM_INPUT, 0, n). draws: scratch for n floats. */
void matrix_input(const EngineConfig *cfg, double *x, float *draws);

/* C = A B for A m x k, B k x p, C m x p; C must not overlap A or B. */
void matrix_mul(int m, int k, int p, const double *A, const double *B,
    double *C);

/* x . y for vectors of n. */
double matrix_dot(const double *x, const double *y, int n);

/*
 * A graded matrix is diag(scale) C: C n x n with unit rows (or zero rows
 * with scale 0), scale XMags, so its rows' sizes may span any range.
 * matrix_rows_normalize folds C's row norms into scale (scale[i] *=
 * |C[i]|, C[i] /= |C[i]|; a zero row gets scale 0).
 */
void matrix_rows_normalize(double *C, XMag *scale, int n);

/*
 * One-sided Jacobi (Hestenes) on the rows of the graded matrix
 * diag(scale) C, part of a cyclic sweep: for each row i in [first, last)
 * and each j > i, rotates rows i and j in their plane until they are
 * orthogonal, unless they already are to working precision (|c_i . c_j|
 * <= sqrt(n) eps) or either scale is 0. The rotation is done in the
 * frame of the larger row, so it is the rotation of the unscaled matrix
 * up to rounding of each row relative to its own size, however far apart
 * the two sizes are: Demmel and Veselic's bound for one-sided Jacobi
 * (each value to relative error O(sweeps n eps kappa(C)), C with unit
 * rows) holds without a double-range limit. Rows stay unit, scales carry
 * the sizes, and the singular values are unchanged. Returns the rotations
 * done; when a whole sweep (0 to n - 1) rotates nothing, the scales are
 * the singular values.
 */
int matrix_jacobi_graded(double *C, XMag *scale, int n, int first, int last);

#endif
