/*
 * check_param: the parameter table, walked row by row. Each row's default
 * is the engine's, its printed form reads back through the command line
 * and a preset file, a value past its range is refused by both with a
 * message naming the option or key and the range, and the names, ranks
 * and one-line forms agree with what the program printed before the
 * table existed.
 */
#include "suites.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "engine.h"
#include "keymap.h"
#include "param.h"
#include "scenario.h"
#include "tmpdir.h"

static void setup(void)
{
	tmpdir_make("param");
}

static void teardown(void)
{
	tmpdir_remove();
}

/* cli_parse on "gradscope" and the given arguments (NULL for none). */
static int parse(const char *a, const char *b, CliOptions *opt, char *err,
    size_t errlen)
{
	static char args[3][1024];
	char *argv[4];
	int argc = 1;

	snprintf(args[0], sizeof args[0], "gradscope");
	argv[0] = args[0];
	if (a != NULL) {
		snprintf(args[1], sizeof args[1], "%s", a);
		argv[argc++] = args[1];
	}
	if (b != NULL) {
		snprintf(args[2], sizeof args[2], "%s", b);
		argv[argc++] = args[2];
	}
	argv[argc] = NULL;
	return cli_parse(argc, argv, opt, err, errlen);
}

/* A preset file holding only key: value (quoted for a choice). */
static const char *put_field(ParamId id, const char *value)
{
	const char *path = in_tmp("p.json");
	const char *q = param_table[id].type == PARAM_CHOICE ? "\"" : "";
	char text[512];

	snprintf(text, sizeof text, "{\"%s\": %s%s%s}", param_table[id].key, q,
	    value, q);
	write_file(path, text, strlen(text));
	return path;
}

static Scenario sc;

/* Loads path: 0 and sc, or -1 and the message in err. */
static int load(const char *path, char *err, size_t errlen)
{
	char warn[512];

	return scenario_load(path, &sc, warn, sizeof warn, err, errlen);
}

/* A value of field id that is not its default: the largest. */
static ParamValue other_value(ParamId id)
{
	const ParamDef *p = &param_table[id];
	ParamValue v = p->def;

	switch (p->type) {
	case PARAM_NUMBER:
		v.number = p->max;
		break;
	case PARAM_INTEGER:
		v.integer = (int)p->max;
		break;
	case PARAM_UINT64:
		v.u64 = 9007199254740991u; /* what a preset holds exactly */
		break;
	case PARAM_CHOICE:
		v.integer = p->count - 1;
		break;
	}
	ck_assert_msg(memcmp(&v, &p->def, sizeof v) != 0,
	    "%s: the largest value is the default", p->name);
	return v;
}

static int value_eq(ParamId id, ParamValue a, ParamValue b)
{
	EngineConfig x, y;

	engine_config_default(&x);
	y = x;
	param_set(&x, id, a);
	param_set(&y, id, b);
	return param_equal(&x, &y, id);
}

/* ---------------------------------------------------------------------- */
/* The rows                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_default_is_the_engines)
{
	const ParamDef *p = &param_table[_i];
	EngineConfig def;
	ParamValue v;

	engine_config_default(&def);
	v = param_get(&def, (ParamId)_i);
	switch (p->type) {
	case PARAM_NUMBER:
		ck_assert_msg(v.number == p->def.number, "%s: %g, engine %g",
		    p->name, p->def.number, v.number);
		ck_assert(p->def.number >= p->min && p->def.number <= p->max);
		break;
	case PARAM_INTEGER:
		ck_assert_int_eq(v.integer, p->def.integer);
		ck_assert(p->def.integer >= p->min && p->def.integer <= p->max);
		break;
	case PARAM_UINT64:
		ck_assert_uint_eq(v.u64, p->def.u64);
		break;
	case PARAM_CHOICE:
		ck_assert_int_eq(v.integer, p->def.integer);
		ck_assert(p->def.integer >= 0 && p->def.integer < p->count);
		break;
	}
}
END_TEST

/* Each row names its own field: the right size for its type, inside the
 * struct, and setting it changes that field alone. */
