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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "datadir.h"
#include "dump.h"
#include "engine.h"
#include "fileio.h"
#include "scenario.h"
#include "svg.h"
#include "sweep.h"
#include "theme.h"
#include "theory.h"
#include "train.h"
#include "ui.h"

enum { MAIN_EXIT_OK = 0, MAIN_EXIT_FAILURE = 1, MAIN_EXIT_USAGE = 2 };

/* Room for a loader's message, which quotes a path. */
#define MAIN_MSG_MAX 4352
#define MAIN_WARN_MAX 4096

/* Prints "gradscope: [what: ]msg" for each line of msg, with any control
 * character of a file name or a file's text shown as '?'. */
static void main_say(const char *what, const char *msg)
{
	const char *p;

	while (*msg != '\0') {
		fprintf(stderr, "gradscope: %s", what);
		for (p = msg; *p != '\0' && *p != '\n'; p++)
			fputc((unsigned char)*p < ' ' || *p == 0x7f ? '?' : *p,
			    stderr);
		fputc('\n', stderr);
		msg = *p == '\n' ? p + 1 : p;
	}
}

static int main_write_failed(void)
{
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
	if (l->sc.lesson)
		printf("%-22s %s (lesson, %d steps)\n", name, l->sc.title,
		    l->sc.nsteps);
	else
		printf("%-22s %s\n", name, l->sc.title);
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
	printf("%-22s %s\n", name, l->theme.name);
}

