/*
 * check_keymap: the key table against the spec's table of keys.
 */
#include "keymap.h"

#include <check.h>
#include <string.h>

#include "suites.h"

/* The keys of the live view as the specs list them: issue 3's, then
 * issue 4's (lessons, picker, presenter, themes, save, export), with c
 * for the caption box and Enter for the picker, then issue 11's (u for
 * the upstream gradient, y and Y for the bias std). */
static const struct {
	int key;
	Action action;
} spec[] = {
    {KEYMAP_KEY_RIGHT, ACTION_LAMBDA_UP},
    {'l', ACTION_LAMBDA_UP},
    {'+', ACTION_LAMBDA_UP},
    {'=', ACTION_LAMBDA_UP},
    {KEYMAP_KEY_LEFT, ACTION_LAMBDA_DOWN},
    {'h', ACTION_LAMBDA_DOWN},
    {'-', ACTION_LAMBDA_DOWN},
    {']', ACTION_STEP_UP},
    {'[', ACTION_STEP_DOWN},
    {'1', ACTION_LAMBDA_ONE},
    {KEYMAP_KEY_UP, ACTION_DEPTH_UP},
    {'k', ACTION_DEPTH_UP},
    {KEYMAP_KEY_DOWN, ACTION_DEPTH_DOWN},
    {'j', ACTION_DEPTH_DOWN},
    {KEYMAP_KEY_PPAGE, ACTION_DEPTH_UP10},
    {KEYMAP_KEY_NPAGE, ACTION_DEPTH_DOWN10},
    {'w', ACTION_WIDTH_UP},
    {'W', ACTION_WIDTH_DOWN},
    {'>', ACTION_WIDTH_DOUBLE},
    {'<', ACTION_WIDTH_HALVE},
    {'a', ACTION_NEXT_ACT},
    {'i', ACTION_NEXT_INIT},
    {'f', ACTION_NEXT_PRECISION},
    {'s', ACTION_NEW_SEED},
    {'g', ACTION_TOGGLE_GRADIENT},
    {'z', ACTION_TOGGLE_PIN},
    {' ', ACTION_TOGGLE_PLAY},
    {'?', ACTION_HELP},
    {'q', ACTION_QUIT},
    {KEYMAP_KEY_ESC, ACTION_QUIT},
    {'n', ACTION_NEXT_STEP},
    {'N', ACTION_PREV_STEP},
    {'r', ACTION_RESTORE},
    {'p', ACTION_PICK},
    {KEYMAP_KEY_ENTER, ACTION_SELECT},
    {'c', ACTION_TOGGLE_CAPTION},
    {'P', ACTION_TOGGLE_PRESENTER},
    {'t', ACTION_NEXT_THEME},
    {'v', ACTION_NEXT_VIEW},
    {'o', ACTION_TOGGLE_THEORY},
    {'S', ACTION_SAVE},
    {'e', ACTION_EXPORT},
    {'u', ACTION_NEXT_UPSTREAM},
    {'y', ACTION_BIAS_UP},
    {'Y', ACTION_BIAS_DOWN},
    {'F', ACTION_TOGGLE_FULL},
    /* issue 13: the layer cursor and the baseline */
    {'x', ACTION_TOGGLE_CURSOR},
    {',', ACTION_CURSOR_LEFT},
    {'.', ACTION_CURSOR_RIGHT},
    {KEYMAP_KEY_HOME, ACTION_CURSOR_FIRST},
    {KEYMAP_KEY_END, ACTION_CURSOR_LAST},
    {'b', ACTION_BASELINE},
    {'B', ACTION_BASELINE_CLEAR},
    {'A', ACTION_NEXT_ARCH},
    {'m', ACTION_NEXT_NORM},
    {'}', ACTION_BRANCH_UP},
    {'{', ACTION_BRANCH_DOWN},
    {'*', ACTION_RATE_UP},
    {'/', ACTION_RATE_DOWN},
};

#define SPEC_COUNT (sizeof spec / sizeof spec[0])

START_TEST(test_spec_keys)
{
	size_t i;

	for (i = 0; i < SPEC_COUNT; i++)
		ck_assert_msg(keymap_lookup(spec[i].key) == spec[i].action,
		    "key %d: action %d, want %d", spec[i].key,
		    keymap_lookup(spec[i].key), spec[i].action);
}
END_TEST

START_TEST(test_table_is_the_spec)
{
	/* Every row of the table is in the spec and no key is bound twice:
	 * the table adds nothing the help would not show. */
	const KeyBinding *t;
	size_t n, i, j, found;

	t = keymap_table(&n);
	ck_assert_uint_eq(n, SPEC_COUNT);
	for (i = 0; i < n; i++) {
		found = 0;
		for (j = 0; j < SPEC_COUNT; j++)
			found += spec[j].key == t[i].key &&
			    spec[j].action == t[i].action;
		ck_assert_msg(found == 1, "row %zu (%s) not in the spec", i,
		    t[i].ascii_name);
		for (j = i + 1; j < n; j++)
			ck_assert_msg(t[i].key != t[j].key,
			    "key %s bound twice", t[i].ascii_name);
	}
}
END_TEST

START_TEST(test_unbound_keys)
{
	/* Keys nothing uses (r restores the step's settings since issue
	 * 12; x , . b B are the cursor's and the baseline's since 13). */
	static const int keys[] = {'Q', 'L', 'T', 'E', 'X', ';', 0, -1, '\n',
	    0x110000 + 99};
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_int_eq(keymap_lookup(keys[i]), ACTION_NONE);
}
END_TEST

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > 126 || (unsigned char)*s < 32)
			return 0;
	return 1;
}

START_TEST(test_help_texts)
{
	/* Every action has a key and a description in both wordings; the
	 * ASCII wording and key names are pure printable ASCII. */
	const KeyBinding *t;
	size_t n, i;
	int a, keys;

	t = keymap_table(&n);
	for (a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		keys = 0;
		for (i = 0; i < n; i++)
			keys += t[i].action == (Action)a;
		ck_assert_msg(keys > 0, "action %d has no key", a);
		ck_assert(strlen(keymap_action_help((Action)a, 0)) > 0);
		ck_assert(is_ascii(keymap_action_help((Action)a, 1)));
	}
	for (i = 0; i < n; i++) {
		ck_assert(is_ascii(t[i].ascii_name));
		ck_assert(strlen(t[i].name) > 0);
	}
	ck_assert_str_eq(keymap_action_help(ACTION_COUNT, 0), "");
}
END_TEST

Suite *keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_spec_keys);
	tcase_add_test(tc, test_table_is_the_spec);
	tcase_add_test(tc, test_unbound_keys);
	tcase_add_test(tc, test_help_texts);
	suite_add_tcase(s, tc);
	return s;
}