START_TEST(test_row_is_its_field)
{
	const ParamDef *p = &param_table[_i];
	static const size_t sizes[] = {[PARAM_NUMBER] = sizeof(double),
	    [PARAM_INTEGER] = sizeof(int),
	    [PARAM_UINT64] = sizeof(uint64_t),
	    [PARAM_CHOICE] = sizeof(int)};
	EngineConfig def, cfg;
	int j;

	ck_assert_uint_eq(p->size, sizes[p->type]);
	ck_assert_uint_le(p->offset + p->size, sizeof(EngineConfig));
	engine_config_default(&def);
	cfg = def;
	param_set(&cfg, (ParamId)_i, other_value((ParamId)_i));
	ck_assert(!param_equal(&cfg, &def, (ParamId)_i));
	for (j = 0; j < PARAM_COUNT; j++)
		if (j != _i)
			ck_assert_msg(param_equal(&cfg, &def, (ParamId)j),
			    "setting %s changed %s", p->name,
			    param_table[j].name);
	ck_assert(value_eq((ParamId)_i, param_get(&cfg, (ParamId)_i),
	    other_value((ParamId)_i)));
}
END_TEST

/* The default's printed form, and another value's, read back through
 * --option and through the preset key, and the writer keeps them. */
START_TEST(test_printed_form_reads_back)
{
	const ParamDef *p = &param_table[_i];
	ParamValue values[2];
	char text[64], opt_eq[128], err[512];
	CliOptions opt;
	Preset pre;
	int k;

	values[0] = p->def;
	values[1] = other_value((ParamId)_i);
	for (k = 0; k < 2; k++) {
		param_value_text((ParamId)_i, values[k], text, sizeof text);
		snprintf(opt_eq, sizeof opt_eq, "--%s=%s", p->option, text);
		ck_assert_msg(parse(opt_eq, NULL, &opt, err, sizeof err) == 0,
		    "%s refused: %s", opt_eq, err);
		ck_assert_uint_eq(opt.given, CLI_GIVEN(_i));
		ck_assert_msg(value_eq((ParamId)_i,
		                  param_get(&opt.cfg, (ParamId)_i), values[k]),
		    "%s did not read back", opt_eq);

		ck_assert_msg(load(put_field((ParamId)_i, text), err,
		                  sizeof err) == 0,
		    "\"%s\": %s refused: %s", p->key, text, err);
		ck_assert(value_eq((ParamId)_i,
		    param_get(&sc.steps[0].cfg, (ParamId)_i), values[k]));

		scenario_preset_default(&pre);
		param_set(&pre.cfg, (ParamId)_i, values[k]);
		ck_assert_msg(scenario_save(in_tmp("w.json"), &pre, 1, err,
		                  sizeof err) == 0,
		    "%s", err);
		ck_assert_int_eq(load(in_tmp("w.json"), err, sizeof err), 0);
		ck_assert(value_eq((ParamId)_i,
		    param_get(&sc.steps[0].cfg, (ParamId)_i), values[k]));
	}
}
END_TEST

/* A value past either end is refused, by the command line and by the
 * preset reader, naming the option (key) and the range. */
