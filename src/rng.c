/*
 * rng: counter-based random draws. See include/rng.h.
 */
#include "rng.h"

#include <math.h>

/* splitmix64's finaliser: a bijection on 64 bits with full avalanche. */
static uint64_t rng_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t rng_bits(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index)
{
	uint64_t key;

	/* Chain the mixes so that every input bit reaches every output bit
	 * and distinct tuples do not collide by simple arithmetic. */
	key = rng_mix(seed + 0x9e3779b97f4a7c15ULL);
	key = rng_mix(key ^ (((uint64_t)stream << 32) | layer));
	return rng_mix(key + index * 0x9e3779b97f4a7c15ULL);
}

double rng_uniform(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index)
{
	/* 52 random bits, offset by half a step: strictly inside (0, 1).
	 * (With 53 bits the half step is not representable near the top
	 * and rounds up to 1.) */
	return ((double)(rng_bits(seed, stream, layer, index) >> 12) + 0.5) *
	    0x1.0p-52;
}

void rng_normals(uint64_t seed, uint32_t stream, uint32_t layer, int n,
    float *out)
{
	const double two_pi = 6.283185307179586476925286766559;
	double r, t;
	int i;

	/* Box-Muller: normals 2k and 2k+1 come from uniforms 2k and 2k+1. */
	for (i = 0; i < n; i += 2) {
		r = sqrt(-2.0 * log(rng_uniform(seed, stream, layer,
		    (uint64_t)i)));
		t = two_pi * rng_uniform(seed, stream, layer, (uint64_t)i + 1);
		out[i] = (float)(r * cos(t));
		if (i + 1 < n)
			out[i + 1] = (float)(r * sin(t));
	}
}
