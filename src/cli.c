/*
 * cli: the command line, parsed into plain options.
 * See include/cli.h for the contract.
 *
 * Precedence: arguments are read left to right and the first one that
 * settles the outcome wins. An error (unknown option, bad value, stray
 * argument) stops parsing, and so does --help or --version, which then wins
 * over everything after it, valid or not, as in most GNU tools. So
 * "--depth 0 --help" is an error and "--help --depth 0" prints the help.
 * Other options may repeat; the last one counts. The modes that exit
 * (--dump, --svg, --sweep, --train, --save-preset, --list-presets,
 * --list-themes) exclude
 * each other: "--dump --svg x" is an error rather than a guess at which
 * one was meant.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "keymap.h"
#include "scenario.h"
#include "sweep.h"

/* ---------------------------------------------------------------------- */
/* The option table                                                       */
/* ---------------------------------------------------------------------- */

/* Long-only options get ids past the char range, so that getopt's optopt
 * tells them apart from short options in its error returns. */
enum {
	CLI_OPT_DUMP = 256,
	CLI_OPT_LAMBDA,
	CLI_OPT_DEPTH,
	CLI_OPT_WIDTH,
	CLI_OPT_INIT,
	CLI_OPT_ACT,
	CLI_OPT_SEED,
	CLI_OPT_PRECISION,
	CLI_OPT_INPUT,
	CLI_OPT_ASCII,
	CLI_OPT_SVG,
	CLI_OPT_SAVE_PRESET,
	CLI_OPT_FORCE,
	CLI_OPT_PRESET,
	CLI_OPT_STEP,
	CLI_OPT_LIST_PRESETS,
	CLI_OPT_THEME,
	CLI_OPT_LIST_THEMES,
	CLI_OPT_SWEEP,
	CLI_OPT_TRAIN,
	CLI_OPT_HELP = 'h',
	CLI_OPT_VERSION = 'V'
};

static const struct option cli_options[] = {{"dump", no_argument, NULL,
                                                CLI_OPT_DUMP},
    {"lambda", required_argument, NULL, CLI_OPT_LAMBDA},
    {"depth", required_argument, NULL, CLI_OPT_DEPTH},
    {"width", required_argument, NULL, CLI_OPT_WIDTH},
    {"init", required_argument, NULL, CLI_OPT_INIT},
    {"act", required_argument, NULL, CLI_OPT_ACT},
    {"seed", required_argument, NULL, CLI_OPT_SEED},
    {"precision", required_argument, NULL, CLI_OPT_PRECISION},
    {"input", required_argument, NULL, CLI_OPT_INPUT},
    {"ascii", no_argument, NULL, CLI_OPT_ASCII},
    {"svg", required_argument, NULL, CLI_OPT_SVG},
    {"sweep", required_argument, NULL, CLI_OPT_SWEEP},
    {"train", required_argument, NULL, CLI_OPT_TRAIN},
    {"save-preset", required_argument, NULL, CLI_OPT_SAVE_PRESET},
    {"force", no_argument, NULL, CLI_OPT_FORCE},
    {"preset", required_argument, NULL, CLI_OPT_PRESET},
    {"step", required_argument, NULL, CLI_OPT_STEP},
    {"list-presets", no_argument, NULL, CLI_OPT_LIST_PRESETS},
    {"theme", required_argument, NULL, CLI_OPT_THEME},
    {"list-themes", no_argument, NULL, CLI_OPT_LIST_THEMES},
    {"help", no_argument, NULL, CLI_OPT_HELP},
    {"version", no_argument, NULL, CLI_OPT_VERSION}, {NULL, 0, NULL, 0}};

/*
 * '-' makes getopt hand back stray arguments in place (as 1) instead of
 * permuting argv, so they are reported where they stand and argv is left
 * as the caller gave it. ':' makes a missing value return ':' rather than
 * '?', so it gets its own message.
 */
static const char cli_short_options[] = "-:hV";

static const char *cli_option_name(int id)
{
	const struct option *o;

	for (o = cli_options; o->name != NULL; o++)
		if (o->val == id)
			return o->name;
	return NULL;
}

