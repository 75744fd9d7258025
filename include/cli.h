/*
 * cli: the command line, parsed into plain options.
 *
 * Owns the option table, the help and version texts and the error messages
 * for bad options; the configuration fields' options, checks and help
 * lines come from the parameter table (param.h). It never prints or
 * exits: cli_parse fills a struct or a one-line reason, and main decides
 * what to print and which exit code to return (0 ok, 2 usage or input
 * error).
 */
#ifndef GRADSCOPE_CLI_H
#define GRADSCOPE_CLI_H

#include <stddef.h>

#include "engine.h"
#include "param.h"

typedef enum {
	CLI_MODE_VIEW,         /* no other mode given: the live view */
	CLI_MODE_DUMP,         /* --dump: the per-layer CSV table */
	CLI_MODE_SVG,          /* --svg FILE: the chart as SVG */
	CLI_MODE_SWEEP,        /* --sweep LO:HI:STEP: the lambda sweep CSV */
	CLI_MODE_TRAIN,        /* --train STEPS: the training run CSV */
	CLI_MODE_SPECTRUM,     /* --spectrum: the Jacobian's singular values */
	CLI_MODE_SAVE_PRESET,  /* --save-preset FILE */
	CLI_MODE_LIST_PRESETS, /* --list-presets */
	CLI_MODE_LIST_THEMES,  /* --list-themes */
	CLI_MODE_HELP,         /* --help */
	CLI_MODE_VERSION       /* --version */
} CliMode;

/* The bit of CliOptions.given for field id (param.h): an option set it.
 * The names are the fields' bits by name. */
#define CLI_GIVEN(id) (1u << (id))
enum {
	CLI_GIVEN_LAMBDA = CLI_GIVEN(PARAM_LAMBDA),
	CLI_GIVEN_DEPTH = CLI_GIVEN(PARAM_DEPTH),
	CLI_GIVEN_WIDTH = CLI_GIVEN(PARAM_WIDTH),
	CLI_GIVEN_INIT = CLI_GIVEN(PARAM_INIT),
	CLI_GIVEN_ACT = CLI_GIVEN(PARAM_ACT),
	CLI_GIVEN_SEED = CLI_GIVEN(PARAM_SEED),
	CLI_GIVEN_PRECISION = CLI_GIVEN(PARAM_PRECISION),
	CLI_GIVEN_INPUT = CLI_GIVEN(PARAM_INPUT)
};
_Static_assert(PARAM_COUNT <= 32, "CliOptions.given has a bit per field");

/* The strings point into the argv given to cli_parse. */
typedef struct {
	CliMode mode;
	EngineConfig cfg;   /* engine_config_default, then the options */
	unsigned given;     /* CLI_GIVEN_* of the options that set cfg */
	int ascii;          /* --ascii: the live view draws ASCII only */
	int no_mouse;       /* --no-mouse: the live view leaves the mouse */
	int force;          /* --force: --save-preset and --svg may replace */
	int step;           /* --step K (1-based), or 0 when not given */
	const char *preset; /* --preset NAME|FILE, or NULL */
	const char *theme;  /* --theme NAME|FILE, or NULL */
	const char *file;   /* the FILE of --svg or --save-preset, or NULL */
	double sweep_lo, sweep_hi, sweep_step; /* --sweep LO:HI:STEP */
	int train_steps;                       /* --train STEPS */
} CliOptions;

/* --train takes at most this many steps. */
#define CLI_TRAIN_STEPS_MAX 100000

/*
 * Parses argv (argv[0] is the program name). Returns 0 and fills *opt, or
 * -1 with one line in err naming the option, the value given and what is
 * accepted, e.g.
 *   "--lambda: '1e9' is out of range; accepted: a number from 0 to 100".
 * Only the options are checked here: whether a preset exists, or has the
 * step asked for, is for main to find out when it loads it. --step needs
 * --preset; two different modes (--dump and --svg, say) are an error.
 * Never prints, never exits. May be called more than once (it resets
 * getopt's state), but not from two threads at once.
 */
int cli_parse(int argc, char **argv, CliOptions *opt, char *err, size_t errlen);

/* The options given that opt->mode does not use, each said in one line
 * (ending in '\n') into buf: --theme and --ascii outside the live view
 * ("--theme has no effect with --dump (it colours the live view)"),
 * --force outside --svg and --save-preset. None for --help and
 * --version. Returns how many there are (0: buf is ""); main prints
 * them as warnings and goes on. */
int cli_unused(const CliOptions *opt, char *buf, size_t len);

/* Writes over *cfg the fields of opt->cfg that an option set (given):
 * options given explicitly win over a preset's values. */
void cli_apply(const CliOptions *opt, EngineConfig *cfg);

/* The --help text (ends in a newline; its list of the live view's keys
 * comes from the key table) and the version string. */
const char *cli_help_text(void);
const char *cli_version(void);

#endif
