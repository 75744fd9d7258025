/*
 * check_cli: the command line. Every class of bad input gets a row in one
 * table and must come back as -1 with one line that names the option,
 * quotes the value and says what is accepted; good input must come back as
 * the values it spells.
 */
#include "suites.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "keymap.h"

#define MAX_ARGS 20

/*
 * Runs cli_parse on "gradscope" followed by args (NULL-terminated). The
 * strings are copied because cli_parse takes char **; the vector is
 * checked afterwards to be in its original order, since a getopt that
 * permuted it would surprise a caller that reads argv again. The copies
 * live until the next call, as the options' strings point into them.
 */
static int parse(const char *const *args, CliOptions *opt, char *err,
    size_t errlen)
{
	static char *kept[MAX_ARGS + 2];
	char *argv[MAX_ARGS + 2], *orig[MAX_ARGS + 2];
	int argc, i, rc;

	for (i = 0; kept[i] != NULL; i++) {
		free(kept[i]);
		kept[i] = NULL;
	}
	argv[0] = strdup("gradscope");
	for (argc = 1; args[argc - 1] != NULL; argc++) {
		ck_assert_int_le(argc, MAX_ARGS);
		argv[argc] = strdup(args[argc - 1]);
	}
	argv[argc] = NULL;
	memcpy(orig, argv, sizeof argv);
	rc = cli_parse(argc, argv, opt, err, errlen);
	for (i = 0; i < argc; i++) {
		ck_assert_ptr_eq(argv[i], orig[i]);
		kept[i] = argv[i];
	}
	return rc;
}

