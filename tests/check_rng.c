/*
 * check_rng: the counter-based draws. Every seed here is fixed, so the
 * statistical tests are deterministic. Each threshold comes from a stated
 * false-alarm probability alpha (the chance that a sound generator would
 * have failed for the seeds chosen): either five standard errors (two-sided
 * alpha ~6e-7 under the normal approximation) or an alpha named where the
 * critical value is derived.
 */
#include "rng.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

#define SEED UINT64_C(0x5eed5eed12345678)
#define N_STAT 1000000 /* draws for the statistical tests */

static float *draw(uint64_t seed, uint32_t stream, uint32_t layer, int n)
{
	float *out = malloc((size_t)n * sizeof *out);

	ck_assert_ptr_nonnull(out);
	rng_normals(seed, stream, layer, n, out);
	return out;
}

static double normal_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2.0));
}

/* Sample correlation of the n pairs (x[i], y[i]). */
static double correlation(const float *x, const float *y, int n)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, cov, vx, vy;
	int i;

	for (i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += (double)x[i] * x[i];
		syy += (double)y[i] * y[i];
		sxy += (double)x[i] * y[i];
	}
	cov = sxy / n - (sx / n) * (sy / n);
	vx = sxx / n - (sx / n) * (sx / n);
	vy = syy / n - (sy / n) * (sy / n);
	return cov / sqrt(vx * vy);
}

