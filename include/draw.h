/*
 * draw: writing into a rectangle of the grid, the layer every view, the
 * chart and the overlays draw through (in the role of tmux's
 * screen-write.c over its grid).
 *
 * A pen is a grid, a clip rectangle and the glyph set (UTF-8 or ASCII).
 * Rows and columns given to a pen are relative to its rectangle, and
 * nothing is written outside it (nor outside the grid). On top of that:
 * text, boxes, word wrapping, labels that move to fit and legends.
 *
 * Text is written one character a cell, as grid_text does (malformed
 * UTF-8 and control characters as '?'), and stops at a newline.
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_DRAW_H
#define GRADSCOPE_DRAW_H

#include <stddef.h>

#include "grid.h"

typedef struct {
	int top, left, rows, cols;
} DrawRect;

typedef struct {
	Grid *g;
	DrawRect r; /* the clip rectangle, in grid coordinates */
	int ascii;  /* draw with ASCII glyphs only */
} DrawPen;

/* A pen on g clipped to r (which may reach outside g: the grid clips
 * too). */
DrawPen draw_pen(Grid *g, DrawRect r, int ascii);

/* A pen for the part of p's rectangle from (row, col), rows x cols. */
DrawPen draw_sub(const DrawPen *p, int row, int col, int rows, int cols);

/* utf8 when the pen draws UTF-8, else ascii. */
const char *draw_pick(const DrawPen *p, const char *utf8, const char *ascii);

/* Puts a glyph at (row, col); nothing outside the rectangle. */
void draw_put(const DrawPen *p, int row, int col, const char *glyph,
    GridRole role, int attr);

/* The cell at (row, col), or NULL outside the rectangle or the grid. */
GridCell *draw_at(const DrawPen *p, int row, int col);

/* Writes text (at most n bytes of it: draw_text_n) from (row, col),
 * clipped to the rectangle. Returns the cells the text takes, written
 * or clipped. */
int draw_text(const DrawPen *p, int row, int col, const char *text,
    GridRole role, int attr);
int draw_text_n(const DrawPen *p, int row, int col, const char *text, size_t n,
    GridRole role, int attr);

/* Every cell of the rectangle blank (" ") in role, with attr. */
void draw_fill(const DrawPen *p, GridRole role, int attr);

/* Whether cells col .. col + n - 1 of row lie inside the rectangle from
 * column `from` on and are blank, with a blank (or the edge) either
 * side: room for a label. */
int draw_free(const DrawPen *p, int row, int col, int n, int from);

/* Writes a label from col, moved left as far as it takes to show it
 * whole (when the rectangle is wide enough), never left of column 0. */
void draw_label(const DrawPen *p, int row, int col, const char *text,
    GridRole role, int attr);

/* The rectangle as a blank box with a frame (from 2 x 2); title in the
 * top border from the left, cut short with an ellipsis if need be (when
 * the box is wider than 8), hint in the bottom border from the right
 * when it fits. Either may be NULL. */
void draw_box(const DrawPen *p, GridRole role, const char *title,
    const char *hint);

/*
 * One line of text wrapped to width cells (>= 1) from s: its length in
 * *n bytes; returns where the next line starts. Lines break at a newline,
 * else at the last blank that keeps the line within width, else (a word
 * longer than the line) at width; the blanks at a break are dropped.
 */
const char *draw_wrap(const char *s, int width, size_t *n);

/* Text wrapped to the rectangle's width into its rows from row on, the
 * blanks at the start of each row dropped. */
void draw_wrap_rows(const DrawPen *p, int row, const char *text, GridRole role);

/* A legend item: glyph (and glyph2 after it, "" for none) in their
 * roles, a blank, text in the DIM role. */
typedef struct {
	const char *glyph;
	GridRole role;
	const char *glyph2;
	GridRole role2;
	const char *text;
} DrawLegend;

/* The items from (row, col), gap blanks apart, as many as fit whole. */
void draw_legend(const DrawPen *p, int row, int col, const DrawLegend *items,
    int n, int gap);

#endif
