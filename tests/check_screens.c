/*
 * check_screens: snapshots of the live view's whole screen. Each case
 * lays a state out into a grid (every view, the overlays, the caption
 * box, presenter mode, ASCII, several sizes) from numbers computed here
 * by the engine and the views' jobs run to completion (or to a fixed
 * point short of it), and compares a digest of every cell (glyph, colour
 * role, attributes) with tests/screens/expected.txt.
 *
 * The expectations were recorded once from the code before the views
 * became modules and are never updated: a refactor must leave every
 * screen identical. SCREENS_RECORD=1 writes the file anew (only for a
 * deliberate change of what the screen shows); SCREENS_DUMP=DIR writes
 * each screen as text, one row a line, then one line of roles per row,
 * for a look at what differs.
 *
 * Not digested: the spectrum and training views with their job on
 * screen. Their digits come from OpenBLAS and LAPACK, which choose their
 * kernels by processor (DYNAMIC_ARCH), so the last bits, and a digit now
 * and then, differ from one machine to another; those screens are held
 * by what they must show (blas_screen), and their numbers by value, with
 * tolerances, in check_spectrum.c, check_train.c and check_plots.c.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "engine.h"
#include "scenario.h"
#include "suites.h"
#include "spectrum.h"
#include "theory.h"
#include "train.h"
#include "view.h"
#include "viewmod.h"

#define SCREENS_EXPECTED "tests/screens/expected.txt"
#define SCREENS_MAX 256

/* ---------------------------------------------------------------------- */
/* The numbers on screen                                                  */
/* ---------------------------------------------------------------------- */

/* A configuration's result and theory, and each view's job (its
 * module's, viewmod.h) run as far as asked. */
typedef struct {
	EngineConfig cfg;
	Engine *eng, *bg; /* the result's engine, the jobs' */
	EngineResult res; /* eng's arrays */
	XMag *th_act, *th_grad;
	TheoryFactor factor;
	void *job[APP_VIEW_COUNT];
	int done[APP_VIEW_COUNT];
	char why[APP_VIEW_COUNT][SCENARIO_TITLE_MAX];
} Fixture;

/* Runs every view's job for cfg: steps[v] steps of view v's (-1: to the
 * end), as the event loop would. */
static void fix_init(Fixture *f, const EngineConfig *cfg, const int *steps)
{
	char err[256];
	size_t n = (size_t)cfg->depth + 1;
	const ViewModule *m;
	int v, i, rc;

	memset(f, 0, sizeof *f);
	f->cfg = *cfg;
	f->eng = engine_new();
	f->bg = engine_new();
	ck_assert_ptr_nonnull(f->eng);
	ck_assert_ptr_nonnull(f->bg);
	ck_assert_int_eq(engine_compute(f->eng, cfg, &f->res, err, sizeof err),
	    0);
	f->th_act = calloc(n, sizeof *f->th_act);
	f->th_grad = calloc(n, sizeof *f->th_grad);
	ck_assert_ptr_nonnull(f->th_act);
	ck_assert_ptr_nonnull(f->th_grad);
	ck_assert_int_eq(theory_compute(cfg, f->res.activation_rms[0],
	                     f->th_act, f->th_grad, &f->factor, err,
	                     sizeof err),
	    0);
	for (v = 0; v < APP_VIEW_COUNT; v++) {
		m = viewmod_get((AppView)v);
		ck_assert_ptr_nonnull(m);
		if (m->job_new == NULL)
			continue;
		f->job[v] = m->job_new(f->bg, cfg, f->why[v], sizeof f->why[v]);
		ck_assert(f->job[v] != NULL || f->why[v][0] != '\0');
		f->done[v] = f->job[v] == NULL;
		for (i = 0; f->job[v] != NULL && (steps[v] < 0 || i < steps[v]);
		     i++) {
			/* A step split in pieces (2) counts once. */
			while ((rc = m->job_step(f->job[v], err, sizeof err)) ==
			    2)
				;
			ck_assert_int_ge(rc, 0);
			if (rc == 0) {
				f->done[v] = 1;
				break;
			}
		}
	}
}

