/*
 * engine_impl: INTERNAL to the engine (src/engine*.c) and its tests; no
 * other module includes it. What the engine's files share: the Engine
 * itself, the draws' statistics, the build's vector attributes and the
 * functions one file defines for another. The contract is engine.h's.
 *
 *   engine.c          names, configuration, buffers
 *   engine_vec.c      vector kernels: sums of squares, rms, dot products
 *   engine_draw.c     the draw cache
 *   engine_act.c      the activations' vector kernels (exact and float)
 *   engine_weights.c  the sampler: W a and W^T e for random weights
 *   engine_block.c    the norms and the residual sum (residual and
 *                     normalized blocks)
 *   engine_pass.c     the forward and backward passes, engine_compute
 */
#ifndef GRADSCOPE_ENGINE_IMPL_H
#define GRADSCOPE_ENGINE_IMPL_H

#include <float.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "xmag.h"

/*
 * The hottest loops (the activation kernels and the per-layer sums and
 * dot products): with GCC on x86-64 they are also built for AVX2 (twice
 * the lanes of the SSE2 baseline) and the loader picks one at run time.
 * ISO C mode keeps floating-point contraction off and AVX2 implies no
 * FMA, so both builds do the same IEEE operations and give bit-identical
 * numbers on every machine.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define ENGINE_HOT __attribute__((target_clones("avx2", "default")))
#define ENGINE_INLINE __attribute__((always_inline))
#else
#define ENGINE_HOT
#define ENGINE_INLINE
#endif

/* Units of work between two calls of the poll, a unit being one entry
 * of a layer in an exact pass (about 5 ns): about a third of a
 * millisecond, so an interrupt is seen well within the millisecond the
 * contract promises, at the cost of an add and a compare per layer.
 * Measured on x86-64, per entry of width: float passes (libm calls) cost
 * 3 units, a layer's pair of fresh draws 8, and every layer 32 more for
 * its scalar work, which is what counts at width 1. */
#define ENGINE_POLL_WORK ((size_t)1 << 16)
#define ENGINE_FLOAT_WORK 3
#define ENGINE_DRAW_WORK 8
#define ENGINE_LAYER_WORK 32

/*
 * GCC does not vectorise loops that mix float draws with double vectors
 * and carry more than one sum, and those are the backward step's. With
 * GCC's vector extensions (clang has them too) they are written for four
 * lanes explicitly: lane k sums entries k, k + 4, ..., as the plain loops
 * do, so the numbers are the same with or without.
 */
#if defined(__GNUC__)
#define ENGINE_LANES 1
typedef double Lanes __attribute__((vector_size(4 * sizeof(double))));
typedef float LanesF __attribute__((vector_size(4 * sizeof(float))));
#else
#define ENGINE_LANES 0
#endif

/* Default bytes of per-layer vectors (a and phi') kept for the backward
 * pass: depth 1000 x width 1024 fits in one segment. */
#define ENGINE_STATE_BUDGET ((size_t)32 << 20)
/* Random draws cached per stream, in floats; past this they are drawn
 * again on each compute (same numbers, more time). */
#define ENGINE_DRAW_CACHE_MAX ((size_t)4 << 20)

struct Engine {
	/* Shape the buffers were sized for: nvec vectors of width per
	 * layer kept for the backward pass (a, phi', and with a norm its
	 * output y). */
	int depth, width, nvec;
	size_t budget;      /* bytes for per-layer vectors */
	size_t budget_used; /* the budget the buffers were sized with */
	size_t seg;         /* layers per segment */
	int nchk;           /* checkpoints (segments) */

	/* Draw cache: xi and eta for layers 1..cached of (seed, width), and
	 * their sums of squares per layer. */
	float *xi, *eta;
	struct LayerStats *stats;
	int cached;          /* layers held */
	size_t cache_cap;    /* floats each cache array can hold */
	size_t cache_layers; /* layers the stats array can hold */
	uint64_t cache_seed;
	int cache_width;
	float *xi_tmp, *eta_tmp; /* one layer each, when not cached */
	float *b_tmp; /* one layer's bias draws, or the upstream vector */
	/* Bias cache: b[l] / S for layers 1..bcached of (seed, width). */
	float *bcache;
	size_t bcache_cap; /* floats the array can hold */
	int bcached;
	uint64_t bcache_seed;
	int bcache_width;

