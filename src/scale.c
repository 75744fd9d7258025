/*
 * scale: which powers of ten a log-scale chart shows. See include/scale.h.
 *
 * The rule. The data [lo, hi] (log10) is rounded out to whole decades and
 * widened to take in at least 10^-1 .. 10^1, so that the critical line
 * always has a decade on each side: want = [min(floor lo, -1),
 * max(ceil hi, 1)]. A preset's own range (scale_init_range) widens want
 * the same way, to its base_lo .. base_hi.
 *   - Grow at once: an end of the range that does not cover want moves
 *     out to it in the same update, so no bar is ever clipped for long.
 *   - Shrink slowly: when want spans less than half of the range, the
 *     update counts; after SCALE_SHRINK_AFTER such updates in a row the
 *     range becomes want. Any update that uses half or more resets the
 *     count. Stepping lambda down from an explosion therefore keeps the
 *     axis still for a few keys instead of relabelling it on every one.
 */
#include "scale.h"

#include <math.h>

/* Consecutive under-half updates before the range shrinks. */
#define SCALE_SHRINK_AFTER 3

/* Decades past this are clamped so that the int conversions below stay
 * defined; the engine's largest magnitudes are far inside it. */
#define SCALE_DECADES_MAX 100000000.0

void scale_init(Scale *s)
{
	s->lo = s->base_lo = -1;
	s->hi = s->base_hi = 1;
	s->shrink = 0;
}

int scale_extent(const XMag *v, int from, int to, double *lo, double *hi)
{
	XMag min = {0, 0}, max = {0, 0};
	int l, found = 0;

	/* Comparing XMags is cheaper than a log10 per layer: find the ends
	 * first, take their logarithms once. */
	for (l = from; l <= to; l++) {
		if (!xmag_is_finite(v[l]) || xmag_is_zero(v[l]))
			continue;
		if (!found || xmag_cmp(v[l], min) < 0)
			min = v[l];
		if (!found || xmag_cmp(v[l], max) > 0)
			max = v[l];
		found = 1;
	}
	if (!found)
		return -1;
	*lo = xmag_log10(min);
	*hi = xmag_log10(max);
	return 0;
}

static int scale_decade(double x)
{
	if (x > SCALE_DECADES_MAX)
		return (int)SCALE_DECADES_MAX;
	if (x < -SCALE_DECADES_MAX)
		return -(int)SCALE_DECADES_MAX;
	return (int)x;
}

void scale_init_range(Scale *s, double lo, double hi)
{
	scale_init(s);
	if (isnan(lo) || isnan(hi))
		return;
	if (lo > hi) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	if (scale_decade(floor(lo)) < s->base_lo)
		s->base_lo = scale_decade(floor(lo));
	if (scale_decade(ceil(hi)) > s->base_hi)
		s->base_hi = scale_decade(ceil(hi));
	s->lo = s->base_lo;
	s->hi = s->base_hi;
}

void scale_follow(Scale *s, double lo, double hi)
{
	int want_lo, want_hi;

	/* No finite data (all 0, inf or nan): nothing to follow. */
	if (isnan(lo) || isnan(hi) || isinf(lo) || isinf(hi))
		return;
	if (lo > hi) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	want_lo = scale_decade(floor(lo));
	want_hi = scale_decade(ceil(hi));
	if (want_lo > s->base_lo)
		want_lo = s->base_lo;
	if (want_hi < s->base_hi)
		want_hi = s->base_hi;

	if (want_lo < s->lo)
		s->lo = want_lo;
	if (want_hi > s->hi)
		s->hi = want_hi;

	/* In long arithmetic: spans can reach twice SCALE_DECADES_MAX. */
	if (2 * ((long long)want_hi - want_lo) < (long long)s->hi - s->lo) {
		if (++s->shrink >= SCALE_SHRINK_AFTER) {
			s->lo = want_lo;
			s->hi = want_hi;
			s->shrink = 0;
		}
	} else {
		s->shrink = 0;
	}
}
