/*
 * engine: signal propagation through a deep network, layer by layer.
 *
 * Configuration in, per-layer magnitudes out. The model: L layers of width
 * n, z[l] = W[l] a[l-1] + b[l], a[l] = phi(z[l]), a[0] = x (ones, or a
 * seeded standard normal vector), b[l] iid N(0, S^2) fixed per (seed,
 * layer) (S = bias_std; 0: no biases); with --arch and --norm the
 * blocks of ENGINE_ARCHS and ENGINE_NORMS below instead (the same z, a
 * norm N around it, a residual sum a[l-1] + alpha phi). Backward from
 * the upstream gradient g[L] (random: u / rms(u) with u a seeded
 * standard normal vector, the direction a random readout layer sends
 * back; ones: ones(n)):
 * g[l-1] = W[l]^T (phi'(z[l]) * g[l]), with the same weights as the
 * forward pass (through the norm's Jacobian, plus g[l] itself in a
 * residual block). The input, the biases, the upstream vector and the
 * weights' draws are each on their own random stream.
 *
 * Random weights are never built as matrices. For one input vector the
 * engine samples exactly what the network computes (see engine.c): the
 * forward product W a from its distribution given a, and the backward
 * product W^T e from the distribution of W given that forward product. The
 * random draws are fixed per (seed, layer), so moving lambda moves the
 * numbers smoothly and the same seed gives the same numbers everywhere.
 *
 * Pure C: no I/O, no curses, no JSON. Memory is allocated by engine_new and
 * by engine_compute when the depth or width change or random weights or
 * biases are first asked for, never on a change of lambda, activation,
 * precision or seed (a new seed redraws the cached random draws in
 * place). What it keeps is bounded: 32 MiB of per-layer state
 * (engine_set_state_budget), 32 MiB of cached weight draws and 16 MiB of
 * cached biases; past those the same numbers cost more time.
 */
#ifndef GRADSCOPE_ENGINE_H
#define GRADSCOPE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "xmag.h"

/*
 * The modes, one row each, in the order of their enums (which cycling in
 * the view and every output follow): X(ENUM, name, ...) gives
 * ENGINE_<KIND>_<ENUM> and the name the CLI, presets and outputs use.
 */
#define ENGINE_INITS(X) \
	X(IDENTITY, identity)     /* W = lambda * I (the lesson's case) */ \
	X(GAUSSIAN, gaussian)     /* iid N(0, lambda^2 / n) */ \
	X(ORTHOGONAL, orthogonal) /* W = lambda * Q, Q Haar-random orthogonal */

/*
 * The activations: X(ENUM, name, homogeneous, bounded, odd), the
 * properties the code branches on: phi(c x) = c phi(x) for c > 0 (the
 * scale of z passes through phi), |phi| <= 1, phi(-x) = -phi(x). A row's
 * name also names its meaning, which a new row writes (the compiler lists
 * what is missing):
 *   act.c         act_<name>_phi, act_<name>_log_deriv: scalar phi, phi',
 *                 log phi' (include/act.h);
 *   engine_act.c  exact_<name>, float_<name>: the engine's vector kernels;
 *   theory.c      random_<name>, identity_<name>: the mean-field maps.
 */
#define ENGINE_ACTS(X) \
	X(LINEAR, linear, 1, 0, 1) \
	X(TANH, tanh, 0, 1, 1) \
	X(RELU, relu, 1, 0, 0) \
	X(SIGMOID, sigmoid, 0, 1, 0)

#define ENGINE_PRECISIONS(X) \
	X(EXACT, exact)       /* right magnitudes over any range */ \
	X(FLOAT64, float64)   /* IEEE double arithmetic: inf, nan, 0 appear */ \
	X(FLOAT32, float32)   /* IEEE single arithmetic */ \
	X(FLOAT16, float16)   /* IEEE binary16: largest 65504, float32 sums */ \
	X(BFLOAT16, bfloat16) /* float32's range, 8-bit significand */

#define ENGINE_INPUTS(X) \
	X(ONES, ones)     /* x = ones(n) */ \
	X(RANDOM, random) /* x ~ N(0, I), seeded */

/* The gradient the backward pass starts from, g[L]. */
#define ENGINE_UPSTREAMS(X) \
	X(RANDOM, random) /* u / rms(u), u ~ N(0, I) seeded: a readout's */ \
	X(ONES, ones)     /* ones(n) (the lesson's toy) */

/* The block a layer is (N: the normalization below, the identity for
 * none; alpha: the branch scale):
 *   plain     a[l] = phi(N(W[l] a[l-1] + b[l]))
 *   residual  a[l] = a[l-1] + alpha phi(W[l] N(a[l-1]) + b[l]) */
#define ENGINE_ARCHS(X) \
	X(PLAIN, plain)       /* linear -> norm -> activation */ \
	X(RESIDUAL, residual) /* pre-norm residual block */