	/* Per layer, l = 0..depth. Exact precision keeps each vector as a
	 * direction of any size and its true rms as an XMag:
	 * a[l] = a_scale[l] * u / a_rms[l] with u the stored vector and
	 * a_rms[l] = rms(u); phi'(z[l]) = d_scale[l] * d. Not normalising
	 * the stored vectors saves a pass over each. */
	XMag *a_scale;
	double *a_rms;
	XMag *d_scale;
	unsigned char *a_flags; /* float: VEC_INF | VEC_NAN | VEC_ZERO */
	double *chk;            /* a[k * seg], k = 0..nchk-1 */

	/* The segment being worked on: a[base..base+seg], d[base+1..],
	 * and with a norm y[base+1..]: layer l's normalized vector (plain:
	 * N(z[l]); residual: N(a[l-1]), what W[l] multiplies), its true
	 * value n_coef[l] * y (exact; the stored y has rms 1 or is 0) and
	 * the norm's sqrt(var + eps) n_sigma[l] (float: the value). */
	double *seg_a, *seg_d, *seg_y;
	XMag *n_coef, *n_sigma;
	double *n_yy; /* exact: |y|^2 of the stored y */
	int seg_base; /* first layer of seg_a, or -1 */

	/* Work vectors of width n. */
	double *z, *e, *g, *dir, *tmp;

	/* Results, depth + 1 each. */
	XMag *act, *grad, *wgrad;

	/* engine_set_poll's callback, and the work done since its last
	 * call. */
	int (*poll)(void *ctx);
	void *poll_ctx;
	size_t poll_work;
};

enum { VEC_INF = 1, VEC_NAN = 2, VEC_ZERO = 4 };

/* What the passes need to know of a layer's draws, kept beside them. */
struct LayerStats {
	double xi_ss, eta_ss; /* sums of squares */
	double xi_lo, xi_hi;  /* min and max |xi[i]| */
};

/* Layer l's draws: from the cache, or drawn again into the engine's
 * one-layer buffers (the same numbers either way). The forward pass needs
 * only xi: past the cache, eta (and its sum of squares) is drawn only
 * with_eta, which saves a third of the draws a deep, wide network makes
 * on each compute. */
typedef struct {
	const float *xi, *eta;
	struct LayerStats st;
} LayerDraws;

/* Counts work elements done; every ENGINE_POLL_WORK of them asks the
 * poll. Nonzero: the caller abandons the compute. */
static inline int engine_tick(Engine *eng, size_t work)
{
	eng->poll_work += work;
	if (eng->poll_work < ENGINE_POLL_WORK)
		return 0;
	eng->poll_work = 0;
	return eng->poll != NULL && eng->poll(eng->poll_ctx) != 0;
}

/* The true sign of x r1 + y r2 (r1, r2 > 0 magnitudes, x, y doubles)
 * whose double form rounded to 0: the larger term's, as an XMag compares
 * them, given as the smallest subnormal of that sign; 0 only for an exact
 * tie. Biases (engine_pass.c) and residual sums (engine_block.c) keep a
 * true sign this way. */
static inline double engine_tiny_sign(double x, XMag r1, double y, XMag r2)
{
	XMag p = xmag_mul(xmag_from_double(x), r1);
	XMag q = xmag_mul(xmag_from_double(y), r2);
	int c = xmag_cmp(p, q);

	if (c == 0)
		return 0;
	return copysign(DBL_TRUE_MIN, c > 0 ? x : y);
}

/*
 * x rounded to nearest, ties to even, in a binary format with a p-bit
 * significand (implicit bit included), smallest normal exponent emin and
 * largest finite value max; subnormals kept, overflow to inf, nan and
 * inf passed through. Done on the double's bits: a normal result drops
 * the low 53 - p bits (a carry moves the exponent, as it should); below
 * 2^emin, adding and removing c = 2^(emin - p + 53), whose ulp is the
 * format's smallest subnormal, rounds in the FPU's default mode (to
 * nearest even; ISO C forbids folding (x + c) - c without fast-math).
 */
