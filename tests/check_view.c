/*
 * check_view: the whole screen on a grid. Results are hand-made
 * EngineResult arrays with known magnitudes, so the status line, the
 * verdict and the layout are checked against values written out here.
 */
#include "view.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "verdict.h"

#define MAX_DEPTH 16

static Grid g;
static AppState app;
static XMag act[MAX_DEPTH + 1], grad[MAX_DEPTH + 1], wgrad[MAX_DEPTH + 1];
static EngineResult res;

static void setup(void)
{
	EngineConfig cfg;
	int l;

	memset(&g, 0, sizeof g);
	engine_config_default(&cfg);
	app_init(&app, &cfg, 0);
	res.depth = 3;
	res.activation_rms = act;
	res.gradient_rms = grad;
	res.weight_gradient_rms = wgrad;
	for (l = 0; l <= MAX_DEPTH; l++)
		act[l] = grad[l] = wgrad[l] = xmag_from_double(1.0);
	wgrad[0] = xmag_from_double(NAN);
}

static void teardown(void)
{
	grid_free(&g);
}

static const char *row(int r)
{
	static char buf[8192];

	ck_assert_int_ge(grid_row_text(&g, r, buf, sizeof buf), 0);
	return buf;
}

/* The screen with r as the engine's result and nothing else computed
 * (NULL: not even that), as the event loop draws it. */
static void layout_result(Grid *grid, const AppState *a, const EngineResult *r)
{
	ViewData d;

	memset(&d, 0, sizeof d);
	d.res = r;
	view_layout(grid, a, &d);
}

static void lay_out(int rows, int cols)
{
	ck_assert_int_eq(grid_resize(&g, rows, cols), 0);
	layout_result(&g, &app, &res);
}

/* The first row containing text, or -1. */
static int find_row(const char *text)
{
	int r;

	for (r = 0; r < g.rows; r++)
		if (strstr(row(r), text) != NULL)
			return r;
	return -1;
}

/* The first row from start on containing text, or -1. */
static int find_row_from(const char *text, int start)
{
	int r;

	for (r = start; r < g.rows; r++)
		if (strstr(row(r), text) != NULL)
			return r;
	return -1;
}

