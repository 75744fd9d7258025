/*
 * keymap: keys to actions, in one table.
 *
 * The table is the single source of the key bindings: the event loop
 * looks keys up in it, the help overlay and --help list it. Keys are
 * plain codes (printable ASCII as itself, special keys as KEYMAP_KEY_*),
 * so this module needs no curses; the terminal module translates.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_KEYMAP_H
#define GRADSCOPE_KEYMAP_H

#include <stddef.h>

typedef enum {
	ACTION_NONE,
	ACTION_LAMBDA_UP,        /* lambda += step */
	ACTION_LAMBDA_DOWN,      /* lambda -= step */
	ACTION_STEP_UP,          /* step x10, at most 0.1 */
	ACTION_STEP_DOWN,        /* step /10, at least 0.0001 */
	ACTION_LAMBDA_ONE,       /* lambda = 1 exactly */
	ACTION_DEPTH_UP,         /* depth + 1 */
	ACTION_DEPTH_DOWN,       /* depth - 1 */
	ACTION_DEPTH_UP10,       /* depth + 10 */
	ACTION_DEPTH_DOWN10,     /* depth - 10 */
	ACTION_WIDTH_UP,         /* width + 1 */
	ACTION_WIDTH_DOWN,       /* width - 1 */
	ACTION_WIDTH_DOUBLE,     /* width x 2 */
	ACTION_WIDTH_HALVE,      /* width / 2 */
	ACTION_NEXT_ACT,         /* next activation */
	ACTION_NEXT_INIT,        /* next init */
	ACTION_NEXT_PRECISION,   /* next precision */
	ACTION_NEW_SEED,         /* a new seed */
	ACTION_NEXT_UPSTREAM,    /* next upstream gradient: random, ones */
	ACTION_BIAS_UP,          /* bias std + 0.05, at most 10 */
	ACTION_BIAS_DOWN,        /* bias std - 0.05, at least 0 */
	ACTION_TOGGLE_GRADIENT,  /* gradient chart: activation <-> weight */
	ACTION_TOGGLE_PIN,       /* pin / unpin the scale */
	ACTION_TOGGLE_PLAY,      /* play / pause the lambda sweep */
	ACTION_NEXT_STEP,        /* the lesson's next step */
	ACTION_PREV_STEP,        /* the lesson's previous step */
	ACTION_RESTORE,          /* the shown step's settings, a fresh scale */
	ACTION_PICK,             /* open / close the preset picker */
	ACTION_SELECT,           /* load the preset chosen in the picker */
	ACTION_TOGGLE_CAPTION,   /* show / hide the caption box */
	ACTION_TOGGLE_PRESENTER, /* presenter mode: big numbers */
	ACTION_NEXT_THEME,       /* the next colour theme */
	ACTION_NEXT_VIEW,        /* bars, sweep, map, spectrum, training */
	ACTION_TOGGLE_THEORY,    /* theory overlay on / off */
	ACTION_SAVE,             /* save the scenario as a preset file */
	ACTION_EXPORT,           /* export the table (CSV) and chart (SVG) */
	ACTION_HELP,             /* show / hide the help overlay */
	ACTION_QUIT,             /* quit (or close the help overlay) */
	ACTION_TOGGLE_FULL,      /* the sweep: all lambda / around lambda_c */
	ACTION_TOGGLE_CURSOR,    /* the layer cursor and its readout on / off */
	ACTION_CURSOR_LEFT,      /* the cursor one column left */
	ACTION_CURSOR_RIGHT,     /* the cursor one column right */
	ACTION_CURSOR_FIRST,     /* the cursor to layer 0 */
	ACTION_CURSOR_LAST,      /* the cursor to layer L */
	ACTION_BASELINE,         /* pin the curves on screen as the baseline */
	ACTION_BASELINE_CLEAR,   /* clear the baseline */
	ACTION_NEXT_ARCH,        /* next block: plain, residual */
	ACTION_NEXT_NORM,        /* next norm: none, layer, rms */
	ACTION_BRANCH_UP,        /* branch scale: next of the cycle */
	ACTION_BRANCH_DOWN,      /* branch scale: previous of the cycle */
	ACTION_RATE_UP,          /* training's learning rate x sqrt(10) */
	ACTION_RATE_DOWN,        /* training's learning rate / sqrt(10) */
	ACTION_COUNT
} Action;

/* Special keys, past the Unicode range so they never clash. */
enum {
	KEYMAP_KEY_ENTER = 13, /* the terminal sends CR (no NL translation) */
	KEYMAP_KEY_ESC = 27,
	KEYMAP_KEY_LEFT = 0x110001,
	KEYMAP_KEY_RIGHT,
	KEYMAP_KEY_UP,
	KEYMAP_KEY_DOWN,
	KEYMAP_KEY_PPAGE,
	KEYMAP_KEY_NPAGE,
	KEYMAP_KEY_HOME,
	KEYMAP_KEY_END
};

typedef struct {
	int key; /* a key code */
	Action action;
	const char *name;       /* how help shows the key: "→", "l", "PgUp" */
	const char *ascii_name; /* the same in ASCII: "Right", "l" */
} KeyBinding;

/* The action bound to key, or ACTION_NONE. */
Action keymap_lookup(int key);

/* The whole table, in the order help lists it; *count rows. */
const KeyBinding *keymap_table(size_t *count);

/* One line describing an action for help ("λ += step"); ascii selects a
 * pure-ASCII wording ("lambda += step"). */
const char *keymap_action_help(Action a, int ascii);

#endif
