/*
 * dump: the headless tables as CSV.
 *
 * The formats are a contract that the view, the tests and users' scripts
 * rely on. Numbers print as xmag_format prints them ("%.6e", also past
 * double range; "0" for an exact zero; "inf"/"nan" where the chosen
 * precision or a diverging run produced them).
 *
 *   --dump:  layer,activation_rms,gradient_rms,weight_gradient_rms,
 *            theory_activation_rms,theory_gradient_rms
 *            one row per layer 0..L, weight_gradient_rms empty at layer 0.
 *   --sweep: lambda,output_activation_rms,input_gradient_rms,
 *            theory_output_activation_rms,theory_input_gradient_rms
 *            one row per lambda, lambda printed with %.10g.
 *   --train: step,loss
 *            one row per step from 0 (the loss before training), and
 *            nothing else (the verdict goes to standard error), so CSV
 *            readers load it as it is.
 *   --spectrum: index,singular_value
 *            one row per singular value of the Jacobian, index 1 the
 *            largest, descending.
 */
#ifndef GRADSCOPE_DUMP_H
#define GRADSCOPE_DUMP_H

#include <stdio.h>

#include "engine.h"
#include "sweep.h"
#include "xmag.h"

/* Writes the per-layer table to out; theory_act and theory_grad hold
 * depth + 1 values (theory_compute's). Returns 0, or -1 if a write
 * failed. */
int dump_csv(FILE *out, const EngineResult *res, const XMag *theory_act,
    const XMag *theory_grad);

/* The sweep's header, and one row. 0, or -1 if a write failed. */
int dump_sweep_header(FILE *out);
int dump_sweep_row(FILE *out, const SweepPoint *p);

/* The training table's header and one row (loss as an XMag prints:
 * "inf"/"nan" for a divergence). 0, or -1 if a write failed. */
int dump_train_header(FILE *out);
int dump_train_row(FILE *out, int step, double loss);

/* The spectrum's header and one row. 0, or -1 if a write failed. */
int dump_spectrum_header(FILE *out);
int dump_spectrum_row(FILE *out, int index, XMag sigma);

#endif
