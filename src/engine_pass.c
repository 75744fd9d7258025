/*
 * engine_pass: the forward pass (segments from checkpoints), the backward
 * pass, and engine_compute, which runs them. Internal helpers are in
 * include/engine_impl.h; the contract is engine.h's.
 */
#include "engine.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "rng.h"

/* Rounds every element to the precision's format. */
static void vec_round(double *x, int n, EnginePrecision p)
{
	int i;

	if (p == ENGINE_PRECISION_EXACT || p == ENGINE_PRECISION_FLOAT64)
		return;
	for (i = 0; i < n; i++)
		x[i] = prec_round(x[i], p);
}

/*
 * A random matrix times a vector with k > 0 inf entries, as a literal
 * float network computes it: each output sums k terms of +-inf with
 * independent random signs (a Gaussian or Haar weight is never 0), so
 * with k = 1 every output is inf with a random sign (here the sign of
 * the draw s[i]), and with k >= 2 an output is nan unless its k signs
 * all agree, which for all n outputs has probability 2^(-(k-1) n): the
 * vector is taken as nan. The finite terms do not matter beside inf.
 */
static void float_inf_product(const double *x, const float *s, int n,
    double *out)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += isinf(x[i]) != 0;
	for (i = 0; i < n; i++)
		out[i] = k >= 2 ? NAN : copysign(INFINITY, s[i]);
}

static int is_exact(const EngineConfig *cfg)
{
	return cfg->precision == ENGINE_PRECISION_EXACT;
}

/* One layer of either pass, in units of ENGINE_POLL_WORK. */
static size_t layer_work(const EngineConfig *cfg, size_t n)
{
	return (is_exact(cfg) ? n : ENGINE_FLOAT_WORK * n) + ENGINE_LAYER_WORK;
}

/* Layer l's biases b[l] / S: from the bias cache, or drawn into
 * eng->b_tmp (the same numbers); NULL when there are none. */
static const float *layer_biases(Engine *eng, const EngineConfig *cfg, int l)
{
	if (!(cfg->bias_std > 0))
		return NULL;
	if (l <= eng->bcached)
		return eng->bcache + (size_t)(l - 1) * (size_t)eng->width;
	rng_normals(cfg->seed, RNG_STREAM_BIAS, (uint32_t)l, eng->width,
	    eng->b_tmp);
	return eng->b_tmp;
}

/*
 * Fills the bias cache for (seed, width) up to the depth, within
 * ENGINE_DRAW_CACHE_MAX floats, keeping what it holds when the seed and
 * width are the same: a change of lambda draws no bias again. Nonzero:
 * the poll interrupted (the layers drawn so far stay, whole).
 */
static int engine_bias_cache(Engine *eng, const EngineConfig *cfg)
{
	size_t n = (size_t)cfg->width, want = (size_t)cfg->depth;
	float *p;
	int l;

	if (!(cfg->bias_std > 0))
		return 0;
	if (eng->bcache_seed != cfg->seed || eng->bcache_width != cfg->width)
		eng->bcached = 0;
	if (want > ENGINE_DRAW_CACHE_MAX / n)
		want = ENGINE_DRAW_CACHE_MAX / n;
	if (want * n > eng->bcache_cap) {
		p = realloc(eng->bcache, want * n * sizeof *p);
		if (p == NULL)
			return 0; /* drawn layer by layer instead */
		eng->bcache = p;
		eng->bcache_cap = want * n;
	}
	eng->bcache_seed = cfg->seed;
	eng->bcache_width = cfg->width;
	for (l = eng->bcached + 1; l <= (int)want; l++) {
		rng_normals(cfg->seed, RNG_STREAM_BIAS, (uint32_t)l, cfg->width,
		    eng->bcache + (size_t)(l - 1) * n);
		eng->bcached = l;
		if (engine_tick(eng, ENGINE_DRAW_WORK * n / 2))
			return 1;
	}
	return 0;
}

