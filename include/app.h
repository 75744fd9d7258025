/*
 * app: the live view's state and the one place it changes.
 *
 * An action (from the key table) updates the state and returns what
 * became dirty: the engine must recompute, the screen must redraw, or the
 * program should quit. Actions never draw and never compute. Actions
 * that need files (load a preset, save, export, change the theme) only
 * say so with a flag; the event loop (ui.c) does the file work and puts
 * the outcome in the notice.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_APP_H
#define GRADSCOPE_APP_H

#include <stddef.h>

#include "engine.h"
#include "keymap.h"
#include "scale.h"
#include "scenario.h"

/* The lambda step: starts at 0.01, moves by x10 / /10 within these. */
#define APP_STEP_START 0.01
#define APP_STEP_MAX 0.1
#define APP_STEP_MIN 0.0001
/* The play sweep: lambda bounces between 1 - APP_PLAY_SPAN and
 * 1 + APP_PLAY_SPAN, moving APP_PLAY_RATE per second; from outside that
 * band it starts at the nearest edge. */
#define APP_PLAY_SPAN 0.25
#define APP_PLAY_RATE 0.1
/* Animation frames per second while playing. */
#define APP_FPS 30
/* The learning rate key's reach: 10^(APP_RATE_EXP_MAX / 2) either way
 * of training's default rate. */
#define APP_RATE_EXP_MAX 6
/* Entries the preset picker lists at most. */
#define APP_PICK_MAX 128
/* Numbered names tried for a saved or exported file before giving up. */
#define APP_NAME_TRIES 1000
/* Room for app_name's longest stem and its NUL. */
#define APP_NAME_MAX 128

/* The views v cycles through, in order, declared once: X(ID, module,
 * "name") gives APP_VIEW_ID, app_view_name's "name" and the module
 * view_<module>_module that draws it (viewmod.h, src/view_<module>.c).
 * Every view keeps the status and verdict lines; each but the bars shows
 * a job's results as they come. */
#define APP_VIEWS(X) \
	X(BARS, bars, "bars")             /* the per-layer bar charts */ \
	X(SWEEP, sweep, "sweep")          /* output, gradient by lambda */ \
	X(MAP, map, "map")                /* gradient over depth x lambda */ \
	X(SPECTRUM, spectrum, "spectrum") /* the Jacobian's singular values */ \
	X(TRAIN, train, "training")       /* gradient descent, a toy task */

#define APP_VIEW_ENUM(id, module, name) APP_VIEW_##id,
typedef enum { APP_VIEWS(APP_VIEW_ENUM) APP_VIEW_COUNT } AppView;
#undef APP_VIEW_ENUM

/* "bars", "sweep", "map", "spectrum", "training"; "?" out of range. */
const char *app_view_name(AppView v);

/* One preset or lesson in the picker. */
typedef struct {
	char name[64];                  /* the file name without .json */
	char title[SCENARIO_TITLE_MAX]; /* its title, or why it cannot load */
	int lesson;                     /* a lesson: nsteps steps */
	int nsteps;                     /* 0: the file cannot be loaded */
} AppPick;

typedef struct {
	EngineConfig cfg; /* what the engine computes */
	double step;      /* lambda step */
	int weight_chart; /* gradient chart shows weight_gradient_rms */
	int help;         /* the help overlay is open */
	int help_page;    /* its page, when it has more than one: any
	                       integer, taken modulo the pages by the view */
	int playing;      /* the lambda sweep runs */
	int play_dir;     /* +1 or -1 */
	int pinned;       /* the scales stay where they are */
	int ascii;        /* draw with ASCII only */
	int mono;         /* drawn without colour (NO_COLOR): glyphs only */
	Scale act_scale;  /* activation chart */
	Scale grad_scale; /* gradient chart */
	/* The preset or lesson shown (owned by the caller, NULL if none)
	 * and the index of its step on screen. */
	const Scenario *scenario;
	int step_index;
	int caption;    /* the caption box is shown (when there is one) */
	int presenter;  /* presenter mode: big digits over the charts */
	char theme[64]; /* the theme on screen, as t names them */
	AppView view;   /* the view on screen */
	int theory;     /* the theory overlay is on */
	int sweep_full; /* the sweep shows all lambda, not the window
	                   around the critical one (F) */
	/* Training's learning rate is its default for the depth
	 * (train_rate_default) x 10^(rate_exp / 2),
	 * rate_exp in [-APP_RATE_EXP_MAX, APP_RATE_EXP_MAX]: * and / move
	 * it by one, and a running training takes it at its next step. */
	int rate_exp;
	/* The picker: open, its entries (filled by the caller after
	 * APP_PICK) and the chosen one. */
	int picking;
	int npick;
	int pick_sel;
	AppPick pick[APP_PICK_MAX];
	char notice[256]; /* a one-line message for the user, "" if none */
	/* The layer cursor (x): shown, its layer (0 .. cfg.depth, kept
	 * when lambda or the width change, clamped when the depth shrinks)
	 * and the bars' plot columns as last drawn (app_set_columns), which
	 * , and . step through. */
	int cursor;
	int cursor_layer;
	int cursor_cols;
	/* The baseline (b): pinned, and the settings it was computed for;
	 * its curves are the event loop's (APP_BASELINE). */
	int baseline;
	EngineConfig baseline_cfg;
} AppState;

