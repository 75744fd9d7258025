/*
 * dump: the headless per-layer table as CSV.
 *
 * The format is a contract that the view, the tests and users' scripts rely
 * on: the header "layer,activation_rms,gradient_rms,weight_gradient_rms",
 * then one row per layer 0..L, numbers as xmag_format prints them ("%.6e",
 * also past double range; "0" for an exact zero; "inf"/"nan" where the
 * chosen precision produced them), weight_gradient_rms empty at layer 0.
 */
#ifndef GRADSCOPE_DUMP_H
#define GRADSCOPE_DUMP_H

#include <stdio.h>

#include "engine.h"

/* Writes the table to out. Returns 0, or -1 if a write failed. */
int dump_csv(FILE *out, const EngineResult *res);

#endif
