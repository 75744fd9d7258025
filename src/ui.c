/*
 * ui: the live view's event loop. See include/ui.h.
 *
 * One pass of the loop: do the file work the last keys asked for, then
 * recompute if a parameter changed, redraw if anything is dirty, then
 * sleep in term_read_key until a key, a signal, a resize or the timeout
 * (an animation frame while playing, else a second: idle costs one
 * wake-up a second). A key is applied, and so is every key already
 * waiting behind it, before the next recompute: a burst of twenty presses
 * costs one compute, not twenty queued ones. A key that asks for file
 * work ends its burst, so that the work sees the state as of that key
 * and the keys after it see the work's outcome (the picker's list, the
 * loaded preset).
 *
 * File work: the picker's list (every preset and lesson datadir_list
 * finds, each loaded for its title), loading the chosen one, the next
 * theme, saving the scenario and exporting the table and chart to free
 * names in the current directory. Each one's outcome, success or the
 * one-line reason for a failure, goes to the notice; a failure keeps the
 * state as it was.
 */
#include "ui.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app.h"
#include "datadir.h"
#include "dump.h"
#include "fileio.h"
#include "grid.h"
#include "keymap.h"
#include "param.h"
#include "scenario.h"
#include "svg.h"
#include "term.h"
#include "theme.h"
#include "theory.h"
#include "view.h"
#include "viewmod.h"

/* Idle wake-ups: nothing to do but notice a signal the wait missed. */
#define UI_IDLE_MS 1000
/* Flags that ask for file work. */
#define UI_FILE_WORK (APP_SAVE | APP_EXPORT | APP_PICK | APP_LOAD | APP_THEME)
/* Themes the t key cycles through at most. */
#define UI_THEMES_MAX 64

/* Background work per pass of the loop, and how often a long compute
 * looks for keys. */
#define UI_WORK_MS 25
#define UI_POLL_MS 20
/* Keys read during a compute, kept for the loop. */
#define UI_KEYS_MAX 64
/* From this many layer x width cells on, a compute says it is busy. */
#define UI_BUSY_CELLS 4e6

typedef struct {
	Engine *eng;
	EngineResult res; /* the engine's arrays for its last compute */
	/* What the screen shows: copies of the last good result (an
	 * interrupted compute may free the engine's arrays), the theory for
	 * it, and its configuration. */
	EngineResult shown_res;
	XMag *theory_act, *theory_grad;
	XMag *kept; /* 5 * cap: the arrays above, one allocation */
	size_t cap; /* entries of each array above */
	TheoryFactor factor;
	EngineConfig shown;
	int have; /* shown_res is valid */
	Grid grid;
	Scenario *scenario; /* what app->scenario points to */
	Scenario *scratch;  /* each picker entry, loaded for its title */
	/* The current view's job (viewmod.h), on its own engine: the job
	 * and its module (NULL: none), the view and the configuration it is
	 * for. */
	Engine *bg;
	void *job;
	const ViewModule *mod;
	AppView job_view;
	EngineConfig job_cfg;
	int job_done;                 /* the job has nothing left to do */
	int job_mid;                  /* a paced job is within a frame's
	                                 step (its job_step returned 2) */
	char why[SCENARIO_TITLE_MAX]; /* why the view has no job */
	/* Keys read while a compute ran, and whether one of them asked to
	 * stop it. */
	const AppState *app;
	int keys[UI_KEYS_MAX];
	int nkeys;
	int stop;
	int stop_any; /* any key stops (a job's point), not only a
	                       change of parameters or quit */
	double poll_last;
	double last_tick; /* the last frame of play and training */
	char busy[128];   /* shown while a long compute runs */
	/* The baseline's curves (b): a copy of a shown result, and whether
	 * it holds one. */
	EngineResult base;
	XMag *base_kept;
	size_t base_cap;
	int base_have;
	int base_pending; /* a key stopped the step's baseline compute */
	/* The baseline's job, for a module with base_job (the sweep): on
	 * its own engine, for the baseline's settings at the live lambda;
	 * the configuration it is for, and whether it is complete. */
	Engine *bg2;
	void *base_job;
	const ViewModule *base_mod;
	EngineConfig base_job_cfg;
	int base_job_done;
} Ui;

static void ui_view_data(const Ui *ui, const AppState *app, ViewData *d);
static int ui_same_job(const EngineConfig *a, const EngineConfig *b,
    int lambda_too);
