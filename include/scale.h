/*
 * scale: which powers of ten a log-scale chart shows.
 *
 * The range follows the data with hysteresis so the axis does not jump on
 * every key: it grows at once to take in new data (rounded out to whole
 * decades), and shrinks only when the data has used less than half of it
 * for a while. It always includes 10^0, the critical line.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_SCALE_H
#define GRADSCOPE_SCALE_H

#include "xmag.h"

typedef struct {
	int lo, hi; /* the chart spans 10^lo .. 10^hi; lo <= 0 <= hi, lo < hi */
	int shrink; /* consecutive updates the data used under half */
	/* The decades the range always includes (a preset's own scale, or
	 * 10^-1 .. 10^1): base_lo <= -1, base_hi >= 1. */
	int base_lo, base_hi;
} Scale;

/* The initial range: 10^-1 .. 10^1. */
void scale_init(Scale *s);

/* A range that starts at, and never shrinks inside, 10^lo .. 10^hi (log10
 * values, rounded out to whole decades and widened to take in
 * 10^-1 .. 10^1): a preset's own scale, held while the data fits in it
 * and grown at once when it does not. */
void scale_init_range(Scale *s, double lo, double hi);

/* log10 of the smallest and largest finite, non-zero values of v[from..to]
 * (inclusive). Returns 0, or -1 if there is none (all 0, inf or nan). */
int scale_extent(const XMag *v, int from, int to, double *lo, double *hi);

/* Moves the range towards [lo, hi] (log10 values) with hysteresis. */
void scale_follow(Scale *s, double lo, double hi);

#endif
