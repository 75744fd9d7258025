/*
 * spectrum: singular values of the input-output Jacobian. See
 * include/spectrum.h for the contract.
 *
 * The product. J[l] = D[l] W[l] J[l-1] is kept as scale * M with M's
 * largest entry 1 and scale an XMag, so lambda = 100 at depth 200
 * (10^400) neither overflows nor, at lambda = 0.01, underflows. D[l] is
 * taken from log phi'(z) with its largest entry factored into the scale
 * too: a saturated tanh layer (every phi' below 1e-308) still has a
 * direction. The forward pass itself needs no scale: tanh and sigmoid
 * outputs are bounded, and linear and relu are positively homogeneous, so
 * their a[l] is kept divided by its largest entry without changing D.
 *
 * The decomposition. One-sided Jacobi on the rows of M (matrix.h), in
 * sweeps until a sweep rotates nothing; the row norms are then the
 * singular values, small ones accurate to their own size rather than the
 * largest's, unlike a bidiagonalisation.
 */
#include "spectrum.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "matrix.h"

/* Below this fraction of the largest singular value a value is not
 * resolved by double arithmetic on the product. */
#define SPECTRUM_RESOLUTION 1e-15
/* Jacobi converges quadratically at the end, but a strongly graded
 * product (gaussian, depth 30, width 256: values from 7 down past 1e-15)
 * takes about 40 sweeps to get there; past this cap the values are taken
 * as they are. */
#define SPECTRUM_SWEEPS_MAX 100
/* Sweeps a deep job takes, for the progress estimate. */
#define SPECTRUM_SWEEPS_GUESS 40
/* Row pairs one step of a sweep visits: at width 256 a sweep (32640
 * pairs) takes four steps of about 10 ms each. */
#define SPECTRUM_STEP_PAIRS 8192

/*
 * A step's work, each sized to stay near 20 ms at width 256: drawing a
 * layer's weights (an orthogonal one is a QR decomposition), multiplying
 * it in, and part of a Jacobi sweep.
 */
enum { STAGE_WEIGHTS, STAGE_PRODUCT, STAGE_SVD, STAGE_READY };

struct SpectrumJob {
	EngineConfig cfg;
	int n;
	int layer;     /* layers multiplied in */
	int sweeps;    /* Jacobi sweeps done */
	int row;       /* the sweep in progress: next row to pair off */
	double floor;  /* squared norm below which a row is not rotated */
	int rotations; /* rotations in the sweep so far */
	int stage;
	double *W, *M, *tmp; /* n x n: weights, the product, scratch */
	double *a, *z, *d;   /* n: activation, pre-activation, phi' */
	double *norms;       /* n: squared row norms during the sweeps */
	float *draws;        /* n x n scratch for the weights */
	XMag scale;          /* J = scale * M */
	XMag *values;
	int unresolved;
	XMag mean_sq;
};

int spectrum_supported(const EngineConfig *cfg, char *err, size_t errlen)
{
	if (engine_config_validate(cfg, err, errlen) != 0)
		return -1;
	if (cfg->width > SPECTRUM_WIDTH_MAX ||
	    cfg->depth > SPECTRUM_DEPTH_MAX) {
		snprintf(err, errlen,
		    "the spectrum needs width <= %d and "
		    "depth <= %d (this is width %d, depth %d)",
		    SPECTRUM_WIDTH_MAX, SPECTRUM_DEPTH_MAX, cfg->width,
		    cfg->depth);
		return -1;
	}
	return 0;
}

void spectrum_job_free(SpectrumJob *job)
{
	if (job == NULL)
		return;
	free(job->W);
	free(job->M);
	free(job->tmp);
	free(job->a);
	free(job->z);
	free(job->d);
	free(job->norms);
	free(job->draws);
	free(job->values);
	free(job);
}