static inline double prec_round_fmt(double x, int p, int emin, double max)
{
	uint64_t u, s = 53 - (uint64_t)p, half = (uint64_t)1 << (s - 1);
	double ax = x < 0 ? -x : x, c, r;

	if (!(ax >= ldexp(1, emin))) {
		if (ax != ax)
			return x;
		c = ldexp(1, emin - p + 53);
		r = x < 0 ? (x - c) + c : (x + c) - c;
		return r == 0 ? copysign(0, x) : r;
	}
	if (ax > max * 2)
		return x < 0 ? -HUGE_VAL : HUGE_VAL;
	memcpy(&u, &x, sizeof u);
	u += half - 1 + ((u >> s) & 1);
	u &= ~((half << 1) - 1);
	memcpy(&r, &u, sizeof r);
	if (r > max || r < -max)
		return x < 0 ? -HUGE_VAL : HUGE_VAL;
	return r;
}

/* IEEE binary16: 11-bit significand, normals from 2^-14, largest 65504,
 * smallest subnormal 2^-24. */
static inline double prec_round_f16(double x)
{
	return prec_round_fmt(x, 11, -14, 65504.0);
}

/* bfloat16: 8-bit significand, float32's exponent range (normals from
 * 2^-126, largest (2 - 2^-7) 2^127, smallest subnormal 2^-133). */
static inline double prec_round_bf16(double x)
{
	return prec_round_fmt(x, 8, -126, 0x1.fep127);
}

/* x rounded to the precision's format (exact and float64: x itself).
 * float32 first and the 16-bit formats out of line: the float32 loops
 * stay as small (and as vectorisable) as they were. */
double prec_round_half(double x, EnginePrecision p);
static inline double prec_round(double x, EnginePrecision p)
{
	if (p == ENGINE_PRECISION_FLOAT32)
		return (double)(float)x;
	if (p == ENGINE_PRECISION_FLOAT16 || p == ENGINE_PRECISION_BFLOAT16)
		return prec_round_half(x, p);
	return x;
}

/* v[i] = xi[i] k: the direction of W a for random weights. */
static inline void draws_scaled(const float *xi, double k, int n, double *v)
{
	int i;

	for (i = 0; i < n; i++)
		v[i] = xi[i] * k;
}

/* ---------------------------------------------------------------------- */
/* engine_vec.c                                                           */
/* ---------------------------------------------------------------------- */

/* Each sum in a fixed order (reproducible numbers); see engine_vec.c. */
double vec_sumsq(const double *x, int n);
/* rms(x) from its sum of squares ss; flags: see engine_vec.c. */
double vec_rms_ss(const double *x, int n, double ss, unsigned *flags);
/* rms(x) without overflow or underflow of its own; with flags, also the
 * specials present (VEC_INF, VEC_NAN, VEC_ZERO). Inline: it is called
 * several times a layer, which at width 1 is what a layer costs. */
static inline double vec_rms(const double *x, int n, unsigned *flags)
{
	return vec_rms_ss(x, n, vec_sumsq(x, n), flags);
}
/* x /= rms(x), returning that rms (0: x is zero and left so). */
XMag vec_normalize(double *x, int n);
/* x . xi and y . eta in one pass. */
void vec_dot2(const double *x, const float *xi, const double *y,
    const float *eta, int n, double *x_xi, double *y_eta);
/* e = d * g, returning rms(e). */
double vec_mul_rms(const double *d, const double *g, int n, double *e);
/* vec_mul_rms and vec_dot2(e, xi, a, eta) in one pass. */
double vec_mul_dots(const double *d, const double *g, const double *a,
    const float *xi, const float *eta, int n, double *e, double *e_xi,
    double *a_eta);

/* ---------------------------------------------------------------------- */
/* engine.c                                                               */
/* ---------------------------------------------------------------------- */

