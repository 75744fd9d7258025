/*
 * check_inspect: the layer cursor, its readout, the mouse's hit testing
 * and the baseline (issue 13), on the grid and the state, without a
 * terminal.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "chart.h"
#include "dump.h"
#include "engine.h"
#include "grid.h"
#include "scenario.h"
#include "svg.h"
#include "sweep.h"
#include "term.h"
#include "theory.h"
#include "view.h"
#include "viewmod.h"

#include "suites.h"

static Engine *eng;
static EngineResult res;
static AppState app;
static Grid g;

static void setup(void)
{
	EngineConfig cfg;
	char err[256];

	engine_config_default(&cfg); /* 1.5 I, linear, 150 layers, width 2 */
	eng = engine_new();
	ck_assert_ptr_nonnull(eng);
	ck_assert_int_eq(engine_compute(eng, &cfg, &res, err, sizeof err), 0);
	app_init(&app, &cfg, 0);
	app_computed(&app, &res);
	memset(&g, 0, sizeof g);
}

static void teardown(void)
{
	grid_free(&g);
	engine_free(eng);
}

static void lay_out(int rows, int cols, const EngineResult *base)
{
	ViewData d;

	memset(&d, 0, sizeof d);
	d.res = &res;
	d.base = base;
	ck_assert_int_eq(grid_resize(&g, rows, cols), 0);
	view_layout(&g, &app, &d);
}

static int find_row(const char *text)
{
	char buf[8192];
	int r;

	for (r = 0; r < g.rows; r++) {
		ck_assert_int_ge(grid_row_text(&g, r, buf, sizeof buf), 0);
		if (strstr(buf, text) != NULL)
			return r;
	}
	return -1;
}

/* Row `layer` of --dump's table for res, split at the commas. */
static void dump_row(int layer, char field[6][64])
{
	XMag *ta = malloc((size_t)(res.depth + 1) * sizeof *ta);
	XMag *tg = malloc((size_t)(res.depth + 1) * sizeof *tg);
	char line[512], err[128], *p, *q;
	TheoryFactor f;
	FILE *out = tmpfile();
	int i;

	ck_assert(ta != NULL && tg != NULL && out != NULL);
	ck_assert_int_eq(theory_compute(&app.cfg, res.activation_rms[0], ta, tg,
	                     &f, err, sizeof err),
	    0);
	ck_assert_int_eq(dump_csv(out, &res, ta, tg), 0);
	rewind(out);
	for (i = 0; i <= layer + 1; i++)
		ck_assert_ptr_nonnull(fgets(line, sizeof line, out));
	line[strcspn(line, "\n")] = '\0';
	for (i = 0, p = line; i < 6; i++, p = q + 1) {
		q = strchr(p, ',');
		if (q == NULL)
			q = p + strlen(p);
		snprintf(field[i], 64, "%.*s", (int)(q - p), p);
		if (*q == '\0')
			break;
	}
	fclose(out);
	free(ta);
	free(tg);
}

START_TEST(test_readout_is_dumps_row)
{
	/* Layer 50 of the default network: activation 1.5^50 exactly (the
	 * identity's closed form), and each number as --dump's row has it. */
	char field[6][64], want[512], buf[512], closed[64];

	dump_row(50, field);
	snprintf(closed, sizeof closed, "%.6e", pow(1.5, 50));
	ck_assert_str_eq(field[1], closed);
	snprintf(want, sizeof want,
	    "layer 50: activation %s  gradient %s  weight gradient %s",
	    field[1], field[2], field[3]);
	view_bars_readout(&res, NULL, NULL, NULL, 50, 50, 0, 200, buf,
	    sizeof buf);
	ck_assert_str_eq(buf, want);
	/* On the screen, at 200 columns, with the cursor there. */
	app.cursor = 1;
	app.cursor_layer = 50;
	lay_out(60, 200, NULL);
	ck_assert_int_ge(find_row(want), 0);
	/* Layer 0 has no weight gradient, as in --dump. */
	view_bars_readout(&res, NULL, NULL, NULL, 0, 0, 0, 200, buf,
	    sizeof buf);
	ck_assert_ptr_null(strstr(buf, "weight"));
}
END_TEST

