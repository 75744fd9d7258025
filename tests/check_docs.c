/*
 * check_docs: the README, the man page and --help describe the same
 * command line and the same keys, and the man page's list of the fields'
 * options and preset keys is the parameter table's. Read from the source
 * tree (make check runs from its root).
 */
#include "cli.h"
#include "keymap.h"
#include "param.h"

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

/* The man page's entry for a field's option: from its ".BI --OPTION"
 * line to the next ".TP", or NULL. */
static char *docs_man_entry(char *man, const ParamDef *p, char **end)
{
	char want[160];
	char *at;

	snprintf(want, sizeof want, "\n.BI --%s \" %s\"\n", p->option,
	    p->type == PARAM_CHOICE ? p->choice_names() : p->meta);
	at = strstr(man, want);
	if (at == NULL)
		return NULL;
	*end = strstr(at + 1, "\n.TP");
	return at;
}

START_TEST(test_man_options_are_the_table)
{
	/* The man page's option list holds every field's option, in
	 * --help's order between --ascii and -h, named with its metavariable
	 * or choices, with its default and (for a range) its range. */
	char *man = docs_read("doc/gradscope.1"), *at, *end, *last;
	char def[64], want[160];
	const ParamDef *p;
	int r;

	ck_assert_ptr_nonnull(man);
	last = strstr(man, "\n.B --ascii\n");
	ck_assert_ptr_nonnull(last);
	for (r = 0; r < PARAM_COUNT; r++) {
		p = &param_table[param_by_cli_rank(r)];
		at = docs_man_entry(man, p, &end);
		ck_assert_msg(at != NULL, "the man page has no entry .BI --%s",
		    p->option);
		ck_assert_msg(at > last, "--%s is out of order in the man page",
		    p->option);
		ck_assert_ptr_nonnull(end);
		*end = '\0';
		param_value_text((ParamId)(p - param_table), p->def, def,
		    sizeof def);
		snprintf(want, sizeof want, "(default %s)", def);
		if (strstr(at, want) == NULL)
			snprintf(want, sizeof want, "%s\n(default)", def);
		ck_assert_msg(strstr(at, want) != NULL,
		    "the man page's --%s does not give the default %s",
		    p->option, def);
		if (p->type == PARAM_NUMBER || p->type == PARAM_INTEGER) {
			snprintf(want, sizeof want, "from %g to %g", p->min,
			    p->max);
			ck_assert_msg(strstr(at, want) != NULL,
			    "the man page's --%s lacks \"%s\"", p->option,
			    want);
		}
		*end = '\n';
		last = at;
	}
	at = strstr(man, "\n.BR -h \", \" --help\n");
	ck_assert_msg(at != NULL && at > last,
	    "-h is not after the fields' options in the man page");
	free(man);
}
END_TEST

START_TEST(test_man_preset_keys_are_the_table)
{
	/* FILES lists a preset's keys in the table's order. */
	char *man = docs_read("doc/gradscope.1"), *p, want[512];
	size_t used;
	int i;

	ck_assert_ptr_nonnull(man);
	for (p = man; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	used = (size_t)snprintf(want, sizeof want,
	    "A preset is a JSON object with the keys ");
	for (i = 0; i < PARAM_COUNT; i++)
		used += (size_t)snprintf(want + used, sizeof want - used,
		    "%s, ", param_table[i].key);
	snprintf(want + used, sizeof want - used, "title and caption;");
	ck_assert_msg(strstr(man, want) != NULL, "the man page lacks \"%s\"",
	    want);
	free(man);
}
END_TEST

Suite *docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("agree");

	tcase_add_test(tc, test_every_option_everywhere);
	tcase_add_test(tc, test_every_key_everywhere);
	tcase_add_test(tc, test_man_options_are_the_table);
	tcase_add_test(tc, test_man_preset_keys_are_the_table);
	suite_add_tcase(s, tc);
	return s;
}
