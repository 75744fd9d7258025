/*
 * viewmod: the registry of the views' modules, from app.h's APP_VIEWS.
 * See include/viewmod.h.
 */
#include "viewmod.h"

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
	double need = 1.25 * cfg->lambda;
	size_t i;

	if (cfg->act == ENGINE_ACT_SIGMOID && need < 10)
		need = 10;
	for (i = 0; i + 1 < sizeof ends / sizeof ends[0] && ends[i] < need; i++)
		;
	return ends[i];
}

int viewmod_lambda_end_changed(const EngineConfig *job_cfg,
    const EngineConfig *cfg)
{
	return viewmod_lambda_end(job_cfg) != viewmod_lambda_end(cfg);
}