START_TEST(test_readout_range_and_forms)
{
	/* Layers 10-12 aggregated: the activation's extreme is layer 12's
	 * (it grows), the gradient's layer 10's (it shrinks towards the
	 * output); a narrow line takes the short labels. */
	char buf[512], num[64], want[256];

	view_bars_readout(&res, NULL, NULL, NULL, 10, 12, 0, 300, buf,
	    sizeof buf);
	ck_assert(strncmp(buf, "layers 10–12: activation ", 25) == 0);
	snprintf(num, sizeof num, "%.6e", pow(1.5, 12));
	snprintf(want, sizeof want, "activation %s (layer 12)", num);
	ck_assert_ptr_nonnull(strstr(buf, want));
	ck_assert_ptr_nonnull(strstr(buf, "(layer 10)  weight"));
	ck_assert_int_le(view_bars_readout(&res, NULL, NULL, NULL, 50, 50, 0,
	                     70, buf, sizeof buf),
	    70);
	ck_assert(strncmp(buf, "layer 50: act ", 14) == 0);
	/* The baseline: live / base, and the base's value. Against itself
	 * the ratio is exactly 1. */
	view_bars_readout(&res, NULL, NULL, &res, 50, 50, 0, 400, buf,
	    sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "×1.00 vs baseline"));
}
END_TEST

START_TEST(test_cursor_keys)
{
	/* 151 layers in 74 plot columns: , and . step by columns (column
	 * k starts at layer floor(151 k / 74)), Home and End to 0 and L. */
	ChartAxis ax;
	int k, first, last;

	app_set_columns(&app, 74);
	chart_axis_init(&ax, 151, 74);
	ck_assert_int_eq(app_apply(&app, ACTION_TOGGLE_CURSOR), APP_REDRAW);
	ck_assert_int_eq(app.cursor, 1);
	for (k = 1; k <= 5; k++) {
		app_apply(&app, ACTION_CURSOR_RIGHT);
		chart_column_layers(&ax, k, &first, &last);
		ck_assert_int_eq(app.cursor_layer, first);
		ck_assert_int_eq(first, 151 * k / 74);
	}
	app_apply(&app, ACTION_CURSOR_LAST);
	ck_assert_int_eq(app.cursor_layer, 150);
	app_apply(&app, ACTION_CURSOR_RIGHT);
	ck_assert_int_eq(app.cursor_layer, 150);
	app_apply(&app, ACTION_CURSOR_FIRST);
	ck_assert_int_eq(app.cursor_layer, 0);
	app_apply(&app, ACTION_CURSOR_LEFT);
	ck_assert_int_eq(app.cursor_layer, 0);
	/* Spread layers: one layer a step. */
	app_set_columns(&app, 400);
	app_apply(&app, ACTION_CURSOR_RIGHT);
	ck_assert_int_eq(app.cursor_layer, 1);
	app_apply(&app, ACTION_TOGGLE_CURSOR);
	ck_assert_int_eq(app.cursor, 0);
}
END_TEST

START_TEST(test_cursor_keeps_its_layer)
{
	app.cursor = 1;
	app.cursor_layer = 75;
	app_apply(&app, ACTION_LAMBDA_UP);
	app_apply(&app, ACTION_WIDTH_UP);
	app_apply(&app, ACTION_DEPTH_UP);
	ck_assert_int_eq(app.cursor_layer, 75);
	app.cfg.depth = 80;
	app_apply(&app, ACTION_DEPTH_DOWN);
	ck_assert_int_eq(app.cfg.depth, 79);
	ck_assert_int_eq(app.cursor_layer, 75);
	app.cfg.depth = 75;
	app_apply(&app, ACTION_DEPTH_DOWN);
	ck_assert_int_eq(app.cursor_layer, 74);
}
END_TEST

