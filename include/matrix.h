/*
 * matrix: explicit, seeded weight matrices and the model's pieces, for the
 * modules that need the network as matrices (spectrum, train).
 *
 * The engine never builds a weight matrix; these are a different draw
 * from the same distributions (EngineInit), fixed per (seed, layer) on
 * RNG_STREAM_MATRIX, so the spectrum and the trainer of one seed see the
 * same network. Activations and their derivatives are act.h's.
 *
 * Also the one-sided Jacobi decomposition the spectrum is computed with.
 * Matrices are dense, row-major doubles. Pure C: no I/O, no allocation.
 */
#ifndef GRADSCOPE_MATRIX_H
#define GRADSCOPE_MATRIX_H

#include "engine.h"

/*
 * W[l] (n x n, n = cfg->width) for layer l >= 1 of cfg's init and lambda:
 *   identity    lambda I;
 *   gaussian    lambda / sqrt(n) G, G[i][j] = the (i n + j)-th of
 *               rng_normals(seed, RNG_STREAM_MATRIX, l, n n);
 *   orthogonal  lambda Q with G = Q R the QR decomposition of that same G,
 *               R's diagonal positive (so Q is Haar-distributed).
 * draws is scratch for n * n floats.
 */
void matrix_weights(const EngineConfig *cfg, int layer, double *W,
    float *draws);

/* The engine's input a[0] (n = cfg->width): ones, or the first n of
 * rng_normals(seed, RNG_STREAM_INPUT, 0, n). draws: scratch for n floats. */
void matrix_input(const EngineConfig *cfg, double *x, float *draws);

/* C = A B for A m x k, B k x p, C m x p; C must not overlap A or B. */
void matrix_mul(int m, int k, int p, const double *A, const double *B,
    double *C);

/* x . y for vectors of n. */
double matrix_dot(const double *x, const double *y, int n);

/*
 * One-sided Jacobi (Hestenes), part of a cyclic sweep: for each row i in
 * [first, last) and each j > i, rotates rows i and j of M (n x n) in
 * their plane until they are orthogonal, unless they already are to
 * working precision relative to their own norms (|r_i . r_j| <= sqrt(n)
 * eps |r_i| |r_j|) or either squared norm is below tiny. Rows that small
 * are left as they are: dropping rows of total norm t moves every
 * singular value by at most t (Weyl), so they cannot matter to values
 * resolved above t, and rotating them against the rest only stirs
 * rounding noise, which would take most of the sweeps. M's singular
 * values are unchanged. Returns the rotations done; when a whole sweep
 * (0 to n - 1) rotates nothing, the norms of the rows are the singular
 * values, each accurate to its own size (above that bound).
 * norms: scratch for n doubles.
 */
int matrix_jacobi_rows(double *M, int n, int first, int last, double tiny,
    double *norms);

#endif
