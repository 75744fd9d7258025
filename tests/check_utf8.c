/*
 * check_utf8: stepping, cell counts and decoding of UTF-8, on strings
 * whose byte layout is written out here.
 */
#include "utf8.h"

#include <check.h>

#include "suites.h"

START_TEST(test_text_cells)
{
	ck_assert_int_eq(utf8_cells(""), 0);
	ck_assert_int_eq(utf8_cells("abc"), 3);
	ck_assert_int_eq(utf8_cells("λ=1 ×2 ▁█"), 9);
}
END_TEST

START_TEST(test_char_len)
{
	ck_assert_uint_eq(utf8_char_len("a"), 1);
	ck_assert_uint_eq(utf8_char_len("λx"), 2);
	ck_assert_uint_eq(utf8_char_len("█x"), 3);
	ck_assert_uint_eq(utf8_char_len("\xf0\x9f\x98\x80x"), 4);
	/* A lead byte cut short takes what follows it, no more. */
	ck_assert_uint_eq(utf8_char_len("\xe2\x96"), 2);
	/* A stray continuation byte starts a character of its own... */
	ck_assert_uint_eq(utf8_char_len("\x80"
	                                "a"),
	    1);
	/* ...and so do the continuation bytes after it. */
	ck_assert_uint_eq(utf8_char_len("\x80\x80"
	                                "a"),
	    2);
}
END_TEST

START_TEST(test_decode)
{
	int len;

	ck_assert_int_eq(utf8_decode("A", &len), 'A');
	ck_assert_int_eq(len, 1);
	ck_assert_int_eq(utf8_decode("\t", &len), '\t');
	ck_assert_int_eq(utf8_decode("λ", &len), 0x3bb);
	ck_assert_int_eq(len, 2);
	ck_assert_int_eq(utf8_decode("█", &len), 0x2588);
	ck_assert_int_eq(len, 3);
	ck_assert_int_eq(utf8_decode("\xf4\x8f\xbf\xbf", &len), 0x10ffff);
	ck_assert_int_eq(len, 4);
}
END_TEST

START_TEST(test_decode_malformed)
{
	static const char *const bad[] = {
	    "\x80",             /* stray continuation */
	    "\xc0\x80",         /* overlong NUL */
	    "\xc1\xbf",         /* overlong */
	    "\xe0\x80\x80",     /* overlong */
	    "\xed\xa0\x80",     /* surrogate U+D800 */
	    "\xf4\x90\x80\x80", /* past U+10FFFF */
	    "\xf8\x88\x80\x80", /* no such lead */
	    "\xe2\x96",         /* cut short */
	    "\xe2"
	    "a", /* not a continuation */
	};
	size_t i;
	int len;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		len = 7;
		ck_assert_int_eq(utf8_decode(bad[i], &len), -1);
		ck_assert_int_eq(len, 1);
	}
}
END_TEST

Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_text_cells);
	tcase_add_test(tc, test_char_len);
	tcase_add_test(tc, test_decode);
	tcase_add_test(tc, test_decode_malformed);
	suite_add_tcase(s, tc);
	return s;
}
