/*
 * cli: the command line, parsed into plain options.
 * See include/cli.h for the contract.
 *
 * Precedence: arguments are read left to right. An error (unknown
 * option, bad value, stray argument) stops parsing and wins wherever it
 * stands; --help and --version print their text only when the whole
 * line is valid (the first of them given wins), so "--bogus --help" and
 * "--help --bogus" are the same error, and "--dump --help" prints the
 * help. Other options may repeat; the last one counts. The modes that exit
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
#include "param.h"
#include "scenario.h"
#include "sweep.h"

/* ---------------------------------------------------------------------- */
/* The option table                                                       */
/* ---------------------------------------------------------------------- */

/* The options that are not configuration fields (those come from the
 * parameter table, param.h). */
typedef enum {
	CLI_OPT_DUMP,
	CLI_OPT_ASCII,
	CLI_OPT_NO_MOUSE,
	CLI_OPT_SVG,
	CLI_OPT_SWEEP,
	CLI_OPT_TRAIN,
	CLI_OPT_SPECTRUM,
	CLI_OPT_SAVE_PRESET,
	CLI_OPT_FORCE,
	CLI_OPT_PRESET,
	CLI_OPT_STEP,
	CLI_OPT_LIST_PRESETS,
	CLI_OPT_THEME,
	CLI_OPT_LIST_THEMES,
	CLI_OPT_HELP,
	CLI_OPT_VERSION,
	CLI_OPT_COUNT
} CliOpt;

static const struct {
	const char *name;
	int has_arg;
	CliMode mode; /* the mode it asks for; CLI_MODE_VIEW if none */
} cli_opts[CLI_OPT_COUNT] = {
    [CLI_OPT_DUMP] = {"dump", no_argument, CLI_MODE_DUMP},
    [CLI_OPT_ASCII] = {"ascii", no_argument, CLI_MODE_VIEW},
    [CLI_OPT_NO_MOUSE] = {"no-mouse", no_argument, CLI_MODE_VIEW},
    [CLI_OPT_SVG] = {"svg", required_argument, CLI_MODE_SVG},
    [CLI_OPT_SWEEP] = {"sweep", required_argument, CLI_MODE_SWEEP},
    [CLI_OPT_TRAIN] = {"train", required_argument, CLI_MODE_TRAIN},
    [CLI_OPT_SPECTRUM] = {"spectrum", no_argument, CLI_MODE_SPECTRUM},
    [CLI_OPT_SAVE_PRESET] = {"save-preset", required_argument,
        CLI_MODE_SAVE_PRESET},
    [CLI_OPT_FORCE] = {"force", no_argument, CLI_MODE_VIEW},
    [CLI_OPT_PRESET] = {"preset", required_argument, CLI_MODE_VIEW},
    [CLI_OPT_STEP] = {"step", required_argument, CLI_MODE_VIEW},
    [CLI_OPT_LIST_PRESETS] = {"list-presets", no_argument,
        CLI_MODE_LIST_PRESETS},
    [CLI_OPT_THEME] = {"theme", required_argument, CLI_MODE_VIEW},
    [CLI_OPT_LIST_THEMES] = {"list-themes", no_argument, CLI_MODE_LIST_THEMES},
    [CLI_OPT_HELP] = {"help", no_argument, CLI_MODE_HELP},
    [CLI_OPT_VERSION] = {"version", no_argument, CLI_MODE_VERSION},
};

/* getopt's ids: past the char range, so that optopt tells long options
 * from short ones in its error returns; --help and --version share the
 * ids of -h and -V. */
#define CLI_ID_OPT 256
#define CLI_ID_PARAM 512

static int cli_opt_id(CliOpt o)
{
	return o == CLI_OPT_HELP ? 'h' :
	    o == CLI_OPT_VERSION ? 'V' :
	                           CLI_ID_OPT + (int)o;
}

