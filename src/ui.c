/*
 * ui: the live view's event loop. See include/ui.h.
 *
 * One pass of the loop: recompute if a parameter changed, redraw if
 * anything is dirty, then sleep in term_read_key until a key, a signal, a
 * resize or the timeout (an animation frame while playing, else a second:
 * idle costs one wake-up a second). A key is applied, and so is every key
 * already waiting behind it, before the next recompute: a burst of twenty
 * presses costs one compute, not twenty queued ones.
 */
#include "ui.h"

#include <stdio.h>

#include "app.h"
#include "grid.h"
#include "keymap.h"
#include "term.h"
#include "view.h"

/* Idle wake-ups: nothing to do but notice a signal the wait missed. */
#define UI_IDLE_MS 1000

typedef struct {
	Engine *eng;
	EngineResult res;
	EngineConfig shown; /* the configuration res was computed for */
	int have;           /* res is valid */
	Grid grid;
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
	view_layout(&ui->grid, app, &ui->res);
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
		/* Both fail only for want of memory. */
		if ((dirty & APP_RECOMPUTE) &&
		    ui_compute(ui, app, err, errlen) < 0)
			return UI_NO_MEMORY;
		if ((dirty & (APP_RECOMPUTE | APP_REDRAW)) &&
		    ui_draw(ui, app, err, errlen) < 0)
			return UI_NO_MEMORY;
		key = term_read_key(app->playing ? 1000 / APP_FPS :
		    UI_IDLE_MS);
		if (key == TERM_KEY_NONE) {
			dirty = app_tick(app);
			continue;
		}
		dirty = ui_key(app, key);
		while (!(dirty & APP_QUIT) &&
		    (key = term_read_key(0)) != TERM_KEY_NONE)
			dirty |= ui_key(app, key);
	}
}

int ui_run(const EngineConfig *cfg, int ascii, char *err, size_t errlen)
{
	AppState app;
	Ui ui = {0};
	int rc;

	if (term_open(ascii, err, errlen) < 0)
		return UI_NO_TERMINAL;
	ui.eng = engine_new();
	if (ui.eng == NULL) {
		term_close();
		snprintf(err, errlen, "out of memory");
		return UI_NO_MEMORY;
	}
	/* The view draws ASCII when the terminal cannot show UTF-8, not
	 * only when asked to. */
	app_init(&app, cfg, ascii || !term_utf8());
	rc = ui_loop(&ui, &app, err, errlen);
	term_close();
	grid_free(&ui.grid);
	engine_free(ui.eng);
	return rc;
}