START_TEST(test_points)
{
	AppPoint p = {APP_POINT_CELL, 0, 0.55, 56, 0};

	app.view = APP_VIEW_MAP;
	ck_assert(app_point(&app, &p) & APP_RECOMPUTE);
	ck_assert_int_eq(app.view, APP_VIEW_BARS);
	ck_assert(app.cfg.lambda == 0.55);
	ck_assert_int_eq(app.cfg.depth, 56);
	p.kind = APP_POINT_WHEEL;
	p.dir = 1;
	app_point(&app, &p);
	ck_assert(fabs(app.cfg.lambda - 0.56) < 1e-12);
	p.dir = -1;
	app_point(&app, &p);
	app_point(&app, &p);
	ck_assert(fabs(app.cfg.lambda - 0.54) < 1e-12);
	p.kind = APP_POINT_LAMBDA;
	p.lambda = 1.28;
	app_point(&app, &p);
	ck_assert(app.cfg.lambda == 1.28);
	p.kind = APP_POINT_LAYER;
	p.layer = 999;
	app_point(&app, &p);
	ck_assert_int_eq(app.cursor, 1);
	ck_assert_int_eq(app.cursor_layer, 56);
	p.kind = APP_POINT_NONE;
	ck_assert_int_eq(app_point(&app, &p), 0);
	app.help = 1;
	p.kind = APP_POINT_WHEEL;
	ck_assert_int_eq(app_point(&app, &p), 0);
}
END_TEST

START_TEST(test_hit_bars)
{
	/* At 80x24 with no caption: the gutter is 6 (chart_gutter of the
	 * scales), the plot 74 columns; a click on plot column k points at
	 * its first layer, on both charts; the title rows, the gutter, the
	 * status line and the verdict point at nothing; the wheel anywhere
	 * over the charts moves lambda. */
	ViewData d;
	AppPoint p;
	ChartAxis ax;
	int gutter = chart_gutter(&app.act_scale), k, first, last;

	if (chart_gutter(&app.grad_scale) > gutter)
		gutter = chart_gutter(&app.grad_scale);
	memset(&d, 0, sizeof d);
	d.res = &res;
	ck_assert_int_eq(view_bar_columns(24, 80, &app), 80 - gutter);
	chart_axis_init(&ax, 151, 80 - gutter);
	for (k = 0; k < 80 - gutter; k += 7) {
		chart_column_layers(&ax, k, &first, &last);
		ck_assert_int_eq(view_point(24, 80, &app, &d, 3, gutter + k, 1,
		                     &p),
		    APP_POINT_LAYER);
		ck_assert_int_eq(p.layer, first);
		ck_assert_int_eq(view_point(24, 80, &app, &d, 15, gutter + k, 1,
		                     &p),
		    APP_POINT_LAYER);
		ck_assert_int_eq(p.layer, first);
	}
	ck_assert_int_eq(view_point(24, 80, &app, &d, 0, 30, 1, &p),
	    APP_POINT_NONE);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 5, 2, 1, &p),
	    APP_POINT_NONE);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 22, 30, 1, &p),
	    APP_POINT_NONE);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 23, 30, 1, &p),
	    APP_POINT_NONE);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 5, 30, 3, &p),
	    APP_POINT_NONE);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 5, 30, 4, &p),
	    APP_POINT_WHEEL);
	ck_assert_int_eq(p.dir, 1);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 5, 30, 5, &p),
	    APP_POINT_WHEEL);
	ck_assert_int_eq(p.dir, -1);
	ck_assert_int_eq(view_point(24, 80, &app, &d, 22, 30, 4, &p),
	    APP_POINT_NONE);
	app.help = 1;
	ck_assert_int_eq(view_point(24, 80, &app, &d, 3, 30, 1, &p),
	    APP_POINT_NONE);
}
END_TEST

START_TEST(test_mouse_codes)
{
	int b, r, c;

	ck_assert(term_mouse_decode(TERM_MOUSE_KEY(4, 499, 999), &b, &r, &c));
	ck_assert_int_eq(b, 4);
	ck_assert_int_eq(r, 499);
	ck_assert_int_eq(c, 999);
	ck_assert(!term_mouse_decode('x', &b, &r, &c));
	ck_assert(!term_mouse_decode(KEYMAP_KEY_END, &b, &r, &c));
}
END_TEST

