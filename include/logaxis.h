/*
 * logaxis: the arithmetic of a log10 axis that the chart, the plot views
 * and the SVG writer share: round label steps (1, 2, 5, 10, 20, 50, ...),
 * decade labels ("1e+04") and the whole decades around a set of values.
 * Where the axis lies on the screen or page is each drawer's own.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_LOGAXIS_H
#define GRADSCOPE_LOGAXIS_H

#include <stddef.h>

#include "xmag.h"

/* The round number after k in 1, 2, 5, 10, 20, 50, ... (k from there);
 * it stops growing near INT_MAX (returns k past INT_MAX / 10). */
int logaxis_next_round(int k);

/* The first round number k (1, 2, 5, ...) with k * per >= gap: every
 * how many decades to label when a decade takes per rows (or px) and
 * labels need gap of them. Stops growing near INT_MAX / 10. */
int logaxis_step(double per, double gap);

/* "1e+04", "1e-46", "1e+00" for a power of ten. Returns the length, or
 * -1 if buf is too small (16 bytes always do). */
int logaxis_decade_label(int decade, char *buf, size_t len);

/* The least and greatest finite log10 of a set of values. */
typedef struct {
	double lo, hi;
	int any; /* 0: none seen yet (lo and hi unset) */
} LogExtent;

/* Takes in v when its log10 is finite (not 0, inf or nan). */
void logaxis_extent_add(LogExtent *e, XMag v);

/* Whole decades around e: lo = floor of its least log10, hi = ceil of
 * its greatest (-1 and 1 when it is empty); with_one, widened to take in
 * 10^0; one decade more either side when they meet. Kept within
 * +-1e9, in int range for the labels: no engine value comes near. */
void logaxis_decades(const LogExtent *e, int with_one, double *lo, double *hi);

#endif
