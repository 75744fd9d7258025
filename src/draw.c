/*
 * draw: writing into a rectangle of the grid. See include/draw.h.
 */
#include "draw.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

DrawPen draw_pen(Grid *g, DrawRect r, int ascii)
{
	DrawPen p;

	p.g = g;
	p.r = r;
	p.ascii = ascii;
	return p;
}

DrawPen draw_sub(const DrawPen *p, int row, int col, int rows, int cols)
{
	DrawPen s = *p;

	if (row < 0) {
		rows += row;
		row = 0;
	}
	if (col < 0) {
		cols += col;
		col = 0;
	}
	if (rows > p->r.rows - row)
		rows = p->r.rows - row;
	if (cols > p->r.cols - col)
		cols = p->r.cols - col;
	s.r.top = p->r.top + row;
	s.r.left = p->r.left + col;
	s.r.rows = rows > 0 ? rows : 0;
	s.r.cols = cols > 0 ? cols : 0;
	return s;
}

const char *draw_pick(const DrawPen *p, const char *utf8, const char *ascii)
{
	return p->ascii ? ascii : utf8;
}

void draw_put(const DrawPen *p, int row, int col, const char *glyph,
    GridRole role, int attr)
{
	if (row < 0 || row >= p->r.rows || col < 0 || col >= p->r.cols)
		return;
	grid_put(p->g, p->r.top + row, p->r.left + col, glyph, role, attr);
}

GridCell *draw_at(const DrawPen *p, int row, int col)
{
	if (row < 0 || row >= p->r.rows || col < 0 || col >= p->r.cols)
		return NULL;
	return grid_at(p->g, p->r.top + row, p->r.left + col);
}

int draw_text_n(const DrawPen *p, int row, int col, const char *text, size_t n,
    GridRole role, int attr)
{
	size_t used = 0;
	int cells = 0;

	while (used < n && text[used] != '\0' && text[used] != '\n') {
		draw_put(p, row, col + cells++, text + used, role, attr);
		used += (size_t)grid_char_bytes(text + used);
	}
	return cells;
}

int draw_text(const DrawPen *p, int row, int col, const char *text,
    GridRole role, int attr)
{
	return draw_text_n(p, row, col, text, SIZE_MAX, role, attr);
}

void draw_fill(const DrawPen *p, GridRole role, int attr)
{
	int y, x;

	for (y = 0; y < p->r.rows; y++)
		for (x = 0; x < p->r.cols; x++)
			draw_put(p, y, x, " ", role, attr);
}

int draw_free(const DrawPen *p, int row, int col, int n, int from)
{
	const GridCell *c;
	int x;

	if (col < from || col + n > p->r.cols)
		return 0;
	for (x = col - 1; x <= col + n; x++) {
		c = draw_at(p, row, x);
		if (c != NULL && x >= from && strcmp(c->glyph, " ") != 0)
			return 0;
	}
	return 1;
}

void draw_label(const DrawPen *p, int row, int col, const char *text,
    GridRole role, int attr)
{
	int n = utf8_cells(text);

	if (col + n > p->r.cols)
		col = p->r.cols - n;
	draw_text(p, row, col < 0 ? 0 : col, text, role, attr);
}

void draw_box(const DrawPen *p, GridRole role, const char *title,
    const char *hint)
{
	static const char *const border[2][6] = {
	    /* top-left, top, top-right, side, bottom-left, bottom-right */
	    {"┌", "─", "┐", "│", "└", "┘"},
	    {"+", "-", "+", "|", "+", "+"},
	};
	const char *const *b = border[p->ascii ? 1 : 0];
	int h = p->r.rows, w = p->r.cols, r, x, n, max;
	DrawPen t;

	if (h < 2 || w < 2)
		return;
	for (r = 1; r < h - 1; r++)
		for (x = 1; x < w - 1; x++)
			draw_put(p, r, x, " ", role, 0);
	for (x = 1; x < w - 1; x++) {
		draw_put(p, 0, x, b[1], role, 0);
		draw_put(p, h - 1, x, b[1], role, 0);
	}
	for (r = 1; r < h - 1; r++) {
		draw_put(p, r, 0, b[3], role, 0);
		draw_put(p, r, w - 1, b[3], role, 0);
	}
	draw_put(p, 0, 0, b[0], role, 0);
	draw_put(p, 0, w - 1, b[2], role, 0);
	draw_put(p, h - 1, 0, b[4], role, 0);
	draw_put(p, h - 1, w - 1, b[5], role, 0);
	/* A title too long for the border ends in an ellipsis. */
	n = title != NULL ? utf8_cells(title) : 0;
	if (n > w - 4 && w > 8) {
		max = w - 4 - (p->ascii ? 3 : 1);
		t = draw_sub(p, 0, 2, 1, max);
		draw_text(&t, 0, 0, title, role, GRID_ATTR_BOLD);
		draw_text(p, 0, 2 + max, draw_pick(p, "…", "..."), role,
		    GRID_ATTR_BOLD);
	} else if (n > 0 && n <= w - 4) {
		draw_text(p, 0, 2, title, role, GRID_ATTR_BOLD);
	}
	n = hint != NULL ? utf8_cells(hint) : 0;
	if (n > 0 && n <= w - 4)
		draw_text(p, h - 1, w - 2 - n, hint, role, 0);
}

const char *draw_wrap(const char *s, int width, size_t *n)
{
	const char *p = s, *blank = NULL;
	int cells = 0;

	for (;;) {
		if (*p == '\0' || *p == '\n') {
			*n = (size_t)(p - s);
			return *p == '\n' ? p + 1 : p;
		}
		if (cells == width) {
			if (*p != ' ' && blank != NULL)
				p = blank;
			*n = (size_t)(p - s);
			while (*p == ' ')
				p++;
			return p;
		}
		if (*p == ' ')
			blank = p;
		p += utf8_char_len(p);
		cells++;
	}
}

void draw_wrap_rows(const DrawPen *p, int row, const char *text, GridRole role)
{
	const char *line;
	size_t n;

	if (p->r.cols < 1)
		return;
	for (; *text != '\0' && row < p->r.rows; row++) {
		while (*text == ' ')
			text++;
		line = text;
		text = draw_wrap(line, p->r.cols, &n);
		draw_text_n(p, row, 0, line, n, role, 0);
	}
}

void draw_legend(const DrawPen *p, int row, int col, const DrawLegend *items,
    int n, int gap)
{
	int i, w, g1;

	for (i = 0; i < n; i++) {
		g1 = utf8_cells(items[i].glyph);
		w = g1 + utf8_cells(items[i].glyph2) + 1 +
		    utf8_cells(items[i].text);
		if (col + w > p->r.cols)
			return;
		draw_text(p, row, col, items[i].glyph, items[i].role, 0);
		draw_text(p, row, col + g1, items[i].glyph2, items[i].role2, 0);
		draw_text(p, row, col + w - utf8_cells(items[i].text),
		    items[i].text, GRID_ROLE_DIM, 0);
		col += w + gap;
	}
}
