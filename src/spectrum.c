/*
 * spectrum: singular values of the input-output Jacobian. See
 * include/spectrum.h for the contract.
 *
 * The product, as a product of QR factors. After layer l, J[l] = Q P with
 * Q orthogonal and P = diag(s) C upper triangular, C with unit rows and
 * s XMags (matrix.h's graded form), so P's rows may span any range. Layer
 * l + 1: B = D W Q (D = diag(phi'), its largest entry factored into a
 * common XMag scale), B = Q' R by LAPACK's Householder QR, and
 * J[l + 1] = Q' (R P): Q' is the next Q, and R P is again upper
 * triangular, formed row by row in the frame of each row's largest term
 * (row i = m_i sum_k (R_ik s_k / m_i) c_k, m_i = max_k |R_ik| s_k, a
 * dtrmm), then normalised. Q is re-orthogonalised at every layer (it is
 * LAPACK's Q of that layer), so nothing but the triangular factor
 * accumulates, and each of its rows is rounded relative to its own size,
 * never to the largest: the small values are not swamped, as they are
 * when J itself is formed.
 *
 * The decomposition. J's values are P's. One-sided Jacobi on P's rows in
 * the graded form (matrix_jacobi_graded), in sweeps until one rotates
 * nothing. Why this is relatively accurate: Demmel and Veselic's bound
 * gives each value of diag(s) C to relative error O(n eps kappa(C)),
 * kappa(C) the condition of C with unit rows, independent of s; the
 * graded rotation removes the double-range limit from it. For a product
 * of layers C stays well conditioned: unpivoted QR of D W Q orders P's
 * rows by their growth rate (the discrete QR method for Lyapunov
 * exponents), so C tends to a fixed triangular matrix with an O(1)
 * diagonal, and its error is each layer's rounding relative to each row.
 * The product-QR diagonal alone (|P_ii|) is not used: it converges to the
 * values only as depth grows, and at finite depth it is off by a factor
 * of order 1. The tests check the claims: an orthogonal linear product
 * to 1e-12, sum log sigma against sum log |det W| exactly, and small
 * sizes against LAPACK's SVD of the formed product.
 *
 * A saturated layer's phi' may span more than the double range across
 * its units: D W Q's rows are sorted by phi' and split into groups each
 * within 10^150, each group reduced against the ones above it by its
 * Schur complement at its own XMag scale (group_qr). A product row's term
 * below 1e-308 of its largest rounds to 0, under rounding anyway.
 */
#include "spectrum.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "act.h"
#include "matrix.h"

/* Graded Jacobi converges quadratically; a graded triangular product
 * takes a few sweeps. Past this cap the values are taken as they are. */
#define SPECTRUM_SWEEPS_MAX 100
/* Sweeps a deep job takes, for the progress estimate. */
#define SPECTRUM_SWEEPS_GUESS 8
/* Row pairs one step of a sweep visits: at width 256 a sweep (32640
 * pairs) takes four steps of about 10 ms each. */
#define SPECTRUM_STEP_PAIRS 8192

/*
 * A step's work, each a few ms at width 256 and at most a few hundred
 * at 1024 (a layer there is some 6e9 flops, so it goes in five stages):
 * drawing a layer's weights (an orthogonal one is a QR decomposition)
 * and its forward step; W Q, a panel of rows at a time; the sort and R
 * of D W Q; its Q; the triangular product R P; then part of a Jacobi
 * sweep.
 */
enum {
	STAGE_WEIGHTS,
	STAGE_PRODUCT,
	STAGE_R,
	STAGE_Q,
	STAGE_TRIANGULAR,
	STAGE_SVD,
	STAGE_READY
};

/* For sorting the live units by log phi', descending. */
typedef struct {
	double key;
	int unit;
} UnitKey;

