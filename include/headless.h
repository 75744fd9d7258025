/*
 * headless: the modes that compute a configuration and write the result
 * without a terminal: the per-layer table (--dump), the chart as SVG
 * (--svg), the lambda sweep (--sweep), the training run (--train) and
 * the Jacobian's singular values (--spectrum).
 *
 * Owns each mode's run: the engine or trainer it needs, the order of its
 * rows (dump.h holds their format) and which failure stops it. It never
 * prints a message or exits: each function returns 0, or -1 with one line
 * in err, and main prints that line and picks the exit code. The CSV
 * modes write to a FILE * the caller opened; outname names it in the
 * reason a failed write gives ("cannot write standard output: No space
 * left on device"). The caller buffers that stream as it likes and
 * checks it once more when it closes it (a buffered write may fail only
 * then).
 *
 * Each cfg must have passed engine_config_validate: a failure left is
 * then a lack of memory or a failed write, never a bad option.
 */
#ifndef GRADSCOPE_HEADLESS_H
#define GRADSCOPE_HEADLESS_H

#include <stddef.h>
#include <stdio.h>

#include "engine.h"

/* Computes cfg and writes dump.h's per-layer table, with the theory's
 * columns, to out. poll (may be NULL) is given to the engine
 * (engine_set_poll) for the compute: a caller can say "still working"
 * from it; when it interrupts, the run fails with the engine's reason.
 * Returns 0, or -1 with a reason in err. */
int headless_dump(FILE *out, const char *outname, const EngineConfig *cfg,
    int (*poll)(void *ctx), void *poll_ctx, char *err, size_t errlen);

/* Computes cfg (poll as for headless_dump) and writes the SVG chart
 * titled title to path, atomically (fileio_write_atomic: an existing file
 * is replaced only with force). Returns 0, or -1 with a reason in err
 * (which names the file when the write failed). */
int headless_svg(const char *path, int force, const EngineConfig *cfg,
    const char *title, int (*poll)(void *ctx), void *poll_ctx, char *err,
    size_t errlen);

/* The sweep of cfg over lambda = lo, lo + step, ... up to hi
 * (sweep_count's points): the header, then one row per lambda in order,
 * each written to out as soon as it is computed, so a reader sees a long
 * sweep progress. The first failure stops it. Returns 0, or -1 with a
 * reason in err. */
int headless_sweep(FILE *out, const char *outname, const EngineConfig *cfg,
    double lo, double hi, double step, char *err, size_t errlen);

/* Trains cfg for up to steps steps: the header, the loss before training
 * (step 0) and after each step, to out (CSV only); then one line to note
 * (may be NULL): the verdict (train_verdict_text) and the time per step,
 * "converged; 300 steps at 4.21 ms per step". A run that diverges stops
 * at the step it diverged. cfg must be within train_supported's limits
 * (the caller tells a user why not); otherwise the run fails with
 * train_new's reason. Returns 0, or -1 with a reason in err. */
int headless_train(FILE *out, const char *outname, FILE *note,
    const EngineConfig *cfg, int steps, char *err, size_t errlen);

/* The singular values of cfg's input-output Jacobian (spectrum.h), the
 * header then one row each, largest first, to out. poll (may be NULL)
 * is called between the job's steps (its return is ignored: the run
 * goes on). cfg must be within spectrum_supported's limits. Returns 0,
 * or -1 with a reason in err. */
int headless_spectrum(FILE *out, const char *outname, const EngineConfig *cfg,
    int (*poll)(void *ctx), void *poll_ctx, char *err, size_t errlen);

#endif