static void fix_free(Fixture *f)
{
	int v;

	for (v = 0; v < APP_VIEW_COUNT; v++)
		if (f->job[v] != NULL)
			viewmod_get((AppView)v)->job_free(f->job[v]);
	engine_free(f->eng);
	engine_free(f->bg);
	free(f->th_act);
	free(f->th_grad);
}

/* What the event loop gives view_layout for app->view, from f. */
static void fix_data(const Fixture *f, const AppState *app, ViewData *d)
{
	memset(d, 0, sizeof *d);
	d->res = &f->res;
	d->factor = &f->factor;
	if (app->theory) {
		d->theory_act = f->th_act;
		d->theory_grad = f->th_grad;
	}
	d->job = f->job[app->view];
	d->job_done = f->done[app->view];
	d->why = f->why[app->view][0] != '\0' ? f->why[app->view] : NULL;
	d->job_cfg = &f->cfg;
	d->job_theory_grad = f->th_grad;
}

/* ---------------------------------------------------------------------- */
/* Digests                                                                */
/* ---------------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t grid_digest(const Grid *g)
{
	uint64_t h = 14695981039346656037ULL;
	const GridCell *c;
	int r, x;

	h = fnv(h, &g->rows, sizeof g->rows);
	h = fnv(h, &g->cols, sizeof g->cols);
	for (r = 0; r < g->rows; r++)
		for (x = 0; x < g->cols; x++) {
			c = grid_cell(g, r, x);
			h = fnv(h, c->glyph, strlen(c->glyph) + 1);
			h = fnv(h, &c->role, 1);
			h = fnv(h, &c->attr, 1);
		}
	return h;
}

/* The grid as text: its rows, then a line of roles (a = TEXT, b = DIM,
 * ...) and one of attributes per row. */
static void grid_dump(const Grid *g, const char *dir, const char *name)
{
	char path[512], buf[16384];
	const GridCell *c;
	FILE *out;
	int r, x;

	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	out = fopen(path, "w");
	if (out == NULL)
		return;
	for (r = 0; r < g->rows; r++)
		if (grid_row_text(g, r, buf, sizeof buf) >= 0)
			fprintf(out, "%s\n", buf);
	for (r = 0; r < g->rows; r++) {
		for (x = 0; x < g->cols; x++) {
			c = grid_cell(g, r, x);
			fputc('a' + c->role, out);
		}
		fputc(' ', out);
		for (x = 0; x < g->cols; x++) {
			c = grid_cell(g, r, x);
			fputc('0' + c->attr, out);
		}
		fputc('\n', out);
	}
	fclose(out);
}

/* The recorded digest of name, or 0 when it has none. */
static uint64_t expected(const char *name)
{
	char line[256], key[200];
	uint64_t h = 0, v;
	FILE *in = fopen(SCREENS_EXPECTED, "r");

	ck_assert_msg(in != NULL, "cannot read " SCREENS_EXPECTED);
	while (fgets(line, sizeof line, in) != NULL)
		if (sscanf(line, "%199s %" SCNx64, key, &v) == 2 &&
		    strcmp(key, name) == 0)
			h = v;
	fclose(in);
	return h;
}

/* ---------------------------------------------------------------------- */
/* Cases                                                                  */
/* ---------------------------------------------------------------------- */

/* Each screen is recorded once: a second line for a name (a record
 * appended to an old file) would leave the first one unread. */
START_TEST(test_unique_names)
{
	char line[256], key[200], seen[512][200];
	int n = 0, i;
	FILE *in;

	if (getenv("SCREENS_RECORD") != NULL)
		return;
	in = fopen(SCREENS_EXPECTED, "r");
	ck_assert_ptr_nonnull(in);
	while (fgets(line, sizeof line, in) != NULL) {
		if (sscanf(line, "%199s", key) != 1)
			continue;
		for (i = 0; i < n; i++)
			ck_assert_msg(strcmp(seen[i], key) != 0,
			    "screen %s recorded twice in " SCREENS_EXPECTED,
			    key);
		ck_assert_int_lt(n, 512);
		snprintf(seen[n++], sizeof seen[0], "%s", key);
	}
	fclose(in);
	ck_assert_int_gt(n, 200);
}
END_TEST

