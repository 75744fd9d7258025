/*
 * sweep: the output magnitude and the first-layer gradient across lambda
 * and across lambda x depth. See include/sweep.h for the contract.
 *
 * Both jobs visit their points in one precomputed order, coarse to fine:
 * the two ends, then the midpoints of ever finer halvings (a breadth-first
 * bisection, so every index comes exactly once). The map orders its cells
 * by the finer of the two axes' levels, so it fills a coarse lattice over
 * the whole map before refining any part of it.
 */
#include "sweep.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theory.h"

/* ---------------------------------------------------------------------- */
/* Lambda grids                                                           */
/* ---------------------------------------------------------------------- */

int sweep_count(double lo, double hi, double step)
{
	double k, kr;

	if (!(step > 0) || !(hi >= lo) || !isfinite(lo) || !isfinite(hi) ||
	    !isfinite(step))
		return 0;
	k = (hi - lo) / step;
	if (!(k < INT_MAX - 1))
		return INT_MAX;
	/* 0:1:0.1 is 9.999999999999998 or 10.000000000000002 steps. */
	kr = round(k);
	if (fabs(k - kr) <= 1e-9 * kr)
		return (int)kr + 1;
	return (int)floor(k) + 1;
}

double sweep_lambda(double lo, double step, int i)
{
	double l = lo + i * step;

	/* One rounding can put the last point a unit past the engine's
	 * range (lo + n step > 100 by 1e-14), which it would refuse. */
	if (l > ENGINE_LAMBDA_MAX)
		l = ENGINE_LAMBDA_MAX;
	if (l < ENGINE_LAMBDA_MIN)
		l = ENGINE_LAMBDA_MIN;
	return l;
}

#define SWEEP_SHOW_MAX 40

/* s quoted for a message: printable ASCII only, cut with "...". */
static void sweep_show(const char *s, char *buf)
{
	size_t i;

	for (i = 0; i < SWEEP_SHOW_MAX && s[i] != '\0'; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	strcpy(buf + i, s[i] != '\0' ? "..." : "");
}

/* One field of LO:HI:STEP: a finite number filling all of [s, end). */
static const char *sweep_field(const char *s, const char *end, double *out)
{
	char buf[64], *tail;
	size_t n = (size_t)(end - s);

	if (n == 0)
		return "is empty";
	if (n >= sizeof buf || isspace((unsigned char)s[0]))
		return "is not a number";
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, &tail);
	if (tail == buf || *tail != '\0')
		return "is not a number";
	if (!isfinite(*out))
		return "is not a finite number";
	return NULL;
}