static const EngineResult *ui_base(const Ui *ui, const AppState *app);

/* Applies key to the state (a mouse event: to what it points at on the
 * screen last drawn); returns the dirty flags. */
static int ui_key(const Ui *ui, AppState *app, int key)
{
	AppPoint p;
	ViewData d;
	Action a;
	int button, row, col;

	if (key == TERM_KEY_QUIT)
		return APP_QUIT;
	if (key == TERM_KEY_RESIZE)
		return APP_REDRAW;
	if (term_mouse_decode(key, &button, &row, &col)) {
		ui_view_data(ui, app, &d);
		if (view_point(ui->grid.rows, ui->grid.cols, app, &d, row, col,
		        button, &p) == APP_POINT_NONE)
			return 0;
		return app_point(app, &p);
	}
	a = keymap_lookup(key);
	return a == ACTION_NONE ? 0 : app_apply(app, a);
}

/* The first line of text into the notice, after prefix. */
static void ui_notice(AppState *app, const char *prefix, const char *text)
{
	snprintf(app->notice, sizeof app->notice, "%s%.*s", prefix,
	    (int)strcspn(text, "\n"), text);
}

/* ---------------------------------------------------------------------- */
/* Presets, lessons and the picker                                        */
/* ---------------------------------------------------------------------- */

typedef struct {
	Ui *ui;
	AppState *app;
} UiPickCtx;

/* datadir_list's callback: one picker entry, with the file's title (a
 * lesson's own, a preset's step's) or why it cannot be loaded. */
static void ui_pick_one(const char *name, const char *path, void *ctx)
{
	UiPickCtx *c = ctx;
	Scenario *s = c->ui->scratch;
	char warn[512], err[SCENARIO_TITLE_MAX];
	AppPick e;

	memset(&e, 0, sizeof e);
	snprintf(e.name, sizeof e.name, "%s", name);
	if (scenario_load(path, s, warn, sizeof warn, err, sizeof err) < 0) {
		snprintf(e.title, sizeof e.title, "%s", err);
	} else {
		snprintf(e.title, sizeof e.title, "%s",
		    s->lesson ? s->title : s->steps[0].title);
		e.lesson = s->lesson;
		e.nsteps = s->nsteps;
	}
	app_pick_add(c->app, &e);
}

static void ui_fill_picker(Ui *ui, AppState *app)
{
	UiPickCtx c = {ui, app};

	if (datadir_list("presets", ui_pick_one, &c) < 0)
		ui_notice(app, "", "out of memory listing the presets");
}

/* Loads the picker's choice; on success shows its first step. */
static int ui_load(Ui *ui, AppState *app)
{
	const char *name = app->pick[app->pick_sel].name;
	char warn[512], err[sizeof app->notice];
	int dirty;

	/* scenario_open changes *ui->scenario only when it succeeds. */
	if (scenario_open(name, ui->scenario, warn, sizeof warn, err,
	        sizeof err) < 0) {
		ui_notice(app, "", err);
		return APP_REDRAW;
	}
	dirty = app_open(app, ui->scenario, 0);
	if (warn[0] != '\0')
		ui_notice(app, "warning: ", warn);
	else
		snprintf(app->notice, sizeof app->notice, "opened %s", name);
	return dirty;
}

/* ---------------------------------------------------------------------- */
/* Themes                                                                 */
/* ---------------------------------------------------------------------- */

typedef struct {
	char names[UI_THEMES_MAX][64];
	int n;
} UiThemes;

static void ui_theme_one(const char *name, const char *path, void *ctx)
{
	UiThemes *t = ctx;

	(void)path;
	if (t->n < UI_THEMES_MAX)
		snprintf(t->names[t->n++], sizeof t->names[0], "%s", name);
}

/* Loads name_or_file, applies it and records it in app->theme; a
 * failure says why in the notice and keeps the theme on screen, and so
 * does a warning. Returns 0 or -1. */
static int ui_apply_theme(AppState *app, const char *name_or_file)
{
	char warn[512], err[sizeof app->notice];
	Theme t;

	if (theme_open(name_or_file, &t, warn, sizeof warn, err, sizeof err) <
	    0) {
		ui_notice(app, "", err);
		return -1;
	}
	term_set_theme(&t);
	snprintf(app->theme, sizeof app->theme, "%s", name_or_file);
	if (warn[0] != '\0')
		ui_notice(app, "warning: ", warn);
	return 0;
}