/*
 * Exact precision: z = s_z v + S b with v in a, as z = (returned scale)
 * times the new a. The scale is the larger of the two terms' largest
 * entries, so each term's coefficient is at most 1 / (its largest entry)
 * and no entry overflows; the smaller term's share underflows only when
 * it is below double precision next to the larger. An entry whose two
 * shares both round to 0 (a zero of v beside a bias thousands of decades
 * smaller than the rest, or the reverse) keeps its true sign at the
 * smallest subnormal, so ReLU's phi' and the sign of tanh's argument stay
 * right there, and no 0 appears that is not exactly 0.
 */
static XMag bias_add_exact(XMag s_z, double *a, const float *b, double S, int n)
{
	double hv = 0, hb = 0, t, c1, c2;
	XMag s, r1, r2;
	int i;

	for (i = 0; i < n; i++) {
		hv = fabs(a[i]) > hv ? fabs(a[i]) : hv;
		hb = fabs((double)b[i]) > hb ? fabs((double)b[i]) : hb;
	}
	s = xmag_mul(s_z, xmag_from_double(hv));
	if (xmag_cmp(xmag_from_double(S * hb), s) > 0)
		s = xmag_from_double(S * hb);
	if (xmag_is_zero(s))
		return s_z;
	r1 = xmag_div(s_z, s);
	r2 = xmag_div(xmag_from_double(S), s);
	c1 = xmag_to_double(r1);
	c2 = xmag_to_double(r2);
	for (i = 0; i < n; i++) {
		t = a[i] * c1 + b[i] * c2;
		if (t == 0 && (a[i] != 0 || b[i] != 0))
			t = engine_tiny_sign(a[i], r1, b[i], r2);
		a[i] = t;
	}
	return s;
}

/* ---------------------------------------------------------------------- */
/* Residual and normalized blocks                                         */
/* ---------------------------------------------------------------------- */

/* Anything past the plain chain without a norm (which the functions
 * above do on their own, as fast as before). */
static int is_block(const EngineConfig *cfg)
{
	return cfg->arch != ENGINE_ARCH_PLAIN || cfg->norm != ENGINE_NORM_NONE;
}

/* The coefficient of a stored vector: its true rms over its own. */
static XMag coef_of(XMag scale, double rms)
{
	return rms > 0 ? xmag_div(scale, xmag_from_double(rms)) :
	                 xmag_from_double(0);
}

/*
 * Exact: layer l of a residual or normalized network, with a[l-1] =
 * A u (u = aprev). plain: z = W u A + b, y = N(z), a = phi(y); residual:
 * h = N(a[l-1]) (a[l-1] itself without a norm), z = W h + b, a[l] =
 * a[l-1] + alpha phi(z), summed at the larger term's scale. y (NULL
 * without a norm) keeps the norm's output for the backward pass.
 */