static Grid g;
static AppState app;
static Fixture fix;
static Scenario scen;

/* Whether the screen shows a row that contains text. */
static int grid_has(const Grid *gr, const char *text)
{
	char row[4096];
	int r;

	for (r = 0; r < gr->rows; r++)
		if (grid_row_text(gr, r, row, sizeof row) >= 0 &&
		    strstr(row, text) != NULL)
			return 1;
	return 0;
}

/* A spectrum or training screen with its job: what it must show, from
 * the job itself (not a digest: see the header). */
static void blas_screen(const char *name, const ViewData *d)
{
	char want[64];
	int n;

	if (app.help || app.picking)
		return;
	if (app.view == APP_VIEW_TRAIN) {
		snprintf(want, sizeof want, "step %d", train_steps(d->job));
		ck_assert_msg(grid_has(&g, want), "screen %s lacks '%s'", name,
		    want);
		ck_assert_msg(grid_has(&g, "loss"), "screen %s: no loss", name);
		return;
	}
	if (!d->job_done) {
		ck_assert_msg(grid_has(&g, "computing the spectrum"),
		    "screen %s: no progress", name);
		return;
	}
	spectrum_job_values(d->job, &n, NULL);
	snprintf(want, sizeof want, "%d values", n);
	ck_assert_int_eq(n, fix.cfg.width);
	ck_assert_msg(grid_has(&g, want), "screen %s lacks '%s'", name, want);
	ck_assert_msg(!grid_has(&g, "unresolved"), "screen %s: unresolved",
	    name);
}

/* Lays app out at rows x cols from fix and checks (or records) it. */
static void screen(const char *name, int rows, int cols)
{
	char full[240];
	const char *dir = getenv("SCREENS_DUMP");
	ViewData d;
	uint64_t h;
	FILE *out;

	snprintf(full, sizeof full, "%.200s-%dx%d", name, cols, rows);
	ck_assert_int_eq(grid_resize(&g, rows, cols), 0);
	fix_data(&fix, &app, &d);
	view_layout(&g, &app, &d);
	if (dir != NULL)
		grid_dump(&g, dir, full);
	if ((app.view == APP_VIEW_SPECTRUM || app.view == APP_VIEW_TRAIN) &&
	    d.job != NULL) {
		blas_screen(full, &d);
		return;
	}
	h = grid_digest(&g);
	if (getenv("SCREENS_RECORD") != NULL) {
		/* screens_suite truncated the file: it is written anew. */
		out = fopen(SCREENS_EXPECTED, "a");
		ck_assert_ptr_nonnull(out);
		fprintf(out, "%s %016" PRIx64 "\n", full, h);
		fclose(out);
		return;
	}
	ck_assert_msg(expected(full) == h,
	    "screen %s: digest %016" PRIx64 ", recorded %016" PRIx64, full, h,
	    expected(full));
}

/* The sizes every view is shown at. */
static const int sizes[][2] = {{24, 80}, {60, 200}, {16, 60}};

static void screens_all_sizes(const char *name)
{
	char buf[200];
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		app.ascii = 0;
		screen(name, sizes[i][0], sizes[i][1]);
		snprintf(buf, sizeof buf, "%.150s-ascii", name);
		app.ascii = 1;
		screen(buf, sizes[i][0], sizes[i][1]);
	}
	app.ascii = 0;
}

/* The default configuration: identity, linear, lambda 1.5, L = 150. */
static void cfg_default(EngineConfig *c)
{
	engine_config_default(c);
}

/* Near critical with a spread: gaussian tanh, lambda 1, L = 60, n = 16. */
static void cfg_tanh(EngineConfig *c)
{
	engine_config_default(c);
	c->init = ENGINE_INIT_GAUSSIAN;
	c->act = ENGINE_ACT_TANH;
	c->lambda = 1.0;
	c->depth = 60;
	c->width = 16;
}

