/*
 * train: gradient descent on explicit weights. See include/train.h for
 * the contract.
 *
 * The task, fixed by the seed (on RNG_STREAM_TASK): the inputs are the
 * rows of X (TRAIN_SAMPLES x n), X[s][j] the (s n + j)-th of
 * rng_normals(seed, RNG_STREAM_TASK, 0, S n); the map is T (n x n),
 * T[i][j] = the (i n + j)-th of rng_normals(seed, RNG_STREAM_TASK, 1, n n)
 * / sqrt(n), so |T x|^2 / n ~ |x|^2 / n ~ 1; the targets are y = T x.
 * The readout V (n x n), V[i][j] = the (i n + j)-th of rng_normals(seed,
 * RNG_STREAM_TASK, 2, n n) / sqrt(n).
 *
 * The network is the engine's model with matrix.c's weights: z[l] =
 * W[l] a[l-1], a[l] = phi(z[l]), f(x) = V a[L], in double arithmetic
 * (but for the gemms of float storage, train.h; cfg's precision and
 * input mode do not apply: the task has its own inputs, and divergence
 * is what the run is there to show). All samples go through together as
 * S x n matrices (a sample per row), so every inner loop runs along a
 * contiguous row. One step is a backward pass over the activations the
 * last forward pass kept (updating each W[l] as soon as its gradient and
 * the gradient below it are known) and one forward pass for the new
 * loss: 3 (L + 1) n^2 S multiply-adds, as OpenBLAS gemms (dgemm; sgemm
 * on float storage). The update is a rank-S gemm into W[l] itself and
 * dLoss/dW[l]'s norm comes from two S x S Gram matrices, so no n x n
 * gradient is formed or scanned. The readout gives the hidden layers the
 * upstream gradient V^T (f - y) of a real network rather than f - y
 * itself.
 *
 * The constants (train.h). TRAIN_SAMPLES 16: one sample per unit at the
 * issue's width 16; a step at 2^28 weights costs 3 x 2^28 x 16 = 13G
 * multiply-adds, some seconds (gaussian-wide's 1024 x 150 about 0.6 s
 * when the machine is idle), so a step is done in
 * units (step_unit: one layer of one pass) grouped into pieces of about
 * TRAIN_PIECE_WORK multiply-adds, and a caller can read its keys between
 * them. With orthogonal weights a deep linear net moves its end-to-end
 * map at about L times the rate (each layer's gradient is the full one,
 * rotated), so the default rate TRAIN_RATE_DEPTH / L keeps that pace the
 * same at every depth: 0.02 at depth 30, stable, where in 300 steps the
 * loss falls to 0.8-2.1% of its initial value for seeds 1..20 (with the
 * readout); at depth 150 the old fixed 0.02 made the lesson's width-2
 * orthogonal step bounce from step to step. TRAIN_CONVERGE 0.1 leaves a
 * factor of five to that; TRAIN_DIVERGE 100 is far above any
 * transient of a run that is learning and far below what an exploding
 * one reaches (identity 1.5 at depth 30 starts near 1e10 and overflows
 * in its first step). Identity 0.5 at depth 30 has gradients ~1e-9 and
 * stays at its initial loss: plateaued.
 */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include <cblas.h>

#include "act.h"
#include "matrix.h"
#include "rng.h"