static int main_list(const char *kind,
    void (*fn)(const char *name, const char *path, void *ctx))
{
	static MainList l;

	if (datadir_list(kind, fn, &l) < 0) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	return l.bad ? MAIN_EXIT_USAGE : MAIN_EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* The scenario                                                           */
/* ---------------------------------------------------------------------- */

/*
 * Fills *sc and *step from --preset and --step, or, started with no
 * options at all, from the lesson "lesson" when there is one (quietly
 * the defaults when there is none). Returns 0, or an exit code.
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
			fprintf(stderr,
			    "gradscope: --step %d: %s '%s' has "
			    "%d step%s\n",
			    opt->step, sc->lesson ? "lesson" : "preset",
			    sc->name, sc->nsteps, sc->nsteps == 1 ? "" : "s");
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

/* ---------------------------------------------------------------------- */
/* Headless modes                                                         */
/* ---------------------------------------------------------------------- */

typedef struct {
	const EngineConfig *cfg;
	const EngineResult *res;
	const char *title;
} MainSvg;

static int main_svg_write(FILE *out, void *ctx, char *err, size_t errlen)
{
	const MainSvg *s = ctx;

	(void)err;
	(void)errlen;
	return svg_write(out, s->cfg, s->res, s->title, 0);
}

/* The per-layer table with the theory's columns. */
static int main_dump(const EngineConfig *cfg, const EngineResult *res)
{
	char err[MAIN_MSG_MAX];
	XMag *theory;
	int rc = MAIN_EXIT_OK;

	theory = malloc(2 * ((size_t)res->depth + 1) * sizeof *theory);
	if (theory == NULL) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	/* Fails only on a config the engine has just accepted: never. */
	if (theory_compute(cfg, res->activation_rms[0], theory,
	        theory + res->depth + 1, NULL, err, sizeof err) < 0) {
		main_say("", err);
		rc = MAIN_EXIT_FAILURE;
	} else if (dump_csv(stdout, res, theory, theory + res->depth + 1) < 0) {
		rc = main_write_failed();
	}
	free(theory);
	return rc;
}

/* A long compute, seen from a terminal: after MAIN_BUSY_S seconds one
 * line on standard error says what is taking the time, so a person at
 * the terminal knows it is working. Never for a pipe or a file. */
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

/* Computes the scenario, then prints it as CSV or writes it as SVG. */
static int main_compute(const CliOptions *opt, const Preset *p)
{
	char err[MAIN_MSG_MAX];
	EngineResult res;
	Engine *eng;
	MainSvg svg;
	MainBusy busy;
	int rc = MAIN_EXIT_OK;

	/* Up to 100001 rows: without a large buffer a terminal (line
	 * buffered) would take one write per row. Set before any output. */
	if (opt->mode == CLI_MODE_DUMP)
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	eng = engine_new();
	if (eng == NULL) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	busy.cfg = &p->cfg;
	busy.said = 0;
	clock_gettime(CLOCK_MONOTONIC, &busy.start);
	if (isatty(STDERR_FILENO))
		engine_set_poll(eng, main_busy_poll, &busy);
	/* The configuration has been validated, so a failure left here is a
	 * lack of memory, not a bad option. */
	if (engine_compute(eng, &p->cfg, &res, err, sizeof err) < 0) {
		main_say("", err);
		rc = MAIN_EXIT_FAILURE;
	} else if (opt->mode == CLI_MODE_DUMP) {
		rc = main_dump(&p->cfg, &res);
	} else {
		svg.cfg = &p->cfg;
		svg.res = &res;
		svg.title = p->title;
		if (fileio_write_atomic(opt->file, opt->force, main_svg_write,
		        &svg, err, sizeof err) < 0) {
			main_say("", err);
			rc = MAIN_EXIT_FAILURE;
		}
	}
	engine_free(eng);
	return rc;
}

/* --sweep: one row per lambda, in order, each written as it is done. */
static int main_sweep(const CliOptions *opt, const EngineConfig *cfg)
{
	char err[MAIN_MSG_MAX];
	SweepPoint pt;
	Engine *eng;
	int i, n, rc = MAIN_EXIT_OK;

	eng = engine_new();
	if (eng == NULL) {
		fprintf(stderr, "gradscope: out of memory\n");
		return MAIN_EXIT_FAILURE;
	}
	n = sweep_count(opt->sweep_lo, opt->sweep_hi, opt->sweep_step);
	if (dump_sweep_header(stdout) < 0)
		rc = main_write_failed();
	for (i = 0; i < n && rc == MAIN_EXIT_OK; i++) {
		if (sweep_point(eng, cfg,
		        sweep_lambda(opt->sweep_lo, opt->sweep_step, i), &pt,
		        err, sizeof err) < 0) {
			main_say("", err);
			rc = MAIN_EXIT_FAILURE;
		} else if (dump_sweep_row(stdout, &pt) < 0) {
			rc = main_write_failed();
		}
	}
	engine_free(eng);
	return rc;
}

/* --train: the loss before training and after each step, then the
 * verdict; a diverging run stops at its step. */
static int main_train(const CliOptions *opt, const EngineConfig *cfg)
{
	char err[MAIN_MSG_MAX], verdict[64];
	const double *loss;
	Trainer *tr;
	int s, stop = 0, rc = MAIN_EXIT_OK;

	if (train_supported(cfg, err, sizeof err) < 0) {
		main_say("--train: ", err);
		return MAIN_EXIT_USAGE;
	}
	tr = train_new(cfg, err, sizeof err);
	if (tr == NULL) {
		main_say("", err);
		return MAIN_EXIT_FAILURE;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (dump_train_header(stdout) < 0 ||
	    dump_train_row(stdout, 0, train_losses(tr)[0]) < 0)
		rc = main_write_failed();
	for (s = 1; s <= opt->train_steps && !stop && rc == MAIN_EXIT_OK; s++) {
		stop = train_step(tr);
		/* A divergence found before this step took none. */
		if (train_steps(tr) < s)
			break;
		loss = train_losses(tr);
		if (dump_train_row(stdout, s, loss[s]) < 0)
			rc = main_write_failed();
	}
	if (rc == MAIN_EXIT_OK &&
	    (train_verdict_text(tr, verdict, sizeof verdict) < 0 ||
	        printf("%s\n", verdict) < 0))
		rc = main_write_failed();
	train_free(tr);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* The live view                                                          */
/* ---------------------------------------------------------------------- */

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
	Preset p;
	int rc = MAIN_EXIT_OK;
	int step, have, bad;

	if (cli_parse(argc, argv, &opt, err, sizeof err) < 0) {
		main_say("", err);
		return MAIN_EXIT_USAGE;
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
	default:
		rc = main_scenario(&opt, argc == 1, &sc, &step, &have);
		if (rc != MAIN_EXIT_OK)
			break;
		if (have)
			p = sc.steps[step];
		else
			scenario_preset_default(&p);
		cli_apply(&opt, &p.cfg);
		if (engine_config_validate(&p.cfg, err, sizeof err) < 0) {
			main_say("", err);
			rc = MAIN_EXIT_USAGE;
		} else if (opt.mode == CLI_MODE_SAVE_PRESET) {
			if (scenario_save(opt.file, &p, opt.force, err,
			        sizeof err) < 0) {
				main_say("", err);
				rc = MAIN_EXIT_FAILURE;
			}
		} else if (opt.mode == CLI_MODE_VIEW) {
			rc = main_view(&opt, have ? &sc : NULL, step, &p.cfg);
		} else if (opt.mode == CLI_MODE_SWEEP) {
			rc = main_sweep(&opt, &p.cfg);
		} else if (opt.mode == CLI_MODE_TRAIN) {
			rc = main_train(&opt, &p.cfg);
		} else {
			rc = main_compute(&opt, &p);
		}
		break;
	}
	/* Help, version, lists and CSV are buffered: a write error (a full
	 * disk) may show only now. Skip it when one was reported. */
	if (rc == MAIN_EXIT_OK) {
		bad = ferror(stdout);
		if (fclose(stdout) == EOF || bad)
			rc = main_write_failed();
	}
	return rc;
}
