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

/* A short path is quoted whole; a long one keeps both ends around "...",
 * fits ERRMSG_PATH_MAX, and is never cut inside a UTF-8 character. */
START_TEST(test_path_shortened)
{
	char buf[ERRMSG_PATH_SIZE], path[1000];
	const char *shown;
	size_t n;

	ck_assert_ptr_eq(errmsg_path("presets/x.json", buf), "presets/x.json");
	memset(path, 'a', ERRMSG_PATH_MAX);
	path[ERRMSG_PATH_MAX] = '\0';
	ck_assert_ptr_eq(errmsg_path(path, buf), path);

	/* "/" then 998 bytes of "é" (2 bytes each), then "z". */
	path[0] = '/';
	for (n = 1; n + 2 < sizeof path - 1; n += 2)
		memcpy(path + n, "\xc3\xa9", 2);
	path[n++] = 'z';
	path[n] = '\0';
	shown = errmsg_path(path, buf);
	ck_assert_ptr_eq(shown, buf);
	ck_assert_uint_le(strlen(shown), ERRMSG_PATH_MAX);
	ck_assert_uint_ge(strlen(shown), ERRMSG_PATH_MAX - 4);
	ck_assert_int_eq(shown[0], '/');
	ck_assert_int_eq(shown[strlen(shown) - 1], 'z');
	ck_assert_ptr_nonnull(strstr(shown, "\xc3\xa9..."));
	ck_assert_ptr_nonnull(strstr(shown, "...\xc3\xa9"));
}
END_TEST

Suite *errmsg_suite(void)
{
	Suite *s = suite_create("errmsg");
	TCase *tc = tcase_create("set");

	tcase_add_test(tc, test_formats_and_fails);
	tcase_add_test(tc, test_cut_and_empty_buffer);
	tcase_add_test(tc, test_path_shortened);
	suite_add_tcase(s, tc);
	return s;
}