START_TEST(test_baseline_drawn_and_scaled)
{
	/* A baseline one hundred times smaller everywhere: the scale takes
	 * in both, the legend names its settings as the status line does,
	 * a ◇ marks it, and the readout says ×100. */
	static XMag ba[151], bg[151], bw[151];
	EngineResult base = {.depth = 150,
	    .activation_rms = ba,
	    .gradient_rms = bg,
	    .weight_gradient_rms = bw};
	char buf[512];
	int l, lo_before = app.act_scale.lo;

	for (l = 0; l <= 150; l++) {
		ba[l] = xmag_div(res.activation_rms[l], xmag_pow10(2));
		bg[l] = xmag_div(res.gradient_rms[l], xmag_pow10(2));
		bw[l] = xmag_div(res.weight_gradient_rms[l], xmag_pow10(2));
	}
	ck_assert(app_apply(&app, ACTION_BASELINE) & APP_BASELINE);
	ck_assert_int_eq(app.baseline, 1);
	app_computed_with(&app, &res, &base);
	ck_assert_int_le(app.act_scale.lo, -2);
	ck_assert_int_le(app.act_scale.lo, lo_before);
	lay_out(24, 80, &base);
	ck_assert_int_ge(find_row("baseline: λ=1.5000  L=150  n=2"), 0);
	ck_assert_int_ge(find_row("◇"), 0);
	ck_assert_int_ge(find_row("1e+00   ◇ baseline   ▲ inf"), 0);
	view_bars_readout(&res, NULL, NULL, &base, 50, 50, 0, 400, buf,
	    sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "×100.00 vs baseline"));
	ck_assert(app_apply(&app, ACTION_BASELINE_CLEAR) & APP_RESCALE);
	ck_assert_int_eq(app.baseline, 0);
	app_apply(&app, ACTION_BASELINE_CLEAR);
	ck_assert_str_eq(app.notice, "no baseline to clear: b pins one");
}
END_TEST

/* Writes text to a scratch file and loads it. */
static int load_text(const char *text, Scenario *sc, char *err, size_t len)
{
	char path[] = "/tmp/check_inspect.XXXXXX", warn[256];
	int fd = mkstemp(path), rc;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	rc = scenario_load(path, sc, warn, sizeof warn, err, len);
	unlink(path);
	return rc;
}

START_TEST(test_preset_baseline)
{
	/* "baseline" takes the step's own fields for those it leaves out;
	 * opening the step pins it and asks the loop to compute it. */
	static Scenario sc;
	char err[256];

	ck_assert_int_eq(load_text("{\"lambda\": 0.9, \"depth\": 40, "
	                           "\"activation\": \"tanh\", "
	                           "\"baseline\": {\"lambda\": 1}}",
	                     &sc, err, sizeof err),
	    0);
	ck_assert_int_eq(sc.steps[0].has_baseline, 1);
	ck_assert(sc.steps[0].baseline.lambda == 1.0);
	ck_assert_int_eq(sc.steps[0].baseline.depth, 40);
	ck_assert_int_eq(sc.steps[0].baseline.act, sc.steps[0].cfg.act);
	ck_assert(sc.steps[0].cfg.lambda == 0.9);
	ck_assert(app_open(&app, &sc, 0) & APP_BASELINE_CFG);
	ck_assert_int_eq(app.baseline, 1);
	ck_assert(app.baseline_cfg.lambda == 1.0);
	ck_assert(app.cfg.lambda == 0.9);
	/* Without one: none, and a pinned baseline stays. */
	ck_assert_int_eq(load_text("{\"lambda\": 0.9}", &sc, err, sizeof err),
	    0);
	ck_assert_int_eq(sc.steps[0].has_baseline, 0);
	ck_assert(!(app_open(&app, &sc, 0) & APP_BASELINE_CFG));
	ck_assert_int_eq(app.baseline, 1);
	/* Refusals: not an object, a value out of range. */
	ck_assert_int_eq(load_text("{\"baseline\": 3}", &sc, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "\"baseline\" is a number"));
	ck_assert_int_eq(load_text("{\"baseline\": {\"lambda\": 1000}}", &sc,
	                     err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "\"lambda\": 1000 is out of range"));
}
END_TEST