/* Frees the buffers sized for (depth, width); engine_shape sizes them,
 * keeping them when unchanged: 0, or -1 out of memory (none kept). */
void engine_free_shape(Engine *eng);
int engine_shape(Engine *eng, int depth, int width, int nvec);

/* ---------------------------------------------------------------------- */
/* engine_draw.c                                                          */
/* ---------------------------------------------------------------------- */

/* Drops the draw cache; engine_cache fills it for (seed, width) up to the
 * depth within its budget (nonzero: the poll interrupted); engine_draws
 * gives layer l's draws, cached or drawn again. */
void engine_free_cache(Engine *eng);
int engine_cache(Engine *eng, uint64_t seed, int depth, int width);
LayerDraws engine_draws(Engine *eng, uint64_t seed, int l, int with_eta);

/* ---------------------------------------------------------------------- */
/* engine_act.c                                                           */
/* ---------------------------------------------------------------------- */

/*
 * Exact precision: z = s_z v, with v = xi k for random weights, or held
 * in a on entry when xi is NULL; [vmin, vmax] is the range of |v|, or nan
 * when unknown. On return a holds phi(z) up to a factor, *r_a = rms(a)
 * and the result is the true rms of phi(z). phi'(z) is *s_d times d; d
 * is left untouched for linear (it is all ones).
 */
XMag engine_phi_exact(EngineAct act, XMag s_z, const float *xi, double k,
    double *a, double vmin, double vmax, int n, double *d, XMag *s_d,
    double *r_a);

/* Float precisions: a = phi(z), d = phi'(z) on actual values, rounded as
 * the hardware would round them. */
void engine_phi_float(EngineAct act, EnginePrecision p, const double *z, int n,
    double *a, double *d);

/* ---------------------------------------------------------------------- */
/* engine_weights.c                                                       */
/* ---------------------------------------------------------------------- */

/* k with W[l] a = lambda rms(a) xi k for random weights; W[l]^T e /
 * lambda into g given the forward product (engine_weights.c says how). */
double weights_forward_scale(const EngineConfig *cfg, const LayerDraws *dr,
    int n);
void weights_backward(const EngineConfig *cfg, const double *a, double ra,
    const double *e, double re, double xe, double an, const LayerDraws *dr,
    int n, double *p, double *g);

/* ---------------------------------------------------------------------- */
/* engine_block.c                                                         */
/* ---------------------------------------------------------------------- */

/* a + b for non-negative magnitudes of any size. */
XMag block_xmag_add(XMag a, XMag b);

/* Exact: y = N(c x) (y apart from x), returned as a
 * coefficient times y with rms(y) = 1 (or y = 0 and coefficient 0: a
 * constant vector under layer norm, a zero one under either); *sigma is
 * the true sqrt(var + eps), eps added at the true scale. */
XMag block_norm_exact(EngineNorm norm, const double *x, XMag c, int n,
    double *y, XMag *sigma);

/* e = sigma (dN/dv)^T e (the caller divides by sigma): e - mean(e)
 * (layer) - y_true mean(y_true e). Exact: y is the stored output, yy
 * its |y|^2, y_true a multiple of it with |y_true|^2 / n = 1 - keep,
 * keep = eps / sigma^2; float: y is y_true itself, yy = n, keep = 0. */
void block_norm_back(EngineNorm norm, const double *y, double yy, double keep,
    double *e, int n);

/* Float formats: y = N(x) as the format computes it (statistics in
 * float32 for the 16-bit formats, as their hardware keeps them; y
 * rounded to the format); returns sigma. */
double block_norm_float(EngineNorm norm, EnginePrecision p, const double *x,
    int n, double *y);

/* Exact: out = (cx x + cy y) / s (out apart from x and y), returning s,
 * the larger term's bound sqrt(n) c rms (rx, ry: rms(x), rms(y)), so
 * nothing overflows; an entry whose two shares both round to 0 keeps
 * its true sign at the smallest subnormal. */
XMag block_add_exact(double *out, const double *x, XMag cx, double rx,
    const double *y, XMag cy, double ry, int n);

#endif
