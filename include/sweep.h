/*
 * sweep: the output magnitude and the first-layer gradient across lambda
 * (the critical region) and across lambda x depth (the map).
 *
 * Both are computed progressively: a job holds its grid of results and
 * the next point to compute; sweep_job_step / map_job_step compute one
 * point each (one engine_compute), so the event loop can interleave them
 * with keys and stop between any two. Points are visited coarse to fine
 * (every 2^k-th first), so a partial job already shows the whole curve.
 * A job computes on an Engine the caller gives it and uses for nothing
 * else while the job lives (so the view's own result stays valid, and the
 * caller can set that engine's poll to interrupt a long point).
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_SWEEP_H
#define GRADSCOPE_SWEEP_H

#include <stddef.h>

#include "engine.h"
#include "xmag.h"

/* Points of a sweep at most (the headless --sweep and the view). */
#define SWEEP_POINTS_MAX 100001

typedef struct {
	double lambda;
	XMag output_rms;      /* activation_rms[L] */
	XMag input_gradient;  /* gradient_rms[0] */
	XMag theory_output;   /* theory's r[L] */
	XMag theory_gradient; /* theory's t[0] */
	int done;             /* computed yet */
} SweepPoint;

/* The number of points from lo to hi inclusive by step (hi itself when
 * hi - lo is a whole number of steps up to 1e-9 relative), and the i-th
 * lambda, lo + i * step without accumulated rounding. 0 when the range is
 * empty or step <= 0. */
int sweep_count(double lo, double hi, double step);
double sweep_lambda(double lo, double step, int i);

/* Parses "LO:HI:STEP" (each in the engine's lambda range, LO <= HI,
 * STEP > 0, at most SWEEP_POINTS_MAX points). 0, or -1 with a one-line
 * reason naming what is accepted. */
int sweep_parse(const char *s, double *lo, double *hi, double *step, char *err,
    size_t errlen);

/* One point: cfg with lambda replaced, computed on eng. 0, or -1 with a
 * reason in err. */
int sweep_point(Engine *eng, const EngineConfig *cfg, double lambda,
    SweepPoint *out, char *err, size_t errlen);

/* The critical lambda: where log10(input_gradient) crosses 0, linearly
 * interpolated in log10 between the first adjacent pair of done points
 * on either side of 1; NAN when there is none. */
double sweep_critical(const SweepPoint *p, int n);

typedef struct SweepJob SweepJob;

/* A job for cfg over n points lo + i * step. NULL on out of memory or
 * an invalid cfg, n or step (the same holds for map_job_new). */
SweepJob *sweep_job_new(Engine *eng, const EngineConfig *cfg, double lo,
    double step, int n);
void sweep_job_free(SweepJob *job);
/* Computes the next point; returns 1 while points remain, 0 when the job
 * is complete, -1 with a reason in err on failure (an interrupted point
 * stays not done and is tried again at the next step). */
int sweep_job_step(SweepJob *job, char *err, size_t errlen);
/* The job's points (n of them, some not done yet) and its config. */
const SweepPoint *sweep_job_points(const SweepJob *job, int *n);
const EngineConfig *sweep_job_config(const SweepJob *job);
/* Points done so far, for progress. */
int sweep_job_done(const SweepJob *job);

/* The depth x lambda map: cell (row, col) holds the first-layer gradient
 * magnitude for lambda[col] = lo + col * step and depth[row] =
 * round((row + 1) * max_depth / rows) (so the last row is max_depth),
 * depths made strictly increasing when rows > max_depth (fewer rows). */
typedef struct {
	int rows, cols;
	const double *lambda;      /* cols values */
	const int *depth;          /* rows values */
	const XMag *cell;          /* rows * cols, row-major */
	const unsigned char *done; /* rows * cols: 1 once computed */
	int ndone;                 /* cells computed so far */
} MapView;

typedef struct MapJob MapJob;

MapJob *map_job_new(Engine *eng, const EngineConfig *cfg, double lo,
    double step, int cols, int max_depth, int rows);
void map_job_free(MapJob *job);
/* One cell, coarse to fine; 1 while cells remain, 0 when complete, -1
 * with a reason in err on failure. */
int map_job_step(MapJob *job, char *err, size_t errlen);
/* The job's arrays, valid until map_job_free. */
MapView map_job_view(const MapJob *job);
const EngineConfig *map_job_config(const MapJob *job);

#endif