/* The option an id names: 0 and *o, or -1 for a field or nothing. */
static int cli_opt_of(int id, CliOpt *o)
{
	if (id == 'h' || id == 'V')
		*o = id == 'h' ? CLI_OPT_HELP : CLI_OPT_VERSION;
	else if (id >= CLI_ID_OPT && id < CLI_ID_OPT + CLI_OPT_COUNT)
		*o = (CliOpt)(id - CLI_ID_OPT);
	else
		return -1;
	return 0;
}

/* The field an id names, or -1. */
static int cli_param_of(int id)
{
	return id >= CLI_ID_PARAM && id < CLI_ID_PARAM + PARAM_COUNT ?
	    id - CLI_ID_PARAM :
	    -1;
}

/*
 * getopt's table, built once: --dump, the fields in their --help order,
 * then the rest. The order is the one an ambiguous prefix's message lists
 * its matches in ("--d": --dump, --depth).
 */
static const struct option *cli_options(void)
{
	static struct option t[CLI_OPT_COUNT + PARAM_COUNT + 1];
	size_t n = 0;
	int i, r, p;

	if (t[0].name != NULL)
		return t;
	for (i = 0; i < CLI_OPT_COUNT; i++) {
		for (r = 0; i == CLI_OPT_ASCII && r < PARAM_COUNT; r++) {
			p = param_by_cli_rank(r);
			t[n++] = (struct option){param_table[p].option,
			    required_argument, NULL, CLI_ID_PARAM + p};
		}
		t[n++] = (struct option){cli_opts[i].name, cli_opts[i].has_arg,
		    NULL, cli_opt_id((CliOpt)i)};
	}
	return t;
}

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

	for (o = cli_options(); o->name != NULL; o++)
		if (o->val == id)
			return o->name;
	return NULL;
}

