/*
 * act: each activation's scalar phi, phi' and log phi', and the table of
 * rows built from ENGINE_ACTS. See include/act.h for the contract.
 */
#include "act.h"

#include <math.h>
#include <stddef.h>

/* ---------------------------------------------------------------------- */
/* The rows' meaning                                                      */
/* ---------------------------------------------------------------------- */

/*
 * One transcendental gives both, each to a few ulps. tanh: below |z| = 1,
 * tanh z and (1 - t)(1 + t) (1 - t >= 0.23: no cancellation); above it,
 * q = e^(-2|z|) <= 0.14, tanh |z| = (1 - q) / (1 + q) and sech^2 z =
 * 4q / (1 + q)^2 (1 - tanh^2 z would lose every digit past |z| = 19).
 * sigmoid: q = e^(-|z|), sigmoid' = q / (1 + q)^2.
 */
static double act_linear_phi(double z, double *d)
{
	*d = 1;
	return z;
}

static double act_linear_log_deriv(double z)
{
	(void)z;
	return 0;
}

static double act_tanh_phi(double z, double *d)
{
	double q, v;

	if (fabs(z) < 1) {
		v = tanh(z);
		*d = (1 - v) * (1 + v);
		return v;
	}
	q = exp(-2 * fabs(z));
	*d = 4 * q / ((1 + q) * (1 + q));
	return copysign((1 - q) / (1 + q), z);
}

static double act_tanh_log_deriv(double z)
{
	return log(4) - 2 * fabs(z) - 2 * log1p(exp(-2 * fabs(z)));
}

static double act_relu_phi(double z, double *d)
{
	/* A nan stays nan, as in the engine's float arithmetic. */
	*d = z > 0 ? 1 : (z <= 0 ? 0 : z);
	return z > 0 ? z : (z <= 0 ? 0 : z);
}

static double act_relu_log_deriv(double z)
{
	return z > 0 ? 0 : (z <= 0 ? -INFINITY : z);
}

static double act_sigmoid_phi(double z, double *d)
{
	double q = exp(-fabs(z));

	*d = q / ((1 + q) * (1 + q));
	return (z >= 0 ? 1 : q) / (1 + q);
}

static double act_sigmoid_log_deriv(double z)
{
	return -fabs(z) - 2 * log1p(exp(-fabs(z)));
}

/* ---------------------------------------------------------------------- */
/* The table                                                              */
/* ---------------------------------------------------------------------- */

static const struct {
	double (*phi)(double z, double *d);
	double (*log_deriv)(double z);
	unsigned char homogeneous, bounded, odd;
} rows[] = {
#define ACT_ROW(e, name, homogeneous, bounded, odd) \
	[ENGINE_ACT_##e] = {act_##name##_phi, act_##name##_log_deriv, \
	    homogeneous, bounded, odd},
    ENGINE_ACTS(ACT_ROW)
#undef ACT_ROW
};

int act_homogeneous(EngineAct act)
{
	return rows[act].homogeneous;
}

int act_bounded(EngineAct act)
{
	return rows[act].bounded;
}

int act_odd(EngineAct act)
{
	return rows[act].odd;
}

double act_phi(EngineAct act, double z, double *deriv)
{
	double d, v = rows[act].phi(z, &d);

	if (deriv != NULL)
		*deriv = d;
	return v;
}

double act_log_deriv(EngineAct act, double z)
{
	return rows[act].log_deriv(z);
}
