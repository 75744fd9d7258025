/*
 * engine_draw: the draw cache, the standard normal draws xi and eta of
 * each (seed, layer) and their statistics, kept across computes.
 * Internal; see include/engine_impl.h.
 */
#include "engine_impl.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"

void engine_free_cache(Engine *eng)
{
	free(eng->xi);
	free(eng->eta);
	free(eng->stats);
	eng->xi = eng->eta = NULL;
	eng->stats = NULL;
	eng->cached = 0;
	eng->cache_cap = eng->cache_layers = 0;
}

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
int engine_cache(Engine *eng, uint64_t seed, int depth, int width)
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

LayerDraws engine_draws(Engine *eng, uint64_t seed, int l, int with_eta)
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