/* The SVG of res with base (or none) as one string. */
static char *svg_text_of(const EngineResult *base, const EngineConfig *bcfg)
{
	FILE *f = tmpfile();
	static char buf[1 << 20];
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(svg_write_baseline(f, &app.cfg, &res, "t", 0, base,
	                     bcfg),
	    0);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_svg_baseline)
{
	/* A baseline 10^40 times smaller: a dashed path per chart, the
	 * legend line from param_line, and a scale down to 1e-40 that the
	 * live bars alone (1 .. 2.6e+26) would not need. */
	static XMag ba[151], bg[151], bw[151];
	EngineResult base = {.depth = 150,
	    .activation_rms = ba,
	    .gradient_rms = bg,
	    .weight_gradient_rms = bw};
	EngineConfig bcfg = app.cfg;
	const char *svg, *p;
	int l, paths = 0;

	for (l = 0; l <= 150; l++)
		ba[l] = bg[l] = bw[l] = xmag_pow10(-40);
	bcfg.lambda = 1;
	svg = svg_text_of(NULL, NULL);
	ck_assert_ptr_null(strstr(svg, "baseline"));
	ck_assert_ptr_null(strstr(svg, ">1e-40<"));
	svg = svg_text_of(&base, &bcfg);
	for (p = svg; (p = strstr(p, "<path class=\"baseline\"")) != NULL; p++)
		paths++;
	ck_assert_int_eq(paths, 2);
	ck_assert_ptr_nonnull(strstr(svg, "baseline (dashed): λ=1 · L=150"));
	ck_assert_ptr_nonnull(strstr(svg, ">1e-40<"));
}
END_TEST

START_TEST(test_sweep_baseline_points)
{
	/* 11 live points at 10^2 and 11 baseline points at 10^-2 (output)
	 * and 10^-3 (gradient): each baseline point is a ○ and a ◇ in its
	 * own column, below the line, and the legend names them. */
	SweepPoint p[11], b[11];
	DrawRect r = {0, 0, 20, 80};
	int i, x, y, circles = 0, diamonds = 0;

	memset(p, 0, sizeof p);
	for (i = 0; i < 11; i++) {
		p[i].lambda = i * 0.2;
		p[i].output_rms = p[i].input_gradient = xmag_pow10(2);
		p[i].theory_output = p[i].theory_gradient = xmag_pow10(2);
		p[i].done = 1;
		b[i] = p[i];
		b[i].output_rms = xmag_pow10(-2);
		b[i].input_gradient = xmag_pow10(-3);
	}
	ck_assert_int_eq(grid_resize(&g, 20, 80), 0);
	view_sweep_plot_base(&g, r, p, 11, 1.0, 1.0, 0, 1, 0, b, 11);
	for (y = 0; y < 20; y++)
		for (x = 0; x < 80; x++) {
			circles += strcmp(grid_cell(&g, y, x)->glyph, "○") == 0;
			diamonds += strcmp(grid_cell(&g, y, x)->glyph, "◇") ==
			    0;
		}
	ck_assert_int_eq(circles, 11 + 1); /* and the legend's */
	ck_assert_int_eq(diamonds, 11 + 1);
	ck_assert_int_ge(find_row("○◇ baseline"), 0);
	/* Without a baseline, none. */
	view_sweep_plot(&g, r, p, 11, 1.0, 1.0, 0, 1, 0);
	ck_assert_int_eq(find_row("○"), -1);
}
END_TEST

Suite *inspect_suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *tc = tcase_create("cursor");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_readout_is_dumps_row);
	tcase_add_test(tc, test_readout_range_and_forms);
	tcase_add_test(tc, test_cursor_keys);
	tcase_add_test(tc, test_cursor_keeps_its_layer);
	tcase_add_test(tc, test_points);
	tcase_add_test(tc, test_hit_bars);
	tcase_add_test(tc, test_mouse_codes);
	tcase_add_test(tc, test_baseline_drawn_and_scaled);
	tcase_add_test(tc, test_preset_baseline);
	tcase_add_test(tc, test_svg_baseline);
	tcase_add_test(tc, test_sweep_baseline_points);
	suite_add_tcase(s, tc);
	return s;
}
