/*
 * spectrum: the singular values of the input-output Jacobian.
 *
 * J = D[L] W[L] ... D[1] W[1], D[l] = diag(phi'(z[l])), for explicit,
 * seeded weight matrices (width <= SPECTRUM_WIDTH_MAX, depth <=
 * SPECTRUM_DEPTH_MAX): the engine never builds matrices, so these are a
 * different draw from the same distribution (gaussian N(0, lambda^2/n),
 * orthogonal lambda Q with Q Haar, identity lambda I) and the forward pass
 * is recomputed with them from the engine's input. The product is kept
 * as Q P, Q orthogonal and P upper triangular with each row's size an
 * XMag, and its values are taken by a graded one-sided Jacobi: every
 * value to about full relative accuracy, however wide the range (see
 * spectrum.c for why). An exact zero (a dead ReLU unit) stays 0.
 *
 * Progressive: spectrum_job_step does one layer of the product, then the
 * decomposition in sweeps, so the event loop stays responsive.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_SPECTRUM_H
#define GRADSCOPE_SPECTRUM_H

#include <stddef.h>

#include "engine.h"
#include "xmag.h"

#define SPECTRUM_WIDTH_MAX 1024
#define SPECTRUM_DEPTH_MAX 10000

/* 0 when cfg is within the limits above, else -1 with a reason naming
 * them ("the spectrum needs width <= 1024 and depth <= 10000"). */
int spectrum_supported(const EngineConfig *cfg, char *err, size_t errlen);

typedef struct SpectrumJob SpectrumJob;

/* NULL on out of memory or unsupported cfg (reason in err). */
SpectrumJob *spectrum_job_new(const EngineConfig *cfg, char *err,
    size_t errlen);
void spectrum_job_free(SpectrumJob *job);
/* 1 while work remains, 0 when the values are ready, -1 on failure
 * (LAPACK out of memory; reason in err). */
int spectrum_job_step(SpectrumJob *job, char *err, size_t errlen);
/* Progress in [0, 1]. */
double spectrum_job_progress(const SpectrumJob *job);

/* When ready: the n singular values, descending, as XMags, and in
 * *zeros the count of those that are exactly 0 (J is singular: a
 * dead ReLU unit, or every phi' 0); no value is lost to precision. */
const XMag *spectrum_job_values(const SpectrumJob *job, int *n, int *zeros);
/* Mean of sigma^2 (= |J|_F^2 / n), an XMag. */
XMag spectrum_job_mean_sq(const SpectrumJob *job);
const EngineConfig *spectrum_job_config(const SpectrumJob *job);

/* What random-matrix theory says about the largest value for cfg, where
 * it says something simple: for linear layers, gaussian weights' largest
 * sigma^2 approaches the Fuss-Catalan edge lambda^(2L) (L+1)^(L+1) / L^L
 * at large width (the edge of the limit law of a product of L Ginibre
 * matrices' squared singular values); orthogonal and identity weights
 * have every sigma exactly lambda^L. Returns 1 with the value of sigma
 * (not sigma^2) in *edge and in *exact whether every value is it, or 0
 * (nothing: another activation or init; *edge nan). */
int spectrum_theory_edge(const EngineConfig *cfg, XMag *edge, int *exact);

#endif
