/*
 * check_verdict: the verdict's wording in each style, on hand-made
 * results with known magnitudes.
 */
#include "verdict.h"

#include <check.h>
#include <math.h>
#include <string.h>

#include "suites.h"
#include "xmag.h"

static XMag act[3], grad[3];
static EngineResult res = {2, act, grad, NULL};

static const char *say(VerdictStyle style)
{
	static char buf[256];

	ck_assert_int_eq(verdict_format(&res, style, buf, sizeof buf),
	    (int)strlen(buf));
	return buf;
}

START_TEST(test_styles)
{
	act[2] = xmag_from_double(250);
	grad[0] = xmag_from_double(12);
	ck_assert_str_eq(say(VERDICT_SCREEN),
	    "exploding: output ×2.50e+02, first-layer gradient ×1.20e+01");
	ck_assert_str_eq(say(VERDICT_ASCII),
	    "exploding: output x2.50e+02, first-layer gradient x1.20e+01");
	ck_assert_str_eq(say(VERDICT_SVG),
	    "<tspan font-weight=\"bold\">exploding</tspan>: output "
	    "×2.50e+02, first-layer gradient ×1.20e+01");
	grad[0] = xmag_from_double(0.5);
	ck_assert_str_eq(say(VERDICT_ASCII),
	    "near-critical: output x2.50e+02, first-layer gradient "
	    "x5.00e-01");
}
END_TEST

START_TEST(test_nan)
{
	act[2] = xmag_from_double(1);
	grad[0] = xmag_from_double(NAN);
	ck_assert_str_eq(say(VERDICT_SVG),
	    "<tspan font-weight=\"bold\">nan</tspan>: the float arithmetic "
	    "broke down (output ×1.00e+00, first-layer gradient ×nan)");
}
END_TEST

START_TEST(test_too_small)
{
	char buf[20];

	act[2] = xmag_from_double(1e-30);
	grad[0] = xmag_from_double(1e-30);
	ck_assert_int_eq(verdict_format(&res, VERDICT_SCREEN, buf, sizeof buf),
	    -1);
	ck_assert_int_eq(verdict_format(&res, VERDICT_STYLE_COUNT, buf,
	                     sizeof buf),
	    -1);
}
END_TEST

Suite *verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_styles);
	tcase_add_test(tc, test_nan);
	tcase_add_test(tc, test_too_small);
	suite_add_tcase(s, tc);
	return s;
}
