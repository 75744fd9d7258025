/*
 * check_act: the activation table, row by row. Each row's scalar phi,
 * phi' and log phi' against closed forms; the engine's exact and float
 * vector kernels against the scalar functions (bit for bit where both
 * compute the same operations); the properties the table claims against
 * what the functions do; the names against their parser.
 */
#include "act.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "suites.h"

/* Points spanning every regime of every row: signs, zero, tiny values
 * (where tanh and sigmoid are linear), the switch of the scalar tanh at
 * |z| = 1, and saturation. */
static const double points[] = {-40, -7, -2.5, -1, -0.999, -0.3, -1e-5, -1e-300,
    0, 1e-300, 1e-9, 0.3, 0.999, 1, 3, 18, 40};
#define NPOINTS ((int)(sizeof points / sizeof points[0]))

/* |x - want| <= rel |want| + abs, or both nan. */
static int near(double x, double want, double rel, double abs)
{
	if (isnan(want))
		return isnan(x);
	return fabs(x - want) <= rel * fabs(want) + abs;
}

/* The exact kernel on z = s_z v, v = in[0..n), the way layer_forward
 * calls it for identity weights: a = phi(z) up to the factor, phi' =
 * s_d d; returns the true rms. d starts as ones (linear leaves it). */
static XMag run_exact(EngineAct act, XMag s_z, const double *in, int n,
    double *a, double *d, XMag *s_d)
{
	double r_a;
	int i;

	for (i = 0; i < n; i++) {
		a[i] = in[i];
		d[i] = 1;
	}
	return engine_phi_exact(act, s_z, NULL, 1, a, NAN, NAN, n, d, s_d,
	    &r_a);
}

/* ---------------------------------------------------------------------- */
/* Scalar functions                                                       */
/* ---------------------------------------------------------------------- */

