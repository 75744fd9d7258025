/*
 * view: the live view's screen, laid out into a grid. See include/view.h.
 *
 * Layout, top to bottom (rows R >= VIEW_MIN_ROWS, columns C >=
 * VIEW_MIN_COLS):
 *
 *   the view              R - B rows: app->view's module (viewmod.h)
 *                         draws there, e.g. the bars' two charts, the
 *                         layer numbers and, from VIEW_LEGEND_ROWS rows
 *                         on, the legend (src/view_bars.c)
 *   status line
 *   verdict line
 *   key hint bar          from VIEW_HINT_ROWS rows on, not in presenter
 *                         mode: "? help  q quit  ←→ λ  ↑↓ depth ..."
 *
 * B is 2 rows (3 with the hint bar), and the view's rectangle ends there; the caption box
 * takes the right of its charts' rows (all but the last 1 or 2). The
 * notice goes right of the verdict when it fits, else right of the
 * status line, else in place of the row above the status line: it is
 * the answer to the key just pressed. With no result yet (res NULL) the
 * frames and the status line are drawn.
 *
 * The caption box. With a preset or lesson step on screen (and c has not
 * hidden it), the charts give up the right VIEW_CAPTION_SHARE of the
 * columns (between VIEW_CAPTION_MIN and VIEW_CAPTION_MAX) to a box as tall
 * as the charts: the lesson's title (or the preset's name) in its top
 * border, the step's title, a blank line and the caption with its
 * placeholders filled (view_caption_expand), wrapped at word boundaries
 * to the box, "step 3/12" in the bottom border for a lesson. Narrower
 * charts lose no layer (columns aggregate), while a box over them would
 * hide bars; what does not fit ends in "…".
 *
 * Presenter mode (over a view whose module asks for it: the bars) draws
 * λ=1.5000, L=150 and ×2.59e+26 (the output, as the
 * verdict prints it) in big digits in a framed, cleared box centred over
 * the charts, each under a small label that says what it is ("output:
 * activation rms at the last layer"): a 3x5 pixel font (view_font), each
 * pixel 2k cells wide and k rows tall (k cells between glyphs, a pixel
 * row between lines), k as large as fits in the charts' area (from k = 1
 * on in two thirds of its width, from k = 2 in two thirds of its
 * rows, so bars stay in view around the box), else pixels of one cell;
 * nothing when even that does not fit. λ and L fill with the title role,
 * the output with its regime's.
 *
 * The help overlay is a box centred over all of it: one line per action
 * with all of its keys, the closing hint in the bottom border; when the
 * screen is too short for every line, in pages that the depth keys turn,
 * the last row saying "… ↑↓: page 1/2". The picker
 * is a box like it: one line per preset or lesson (name, title, steps),
 * the chosen one reversed, scrolled to keep it in view.
 *
 * Below the minimum size the screen holds one line, centred and clipped:
 * "gradscope needs at least 60x16; this window is 40x12", or in a window
 * too narrow for that, "need 60x16, have 30x12".
 *
 * The verdict classifies by the first-layer gradient g0 alone, the
 * quantity training depends on: above 10 (or inf) exploding, below 0.1
 * (or 0) vanishing, else near-critical; nan says the float arithmetic
 * broke down.
 */
#include "view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "draw.h"
#include "keymap.h"
#include "param.h"
#include "utf8.h"
#include "verdict.h"
#include "viewmod.h"
#include "xmag.h"

/* The caption box's width: this share of the columns, within bounds. */
#define VIEW_CAPTION_SHARE(cols) (2 * (cols) / 5)
#define VIEW_CAPTION_MIN 24
#define VIEW_CAPTION_MAX 56
/* Room for a caption with its placeholders filled. */
#define VIEW_CAPTION_BUF (SCENARIO_CAPTION_MAX + 256)

/* ---------------------------------------------------------------------- */
/* Status and verdict                                                     */
/* ---------------------------------------------------------------------- */

/* Digits after the point that show step exactly: 0.01 -> 2. */
static int view_step_decimals(double step)
{
	double p = 1;
	int d;

	for (d = 0; d < 9; d++, p *= 10)
		if (fabs(round(step * p) / p - step) <= fabs(step) * 1e-9)
			return d;
	return d;
}

int view_status(const AppState *app, char *buf, size_t len)
{
	int n, m;

	n = param_line(&app->cfg,
	    app->ascii ? PARAM_LINE_STATUS_ASCII : PARAM_LINE_STATUS, buf, len);
	if (n < 0 || (size_t)n >= len)
		return -1;
	m = snprintf(buf + n, len - (size_t)n, "  step=%.*f%s%s",
	    view_step_decimals(app->step), app->step,
	    app->playing ? "  [playing]" : "", app->pinned ? "  [pinned]" : "");
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return -1;
	return n + m;
}

/* Each run of spaces in s becomes one space, in place. */
static void view_squeeze_spaces(char *s)
{
	char *w = s, *r;

	for (r = s; *r != '\0'; r++)
		if (*r != ' ' || w == s || w[-1] != ' ')
			*w++ = *r;
	*w = '\0';
}

/* The role that colours each regime's word on screen. */
static const GridRole view_regime_roles[] = {
    [ENGINE_REGIME_EXPLODING] = GRID_ROLE_EXPLODING,
    [ENGINE_REGIME_VANISHING] = GRID_ROLE_VANISHING,
    [ENGINE_REGIME_CRITICAL] = GRID_ROLE_CRITICAL,
    [ENGINE_REGIME_NAN] = GRID_ROLE_SPECIAL,
};

