/*
 * viewmod: the registry of the views' modules, from app.h's APP_VIEWS.
 * See include/viewmod.h.
 */
#include "viewmod.h"

#include "act.h"

#define VIEWMOD_ROW(id, module, name) [APP_VIEW_##id] = &view_##module##_module,
static const ViewModule *const viewmod_table[APP_VIEW_COUNT] = {
    APP_VIEWS(VIEWMOD_ROW)};
#undef VIEWMOD_ROW

const ViewModule *viewmod_get(AppView v)
{
	return (unsigned)v < APP_VIEW_COUNT ? viewmod_table[v] : NULL;
}

double viewmod_lambda_end(const EngineConfig *cfg)
{
	static const double ends[] = {2, 5, 10, 20, 50, 100};
	double need = 1.25 * cfg->lambda, slope;
	size_t i;

	/* An activation flatter than the identity at 0 (sigmoid: 1/4)
	 * needs lambda near 1/phi'(0) for its edge: show 2.5 times that,
	 * as the range 0..2.5 shows the edge at 1 of the others. */
	act_phi(cfg->act, 0, &slope);
	if (slope > 0 && slope < 1 && need < 2.5 / slope)
		need = 2.5 / slope;
	for (i = 0; i + 1 < sizeof ends / sizeof ends[0] && ends[i] < need; i++)
		;
	return ends[i];
}

int viewmod_lambda_end_changed(const EngineConfig *job_cfg,
    const EngineConfig *cfg)
{
	return viewmod_lambda_end(job_cfg) != viewmod_lambda_end(cfg);
}