/* What an option accepts, for the "; accepted: ..." part of messages. */
static void cli_accepted(int id, char *buf, size_t len)
{
	switch (id) {
	case CLI_OPT_LAMBDA:
		snprintf(buf, len, "a number from %g to %g", ENGINE_LAMBDA_MIN,
		    ENGINE_LAMBDA_MAX);
		break;
	case CLI_OPT_DEPTH:
		snprintf(buf, len, "an integer from %d to %d", ENGINE_DEPTH_MIN,
		    ENGINE_DEPTH_MAX);
		break;
	case CLI_OPT_WIDTH:
		snprintf(buf, len, "an integer from %d to %d", ENGINE_WIDTH_MIN,
		    ENGINE_WIDTH_MAX);
		break;
	case CLI_OPT_SEED:
		snprintf(buf, len, "an integer from 0 to %" PRIu64, UINT64_MAX);
		break;
	case CLI_OPT_INIT:
		snprintf(buf, len, "%s", engine_init_names());
		break;
	case CLI_OPT_ACT:
		snprintf(buf, len, "%s", engine_act_names());
		break;
	case CLI_OPT_PRECISION:
		snprintf(buf, len, "%s", engine_precision_names());
		break;
	case CLI_OPT_INPUT:
		snprintf(buf, len, "%s", engine_input_names());
		break;
	case CLI_OPT_STEP:
		snprintf(buf, len, "an integer from 1 to %d",
		    SCENARIO_STEPS_MAX);
		break;
	case CLI_OPT_PRESET:
		snprintf(buf, len,
		    "a preset or lesson name (see "
		    "--list-presets) or a file");
		break;
	case CLI_OPT_THEME:
		snprintf(buf, len,
		    "a theme name (see --list-themes) or a "
		    "file");
		break;
	case CLI_OPT_SVG:
	case CLI_OPT_SAVE_PRESET:
		snprintf(buf, len, "a file name");
		break;
	case CLI_OPT_SWEEP:
		snprintf(buf, len,
		    "LO:HI:STEP with %g <= LO <= HI <= %g and "
		    "STEP > 0",
		    ENGINE_LAMBDA_MIN, ENGINE_LAMBDA_MAX);
		break;
	case CLI_OPT_TRAIN:
		snprintf(buf, len, "an integer from 1 to %d",
		    CLI_TRAIN_STEPS_MAX);
		break;
	default:
		snprintf(buf, len, "no value");
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Values                                                                 */
/* ---------------------------------------------------------------------- */

typedef enum {
	CLI_VALUE_OK,
	CLI_VALUE_NOT_NUMBER,
	CLI_VALUE_NOT_INTEGER,
	CLI_VALUE_NOT_FINITE,
	CLI_VALUE_OUT_OF_RANGE,
	CLI_VALUE_NOT_KNOWN,
	CLI_VALUE_EMPTY
} CliValue;

static const char *const cli_value_problem[] =
    {[CLI_VALUE_NOT_NUMBER] = "is not a number",
        [CLI_VALUE_NOT_INTEGER] = "is not an integer in plain digits",
        [CLI_VALUE_NOT_FINITE] = "is not a finite number",
        [CLI_VALUE_OUT_OF_RANGE] = "is out of range",
        [CLI_VALUE_NOT_KNOWN] = "is not known",
        [CLI_VALUE_EMPTY] = "is empty"};

/* Anything strtod reads in full: decimal, exponent and hex forms. strtod
 * follows LC_NUMERIC, so the decimal point is '.' only as long as nobody
 * sets that category; a locale for curses needs LC_CTYPE alone. */
static CliValue cli_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	/* strtod would skip leading blanks; "--lambda ' 1'" is a typo. */
	if (*s == '\0' || *s == ' ' || (*s >= '\t' && *s <= '\r'))
		return CLI_VALUE_NOT_NUMBER;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return CLI_VALUE_NOT_NUMBER;
	/* Overflow reads as inf with ERANGE: a number, just too big. An
	 * underflow (also ERANGE) is a tiny value that the range check
	 * judges like any other. */
	if (errno == ERANGE && fabs(v) > 1.0)
		return CLI_VALUE_OUT_OF_RANGE;
	if (!isfinite(v))
		return CLI_VALUE_NOT_FINITE;
	if (v < lo || v > hi)
		return CLI_VALUE_OUT_OF_RANGE;
	/* "-0" is a fine way to say 0, but the engine should not see -0. */
	*out = v == 0.0 ? 0.0 : v;
	return CLI_VALUE_OK;
}

/*
 * Plain decimal digits with an optional '-'. "1e3", "1.5", "+2", "0x10"
 * and " 7" are refused outright rather than half-read or read in a base
 * the user did not mean. A minus sign makes a valid integer that is out of
 * range, since every range here starts at 0 or above ("-0" is 0).
 */
static CliValue cli_integer(const char *s, uint64_t lo, uint64_t hi,
    uint64_t *out)
{
	const char *digits = s + (*s == '-');
	unsigned long long v;

	if (*digits == '\0' || digits[strspn(digits, "0123456789")] != '\0')
		return CLI_VALUE_NOT_INTEGER;
	errno = 0;
	v = strtoull(digits, NULL, 10);
	if (errno == ERANGE || (digits != s && v != 0) || v < lo || v > hi)
		return CLI_VALUE_OUT_OF_RANGE;
	*out = v;
	return CLI_VALUE_OK;
}

static CliValue cli_int_field(const char *s, int lo, int hi, int *out)
{
	uint64_t v;
	CliValue r;

	r = cli_integer(s, (uint64_t)lo, (uint64_t)hi, &v);
	if (r == CLI_VALUE_OK)
		*out = (int)v;
	return r;
}

static CliValue cli_name_field(int known)
{
	return known == 0 ? CLI_VALUE_OK : CLI_VALUE_NOT_KNOWN;
}

/* Reads the value of option id into o. */
static CliValue cli_set(int id, const char *arg, CliOptions *o)
{
	EngineConfig *cfg = &o->cfg;

	switch (id) {
	case CLI_OPT_LAMBDA:
		return cli_number(arg, ENGINE_LAMBDA_MIN, ENGINE_LAMBDA_MAX,
		    &cfg->lambda);
	case CLI_OPT_DEPTH:
		return cli_int_field(arg, ENGINE_DEPTH_MIN, ENGINE_DEPTH_MAX,
		    &cfg->depth);
	case CLI_OPT_WIDTH:
		return cli_int_field(arg, ENGINE_WIDTH_MIN, ENGINE_WIDTH_MAX,
		    &cfg->width);
	case CLI_OPT_SEED:
		return cli_integer(arg, 0, UINT64_MAX, &cfg->seed);
	case CLI_OPT_INIT:
		return cli_name_field(engine_init_parse(arg, &cfg->init));
	case CLI_OPT_ACT:
		return cli_name_field(engine_act_parse(arg, &cfg->act));
	case CLI_OPT_PRECISION:
		return cli_name_field(engine_precision_parse(arg,
		    &cfg->precision));
	case CLI_OPT_INPUT:
		return cli_name_field(engine_input_parse(arg, &cfg->input));
	case CLI_OPT_STEP:
		return cli_int_field(arg, 1, SCENARIO_STEPS_MAX, &o->step);
	case CLI_OPT_TRAIN:
		return cli_int_field(arg, 1, CLI_TRAIN_STEPS_MAX,
		    &o->train_steps);
	default:
		return CLI_VALUE_NOT_KNOWN;
	}
}

/* The CLI_GIVEN_* bit of an option that sets a config field, or 0. */
static unsigned cli_given_bit(int id)
{
	switch (id) {
	case CLI_OPT_LAMBDA:
		return CLI_GIVEN_LAMBDA;
	case CLI_OPT_DEPTH:
		return CLI_GIVEN_DEPTH;
	case CLI_OPT_WIDTH:
		return CLI_GIVEN_WIDTH;
	case CLI_OPT_INIT:
		return CLI_GIVEN_INIT;
	case CLI_OPT_ACT:
		return CLI_GIVEN_ACT;
	case CLI_OPT_SEED:
		return CLI_GIVEN_SEED;
	case CLI_OPT_PRECISION:
		return CLI_GIVEN_PRECISION;
	case CLI_OPT_INPUT:
		return CLI_GIVEN_INPUT;
	default:
		return 0;
	}
}

void cli_apply(const CliOptions *opt, EngineConfig *cfg)
{
	if (opt->given & CLI_GIVEN_LAMBDA)
		cfg->lambda = opt->cfg.lambda;
	if (opt->given & CLI_GIVEN_DEPTH)
		cfg->depth = opt->cfg.depth;
	if (opt->given & CLI_GIVEN_WIDTH)
		cfg->width = opt->cfg.width;
	if (opt->given & CLI_GIVEN_INIT)
		cfg->init = opt->cfg.init;
	if (opt->given & CLI_GIVEN_ACT)
		cfg->act = opt->cfg.act;
	if (opt->given & CLI_GIVEN_SEED)
		cfg->seed = opt->cfg.seed;
	if (opt->given & CLI_GIVEN_PRECISION)
		cfg->precision = opt->cfg.precision;
	if (opt->given & CLI_GIVEN_INPUT)
		cfg->input = opt->cfg.input;
}

/* ---------------------------------------------------------------------- */
/* Messages                                                               */
/* ---------------------------------------------------------------------- */

/* Room for a quoted value: CLI_SHOW_MAX bytes, "..." and the NUL. */
#define CLI_SHOW_MAX 40
#define CLI_SHOW_SIZE (CLI_SHOW_MAX + 4)

/*
 * Copies the first n bytes of s for quoting in a message: cut to
 * CLI_SHOW_MAX with "...", so the message stays one readable line, and '?'
 * for any byte outside printable ASCII, so no newline or escape sequence
 * from argv reaches the terminal.
 */
static void cli_show(const char *s, size_t n, char *buf)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0' && i < CLI_SHOW_MAX; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	strcpy(buf + i, i < n && s[i] != '\0' ? "..." : "");
}

