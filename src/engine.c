/*
 * engine: signal propagation through a deep network, layer by layer.
 * See include/engine.h for the contract. The engine is the model, the
 * sampler that stands in for explicit random matrices, and the two ways of
 * doing the arithmetic (exact: scale + direction; float: IEEE values);
 * this file holds the names, the configuration and the buffers, and
 * include/engine_impl.h lists the files that hold the rest. The model in
 * brief, which those files implement:
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
 * layer gives the joint distribution of every reported number. In a
 * residual block with a norm, W[l] multiplies h = N(a[l-1]) rather than
 * a[l-1]: the same sampler, conditioned on h.
 *
 * Memory: the backward pass needs a[l-1] and phi'(z[l]) of every layer.
 * They are kept for a segment of layers at a time within a fixed budget;
 * the forward pass saves a checkpoint at each segment start, and the
 * backward pass recomputes a segment from its checkpoint when it gets
 * there. With the default budget depth 1000 x width 1024 is one segment.
 */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"

/* ---------------------------------------------------------------------- */
/* Names and configuration                                                */
/* ---------------------------------------------------------------------- */

/* Each kind's names in enum order, and joined by '|': the literal
 * "|identity" "|gaussian" ... from its first character on. */
#define NAME(e, name, ...) #name,
#define BAR_NAME(e, name, ...) "|" #name
static const char *const init_names[] = {ENGINE_INITS(NAME)};
static const char *const act_names[] = {ENGINE_ACTS(NAME)};
static const char *const precision_names[] = {ENGINE_PRECISIONS(NAME)};
static const char *const input_names[] = {ENGINE_INPUTS(NAME)};
static const char *const upstream_names[] = {ENGINE_UPSTREAMS(NAME)};
static const char *const arch_names[] = {ENGINE_ARCHS(NAME)};
static const char *const norm_names[] = {ENGINE_NORMS(NAME)};

static const char *name_of(const char *const *names, int count, unsigned v)
{
	return v < (unsigned)count ? names[v] : "?";
}

/* The index of s in names, or -1. */
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
	return name_of(init_names, ENGINE_INIT_COUNT, v);
}

const char *engine_act_name(EngineAct v)
{
	return name_of(act_names, ENGINE_ACT_COUNT, v);
}

const char *engine_precision_name(EnginePrecision v)
{
	return name_of(precision_names, ENGINE_PRECISION_COUNT, v);
}

const char *engine_input_name(EngineInput v)
{
	return name_of(input_names, ENGINE_INPUT_COUNT, v);
}

const char *engine_upstream_name(EngineUpstream v)
{
	return name_of(upstream_names, ENGINE_UPSTREAM_COUNT, v);
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

int engine_upstream_parse(const char *s, EngineUpstream *out)
{
	int i = name_lookup(upstream_names, ENGINE_UPSTREAM_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineUpstream)i;
	return 0;
}

const char *engine_arch_name(EngineArch v)
{
	return name_of(arch_names, ENGINE_ARCH_COUNT, v);
}

const char *engine_norm_name(EngineNorm v)
{
	return name_of(norm_names, ENGINE_NORM_COUNT, v);
}

int engine_arch_parse(const char *s, EngineArch *out)
{
	int i = name_lookup(arch_names, ENGINE_ARCH_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineArch)i;
	return 0;
}

int engine_norm_parse(const char *s, EngineNorm *out)
{
	int i = name_lookup(norm_names, ENGINE_NORM_COUNT, s);

	if (i < 0)
		return -1;
	*out = (EngineNorm)i;
	return 0;
}

const char *engine_arch_names(void)
{
	return &ENGINE_ARCHS(BAR_NAME)[1];
}

const char *engine_norm_names(void)
{
	return &ENGINE_NORMS(BAR_NAME)[1];
}

const char *engine_init_names(void)
{
	return &ENGINE_INITS(BAR_NAME)[1];
}

const char *engine_act_names(void)
{
	return &ENGINE_ACTS(BAR_NAME)[1];
}

const char *engine_precision_names(void)
{
	return &ENGINE_PRECISIONS(BAR_NAME)[1];
}

const char *engine_input_names(void)
{
	return &ENGINE_INPUTS(BAR_NAME)[1];
}
const char *engine_upstream_names(void)
{
	return &ENGINE_UPSTREAMS(BAR_NAME)[1];
}
#undef NAME
#undef BAR_NAME

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
	cfg->upstream = ENGINE_UPSTREAM_RANDOM;
	cfg->bias_std = 0;
	cfg->arch = ENGINE_ARCH_PLAIN;
	cfg->norm = ENGINE_NORM_NONE;
	cfg->branch_scale = 1;
}