START_TEST(test_scalar)
{
	static const EngineAct acts[] = {ENGINE_ACT_LINEAR, ENGINE_ACT_TANH,
	    ENGINE_ACT_RELU, ENGINE_ACT_SIGMOID};
	static const double zs[] = {-3, -0.4, 0, 1e-9, 0.25, 2};
	size_t k, a;
	double z, t, s, want[4], dwant[4], v, d;

	for (k = 0; k < sizeof zs / sizeof zs[0]; k++) {
		z = zs[k];
		t = tanh(z);
		s = 1 / (1 + exp(-z));
		want[0] = z;
		dwant[0] = 1;
		want[1] = t;
		dwant[1] = 1 - t * t;
		want[2] = z > 0 ? z : 0;
		dwant[2] = z > 0 ? 1 : 0;
		want[3] = s;
		dwant[3] = s * (1 - s);
		for (a = 0; a < 4; a++) {
			v = act_phi(acts[a], z, &d);
			ck_assert_msg(fabs(v - want[a]) <=
			        1e-16 * (1 + fabs(want[a])),
			    "%s(%g) = %.17g, want %.17g",
			    engine_act_name(acts[a]), z, v, want[a]);
			ck_assert_msg(fabs(d - dwant[a]) <= 1e-15,
			    "%s'(%g) = %.17g, want %.17g",
			    engine_act_name(acts[a]), z, d, dwant[a]);
			ck_assert(act_phi(acts[a], z, NULL) == v);
			if (d > 0)
				ck_assert(fabs(act_log_deriv(acts[a], z) -
				              log(d)) <= 1e-14);
		}
	}
	/* Where 1 - tanh^2 has no digits left: sech^2 30 = 4 e^-60 (1 +
	 * O(e^-60)); the log past the double range. */
	act_phi(ENGINE_ACT_TANH, -30, &d);
	ck_assert(fabs(d / (4 * exp(-60)) - 1) <= 1e-14);
	ck_assert(fabs(act_log_deriv(ENGINE_ACT_TANH, 1000) -
	              (log(4) - 2000)) <= 1e-12);
	ck_assert(fabs(act_log_deriv(ENGINE_ACT_SIGMOID, -1000) + 1000) <=
	    1e-12);
	ck_assert(act_log_deriv(ENGINE_ACT_RELU, -1) == -INFINITY);
	act_phi(ENGINE_ACT_SIGMOID, 0, &d);
	ck_assert(d == 0.25);
	ck_assert(isnan(act_phi(ENGINE_ACT_RELU, NAN, &d)) && isnan(d));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Engine kernels against the scalar functions                            */
/* ---------------------------------------------------------------------- */

/* Exact precision at s_z = 1: a holds phi(z) itself. Homogeneous rows do
 * the scalar function's operations (none, or a compare): bit for bit.
 * The others use the engine's own exp, a few ulp from libm's. */
START_TEST(test_exact_kernel)
{
	EngineAct act = (EngineAct)_i;
	double a[NPOINTS], d[NPOINTS], v, dv, ds;
	XMag s_d;
	int i;

	run_exact(act, xmag_from_double(1), points, NPOINTS, a, d, &s_d);
	ds = xmag_to_double(s_d);
	ck_assert(ds == 1); /* no shift: small |z| are present */
	for (i = 0; i < NPOINTS; i++) {
		v = act_phi(act, points[i], &dv);
		if (act_homogeneous(act)) {
			ck_assert_msg(a[i] == v && d[i] == dv,
			    "%s(%g): kernel %.17g %.17g, scalar %.17g %.17g",
			    engine_act_name(act), points[i], a[i], d[i], v, dv);
		} else {
			ck_assert_msg(near(a[i], v, 1e-15, 0) &&
			        near(d[i], dv, 1e-15, 0),
			    "%s(%g): kernel %.17g %.17g, scalar %.17g %.17g",
			    engine_act_name(act), points[i], a[i], d[i], v, dv);
		}
	}
}
END_TEST

/* Saturated layers: every |z| large, so the exact kernel scales phi' out
 * (s_d) rather than let it underflow; log(s_d d) is log phi'. (Within
 * 354 of the smallest |z|: the kernel clamps phi' that much smaller than
 * the largest, where it no longer counts.) */
START_TEST(test_exact_kernel_saturated)
{
	static const double big[] = {-900, -850, -700, 620, 755.5, 890};
	EngineAct act = (EngineAct)_i;
	int n = (int)(sizeof big / sizeof big[0]), i;
	double a[6], d[6], got, want;
	XMag s_d;

	run_exact(act, xmag_from_double(1), big, n, a, d, &s_d);
	for (i = 0; i < n; i++) {
		want = act_log_deriv(act, big[i]);
		got = log(d[i]) + xmag_log10(s_d) * log(10);
		if (isinf(want))
			ck_assert(d[i] == 0 && want < 0);
		else
			ck_assert_msg(near(got, want, 1e-13, 1e-13),
			    "%s: log phi'(%g) = %.17g, want %.17g",
			    engine_act_name(act), big[i], got, want);
		/* phi itself: sigmoid(-900) is e^-708 there, as negligible. */
		ck_assert(near(a[i], act_phi(act, big[i], NULL), 1e-15,
		    1e-300));
	}
	/* The scalar phi' underflows there; the kernel's does not. */
	if (!act_homogeneous(act))
		ck_assert(xmag_log10(s_d) < -100 && d[0] > 0);
}
END_TEST

/* Float precisions: IEEE operations on the values. Homogeneous rows are
 * the scalar function bit for bit in either format; the others differ by
 * the rounding of their own formulas (1 - t^2 for tanh'). */
START_TEST(test_float_kernel)
{
	static const EnginePrecision precs[] = {ENGINE_PRECISION_FLOAT64,
	    ENGINE_PRECISION_FLOAT32};
	EngineAct act = (EngineAct)_i;
	double a[NPOINTS], d[NPOINTS], v, dv, tol, tiny;
	size_t k;
	int i;

	for (k = 0; k < 2; k++) {
		tol = precs[k] == ENGINE_PRECISION_FLOAT32 ? 2e-7 : 2e-15;
		/* float32 flushes 1e-300 to 0 */
		tiny = precs[k] == ENGINE_PRECISION_FLOAT32 ? 1e-37 : 0;
		engine_phi_float(act, precs[k], points, NPOINTS, a, d);
		for (i = 0; i < NPOINTS; i++) {
			v = act_phi(act, points[i], &dv);
			if (act_homogeneous(act))
				ck_assert(a[i] == v && d[i] == dv);
			else
				ck_assert_msg(near(a[i], v, tol, tiny) &&
				        near(d[i], dv, tol, tol),
				    "%s %s(%g): %.17g %.17g, scalar %.17g "
				    "%.17g",
				    engine_precision_name(precs[k]),
				    engine_act_name(act), points[i], a[i], d[i],
				    v, dv);
		}
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Properties                                                             */
/* ---------------------------------------------------------------------- */

/* Each property the row claims holds on every point, and each it does
 * not claim fails on some point: the flags are what the code branches
 * on, so a wrong one is a wrong number somewhere. */
START_TEST(test_properties)
{
	static const double scales[] = {2, 0.375, 1e5};
	static const double huge[] = {-1e300, -1e10, 1e10, 1e300};
	EngineAct act = (EngineAct)_i;
	int homogeneous = 1, odd = 1, bounded = 1, i;
	double v, dv, w, dw;
	size_t c;

	for (i = 0; i < NPOINTS; i++) {
		v = act_phi(act, points[i], &dv);
		for (c = 0; c < sizeof scales / sizeof scales[0]; c++) {
			w = act_phi(act, scales[c] * points[i], &dw);
			if (!near(w, scales[c] * v, 1e-15, 0) || dw != dv)
				homogeneous = 0;
		}
		w = act_phi(act, -points[i], &dw);
		if (w != -v || dw != dv)
			odd = 0;
	}
	for (i = 0; i < 4; i++)
		if (!(fabs(act_phi(act, huge[i], NULL)) <= 1))
			bounded = 0;
	ck_assert_int_eq(homogeneous, act_homogeneous(act));
	ck_assert_int_eq(odd, act_odd(act));
	ck_assert_int_eq(bounded, act_bounded(act));
}
END_TEST

/* The exact kernel at a huge scale: a homogeneous row carries one far
 * past the double range (10^400) through; a bounded one (whose inputs
 * are never past 100 times a bounded rms) comes back bounded from
 * 10^300; an odd one is odd there too. */
START_TEST(test_exact_kernel_properties)
{
	EngineAct act = (EngineAct)_i;
	double a[NPOINTS], d[NPOINTS], na[NPOINTS], nd[NPOINTS], neg[NPOINTS];
	XMag s_z = xmag_pow10(act_homogeneous(act) ? 400 : 300), r, s_d, ns_d;
	int i;

	r = run_exact(act, s_z, points, NPOINTS, a, d, &s_d);
	ck_assert(xmag_is_finite(r));
	if (act_bounded(act))
		ck_assert(xmag_log10(r) <= 0);
	if (act_homogeneous(act))
		ck_assert(fabs(xmag_log10(r) - 400 -
		              log10(sqrt(vec_sumsq(a, NPOINTS) / NPOINTS))) <
		    1e-12);
	for (i = 0; i < NPOINTS; i++) {
		ck_assert(isfinite(a[i]));
		if (act_bounded(act))
			ck_assert(fabs(a[i]) <= 1);
		neg[i] = -points[i];
	}
	run_exact(act, s_z, neg, NPOINTS, na, nd, &ns_d);
	if (act_odd(act))
		for (i = 0; i < NPOINTS; i++)
			ck_assert(na[i] == -a[i] && nd[i] == d[i]);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Names                                                                  */
/* ---------------------------------------------------------------------- */

/* Every name parses back to its enum, the joined list has each once in
 * enum order, and anything else is refused. */
START_TEST(test_names)
{
	char joined[256] = "";
	EngineAct a;
	EngineInit in;
	EnginePrecision p;
	EngineInput x;
	int i;

	for (i = 0; i < ENGINE_ACT_COUNT; i++) {
		ck_assert_int_eq(engine_act_parse(engine_act_name(i), &a), 0);
		ck_assert_int_eq(a, i);
		if (i > 0)
			strcat(joined, "|");
		strcat(joined, engine_act_name(i));
	}
	ck_assert_str_eq(joined, engine_act_names());
	ck_assert_str_eq(engine_act_names(), "linear|tanh|relu|sigmoid");
	ck_assert_str_eq(engine_act_name(ENGINE_ACT_COUNT), "?");
	ck_assert_int_eq(engine_act_parse("gelu", &a), -1);
	ck_assert_int_eq(engine_act_parse("Tanh", &a), -1);
	ck_assert_int_eq(engine_act_parse(NULL, &a), -1);
	for (i = 0; i < ENGINE_INIT_COUNT; i++) {
		ck_assert_int_eq(engine_init_parse(engine_init_name(i), &in),
		    0);
		ck_assert_int_eq(in, i);
	}
	for (i = 0; i < ENGINE_PRECISION_COUNT; i++) {
		ck_assert_int_eq(
		    engine_precision_parse(engine_precision_name(i), &p), 0);
		ck_assert_int_eq(p, i);
	}
	for (i = 0; i < ENGINE_INPUT_COUNT; i++) {
		ck_assert_int_eq(engine_input_parse(engine_input_name(i), &x),
		    0);
		ck_assert_int_eq(x, i);
	}
	ck_assert_str_eq(engine_init_names(), "identity|gaussian|orthogonal");
	ck_assert_str_eq(engine_precision_names(),
	    "exact|float64|float32|float16|bfloat16");
	ck_assert_str_eq(engine_input_names(), "ones|random");
	ck_assert_str_eq(engine_input_name(ENGINE_INPUT_COUNT), "?");
	ck_assert_int_eq(engine_init_parse("", &in), -1);
}
END_TEST

Suite *act_suite(void)
{
	Suite *s = suite_create("act");
	TCase *tc = tcase_create("act");

	tcase_add_test(tc, test_scalar);
	tcase_add_test(tc, test_names);
	tcase_add_loop_test(tc, test_exact_kernel, 0, ENGINE_ACT_COUNT);
	tcase_add_loop_test(tc, test_exact_kernel_saturated, 0,
	    ENGINE_ACT_COUNT);
	tcase_add_loop_test(tc, test_exact_kernel_properties, 0,
	    ENGINE_ACT_COUNT);
	tcase_add_loop_test(tc, test_float_kernel, 0, ENGINE_ACT_COUNT);
	tcase_add_loop_test(tc, test_properties, 0, ENGINE_ACT_COUNT);
	suite_add_tcase(s, tc);
	return s;
}