/* float32 overflow: inf and nan on screen; too deep for the spectrum. */
static void cfg_overflow(EngineConfig *c)
{
	engine_config_default(c);
	c->precision = ENGINE_PRECISION_FLOAT32;
	c->depth = 300;
}

/* Too wide to train. */
static void cfg_wide(EngineConfig *c)
{
	engine_config_default(c);
	c->init = ENGINE_INIT_ORTHOGONAL;
	c->act = ENGINE_ACT_RELU;
	c->lambda = 1.4;
	c->depth = 30;
	c->width = 80;
}

static void begin(void (*cfg)(EngineConfig *), int nsweep, int nmap, int nspec,
    int ntrain)
{
	const int steps[APP_VIEW_COUNT] = {
	    [APP_VIEW_SWEEP] = nsweep,
	    [APP_VIEW_MAP] = nmap,
	    [APP_VIEW_SPECTRUM] = nspec,
	    [APP_VIEW_TRAIN] = ntrain,
	};
	EngineConfig c;

	memset(&g, 0, sizeof g);
	cfg(&c);
	app_init(&app, &c, 0);
	fix_init(&fix, &c, steps);
	app_computed(&app, &fix.res);
}

static void end(void)
{
	fix_free(&fix);
	grid_free(&g);
}

static const char *const view_names[APP_VIEW_COUNT] = {"bars", "sweep", "map",
    "spectrum", "train"};

/* Every view of a configuration at every size, ASCII too. */
static void views(const char *cfgname)
{
	char name[160];
	int v;

	for (v = 0; v < APP_VIEW_COUNT; v++) {
		app.view = (AppView)v;
		snprintf(name, sizeof name, "%s-%s", cfgname, view_names[v]);
		screens_all_sizes(name);
	}
	app.view = APP_VIEW_BARS;
}

START_TEST(test_views_default)
{
	begin(cfg_default, -1, -1, -1, -1);
	views("default");
	end();
}
END_TEST

START_TEST(test_views_tanh)
{
	begin(cfg_tanh, -1, -1, -1, -1);
	views("tanh");
	app.theory = 1;
	views("tanh-theory");
	app.theory = 0;
	app.weight_chart = 1;
	screens_all_sizes("tanh-weights");
	app.theory = 1;
	screens_all_sizes("tanh-weights-theory");
	end();
}
END_TEST

START_TEST(test_views_overflow)
{
	begin(cfg_overflow, -1, -1, -1, 40);
	views("overflow");
	end();
}
END_TEST

START_TEST(test_views_wide)
{
	begin(cfg_wide, -1, -1, 0, -1);
	views("wide");
	end();
}
END_TEST

START_TEST(test_views_partial)
{
	/* Jobs short of their end: the progress on screen. */
	begin(cfg_tanh, 30, 200, 0, 60);
	views("partial");
	app.theory = 1;
	app.view = APP_VIEW_SWEEP;
	screens_all_sizes("partial-sweep-theory");
	end();
	begin(cfg_default, 0, 0, 1, 0);
	views("start");
	end();
}
END_TEST

START_TEST(test_overlays)
{
	int page;
	char name[64];

	begin(cfg_tanh, -1, -1, -1, -1);
	app.presenter = 1;
	screens_all_sizes("presenter");
	app.view = APP_VIEW_SWEEP;
	screens_all_sizes("presenter-sweep");
	app.view = APP_VIEW_BARS;
	app.presenter = 0;
	app.help = 1;
	for (page = 0; page < 3; page++) {
		app.help_page = page;
		snprintf(name, sizeof name, "help-%d", page);
		screens_all_sizes(name);
	}
	app.view = APP_VIEW_MAP;
	screens_all_sizes("help-map");
	app.view = APP_VIEW_BARS;
	app.help = 0;
	snprintf(app.notice, sizeof app.notice, "depth is at its maximum");
	screens_all_sizes("notice");
	snprintf(app.notice, sizeof app.notice,
	    "a long notice that will not fit right of the verdict nor of the "
	    "status line, so it takes the row above");
	screens_all_sizes("notice-long");
	app.notice[0] = '\0';
	app.playing = 1;
	app.pinned = 1;
	screens_all_sizes("playing-pinned");
	end();
}
END_TEST