static int popcount64(uint64_t x)
{
	int n = 0;

	for (; x != 0; x &= x - 1)
		n++;
	return n;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* ---------------------------------------------------------------------- */
/* Bits                                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_rng_deterministic)
{
	static const struct {
		uint64_t seed;
		uint32_t stream, layer;
		uint64_t index;
	} keys[] = {
	    {0, 0, 0, 0},
	    {1, RNG_STREAM_INPUT, 0, 0},
	    {SEED, RNG_STREAM_FORWARD, 17, 123456},
	    {UINT64_MAX, UINT32_MAX, UINT32_MAX, UINT64_MAX},
	};
	float a[33], b[33];
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		uint64_t x = rng_bits(keys[i].seed, keys[i].stream,
		    keys[i].layer, keys[i].index);
		uint64_t y = rng_bits(keys[i].seed, keys[i].stream,
		    keys[i].layer, keys[i].index);
		double u = rng_uniform(keys[i].seed, keys[i].stream,
		    keys[i].layer, keys[i].index);
		double v = rng_uniform(keys[i].seed, keys[i].stream,
		    keys[i].layer, keys[i].index);

		ck_assert_msg(x == y, "key %zu: bits %016llx then %016llx", i,
		    (unsigned long long)x, (unsigned long long)y);
		ck_assert_msg(u == v, "key %zu: uniform %a then %a", i, u, v);
		rng_normals(keys[i].seed, keys[i].stream, keys[i].layer, 33, a);
		rng_normals(keys[i].seed, keys[i].stream, keys[i].layer, 33, b);
		ck_assert_msg(memcmp(a, b, sizeof a) == 0,
		    "key %zu: two rng_normals calls differ", i);
	}
}
END_TEST

/* Flipping any one input bit changes the output, and changes about half
 * of its 64 bits on average (avalanche). */
START_TEST(test_rng_each_field_matters)
{
	const int n_base = 200;
	double flips = 0, mean, tol;
	long samples = 0;
	uint64_t seed, index, base, other;
	uint32_t stream, layer;
	int k, bit, field;

	for (k = 0; k < n_base; k++) {
		seed = SEED * (uint64_t)(k + 1);
		stream = (uint32_t)k % 5;
		layer = (uint32_t)k * 7;
		index = (uint64_t)k * 1000003;
		base = rng_bits(seed, stream, layer, index);
		for (field = 0; field < 4; field++) {
			for (bit = 0;
			     bit < (field == 1 || field == 2 ? 32 : 64);
			     bit++) {
				other = rng_bits(seed ^
				        (field == 0 ? UINT64_C(1) << bit : 0),
				    stream ^
				        (field == 1 ? UINT32_C(1) << bit : 0),
				    layer ^
				        (field == 2 ? UINT32_C(1) << bit : 0),
				    index ^
				        (field == 3 ? UINT64_C(1) << bit : 0));
				ck_assert_msg(other != base,
				    "field %d bit %d: same bits %016llx", field,
				    bit, (unsigned long long)base);
				flips += popcount64(other ^ base);
				samples++;
			}
		}
	}
	/* Each of 64 output bits flips with probability 1/2: the count has
	 * mean 32 and standard deviation 4; allow 5 standard errors. */
	mean = flips / (double)samples;
	tol = 5 * 4 / sqrt((double)samples);
	ck_assert_msg(fabs(mean - 32) < tol,
	    "mean output bits flipped %.4f, want 32 +- %.4f over %ld flips",
	    mean, tol, samples);
}
END_TEST

/* No two keys of a dense grid of small values share their 64 bits (a
 * hash of 2^17 inputs collides by chance with probability ~2^-30). */
START_TEST(test_rng_no_collisions)
{
	const int n = 16 * 8 * 16 * 64;
	uint64_t *v = malloc((size_t)n * sizeof *v);
	int s, st, l, i, k = 0;

	ck_assert_ptr_nonnull(v);
	for (s = 0; s < 16; s++)
		for (st = 0; st < 8; st++)
			for (l = 0; l < 16; l++)
				for (i = 0; i < 64; i++)
					v[k++] = rng_bits((uint64_t)s,
					    (uint32_t)st, (uint32_t)l,
					    (uint64_t)i);
	qsort(v, (size_t)n, sizeof *v, cmp_u64);
	for (k = 1; k < n && v[k] != v[k - 1]; k++)
		;
	ck_assert_msg(k == n, "two small keys share bits %016llx",
	    (unsigned long long)v[k - 1]);
	free(v);
}
END_TEST

/* Every byte of the output is uniform: a chi-square test on each of the 8
 * bytes over 2^20 indices, at alpha = 1e-4 per byte. */
START_TEST(test_rng_bytes_uniform)
{
	const int n = 1 << 20, df = 255;
	/* Wilson-Hilferty: chi2 quantile ~ df (1 - 2/(9df) + z sqrt(2/(9df)))^3,
	 * z = 3.719 the upper 1e-4 normal quantile. */
	const double h = 2.0 / (9.0 * df);
	const double crit = df * pow(1 - h + 3.719 * sqrt(h), 3);
	static long count[8][256];
	double chi2, dev, e = n / 256.0;
	uint64_t x;
	int i, b, c;

	memset(count, 0, sizeof count);
	for (i = 0; i < n; i++) {
		x = rng_bits(SEED, RNG_STREAM_TEST, 3, (uint64_t)i);
		for (b = 0; b < 8; b++)
			count[b][(x >> (8 * b)) & 0xff]++;
	}
	for (b = 0; b < 8; b++) {
		chi2 = 0;
		for (c = 0; c < 256; c++) {
			dev = (double)count[b][c] - e;
			chi2 += dev * dev / e;
		}
		ck_assert_msg(chi2 < crit, "byte %d: chi2 %.1f >= %.1f", b,
		    chi2, crit);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Uniforms                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_rng_uniform_open_interval)
{
	const int n = N_STAT;
	double u, sum = 0, lo = 1, hi = 0, tol;
	int i, bad = -1;

	/* One assertion after the loop: Check records every assertion that
	 * passes, which would dominate a million-draw loop. */
	for (i = 0; i < n; i++) {
		u = rng_uniform(SEED, RNG_STREAM_TEST, (uint32_t)i & 7,
		    (uint64_t)i);
		if (!(u > 0 && u < 1) && bad < 0)
			bad = i;
		sum += u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	ck_assert_msg(bad < 0, "index %d: uniform %a, not in (0, 1)", bad,
	    bad < 0 ? 0.5 :
	              rng_uniform(SEED, RNG_STREAM_TEST, (uint32_t)bad & 7,
	                  (uint64_t)bad));
	/* Mean of U(0,1): 1/2, standard deviation sqrt(1/12). */
	tol = 5 * sqrt(1.0 / 12.0 / n);
	ck_assert_msg(fabs(sum / n - 0.5) < tol, "mean %.6f, want 0.5 +- %.6f",
	    sum / n, tol);
	/* The extremes of n uniforms are within ~1/n of the ends; 20/n fails
	 * with probability e^-20. */
	ck_assert_msg(lo < 20.0 / n && hi > 1 - 20.0 / n, "min %g max %g", lo,
	    hi);
}
END_TEST

/*
 * The extreme bit patterns map strictly inside (0, 1). A draw of 53 ones
 * happens once in 2^53, so no sampling finds it; instead the test reaches
 * it through the hash. rng.c makes bits as splitmix64's finaliser of
 * key + index * golden, and that finaliser is a bijection, so inverting it
 * (written here from the algorithm, not taken from rng.c) gives the index
 * whose bits are any chosen value. The first assertion checks that
 * premise, so a change of hash shows up as that, not as a false alarm.
 */
#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)

static uint64_t unxorshift(uint64_t y, int s)
{
	uint64_t x = y;
	int i;

	for (i = 0; i < 64 / s + 1; i++)
		x = y ^ (x >> s);
	return x;
}

static uint64_t mul_inverse(uint64_t c)
{
	uint64_t v = c; /* c * c == 1 mod 8 for odd c: 3 bits to start */
	int i;

	for (i = 0; i < 5; i++)
		v *= 2 - c * v;
	return v;
}

static uint64_t unmix(uint64_t y)
{
	y = unxorshift(y, 31);
	y *= mul_inverse(UINT64_C(0x94d049bb133111eb));
	y = unxorshift(y, 27);
	y *= mul_inverse(UINT64_C(0xbf58476d1ce4e5b9));
	return unxorshift(y, 30);
}

static uint64_t index_for_bits(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t want)
{
	uint64_t key = unmix(rng_bits(seed, stream, layer, 0));

	return (unmix(want) - key) * mul_inverse(GOLDEN);
}

START_TEST(test_rng_uniform_extremes)
{
	static const uint64_t patterns[] = {
	    0,
	    UINT64_C(0x7ff),
	    UINT64_C(1) << 11,
	    UINT64_C(0x7fffffffffffffff),
	    UINT64_C(0x8000000000000000),
	    ~UINT64_C(0x7ff),
	    UINT64_MAX,
	};
	uint64_t idx, bits;
	double u;
	size_t i;

	for (i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		idx = index_for_bits(SEED, RNG_STREAM_TEST, 9, patterns[i]);
		bits = rng_bits(SEED, RNG_STREAM_TEST, 9, idx);
		ck_assert_msg(bits == patterns[i],
		    "premise: index %llu gives bits %016llx, not %016llx "
		    "(did the hash change?)",
		    (unsigned long long)idx, (unsigned long long)bits,
		    (unsigned long long)patterns[i]);
		u = rng_uniform(SEED, RNG_STREAM_TEST, 9, idx);
		ck_assert_msg(u > 0 && u < 1,
		    "bits %016llx (index %llu): uniform %a, not in (0, 1)",
		    (unsigned long long)bits, (unsigned long long)idx, u);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Normals                                                                */
/* ---------------------------------------------------------------------- */

/* The engine caches rows of draws and extends them: the first k of an
 * n-draw must be the k-draw, bit for bit, whatever the parities. */
START_TEST(test_rng_normals_prefix)
{
	static const int sizes[] = {1, 2, 3, 4, 5, 8, 9, 64, 65, 1000, 1001};
	const int ns = (int)(sizeof sizes / sizeof sizes[0]);
	float full[1002], part[1002];
	int a, b, n, k;

	for (a = 0; a < ns; a++) {
		n = sizes[a];
		/* A sentinel past the end: odd n must not write a pair. */
		full[n] = -12345.0f;
		rng_normals(SEED, RNG_STREAM_FORWARD, 4, n, full);
		ck_assert_msg(full[n] == -12345.0f,
		    "rng_normals(n=%d) wrote out[%d] = %g", n, n, full[n]);
		for (b = 0; b <= a; b++) {
			k = sizes[b];
			part[k] = -12345.0f;
			rng_normals(SEED, RNG_STREAM_FORWARD, 4, k, part);
			ck_assert_msg(memcmp(full, part,
			                  (size_t)k * sizeof *part) == 0 &&
			        part[k] == -12345.0f,
			    "first %d of %d draws differ from a %d-draw", k, n,
			    k);
		}
	}
	/* n = 0 writes nothing. */
	part[0] = -12345.0f;
	rng_normals(SEED, RNG_STREAM_FORWARD, 4, 0, part);
	ck_assert_msg(part[0] == -12345.0f, "n=0 wrote out[0] = %g", part[0]);
}
END_TEST

START_TEST(test_rng_normal_moments)
{
	const int n = N_STAT;
	float *x = draw(SEED, RNG_STREAM_TEST, 0, n);
	double s = 0, ss = 0, mean, var, tm, tv;
	int i;

	for (i = 0; i < n; i++)
		s += x[i];
	/* A single inf or nan draw would make the sum non-finite. */
	ck_assert_msg(isfinite(s), "sum of draws %g", s);
	mean = s / n;
	for (i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	var = ss / (n - 1);
	/* Standard errors: 1/sqrt(N) for the mean, sqrt(2/N) for the
	 * variance of a normal sample. */
	tm = 5 / sqrt((double)n);
	tv = 5 * sqrt(2.0 / n);
	ck_assert_msg(fabs(mean) < tm, "mean %.6f, want 0 +- %.6f", mean, tm);
	ck_assert_msg(fabs(var - 1) < tv, "variance %.6f, want 1 +- %.6f", var,
	    tv);
	free(x);
}
END_TEST

START_TEST(test_rng_normal_ks)
{
	const int n = N_STAT;
	/* Kolmogorov's limit: P(sqrt(N) D > c) ~ 2 exp(-2 c^2), so for
	 * alpha = 1e-3, c = sqrt(ln(2 / alpha) / 2) ~ 1.949. */
	const double alpha = 1e-3;
	const double crit = sqrt(log(2 / alpha) / 2) / sqrt((double)n);
	float *x = draw(SEED, RNG_STREAM_TEST, 1, n);
	double d = 0, f, lo, hi;
	int i, at = 0;

	qsort(x, (size_t)n, sizeof *x, cmp_float);
	for (i = 0; i < n; i++) {
		f = normal_cdf(x[i]);
		hi = (double)(i + 1) / n - f;
		lo = f - (double)i / n;
		if (hi > d || lo > d) {
			d = hi > lo ? hi : lo;
			at = i;
		}
	}
	ck_assert_msg(d < crit, "KS D = %.6f at x = %g, critical %.6f (N=%d)",
	    d, x[at], crit, n);
	free(x);
}
END_TEST

/* Tail fractions against the normal's: a Box-Muller that clipped its
 * uniforms or radius would show here first. */
START_TEST(test_rng_normal_tails)
{
	static const double t[] = {1, 2, 3, 4};
	const int n = N_STAT;
	float *x = draw(SEED, RNG_STREAM_TEST, 2, n);
	double p, frac, tol;
	size_t k;
	long c;
	int i;

	for (k = 0; k < sizeof t / sizeof t[0]; k++) {
		c = 0;
		for (i = 0; i < n; i++)
			c += fabsf(x[i]) > t[k];
		frac = (double)c / n;
		/* P(|X| > t) = erfc(t / sqrt 2); a binomial fraction has
		 * standard error sqrt(p (1 - p) / N); allow 5 of them. */
		p = erfc(t[k] / sqrt(2.0));
		tol = 5 * sqrt(p * (1 - p) / n);
		ck_assert_msg(fabs(frac - p) < tol,
		    "P(|x| > %g) = %.6f, want %.6f +- %.6f", t[k], frac, p,
		    tol);
	}
	free(x);
}
END_TEST

/* Draws that should be independent have sample correlation within five
 * standard errors (1/sqrt(N)) of zero: across seeds, layers, streams,
 * neighbours within a row (which share a Box-Muller radius), and the
 * squares of those neighbours. */
START_TEST(test_rng_uncorrelated)
{
	const int n = N_STAT;
	const double tol = 5 / sqrt((double)n);
	float *a = draw(SEED, RNG_STREAM_FORWARD, 0, n);
	float *b = draw(SEED + 1, RNG_STREAM_FORWARD, 0, n);
	float *c = draw(SEED, RNG_STREAM_FORWARD, 1, n);
	float *d = draw(SEED, RNG_STREAM_BACKWARD, 0, n);
	float *even = malloc((size_t)n / 2 * sizeof *even);
	float *odd = malloc((size_t)n / 2 * sizeof *odd);
	double r;
	int i;

	ck_assert_ptr_nonnull(even);
	ck_assert_ptr_nonnull(odd);
	r = correlation(a, b, n);
	ck_assert_msg(fabs(r) < tol, "seed vs seed+1: r = %.5f (tol %.5f)", r,
	    tol);
	r = correlation(a, c, n);
	ck_assert_msg(fabs(r) < tol, "layer 0 vs 1: r = %.5f (tol %.5f)", r,
	    tol);
	r = correlation(a, d, n);
	ck_assert_msg(fabs(r) < tol, "forward vs backward: r = %.5f (tol %.5f)",
	    r, tol);
	r = correlation(a, a + 1, n - 1);
	ck_assert_msg(fabs(r) < tol, "lag 1: r = %.5f (tol %.5f)", r, tol);

	/* Pairs (2k, 2k+1) and their squares: N/2 pairs. */
	for (i = 0; i < n / 2; i++) {
		even[i] = a[2 * i];
		odd[i] = a[2 * i + 1];
	}
	r = correlation(even, odd, n / 2);
	ck_assert_msg(fabs(r) < 5 / sqrt(n / 2.0), "pairs: r = %.5f", r);
	for (i = 0; i < n / 2; i++) {
		even[i] *= even[i];
		odd[i] *= odd[i];
	}
	/* For independent normals x^2 and y^2 are uncorrelated too. */
	r = correlation(even, odd, n / 2);
	ck_assert_msg(fabs(r) < 5 / sqrt(n / 2.0), "pair squares: r = %.5f", r);

	free(a);
	free(b);
	free(c);
	free(d);
	free(even);
	free(odd);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Pinned bits                                                            */
/* ---------------------------------------------------------------------- */

/* FNV-1a over the bits of draws. */
static uint64_t fingerprint(uint64_t h, const float *x, int n)
{
	uint32_t u;
	int i, b;

	for (i = 0; i < n; i++) {
		memcpy(&u, &x[i], sizeof u);
		for (b = 0; b < 32; b += 8)
			h = (h ^ ((u >> b) & 0xff)) * UINT64_C(0x100000001b3);
	}
	return h;
}

/*
 * The draws are part of the format: a seed names the same network on
 * every machine and in every version, so these are the bits of the first
 * release, pinned. Every n up to 40 and some long odd and even rows cover
 * each path through rng_normals (its vector loops' remainders, an odd n's
 * last pair); a faster rng_normals must still give exactly these.
 */
START_TEST(test_rng_normals_pinned)
{
	static const int sizes[] = {1000, 1001, 4093, 4096};
	static const uint64_t seeds[] = {0, SEED};
	float *x = malloc(4096 * sizeof *x);
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	int a, l, n, st;

	ck_assert_ptr_nonnull(x);
	for (a = 0; a < 2; a++)
		for (st = RNG_STREAM_INPUT; st <= RNG_STREAM_BACKWARD; st++)
			for (l = 0; l < 3; l++) {
				for (n = 1; n <= 40; n++) {
					rng_normals(seeds[a], (uint32_t)st,
					    (uint32_t)l, n, x);
					h = fingerprint(h, x, n);
				}
				for (n = 0; n < 4; n++) {
					rng_normals(seeds[a], (uint32_t)st,
					    (uint32_t)l, sizes[n], x);
					h = fingerprint(h, x, sizes[n]);
				}
			}
	free(x);
	ck_assert_msg(h == UINT64_C(0x6b8aa26014b6c652), "fingerprint %016llx",
	    (unsigned long long)h);
}
END_TEST

Suite *rng_suite(void)
{
	Suite *s = suite_create("rng");
	TCase *tc = tcase_create("draws");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_rng_deterministic);
	tcase_add_test(tc, test_rng_each_field_matters);
	tcase_add_test(tc, test_rng_no_collisions);
	tcase_add_test(tc, test_rng_bytes_uniform);
	tcase_add_test(tc, test_rng_uniform_open_interval);
	tcase_add_test(tc, test_rng_uniform_extremes);
	tcase_add_test(tc, test_rng_normals_prefix);
	tcase_add_test(tc, test_rng_normal_moments);
	tcase_add_test(tc, test_rng_normal_ks);
	tcase_add_test(tc, test_rng_normal_tails);
	tcase_add_test(tc, test_rng_uncorrelated);
	tcase_add_test(tc, test_rng_normals_pinned);
	suite_add_tcase(s, tc);
	return s;
}
