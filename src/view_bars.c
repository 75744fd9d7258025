/*
 * view_bars: the per-layer bar charts, the view the live screen opens
 * with. See include/viewmod.h.
 *
 * Two log-scale charts (chart.h) stacked in the rectangle: activation
 * rms above (floor(charts / 2) rows), gradient rms (or, with the weight
 * chart, weight-gradient rms) below, over one shared ChartAxis and
 * gutter (wide enough for either scale's labels), so that a layer sits
 * in the same columns in each; the layer numbers under them and, on a
 * screen of VIEW_LEGEND_ROWS rows or more, the glyph legend, which runs
 * under the caption box to the screen's right edge. The weight-gradient
 * chart has no layer 0 and leaves that column empty; the theory has no
 * weight-gradient column, so its markers go on the other two charts
 * only. With no result yet the frames are drawn. No job.
 */
#include "viewmod.h"

#include "chart.h"

/* The two bar charts, with the theory's markers when the overlay is on. */
static void view_bars_draw(Grid *g, DrawRect r, const AppState *app,
    const ViewData *d)
{
	const EngineResult *res = d->res;
	int legend = g->rows >= VIEW_LEGEND_ROWS;
	int charts = r.rows - 1 - legend, width = r.cols;
	ChartAxis ax;
	Chart act, grad;
	int top = charts / 2, gutter, depth;

	gutter = chart_gutter(&app->act_scale);
	if (chart_gutter(&app->grad_scale) > gutter)
		gutter = chart_gutter(&app->grad_scale);
	depth = res != NULL ? res->depth : app->cfg.depth;
	chart_axis_init(&ax, depth + 1, width - gutter);

	act.title = "activation rms per layer";
	act.values = res != NULL ? res->activation_rms : NULL;
	act.first = 0;
	act.scale = &app->act_scale;
	act.ascii = app->ascii;
	grad = act;
	grad.scale = &app->grad_scale;
	if (app->weight_chart) {
		grad.title = "weight gradient rms per layer";
		grad.values = res != NULL ? res->weight_gradient_rms : NULL;
		grad.first = 1;
	} else {
		grad.title = "gradient rms per layer";
		grad.values = res != NULL ? res->gradient_rms : NULL;
	}
	chart_layout(g, r.top, r.left, top, gutter, &ax, &act);
	chart_layout(g, r.top + top, r.left, charts - top, gutter, &ax, &grad);
	/* The theory has no weight-gradient column: no markers there. */
	chart_theory(g, r.top, r.left, top, gutter, &ax, &act, d->theory_act);
	if (!app->weight_chart)
		chart_theory(g, r.top + top, r.left, charts - top, gutter, &ax,
		    &grad, d->theory_grad);
	chart_layer_labels(g, r.top + charts, r.left, gutter, &ax);
	if (legend)
		chart_legend_theory(g, r.top + charts + 1, r.left + gutter,
		    g->cols - r.left - gutter, app->ascii, app->theory);
}

const ViewModule view_bars_module = {
    .job_new = NULL,
    .presenter = 1,
    .draw = view_bars_draw,
};