/* The theme after app->theme in name order, round to the first. */
static void ui_next_theme(AppState *app)
{
	static UiThemes t; /* 4 KiB: kept off the stack */
	int i;

	t.n = 0;
	if (datadir_list("themes", ui_theme_one, &t) < 0) {
		ui_notice(app, "", "out of memory listing the themes");
		return;
	}
	if (t.n == 0) {
		ui_notice(app, "",
		    "no themes found in ./themes, the data "
		    "directory or ~/.config/gradscope/themes");
		return;
	}
	for (i = 0; i < t.n && strcmp(t.names[i], app->theme) != 0; i++)
		;
	i = i < t.n ? (i + 1) % t.n : 0;
	if (ui_apply_theme(app, t.names[i]) == 0 && app->notice[0] == '\0')
		snprintf(app->notice, sizeof app->notice, "theme: %s",
		    t.names[i]);
}

/* ---------------------------------------------------------------------- */
/* Save and export                                                        */
/* ---------------------------------------------------------------------- */

/* The save key's names: DIR/STEM.json for app_name's k-th stem, DIR
 * the user's preset directory. scenario_save_free claims one at the
 * instant it creates the file, so two views saving at once both land
 * (issue 15). */
typedef struct {
	const AppState *app;
	const char *dir;
} UiSaveCtx;

static int ui_json_name(int k, char *path, size_t len, void *ctx)
{
	const UiSaveCtx *c = ctx;
	char stem[APP_NAME_MAX];

	if (app_name(c->app, k, stem, sizeof stem) < 0)
		return -1;
	return snprintf(path, len, "%s/%s.json", c->dir, stem) < (int)len ? 0 :
	                                                                    -1;
}

/* path as the notice shows it: "~/..." under $HOME. */
static const char *ui_home_path(const char *path, char *buf, size_t len)
{
	const char *home = getenv("HOME");
	size_t n = home != NULL ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/') {
		snprintf(buf, len, "~%s", path + n);
		return buf;
	}
	return path;
}

/* S: the preset into the user's preset directory (datadir_user), where
 * the picker and --preset NAME find it; the notice names the file first
 * (what --preset takes), then the directory. */
