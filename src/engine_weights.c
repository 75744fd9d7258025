/*
 * engine_weights: the sampler that stands in for random weight matrices,
 * the forward product W a and the transposed product W^T e given it (see
 * the top of engine.c for the formulas). Internal; see
 * include/engine_impl.h.
 */
#include "engine_impl.h"

#include <math.h>
#include <string.h>

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
double weights_forward_scale(const EngineConfig *cfg, const LayerDraws *dr,
    int n)
{
	return cfg->init == ENGINE_INIT_ORTHOGONAL ?
	    weights_orthogonal_scale(dr, n) :
	    1;
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
void weights_backward(const EngineConfig *cfg, const double *a, double ra,
    const double *e, double re, double xe, double an, const LayerDraws *dr,
    int n, double *p, double *g)
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