double engine_branch_alpha(const EngineConfig *cfg)
{
	if (cfg->branch_scale == ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH)
		return 1 / sqrt((double)cfg->depth);
	return cfg->branch_scale;
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
	if (!(cfg->bias_std >= ENGINE_BIAS_STD_MIN &&
	        cfg->bias_std <= ENGINE_BIAS_STD_MAX)) {
		snprintf(err, errlen,
		    "bias std %g is out of range; accepted: %g to %g",
		    cfg->bias_std, ENGINE_BIAS_STD_MIN, ENGINE_BIAS_STD_MAX);
		return -1;
	}
	if (!((cfg->branch_scale >= ENGINE_BRANCH_SCALE_MIN &&
	          cfg->branch_scale <= ENGINE_BRANCH_SCALE_MAX) ||
	        cfg->branch_scale == ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH)) {
		snprintf(err, errlen,
		    "branch scale %g is out of range; accepted: %g to %g or "
		    "%s",
		    cfg->branch_scale, ENGINE_BRANCH_SCALE_MIN,
		    ENGINE_BRANCH_SCALE_MAX,
		    ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH_NAME);
		return -1;
	}
	if ((unsigned)cfg->arch >= ENGINE_ARCH_COUNT ||
	    (unsigned)cfg->norm >= ENGINE_NORM_COUNT) {
		snprintf(err, errlen, "unknown arch or norm mode");
		return -1;
	}
	if ((unsigned)cfg->init >= ENGINE_INIT_COUNT ||
	    (unsigned)cfg->act >= ENGINE_ACT_COUNT ||
	    (unsigned)cfg->precision >= ENGINE_PRECISION_COUNT ||
	    (unsigned)cfg->input >= ENGINE_INPUT_COUNT ||
	    (unsigned)cfg->upstream >= ENGINE_UPSTREAM_COUNT) {
		snprintf(err, errlen,
		    "unknown init, activation, precision, input or "
		    "upstream mode");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Buffers                                                                */
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

void engine_free_shape(Engine *eng)
{
	free(eng->a_scale);
	free(eng->a_rms);
	free(eng->d_scale);
	free(eng->a_flags);
	free(eng->chk);
	free(eng->seg_a);
	free(eng->seg_d);
	free(eng->seg_y);
	free(eng->n_coef);
	free(eng->n_sigma);
	free(eng->n_yy);
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
	free(eng->b_tmp);
	eng->a_scale = eng->d_scale = NULL;
	eng->a_rms = NULL;
	eng->a_flags = NULL;
	eng->chk = eng->seg_a = eng->seg_d = eng->seg_y = NULL;
	eng->n_coef = eng->n_sigma = NULL;
	eng->n_yy = NULL;
	eng->z = eng->e = eng->g = eng->dir = eng->tmp = NULL;
	eng->act = eng->grad = eng->wgrad = NULL;
	eng->xi_tmp = eng->eta_tmp = eng->b_tmp = NULL;
	eng->depth = eng->width = 0;
}

void engine_free(Engine *eng)
{
	if (eng == NULL)
		return;
	engine_free_shape(eng);
	engine_free_cache(eng);
	free(eng->bcache);
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

/* Sizes every buffer for (depth, width, nvec); keeps them when
 * unchanged. */
int engine_shape(Engine *eng, int depth, int width, int nvec)
{
	size_t n = (size_t)width, L = (size_t)depth, seg;

	if (eng->depth == depth && eng->width == width && eng->nvec == nvec &&
	    eng->budget_used == eng->budget)
		return 0;
	engine_free_shape(eng);
	seg = eng->budget / ((size_t)nvec * n * sizeof(double));
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
	eng->seg_y = nvec > 2 ? malloc((seg + 1) * n * sizeof(double)) : NULL;
	eng->n_coef = malloc((L + 1) * sizeof(XMag));
	eng->n_sigma = malloc((L + 1) * sizeof(XMag));
	eng->n_yy = malloc((L + 1) * sizeof(double));
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
	eng->b_tmp = malloc(n * sizeof(float));
	if (!eng->a_scale || !eng->a_rms || !eng->d_scale || !eng->a_flags ||
	    !eng->chk || !eng->seg_a || !eng->seg_d || !eng->z || !eng->e ||
	    !eng->g || !eng->dir || !eng->tmp || !eng->act || !eng->grad ||
	    !eng->wgrad || !eng->xi_tmp || !eng->eta_tmp || !eng->b_tmp ||
	    (nvec > 2 && !eng->seg_y) || !eng->n_coef || !eng->n_sigma ||
	    !eng->n_yy) {
		engine_free_shape(eng);
		return -1;
	}
	eng->depth = depth;
	eng->width = width;
	eng->nvec = nvec;
	eng->budget_used = eng->budget;
	eng->seg_base = -1;
	return 0;
}