struct SpectrumJob {
	EngineConfig cfg;
	int n;
	int layer;     /* layers multiplied in */
	int sweeps;    /* Jacobi sweeps done */
	int row;       /* the sweep in progress: next row to pair off */
	int rotations; /* rotations in the sweep so far */
	int stage;
	int prow;          /* STAGE_PRODUCT: W Q's rows done */
	int live;          /* units with phi' > 0, sorted first in keys */
	int groups;        /* their groups (sort_rows), from gfirst[g] */
	int *gfirst;       /* n + 1: each group's first row, then live */
	double top;        /* the layer's largest log phi' */
	double *W, *Q, *B; /* n x n: weights, J's orthogonal factor, scratch */
	double *C;         /* n x n: P's unit rows (upper triangular) */
	double *K;         /* n x n: the coefficients of R P's rows */
	double *a, *z, *d; /* n: activation, pre-activation, phi' */
	double *tmp;       /* n x n: W Q */
	double *tau;       /* n: the QR's reflectors */
	UnitKey *keys;     /* n: the live units by phi' */
	XMag *rs;          /* n: the scale of R's rows (their group's) */
	float *draws;      /* n x n scratch for the weights */
	XMag *s;           /* n: P's row sizes */
	XMag *m;           /* n: each row of R P's largest term */
	XMag scale;        /* J = scale Q P: the layers' phi' maxima */
	XMag *values;
	int zeros;
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
	return matrix_models(cfg, "the spectrum", err, errlen);
}

void spectrum_job_free(SpectrumJob *job)
{
	if (job == NULL)
		return;
	free(job->W);
	free(job->Q);
	free(job->B);
	free(job->C);
	free(job->K);
	free(job->a);
	free(job->z);
	free(job->d);
	free(job->tmp);
	free(job->tau);
	free(job->keys);
	free(job->gfirst);
	free(job->rs);
	free(job->draws);
	free(job->s);
	free(job->m);
	free(job->values);
	free(job);
}

SpectrumJob *spectrum_job_new(const EngineConfig *cfg, char *err, size_t errlen)
{
	SpectrumJob *job;
	size_t n, nn, i;

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
	job->Q = malloc(nn * sizeof(double));
	job->B = malloc(nn * sizeof(double));
	job->C = malloc(nn * sizeof(double));
	job->K = malloc(nn * sizeof(double));
	job->a = malloc(n * sizeof(double));
	job->z = malloc(n * sizeof(double));
	job->d = malloc(n * sizeof(double));
	job->tmp = malloc(nn * sizeof(double));
	job->tau = malloc(n * sizeof(double));
	job->keys = malloc(n * sizeof(UnitKey));
	job->gfirst = malloc((n + 1) * sizeof(int));
	job->rs = malloc(n * sizeof(XMag));
	job->draws = malloc(nn * sizeof(float));
	job->s = malloc(n * sizeof(XMag));
	job->m = malloc(n * sizeof(XMag));
	job->values = malloc(n * sizeof(XMag));
	if (!job->W || !job->Q || !job->B || !job->C || !job->K || !job->a ||
	    !job->z || !job->d || !job->tmp || !job->tau || !job->keys ||
	    !job->gfirst || !job->rs || !job->draws || !job->s || !job->m ||
	    !job->values) {
		spectrum_job_free(job);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	matrix_input(cfg, job->a, job->draws);
	/* J[0] = I: Q = I, P = I. */
	memset(job->Q, 0, nn * sizeof(double));
	memset(job->C, 0, nn * sizeof(double));
	for (i = 0; i < n; i++) {
		job->Q[i * n + i] = 1;
		job->C[i * n + i] = 1;
		job->s[i] = xmag_from_double(1);
	}
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

/* P <- R P for R (upper triangular, row-major in B) and P = diag(s) C:
 * row i in the frame of its largest term, then normalised. */
static void triangular_product(SpectrumJob *job)
{
	int n = job->n, i, k;
	const double *R = job->B;
	XMag t, top;

	for (i = 0; i < n; i++) {
		top = xmag_from_double(0);
		for (k = i; k < n; k++) {
			t = xmag_mul(xmag_from_double(R[(size_t)i * n + k]),
			    job->s[k]);
			top = xmag_cmp(t, top) > 0 ? t : top;
		}
		job->m[i] = xmag_mul(top, job->rs[i]);
		for (k = 0; k < n; k++)
			job->K[(size_t)i * n + k] = 0;
		if (xmag_is_zero(top) || !xmag_is_finite(top))
			continue;
		for (k = i; k < n; k++)
			job->K[(size_t)i * n + k] = R[(size_t)i * n + k] *
			    xmag_to_double(xmag_div(job->s[k], top));
	}
	cblas_dtrmm(CblasRowMajor, CblasLeft, CblasUpper, CblasNoTrans,
	    CblasNonUnit, n, n, 1, job->K, n, job->C, n);
	for (i = 0; i < n; i++)
		job->s[i] = job->m[i];
	matrix_rows_normalize(job->C, job->s, n);
}

/* Rows of D W Q in a group share a scale within this many e-folds
 * (10^150): inside it the rows are scaled in double, and between two
 * groups the coupling the Schur complement drops is 10^-150 of rounding. */
#define SPECTRUM_GROUP_GAP (150 * 2.302585092994046)

static int unit_desc(const void *pa, const void *pb)
{
	double a = ((const UnitKey *)pa)->key, b = ((const UnitKey *)pb)->key;

	return (a < b) - (a > b);
}

/*
 * The triangular factor of one group, [first, first + k) of the sorted
 * D W Q in W (each row scaled by its e^(log phi' - the group's top)),
 * below the rows already reduced (R's rows [0, first) in B). The group
 * is below the earlier rows by more than SPECTRUM_GROUP_GAP, far under
 * their rounding, so the orthogonal transform that zeroes its first
 * `first` columns against R is the identity to that rounding, and what
 * remains is the Schur complement S = G2 - G1 R11^-1 R12 (its own
 * scale). S = Q_g R_g; R_g fills R's rows of the group from column
 * `first`, Q_g's reflectors stay in W's rows and tau + first for
 * group_q. Returns 0, or -1 when LAPACK failed.
 */
static int group_r(SpectrumJob *job, int first, int k)
{
	int n = job->n, i, j;
	double *G = job->W + (size_t)first * n, *R = job->B;

	if (first > 0) {
		cblas_dtrsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans,
		    CblasNonUnit, k, first, 1, R, n, G, n);
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k,
		    n - first, first, -1, G, n, R + first, n, 1, G + first, n);
	}
	if (LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, k, n - first, G + first, n,
	        job->tau + first) != 0)
		return -1;
	for (i = 0; i < k; i++)
		for (j = first + i; j < n; j++)
			R[(size_t)(first + i) * n + j] = G[(size_t)i * n + j];
	return 0;
}