static void block_forward_exact(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, double *a, double *d, double *y)
{
	int n = eng->width, res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	int norm = cfg->norm != ENGINE_NORM_NONE;
	XMag A = coef_of(eng->a_scale[l - 1], eng->a_rms[l - 1]);
	XMag hc = A, s_z, F;
	const double *h = aprev;
	const float *b = layer_biases(eng, cfg, l), *xi = NULL;
	/* The branch is made in f: a itself for plain blocks. */
	double *f = res ? eng->tmp : a;
	double hr = eng->a_rms[l - 1], k = 1, ra, vmin = NAN, vmax = NAN;
	LayerDraws dr;

	if (res && norm) {
		hc = block_norm_exact(cfg->norm, aprev, A, n, y,
		    &eng->n_sigma[l]);
		eng->n_coef[l] = hc;
		eng->n_yy[l] = vec_sumsq(y, n);
		h = y;
		hr = xmag_is_zero(hc) ? 0 : 1;
	}
	/* z = W h = s_z v: v = xi k, read from the draws by phi unless a
	 * bias or a norm comes first. */
	if (cfg->init != ENGINE_INIT_IDENTITY) {
		dr = engine_draws(eng, cfg->seed, l, 0);
		k = weights_forward_scale(cfg, &dr, n);
		s_z = xmag_mul(xmag_mul(xmag_from_double(cfg->lambda), hc),
		    xmag_from_double(hr));
		if (b != NULL || !res || xmag_is_zero(s_z)) {
			draws_scaled(dr.xi, k, n, f);
		} else {
			xi = dr.xi;
			vmin = dr.st.xi_lo * k;
			vmax = dr.st.xi_hi * k;
		}
	} else {
		memcpy(f, h, (size_t)n * sizeof *f);
		s_z = xmag_mul(xmag_from_double(cfg->lambda), hc);
	}
	if (b != NULL)
		s_z = bias_add_exact(s_z, f, b, cfg->bias_std, n);
	if (!res && norm) {
		s_z = block_norm_exact(cfg->norm, f, s_z, n, y,
		    &eng->n_sigma[l]);
		eng->n_coef[l] = s_z;
		eng->n_yy[l] = vec_sumsq(y, n);
		memcpy(f, y, (size_t)n * sizeof *f);
	}
	/* z = 0 exactly (a zero vector times W, no bias): phi sees the
	 * zeros, not the direction v, so ReLU's phi'(0) is 0. */
	if (xmag_is_zero(s_z))
		memset(f, 0, (size_t)n * sizeof *f);
	F = engine_phi_exact(cfg->act, s_z, xi, k, f, vmin, vmax, n, d,
	    &eng->d_scale[l], &ra);
	if (res) {
		/* a[l] = A u + alpha (F / ra) f. */
		XMag c = block_add_exact(a, f,
		    xmag_mul(xmag_from_double(engine_branch_alpha(cfg)),
		        coef_of(F, ra)),
		    ra, aprev, A, eng->a_rms[l - 1], n);

		ra = vec_rms(a, n, NULL);
		F = xmag_mul(c, xmag_from_double(ra));
	}
	eng->a_scale[l] = F;
	eng->a_rms[l] = ra;
	eng->act[l] = F;
}

/* Float formats: the same layer on actual values, every operation
 * rounded to the format. */
static void block_forward_float(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, double *a, double *d, double *y)
{
	EnginePrecision p = cfg->precision;
	int n = eng->width, i, res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	int norm = cfg->norm != ENGINE_NORM_NONE;
	const double *h = aprev;
	const float *b = layer_biases(eng, cfg, l);
	double *z = eng->z, *f = res ? eng->tmp : a, lam, c, rh, al;
	unsigned fh, flags;
	LayerDraws dr;

	if (res && norm) {
		eng->n_sigma[l] = xmag_from_double(block_norm_float(cfg->norm,
		    p, aprev, n, y));
		h = y;
	}
	rh = vec_rms(h, n, &fh);
	lam = prec_round(cfg->lambda, p);
	if (cfg->init == ENGINE_INIT_IDENTITY) {
		for (i = 0; i < n; i++)
			z[i] = prec_round(lam * h[i], p);
	} else {
		dr = engine_draws(eng, cfg->seed, l, 0);
		if ((fh & (VEC_INF | VEC_NAN)) == VEC_INF) {
			float_inf_product(h, dr.xi, n, z);
		} else {
			draws_scaled(dr.xi, weights_forward_scale(cfg, &dr, n),
			    n, z);
			c = prec_round(lam * prec_round(rh, p), p);
			for (i = 0; i < n; i++)
				z[i] = prec_round(c * z[i], p);
		}
	}
	for (i = 0; b != NULL && i < n; i++)
		z[i] = prec_round(z[i] + prec_round(cfg->bias_std * b[i], p),
		    p);
	if (!res && norm) {
		eng->n_sigma[l] = xmag_from_double(block_norm_float(cfg->norm,
		    p, z, n, y));
		memcpy(z, y, (size_t)n * sizeof *z);
	}
	engine_phi_float(cfg->act, p, z, n, f, d);
	if (res) {
		al = prec_round(engine_branch_alpha(cfg), p);
		for (i = 0; i < n; i++)
			a[i] = prec_round(aprev[i] + prec_round(al * f[i], p),
			    p);
	}
	eng->act[l] = xmag_from_double(vec_rms(a, n, &flags));
	eng->a_flags[l] = (unsigned char)flags;
}

