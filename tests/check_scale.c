/*
 * check_scale: the log-scale range and its hysteresis. Expected ranges
 * follow from the rule in src/scale.c (round out to whole decades, keep
 * at least 10^-1 .. 10^1, grow at once, shrink after three updates that
 * use under half of the range).
 */
#include "scale.h"

#include <check.h>
#include <math.h>

#include "suites.h"

#define assert_range(s, l, h) \
	do { \
		ck_assert_int_eq((s).lo, (l)); \
		ck_assert_int_eq((s).hi, (h)); \
	} while (0)

START_TEST(test_init)
{
	Scale s;

	s.lo = 5;
	s.hi = 9;
	s.shrink = 2;
	scale_init(&s);
	assert_range(s, -1, 1);
	ck_assert_int_eq(s.shrink, 0);
}
END_TEST

START_TEST(test_extent_skips_specials)
{
	XMag v[7];
	double lo = 0, hi = 0;

	v[0] = xmag_from_double(0.0);
	v[1] = xmag_from_double(INFINITY);
	v[2] = xmag_from_double(1e-3);
	v[3] = xmag_from_double(NAN);
	v[4] = xmag_from_double(1e5);
	v[5] = xmag_from_double(10.0);
	v[6] = xmag_from_double(0.0);
	ck_assert_int_eq(scale_extent(v, 0, 6, &lo, &hi), 0);
	ck_assert_double_eq_tol(lo, -3.0, 1e-12);
	ck_assert_double_eq_tol(hi, 5.0, 1e-12);
	/* Only part of the vector: from and to are inclusive. */
	ck_assert_int_eq(scale_extent(v, 3, 5, &lo, &hi), 0);
	ck_assert_double_eq_tol(lo, 1.0, 1e-12);
	ck_assert_double_eq_tol(hi, 5.0, 1e-12);
	/* Nothing finite and non-zero: no extent, outputs untouched. */
	lo = hi = 42;
	ck_assert_int_eq(scale_extent(v, 0, 1, &lo, &hi), -1);
	ck_assert_int_eq(scale_extent(v, 3, 3, &lo, &hi), -1);
	ck_assert_double_eq(lo, 42);
	ck_assert_double_eq(hi, 42);
}
END_TEST

START_TEST(test_extent_past_double_range)
{
	XMag v[3];
	double lo, hi;

	v[0] = xmag_pow10(-400.25);
	v[1] = xmag_pow10(612.5);
	v[2] = xmag_pow10(3);
	ck_assert_int_eq(scale_extent(v, 0, 2, &lo, &hi), 0);
	ck_assert_double_eq_tol(lo, -400.25, 1e-9);
	ck_assert_double_eq_tol(hi, 612.5, 1e-9);
}
END_TEST

START_TEST(test_grows_at_once)
{
	Scale s;

	scale_init(&s);
	/* 1.5^150 = 10^26.4: up to the next decade in one update. */
	scale_follow(&s, -0.2, 26.4);
	assert_range(s, -1, 27);
	scale_follow(&s, -45.2, 3);
	assert_range(s, -46, 27);
	/* Whole decades are not rounded further out. */
	scale_init(&s);
	scale_follow(&s, -3, 4);
	assert_range(s, -3, 4);
}
END_TEST

START_TEST(test_always_includes_critical_line)
{
	Scale s;

	/* All data above 1, all data below 1, data at exactly 1: the range
	 * keeps a decade each side of 10^0. */
	scale_init(&s);
	scale_follow(&s, 5.2, 7.9);
	assert_range(s, -1, 8);
	scale_init(&s);
	scale_follow(&s, -9.5, -3.1);
	assert_range(s, -10, 1);
	scale_init(&s);
	scale_follow(&s, 0, 0);
	assert_range(s, -1, 1);
	/* Also after shrinking. */
	scale_init(&s);
	scale_follow(&s, 30, 40);
	scale_follow(&s, 2.5, 2.6);
	scale_follow(&s, 2.5, 2.6);
	scale_follow(&s, 2.5, 2.6);
	assert_range(s, -1, 3);
}
END_TEST

START_TEST(test_shrinks_after_three)
{
	Scale s;

	scale_init(&s);
	scale_follow(&s, 0, 26.4);
	assert_range(s, -1, 27);
	/* want = [-1, 3]: 4 decades of 28, under half. */
	scale_follow(&s, -0.5, 2.1);
	assert_range(s, -1, 27);
	ck_assert_int_eq(s.shrink, 1);
	scale_follow(&s, -0.5, 2.1);
	assert_range(s, -1, 27);
	scale_follow(&s, -0.5, 2.1);
	assert_range(s, -1, 3);
	ck_assert_int_eq(s.shrink, 0);
}
END_TEST

START_TEST(test_shrink_count_resets)
{
	Scale s;

	scale_init(&s);
	scale_follow(&s, -20, 20);
	scale_follow(&s, -1, 1);
	scale_follow(&s, -1, 1);
	/* Data that uses half the range again: the count starts over. */
	scale_follow(&s, -10, 10);
	ck_assert_int_eq(s.shrink, 0);
	scale_follow(&s, -1, 1);
	scale_follow(&s, -1, 1);
	assert_range(s, -20, 20);
	scale_follow(&s, -1, 1);
	assert_range(s, -1, 1);
}
END_TEST

START_TEST(test_no_shrink_at_half)
{
	Scale s;
	int i;

	scale_init(&s);
	scale_follow(&s, -1, 27);
	/* want = [-1, 13]: 14 of 28 decades is not under half. */
	for (i = 0; i < 10; i++)
		scale_follow(&s, -0.5, 12.5);
	assert_range(s, -1, 27);
	ck_assert_int_eq(s.shrink, 0);
}
END_TEST

START_TEST(test_moving_data_grows_then_shrinks)
{
	Scale s;

	/* Data that moves from far above to far below: the range grows
	 * down at once and lets go of the top three updates later. */
	scale_init(&s);
	scale_follow(&s, 0, 40);
	scale_follow(&s, -40, 0);
	assert_range(s, -40, 40);
	scale_follow(&s, -40, 0);
	scale_follow(&s, -40, 0);
	assert_range(s, -40, 40); /* 41 of 80 decades: half or more */
	scale_follow(&s, -12, -3);
	scale_follow(&s, -12, -3);
	scale_follow(&s, -12, -3);
	assert_range(s, -12, 1);
}
END_TEST

START_TEST(test_ignores_non_finite)
{
	Scale s;

	scale_init(&s);
	scale_follow(&s, -3, 3);
	scale_follow(&s, NAN, 2);
	scale_follow(&s, -INFINITY, INFINITY);
	assert_range(s, -3, 3);
	/* Ends given the wrong way round still mean the same interval. */
	scale_follow(&s, 5.5, -4.5);
	assert_range(s, -5, 6);
}
END_TEST

Suite *scale_suite(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = tcase_create("hysteresis");

	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_extent_skips_specials);
	tcase_add_test(tc, test_extent_past_double_range);
	tcase_add_test(tc, test_grows_at_once);
	tcase_add_test(tc, test_always_includes_critical_line);
	tcase_add_test(tc, test_shrinks_after_three);
	tcase_add_test(tc, test_shrink_count_resets);
	tcase_add_test(tc, test_no_shrink_at_half);
	tcase_add_test(tc, test_moving_data_grows_then_shrinks);
	tcase_add_test(tc, test_ignores_non_finite);
	suite_add_tcase(s, tc);
	return s;
}