SpectrumJob *spectrum_job_new(const EngineConfig *cfg, char *err, size_t errlen)
{
	SpectrumJob *job;
	size_t n, nn;

	if (spectrum_supported(cfg, err, errlen) != 0)
		return NULL;
	job = calloc(1, sizeof *job);
	if (job == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	job->cfg = *cfg;
	job->n = cfg->width;
	n = (size_t)cfg->width;
	nn = n * n;
	job->W = malloc(nn * sizeof(double));
	job->M = malloc(nn * sizeof(double));
	job->tmp = malloc(nn * sizeof(double));
	job->a = malloc(n * sizeof(double));
	job->z = malloc(n * sizeof(double));
	job->d = malloc(n * sizeof(double));
	job->norms = malloc(n * sizeof(double));
	job->draws = malloc(nn * sizeof(float));
	job->values = malloc(n * sizeof(XMag));
	if (!job->W || !job->M || !job->tmp || !job->a || !job->z || !job->d ||
	    !job->norms || !job->draws || !job->values) {
		spectrum_job_free(job);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	matrix_input(cfg, job->a, job->draws);
	job->scale = xmag_from_double(1);
	job->stage = STAGE_WEIGHTS;
	return job;
}

/* ---------------------------------------------------------------------- */
/* The product                                                            */
/* ---------------------------------------------------------------------- */

static double max_abs(const double *x, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m = fabs(x[i]) > m ? fabs(x[i]) : m;
	return m;
}

/* e^x as an XMag, for any x. */
static XMag xmag_exp(double x)
{
	return xmag_pow10(x / log(10));
}

/* Layer l, W[l] drawn: a[l] and D[l] from a[l-1], then M <- D W M,
 * rescaled. */
static void product_layer(SpectrumJob *job)
{
	const EngineConfig *cfg = &job->cfg;
	int n = job->n, i, j, l = job->layer + 1;
	double top = -INFINITY, m, *t;

	matrix_mul(n, n, 1, job->W, job->a, job->z);
	for (i = 0; i < n; i++) {
		job->d[i] = act_log_deriv(cfg->act, job->z[i]);
		top = job->d[i] > top ? job->d[i] : top;
		job->a[i] = act_phi(cfg->act, job->z[i], NULL);
	}
	if (act_homogeneous(cfg->act)) {
		m = max_abs(job->a, (size_t)n);
		for (i = 0; m > 0 && i < n; i++)
			job->a[i] /= m;
	}
	/* phi' = e^top d, d <= 1; top = -inf: every phi' is 0. */
	for (i = 0; i < n; i++)
		job->d[i] = top > -INFINITY ? exp(job->d[i] - top) : 0;
	if (top > -INFINITY)
		job->scale = xmag_mul(job->scale, xmag_exp(top));
	if (l == 1) {
		memcpy(job->M, job->W, (size_t)n * n * sizeof(double));
	} else {
		matrix_mul(n, n, n, job->W, job->M, job->tmp);
		t = job->M;
		job->M = job->tmp;
		job->tmp = t;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			job->M[(size_t)i * n + j] *= job->d[i];
	m = max_abs(job->M, (size_t)n * n);
	if (m > 0) {
		for (i = 0; i < n * n; i++)
			job->M[i] /= m;
		job->scale = xmag_mul(job->scale, xmag_from_double(m));
	} else {
		job->scale = xmag_from_double(0);
	}
	job->layer = l;
}

/* ---------------------------------------------------------------------- */
/* The decomposition                                                      */
/* ---------------------------------------------------------------------- */

/*
 * Part of a Jacobi sweep: from row job->row on, whole rows until at least
 * SPECTRUM_STEP_PAIRS pairs are done or the sweep is. Returns 1 when the
 * sweep is complete.
 */
static int jacobi_sweep_part(SpectrumJob *job)
{
	int n = job->n, first = job->row, last = first, pairs = 0, i;
	double top = 0, ss;

	if (first == 0) {
		for (i = 0; i < n; i++) {
			ss = matrix_dot(job->M + (size_t)i * n,
			    job->M + (size_t)i * n, n);
			top = ss > top ? ss : top;
		}
		/* Rows below the floor, n of them at most, add up to less
		 * than the resolution times the largest row, itself at most
		 * the largest singular value: they cannot move a value by
		 * more than the resolution (see matrix_jacobi_rows). */
		job->floor = top * SPECTRUM_RESOLUTION * SPECTRUM_RESOLUTION /
		    n;
	}
	while (last < n - 1 && pairs < SPECTRUM_STEP_PAIRS)
		pairs += n - 1 - last++;
	job->rotations += matrix_jacobi_rows(job->M, n, first, last, job->floor,
	    job->norms);
	job->row = last < n - 1 ? last : 0;
	return job->row == 0;
}

static int xmag_desc(const void *pa, const void *pb)
{
	return -xmag_cmp(*(const XMag *)pa, *(const XMag *)pb);
}

/* The row norms, scaled, sorted, and the unresolved ones zeroed. */
static void finish(SpectrumJob *job)
{
	int n = job->n, i;
	double top = 0, ss = 0, s;

	for (i = 0; i < n; i++) {
		s = matrix_dot(job->M + (size_t)i * n, job->M + (size_t)i * n,
		    n);
		ss += s;
		job->norms[i] = sqrt(s);
		top = job->norms[i] > top ? job->norms[i] : top;
	}
	job->unresolved = 0;
	for (i = 0; i < n; i++) {
		s = job->norms[i];
		if (s < SPECTRUM_RESOLUTION * top) {
			s = 0;
			job->unresolved++;
		}
		job->values[i] = xmag_mul(xmag_from_double(s), job->scale);
	}
	qsort(job->values, (size_t)n, sizeof *job->values, xmag_desc);
	job->mean_sq = xmag_mul(xmag_from_double(ss / n),
	    xmag_mul(job->scale, job->scale));
	job->stage = STAGE_READY;
}

/* ---------------------------------------------------------------------- */
/* The job                                                                */
/* ---------------------------------------------------------------------- */

int spectrum_job_step(SpectrumJob *job, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	switch (job->stage) {
	case STAGE_WEIGHTS:
		matrix_weights(&job->cfg, job->layer + 1, job->W, job->draws);
		job->stage = STAGE_PRODUCT;
		return 1;
	case STAGE_PRODUCT:
		product_layer(job);
		job->stage = job->layer < job->cfg.depth ? STAGE_WEIGHTS :
		                                           STAGE_SVD;
		return 1;
	case STAGE_SVD:
		if (!jacobi_sweep_part(job))
			return 1;
		job->sweeps++;
		if (job->rotations > 0 && job->sweeps < SPECTRUM_SWEEPS_MAX) {
			job->rotations = 0;
			return 1;
		}
		finish(job);
		return 0;
	case STAGE_READY:
		break;
	}
	return 0;
}

/* Layers and sweeps cost about the same (one n^3 pass each). */
double spectrum_job_progress(const SpectrumJob *job)
{
	int sweeps = job->sweeps < SPECTRUM_SWEEPS_GUESS - 1 ?
	    job->sweeps :
	    SPECTRUM_SWEEPS_GUESS - 1;

	if (job->stage == STAGE_READY)
		return 1;
	return (double)(job->layer + sweeps) /
	    (job->cfg.depth + SPECTRUM_SWEEPS_GUESS);
}

const XMag *spectrum_job_values(const SpectrumJob *job, int *n, int *unresolved)
{
	if (job->stage != STAGE_READY)
		return NULL;
	if (n != NULL)
		*n = job->n;
	if (unresolved != NULL)
		*unresolved = job->unresolved;
	return job->values;
}

XMag spectrum_job_mean_sq(const SpectrumJob *job)
{
	return job->stage == STAGE_READY ? job->mean_sq : xmag_from_double(NAN);
}

const EngineConfig *spectrum_job_config(const SpectrumJob *job)
{
	return &job->cfg;
}
