/*
 * spectrum: the singular values of the input-output Jacobian.
 *
 * J = D[L] W[L] ... D[1] W[1], D[l] = diag(phi'(z[l])), for explicit,
 * seeded weight matrices (width <= SPECTRUM_WIDTH_MAX, depth <=
 * SPECTRUM_DEPTH_MAX): the engine never builds matrices, so these are a
 * different draw from the same distribution (gaussian N(0, lambda^2/n),
 * orthogonal lambda Q with Q Haar, identity lambda I) and the forward pass
 * is recomputed with them from the engine's input. The product is kept
 * with a separate exponent so it never overflows; singular values below
 * the double resolution of the largest (1e-15 of it) are counted as
 * unresolved rather than reported.
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

#define SPECTRUM_WIDTH_MAX 256
#define SPECTRUM_DEPTH_MAX 200

/* 0 when cfg is within the limits above, else -1 with a reason naming
 * them ("the spectrum needs width <= 256 and depth <= 200"). */
int spectrum_supported(const EngineConfig *cfg, char *err, size_t errlen);

typedef struct SpectrumJob SpectrumJob;

/* NULL on out of memory or unsupported cfg (reason in err). */
SpectrumJob *spectrum_job_new(const EngineConfig *cfg, char *err,
    size_t errlen);
void spectrum_job_free(SpectrumJob *job);
/* 1 while work remains, 0 when the values are ready, -1 on failure. */
int spectrum_job_step(SpectrumJob *job, char *err, size_t errlen);
/* Progress in [0, 1]. */
double spectrum_job_progress(const SpectrumJob *job);

/* When ready: the n singular values, descending, as XMags (an
 * unresolved value is 0), and the count of unresolved ones. */
const XMag *spectrum_job_values(const SpectrumJob *job, int *n,
    int *unresolved);
/* Mean of sigma^2 (= |J|_F^2 / n), an XMag. */
XMag spectrum_job_mean_sq(const SpectrumJob *job);
const EngineConfig *spectrum_job_config(const SpectrumJob *job);

#endif