START_TEST(test_picker)
{
	static const char *const names[] = {"critical", "exploding", "lesson",
	    "broken", "vanishing"};
	AppPick e;
	size_t i;

	begin(cfg_default, -1, -1, -1, -1);
	app_apply(&app, ACTION_PICK);
	screens_all_sizes("picker-empty");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(&e, 0, sizeof e);
		snprintf(e.name, sizeof e.name, "%s", names[i]);
		snprintf(e.title, sizeof e.title, "The %s preset's title",
		    names[i]);
		e.lesson = i == 2;
		e.nsteps = i == 3 ? 0 : i == 2 ? 12 : 1;
		ck_assert_int_eq(app_pick_add(&app, &e), 0);
	}
	app.pick_sel = 3;
	screens_all_sizes("picker");
	end();
}
END_TEST

/* Every job to the end but training's, which takes 30 steps. */
static const int lesson_steps[APP_VIEW_COUNT] = {-1, -1, -1, -1, 30};

/* Step `step` of the shipped lesson, with its own numbers. */
static void lesson(int step)
{
	char warn[512], err[256];

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(scenario_load("presets/lesson.json", &scen, warn,
	                     sizeof warn, err, sizeof err),
	    0);
	app_init(&app, &scen.steps[0].cfg, 0);
	app_show(&app, &scen, step);
	fix_init(&fix, &app.cfg, lesson_steps);
	app_computed(&app, &fix.res);
}

START_TEST(test_caption)
{
	char name[64];
	int step, v;

	for (step = 0; step < 12; step += 3) {
		lesson(step);
		snprintf(name, sizeof name, "lesson-%d", step);
		screens_all_sizes(name);
		if (step == 3) {
			for (v = 1; v < APP_VIEW_COUNT; v++) {
				app.view = (AppView)v;
				snprintf(name, sizeof name, "lesson-%d-%s",
				    step, view_names[v]);
				screens_all_sizes(name);
			}
			app.view = APP_VIEW_BARS;
			app.presenter = 1;
			screens_all_sizes("lesson-presenter");
			app.presenter = 0;
			app.help = 1;
			screens_all_sizes("lesson-help");
			app.help = 0;
			app.caption = 0;
			screens_all_sizes("lesson-hidden");
		}
		end();
	}
}
END_TEST

/* The digest of app laid out at 24x80 over fix, the bars only. */
static uint64_t walk_digest(void)
{
	ViewData d;

	ck_assert_int_eq(grid_resize(&g, 24, 80), 0);
	fix_data(&fix, &app, &d);
	view_layout(&g, &app, &d);
	return grid_digest(&g);
}

/* What the event loop does after a key that asks for numbers. */
static void walk_compute(void)
{
	static const int none[APP_VIEW_COUNT] = {0};

	fix_free(&fix);
	fix_init(&fix, &app.cfg, none);
	app_computed(&app, &fix.res);
}

/* Walking the lesson with n (and back with N), with keys pressed and the
 * scale pinned on the way, reaches every step with the screen that
 * --step gives it: a step looks the same however it is reached. */