struct Trainer {
	EngineConfig cfg;
	int n, depth;
	double *W; /* depth x n x n: W[l] at (l - 1) n^2, or NULL */
	float *Wf; /* the same in float, when W is NULL (large nets) */
	float *Pf, *Ef, *Gf; /* S x n: float panels for Wf's gemms */
	double *ww;          /* depth + 1: |W[l]|_F^2, kept after each update */
	double *gram;        /* 2 S x S: outer_norm_sq's Gram matrices */
	double *V;           /* n x n: the readout */
	double *Y;           /* S x n targets */
	double *F;           /* S x n: the network's outputs V a[L] */
	double *A;           /* (depth + 1) x S x n: a[l], a[0] = the inputs */
	double *D;           /* depth x S x n: phi'(z[l]) at (l - 1) S n */
	double *E, *G;       /* S x n: the gradient at z[l], at a[l - 1] */
	double *wgrad;       /* depth + 1: RMS of dLoss/dW[l] */
	double *wgrad0;      /* depth + 1: the same at the initial weights */
	double *ratio; /* depth + 1: log10 |rate dW[l]| / |W[l]|, last step */
	double *wgrad_next, *ratio_next; /* the step under way's */
	double rate;      /* the learning rate of the next step */
	double step_rate; /* the step under way's */
	double *loss;     /* loss[0..steps] */
	double best;      /* the lowest loss[0..steps] */
	double loss_next; /* the step under way's, once its forward ends */
	int steps, cap;
	int at;       /* the step under way's next unit (step_unit), or 0 */
	int bad;      /* the step under way made a weight inf or nan */
	int diverged; /* the step it diverged at, or 0 */
	int setup;    /* step 0's next unit (setup_unit) */
	int ready;    /* step 0 is done: the weights drawn, loss[0] known */
	float *draws; /* n x n scratch for matrix_weights, until ready */
	double *T;    /* n x n: the task's map, then a layer's draw */
};

int train_supported(const EngineConfig *cfg, char *err, size_t errlen)
{
	if (engine_config_validate(cfg, err, errlen) != 0)
		return -1;
	if (cfg->width > TRAIN_WIDTH_MAX || cfg->depth > TRAIN_DEPTH_MAX ||
	    (double)cfg->width * cfg->width * cfg->depth > TRAIN_WEIGHTS_MAX) {
		snprintf(err, errlen,
		    "training needs width <= %d, depth "
		    "<= %d and width^2 x depth <= %d (this is width %d, "
		    "depth %d)",
		    TRAIN_WIDTH_MAX, TRAIN_DEPTH_MAX, TRAIN_WEIGHTS_MAX,
		    cfg->width, cfg->depth);
		return -1;
	}
	return matrix_models(cfg, "training", err, errlen);
}

void train_free(Trainer *tr)
{
	if (tr == NULL)
		return;
	free(tr->W);
	free(tr->Wf);
	free(tr->Pf);
	free(tr->Ef);
	free(tr->Gf);
	free(tr->ww);
	free(tr->gram);
	free(tr->V);
	free(tr->F);
	free(tr->Y);
	free(tr->A);
	free(tr->D);
	free(tr->E);
	free(tr->G);
	free(tr->wgrad);
	free(tr->wgrad0);
	free(tr->ratio);
	free(tr->wgrad_next);
	free(tr->ratio_next);
	free(tr->loss);
	free(tr->draws);
	free(tr->T);
	free(tr);
}

/* ---------------------------------------------------------------------- */
/* Passes                                                                 */
/* ---------------------------------------------------------------------- */

/* Panel scratch for float storage: src (S x n doubles) as floats. */
static float *panel_float(float *dst, const double *src, size_t sn)
{
	size_t i;

	for (i = 0; i < sn; i++)
		dst[i] = (float)src[i];
	return dst;
}

static void panel_double(double *dst, const float *src, size_t sn)
{
	size_t i;

	for (i = 0; i < sn; i++)
		dst[i] = src[i];
}

/* |W[l]|_F^2 in double, inf or nan when a weight is (or the sum
 * overflows); four partial sums, which the compiler can keep in
 * registers side by side. */
