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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "datadir.h"
#include "dump.h"
#include "fileio.h"
#include "grid.h"
#include "keymap.h"
#include "svg.h"
#include "term.h"
#include "theme.h"
#include "view.h"

/* Idle wake-ups: nothing to do but notice a signal the wait missed. */
#define UI_IDLE_MS 1000
/* Flags that ask for file work. */
#define UI_FILE_WORK (APP_SAVE | APP_EXPORT | APP_PICK | APP_LOAD | APP_THEME)
/* Themes the t key cycles through at most. */
#define UI_THEMES_MAX 64

typedef struct {
	Engine *eng;
	EngineResult res;
	EngineConfig shown; /* the configuration res was computed for */
	int have;           /* res is valid */
	Grid grid;
	Scenario *scenario; /* what app->scenario points to */
	Scenario *scratch;  /* each picker entry, loaded for its title */
} Ui;

/* Applies key to the state; returns the dirty flags. */
static int ui_key(AppState *app, int key)
{
	Action a;

	if (key == TERM_KEY_QUIT)
		return APP_QUIT;
	if (key == TERM_KEY_RESIZE)
		return APP_REDRAW;
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
		snprintf(e.title, sizeof e.title, "%s", s->lesson ? s->title :
		    s->steps[0].title);
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

	if (theme_open(name_or_file, &t, warn, sizeof warn, err,
	    sizeof err) < 0) {
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
		ui_notice(app, "", "no themes found in ./themes, the data "
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

/* app_free_name's test: anything at path, a dangling link included,
 * makes the name taken; so does a path that cannot be checked. */
static int ui_exists(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	return lstat(path, &st) == 0 || errno != ENOENT;
}

static void ui_save(AppState *app)
{
	static const char *const ext[] = {".json"};
	char stem[64], path[72], err[sizeof app->notice];
	Preset p;

	if (app_free_name(app, ext, 1, ui_exists, NULL, stem,
	    sizeof stem) < 0) {
		ui_notice(app, "", "no free file name to save to");
		return;
	}
	snprintf(path, sizeof path, "%s.json", stem);
	app_preset(app, &p);
	if (scenario_save(path, &p, 0, err, sizeof err) < 0)
		ui_notice(app, "", err);
	else
		snprintf(app->notice, sizeof app->notice, "saved %s", path);
}

typedef struct {
	const AppState *app;
	const EngineResult *res;
	const char *title;
} UiExport;

static int ui_write_csv(FILE *out, void *ctx, char *err, size_t errlen)
{
	const UiExport *x = ctx;

	(void)err;
	(void)errlen;
	return dump_csv(out, x->res);
}

static int ui_write_svg(FILE *out, void *ctx, char *err, size_t errlen)
{
	const UiExport *x = ctx;

	(void)err;
	(void)errlen;
	return svg_write(out, &x->app->cfg, x->res, x->title,
	    x->app->weight_chart);
}

/* The table as CSV and the chart as SVG, under one free name. */
static void ui_export(Ui *ui, AppState *app)
{
	static const char *const ext[] = {".csv", ".svg"};
	const Preset *shown = app_preset_shown(app);
	char stem[64], csv[72], svg[72], err[sizeof app->notice], done[96];
	UiExport x = {app, &ui->res, "gradscope"};

	if (!ui->have) {
		ui_notice(app, "", "nothing computed to export yet");
		return;
	}
	if (shown != NULL && shown->title[0] != '\0')
		x.title = shown->title;
	if (app_free_name(app, ext, 2, ui_exists, NULL, stem,
	    sizeof stem) < 0) {
		ui_notice(app, "", "no free file name to export to");
		return;
	}
	snprintf(csv, sizeof csv, "%s.csv", stem);
	snprintf(svg, sizeof svg, "%s.svg", stem);
	if (fileio_write_atomic(csv, 0, ui_write_csv, &x, err,
	    sizeof err) < 0) {
		ui_notice(app, "", err);
		return;
	}
	if (fileio_write_atomic(svg, 0, ui_write_svg, &x, err,
	    sizeof err) < 0) {
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

/*
 * Computes app->cfg. When that fails (out of memory for a larger network)
 * the engine may have freed the previous arrays, so the previous
 * configuration is computed again and put back with a notice: the screen
 * never shows numbers for parameters other than those in the status line.
 */
static int ui_compute(Ui *ui, AppState *app, char *err, size_t errlen)
{
	char why[sizeof app->notice];

	if (engine_compute(ui->eng, &app->cfg, &ui->res, why,
	    sizeof why) == 0) {
		ui->shown = app->cfg;
		ui->have = 1;
		app_computed(app, &ui->res);
		return 0;
	}
	if (ui->have && engine_compute(ui->eng, &ui->shown, &ui->res, err,
	    errlen) == 0) {
		app->cfg = ui->shown;
		app->playing = 0;
		snprintf(app->notice, sizeof app->notice, "%s", why);
		return 0;
	}
	snprintf(err, errlen, "%s", why);
	return -1;
}

static int ui_draw(Ui *ui, const AppState *app, char *err, size_t errlen)
{
	int rows, cols;

	term_size(&rows, &cols);
	if (grid_resize(&ui->grid, rows, cols) < 0) {
		snprintf(err, errlen, "out of memory for a %dx%d screen", cols,
		    rows);
		return -1;
	}
	view_layout(&ui->grid, app, ui->have ? &ui->res : NULL);
	term_draw(&ui->grid);
	return 0;
}

static int ui_loop(Ui *ui, AppState *app, char *err, size_t errlen)
{
	int dirty = APP_RECOMPUTE | APP_REDRAW;
	int key;

	for (;;) {
		if (dirty & APP_QUIT)
			return 0;
		if (dirty & APP_PICK)
			ui_fill_picker(ui, app);
		if (dirty & APP_LOAD)
			dirty |= ui_load(ui, app);
		if (dirty & APP_THEME)
			ui_next_theme(app);
		/* Both fail only for want of memory. */
		if ((dirty & APP_RECOMPUTE) &&
		    ui_compute(ui, app, err, errlen) < 0)
			return UI_NO_MEMORY;
		/* A recompute has just rescaled; otherwise the numbers on
		 * screen are still right and only the scales follow them. */
		if ((dirty & (APP_RESCALE | APP_RECOMPUTE)) == APP_RESCALE &&
		    ui->have)
			app_computed(app, &ui->res);
		/* After the compute: the export writes what is on screen. */
		if (dirty & APP_SAVE)
			ui_save(app);
		if (dirty & APP_EXPORT)
			ui_export(ui, app);
		if (dirty != 0 && ui_draw(ui, app, err, errlen) < 0)
			return UI_NO_MEMORY;
		key = term_read_key(app->playing ? 1000 / APP_FPS :
		    UI_IDLE_MS);
		if (key == TERM_KEY_NONE) {
			dirty = app_tick(app);
			continue;
		}
		dirty = ui_key(app, key);
		while (!(dirty & (APP_QUIT | UI_FILE_WORK)) &&
		    (key = term_read_key(0)) != TERM_KEY_NONE)
			dirty |= ui_key(app, key);
	}
}

int ui_run(const UiStart *start, char *err, size_t errlen)
{
	AppState app;
	Theme def;
	Ui ui = {0};
	int rc;

	if (term_open(start->ascii, err, errlen) < 0)
		return UI_NO_TERMINAL;
	ui.eng = engine_new();
	ui.scenario = malloc(sizeof *ui.scenario);
	ui.scratch = malloc(sizeof *ui.scratch);
	if (ui.eng == NULL || ui.scenario == NULL || ui.scratch == NULL) {
		rc = UI_NO_MEMORY;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* The view draws ASCII when the terminal cannot show UTF-8, not
	 * only when asked to. */
	app_init(&app, &start->cfg, start->ascii || !term_utf8());
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
	grid_free(&ui.grid);
	engine_free(ui.eng);
	free(ui.scenario);
	free(ui.scratch);
	return rc;
}
