/*
 * check_outtext: outside text reaches the terminal with every byte a
 * terminal obeys, and every byte that is not UTF-8, shown as '?', and
 * printable UTF-8 as it is.
 */
#include "outtext.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"

static const struct {
	const char *in, *out;
} outtext_cases[] = {
    {"plain text", "plain text"},
    {"\x1b[2Jclear", "?[2Jclear"},
    {"\x1b]52;c;aGk=\x07", "?]52;c;aGk=?"},
    {"tab\there\nline\r", "tab?here?line?"},
    {"del\x7f", "del?"},
    {"csi\x9b"
     "2J",
        "csi?2J"}, /* the raw 8-bit CSI */
    {"c1\xc2\x9b"
     "2J",
        "c1??2J"}, /* U+009B as UTF-8 */
    {"c1 first\xc2\x80 last\xc2\x9f", "c1 first?? last??"},
    {"nbsp\xc2\xa0ok", "nbsp\xc2\xa0ok"}, /* U+00A0 is printable */
    {"\xce\xbb=1.5 \xe2\x86\x92 \xf0\x9f\x98\x80",
        "\xce\xbb=1.5 \xe2\x86\x92 \xf0\x9f\x98\x80"},
    {"bad\xff\xfe", "bad??"},
    {"overlong\xc0\xaf", "overlong??"},
    {"overlong3\xe0\x80\xaf", "overlong3???"},
    {"surrogate\xed\xa0\x80", "surrogate???"},
    {"past\xf4\x90\x80\x80", "past????"},
    {"cut\xe2\x86", "cut??"},
    {"lone\x80", "lone?"},
};

START_TEST(test_write_replaces_each_bad_byte)
{
	const char *in = outtext_cases[_i].in;
	char buf[128];
	FILE *f = fmemopen(buf, sizeof buf, "w");

	ck_assert_ptr_nonnull(f);
	outtext_write(f, in, strlen(in));
	fputc('\0', f);
	fclose(f);
	ck_assert_str_eq(buf, outtext_cases[_i].out);
}
END_TEST

START_TEST(test_clean_as_write_does)
{
	char buf[128];

	ck_assert_str_eq(outtext_clean(outtext_cases[_i].in, buf, sizeof buf),
	    outtext_cases[_i].out);
}
END_TEST

/* A cut keeps whole characters and never leaves half of one. */
START_TEST(test_clean_cuts_at_characters)
{
	char buf[6];

	ck_assert_str_eq(outtext_clean("ab\xce\xbb\xce\xbb", buf, sizeof buf),
	    "ab\xce\xbb");
	ck_assert_str_eq(outtext_clean("\x1b\x1b\x1b\x1b\x1b\x1b\x1b", buf,
	                     sizeof buf),
	    "?????");
	ck_assert_str_eq(outtext_clean("abc", buf, 1), "");
}
END_TEST

START_TEST(test_char_len)
{
	ck_assert_int_eq(outtext_char_len("a", 1), 1);
	ck_assert_int_eq(outtext_char_len("\xce\xbb", 2), 2);
	ck_assert_int_eq(outtext_char_len("\xce\xbb", 1), 0);
	ck_assert_int_eq(outtext_char_len("\xe2\x86\x92", 3), 3);
	ck_assert_int_eq(outtext_char_len("\xf0\x9f\x98\x80", 4), 4);
	ck_assert_int_eq(outtext_char_len("\x1b", 1), 0);
	ck_assert_int_eq(outtext_char_len("\x9b", 1), 0);
	ck_assert_int_eq(outtext_char_len("\xc2\x9b", 2), 0);
	ck_assert_int_eq(outtext_char_len("", 0), 0);
}
END_TEST

Suite *outtext_suite(void)
{
	Suite *s = suite_create("outtext");
	TCase *tc = tcase_create("core");
	int n = (int)(sizeof outtext_cases / sizeof outtext_cases[0]);

	tcase_add_loop_test(tc, test_write_replaces_each_bad_byte, 0, n);
	tcase_add_loop_test(tc, test_clean_as_write_does, 0, n);
	tcase_add_test(tc, test_clean_cuts_at_characters);
	tcase_add_test(tc, test_char_len);
	suite_add_tcase(s, tc);
	return s;
}