int sweep_parse(const char *s, double *lo, double *hi, double *step, char *err,
    size_t errlen)
{
	static const char *const names[] = {"LO", "HI", "STEP"};
	char shown[SWEEP_SHOW_MAX + 4], why[96];
	const char *p = s, *colon, *bad;
	double v[3];
	int i, n;

	for (i = 0; i < 3; i++) {
		colon = strchr(p, ':');
		if ((i < 2) != (colon != NULL)) {
			snprintf(why, sizeof why,
			    "is not three fields "
			    "LO:HI:STEP");
			goto fail;
		}
		if (colon == NULL)
			colon = p + strlen(p);
		bad = sweep_field(p, colon, &v[i]);
		if (bad != NULL) {
			snprintf(why, sizeof why, "has a %s that %s", names[i],
			    bad);
			goto fail;
		}
		p = colon + 1;
	}
	for (i = 0; i < 2; i++)
		if (v[i] < ENGINE_LAMBDA_MIN || v[i] > ENGINE_LAMBDA_MAX) {
			snprintf(why, sizeof why, "has %s %g out of range",
			    names[i], v[i]);
			goto fail;
		}
	if (v[0] > v[1]) {
		snprintf(why, sizeof why, "has LO > HI");
		goto fail;
	}
	if (!(v[2] > 0)) {
		snprintf(why, sizeof why, "has STEP %g, not > 0", v[2]);
		goto fail;
	}
	n = sweep_count(v[0], v[1], v[2]);
	if (n > SWEEP_POINTS_MAX) {
		snprintf(why, sizeof why,
		    "has more than %d points (STEP too "
		    "small)",
		    SWEEP_POINTS_MAX);
		goto fail;
	}
	*lo = v[0];
	*hi = v[1];
	*step = v[2];
	return 0;
fail:
	sweep_show(s, shown);
	snprintf(err, errlen,
	    "--sweep: '%s' %s; accepted: LO:HI:STEP with "
	    "%g <= LO <= HI <= %g, STEP > 0 and at most %d points",
	    shown, why, ENGINE_LAMBDA_MIN, ENGINE_LAMBDA_MAX, SWEEP_POINTS_MAX);
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Points                                                                 */
/* ---------------------------------------------------------------------- */

/* sweep_point with the theory's scratch (depth + 1 each) given. Returns
 * ENGINE_INTERRUPTED as the engine does, so jobs can retry. */
static int point_compute(Engine *eng, const EngineConfig *cfg, double lambda,
    SweepPoint *out, XMag *tact, XMag *tgrad, char *err, size_t errlen)
{
	EngineConfig c = *cfg;
	EngineResult res;
	int rc;

	c.lambda = lambda;
	rc = engine_compute(eng, &c, &res, err, errlen);
	if (rc != 0)
		return rc;
	if (theory_compute(&c, res.activation_rms[0], tact, tgrad, NULL, err,
	        errlen) < 0)
		return -1;
	out->lambda = lambda;
	out->output_rms = res.activation_rms[c.depth];
	out->input_gradient = res.gradient_rms[0];
	out->theory_output = tact[c.depth];
	out->theory_gradient = tgrad[0];
	out->done = 1;
	return 0;
}

/* The theory's two arrays for depth, in one block; NULL on failure. */
static XMag *scratch_new(int depth)
{
	if (depth < ENGINE_DEPTH_MIN || depth > ENGINE_DEPTH_MAX)
		return NULL;
	return malloc(2 * ((size_t)depth + 1) * sizeof(XMag));
}

int sweep_point(Engine *eng, const EngineConfig *cfg, double lambda,
    SweepPoint *out, char *err, size_t errlen)
{
	XMag *scratch;
	int rc;

	if (engine_config_validate(cfg, err, errlen) < 0)
		return -1;
	scratch = scratch_new(cfg->depth);
	if (scratch == NULL) {
		snprintf(err, errlen, "out of memory for depth %d", cfg->depth);
		return -1;
	}
	rc = point_compute(eng, cfg, lambda, out, scratch,
	    scratch + cfg->depth + 1, err, errlen);
	free(scratch);
	/* An interrupted point is a failure here (err says "interrupted");
	 * only the jobs retry. */
	return rc < 0 ? -1 : 0;
}

double sweep_critical(const SweepPoint *p, int n)
{
	double y0 = 0, y1, l0 = 0;
	int i, have = 0;

	for (i = 0; i < n; i++) {
		if (!p[i].done || xmag_is_nan(p[i].input_gradient))
			continue;
		y1 = xmag_log10(p[i].input_gradient); /* +-inf for inf, 0 */
		if (y1 == 0)
			return p[i].lambda;
		if (have && (y0 < 0) != (y1 < 0)) {
			/* With an infinite end the line meets 0 at the
			 * finite end's neighbour: the limit of the formula. */
			if (isinf(y0))
				return p[i].lambda;
			if (isinf(y1))
				return l0;
			return l0 + (p[i].lambda - l0) * (0 - y0) / (y1 - y0);
		}
		y0 = y1;
		l0 = p[i].lambda;
		have = 1;
	}
	return NAN;
}

/* ---------------------------------------------------------------------- */
/* Coarse-to-fine order                                                   */
/* ---------------------------------------------------------------------- */

/*
 * order[0..n-1]: 0 and n-1, then breadth-first the midpoint of each
 * interval between indices already visited; level[i] is the round in
 * which index i comes (0 for the ends). Returns the number of levels, or
 * -1 when out of memory.
 */
static int bisect_order(int n, int *order, unsigned char *level)
{
	int(*queue)[3], head = 0, tail = 0, k = 0, a, b, m, d, levels = 1;

	order[k++] = 0;
	level[0] = 0;
	if (n == 1)
		return 1;
	order[k++] = n - 1;
	level[n - 1] = 0;
	queue = malloc(2 * (size_t)n * sizeof *queue);
	if (queue == NULL)
		return -1;
	queue[tail][0] = 0;
	queue[tail][1] = n - 1;
	queue[tail++][2] = 1;
	while (head < tail) {
		a = queue[head][0];
		b = queue[head][1];
		d = queue[head++][2];
		if (b - a < 2)
			continue;
		m = a + (b - a) / 2;
		order[k++] = m;
		level[m] = (unsigned char)d;
		levels = d + 1;
		/* Two pushes per midpoint, one to start: under 2n. */
		queue[tail][0] = a;
		queue[tail][1] = m;
		queue[tail++][2] = d + 1;
		queue[tail][0] = m;
		queue[tail][1] = b;
		queue[tail++][2] = d + 1;
	}
	free(queue);
	return levels;
}

/* ---------------------------------------------------------------------- */
/* Sweep jobs                                                             */
/* ---------------------------------------------------------------------- */

struct SweepJob {
	Engine *eng;
	EngineConfig cfg;
	int n, next, ndone;
	SweepPoint *pts;
	int *order;
	XMag *scratch; /* the theory's act and grad */
};

SweepJob *sweep_job_new(Engine *eng, const EngineConfig *cfg, double lo,
    double step, int n)
{
	SweepJob *job;
	unsigned char *level;
	int i;

	if (n < 1)
		return NULL;
	job = calloc(1, sizeof *job);
	level = malloc((size_t)n);
	if (job == NULL || level == NULL)
		goto fail;
	job->eng = eng;
	job->cfg = *cfg;
	job->n = n;
	job->pts = calloc((size_t)n, sizeof *job->pts);
	job->order = malloc((size_t)n * sizeof *job->order);
	job->scratch = scratch_new(cfg->depth);
	if (job->pts == NULL || job->order == NULL || job->scratch == NULL ||
	    bisect_order(n, job->order, level) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		job->pts[i].lambda = sweep_lambda(lo, step, i);
	free(level);
	return job;
fail:
	free(level);
	sweep_job_free(job);
	return NULL;
}

void sweep_job_free(SweepJob *job)
{
	if (job == NULL)
		return;
	free(job->pts);
	free(job->order);
	free(job->scratch);
	free(job);
}

int sweep_job_step(SweepJob *job, char *err, size_t errlen)
{
	SweepPoint *p;
	int rc;

	if (job->next >= job->n)
		return 0;
	p = &job->pts[job->order[job->next]];
	rc = point_compute(job->eng, &job->cfg, p->lambda, p, job->scratch,
	    job->scratch + job->cfg.depth + 1, err, errlen);
	if (rc == ENGINE_INTERRUPTED)
		return 1; /* the same point again next time */
	if (rc < 0)
		return -1;
	job->next++;
	job->ndone++;
	return job->next < job->n;
}

const SweepPoint *sweep_job_points(const SweepJob *job, int *n)
{
	*n = job->n;
	return job->pts;
}

const EngineConfig *sweep_job_config(const SweepJob *job)
{
	return &job->cfg;
}

int sweep_job_done(const SweepJob *job)
{
	return job->ndone;
}

/* ---------------------------------------------------------------------- */
/* Map jobs                                                               */
/* ---------------------------------------------------------------------- */

struct MapJob {
	Engine *eng;
	EngineConfig cfg;
	int rows, cols, next, ndone;
	double *lambda;
	int *depth;
	XMag *cell;
	unsigned char *done;
	int *order; /* cell indices, row-major */
};

/* Cells in order of the finer of their row's and column's levels, each
 * level's new cells in the two axes' bisection orders. */
static int map_order(MapJob *job)
{
	int R = job->rows, C = job->cols, lr, lc, k = 0, lv, i, j, r, c;
	int *ro = malloc((size_t)R * sizeof *ro);
	int *co = malloc((size_t)C * sizeof *co);
	unsigned char *rl = malloc((size_t)R), *cl = malloc((size_t)C);
	int ok = 0;

	if (ro == NULL || co == NULL || rl == NULL || cl == NULL)
		goto out;
	lr = bisect_order(R, ro, rl);
	lc = bisect_order(C, co, cl);
	if (lr < 0 || lc < 0)
		goto out;
	for (lv = 0; lv < (lr > lc ? lr : lc); lv++)
		for (i = 0; i < R; i++) {
			r = ro[i];
			if (rl[r] > lv)
				continue;
			for (j = 0; j < C; j++) {
				c = co[j];
				if (cl[c] <= lv && (rl[r] == lv || cl[c] == lv))
					job->order[k++] = r * C + c;
			}
		}
	ok = k == R * C;
out:
	free(ro);
	free(co);
	free(rl);
	free(cl);
	return ok ? 0 : -1;
}

MapJob *map_job_new(Engine *eng, const EngineConfig *cfg, double lo,
    double step, int cols, int max_depth, int rows)
{
	MapJob *job;
	int r, d, kept = 0;
	size_t cells;

	if (cols < 1 || rows < 1 || max_depth < ENGINE_DEPTH_MIN ||
	    max_depth > ENGINE_DEPTH_MAX)
		return NULL;
	job = calloc(1, sizeof *job);
	if (job == NULL)
		return NULL;
	job->eng = eng;
	job->cfg = *cfg;
	job->cols = cols;
	job->depth = malloc((size_t)rows * sizeof *job->depth);
	job->lambda = malloc((size_t)cols * sizeof *job->lambda);
	if (job->depth == NULL || job->lambda == NULL)
		goto fail;
	/* round((row + 1) max_depth / rows), dropping repeats (and zeros)
	 * when rows > max_depth: then every depth 1..max_depth once. */
	for (r = 0; r < rows; r++) {
		d = (int)floor((double)(r + 1) * max_depth / rows + 0.5);
		if (d >= 1 && (kept == 0 || d > job->depth[kept - 1]))
			job->depth[kept++] = d;
	}
	job->rows = kept;
	for (r = 0; r < cols; r++)
		job->lambda[r] = sweep_lambda(lo, step, r);
	cells = (size_t)kept * (size_t)cols;
	job->cell = calloc(cells, sizeof *job->cell);
	job->done = calloc(cells, 1);
	job->order = malloc(cells * sizeof *job->order);
	if (job->cell == NULL || job->done == NULL || job->order == NULL ||
	    map_order(job) < 0)
		goto fail;
	return job;
fail:
	map_job_free(job);
	return NULL;
}

void map_job_free(MapJob *job)
{
	if (job == NULL)
		return;
	free(job->lambda);
	free(job->depth);
	free(job->cell);
	free(job->done);
	free(job->order);
	free(job);
}

int map_job_step(MapJob *job, char *err, size_t errlen)
{
	int total = job->rows * job->cols, k, rc;
	EngineConfig c = job->cfg;
	EngineResult res;

	if (job->next >= total)
		return 0;
	k = job->order[job->next];
	c.lambda = job->lambda[k % job->cols];
	c.depth = job->depth[k / job->cols];
	rc = engine_compute(job->eng, &c, &res, err, errlen);
	if (rc == ENGINE_INTERRUPTED)
		return 1;
	if (rc < 0)
		return -1;
	job->cell[k] = res.gradient_rms[0];
	job->done[k] = 1;
	job->next++;
	job->ndone++;
	return job->next < total;
}

MapView map_job_view(const MapJob *job)
{
	MapView v;

	v.rows = job->rows;
	v.cols = job->cols;
	v.lambda = job->lambda;
	v.depth = job->depth;
	v.cell = job->cell;
	v.done = job->done;
	v.ndone = job->ndone;
	return v;
}

const EngineConfig *map_job_config(const MapJob *job)
{
	return &job->cfg;
}
