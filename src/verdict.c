/*
 * verdict: the sentence that says what a result means. See
 * include/verdict.h.
 */
#include "verdict.h"

#include <stdio.h>

#include "xmag.h"

/* What sets each style apart: around the regime's word, and the sign
 * before a magnitude. */
static const struct {
	const char *before, *after, *times;
} verdict_styles[VERDICT_STYLE_COUNT] = {
    [VERDICT_SCREEN] = {"", "", "×"},
    [VERDICT_ASCII] = {"", "", "x"},
    [VERDICT_SVG] = {"<tspan font-weight=\"bold\">", "</tspan>", "×"},
};

int verdict_format(const EngineResult *res, VerdictStyle style, char *buf,
    size_t len)
{
	char out[XMAG_FORMAT_MAX], g0[XMAG_FORMAT_MAX];
	const char *x;
	EngineRegime r = engine_regime(res);
	int n;

	if ((unsigned)style >= VERDICT_STYLE_COUNT)
		return -1;
	x = verdict_styles[style].times;
	if (xmag_format_prec(res->activation_rms[res->depth], 2, out,
	        sizeof out) < 0 ||
	    xmag_format_prec(res->gradient_rms[0], 2, g0, sizeof g0) < 0)
		return -1;
	n = snprintf(buf, len,
	    r == ENGINE_REGIME_NAN ?
	        "%s%s%s: the float arithmetic broke down (output %s%s, "
	        "first-layer gradient %s%s)" :
	        "%s%s%s: output %s%s, first-layer gradient %s%s",
	    verdict_styles[style].before, engine_regime_name(r),
	    verdict_styles[style].after, x, out, x, g0);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}
