/*
 * scenario: presets and lessons, loaded from JSON and saved to it.
 *
 * A preset is a JSON object with a key per configuration field (the
 * parameter table's: lambda, depth, width, init, activation, precision,
 * input, seed), title and caption, and optionally lambda_step and scale;
 * missing keys take the defaults. A lesson is an object with a title and
 * steps, an ordered list of preset objects. Both load into a Scenario: a preset is a scenario of
 * one step.
 *
 * Only this module (and theme.c) includes cJSON. Parsing is strict:
 * trailing garbage and duplicate keys are errors, a syntax error names
 * the file, line and column; wrong types, non-finite or out-of-range
 * numbers and unknown mode names are errors naming the file, the key (and
 * the step) and what is allowed; an unknown key is a warning that
 * suggests the nearest known one, and the rest loads.
 */
#ifndef GRADSCOPE_SCENARIO_H
#define GRADSCOPE_SCENARIO_H

#include <stddef.h>

#include "engine.h"
#include "fileio.h"

#define SCENARIO_TITLE_MAX 128
#define SCENARIO_CAPTION_MAX 1024
#define SCENARIO_STEPS_MAX 64

typedef struct {
	EngineConfig cfg;
	char title[SCENARIO_TITLE_MAX];
	/* Text for the caption box. It may hold placeholders the view
	 * fills from the engine: {output} (activation rms at the last
	 * layer), {gradient} (gradient rms at layer 0), {lambda}, {depth},
	 * {width}. Numbers a caption states otherwise are its parameters,
	 * never computed results. */
	char caption[SCENARIO_CAPTION_MAX];
	/* The lambda step the keys start at ("lambda_step": a power of ten
	 * from SCENARIO_LAMBDA_STEP_MIN to _MAX), 0 for the view's own. */
	double lambda_step;
	/* The charts' own scale ("scale": {"min": 1e-30, "max": 1e10}),
	 * held across the step's keys while the data fits (scale.h's
	 * scale_init_range); both 0 for a scale fitted to the data. */
	double scale_min, scale_max;
	/* "baseline": {...}: the step opens with the curves of this
	 * configuration pinned as the baseline (the view's b); its fields
	 * are a preset's engine fields, those it leaves out the step's own.
	 * Not written by scenario_save. */
	int has_baseline;
	EngineConfig baseline;
} Preset;

#define SCENARIO_LAMBDA_STEP_MIN 0.0001
#define SCENARIO_LAMBDA_STEP_MAX 0.1

typedef struct {
	char name[64]; /* file name without .json, "" when unsaved */
	char title[SCENARIO_TITLE_MAX];
	int lesson; /* loaded from a lesson (steps), not a preset */
	int nsteps; /* 1 for a preset */
	Preset steps[SCENARIO_STEPS_MAX];
} Scenario;

/* A preset from the defaults (engine_config_default, empty texts). */
void scenario_preset_default(Preset *p);

/* Loads path. Returns 0 (warnings, if any, in warn, one per line, "" if
 * none) or -1 with one line in err. *out is changed only on success. */
int scenario_load(const char *path, Scenario *out, char *warn, size_t warnlen,
    char *err, size_t errlen);

/* Loads a preset or lesson by NAME or FILE (datadir.h). */
int scenario_open(const char *name_or_file, Scenario *out, char *warn,
    size_t warnlen, char *err, size_t errlen);

/* Writes p as a preset file (all keys), atomically; refuses to replace an
 * existing file unless force. Loading it gives the same numbers. */
int scenario_save(const char *path, const Preset *p, int force, char *err,
    size_t errlen);

/* Writes p as scenario_save does, under the first name from name (1, 2,
 * ...; fileio.h's FileioNamer) that is free at the instant the file is
 * made: two processes saving at once never take the same name, and
 * neither gives up while names remain. path (pathlen bytes) gets the name
 * written. Returns 0 or -1 with err. */
int scenario_save_free(const Preset *p, FileioNamer name, void *namectx,
    char *path, size_t pathlen, char *err, size_t errlen);

#endif
