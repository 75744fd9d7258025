/*
 * rng: counter-based random draws. See include/rng.h.
 */
#include "rng.h"

#include <math.h>
#include <string.h>

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

/* The per-(seed, stream, layer) key: the first two of the three mixes,
 * shared by every index of a stream. */
static uint64_t rng_key(uint64_t seed, uint32_t stream, uint32_t layer)
{
	/* Chain the mixes so that every input bit reaches every output bit
	 * and distinct tuples do not collide by simple arithmetic. */
	uint64_t key = rng_mix(seed + 0x9e3779b97f4a7c15ULL);

	return rng_mix(key ^ (((uint64_t)stream << 32) | layer));
}

uint64_t rng_bits(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index)
{
	return rng_mix(rng_key(seed, stream, layer) +
	    index * 0x9e3779b97f4a7c15ULL);
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define RNG_INLINE __attribute__((always_inline))
#else
#define RNG_INLINE
#endif

/* The exact double of an integer in [0, 2^52), from its bits. */
static inline RNG_INLINE double rng_small_int(uint64_t v)
{
	double d;

	v |= 0x4330000000000000ULL; /* 2^52 + v */
	memcpy(&d, &v, sizeof d);
	return d - 0x1p52;
}

/* 52 random bits, offset by half a step: strictly inside (0, 1). (With
 * 53 bits the half step is not representable near the top and rounds up
 * to 1.) rng_small_int makes the same double as a cast would, but in a
 * form that vectorises: SSE2 and AVX2 have no 64-bit integer conversion. */
static inline RNG_INLINE double rng_to_uniform(uint64_t bits)
{
	return (rng_small_int(bits >> 12) + 0.5) * 0x1.0p-52;
}

double rng_uniform(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index)
{
	return rng_to_uniform(rng_bits(seed, stream, layer, index));
}

/*
 * Box-Muller needs ln, sin and cos. libm's may differ in the last bit
 * between libm versions; these use only IEEE arithmetic, so the draws are
 * the same bits on every machine, and they are accurate to about 1e-15
 * relative, far below the float the draws are rounded to. They are
 * written without branches or calls (selects and bit tricks) so that the
 * loop over pairs in rng_normals vectorises.
 */

/*
 * sqrt(-2 ln u1) cos(2 pi u2) and ... sin(...), for u1, u2 in (0, 1).
 * ln u1: u1 = m 2^k, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s),
 * s = (m - 1)/(m + 1), |s| < 0.1716, series to s^17 (error < 2e-16).
 * sin, cos of 2 pi u2: u2 = q/4 + f, |f| <= 1/8, x = 2 pi f in
 * [-pi/4, pi/4], Taylor series to x^15 / x^16 (error < 2e-16), rotated
 * by q quarter turns.
 */
static inline RNG_INLINE void rng_box_muller(double u1, double u2, double *z0,
    double *z1)
{
	uint64_t b;
	double m, k, s, s2, p, big, r, q, x, x2, sn, cs, odd, sg;

	memcpy(&b, &u1, sizeof b);
	k = rng_small_int((b >> 52) & 0x7ff) - 1023;
	b = (b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
	memcpy(&m, &b, sizeof m);
	big = m > 1.41421356237309504880 ? 1.0 : 0.0;
	m *= 1 - 0.5 * big;
	k += big;
	s = (m - 1) / (m + 1);
	s2 = s * s;
	p = 2.0 / 17;
	p = p * s2 + 2.0 / 15;
	p = p * s2 + 2.0 / 13;
	p = p * s2 + 2.0 / 11;
	p = p * s2 + 2.0 / 9;
	p = p * s2 + 2.0 / 7;
	p = p * s2 + 2.0 / 5;
	p = p * s2 + 2.0 / 3;
	p = p * s2 + 2.0;
	r = sqrt(-2.0 * (k * 0.693147180559945309417232121458 + s * p));

	/* Round 4 u2 to an integer, ties to even, as nearbyint would. */
	q = (4 * u2 + 0x1.8p52) - 0x1.8p52;
	x = (u2 - q * 0.25) * 6.283185307179586476925286766559;
	x2 = x * x;
	sn = -1.0 / 1307674368000.0;
	sn = sn * x2 + 1.0 / 6227020800.0;
	sn = sn * x2 - 1.0 / 39916800.0;
	sn = sn * x2 + 1.0 / 362880.0;
	sn = sn * x2 - 1.0 / 5040.0;
	sn = sn * x2 + 1.0 / 120.0;
	sn = sn * x2 - 1.0 / 6.0;
	sn = x + x * x2 * sn;
	cs = 1.0 / 20922789888000.0;
	cs = cs * x2 - 1.0 / 87178291200.0;
	cs = cs * x2 + 1.0 / 479001600.0;
	cs = cs * x2 - 1.0 / 3628800.0;
	cs = cs * x2 + 1.0 / 40320.0;
	cs = cs * x2 - 1.0 / 720.0;
	cs = cs * x2 + 1.0 / 24.0;
	cs = cs * x2 - 0.5;
	cs = 1 + x2 * cs;
	/* q quarter turns (q in 0..4): odd q swaps sin and cos, q = 2, 3
	 * negate both. Multiplying by 0, 1 or -1 is exact. */
	odd = ((q == 1) | (q == 3)) ? 1.0 : 0.0;
	sg = ((q == 2) | (q == 3)) ? -1.0 : 1.0;
	*z0 = r * (sg * (odd * -sn + (1 - odd) * cs));
	*z1 = r * (sg * (odd * cs + (1 - odd) * sn));
}

/* With GCC on x86-64 this is also built for AVX2, picked at run time; no
 * FMA contraction in ISO C mode, so both give the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void rng_normals(uint64_t seed, uint32_t stream, uint32_t layer, int n,
    float *out)
{
	const uint64_t step = 0x9e3779b97f4a7c15ULL;
	uint64_t key = rng_key(seed, stream, layer), at;
	double z0, z1;
	int j;

	/* Box-Muller: normals 2j and 2j+1 come from uniforms 2j and 2j+1.
	 * One branch-free loop over the whole pairs, which GCC vectorises
	 * as a whole, the hash's 64-bit multiplies included (emulated with
	 * 32-bit ones): hashing in a separate scalar loop, then transforming
	 * the block, took longer. An odd n's last pair is made whole and
	 * only its first normal kept. */
	for (j = 0; j < n / 2; j++) {
		at = key + (uint64_t)(2 * j) * step;
		rng_box_muller(rng_to_uniform(rng_mix(at)),
		    rng_to_uniform(rng_mix(at + step)), &z0, &z1);
		out[2 * j] = (float)z0;
		out[2 * j + 1] = (float)z1;
	}
	if (n % 2 != 0) {
		at = key + (uint64_t)(n - 1) * step;
		rng_box_muller(rng_to_uniform(rng_mix(at)),
		    rng_to_uniform(rng_mix(at + step)), &z0, &z1);
		out[n - 1] = (float)z0;
	}
}
