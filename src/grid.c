/*
 * grid: the screen as a data structure. See include/grid.h.
 *
 * A cell holds one UTF-8 character. Text that is not valid UTF-8 (a stray
 * continuation byte, a truncated sequence) becomes '?' one byte at a time,
 * and control characters become '?', so the terminal module never receives
 * bytes that would move its cursor or break the next character.
 */
#include "grid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "outtext.h"

#define GRID_ROLE_NAME(name, key) key,
static const char *const grid_role_names[GRID_ROLE_COUNT] = {
    GRID_ROLES(GRID_ROLE_NAME)};
#undef GRID_ROLE_NAME

const char *grid_role_name(GridRole role)
{
	if ((unsigned)role >= GRID_ROLE_COUNT)
		return "?";
	return grid_role_names[role];
}

/* ---------------------------------------------------------------------- */
/* Size and cells                                                         */
/* ---------------------------------------------------------------------- */

int grid_resize(Grid *g, int rows, int cols)
{
	GridCell *cells;
	size_t n;

	if (rows < 0)
		rows = 0;
	if (cols < 0)
		cols = 0;
	n = (size_t)rows * (size_t)cols;
	if (cols > 0 && n / (size_t)cols != (size_t)rows)
		goto fail;
	if (n == 0) {
		free(g->cells);
		g->cells = NULL;
	} else {
		if (n > SIZE_MAX / sizeof *cells)
			goto fail;
		cells = realloc(g->cells, n * sizeof *cells);
		if (cells == NULL)
			goto fail;
		g->cells = cells;
	}
	g->rows = rows;
	g->cols = cols;
	grid_clear(g);
	return 0;
fail:
	grid_free(g);
	return -1;
}

void grid_free(Grid *g)
{
	free(g->cells);
	g->cells = NULL;
	g->rows = 0;
	g->cols = 0;
}

void grid_clear(Grid *g)
{
	size_t i, n = (size_t)g->rows * (size_t)g->cols;

	for (i = 0; i < n; i++) {
		g->cells[i].glyph[0] = ' ';
		g->cells[i].glyph[1] = '\0';
		g->cells[i].role = GRID_ROLE_TEXT;
		g->cells[i].attr = 0;
	}
}

GridCell *grid_at(Grid *g, int row, int col)
{
	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return NULL;
	return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
}

const GridCell *grid_cell(const Grid *g, int row, int col)
{
	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return NULL;
	return &g->cells[(size_t)row * (size_t)g->cols + (size_t)col];
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */

/* Bytes of the UTF-8 character at s (1..4), or 0 if s does not start a
 * valid printable one: the screen refuses what outtext refuses. */
static int grid_char_len(const char *s)
{
	return outtext_char_len(s, strnlen(s, 4));
}

/* Stores the character at s (or '?' if there is none) in cell c and
 * returns how many bytes of s it used (at least 1, 0 at the end). */
static int grid_store(GridCell *c, const char *s, GridRole role, int attr)
{
	int n = grid_char_len(s);

	if (*s == '\0') {
		n = 0;
		strcpy(c->glyph, " ");
	} else if (n == 0) {
		n = 1;
		strcpy(c->glyph, "?");
	} else {
		memcpy(c->glyph, s, (size_t)n);
		c->glyph[n] = '\0';
	}
	c->role = (unsigned char)role;
	c->attr = (unsigned char)attr;
	return n;
}

int grid_char_bytes(const char *text)
{
	int n = grid_char_len(text);

	if (*text == '\0')
		return 0;
	return n > 0 ? n : 1;
}

void grid_put(Grid *g, int row, int col, const char *glyph, GridRole role,
    int attr)
{
	GridCell *c = grid_at(g, row, col);

	if (c != NULL)
		grid_store(c, glyph, role, attr);
}

int grid_text(Grid *g, int row, int col, const char *text, GridRole role,
    int attr)
{
	GridCell scratch;
	GridCell *c;
	int written = 0;

	if (row < 0 || row >= g->rows)
		return 0;
	/* Characters left of column 0 are consumed but not drawn, so text
	 * that starts off-screen is clipped, not shifted. */
	for (; *text != '\0' && *text != '\n' && col < g->cols; col++) {
		c = grid_at(g, row, col);
		if (c != NULL)
			written++;
		text += grid_store(c != NULL ? c : &scratch, text, role, attr);
	}
	return written;
}

int grid_row_text(const Grid *g, int row, char *buf, size_t len)
{
	const GridCell *c;
	size_t used = 0, n;
	int col;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (col = 0; col < g->cols; col++) {
		c = grid_cell(g, row, col);
		if (c == NULL)
			break;
		n = strlen(c->glyph);
		if (used + n >= len)
			return -1;
		memcpy(buf + used, c->glyph, n + 1);
		used += n;
	}
	return (int)used;
}
