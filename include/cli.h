/*
 * cli: the command line, parsed into plain options.
 *
 * Owns the option table, the help and version texts and the error messages
 * for bad options. It never prints or exits: cli_parse fills a struct or a
 * one-line reason, and main decides what to print and which exit code to
 * return (0 ok, 2 usage or input error).
 */
#ifndef GRADSCOPE_CLI_H
#define GRADSCOPE_CLI_H

#include <stddef.h>

#include "engine.h"

typedef enum {
	CLI_MODE_VIEW,    /* no headless mode given: the live view */
	CLI_MODE_DUMP,    /* --dump: the per-layer CSV table */
	CLI_MODE_HELP,    /* --help */
	CLI_MODE_VERSION  /* --version */
} CliMode;

typedef struct {
	CliMode mode;
	EngineConfig cfg; /* engine_config_default, then the options */
	int ascii;        /* --ascii: the live view draws ASCII only */
} CliOptions;

/*
 * Parses argv (argv[0] is the program name). Returns 0 and fills *opt, or
 * -1 with one line in err naming the option, the value given and what is
 * accepted, e.g.
 *   "--lambda: '1e9' is out of range; accepted: a number from 0 to 100".
 * Never prints, never exits. May be called more than once (it resets
 * getopt's state), but not from two threads at once.
 */
int cli_parse(int argc, char **argv, CliOptions *opt, char *err,
    size_t errlen);

/* The --help text (ends in a newline; its list of the live view's keys
 * comes from the key table) and the version string. */
const char *cli_help_text(void);
const char *cli_version(void);

#endif