/* a[l] and phi'(z[l]) from a[l-1]; records layer l's activation. */
static void layer_forward(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, double *a, double *d, double *y)
{
	EnginePrecision p = cfg->precision;
	int n = eng->width, i;
	LayerDraws dr = {NULL, NULL, {0, 0, 0, 0}};
	double lam, c, k = 1, vmin = NAN, vmax = NAN;
	unsigned flags;
	XMag s_z;
	const float *b;
	int bias;

	if (is_block(cfg)) {
		if (is_exact(cfg))
			block_forward_exact(eng, cfg, l, aprev, a, d, y);
		else
			block_forward_float(eng, cfg, l, aprev, a, d, y);
		return;
	}
	b = layer_biases(eng, cfg, l);
	bias = b != NULL;
	if (cfg->init != ENGINE_INIT_IDENTITY) {
		dr = engine_draws(eng, cfg->seed, l, 0);
		k = weights_forward_scale(cfg, &dr, n);
		/* Exact precision reads v = xi k in engine_phi_exact, unless
		 * a bias is added to it first. */
		if (!is_exact(cfg) || bias)
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
		if (bias) {
			/* z = s_z v + b: a new scale and v, whose range
			 * engine_phi_exact scans. */
			s_z = bias_add_exact(s_z, a, b, cfg->bias_std, n);
			dr.xi = NULL;
		} else if (cfg->init != ENGINE_INIT_IDENTITY) {
			/* v = xi k with k >= 0: |v|'s range is |xi|'s times
			 * k, rounded the same way. */
			vmin = dr.st.xi_lo * k;
			vmax = dr.st.xi_hi * k;
		}
		eng->a_scale[l] = engine_phi_exact(cfg->act, s_z, dr.xi, k, a,
		    vmin, vmax, n, d, &eng->d_scale[l], &eng->a_rms[l]);
		eng->act[l] = eng->a_scale[l];
		return;
	}
	lam = prec_round(cfg->lambda, p);
	if (cfg->init == ENGINE_INIT_IDENTITY) {
		for (i = 0; i < n; i++)
			eng->z[i] = prec_round(lam * aprev[i], p);
	} else if ((eng->a_flags[l - 1] & (VEC_INF | VEC_NAN)) == VEC_INF) {
		/* inf entries meet random signs: inf, or inf - inf = nan. */
		float_inf_product(aprev, dr.xi, n, eng->z);
	} else {
		/* W a = lambda rms(a) v, each entry rounded once. */
		c = prec_round(lam *
		        prec_round(xmag_to_double(eng->act[l - 1]), p),
		    p);
		for (i = 0; i < n; i++)
			eng->z[i] = prec_round(c * a[i], p);
	}
	/* + b, the bias stored in the format, added as the hardware
	 * adds. */
	for (i = 0; bias && i < n; i++)
		eng->z[i] = prec_round(eng->z[i] +
		        prec_round(cfg->bias_std * b[i], p),
		    p);
	engine_phi_float(cfg->act, p, eng->z, n, a, d);
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
		    eng->seg_d + (size_t)(l - base) * n,
		    eng->seg_y != NULL ? eng->seg_y + (size_t)(l - base) * n :
		                         NULL);
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
 * backward sampler projects off. Returns out, or NULL for a zero vector
 * or one with a nan. Overflowed entries point the way
 * the vector grew: the direction is the limit of the inf pattern.
 */
