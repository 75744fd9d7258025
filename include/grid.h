/*
 * grid: the screen as a data structure.
 *
 * The view lays out into a grid of cells, each one glyph (one UTF-8
 * character of display width 1) and a colour role; the terminal module
 * alone turns roles into colours and copies the grid to the screen. Tests
 * read the grid back as text, without a terminal.
 *
 * Colour roles are declared once here (an X-macro gives both the enum and
 * the names that themes use).
 *
 * Pure C: no I/O, no curses.
 */
#ifndef GRADSCOPE_GRID_H
#define GRADSCOPE_GRID_H

#include <stddef.h>

/* X(NAME, "theme-key") */
#define GRID_ROLES(X) \
	X(TEXT, "text")           /* ordinary text */ \
	X(DIM, "dim")             /* secondary text, grid lines */ \
	X(AXIS, "axis")           /* axis lines and labels */ \
	X(CRITICAL, "critical")   /* the 10^0 line and its label */ \
	X(EXPLODING, "exploding") /* bars above 1 */ \
	X(VANISHING, "vanishing") /* bars below 1 */ \
	X(SPECIAL, "special")     /* inf, nan and exact-zero marks */ \
	X(THEORY, "theory")       /* theory markers (later views) */ \
	X(STATUS, "status")       /* the status line */ \
	X(VERDICT, "verdict")     /* the verdict line */ \
	X(TITLE, "title")         /* chart titles */ \
	X(HELP, "help")           /* the help overlay body */ \
	X(HELP_KEY, "help-key")   /* key names in the help overlay */ \
	X(CAPTION, "caption")     /* lesson captions (later issue) */ \
	X(NOTICE, "notice")       /* one-line messages and warnings */

#define GRID_ROLE_ENUM(name, key) GRID_ROLE_##name,
typedef enum { GRID_ROLES(GRID_ROLE_ENUM) GRID_ROLE_COUNT } GridRole;
#undef GRID_ROLE_ENUM

/* The theme key of a role ("exploding"), or "?" when out of range. */
const char *grid_role_name(GridRole role);

/* Cell attributes, or-ed. GRID_ATTR_REVERSE swaps foreground and
 * background (used for bars that grow down from a line). */
enum { GRID_ATTR_BOLD = 1, GRID_ATTR_REVERSE = 2 };

typedef struct {
	char glyph[5]; /* one UTF-8 character, NUL-terminated; " " blank */
	unsigned char role;
	unsigned char attr;
} GridCell;

typedef struct {
	int rows, cols;
	GridCell *cells; /* rows * cols, row-major */
} Grid;

/* Sizes g to rows x cols (both >= 0) and clears it. 0, or -1 on out of
 * memory (g then is empty). g must be zeroed or from an earlier call. */
int grid_resize(Grid *g, int rows, int cols);
void grid_free(Grid *g);

/* Every cell blank (" ") in role TEXT, no attributes. */
void grid_clear(Grid *g);

/* The cell at (row, col), or NULL outside the grid. */
GridCell *grid_at(Grid *g, int row, int col);
const GridCell *grid_cell(const Grid *g, int row, int col);

/* Puts one glyph (the first UTF-8 character of glyph) at (row, col);
 * outside the grid it does nothing. */
void grid_put(Grid *g, int row, int col, const char *glyph, GridRole role,
    int attr);

/* Bytes of the character at text that one cell takes: a valid,
 * printable UTF-8 character's, else 1 (it shows as '?'); 0 at the end. */
int grid_char_bytes(const char *text);

/* Writes text from (row, col), one character per cell, clipped at the
 * right edge (and at a newline). Returns the number of cells written. */
int grid_text(Grid *g, int row, int col, const char *text, GridRole role,
    int attr);

/* Row as UTF-8 text (trailing blanks kept), for tests and debugging.
 * Returns the length, or -1 if buf is too small. */
int grid_row_text(const Grid *g, int row, char *buf, size_t len);

#endif
