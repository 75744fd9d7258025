/*
 * theory: the mean-field expectation of the per-layer magnitudes.
 *
 * For random weights (gaussian or orthogonal) at large width the squared
 * RMS of the activations follows the variance map: with r^2[0] the input's
 * RMS squared and S the bias std, for l = 1..L
 *   q[l]   = lambda^2 * r^2[l-1] + S^2
 *   r^2[l] = E_z[phi(sqrt(q[l]) z)^2],          z ~ N(0, 1),
 * and the gradient's RMS goes back from t[L] = 1 by
 *   t[l-1] = t[l] * sqrt(chi[l]),  chi[l] = lambda^2 E_z[phi'(sqrt(q[l]) z)^2].
 * Linear and ReLU have closed forms (r[l] = lambda^l r[0] and
 * (lambda/sqrt 2)^l r[0]); tanh and sigmoid use Gauss-Hermite quadrature
 * where tanh is gentle over the Gaussian's width, and a trapezoid rule
 * after a change of variable where it is nearly a step (theory.c says
 * how accurate each is).
 *
 * The backward recursion assumes, as mean-field theory does, that the
 * gradient is independent of the forward pass. The engine's random
 * upstream gradient (the default) is; the upstream ones(n) is not: with
 * ReLU (and sigmoid) the activations are non-negative, so that gradient
 * keeps a component along them, and the engine's gradient RMS sits above
 * t[l] at any width (tanh, odd, is unaffected). The activations' theory
 * holds for every activation and either upstream.
 * For identity weights without biases there is no expectation: every
 * coordinate follows the scalar recurrence a[l] = phi(lambda a[l-1]) from
 * r[0], which is the exact value when the input is ones (and for linear,
 * any input). With biases each coordinate has its own b[l], and the
 * random-weight map at the same lambda and S stands in: exact in
 * expectation for linear, not derived for the others (it can be far off:
 * identity ReLU keeps every live unit, which the map halves).
 *
 * Pure C: no I/O, no allocation (the caller owns the arrays).
 */
#ifndef GRADSCOPE_THEORY_H
#define GRADSCOPE_THEORY_H

#include "engine.h"
#include "xmag.h"

/* The per-layer gradient factor at the current setting and its depth
 * scale. chi is chi[L], the last layer's factor (where q[l] has settled
 * towards the variance map's fixed point); xi = -1 / ln chi, the depth
 * over which the squared gradient shrinks (chi < 1) or grows (chi > 1,
 * xi then negative) by a factor e; INFINITY when chi == 1 exactly, 0
 * when chi == 0. Networks train up to about 6 |xi| layers. */
typedef struct {
	double chi;
	double xi;
} TheoryFactor;

/*
 * Fills act[0..cfg->depth] with r[l] and grad[0..cfg->depth] with t[l]
 * for cfg (lambda, depth, init, activation; width, precision and seed do
 * not enter), starting from r0 = the input's RMS (the engine's
 * activation_rms[0]). Values are exact-range XMags: never inf or nan for
 * a finite r0. factor may be NULL. Returns 0, or -1 with a reason in err
 * when cfg is invalid.
 */
int theory_compute(const EngineConfig *cfg, XMag r0, XMag *act, XMag *grad,
    TheoryFactor *factor, char *err, size_t errlen);

/* 1 when a recurrence is derived for cfg's blocks: the plain chain
 * without a norm (any init), and residual or normalized blocks of
 * random weights (theory.c's theory_blocks says how). Identity weights
 * in those blocks have none: theory_compute fills act and grad with nan
 * and factor with nan chi and xi, and the view says "theory: not
 * derived". For residual blocks of a non-odd phi without layer norm
 * only the gradient is nan (and chi): gradient independence fails
 * there. */
int theory_derived(const EngineConfig *cfg);

/* tanh's critical weight scale at bias std S (the edge of chaos): the
 * lambda whose variance map's fixed point q* has chi = 1. 1 for S = 0;
 * above 1 for S > 0. */
double theory_tanh_critical_lambda(double bias_std);

/* E_z[f(sqrt(q) z)] for z ~ N(0, 1) by Gauss-Hermite quadrature, for
 * tests and for the callers above. */
double theory_gauss_expect(double (*f)(double x, void *ctx), void *ctx,
    double q);

#endif
