/*
 * main: picks the mode from the command line and owns the exit codes.
 *
 * Exit codes: 0 ok; 2 usage or input error (cli_parse refused the
 * options, or a preset, lesson or theme file cannot be used), or no
 * terminal the live view can use; 1 the options were fine but the work
 * could not be done: out of memory, or an output (standard output, the
 * --svg or --save-preset file) not written. Keeping 1 apart lets a script
 * tell "fix your command" from "try again with more room".
 *
 * The scenario is composed here: the preset's (or lesson step's)
 * configuration, with the options given explicitly written over it.
 * The modes that compute and write (--dump, --svg, --sweep, --train) run
 * in headless.c, which returns a reason; main prints it and picks the
 * exit code. The listings stay here: they are printing, row by row, with
 * a loader's warning or error for each file between the rows.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "datadir.h"
#include "engine.h"
#include "headless.h"
#include "outtext.h"
#include "scenario.h"
#include "theme.h"
#include "spectrum.h"
#include "train.h"
#include "ui.h"

enum { MAIN_EXIT_OK = 0, MAIN_EXIT_FAILURE = 1, MAIN_EXIT_USAGE = 2 };

/* Room for a loader's message, which quotes a path. */
#define MAIN_MSG_MAX 4352
#define MAIN_WARN_MAX 4096
/* Room for a directory entry's name (NAME_MAX is 255 bytes). */
#define MAIN_NAME_MAX 256

/* Prints "gradscope: [what: ]msg" for each line of msg, with what a
 * terminal would obey in a file name or a file's text shown as '?'
 * (outtext.h). */
static void main_say(const char *what, const char *msg)
{
	size_t n;

	while (*msg != '\0') {
		fprintf(stderr, "gradscope: %s", what);
		n = strcspn(msg, "\n");
		outtext_write(stderr, msg, n);
		fputc('\n', stderr);
		msg += n + (msg[n] == '\n');
	}
}

/* Set when a write found its pipe (or FIFO) closed by the reader, as
 * "--dump | head -1" does: the reader has what it wanted, so the headless
 * modes end quietly with exit 0 rather than die of SIGPIPE (141) or
 * print "Broken pipe". */
static volatile sig_atomic_t main_pipe_closed;

static void main_on_pipe(int sig)
{
	(void)sig;
	main_pipe_closed = 1;
}

/* Catches SIGPIPE for the modes that print (not the view: term.c owns
 * its signals), so that a write into a closed pipe fails with EPIPE. */