/* The first row containing both a and b, or -1. */
static int find_row_with(const char *a, const char *b)
{
	int r;

	for (r = 0; r < g.rows; r++)
		if (strstr(row(r), a) != NULL && strstr(row(r), b) != NULL)
			return r;
	return -1;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int row_blank(int r)
{
	const char *p;

	for (p = row(r); *p; p++)
		if (*p != ' ')
			return 0;
	return 1;
}

/* ---------------------------------------------------------------------- */
/* Status line                                                            */
/* ---------------------------------------------------------------------- */

static const char *status(void)
{
	static char buf[256];

	ck_assert_int_gt(view_status(&app, buf, sizeof buf), 0);
	return buf;
}

START_TEST(test_status_default)
{
	ck_assert_str_eq(status(),
	    "λ=1.5000  L=150  n=2  identity  linear  "
	    "exact  seed=1  step=0.01");
	app.ascii = 1;
	ck_assert_str_eq(status(),
	    "lambda=1.5000  L=150  n=2  identity  "
	    "linear  exact  seed=1  step=0.01");
}
END_TEST

START_TEST(test_status_states)
{
	app.cfg.lambda = 0.99996; /* four decimals, rounded */
	app.cfg.depth = 100000;
	app.cfg.width = 4096;
	app.cfg.init = ENGINE_INIT_GAUSSIAN;
	app.cfg.act = ENGINE_ACT_TANH;
	app.cfg.precision = ENGINE_PRECISION_FLOAT32;
	app.cfg.seed = 18446744073709551615u;
	app.step = 0.0001;
	app.playing = 1;
	app.pinned = 1;
	ck_assert_str_eq(status(),
	    "λ=1.0000  L=100000  n=4096  gaussian  "
	    "tanh  float32  seed=18446744073709551615  step=0.0001  "
	    "[playing]  [pinned]");
	app.cfg.lambda = 0.5;
	app.cfg.depth = 1000;
	app.cfg.width = 64;
	app.cfg.init = ENGINE_INIT_ORTHOGONAL;
	app.cfg.act = ENGINE_ACT_RELU;
	app.cfg.precision = ENGINE_PRECISION_FLOAT64;
	app.cfg.seed = 42;
	app.step = 0.1;
	app.playing = 0;
	ck_assert_str_eq(status(),
	    "λ=0.5000  L=1000  n=64  orthogonal  relu  "
	    "float64  seed=42  step=0.1  [pinned]");
	app.step = 0.001;
	app.pinned = 0;
	app.cfg.lambda = 12.34567;
	ck_assert_str_eq(status(),
	    "λ=12.3457  L=1000  n=64  orthogonal  relu  "
	    "float64  seed=42  step=0.001");
}
END_TEST

START_TEST(test_status_small_buffer)
{
	char buf[20];

	ck_assert_int_eq(view_status(&app, buf, sizeof buf), -1);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Verdict                                                                */
/* ---------------------------------------------------------------------- */

static const char *verdict(void)
{
	static char buf[256];

	ck_assert_int_gt(verdict_format(&res,
	                     app.ascii ? VERDICT_ASCII : VERDICT_SCREEN, buf,
	                     sizeof buf),
	    0);
	return buf;
}

START_TEST(test_verdict_exploding)
{
	/* The lesson's case: 1.5^150 = 2.59e+26 at both ends. */
	XMag m = xmag_pow10(150 * log10(1.5));

	res.depth = 3;
	act[3] = m;
	grad[0] = m;
	ck_assert_str_eq(verdict(),
	    "exploding: output ×2.59e+26, "
	    "first-layer gradient ×2.59e+26");
	app.ascii = 1;
	ck_assert_str_eq(verdict(),
	    "exploding: output x2.59e+26, "
	    "first-layer gradient x2.59e+26");
	/* The output is the last layer, whatever the depth. */
	app.ascii = 0;
	res.depth = 2;
	act[2] = xmag_from_double(0.613);
	grad[0] = xmag_pow10(528.25);
	ck_assert_str_eq(verdict(),
	    "exploding: output ×6.13e-01, "
	    "first-layer gradient ×1.78e+528");
}
END_TEST

START_TEST(test_verdict_vanishing)
{
	XMag m = xmag_pow10(150 * log10(0.5));

	act[3] = m;
	grad[0] = m;
	ck_assert_str_eq(verdict(),
	    "vanishing: output ×7.01e-46, "
	    "first-layer gradient ×7.01e-46");
	/* Classified by the gradient, even with a large output. */
	act[3] = xmag_from_double(1e5);
	grad[0] = xmag_from_double(0.09);
	ck_assert_str_eq(verdict(),
	    "vanishing: output ×1.00e+05, "
	    "first-layer gradient ×9.00e-02");
}
END_TEST

START_TEST(test_verdict_near_critical_and_bounds)
{
	act[3] = xmag_from_double(0.98);
	grad[0] = xmag_from_double(1.2);
	ck_assert_str_eq(verdict(),
	    "near-critical: output ×9.80e-01, "
	    "first-layer gradient ×1.20e+00");
	/* 10 and 0.1 themselves are still near-critical. */
	grad[0] = xmag_from_double(10.0);
	ck_assert_int_eq(strncmp(verdict(), "near-critical:", 14), 0);
	grad[0] = xmag_from_double(0.1);
	ck_assert_int_eq(strncmp(verdict(), "near-critical:", 14), 0);
	grad[0] = xmag_from_double(10.5);
	ck_assert_int_eq(strncmp(verdict(), "exploding:", 10), 0);
}
END_TEST

START_TEST(test_verdict_specials)
{
	act[3] = xmag_from_double(INFINITY);
	grad[0] = xmag_from_double(INFINITY);
	ck_assert_str_eq(verdict(),
	    "exploding: output ×inf, "
	    "first-layer gradient ×inf");
	act[3] = xmag_from_double(0.0);
	grad[0] = xmag_from_double(0.0);
	ck_assert_str_eq(verdict(),
	    "vanishing: output ×0, "
	    "first-layer gradient ×0");
	act[3] = xmag_from_double(NAN);
	grad[0] = xmag_from_double(NAN);
	ck_assert_str_eq(verdict(),
	    "nan: the float arithmetic broke down "
	    "(output ×nan, first-layer gradient ×nan)");
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The screen                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_layout_rows)
{
	int top, bottom, line;

	act[3] = grad[0] = xmag_pow10(150 * log10(1.5));
	app.act_scale.hi = app.grad_scale.hi = 27;
	lay_out(24, 80);
	ck_assert(starts_with(row(21), "λ=1.5000  L=150  n=2  identity"));
	ck_assert(starts_with(row(22),
	    "exploding: output ×2.59e+26, "
	    "first-layer gradient ×2.59e+26"));
	/* The regime word is coloured by its regime. */
	ck_assert_int_eq(grid_cell(&g, 22, 0)->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(grid_cell(&g, 22, 8)->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(grid_cell(&g, 22, 9)->role, GRID_ROLE_VERDICT);
	/* The key hints on the last row. */
	ck_assert(starts_with(row(23), "? help  q quit  ←→ λ  ↑↓ depth"));
	/* 19 rows of charts, 9 and 10; layer numbers; the legend. */
	top = find_row("activation rms per layer");
	bottom = find_row("gradient rms per layer");
	ck_assert_int_eq(top, 0);
	ck_assert_int_eq(bottom, 9);
	ck_assert(starts_with(row(19), "layer 0"));
	ck_assert_ptr_nonnull(strstr(row(20), "▲ inf"));
	/* Each chart has its critical line, labelled. */
	line = find_row("1e+00┼──");
	ck_assert_int_gt(line, top);
	ck_assert_int_lt(line, bottom);
	line = find_row_from("1e+00┼──", bottom);
	ck_assert_int_gt(line, bottom);
	ck_assert_int_lt(line, 19);
	/* No legend row on a short screen: the charts take it. */
	lay_out(16, 60);
	/* At 60 columns the status line's fields are one space apart, so
	 * the step still shows. */
	ck_assert(starts_with(row(14),
	    "λ=1.5000 L=150 n=2 identity linear "
	    "exact seed=1 step=0.01"));
	ck_assert(starts_with(row(15), "exploding:"));
	ck_assert(starts_with(row(13), "layer 0"));
	ck_assert_int_eq(find_row("inf"), -1);
}
END_TEST

START_TEST(test_layers_share_columns)
{
	/* Four layers, every one exploding in both charts: each layer's bar
	 * stands in the same columns above and below. */
	int l, x, line_a, line_g;
	const GridCell *a, *b;

	for (l = 0; l <= 3; l++)
		act[l] = grad[l] = wgrad[l] = xmag_from_double(5.0);
	app.weight_chart = 1;
	lay_out(24, 80);
	line_a = find_row("1e+00┼");
	ck_assert_int_ge(line_a, 0);
	for (line_g = line_a + 1; line_g < g.rows; line_g++)
		if (strstr(row(line_g), "1e+00┼") != NULL)
			break;
	ck_assert_int_lt(line_g, g.rows);
	ck_assert_ptr_nonnull(strstr(row(find_row("weight gradient")),
	    "weight gradient rms per layer"));
	for (x = 0; x < g.cols; x++) {
		a = grid_cell(&g, line_a - 1, x);
		b = grid_cell(&g, line_g - 1, x);
		if (a->role != GRID_ROLE_EXPLODING)
			ck_assert_int_ne(b->role, GRID_ROLE_EXPLODING);
	}
	/* The weight chart has no layer 0: its first bar column is blank
	 * below, filled above. */
	for (x = 0; x < g.cols; x++)
		if (grid_cell(&g, line_a - 1, x)->role == GRID_ROLE_EXPLODING)
			break;
	ck_assert_int_lt(x, g.cols);
	ck_assert_str_eq(grid_cell(&g, line_g - 1, x)->glyph, " ");
	ck_assert_int_eq(grid_cell(&g, line_g, x)->role, GRID_ROLE_CRITICAL);
	/* Later layers are there in both. */
	for (; x < g.cols; x++)
		if (grid_cell(&g, line_g - 1, x)->role == GRID_ROLE_EXPLODING)
			break;
	ck_assert_int_lt(x, g.cols);
	ck_assert_int_eq(grid_cell(&g, line_a - 1, x)->role,
	    GRID_ROLE_EXPLODING);
}
END_TEST

START_TEST(test_aggregation_in_title)
{
	static XMag big[1001];
	int l;

	for (l = 0; l <= 1000; l++)
		big[l] = xmag_from_double(2.0);
	res.depth = 1000;
	res.activation_rms = res.gradient_rms = big;
	lay_out(24, 80);
	/* 1001 layers over 80 - 6 columns: 1001 / 74 = 13.5, so 13 or 14
	 * a column. */
	ck_assert_ptr_nonnull(strstr(row(0),
	    "activation rms per layer  "
	    "(each column: 13–14 layers, showing the extreme)"));
	ck_assert_ptr_nonnull(strstr(row(19), "1000"));
}
END_TEST

START_TEST(test_notice)
{
	snprintf(app.notice, sizeof app.notice, "depth is at its maximum");
	lay_out(24, 100);
	ck_assert_int_eq(find_row("depth is at its maximum"), 22);
	/* Too long to share a row: it takes the row above the status line,
	 * and the status line and the verdict stay whole. */
	snprintf(app.notice, sizeof app.notice,
	    "depth is at its maximum, 100000");
	lay_out(16, 60);
	ck_assert_int_eq(find_row("depth is at its maximum, 100000"), 13);
	ck_assert(starts_with(row(13), "depth is at its maximum, 100000"));
	ck_assert(starts_with(row(15), "near-critical:"));
	ck_assert_ptr_nonnull(strstr(row(15), "first-layer gradient"));
	ck_assert(starts_with(row(14), "λ=1.5000 L=150 n=2"));
}
END_TEST

START_TEST(test_help_lists_every_action)
{
	const KeyBinding *t;
	size_t n, i;
	int ascii, r;

	t = keymap_table(&n);
	for (ascii = 0; ascii <= 1; ascii++) {
		app.ascii = ascii;
		app.help = 1;
		lay_out(ACTION_COUNT + 2, 100);
		/* Each key's name on a line with its action's help. */
		for (i = 0; i < n; i++) {
			r = find_row_with(keymap_action_help(t[i].action,
			                      ascii),
			    ascii ? t[i].ascii_name : t[i].name);
			ck_assert_msg(r >= 0, "no help line for %s",
			    t[i].ascii_name);
		}
		ck_assert_int_ge(find_row("Esc, q or ? close this"), 0);
	}
	/* Keys of one action share one line. */
	app.ascii = 0;
	lay_out(ACTION_COUNT + 2, 100);
	ck_assert_ptr_nonnull(strstr(row(find_row("λ += step")),
	    "→ l + =   λ += step"));
	ck_assert_int_eq(find_row("…"), -1);
}
END_TEST

START_TEST(test_help_too_tall)
{
	app.help = 1;
	lay_out(16, 60);
	/* 14 rows inside the frame: 13 bindings and the ellipsis. */
	ck_assert_int_ge(find_row("…"), 0);
	ck_assert_int_ge(find_row("λ += step"), 0);
	ck_assert_int_eq(find_row("quit"), -1);
	ck_assert_int_ge(find_row("Esc, q or ? close this"), 0);
	/* Exactly tall enough, a line per action and the frame: no
	 * ellipsis, every line. */
	lay_out(ACTION_COUNT - 1 + 2, 80);
	ck_assert_int_eq(find_row("…"), -1);
	ck_assert_int_ge(find_row("quit"), 0);
	lay_out(ACTION_COUNT - 1 + 1, 80);
	ck_assert_int_ge(find_row("…"), 0);
	ck_assert_int_eq(find_row("quit"), -1);
	/* Pages of 13 lines at 16 rows; the depth keys turn them, round. */
	lay_out(16, 60);
	ck_assert_int_ge(find_row("… ↑↓: page 1/4"), 0);
	app.help_page = 1;
	lay_out(16, 60);
	ck_assert_int_ge(find_row("… ↑↓: page 2/4"), 0);
	ck_assert_int_eq(find_row("λ += step"), -1);
	ck_assert_int_ge(find_row("new seed"), 0);
	app.help_page = -1;
	lay_out(16, 60);
	ck_assert_int_ge(find_row("… ↑↓: page 4/4"), 0);
	ck_assert_int_ge(find_row("quit"), 0);
	app.help_page = 4;
	lay_out(16, 60);
	ck_assert_int_ge(find_row("λ += step"), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Captions                                                               */
/* ---------------------------------------------------------------------- */

static Scenario sc;

/* A lesson of two steps; step 2 (shown) has the given texts. */
static void show_lesson(const char *title, const char *caption)
{
	memset(&sc, 0, sizeof sc);
	snprintf(sc.name, sizeof sc.name, "lesson");
	snprintf(sc.title, sizeof sc.title, "Gradients");
	sc.lesson = 1;
	sc.nsteps = 2;
	sc.steps[0].cfg = sc.steps[1].cfg = app.cfg;
	snprintf(sc.steps[1].title, sizeof sc.steps[1].title, "%s", title);
	snprintf(sc.steps[1].caption, sizeof sc.steps[1].caption, "%s",
	    caption);
	app_show(&app, &sc, 1);
}

static const char *expand(const char *caption, const EngineResult *r)
{
	static char buf[2048];

	ck_assert_int_ge(view_caption_expand(caption, &app.cfg, r, buf,
	                     sizeof buf),
	    0);
	return buf;
}

START_TEST(test_caption_expand)
{
	act[3] = xmag_pow10(150 * log10(1.5));
	grad[0] = xmag_pow10(150 * log10(0.5));
	ck_assert_str_eq(expand("output {output}, gradient {gradient}, "
	                        "λ={lambda} L={depth} n={width}",
	                     &res),
	    "output 2.59e+26, "
	    "gradient 7.01e-46, λ=1.5 L=150 n=2");
	/* Twice, at the ends, and next to each other. */
	ck_assert_str_eq(expand("{depth}{width} {depth}", &res), "1502 150");
	/* Specials as the verdict prints them. */
	act[3] = xmag_from_double(INFINITY);
	grad[0] = xmag_from_double(0.0);
	ck_assert_str_eq(expand("{output} {gradient}", &res), "inf 0");
	/* Anything else in braces stays. */
	ck_assert_str_eq(expand("{Output} {outputs} {output {} {", &res),
	    "{Output} {outputs} {output {} {");
	/* lambda as typed, not as the status line's four decimals. */
	app.cfg.lambda = 1.0001;
	app.cfg.depth = 10000;
	app.cfg.width = 4096;
	ck_assert_str_eq(expand("{lambda}^{depth}, n={width}", &res),
	    "1.0001^10000, n=4096");
	/* No result yet. */
	ck_assert_str_eq(expand("out {output}, grad {gradient}", NULL),
	    "out ?, grad ?");
	/* Every setting by its preset key, choices by name. */
	app.cfg.init = ENGINE_INIT_ORTHOGONAL;
	app.cfg.act = ENGINE_ACT_TANH;
	app.cfg.seed = 12345678901234567890u;
	app.cfg.bias_std = 0.25;
	app.cfg.lambda = sqrt(2.0);
	ck_assert_str_eq(expand("{init} {activation} seed {seed} b={bias_std} "
	                        "lambda={lambda} {nokey}",
	                     &res),
	    "orthogonal tanh seed 12345678901234567890 b=0.25 lambda=1.41421 "
	    "{nokey}");
}
END_TEST

START_TEST(test_caption_expand_small_buffer)
{
	char buf[8];

	/* What fits, whole characters only: no half of "λ". */
	ck_assert_int_eq(view_caption_expand("abcdef λ", &app.cfg, &res, buf,
	                     sizeof buf),
	    -1);
	ck_assert_str_eq(buf, "abcdef ");
	ck_assert_int_eq(view_caption_expand("abcdef λ", &app.cfg, &res, buf,
	                     9),
	    -1);
	ck_assert_str_eq(buf, "abcdef ");
	ck_assert_int_eq(view_caption_expand("x {depth}", &app.cfg, &res, buf,
	                     5),
	    -1);
	ck_assert_str_eq(buf, "x 15");
	ck_assert_int_eq(view_caption_expand("{width}", &app.cfg, &res, buf,
	                     sizeof buf),
	    1);
	ck_assert_str_eq(buf, "2");
}
END_TEST

/* The text of row r from column c, trailing blanks dropped, up to the
 * box's right border (the first "│" after c). */
static const char *box_line(int r, int c)
{
	static char buf[512];
	const GridCell *cell;
	size_t used = 0;
	int x;

	for (x = c; x < g.cols; x++) {
		cell = grid_cell(&g, r, x);
		if (strcmp(cell->glyph, "│") == 0)
			break;
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s",
		    cell->glyph);
	}
	while (used > 0 && buf[used - 1] == ' ')
		used--;
	buf[used] = '\0';
	return buf;
}

START_TEST(test_caption_box)
{
	/* 100 columns: the box takes 40, from column 60, as tall as the
	 * charts (30 - 3 - legend - hints = 25 rows); 36 columns of
	 * text. */
	int r;

	act[3] = xmag_pow10(150 * log10(1.5));
	grad[0] = act[3];
	show_lesson("Exploding",
	    "Each layer multiplies by {lambda}: after "
	    "{depth} layers the output is {output}.\n"
	    "Supercalifragilisticexpialidocious-and-then-some words break.");
	lay_out(30, 100);
	ck_assert_str_eq(grid_cell(&g, 0, 60)->glyph, "┌");
	ck_assert_str_eq(grid_cell(&g, 0, 99)->glyph, "┐");
	ck_assert_str_eq(grid_cell(&g, 24, 60)->glyph, "└");
	ck_assert_int_eq(grid_cell(&g, 3, 62)->role, GRID_ROLE_CAPTION);
	ck_assert_ptr_nonnull(strstr(row(0), "┌─ Gradients ─"));
	ck_assert_ptr_nonnull(strstr(row(24), "─ step 2/2 ─┘"));
	ck_assert_str_eq(box_line(1, 61), " Exploding");
	ck_assert_int_eq(grid_cell(&g, 1, 62)->role, GRID_ROLE_TITLE);
	ck_assert_str_eq(box_line(2, 61), "");
	/* Words wrap at 36 columns; a newline starts a line; a word longer
	 * than a line is cut. */
	ck_assert_str_eq(box_line(3, 61),
	    " Each layer multiplies by 1.5: after");
	ck_assert_str_eq(box_line(4, 61),
	    " 150 layers the output is 2.59e+26.");
	ck_assert_str_eq(box_line(5, 61),
	    " Supercalifragilisticexpialidocious-a");
	ck_assert_str_eq(box_line(6, 61), " nd-then-some words break.");
	for (r = 7; r < 24; r++)
		ck_assert_str_eq(box_line(r, 61), "");
	/* The charts end left of the box: their critical line too. */
	r = find_row("1e+00┼");
	ck_assert_str_eq(grid_cell(&g, r, 59)->glyph, "─");
	ck_assert_str_eq(grid_cell(&g, r, 60)->glyph, "│");
	/* The status and verdict lines keep the whole width. */
	ck_assert(starts_with(row(27), "λ=1.5000  L=150"));
	/* c hides it: the charts take the width again. */
	app.caption = 0;
	lay_out(30, 100);
	ck_assert_int_eq(find_row("Exploding"), -1);
	ck_assert_str_eq(grid_cell(&g, r, 99)->glyph, "─");
}
END_TEST

/* Settings off the step's: the box's last inner row says which, by the
 * status line's labels, cut to the box; back to the step's, it goes. */
START_TEST(test_caption_changed_footer)
{
	char buf[256];

	show_lesson("Exploding", "Each layer multiplies by {lambda}.");
	ck_assert_int_eq(view_changed(&app, 36, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	lay_out(30, 100);
	ck_assert_int_eq(find_row("changed"), -1);
	app.cfg.depth = 155;
	ck_assert_int_eq(view_changed(&app, 36, buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "changed: L 150→155 · r restores");
	lay_out(30, 100);
	/* Row 23: the last row inside the box (its bottom edge is 24). */
	ck_assert_str_eq(box_line(23, 61), " changed: L 150→155 · r restores");
	ck_assert_int_eq(grid_cell(&g, 23, 62)->role, GRID_ROLE_NOTICE);
	ck_assert_str_eq(box_line(1, 61), " Exploding");
	/* lambda walked by steps reads to 6 digits; fields in the table's
	 * order; past the box, cut with an ellipsis. */
	app.cfg.lambda = 1.5 + 0.01 + 0.01;
	app.cfg.seed = 2;
	ck_assert_int_eq(view_changed(&app, 60, buf, sizeof buf), 1);
	ck_assert_str_eq(buf,
	    "changed: λ 1.5→1.52, L 150→155, seed 1→2 · r restores");
	view_changed(&app, 36, buf, sizeof buf);
	ck_assert_str_eq(buf, "changed: λ 1.5→1.52 … · r restores");
	view_changed(&app, 20, buf, sizeof buf);
	ck_assert_str_eq(buf, "changed · r restores");
	view_changed(&app, 10, buf, sizeof buf);
	ck_assert_str_eq(buf, "changed");
	/* Choices by name, the field's name when the status line has no
	 * label; ASCII arrows. */
	app.cfg = sc.steps[1].cfg;
	app.cfg.act = ENGINE_ACT_TANH;
	app.ascii = 1;
	view_changed(&app, 60, buf, sizeof buf);
	ck_assert_str_eq(buf, "changed: activation linear->tanh - r restores");
	app.ascii = 0;
	/* No preset shown: no footer. */
	app_show(&app, NULL, 0);
	ck_assert_int_eq(view_changed(&app, 60, buf, sizeof buf), 0);
}
END_TEST

START_TEST(test_caption_box_preset_and_overflow)
{
	char text[SCENARIO_CAPTION_MAX];
	int r;

	/* A preset: its name on top, no progress. */
	show_lesson("Vanishing", "short");
	sc.lesson = 0;
	sc.nsteps = 1;
	sc.steps[0] = sc.steps[1];
	snprintf(sc.name, sizeof sc.name, "vanishing");
	app_show(&app, &sc, 0);
	lay_out(30, 100);
	ck_assert_ptr_nonnull(strstr(row(0), "┌─ vanishing ─"));
	ck_assert_int_eq(find_row("step 1/"), -1);
	ck_assert_str_eq(box_line(3, 61), " short");
	/* More text than the box holds: the last row says so. At 60x16 the
	 * box is 24 wide (20 of text) and 13 rows tall (11 of text). */
	memset(text, 0, sizeof text);
	for (r = 0; r < 40; r++)
		strcat(text, "word ");
	snprintf(sc.steps[0].caption, sizeof sc.steps[0].caption, "%s", text);
	lay_out(16, 60);
	ck_assert_str_eq(grid_cell(&g, 0, 36)->glyph, "┌");
	ck_assert_str_eq(grid_cell(&g, 12, 36)->glyph, "└");
	ck_assert_str_eq(box_line(1, 37), " Vanishing");
	ck_assert_str_eq(box_line(3, 37), " word word word word");
	ck_assert_str_eq(box_line(10, 37), " word word word word");
	ck_assert_str_eq(box_line(11, 37), " …");
	/* A name too long for the border ends in an ellipsis. */
	snprintf(sc.name, sizeof sc.name, "a-very-long-preset-name-indeed");
	lay_out(16, 60);
	ck_assert_ptr_nonnull(strstr(row(0), "┌─ a-very-long-preset…─┐"));
	/* A step with neither title nor caption, in a preset: no box. */
	sc.steps[0].title[0] = sc.steps[0].caption[0] = '\0';
	lay_out(30, 100);
	ck_assert_int_eq(find_row("┌"), -1);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Presenter mode                                                         */
/* ---------------------------------------------------------------------- */

/* The filled cells in rows [r0, r1) and columns [c0, c1). */
static int count_fill(const char *fill, int r0, int r1, int c0, int c1)
{
	int r, c, n = 0;

	for (r = r0; r < r1; r++)
		for (c = c0; c < c1; c++)
			n += strcmp(grid_cell(&g, r, c)->glyph, fill) == 0;
	return n;
}

/* Finds the first row with fill and, within the five rows from it, the
 * leftmost column with fill. */
static void find_big(const char *fill, int *top, int *left)
{
	int r, c;

	*top = -1;
	*left = g.cols;
	for (r = 0; r < g.rows && *top < 0; r++)
		for (c = 0; c < g.cols; c++)
			if (strcmp(grid_cell(&g, r, c)->glyph, fill) == 0)
				*top = r;
	ck_assert_int_ge(*top, 0);
	for (r = *top; r < *top + 5; r++)
		for (c = 0; c < g.cols; c++)
			if (strcmp(grid_cell(&g, r, c)->glyph, fill) == 0 &&
			    c < *left)
				*left = c;
}

START_TEST(test_presenter_digits)
{
	/* λ=1.5000 in the 3x5 font, pixels two cells wide and a cell
	 * apart: each glyph's filled cells are twice its pixels. The
	 * results are all 1: no bar uses a block, only the digits do. */
	static const struct {
		int w, pixels;
	} want[] = {
	    {3, 8},
	    {3, 6},
	    {3, 8},
	    {1, 1},
	    {3, 11},
	    {3, 12},
	    {3, 12},
	    {3, 12},
	};
	const char *fill[2] = {"█", "#"};
	int ascii, top, left, x, i;

	for (ascii = 0; ascii <= 1; ascii++) {
		app.ascii = ascii;
		app.presenter = 1;
		lay_out(30, 100);
		find_big(fill[ascii], &top, &left);
		for (x = left, i = 0; i < 8; i++) {
			ck_assert_int_eq(count_fill(fill[ascii], top, top + 5,
			                     x, x + 2 * want[i].w),
			    2 * want[i].pixels);
			/* One blank column between glyphs. */
			ck_assert_int_eq(count_fill(fill[ascii], top, top + 5,
			                     x + 2 * want[i].w,
			                     x + 2 * want[i].w + 1),
			    0);
			x += 2 * want[i].w + 1;
		}
		/* Three lines (λ, L, output) of 5 rows, each under its
		 * label, a row apart: 70 + 44 + 79 pixels of "λ=1.5000",
		 * "L=150", "×1.00e+00", all in the charts' 26 rows. */
		ck_assert_int_eq(count_fill(fill[ascii], 0, 26, 0, 100),
		    2 * (70 + 44 + 79));
		ck_assert_int_eq(count_fill(fill[ascii], top + 5, top + 7, 0,
		                     100),
		    0);
		ck_assert_int_eq(count_fill(fill[ascii], top + 7, top + 12, 0,
		                     100),
		    2 * 44);
		/* The labels say what each number is, the output's just
		 * above its digits; a frame around the box. */
		ck_assert_int_eq(find_row(ascii ? "lambda, the weight scale" :
		                                  "λ, the weight scale"),
		    top - 1);
		ck_assert_int_eq(find_row("L, the layers"), top + 6);
		ck_assert_int_eq(find_row("output: activation rms at the last "
		                          "layer"),
		    top + 13);
		ck_assert_int_eq(count_fill(fill[ascii], top + 14, top + 19, 0,
		                     100),
		    2 * 79);
		ck_assert_int_ge(find_row(ascii ? "+----" : "┌────"), 0);
		/* The status line stays. */
		ck_assert(starts_with(row(28),
		    ascii ? "lambda=1.5000" : "λ=1.5000"));
	}
}
END_TEST

START_TEST(test_presenter_scales)
{
	/* A large window: pixels 4 cells wide and 2 rows tall, in two
	 * thirds of the width, so λ and L take a line each. */
	int top, left;

	app.presenter = 1;
	lay_out(60, 200);
	ck_assert_int_eq(count_fill("█", 0, 56, 0, 200), 8 * (70 + 44 + 79));
	find_big("█", &top, &left);
	ck_assert_int_eq(count_fill("█", top, top + 10, 0, 200), 8 * 70);
	/* Bars stay in view: the box leaves a third of the columns. */
	ck_assert_int_ge(left, 200 / 6 - 4);
	/* The output's line is coloured by the verdict's regime (here by
	 * an exploding first-layer gradient), λ and L as titles. */
	grad[0] = xmag_from_double(1e30);
	lay_out(60, 200);
	find_big("█", &top, &left);
	ck_assert_int_eq(grid_cell(&g, top, left)->role, GRID_ROLE_TITLE);
	for (; left < 200; left++)
		if (strcmp(grid_cell(&g, top + 26, left)->glyph, "█") == 0)
			break;
	ck_assert_int_lt(left, 200);
	ck_assert_int_eq(grid_cell(&g, top + 26, left)->role,
	    GRID_ROLE_EXPLODING);
	/* Too small for all three beside a caption box at 80x24: the
	 * output alone, labelled in brief where the whole label does not
	 * fit over its digits. */
	show_lesson("t", "c");
	lay_out(24, 80);
	find_big("█", &top, &left);
	ck_assert_int_eq(find_row("output"), top - 1);
	ck_assert_int_eq(find_row("output: activation rms"), -1);
	ck_assert_int_eq(find_row("weight scale"), -1);
	app_show(&app, NULL, 0);
	/* Too small for even one-cell pixels beside a caption box: no
	 * digits, the charts as they are. */
	grad[0] = xmag_from_double(1.0);
	show_lesson("t", "c");
	lay_out(16, 60);
	ck_assert_int_eq(count_fill("█", 0, 13, 0, 60), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Picker overlay                                                         */
/* ---------------------------------------------------------------------- */

static void add_pick(const char *name, const char *title, int lesson,
    int nsteps)
{
	AppPick e;

	memset(&e, 0, sizeof e);
	snprintf(e.name, sizeof e.name, "%s", name);
	snprintf(e.title, sizeof e.title, "%s", title);
	e.lesson = lesson;
	e.nsteps = nsteps;
	ck_assert_int_eq(app_pick_add(&app, &e), 0);
}

START_TEST(test_picker_overlay)
{
	int r, c;

	app_apply(&app, ACTION_PICK);
	add_pick("critical", "The critical point", 0, 1);
	add_pick("lesson", "Gradients", 1, 12);
	add_pick("broken", "presets/broken.json:3:1: syntax error", 0, 0);
	app_apply(&app, ACTION_DEPTH_DOWN);
	lay_out(30, 100);
	r = find_row("presets and lessons (2/3)");
	ck_assert_int_ge(r, 0);
	ck_assert_ptr_nonnull(strstr(row(r + 1),
	    "│ critical   The critical "
	    "point"));
	ck_assert_ptr_nonnull(strstr(row(r + 2),
	    "│ lesson     Gradients "
	    "(lesson, 12 steps)"));
	ck_assert_ptr_nonnull(strstr(row(r + 3),
	    "│ broken     cannot load: "
	    "presets/broken.json:3:1: syntax error"));
	ck_assert_ptr_nonnull(strstr(row(r + 4),
	    "↑↓ choose, Enter load, "
	    "Esc close"));
	/* The choice is reversed across the box, the others not. */
	c = (int)(strstr(row(r + 2), "│ lesson") - row(r + 2));
	ck_assert_int_eq(grid_cell(&g, r + 2, 4)->attr, 0);
	/* The box's left border: the "│" just before " lesson". */
	for (c = 0; c + 3 < g.cols &&
	     (strcmp(grid_cell(&g, r + 2, c)->glyph, "│") != 0 ||
	         strcmp(grid_cell(&g, r + 2, c + 2)->glyph, "l") != 0 ||
	         strcmp(grid_cell(&g, r + 2, c + 3)->glyph, "e") != 0);
	     c++)
		;
	ck_assert_int_eq(grid_cell(&g, r + 2, c + 1)->attr & GRID_ATTR_REVERSE,
	    GRID_ATTR_REVERSE);
	ck_assert_int_eq(grid_cell(&g, r + 1, c + 1)->attr & GRID_ATTR_REVERSE,
	    0);
	ck_assert_int_eq(grid_cell(&g, r + 3, c + 20)->role, GRID_ROLE_NOTICE);
	/* Closed: gone. */
	app_apply(&app, ACTION_QUIT);
	lay_out(30, 100);
	ck_assert_int_eq(find_row("presets and lessons"), -1);
}
END_TEST

START_TEST(test_picker_scrolls)
{
	char name[32];
	int i;

	app_apply(&app, ACTION_PICK);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "preset-%02d", i);
		add_pick(name, "a title", 0, 1);
	}
	for (i = 0; i < 30; i++)
		app_apply(&app, ACTION_DEPTH_DOWN);
	/* 16 rows: 14 entries show, the last of them the choice. */
	lay_out(16, 60);
	ck_assert_int_ge(find_row("presets and lessons (31/40)"), 0);
	ck_assert_int_eq(find_row("preset-16 "), -1);
	ck_assert_int_eq(find_row("preset-17 "), 1);
	ck_assert_int_eq(find_row("preset-30 "), 14);
	ck_assert_int_eq(find_row("preset-31 "), -1);
	/* None found. */
	app_apply(&app, ACTION_QUIT);
	app_apply(&app, ACTION_PICK);
	lay_out(16, 60);
	ck_assert_int_ge(find_row("no presets found"), 0);
	ck_assert_int_ge(find_row("(0/0)"), 0);
}
END_TEST

START_TEST(test_ascii_screen)
{
	/* Everything on screen at once, the overlays one after the other:
	 * ASCII only. */
	const unsigned char *p;
	int r, c, help;

	act[1] = xmag_from_double(INFINITY);
	act[2] = xmag_from_double(0.0);
	act[3] = xmag_from_double(NAN);
	grad[1] = xmag_pow10(-0.3);
	grad[2] = xmag_pow10(40);
	app.ascii = 1;
	show_lesson("Step",
	    "A caption that wraps over more than one line of "
	    "the box, with {output} filled in.");
	app.presenter = 1;
	app_apply(&app, ACTION_PICK);
	add_pick("lesson", "Gradients", 1, 12);
	snprintf(app.notice, sizeof app.notice, "width is at its minimum");
	for (help = 0; help <= 1; help++) {
		app.help = help;
		lay_out(30, 120);
		ck_assert_int_ge(find_row("step 2/2"), 0);
		ck_assert_int_ge(find_row(help ? "Esc, q or ? close this" :
		                                 "Up/Down choose"),
		    0);
		ck_assert_int_ge(find_row("###"), 0);
		for (r = 0; r < g.rows; r++)
			for (c = 0; c < g.cols; c++)
				for (p = (const unsigned char *)grid_cell(&g, r,
				         c)
				             ->glyph;
				     *p; p++)
					ck_assert_uint_lt(*p, 0x80);
		ck_assert_int_ge(find_row("lambda=1.5000  L=150  n=2"), 0);
	}
}
END_TEST

START_TEST(test_tiny_sizes)
{
	static const int sizes[][2] = {
	    {12, 40},
	    {15, 60},
	    {16, 59},
	    {1, 1},
	    {0, 0},
	    {1, 0},
	    {0, 1},
	    {3, 200},
	    {200, 3},
	};
	size_t i;
	int r, n;

	app.help = 1; /* not even the overlay */
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		lay_out(sizes[i][0], sizes[i][1]);
		for (r = 0, n = 0; r < g.rows; r++)
			n += !row_blank(r);
		ck_assert_int_eq(n, g.rows > 0 && g.cols > 0);
	}
	/* Too narrow for the sentence: the short form, centred. */
	lay_out(12, 40);
	ck_assert_str_eq(row(6), "         need 60x16, have 40x12         ");
	lay_out(12, 10);
	ck_assert_str_eq(row(6), "need 60x16");
	/* Centred when it fits: 52 characters in 80 columns. */
	lay_out(12, 80);
	ck_assert_str_eq(row(6),
	    "              gradscope needs at least "
	    "60x16; this window is 80x12              ");
	lay_out(1, 1);
	ck_assert_str_eq(row(0), "n");
	/* And back: the full screen again at the minimum size. */
	app.help = 0;
	lay_out(16, 60);
	ck_assert(starts_with(row(14), "λ=1.5000 L=150 n=2"));
	ck_assert_int_eq(find_row("needs"), -1);
}
END_TEST

/* The factor's wording, labelled as the theory: chi to 4 places, xi =
 * -1/ln chi to 3 digits and the rule of thumb 6 xi; infinity at
 * criticality and when |ln chi| is rounding (He init); the e-fold growth
 * depth 1/ln chi instead of a negative xi when gradients grow; the short
 * form for narrow windows. */
START_TEST(test_factor_text)
{
	TheoryFactor f;
	char buf[128], want[128];
	double xi = -1 / log(0.98);

	f.chi = 0.98;
	f.xi = xi;
	ck_assert_int_gt(view_factor(&app, &f, 1, buf, sizeof buf), 0);
	snprintf(want, sizeof want,
	    "theory: χ=0.9800 ξ=%.3g (trains to ~%.3g "
	    "layers)",
	    xi, 6 * xi);
	ck_assert_str_eq(buf, want);
	/* 49.5 and 297: written out, so a wrong formula shows. */
	ck_assert_str_eq(buf,
	    "theory: χ=0.9800 ξ=49.5 (trains to ~297 layers)");
	view_factor(&app, &f, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=0.98 ξ=49.5");
	/* One ulp above 1, as He init's quadrature gives: xi would be
	 * -4.5e+15; it is rounding, so critical. */
	f.chi = 1 + DBL_EPSILON;
	f.xi = -1 / log(f.chi);
	view_factor(&app, &f, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=1.0000 ξ=∞ (critical)");
	f.chi = 1 - DBL_EPSILON;
	f.xi = -1 / log(f.chi);
	view_factor(&app, &f, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=1.0000 ξ=∞ (critical)");
	/* A real depth scale just past the cut still shows as a number. */
	f.chi = exp(1e-9);
	f.xi = -1 / log(f.chi);
	view_factor(&app, &f, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=1 grows e-fold/1e+09 layers");
	f.chi = 1;
	f.xi = INFINITY;
	view_factor(&app, &f, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=1.0000 ξ=∞ (critical)");
	view_factor(&app, &f, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: χ=1 ξ=∞");
	app.ascii = 1;
	view_factor(&app, &f, 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: chi=1.0000 xi=inf (critical)");
	f.chi = 2.25;
	f.xi = -1 / log(2.25);
	view_factor(&app, &f, 1, buf, sizeof buf);
	/* 1/ln 2.25 = 1.233 */
	ck_assert_str_eq(buf,
	    "theory: chi=2.2500 grows e-fold every 1.23 layers");
	view_factor(&app, &f, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory: chi=2.25 grows e-fold/1.23 layers");
	view_factor(&app, &f, -1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory chi=2.25 grows");
	app.ascii = 0;
	f.chi = 1;
	f.xi = INFINITY;
	view_factor(&app, &f, -1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory χ=1 ξ=∞");
	f.chi = 0.98;
	f.xi = -1 / log(0.98);
	view_factor(&app, &f, -1, buf, sizeof buf);
	ck_assert_str_eq(buf, "theory χ=0.98 ξ=49.5");
	app.ascii = 1;
	f.chi = 2.25;
	ck_assert_int_eq(view_factor(&app, &f, 1, buf, 8), -1);
}
END_TEST

/* Each view takes the charts' place and keeps the status line, the
 * verdict and the factor; the theory markers show only with o. */
START_TEST(test_views_keep_status)
{
	static const char *const titles[APP_VIEW_COUNT] =
	    {"activation rms per layer", "λ sweep", "depth × λ",
	        "Jacobian singular values", "training"};
	XMag tact[MAX_DEPTH + 1], tgrad[MAX_DEPTH + 1];
	TheoryFactor f = {0.5, -1 / log(0.5)};
	ViewData d;
	int v, l, r, c, markers;

	memset(&d, 0, sizeof d);
	for (l = 0; l <= MAX_DEPTH; l++) {
		act[l] = xmag_from_double(pow(2, l));
		tact[l] = act[l];
		tgrad[l] = grad[l];
	}
	d.res = &res;
	d.factor = &f;
	ck_assert_int_eq(grid_resize(&g, 30, 100), 0);
	for (v = 0; v < APP_VIEW_COUNT; v++) {
		app.view = (AppView)v;
		/* No job: the spectrum and training say why. */
		d.why = v == APP_VIEW_SPECTRUM ? "no spectrum here" :
		    v == APP_VIEW_TRAIN        ? "no training here" :
		                                 NULL;
		view_layout(&g, &app, &d);
		ck_assert_msg(find_row(titles[v]) >= 0, "view %d: no '%s'", v,
		    titles[v]);
		ck_assert(strncmp(row(27), "λ=1.5000  L=150", 16) == 0);
		/* 100 columns: the full wording does not fit after the
		 * status, the short one does. */
		ck_assert_ptr_nonnull(strstr(row(27),
		    "step=0.01  theory: χ=0.5 "
		    "ξ=1.44"));
		ck_assert_ptr_nonnull(strstr(row(28),
		    "near-critical: output "
		    "×8.00e+00"));
		ck_assert(starts_with(row(29), "? help  q quit"));
	}
	ck_assert_int_ge(find_row("no training here"), 0);
	/* Theory markers: none without o, one per plot column with it,
	 * each on a THEORY cell. */
	app.view = APP_VIEW_BARS;
	for (app.theory = 0; app.theory <= 1; app.theory++) {
		d.theory_act = app.theory ? tact : NULL;
		d.theory_grad = app.theory ? tgrad : NULL;
		view_layout(&g, &app, &d);
		markers = 0;
		/* Above the legend (row 26), which explains ◆ with o. */
		for (r = 0; r < 26; r++)
			for (c = 0; c < g.cols; c++)
				if (strcmp(grid_cell(&g, r, c)->glyph, "◆") ==
				    0) {
					ck_assert_int_eq(grid_cell(&g, r, c)
					                     ->role,
					    GRID_ROLE_THEORY);
					markers++;
				}
		/* Each of the 4 layers spans the same number of columns in
		 * both charts, a marker on each. */
		if (app.theory)
			ck_assert(markers > 0 &&
			    markers % (2 * (res.depth + 1)) == 0);
		else
			ck_assert_int_eq(markers, 0);
	}
}
END_TEST

/* The key hint bar: on the last row from VIEW_HINT_ROWS rows on, not in
 * presenter mode, fitting the width; each key shown is bound to the
 * action it is hinted for. */
START_TEST(test_hint_bar)
{
	static const struct {
		const char *key;
		Action a;
	} shown[] = {{"?", ACTION_HELP}, {"q", ACTION_QUIT},
	    {"h", ACTION_LAMBDA_DOWN}, {"l", ACTION_LAMBDA_UP},
	    {"k", ACTION_DEPTH_UP}, {"j", ACTION_DEPTH_DOWN},
	    {"v", ACTION_NEXT_VIEW}, {"n", ACTION_NEXT_STEP},
	    {"N", ACTION_PREV_STEP}, {"z", ACTION_TOGGLE_PIN},
	    {"r", ACTION_RESTORE}, {"p", ACTION_PICK}};
	char buf[256];
	size_t i;
	int n;

	lay_out(24, 80);
	ck_assert_str_eq(row(23),
	    "? help  q quit  ←→ λ  ↑↓ depth  v view  n/N step  z pin  "
	    "r restore  p presets   ");
	ck_assert_int_eq(grid_cell(&g, 23, 0)->role, GRID_ROLE_HELP_KEY);
	ck_assert_int_eq(grid_cell(&g, 23, 2)->role, GRID_ROLE_DIM);
	/* ASCII: one-letter keys. */
	app.ascii = 1;
	n = view_hints(&app, 80, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "? help  q quit  h/l lambda  k/j depth  v view  n/N step  z pin  "
	    "r restore");
	ck_assert_int_le(n, 80);
	app.ascii = 0;
	/* Wider: more hints; never past the width. */
	n = view_hints(&app, 200, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "o theory"));
	for (n = 10; n <= 200; n += 7)
		ck_assert_int_le(view_hints(&app, n, buf, sizeof buf), n);
	/* The keys are the table's. */
	for (i = 0; i < sizeof shown / sizeof shown[0]; i++)
		ck_assert_int_eq(keymap_lookup((unsigned char)shown[i].key[0]),
		    shown[i].a);
	/* Presenter mode and short screens: no hints. */
	app.presenter = 1;
	lay_out(24, 80);
	ck_assert_int_eq(find_row("? help"), -1);
	app.presenter = 0;
	lay_out(19, 80);
	ck_assert_int_eq(find_row("? help"), -1);
	lay_out(20, 80);
	ck_assert_int_eq(find_row("? help"), 19);
}
END_TEST

/* With o on, the legend explains the markers it draws. */
/* A residual network's status line at 80 columns: one space between the
 * fields, so the branch scale and the step are not cut off; at 100
 * columns the usual two. */
START_TEST(test_status_squeezed)
{
	app.cfg.arch = ENGINE_ARCH_RESIDUAL;
	app.cfg.branch_scale = -1; /* 1/sqrt(L) */
	app.cfg.init = ENGINE_INIT_GAUSSIAN;
	app.cfg.act = ENGINE_ACT_RELU;
	lay_out(24, 80);
	ck_assert_int_ge(find_row("residual α=1/sqrt(L) step=0.01"), 0);
	lay_out(24, 140);
	ck_assert_int_ge(find_row("residual  α=1/sqrt(L)  step=0.01"), 0);
}
END_TEST

START_TEST(test_theory_legend)
{
	/* The legend explains ◆ while the markers are drawn: the theory's
	 * values given (as the loop gives them with o on). */
	static XMag t[64];
	ViewData d;
	int i;

	ck_assert_int_lt(res.depth, 64);
	for (i = 0; i <= res.depth; i++)
		t[i] = xmag_from_double(1.0);
	memset(&d, 0, sizeof d);
	d.res = &res;
	lay_out(24, 100);
	ck_assert_int_eq(find_row("◆ theory"), -1);
	app.theory = 1;
	d.theory_act = d.theory_grad = t;
	ck_assert_int_eq(grid_resize(&g, 24, 100), 0);
	view_layout(&g, &app, &d);
	ck_assert_int_eq(find_row("◆ theory"), 20);
	ck_assert(starts_with(row(20) + strlen("      "), "█ above 1"));
	app.ascii = 1;
	view_layout(&g, &app, &d);
	ck_assert_int_eq(find_row("* theory"), 20);
	/* At 80 columns it comes before the specials, not cut. */
	app.ascii = 0;
	ck_assert_int_eq(grid_resize(&g, 24, 80), 0);
	view_layout(&g, &app, &d);
	ck_assert_int_eq(find_row("◆ theory"), 20);
	/* o on with no theory to draw: no marker, no legend entry. */
	d.theory_act = d.theory_grad = NULL;
	view_layout(&g, &app, &d);
	ck_assert_int_eq(find_row("◆ theory"), -1);
}
END_TEST

START_TEST(test_no_result_yet)
{
	/* Before the first compute, the frame and the status line. */
	ck_assert_int_eq(grid_resize(&g, 24, 80), 0);
	layout_result(&g, &app, NULL);
	ck_assert_int_eq(find_row("λ=1.5000  L=150  n=2"), 21);
	ck_assert(row_blank(22));
	ck_assert(starts_with(row(23), "? help"));
	ck_assert_int_eq(find_row("activation rms per layer"), 0);
}
END_TEST

Suite *view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_status_default);
	tcase_add_test(tc, test_hint_bar);
	tcase_add_test(tc, test_theory_legend);
	tcase_add_test(tc, test_status_squeezed);
	tcase_add_test(tc, test_status_states);
	tcase_add_test(tc, test_status_small_buffer);
	tcase_add_test(tc, test_verdict_exploding);
	tcase_add_test(tc, test_verdict_vanishing);
	tcase_add_test(tc, test_verdict_near_critical_and_bounds);
	tcase_add_test(tc, test_verdict_specials);
	tcase_add_test(tc, test_layout_rows);
	tcase_add_test(tc, test_layers_share_columns);
	tcase_add_test(tc, test_aggregation_in_title);
	tcase_add_test(tc, test_notice);
	tcase_add_test(tc, test_help_lists_every_action);
	tcase_add_test(tc, test_help_too_tall);
	tcase_add_test(tc, test_caption_expand);
	tcase_add_test(tc, test_caption_expand_small_buffer);
	tcase_add_test(tc, test_caption_box);
	tcase_add_test(tc, test_caption_changed_footer);
	tcase_add_test(tc, test_caption_box_preset_and_overflow);
	tcase_add_test(tc, test_presenter_digits);
	tcase_add_test(tc, test_presenter_scales);
	tcase_add_test(tc, test_picker_overlay);
	tcase_add_test(tc, test_picker_scrolls);
	tcase_add_test(tc, test_ascii_screen);
	tcase_add_test(tc, test_tiny_sizes);
	tcase_add_test(tc, test_no_result_yet);
	tcase_add_test(tc, test_factor_text);
	tcase_add_test(tc, test_views_keep_status);
	suite_add_tcase(s, tc);
	return s;
}
