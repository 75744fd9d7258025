/*
 * engine: signal propagation through a deep network, layer by layer.
 * See include/engine.h for the contract. This file owns the model, the
 * sampler that stands in for explicit random matrices, and the two ways of
 * doing the arithmetic (exact: scale + direction; float: IEEE values).
 *
 * The sampler, for one input vector, is exact in distribution:
 *
 *   gaussian   W has iid N(0, lambda^2/n) entries. Given a, W a is
 *              N(0, lambda^2 |a|^2/n I): z = lambda rms(a) xi with xi a
 *              fixed standard normal draw per (seed, layer). Given W a = z,
 *              W = z a^T/|a|^2 + W' (I - a a^T/|a|^2) with W' an independent
 *              copy of W, so W^T e = a (z.e)/|a|^2 + (I - ahat ahat^T) h
 *              with h ~ N(0, lambda^2 |e|^2/n I): h = lambda rms(e) eta.
 *   orthogonal W = lambda Q, Q Haar. Q ahat is uniform on the sphere:
 *              uhat = xi/|xi|. Given Q ahat = uhat, Q = uhat ahat^T + R with
 *              R a Haar isometry from ahat's complement to uhat's, so
 *              Q^T e = ahat (uhat.e) + |e_perp| phat, phat = the unit
 *              projection of eta off ahat.
 *
 * Each W[l] is touched by exactly one forward and one backward product,
 * and e[l] depends only on later layers' weights, so conditioning once per
 * layer gives the joint distribution of every reported number.
 *
 * Memory: the backward pass needs a[l-1] and phi'(z[l]) of every layer.
 * They are kept for a segment of layers at a time within a fixed budget;
 * the forward pass saves a checkpoint at each segment start, and the
 * backward pass recomputes a segment from its checkpoint when it gets
 * there. With the default budget depth 1000 x width 1024 is one segment.
 */
#include "engine.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

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

/* tanh, sigmoid: below this |z| the activation is linear to double
 * precision (tanh z = z (1 - z^2/3 ...), z^2/3 < 2^-55). */
#define ENGINE_LINEAR_BELOW 0x1p-27
/* Past this exponent argument the derivatives are scaled out as an XMag
 * so they do not underflow (exp(-700) is near DBL_MIN). */
#define ENGINE_EXP_SAFE 600.0

struct Engine {
	/* Shape the buffers were sized for. */
	int depth, width;
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