/* ---------------------------------------------------------------------- */
/* Text and boxes                                                         */
/* ---------------------------------------------------------------------- */

/* Writes at most n bytes of text, at most max cells of it, from (row,
 * col): text stays inside its box. */
static void view_text(Grid *g, int row, int col, const char *text, size_t n,
    int max, GridRole role, int attr)
{
	DrawPen p = draw_pen(g, (DrawRect){row, col, 1, max}, 0);

	draw_text_n(&p, 0, 0, text, n, role, attr);
}

/* A box from (top, left), h x w: draw_box. */
static void view_box(Grid *g, int top, int left, int h, int w, GridRole role,
    int ascii, const char *title, const char *hint)
{
	DrawPen p = draw_pen(g, (DrawRect){top, left, h, w}, ascii);

	draw_box(&p, role, title, hint);
}

/* ---------------------------------------------------------------------- */
/* Help overlay                                                           */
/* ---------------------------------------------------------------------- */

typedef struct {
	Action action;
	char keys[48];    /* "→ l + =" */
	const char *help; /* "λ += step" */
} ViewHelpLine;

/* One line per action, in the order the table first lists it, with all
 * of its keys. Returns the number of lines. */
static int view_help_lines(ViewHelpLine *lines, int ascii)
{
	const KeyBinding *t;
	size_t count, i, j;
	int n = 0, k, seen;
	size_t used;

	t = keymap_table(&count);
	for (i = 0; i < count && n < ACTION_COUNT; i++) {
		for (seen = 0, k = 0; k < n && !seen; k++)
			seen = lines[k].action == t[i].action;
		if (seen)
			continue;
		lines[n].action = t[i].action;
		lines[n].keys[0] = '\0';
		used = 0;
		for (j = i; j < count; j++) {
			if (t[j].action != t[i].action)
				continue;
			snprintf(lines[n].keys + used,
			    sizeof lines[n].keys - used, "%s%s",
			    used > 0 ? " " : "",
			    ascii ? t[j].ascii_name : t[j].name);
			used = strlen(lines[n].keys);
		}
		lines[n].help = keymap_action_help(t[i].action, ascii);
		n++;
	}
	return n;
}

static void view_help(Grid *g, int ascii, int page)
{
	const char *hint = " Esc, q or ? close this ";
	ViewHelpLine lines[ACTION_COUNT];
	char more[48];
	int n = view_help_lines(lines, ascii);
	int keyw = 0, helpw = 0, w, h, top, left, per, pages, first, i;

	for (i = 0; i < n; i++) {
		if (utf8_cells(lines[i].keys) > keyw)
			keyw = utf8_cells(lines[i].keys);
		if (utf8_cells(lines[i].help) > helpw)
			helpw = utf8_cells(lines[i].help);
	}
	/* Border, a blank, keys, three blanks, help, a blank, border. */
	w = 1 + 1 + keyw + 3 + helpw + 1 + 1;
	if (w < utf8_cells(hint) + 4)
		w = utf8_cells(hint) + 4;
	if (w > g->cols)
		w = g->cols;
	h = n + 2;
	if (h > g->rows)
		h = g->rows;
	/* When the lines do not all fit, they come in pages, the last row
	 * of each saying so. */
	per = h - 2 < n ? h - 3 : n;
	pages = (n + per - 1) / per;
	page = (page % pages + pages) % pages;
	first = page * per;
	top = (g->rows - h) / 2;
	left = (g->cols - w) / 2;

	view_box(g, top, left, h, w, GRID_ROLE_HELP, ascii, " keys ", hint);
	for (i = first; i < n && i < first + per; i++) {
		view_text(g, top + 1 + i - first, left + 2, lines[i].keys,
		    SIZE_MAX, w - 4, GRID_ROLE_HELP_KEY, GRID_ATTR_BOLD);
		view_text(g, top + 1 + i - first, left + 2 + keyw + 3,
		    lines[i].help, SIZE_MAX, w - 4 - keyw - 3, GRID_ROLE_HELP,
		    0);
	}
	if (pages > 1) {
		snprintf(more, sizeof more, "%s page %d/%d",
		    ascii ? "... Up/Down:" : "… ↑↓:", page + 1, pages);
		view_text(g, top + h - 2, left + 2, more, SIZE_MAX, w - 4,
		    GRID_ROLE_HELP, 0);
	}
}

/* ---------------------------------------------------------------------- */
/* Picker overlay                                                         */
/* ---------------------------------------------------------------------- */

/* The picker's text for entry e after its name: the title, and for a
 * lesson its steps. */
static void view_pick_text(const AppPick *e, char *buf, size_t len)
{
	if (e->nsteps == 0)
		snprintf(buf, len, "cannot load: %s", e->title);
	else if (e->lesson)
		snprintf(buf, len, "%s (lesson, %d steps)", e->title,
		    e->nsteps);
	else
		snprintf(buf, len, "%s", e->title);
}