/* N(v), eps = ENGINE_NORM_EPS, no learned scale or shift. */
#define ENGINE_NORMS(X) \
	X(NONE, none)   /* N(v) = v */ \
	X(LAYER, layer) /* (v - mean v) / sqrt(var v + eps) */ \
	X(RMS, rms)     /* v / sqrt(mean v^2 + eps) */

#define ENGINE_INIT_ENUM(e, ...) ENGINE_INIT_##e,
#define ENGINE_ARCH_ENUM(e, ...) ENGINE_ARCH_##e,
#define ENGINE_NORM_ENUM(e, ...) ENGINE_NORM_##e,
#define ENGINE_ACT_ENUM(e, ...) ENGINE_ACT_##e,
#define ENGINE_PRECISION_ENUM(e, ...) ENGINE_PRECISION_##e,
#define ENGINE_INPUT_ENUM(e, ...) ENGINE_INPUT_##e,
#define ENGINE_UPSTREAM_ENUM(e, ...) ENGINE_UPSTREAM_##e,
typedef enum { ENGINE_INITS(ENGINE_INIT_ENUM) ENGINE_INIT_COUNT } EngineInit;
typedef enum { ENGINE_ACTS(ENGINE_ACT_ENUM) ENGINE_ACT_COUNT } EngineAct;
typedef enum {
	ENGINE_PRECISIONS(ENGINE_PRECISION_ENUM) ENGINE_PRECISION_COUNT
} EnginePrecision;
typedef enum {
	ENGINE_INPUTS(ENGINE_INPUT_ENUM) ENGINE_INPUT_COUNT
} EngineInput;
#undef ENGINE_INIT_ENUM
#undef ENGINE_ACT_ENUM
#undef ENGINE_PRECISION_ENUM
typedef enum {
	ENGINE_UPSTREAMS(ENGINE_UPSTREAM_ENUM) ENGINE_UPSTREAM_COUNT
} EngineUpstream;
typedef enum { ENGINE_ARCHS(ENGINE_ARCH_ENUM) ENGINE_ARCH_COUNT } EngineArch;
typedef enum { ENGINE_NORMS(ENGINE_NORM_ENUM) ENGINE_NORM_COUNT } EngineNorm;
#undef ENGINE_INPUT_ENUM
#undef ENGINE_UPSTREAM_ENUM
#undef ENGINE_ARCH_ENUM
#undef ENGINE_NORM_ENUM

/* Accepted ranges, shared by the CLI, the loaders and the view. */
#define ENGINE_LAMBDA_MIN 0.0
#define ENGINE_LAMBDA_MAX 100.0
#define ENGINE_DEPTH_MIN 1
#define ENGINE_DEPTH_MAX 100000
#define ENGINE_WIDTH_MIN 1
#define ENGINE_WIDTH_MAX 4096
#define ENGINE_BIAS_STD_MIN 0.0
#define ENGINE_BIAS_STD_MAX 10.0
#define ENGINE_BRANCH_SCALE_MIN 0.0
#define ENGINE_BRANCH_SCALE_MAX 10.0
/* branch_scale's value for the literal "1/sqrt(L)": alpha follows the
 * depth (engine_branch_alpha). Outside the numeric range on purpose. */
#define ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH (-1.0)
#define ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH_NAME "1/sqrt(L)"
/* The normalizations' epsilon (PyTorch's LayerNorm default). */
#define ENGINE_NORM_EPS 1e-5

typedef struct {
	double lambda;
	int depth;
	int width;
	EngineInit init;
	EngineAct act;
	EnginePrecision precision;
	EngineInput input;
	uint64_t seed;
	EngineUpstream upstream;
	double bias_std; /* S: b[l] has iid N(0, S^2) entries */
	EngineArch arch;
	EngineNorm norm;
	/* alpha in [0, 10], or ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH; read
	 * only by residual blocks. */
	double branch_scale;
} EngineConfig;

/* The residual branch's alpha: branch_scale, or 1/sqrt(depth) for the
 * literal. */
double engine_branch_alpha(const EngineConfig *cfg);

/* The default scenario: the lesson's exploding case (identity, linear,
 * lambda 1.5, depth 150, width 2), exact precision, input ones, seed 1,
 * upstream random, no biases, plain blocks, no norm, branch scale 1. */
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
const char *engine_upstream_name(EngineUpstream v);
const char *engine_arch_name(EngineArch v);
const char *engine_norm_name(EngineNorm v);
int engine_init_parse(const char *s, EngineInit *out);
int engine_act_parse(const char *s, EngineAct *out);
int engine_precision_parse(const char *s, EnginePrecision *out);
int engine_input_parse(const char *s, EngineInput *out);
int engine_upstream_parse(const char *s, EngineUpstream *out);
int engine_arch_parse(const char *s, EngineArch *out);
int engine_norm_parse(const char *s, EngineNorm *out);
const char *engine_init_names(void);
const char *engine_act_names(void);
const char *engine_precision_names(void);
const char *engine_input_names(void);
const char *engine_upstream_names(void);
const char *engine_arch_names(void);
const char *engine_norm_names(void);

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
