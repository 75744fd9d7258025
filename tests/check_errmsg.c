/*
 * check_errmsg: the reason a failure writes, cut to the caller's buffer,
 * and the -1 a failure path returns.
 */
#include "errmsg.h"

#include <check.h>
#include <string.h>

#include "suites.h"

START_TEST(test_formats_and_fails)
{
	char err[32];

	ck_assert_int_eq(errmsg_set(err, sizeof err, "--%s: '%d' is out",
	                     "depth", 0),
	    -1);
	ck_assert_str_eq(err, "--depth: '0' is out");
}
END_TEST

/* A long reason is cut to the buffer, NUL-terminated; a zero-length
 * buffer is not touched at all. */
START_TEST(test_cut_and_empty_buffer)
{
	char err[8];

	memset(err, 'X', sizeof err);
	ck_assert_int_eq(errmsg_set(err, 5, "%s", "abcdefgh"), -1);
	ck_assert_str_eq(err, "abcd");
	ck_assert_int_eq(err[5], 'X');
	memset(err, 'X', sizeof err);
	ck_assert_int_eq(errmsg_set(err, 0, "%s", "abcdefgh"), -1);
	ck_assert_int_eq(err[0], 'X');
}
END_TEST

Suite *errmsg_suite(void)
{
	Suite *s = suite_create("errmsg");
	TCase *tc = tcase_create("set");

	tcase_add_test(tc, test_formats_and_fails);
	tcase_add_test(tc, test_cut_and_empty_buffer);
	suite_add_tcase(s, tc);
	return s;
}