static void view_picker(Grid *g, const AppState *app)
{
	const char *hint = app->ascii ? " Up/Down choose, Enter load, Esc "
	                                "close " :
	                                " ↑↓ choose, Enter load, Esc close ";
	char title[48], text[SCENARIO_TITLE_MAX + 64];
	int namew = 0, textw = 0, w, h, top, left, rows, first, i, r, x;

	for (i = 0; i < app->npick; i++) {
		view_pick_text(&app->pick[i], text, sizeof text);
		if (utf8_cells(app->pick[i].name) > namew)
			namew = utf8_cells(app->pick[i].name);
		if (utf8_cells(text) > textw)
			textw = utf8_cells(text);
	}
	if (app->npick == 0)
		textw = (int)strlen("no presets found");
	w = 1 + 1 + namew + 3 + textw + 1 + 1;
	if (w < utf8_cells(hint) + 4)
		w = utf8_cells(hint) + 4;
	if (w > g->cols)
		w = g->cols;
	rows = app->npick > 0 ? app->npick : 1;
	h = rows + 2 > g->rows ? g->rows : rows + 2;
	rows = h - 2;
	top = (g->rows - h) / 2;
	left = (g->cols - w) / 2;
	/* Scrolled just enough to keep the choice in view. */
	first = app->pick_sel >= rows ? app->pick_sel - rows + 1 : 0;

	snprintf(title, sizeof title, " presets and lessons (%d/%d) ",
	    app->npick > 0 ? app->pick_sel + 1 : 0, app->npick);
	view_box(g, top, left, h, w, GRID_ROLE_HELP, app->ascii, title, hint);
	if (app->npick == 0)
		grid_text(g, top + 1, left + 2, "no presets found",
		    GRID_ROLE_NOTICE, 0);
	for (i = first; i < app->npick && i < first + rows; i++) {
		const AppPick *e = &app->pick[i];
		int attr = i == app->pick_sel ? GRID_ATTR_REVERSE : 0;

		r = top + 1 + i - first;
		for (x = left + 1; x < left + w - 1 && attr; x++)
			grid_put(g, r, x, " ", GRID_ROLE_HELP, attr);
		view_text(g, r, left + 2, e->name, SIZE_MAX, w - 4,
		    GRID_ROLE_HELP_KEY, attr | GRID_ATTR_BOLD);
		view_pick_text(e, text, sizeof text);
		view_text(g, r, left + 2 + namew + 3, text, SIZE_MAX,
		    w - 4 - namew - 3,
		    e->nsteps > 0 ? GRID_ROLE_HELP : GRID_ROLE_NOTICE, attr);
	}
}

/* ---------------------------------------------------------------------- */
/* Caption box                                                            */
/* ---------------------------------------------------------------------- */

/* Appends n bytes of s (whole characters); on running out of room keeps
 * the characters that fitted and returns -1. */
static int view_append(char *buf, size_t len, size_t *used, const char *s,
    size_t n)
{
	size_t k;

	for (; n > 0; s += k, n -= k) {
		k = utf8_char_len(s);
		if (k > n)
			k = n;
		if (*used + k >= len)
			return -1;
		memcpy(buf + *used, s, k);
		*used += k;
		buf[*used] = '\0';
	}
	return 0;
}

/* The text of placeholder name (n bytes) into val: {output}, {gradient}
 * from the result, a setting's key ({lambda}, {depth}, {init}, ...) from
 * cfg, numbers to 6 digits as the footer prints them. Returns 0, or -1
 * when name is no placeholder. */
static int view_placeholder(const char *name, size_t n, const EngineConfig *cfg,
    const EngineResult *res, char *val, size_t len)
{
	char key[32];
	ParamValue v;
	int id;

	if (n >= sizeof key)
		return -1;
	memcpy(key, name, n);
	key[n] = '\0';
	snprintf(val, len, "?");
	if (strcmp(key, "output") == 0) {
		if (res != NULL)
			xmag_format_prec(res->activation_rms[res->depth], 2,
			    val, len);
		return 0;
	}
	if (strcmp(key, "gradient") == 0) {
		if (res != NULL)
			xmag_format_prec(res->gradient_rms[0], 2, val, len);
		return 0;
	}
	if ((id = param_by_key(key)) < 0)
		return -1;
	v = param_get(cfg, (ParamId)id);
	if (param_table[id].type == PARAM_NUMBER)
		snprintf(val, len, "%.6g", v.number);
	else
		param_value_text((ParamId)id, v, val, len);
	return 0;
}

int view_caption_expand(const char *caption, const EngineConfig *cfg,
    const EngineResult *res, char *buf, size_t len)
{
	char val[XMAG_FORMAT_MAX + 64];
	const char *p = caption;
	size_t used = 0, n;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	while (*p != '\0') {
		n = p[0] == '{' ? strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") :
		                  0;
		if (n > 0 && p[1 + n] == '}' &&
		    view_placeholder(p + 1, n, cfg, res, val, sizeof val) ==
		        0) {
			if (view_append(buf, len, &used, val, strlen(val)) < 0)
				return -1;
			p += n + 2;
			continue;
		}
		n = utf8_char_len(p);
		if (view_append(buf, len, &used, p, n) < 0)
			return -1;
		p += n;
	}
	return (int)used;
}

/* Columns the caption box takes from the charts, 0 when there is none. */
static int view_caption_cols(int cols, const AppState *app)
{
	const Preset *p = app_preset_shown(app);
	int w = VIEW_CAPTION_SHARE(cols);

	if (!app->caption || p == NULL ||
	    (p->title[0] == '\0' && p->caption[0] == '\0' &&
	        !app->scenario->lesson))
		return 0;
	if (w < VIEW_CAPTION_MIN)
		w = VIEW_CAPTION_MIN;
	if (w > VIEW_CAPTION_MAX)
		w = VIEW_CAPTION_MAX;
	return w;
}

typedef struct {
	const char *text;
	size_t n;
	GridRole role;
	int attr;
} ViewLine;

/* Wraps text into lines[*count..], stopping at max. */
static void view_wrap_lines(ViewLine *lines, int *count, int max,
    const char *text, int width, GridRole role, int attr)
{
	while (*text != '\0' && *count < max) {
		lines[*count].text = text;
		lines[*count].role = role;
		lines[*count].attr = attr;
		text = draw_wrap(text, width, &lines[*count].n);
		(*count)++;
	}
}