/* Q_g of the group group_r reduced, formed in W's diagonal block and
 * put into Q's rows of the group's units. Returns 0, or -1 when LAPACK
 * failed. */
static int group_q(SpectrumJob *job, int first, int k)
{
	int n = job->n, i;
	double *G = job->W + (size_t)first * n;

	if (LAPACKE_dorgqr(LAPACK_ROW_MAJOR, k, k, k, G + first, n,
	        job->tau + first) != 0)
		return -1;
	for (i = first; i < first + k; i++)
		memcpy(job->Q + (size_t)job->keys[i].unit * n + first,
		    job->W + (size_t)i * n + first, (size_t)k * sizeof(double));
	return 0;
}

/* Layer l's forward step, W[l] drawn: a[l] and D[l] (as log phi') from
 * a[l-1], phi''s largest factored into the common scale. */
static void forward_layer(SpectrumJob *job)
{
	const EngineConfig *cfg = &job->cfg;
	int n = job->n, i;
	double top = -INFINITY, m;

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
	/* phi' = e^top e^(log phi' - top); top = -inf: every phi' is 0. */
	job->top = top;
	if (top > -INFINITY)
		job->scale = xmag_mul(job->scale, xmag_exp(top));
	else
		job->scale = xmag_from_double(0);
}

/*
 * The live rows of D W Q (tmp = W Q) sorted by phi' (descending: the
 * order in which Householder QR of a graded matrix is row-wise stable)
 * into W, the dead ones (phi' = 0, a ReLU unit off) left out. D W Q =
 * Pi^T [B_top; 0] with Pi the permutation, and R = [R_top; 0] has exact
 * zero rows, which give exact zero values. Units whose phi' lies more
 * than SPECTRUM_GROUP_GAP below the group above start a group of their
 * own (group_r), with the scale in rs; the groups' starts go to gfirst.
 */
static void sort_rows(SpectrumJob *job)
{
	int n = job->n, i, j, live, first, k;
	double gtop, e;
	UnitKey *key = job->keys;

	for (i = 0, live = 0; i < n; i++)
		if (job->d[i] > -INFINITY) {
			key[live].key = job->d[i];
			key[live++].unit = i;
		}
	qsort(key, (size_t)live, sizeof *key, unit_desc);
	job->live = live;
	job->groups = 0;
	for (first = 0; first < live; first += k) {
		gtop = key[first].key;
		job->gfirst[job->groups++] = first;
		for (k = 0; first + k < live &&
		     key[first + k].key >= gtop - SPECTRUM_GROUP_GAP;
		     k++) {
			e = exp(key[first + k].key - gtop);
			for (j = 0; j < n; j++)
				job->W[(size_t)(first + k) * n + j] = e *
				    job->tmp[(size_t)key[first + k].unit * n +
				        j];
			job->rs[first + k] = xmag_exp(gtop - job->top);
		}
	}
	job->gfirst[job->groups] = live;
}

