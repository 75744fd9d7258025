/*
 * logaxis: the arithmetic of a log10 axis. See include/logaxis.h.
 */
#include "logaxis.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>

int logaxis_next_round(int k)
{
	int p = 1;

	if (k > INT_MAX / 10)
		return k;
	while (p <= k / 10)
		p *= 10;
	return k / p == 2 ? 5 * p : 2 * k;
}

int logaxis_step(double per, double gap)
{
	int k = 1;

	while (k * per < gap && k < INT_MAX / 10)
		k = logaxis_next_round(k);
	return k;
}

int logaxis_decade_label(int decade, char *buf, size_t len)
{
	int n = snprintf(buf, len, "1e%+03d", decade);

	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

void logaxis_extent_add(LogExtent *e, XMag v)
{
	double lg = xmag_log10(v);

	if (!isfinite(lg))
		return;
	if (!e->any || lg < e->lo)
		e->lo = lg;
	if (!e->any || lg > e->hi)
		e->hi = lg;
	e->any = 1;
}

void logaxis_decades(const LogExtent *e, int with_one, double *lo, double *hi)
{
	*lo = e->any ? floor(e->lo) : -1;
	*hi = e->any ? ceil(e->hi) : 1;
	if (with_one) {
		*lo = *lo > 0 ? 0 : *lo;
		*hi = *hi < 0 ? 0 : *hi;
	}
	if (*lo >= *hi) {
		*lo -= 1;
		*hi += 1;
	}
	*lo = *lo < -1e9 ? -1e9 : *lo;
	*hi = *hi > 1e9 ? 1e9 : *hi;
}