	/* The segment being worked on: a[base..base+seg], d[base+1..]. */
	double *seg_a, *seg_d;
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

/* ---------------------------------------------------------------------- */
/* Names and configuration                                                */
/* ---------------------------------------------------------------------- */

static const char *const init_names[] = {"identity", "gaussian", "orthogonal"};
static const char *const act_names[] = {"linear", "tanh", "relu", "sigmoid"};
static const char *const precision_names[] = {"exact", "float64", "float32"};
static const char *const input_names[] = {"ones", "random"};

static int name_lookup(const char *const *names, int count, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < count; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *engine_init_name(EngineInit v)
{
	return (unsigned)v < ENGINE_INIT_COUNT ? init_names[v] : "?";
}

const char *engine_act_name(EngineAct v)
{
	return (unsigned)v < ENGINE_ACT_COUNT ? act_names[v] : "?";
}

const char *engine_precision_name(EnginePrecision v)
{
	return (unsigned)v < ENGINE_PRECISION_COUNT ? precision_names[v] : "?";
}

const char *engine_input_name(EngineInput v)
{
	return (unsigned)v < ENGINE_INPUT_COUNT ? input_names[v] : "?";
}

int engine_init_parse(const char *s, EngineInit *out)
{
	int i = name_lookup(init_names, ENGINE_INIT_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineInit)i;
	return 0;
}

int engine_act_parse(const char *s, EngineAct *out)
{
	int i = name_lookup(act_names, ENGINE_ACT_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineAct)i;
	return 0;
}

int engine_precision_parse(const char *s, EnginePrecision *out)
{
	int i = name_lookup(precision_names, ENGINE_PRECISION_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EnginePrecision)i;
	return 0;
}

int engine_input_parse(const char *s, EngineInput *out)
{
	int i = name_lookup(input_names, ENGINE_INPUT_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineInput)i;
	return 0;
}

const char *engine_init_names(void)
{
	return "identity|gaussian|orthogonal";
}

const char *engine_act_names(void)
{
	return "linear|tanh|relu|sigmoid";
}

const char *engine_precision_names(void)
{
	return "exact|float64|float32";
}

const char *engine_input_names(void)
{
	return "ones|random";
}

EngineRegime engine_regime(const EngineResult *res)
{
	XMag g0 = res->gradient_rms[0];
	double lg;

	if (xmag_is_nan(g0))
		return ENGINE_REGIME_NAN;
	lg = xmag_log10(g0); /* inf for inf, -inf for 0 */
	if (lg > 1)
		return ENGINE_REGIME_EXPLODING;
	if (lg < -1)
		return ENGINE_REGIME_VANISHING;
	return ENGINE_REGIME_CRITICAL;
}

const char *engine_regime_name(EngineRegime r)
{
	static const char *const names[] = {"exploding", "vanishing",
	    "near-critical", "nan"};

	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

void engine_config_default(EngineConfig *cfg)
{
	cfg->lambda = 1.5;
	cfg->depth = 150;
	cfg->width = 2;
	cfg->init = ENGINE_INIT_IDENTITY;
	cfg->act = ENGINE_ACT_LINEAR;
	cfg->precision = ENGINE_PRECISION_EXACT;
	cfg->input = ENGINE_INPUT_ONES;
	cfg->seed = 1;
}

int engine_config_validate(const EngineConfig *cfg, char *err, size_t errlen)
{
	if (!(cfg->lambda >= ENGINE_LAMBDA_MIN &&
	        cfg->lambda <= ENGINE_LAMBDA_MAX)) {
		snprintf(err, errlen,
		    "lambda %g is out of range; accepted: "
		    "%g to %g",
		    cfg->lambda, ENGINE_LAMBDA_MIN, ENGINE_LAMBDA_MAX);
		return -1;
	}
	if (cfg->depth < ENGINE_DEPTH_MIN || cfg->depth > ENGINE_DEPTH_MAX) {
		snprintf(err, errlen,
		    "depth %d is out of range; accepted: "
		    "%d to %d",
		    cfg->depth, ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX);
		return -1;
	}
	if (cfg->width < ENGINE_WIDTH_MIN || cfg->width > ENGINE_WIDTH_MAX) {
		snprintf(err, errlen,
		    "width %d is out of range; accepted: "
		    "%d to %d",
		    cfg->width, ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX);
		return -1;
	}
	if ((unsigned)cfg->init >= ENGINE_INIT_COUNT ||
	    (unsigned)cfg->act >= ENGINE_ACT_COUNT ||
	    (unsigned)cfg->precision >= ENGINE_PRECISION_COUNT ||
	    (unsigned)cfg->input >= ENGINE_INPUT_COUNT) {
		snprintf(err, errlen,
		    "unknown init, activation, precision or "
		    "input mode");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Vectors                                                                */
/* ---------------------------------------------------------------------- */

/* Sums of squares and dot products with several accumulators: the order
 * is fixed (so results are reproducible) and the chains run in parallel.
 * vec_sumsq, called twice a layer on vectors already in the L1 cache, is
 * bound by the latency of its additions: sixteen lanes (four vectors of
 * four) keep four chains going. */
ENGINE_HOT static double vec_sumsq(const double *x, int n)
{
	double s[16] = {0};
	int i, k;

	for (i = 0; i + 16 <= n; i += 16)
		for (k = 0; k < 16; k++)
			s[k] += x[i + k] * x[i + k];
	for (; i < n; i++)
		s[i % 16] += x[i] * x[i];
	for (k = 0; k < 4; k++)
		s[k] = (s[k] + s[k + 4]) + (s[k + 8] + s[k + 12]);
	return (s[0] + s[1]) + (s[2] + s[3]);
}

/*
 * rms(x) without overflow or underflow of its own: the plain sum of
 * squares when it is safely in range, else again scaled by max |x|. With
 * flags, also reports the specials present (any inf, nan, exact zero).
 * vec_rms_ss is given the sum of squares (vec_sumsq's, or the same sum
 * made in another pass).
 */
static double vec_rms_ss(const double *x, int n, double ss, unsigned *flags)
{
	double amax = 0, ax, t;
	unsigned f = 0;
	int i;

	if (flags == NULL && ss > 0x1p-900 && ss < 0x1p900)
		return sqrt(ss / n);
	for (i = 0; i < n; i++) {
		ax = fabs(x[i]);
		if (ax > amax)
			amax = ax;
		else if (ax != ax)
			f |= VEC_NAN;
		if (ax == 0)
			f |= VEC_ZERO;
	}
	if (isinf(amax))
		f |= VEC_INF;
	if (flags != NULL)
		*flags = f;
	if (f & VEC_NAN)
		return NAN;
	if (f & VEC_INF)
		return INFINITY;
	if (amax == 0)
		return 0;
	if (ss > 0x1p-900 && ss < 0x1p900)
		return sqrt(ss / n);
	ss = 0;
	for (i = 0; i < n; i++) {
		t = x[i] / amax;
		ss += t * t;
	}
	return amax * sqrt(ss / n);
}

static double vec_rms(const double *x, int n, unsigned *flags)
{
	return vec_rms_ss(x, n, vec_sumsq(x, n), flags);
}

/* min and max of |x[i]|. */
ENGINE_HOT static void vec_absrange(const double *x, int n, double *lo,
    double *hi)
{
	double mn[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
	double mx[4] = {0, 0, 0, 0}, ax;
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			ax = fabs(x[i + k]);
			mn[k] = ax < mn[k] ? ax : mn[k];
			mx[k] = ax > mx[k] ? ax : mx[k];
		}
	for (; i < n; i++) {
		ax = fabs(x[i]);
		mn[0] = ax < mn[0] ? ax : mn[0];
		mx[0] = ax > mx[0] ? ax : mx[0];
	}
	for (k = 1; k < 4; k++) {
		mn[0] = mn[k] < mn[0] ? mn[k] : mn[0];
		mx[0] = mx[k] > mx[0] ? mx[k] : mx[0];
	}
	*lo = mn[0];
	*hi = mx[0];
}

/* Divides x by its rms and returns that rms (0 for a zero vector, which
 * is left as it is). x must be finite. */
static XMag vec_normalize(double *x, int n)
{
	double r = vec_rms(x, n, NULL), inv;
	int i;

	if (r == 0)
		return xmag_from_double(0);
	inv = 1.0 / r;
	for (i = 0; i < n; i++)
		x[i] *= inv;
	return xmag_from_double(r);
}

/* Rounds every element to the precision's format. */
static void vec_round(double *x, int n, EnginePrecision p)
{
	int i;

	if (p != ENGINE_PRECISION_FLOAT32)
		return;
	for (i = 0; i < n; i++)
		x[i] = (double)(float)x[i];
}

static double prec_round(double x, EnginePrecision p)
{
	return p == ENGINE_PRECISION_FLOAT32 ? (double)(float)x : x;
}

/* XMag of exp(x) for any x. */
static XMag xmag_exp(double x)
{
	return xmag_pow10(x * 0.43429448190325182765);
}

/* ---------------------------------------------------------------------- */
/* Buffers and draws                                                      */
/* ---------------------------------------------------------------------- */

Engine *engine_new(void)
{
	Engine *eng = calloc(1, sizeof *eng);

	if (eng != NULL) {
		eng->seg_base = -1;
		eng->budget = ENGINE_STATE_BUDGET;
	}
	return eng;
}

static void engine_free_shape(Engine *eng)
{
	free(eng->a_scale);
	free(eng->a_rms);
	free(eng->d_scale);
	free(eng->a_flags);
	free(eng->chk);
	free(eng->seg_a);
	free(eng->seg_d);
	free(eng->z);
	free(eng->e);
	free(eng->g);
	free(eng->dir);
	free(eng->tmp);
	free(eng->act);
	free(eng->grad);
	free(eng->wgrad);
	free(eng->xi_tmp);
	free(eng->eta_tmp);
	eng->a_scale = eng->d_scale = NULL;
	eng->a_rms = NULL;
	eng->a_flags = NULL;
	eng->chk = eng->seg_a = eng->seg_d = NULL;
	eng->z = eng->e = eng->g = eng->dir = eng->tmp = NULL;
	eng->act = eng->grad = eng->wgrad = NULL;
	eng->xi_tmp = eng->eta_tmp = NULL;
	eng->depth = eng->width = 0;
}

static void engine_free_cache(Engine *eng)
{
	free(eng->xi);
	free(eng->eta);
	free(eng->stats);
	eng->xi = eng->eta = NULL;
	eng->stats = NULL;
	eng->cached = 0;
	eng->cache_cap = eng->cache_layers = 0;
}

void engine_free(Engine *eng)
{
	if (eng == NULL)
		return;
	engine_free_shape(eng);
	engine_free_cache(eng);
	free(eng);
}

void engine_set_state_budget(Engine *eng, size_t bytes)
{
	eng->budget = bytes;
}

void engine_set_poll(Engine *eng, int (*poll)(void *ctx), void *ctx)
{
	eng->poll = poll;
	eng->poll_ctx = ctx;
	eng->poll_work = 0;
}

/* Counts work elements done; every ENGINE_POLL_WORK of them asks the
 * poll. Nonzero: the caller abandons the compute. */
static int engine_tick(Engine *eng, size_t work)
{
	eng->poll_work += work;
	if (eng->poll_work < ENGINE_POLL_WORK)
		return 0;
	eng->poll_work = 0;
	return eng->poll != NULL && eng->poll(eng->poll_ctx) != 0;
}

/* Sizes every buffer for (depth, width); keeps them when unchanged. */
static int engine_shape(Engine *eng, int depth, int width)
{
	size_t n = (size_t)width, L = (size_t)depth, seg;

	if (eng->depth == depth && eng->width == width &&
	    eng->budget_used == eng->budget)
		return 0;
	engine_free_shape(eng);
	seg = eng->budget / (2 * n * sizeof(double));
	if (seg < 1)
		seg = 1;
	if (seg > L)
		seg = L;
	eng->seg = seg;
	eng->nchk = (int)((L + seg - 1) / seg);
	eng->a_scale = malloc((L + 1) * sizeof *eng->a_scale);
	eng->a_rms = malloc((L + 1) * sizeof *eng->a_rms);
	eng->d_scale = malloc((L + 1) * sizeof *eng->d_scale);
	eng->a_flags = malloc(L + 1);
	eng->chk = malloc((size_t)eng->nchk * n * sizeof(double));
	eng->seg_a = malloc((seg + 1) * n * sizeof(double));
	eng->seg_d = malloc((seg + 1) * n * sizeof(double));
	eng->z = malloc(n * sizeof(double));
	eng->e = malloc(n * sizeof(double));
	eng->g = malloc(n * sizeof(double));
	eng->dir = malloc(n * sizeof(double));
	eng->tmp = malloc(n * sizeof(double));
	eng->act = malloc((L + 1) * sizeof(XMag));
	eng->grad = malloc((L + 1) * sizeof(XMag));
	eng->wgrad = malloc((L + 1) * sizeof(XMag));
	eng->xi_tmp = malloc(n * sizeof(float));
	eng->eta_tmp = malloc(n * sizeof(float));
	if (!eng->a_scale || !eng->a_rms || !eng->d_scale || !eng->a_flags ||
	    !eng->chk || !eng->seg_a || !eng->seg_d || !eng->z || !eng->e ||
	    !eng->g || !eng->dir || !eng->tmp || !eng->act || !eng->grad ||
	    !eng->wgrad || !eng->xi_tmp || !eng->eta_tmp) {
		engine_free_shape(eng);
		return -1;
	}
	eng->depth = depth;
	eng->width = width;
	eng->budget_used = eng->budget;
	eng->seg_base = -1;
	return 0;
}

/* What the passes need to know of a layer's draws, kept beside them. */
struct LayerStats {
	double xi_ss, eta_ss; /* sums of squares */
	double xi_lo, xi_hi;  /* min and max |xi[i]| */
};

/*
 * eta may be NULL (not drawn): eta_ss is then nan.
 *
 * One pass over both rows. Each sum of squares has a fixed order, the
 * draws' first: evens and odds summed apart, then added (the squares of
 * floats are exact in double). Its adds' latency is what costs, and the
 * four chains side by side take the time of two. The min and max are
 * exact whatever the order, so they too go by evens and odds.
 * Without eta the loop sums xi twice, which costs nothing beside the
 * other chains and keeps one loop.
 */
ENGINE_HOT static void layer_stats(const float *xi, const float *eta, int n,
    struct LayerStats *st)
{
	const float *e = eta != NULL ? eta : xi;
	double x0 = 0, x1 = 0, e0 = 0, e1 = 0, lo0 = INFINITY, lo1 = INFINITY;
	double hi0 = 0, hi1 = 0, t, u;
	int i;

	for (i = 0; i + 2 <= n; i += 2) {
		t = xi[i];
		u = xi[i + 1];
		x0 += t * t;
		x1 += u * u;
		t = fabs(t);
		u = fabs(u);
		lo0 = t < lo0 ? t : lo0;
		lo1 = u < lo1 ? u : lo1;
		hi0 = t > hi0 ? t : hi0;
		hi1 = u > hi1 ? u : hi1;
		t = e[i];
		u = e[i + 1];
		e0 += t * t;
		e1 += u * u;
	}
	if (i < n) {
		t = xi[i];
		x0 += t * t;
		t = fabs(t);
		lo0 = t < lo0 ? t : lo0;
		hi0 = t > hi0 ? t : hi0;
		t = e[i];
		e0 += t * t;
	}
	st->xi_ss = x0 + x1;
	st->eta_ss = eta != NULL ? e0 + e1 : NAN;
	st->xi_lo = lo1 < lo0 ? lo1 : lo0;
	st->xi_hi = hi1 > hi0 ? hi1 : hi0;
}

/* Fills the draw cache up to the depth, within its budget. Draws do not
 * depend on the depth, so a deeper network extends the cache and a
 * shallower one reuses it. Failure to grow only costs time. Returns
 * nonzero when the poll interrupts; the layers drawn so far stay. */
static int engine_cache(Engine *eng, uint64_t seed, int depth, int width)
{
	size_t n = (size_t)width, want;
	float *xi, *eta;
	struct LayerStats *st;
	int l;

	if (eng->cache_seed != seed || eng->cache_width != width)
		eng->cached = 0;
	eng->cache_seed = seed;
	eng->cache_width = width;
	want = (size_t)depth;
	if (want * n > ENGINE_DRAW_CACHE_MAX)
		want = ENGINE_DRAW_CACHE_MAX / n;
	if (want * n > eng->cache_cap || want > eng->cache_layers) {
		xi = realloc(eng->xi, want * n * sizeof(float));
		if (xi != NULL)
			eng->xi = xi;
		eta = realloc(eng->eta, want * n * sizeof(float));
		if (eta != NULL)
			eng->eta = eta;
		st = realloc(eng->stats, want * sizeof *st);
		if (st != NULL)
			eng->stats = st;
		if (xi == NULL || eta == NULL || st == NULL) {
			engine_free_cache(eng);
			return 0;
		}
		eng->cache_cap = want * n;
		eng->cache_layers = want;
	}
	for (l = eng->cached + 1; l <= (int)want; l++) {
		xi = eng->xi + (size_t)(l - 1) * n;
		eta = eng->eta + (size_t)(l - 1) * n;
		rng_normals(seed, RNG_STREAM_FORWARD, (uint32_t)l, width, xi);
		rng_normals(seed, RNG_STREAM_BACKWARD, (uint32_t)l, width, eta);
		layer_stats(xi, eta, width, &eng->stats[l - 1]);
		/* Only whole layers count as held. */
		eng->cached = l;
		if (engine_tick(eng, ENGINE_DRAW_WORK * n + ENGINE_LAYER_WORK))
			return 1;
	}
	return 0;
}

/* Layer l's draws: from the cache, or drawn again into the engine's
 * one-layer buffers (the same numbers either way). The forward pass needs
 * only xi: past the cache, eta (and its sum of squares) is drawn only
 * with_eta, which saves a third of the draws a deep, wide network makes
 * on each compute. */
typedef struct {
	const float *xi, *eta;
	struct LayerStats st;
} LayerDraws;

static LayerDraws engine_draws(Engine *eng, uint64_t seed, int l, int with_eta)
{
	size_t off = (size_t)(l - 1) * (size_t)eng->width;
	LayerDraws dr;

	if (l <= eng->cached) {
		dr.xi = eng->xi + off;
		dr.eta = eng->eta + off;
		dr.st = eng->stats[l - 1];
		return dr;
	}
	rng_normals(seed, RNG_STREAM_FORWARD, (uint32_t)l, eng->width,
	    eng->xi_tmp);
	dr.xi = eng->xi_tmp;
	dr.eta = NULL;
	if (with_eta) {
		rng_normals(seed, RNG_STREAM_BACKWARD, (uint32_t)l, eng->width,
		    eng->eta_tmp);
		dr.eta = eng->eta_tmp;
	}
	layer_stats(dr.xi, dr.eta, eng->width, &dr.st);
	return dr;
}

/* ---------------------------------------------------------------------- */
/* Activations                                                            */
/* ---------------------------------------------------------------------- */

/*
 * exp(y) and expm1(y) for y <= 0 to within a few ulp, without branches
 * or calls so that the loops below vectorise: y = k ln2 + r, |r| <=
 * ln2/2, expm1(r) by its Taylor series to r^13 (error < 2^-56), then
 * exp(y) = 2^k (1 + expm1(r)) and expm1(y) = 2^k expm1(r) + (2^k - 1),
 * which is exact in the k = 0 range where plain exp(y) - 1 would cancel.
 * y below -708 is clamped there: callers only use such values where they
 * are negligible next to larger ones.
 */
static inline ENGINE_INLINE void exp_neg(double y, double *q, double *em)
{
	double kd, r, r2, r4, r8, p, sc;
	uint64_t u;

	y = y > -708.0 ? y : -708.0;
	/* Round y / ln2 to an integer in the low bits of kd. */
	kd = y * 1.4426950408889634074 + 0x1.8p52;
	memcpy(&u, &kd, sizeof u);
	kd -= 0x1.8p52;
	r = (y - kd * 6.93147180369123816490e-01) -
	    kd * 1.90821492927058770002e-10;
	/* Estrin's scheme: the same series as Horner's rule, but in a tree
	 * of depth 4 rather than a chain of 13, so that the loop is not
	 * bound by the latency of one long chain. */
	r2 = r * r;
	r4 = r2 * r2;
	r8 = r4 * r4;
	p = ((1.0 + r * 0.5) + r2 * (1.0 / 6.0 + r * (1.0 / 24.0))) +
	    r4 *
	        ((1.0 / 120.0 + r * (1.0 / 720.0)) +
	            r2 * (1.0 / 5040.0 + r * (1.0 / 40320.0)));
	p += r8 *
	    (((1.0 / 362880.0 + r * (1.0 / 3628800.0)) +
	         r2 * (1.0 / 39916800.0 + r * (1.0 / 479001600.0))) +
	        r4 * (1.0 / 6227020800.0));
	p *= r;
	/* 2^k from the exponent field; k is in [-1022, 0]. */
	u = (u + 1023) << 52;
	memcpy(&sc, &u, sizeof sc);
	*q = sc + sc * p;
	*em = sc * p + (sc - 1);
}

/* v[i] = xi[i] k: the direction of W a for random weights. */
static void draws_scaled(const float *xi, double k, int n, double *v)
{
	int i;

	for (i = 0; i < n; i++)
		v[i] = xi[i] * k;
}

/*
 * Entry i of the tanh and sigmoid kernels' common case: with v = xi[i] k
 * (a[i] when xi is NULL) and x = s v, a[i] = phi(x), d[i] = phi'(x).
 * Inlined with xi a constant NULL or not, so that each kernel has a loop
 * for either: reading the draws directly saves a pass that would write
 * v into a.
 */
static inline ENGINE_INLINE void tanh_one(const float *xi, double k,
    double *restrict a, double s, double *restrict d, int i)
{
	double x, q, em, inv;

	x = s * (xi != NULL ? xi[i] * k : a[i]);
	exp_neg(-2 * fabs(x), &q, &em);
	inv = 1 / (1 + q);
	d[i] = 4 * q * inv * inv;
	a[i] = copysign(-em * inv, x);
}

static inline ENGINE_INLINE void sigmoid_one(const float *xi, double k,
    double *restrict a, double s, double *restrict d, int i)
{
	double x, q, em, inv;

	x = s * (xi != NULL ? xi[i] * k : a[i]);
	exp_neg(-fabs(x), &q, &em);
	inv = 1 / (1 + q);
	d[i] = q * inv * inv;
	a[i] = (x >= 0 ? 1 : q) * inv;
}

/*
 * The common case of both kernels. Eight entries a step: the vectoriser
 * interleaves two vectors' chains of dependent operations, which the
 * core then overlaps. (A sum of squares carried in the loop would stop
 * GCC vectorising it.)
 */
static inline ENGINE_INLINE void kernel_common(EngineAct act, const float *xi,
    double k, double *restrict a, double s, int n, double *restrict d)
{
	int i, j;

	for (i = 0; i + 8 <= n; i += 8)
		for (j = 0; j < 8; j++)
			if (act == ENGINE_ACT_TANH)
				tanh_one(xi, k, a, s, d, i + j);
			else
				sigmoid_one(xi, k, a, s, d, i + j);
	for (; i < n; i++)
		if (act == ENGINE_ACT_TANH)
			tanh_one(xi, k, a, s, d, i);
		else
			sigmoid_one(xi, k, a, s, d, i);
}

/*
 * a = tanh(s v), d = tanh'(s v) = sech^2(s v), to full relative
 * precision, with v = xi k (or a on entry when xi is NULL). With
 * q = e^(-2|x|), tanh|x| = -expm1(-2|x|) / (1 + q) and sech^2 x =
 * 4q / (1 + q)^2. When every |x| is large, sech^2 underflows; then d is
 * returned divided by e^(-2 shift) (shift = min |x|).
 */
ENGINE_HOT static void kernel_tanh(const float *xi, double k,
    double *restrict a, double s, double shift, int n, double *restrict d)
{
	double x, q, em, qs;
	int i;

	if (shift == 0) {
		if (xi != NULL)
			kernel_common(ENGINE_ACT_TANH, xi, k, a, s, n, d);
		else
			kernel_common(ENGINE_ACT_TANH, NULL, 1, a, s, n, d);
		return;
	}
	if (xi != NULL)
		draws_scaled(xi, k, n, a);
	for (i = 0; i < n; i++) {
		x = fabs(s * a[i]);
		exp_neg(-2 * x, &q, &em);
		exp_neg(-2 * (x - shift), &qs, &em);
		d[i] = 4 * qs / ((1 + q) * (1 + q));
	}
	for (i = 0; i < n; i++) {
		x = s * a[i];
		exp_neg(-2 * fabs(x), &q, &em);
		a[i] = copysign(-em / (1 + q), x);
	}
}

/* a = sigmoid(s v), d = sigmoid'(s v) = q / (1 + q)^2 with q = e^-|x|;
 * d shifted by e^-shift and the rest as in kernel_tanh. */
ENGINE_HOT static void kernel_sigmoid(const float *xi, double k,
    double *restrict a, double s, double shift, int n, double *restrict d)
{
	double x, q, em, qs;
	int i;

	if (shift == 0) {
		if (xi != NULL)
			kernel_common(ENGINE_ACT_SIGMOID, xi, k, a, s, n, d);
		else
			kernel_common(ENGINE_ACT_SIGMOID, NULL, 1, a, s, n, d);
		return;
	}
	if (xi != NULL)
		draws_scaled(xi, k, n, a);
	for (i = 0; i < n; i++) {
		x = fabs(s * a[i]);
		exp_neg(-x, &q, &em);
		exp_neg(-(x - shift), &qs, &em);
		d[i] = qs / ((1 + q) * (1 + q));
	}
	for (i = 0; i < n; i++) {
		x = s * a[i];
		exp_neg(-fabs(x), &q, &em);
		a[i] = (x >= 0 ? 1 : q) / (1 + q);
	}
}

/*
 * Exact precision: z = s_z v, with v = xi k for random weights, or held
 * in a on entry when xi is NULL. On return a holds phi(z) up to a factor,
 * *r_a = rms(a) and the result is the true rms of phi(z). phi'(z) is *s_d
 * times d; d is left untouched for linear (it is all ones).
 */
static XMag act_exact(EngineAct act, XMag s_z, const float *xi, double k,
    double *a, double vmin, double vmax, int n, double *d, XMag *s_d,
    double *r_a)
{
	double s, shift;
	int i;

	*s_d = xmag_from_double(1);
	/* Only the tanh and sigmoid kernels read the draws themselves. */
	if (xi != NULL && act != ENGINE_ACT_TANH && act != ENGINE_ACT_SIGMOID) {
		draws_scaled(xi, k, n, a);
		xi = NULL;
	}
	if (act == ENGINE_ACT_RELU)
		/* Positively homogeneous: the scale passes through. */
		for (i = 0; i < n; i++) {
			d[i] = a[i] > 0 ? 1 : 0;
			a[i] = a[i] > 0 ? a[i] : 0;
		}
	if (act == ENGINE_ACT_LINEAR || act == ENGINE_ACT_RELU) {
		*r_a = vec_rms(a, n, NULL);
		return xmag_mul(s_z, xmag_from_double(*r_a));
	}
	/* min and max |v|: known from the draws' statistics for random
	 * weights, a scan otherwise. */
	if (isnan(vmin))
		vec_absrange(a, n, &vmin, &vmax);
	/* tanh is linear to double precision below ENGINE_LINEAR_BELOW; its
	 * output is bounded, so past that |z| = s_z |v| fits a double. */
	if (act == ENGINE_ACT_TANH &&
	    (xmag_is_zero(s_z) ||
	        xmag_cmp(xmag_mul(s_z, xmag_from_double(vmax)),
	            xmag_from_double(ENGINE_LINEAR_BELOW)) < 0)) {
		if (xi != NULL)
			draws_scaled(xi, k, n, a);
		for (i = 0; i < n; i++)
			d[i] = 1;
		*r_a = vec_rms(a, n, NULL);
		return xmag_mul(s_z, xmag_from_double(*r_a));
	}
	/* sigmoid is near 1/2 for tiny z: a z that underflows here rounds
	 * sigmoid to 1/2 within double precision. */
	s = xmag_to_double(s_z);
	if (act == ENGINE_ACT_TANH) {
		shift = 2 * s * vmin > ENGINE_EXP_SAFE ? s * vmin : 0;
		kernel_tanh(xi, k, a, s, shift, n, d);
		*s_d = xmag_exp(-2 * shift);
	} else {
		shift = s * vmin > ENGINE_EXP_SAFE ? s * vmin : 0;
		kernel_sigmoid(xi, k, a, s, shift, n, d);
		*s_d = xmag_exp(-shift);
	}
	*r_a = vec_rms(a, n, NULL);
	return xmag_from_double(*r_a);
}

/* Float precisions: phi and phi' of actual values, rounded as the
 * hardware would round them. */
static void act_float(EngineAct act, EnginePrecision p, const double *z, int n,
    double *a, double *d)
{
	double t;
	int i;

	for (i = 0; i < n; i++) {
		switch (act) {
		case ENGINE_ACT_LINEAR:
			a[i] = z[i];
			d[i] = 1;
			break;
		case ENGINE_ACT_RELU:
			a[i] = z[i] > 0 ? z[i] : (z[i] <= 0 ? 0 : z[i]);
			d[i] = z[i] > 0 ? 1 : 0;
			break;
		case ENGINE_ACT_TANH:
			t = prec_round(tanh(z[i]), p);
			a[i] = t;
			d[i] = prec_round(1 - prec_round(t * t, p), p);
			break;
		default:
			t = prec_round(1 / (1 + exp(-z[i])), p);
			a[i] = t;
			d[i] = prec_round(t * prec_round(1 - t, p), p);
			break;
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Weights: the forward and transposed products                           */
/* ---------------------------------------------------------------------- */

/* sqrt(n) / |xi|: orthogonal weights send a's direction to xi's. */
static double weights_orthogonal_scale(const LayerDraws *dr, int n)
{
	return dr->st.xi_ss > 0 ? sqrt(n / dr->st.xi_ss) : 0;
}

/*
 * k with W[l] a = lambda rms(a) xi k, for random weights (identity has
 * v = a / rms(a), which callers handle): gaussian k = 1, orthogonal
 * k = sqrt(n) / |xi|.
 */
static double weights_forward_scale(const EngineConfig *cfg,
    const LayerDraws *dr, int n)
{
	return cfg->init == ENGINE_INIT_ORTHOGONAL ?
	    weights_orthogonal_scale(dr, n) :
	    1;
}

/* x . xi and y . eta in one pass. */
ENGINE_HOT static void vec_dot2(const double *x, const float *xi,
    const double *y, const float *eta, int n, double *x_xi, double *y_eta)
{
	double s[4] = {0, 0, 0, 0}, t[4] = {0, 0, 0, 0};
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			s[k] += x[i + k] * xi[i + k];
			t[k] += y[i + k] * eta[i + k];
		}
	for (; i < n; i++) {
		s[0] += x[i] * xi[i];
		t[0] += y[i] * eta[i];
	}
	*x_xi = (s[0] + s[1]) + (s[2] + s[3]);
	*y_eta = (t[0] + t[1]) + (t[2] + t[3]);
}

/* p = eta - a t, with a . p and p . p, in one pass. */
ENGINE_HOT static void vec_project(const float *eta, const double *a, double t,
    int n, double *p, double *a_p, double *p_p)
{
	double s[4] = {0, 0, 0, 0}, q[4] = {0, 0, 0, 0};
	int i, k;
#if ENGINE_LANES
	Lanes ls = {0, 0, 0, 0}, lq = ls, va, vp, vt = {t, t, t, t};
	LanesF f;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&f, eta + i, sizeof f);
		memcpy(&va, a + i, sizeof va);
		vp = __builtin_convertvector(f, Lanes) - va * vt;
		memcpy(p + i, &vp, sizeof vp);
		ls += va * vp;
		lq += vp * vp;
	}
	for (k = 0; k < 4; k++) {
		s[k] = ls[k];
		q[k] = lq[k];
	}
#else
	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			p[i + k] = eta[i + k] - a[i + k] * t;
			s[k] += a[i + k] * p[i + k];
			q[k] += p[i + k] * p[i + k];
		}
#endif
	for (; i < n; i++) {
		p[i] = eta[i] - a[i] * t;
		s[0] += a[i] * p[i];
		q[0] += p[i] * p[i];
	}
	*a_p = (s[0] + s[1]) + (s[2] + s[3]);
	*p_p = (q[0] + q[1]) + (q[2] + q[3]);
}

/*
 * g = W[l]^T e / lambda, given the forward pass through this layer:
 * a = a[l-1] up to a factor, ra = rms(a) (a NULL for a zero a[l-1]);
 * re = rms(e), xe = e . xi and an = a . eta (vec_dot2's; unused when a
 * is NULL). See the top of the file for the formulas; here they are
 * written for a and e of any size. p is scratch of n doubles.
 */
static void weights_backward(const EngineConfig *cfg, const double *a,
    double ra, const double *e, double re, double xe, double an,
    const LayerDraws *dr, int n, double *p, double *g)
{
	double c, k, ue, eperp, ah, pn, ap, pp;
	double sn = sqrt((double)n);
	int i;

	if (cfg->init == ENGINE_INIT_IDENTITY) {
		memcpy(g, e, (size_t)n * sizeof *g);
		return;
	}
	if (a == NULL) {
		/* Nothing is known about W: W^T e is all fresh, N(0, re^2)
		 * per entry for gaussian, uniform on the sphere of radius |e|
		 * for orthogonal. */
		k = re;
		if (cfg->init == ENGINE_INIT_ORTHOGONAL)
			k = dr->st.eta_ss > 0 ? sn * re / sqrt(dr->st.eta_ss) :
			                        0;
		for (i = 0; i < n; i++)
			g[i] = k * dr->eta[i];
		return;
	}
	if (cfg->init == ENGINE_INIT_GAUSSIAN) {
		/* g = A (xi.e)/n + re (eta - A (A.eta)/n), A = a/ra. */
		c = (xe / n - re * an / (n * ra)) / ra;
		for (i = 0; i < n; i++)
			g[i] = a[i] * c + re * dr->eta[i];
		return;
	}
	/* g = ahat (uhat.e) + |e_perp| p/|p|, ahat = a/(sqrt(n) ra),
	 * uhat = xi/|xi|, p = eta - ahat (ahat.eta). p is built as a vector
	 * and projected twice: when eta is nearly parallel to a, one
	 * projection (or |p|^2 = |eta|^2 - (ahat.eta)^2) cancels and leaves
	 * p neither unit nor orthogonal to a, which breaks the exact norm
	 * preservation of an orthogonal layer. */
	ue = dr->st.xi_ss > 0 ? xe / sqrt(dr->st.xi_ss) : 0;
	eperp = n * re * re - ue * ue;
	eperp = eperp > 0 ? sqrt(eperp) : 0;
	c = 1 / (sn * ra);
	ah = an * c;
	/* The second projection is folded in: p' = p - ahat (ahat.p) with
	 * |p'|^2 = |p|^2 - (ahat.p)^2, where |p|^2 comes from the vector
	 * and (ahat.p) is the small residual, so nothing cancels. */
	vec_project(dr->eta, a, c * ah, n, p, &ap, &pp);
	ah = ap * c;
	pn = pp - ah * ah;
	pn = pn > 0 ? sqrt(pn) : 0;
	k = pn > 0 ? eperp / pn : 0;
	for (i = 0; i < n; i++)
		g[i] = a[i] * (c * (ue - k * ah)) + k * p[i];
}

/* ---------------------------------------------------------------------- */
/* The passes                                                             */
/* ---------------------------------------------------------------------- */

static int is_exact(const EngineConfig *cfg)
{
	return cfg->precision == ENGINE_PRECISION_EXACT;
}

/* One layer of either pass, in units of ENGINE_POLL_WORK. */
static size_t layer_work(const EngineConfig *cfg, size_t n)
{
	return (is_exact(cfg) ? n : ENGINE_FLOAT_WORK * n) + ENGINE_LAYER_WORK;
}

/* a[l] and phi'(z[l]) from a[l-1]; records layer l's activation. */
static void layer_forward(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, double *a, double *d)
{
	EnginePrecision p = cfg->precision;
	int n = eng->width, i;
	LayerDraws dr = {NULL, NULL, {0, 0, 0, 0}};
	double lam, c, k = 1, vmin = NAN, vmax = NAN;
	unsigned flags;
	XMag s_z;

	if (cfg->init != ENGINE_INIT_IDENTITY) {
		dr = engine_draws(eng, cfg->seed, l, 0);
		k = weights_forward_scale(cfg, &dr, n);
		/* Exact precision reads v = xi k in act_exact. */
		if (!is_exact(cfg))
			draws_scaled(dr.xi, k, n, a);
	} else if (is_exact(cfg)) {
		memcpy(a, aprev, (size_t)n * sizeof *a);
	}
	if (is_exact(cfg)) {
		/* z = lambda rms(a[l-1]) v; for identity v = u / rms(u). */
		s_z = xmag_mul(xmag_from_double(cfg->lambda),
		    eng->a_scale[l - 1]);
		if (cfg->init == ENGINE_INIT_IDENTITY && !xmag_is_zero(s_z))
			s_z = xmag_div(s_z,
			    xmag_from_double(eng->a_rms[l - 1]));
		if (cfg->init != ENGINE_INIT_IDENTITY) {
			/* v = xi k with k >= 0: |v|'s range is |xi|'s times
			 * k, rounded the same way. */
			vmin = dr.st.xi_lo * k;
			vmax = dr.st.xi_hi * k;
		}
		eng->a_scale[l] = act_exact(cfg->act, s_z, dr.xi, k, a, vmin,
		    vmax, n, d, &eng->d_scale[l], &eng->a_rms[l]);
		eng->act[l] = eng->a_scale[l];
		return;
	}
	lam = prec_round(cfg->lambda, p);
	if (cfg->init == ENGINE_INIT_IDENTITY) {
		for (i = 0; i < n; i++)
			eng->z[i] = prec_round(lam * aprev[i], p);
	} else {
		/* W a = lambda rms(a) v, each entry rounded once. */
		c = prec_round(lam *
		        prec_round(xmag_to_double(eng->act[l - 1]), p),
		    p);
		for (i = 0; i < n; i++)
			eng->z[i] = prec_round(c * a[i], p);
	}
	act_float(cfg->act, p, eng->z, n, a, d);
	eng->act[l] = xmag_from_double(vec_rms(a, n, &flags));
	eng->a_flags[l] = (unsigned char)flags;
}

/* Runs segment k forward from its checkpoint, keeping its a and phi' in
 * seg_a / seg_d, and saves the next segment's checkpoint. Returns nonzero
 * when the poll interrupts; seg_a then holds no segment. */
static int engine_segment(Engine *eng, const EngineConfig *cfg, int k)
{
	size_t n = (size_t)eng->width;
	int base = k * (int)eng->seg, top = base + (int)eng->seg, l;

	if (top > cfg->depth)
		top = cfg->depth;
	eng->seg_base = -1;
	memcpy(eng->seg_a, eng->chk + (size_t)k * n, n * sizeof(double));
	for (l = base + 1; l <= top; l++) {
		layer_forward(eng, cfg, l,
		    eng->seg_a + (size_t)(l - 1 - base) * n,
		    eng->seg_a + (size_t)(l - base) * n,
		    eng->seg_d + (size_t)(l - base) * n);
		if (engine_tick(eng, layer_work(cfg, n)))
			return 1;
	}
	if (k + 1 < eng->nchk)
		memcpy(eng->chk + (size_t)(k + 1) * n,
		    eng->seg_a + (size_t)(top - base) * n, n * sizeof(double));
	eng->seg_base = base;
	return 0;
}

/* a[0] into checkpoint 0. */
static void engine_input(Engine *eng, const EngineConfig *cfg)
{
	double *x = eng->chk;
	int n = eng->width, i;
	unsigned flags;

	if (cfg->input == ENGINE_INPUT_RANDOM) {
		rng_normals(cfg->seed, RNG_STREAM_INPUT, 0, n, eng->xi_tmp);
		for (i = 0; i < n; i++)
			x[i] = eng->xi_tmp[i];
	} else {
		for (i = 0; i < n; i++)
			x[i] = 1;
	}
	vec_round(x, n, cfg->precision);
	eng->a_rms[0] = vec_rms(x, n, &flags);
	eng->a_flags[0] = (unsigned char)flags;
	eng->a_scale[0] = xmag_from_double(eng->a_rms[0]);
	eng->act[0] = eng->a_scale[0];
}

/*
 * Float precisions: a[l-1] / rms(a[l-1]) into out, the direction the
 * backward sampler projects off. Returns out, NULL for a zero vector, or
 * out filled with nan when a has a nan. Overflowed entries point the way
 * the vector grew: the direction is the limit of the inf pattern.
 */
static const double *float_direction(const double *a, double r, unsigned flags,
    int n, double *out)
{
	int i;

	if (r == 0)
		return NULL;
	if (flags & VEC_NAN) {
		for (i = 0; i < n; i++)
			out[i] = NAN;
		return out;
	}
	if (flags & VEC_INF) {
		for (i = 0; i < n; i++)
			out[i] = isinf(a[i]) ? copysign(1, a[i]) : 0;
		vec_normalize(out, n);
		return out;
	}
	for (i = 0; i < n; i++)
		out[i] = a[i] / r;
	return out;
}

/* The gradient carried down the backward pass: g[l] = scale * vec / rms
 * (exact), or vec itself (float precisions). */
typedef struct {
	XMag scale;
	double rms;
} Grad;

/* e = d * g with its rms, one pass while the sum of squares is in range. */
ENGINE_HOT static double vec_mul_rms(const double *d, const double *g, int n,
    double *e)
{
	double s[4] = {0, 0, 0, 0}, ss;
	int i, k;

	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			e[i + k] = d[i + k] * g[i + k];
			s[k] += e[i + k] * e[i + k];
		}
	for (; i < n; i++) {
		e[i] = d[i] * g[i];
		s[0] += e[i] * e[i];
	}
	ss = (s[0] + s[1]) + (s[2] + s[3]);
	return vec_rms_ss(e, n, ss, NULL);
}

/*
 * vec_mul_rms and vec_dot2(e, xi, a, eta) in one pass: the stored phi'
 * and a[l-1] come from memory once per backward step, and most of the
 * step's time is spent waiting for them. The sums are vec_mul_rms's and
 * vec_dot2's, lane for lane, so the numbers are theirs.
 */
ENGINE_HOT static double vec_mul_dots(const double *d, const double *g,
    const double *a, const float *xi, const float *eta, int n, double *e,
    double *e_xi, double *a_eta)
{
	double s[4] = {0, 0, 0, 0}, x[4] = {0, 0, 0, 0}, y[4] = {0, 0, 0, 0};
	int i, k;
#if ENGINE_LANES
	Lanes ls = {0, 0, 0, 0}, lx = ls, ly = ls, vd, vg, va, ve;
	LanesF fx, fe;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&vd, d + i, sizeof vd);
		memcpy(&vg, g + i, sizeof vg);
		memcpy(&va, a + i, sizeof va);
		memcpy(&fx, xi + i, sizeof fx);
		memcpy(&fe, eta + i, sizeof fe);
		ve = vd * vg;
		memcpy(e + i, &ve, sizeof ve);
		ls += ve * ve;
		lx += ve * __builtin_convertvector(fx, Lanes);
		ly += va * __builtin_convertvector(fe, Lanes);
	}
	for (k = 0; k < 4; k++) {
		s[k] = ls[k];
		x[k] = lx[k];
		y[k] = ly[k];
	}
#else
	for (i = 0; i + 4 <= n; i += 4)
		for (k = 0; k < 4; k++) {
			e[i + k] = d[i + k] * g[i + k];
			s[k] += e[i + k] * e[i + k];
			x[k] += e[i + k] * xi[i + k];
			y[k] += a[i + k] * eta[i + k];
		}
#endif
	for (; i < n; i++) {
		e[i] = d[i] * g[i];
		s[0] += e[i] * e[i];
		x[0] += e[i] * xi[i];
		y[0] += a[i] * eta[i];
	}
	*e_xi = (x[0] + x[1]) + (x[2] + x[3]);
	*a_eta = (y[0] + y[1]) + (y[2] + y[3]);
	return vec_rms_ss(e, n, (s[0] + s[1]) + (s[2] + s[3]), NULL);
}

static void swap_vectors(double **x, double **y)
{
	double *t = *x;

	*x = *y;
	*y = t;
}

/* Exact precision: g[l-1] from g[l]; records layer l's weight gradient
 * and layer l-1's gradient. */
static void backward_exact(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, const double *d, Grad *gr)
{
	int n = eng->width;
	/* Random weights and a nonzero g need the draws and the dot
	 * products. */
	int dots = cfg->init != ENGINE_INIT_IDENTITY &&
	    !xmag_is_zero(gr->scale);
	const double *e = eng->g;
	LayerDraws dr;
	double re, rg, xe = 0, an = 0;
	XMag s_e;

	if (dots)
		dr = engine_draws(eng, cfg->seed, l, 1);
	if (cfg->act == ENGINE_ACT_LINEAR) {
		re = gr->rms;
		if (dots)
			vec_dot2(e, dr.xi, aprev, dr.eta, n, &xe, &an);
	} else if (dots) {
		re = vec_mul_dots(d, eng->g, aprev, dr.xi, dr.eta, n, eng->e,
		    &xe, &an);
		e = eng->e;
	} else {
		re = vec_mul_rms(d, eng->g, n, eng->e);
		e = eng->e;
	}
	/* The true rms of e[l] = phi'(z[l]) * g[l]. */
	s_e = re == 0 ? xmag_from_double(0) :
	                xmag_mul(xmag_mul(eng->d_scale[l], gr->scale),
	                    xmag_from_double(re / gr->rms));
	eng->wgrad[l] = xmag_mul(s_e, eng->a_scale[l - 1]);
	rg = 0;
	if (!xmag_is_zero(s_e)) {
		weights_backward(cfg,
		    xmag_is_zero(eng->a_scale[l - 1]) ? NULL : aprev,
		    eng->a_rms[l - 1], e, re, xe, an, &dr, n, eng->tmp,
		    eng->dir);
		swap_vectors(&eng->g, &eng->dir);
		rg = vec_rms(eng->g, n, NULL);
		/* phi' < 1 shrinks the stored vector layer by layer (by 1e-17
		 * for tanh at z = 20): bring it back before it nears the
		 * subnormals, where products with phi' would lose digits. */
		if (rg > 0 && (rg < 0x1p-100 || rg > 0x1p100)) {
			vec_normalize(eng->g, n);
			re /= rg;
			rg = 1;
		}
	}
	if (rg == 0) {
		/* Exactly zero from here down: keep a harmless rms. */
		memset(eng->g, 0, (size_t)n * sizeof *eng->g);
		gr->scale = xmag_from_double(0);
		gr->rms = 1;
	} else {
		/* g[l-1] = lambda (s_e / re) W^T e / lambda. */
		gr->scale = xmag_mul(xmag_mul(xmag_from_double(cfg->lambda),
		                         s_e),
		    xmag_from_double(rg / re));
		gr->rms = rg;
	}
	eng->grad[l - 1] = gr->scale;
}

/* Float precisions: the same step on actual values. */
static void backward_float(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, const double *d)
{
	EnginePrecision p = cfg->precision;
	int n = eng->width, i;
	const double *ahat;
	double *e = eng->e, *g = eng->g, lam, re, ra, wg, xe = 0, an = 0;
	LayerDraws dr;
	unsigned fe;

	lam = prec_round(cfg->lambda, p);
	for (i = 0; i < n; i++)
		e[i] = prec_round(d[i] * g[i], p);
	re = vec_rms(e, n, &fe);
	ra = xmag_to_double(eng->act[l - 1]);
	/* RMS(e a^T) = rms(e) rms(a), rounded as the entries would be; an
	 * inf meeting an exact zero makes nan entries, hence a nan RMS. */
	wg = prec_round(re * ra, p);
	if (((fe & VEC_INF) && (eng->a_flags[l - 1] & VEC_ZERO)) ||
	    ((eng->a_flags[l - 1] & VEC_INF) && (fe & VEC_ZERO)))
		wg = NAN;
	eng->wgrad[l] = xmag_from_double(wg);
	if (cfg->init == ENGINE_INIT_IDENTITY) {
		for (i = 0; i < n; i++)
			g[i] = prec_round(lam * e[i], p);
	} else if (re == 0) {
		memset(g, 0, (size_t)n * sizeof *g);
	} else if (!isfinite(re)) {
		/* Random weights times an inf gradient: signs mix, nan. */
		for (i = 0; i < n; i++)
			g[i] = NAN;
	} else {
		dr = engine_draws(eng, cfg->seed, l, 1);
		ahat = float_direction(aprev, ra, eng->a_flags[l - 1], n,
		    eng->tmp);
		if (ahat != NULL)
			vec_dot2(e, dr.xi, ahat, dr.eta, n, &xe, &an);
		weights_backward(cfg, ahat, 1, e, re, xe, an, &dr, n, eng->z,
		    eng->dir);
		for (i = 0; i < n; i++)
			g[i] = prec_round(eng->dir[i] * lam, p);
	}
	eng->grad[l - 1] = xmag_from_double(vec_rms(g, n, NULL));
}

/* Asks for what the backward step of layer l reads (its a[l-1], phi'
 * and cached draws) to be brought into the L2 cache. The backward pass
 * walks the layers downward, a direction the hardware prefetchers do not
 * follow from one 8 KiB vector to the next. */
static void prefetch_range(const void *p, size_t bytes)
{
	const char *c = p;
	size_t i;

	for (i = 0; i < bytes; i += 64) {
#if defined(__GNUC__)
		__builtin_prefetch(c + i, 0, 2);
#else
		(void)c;
#endif
	}
}

static void prefetch_layer(Engine *eng, int l, const double *aprev,
    const double *d)
{
	size_t n = (size_t)eng->width;

	prefetch_range(aprev, n * sizeof *aprev);
	prefetch_range(d, n * sizeof *d);
	if (l <= eng->cached) {
		prefetch_range(eng->xi + (size_t)(l - 1) * n,
		    n * sizeof(float));
		prefetch_range(eng->eta + (size_t)(l - 1) * n,
		    n * sizeof(float));
	}
}

int engine_compute(Engine *eng, const EngineConfig *cfg, EngineResult *out,
    char *err, size_t errlen)
{
	size_t n;
	int L, k, base, top, l, i;
	Grad gr;

	if (engine_config_validate(cfg, err, errlen) < 0)
		return -1;
	if (engine_shape(eng, cfg->depth, cfg->width) < 0) {
		snprintf(err, errlen, "out of memory for depth %d, width %d",
		    cfg->depth, cfg->width);
		return -1;
	}
	if (cfg->init != ENGINE_INIT_IDENTITY &&
	    engine_cache(eng, cfg->seed, cfg->depth, cfg->width))
		goto interrupted;
	n = (size_t)cfg->width;
	L = cfg->depth;

	/* Forward: every segment, saving checkpoints; the last one stays. */
	engine_input(eng, cfg);
	for (k = 0; k < eng->nchk; k++)
		if (engine_segment(eng, cfg, k))
			goto interrupted;

	/* Backward from g[L] = ones. */
	for (i = 0; i < (int)n; i++)
		eng->g[i] = 1;
	gr.scale = xmag_from_double(1);
	gr.rms = 1;
	eng->grad[L] = gr.scale;
	for (k = eng->nchk - 1; k >= 0; k--) {
		base = k * (int)eng->seg;
		top = base + (int)eng->seg < L ? base + (int)eng->seg : L;
		if (eng->seg_base != base && engine_segment(eng, cfg, k))
			goto interrupted;
		for (l = top; l > base; l--) {
			const double *aprev = eng->seg_a +
			    (size_t)(l - 1 - base) * n;
			const double *d = eng->seg_d + (size_t)(l - base) * n;

			if (l - 1 > base)
				prefetch_layer(eng, l - 1, aprev - n, d - n);

			if (is_exact(cfg))
				backward_exact(eng, cfg, l, aprev, d, &gr);
			else
				backward_float(eng, cfg, l, aprev, d);
			if (engine_tick(eng, layer_work(cfg, n)))
				goto interrupted;
		}
	}
	eng->wgrad[0] = xmag_from_double(NAN);

	out->depth = L;
	out->activation_rms = eng->act;
	out->gradient_rms = eng->grad;
	out->weight_gradient_rms = eng->wgrad;
	return 0;

interrupted:
	/* Nothing kept across computes is half made: the draw cache counts
	 * only whole layers, a segment is held only once complete, and the
	 * rest is redone by every compute. */
	snprintf(err, errlen, "interrupted");
	return ENGINE_INTERRUPTED;
}
