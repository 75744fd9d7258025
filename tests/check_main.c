/*
 * check_main: the one test runner. Every module's suite runs here, each
 * test in its own process (CK_FORK, unless CK_FORK=no is set to debug),
 * and the run ends with one summary line.
 */
#include "suites.h"

#include <stdlib.h>

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(xmag_suite());
	srunner_add_suite(sr, errmsg_suite());
	srunner_add_suite(sr, outtext_suite());
	srunner_add_suite(sr, rng_suite());
	srunner_add_suite(sr, engine_suite());
	srunner_add_suite(sr, float16_suite());
	srunner_add_suite(sr, fkern_suite());
	srunner_add_suite(sr, act_suite());
	srunner_add_suite(sr, sampler_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, param_suite());
	srunner_add_suite(sr, dump_suite());
	srunner_add_suite(sr, keymap_suite());
	srunner_add_suite(sr, app_suite());
	srunner_add_suite(sr, utf8_suite());
	srunner_add_suite(sr, grid_suite());
	srunner_add_suite(sr, scale_suite());
	srunner_add_suite(sr, logaxis_suite());
	srunner_add_suite(sr, draw_suite());
	srunner_add_suite(sr, chart_suite());
	srunner_add_suite(sr, plots_suite());
	srunner_add_suite(sr, verdict_suite());
	srunner_add_suite(sr, viewmod_suite());
	srunner_add_suite(sr, view_suite());
	srunner_add_suite(sr, svg_suite());
	srunner_add_suite(sr, docs_suite());
	srunner_add_suite(sr, fileio_suite());
	srunner_add_suite(sr, datadir_suite());
	srunner_add_suite(sr, scenario_suite());
	srunner_add_suite(sr, theme_suite());
	srunner_add_suite(sr, theory_suite());
	srunner_add_suite(sr, sweep_suite());
	srunner_add_suite(sr, matrix_suite());
	srunner_add_suite(sr, spectrum_suite());
	srunner_add_suite(sr, train_suite());
	srunner_add_suite(sr, headless_suite());
	srunner_add_suite(sr, screens_suite());
	srunner_add_suite(sr, fuzzregress_suite());
	srunner_add_suite(sr, inspect_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