static double layer_norm_sq(const Trainer *tr, int l)
{
	size_t nn = (size_t)tr->n * tr->n, i;
	double s[4] = {0, 0, 0, 0};

	if (tr->W != NULL) {
		const double *w = tr->W + (l - 1) * nn;

		for (i = 0; i + 4 <= nn; i += 4) {
			s[0] += w[i] * w[i];
			s[1] += w[i + 1] * w[i + 1];
			s[2] += w[i + 2] * w[i + 2];
			s[3] += w[i + 3] * w[i + 3];
		}
		for (; i < nn; i++)
			s[0] += w[i] * w[i];
	} else {
		const float *w = tr->Wf + (l - 1) * nn;

		for (i = 0; i + 4 <= nn; i += 4) {
			s[0] += (double)w[i] * w[i];
			s[1] += (double)w[i + 1] * w[i + 1];
			s[2] += (double)w[i + 2] * w[i + 2];
			s[3] += (double)w[i + 3] * w[i + 3];
		}
		for (; i < nn; i++)
			s[0] += (double)w[i] * w[i];
	}
	return (s[0] + s[1]) + (s[2] + s[3]);
}

/* Forward, layer l: a[l] = phi(a[l-1] W[l]^T) and phi'(z[l]), one gemm
 * for all samples (float storage: in float, as the frameworks do). */
static void forward_layer(Trainer *tr, int l)
{
	int n = tr->n, S = TRAIN_SAMPLES, i;
	size_t sn = (size_t)S * n, nn = (size_t)n * n;
	double *a = tr->A + l * sn, *d = tr->D + (l - 1) * sn;

	if (tr->W != NULL) {
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, n, n, 1,
		    a - sn, n, tr->W + (l - 1) * nn, n, 0, a, n);
	} else {
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, n, n, 1,
		    panel_float(tr->Pf, a - sn, sn), n, tr->Wf + (l - 1) * nn,
		    n, 0, tr->Gf, n);
		panel_double(a, tr->Gf, sn);
	}
	for (i = 0; (size_t)i < sn; i++)
		a[i] = act_phi(tr->cfg.act, a[i], &d[i]);
}

/* The end of the forward pass: the outputs F = a[L] V^T; returns the
 * loss, mean over samples of |F - y|^2 / n. */
static double forward_readout(Trainer *tr)
{
	int n = tr->n, i;
	size_t sn = (size_t)TRAIN_SAMPLES * n;
	double loss = 0, e;

	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, TRAIN_SAMPLES, n,
	    n, 1, tr->A + tr->depth * sn, n, tr->V, n, 0, tr->F, n);
	for (i = 0; (size_t)i < sn; i++) {
		e = tr->F[i] - tr->Y[i];
		loss += e * e;
	}
	return loss / (double)sn;
}

/*
 * |E^T P|_F^2 for E, P S x n, without forming the n x n product: the sum
 * over sample pairs of (E E^T)(P P^T) entrywise (two S x S Gram
 * matrices, S^2 n multiply-adds each). Its rounding is eps times the
 * sum of |e_s|^2 |p_s|^2, which only matters for a gradient that
 * cancels across the samples to 1e-8 of that: it is clamped at 0.
 */
static double outer_norm_sq(Trainer *tr, const double *E, const double *P)
{
	int n = tr->n, S = TRAIN_SAMPLES, i;
	double ss = 0;

	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, S, n, 1, E, n,
	    E, n, 0, tr->gram, S);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, S, n, 1, P, n,
	    P, n, 0, tr->gram + S * S, S);
	for (i = 0; i < S * S; i++)
		ss += tr->gram[i] * tr->gram[S * S + i];
	return ss > 0 ? ss : 0;
}

/*
 * The start of the backward pass, from dLoss/dF = 2 (F - y) / (S n): the
 * readout's gradient dLoss/dV = (dLoss/dF)^T a[L] and its step (rate),
 * and E = dLoss/da[L] = (dLoss/dF) V (taken before V moves). Returns 1
 * when a weight of V became inf or nan.
 */
