/*
 * rng: the engine's random draws, reproducible on every machine.
 *
 * Counter-based: the k-th standard normal of stream (seed, stream, layer) is
 * a pure function of those four integers, so any layer's draws can be made
 * again at any time without replaying a generator, and caching them or not
 * changes no number. Draws are rounded to float so that a cache of floats
 * and a fresh draw agree bit for bit.
 *
 * Pure C: no I/O, no allocation, no global state.
 */
#ifndef GRADSCOPE_RNG_H
#define GRADSCOPE_RNG_H

#include <stdint.h>

/* Streams of one seed: one per use, so no two uses share draws. */
enum {
	RNG_STREAM_INPUT = 1,    /* the random input vector */
	RNG_STREAM_FORWARD = 2,  /* the forward product W a */
	RNG_STREAM_BACKWARD = 3, /* the unconstrained part of W^T e */
	RNG_STREAM_MATRIX = 4,   /* explicit weight matrices (layer l's) */
	RNG_STREAM_TASK = 5,     /* the training task's inputs and map */
	RNG_STREAM_BIAS = 6,     /* the biases b[l] (layer l's) */
	RNG_STREAM_UPSTREAM = 7, /* the upstream gradient's u (layer 0) */
	RNG_STREAM_TEST = 100    /* first stream free for tests and tools */
};

/* A 64-bit hash of (seed, stream, layer, index): uniform bits. */
uint64_t rng_bits(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index);

/* A uniform double in (0, 1), never 0 or 1. */
double rng_uniform(uint64_t seed, uint32_t stream, uint32_t layer,
    uint64_t index);

/* out[0..n-1] = the first n standard normals of (seed, stream, layer). */
void rng_normals(uint64_t seed, uint32_t stream, uint32_t layer, int n,
    float *out);

#endif