/* One changed field for the footer, "L 50→55": the label the status
 * line gives it (its template before "{}", without "="), else its name;
 * numbers to 6 digits so a lambda walked by steps reads 1.51, not
 * 1.5100000000000002. */
static void view_changed_field(ParamId id, const EngineConfig *from,
    const EngineConfig *to, int ascii, char *buf, size_t len)
{
	const ParamDef *d = &param_table[id];
	const char
	    *t = d->line[ascii ? PARAM_LINE_STATUS_ASCII : PARAM_LINE_STATUS];
	const char *end = t != NULL ? strstr(t, "{}") : NULL;
	char label[32], a[64], b[64];
	size_t n = end != NULL ? (size_t)(end - t) : 0;

	if (n >= sizeof label)
		n = sizeof label - 1;
	if (n > 0)
		memcpy(label, t, n);
	while (n > 0 && (label[n - 1] == '=' || label[n - 1] == ' '))
		n--;
	label[n] = '\0';
	if (n == 0)
		snprintf(label, sizeof label, "%s", d->name);
	if (d->type == PARAM_NUMBER && d->literal == NULL) {
		snprintf(a, sizeof a, "%.6g", param_get(from, id).number);
		snprintf(b, sizeof b, "%.6g", param_get(to, id).number);
	} else {
		param_value_text(id, param_get(from, id), a, sizeof a);
		param_value_text(id, param_get(to, id), b, sizeof b);
	}
	snprintf(buf, len, "%s %s%s%s", label, a, ascii ? "->" : "→", b);
}

int view_changed(const AppState *app, int cells, char *buf, size_t len)
{
	const Preset *p = app_preset_shown(app);
	const char *tail = app->ascii ? " - r restores" : " · r restores";
	const char *more = app->ascii ? " ..." : " …";
	char field[192];
	size_t n;
	int i, any = 0, cut = 0;

	if (len > 0)
		buf[0] = '\0';
	if (p == NULL || len == 0)
		return 0;
	snprintf(buf, len, "changed:");
	for (i = 0; i < PARAM_COUNT; i++) {
		if (param_equal(&p->cfg, &app->cfg, (ParamId)i))
			continue;
		view_changed_field((ParamId)i, &p->cfg, &app->cfg, app->ascii,
		    field, sizeof field);
		n = strlen(buf);
		if (cut)
			continue;
		/* Room is kept for " …" in case a later field is cut. */
		if (utf8_cells(buf) + 2 + utf8_cells(field) + utf8_cells(tail) +
		        2 <=
		    cells)
			snprintf(buf + n, len - n, "%s%s", any ? ", " : " ",
			    field);
		else {
			cut = 1;
			snprintf(buf + n, len - n, "%s", more);
		}
		any = 1;
	}
	if (!any) {
		buf[0] = '\0';
		return 0;
	}
	n = strlen(buf);
	snprintf(buf + n, len - n, "%s", tail);
	if (utf8_cells(buf) > cells || strncmp(buf, "changed: …", 11) == 0 ||
	    strncmp(buf, "changed: ...", 12) == 0) {
		/* Not even one field fits: the bare fact. */
		snprintf(buf, len, "changed%s", tail);
		if (utf8_cells(buf) > cells)
			snprintf(buf, len, "changed");
	}
	return 1;
}

static void view_caption(Grid *g, const AppState *app, const EngineResult *res,
    int top, int left, int h, int w)
{
	const Scenario *s = app->scenario;
	const Preset *p = app_preset_shown(app);
	char caption[VIEW_CAPTION_BUF], label[SCENARIO_TITLE_MAX + 4];
	char progress[32] = "";
	/* One more line than fits, to know when the text is cut. */
	ViewLine lines[128];
	char changed[256];
	int rows = h - 2 < 127 ? h - 2 : 127, max, n = 0, i;

	snprintf(label, sizeof label, " %s ", s->lesson ? s->title : s->name);
	if (s->lesson)
		snprintf(progress, sizeof progress, " step %d/%d ",
		    app->step_index + 1, s->nsteps);
	view_box(g, top, left, h, w, GRID_ROLE_CAPTION, app->ascii,
	    strcmp(label, "  ") != 0 ? label : NULL, progress);
	if (w < 5 || h < 3)
		return;
	/* Settings off the step's: a footer on the box's last inner row,
	 * when the box keeps a row for the text too. */
	if (rows >= 2 && view_changed(app, w - 4, changed, sizeof changed)) {
		rows--;
		view_text(g, top + h - 2, left + 2, changed, strlen(changed),
		    w - 4, GRID_ROLE_NOTICE, GRID_ATTR_BOLD);
	}
	max = rows + 1;
	view_caption_expand(p->caption, &app->cfg, res, caption,
	    sizeof caption);
	view_wrap_lines(lines, &n, max, p->title, w - 4, GRID_ROLE_TITLE,
	    GRID_ATTR_BOLD);
	if (n > 0 && caption[0] != '\0' && n < max) {
		lines[n].text = "";
		lines[n].n = 0;
		lines[n].role = GRID_ROLE_CAPTION;
		lines[n++].attr = 0;
	}
	view_wrap_lines(lines, &n, max, caption, w - 4, GRID_ROLE_CAPTION, 0);
	for (i = 0; i < n && i < rows; i++) {
		if (i == rows - 1 && n > rows) {
			grid_text(g, top + 1 + i, left + 2,
			    app->ascii ? "..." : "…", GRID_ROLE_CAPTION, 0);
			break;
		}
		view_text(g, top + 1 + i, left + 2, lines[i].text, lines[i].n,
		    w - 4, lines[i].role, lines[i].attr);
	}
}