static void ui_save(AppState *app)
{
	char dir[4096], path[4096 + APP_NAME_MAX + 8], shown[sizeof path];
	char err[sizeof app->notice], saved[APP_NAME_MAX + 16], *slash;
	UiSaveCtx c = {app, dir};
	Preset p;

	if (datadir_user("presets", dir, sizeof dir, err, sizeof err) < 0) {
		ui_notice(app, "not saved: ", err);
		return;
	}
	app_preset(app, &p);
	if (scenario_save_free(&p, ui_json_name, &c, path, sizeof path, err,
	        sizeof err) < 0) {
		ui_notice(app, "", err);
		return;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	snprintf(saved, sizeof saved, "saved %.*s in ", APP_NAME_MAX,
	    slash + 1);
	ui_notice(app, saved, ui_home_path(path, shown, sizeof shown));
}

/* The export's names: STEM.csv, skipped (1) while STEM.svg is there, so
 * that the two files share a stem; anything at the path, a dangling link
 * included, or a path that cannot be checked, takes the name. */
static int ui_csv_name(int k, char *path, size_t len, void *ctx)
{
	char stem[APP_NAME_MAX], svg[APP_NAME_MAX + 8];
	struct stat st;

	if (app_name(ctx, k, stem, sizeof stem) < 0)
		return -1;
	snprintf(svg, sizeof svg, "%s.svg", stem);
	if (lstat(svg, &st) == 0 || errno != ENOENT)
		return 1;
	return snprintf(path, len, "%s.csv", stem) < (int)len ? 0 : -1;
}

/* What an export writes: the numbers on screen and their settings. */
typedef struct {
	const Ui *ui;
	const AppState *app;
	const char *title;
} UiExport;

static int ui_write_csv(FILE *out, void *ctx, char *err, size_t errlen)
{
	const UiExport *x = ctx;

	(void)err;
	(void)errlen;
	return dump_csv(out, &x->ui->shown_res, x->ui->theory_act,
	    x->ui->theory_grad);
}

static int ui_write_svg(FILE *out, void *ctx, char *err, size_t errlen)
{
	const UiExport *x = ctx;

	(void)err;
	(void)errlen;
	return svg_write_baseline(out, &x->ui->shown, &x->ui->shown_res,
	    x->title, x->app->weight_chart, ui_base(x->ui, x->app),
	    &x->app->baseline_cfg);
}

/* The table as CSV and the chart as SVG, under one free name. */
static void ui_export(Ui *ui, AppState *app)
{
	const Preset *shown = app_preset_unchanged(app);
	char csv[APP_NAME_MAX + 8], svg[APP_NAME_MAX + 8];
	char err[sizeof app->notice], done[APP_NAME_MAX + 16];
	/* The step's title while it describes what is drawn; after a
	 * change (or with none) svg_write's, built from the parameters. */
	UiExport x = {ui, app, shown != NULL ? shown->title : NULL};

	if (!ui->have) {
		ui_notice(app, "", "nothing computed to export yet");
		return;
	}
	if (fileio_write_free(ui_csv_name, app, ui_write_csv, &x, csv,
	        sizeof csv, err, sizeof err) < 0) {
		ui_notice(app, "", err);
		return;
	}
	/* STEM.svg beside the STEM.csv just claimed. */
	snprintf(svg, sizeof svg, "%.*s.svg", (int)(strlen(csv) - 4), csv);
	if (fileio_write_atomic(svg, 0, ui_write_svg, &x, err, sizeof err) <
	    0) {
		/* Say that the table was written all the same. */
		snprintf(done, sizeof done, "wrote %s; ", csv);
		ui_notice(app, done, err);
		return;
	}
	snprintf(app->notice, sizeof app->notice, "wrote %s and .svg", csv);
}

/* ---------------------------------------------------------------------- */
/* The loop                                                               */
/* ---------------------------------------------------------------------- */

/* Milliseconds on a monotonic clock. */
static double ui_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Does key, pressed now, make the running compute pointless: a quit, or
 * a change of what is computed? Tried on a copy of the state. */
static int ui_key_stops(const Ui *ui, int key)
{
	static AppState scratch; /* large: kept off the stack */

	if (key == TERM_KEY_QUIT || ui->stop_any)
		return 1;
	if (key == TERM_KEY_RESIZE || ui->app == NULL)
		return 0;
	scratch = *ui->app;
	return (ui_key(ui, &scratch, key) & (APP_QUIT | APP_RECOMPUTE)) != 0;
}

/* The engines' poll: every UI_POLL_MS reads the keys waiting (kept for
 * the loop, in order) and stops the compute when one asks to. */
static int ui_poll(void *ctx)
{
	Ui *ui = ctx;
	double now = ui_now_ms();
	int key;

	if (now - ui->poll_last < UI_POLL_MS)
		return ui->stop;
	ui->poll_last = now;
	while (ui->nkeys < UI_KEYS_MAX &&
	    (key = term_read_key(0)) != TERM_KEY_NONE) {
		ui->keys[ui->nkeys++] = key;
		if (ui_key_stops(ui, key))
			ui->stop = 1;
	}
	return ui->stop;
}

/* The next key: one read during a compute, else from the terminal. */
static int ui_next_key(Ui *ui, int timeout_ms)
{
	int key;

	if (ui->nkeys > 0) {
		key = ui->keys[0];
		memmove(ui->keys, ui->keys + 1,
		    (size_t)--ui->nkeys * sizeof ui->keys[0]);
		return key;
	}
	return term_read_key(timeout_ms);
}

/* Keeps a copy of the engine's result and the theory for it. */
static int ui_keep(Ui *ui, const EngineConfig *cfg, char *err, size_t errlen)
{
	size_t n = (size_t)ui->res.depth + 1;
	EngineResult *k = &ui->shown_res;

	if (n > ui->cap) {
		XMag *kept = realloc(ui->kept, 5 * n * sizeof *kept);

		if (kept == NULL) {
			ui->have = 0;
			snprintf(err, errlen, "out of memory for %zu layers",
			    n);
			return -1;
		}
		ui->kept = kept;
		ui->cap = n;
		k->activation_rms = kept;
		k->gradient_rms = kept + n;
		k->weight_gradient_rms = kept + 2 * n;
		ui->theory_act = kept + 3 * n;
		ui->theory_grad = kept + 4 * n;
	}
	k->depth = ui->res.depth;
	memcpy(k->activation_rms, ui->res.activation_rms, n * sizeof(XMag));
	memcpy(k->gradient_rms, ui->res.gradient_rms, n * sizeof(XMag));
	memcpy(k->weight_gradient_rms, ui->res.weight_gradient_rms,
	    n * sizeof(XMag));
	if (theory_compute(cfg, k->activation_rms[0], ui->theory_act,
	        ui->theory_grad, &ui->factor, err, errlen) < 0)
		return -1;
	ui->shown = *cfg;
	ui->have = 1;
	return 0;
}

static int ui_draw(Ui *ui, const AppState *app, char *err, size_t errlen);

/* b: the curves r (computed for cfg) become the baseline. */
static void ui_pin_result(Ui *ui, AppState *app, const EngineResult *r,
    const EngineConfig *cfg)
{
	size_t n = (size_t)r->depth + 1;
	EngineResult *b = &ui->base;

	if (n > ui->base_cap) {
		XMag *kept = realloc(ui->base_kept, 3 * n * sizeof *kept);

		if (kept == NULL) {
			app->baseline = 0;
			ui_notice(app, "", "out of memory for the baseline");
			return;
		}
		ui->base_kept = kept;
		ui->base_cap = n;
	}
	b->activation_rms = ui->base_kept;
	b->gradient_rms = ui->base_kept + n;
	b->weight_gradient_rms = ui->base_kept + 2 * n;
	b->depth = r->depth;
	memcpy(b->activation_rms, r->activation_rms, n * sizeof(XMag));
	memcpy(b->gradient_rms, r->gradient_rms, n * sizeof(XMag));
	memcpy(b->weight_gradient_rms, r->weight_gradient_rms,
	    n * sizeof(XMag));
	app->baseline_cfg = *cfg;
	ui->base_have = 1;
}

/* b: the curves on screen become the baseline, for the settings they
 * were computed for. */
static void ui_pin_baseline(Ui *ui, AppState *app)
{
	if (!ui->have) {
		app->baseline = 0;
		ui_notice(app, "", "nothing computed to pin yet");
		return;
	}
	ui_pin_result(ui, app, &ui->shown_res, &ui->shown);
}

/* A step's own baseline: app->baseline_cfg computed on the main engine
 * (before the live compute, which then overwrites its arrays). Returns
 * 0, 1 when a key stopped it (tried again after the keys), or -1 when
 * the engine failed (the notice says why; no baseline). */
static int ui_compute_baseline(Ui *ui, AppState *app)
{
	char why[sizeof app->notice];
	EngineConfig cfg = app->baseline_cfg;
	int rc;

	ui->app = app;
	ui->stop = 0;
	ui->stop_any = 0;
	rc = engine_compute(ui->eng, &cfg, &ui->res, why, sizeof why);
	if (rc == ENGINE_INTERRUPTED)
		return 1;
	if (rc != 0) {
		app->baseline = 0;
		ui_notice(app, "baseline: ", why);
		return -1;
	}
	ui_pin_result(ui, app, &ui->res, &cfg);
	return 0;
}

/* The baseline's curves while one is pinned, else NULL. */
static const EngineResult *ui_base(const Ui *ui, const AppState *app)
{
	return app->baseline && ui->base_have ? &ui->base : NULL;
}

/*
 * Computes app->cfg. Returns 0, 1 when a key stopped it (the screen keeps
 * the last numbers until the keys are applied and it runs again), or -1
 * with a reason in err. When the engine fails (out of memory for a larger
 * network) the previous configuration is put back with a notice: the
 * screen never shows numbers for parameters other than those in the
 * status line, except for "computing" while a long compute runs.
 */
static int ui_compute(Ui *ui, AppState *app, char *err, size_t errlen)
{
	char why[sizeof app->notice];
	int rc;

	if ((double)app->cfg.depth * app->cfg.width >= UI_BUSY_CELLS) {
		snprintf(ui->busy, sizeof ui->busy,
		    "computing L=%d n=%d ... "
		    "(keys still work)",
		    app->cfg.depth, app->cfg.width);
		if (ui_draw(ui, app, err, errlen) < 0)
			return -1;
	}
	ui->app = app;
	ui->stop = 0;
	ui->stop_any = 0;
	rc = engine_compute(ui->eng, &app->cfg, &ui->res, why, sizeof why);
	ui->busy[0] = '\0';
	if (rc == ENGINE_INTERRUPTED)
		return 1;
	if (rc == 0) {
		if (ui_keep(ui, &app->cfg, err, errlen) < 0)
			return -1;
		app_computed_with(app, &ui->shown_res, ui_base(ui, app));
		return 0;
	}
	if (ui->have) {
		app->cfg = ui->shown;
		app->playing = 0;
		snprintf(app->notice, sizeof app->notice, "%s", why);
		return 0;
	}
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* ---------------------------------------------------------------------- */
/* The views' jobs                                                        */
/* ---------------------------------------------------------------------- */

static void ui_base_job_free(Ui *ui)
{
	if (ui->base_job != NULL)
		ui->base_mod->job_free(ui->base_job);
	ui->base_job = NULL;
	ui->base_mod = NULL;
}

/* The baseline's job, while the view's module asks for one and a
 * baseline is pinned: the baseline's settings at the live lambda (so
 * that the range is the live job's), restarted when either changes as
 * the live job would be. */
static void ui_base_job_sync(Ui *ui, const AppState *app)
{
	const ViewModule *m = viewmod_get(app->view);
	EngineConfig c = app->baseline_cfg;
	char why[SCENARIO_TITLE_MAX];

	c.lambda = app->cfg.lambda;
	if (!m->base_job || !app->baseline || ui->job == NULL) {
		ui_base_job_free(ui);
		return;
	}
	if (ui->base_job != NULL && ui->base_mod == m &&
	    ui_same_job(&c, &ui->base_job_cfg, m->per_lambda) &&
	    (m->job_stale == NULL || !m->job_stale(&ui->base_job_cfg, &c)))
		return;
	ui_base_job_free(ui);
	ui->base_job_cfg = c;
	ui->base_job = m->job_new(ui->bg2, &c, why, sizeof why);
	ui->base_mod = ui->base_job != NULL ? m : NULL;
	ui->base_job_done = ui->base_job == NULL;
}

static void ui_job_free(Ui *ui)
{
	if (ui->job != NULL)
		ui->mod->job_free(ui->job);
	ui->job = NULL;
	ui->mod = NULL;
	ui->job_view = APP_VIEW_BARS;
	ui->why[0] = '\0';
}

/* Do a and b ask for the same job? The sweep and the map do not depend
 * on lambda (only on its range); the spectrum and training do. */
static int ui_same_job(const EngineConfig *a, const EngineConfig *b,
    int lambda_too)
{
	/* The swept fields (lambda) are the sweep's and map's own axis. */
	return param_same(a, b, lambda_too);
}

/* Starts the job the view on screen needs, unless it runs already: a
 * change of view, or of what ui_same_job compares (lambda only for a
 * module that is per_lambda), or what the module finds stale. */
static void ui_job_sync(Ui *ui, AppState *app)
{
	const EngineConfig *c = &app->cfg;
	const ViewModule *m = viewmod_get(app->view);

	if (app->view == ui->job_view &&
	    ui_same_job(c, &ui->job_cfg, m->per_lambda) &&
	    (m->job_stale == NULL || !m->job_stale(&ui->job_cfg, c)))
		return;
	ui_job_free(ui);
	ui->job_cfg = *c;
	ui->job_view = app->view;
	if (m->job_new != NULL) {
		ui->job = m->job_new(ui->bg, c, ui->why, sizeof ui->why);
		ui->mod = ui->job != NULL ? m : NULL;
	}
	ui->job_done = ui->job == NULL;
	ui->job_mid = 0;
}

/* Does the job on screen still have work? */
static int ui_job_busy(const Ui *ui)
{
	return ui->job != NULL && !ui->job_done;
}

/* Does it, or the baseline's? */
static int ui_jobs_busy(const Ui *ui)
{
	return ui_job_busy(ui) || (ui->base_job != NULL && !ui->base_job_done);
}

/* Whether the job takes one step a frame (training), like play. */
static int ui_job_paced(const Ui *ui)
{
	return ui->job != NULL && ui->mod->paced;
}

/* One pass of the job's work: one step of a paced job (a frame; the
 * pieces of a step it splits, returning 2, until UI_WORK_MS have passed
 * and again on the next pass, without waiting for a frame), or other
 * jobs' steps until UI_WORK_MS have passed. Any key stops a long step,
 * which is tried again on the next pass. Returns the dirty flags. */
static int ui_job_work(Ui *ui, AppState *app)
{
	char err[sizeof app->notice];
	double start = ui_now_ms();
	int rc;

	if (!ui_job_busy(ui)) {
		/* Then the baseline's, when there is one to do. */
		if (ui->base_job == NULL || ui->base_job_done)
			return 0;
		ui->app = app;
		ui->stop = 0;
		ui->stop_any = 1;
		do
			rc = ui->base_mod->job_step(ui->base_job, err,
			    sizeof err);
		while (rc > 0 && !ui->stop && ui_now_ms() - start < UI_WORK_MS);
		if (rc <= 0 && !ui->stop)
			ui->base_job_done = 1;
		return APP_REDRAW;
	}
	ui->app = app;
	ui->stop = 0;
	ui->stop_any = 1;
	if (ui->mod->job_tune != NULL)
		ui->mod->job_tune(ui->job, app);
	do
		rc = ui->mod->job_step(ui->job, err, sizeof err);
	while ((ui->mod->paced ? rc == 2 : rc > 0) && !ui->stop &&
	    ui_now_ms() - start < UI_WORK_MS);
	ui->job_mid = ui->mod->paced && rc == 2;
	if (rc < 0 && !ui->stop) {
		ui_notice(app, "", err);
		ui->job_done = 1;
	} else if (rc == 0) {
		ui->job_done = 1;
	}
	return APP_REDRAW;
}

/* What the views draw, from the kept result and the job. */
static void ui_view_data(const Ui *ui, const AppState *app, ViewData *d)
{
	memset(d, 0, sizeof *d);
	d->base = ui_base(ui, app);
	d->busy = ui->busy[0] != '\0' ? ui->busy : NULL;
	if (ui->have) {
		d->res = &ui->shown_res;
		d->factor = &ui->factor;
		if (app->theory) {
			d->theory_act = ui->theory_act;
			d->theory_grad = ui->theory_grad;
		}
	}
	d->why = ui->why[0] != '\0' ? ui->why : NULL;
	/* A compute's "computing" screen may come between a change of
	 * view and the sync: the job goes only to the view it is for. */
	if (ui->job != NULL && ui->job_view == app->view) {
		d->job = ui->job;
		d->job_done = ui->job_done;
		d->job_cfg = &ui->job_cfg;
		if (ui->have && ui_same_job(&ui->shown, &ui->job_cfg, 1))
			d->job_theory_grad = ui->theory_grad;
		if (ui->base_job != NULL && ui->base_mod == ui->mod)
			d->base_job = ui->base_job;
	}
}

static int ui_draw(Ui *ui, const AppState *app, char *err, size_t errlen)
{
	ViewData d;
	int rows, cols;

	term_size(&rows, &cols);
	if (grid_resize(&ui->grid, rows, cols) < 0) {
		snprintf(err, errlen, "out of memory for a %dx%d screen", cols,
		    rows);
		return -1;
	}
	ui_view_data(ui, app, &d);
	view_layout(&ui->grid, app, &d);
	term_draw(&ui->grid);
	return 0;
}

/* A frame's worth of the play sweep and of training, when a frame's
 * time has passed since the last: the loop may look at the keys more
 * often than that while a job works. */
static int ui_tick(Ui *ui, AppState *app)
{
	double now = ui_now_ms();
	int dirty;

	if (now - ui->last_tick < 1000.0 / APP_FPS - 1)
		return 0;
	ui->last_tick = now;
	dirty = app_tick(app);
	if (ui_job_paced(ui))
		dirty |= ui_job_work(ui, app);
	return dirty;
}

static int ui_loop(Ui *ui, AppState *app, char *err, size_t errlen)
{
	/* A step that opens with a baseline computes it first. */
	int dirty = APP_RECOMPUTE | APP_REDRAW |
	    (app->baseline ? APP_BASELINE_CFG : 0);
	int key, rc, timeout;

	for (;;) {
		if (dirty & APP_QUIT)
			return 0;
		if (dirty & APP_PICK)
			ui_fill_picker(ui, app);
		if (dirty & APP_LOAD)
			dirty |= ui_load(ui, app);
		if (dirty & APP_THEME)
			ui_next_theme(app);
		rc = 0;
		ui->base_pending = 0;
		if ((dirty & APP_BASELINE_CFG) && app->baseline &&
		    ui_compute_baseline(ui, app) == 1) {
			ui->base_pending = 1;
			rc = 1;
		}
		/* Both fail only for want of memory. */
		if (rc == 0 && (dirty & APP_RECOMPUTE) &&
		    (rc = ui_compute(ui, app, err, errlen)) < 0)
			return UI_NO_MEMORY;
		/* A recompute has just rescaled; otherwise the numbers on
		 * screen are still right and only the scales follow them. */
		if (dirty & APP_BASELINE)
			ui_pin_baseline(ui, app);
		if ((dirty & (APP_RESCALE | APP_RECOMPUTE)) == APP_RESCALE &&
		    ui->have)
			app_computed_with(app, &ui->shown_res,
			    ui_base(ui, app));
		/* After the compute: the export writes what is on screen. */
		if (dirty & APP_SAVE)
			ui_save(app);
		if (dirty & APP_EXPORT)
			ui_export(ui, app);
		ui_job_sync(ui, app);
		ui_base_job_sync(ui, app);
		if (dirty != 0 && ui_draw(ui, app, err, errlen) < 0)
			return UI_NO_MEMORY;
		if (dirty != 0)
			app_set_columns(app,
			    view_bar_columns(ui->grid.rows, ui->grid.cols,
			        app));
		/* A compute a key stopped runs again after the keys (the
		 * baseline's first when it was the one stopped). */
		dirty = rc != 1      ? 0 :
		    ui->base_pending ? APP_RECOMPUTE | APP_BASELINE_CFG :
		                       APP_RECOMPUTE;
		/* Steps of the job between looks at the keys; a paced one
		 * (training) takes a step a frame, like play. */
		timeout = app->playing ||
		        (ui_job_paced(ui) && ui_job_busy(ui)) ?
		    1000 / APP_FPS :
		    UI_IDLE_MS;
		/* The baseline's job (ui_job_work) once the live one is done. */
		if (ui_job_busy(ui) ? !ui_job_paced(ui) || ui->job_mid :
		                      ui_jobs_busy(ui)) {
			dirty |= ui_job_work(ui, app);
			timeout = 0;
		}
		key = ui_next_key(ui, timeout);
		if (key == TERM_KEY_NONE) {
			dirty |= ui_tick(ui, app);
			continue;
		}
		dirty |= ui_key(ui, app, key);
		/* The baseline too pins the curves as of its key. */
		while (!(dirty & (APP_QUIT | APP_BASELINE | UI_FILE_WORK)) &&
		    (key = ui_next_key(ui, 0)) != TERM_KEY_NONE)
			dirty |= ui_key(ui, app, key);
	}
}

int ui_run(const UiStart *start, char *err, size_t errlen)
{
	AppState app;
	Theme def;
	Ui ui = {0};
	int rc;

	term_set_mouse(start->mouse);
	if (term_open(start->ascii, err, errlen) < 0)
		return UI_NO_TERMINAL;
	ui.eng = engine_new();
	ui.bg = engine_new();
	ui.bg2 = engine_new();
	ui.scenario = malloc(sizeof *ui.scenario);
	ui.scratch = malloc(sizeof *ui.scratch);
	if (ui.eng == NULL || ui.bg == NULL || ui.bg2 == NULL ||
	    ui.scenario == NULL || ui.scratch == NULL) {
		rc = UI_NO_MEMORY;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	engine_set_poll(ui.eng, ui_poll, &ui);
	engine_set_poll(ui.bg, ui_poll, &ui);
	engine_set_poll(ui.bg2, ui_poll, &ui);
	/* The view draws ASCII when the terminal cannot show UTF-8, not
	 * only when asked to. */
	app_init(&app, &start->cfg, start->ascii || !term_utf8());
	app.mono = term_mono();
	if (start->scenario != NULL) {
		*ui.scenario = *start->scenario;
		app_show(&app, ui.scenario, start->step);
	}
	theme_default(&def);
	snprintf(app.theme, sizeof app.theme, "%s", def.name);
	if (start->theme != NULL)
		ui_apply_theme(&app, start->theme);
	rc = ui_loop(&ui, &app, err, errlen);
out:
	term_close();
	ui_base_job_free(&ui);
	ui_job_free(&ui);
	grid_free(&ui.grid);
	engine_free(ui.eng);
	engine_free(ui.bg);
	engine_free(ui.bg2);
	free(ui.kept);
	free(ui.base_kept);
	free(ui.scenario);
	free(ui.scratch);
	return rc;
}