static int cli_fail_value(int id, const char *arg, CliValue problem, char *err,
    size_t errlen)
{
	char shown[CLI_SHOW_SIZE], accepted[128];

	cli_show(arg, strlen(arg), shown);
	cli_accepted(id, accepted, sizeof accepted);
	return errmsg_set(err, errlen, "--%s: '%s' %s; accepted: %s",
	    cli_option_name(id), shown, cli_value_problem[problem], accepted);
}

/*
 * An unknown or ambiguous long option, as the user typed it ("--lamda=3").
 * getopt_long takes unique prefixes ("--lam"), so a prefix of several
 * options is refused, and the message lists them.
 */
static int cli_fail_long(const char *arg, char *err, size_t errlen)
{
	const char *name = arg + 2;
	size_t n = strcspn(name, "=");
	const struct option *o;
	char shown[CLI_SHOW_SIZE], matches[128] = "";
	size_t used = 0;
	int count = 0;

	cli_show(arg, n + 2, shown);
	for (o = cli_options; o->name != NULL; o++) {
		if (n == 0 || strncmp(o->name, name, n) != 0)
			continue;
		if (used < sizeof matches)
			used += (size_t)snprintf(matches + used,
			    sizeof matches - used, "%s--%s",
			    count > 0 ? ", " : "", o->name);
		count++;
	}
	if (count > 1)
		return errmsg_set(err, errlen,
		    "ambiguous option '%s' (%s); see --help", shown, matches);
	return errmsg_set(err, errlen, "unknown option '%s'; see --help",
	    shown);
}