/* ---------------------------------------------------------------------- */
/* Presenter mode                                                         */
/* ---------------------------------------------------------------------- */

/* A glyph of the big font: w pixels wide (3, or 1 for the point), five
 * rows of pixels, the leftmost pixel in bit w - 1. */
typedef struct {
	const char *ch;
	unsigned char w;
	unsigned char rows[5];
} ViewGlyph;

static const ViewGlyph view_font[] = {
    {"0", 3, {7, 5, 5, 5, 7}},
    {"1", 3, {2, 6, 2, 2, 7}},
    {"2", 3, {7, 1, 7, 4, 7}},
    {"3", 3, {7, 1, 7, 1, 7}},
    {"4", 3, {5, 5, 7, 1, 1}},
    {"5", 3, {7, 4, 7, 1, 7}},
    {"6", 3, {7, 4, 7, 5, 7}},
    {"7", 3, {7, 1, 1, 1, 1}},
    {"8", 3, {7, 5, 7, 5, 7}},
    {"9", 3, {7, 5, 7, 1, 7}},
    {".", 1, {0, 0, 0, 0, 1}},
    {"e", 3, {7, 5, 7, 4, 7}},
    {"+", 3, {0, 2, 7, 2, 0}},
    {"-", 3, {0, 0, 7, 0, 0}},
    {"=", 3, {0, 7, 0, 7, 0}},
    {"×", 3, {0, 5, 2, 5, 0}},
    {"λ", 3, {6, 2, 2, 5, 5}},
    {"L", 3, {4, 4, 4, 4, 7}},
    {"i", 3, {2, 0, 2, 2, 2}},
    {"n", 3, {0, 6, 5, 5, 5}},
    {"f", 3, {3, 2, 7, 2, 2}},
    {"a", 3, {0, 3, 5, 5, 3}},
    {"?", 3, {7, 1, 2, 0, 2}},
};

/* The glyph for the character at text (the "?" glyph for any other), and
 * its length in *k bytes. */
static const ViewGlyph *view_glyph(const char *text, size_t *k)
{
	size_t i, n = sizeof view_font / sizeof view_font[0];

	*k = utf8_char_len(text);
	for (i = 0; i < n; i++)
		if (strlen(view_font[i].ch) == *k &&
		    strncmp(view_font[i].ch, text, *k) == 0)
			return &view_font[i];
	return &view_font[n - 1];
}

/* Cells text takes in big glyphs of px-cell pixels, gap cells apart. */
static int view_big_width(const char *text, int px, int gap)
{
	size_t k;
	int w = 0;

	for (; *text != '\0'; text += k)
		w += view_glyph(text, &k)->w * px + (w > 0 ? gap : 0);
	return w;
}

static void view_big_text(Grid *g, int row, int col, const char *text, int px,
    int py, int gap, int ascii, GridRole role)
{
	const char *fill = ascii ? "#" : "█";
	const ViewGlyph *gl;
	size_t k;
	int r, x, b;

	for (; *text != '\0'; text += k) {
		gl = view_glyph(text, &k);
		for (r = 0; r < 5 * py; r++)
			for (b = 0; b < gl->w; b++)
				if (gl->rows[r / py] >> (gl->w - 1 - b) & 1)
					for (x = 0; x < px; x++)
						grid_put(g, row + r,
						    col + b * px + x, fill,
						    role, 0);
		col += gl->w * px + gap;
	}
}

typedef struct {
	char text[XMAG_FORMAT_MAX + 8];
	const char *label; /* what the number is, in small text above it */
	const char *brief; /* the same when label does not fit */
	GridRole role;
	int line; /* which line of the block it sits on */
	int col;  /* cells from the line's start */
} ViewBig;

/* Places items on lines of at most width cells, two glyphs' room apart;
 * returns the lines, or 0 when an item is wider than width. *bw gets the
 * widest line. */
static int view_big_flow(ViewBig *items, int n, int px, int gap, int width,
    int *bw)
{
	int i, lines = 0, x = 0, iw, sep = 2 * (3 * px + gap);

	*bw = 0;
	for (i = 0; i < n; i++) {
		iw = view_big_width(items[i].text, px, gap);
		if (iw > width)
			return 0;
		if (i > 0 && x + sep + iw <= width) {
			items[i].col = x + sep;
			x += sep + iw;
		} else {
			items[i].col = 0;
			x = iw;
			lines++;
		}
		items[i].line = lines - 1;
		if (x > *bw)
			*bw = x;
	}
	return lines;
}

