/*
 * app: the live view's state and the one place it changes.
 *
 * An action (from the key table) updates the state and returns what
 * became dirty: the engine must recompute, the screen must redraw, or the
 * program should quit. Actions never draw and never compute.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_APP_H
#define GRADSCOPE_APP_H

#include "engine.h"
#include "keymap.h"
#include "scale.h"

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

typedef struct {
	EngineConfig cfg;   /* what the engine computes */
	double step;        /* lambda step */
	int weight_chart;   /* gradient chart shows weight_gradient_rms */
	int help;           /* the help overlay is open */
	int playing;        /* the lambda sweep runs */
	int play_dir;       /* +1 or -1 */
	int pinned;         /* the scales stay where they are */
	int ascii;          /* draw with ASCII only */
	Scale act_scale;    /* activation chart */
	Scale grad_scale;   /* gradient chart */
	char notice[96];    /* a one-line message for the user, "" if none */
} AppState;

/* Flags returned by app_apply and app_tick. */
enum { APP_RECOMPUTE = 1, APP_REDRAW = 2, APP_QUIT = 4 };

/* The state for a starting configuration (already validated). */
void app_init(AppState *app, const EngineConfig *cfg, int ascii);

/* Applies one action. Values stay in the engine's ranges: at a bound the
 * value stays and notice says so. While help is open, ACTION_QUIT and
 * ACTION_HELP close it and other actions are ignored. */
int app_apply(AppState *app, Action a);

/* One animation frame of the play sweep (1/APP_FPS s); 0 when paused. */
int app_tick(AppState *app);

/* After a compute: the scales follow the new numbers unless pinned. */
void app_computed(AppState *app, const EngineResult *res);

#endif
