/*
 * check_logaxis: round label steps, decade labels and the decades around
 * a set of values, against values worked out by hand.
 */
#include "logaxis.h"

#include <check.h>
#include <limits.h>
#include <math.h>

#include "suites.h"

START_TEST(test_next_round)
{
	static const int seq[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
	size_t i;

	for (i = 0; i + 1 < sizeof seq / sizeof seq[0]; i++)
		ck_assert_int_eq(logaxis_next_round(seq[i]), seq[i + 1]);
	/* From a number that is not round: doubled. */
	ck_assert_int_eq(logaxis_next_round(3), 6);
	ck_assert_int_eq(logaxis_next_round(25), 50);
	/* No overflow near INT_MAX. */
	ck_assert_int_eq(logaxis_next_round(INT_MAX / 10 + 1),
	    INT_MAX / 10 + 1);
}
END_TEST

START_TEST(test_step)
{
	/* 3 rows a decade, labels 2 rows apart: every decade. */
	ck_assert_int_eq(logaxis_step(3, 2), 1);
	/* 0.5 rows a decade: every 5 decades (2.5 rows), not 2 (1 row). */
	ck_assert_int_eq(logaxis_step(0.5, 2), 5);
	/* 300 px over 150 decades, labels 16 px apart: every 10. */
	ck_assert_int_eq(logaxis_step(2, 16), 10);
	/* No room at all: it stops growing. */
	ck_assert_int_ge(logaxis_step(0, 2), INT_MAX / 10);
}
END_TEST

START_TEST(test_decade_label)
{
	char buf[16];

	ck_assert_int_eq(logaxis_decade_label(4, buf, sizeof buf), 5);
	ck_assert_str_eq(buf, "1e+04");
	ck_assert_int_eq(logaxis_decade_label(-46, buf, sizeof buf), 5);
	ck_assert_str_eq(buf, "1e-46");
	ck_assert_int_eq(logaxis_decade_label(528, buf, sizeof buf), 6);
	ck_assert_str_eq(buf, "1e+528");
	ck_assert_int_eq(logaxis_decade_label(26, buf, 5), -1);
}
END_TEST

START_TEST(test_extent_and_decades)
{
	LogExtent e = {0, 0, 0};
	double lo, hi;

	/* Empty: one decade either side of 10^0. */
	logaxis_decades(&e, 0, &lo, &hi);
	ck_assert(lo == -1 && hi == 1);
	/* Specials are left out. */
	logaxis_extent_add(&e, xmag_from_double(0));
	logaxis_extent_add(&e, xmag_from_double(INFINITY));
	logaxis_extent_add(&e, xmag_from_double(NAN));
	ck_assert_int_eq(e.any, 0);
	logaxis_extent_add(&e, xmag_from_double(250)); /* 10^2.4 */
	logaxis_extent_add(&e, xmag_from_double(3e4)); /* 10^4.48 */
	logaxis_decades(&e, 0, &lo, &hi);
	ck_assert(lo == 2 && hi == 5);
	/* Taking in 10^0. */
	logaxis_decades(&e, 1, &lo, &hi);
	ck_assert(lo == 0 && hi == 5);
	/* A single power of ten: a decade either side. */
	e.any = 0;
	logaxis_extent_add(&e, xmag_from_double(1000));
	logaxis_decades(&e, 0, &lo, &hi);
	ck_assert(lo == 2 && hi == 4);
	/* Clamped far out. */
	e.lo = -5e9;
	e.hi = 5e9;
	logaxis_decades(&e, 0, &lo, &hi);
	ck_assert(lo == -1e9 && hi == 1e9);
}
END_TEST

Suite *logaxis_suite(void)
{
	Suite *s = suite_create("logaxis");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_next_round);
	tcase_add_test(tc, test_step);
	tcase_add_test(tc, test_decade_label);
	tcase_add_test(tc, test_extent_and_decades);
	suite_add_tcase(s, tc);
	return s;
}
