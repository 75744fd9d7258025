/*
 * main: picks the mode from the command line and owns the exit codes.
 *
 * Exit codes: 0 ok; 2 usage or input error (cli_parse refused the
 * options), or no terminal the live view can use; 1 the options were fine
 * but the work could not be done: out of memory, or standard output could
 * not be written. Keeping 1 apart lets a script tell "fix your command"
 * from "try again with more room".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dump.h"
#include "engine.h"
#include "ui.h"

enum {
	MAIN_EXIT_OK = 0,
	MAIN_EXIT_FAILURE = 1,
	MAIN_EXIT_USAGE = 2
};

static int main_write_failed(void)
{
	fprintf(stderr, "gradscope: cannot write standard output: %s\n",
	    strerror(errno));
	return MAIN_EXIT_FAILURE;
}

/* Computes the scenario and prints it as CSV. */
static int main_table(const EngineConfig *cfg)
{
	char err[256];
	EngineResult res;
	Engine *eng;
	int rc = MAIN_EXIT_OK;

	/* Up to 100001 rows: without a large buffer a terminal (line
	 * buffered) would take one write per row. Set before any output. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	eng = engine_new();
	if (eng == NULL) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	/* cli_parse has validated cfg, so a failure left here is a lack of
	 * memory, not a bad option. */
	if (engine_compute(eng, cfg, &res, err, sizeof err) < 0) {
		fprintf(stderr, "gradscope: %s\n", err);
		rc = MAIN_EXIT_FAILURE;
	} else if (dump_csv(stdout, &res) < 0) {
		rc = main_write_failed();
	}
	engine_free(eng);
	return rc;
}

int main(int argc, char **argv)
{
	char err[256];
	CliOptions opt;
	int rc = MAIN_EXIT_OK;
	int bad;

	if (cli_parse(argc, argv, &opt, err, sizeof err) < 0) {
		fprintf(stderr, "gradscope: %s\n", err);
		return MAIN_EXIT_USAGE;
	}
	switch (opt.mode) {
	case CLI_MODE_HELP:
		fputs(cli_help_text(), stdout);
		break;
	case CLI_MODE_VERSION:
		printf("%s\n", cli_version());
		break;
	case CLI_MODE_DUMP:
		rc = main_table(&opt.cfg);
		break;
	case CLI_MODE_VIEW:
		/* ui_run has restored the terminal before it returns, so
		 * the message lands on a clean line. */
		switch (ui_run(&opt.cfg, opt.ascii, err, sizeof err)) {
		case 0:
			break;
		case UI_NO_TERMINAL:
			fprintf(stderr, "gradscope: %s\n", err);
			rc = MAIN_EXIT_USAGE;
			break;
		default:
			fprintf(stderr, "gradscope: %s\n", err);
			rc = MAIN_EXIT_FAILURE;
			break;
		}
		break;
	}
	/* Help and version are buffered too: a write error (a full disk) may
	 * show only now. Skip it when one was reported. */
	if (rc == MAIN_EXIT_OK) {
		bad = ferror(stdout);
		if (fclose(stdout) == EOF || bad)
			rc = main_write_failed();
	}
	return rc;
}
