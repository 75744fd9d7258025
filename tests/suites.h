/*
 * suites: the Check suites, one per module, that tests/check_main.c runs
 * in one runner. Each lives in tests/check_<module>.c.
 */
#ifndef GRADSCOPE_SUITES_H
#define GRADSCOPE_SUITES_H

#include <check.h>

Suite *xmag_suite(void);
Suite *errmsg_suite(void);
Suite *outtext_suite(void);
Suite *rng_suite(void);
Suite *engine_suite(void);
Suite *float16_suite(void);
Suite *fkern_suite(void);
Suite *act_suite(void);
Suite *sampler_suite(void);
Suite *cli_suite(void);
Suite *param_suite(void);
Suite *dump_suite(void);
Suite *keymap_suite(void);
Suite *app_suite(void);
Suite *utf8_suite(void);
Suite *grid_suite(void);
Suite *scale_suite(void);
Suite *logaxis_suite(void);
Suite *draw_suite(void);
Suite *chart_suite(void);
Suite *plots_suite(void);
Suite *verdict_suite(void);
Suite *viewmod_suite(void);
Suite *view_suite(void);
Suite *docs_suite(void);
Suite *svg_suite(void);
Suite *fileio_suite(void);
Suite *datadir_suite(void);
Suite *scenario_suite(void);
Suite *theme_suite(void);
Suite *theory_suite(void);
Suite *sweep_suite(void);
Suite *matrix_suite(void);
Suite *spectrum_suite(void);
Suite *train_suite(void);
Suite *headless_suite(void);
Suite *screens_suite(void);
Suite *fuzzregress_suite(void);
Suite *inspect_suite(void);

#endif