/* getopt returned '?': an unknown option, or a value for a flag. */
static int cli_fail_option(const char *arg, int optopt_seen, char *err,
    size_t errlen)
{
	const char *name = cli_option_name(optopt_seen);
	const char *eq;
	char shown[CLI_SHOW_SIZE], c[2];

	/* optopt names a known option only when it was given "=value" but
	 * takes none ("--dump=yes"). */
	if (name != NULL && (eq = strchr(arg, '=')) != NULL) {
		cli_show(eq + 1, strlen(eq + 1), shown);
		return errmsg_set(err, errlen,
		    "--%s: '%s' is not accepted; --%s takes no value", name,
		    shown, name);
	}
	if (optopt_seen == 0 && strncmp(arg, "--", 2) == 0)
		return cli_fail_long(arg, err, errlen);
	c[0] = (char)optopt_seen;
	c[1] = '\0';
	cli_show(c, 1, shown);
	return errmsg_set(err, errlen, "unknown option '-%s'; see --help",
	    shown);
}

static int cli_fail_argument(const char *arg, char *err, size_t errlen)
{
	char shown[CLI_SHOW_SIZE];

	cli_show(arg, strlen(arg), shown);
	return errmsg_set(err, errlen,
	    "unexpected argument '%s'; gradscope takes only options, "
	    "see --help",
	    shown);
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                */
/* ---------------------------------------------------------------------- */

/* The mode an option that exits asks for (--dump, --svg, ...). */
static CliMode cli_exit_mode(int id)
{
	switch (id) {
	case CLI_OPT_DUMP:
		return CLI_MODE_DUMP;
	case CLI_OPT_SVG:
		return CLI_MODE_SVG;
	case CLI_OPT_SWEEP:
		return CLI_MODE_SWEEP;
	case CLI_OPT_TRAIN:
		return CLI_MODE_TRAIN;
	case CLI_OPT_SAVE_PRESET:
		return CLI_MODE_SAVE_PRESET;
	case CLI_OPT_LIST_PRESETS:
		return CLI_MODE_LIST_PRESETS;
	default:
		return CLI_MODE_LIST_THEMES;
	}
}

/* A name or file value, which must not be empty. */
static int cli_string(int id, const char *arg, const char **out, char *err,
    size_t errlen)
{
	if (*arg == '\0')
		return cli_fail_value(id, arg, CLI_VALUE_EMPTY, err, errlen);
	*out = arg;
	return 0;
}

int cli_parse(int argc, char **argv, CliOptions *opt, char *err, size_t errlen)
{
	CliOptions o;
	char accepted[128];
	CliValue r;
	int c, mode_opt = 0;

	memset(&o, 0, sizeof o);
	o.mode = CLI_MODE_VIEW;
	engine_config_default(&o.cfg);

	/* optind = 0 makes glibc's getopt start afresh, forgetting any state
	 * of an earlier parse; opterr = 0 because messages are ours. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cli_short_options, cli_options,
	            NULL)) != -1) {
		switch (c) {
		case CLI_OPT_HELP:
			o.mode = CLI_MODE_HELP;
			*opt = o;
			return 0;
		case CLI_OPT_VERSION:
			o.mode = CLI_MODE_VERSION;
			*opt = o;
			return 0;
		case CLI_OPT_DUMP:
		case CLI_OPT_SVG:
		case CLI_OPT_SWEEP:
		case CLI_OPT_TRAIN:
		case CLI_OPT_SAVE_PRESET:
		case CLI_OPT_LIST_PRESETS:
		case CLI_OPT_LIST_THEMES:
			if (mode_opt != 0 && mode_opt != c)
				return errmsg_set(err, errlen,
				    "--%s cannot be "
				    "combined with --%s; give one of them",
				    cli_option_name(c),
				    cli_option_name(mode_opt));
			mode_opt = c;
			o.mode = cli_exit_mode(c);
			if ((c == CLI_OPT_SVG || c == CLI_OPT_SAVE_PRESET) &&
			    cli_string(c, optarg, &o.file, err, errlen) < 0)
				return -1;
			if (c == CLI_OPT_SWEEP &&
			    sweep_parse(optarg, &o.sweep_lo, &o.sweep_hi,
			        &o.sweep_step, err, errlen) < 0)
				return -1;
			if (c == CLI_OPT_TRAIN &&
			    (r = cli_set(c, optarg, &o)) != CLI_VALUE_OK)
				return cli_fail_value(c, optarg, r, err,
				    errlen);
			break;
		case CLI_OPT_PRESET:
			if (cli_string(c, optarg, &o.preset, err, errlen) < 0)
				return -1;
			break;
		case CLI_OPT_THEME:
			if (cli_string(c, optarg, &o.theme, err, errlen) < 0)
				return -1;
			break;
		case CLI_OPT_ASCII:
			o.ascii = 1;
			break;
		case CLI_OPT_FORCE:
			o.force = 1;
			break;
		case 1:
			return cli_fail_argument(optarg, err, errlen);
		case ':':
			cli_accepted(optopt, accepted, sizeof accepted);
			return errmsg_set(err, errlen,
			    "--%s: missing value; accepted: %s",
			    cli_option_name(optopt), accepted);
		case '?':
			return cli_fail_option(argv[optind - 1], optopt, err,
			    errlen);
		default:
			r = cli_set(c, optarg, &o);
			if (r != CLI_VALUE_OK)
				return cli_fail_value(c, optarg, r, err,
				    errlen);
			o.given |= cli_given_bit(c);
			break;
		}
	}
	/* Whatever follows a "--" is not an option either. */
	if (optind < argc)
		return cli_fail_argument(argv[optind], err, errlen);
	if (o.step > 0 && o.preset == NULL)
		return errmsg_set(err, errlen,
		    "--step needs --preset, the "
		    "lesson to take the step from");
	/* Each field was checked above; this catches any rule the engine
	 * has across fields, so that 0 here means the engine will accept. */
	if (engine_config_validate(&o.cfg, err, errlen) < 0)
		return -1;
	*opt = o;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Help and version                                                       */
/* ---------------------------------------------------------------------- */

/* The defaults and ranges written here are checked against the engine's
 * by tests/check_cli.c, so the text cannot drift from the code. */
static const char cli_help_head[] =
    "Usage: gradscope [OPTION]...\n"
    "Show how activation and gradient magnitudes grow or shrink, layer by\n"
    "layer, in a deep network: live in the terminal, or as a CSV table or\n"
    "an SVG chart.\n"
    "\n"
    "Options (--opt VALUE and --opt=VALUE both work; a later option\n"
    "overrides an earlier one):\n"
    "  --dump             print the per-layer table as CSV and exit\n"
    "  --svg FILE         write both charts as an SVG image and exit\n"
    "  --sweep LO:HI:STEP print, as CSV, the output activation and the\n"
    "                       first-layer gradient for each lambda from LO\n"
    "                       to HI by STEP, with the theory's, and exit\n"
    "  --train STEPS      train the network by gradient descent on the toy\n"
    "                       task (width <= 64, depth <= 500), print the\n"
    "                       loss per step as CSV and the verdict, and exit\n"
    "  --save-preset FILE write the scenario the other options describe as\n"
    "                       a preset file and exit\n"
    "  --force            let --svg and --save-preset replace an existing\n"
    "                       FILE (never replaced otherwise)\n"
    "  --preset NAME|FILE start from a preset or a lesson; the options\n"
    "                       below override its values\n"
    "  --step K           the step of the lesson, from 1 (default 1)\n"
    "  --list-presets     list the presets and lessons found, and exit\n"
    "  --theme NAME|FILE  the live view's colours (default dark)\n"
    "  --list-themes      list the themes found, and exit\n"
    "  --ascii            draw the live view with ASCII characters only\n"
    "  --lambda X         weight scale, a number from 0 to 100 "
    "(default 1.5)\n"
    "  --depth L          layers, an integer from 1 to 100000 "
    "(default 150)\n"
    "  --width N          units per layer, an integer from 1 to 4096 "
    "(default 2)\n"
    "  --init MODE        identity|gaussian|orthogonal (default identity)\n"
    "                       identity: W = lambda I; gaussian: entries\n"
    "                       N(0, lambda^2/n); orthogonal: W = lambda Q\n"
    "  --act MODE         linear|tanh|relu|sigmoid (default linear)\n"
    "  --seed S           random seed, an integer from 0 to\n"
    "                       18446744073709551615 (default 1)\n"
    "  --precision MODE   exact|float64|float32 (default exact)\n"
    "                       exact keeps magnitudes far past double range;\n"
    "                       float64 and float32 show where IEEE arithmetic\n"
    "                       overflows to inf or underflows to 0\n"
    "  --input MODE       ones|random (default ones)\n"
    "  -h, --help         print this help and exit\n"
    "  -V, --version      print the version and exit\n"
    "\n"
    "The defaults are the lesson's exploding case: W = 1.5 I, linear, 150\n"
    "layers of width 2, so activations grow like 1.5^l going forward and\n"
    "gradients like 1.5^(L-l) going back.\n"
    "\n"
    "A preset or theme NAME is looked for as NAME.json in ./presets (or\n"
    "./themes), then in the installed data directory\n"
    "(PREFIX/share/gradscope/presets), then in\n"
    "$XDG_CONFIG_HOME/gradscope/presets (default ~/.config/gradscope/...);\n"
    "a NAME with a '/' in it or ending in .json is a file. A lesson is a\n"
    "preset with steps; the modes that exit use its step 1, or step K\n"
    "with --step K. Started with no options at all, gradscope opens the\n"
    "lesson \"lesson\" at its first step (the defaults if not found).\n"
    "\n"
    "Without --dump, --svg, --sweep, --train, --save-preset or a --list\n"
    "option, gradscope opens the live view: per-layer activation and\n"
    "gradient magnitudes as log-scale bars that grow up from the line at 1\n"
    "when they explode and down when they vanish; v shows the other views\n"
    "(the lambda sweep, the depth x lambda map, the Jacobian spectrum and\n"
    "live training). It needs a terminal that TERM describes; it\n"
    "draws UTF-8 in a UTF-8 locale, else ASCII. Set NO_COLOR to a\n"
    "non-empty value for no colour (the bars' shapes still tell exploding\n"
    "from vanishing).\n"
    "\n"
    "Keys in the live view:\n";

static const char cli_help_tail[] =
    "\n"
    "The --dump CSV has the columns layer, activation_rms, gradient_rms,\n"
    "weight_gradient_rms, theory_activation_rms and theory_gradient_rms,\n"
    "one row per layer from 0 (the input) to L; the theory columns are\n"
    "the mean-field expectation (exact for identity weights).\n"
    "--sweep prints lambda,output_activation_rms,input_gradient_rms,\n"
    "theory_output_activation_rms,theory_input_gradient_rms; --train\n"
    "prints step,loss and a last line: converged, plateaued or diverged\n"
    "at step K (see the README for their definitions).\n"
    "\n"
    "Exit status: 0 ok, 1 out of memory or output not written,\n"
    "2 usage or input error (a bad option, or a preset or theme file that\n"
    "cannot be used), or no terminal the live view can use.\n"
    "\n"
    "Examples:\n"
    "  gradscope --dump --init gaussian --act tanh --width 64 --lambda 0.9\n"
    "  gradscope --preset he-relu --svg he-relu.svg\n"
    "  gradscope --preset lesson --step 4 --depth 300\n";

/* Appends to buf[*used..len), never past its end (the text is cut). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
cli_append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used = *used + (size_t)n < len ? *used + (size_t)n : len - 1;
}

/*
 * The keys, one line per action at its first binding, from the key table:
 * --help, the view's help overlay and the README cannot disagree. ASCII
 * names and wording, since --help may go to a pipe or a terminal that
 * cannot show UTF-8.
 */
static void cli_help_keys(char *buf, size_t len, size_t *used)
{
	const KeyBinding *t;
	size_t n, i, j, k;
	char keys[64];

	t = keymap_table(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && t[j].action != t[i].action; j++)
			;
		if (j < i)
			continue;
		k = 0;
		keys[0] = '\0';
		for (j = i; j < n; j++)
			if (t[j].action == t[i].action)
				cli_append(keys, sizeof keys, &k, "%s%s",
				    k > 0 ? ", " : "", t[j].ascii_name);
		cli_append(buf, len, used, "  %-18s %s\n", keys,
		    keymap_action_help(t[i].action, 1));
	}
}

const char *cli_help_text(void)
{
	static char text[sizeof cli_help_head + sizeof cli_help_tail + 4096];
	size_t used = 0;

	if (text[0] == '\0') {
		cli_append(text, sizeof text, &used, "%s", cli_help_head);
		cli_help_keys(text, sizeof text, &used);
		cli_append(text, sizeof text, &used, "%s", cli_help_tail);
	}
	return text;
}

const char *cli_version(void)
{
	return "gradscope 0.1.0";
}
