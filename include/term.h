/*
 * term: the terminal, the only module that includes <curses.h>.
 *
 * Opens and restores the terminal, turns a theme's colours into the
 * nearest the terminal has, copies a grid to the screen, reads keys
 * (translated to keymap codes) and turns signals into flags the event
 * loop reads. The terminal is restored on every way out: term_close, or
 * any signal whose default action ends the program, of two kinds:
 *   - SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
 *     SIGVTALRM, SIGPROF, which would only end it: the loop is told
 *     (TERM_KEY_QUIT) and closes as on q, exit 0;
 *   - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGQUIT
 *     (Ctrl-\), SIGXCPU, SIGXFSZ, which would also dump core: restored in
 *     the handler, then the signal is raised again with its default
 *     action (exit 128 + the signal's number, and a core file where
 *     ulimit -c allows).
 * A signal ignored when the view opened stays ignored. While the view is
 * open Ctrl-S and Ctrl-Q are keys, not flow control (IXON is off, and
 * back on after). The screen is at most TERM_MAX_ROWS x TERM_MAX_COLS
 * cells, whatever LINES, COLUMNS or the window say; a bigger window shows
 * the view in its top-left corner.
 */
#ifndef GRADSCOPE_TERM_H
#define GRADSCOPE_TERM_H

#include <stddef.h>

#include "grid.h"
#include "theme.h"

/* The largest screen the view draws: no terminal needs more, and curses
 * keeps three copies of it. */
#define TERM_MAX_ROWS 500
#define TERM_MAX_COLS 1000

/*
 * The mouse. With term_set_mouse(1) before term_open, the view asks the
 * terminal for button presses and the wheel (ncurses' mousemask, and the
 * SGR 1006 encoding "ESC [ < b ; x ; y M", which term_read_key decodes
 * itself when curses' terminfo entry does not know it), and switches the
 * reporting off again on every way out that restores the terminal:
 * term_close, the quit and crash signals, a stop (back on after it).
 * Without it the terminal's own selection works as ever.
 *
 * A press comes from term_read_key as a key code TERM_MOUSE_KEY(button,
 * row, col): button 1, 2, 3 for the first to third, 4 the wheel up, 5
 * down; row and col from 0, at most TERM_MAX_ROWS / TERM_MAX_COLS.
 * Releases and motion are not reported.
 */
#define TERM_MOUSE_BASE 0x10000000
#define TERM_MOUSE_KEY(button, row, col) \
	(TERM_MOUSE_BASE | ((button) << 22) | ((row) << 11) | (col))

/* Whether key is a mouse event; if so its button, row and column. */
int term_mouse_decode(int key, int *button, int *row, int *col);

/* Mouse reporting from term_open on (1) or not (0, the default). */
void term_set_mouse(int on);

/* term_read_key results besides keymap key codes. */
enum {
	TERM_KEY_NONE = -1,   /* timeout */
	TERM_KEY_RESIZE = -2, /* the window changed size, or the program was
	                         continued after a stop: repaint all */
	TERM_KEY_QUIT = -3    /* a signal of the first kind above arrived */
};

/*
 * Opens the terminal for the live view. Refuses, with one line in err and
 * nothing printed, when standard input or output is not a terminal or
 * when curses cannot drive TERM. ascii forces ASCII glyphs. Honours
 * NO_COLOR (no colour at all). Draws with theme_default() unless
 * term_set_theme chose another. Returns 0 or -1.
 */
int term_open(int ascii, char *err, size_t errlen);

/*
 * Draws with t from now on (t is copied), each colour converted to the
 * nearest the terminal has (theme_nearest: 256, 16 or 8 colours). With 8
 * or 16, a black, white or grey foreground over the terminal's own
 * background is drawn in the terminal's own foreground, as their values
 * vary most between palettes. A role whose background is "default" takes
 * the "text" role's. Under NO_COLOR, or on a terminal without colours,
 * only bold is kept (and the "dim" role is drawn dim). Before term_open
 * it only chooses the theme term_open will use.
 */
void term_set_theme(const Theme *t);

/* Restores the terminal as it was found. Safe to call twice. */
void term_close(void);

/* 1 when UTF-8 glyphs may be drawn (a UTF-8 locale and no --ascii). */
int term_utf8(void);

/* 1 when the view is drawn without colour (NO_COLOR, or a terminal
 * without enough colours), after term_open. */
int term_mono(void);

/* The window's size. */
void term_size(int *rows, int *cols);

/* Waits up to timeout_ms (-1: no limit) for a key. Alt+key (ESC, then
 * the key at once) is read as the key; Esc alone is KEYMAP_KEY_ESC. */
int term_read_key(int timeout_ms);

/* Copies g to the screen (g has the window's size) and refreshes. */
void term_draw(const Grid *g);

#endif