static void main_catch_pipe(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_pipe;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

static int main_write_failed(void)
{
	if (main_pipe_closed)
		return MAIN_EXIT_OK;
	fprintf(stderr, "gradscope: cannot write standard output: %s\n",
	    strerror(errno));
	return MAIN_EXIT_FAILURE;
}

/* ---------------------------------------------------------------------- */
/* Lists                                                                  */
/* ---------------------------------------------------------------------- */

/* What one listing found: files that would not load make the exit 2. */
typedef struct {
	int bad;
	Scenario sc;
	Theme theme;
} MainList;

/* A listing's row up to its title: a file's name (from a directory
 * entry, so anything but '/') and its title, both outside text. */
static void main_list_row(const char *name, const char *title)
{
	char shown[MAIN_NAME_MAX];

	printf("%-22s ", outtext_clean(name, shown, sizeof shown));
	outtext_write(stdout, title, strlen(title));
}

static void main_list_preset(const char *name, const char *path, void *ctx)
{
	MainList *l = ctx;
	char warn[MAIN_WARN_MAX], err[MAIN_MSG_MAX];

	if (scenario_load(path, &l->sc, warn, sizeof warn, err, sizeof err) <
	    0) {
		main_say("", err);
		l->bad = 1;
		return;
	}
	main_say("warning: ", warn);
	main_list_row(name, l->sc.title);
	if (l->sc.lesson)
		printf(" (lesson, %d steps)", l->sc.nsteps);
	putchar('\n');
}

static void main_list_theme(const char *name, const char *path, void *ctx)
{
	MainList *l = ctx;
	char warn[MAIN_WARN_MAX], err[MAIN_MSG_MAX];

	if (theme_load(path, &l->theme, warn, sizeof warn, err, sizeof err) <
	    0) {
		main_say("", err);
		l->bad = 1;
		return;
	}
	main_say("warning: ", warn);
	main_list_row(name, l->theme.name);
	putchar('\n');
}

/* Lists kind; finding none is a failure that says where it looked,
 * never an empty listing with exit 0. */
static int main_list(const char *kind,
    void (*fn)(const char *name, const char *path, void *ctx))
{
	static MainList l;
	char where[MAIN_MSG_MAX], what[64];
	int n = datadir_list(kind, fn, &l);

	if (n < 0) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	if (n == 0) {
		datadir_where(kind, where, sizeof where);
		snprintf(what, sizeof what, "no %s found in ", kind);
		main_say(what, where);
		return MAIN_EXIT_FAILURE;
	}
	return l.bad ? MAIN_EXIT_USAGE : MAIN_EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* The scenario                                                           */
/* ---------------------------------------------------------------------- */

/*
 * Fills *sc and *step from --preset and --step, or, started with no
 * option that describes a network (the live view with at most --theme
 * and --ascii), from the lesson "lesson" when there is one (quietly the
 * defaults when there is none). Returns 0, or an exit code.
 */
static int main_scenario(const CliOptions *opt, int no_options, Scenario *sc,
    int *step, int *have)
{
	char warn[MAIN_WARN_MAX], err[MAIN_MSG_MAX], path[4096];

	*step = 0;
	*have = 0;
	if (opt->preset != NULL) {
		if (scenario_open(opt->preset, sc, warn, sizeof warn, err,
		        sizeof err) < 0) {
			main_say("", err);
			return MAIN_EXIT_USAGE;
		}
		main_say("warning: ", warn);
		if (opt->step > sc->nsteps) {
			snprintf(err, sizeof err,
			    "--step %d: %s '%s' has %d step%s", opt->step,
			    sc->lesson ? "lesson" : "preset", sc->name,
			    sc->nsteps, sc->nsteps == 1 ? "" : "s");
			main_say("", err);
			return MAIN_EXIT_USAGE;
		}
		*step = opt->step > 0 ? opt->step - 1 : 0;
		*have = 1;
	} else if (no_options &&
	    datadir_find("presets", "lesson", path, sizeof path, err,
	        sizeof err) == 0) {
		/* A broken lesson must not keep the view from starting. */
		if (scenario_load(path, sc, warn, sizeof warn, err,
		        sizeof err) < 0) {
			main_say("warning: ", err);
			return MAIN_EXIT_OK;
		}
		main_say("warning: ", warn);
		*have = 1;
	}
	return MAIN_EXIT_OK;
}

/* Whether mode runs on a configuration: the preset's, the lesson
 * step's or the defaults, with the options given written over it. */
static int main_needs_config(CliMode mode)
{
	switch (mode) {
	case CLI_MODE_VIEW:
	case CLI_MODE_DUMP:
	case CLI_MODE_SVG:
	case CLI_MODE_SWEEP:
	case CLI_MODE_TRAIN:
	case CLI_MODE_SPECTRUM:
	case CLI_MODE_SAVE_PRESET:
		return 1;
	case CLI_MODE_LIST_PRESETS:
	case CLI_MODE_LIST_THEMES:
	case CLI_MODE_HELP:
	case CLI_MODE_VERSION:
		return 0;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Headless modes                                                         */
/* ---------------------------------------------------------------------- */

/* The headless modes write their CSV to standard output, named so in
 * the reason a failed write gives. */
#define MAIN_STDOUT_NAME "standard output"

/* A long compute, seen from a terminal: after MAIN_BUSY_S seconds one
 * line on standard error says what is taking the time, so a person at
 * the terminal knows it is working. Never for a pipe or a file. The
 * headless module gives this poll to its engine; the message, the clock
 * and the terminal stay here, where the printing is. */
#define MAIN_BUSY_S 2.0

typedef struct {
	struct timespec start;
	const EngineConfig *cfg;
	int said;
} MainBusy;

static int main_busy_poll(void *ctx)
{
	MainBusy *b = ctx;
	struct timespec now;

	if (b->said)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((double)(now.tv_sec - b->start.tv_sec) +
	        (double)(now.tv_nsec - b->start.tv_nsec) / 1e9 <
	    MAIN_BUSY_S)
		return 0;
	fprintf(stderr,
	    "gradscope: computing depth %d x width %d; this "
	    "takes a while...\n",
	    b->cfg->depth, b->cfg->width);
	b->said = 1;
	return 0;
}

typedef int (*MainPoll)(void *ctx);

/* Starts the clock of *b for a compute of cfg; returns the poll to give
 * the compute: main_busy_poll when standard error is a terminal, else
 * none. */
static MainPoll main_busy_start(MainBusy *b, const EngineConfig *cfg)
{
	b->cfg = cfg;
	b->said = 0;
	clock_gettime(CLOCK_MONOTONIC, &b->start);
	return isatty(STDERR_FILENO) ? main_busy_poll : NULL;
}

/* A mode that could not do its work: prints its reason, gives exit 1. */
static int main_fail(const char *err)
{
	if (main_pipe_closed)
		return MAIN_EXIT_OK;
	main_say("", err);
	return MAIN_EXIT_FAILURE;
}

/* ---------------------------------------------------------------------- */
/* The live view                                                          */
/* ---------------------------------------------------------------------- */

/* An environment switch: set, and neither empty nor "0". */
static int main_env_on(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

static int main_view(const CliOptions *opt, const Scenario *sc, int step,
    const EngineConfig *cfg)
{
	char warn[MAIN_WARN_MAX], err[MAIN_MSG_MAX];
	static Theme theme;
	UiStart start;

	/* A bad theme is an input error now, not a message inside the
	 * view; the view loads it again by name. */
	if (opt->theme != NULL) {
		if (theme_open(opt->theme, &theme, warn, sizeof warn, err,
		        sizeof err) < 0) {
			main_say("", err);
			return MAIN_EXIT_USAGE;
		}
		main_say("warning: ", warn);
	}
	start.scenario = sc;
	start.step = step;
	start.cfg = *cfg;
	start.ascii = opt->ascii;
	start.mouse = !opt->no_mouse && !main_env_on("GRADSCOPE_NO_MOUSE");
	start.theme = opt->theme;
	/* ui_run has restored the terminal before it returns, so the
	 * message lands on a clean line. */
	switch (ui_run(&start, err, sizeof err)) {
	case 0:
		return MAIN_EXIT_OK;
	case UI_NO_TERMINAL:
		main_say("", err);
		return MAIN_EXIT_USAGE;
	default:
		main_say("", err);
		return MAIN_EXIT_FAILURE;
	}
}

int main(int argc, char **argv)
{
	static Scenario sc;
	char err[MAIN_MSG_MAX];
	CliOptions opt;
	MainBusy busy;
	MainPoll poll;
	Preset p;
	int rc = MAIN_EXIT_OK;
	int step = 0, have = 0, bad;

	if (cli_parse(argc, argv, &opt, err, sizeof err) < 0) {
		main_say("", err);
		return MAIN_EXIT_USAGE;
	}
	if (cli_unused(&opt, err, sizeof err) > 0)
		main_say("warning: ", err);
	if (opt.mode != CLI_MODE_VIEW)
		main_catch_pipe();
	if (main_needs_config(opt.mode)) {
		rc = main_scenario(&opt,
		    opt.mode == CLI_MODE_VIEW && opt.given == 0 &&
		        opt.preset == NULL,
		    &sc, &step, &have);
		if (rc != MAIN_EXIT_OK)
			return rc;
		if (have)
			p = sc.steps[step];
		else
			scenario_preset_default(&p);
		cli_apply(&opt, &p.cfg);
		if (engine_config_validate(&p.cfg, err, sizeof err) < 0) {
			main_say("", err);
			return MAIN_EXIT_USAGE;
		}
	}
	switch (opt.mode) {
	case CLI_MODE_HELP:
		fputs(cli_help_text(), stdout);
		break;
	case CLI_MODE_VERSION:
		printf("%s\n", cli_version());
		break;
	case CLI_MODE_LIST_PRESETS:
		rc = main_list("presets", main_list_preset);
		break;
	case CLI_MODE_LIST_THEMES:
		rc = main_list("themes", main_list_theme);
		break;
	case CLI_MODE_VIEW:
		rc = main_view(&opt, have ? &sc : NULL, step, &p.cfg);
		break;
	case CLI_MODE_SAVE_PRESET:
		if (scenario_save(opt.file, &p, opt.force, err, sizeof err) < 0)
			rc = main_fail(err);
		break;
	case CLI_MODE_DUMP:
		/* Up to 100001 rows: without a large buffer a terminal (line
		 * buffered) would take one write per row. Set before any
		 * output. */
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		poll = main_busy_start(&busy, &p.cfg);
		if (headless_dump(stdout, MAIN_STDOUT_NAME, &p.cfg, poll, &busy,
		        err, sizeof err) < 0)
			rc = main_fail(err);
		break;
	case CLI_MODE_SVG:
		poll = main_busy_start(&busy, &p.cfg);
		if (headless_svg(opt.file, opt.force, &p.cfg, p.title, poll,
		        &busy, err, sizeof err) < 0)
			rc = main_fail(err);
		break;
	case CLI_MODE_SWEEP:
		if (headless_sweep(stdout, MAIN_STDOUT_NAME, &p.cfg,
		        opt.sweep_lo, opt.sweep_hi, opt.sweep_step, err,
		        sizeof err) < 0)
			rc = main_fail(err);
		break;
	case CLI_MODE_TRAIN:
		/* Options beyond the trainer's limits are a usage error. */
		if (train_supported(&p.cfg, err, sizeof err) < 0) {
			main_say("--train: ", err);
			rc = MAIN_EXIT_USAGE;
		} else {
			setvbuf(stdout, NULL, _IOFBF, 1 << 16);
			if (headless_train(stdout, MAIN_STDOUT_NAME, stderr,
			        &p.cfg, opt.train_steps, err, sizeof err) < 0)
				rc = main_fail(err);
		}
		break;
	case CLI_MODE_SPECTRUM:
		if (spectrum_supported(&p.cfg, err, sizeof err) < 0) {
			main_say("--spectrum: ", err);
			rc = MAIN_EXIT_USAGE;
		} else {
			setvbuf(stdout, NULL, _IOFBF, 1 << 16);
			poll = main_busy_start(&busy, &p.cfg);
			if (headless_spectrum(stdout, MAIN_STDOUT_NAME, &p.cfg,
			        poll, &busy, err, sizeof err) < 0)
				rc = main_fail(err);
		}
		break;
	}
	/* Help, version, lists and CSV are buffered: a write error (a full
	 * disk) may show only now. Skip it when one was reported. */
	if (rc == MAIN_EXIT_OK && !main_pipe_closed) {
		bad = ferror(stdout);
		if (fclose(stdout) == EOF || bad)
			rc = main_write_failed();
	}
	return rc;
}
