/*
 * check_dump: the CSV table, byte for byte, from results built by hand so
 * that every kind of cell (an ordinary number, 0, inf, nan, a value past
 * double range either way, layer 0's empty weight cell) is covered
 * whatever the engine happens to produce.
 */
#include "suites.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "engine.h"
#include "xmag.h"

#define HEADER \
	"layer,activation_rms,gradient_rms,weight_gradient_rms," \
	"theory_activation_rms,theory_gradient_rms\n"

/* Runs dump_csv into memory with the theory columns given (NULL: the
 * engine's own columns again); returns the text (free it) and status. */
static char *dump_theory_string(const EngineResult *res, const XMag *ta,
    const XMag *tg, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	*rc = dump_csv(f, res, ta != NULL ? ta : res->activation_rms,
	    tg != NULL ? tg : res->gradient_rms);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static char *dump_to_string(const EngineResult *res, int *rc)
{
	return dump_theory_string(res, NULL, NULL, rc);
}

/*
 * "%.6e" of 10^x for x far outside double range, computed here apart from
 * xmag: the mantissa is 10 to the fractional part of x, in long double.
 * x is chosen so that the 7th digit is not near a rounding boundary.
 */
static void pow10_text(double x, char *buf, size_t len)
{
	long double ip = floorl((long double)x);

	snprintf(buf, len, "%.6Lfe%c%02d", powl(10.0L, (long double)x - ip),
	    ip < 0 ? '-' : '+', (int)fabsl(ip));
}

START_TEST(test_every_kind_of_cell)
{
	XMag act[4], grad[4], wgrad[4], tact[4], tgrad[4];
	EngineResult res = {3, act, grad, wgrad};
	char big[32], tiny[32], want[768];
	int l;
	char *text;
	int rc;

	/* Layer 0 holds a finite weight value on purpose: the cell must be
	 * empty because layer 0 has no weights, not because of the value. */
	act[0] = xmag_from_double(1.0);
	grad[0] = xmag_from_double(ldexp(1.0, -10));
	wgrad[0] = xmag_from_double(7.0);
	act[1] = xmag_from_double(0.0);
	grad[1] = xmag_from_double(123456.7);
	wgrad[1] = xmag_from_double(INFINITY);
	act[2] = xmag_pow10(528.2391);
	grad[2] = xmag_from_double(NAN);
	wgrad[2] = xmag_from_double(0.0);
	act[3] = xmag_pow10(-400.5);
	grad[3] = xmag_from_double(1.5);
	wgrad[3] = xmag_from_double(DBL_MAX);

	/* The theory's columns: 2^l and 3^-l, so a swapped or shifted
	 * column shows. */
	for (l = 0; l < 4; l++) {
		tact[l] = xmag_from_double(ldexp(1.0, l));
		tgrad[l] = xmag_from_double(pow(3.0, -l));
	}
	pow10_text(528.2391, big, sizeof big);
	pow10_text(-400.5, tiny, sizeof tiny);
	ck_assert_str_eq(tiny, "3.162278e-401");
	snprintf(want, sizeof want,
	    HEADER
	    "0,1.000000e+00,9.765625e-04,,1.000000e+00,1.000000e+00\n"
	    "1,0,1.234567e+05,inf,2.000000e+00,3.333333e-01\n"
	    "2,%s,nan,0,4.000000e+00,1.111111e-01\n"
	    "3,%s,1.500000e+00,1.797693e+308,8.000000e+00,3.703704e-02\n",
	    big, tiny);

	text = dump_theory_string(&res, tact, tgrad, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(text, want);
	ck_assert_ptr_nonnull(strstr(text, "e+528,"));
	free(text);
}
END_TEST

/* The smallest table: the header, the input layer and one layer. */
START_TEST(test_depth_one)
{
	XMag act[2], grad[2], wgrad[2];
	EngineResult res = {1, act, grad, wgrad};
	char *text;
	int rc;

	act[0] = act[1] = xmag_from_double(1.0);
	grad[0] = grad[1] = xmag_from_double(0.25);
	wgrad[0] = xmag_from_double(NAN);
	wgrad[1] = xmag_from_double(0.25);
	text = dump_to_string(&res, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(text,
	    HEADER "0,1.000000e+00,2.500000e-01,,1.000000e+00,2.500000e-01\n"
	           "1,1.000000e+00,2.500000e-01,2.500000e-01,1.000000e+00,"
	           "2.500000e-01\n");
	free(text);
}
END_TEST

/* The deepest table has 100001 rows; each must be there, in order. */
START_TEST(test_deepest_table)
{
	int n = ENGINE_DEPTH_MAX + 1, l, rc;
	XMag *m = malloc((size_t)n * sizeof *m);
	EngineResult res = {ENGINE_DEPTH_MAX, m, m, m};
	char *text, *line, last[128];

	ck_assert_ptr_nonnull(m);
	for (l = 0; l < n; l++)
		m[l] = xmag_pow10(-(double)l);
	text = dump_to_string(&res, &rc);
	ck_assert_int_eq(rc, 0);
	for (l = 0, line = text; (line = strchr(line, '\n')) != NULL; line++)
		l++;
	ck_assert_int_eq(l, n + 1);
	snprintf(last, sizeof last,
	    "\n%d,1.000000e-%d,1.000000e-%d,"
	    "1.000000e-%d,1.000000e-%d,1.000000e-%d\n",
	    ENGINE_DEPTH_MAX, ENGINE_DEPTH_MAX, ENGINE_DEPTH_MAX,
	    ENGINE_DEPTH_MAX, ENGINE_DEPTH_MAX, ENGINE_DEPTH_MAX);
	ck_assert_str_eq(text + strlen(text) - strlen(last), last);
	free(text);
	free(m);
}
END_TEST

/* A full disk must not pass for a written table, however small. */
START_TEST(test_full_device)
{
	XMag act[2], grad[2], wgrad[2];
	EngineResult res = {1, act, grad, wgrad};
	FILE *f;

	act[0] = act[1] = grad[0] = grad[1] = xmag_from_double(2.0);
	wgrad[0] = wgrad[1] = xmag_from_double(2.0);
	f = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dump_csv(f, &res, act, grad), -1);
	fclose(f);
}
END_TEST

/* The sweep's rows: lambda as %.10g (0.1 * 3 prints as 0.3, not
 * 0.30000000000000004), the four magnitudes in header order. */
START_TEST(test_sweep_rows)
{
	SweepPoint p;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	memset(&p, 0, sizeof p);
	p.lambda = 0.1 * 3;
	p.output_rms = xmag_pow10(-400.5);
	p.input_gradient = xmag_from_double(0.0);
	p.theory_output = xmag_from_double(2.0);
	p.theory_gradient = xmag_from_double(INFINITY);
	ck_assert_int_eq(dump_sweep_header(f), 0);
	ck_assert_int_eq(dump_sweep_row(f, &p), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(text,
	    "lambda,output_activation_rms,"
	    "input_gradient_rms,theory_output_activation_rms,"
	    "theory_input_gradient_rms\n"
	    "0.3,3.162278e-401,0,2.000000e+00,inf\n");
	free(text);
}
END_TEST

/* The training rows: a diverged loss prints as inf or nan. */
START_TEST(test_train_rows)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dump_train_header(f), 0);
	ck_assert_int_eq(dump_train_row(f, 0, 0.75), 0);
	ck_assert_int_eq(dump_train_row(f, 1, INFINITY), 0);
	ck_assert_int_eq(dump_train_row(f, 2, NAN), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(text, "step,loss\n0,7.500000e-01\n1,inf\n2,nan\n");
	free(text);
}
END_TEST

Suite *dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, test_every_kind_of_cell);
	tcase_add_test(tc, test_depth_one);
	tcase_add_test(tc, test_deepest_table);
	tcase_add_test(tc, test_full_device);
	tcase_add_test(tc, test_sweep_rows);
	tcase_add_test(tc, test_train_rows);
	suite_add_tcase(s, tc);
	return s;
}