START_TEST(test_out_of_range_refused)
{
	const ParamDef *p = &param_table[_i];
	char bad[2][64], range[128], json_range[128], want[512], err[512];
	CliOptions opt;
	int k, n = 2;

	switch (p->type) {
	case PARAM_NUMBER:
		snprintf(bad[0], sizeof bad[0], "%.17g", p->max * 2 + 1);
		snprintf(bad[1], sizeof bad[1], "%.17g", p->min - 1);
		snprintf(range, sizeof range, "a number from %g to %g%s%s",
		    p->min, p->max, p->literal != NULL ? " or " : "",
		    p->literal != NULL ? p->literal : "");
		snprintf(json_range, sizeof json_range,
		    "a number from %g to %g%s%s%s", p->min, p->max,
		    p->literal != NULL ? " or \"" : "",
		    p->literal != NULL ? p->literal : "",
		    p->literal != NULL ? "\"" : "");
		break;
	case PARAM_INTEGER:
		snprintf(bad[0], sizeof bad[0], "%d", (int)p->max + 1);
		snprintf(bad[1], sizeof bad[1], "%d", (int)p->min - 1);
		snprintf(range, sizeof range, "an integer from %d to %d",
		    (int)p->min, (int)p->max);
		snprintf(json_range, sizeof json_range, "%s", range);
		break;
	case PARAM_UINT64:
		snprintf(bad[0], sizeof bad[0], "18446744073709551616");
		n = 1;
		snprintf(range, sizeof range, "an integer from 0 to %" PRIu64,
		    UINT64_MAX);
		snprintf(json_range, sizeof json_range,
		    "an integer from 0 to 9007199254740991");
		break;
	case PARAM_CHOICE:
		snprintf(bad[0], sizeof bad[0], "bogus");
		n = 1;
		snprintf(range, sizeof range, "%s", p->choice_names());
		snprintf(json_range, sizeof json_range, "%s", range);
		break;
	}
	for (k = 0; k < n; k++) {
		ck_assert_int_eq(parse("--dump", NULL, &opt, err, sizeof err),
		    0);
		snprintf(want, sizeof want, "--%s", p->option);
		ck_assert_int_eq(parse(want, bad[k], &opt, err, sizeof err),
		    -1);
		snprintf(want, sizeof want, "--%s: '%s' is %s; accepted: %s",
		    p->option, bad[k],
		    p->type == PARAM_CHOICE ? "not known" : "out of range",
		    range);
		ck_assert_str_eq(err, want);

		ck_assert_int_eq(load(put_field((ParamId)_i, bad[k]), err,
		                     sizeof err),
		    -1);
		snprintf(want, sizeof want, "\"%s\"", p->key);
		ck_assert_msg(strstr(err, want) != NULL, "%s", err);
		ck_assert_msg(strstr(err, json_range) != NULL, "%s", err);
		ck_assert_msg(strstr(err,
		                  p->type == PARAM_CHOICE ?
		                      "is not known" :
		                      "is out of range") != NULL,
		    "%s", err);
	}
	if (p->type == PARAM_UINT64) {
		/* Past what a JSON number holds exactly. */
		ck_assert_int_eq(load(put_field((ParamId)_i,
		                          "9007199254740992"),
		                     err, sizeof err),
		    -1);
		ck_assert_msg(strstr(err, json_range) != NULL, "%s", err);
	}
	if (p->type == PARAM_CHOICE) {
		for (k = 0; k < p->count; k++)
			ck_assert_msg(strstr(range, p->choice_name(k)) != NULL,
			    "%s not among %s", p->choice_name(k), range);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The table as a whole                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_names_unique)
{
	static const char *const text_keys[] = {"title", "caption", "steps"};
	const char *help = cli_help_text();
	char want[64];
	int i, j;

	for (i = 0; i < PARAM_COUNT; i++) {
		for (j = 0; j < i; j++) {
			ck_assert_str_ne(param_table[i].option,
			    param_table[j].option);
			ck_assert_str_ne(param_table[i].key,
			    param_table[j].key);
			ck_assert_str_ne(param_table[i].name,
			    param_table[j].name);
		}
		for (j = 0; j < 3; j++)
			ck_assert_str_ne(param_table[i].key, text_keys[j]);
		ck_assert_int_eq(param_by_key(param_table[i].key), i);
		/* --help lists the option once, as its own entry: no other
		 * option of the command line has its name. */
		snprintf(want, sizeof want, "\n  --%s ", param_table[i].option);
		ck_assert_ptr_nonnull(strstr(help, want));
		ck_assert_ptr_null(strstr(strstr(help, want) + 1, want));
	}
	ck_assert_int_eq(param_by_key("title"), -1);
}
END_TEST

/* The ranks are orders: each 0 .. PARAM_COUNT - 1 once; --help lists the
 * options in cli_rank order. */
START_TEST(test_ranks)
{
	const char *help = cli_help_text(), *at, *last = help;
	char want[64];
	int r, i;

	for (r = 0; r < PARAM_COUNT; r++) {
		i = param_by_cli_rank(r);
		ck_assert_int_ge(i, 0);
		ck_assert_int_ge(param_by_key_rank(r), 0);
		snprintf(want, sizeof want, "\n  --%s ", param_table[i].option);
		at = strstr(help, want);
		ck_assert_msg(at > last, "--%s is out of order in --help",
		    param_table[i].option);
		last = at;
	}
	ck_assert_int_eq(param_by_cli_rank(PARAM_COUNT), -1);
	ck_assert_int_eq(param_by_key_rank(-1), -1);
	/* The older orders, as --help and the key list had them. */
	ck_assert_int_eq(param_by_cli_rank(5), PARAM_SEED);
	ck_assert_int_eq(param_by_key_rank(6), PARAM_SEED);
}
END_TEST

/* A row's action is bound to a key and moves that field, only it, to its
 * next value, wrapping at the top. */
START_TEST(test_next_action)
{
	const ParamDef *p = &param_table[_i];
	const KeyBinding *t;
	EngineConfig def;
	AppState app;
	ParamValue v;
	size_t n, k;
	int j, bound = 0;

	if (p->next == ACTION_NONE)
		return;
	ck_assert_int_eq(param_by_action(p->next), _i);
	t = keymap_table(&n);
	for (k = 0; k < n; k++)
		bound |= t[k].action == p->next;
	ck_assert_msg(bound, "%s: no key for its action", p->name);

	engine_config_default(&def);
	app_init(&app, &def, 0);
	ck_assert_int_eq(app_apply(&app, p->next), APP_RECOMPUTE | APP_REDRAW);
	v = param_get(&app.cfg, (ParamId)_i);
	switch (p->type) {
	case PARAM_NUMBER:
		ck_assert(v.number == p->def.number + 1);
		break;
	case PARAM_UINT64:
		ck_assert_uint_eq(v.u64, p->def.u64 + 1);
		break;
	case PARAM_INTEGER:
	case PARAM_CHOICE:
		ck_assert_int_eq(v.integer, p->def.integer + 1);
		break;
	}
	for (j = 0; j < PARAM_COUNT; j++)
		if (j != _i)
			ck_assert(param_equal(&app.cfg, &def, (ParamId)j));
	/* From the largest value back to the smallest. */
	switch (p->type) {
	case PARAM_NUMBER:
		v.number = p->max;
		break;
	case PARAM_UINT64:
		v.u64 = UINT64_MAX;
		break;
	case PARAM_INTEGER:
		v.integer = (int)p->max;
		break;
	case PARAM_CHOICE:
		v.integer = p->count - 1;
		break;
	}
	param_set(&app.cfg, (ParamId)_i, v);
	app_apply(&app, p->next);
	v = param_get(&app.cfg, (ParamId)_i);
	ck_assert(p->type == PARAM_NUMBER ? v.number == p->min :
	        p->type == PARAM_UINT64   ? v.u64 == 0 :
	        p->type == PARAM_INTEGER  ? v.integer == (int)p->min :
	                                    v.integer == 0);
}
END_TEST

/* A change of any field makes configs differ; the swept ones (lambda
 * only) leave a sweep or map job standing. */
START_TEST(test_same)
{
	EngineConfig a, b;
	int i, swept = 0;

	engine_config_default(&a);
	ck_assert(param_same(&a, &a, 1));
	for (i = 0; i < PARAM_COUNT; i++) {
		b = a;
		param_set(&b, (ParamId)i, other_value((ParamId)i));
		ck_assert_msg(!param_same(&a, &b, 1), "%s",
		    param_table[i].name);
		ck_assert_int_eq(param_same(&a, &b, 0), param_table[i].swept);
		swept += param_table[i].swept;
	}
	ck_assert_int_eq(swept, 1);
	ck_assert(param_table[PARAM_LAMBDA].swept);
}
END_TEST

/* The one-line forms, as the status line, the SVG, a changed preset's
 * title and a saved file's name printed them before the table. */
START_TEST(test_lines)
{
	EngineConfig c;
	char buf[256];
	int i, s;

	engine_config_default(&c);
	param_line(&c, PARAM_LINE_STATUS, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=1.5000  L=150  n=2  identity  linear  exact  seed=1");
	param_line(&c, PARAM_LINE_STATUS_ASCII, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "lambda=1.5000  L=150  n=2  identity  linear  exact  seed=1");
	param_line(&c, PARAM_LINE_SVG, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=1.5 · L=150 · n=2 · init identity · activation linear · "
	    "precision exact · input ones · seed 1 · upstream random · "
	    "bias std 0 · arch plain · norm none · branch scale 1");
	param_line(&c, PARAM_LINE_SVG_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=1.5, 150 layers, identity init, linear activation");
	param_line(&c, PARAM_LINE_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf, "lambda=1.5 L=150 n=2 identity linear exact");
	/* A saved file's name tells init, activation, precision and seed
	 * apart. */
	ck_assert_int_eq(param_line(&c, PARAM_LINE_FILE, buf, sizeof buf), 45);
	ck_assert_str_eq(buf, "lambda1.5-L150-n2-identity-linear-exact-seed1");

	c.depth = 1;
	c.lambda = 0.1;
	c.act = ENGINE_ACT_TANH;
	c.seed = UINT64_MAX;
	param_line(&c, PARAM_LINE_SVG_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf, "λ=0.1, 1 layer, identity init, tanh activation");
	param_line(&c, PARAM_LINE_STATUS_ASCII, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "lambda=0.1000  L=1  n=2  identity  tanh  exact  "
	    "seed=18446744073709551615");

	/* The quiet rows show in the status lines and the title only
	 * away from their defaults; the SVG line always has them. */
	c.upstream = ENGINE_UPSTREAM_ONES;
	c.bias_std = 0.25;
	c.seed = 1;
	param_line(&c, PARAM_LINE_STATUS, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=0.1000  L=1  n=2  identity  tanh  exact  seed=1  "
	    "upstream ones  σb=0.2500");
	param_line(&c, PARAM_LINE_STATUS_ASCII, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "lambda=0.1000  L=1  n=2  identity  tanh  exact  seed=1  "
	    "upstream ones  bias=0.2500");
	param_line(&c, PARAM_LINE_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "lambda=0.1 L=1 n=2 identity tanh exact upstream ones bias=0.25");
	param_line(&c, PARAM_LINE_SVG, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=0.1 · L=1 · n=2 · init identity · activation tanh · "
	    "precision exact · input ones · seed 1 · upstream ones · "
	    "bias std 0.25 · arch plain · norm none · branch scale 1");

	/* The branch scale shows only with residual blocks; the literal
	 * as its word. */
	c.branch_scale = ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH;
	param_line(&c, PARAM_LINE_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "lambda=0.1 L=1 n=2 identity tanh exact upstream ones bias=0.25");
	c.arch = ENGINE_ARCH_RESIDUAL;
	c.norm = ENGINE_NORM_RMS;
	param_line(&c, PARAM_LINE_STATUS, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=0.1000  L=1  n=2  identity  tanh  exact  seed=1  "
	    "upstream ones  σb=0.2500  residual  norm rms  α=1/sqrt(L)");
	param_line(&c, PARAM_LINE_SVG_TITLE, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "λ=0.1, 1 layer, identity init, tanh "
	    "activation, residual blocks, rms norm");
	param_line(&c, PARAM_LINE_FILE, buf, sizeof buf);
	ck_assert_str_eq(buf, "lambda0.1-L1-n2-identity-tanh-exact-seed1");
	c.seed = UINT64_MAX;
	c.upstream = ENGINE_UPSTREAM_RANDOM;
	c.bias_std = 0;

	/* As snprintf: cut, terminated, the whole length returned. */
	ck_assert_int_eq(param_line(&c, PARAM_LINE_FILE, buf, 8), 60);
	ck_assert_str_eq(buf, "lambda0");
	ck_assert_int_eq(param_line(&c, PARAM_LINE_FILE, buf, 0), 60);

	/* Each form a row shows itself in holds its value once. */
	for (i = 0; i < PARAM_COUNT; i++)
		for (s = 0; s < PARAM_LINE_COUNT; s++) {
			const char *t = param_table[i].line[s];

			if (t == NULL)
				continue;
			ck_assert_ptr_nonnull(strstr(t, "{}"));
			ck_assert_ptr_null(strstr(strstr(t, "{}") + 2, "{}"));
		}
}
END_TEST

START_TEST(test_number_text)
{
	char buf[32];

	ck_assert_int_eq(param_number_text(1.5, buf, sizeof buf), 3);
	ck_assert_str_eq(buf, "1.5");
	param_number_text(0.1, buf, sizeof buf);
	ck_assert_str_eq(buf, "0.1");
	param_number_text(1.4142135623730951, buf, sizeof buf);
	ck_assert_str_eq(buf, "1.4142135623730951");
	param_number_text(100, buf, sizeof buf);
	ck_assert_str_eq(buf, "100");
}
END_TEST

Suite *param_suite(void)
{
	Suite *s = suite_create("param");
	TCase *tc;

	tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_default_is_the_engines, 0, PARAM_COUNT);
	tcase_add_loop_test(tc, test_row_is_its_field, 0, PARAM_COUNT);
	tcase_add_loop_test(tc, test_printed_form_reads_back, 0, PARAM_COUNT);
	tcase_add_loop_test(tc, test_out_of_range_refused, 0, PARAM_COUNT);
	tcase_add_loop_test(tc, test_next_action, 0, PARAM_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, test_names_unique);
	tcase_add_test(tc, test_ranks);
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_number_text);
	suite_add_tcase(s, tc);
	return s;
}
