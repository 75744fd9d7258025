/*
 * ui: the live view's event loop.
 *
 * Waits for input with a timeout (no busy wait), maps keys through the
 * key table to actions, recomputes the engine only when a parameter
 * changed and redraws only when something is dirty. Pending keys are
 * drained before a recompute, so a burst of keys costs one recompute.
 * Loading, saving and exporting files happen here, on the user's keys;
 * a failure shows its message and keeps the current state.
 */
#ifndef GRADSCOPE_UI_H
#define GRADSCOPE_UI_H

#include <stddef.h>

#include "engine.h"
#include "scenario.h"

typedef struct {
	/* The lesson or preset to open at step (0-based), or NULL. */
	const Scenario *scenario;
	int step;
	/* The starting configuration: the step's, with the command line's
	 * options applied over it (main composes it). */
	EngineConfig cfg;
	int ascii;         /* --ascii */
	int mouse;         /* the mouse answers (not --no-mouse) */
	const char *theme; /* --theme NAME|FILE, or NULL for the default */
} UiStart;

/* Runs the view until the user quits or a terminating signal arrives.
 * Returns 0; UI_NO_TERMINAL with one line in err when the terminal cannot
 * be used (not a tty, TERM unknown or too limited); or UI_NO_MEMORY with
 * one line in err. The terminal is restored either way. */
enum { UI_NO_TERMINAL = -1, UI_NO_MEMORY = -2 };
int ui_run(const UiStart *start, char *err, size_t errlen);

#endif
