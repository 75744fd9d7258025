/*
 * check_headless: the headless modes called directly, writing into files
 * of a scratch directory. Each table is checked row by row against values
 * the test computes itself from the engine, the theory, the sweep point
 * and a trainer of its own; each failure against the reason it must give
 * and the output it must leave.
 */
#include "headless.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spectrum.h"
#include "suites.h"
#include "sweep.h"
#include "theory.h"
#include "tmpdir.h"
#include "train.h"
#include "xmag.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static void setup(void)
{
	tmpdir_make("headless");
}

static void teardown(void)
{
	tmpdir_remove();
}

static EngineConfig config(int depth, int width, EngineInit init, EngineAct a,
    double lambda)
{
	EngineConfig c;

	engine_config_default(&c);
	c.depth = depth;
	c.width = width;
	c.init = init;
	c.act = a;
	c.lambda = lambda;
	return c;
}

/* A new file in the scratch directory, for writing and reading back. */
static FILE *scratch(const char *name)
{
	FILE *f = fopen(in_tmp(name), "w+");

	ck_assert_ptr_nonnull(f);
	return f;
}

/* Everything f holds, from its start (free it); closes f. */
static char *slurp(FILE *f)
{
	long n;
	char *text;

	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

/* What path holds (free it). */
static char *read_path(const char *path)
{
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	return slurp(f);
}

/* f holds nothing: a run that failed wrote no row. Closes f. */
static void assert_empty(FILE *f)
{
	char *text = slurp(f);

	ck_assert_str_eq(text, "");
	free(text);
}

/* The line after *p (without its newline) into buf; advances *p. */
static void next_line(const char **p, char *buf, size_t len)
{
	const char *nl = strchr(*p, '\n');

	ck_assert_msg(nl != NULL, "no more lines at '%s'", *p);
	ck_assert_uint_lt((size_t)(nl - *p), len);
	memcpy(buf, *p, (size_t)(nl - *p));
	buf[nl - *p] = '\0';
	*p = nl + 1;
}

static void fmt(XMag v, char *buf, size_t len)
{
	ck_assert_int_gt(xmag_format(v, buf, len), 0);
}

/* ---------------------------------------------------------------------- */
/* --dump                                                                 */
/* ---------------------------------------------------------------------- */

/* Every row against the engine's result and the theory, computed here. */
START_TEST(test_dump_rows_are_the_engines)
{
	static const EngineAct acts[] = {ENGINE_ACT_LINEAR, ENGINE_ACT_TANH};
	char err[256], line[512], want[512], a[XMAG_FORMAT_MAX],
	    g[XMAG_FORMAT_MAX], w[XMAG_FORMAT_MAX], ta[XMAG_FORMAT_MAX],
	    tg[XMAG_FORMAT_MAX];
	EngineConfig c = config(7, 5, ENGINE_INIT_GAUSSIAN, acts[_i], 1.3);
	XMag tact[8], tgrad[8];
	EngineResult res;
	const char *p;
	Engine *eng;
	char *text;
	FILE *f;
	int l;

	c.seed = 42;
	f = scratch("dump.csv");
	ck_assert_int_eq(headless_dump(f, "dump.csv", &c, NULL, NULL, err,
	                     sizeof err),
	    0);
	text = slurp(f);

	eng = engine_new();
	ck_assert_ptr_nonnull(eng);
	ck_assert_int_eq(engine_compute(eng, &c, &res, err, sizeof err), 0);
	ck_assert_int_eq(theory_compute(&c, res.activation_rms[0], tact, tgrad,
	                     NULL, err, sizeof err),
	    0);
	p = text;
	next_line(&p, line, sizeof line);
	ck_assert_str_eq(line,
	    "layer,activation_rms,gradient_rms,weight_gradient_rms,"
	    "theory_activation_rms,theory_gradient_rms");
	for (l = 0; l <= c.depth; l++) {
		fmt(res.activation_rms[l], a, sizeof a);
		fmt(res.gradient_rms[l], g, sizeof g);
		if (l == 0)
			w[0] = '\0';
		else
			fmt(res.weight_gradient_rms[l], w, sizeof w);
		fmt(tact[l], ta, sizeof ta);
		fmt(tgrad[l], tg, sizeof tg);
		snprintf(want, sizeof want, "%d,%s,%s,%s,%s,%s", l, a, g, w, ta,
		    tg);
		next_line(&p, line, sizeof line);
		ck_assert_str_eq(line, want);
	}
	ck_assert_str_eq(p, "");
	engine_free(eng);
	free(text);
}
END_TEST

static int polls;

static int count_and_interrupt(void *ctx)
{
	ck_assert_ptr_eq(ctx, &polls);
	polls++;
	return 1;
}

static int count_only(void *ctx)
{
	ck_assert_ptr_eq(ctx, &polls);
	polls++;
	return 0;
}

/* The poll reaches the engine: one that only counts is called on a long
 * compute and changes no row; one that interrupts fails the run with the
 * engine's reason, before any row is written. */
START_TEST(test_dump_polls_the_engine)
{
	EngineConfig c = config(3000, 64, ENGINE_INIT_ORTHOGONAL,
	    ENGINE_ACT_TANH, 1.0);
	char err[256];
	char *with, *without;
	FILE *f;

	polls = 0;
	f = scratch("polled.csv");
	ck_assert_int_eq(headless_dump(f, "polled.csv", &c, count_only, &polls,
	                     err, sizeof err),
	    0);
	with = slurp(f);
	ck_assert_int_gt(polls, 0);
	f = scratch("plain.csv");
	ck_assert_int_eq(headless_dump(f, "plain.csv", &c, NULL, NULL, err,
	                     sizeof err),
	    0);
	without = slurp(f);
	ck_assert_str_eq(with, without);
	free(with);
	free(without);

	polls = 0;
	f = scratch("stopped.csv");
	ck_assert_int_eq(headless_dump(f, "stopped.csv", &c,
	                     count_and_interrupt, &polls, err, sizeof err),
	    -1);
	ck_assert_int_eq(polls, 1);
	ck_assert_str_eq(err, "interrupted");
	assert_empty(f);
}
END_TEST

/* A config the engine refuses gives the engine's reason, and no row. */
START_TEST(test_dump_gives_the_engines_reason)
{
	EngineConfig c = config(0, 4, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
	    1.0);
	char err[256], want[256];
	FILE *f;

	ck_assert_int_eq(engine_config_validate(&c, want, sizeof want), -1);
	f = scratch("refused.csv");
	ck_assert_int_eq(headless_dump(f, "refused.csv", &c, NULL, NULL, err,
	                     sizeof err),
	    -1);
	ck_assert_str_eq(err, want);
	assert_empty(f);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* --sweep and --train                                                    */
/* ---------------------------------------------------------------------- */

/* One row per lambda, in order, each the sweep point computed here. */
START_TEST(test_sweep_rows_are_the_points)
{
	EngineConfig c = config(12, 6, ENGINE_INIT_ORTHOGONAL, ENGINE_ACT_TANH,
	    1.0);
	char err[256], line[512], want[512], o[XMAG_FORMAT_MAX],
	    g[XMAG_FORMAT_MAX], to[XMAG_FORMAT_MAX], tg[XMAG_FORMAT_MAX];
	const char *p;
	SweepPoint pt;
	Engine *eng;
	char *text;
	FILE *f;
	int i, n = sweep_count(0.5, 2.0, 0.25);

	ck_assert_int_eq(n, 7);
	f = scratch("sweep.csv");
	ck_assert_int_eq(headless_sweep(f, "sweep.csv", &c, 0.5, 2.0, 0.25, err,
	                     sizeof err),
	    0);
	text = slurp(f);

	eng = engine_new();
	ck_assert_ptr_nonnull(eng);
	p = text;
	next_line(&p, line, sizeof line);
	ck_assert_str_eq(line,
	    "lambda,output_activation_rms,input_gradient_rms,"
	    "theory_output_activation_rms,theory_input_gradient_rms");
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sweep_point(eng, &c, 0.5 + 0.25 * i, &pt, err,
		                     sizeof err),
		    0);
		fmt(pt.output_rms, o, sizeof o);
		fmt(pt.input_gradient, g, sizeof g);
		fmt(pt.theory_output, to, sizeof to);
		fmt(pt.theory_gradient, tg, sizeof tg);
		snprintf(want, sizeof want, "%.10g,%s,%s,%s,%s", 0.5 + 0.25 * i,
		    o, g, to, tg);
		next_line(&p, line, sizeof line);
		ck_assert_str_eq(line, want);
	}
	ck_assert_str_eq(p, "");
	/* The lambdas themselves, written out, so a wrong grid that the
	 * loop above shares cannot pass. */
	ck_assert_ptr_nonnull(strstr(text, "\n0.5,"));
	ck_assert_ptr_nonnull(strstr(text, "\n1.75,"));
	ck_assert_ptr_nonnull(strstr(text, "\n2,"));
	engine_free(eng);
	free(text);
}
END_TEST