/* Each group's R (group_r): B = D W Q's triangular factor; Q zeroed for
 * group_q. Returns 0, or -1 when LAPACK failed. */
static int layer_r(SpectrumJob *job)
{
	size_t nn = (size_t)job->n * job->n;
	int g;

	memset(job->B, 0, nn * sizeof(double));
	for (g = 0; g < job->groups; g++)
		if (group_r(job, job->gfirst[g],
		        job->gfirst[g + 1] - job->gfirst[g]) != 0)
			return -1;
	return 0;
}

/* Each group's Q (group_q) into Q, the dead units' columns after them
 * (Q stays orthogonal; their R rows are 0), then P <- R P. Returns 0,
 * or -1 when LAPACK failed. */
static int layer_q(SpectrumJob *job)
{
	int n = job->n, g, i, j;

	memset(job->Q, 0, (size_t)n * n * sizeof(double));
	for (g = 0; g < job->groups; g++)
		if (group_q(job, job->gfirst[g],
		        job->gfirst[g + 1] - job->gfirst[g]) != 0)
			return -1;
	for (i = 0, j = job->live; i < n; i++)
		if (job->d[i] == -INFINITY) {
			job->Q[(size_t)i * n + j] = 1;
			job->rs[j++] = xmag_from_double(0);
		}
	return 0;
}

/* Rows of W Q one piece of STAGE_PRODUCT multiplies: about 2^27
 * multiply-adds, some tens of ms (all n rows up to width 512). */
static int product_rows(int n)
{
	int rows = (int)((1 << 27) / ((double)n * n));

	return rows < 1 ? 1 : rows > n ? n : rows;
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
	int n = job->n, first = job->row, last = first, pairs = 0;

	while (last < n - 1 && pairs < SPECTRUM_STEP_PAIRS)
		pairs += n - 1 - last++;
	job->rotations += matrix_jacobi_graded(job->C, job->s, n, first, last);
	job->row = last < n - 1 ? last : 0;
	return job->row == 0;
}

static int xmag_desc(const void *pa, const void *pb)
{
	return -xmag_cmp(*(const XMag *)pa, *(const XMag *)pb);
}

/* The scales times the common scale, sorted; zeros counted; the mean of
 * sigma^2 summed in the frame of the largest. */
static void finish(SpectrumJob *job)
{
	int n = job->n, i;
	double ss = 0, r;

	job->zeros = 0;
	for (i = 0; i < n; i++) {
		job->values[i] = xmag_mul(job->s[i], job->scale);
		job->zeros += xmag_is_zero(job->values[i]);
	}
	qsort(job->values, (size_t)n, sizeof *job->values, xmag_desc);
	for (i = 0; i < n && !xmag_is_zero(job->values[0]); i++) {
		r = xmag_to_double(xmag_div(job->values[i], job->values[0]));
		ss += r * r;
	}
	job->mean_sq = xmag_is_zero(job->values[0]) ?
	    job->values[0] :
	    xmag_mul(xmag_from_double(ss / n),
	        xmag_mul(job->values[0], job->values[0]));
	job->stage = STAGE_READY;
}

/* ---------------------------------------------------------------------- */
/* The job                                                                */
/* ---------------------------------------------------------------------- */

/* The product's stages, each step one piece: 0, or -1 when LAPACK ran
 * out of memory. */
static int product_step(SpectrumJob *job)
{
	int n = job->n, k;

	switch (job->stage) {
	case STAGE_WEIGHTS:
		if (matrix_weights(&job->cfg, job->layer + 1, job->W,
		        job->draws) != 0)
			return -1;
		forward_layer(job);
		job->prow = 0;
		job->stage = STAGE_PRODUCT;
		return 0;
	case STAGE_PRODUCT:
		k = product_rows(n);
		k = job->prow + k < n ? k : n - job->prow;
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, n, n,
		    1, job->W + (size_t)job->prow * n, n, job->Q, n, 0,
		    job->tmp + (size_t)job->prow * n, n);
		job->prow += k;
		if (job->prow == n)
			job->stage = STAGE_R;
		return 0;
	case STAGE_R:
		sort_rows(job);
		job->stage = STAGE_Q;
		return layer_r(job);
	case STAGE_Q:
		job->stage = STAGE_TRIANGULAR;
		return layer_q(job);
	case STAGE_TRIANGULAR:
		triangular_product(job);
		job->layer++;
		job->stage = job->layer < job->cfg.depth ? STAGE_WEIGHTS :
		                                           STAGE_SVD;
		return 0;
	case STAGE_SVD:
	case STAGE_READY:
		break;
	}
	return 0;
}