static void view_presenter(Grid *g, const AppState *app,
    const EngineResult *res, int rows, int cols)
{
	ViewBig items[3];
	char out[XMAG_FORMAT_MAX];
	int n = 0, k, px = 0, py = 0, lines = 0, bw = 0, bh = 0, top, left, i;
	int line_w, r, x, width;

	snprintf(items[n].text, sizeof items[n].text, "λ=%.4f",
	    app->cfg.lambda);
	items[n].label = app->ascii ? "lambda, the weight scale" :
	                              "λ, the weight scale";
	items[n].brief = "weight scale";
	items[n++].role = GRID_ROLE_TITLE;
	snprintf(items[n].text, sizeof items[n].text, "L=%d", app->cfg.depth);
	items[n].label = "L, the layers";
	items[n].brief = "layers";
	items[n++].role = GRID_ROLE_TITLE;
	if (res != NULL &&
	    xmag_format_prec(res->activation_rms[res->depth], 2, out,
	        sizeof out) >= 0) {
		snprintf(items[n].text, sizeof items[n].text, "×%s", out);
		items[n].label = "output: activation rms at the last layer";
		items[n].brief = "output";
		items[n++].role = view_regime_roles[engine_regime(res)];
	}
	/* The largest scale that fits in a framed box: a label row above
	 * each line of digits, a blank cell and the border around them.
	 * From two-cell pixels on the box leaves a third of the width
	 * (and from k = 2 a third of the rows) to the bars around it. When
	 * no scale fits all three, the output alone (the status line has
	 * λ and L). */
	for (;;) {
		for (k = rows / 5; k >= 0; k--) {
			px = k > 0 ? 2 * k : 1;
			py = k > 0 ? k : 1;
			width = k > 0 ? 2 * cols / 3 : cols - 4;
			if (width > cols - 4)
				width = cols - 4;
			lines = view_big_flow(items, n, px, py, width, &bw);
			bh = lines * (1 + 5 * py) + (lines - 1) * py;
			if (lines > 0 && bh + 4 <= rows &&
			    (k < 2 || 3 * bh <= 2 * rows))
				break;
		}
		if (k >= 0 || n != 3)
			break;
		items[0] = items[2];
		n = 1;
	}
	if (k < 0)
		return;
	top = (rows - bh) / 2;
	left = (cols - bw) / 2;
	for (r = top - 1; r < top + bh + 1; r++)
		for (x = left - 1; x < left + bw + 1; x++)
			grid_put(g, r, x, " ", GRID_ROLE_TEXT, 0);
	view_box(g, top - 2, left - 2, bh + 4, bw + 4, GRID_ROLE_AXIS,
	    app->ascii, NULL, NULL);
	for (i = 0; i < n; i++) {
		/* Each line centred in the block. */
		for (line_w = 0, r = 0; r < n; r++)
			if (items[r].line == items[i].line)
				line_w = items[r].col +
				    view_big_width(items[r].text, px, py);
		x = left + (bw - line_w) / 2 + items[i].col;
		r = top + items[i].line * (1 + 6 * py);
		view_text(g, r, x,
		    utf8_cells(items[i].label) <= left + bw - x ?
		        items[i].label :
		        items[i].brief,
		    SIZE_MAX, left + bw - x, GRID_ROLE_TEXT, GRID_ATTR_BOLD);
		view_big_text(g, r + 1, x, items[i].text, px, py, py,
		    app->ascii, items[i].role);
	}
}

/* ---------------------------------------------------------------------- */
/* The screen                                                             */
/* ---------------------------------------------------------------------- */

static void view_tiny(Grid *g)
{
	char msg[96];
	int n;

	snprintf(msg, sizeof msg,
	    "gradscope needs at least %dx%d; this "
	    "window is %dx%d",
	    VIEW_MIN_COLS, VIEW_MIN_ROWS, g->cols, g->rows);
	n = utf8_cells(msg);
	if (n > g->cols) {
		/* The same facts in fewer words, for very narrow windows. */
		snprintf(msg, sizeof msg, "need %dx%d, have %dx%d",
		    VIEW_MIN_COLS, VIEW_MIN_ROWS, g->cols, g->rows);
		n = utf8_cells(msg);
	}
	grid_text(g, g->rows / 2, n < g->cols ? (g->cols - n) / 2 : 0, msg,
	    GRID_ROLE_NOTICE, 0);
}

/* |ln chi| below this is rounding, not a depth scale: He init's chi is
 * 1 up to an ulp or two, and -1/ln of that read xi=-4.5e+15. 1e-12 is
 * thousands of ulps yet a depth scale of 1e12 layers, past any depth
 * the app draws. */
#define VIEW_LNCHI_ROUNDING 1e-12

