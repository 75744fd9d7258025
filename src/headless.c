/*
 * headless: the modes that compute and write without a terminal; see
 * headless.h. Every failure returns -1 with its reason in err: this file
 * never prints a message of its own.
 */
#include "headless.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dump.h"
#include "errmsg.h"
#include "fileio.h"
#include "spectrum.h"
#include "svg.h"
#include "sweep.h"
#include "theory.h"
#include "train.h"
#include "xmag.h"

/* The reason for a failed write to out, worded as main has always
 * printed it; called straight after the failure, while errno is its. */
static int headless_write_failed(const char *outname, char *err, size_t errlen)
{
	return errmsg_set(err, errlen, "cannot write %s: %s", outname,
	    strerror(errno));
}

/* A new engine with poll set, in *eng, and cfg computed on it into *res.
 * 0, or -1 with a reason in err (*eng freed and NULL). */
static int headless_compute(const EngineConfig *cfg, int (*poll)(void *ctx),
    void *poll_ctx, Engine **eng, EngineResult *res, char *err, size_t errlen)
{
	*eng = engine_new();
	if (*eng == NULL)
		return errmsg_set(err, errlen, "out of memory");
	if (poll != NULL)
		engine_set_poll(*eng, poll, poll_ctx);
	if (engine_compute(*eng, cfg, res, err, errlen) < 0) {
		engine_free(*eng);
		*eng = NULL;
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* --dump and --svg                                                       */
/* ---------------------------------------------------------------------- */

int headless_dump(FILE *out, const char *outname, const EngineConfig *cfg,
    int (*poll)(void *ctx), void *poll_ctx, char *err, size_t errlen)
{
	EngineResult res;
	Engine *eng;
	XMag *theory;
	int rc = 0;

	if (headless_compute(cfg, poll, poll_ctx, &eng, &res, err, errlen) < 0)
		return -1;
	/* theory_compute fails only on a config the engine has just
	 * accepted: never. */
	theory = malloc(2 * ((size_t)res.depth + 1) * sizeof *theory);
	if (theory == NULL) {
		rc = errmsg_set(err, errlen, "out of memory");
	} else if (theory_compute(cfg, res.activation_rms[0], theory,
	               theory + res.depth + 1, NULL, err, errlen) < 0) {
		rc = -1;
	} else if (dump_csv(out, &res, theory, theory + res.depth + 1) < 0) {
		rc = headless_write_failed(outname, err, errlen);
	}
	free(theory);
	engine_free(eng);
	return rc;
}

typedef struct {
	const EngineConfig *cfg;
	const EngineResult *res;
	const char *title;
} HeadlessSvg;

static int headless_svg_write(FILE *out, void *ctx, char *err, size_t errlen)
{
	const HeadlessSvg *s = ctx;

	/* fileio words a failed write itself, naming the file. */
	(void)err;
	(void)errlen;
	return svg_write(out, s->cfg, s->res, s->title, 0);
}

int headless_svg(const char *path, int force, const EngineConfig *cfg,
    const char *title, int (*poll)(void *ctx), void *poll_ctx, char *err,
    size_t errlen)
{
	EngineResult res;
	Engine *eng;
	HeadlessSvg svg;
	int rc;

	if (headless_compute(cfg, poll, poll_ctx, &eng, &res, err, errlen) < 0)
		return -1;
	svg.cfg = cfg;
	svg.res = &res;
	svg.title = title;
	rc = fileio_write_atomic(path, force, headless_svg_write, &svg, err,
	    errlen);
	engine_free(eng);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* --sweep and --train                                                    */
/* ---------------------------------------------------------------------- */

int headless_sweep(FILE *out, const char *outname, const EngineConfig *cfg,
    double lo, double hi, double step, char *err, size_t errlen)
{
	SweepPoint pt;
	Engine *eng;
	int i, n, rc = 0;

	eng = engine_new();
	if (eng == NULL)
		return errmsg_set(err, errlen, "out of memory");
	n = sweep_count(lo, hi, step);
	if (dump_sweep_header(out) < 0)
		rc = headless_write_failed(outname, err, errlen);
	for (i = 0; i < n && rc == 0; i++) {
		if (sweep_point(eng, cfg, sweep_lambda(lo, step, i), &pt, err,
		        errlen) < 0)
			rc = -1;
		else if (dump_sweep_row(out, &pt) < 0)
			rc = headless_write_failed(outname, err, errlen);
	}
	engine_free(eng);
	return rc;
}

/* Seconds on the monotonic clock. */
static double headless_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int headless_train(FILE *out, const char *outname, FILE *note,
    const EngineConfig *cfg, int steps, char *err, size_t errlen)
{
	char verdict[64];
	Trainer *tr;
	int s, stop = 0, rc = 0;
	double start;

	tr = train_new(cfg, err, errlen);
	if (tr == NULL)
		return -1;
	start = headless_now();
	if (dump_train_header(out) < 0 ||
	    dump_train_row(out, 0, train_losses(tr)[0]) < 0)
		rc = headless_write_failed(outname, err, errlen);
	for (s = 1; s <= steps && !stop && rc == 0; s++) {
		stop = train_step(tr);
		/* A divergence found before this step took none. */
		if (train_steps(tr) < s)
			break;
		if (dump_train_row(out, s, train_losses(tr)[s]) < 0)
			rc = headless_write_failed(outname, err, errlen);
	}
	/* The note is for a reader, not the CSV: a failed write of it
	 * fails nothing. */
	if (rc == 0 && note != NULL &&
	    train_verdict_text(tr, verdict, sizeof verdict) >= 0)
		fprintf(note, "%s; %d steps at %.3g ms per step\n", verdict,
		    train_steps(tr),
		    train_steps(tr) > 0 ?
		        (headless_now() - start) * 1e3 / train_steps(tr) :
		        0.0);
	train_free(tr);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* --spectrum                                                             */
/* ---------------------------------------------------------------------- */

int headless_spectrum(FILE *out, const char *outname, const EngineConfig *cfg,
    int (*poll)(void *ctx), void *poll_ctx, char *err, size_t errlen)
{
	SpectrumJob *job;
	const XMag *v;
	int i, n, r, rc = 0;

	job = spectrum_job_new(cfg, err, errlen);
	if (job == NULL)
		return -1;
	while ((r = spectrum_job_step(job, err, errlen)) == 1)
		if (poll != NULL)
			poll(poll_ctx);
	if (r < 0) {
		spectrum_job_free(job);
		return -1;
	}
	v = spectrum_job_values(job, &n, NULL);
	if (dump_spectrum_header(out) < 0)
		rc = headless_write_failed(outname, err, errlen);
	for (i = 0; i < n && rc == 0; i++)
		if (dump_spectrum_row(out, i + 1, v[i]) < 0)
			rc = headless_write_failed(outname, err, errlen);
	spectrum_job_free(job);
	return rc;
}
