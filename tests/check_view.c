/*
 * check_view: the whole screen on a grid. Results are hand-made
 * EngineResult arrays with known magnitudes, so the status line, the
 * verdict and the layout are checked against values written out here.
 */
#include "view.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"

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

static void lay_out(int rows, int cols)
{
	ck_assert_int_eq(grid_resize(&g, rows, cols), 0);
	view_layout(&g, &app, &res);
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
	ck_assert_str_eq(status(), "λ=1.5000  L=150  n=2  identity  linear  "
	    "exact  seed=1  step=0.01");
	app.ascii = 1;
	ck_assert_str_eq(status(), "lambda=1.5000  L=150  n=2  identity  "
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
	ck_assert_str_eq(status(), "λ=1.0000  L=100000  n=4096  gaussian  "
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
	ck_assert_str_eq(status(), "λ=0.5000  L=1000  n=64  orthogonal  relu  "
	    "float64  seed=42  step=0.1  [pinned]");
	app.step = 0.001;
	app.pinned = 0;
	app.cfg.lambda = 12.34567;
	ck_assert_str_eq(status(), "λ=12.3457  L=1000  n=64  orthogonal  relu  "
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

	ck_assert_int_gt(view_verdict(&app, &res, buf, sizeof buf), 0);
	return buf;
}

START_TEST(test_verdict_exploding)
{
	/* The lesson's case: 1.5^150 = 2.59e+26 at both ends. */
	XMag m = xmag_pow10(150 * log10(1.5));

	res.depth = 3;
	act[3] = m;
	grad[0] = m;
	ck_assert_str_eq(verdict(), "exploding: output ×2.59e+26, "
	    "first-layer gradient ×2.59e+26");
	app.ascii = 1;
	ck_assert_str_eq(verdict(), "exploding: output x2.59e+26, "
	    "first-layer gradient x2.59e+26");
	/* The output is the last layer, whatever the depth. */
	app.ascii = 0;
	res.depth = 2;
	act[2] = xmag_from_double(0.613);
	grad[0] = xmag_pow10(528.25);
	ck_assert_str_eq(verdict(), "exploding: output ×6.13e-01, "
	    "first-layer gradient ×1.78e+528");
}
END_TEST

START_TEST(test_verdict_vanishing)
{
	XMag m = xmag_pow10(150 * log10(0.5));

	act[3] = m;
	grad[0] = m;
	ck_assert_str_eq(verdict(), "vanishing: output ×7.01e-46, "
	    "first-layer gradient ×7.01e-46");
	/* Classified by the gradient, even with a large output. */
	act[3] = xmag_from_double(1e5);
	grad[0] = xmag_from_double(0.09);
	ck_assert_str_eq(verdict(), "vanishing: output ×1.00e+05, "
	    "first-layer gradient ×9.00e-02");
}
END_TEST

START_TEST(test_verdict_near_critical_and_bounds)
{
	act[3] = xmag_from_double(0.98);
	grad[0] = xmag_from_double(1.2);
	ck_assert_str_eq(verdict(), "near-critical: output ×9.80e-01, "
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
	ck_assert_str_eq(verdict(), "exploding: output ×inf, "
	    "first-layer gradient ×inf");
	act[3] = xmag_from_double(0.0);
	grad[0] = xmag_from_double(0.0);
	ck_assert_str_eq(verdict(), "vanishing: output ×0, "
	    "first-layer gradient ×0");
	act[3] = xmag_from_double(NAN);
	grad[0] = xmag_from_double(NAN);
	ck_assert_str_eq(verdict(), "nan: the float arithmetic broke down "
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
	ck_assert(starts_with(row(22), "λ=1.5000  L=150  n=2  identity"));
	ck_assert(starts_with(row(23), "exploding: output ×2.59e+26, "
	    "first-layer gradient ×2.59e+26"));
	/* The regime word is coloured by its regime. */
	ck_assert_int_eq(grid_cell(&g, 23, 0)->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(grid_cell(&g, 23, 8)->role, GRID_ROLE_EXPLODING);
	ck_assert_int_eq(grid_cell(&g, 23, 9)->role, GRID_ROLE_VERDICT);
	/* 20 rows of charts, 10 each; layer numbers; the legend. */
	top = find_row("activation rms per layer");
	bottom = find_row("gradient rms per layer");
	ck_assert_int_eq(top, 0);
	ck_assert_int_eq(bottom, 10);
	ck_assert(starts_with(row(20), "layer 0"));
	ck_assert_ptr_nonnull(strstr(row(21), "▲ inf"));
	/* Each chart has its critical line, labelled. */
	line = find_row("1e+00┼──");
	ck_assert_int_gt(line, top);
	ck_assert_int_lt(line, bottom);
	line = find_row_from("1e+00┼──", bottom);
	ck_assert_int_gt(line, bottom);
	ck_assert_int_lt(line, 20);
	/* No legend row on a short screen: the charts take it. */
	lay_out(16, 60);
	ck_assert(starts_with(row(14), "λ=1.5000  L=150  n=2"));
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
	/* 1001 layers over 80 - 6 columns: 14 a column. */
	ck_assert_ptr_nonnull(strstr(row(0), "activation rms per layer  "
	    "(each column: 14 layers, showing the extreme)"));
	ck_assert_ptr_nonnull(strstr(row(20), "1000"));
}
END_TEST

START_TEST(test_notice)
{
	snprintf(app.notice, sizeof app.notice, "depth is at its maximum");
	lay_out(24, 100);
	ck_assert_int_eq(find_row("depth is at its maximum"), 23);
	/* Too long to share a row: it takes the row above the status line,
	 * and the status line and the verdict stay whole. */
	snprintf(app.notice, sizeof app.notice,
	    "depth is at its maximum, 100000");
	lay_out(16, 60);
	ck_assert_int_eq(find_row("depth is at its maximum, 100000"), 13);
	ck_assert(starts_with(row(13), "depth is at its maximum, 100000"));
	ck_assert(starts_with(row(15), "near-critical:"));
	ck_assert_ptr_nonnull(strstr(row(15), "first-layer gradient"));
	ck_assert(starts_with(row(14), "λ=1.5000  L=150  n=2"));
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
		lay_out(40, 100);
		/* Each key's name on a line with its action's help. */
		for (i = 0; i < n; i++) {
			r = find_row_with(keymap_action_help(t[i].action,
			    ascii), ascii ? t[i].ascii_name : t[i].name);
			ck_assert_msg(r >= 0, "no help line for %s",
			    t[i].ascii_name);
		}
		ck_assert_int_ge(find_row("Esc, q or ? close this"), 0);
	}
	/* Keys of one action share one line. */
	app.ascii = 0;
	lay_out(40, 100);
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
	/* Exactly tall enough at 24 rows: no ellipsis, every line. */
	lay_out(24, 80);
	ck_assert_int_eq(find_row("…"), -1);
	ck_assert_int_ge(find_row("quit"), 0);
}
END_TEST

START_TEST(test_ascii_screen)
{
	const unsigned char *p;
	int r, c;

	act[1] = xmag_from_double(INFINITY);
	act[2] = xmag_from_double(0.0);
	act[3] = xmag_from_double(NAN);
	grad[1] = xmag_pow10(-0.3);
	grad[2] = xmag_pow10(40);
	app.ascii = 1;
	app.help = 1;
	snprintf(app.notice, sizeof app.notice, "width is at its minimum");
	lay_out(30, 120);
	for (r = 0; r < g.rows; r++)
		for (c = 0; c < g.cols; c++)
			for (p = (const unsigned char *)grid_cell(&g, r,
			    c)->glyph; *p; p++)
				ck_assert_uint_lt(*p, 0x80);
	ck_assert_int_ge(find_row("lambda=1.5000  L=150  n=2"), 0);
}
END_TEST

START_TEST(test_tiny_sizes)
{
	static const int sizes[][2] = {
		{12, 40}, {15, 60}, {16, 59}, {1, 1}, {0, 0}, {1, 0}, {0, 1},
		{3, 200}, {200, 3},
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
	ck_assert_str_eq(row(6), "              gradscope needs at least "
	    "60x16; this window is 80x12              ");
	lay_out(1, 1);
	ck_assert_str_eq(row(0), "n");
	/* And back: the full screen again at the minimum size. */
	app.help = 0;
	lay_out(16, 60);
	ck_assert(starts_with(row(14), "λ=1.5000  L=150  n=2"));
	ck_assert_int_eq(find_row("needs"), -1);
}
END_TEST

START_TEST(test_no_result_yet)
{
	/* Before the first compute, the frame and the status line. */
	ck_assert_int_eq(grid_resize(&g, 24, 80), 0);
	view_layout(&g, &app, NULL);
	ck_assert_int_eq(find_row("λ=1.5000  L=150  n=2"), 22);
	ck_assert(row_blank(23));
	ck_assert_int_eq(find_row("activation rms per layer"), 0);
}
END_TEST

Suite *view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("screen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_status_default);
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
	tcase_add_test(tc, test_ascii_screen);
	tcase_add_test(tc, test_tiny_sizes);
	tcase_add_test(tc, test_no_result_yet);
	suite_add_tcase(s, tc);
	return s;
}
