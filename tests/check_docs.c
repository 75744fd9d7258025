/*
 * check_docs: the README, the man page and --help describe the same
 * command line and the same keys. Read from the source tree (make check
 * runs from its root).
 */
#include "cli.h"
#include "keymap.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* The whole file, with roff's "\-" turned into "-", or NULL. */
static char *docs_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf, *r, *w;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	for (r = w = buf; *r; r++)
		if (!(r[0] == '\\' && r[1] == '-'))
			*w++ = *r;
	*w = '\0';
	return buf;
}

START_TEST(test_every_option_everywhere)
{
	/* Every --option that --help lists is in the README and in the man
	 * page. */
	static const char *const docs[] = {"README.md", "doc/gradscope.1"};
	const char *help = cli_help_text(), *p;
	char opt[32], *text;
	size_t d, n;
	int count = 0;

	for (d = 0; d < 2; d++) {
		text = docs_read(docs[d]);
		ck_assert_msg(text != NULL, "cannot read %s", docs[d]);
		for (p = strstr(help, "\n  --"); p != NULL;
		     p = strstr(p + 1, "\n  --")) {
			n = strcspn(p + 3, " \n=");
			ck_assert(n < sizeof opt);
			memcpy(opt, p + 3, n);
			opt[n] = '\0';
			ck_assert_msg(strstr(text, opt) != NULL,
			    "%s does not mention %s", docs[d], opt);
			count++;
		}
		free(text);
	}
	/* --dump --ascii --lambda --depth --width --init --act --seed
	 * --precision --input, twice. */
	ck_assert_int_ge(count, 20);
}
END_TEST

START_TEST(test_every_key_everywhere)
{
	/* Every key's name is in the README's and the man page's key tables
	 * (single characters as `x` in the README, as a table cell in the
	 * man page) and in --help. */
	const KeyBinding *t;
	const char *help = cli_help_text();
	char *readme = docs_read("README.md"),
	     *man = docs_read("doc/gradscope.1"), *keys, want[16];
	size_t n, i;

	ck_assert_ptr_nonnull(readme);
	ck_assert_ptr_nonnull(man);
	keys = strstr(man, ".SH KEYS");
	ck_assert_ptr_nonnull(keys);
	t = keymap_table(&n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(strstr(help, t[i].ascii_name) != NULL,
		    "--help lacks %s", t[i].ascii_name);
		if (strlen(t[i].ascii_name) == 1) {
			snprintf(want, sizeof want, "`%s`", t[i].ascii_name);
			ck_assert_msg(strstr(readme, want) != NULL,
			    "README lacks %s", want);
		} else {
			ck_assert_msg(strstr(readme, t[i].name) != NULL,
			    "README lacks %s", t[i].name);
		}
	}
	/* The man page's table has one row (one tab) per action. */
	{
		const char *p = strstr(keys, ".TS"), *end = strstr(keys, ".TE");
		int rows = 0;

		ck_assert(p != NULL && end != NULL && p < end);
		for (; p < end; p++)
			rows += *p == '\t';
		ck_assert_int_eq(rows, ACTION_COUNT - 1);
	}
	free(readme);
	free(man);
}
END_TEST

Suite *docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, test_every_option_everywhere);
	tcase_add_test(tc, test_every_key_everywhere);
	suite_add_tcase(s, tc);
	return s;
}
