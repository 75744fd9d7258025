/*
 * train: plain gradient descent on the current network, on a toy task.
 *
 * Explicit, seeded weight matrices (width <= TRAIN_WIDTH_MAX, depth <=
 * TRAIN_DEPTH_MAX) drawn like the engine's inits, no biases. The task is
 * fixed by the seed: TRAIN_SAMPLES inputs x ~ N(0, I_n) and targets
 * y = T x for a random linear map T (documented in the README). The
 * network ends in a linear readout f(x) = V a[L], V n x n with its own
 * seeded N(0, 1/n) weights, trained with the rest; the loss is the mean
 * over samples of |f(x) - y|^2 / n (MSE); each step is one
 * full-batch gradient step with learning rate train_rate_default (or
 * the one train_set_rate gave). (TRAIN_SAMPLES, TRAIN_RATE_DEPTH,
 * TRAIN_DIVERGE and TRAIN_CONVERGE are defined below.)
 *
 * Verdicts (the README defines them in the same words):
 *   diverged at step K: the loss or a weight became inf or nan, or the
 *     loss exceeded TRAIN_DIVERGE times its initial value, at step K; the
 *     run stops there;
 *   converged: the lowest loss so far (best-so-far: a loss that falls
 *     and then bounces from step to step is judged on how far it got)
 *     is at most TRAIN_CONVERGE times the initial loss;
 *   plateaued: neither.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_TRAIN_H
#define GRADSCOPE_TRAIN_H

#include <stddef.h>

#include "engine.h"

#define TRAIN_WIDTH_MAX 1024
#define TRAIN_DEPTH_MAX 10000
/* Weights in all (width^2 depth): 2^26, 256 MB as floats. */
#define TRAIN_WEIGHTS_MAX (1 << 28)
/* Above this many weights (128 MB as doubles) they are stored as floats
 * and the layers' products and updates are float gemms, as the
 * frameworks train (the activations, the loss and the gradient norms
 * stay double). */
#define TRAIN_DOUBLE_MAX (1 << 24)

/* Samples in the task: full-batch cost grows with it; see train.c. */
#define TRAIN_SAMPLES 16
/* The default learning rate: TRAIN_RATE_DEPTH / depth, at most
 * TRAIN_RATE_MAX (train_rate_default). A deep linear net moves its
 * end-to-end map at about depth times one layer's rate (each layer's
 * gradient is the full one, rotated), so this keeps that pace, 0.6 per
 * step, the same at every depth: 0.02 at depth 30, 0.004 at 150. */
#define TRAIN_RATE_DEPTH 0.6
#define TRAIN_RATE_MAX 0.1
/* Diverged: loss above this many times the initial loss. */
#define TRAIN_DIVERGE 100.0
/* Converged: final loss at most this fraction of the initial loss. */
#define TRAIN_CONVERGE 0.1

typedef enum { TRAIN_CONVERGED, TRAIN_PLATEAUED, TRAIN_DIVERGED } TrainVerdict;

/* 0 when cfg is within the limits above, else -1 with a reason. */
int train_supported(const EngineConfig *cfg, char *err, size_t errlen);

typedef struct Trainer Trainer;

/* NULL on out of memory or unsupported cfg (reason in err). Draws the
 * task only (O(width^2)): the network's weights, its initial loss and
 * gradients (step 0) come in train_piece's first pieces, which at
 * 1024 x 150 take seconds, so that a caller can look at its keys between
 * them. Until then train_ready is 0 and everything read below is nan
 * (train_steps 0). */
Trainer *train_start(const EngineConfig *cfg, char *err, size_t errlen);
/* train_start with step 0 done (train_ready): NULL also when LAPACK ran
 * out of memory drawing an orthogonal layer. */
Trainer *train_new(const EngineConfig *cfg, char *err, size_t errlen);
void train_free(Trainer *tr);

/* Whether step 0 is done, and how far it has got, in [0, 1]. */
int train_ready(const Trainer *tr);
double train_setup_progress(const Trainer *tr);

/* One gradient step (step 0's pieces first, when they are not done).
 * Returns 0, or 1 when the run has diverged (at this step or before: no
 * further step is taken) or memory ran out. */
int train_step(Trainer *tr);

/* A piece of a gradient step (a few layers of its backward or forward
 * pass, some 8e6 multiply-adds: a few ms), or of step 0 (a few layers
 * drawn and passed forward, or its backward pass), so that a caller can
 * look at its keys between pieces. Returns 1 while the step is under
 * way, 0 when it has just ended (step 0 too: train_steps stays 0; or the
 * run had diverged: nothing done), -1 when memory ran out (nothing
 * done). While a step is under way, everything read below is the last
 * ended step's. */
int train_piece(Trainer *tr);

/* The lowest of loss[0..steps], which the verdict is judged on. */
double train_best_loss(const Trainer *tr);

/* Steps taken; the loss before step 0 and after each step:
 * loss[0..steps] (a nan or inf marks divergence). */
int train_steps(const Trainer *tr);
/* The network's depth (the configuration's). */
int train_depth(const Trainer *tr);
const double *train_losses(const Trainer *tr);

/* The per-layer RMS of dLoss/dW[l] at the last step, l = 1..depth
 * (index 0 unused), for the gradient bars. */
const double *train_weight_gradients(const Trainer *tr);

/* The same at the initial weights (the gradient step 1 takes), kept
 * after later steps: to compare with the engine's gradient bars. */
const double *train_initial_weight_gradients(const Trainer *tr);

/* Per layer, l = 1..depth (index 0 unused): log10 of |rate dW[l]| /
 * |W[l]| (Frobenius norms, W before the update) at the last step; nan
 * before the first step. Course notebooks draw a reference line at -3. */
const double *train_update_ratios(const Trainer *tr);

/* TRAIN_RATE_DEPTH / depth, at most TRAIN_RATE_MAX. */
double train_rate_default(int depth);

/* The learning rate the next step takes (train_rate_default at first); a
 * rate that is not finite and positive is ignored. */
double train_rate(const Trainer *tr);
void train_set_rate(Trainer *tr, double rate);

/* The verdict the run would get if it ended now, and for a divergence
 * its step (*step may be NULL). */
TrainVerdict train_verdict(const Trainer *tr, int *step);
/* "converged", "plateaued", "diverged at step K" into buf. */
int train_verdict_text(const Trainer *tr, char *buf, size_t len);

#endif