START_TEST(test_lesson_walk)
{
	static const int none[APP_VIEW_COUNT] = {0};
	char warn[512], err[256];
	uint64_t walked[SCENARIO_STEPS_MAX], direct;
	int step, i, n;

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(scenario_load("presets/lesson.json", &scen, warn,
	                     sizeof warn, err, sizeof err),
	    0);
	n = scen.nsteps;
	app_init(&app, &scen.steps[0].cfg, 0);
	app_show(&app, &scen, 0);
	fix_init(&fix, &app.cfg, none);
	app_computed(&app, &fix.res);
	for (step = 0; step < n; step++) {
		walked[step] = walk_digest();
		/* A teacher's detour: five layers more, the scale pinned. */
		for (i = 0; i < 5; i++) {
			app_apply(&app, ACTION_DEPTH_UP);
			walk_compute();
		}
		app_apply(&app, ACTION_TOGGLE_PIN);
		if (step + 1 < n) {
			app_apply(&app, ACTION_NEXT_STEP);
			walk_compute();
		}
	}
	/* And back: N from the last step's detour. */
	for (step = n - 1; step > 0; step--) {
		app_apply(&app, ACTION_PREV_STEP);
		walk_compute();
		ck_assert_msg(walk_digest() == walked[step - 1],
		    "step %d reached with N differs from n", step);
	}
	for (step = 0; step < n; step++) {
		app_init(&app, &scen.steps[step].cfg, 0);
		app_show(&app, &scen, step);
		walk_compute();
		direct = walk_digest();
		ck_assert_msg(walked[step] == direct,
		    "step %d reached with n differs from --step %d", step + 1,
		    step + 1);
		/* At 80x24 (a projector's usual size) the whole caption
		 * shows: its key instructions are what the class acts on. */
		for (i = 0; i < g.rows; i++) {
			char text[1024];

			ck_assert_int_ge(grid_row_text(&g, i, text,
			                     sizeof text),
			    0);
			ck_assert_msg(strstr(text, "│ …") == NULL,
			    "step %d's caption is cut at 80x24", step + 1);
		}
	}
	end();
}
END_TEST

START_TEST(test_preset_caption)
{
	char warn[512], err[256];

	memset(&g, 0, sizeof g);
	ck_assert_int_eq(scenario_load("presets/critical.json", &scen, warn,
	                     sizeof warn, err, sizeof err),
	    0);
	app_init(&app, &scen.steps[0].cfg, 0);
	app_show(&app, &scen, 0);
	fix_init(&fix, &app.cfg, lesson_steps);
	app_computed(&app, &fix.res);
	screens_all_sizes("preset-critical");
	end();
}
END_TEST

START_TEST(test_small)
{
	static const int small[][2] = {{12, 40}, {15, 60}, {16, 59}, {5, 20},
	    {2, 10}, {1, 1}};
	size_t i;

	begin(cfg_default, -1, -1, -1, -1);
	for (i = 0; i < sizeof small / sizeof small[0]; i++) {
		app.ascii = 0;
		screen("small", small[i][0], small[i][1]);
		app.ascii = 1;
		screen("small-ascii", small[i][0], small[i][1]);
	}
	/* Just past the minimum, and at the legend's first row. */
	app.ascii = 0;
	screen("edge", 16, 60);
	screen("edge", 19, 61);
	screen("edge", 20, 61);
	end();
}
END_TEST

Suite *screens_suite(void)
{
	Suite *s = suite_create("screens");
	TCase *tc = tcase_create("core");
	const char *only = getenv("CK_RUN_SUITE");
	FILE *f;

	/* SCREENS_RECORD writes the file anew (the tests append to it, in
	 * forked processes): truncated here, once, when this suite runs. */
	if (getenv("SCREENS_RECORD") != NULL &&
	    (only == NULL || strcmp(only, "screens") == 0) &&
	    (f = fopen(SCREENS_EXPECTED, "w")) != NULL)
		fclose(f);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_unique_names);
	tcase_add_test(tc, test_views_default);
	tcase_add_test(tc, test_views_tanh);
	tcase_add_test(tc, test_views_overflow);
	tcase_add_test(tc, test_views_wide);
	tcase_add_test(tc, test_views_partial);
	tcase_add_test(tc, test_overlays);
	tcase_add_test(tc, test_picker);
	tcase_add_test(tc, test_caption);
	tcase_add_test(tc, test_preset_caption);
	tcase_add_test(tc, test_lesson_walk);
	tcase_add_test(tc, test_small);
	suite_add_tcase(s, tc);
	return s;
}
