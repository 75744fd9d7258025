/*
 * verdict: the one sentence that says what a result means, worded here
 * once for the screen and the SVG file: the regime (engine_regime) with
 * the output activation and the first-layer gradient, e.g.
 * "exploding: output ×2.59e+26, first-layer gradient ×2.59e+26", or for
 * nan "nan: the float arithmetic broke down (output ×nan, first-layer
 * gradient ×1.00e+00)". The magnitudes are xmag_format_prec's, 2 digits.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_VERDICT_H
#define GRADSCOPE_VERDICT_H

#include <stddef.h>

#include "engine.h"

/* How the sentence is written: for the screen (× as the sign), the
 * screen in ASCII (x), or SVG character data (×, the regime's word in a
 * bold tspan). */
typedef enum {
	VERDICT_SCREEN,
	VERDICT_ASCII,
	VERDICT_SVG,
	VERDICT_STYLE_COUNT
} VerdictStyle;

/* Writes the verdict for res in style. Returns its length in bytes, or
 * -1 if buf is too small or a magnitude cannot be formatted. */
int verdict_format(const EngineResult *res, VerdictStyle style, char *buf,
    size_t len);

#endif