int spectrum_job_step(SpectrumJob *job, char *err, size_t errlen)
{
	switch (job->stage) {
	case STAGE_WEIGHTS:
	case STAGE_PRODUCT:
	case STAGE_R:
	case STAGE_Q:
	case STAGE_TRIANGULAR:
		if (product_step(job) != 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
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

/* A layer and a sweep cost about the same (one n^3 pass each); within a
 * layer, the stages by their share of its flops (2 for W Q, 4/3 for R,
 * 4/3 for Q, 1 for R P, of 5.7 n^3), the sweep by its rows. */
double spectrum_job_progress(const SpectrumJob *job)
{
	static const double before[] = {
	    [STAGE_WEIGHTS] = 0,
	    [STAGE_PRODUCT] = 0,
	    [STAGE_R] = 0.35,
	    [STAGE_Q] = 0.58,
	    [STAGE_TRIANGULAR] = 0.82,
	};
	double done = job->layer, pairs;
	int sweeps = job->sweeps < SPECTRUM_SWEEPS_GUESS - 1 ?
	    job->sweeps :
	    SPECTRUM_SWEEPS_GUESS - 1;

	switch (job->stage) {
	case STAGE_READY:
		return 1;
	case STAGE_PRODUCT:
		done += 0.35 * job->prow / job->n;
		break;
	case STAGE_WEIGHTS:
	case STAGE_R:
	case STAGE_Q:
	case STAGE_TRIANGULAR:
		done += before[job->stage];
		break;
	case STAGE_SVD:
		/* Rows paired so far: row r has done n - 1 - k pairs for
		 * each k < r, of n (n - 1) / 2 (past the guessed sweeps,
		 * progress waits at its last one rather than go back). */
		pairs = (double)job->row * (2.0 * job->n - 1 - job->row) / 2;
		done += sweeps;
		if (job->sweeps < SPECTRUM_SWEEPS_GUESS - 1 && job->n > 1)
			done += pairs / ((double)job->n * (job->n - 1) / 2);
		break;
	}
	return done / (job->cfg.depth + SPECTRUM_SWEEPS_GUESS);
}

const XMag *spectrum_job_values(const SpectrumJob *job, int *n, int *zeros)
{
	if (job->stage != STAGE_READY)
		return NULL;
	if (n != NULL)
		*n = job->n;
	if (zeros != NULL)
		*zeros = job->zeros;
	return job->values;
}

XMag spectrum_job_mean_sq(const SpectrumJob *job)
{
	return job->stage == STAGE_READY ? job->mean_sq : xmag_from_double(NAN);
}

int spectrum_theory_edge(const EngineConfig *cfg, XMag *edge, int *exact)
{
	double L = cfg->depth, lg;

	*edge = xmag_from_double(NAN);
	*exact = 0;
	if (cfg->act != ENGINE_ACT_LINEAR)
		return 0;
	/* log10 of lambda^L, in log form: L may be 1000 and lambda 100. */
	lg = cfg->lambda > 0 ? L * log10(cfg->lambda) : -INFINITY;
	switch (cfg->init) {
	case ENGINE_INIT_GAUSSIAN:
		/* sigma_max = lambda^L sqrt((L+1)^(L+1) / L^L). */
		*edge = isinf(lg) ?
		    xmag_from_double(0) :
		    xmag_pow10(lg +
		        0.5 * ((L + 1) * log10(L + 1) - L * log10(L)));
		return 1;
	case ENGINE_INIT_ORTHOGONAL:
	case ENGINE_INIT_IDENTITY:
		*edge = isinf(lg) ? xmag_from_double(0) : xmag_pow10(lg);
		*exact = 1;
		return 1;
	case ENGINE_INIT_COUNT:
		break;
	}
	return 0;
}

const EngineConfig *spectrum_job_config(const SpectrumJob *job)
{
	return &job->cfg;
}