int view_factor(const AppState *app, const TheoryFactor *f, int full, char *buf,
    size_t len)
{
	const char *chi = app->ascii ? "chi" : "χ";
	const char *xi = app->ascii ? "xi" : "ξ";
	double lnchi = f->chi > 0 ? log(f->chi) : -INFINITY;
	int n;

	if (isnan(f->chi))
		/* theory_compute's word for blocks it has no recurrence
		 * for. */
		n = snprintf(buf, len,
		    full > 0 ? "theory: not derived" : "theory: none");
	else if (full < 0) {
		/* The tiniest labelled form, for 80 columns. */
		if (isinf(f->xi) || fabs(lnchi) < VIEW_LNCHI_ROUNDING)
			n = snprintf(buf, len, "theory %s=%.3g %s=%s", chi,
			    f->chi, xi, app->ascii ? "inf" : "∞");
		else if (lnchi > 0)
			n = snprintf(buf, len, "theory %s=%.3g grows", chi,
			    f->chi);
		else
			n = snprintf(buf, len, "theory %s=%.3g %s=%.3g", chi,
			    f->chi, xi, f->xi);
	} else if (isinf(f->xi) || fabs(lnchi) < VIEW_LNCHI_ROUNDING)
		n = snprintf(buf, len,
		    full ? "theory: %s=%.4f %s=%s (critical)" :
		           "theory: %s=%.3g %s=%s",
		    chi, f->chi, xi, app->ascii ? "inf" : "∞");
	else if (lnchi > 0)
		/* Gradients grow: the depth scale over which they grow by e,
		 * rather than a negative xi. */
		n = snprintf(buf, len,
		    full ? "theory: %s=%.4f grows e-fold every %.3g layers" :
		           "theory: %s=%.3g grows e-fold/%.3g layers",
		    chi, f->chi, 1 / lnchi);
	else if (full)
		n = snprintf(buf, len,
		    "theory: %s=%.4f %s=%.3g (trains to ~%.3g layers)", chi,
		    f->chi, xi, f->xi, 6 * f->xi);
	else
		n = snprintf(buf, len, "theory: %s=%.3g %s=%.3g", chi, f->chi,
		    xi, f->xi);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

/* The theory's factor after text of n cells on row: the full wording
 * if it fits, else the short one, else nothing. Returns the cells the
 * row then uses. */
static int view_factor_after(Grid *g, int row, int n, const AppState *app,
    const TheoryFactor *f)
{
	char text[96];
	int full;

	for (full = 1; full >= -1; full--)
		if (view_factor(app, f, full, text, sizeof text) >= 0 &&
		    n + 2 + utf8_cells(text) <= g->cols)
			return n + 2 +
			    grid_text(g, row, n + 2, text, GRID_ROLE_THEORY, 0);
	return n;
}

/* ---------------------------------------------------------------------- */
/* Key hints                                                              */
/* ---------------------------------------------------------------------- */

/* The hint bar's entries, in order: the actions whose keys it shows (a
 * second one, e.g. the other direction, or ACTION_NONE) and the word. */
static const struct {
	Action a, b;
	const char *word, *ascii_word;
} view_hint_table[] = {
    {ACTION_HELP, ACTION_NONE, "help", "help"},
    {ACTION_QUIT, ACTION_NONE, "quit", "quit"},
    {ACTION_LAMBDA_DOWN, ACTION_LAMBDA_UP, "λ", "lambda"},
    {ACTION_DEPTH_UP, ACTION_DEPTH_DOWN, "depth", "depth"},
    {ACTION_NEXT_VIEW, ACTION_NONE, "view", "view"},
    {ACTION_NEXT_STEP, ACTION_PREV_STEP, "step", "step"},
    {ACTION_TOGGLE_PIN, ACTION_NONE, "pin", "pin"},
    {ACTION_RESTORE, ACTION_NONE, "restore", "restore"},
    {ACTION_PICK, ACTION_NONE, "presets", "presets"},
    {ACTION_TOGGLE_THEORY, ACTION_NONE, "theory", "theory"},
};

#define VIEW_HINTS (sizeof view_hint_table / sizeof view_hint_table[0])

/* The first key bound to a, as help names it; in ASCII the first whose
 * name is one character ("h", not "Left"). */
static const char *view_hint_key(Action a, int ascii)
{
	const KeyBinding *t;
	size_t n, i;

	t = keymap_table(&n);
	for (i = 0; i < n; i++)
		if (t[i].action == a &&
		    (!ascii || strlen(t[i].ascii_name) == 1))
			return ascii ? t[i].ascii_name : t[i].name;
	return "?";
}

/* Hint k's keys: "?", "←→", "n/N" (two one-letter keys), "h/l". */
static void view_hint_keys(size_t k, int ascii, char *buf, size_t len)
{
	const char *a = view_hint_key(view_hint_table[k].a, ascii), *b;

	if (view_hint_table[k].b == ACTION_NONE) {
		snprintf(buf, len, "%s", a);
		return;
	}
	b = view_hint_key(view_hint_table[k].b, ascii);
	/* Arrows read as a pair; letters need a slash between them. */
	snprintf(buf, len, "%s%s%s", a,
	    utf8_cells(a) == 1 && strlen(a) == 1 ? "/" : "", b);
}

/* Hint k's word. */
static const char *view_hint_word(size_t k, int ascii)
{
	return ascii ? view_hint_table[k].ascii_word : view_hint_table[k].word;
}

/* How many hints fit in cols, two blanks between them. */
static size_t view_hint_fit(int ascii, int cols)
{
	char keys[32];
	size_t k;
	int used = 0;

	for (k = 0; k < VIEW_HINTS; k++) {
		view_hint_keys(k, ascii, keys, sizeof keys);
		used += (k > 0 ? 2 : 0) + utf8_cells(keys) + 1 +
		    utf8_cells(view_hint_word(k, ascii));
		if (used > cols)
			break;
	}
	return k;
}

int view_hints(const AppState *app, int cols, char *buf, size_t len)
{
	char keys[32];
	size_t k, fit = view_hint_fit(app->ascii, cols), n = 0;

	if (len > 0)
		buf[0] = '\0';
	for (k = 0; k < fit && n < len; k++) {
		view_hint_keys(k, app->ascii, keys, sizeof keys);
		n += (size_t)snprintf(buf + n, len - n, "%s%s %s",
		    k > 0 ? "  " : "", keys, view_hint_word(k, app->ascii));
	}
	return len > 0 ? utf8_cells(buf) : 0;
}

/* The hint bar on row: keys bold in the help's key colour, words dim. */
static void view_hint_bar(Grid *g, const AppState *app, int row)
{
	char keys[32];
	size_t k, fit = view_hint_fit(app->ascii, g->cols);
	int x = 0;

	for (k = 0; k < fit; k++) {
		view_hint_keys(k, app->ascii, keys, sizeof keys);
		x += k > 0 ? 2 : 0;
		x += grid_text(g, row, x, keys, GRID_ROLE_HELP_KEY,
		    GRID_ATTR_BOLD);
		x += 1 +
		    grid_text(g, row, x + 1, view_hint_word(k, app->ascii),
		        GRID_ROLE_DIM, 0);
	}
}

/* The status line (with the theory's factor when it fits), the verdict
 * (its regime word coloured) and the notice on the last two rows, or
 * the two above the hint bar. */
static void view_bottom(Grid *g, const AppState *app, const ViewData *d,
    int hint)
{
	char status[256], verdict[256];
	const EngineResult *res = d->res;
	const char *notice = d->busy != NULL ? d->busy : app->notice;
	int row_s = g->rows - 2 - hint, row_v = g->rows - 1 - hint;
	int ns = 0, nv = 0, nn, x;

	if (view_status(app, status, sizeof status) >= 0) {
		/* Too wide for the screen (a residual network's fields at 80
		 * columns, any at 60): one space between fields instead of
		 * two, so the step and the last fields are not cut off. */
		if (utf8_cells(status) > g->cols)
			view_squeeze_spaces(status);
		ns = grid_text(g, row_s, 0, status, GRID_ROLE_STATUS, 0);
	}
	if (d->factor != NULL)
		ns = view_factor_after(g, row_s, ns, app, d->factor);
	if (res != NULL &&
	    verdict_format(res, app->ascii ? VERDICT_ASCII : VERDICT_SCREEN,
	        verdict, sizeof verdict) >= 0) {
		EngineRegime r = engine_regime(res);
		int w = utf8_cells(engine_regime_name(r));

		nv = grid_text(g, row_v, 0, verdict, GRID_ROLE_VERDICT, 0);
		for (x = 0; x < w && x < nv; x++)
			grid_at(g, row_v, x)->role = view_regime_roles[r];
	}
	if (notice[0] == '\0')
		return;
	nn = utf8_cells(notice);
	if (nv + 2 + nn <= g->cols)
		grid_text(g, row_v, g->cols - nn, notice, GRID_ROLE_NOTICE,
		    GRID_ATTR_BOLD);
	else if (ns + 2 + nn <= g->cols)
		grid_text(g, row_s, g->cols - nn, notice, GRID_ROLE_NOTICE,
		    GRID_ATTR_BOLD);
	else {
		/* In place of the row above the status line (the legend or
		 * the layer numbers) until the next key clears it: the status
		 * and the verdict stay whole. */
		for (x = 0; x < g->cols; x++)
			grid_put(g, row_s - 1, x, " ", GRID_ROLE_TEXT, 0);
		grid_text(g, row_s - 1, 0, notice, GRID_ROLE_NOTICE,
		    GRID_ATTR_BOLD);
	}
}

int view_info_rows(const AppState *app)
{
	const ViewModule *m = viewmod_get(app->view);

	if (m == NULL || !m->info)
		return 0;
	return (app->cursor != 0) + (app->baseline != 0);
}

/* The view's rectangle on a rows x cols screen (at least the minimum
 * size): the charts' rows (*charts, which the caption box takes on its
 * right), the layer labels', the information lines' and the legend's. */
/* Whether the key hint bar takes the last row. */
static int view_hint_rows(int rows, const AppState *app)
{
	return rows >= VIEW_HINT_ROWS && !app->presenter;
}

static void view_rect(int rows, int cols, const AppState *app, DrawRect *r,
    int *charts)
{
	int legend = rows >= VIEW_LEGEND_ROWS, info = view_info_rows(app);

	*charts = rows - 3 - legend - info - view_hint_rows(rows, app);
	r->top = 0;
	r->left = 0;
	r->rows = *charts + 1 + info + legend;
	r->cols = cols - view_caption_cols(cols, app);
}

int view_bar_columns(int rows, int cols, const AppState *app)
{
	AppState bars = *app;
	DrawRect r;
	int charts;

	if (rows < VIEW_MIN_ROWS || cols < VIEW_MIN_COLS)
		return 0;
	bars.view = APP_VIEW_BARS;
	view_rect(rows, cols, &bars, &r, &charts);
	return r.cols - view_bars_gutter(app);
}

AppPointKind view_point(int rows, int cols, const AppState *app,
    const ViewData *d, int row, int col, int button, AppPoint *out)
{
	const ViewModule *m = viewmod_get(app->view);
	DrawRect r;
	int charts;

	memset(out, 0, sizeof *out);
	out->kind = APP_POINT_NONE;
	if (app->help || app->picking || rows < VIEW_MIN_ROWS ||
	    cols < VIEW_MIN_COLS || m == NULL)
		return out->kind;
	view_rect(rows, cols, app, &r, &charts);
	if (row < r.top || row >= r.top + r.rows || col < r.left ||
	    col >= r.left + r.cols)
		return out->kind;
	if (button == 4 || button == 5) {
		out->kind = APP_POINT_WHEEL;
		out->dir = button == 4 ? 1 : -1;
	} else if (button == 1 && m->hit != NULL &&
	    m->hit(r, rows, app, d, row, col, out) < 0) {
		out->kind = APP_POINT_NONE;
	}
	return out->kind;
}

void view_layout(Grid *g, const AppState *app, const ViewData *d)
{
	const ViewModule *m = viewmod_get(app->view);
	DrawRect r;
	int charts, caption, width, hint;

	grid_clear(g);
	if (g->rows < VIEW_MIN_ROWS || g->cols < VIEW_MIN_COLS) {
		view_tiny(g);
		return;
	}
	hint = view_hint_rows(g->rows, app);
	view_rect(g->rows, g->cols, app, &r, &charts);
	width = r.cols;
	caption = g->cols - width;
	if (m != NULL)
		m->draw(g, r, app, d);
	if (caption > 0)
		view_caption(g, app, d->res, 0, width, charts, caption);
	if (app->presenter && m != NULL && m->presenter)
		view_presenter(g, app, d->res, charts, width);
	view_bottom(g, app, d, hint);
	if (hint)
		view_hint_bar(g, app, g->rows - 1);
	if (app->picking)
		view_picker(g, app);
	if (app->help)
		view_help(g, app->ascii, app->help_page);
}