/* What an option accepts, for the "; accepted: ..." part of messages. */
static void cli_accepted(int id, char *buf, size_t len)
{
	int p = cli_param_of(id);
	CliOpt o;

	if (p >= 0) {
		param_accepted((ParamId)p, buf, len);
		return;
	}
	snprintf(buf, len, "no value");
	if (cli_opt_of(id, &o) < 0)
		return;
	switch (o) {
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
	case CLI_OPT_DUMP:
	case CLI_OPT_SPECTRUM:
	case CLI_OPT_ASCII:
	case CLI_OPT_NO_MOUSE:
	case CLI_OPT_FORCE:
	case CLI_OPT_LIST_PRESETS:
	case CLI_OPT_LIST_THEMES:
	case CLI_OPT_HELP:
	case CLI_OPT_VERSION:
	case CLI_OPT_COUNT:
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
	CLI_VALUE_EMPTY,
	CLI_VALUE_NOT_DECIMAL
} CliValue;

static const char *const cli_value_problem[] =
    {[CLI_VALUE_NOT_NUMBER] = "is not a number",
        [CLI_VALUE_NOT_INTEGER] = "is not an integer in plain digits",
        [CLI_VALUE_NOT_FINITE] = "is not a finite number",
        [CLI_VALUE_OUT_OF_RANGE] = "is out of range",
        [CLI_VALUE_NOT_KNOWN] = "is not known",
        [CLI_VALUE_EMPTY] = "is empty",
        [CLI_VALUE_NOT_DECIMAL] = "is not a decimal number"};

/* Whether the decimal number s (strtod read it whole) has a digit other
 * than 0 before its exponent: "-1e-400" does, and is negative even if it
 * reads as -0. */
static int cli_nonzero(const char *s)
{
	size_t n = strcspn(s, "eE");

	return strcspn(s, "123456789") < n;
}

/* A decimal number that strtod reads in full, with an exponent or not.
 * Hexadecimal ("0x10", which strtod reads as 16) is refused, and so is
 * any negative number, however small ("-1e-400", which strtod reads as
 * -0): every range here starts at 0. "-0" is 0. strtod follows
 * LC_NUMERIC, so the decimal point is '.' only as long as nobody sets
 * that category; a locale for curses needs LC_CTYPE alone. */
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
	if (strpbrk(s, "xX") != NULL)
		return CLI_VALUE_NOT_DECIMAL;
	if (*s == '-' && lo >= 0.0 && cli_nonzero(s))
		return CLI_VALUE_OUT_OF_RANGE;
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

/* Reads the value of field id into cfg, which changes only when it is
 * good. */
static CliValue cli_param(ParamId id, const char *arg, EngineConfig *cfg)
{
	const ParamDef *p = &param_table[id];
	CliValue r = CLI_VALUE_NOT_KNOWN;
	ParamValue v;

	memset(&v, 0, sizeof v);
	switch (p->type) {
	case PARAM_NUMBER:
		if (p->literal != NULL && strcmp(arg, p->literal) == 0) {
			v.number = p->literal_value;
			r = CLI_VALUE_OK;
			break;
		}
		r = cli_number(arg, p->min, p->max, &v.number);
		break;
	case PARAM_INTEGER:
		r = cli_int_field(arg, (int)p->min, (int)p->max, &v.integer);
		break;
	case PARAM_UINT64:
		r = cli_integer(arg, 0, UINT64_MAX, &v.u64);
		break;
	case PARAM_CHOICE:
		if (p->choice_parse(arg, &v.integer) == 0)
			r = CLI_VALUE_OK;
		break;
	}
	if (r == CLI_VALUE_OK)
		param_set(cfg, id, v);
	return r;
}

void cli_apply(const CliOptions *opt, EngineConfig *cfg)
{
	int i;

	for (i = 0; i < PARAM_COUNT; i++)
		if (opt->given & CLI_GIVEN(i))
			param_copy(cfg, &opt->cfg, (ParamId)i);
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
	for (o = cli_options(); o->name != NULL; o++) {
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

/* A name or file value, which must not be empty. */
static int cli_string(int id, const char *arg, const char **out, char *err,
    size_t errlen)
{
	if (*arg == '\0')
		return cli_fail_value(id, arg, CLI_VALUE_EMPTY, err, errlen);
	*out = arg;
	return 0;
}

/* An integer option that is not a field (--step, --train). */
static int cli_count(int id, const char *arg, int hi, int *out, char *err,
    size_t errlen)
{
	CliValue r = cli_int_field(arg, 1, hi, out);

	return r == CLI_VALUE_OK ? 0 : cli_fail_value(id, arg, r, err, errlen);
}

/*
 * Reads option o (and its value arg) into *opt; *mode_opt is the mode
 * option seen so far, or -1. Returns 0 to go on, 1 for --help and
 * --version (which print their text once the whole line is read and
 * found valid), -1 with the message.
 */
static int cli_option(CliOpt o, const char *arg, CliOptions *opt, int *mode_opt,
    char *err, size_t errlen)
{
	CliMode mode = cli_opts[o].mode;
	int id = cli_opt_id(o);

	if (mode == CLI_MODE_HELP || mode == CLI_MODE_VERSION)
		return 1;
	if (mode != CLI_MODE_VIEW) {
		if (*mode_opt >= 0 && *mode_opt != (int)o)
			return errmsg_set(err, errlen,
			    "--%s cannot be "
			    "combined with --%s; give one of them",
			    cli_opts[o].name, cli_opts[*mode_opt].name);
		*mode_opt = (int)o;
		opt->mode = mode;
	}
	switch (o) {
	case CLI_OPT_SVG:
	case CLI_OPT_SAVE_PRESET:
		return cli_string(id, arg, &opt->file, err, errlen);
	case CLI_OPT_SWEEP:
		return sweep_parse(arg, &opt->sweep_lo, &opt->sweep_hi,
		    &opt->sweep_step, err, errlen);
	case CLI_OPT_TRAIN:
		return cli_count(id, arg, CLI_TRAIN_STEPS_MAX,
		    &opt->train_steps, err, errlen);
	case CLI_OPT_STEP:
		return cli_count(id, arg, SCENARIO_STEPS_MAX, &opt->step, err,
		    errlen);
	case CLI_OPT_PRESET:
		return cli_string(id, arg, &opt->preset, err, errlen);
	case CLI_OPT_THEME:
		return cli_string(id, arg, &opt->theme, err, errlen);
	case CLI_OPT_ASCII:
		opt->ascii = 1;
		return 0;
	case CLI_OPT_NO_MOUSE:
		opt->no_mouse = 1;
		return 0;
	case CLI_OPT_FORCE:
		opt->force = 1;
		return 0;
	case CLI_OPT_DUMP:
	case CLI_OPT_SPECTRUM:
	case CLI_OPT_LIST_PRESETS:
	case CLI_OPT_LIST_THEMES:
	case CLI_OPT_HELP:
	case CLI_OPT_VERSION:
	case CLI_OPT_COUNT:
		return 0;
	}
	return 0;
}

int cli_parse(int argc, char **argv, CliOptions *opt, char *err, size_t errlen)
{
	CliOptions o;
	char accepted[128];
	CliValue r;
	CliOpt which;
	CliMode text = CLI_MODE_VIEW;
	int c, p, rc, mode_opt = -1;

	memset(&o, 0, sizeof o);
	o.mode = CLI_MODE_VIEW;
	engine_config_default(&o.cfg);

	/* optind = 0 makes glibc's getopt start afresh, forgetting any state
	 * of an earlier parse; opterr = 0 because messages are ours. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cli_short_options, cli_options(),
	            NULL)) != -1) {
		if (c == 1)
			return cli_fail_argument(optarg, err, errlen);
		if (c == ':') {
			cli_accepted(optopt, accepted, sizeof accepted);
			return errmsg_set(err, errlen,
			    "--%s: missing value; accepted: %s",
			    cli_option_name(optopt), accepted);
		}
		if ((p = cli_param_of(c)) >= 0) {
			r = cli_param((ParamId)p, optarg, &o.cfg);
			if (r != CLI_VALUE_OK)
				return cli_fail_value(c, optarg, r, err,
				    errlen);
			o.given |= CLI_GIVEN(p);
			continue;
		}
		if (c == '?' || cli_opt_of(c, &which) < 0)
			return cli_fail_option(argv[optind - 1], optopt, err,
			    errlen);
		rc = cli_option(which, optarg, &o, &mode_opt, err, errlen);
		if (rc < 0)
			return -1;
		if (rc > 0 && text == CLI_MODE_VIEW)
			text = cli_opts[which].mode;
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
	if (text != CLI_MODE_VIEW)
		o.mode = text;
	*opt = o;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Options the mode does not use                                          */
/* ---------------------------------------------------------------------- */

/* How a message names mode: "with --dump", "in the live view". */
static void cli_mode_phrase(CliMode mode, char *buf, size_t len)
{
	int i;

	snprintf(buf, len, "in the live view");
	for (i = 0; i < CLI_OPT_COUNT && mode != CLI_MODE_VIEW; i++)
		if (cli_opts[i].mode == mode)
			snprintf(buf, len, "with --%s", cli_opts[i].name);
}

int cli_unused(const CliOptions *opt, char *buf, size_t len)
{
	int view = opt->mode == CLI_MODE_VIEW, writes = 0, n = 0;
	size_t used = 0;
	char mode[32];
	const char *what[4];
	int i, k = 0;

	switch (opt->mode) {
	case CLI_MODE_HELP:
	case CLI_MODE_VERSION:
		return 0;
	case CLI_MODE_SVG:
	case CLI_MODE_SAVE_PRESET:
		writes = 1;
		break;
	case CLI_MODE_VIEW:
	case CLI_MODE_DUMP:
	case CLI_MODE_SWEEP:
	case CLI_MODE_TRAIN:
	case CLI_MODE_SPECTRUM:
	case CLI_MODE_LIST_PRESETS:
	case CLI_MODE_LIST_THEMES:
		break;
	}
	if (opt->theme != NULL && !view)
		what[k++] =
		    "--theme has no effect %s (it colours the live view)";
	if (opt->ascii && !view)
		what[k++] =
		    "--ascii has no effect %s (it is for the live view)";
	if (opt->no_mouse && !view)
		what[k++] =
		    "--no-mouse has no effect %s (it is for the live view)";
	if (opt->force && !writes)
		what[k++] = "--force has no effect %s (it lets --svg and "
		            "--save-preset replace a file)";
	cli_mode_phrase(opt->mode, mode, sizeof mode);
	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < k && used < len; i++) {
		n = snprintf(buf + used, len - used, what[i], mode);
		if (n < 0 || (size_t)n + 1 >= len - used) {
			buf[used] = '\0'; /* whole lines only */
			break;
		}
		used += (size_t)n;
		buf[used++] = '\n';
		buf[used] = '\0';
	}
	return k;
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
    "overrides an earlier one; a long option may be shortened to any\n"
    "prefix that names only it, as --lam for --lambda, but scripts should\n"
    "spell options in full, as a later version may add one that shares\n"
    "the prefix; numbers are decimal):\n"
    "  --dump             print the per-layer table as CSV and exit\n"
    "  --svg FILE         write both charts as an SVG image and exit\n"
    "  --sweep LO:HI:STEP print, as CSV, the output activation and the\n"
    "                       first-layer gradient for each lambda from LO\n"
    "                       to HI by STEP, with the theory's, and exit\n"
    "  --train STEPS      train the network by gradient descent on the toy\n"
    "                       task (width <= 1024, depth <= 10000, width^2\n"
    "                       x depth <= 2^28), print the loss per step as\n"
    "                       CSV, the verdict and the time per step on\n"
    "                       standard error, and exit\n"
    "  --spectrum         print the singular values of the input-output\n"
    "                       Jacobian as CSV, largest first, and exit\n"
    "                       (width <= 1024, depth <= 10000)\n"
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
    "  --no-mouse         leave the mouse to the terminal (its own\n"
    "                       selection); so does GRADSCOPE_NO_MOUSE=1\n";

/* After the fields' options. */
static const char cli_help_rest[] =
    "  -h, --help         print this help and exit\n"
    "  -V, --version      print the version and exit\n"
    "\n"
    "The defaults are the lesson's exploding case: W = 1.5 I, linear, 150\n"
    "layers of width 2, so activations grow like 1.5^l going forward and\n"
    "gradients like 1.5^(L-l) going back.\n"
    "\n"
    "A preset or theme NAME is looked for as NAME.json in ./presets (or\n"
    "./themes), then beside the executable (DIR/presets), then in the\n"
    "installed data directory (PREFIX/share/gradscope/presets), then in\n"
    "$XDG_CONFIG_HOME/gradscope/presets (default ~/.config/gradscope/...,\n"
    "where the view's S saves); a NAME with a '/' in it or ending in .json\n"
    "is a file. A lesson is a preset with steps; the modes that exit use\n"
    "its step 1, or step K with --step K. Started with no option that\n"
    "describes a network (none, or only --theme and --ascii), gradscope\n"
    "opens the lesson \"lesson\" at its first step (the defaults if not\n"
    "found).\n"
    "\n"
    "Without --dump, --svg, --sweep, --train, --spectrum, --save-preset\n"
    "or a --list option, gradscope opens the live view: per-layer\n"
    "activation and gradient magnitudes as log-scale bars that grow up from\n"
    "the line at 1 when they explode and down when they vanish; v shows\n"
    "the other views (the lambda sweep, the depth x lambda map, the\n"
    "Jacobian spectrum and live training). It needs a terminal that TERM\n"
    "describes; it\n"
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
    "prints step,loss (only: the verdict, converged, plateaued or\n"
    "diverged at step K, goes to standard error; see the README for their\n"
    "definitions); --spectrum prints index,singular_value, index 1 the\n"
    "largest. Numbers past double range print as 1.234567e+528: read\n"
    "them with Python's decimal.Decimal, or split at the e.\n"
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

/* The fields' options in --help: the description starts in column
 * CLI_HELP_COL, its further lines and the notes two columns in, and no
 * line is longer than CLI_HELP_WIDTH. */
#define CLI_HELP_COL 21
#define CLI_HELP_WIDTH 79
/* Joins words that a line break must not part. */
#define CLI_NBSP '\x01'

/* Appends text, broken at spaces into lines of at most CLI_HELP_WIDTH
 * columns that go on indented; the line starts at column col. */
static void cli_wrap(char *buf, size_t len, size_t *used, const char *text,
    int col)
{
	const char *w = text;
	size_t n, i;
	int first = 1;

	for (; *w != '\0'; w += n + (w[n] == ' ')) {
		n = strcspn(w, " ");
		if (!first && col + 1 + (int)n > CLI_HELP_WIDTH) {
			cli_append(buf, len, used, "\n%*s", CLI_HELP_COL + 2,
			    "");
			col = CLI_HELP_COL + 2;
		} else if (!first) {
			cli_append(buf, len, used, " ");
			col++;
		}
		for (i = 0; i < n; i++)
			cli_append(buf, len, used, "%c",
			    w[i] == CLI_NBSP ? ' ' : w[i]);
		col += (int)n;
		first = 0;
	}
	cli_append(buf, len, used, "\n");
}

/*
 * One field's option: "--OPTION META", then "HELP, ACCEPTED (default
 * DEF)", the default kept on the line of the word before it, then the
 * lines of the row's note under the description.
 */
static void cli_help_param(char *buf, size_t len, size_t *used, ParamId id)
{
	const ParamDef *p = &param_table[id];
	char left[64], accepted[128], def[64], desc[512];
	const char *line, *nl;

	snprintf(left, sizeof left, "--%s %s", p->option, p->meta);
	param_accepted(id, accepted, sizeof accepted);
	param_value_text(id, p->def, def, sizeof def);
	snprintf(desc, sizeof desc, "%s%s%s%c(default%c%s)", p->help,
	    p->help[0] != '\0' ? ", " : "", accepted, CLI_NBSP, CLI_NBSP, def);
	cli_append(buf, len, used, "  %-*s ", CLI_HELP_COL - 3, left);
	cli_wrap(buf, len, used, desc, CLI_HELP_COL);
	for (line = p->note; line != NULL && *line != '\0'; line = nl) {
		nl = line + strcspn(line, "\n");
		cli_append(buf, len, used, "%*s%.*s\n", CLI_HELP_COL + 2, "",
		    (int)(nl - line), line);
		nl += *nl == '\n';
	}
}

const char *cli_help_text(void)
{
	static char text[sizeof cli_help_head + sizeof cli_help_rest +
	    sizeof cli_help_tail + 8192];
	size_t used = 0;
	int r;

	if (text[0] == '\0') {
		cli_append(text, sizeof text, &used, "%s", cli_help_head);
		for (r = 0; r < PARAM_COUNT; r++)
			cli_help_param(text, sizeof text, &used,
			    (ParamId)param_by_cli_rank(r));
		cli_append(text, sizeof text, &used, "%s", cli_help_rest);
		cli_help_keys(text, sizeof text, &used);
		cli_append(text, sizeof text, &used, "%s", cli_help_tail);
	}
	return text;
}

const char *cli_version(void)
{
	return "gradscope 0.1.0";
}