/* Flags returned by app_apply and app_tick. The last five ask the event
 * loop for file work: save app_preset to a free name (APP_SAVE); write
 * the table and chart (APP_EXPORT); fill the picker (APP_PICK, with
 * app_pick_add); load pick[pick_sel] and open it with app_open
 * (APP_LOAD); load and apply the theme after app->theme (APP_THEME). */
enum {
	APP_RECOMPUTE = 1,
	APP_REDRAW = 2,
	APP_QUIT = 4,
	APP_SAVE = 8,
	APP_EXPORT = 16,
	APP_PICK = 32,
	APP_LOAD = 64,
	APP_THEME = 128,
	/* The scales must follow the numbers on screen again (the chart
	 * shown or the pin changed); no new numbers are needed. */
	APP_RESCALE = 256,
	/* Keep the curves on screen as the baseline (app->baseline_cfg
	 * says for which settings). */
	APP_BASELINE = 512,
	/* Compute app->baseline_cfg and pin its curves as the baseline (a
	 * step that opens with one). */
	APP_BASELINE_CFG = 1024
};

/* The state for a starting configuration (already validated), with no
 * scenario, the caption box on. */
void app_init(AppState *app, const EngineConfig *cfg, int ascii);

/*
 * Applies one action. Values stay in the engine's ranges: at a bound the
 * value stays and notice says so. While help is open, ACTION_QUIT and
 * ACTION_HELP close it, the depth keys (Up/k, Down/j, PgUp, PgDn) turn
 * its pages, round, and other actions are ignored. While the picker is
 * open, the depth keys move the choice, ACTION_SELECT returns APP_LOAD,
 * ACTION_QUIT and ACTION_PICK close it, and other actions are ignored.
 * ACTION_NEXT_STEP / ACTION_PREV_STEP load the neighbouring step of a
 * lesson (app_open); past either end, or with no lesson, the state stays
 * and notice says so.
 */
int app_apply(AppState *app, Action a);

/* Shows scenario s (the caller keeps it alive; NULL for none) at step
 * (clamped to its steps) without touching the configuration: for a start
 * whose options override the step's. The view starts afresh for it, as
 * it does however a step is reached: unpinned, the step's lambda step
 * (or APP_STEP_START) and a fresh scale (the step's own range, or the
 * initial one) that the next app_computed fits to the data. A step with
 * a baseline pins it (app->baseline, baseline_cfg: the loop computes it,
 * APP_BASELINE_CFG); a step without one leaves the baseline as it was. */
void app_show(AppState *app, const Scenario *s, int step);

/* Shows scenario s at step and loads that step's configuration (every
 * engine parameter); stops the play sweep. Returns the dirty flags. */
int app_open(AppState *app, const Scenario *s, int step);

/* The caption's title and text for the step on screen, or NULL when
 * there is no scenario. */
const Preset *app_preset_shown(const AppState *app);

/* The step on screen while the configuration is still its own (its
 * title and caption describe what is drawn), else NULL: what e titles
 * the SVG with, and S saves the texts of. */
const Preset *app_preset_unchanged(const AppState *app);

/* The preset that S saves: the current configuration and lambda step
 * (when not APP_STEP_START), with the step's title, caption and scale
 * while the configuration is still the step's (a caption describes its
 * own parameters); after a change, a title that names the parameters
 * and no caption. */
void app_preset(const AppState *app, Preset *out);

/* Adds an entry to the open picker; the choice starts at the entry named
 * like the scenario on screen. Returns 0, or -1 when the list is full. */
int app_pick_add(AppState *app, const AppPick *entry);

/* The k-th name (k = 1 .. APP_NAME_TRIES) to save or export the current
 * configuration under, named like the status line, without extension,
 * into stem (APP_NAME_MAX bytes hold any):
 * "gradscope-lambda1.5-L150-n2-identity-linear-exact-seed1" for k = 1,
 * "...-seed1-K" after. Returns 0, or -1 past APP_NAME_TRIES or when stem is
 * too small. A FileioNamer built on it (adding ".json") is what the
 * save key gives scenario_save_free, which claims the name at the
 * instant it creates the file. */
int app_name(const AppState *app, int k, char *stem, size_t len);

/* One animation frame of the play sweep (1/APP_FPS s); 0 when paused. */
int app_tick(AppState *app);

/* After a compute: the scales follow the new numbers unless pinned. */
void app_computed(AppState *app, const EngineResult *res);

/* The same over the baseline's curves too (base NULL: none), so that one
 * scale covers both. */
void app_computed_with(AppState *app, const EngineResult *res,
    const EngineResult *base);

/* The bars' plot columns as drawn (the loop says after each draw), for
 * the cursor keys' columns. */
void app_set_columns(AppState *app, int cols);

/* What a mouse event points at, found by view_point (view.h). */
typedef enum {
	APP_POINT_NONE,   /* nothing: outside anything that answers */
	APP_POINT_LAYER,  /* a bar column: the cursor to .layer */
	APP_POINT_LAMBDA, /* a sweep point: lambda to .lambda */
	APP_POINT_CELL,   /* a map cell: lambda and depth, the bars shown */
	APP_POINT_WHEEL   /* the wheel over a view: lambda + .dir * step */
} AppPointKind;

typedef struct {
	AppPointKind kind;
	int layer;
	double lambda;
	int depth;
	int dir; /* +1 wheel up, -1 down */
} AppPoint;

/* Applies what a mouse event points at; returns the dirty flags (0 for
 * APP_POINT_NONE, and while help or the picker is open). */
int app_point(AppState *app, const AppPoint *p);

#endif
