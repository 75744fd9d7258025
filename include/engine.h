/*
 * engine: signal propagation through a deep network, layer by layer.
 *
 * Configuration in, per-layer magnitudes out. The model: L layers of width
 * n, z[l] = W[l] a[l-1], a[l] = phi(z[l]), biases zero, a[0] = x (ones, or a
 * seeded standard normal vector). Backward from the fixed upstream gradient
 * g[L] = ones(n): g[l-1] = W[l]^T (phi'(z[l]) * g[l]), with the same
 * weights as the forward pass.
 *
 * Random weights are never built as matrices. For one input vector the
 * engine samples exactly what the network computes (see engine.c): the
 * forward product W a from its distribution given a, and the backward
 * product W^T e from the distribution of W given that forward product. The
 * random draws are fixed per (seed, layer), so moving lambda moves the
 * numbers smoothly and the same seed gives the same numbers everywhere.
 *
 * Pure C: no I/O, no curses, no JSON. Memory is allocated by engine_new and
 * by engine_compute when the depth or width change or random weights are
 * first asked for, never on a change of lambda, activation, precision or
 * seed (a new seed redraws the cached random draws in place). What it
 * keeps is bounded: 32 MiB of
 * per-layer state (engine_set_state_budget) and 32 MiB of cached draws;
 * past those the same numbers cost more time.
 */
#ifndef GRADSCOPE_ENGINE_H
#define GRADSCOPE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "xmag.h"

typedef enum {
	ENGINE_INIT_IDENTITY,   /* W = lambda * I (the lesson's case) */
	ENGINE_INIT_GAUSSIAN,   /* iid N(0, lambda^2 / n) */
	ENGINE_INIT_ORTHOGONAL, /* W = lambda * Q, Q Haar-random orthogonal */
	ENGINE_INIT_COUNT
} EngineInit;

typedef enum {
	ENGINE_ACT_LINEAR,
	ENGINE_ACT_TANH,
	ENGINE_ACT_RELU,
	ENGINE_ACT_SIGMOID,
	ENGINE_ACT_COUNT
} EngineAct;

typedef enum {
	ENGINE_PRECISION_EXACT,   /* right magnitudes over any range */
	ENGINE_PRECISION_FLOAT64, /* IEEE double arithmetic: inf, nan, 0 appear */
	ENGINE_PRECISION_FLOAT32, /* IEEE single arithmetic */
	ENGINE_PRECISION_COUNT
} EnginePrecision;

typedef enum {
	ENGINE_INPUT_ONES,   /* x = ones(n) */
	ENGINE_INPUT_RANDOM, /* x ~ N(0, I), seeded */
	ENGINE_INPUT_COUNT
} EngineInput;

/* Accepted ranges, shared by the CLI, the loaders and the view. */
#define ENGINE_LAMBDA_MIN 0.0
#define ENGINE_LAMBDA_MAX 100.0
#define ENGINE_DEPTH_MIN 1
#define ENGINE_DEPTH_MAX 100000
#define ENGINE_WIDTH_MIN 1
#define ENGINE_WIDTH_MAX 4096

typedef struct {
	double lambda;
	int depth;
	int width;
	EngineInit init;
	EngineAct act;
	EnginePrecision precision;
	EngineInput input;
	uint64_t seed;
} EngineConfig;

/* The default scenario: the lesson's exploding case (identity, linear,
 * lambda 1.5, depth 150, width 2), exact precision, input ones, seed 1. */
void engine_config_default(EngineConfig *cfg);

/* 0 if every field is in range, else -1 with a one-line reason in err. */
int engine_config_validate(const EngineConfig *cfg, char *err, size_t errlen);

/* Mode names ("identity", "tanh", "float32", "random", ...) and their
 * inverse: *_parse returns 0 and sets *out on a known name, -1 otherwise.
 * engine_*_names returns the accepted names joined by '|', for messages. */
const char *engine_init_name(EngineInit v);
const char *engine_act_name(EngineAct v);
const char *engine_precision_name(EnginePrecision v);
const char *engine_input_name(EngineInput v);
int engine_init_parse(const char *s, EngineInit *out);
int engine_act_parse(const char *s, EngineAct *out);
int engine_precision_parse(const char *s, EnginePrecision *out);
int engine_input_parse(const char *s, EngineInput *out);
const char *engine_init_names(void);
const char *engine_act_names(void);
const char *engine_precision_names(void);
const char *engine_input_names(void);

/*
 * Per-layer magnitudes for l = 0..depth (arrays of depth + 1):
 *   activation_rms[l]      = |a[l]| / sqrt(n)
 *   gradient_rms[l]        = |g[l]| / sqrt(n)
 *   weight_gradient_rms[l] = RMS over the n^2 entries of dL/dW[l]
 *                          = (phi'(z[l]) * g[l]) a[l-1]^T, for l >= 1;
 *                            index 0 holds a nan that means "no weights".
 * In exact precision no value is inf or nan, and a value is 0 only when
 * the quantity is exactly 0.
 */
typedef struct {
	int depth;
	XMag *activation_rms;
	XMag *gradient_rms;
	XMag *weight_gradient_rms;
} EngineResult;

/* The regime a result is in, by the first-layer gradient g0 =
 * gradient_rms[0], the quantity training depends on: above 10 (or inf)
 * exploding, below 0.1 (or 0) vanishing, nan where float arithmetic broke
 * down, else near-critical. The view and the SVG both word it from here. */
typedef enum {
	ENGINE_REGIME_EXPLODING,
	ENGINE_REGIME_VANISHING,
	ENGINE_REGIME_CRITICAL,
	ENGINE_REGIME_NAN
} EngineRegime;

EngineRegime engine_regime(const EngineResult *res);

/* "exploding", "vanishing", "near-critical" or "nan". */
const char *engine_regime_name(EngineRegime r);

typedef struct Engine Engine;

/* A new engine, or NULL when out of memory. */
Engine *engine_new(void);
void engine_free(Engine *eng);

/* Caps the bytes of per-layer vectors kept for the backward pass (default
 * 32 MiB). Past the cap the backward pass recomputes segments of the
 * forward pass from checkpoints: the same numbers, more time. Takes effect
 * at the next engine_compute. */
void engine_set_state_budget(Engine *eng, size_t bytes);

/* A long compute calls poll(ctx) between layers, at most about every
 * millisecond of work; when it returns nonzero the compute stops and
 * engine_compute returns ENGINE_INTERRUPTED (err says "interrupted").
 * NULL (the default) never interrupts. */
void engine_set_poll(Engine *eng, int (*poll)(void *ctx), void *ctx);
enum { ENGINE_INTERRUPTED = -2 };

/*
 * Runs the forward and backward pass for cfg and points *out at the
 * engine's result arrays, valid until the next engine_compute or
 * engine_free. Returns 0, or -1 with a reason in err (invalid config, out
 * of memory), or ENGINE_INTERRUPTED. On failure *out is left unchanged,
 * but the arrays it pointed to may have been freed or partly overwritten:
 * compute again (for example the last good configuration) before reading
 * them. An interrupted engine is as good as new for the next compute.
 */
int engine_compute(Engine *eng, const EngineConfig *cfg, EngineResult *out,
    char *err, size_t errlen);

#endif