static int backward_readout(Trainer *tr, double rate)
{
	int n = tr->n, S = TRAIN_SAMPLES, i, bad = 0;
	size_t sn = (size_t)S * n, nn = (size_t)n * n;

	for (i = 0; (size_t)i < sn; i++)
		tr->G[i] = 2 * (tr->F[i] - tr->Y[i]) / (double)sn;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, S, n, n, 1,
	    tr->G, n, tr->V, n, 0, tr->E, n);
	if (rate == 0)
		return 0;
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, S, -rate,
	    tr->G, n, tr->A + tr->depth * sn, n, 1, tr->V, n);
	for (i = 0; (size_t)i < nn; i++)
		bad |= !isfinite(tr->V[i]);
	return bad;
}

/*
 * Backward, layer l, with E the gradient at a[l]: E = dLoss/dz[l] =
 * phi'(z[l]) * E; dLoss/dW[l] = E^T a[l-1] (summed over samples), and the
 * gradient at a[l-1] is E W[l], taken before W[l] takes its step (rate):
 * W[l] -= rate E^T a[l-1], a rank-S update straight into the weights
 * (float storage: in float). dLoss/dW[l] itself is never formed: its
 * norm comes from outer_norm_sq, |W[l]| from the pass after the last
 * update (ww). Records the layer's RMS of dLoss/dW[l] and update ratio
 * in the next step's arrays; returns 1 when a weight became inf or nan.
 */
static int backward_layer(Trainer *tr, int l, double rate)
{
	int n = tr->n, S = TRAIN_SAMPLES, i;
	size_t sn = (size_t)S * n, nn = (size_t)n * n;
	const double *prev = tr->A + (l - 1) * sn;
	const double *d = tr->D + (l - 1) * sn;
	double *t, ss;
	float *Ef = NULL;

	for (i = 0; (size_t)i < sn; i++)
		tr->E[i] *= d[i];
	if (tr->W != NULL) {
		if (l > 1)
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
			    S, n, n, 1, tr->E, n, tr->W + (l - 1) * nn, n, 0,
			    tr->G, n);
	} else {
		Ef = panel_float(tr->Ef, tr->E, sn);
		if (l > 1) {
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
			    S, n, n, 1, Ef, n, tr->Wf + (l - 1) * nn, n, 0,
			    tr->Gf, n);
			panel_double(tr->G, tr->Gf, sn);
		}
	}
	ss = outer_norm_sq(tr, tr->E, prev);
	tr->wgrad_next[l] = sqrt(ss / (double)nn);
	tr->ratio_next[l] = log10(rate * sqrt(ss) / sqrt(tr->ww[l]));
	if (rate != 0) {
		if (tr->W != NULL)
			cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n,
			    n, S, -rate, tr->E, n, prev, n, 1,
			    tr->W + (l - 1) * nn, n);
		else
			cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n,
			    n, S, (float)-rate, Ef, n,
			    panel_float(tr->Pf, prev, sn), n, 1,
			    tr->Wf + (l - 1) * nn, n);
		tr->ww[l] = layer_norm_sq(tr, l);
	}
	t = tr->E;
	tr->E = tr->G;
	tr->G = t;
	return !isfinite(tr->ww[l]);
}

/*
 * One unit of a step's work, at = 0 .. 2 L + 1: the backward pass
 * (readout, then layers L down to 1: each matrix takes its step once the
 * gradient below it is out), then the forward pass for the new loss
 * (layers 1 to L, then the readout). Returns the unit's cost in
 * multiply-adds, for the pieces' budget.
 */
static double step_unit(Trainer *tr, int at, double rate)
{
	int L = tr->depth;
	double nns = (double)tr->n * tr->n * TRAIN_SAMPLES;

	if (at == 0) {
		tr->bad |= backward_readout(tr, rate);
		return 2 * nns;
	}
	if (at <= L) {
		tr->bad |= backward_layer(tr, L + 1 - at, rate);
		return 2 * nns;
	}
	if (at <= 2 * L) {
		forward_layer(tr, at - L);
		return nns;
	}
	tr->loss_next = forward_readout(tr);
	return nns;
}