static const double *float_direction(const double *a, double r, unsigned flags,
    int n, double *out)
{
	int i;

	/* A nan forward product tells nothing of W: W^T e is drawn
	 * unconditioned, as a literal network's W^T e ignores a. */
	if (r == 0 || (flags & VEC_NAN))
		return NULL;
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
	} else if (isnan(re)) {
		for (i = 0; i < n; i++)
			g[i] = NAN;
	} else if (isinf(re)) {
		/* W^T e with inf entries: inf, or inf - inf = nan. */
		dr = engine_draws(eng, cfg->seed, l, 1);
		float_inf_product(e, dr.eta, n, g);
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

/* Exact: g[l-1] from g[l] through a residual or normalized block (see
 * block_forward_exact); records layer l's weight gradient and layer
 * l-1's gradient. With e = alpha phi'(z) * g[l] (plain: e through the
 * norm's Jacobian, e = J^T (phi'(y) * g[l])), dL/dW = e h^T and
 * plain:    g[l-1] = W^T e
 * residual: g[l-1] = g[l] + J^T W^T e  (J the identity without a norm). */
/* x's rms, x scaled by a power of two (exact) into the range where its
 * sum of squares neither overflows nor underflows, *c divided by the
 * same: phi' of a saturated tanh takes e to 1e-200, where an rms would
 * take a division per entry. */
static double rms_rescaled(double *x, int n, XMag *c)
{
	double ss = vec_sumsq(x, n), amax = 0, t;
	int i, ex;

	if (ss > 0x1p-900 && ss < 0x1p900)
		return sqrt(ss / n);
	for (i = 0; i < n; i++)
		amax = fabs(x[i]) > amax ? fabs(x[i]) : amax;
	if (amax == 0)
		return 0;
	frexp(amax, &ex);
	t = ldexp(1, -ex);
	for (i = 0; i < n; i++)
		x[i] *= t;
	*c = xmag_div(*c, xmag_from_double(t));
	return vec_rms(x, n, NULL);
}

/* Exact: g[l-1] from g[l] through a residual or normalized block (see
 * block_forward_exact); records layer l's weight gradient and layer
 * l-1's gradient. With e = alpha phi'(z) * g[l] (plain: e through the
 * norm's Jacobian, e = J^T (phi'(y) * g[l])), dL/dW = e h^T and
 * plain:    g[l-1] = W^T e
 * residual: g[l-1] = g[l] + J^T W^T e  (J the identity without a norm). */
static void block_backward_exact(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, const double *d, const double *y, Grad *gr)
{
	int n = eng->width, i, res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	int norm = cfg->norm != ENGINE_NORM_NONE, known, dots = 0;
	XMag gc = coef_of(gr->scale, gr->rms), ec, hc, ghc, c;
	const double *h = aprev;
	double *e = eng->e, re, rh, rg, rd, xe = 0, an = 0, keep = 0;
	LayerDraws dr;

	/* h, what W[l] multiplied, as hc times the stored vector. */
	if (res && norm) {
		h = y;
		hc = eng->n_coef[l];
		rh = xmag_is_zero(hc) ? 0 : sqrt(eng->n_yy[l] / n);
	} else {
		hc = coef_of(eng->a_scale[l - 1], eng->a_rms[l - 1]);
		rh = eng->a_rms[l - 1];
	}
	known = cfg->init != ENGINE_INIT_IDENTITY && rh > 0 &&
	    !xmag_is_zero(hc);
	ec = xmag_mul(eng->d_scale[l], gc);
	if (res)
		ec = xmag_mul(ec, xmag_from_double(engine_branch_alpha(cfg)));
	if (norm)
		/* eps / sigma^2, the share of e along y the norm keeps. */
		keep =
		    xmag_to_double(xmag_div(xmag_from_double(ENGINE_NORM_EPS),
		        xmag_mul(eng->n_sigma[l], eng->n_sigma[l])));
	if (res && known && cfg->act != ENGINE_ACT_LINEAR) {
		/* e = phi' * g and the sampler's dots in one pass, as the
		 * plain chain does. */
		dr = engine_draws(eng, cfg->seed, l, 1);
		re = vec_mul_dots(d, eng->g, h, dr.xi, dr.eta, n, e, &xe, &an);
		dots = 1;
	} else {
		if (cfg->act == ENGINE_ACT_LINEAR)
			memcpy(e, eng->g, (size_t)n * sizeof *e);
		else
			for (i = 0; i < n; i++)
				e[i] = d[i] * eng->g[i];
		if (!res && norm) {
			block_norm_back(cfg->norm, y, eng->n_yy[l], keep, e, n);
			ec = xmag_div(ec, eng->n_sigma[l]);
		}
		re = rms_rescaled(e, n, &ec);
	}
	if (re == 0)
		ec = xmag_from_double(0);
	eng->wgrad[l] = xmag_mul(xmag_mul(ec, xmag_from_double(re)),
	    xmag_mul(hc, xmag_from_double(rh)));
	ghc = xmag_from_double(0);
	rd = 0;
	if (!xmag_is_zero(ec)) {
		if (cfg->init != ENGINE_INIT_IDENTITY) {
			if (!dots)
				dr = engine_draws(eng, cfg->seed, l, 1);
			if (known && !dots)
				vec_dot2(e, dr.xi, h, dr.eta, n, &xe, &an);
			weights_backward(cfg, known ? h : NULL, rh, e, re, xe,
			    an, &dr, n, eng->tmp, eng->dir);
		} else {
			memcpy(eng->dir, e, (size_t)n * sizeof *e);
		}
		/* W^T e_true = lambda ec dir. */
		ghc = xmag_mul(xmag_from_double(cfg->lambda), ec);
		if (res && norm) {
			block_norm_back(cfg->norm, y, eng->n_yy[l], keep,
			    eng->dir, n);
			ghc = xmag_div(ghc, eng->n_sigma[l]);
		}
		rd = rms_rescaled(eng->dir, n, &ghc);
		if (rd == 0)
			ghc = xmag_from_double(0);
	}
	if (res) {
		if (xmag_is_zero(ghc)) {
			c = gc;
		} else {
			c = block_add_exact(eng->tmp, eng->g, gc, gr->rms,
			    eng->dir, ghc, rd, n);
			swap_vectors(&eng->g, &eng->tmp);
		}
	} else {
		swap_vectors(&eng->g, &eng->dir);
		c = ghc;
	}
	rg = xmag_is_zero(c) ? 0 : rms_rescaled(eng->g, n, &c);
	if (rg == 0) {
		memset(eng->g, 0, (size_t)n * sizeof *eng->g);
		gr->scale = xmag_from_double(0);
		gr->rms = 1;
	} else {
		gr->scale = xmag_mul(c, xmag_from_double(rg));
		gr->rms = rg;
	}
	eng->grad[l - 1] = gr->scale;
}

/* Float formats: the same step on actual values. */
static void block_backward_float(Engine *eng, const EngineConfig *cfg, int l,
    const double *aprev, const double *d, const double *y)
{
	EnginePrecision p = cfg->precision;
	int n = eng->width, i, res = cfg->arch == ENGINE_ARCH_RESIDUAL;
	int norm = cfg->norm != ENGINE_NORM_NONE;
	const double *h = res && norm ? y : aprev, *ahat;
	double *e = eng->e, *g = eng->g, *dir = eng->dir;
	double lam = prec_round(cfg->lambda, p), al = 1, re, rh, wg, sig;
	double xe = 0, an = 0;
	unsigned fe, fh;
	LayerDraws dr;

	if (res)
		al = prec_round(engine_branch_alpha(cfg), p);
	for (i = 0; i < n; i++) {
		e[i] = prec_round(d[i] * g[i], p);
		if (res)
			e[i] = prec_round(al * e[i], p);
	}
	sig = norm ? xmag_to_double(eng->n_sigma[l]) : 1;
	if (!res && norm) {
		block_norm_back(cfg->norm, y, n, 0, e, n);
		for (i = 0; i < n; i++)
			e[i] = prec_round(e[i] / sig, p);
	}
	re = vec_rms(e, n, &fe);
	rh = vec_rms(h, n, &fh);
	wg = prec_round(re * rh, p);
	if (((fe & VEC_INF) && (fh & VEC_ZERO)) ||
	    ((fh & VEC_INF) && (fe & VEC_ZERO)))
		wg = NAN;
	eng->wgrad[l] = xmag_from_double(wg);
	if (cfg->init == ENGINE_INIT_IDENTITY) {
		for (i = 0; i < n; i++)
			dir[i] = prec_round(lam * e[i], p);
	} else if (re == 0) {
		memset(dir, 0, (size_t)n * sizeof *dir);
	} else if (isnan(re)) {
		for (i = 0; i < n; i++)
			dir[i] = NAN;
	} else if (isinf(re)) {
		dr = engine_draws(eng, cfg->seed, l, 1);
		float_inf_product(e, dr.eta, n, dir);
	} else {
		dr = engine_draws(eng, cfg->seed, l, 1);
		ahat = float_direction(h, rh, fh, n, eng->tmp);
		if (ahat != NULL)
			vec_dot2(e, dr.xi, ahat, dr.eta, n, &xe, &an);
		weights_backward(cfg, ahat, 1, e, re, xe, an, &dr, n, eng->z,
		    dir);
		for (i = 0; i < n; i++)
			dir[i] = prec_round(dir[i] * lam, p);
	}
	if (res && norm) {
		block_norm_back(cfg->norm, y, n, 0, dir, n);
		for (i = 0; i < n; i++)
			dir[i] = prec_round(dir[i] / sig, p);
	}
	if (res)
		for (i = 0; i < n; i++)
			g[i] = prec_round(g[i] + dir[i], p);
	else
		swap_vectors(&eng->g, &eng->dir);
	eng->grad[l - 1] = xmag_from_double(vec_rms(eng->g, n, NULL));
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

/* g[L] into eng->g: ones, or u / rms(u) (exact keeps u and its rms; the
 * float precisions round the quotient to the format). */
static void engine_upstream(Engine *eng, const EngineConfig *cfg, Grad *gr)
{
	int n = eng->width, i;
	double r;

	gr->scale = xmag_from_double(1);
	gr->rms = 1;
	for (i = 0; i < n; i++)
		eng->g[i] = 1;
	if (cfg->upstream != ENGINE_UPSTREAM_RANDOM)
		return;
	rng_normals(cfg->seed, RNG_STREAM_UPSTREAM, 0, n, eng->b_tmp);
	for (i = 0; i < n; i++)
		eng->g[i] = eng->b_tmp[i];
	r = vec_rms(eng->g, n, NULL);
	if (!(r > 0)) {
		/* Every draw 0 (never seen): ones. */
		for (i = 0; i < n; i++)
			eng->g[i] = 1;
		return;
	}
	if (is_exact(cfg)) {
		gr->rms = r;
		return;
	}
	for (i = 0; i < n; i++)
		eng->g[i] = prec_round(eng->g[i] / r, cfg->precision);
}

int engine_compute(Engine *eng, const EngineConfig *cfg, EngineResult *out,
    char *err, size_t errlen)
{
	size_t n;
	int L, k, base, top, l;
	Grad gr;

	if (engine_config_validate(cfg, err, errlen) < 0)
		return -1;
	if (engine_shape(eng, cfg->depth, cfg->width,
	        cfg->norm != ENGINE_NORM_NONE ? 3 : 2) < 0) {
		snprintf(err, errlen, "out of memory for depth %d, width %d",
		    cfg->depth, cfg->width);
		return -1;
	}
	if (cfg->init != ENGINE_INIT_IDENTITY &&
	    engine_cache(eng, cfg->seed, cfg->depth, cfg->width))
		goto interrupted;
	if (engine_bias_cache(eng, cfg))
		goto interrupted;
	n = (size_t)cfg->width;
	L = cfg->depth;

	/* Forward: every segment, saving checkpoints; the last one stays. */
	engine_input(eng, cfg);
	for (k = 0; k < eng->nchk; k++)
		if (engine_segment(eng, cfg, k))
			goto interrupted;

	/* Backward from g[L], of rms 1. */
	engine_upstream(eng, cfg, &gr);
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

			const double *y = eng->seg_y != NULL ?
			    eng->seg_y + (size_t)(l - base) * n :
			    NULL;

			if (is_block(cfg) && is_exact(cfg))
				block_backward_exact(eng, cfg, l, aprev, d, y,
				    &gr);
			else if (is_block(cfg))
				block_backward_float(eng, cfg, l, aprev, d, y);
			else if (is_exact(cfg))
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