/* Parses args, which must succeed. */
static CliOptions parse_ok(const char *const *args)
{
	CliOptions opt;
	char err[256] = "";

	ck_assert_msg(parse(args, &opt, err, sizeof err) == 0,
	    "%s ... refused: %s", args[0] != NULL ? args[0] : "", err);
	return opt;
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_ARGS ((const char *const[]){NULL})

/* ---------------------------------------------------------------------- */
/* The error table                                                        */
/* ---------------------------------------------------------------------- */

typedef struct {
	const char *args[MAX_ARGS + 1];
	const char *want[3]; /* substrings the message must contain */
} ErrorCase;

#define NUMBER "; accepted: a number from 0 to 100"
#define DEPTH "; accepted: an integer from 1 to 100000"
#define WIDTH "; accepted: an integer from 1 to 4096"
#define SEED "; accepted: an integer from 0 to 18446744073709551615"
#define NOT_INT "is not an integer in plain digits"

static const ErrorCase error_cases[] = {
    /* unknown options and stray arguments */
    {{"--lamda", "1"}, {"unknown option '--lamda'; see --help"}},
    {{"--lamda=3"}, {"unknown option '--lamda'; see --help"}},
    {{"-x"}, {"unknown option '-x'; see --help"}},
    {{"-xh"}, {"unknown option '-x'"}},
    /* an error wins wherever --help stands: both orders agree */
    {{"--bogus", "--help"}, {"unknown option '--bogus'"}},
    {{"--help", "--bogus"}, {"unknown option '--bogus'"}},
    {{"-hx"}, {"unknown option '-x'"}},
    {{"--version", "--lambda", "0x10"},
        {"--lambda: '0x10' is not a decimal number"}},
    {{"foo"},
        {"unexpected argument 'foo'; gradscope takes only "
         "options, see --help"}},
    {{"--depth", "5", "foo"}, {"unexpected argument 'foo'"}},
    {{"--", "foo"}, {"unexpected argument 'foo'"}},
    {{"-"}, {"unexpected argument '-'"}},
    {{"--d"}, {"ambiguous option '--d'", "--dump", "--depth"}},
    {{"--in=ones"}, {"ambiguous option '--in'", "--init", "--input"}},
    {{"--dump=yes"}, {"--dump: 'yes' is not accepted", "takes no value"}},
    /* missing values */
    {{"--depth"}, {"--depth: missing value" DEPTH}},
    {{"--dump", "--lambda"}, {"--lambda: missing value" NUMBER}},
    {{"--width"}, {"--width: missing value" WIDTH}},
    {{"--seed"}, {"--seed: missing value" SEED}},
    {{"--init"},
        {"--init: missing value; accepted: "
         "identity|gaussian|orthogonal"}},
    /* not a number: junk, trailing junk, empty, blanks */
    {{"--lambda", "abc"}, {"--lambda: 'abc' is not a number" NUMBER}},
    {{"--lambda", "1.5x"}, {"--lambda: '1.5x' is not a number" NUMBER}},
    {{"--lambda", ""}, {"--lambda: '' is not a number" NUMBER}},
    {{"--lambda="}, {"--lambda: '' is not a number" NUMBER}},
    {{"--lambda", " 1"}, {"--lambda: ' 1' is not a number" NUMBER}},
    {{"--lambda", "1 "}, {"--lambda: '1 ' is not a number" NUMBER}},
    /* not finite */
    {{"--lambda", "nan"}, {"--lambda: 'nan' is not a finite number" NUMBER}},
    {{"--lambda=inf"}, {"--lambda: 'inf' is not a finite number" NUMBER}},
    {{"--lambda", "-Infinity"}, {"'-Infinity' is not a finite number" NUMBER}},
    /* out of range, including overflow */
    {{"--lambda", "100.0001"}, {"--lambda: '100.0001' is out of range" NUMBER}},
    {{"--lambda", "-1"}, {"--lambda: '-1' is out of range" NUMBER}},
    {{"--lambda", "1e9"}, {"--lambda: '1e9' is out of range" NUMBER}},
    {{"--lambda", "1e999"}, {"--lambda: '1e999' is out of range" NUMBER}},
    {{"--depth", "0"}, {"--depth: '0' is out of range" DEPTH}},
    {{"--depth", "100001"}, {"--depth: '100001' is out of range" DEPTH}},
    {{"--depth", "-5"}, {"--depth: '-5' is out of range" DEPTH}},
    {{"--depth", "99999999999999999999"},
        {"--depth: '99999999999999999999' is out of range" DEPTH}},
    {{"--width", "0"}, {"--width: '0' is out of range" WIDTH}},
    {{"--width=4097"}, {"--width: '4097' is out of range" WIDTH}},
    {{"--width", "4294967298"},
        {"--width: '4294967298' is out of range" WIDTH}},
    {{"--seed", "-1"}, {"--seed: '-1' is out of range" SEED}},
    {{"--seed", "18446744073709551616"},
        {"--seed: '18446744073709551616' is out of range" SEED}},
    /* integers are plain digits: no fractions, exponents, signs, hex */
    {{"--depth", "1.5"}, {"--depth: '1.5' " NOT_INT DEPTH}},
    {{"--depth", "1e3"}, {"--depth: '1e3' " NOT_INT DEPTH}},
    {{"--depth", "+5"}, {"--depth: '+5' " NOT_INT DEPTH}},
    {{"--depth", "0x10"}, {"--depth: '0x10' " NOT_INT DEPTH}},
    {{"--depth", ""}, {"--depth: '' " NOT_INT DEPTH}},
    {{"--depth", "-"}, {"--depth: '-' " NOT_INT DEPTH}},
    {{"--width", "abc"}, {"--width: 'abc' " NOT_INT WIDTH}},
    {{"--seed", "+1"}, {"--seed: '+1' " NOT_INT SEED}},
    {{"--seed", " 1"}, {"--seed: ' 1' " NOT_INT SEED}},
    {{"--seed", "1.0"}, {"--seed: '1.0' " NOT_INT SEED}},
    /* unknown mode names; case matters */
    {{"--init", "gauss"},
        {"--init: 'gauss' is not known; accepted: "
         "identity|gaussian|orthogonal"}},
    {{"--act", "Tanh"},
        {"--act: 'Tanh' is not known; accepted: "
         "linear|tanh|relu|sigmoid"}},
    {{"--precision", "double"},
        {"--precision: 'double' is not known; "
         "accepted: exact|float64|float32|float16|bfloat16"}},
    {{"--input=zeros"},
        {"--input: 'zeros' is not known; accepted: "
         "ones|random"}},
    /* an error before or after --help counts */
    {{"--depth", "0", "--help"}, {"--depth: '0' is out of range"}},
    {{"--help", "--depth", "0", "foo"}, {"--depth: '0' is out of range"}},
    {{"--help", "foo"}, {"unexpected argument 'foo'"}},
    /* hexadecimal and negative numbers, however small, are refused */
    {{"--lambda", "0x10"}, {"--lambda: '0x10' is not a decimal number" NUMBER}},
    {{"--lambda", "0X1p3"}, {"--lambda: '0X1p3' is not a decimal number"}},
    {{"--lambda=-1e-400"}, {"--lambda: '-1e-400' is out of range" NUMBER}},
    {{"--lambda", "-0.0001"}, {"--lambda: '-0.0001' is out of range"}},
    /* values shown cut and sanitised, so the message stays one line */
    {{"--act", "a\nb\x1b[31m"}, {"--act: 'a?b?[31m' is not known"}},
    {{"--lambda", "1234567890123456789012345678901234567890ZZZZZZZZ"},
        {"'1234567890123456789012345678901234567890...' is not a "
         "number"}},
    {{"--lamda\n\tx"}, {"unknown option '--lamda??x'"}},
    /* presets, lessons, themes and files */
    {{"--preset", ""},
        {"--preset: '' is empty; accepted: a preset or "
         "lesson name (see --list-presets) or a file"}},
    {{"--preset"}, {"--preset: missing value; accepted: a preset"}},
    {{"--theme="},
        {"--theme: '' is empty; accepted: a theme name (see "
         "--list-themes) or a file"}},
    {{"--svg", ""}, {"--svg: '' is empty; accepted: a file name"}},
    {{"--save-preset"},
        {"--save-preset: missing value; accepted: a "
         "file name"}},
    {{"--preset", "x", "--step", "0"},
        {"--step: '0' is out of range; "
         "accepted: an integer from 1 to 64"}},
    {{"--preset", "x", "--step", "65"}, {"--step: '65' is out of range"}},
    {{"--preset", "x", "--step", "two"}, {"--step: 'two' " NOT_INT}},
    {{"--step", "2"},
        {"--step needs --preset, the lesson to take the "
         "step from"}},
    {{"--force=yes"},
        {"--force: 'yes' is not accepted; --force takes "
         "no value"}},
    {{"--list-presets=all"}, {"--list-presets: 'all' is not accepted"}},
    /* one mode at a time */
    {{"--dump", "--svg", "a.svg"},
        {"--svg cannot be combined with "
         "--dump; give one of them"}},
    {{"--svg", "a.svg", "--dump"},
        {"--dump cannot be combined with "
         "--svg; give one of them"}},
    {{"--save-preset", "a.json", "--svg", "a.svg"},
        {"--svg cannot be "
         "combined with --save-preset"}},
    {{"--list-presets", "--list-themes"},
        {"--list-themes cannot be "
         "combined with --list-presets"}},
    {{"--list-themes", "--dump"},
        {"--dump cannot be combined with "
         "--list-themes"}},
    /* the sweep and training modes */
    {{"--sweep"},
        {"--sweep: missing value; accepted: LO:HI:STEP with "
         "0 <= LO <= HI <= 100 and STEP > 0"}},
    {{"--sweep", "1:0:0.1"}, {"--sweep: '1:0:0.1'", "accepted: LO:HI:STEP"}},
    {{"--sweep", "0:1"}, {"--sweep: '0:1'", "accepted: LO:HI:STEP"}},
    {{"--sweep", "0:1:0"}, {"--sweep: '0:1:0'", "STEP > 0"}},
    {{"--sweep", "0:101:1"}, {"--sweep: '0:101:1'", "HI <= 100"}},
    {{"--train"},
        {"--train: missing value; accepted: an integer from 1 "
         "to 100000"}},
    {{"--train", "0"},
        {"--train: '0' is out of range; accepted: an "
         "integer from 1 to 100000"}},
    {{"--train", "1e3"}, {"--train: '1e3' " NOT_INT}},
    {{"--dump", "--sweep", "0:1:0.5"},
        {"--sweep cannot be combined "
         "with --dump; give one of them"}},
    {{"--train", "10", "--sweep", "0:1:0.5"},
        {"--sweep cannot be "
         "combined with --train"}},
    /* prefixes shared by the new options */
    {{"--list"},
        {"ambiguous option '--list'", "--list-presets", "--list-themes"}},
    {{"--s", "1"}, {"ambiguous option '--s'", "--seed", "--svg"}},
    {{"--pre=x"}, {"ambiguous option '--pre'", "--precision", "--preset"}}};

START_TEST(test_error_table)
{
	const ErrorCase *c = &error_cases[_i];
	CliOptions opt;
	char err[512];
	int k;

	memset(err, 'X', sizeof err);
	ck_assert_int_eq(parse(c->args, &opt, err, sizeof err), -1);
	ck_assert_msg(strchr(err, '\n') == NULL, "row %d: newline in '%s'", _i,
	    err);
	ck_assert_msg(strlen(err) < 160, "row %d: long message '%s'", _i, err);
	for (k = 0; k < 3 && c->want[k] != NULL; k++)
		ck_assert_msg(strstr(err, c->want[k]) != NULL,
		    "row %d (%s): '%s' not in '%s'", _i, c->args[0], c->want[k],
		    err);
}
END_TEST

/* A message is quoted whole only up to 40 bytes. */
START_TEST(test_error_value_cut_at_40)
{
	char err[256], forty[41];

	memset(forty, '7', 40);
	forty[40] = '\0';
	ck_assert_int_eq(parse(ARGS("--seed", forty), &(CliOptions){0}, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "'7777777777777777777777777777777"
	    "777777777' is out of range"));
}
END_TEST

START_TEST(test_error_leaves_options_untouched)
{
	CliOptions opt;
	char err[256];

	memset(&opt, 0x5a, sizeof opt);
	ck_assert_int_eq(parse(ARGS("--depth", "7", "--width", "0"), &opt, err,
	                     sizeof err),
	    -1);
	ck_assert_int_eq(opt.cfg.depth, 0x5a5a5a5a);
	ck_assert_int_eq((int)opt.mode, 0x5a5a5a5a);
}
END_TEST

START_TEST(test_error_small_buffer)
{
	CliOptions opt;
	char err[8];

	memset(err, 'X', sizeof err);
	ck_assert_int_eq(parse(ARGS("--lambda", "abc"), &opt, err, sizeof err),
	    -1);
	ck_assert_str_eq(err, "--lambd");
	ck_assert_int_eq(parse(ARGS("--lambda", "abc"), &opt, NULL, 0), -1);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Good input                                                             */
/* ---------------------------------------------------------------------- */

static void assert_default_config(const EngineConfig *cfg)
{
	EngineConfig def;

	engine_config_default(&def);
	ck_assert(cfg->lambda == def.lambda);
	ck_assert_int_eq(cfg->depth, def.depth);
	ck_assert_int_eq(cfg->width, def.width);
	ck_assert_int_eq(cfg->init, def.init);
	ck_assert_int_eq(cfg->act, def.act);
	ck_assert_int_eq(cfg->precision, def.precision);
	ck_assert_int_eq(cfg->input, def.input);
	ck_assert_uint_eq(cfg->seed, def.seed);
}

START_TEST(test_defaults)
{
	CliOptions opt = parse_ok(NO_ARGS);

	ck_assert_int_eq(opt.mode, CLI_MODE_VIEW);
	ck_assert_int_eq(opt.ascii, 0);
	assert_default_config(&opt.cfg);
	/* The lesson's exploding case, as the help promises. */
	ck_assert(opt.cfg.lambda == 1.5);
	ck_assert_int_eq(opt.cfg.depth, 150);
	ck_assert_int_eq(opt.cfg.width, 2);
	ck_assert_int_eq(opt.cfg.init, ENGINE_INIT_IDENTITY);
	ck_assert_int_eq(opt.cfg.act, ENGINE_ACT_LINEAR);
	ck_assert_uint_eq(opt.cfg.seed, 1);
	ck_assert_int_eq(opt.cfg.precision, ENGINE_PRECISION_EXACT);
	ck_assert_int_eq(opt.cfg.input, ENGINE_INPUT_ONES);
}
END_TEST

START_TEST(test_every_option)
{
	CliOptions opt = parse_ok(ARGS("--lambda", "0.5", "--depth", "10",
	    "--width", "3", "--init", "orthogonal", "--act", "relu", "--seed",
	    "18446744073709551615", "--precision", "float32", "--input",
	    "random", "--dump"));

	ck_assert_int_eq(opt.mode, CLI_MODE_DUMP);
	ck_assert(opt.cfg.lambda == 0.5);
	ck_assert_int_eq(opt.cfg.depth, 10);
	ck_assert_int_eq(opt.cfg.width, 3);
	ck_assert_int_eq(opt.cfg.init, ENGINE_INIT_ORTHOGONAL);
	ck_assert_int_eq(opt.cfg.act, ENGINE_ACT_RELU);
	ck_assert_uint_eq(opt.cfg.seed, UINT64_MAX);
	ck_assert_int_eq(opt.cfg.precision, ENGINE_PRECISION_FLOAT32);
	ck_assert_int_eq(opt.cfg.input, ENGINE_INPUT_RANDOM);
}
END_TEST

/* --ascii is a flag of the view: it changes nothing else, takes no
 * value, and may come with --dump (where it has no effect). */
START_TEST(test_ascii)
{
	CliOptions opt = parse_ok(ARGS("--ascii"));
	char err[256];

	ck_assert_int_eq(opt.mode, CLI_MODE_VIEW);
	ck_assert_int_eq(opt.ascii, 1);
	assert_default_config(&opt.cfg);
	opt = parse_ok(ARGS("--depth", "7", "--ascii", "--dump", "--ascii"));
	ck_assert_int_eq(opt.mode, CLI_MODE_DUMP);
	ck_assert_int_eq(opt.ascii, 1);
	ck_assert_int_eq(opt.cfg.depth, 7);
	ck_assert_int_eq(opt.ascii, parse_ok(ARGS("--as")).ascii);
	ck_assert_int_eq(parse(ARGS("--ascii=yes"), &opt, err, sizeof err), -1);
	ck_assert_str_eq(err,
	    "--ascii: 'yes' is not accepted; --ascii takes "
	    "no value");
}
END_TEST

START_TEST(test_equals_forms)
{
	CliOptions opt = parse_ok(ARGS("--lambda=1e-2"));

	ck_assert_int_eq(opt.mode, CLI_MODE_VIEW);
	ck_assert(opt.cfg.lambda == 0.01);
	opt = parse_ok(ARGS("--depth=12", "--init=gaussian", "--seed=0",
	    "--act=sigmoid", "--precision=float64", "--input=ones"));
	ck_assert_int_eq(opt.cfg.depth, 12);
	ck_assert_int_eq(opt.cfg.init, ENGINE_INIT_GAUSSIAN);
	ck_assert_uint_eq(opt.cfg.seed, 0);
	ck_assert_int_eq(opt.cfg.act, ENGINE_ACT_SIGMOID);
	ck_assert_int_eq(opt.cfg.precision, ENGINE_PRECISION_FLOAT64);
	ck_assert_int_eq(opt.cfg.input, ENGINE_INPUT_ONES);
	opt = parse_ok(ARGS("--act", "tanh", "--lambda", "2.5E+1"));
	ck_assert_int_eq(opt.cfg.act, ENGINE_ACT_TANH);
	ck_assert(opt.cfg.lambda == 25.0);
}
END_TEST

START_TEST(test_boundaries)
{
	CliOptions opt;

	opt = parse_ok(ARGS("--lambda", "0", "--depth", "1", "--width", "1"));
	ck_assert(opt.cfg.lambda == 0.0);
	ck_assert_int_eq(opt.cfg.depth, ENGINE_DEPTH_MIN);
	ck_assert_int_eq(opt.cfg.width, ENGINE_WIDTH_MIN);
	opt = parse_ok(ARGS("--lambda", "100", "--depth", "100000", "--width",
	    "4096"));
	ck_assert(opt.cfg.lambda == ENGINE_LAMBDA_MAX);
	ck_assert_int_eq(opt.cfg.depth, ENGINE_DEPTH_MAX);
	ck_assert_int_eq(opt.cfg.width, ENGINE_WIDTH_MAX);
	/* -0 is 0, and reaches the engine without its sign. */
	opt = parse_ok(ARGS("--lambda", "-0", "--seed", "-0"));
	ck_assert(opt.cfg.lambda == 0.0 && !signbit(opt.cfg.lambda));
	ck_assert_uint_eq(opt.cfg.seed, 0);
	/* Leading zeros are still decimal, not octal. */
	opt = parse_ok(ARGS("--depth", "010", "--lambda", "1e-400"));
	ck_assert_int_eq(opt.cfg.depth, 10);
	ck_assert(opt.cfg.lambda >= 0.0 && opt.cfg.lambda < 1e-300);
}
END_TEST

START_TEST(test_later_overrides_earlier)
{
	CliOptions opt = parse_ok(ARGS("--depth", "5", "--init", "gaussian",
	    "--depth=7", "--init", "identity", "--lambda", "3"));

	ck_assert_int_eq(opt.cfg.depth, 7);
	ck_assert_int_eq(opt.cfg.init, ENGINE_INIT_IDENTITY);
	ck_assert(opt.cfg.lambda == 3.0);
}
END_TEST

START_TEST(test_unique_prefix)
{
	CliOptions opt = parse_ok(ARGS("--lam", "2", "--du", "--prec",
	    "float32"));

	ck_assert(opt.cfg.lambda == 2.0);
	ck_assert_int_eq(opt.mode, CLI_MODE_DUMP);
	ck_assert_int_eq(opt.cfg.precision, ENGINE_PRECISION_FLOAT32);
}
END_TEST

/* getopt keeps state in globals: each call must start afresh, even after
 * a parse that stopped in the middle of "-xh". */
START_TEST(test_repeated_calls)
{
	const char *const *a = ARGS("--depth", "9", "--act", "relu");
	CliOptions first, again;
	char err[256];

	first = parse_ok(a);
	parse_ok(ARGS("--depth", "3", "--dump", "--act", "tanh"));
	ck_assert_int_eq(parse(ARGS("-xh"), &again, err, sizeof err), -1);
	ck_assert_int_eq(parse(ARGS("--lambda"), &again, err, sizeof err), -1);
	again = parse_ok(a);
	ck_assert_int_eq(again.mode, first.mode);
	ck_assert_int_eq(again.mode, CLI_MODE_VIEW);
	ck_assert_int_eq(again.cfg.depth, 9);
	ck_assert_int_eq(again.cfg.act, ENGINE_ACT_RELU);
	ck_assert(again.cfg.lambda == first.cfg.lambda);
	ck_assert_int_eq(again.cfg.width, first.cfg.width);
	again = parse_ok(NO_ARGS);
	assert_default_config(&again.cfg);
}
END_TEST

/* Without --preset nothing but the defaults and the options. */
START_TEST(test_scenario_options_absent)
{
	CliOptions opt = parse_ok(NO_ARGS);

	ck_assert_uint_eq(opt.given, 0);
	ck_assert_int_eq(opt.step, 0);
	ck_assert_int_eq(opt.force, 0);
	ck_assert_ptr_null(opt.preset);
	ck_assert_ptr_null(opt.theme);
	ck_assert_ptr_null(opt.file);
}
END_TEST

START_TEST(test_scenario_options)
{
	CliOptions opt = parse_ok(ARGS("--preset", "lesson", "--step", "3",
	    "--theme", "light", "--force"));

	ck_assert_int_eq(opt.mode, CLI_MODE_VIEW);
	ck_assert_str_eq(opt.preset, "lesson");
	ck_assert_int_eq(opt.step, 3);
	ck_assert_str_eq(opt.theme, "light");
	ck_assert_int_eq(opt.force, 1);
	ck_assert_ptr_null(opt.file);

	opt = parse_ok(ARGS("--preset=a/b.json", "--step=64", "--svg",
	    "out.svg", "--svg=again.svg"));
	ck_assert_int_eq(opt.mode, CLI_MODE_SVG);
	ck_assert_str_eq(opt.preset, "a/b.json");
	ck_assert_int_eq(opt.step, 64);
	ck_assert_str_eq(opt.file, "again.svg");

	opt = parse_ok(ARGS("--save-preset", "mine.json", "--lambda", "2"));
	ck_assert_int_eq(opt.mode, CLI_MODE_SAVE_PRESET);
	ck_assert_str_eq(opt.file, "mine.json");
	ck_assert_int_eq(opt.force, 0);

	ck_assert_int_eq(parse_ok(ARGS("--list-presets")).mode,
	    CLI_MODE_LIST_PRESETS);
	ck_assert_int_eq(parse_ok(ARGS("--list-themes", "--list-themes")).mode,
	    CLI_MODE_LIST_THEMES);
	ck_assert_int_eq(parse_ok(ARGS("--dump", "--dump")).mode,
	    CLI_MODE_DUMP);
	ck_assert_int_eq(parse_ok(ARGS("--list-p")).mode,
	    CLI_MODE_LIST_PRESETS);
	opt = parse_ok(ARGS("--sweep", "0.5:1.5:0.25", "--depth", "30"));
	ck_assert_int_eq(opt.mode, CLI_MODE_SWEEP);
	ck_assert(opt.sweep_lo == 0.5 && opt.sweep_hi == 1.5 &&
	    opt.sweep_step == 0.25);
	ck_assert_int_eq(opt.cfg.depth, 30);
	opt = parse_ok(ARGS("--train=300", "--init", "orthogonal"));
	ck_assert_int_eq(opt.mode, CLI_MODE_TRAIN);
	ck_assert_int_eq(opt.train_steps, 300);
	/* The steps are not a config field: a preset keeps its own. */
	ck_assert_uint_eq(opt.given, CLI_GIVEN_INIT);
	/* --help still wins over a mode given before it. */
	ck_assert_int_eq(parse_ok(ARGS("--svg", "x", "--help")).mode,
	    CLI_MODE_HELP);
}
END_TEST

/* given records exactly the options that set the configuration, so that
 * they, and only they, override a preset. */
START_TEST(test_given_and_apply)
{
	CliOptions opt = parse_ok(ARGS("--preset", "p", "--depth", "7", "--act",
	    "tanh", "--seed", "0", "--ascii", "--dump"));
	EngineConfig cfg = {.lambda = 0.25,
	    .depth = 99,
	    .width = 33,
	    .init = ENGINE_INIT_ORTHOGONAL,
	    .act = ENGINE_ACT_RELU,
	    .precision = ENGINE_PRECISION_FLOAT32,
	    .input = ENGINE_INPUT_RANDOM,
	    .seed = 42};

	ck_assert_uint_eq(opt.given,
	    CLI_GIVEN_DEPTH | CLI_GIVEN_ACT | CLI_GIVEN_SEED);
	cli_apply(&opt, &cfg);
	ck_assert_int_eq(cfg.depth, 7);
	ck_assert_int_eq(cfg.act, ENGINE_ACT_TANH);
	ck_assert_uint_eq(cfg.seed, 0);
	/* The rest keep the preset's values, not the defaults. */
	ck_assert(cfg.lambda == 0.25);
	ck_assert_int_eq(cfg.width, 33);
	ck_assert_int_eq(cfg.init, ENGINE_INIT_ORTHOGONAL);
	ck_assert_int_eq(cfg.precision, ENGINE_PRECISION_FLOAT32);
	ck_assert_int_eq(cfg.input, ENGINE_INPUT_RANDOM);

	opt = parse_ok(ARGS("--lambda", "2", "--width", "3", "--init",
	    "gaussian", "--precision", "float64", "--input", "random"));
	ck_assert_uint_eq(opt.given,
	    CLI_GIVEN_LAMBDA | CLI_GIVEN_WIDTH | CLI_GIVEN_INIT |
	        CLI_GIVEN_PRECISION | CLI_GIVEN_INPUT);
	cli_apply(&opt, &cfg);
	ck_assert(cfg.lambda == 2.0);
	ck_assert_int_eq(cfg.width, 3);
	ck_assert_int_eq(cfg.init, ENGINE_INIT_GAUSSIAN);
	ck_assert_int_eq(cfg.precision, ENGINE_PRECISION_FLOAT64);
	ck_assert_int_eq(cfg.input, ENGINE_INPUT_RANDOM);
	ck_assert_int_eq(cfg.depth, 7);
	/* A value equal to the default still counts as given. */
	ck_assert_uint_eq(parse_ok(ARGS("--lambda", "1.5")).given,
	    CLI_GIVEN_LAMBDA);
}
END_TEST

/* --help and --version win over anything valid, before or after them
 * (an error anywhere wins over them: see test_error_table and the
 * precedence note in src/cli.c). */
START_TEST(test_help_and_version)
{
	ck_assert_int_eq(parse_ok(ARGS("--help")).mode, CLI_MODE_HELP);
	ck_assert_int_eq(parse_ok(ARGS("-h")).mode, CLI_MODE_HELP);
	ck_assert_int_eq(parse_ok(ARGS("--version")).mode, CLI_MODE_VERSION);
	ck_assert_int_eq(parse_ok(ARGS("-V")).mode, CLI_MODE_VERSION);
	ck_assert_int_eq(parse_ok(ARGS("--dump", "--depth", "5", "--help"))
	                     .mode,
	    CLI_MODE_HELP);
	ck_assert_int_eq(parse_ok(ARGS("--help", "--depth", "5", "--dump"))
	                     .mode,
	    CLI_MODE_HELP);
	ck_assert_int_eq(parse_ok(ARGS("--version", "--help")).mode,
	    CLI_MODE_VERSION);
	ck_assert_int_eq(parse_ok(ARGS("-Vh")).mode, CLI_MODE_VERSION);
	ck_assert_int_eq(parse_ok(ARGS("--hel")).mode, CLI_MODE_HELP);
}
END_TEST

/* The options a mode does not use are named, one line each, and only
 * those: --theme and --ascii outside the view, --force outside --svg and
 * --save-preset; nothing for --help. */
START_TEST(test_unused_options)
{
	CliOptions opt;
	char buf[512];

	opt = parse_ok(ARGS("--dump", "--theme", "nosuch", "--force"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 2);
	ck_assert_str_eq(buf,
	    "--theme has no effect with --dump (it colours the live view)\n"
	    "--force has no effect with --dump (it lets --svg and "
	    "--save-preset replace a file)\n");
	opt = parse_ok(ARGS("--ascii", "--train", "5"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 1);
	ck_assert_str_eq(buf,
	    "--ascii has no effect with --train (it is for the live view)\n");
	opt = parse_ok(ARGS("--force", "--theme", "light", "--ascii"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 1);
	ck_assert_str_eq(buf,
	    "--force has no effect in the live view (it lets --svg and "
	    "--save-preset replace a file)\n");
	opt = parse_ok(ARGS("--svg", "x.svg", "--force"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	opt = parse_ok(ARGS("--save-preset", "x.json", "--force"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 0);
	opt = parse_ok(ARGS("--list-themes", "--theme", "x"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 1);
	ck_assert_str_eq(buf,
	    "--theme has no effect with --list-themes (it colours the live "
	    "view)\n");
	opt = parse_ok(ARGS("--theme", "x", "--force", "--dump", "--help"));
	ck_assert_int_eq(cli_unused(&opt, buf, sizeof buf), 0);
	/* A small buffer keeps whole lines. */
	opt = parse_ok(ARGS("--dump", "--theme", "nosuch", "--force"));
	ck_assert_int_eq(cli_unused(&opt, buf, 70), 2);
	ck_assert_str_eq(buf,
	    "--theme has no effect with --dump (it colours the live view)\n");
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Help text                                                              */
/* ---------------------------------------------------------------------- */

static void assert_in_help(const char *what)
{
	ck_assert_msg(strstr(cli_help_text(), what) != NULL,
	    "'%s' not in the help", what);
}

/* The help's defaults, ranges and names are literal text: hold them to
 * the engine's own values so that they cannot drift. */
START_TEST(test_help_text)
{
	const char *help = cli_help_text();
	EngineConfig def;
	char s[128];

	ck_assert_uint_gt(strlen(help), 0);
	ck_assert_int_eq(help[strlen(help) - 1], '\n');
	ck_assert_ptr_eq(strstr(help, "Usage: gradscope"), help);
	engine_config_default(&def);
	snprintf(s, sizeof s, "(default %g)", def.lambda);
	assert_in_help(s);
	snprintf(s, sizeof s, "(default %d)", def.depth);
	assert_in_help(s);
	snprintf(s, sizeof s, "(default %d)", def.width);
	assert_in_help(s);
	snprintf(s, sizeof s, "(default %llu)", (unsigned long long)def.seed);
	assert_in_help(s);
	snprintf(s, sizeof s, "%s (default %s)", engine_init_names(),
	    engine_init_name(def.init));
	assert_in_help(s);
	snprintf(s, sizeof s, "%s (default %s)", engine_act_names(),
	    engine_act_name(def.act));
	assert_in_help(s);
	snprintf(s, sizeof s, "%s (default %s)", engine_precision_names(),
	    engine_precision_name(def.precision));
	assert_in_help(s);
	snprintf(s, sizeof s, "%s (default %s)", engine_input_names(),
	    engine_input_name(def.input));
	assert_in_help(s);
	snprintf(s, sizeof s, "a number from %g to %g", ENGINE_LAMBDA_MIN,
	    ENGINE_LAMBDA_MAX);
	assert_in_help(s);
	snprintf(s, sizeof s, "an integer from %d to %d", ENGINE_DEPTH_MIN,
	    ENGINE_DEPTH_MAX);
	assert_in_help(s);
	snprintf(s, sizeof s, "an integer from %d to %d", ENGINE_WIDTH_MIN,
	    ENGINE_WIDTH_MAX);
	assert_in_help(s);
	assert_in_help("18446744073709551615");
	assert_in_help("--dump ");
	assert_in_help("-h, --help");
	/* The prefixes getopt_long takes are documented, not hidden. */
	assert_in_help(
	    "may be shortened to any\nprefix that names only it, as --lam for --lambda");
	assert_in_help("numbers are decimal");
	assert_in_help("-V, --version");
	assert_in_help("Exit status: 0 ok");
	assert_in_help("2 usage or input error");
	assert_in_help("--ascii ");
	assert_in_help(
	    "Without --dump, --svg, --sweep, --train, --spectrum, "
	    "--save-preset\nor a --list option, gradscope opens the live "
	    "view");
	assert_in_help("NO_COLOR");
	assert_in_help("Examples:\n  gradscope --dump ");
	/* The new options, each on its own line of the list. */
	assert_in_help("\n  --svg FILE ");
	assert_in_help("\n  --save-preset FILE ");
	assert_in_help("\n  --force ");
	assert_in_help("\n  --preset NAME|FILE ");
	assert_in_help("\n  --step K ");
	assert_in_help("\n  --list-presets ");
	assert_in_help("\n  --theme NAME|FILE ");
	assert_in_help("\n  --list-themes ");
	assert_in_help("\n  --sweep LO:HI:STEP ");
	assert_in_help("\n  --train STEPS ");
	assert_in_help("theory_activation_rms and theory_gradient_rms");
	assert_in_help("~/.config/gradscope/");
	assert_in_help("Started with no option that");
}
END_TEST

/* The keys come from the key table: every action's wording is there,
 * on one line after the names of all its keys. */
START_TEST(test_help_keys)
{
	const KeyBinding *t;
	const char *keys, *desc, *line;
	char want[128], names[128];
	size_t n, i, len;

	keys = strstr(cli_help_text(), "Keys in the live view:\n");
	ck_assert_ptr_nonnull(keys);
	t = keymap_table(&n);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof want, " %s\n",
		    keymap_action_help(t[i].action, 1));
		desc = strstr(keys, want);
		ck_assert_msg(desc != NULL, "no help line for '%s'",
		    t[i].ascii_name);
		for (line = desc; line > keys && line[-1] != '\n'; line--)
			;
		/* The key column, blanks trimmed, as ", a, b, " so that
		 * each name can be looked for whole. */
		ck_assert(strncmp(line, "  ", 2) == 0);
		for (len = (size_t)(desc - line);
		     len > 2 && line[len - 1] == ' '; len--)
			;
		snprintf(names, sizeof names, ", %.*s, ", (int)(len - 2),
		    line + 2);
		snprintf(want, sizeof want, ", %s, ", t[i].ascii_name);
		ck_assert_msg(strstr(names, want) != NULL,
		    "'%s' not among the keys '%s' of '%s'", t[i].ascii_name,
		    names, keymap_action_help(t[i].action, 1));
	}
	assert_in_help("  Right, l, +, =     lambda += step\n");
	assert_in_help("  q, Esc             quit");
}
END_TEST

/* Every line of the help fits an 80-column terminal. */
START_TEST(test_help_width)
{
	const char *p = cli_help_text(), *nl;

	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		ck_assert_msg(nl - p < 80, "help line too long: %.*s",
		    (int)(nl - p), p);
}
END_TEST

START_TEST(test_version)
{
	ck_assert_str_eq(cli_version(), "gradscope 0.1.0");
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc;

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_error_table, 0,
	    (int)(sizeof error_cases / sizeof error_cases[0]));
	tcase_add_test(tc, test_error_value_cut_at_40);
	tcase_add_test(tc, test_error_leaves_options_untouched);
	tcase_add_test(tc, test_error_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_every_option);
	tcase_add_test(tc, test_ascii);
	tcase_add_test(tc, test_equals_forms);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_later_overrides_earlier);
	tcase_add_test(tc, test_unique_prefix);
	tcase_add_test(tc, test_repeated_calls);
	tcase_add_test(tc, test_scenario_options_absent);
	tcase_add_test(tc, test_scenario_options);
	tcase_add_test(tc, test_given_and_apply);
	tcase_add_test(tc, test_help_and_version);
	tcase_add_test(tc, test_unused_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("texts");
	tcase_add_test(tc, test_help_text);
	tcase_add_test(tc, test_help_keys);
	tcase_add_test(tc, test_help_width);
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}