/* The end of a step's backward pass: its gradients and ratios are the
 * ones shown. */
static void step_publish(Trainer *tr)
{
	double *t;

	t = tr->wgrad;
	tr->wgrad = tr->wgrad_next;
	tr->wgrad_next = t;
	t = tr->ratio;
	tr->ratio = tr->ratio_next;
	tr->ratio_next = t;
}

/* ---------------------------------------------------------------------- */
/* The trainer                                                            */
/* ---------------------------------------------------------------------- */

/*
 * The weights' storage, up to 1 GB: where Linux has transparent huge
 * pages on request (madvise), in 2 MB pages, so that touching it costs
 * 512 times fewer page faults and giving it back (the job's end, q) a
 * few ms rather than some 200 at 0.63 GB. Freed with free().
 */
static void *weights_alloc(size_t bytes)
{
#ifdef MADV_HUGEPAGE
	void *p;

	if (bytes >= ((size_t)2 << 20) &&
	    posix_memalign(&p, (size_t)2 << 20, bytes) == 0) {
		(void)madvise(p, bytes, MADV_HUGEPAGE);
		return p;
	}
#endif
	return malloc(bytes);
}

Trainer *train_start(const EngineConfig *cfg, char *err, size_t errlen)
{
	Trainer *tr;
	size_t n, L, S = TRAIN_SAMPLES, nn;
	double *T;
	int l, i;

	if (train_supported(cfg, err, errlen) != 0)
		return NULL;
	tr = calloc(1, sizeof *tr);
	if (tr == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tr->cfg = *cfg;
	tr->n = cfg->width;
	tr->depth = cfg->depth;
	n = (size_t)cfg->width;
	L = (size_t)cfg->depth;
	nn = n * n;
	tr->cap = 64;
	if (L * nn > TRAIN_DOUBLE_MAX) {
		tr->Wf = weights_alloc(L * nn * sizeof(float));
		tr->Pf = malloc(S * n * sizeof(float));
		tr->Ef = malloc(S * n * sizeof(float));
		tr->Gf = malloc(S * n * sizeof(float));
	} else {
		tr->W = weights_alloc(L * nn * sizeof(double));
	}
	tr->V = malloc(nn * sizeof(double));
	tr->F = malloc(S * n * sizeof(double));
	tr->Y = malloc(S * n * sizeof(double));
	tr->A = malloc((L + 1) * S * n * sizeof(double));
	tr->D = malloc(L * S * n * sizeof(double));
	tr->E = malloc(S * n * sizeof(double));
	tr->G = malloc(S * n * sizeof(double));
	tr->ww = malloc((L + 1) * sizeof(double));
	tr->gram = malloc(2 * S * S * sizeof(double));
	tr->wgrad = malloc((L + 1) * sizeof(double));
	tr->wgrad0 = malloc((L + 1) * sizeof(double));
	tr->ratio = malloc((L + 1) * sizeof(double));
	tr->wgrad_next = malloc((L + 1) * sizeof(double));
	tr->ratio_next = malloc((L + 1) * sizeof(double));
	tr->loss = malloc((size_t)tr->cap * sizeof(double));
	tr->draws = malloc((nn > S * n ? nn : S * n) * sizeof(float));
	tr->T = T = malloc(nn * sizeof(double));
	if ((!tr->W && (!tr->Wf || !tr->Pf || !tr->Ef || !tr->Gf)) || !tr->V ||
	    !tr->F || !tr->Y || !tr->A || !tr->D || !tr->E || !tr->G ||
	    !tr->ww || !tr->gram || !tr->wgrad || !tr->wgrad0 || !tr->ratio ||
	    !tr->wgrad_next || !tr->ratio_next || !tr->loss || !tr->draws ||
	    !T) {
		train_free(tr);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rng_normals(cfg->seed, RNG_STREAM_TASK, 2, (int)nn, tr->draws);
	for (i = 0; (size_t)i < nn; i++)
		tr->V[i] = tr->draws[i] / sqrt((double)n);
	rng_normals(cfg->seed, RNG_STREAM_TASK, 0, (int)(S * n), tr->draws);
	for (i = 0; (size_t)i < S * n; i++)
		tr->A[i] = tr->draws[i];
	rng_normals(cfg->seed, RNG_STREAM_TASK, 1, (int)nn, tr->draws);
	for (i = 0; (size_t)i < nn; i++)
		T[i] = tr->draws[i] / sqrt((double)n);
	for (i = 0; (size_t)i < S * n; i++)
		tr->Y[i] = matrix_dot(T + (i % n) * n, tr->A + i / n * n,
		    (int)n);
	/* Nothing is known before step 0 ends (train_ready). */
	for (l = 0; (size_t)l <= L; l++)
		tr->wgrad[l] = tr->wgrad0[l] = tr->ratio[l] = tr->ww[l] = NAN;
	tr->wgrad_next[0] = tr->ratio_next[0] = NAN;
	tr->loss[0] = tr->best = NAN;
	tr->rate = train_rate_default(cfg->depth);
	return tr;
}

/*
 * One unit of step 0, at = 0 .. 2 L + 1: layer at + 1's weights drawn
 * (into T first for float storage) and its forward pass, then the
 * readout's (loss[0]), then a backward pass at rate 0 (step_unit's
 * units, changing no weight) for the gradient step 1 will take, the bars
 * at step 0. Returns its cost as step_unit does (a draw counted as a
 * product), or -1 when LAPACK's workspace ran out.
 */
static double setup_unit(Trainer *tr, int at)
{
	size_t nn = (size_t)tr->n * tr->n, i;
	int L = tr->depth, l = at + 1;
	double *W;

	if (at < L) {
		W = tr->W != NULL ? tr->W + (l - 1) * nn : tr->T;
		if (matrix_weights(&tr->cfg, l, W, tr->draws) != 0)
			return -1;
		for (i = 0; tr->W == NULL && i < nn; i++)
			tr->Wf[(l - 1) * nn + i] = (float)W[i];
		tr->ww[l] = layer_norm_sq(tr, l);
		forward_layer(tr, l);
		return 2 * (double)nn * TRAIN_SAMPLES;
	}
	if (at == L) {
		tr->loss[0] = tr->best = forward_readout(tr);
		return (double)nn * TRAIN_SAMPLES;
	}
	return step_unit(tr, at - L - 1, 0);
}

/* A piece of a step does units until about this many multiply-adds
 * (a few ms; at least one unit): a step at 256 x 1000 is some 400. */
#define TRAIN_PIECE_WORK 8e6

/* Step 0 in pieces; at its end the scratch goes and no update ratio is
 * known yet (no step was taken). */
static int setup_piece(Trainer *tr)
{
	double work = 0, w;
	int last = 2 * tr->depth + 1, l;

	while (tr->setup <= last && work < TRAIN_PIECE_WORK) {
		if ((w = setup_unit(tr, tr->setup)) < 0)
			return -1;
		tr->setup++;
		work += w;
	}
	if (tr->setup <= last)
		return 1;
	step_publish(tr);
	memcpy(tr->wgrad0, tr->wgrad, ((size_t)tr->depth + 1) * sizeof(double));
	for (l = 1; l <= tr->depth; l++)
		tr->ratio[l] = NAN;
	free(tr->draws);
	free(tr->T);
	tr->draws = NULL;
	tr->T = NULL;
	tr->ready = 1;
	return 0;
}

Trainer *train_new(const EngineConfig *cfg, char *err, size_t errlen)
{
	Trainer *tr = train_start(cfg, err, errlen);
	int rc = 1;

	while (tr != NULL && (rc = setup_piece(tr)) == 1)
		;
	if (rc < 0) {
		train_free(tr);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return tr;
}

int train_ready(const Trainer *tr)
{
	return tr->ready;
}

double train_setup_progress(const Trainer *tr)
{
	return tr->ready ? 1 : tr->setup / (2.0 * tr->depth + 2);
}

int train_piece(Trainer *tr)
{
	double work = 0, *grown;
	int last = 2 * tr->depth + 1;

	if (!tr->ready)
		return setup_piece(tr);
	if (tr->diverged)
		return 0;
	if (tr->at == 0) {
		if (tr->steps + 1 >= tr->cap) {
			grown = realloc(tr->loss,
			    2 * (size_t)tr->cap * sizeof *grown);
			if (grown == NULL)
				return -1;
			tr->loss = grown;
			tr->cap *= 2;
		}
		tr->bad = 0;
		tr->step_rate = tr->rate;
	}
	while (tr->at <= last && work < TRAIN_PIECE_WORK)
		work += step_unit(tr, tr->at++, tr->step_rate);
	if (tr->at <= last)
		return 1;
	tr->at = 0;
	step_publish(tr);
	tr->loss[++tr->steps] = tr->loss_next;
	if (tr->loss_next < tr->best)
		tr->best = tr->loss_next;
	if (tr->bad || !isfinite(tr->loss_next) ||
	    tr->loss_next > TRAIN_DIVERGE * tr->loss[0])
		tr->diverged = tr->steps;
	return 0;
}

/* One gradient step (after step 0's pieces if they are not done): 0, or
 * 1 when the run has diverged (now or before) or memory ran out. */
int train_step(Trainer *tr)
{
	int rc, steps = tr->steps;

	do
		rc = train_piece(tr);
	while (rc == 1 || (rc == 0 && tr->steps == steps && !tr->diverged));
	return tr->diverged || rc < 0 ? 1 : 0;
}

double train_best_loss(const Trainer *tr)
{
	return tr->best;
}

int train_steps(const Trainer *tr)
{
	return tr->steps;
}

int train_depth(const Trainer *tr)
{
	return tr->depth;
}

const double *train_losses(const Trainer *tr)
{
	return tr->loss;
}

/* Before the first step: the gradient at the initial weights, the one
 * step 1 takes (train_new runs a backward pass at rate 0 for it). */
const double *train_weight_gradients(const Trainer *tr)
{
	return tr->wgrad;
}

const double *train_initial_weight_gradients(const Trainer *tr)
{
	return tr->wgrad0;
}

const double *train_update_ratios(const Trainer *tr)
{
	return tr->ratio;
}

double train_rate_default(int depth)
{
	double r = TRAIN_RATE_DEPTH / (depth > 0 ? depth : 1);

	return r < TRAIN_RATE_MAX ? r : TRAIN_RATE_MAX;
}

double train_rate(const Trainer *tr)
{
	return tr->rate;
}

void train_set_rate(Trainer *tr, double rate)
{
	if (rate > 0 && isfinite(rate))
		tr->rate = rate;
}

TrainVerdict train_verdict(const Trainer *tr, int *step)
{
	if (step != NULL)
		*step = tr->diverged;
	if (tr->diverged)
		return TRAIN_DIVERGED;
	if (tr->best <= TRAIN_CONVERGE * tr->loss[0])
		return TRAIN_CONVERGED;
	return TRAIN_PLATEAUED;
}

int train_verdict_text(const Trainer *tr, char *buf, size_t len)
{
	int step;

	switch (train_verdict(tr, &step)) {
	case TRAIN_DIVERGED:
		return snprintf(buf, len, "diverged at step %d", step);
	case TRAIN_CONVERGED:
		return snprintf(buf, len, "converged");
	case TRAIN_PLATEAUED:
		break;
	}
	return snprintf(buf, len, "plateaued");
}