/* The losses of a trainer run here, step by step, and nothing else: the
 * verdict and the time per step go to the note. */
START_TEST(test_train_rows_are_the_trainers)
{
	EngineConfig c = config(4, 8, ENGINE_INIT_ORTHOGONAL, ENGINE_ACT_TANH,
	    1.0);
	char err[256], line[512], want[512], l[XMAG_FORMAT_MAX], verdict[64];
	const char *p;
	Trainer *tr;
	char *text, *notes;
	FILE *f, *note;
	int s;
	double ms;

	c.seed = 3;
	f = scratch("train.csv");
	note = scratch("train.note");
	ck_assert_int_eq(headless_train(f, "train.csv", note, &c, 30, err,
	                     sizeof err),
	    0);
	text = slurp(f);
	notes = slurp(note);

	tr = train_new(&c, err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	for (s = 1; s <= 30; s++)
		ck_assert_int_eq(train_step(tr), 0);
	ck_assert_int_eq(train_steps(tr), 30);
	p = text;
	next_line(&p, line, sizeof line);
	ck_assert_str_eq(line, "step,loss");
	for (s = 0; s <= 30; s++) {
		fmt(xmag_from_double(train_losses(tr)[s]), l, sizeof l);
		snprintf(want, sizeof want, "%d,%s", s, l);
		next_line(&p, line, sizeof line);
		ck_assert_str_eq(line, want);
	}
	ck_assert_str_eq(p, "");
	ck_assert_int_gt(train_verdict_text(tr, verdict, sizeof verdict), 0);
	snprintf(want, sizeof want, "%s; 30 steps at ", verdict);
	ck_assert_int_eq(strncmp(notes, want, strlen(want)), 0);
	ck_assert_int_eq(sscanf(notes + strlen(want), "%lf ms per step", &ms),
	    1);
	ck_assert(ms > 0 && ms < 1000);
	ck_assert_ptr_nonnull(strstr(notes, " ms per step\n"));
	train_free(tr);
	free(text);
	free(notes);
}
END_TEST

/* A diverging run stops at the step it diverged, with that verdict. */
START_TEST(test_train_stops_at_divergence)
{
	EngineConfig c = config(20, 8, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
	    3.0);
	char err[256], last[64], want[64];
	const char *nl;
	Trainer *tr;
	char *text, *notes;
	FILE *f, *note;
	int k, rows = 0;

	tr = train_new(&c, err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	while (train_steps(tr) < 50 && train_step(tr) == 0)
		;
	ck_assert_int_eq(train_verdict(tr, &k), TRAIN_DIVERGED);
	ck_assert_int_lt(k, 50);
	train_free(tr);

	f = scratch("diverged.csv");
	note = scratch("diverged.note");
	ck_assert_int_eq(headless_train(f, "diverged.csv", note, &c, 50, err,
	                     sizeof err),
	    0);
	text = slurp(f);
	notes = slurp(note);
	for (nl = text; (nl = strchr(nl, '\n')) != NULL; nl++)
		rows++;
	/* The header and steps 0..k; the verdict in the note. */
	ck_assert_int_eq(rows, 1 + (k + 1));
	snprintf(last, sizeof last, "\n%d,", k);
	ck_assert_ptr_nonnull(strstr(text, last));
	ck_assert_ptr_null(strstr(text, "diverged"));
	snprintf(want, sizeof want, "diverged at step %d; %d steps at ", k, k);
	ck_assert_int_eq(strncmp(notes, want, strlen(want)), 0);
	free(text);
	free(notes);
}
END_TEST

/* --spectrum: the header, then the job's values as --dump prints
 * numbers, index 1 the largest, and nothing else; poll is called. */
static int spectrum_polls;

static int count_polls(void *ctx)
{
	(void)ctx;
	spectrum_polls++;
	return 0;
}

START_TEST(test_spectrum_rows_are_the_jobs)
{
	EngineConfig c = config(30, 12, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH,
	    1.2);
	char err[256], line[512], want[512], v[XMAG_FORMAT_MAX];
	const XMag *val;
	const char *p;
	SpectrumJob *job;
	char *text;
	FILE *f;
	int i, n, r;

	f = scratch("spectrum.csv");
	spectrum_polls = 0;
	ck_assert_int_eq(headless_spectrum(f, "spectrum.csv", &c, count_polls,
	                     NULL, err, sizeof err),
	    0);
	ck_assert_int_gt(spectrum_polls, 0);
	text = slurp(f);
	job = spectrum_job_new(&c, err, sizeof err);
	ck_assert_ptr_nonnull(job);
	while ((r = spectrum_job_step(job, err, sizeof err)) == 1)
		;
	ck_assert_int_eq(r, 0);
	val = spectrum_job_values(job, &n, NULL);
	ck_assert_int_eq(n, 12);
	p = text;
	next_line(&p, line, sizeof line);
	ck_assert_str_eq(line, "index,singular_value");
	for (i = 0; i < n; i++) {
		fmt(val[i], v, sizeof v);
		snprintf(want, sizeof want, "%d,%s", i + 1, v);
		next_line(&p, line, sizeof line);
		ck_assert_str_eq(line, want);
		if (i > 0)
			ck_assert_int_le(xmag_cmp(val[i], val[i - 1]), 0);
	}
	ck_assert_str_eq(p, "");
	spectrum_job_free(job);
	free(text);
}
END_TEST

/* Beyond the trainer's limits: train_supported's reason, no row. */
START_TEST(test_train_refuses_what_it_cannot_train)
{
	EngineConfig c = config(4, TRAIN_WIDTH_MAX + 1, ENGINE_INIT_GAUSSIAN,
	    ENGINE_ACT_TANH, 1.0);
	char err[256], want[256];
	FILE *f;

	ck_assert_int_eq(train_supported(&c, want, sizeof want), -1);
	f = scratch("wide.csv");
	ck_assert_int_eq(headless_train(f, "wide.csv", NULL, &c, 5, err,
	                     sizeof err),
	    -1);
	ck_assert_str_eq(err, want);
	assert_empty(f);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Failed writes, and --svg                                               */
/* ---------------------------------------------------------------------- */

/* A full device: -1, and the reason names the output as the caller did
 * and says why, as main prints it. Unbuffered, so the first write
 * fails, not a flush at the end. */
static FILE *full_device(void)
{
	FILE *f = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(setvbuf(f, NULL, _IONBF, 0), 0);
	return f;
}

START_TEST(test_a_failed_write_gives_its_reason)
{
	EngineConfig c = config(5, 3, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_RELU,
	    1.0);
	char err[256], want[256];
	FILE *f;
	int rc = 0;

	snprintf(want, sizeof want, "cannot write the full device: %s",
	    strerror(ENOSPC));
	f = full_device();
	strcpy(err, "untouched");
	switch (_i) {
	case 0:
		rc = headless_dump(f, "the full device", &c, NULL, NULL, err,
		    sizeof err);
		break;
	case 1:
		rc = headless_sweep(f, "the full device", &c, 0.5, 1.5, 0.5,
		    err, sizeof err);
		break;
	case 2:
		rc = headless_train(f, "the full device", NULL, &c, 3, err,
		    sizeof err);
		break;
	case 3:
		rc = headless_spectrum(f, "the full device", &c, NULL, NULL,
		    err, sizeof err);
		break;
	default:
		ck_abort_msg("no mode %d", _i);
	}
	fclose(f);
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(err, want);
}
END_TEST

/* The SVG is the engine's chart of cfg, written only where allowed: an
 * existing file is refused (and left as it was) without force, replaced
 * with it. */
START_TEST(test_svg_writes_and_refuses)
{
	EngineConfig c = config(9, 4, ENGINE_INIT_ORTHOGONAL, ENGINE_ACT_TANH,
	    1.1);
	const char *path = in_tmp("chart.svg");
	char err[256], want[512];
	char *text;

	ck_assert_int_eq(headless_svg(path, 0, &c, "A title", NULL, NULL, err,
	                     sizeof err),
	    0);
	text = read_path(path);
	ck_assert_ptr_nonnull(strstr(text, "<svg"));
	ck_assert_ptr_nonnull(strstr(text, "A title"));
	ck_assert_str_eq(text + strlen(text) - 7, "</svg>\n");
	free(text);

	write_file(path, "old", 3);
	ck_assert_int_eq(headless_svg(path, 0, &c, "A title", NULL, NULL, err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s exists; use --force to replace it",
	    path);
	ck_assert_str_eq(err, want);
	text = read_path(path);
	ck_assert_str_eq(text, "old");
	free(text);

	ck_assert_int_eq(headless_svg(path, 1, &c, "A title", NULL, NULL, err,
	                     sizeof err),
	    0);
	text = read_path(path);
	ck_assert_ptr_nonnull(strstr(text, "<svg"));
	free(text);
}
END_TEST

Suite *headless_suite(void)
{
	Suite *s = suite_create("headless");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_dump_rows_are_the_engines, 0, 2);
	tcase_add_test(tc, test_dump_polls_the_engine);
	tcase_add_test(tc, test_dump_gives_the_engines_reason);
	tcase_add_test(tc, test_sweep_rows_are_the_points);
	tcase_add_test(tc, test_train_rows_are_the_trainers);
	tcase_add_test(tc, test_train_stops_at_divergence);
	tcase_add_test(tc, test_train_refuses_what_it_cannot_train);
	tcase_add_loop_test(tc, test_a_failed_write_gives_its_reason, 0, 4);
	tcase_add_test(tc, test_spectrum_rows_are_the_jobs);
	tcase_add_test(tc, test_svg_writes_and_refuses);
	suite_add_tcase(s, tc);
	return s;
}
