/*
 * check_scenario: every shipped preset and the lesson load cleanly and say
 * what the lesson needs them to; every kind of bad file gets the message
 * it must; a saved preset loads back as the same numbers. Run from the
 * source tree's root (make check does), where ./presets is.
 */
#include "suites.h"
#include "theory.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "fileio.h"
#include "jsonload.h"
#include "scenario.h"
#include "theory.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static void setup(void)
{
	tmpdir_make("scenario");
}

static void teardown(void)
{
	tmpdir_remove();
}

static const char *put_file(const char *name, const char *data, size_t n)
{
	const char *path = in_tmp(name);

	write_file(path, data, n);
	return path;
}

static const char *put_text(const char *name, const char *text)
{
	return put_file(name, text, strlen(text));
}

/* The scenario is large; one per test is enough. */
static Scenario sc;

/* Loads path, which must fail; returns the message without the temporary
 * directory ("name.json: ..."), having checked that it is one line and
 * that nothing was loaded or warned. */
static const char *load_error(const char *path)
{
	static char err[1024];
	char warn[256];
	size_t n = strlen(tmpdir) + 1;

	memset(&sc, 0x5a, sizeof sc);
	strcpy(warn, "junk");
	ck_assert_int_eq(scenario_load(path, &sc, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_msg(strchr(err, '\n') == NULL, "newline in '%s'", err);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(sc.nsteps, 0x5a5a5a5a);
	return strncmp(err, tmpdir, n - 1) == 0 ? err + n : err;
}

/* Loads path, which must succeed; returns the warnings without the
 * temporary directory at the start of their lines. */
static const char *load_ok(const char *path)
{
	static char warn[2048], out[2048];
	char err[1024] = "", *w, *o = out;
	size_t n = strlen(tmpdir) + 1, len;

	ck_assert_msg(scenario_load(path, &sc, warn, sizeof warn, err,
	                  sizeof err) == 0,
	    "%s", err);
	for (w = warn; *w != '\0'; w += len) {
		if (strncmp(w, tmpdir, n - 1) == 0)
			w += n;
		len = strcspn(w, "\n") + (w[strcspn(w, "\n")] == '\n');
		memcpy(o, w, len);
		o += len;
	}
	*o = '\0';
	return out;
}

static void assert_cfg_eq(const EngineConfig *a, const EngineConfig *b)
{
	ck_assert(a->lambda == b->lambda);
	ck_assert(signbit(a->lambda) == signbit(b->lambda));
	ck_assert_int_eq(a->depth, b->depth);
	ck_assert_int_eq(a->width, b->width);
	ck_assert_int_eq(a->init, b->init);
	ck_assert_int_eq(a->act, b->act);
	ck_assert_int_eq(a->precision, b->precision);
	ck_assert_int_eq(a->input, b->input);
	ck_assert_uint_eq(a->seed, b->seed);
	ck_assert_int_eq(a->upstream, b->upstream);
	ck_assert(a->bias_std == b->bias_std);
	ck_assert_int_eq(a->arch, b->arch);
	ck_assert_int_eq(a->norm, b->norm);
	ck_assert(a->branch_scale == b->branch_scale);
}

/* ---------------------------------------------------------------------- */
/* The shipped presets                                                    */
/* ---------------------------------------------------------------------- */

/* Every {name} in text is a placeholder the view fills: the result's
 * two or a setting's JSON key. */
static void assert_placeholders_known(const char *file, const char *text)
{
	static const char *const known[] = {"output", "gradient", "lambda",
	    "depth", "width", "init", "activation", "precision", "input",
	    "seed", "upstream", "bias_std"};
	const char *p, *q;
	size_t i;

	for (p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{')) {
		q = strchr(p, '}');
		ck_assert_msg(q != NULL, "%s: '{' without '}'", file);
		for (i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strlen(known[i]) == (size_t)(q - p - 1) &&
			    strncmp(p + 1, known[i], (size_t)(q - p - 1)) == 0)
				break;
		ck_assert_msg(i < sizeof known / sizeof known[0],
		    "%s: unknown placeholder %.*s", file, (int)(q - p + 1), p);
	}
}

START_TEST(test_every_shipped_file)
{
	DIR *d = opendir("presets");
	struct dirent *de;
	char path[512], warn[1024], err[1024];
	int files = 0, lessons = 0, i;
	size_t n;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof path, "presets/%s", de->d_name);
		ck_assert_msg(scenario_load(path, &sc, warn, sizeof warn, err,
		                  sizeof err) == 0,
		    "%s", err);
		ck_assert_msg(warn[0] == '\0', "%s", warn);
		ck_assert_int_eq(strncmp(sc.name, de->d_name, n - 5), 0);
		ck_assert_uint_eq(strlen(sc.name), n - 5);
		ck_assert_msg(sc.title[0] != '\0', "%s: no title", path);
		ck_assert_int_ge(sc.nsteps, 1);
		for (i = 0; i < sc.nsteps; i++) {
			const Preset *p = &sc.steps[i];

			ck_assert_msg(engine_config_validate(&p->cfg, err,
			                  sizeof err) == 0,
			    "%s step %d: %s", path, i + 1, err);
			ck_assert_msg(p->title[0] != '\0' &&
			        p->caption[0] != '\0',
			    "%s step %d: no title or "
			    "caption",
			    path, i + 1);
			assert_placeholders_known(path, p->caption);
		}
		if (sc.lesson) {
			ck_assert_int_ge(sc.nsteps, 9);
			lessons++;
		} else {
			ck_assert_int_eq(sc.nsteps, 1);
			ck_assert_str_eq(sc.title, sc.steps[0].title);
		}
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 13);
	ck_assert_int_eq(lessons, 1);
}
END_TEST

/* The presets the lesson's story needs, with the parameters it states. */
typedef struct {
	const char *name;
	double lambda;
	int depth, width;
	EngineInit init;
	EngineAct act;
	EnginePrecision precision;
	/* The blocks' presets: residual arch, a norm, random input. */
	EngineArch arch;
	EngineNorm norm;
	EngineInput input;
} ShippedPreset;

static const ShippedPreset shipped[] = {
    {"exploding", 1.5, 150, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"vanishing", 0.5, 150, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"critical", 1.0, 150, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"lambda-power", 1.5, 50, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"resnet152-exploding", 1.1, 152, 2, ENGINE_INIT_IDENTITY,
        ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_NONE, ENGINE_INPUT_ONES},
    {"resnet152-vanishing", 0.9, 152, 2, ENGINE_INIT_IDENTITY,
        ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_NONE, ENGINE_INPUT_ONES},
    {"gaussian-narrow", 1.0, 150, 2, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"gaussian-wide", 1.0, 150, 1024, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"xavier-tanh", 1.0, 200, 256, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_TANH,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    /* sqrt(2) is correctly rounded, so this is the file's number. */
    {"he-relu", 1.4142135623730951, 200, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_NONE, ENGINE_INPUT_ONES},
    {"relu-without-he", 1.0, 200, 256, ENGINE_INIT_GAUSSIAN, ENGINE_ACT_RELU,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"orthogonal-linear", 1.0, 150, 2, ENGINE_INIT_ORTHOGONAL,
        ENGINE_ACT_LINEAR, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_NONE, ENGINE_INPUT_ONES},
    {"float32-overflow", 1.5, 300, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_FLOAT32, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"float16-overflow", 1.5, 40, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_FLOAT16, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"bfloat16", 1.5, 300, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_BFLOAT16, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"knife-edge", 1.001, 10000, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"resnet152-plain", 1.1, 152, 2, ENGINE_INIT_IDENTITY, ENGINE_ACT_LINEAR,
        ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN, ENGINE_NORM_NONE,
        ENGINE_INPUT_ONES},
    {"resnet152-residual", 1.4142135623730951, 152, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT, ENGINE_ARCH_RESIDUAL,
        ENGINE_NORM_NONE, ENGINE_INPUT_RANDOM},
    {"resnet152-scaled", 1.4142135623730951, 152, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT, ENGINE_ARCH_RESIDUAL,
        ENGINE_NORM_NONE, ENGINE_INPUT_RANDOM},
    {"resnet152-prenorm", 1.4142135623730951, 152, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_RELU, ENGINE_PRECISION_EXACT, ENGINE_ARCH_RESIDUAL,
        ENGINE_NORM_LAYER, ENGINE_INPUT_RANDOM},
    {"layernorm-plain-tanh", 1.0, 200, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_LAYER, ENGINE_INPUT_ONES},
    /* lambda: theory_tanh_critical_lambda(0.3), checked below. */
    {"edge-of-chaos", 1.3955839751549024, 200, 256, ENGINE_INIT_GAUSSIAN,
        ENGINE_ACT_TANH, ENGINE_PRECISION_EXACT, ENGINE_ARCH_PLAIN,
        ENGINE_NORM_NONE, ENGINE_INPUT_ONES},
};

START_TEST(test_shipped_parameters)
{
	const ShippedPreset *want = &shipped[_i];
	const EngineConfig *c;
	char warn[256], err[512];

	ck_assert_msg(scenario_open(want->name, &sc, warn, sizeof warn, err,
	                  sizeof err) == 0,
	    "%s", err);
	ck_assert_str_eq(sc.name, want->name);
	ck_assert_int_eq(sc.lesson, 0);
	c = &sc.steps[0].cfg;
	ck_assert_msg(c->lambda == want->lambda, "%s: lambda %.17g", want->name,
	    c->lambda);
	ck_assert_int_eq(c->depth, want->depth);
	ck_assert_int_eq(c->width, want->width);
	ck_assert_int_eq(c->init, want->init);
	ck_assert_int_eq(c->act, want->act);
	ck_assert_int_eq(c->precision, want->precision);
	ck_assert_int_eq(c->input, want->input);
	ck_assert_int_eq(c->arch, want->arch);
	ck_assert_int_eq(c->norm, want->norm);
	ck_assert_uint_eq(c->seed, 1);
	/* The branch scales: 1/sqrt(L) for the scaled one, else 1. */
	ck_assert(c->branch_scale ==
	    (strcmp(want->name, "resnet152-scaled") == 0 ?
	            ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH :
	            1));
	/* The edge of chaos is where the theory puts it for its biases,
	 * computed, not copied: the file's lambda to 1e-12. */
	if (strcmp(want->name, "edge-of-chaos") == 0) {
		ck_assert(c->bias_std == 0.3);
		ck_assert_msg(fabs(c->lambda /
		                      theory_tanh_critical_lambda(c->bias_std) -
		                  1) < 1e-12,
		    "edge-of-chaos: lambda %.17g, critical %.17g", c->lambda,
		    theory_tanh_critical_lambda(c->bias_std));
	} else {
		ck_assert(c->bias_std == 0);
	}
	if (strcmp(want->name, "he-relu") == 0)
		ck_assert(c->lambda == sqrt(2.0));
	/* The float32 case goes past the largest float32 (layer 219). */
	if (want->precision == ENGINE_PRECISION_FLOAT32)
		ck_assert_int_gt(c->depth, 219);
	/* One h from 1.001 lands on the edge, not ten times past it. */
	if (strcmp(want->name, "knife-edge") == 0)
		ck_assert(sc.steps[0].lambda_step == 0.001);
}
END_TEST

/*
 * What each shipped caption says the engine shows, as bounds on the
 * output (activation_rms[L]) and the first-layer gradient
 * (gradient_rms[0]) that must hold for every seed 1..20 (a student
 * pressing s), plus "most" for gaussian-narrow's "usually": at least 15
 * of the 20 outputs below out_most. Captions carry the numbers as
 * placeholders; these are the words around them.
 */
typedef struct {
	const char *name;
	double out_lo, out_hi, grad_lo, grad_hi;
	double out_most; /* 0: no "usually" claim */
} CaptionClaim;

static const CaptionClaim claims[] = {
    /* "grows ... 1.5 times larger ... the gradient grows the same way" */
    {"exploding", 1e20, INFINITY, 1e20, INFINITY, 0},
    /* "halves the signal ... they stop learning" */
    {"vanishing", 0, 1e-40, 0, 1e-40, 0},
    /* "lambda^L ... a small factor into a huge one" */
    {"lambda-power", 1e8, 1e9, 1e8, 1e9, 0},
    /* "a huge one at this depth" */
    {"resnet152-exploding", 1e6, 1e7, 1e6, 1e7, 0},
    /* "only {gradient}. Too small" */
    {"resnet152-vanishing", 0, 1e-6, 0, 1e-6, 0},
    /* "passes the signal on unchanged" */
    {"critical", 1 - 1e-12, 1 + 1e-12, 1 - 1e-12, 1 + 1e-12, 0},
    /* "usually far below its average" */
    {"gaussian-narrow", 0, INFINITY, 0, INFINITY, 1e-3},
    /* "ends near its average ... the spread from run to run is small" */
    {"gaussian-wide", 0.5, 2, 0.5, 2, 0},
    /* "vanishing" (the verdict's: gradient below 0.1) */
    {"relu-without-he", 0, 1e-20, 0, 0.1, 0},
    /* "It still fades, but slowly" */
    {"xavier-tanh", 1e-3, 1, 1e-3, 1, 0},
    /* "stays within a factor of 20 of 1" */
    {"he-relu", 0.05, 20, 0.05, 20, 0},
    /* "keeps its length exactly, in both directions" */
    {"orthogonal-linear", 1 - 1e-9, 1 + 1e-9, 1 - 1e-9, 1 + 1e-9, 0},
    /* "they become inf ..., and the gradient with them" */
    {"float32-overflow", INFINITY, INFINITY, INFINITY, INFINITY, 0},
    /* "the activations turn into inf ..., and the gradient with them" */
    {"float16-overflow", INFINITY, INFINITY, INFINITY, INFINITY, 0},
    /* "the activations still become inf" */
    {"bfloat16", INFINITY, INFINITY, INFINITY, INFINITY, 0},
    /* "yet after 10000 layers the output is {output}" (large) */
    {"knife-edge", 1e4, 1e5, 1e4, 1e5, 0},
    /* "1.1^152, the lesson's rule" */
    {"resnet152-plain", 1e6, 1e7, 1e6, 1e7, 0},
    /* "The skip path alone does not stop the explosion" */
    {"resnet152-residual", 1e20, INFINITY, 1e20, INFINITY, 0},
    /* "both still above 1 ... but far below the unscaled blocks'" */
    {"resnet152-scaled", 1, 1e6, 1, 1e6, 0},
    /* "grows with the depth only"; the gradient is carried back and
     * added to: above 1, not exploding */
    {"resnet152-prenorm", 10, 1e3, 1, 1e3, 0},
    /* "the output stays at {output}" (tanh at unit scale); "a little
     * more than 1" a layer for the gradient: large after 200 */
    {"layernorm-plain-tanh", 0.5, 0.8, 1e3, INFINITY, 0},
    /* "stays within a factor of 50 of 1" */
    {"edge-of-chaos", 0.3, 1, 0.02, 50, 0},
};

#define CLAIMS ((int)(sizeof claims / sizeof claims[0]))

/* The claim for cfg, as the preset file and the lesson step both give
 * it: every seed 1..20. */
static void check_claim(const CaptionClaim *c, const EngineConfig *cfg,
    const char *where)
{
	Engine *eng = engine_new();
	EngineConfig k = *cfg;
	EngineResult r;
	char err[256];
	double out, g0;
	int seed, most = 0;

	ck_assert_ptr_nonnull(eng);
	for (seed = 1; seed <= 20; seed++) {
		k.seed = (uint64_t)seed;
		ck_assert_int_eq(engine_compute(eng, &k, &r, err, sizeof err),
		    0);
		out = xmag_to_double(r.activation_rms[k.depth]);
		g0 = xmag_to_double(r.gradient_rms[0]);
		ck_assert_msg(out >= c->out_lo && out <= c->out_hi &&
		        g0 >= c->grad_lo && g0 <= c->grad_hi,
		    "%s seed %d: output %g (caption: %g to %g), gradient %g "
		    "(caption: %g to %g)",
		    where, seed, out, c->out_lo, c->out_hi, g0, c->grad_lo,
		    c->grad_hi);
		most += out < c->out_most;
	}
	ck_assert_msg(c->out_most == 0 || most >= 15,
	    "%s: %d of 20 outputs below %g", where, most, c->out_most);
	engine_free(eng);
}

START_TEST(test_captions_tell_the_truth)
{
	const CaptionClaim *c = &claims[_i];
	static Scenario lesson;
	char warn[256], err[512], where[128];
	int i, steps = 0;

	ck_assert_msg(scenario_open(c->name, &sc, warn, sizeof warn, err,
	                  sizeof err) == 0,
	    "%s", err);
	check_claim(c, &sc.steps[0].cfg, c->name);
	ck_assert_int_eq(scenario_open("lesson", &lesson, warn, sizeof warn,
	                     err, sizeof err),
	    0);
	for (i = 0; i < lesson.nsteps; i++)
		if (strcmp(lesson.steps[i].title, sc.steps[0].title) == 0) {
			snprintf(where, sizeof where, "lesson step %d (%s)",
			    i + 1, c->name);
			check_claim(c, &lesson.steps[i].cfg, where);
			steps++;
		}
	ck_assert_int_le(steps, 1);
}
END_TEST

/* Every shipped preset and every lesson step has its claim above. */
START_TEST(test_every_caption_claimed)
{
	static Scenario lesson, one;
	char warn[256], err[512];
	int i, k, found;

	ck_assert_int_eq(scenario_open("lesson", &lesson, warn, sizeof warn,
	                     err, sizeof err),
	    0);
	for (i = 0; i < lesson.nsteps; i++) {
		found = 0;
		for (k = 0; k < CLAIMS; k++) {
			ck_assert_int_eq(scenario_open(claims[k].name, &one,
			                     warn, sizeof warn, err,
			                     sizeof err),
			    0);
			found += strcmp(one.steps[0].title,
			             lesson.steps[i].title) == 0;
		}
		ck_assert_msg(found == 1, "lesson step %d has no claim", i + 1);
	}
	ck_assert_int_eq(CLAIMS, (int)(sizeof shipped / sizeof shipped[0]));
}
END_TEST

/* The lesson tells the story in this order, each step a copy of its
 * preset: a change to one cannot leave the other behind. */
START_TEST(test_lesson_steps)
{
	static const char *const order[] = {"exploding", "vanishing",
	    "lambda-power", "resnet152-exploding", "resnet152-vanishing",
	    "critical", "gaussian-narrow", "gaussian-wide", "relu-without-he",
	    "xavier-tanh", "he-relu", "orthogonal-linear", "resnet152-plain",
	    "resnet152-residual", "resnet152-scaled", "resnet152-prenorm",
	    "layernorm-plain-tanh", "edge-of-chaos", "float16-overflow",
	    "bfloat16"};
	static Scenario one;
	char warn[256], err[512];
	int i;

	ck_assert_msg(scenario_open("lesson", &sc, warn, sizeof warn, err,
	                  sizeof err) == 0,
	    "%s", err);
	ck_assert_int_eq(sc.lesson, 1);
	ck_assert_str_eq(sc.name, "lesson");
	ck_assert_str_eq(sc.title, "Vanishing and exploding gradients");
	ck_assert_int_eq(sc.nsteps, (int)(sizeof order / sizeof order[0]));
	for (i = 0; i < sc.nsteps; i++) {
		ck_assert_msg(scenario_open(order[i], &one, warn, sizeof warn,
		                  err, sizeof err) == 0,
		    "%s", err);
		assert_cfg_eq(&sc.steps[i].cfg, &one.steps[0].cfg);
		ck_assert_str_eq(sc.steps[i].title, one.steps[0].title);
		ck_assert_str_eq(sc.steps[i].caption, one.steps[0].caption);
		ck_assert(sc.steps[i].lambda_step == one.steps[0].lambda_step);
		ck_assert(sc.steps[i].scale_min == one.steps[0].scale_min);
		ck_assert(sc.steps[i].scale_max == one.steps[0].scale_max);
		/* A step that asks to compare holds one scale and says how:
		 * z pins it. */
		if (strstr(sc.steps[i].caption, "compare") != NULL) {
			ck_assert_msg(sc.steps[i].scale_min > 0,
			    "step %d compares without a scale of its own",
			    i + 1);
			ck_assert_msg(strstr(sc.steps[i].caption, "press z") !=
			            NULL ||
			        strstr(sc.steps[i].caption, "Press z") != NULL,
			    "step %d compares without naming z", i + 1);
		}
	}
	/* Step 1 is the built-in default, so starting on the lesson shows
	 * the same numbers as starting without it. */
	{
		EngineConfig def;

		engine_config_default(&def);
		assert_cfg_eq(&sc.steps[0].cfg, &def);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Bad files                                                              */
/* ---------------------------------------------------------------------- */

typedef struct {
	const char *name;
	const char *text;
	const char *want; /* the whole message, after the directory */
} BadFile;

#define NUMBER "; accepted: a number from 0 to 100"
#define DEPTH "; accepted: an integer from 1 to 100000"
#define SEED \
	"; accepted: an integer from 0 to 9007199254740991 (JSON " \
	"numbers are doubles, exact only below 2^53)"
#define STEPS "; accepted: a list of 1 to 64 preset objects"

static const BadFile bad_files[] = {
    /* syntax: the missing comma is before "width", line 4, column 3 */
    {"comma.json",
        "{\n  \"lambda\": 1.5,\n  \"depth\": 150\n"
        "  \"width\": 2\n}\n",
        "comma.json: JSON syntax error at line 4, column 3"},
    /* columns count characters: two 2-byte lambdas before the '}' */
    {"utf8.json", "{\"title\": \"\xce\xbb\xce\xbb\", \"x\": }",
        "utf8.json: JSON syntax error at line 1, column 22"},
    {"string.json", "{\n\"title\": \"open\n",
        "string.json: JSON syntax "
        "error at line 2, column 11"},
    {"nan.json", "{\"lambda\": NaN}",
        "nan.json: JSON syntax error at "
        "line 1, column 12"},
    {"empty.json", "",
        "empty.json: JSON syntax error at line 1, "
        "column 1"},
    /* trailing text */
    {"trail.json", "{\"lambda\": 1}\n\nx\n",
        "trail.json: unexpected text "
        "after the JSON value at line 3, column 1"},
    {"two.json", "{} {}",
        "two.json: unexpected text after the JSON "
        "value at line 1, column 4"},
    /* duplicate keys, wherever they are */
    {"dup.json", "{\"lambda\": 1, \"depth\": 3, \"lambda\": 2}",
        "dup.json: duplicate key \"lambda\""},
    {"dupstep.json", "{\"steps\": [{}, {\"depth\": 1, \"depth\": 2}]}",
        "dupstep.json: step 2: duplicate key \"depth\""},
    {"dupdeep.json", "{\"extra\": [{\"a\": {\"b\": 1, \"b\": 1}}]}",
        "dupdeep.json: duplicate key \"b\""},
    {"dupsteps.json", "{\"steps\": [{}], \"steps\": [{}]}",
        "dupsteps.json: duplicate key \"steps\""},
    /* wrong types */
    {"type.json", "{\"depth\": \"150\"}",
        "type.json: \"depth\" is a "
        "string" DEPTH},
    {"bool.json", "{\"lambda\": true}",
        "bool.json: \"lambda\" is a "
        "boolean" NUMBER},
    {"null.json", "{\"seed\": null}", "null.json: \"seed\" is null" SEED},
    {"modetype.json", "{\"precision\": 64}",
        "modetype.json: "
        "\"precision\" is a number; accepted: exact|float64|float32|float16|bfloat16"},
    {"titletype.json", "{\"title\": [\"a\"]}",
        "titletype.json: \"title\" "
        "is an array; accepted: a string of at most 127 bytes of UTF-8 "
        "text on one line"},
    {"top.json", "[1, 2]",
        "top.json: the top level is an array; "
        "accepted: a preset or lesson object"},
    /* not finite: cJSON reads 1e999 as inf */
    {"inf.json", "{\"lambda\": 1e999}",
        "inf.json: \"lambda\" is not a "
        "finite number" NUMBER},
    {"ninf.json", "{\"depth\": -1e999}",
        "ninf.json: \"depth\" is not a "
        "finite number" DEPTH},
    /* out of range, not whole */
    {"range.json", "{\"lambda\": 100.5}",
        "range.json: \"lambda\": 100.5 "
        "is out of range" NUMBER},
    {"neg.json", "{\"lambda\": -0.25}",
        "neg.json: \"lambda\": -0.25 is "
        "out of range" NUMBER},
    {"depth0.json", "{\"depth\": 0}",
        "depth0.json: \"depth\": 0 is out "
        "of range" DEPTH},
    {"width.json", "{\"width\": 4097}",
        "width.json: \"width\": 4097 is "
        "out of range; accepted: an integer from 1 to 4096"},
    {"frac.json", "{\"depth\": 150.5}",
        "frac.json: \"depth\": 150.5 is "
        "not an integer" DEPTH},
    {"seedneg.json", "{\"seed\": -1}",
        "seedneg.json: \"seed\": -1 is "
        "out of range" SEED},
    {"seedbig.json", "{\"seed\": 9007199254740992}",
        "seedbig.json: "
        "\"seed\": 9007199254740992 is out of range" SEED},
    /* unknown mode names; case matters */
    {"init.json", "{\"init\": \"gauss\"}",
        "init.json: \"init\": "
        "\"gauss\" is not known; accepted: identity|gaussian|orthogonal"},
    {"act.json", "{\"activation\": \"Tanh\"}",
        "act.json: \"activation\": "
        "\"Tanh\" is not known; accepted: linear|tanh|relu|sigmoid"},
    {"input.json", "{\"input\": \"zeros\"}",
        "input.json: \"input\": "
        "\"zeros\" is not known; accepted: ones|random"},
    {"up3.json", "{\"upstream\": 3}",
        "up3.json: \"upstream\" is a number; accepted: random|ones"},
    {"upx.json", "{\"upstream\": \"Ones\"}",
        "upx.json: \"upstream\": \"Ones\" is not known; accepted: "
        "random|ones"},
    {"biasneg.json", "{\"bias_std\": -1}",
        "biasneg.json: \"bias_std\": -1 is out of range; accepted: a "
        "number from 0 to 10"},
    {"arch3.json", "{\"arch\": 3}",
        "arch3.json: \"arch\" is a number; accepted: plain|residual"},
    {"batch.json", "{\"norm\": \"batch\"}",
        "batch.json: \"norm\": \"batch\" is not known; accepted: "
        "none|layer|rms"},
    {"alphaneg.json", "{\"branch_scale\": -1}",
        "alphaneg.json: \"branch_scale\": -1 is out of range; accepted: "
        "a number from 0 to 10 or \"1/sqrt(L)\""},
    {"alphaword.json", "{\"branch_scale\": \"1/sqrt(n)\"}",
        "alphaword.json: \"branch_scale\" is a string; accepted: a "
        "number from 0 to 10 or \"1/sqrt(L)\""},
    {"biasbig.json", "{\"bias_std\": 10.5}",
        "biasbig.json: \"bias_std\": 10.5 is out of range; accepted: a "
        "number from 0 to 10"},
    {"shown.json", "{\"init\": \"a\\u001b[31mb\"}",
        "shown.json: "
        "\"init\": \"a?[31mb\" is not known; accepted: "
        "identity|gaussian|orthogonal"},
    /* texts */
    {"newline.json", "{\"title\": \"a\\nb\"}",
        "newline.json: \"title\" "
        "holds a control character; accepted: a string of at most 127 "
        "bytes of UTF-8 text on one line"},
    {"esc.json", "{\"caption\": \"\\u001b[2J\"}",
        "esc.json: \"caption\" "
        "holds a control character; accepted: a string of at most 1023 "
        "bytes of UTF-8 text"},
    {"c1.json", "{\"caption\": \"\\u009b2J\"}",
        "c1.json: \"caption\" "
        "holds a control character; accepted: a string of at most 1023 "
        "bytes of UTF-8 text"},
    {"latin1.json", "{\"caption\": \"caf\xe9\"}",
        "latin1.json: "
        "\"caption\" is not valid UTF-8; accepted: a string of at most "
        "1023 bytes of UTF-8 text"},
    /* The view draws a character a cell: double-width and combining
     * characters are refused whatever the process's locale. */
    {"wide.json", "{\"caption\": \"ok \xe4\xb8\xad\"}",
        "wide.json: \"caption\" holds a character that is not one cell "
        "wide (double-width or combining); accepted: a string of at most "
        "1023 bytes of UTF-8 text"},
    {"emoji.json", "{\"title\": \"\xf0\x9f\x98\x80\"}",
        "emoji.json: \"title\" holds a character that is not one cell "
        "wide (double-width or combining); accepted: a string of at most "
        "127 bytes of UTF-8 text on one line"},
    {"combining.json", "{\"caption\": \"e\xcc\x81\"}",
        "combining.json: \"caption\" holds a character that is not one "
        "cell wide (double-width or combining); accepted: a string of at "
        "most 1023 bytes of UTF-8 text"},
    /* lessons */
    {"step.json",
        "{\"title\": \"L\", \"steps\": [{\"lambda\": 1}, "
        "{\"lambda\": \"x\"}]}",
        "step.json: step 2: \"lambda\" is a "
        "string" NUMBER},
    {"step3.json", "{\"steps\": [{}, {}, {\"init\": \"eye\"}]}",
        "step3.json: step 3: \"init\": \"eye\" is not known; accepted: "
        "identity|gaussian|orthogonal"},
    {"nosteps.json", "{\"title\": \"L\", \"steps\": []}",
        "nosteps.json: "
        "\"steps\" has 0 entries" STEPS},
    {"stepsobj.json", "{\"steps\": {\"lambda\": 1}}",
        "stepsobj.json: "
        "\"steps\" is an object" STEPS},
    {"stepnum.json", "{\"steps\": [{}, 3]}",
        "stepnum.json: step 2: a "
        "number, not a preset object"},
    {"lessontitle.json", "{\"title\": 5, \"steps\": [{}]}",
        "lessontitle.json: \"title\" is a number; accepted: a string of "
        "at most 127 bytes of UTF-8 text on one line"},
};

START_TEST(test_bad_file)
{
	const BadFile *b = &bad_files[_i];

	ck_assert_str_eq(load_error(put_text(b->name, b->text)), b->want);
}
END_TEST

/* Text one cell a character loads, whatever it is beyond ASCII: the
 * glyphs of the view's own captions, accents, Greek, box drawing. */
START_TEST(test_single_width_text)
{
	static const char caption[] = "caf\xc3\xa9 \xce\xbb=1 \xe2\x96\x88 "
	                              "\xe2\x97\x86 \xcf\x87 \xc3\x97";
	char text[256];

	snprintf(text, sizeof text,
	    "{\"title\": \"\xce\xbb\", \"caption\": \"%s\"}", caption);
	load_ok(put_text("w.json", text));
	ck_assert_str_eq(sc.steps[0].caption, caption);
	ck_assert_str_eq(sc.steps[0].title, "\xce\xbb");
}
END_TEST

START_TEST(test_bad_sizes)
{
	char text[1100], *big;
	const char *path;
	int i;

	/* 128 bytes of title, 1024 of caption: one too many each. */
	snprintf(text, sizeof text, "{\"title\": \"%0128d\"}", 0);
	ck_assert_str_eq(load_error(put_text("t.json", text)),
	    "t.json: "
	    "\"title\" is 128 bytes long; accepted: a string of at most 127 "
	    "bytes of UTF-8 text on one line");
	snprintf(text, sizeof text, "{\"title\": \"%0127d\"}", 0);
	load_ok(put_text("t.json", text));
	ck_assert_uint_eq(strlen(sc.title), 127);
	snprintf(text, sizeof text, "{\"caption\": \"%01024d\"}", 0);
	ck_assert_str_eq(load_error(put_text("c.json", text)),
	    "c.json: "
	    "\"caption\" is 1024 bytes long; accepted: a string of at most "
	    "1023 bytes of UTF-8 text");

	/* 64 steps load, 65 do not. */
	strcpy(text, "{\"steps\": [{}");
	for (i = 1; i < 64; i++)
		strcat(text, ",{}");
	load_ok(put_text("s64.json", strcat(text, "]}")));
	ck_assert_int_eq(sc.nsteps, 64);
	text[strlen(text) - 2] = '\0';
	ck_assert_str_eq(load_error(put_text("s65.json",
	                     strcat(text, ",{}]}"))),
	    "s65.json: \"steps\" has 65 entries" STEPS);

	/* A NUL byte is not JSON text. */
	ck_assert_str_eq(load_error(put_file("nul.json", "{\n }\0", 5)),
	    "nul.json: NUL byte at line 2, column 3; a JSON file is text");

	/* 1 MiB of blanks around {} loads; one byte more does not. */
	big = malloc(FILEIO_MAX_SIZE + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', FILEIO_MAX_SIZE + 1);
	big[0] = '{';
	big[1] = '}';
	path = put_file("max.json", big, FILEIO_MAX_SIZE);
	load_ok(path);
	ck_assert_str_eq(load_error(put_file("big.json", big,
	                     FILEIO_MAX_SIZE + 1)),
	    "big.json: larger than 1 MiB");
	free(big);
}
END_TEST

/* JSON nested past cJSON's limit is said to be so, where it happens; a
 * "\u0000" in a string is refused with its key, since cJSON would cut
 * the string there; an escaped backslash before "u0000" is text. */
START_TEST(test_deep_and_nul_escape)
{
	char *text = malloc(4096);
	size_t n = 0, i;

	ck_assert_ptr_nonnull(text);
	n += (size_t)sprintf(text, "{\"steps\": ");
	for (i = 0; i < JSONLOAD_DEPTH_MAX; i++)
		text[n++] = '[';
	for (i = 0; i < JSONLOAD_DEPTH_MAX; i++)
		text[n++] = ']';
	strcpy(text + n, "}");
	ck_assert_str_eq(load_error(put_text("deep.json", text)),
	    "deep.json: JSON nested deeper than 1000 levels at line 1, "
	    "column 1010");
	free(text);

	ck_assert_str_eq(load_error(put_text("t.json",
	                     "{\"title\": \"ab\\u0000cd\", \"depth\": 3}")),
	    "t.json: \"title\": the string holds \\u0000 (a NUL character) at "
	    "line 1, column 14; text cannot hold NUL");
	ck_assert_str_eq(load_error(put_text("c.json",
	                     "{\"steps\": [{\"depth\": 3},\n"
	                     " {\"caption\": \"x\\u0000\"}]}")),
	    "c.json: \"caption\": the string holds \\u0000 (a NUL character) "
	    "at line 2, column 16; text cannot hold NUL");
	ck_assert_str_eq(load_error(put_text("s.json", "\"\\u0000\"")),
	    "s.json: a string holds \\u0000 (a NUL character) at line 1, "
	    "column 2; text cannot hold NUL");
	load_ok(put_text("ok.json", "{\"title\": \"a\\\\u0000b\"}"));
	ck_assert_str_eq(sc.title, "a\\u0000b");
}
END_TEST

START_TEST(test_many_keys_duplicate)
{
	/*
	 * A file near the 1 MiB limit with 80,000 keys, the last one a
	 * repeat of an early one: refused, naming the key. Compared pair by
	 * pair the check took 25 s on this machine (a hang to a user); the
	 * sorted check takes milliseconds, well inside the test's timeout.
	 */
	size_t cap = 80000 * 12 + 64, n = 0;
	char *text = malloc(cap);
	int i;

	ck_assert_ptr_nonnull(text);
	n += (size_t)snprintf(text + n, cap - n, "{");
	for (i = 0; i < 80000; i++)
		n += (size_t)snprintf(text + n, cap - n, "\"k%d\":1,", i);
	n += (size_t)snprintf(text + n, cap - n, "\"k5\":2}");
	ck_assert_uint_lt(n, FILEIO_MAX_SIZE);
	ck_assert_str_eq(load_error(put_file("many.json", text, n)),
	    "many.json: duplicate key \"k5\"");
	free(text);
}
END_TEST

START_TEST(test_bad_paths)
{
	char want[512];

	snprintf(want, sizeof want, "%s: is a directory", tmpdir);
	ck_assert_int_eq(mkdir(in_tmp("dir.json"), 0755), 0);
	ck_assert_str_eq(load_error(in_tmp("dir.json")),
	    "dir.json: is a "
	    "directory");
	ck_assert_str_eq(load_error(in_tmp("missing.json")),
	    "missing.json: "
	    "cannot read: No such file or directory");
}
END_TEST

START_TEST(test_open_unknown_name)
{
	char warn[64], err[512];

	ck_assert_int_eq(scenario_open("zzt-no-such-preset", &sc, warn,
	                     sizeof warn, err, sizeof err),
	    -1);
	ck_assert_msg(strncmp(err,
	                  "no preset 'zzt-no-such-preset' in "
	                  "./presets, ",
	                  45) == 0,
	    "%s", err);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Warnings                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_unknown_key_suggests)
{
	EngineConfig def;

	engine_config_default(&def);
	ck_assert_str_eq(load_ok(put_text("w.json",
	                     "{\"lamda\": 2, \"depth\": 7}")),
	    "w.json: unknown key \"lamda\", did you mean \"lambda\"?\n");
	/* The rest loaded; the misspelt key was not guessed into place. */
	ck_assert_int_eq(sc.steps[0].cfg.depth, 7);
	ck_assert(sc.steps[0].cfg.lambda == def.lambda);

	ck_assert_str_eq(load_ok(put_text("w.json", "{\"widht\": 3}")),
	    "w.json: unknown key \"widht\", did you mean \"width\"?\n");
	ck_assert_str_eq(load_ok(put_text("w.json", "{\"act\": \"relu\"}")),
	    "w.json: unknown key \"act\", did you mean \"activation\"?\n");
	ck_assert_str_eq(load_ok(put_text("w.json", "{\"Seed\": 3}")),
	    "w.json: unknown key \"Seed\", did you mean \"seed\"?\n");
	ck_assert_str_eq(load_ok(put_text("w.json", "{\"colour\": 3}")),
	    "w.json: unknown key \"colour\"; known keys: lambda, depth, "
	    "width, init, activation, precision, seed, input, upstream, "
	    "bias_std, arch, norm, branch_scale, title, caption, lambda_step, "
	    "scale\n");
	ck_assert_int_eq(sc.steps[0].cfg.depth, def.depth);
}
END_TEST

START_TEST(test_lesson_warnings)
{
	ck_assert_str_eq(
	    load_ok(put_text("l.json",
	        "{\"tittle\": \"L\", \"steps\": [{}, {}, {\"dpeth\": 5, "
	        "\"caption\": \"is {output}, not {outptu} {a, b}\"}]}")),
	    "l.json: unknown key \"tittle\", did you mean \"title\"?\n"
	    "l.json: step 3: unknown key \"dpeth\", did you mean \"depth\"?\n"
	    "l.json: step 3: \"caption\": unknown placeholder \"{outptu}\"; "
	    "known: {output} {gradient} and a setting's key ({lambda} "
	    "{depth} {width} {init} {activation} ...)\n");
	ck_assert_int_eq(sc.lesson, 1);
	ck_assert_int_eq(sc.nsteps, 3);
	ck_assert_str_eq(sc.title, "");
	ck_assert_str_eq(sc.steps[2].caption,
	    "is {output}, not {outptu} {a, b}");
}
END_TEST

/* Warnings that do not fit are dropped whole, never cut. */
START_TEST(test_warnings_small_buffer)
{
	char warn[60], err[256];
	const char *path = put_text("w.json", "{\"lamda\": 1, \"widht\": 1}");

	ck_assert_int_eq(scenario_load(path, &sc, warn, sizeof warn, err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(scenario_load(path, &sc, NULL, 0, err, sizeof err), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Saving                                                                 */
/* ---------------------------------------------------------------------- */

static void assert_same_numbers(const EngineConfig *a, const EngineConfig *b)
{
	Engine *ea = engine_new(), *eb = engine_new();
	EngineResult ra, rb;
	char err[256];
	int l;

	ck_assert(ea != NULL && eb != NULL);
	ck_assert_int_eq(engine_compute(ea, a, &ra, err, sizeof err), 0);
	ck_assert_int_eq(engine_compute(eb, b, &rb, err, sizeof err), 0);
	ck_assert_int_eq(ra.depth, rb.depth);
	for (l = 0; l <= ra.depth; l++) {
		ck_assert_mem_eq(&ra.activation_rms[l], &rb.activation_rms[l],
		    sizeof(XMag));
		ck_assert_mem_eq(&ra.gradient_rms[l], &rb.gradient_rms[l],
		    sizeof(XMag));
	}
	engine_free(ea);
	engine_free(eb);
}

START_TEST(test_save_load_round_trip)
{
	static const double lambdas[] = {0.1, 1.4142135623730951, 1e-300,
	    2.0 / 3.0, 100.0, 0.0};
	const char *path = in_tmp("saved.json");
	Preset p;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		scenario_preset_default(&p);
		p.cfg.lambda = lambdas[i];
		p.cfg.depth = 37 + (int)i;
		p.cfg.width = 5;
		p.cfg.init = (EngineInit)(i % ENGINE_INIT_COUNT);
		p.cfg.act = (EngineAct)(i % ENGINE_ACT_COUNT);
		p.cfg.precision = (EnginePrecision)(i % ENGINE_PRECISION_COUNT);
		p.cfg.input = ENGINE_INPUT_RANDOM;
		p.cfg.seed = i == 0 ? 9007199254740991u : 1000 + i;
		p.cfg.upstream = (EngineUpstream)(i % ENGINE_UPSTREAM_COUNT);
		p.cfg.bias_std = i * (2.0 / 3.0);
		p.cfg.arch = (EngineArch)(i % ENGINE_ARCH_COUNT);
		p.cfg.norm = (EngineNorm)(i % ENGINE_NORM_COUNT);
		p.cfg.branch_scale = i % 3 == 2 ?
		    ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH :
		    i * (3.0 / 7.0);
		snprintf(p.title, sizeof p.title, "\"quoted\" \\ \xce\xbb");
		snprintf(p.caption, sizeof p.caption,
		    "line one\nline two {output}");
		ck_assert_msg(scenario_save(path, &p, 1, err, sizeof err) == 0,
		    "%s", err);
		ck_assert_str_eq(load_ok(path), "");
		ck_assert_int_eq(sc.lesson, 0);
		ck_assert_int_eq(sc.nsteps, 1);
		ck_assert_str_eq(sc.name, "saved");
		assert_cfg_eq(&sc.steps[0].cfg, &p.cfg);
		ck_assert_str_eq(sc.steps[0].title, p.title);
		ck_assert_str_eq(sc.steps[0].caption, p.caption);
		assert_same_numbers(&sc.steps[0].cfg, &p.cfg);
	}
}
END_TEST

/* Every key is written, in a form a person can read. */
START_TEST(test_save_format)
{
	const char *path = in_tmp("f.json");
	char err[512], *text;
	size_t len;
	Preset p;

	scenario_preset_default(&p);
	p.cfg.lambda = 0.1;
	strcpy(p.title, "T");
	ck_assert_int_eq(scenario_save(path, &p, 0, err, sizeof err), 0);
	text = fileio_read(path, FILEIO_MAX_SIZE, &len, err, sizeof err);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text,
	    "{\n"
	    "  \"title\": \"T\",\n"
	    "  \"caption\": \"\",\n"
	    "  \"lambda\": 0.1,\n"
	    "  \"depth\": 150,\n"
	    "  \"width\": 2,\n"
	    "  \"init\": \"identity\",\n"
	    "  \"activation\": \"linear\",\n"
	    "  \"precision\": \"exact\",\n"
	    "  \"input\": \"ones\",\n"
	    "  \"seed\": 1,\n"
	    "  \"upstream\": \"random\",\n"
	    "  \"bias_std\": 0,\n"
	    "  \"arch\": \"plain\",\n"
	    "  \"norm\": \"none\",\n"
	    "  \"branch_scale\": 1\n"
	    "}\n");
	free(text);
}
END_TEST

/* The names the save key tries, in the test's directory: p.json, then
 * p-2.json ... p-1000.json. */
static int free_namer(int k, char *path, size_t len, void *ctx)
{
	(void)ctx;
	if (k > 1000)
		return -1;
	if (k == 1)
		return snprintf(path, len, "%s/p.json", tmpdir) < (int)len ? 0 :
		                                                             -1;
	return snprintf(path, len, "%s/p-%d.json", tmpdir, k) < (int)len ? 0 :
	                                                                   -1;
}

/* Two processes saving 50 presets each at the same instant, as two views
 * pressing S would: all 100 land, under 100 distinct names, none lost
 * and none overwritten (each file holds the title it was saved with). */
START_TEST(test_save_free_race)
{
	char path[256], err[512], title[128];
	int seen[2][50], who, i, k, status;
	pid_t pid[2];
	Preset p;

	scenario_preset_default(&p);
	for (who = 0; who < 2; who++) {
		pid[who] = fork();
		ck_assert_int_ge(pid[who], 0);
		if (pid[who] > 0)
			continue;
		for (i = 0; i < 50; i++) {
			snprintf(p.title, sizeof p.title, "saver %d save %d",
			    who, i);
			if (scenario_save_free(&p, free_namer, NULL, path,
			        sizeof path, err, sizeof err) < 0)
				_exit(1);
		}
		_exit(0);
	}
	for (who = 0; who < 2; who++) {
		ck_assert_int_eq(waitpid(pid[who], &status, 0), pid[who]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	memset(seen, 0, sizeof seen);
	for (k = 1; k <= 100; k++) {
		free_namer(k, path, sizeof path, NULL);
		load_ok(path);
		ck_assert_int_eq(sscanf(sc.title, "saver %d save %d", &who, &i),
		    2);
		ck_assert(who >= 0 && who < 2 && i >= 0 && i < 50);
		ck_assert_int_eq(seen[who][i]++, 0);
	}
	free_namer(101, path, sizeof path, NULL);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(title, sizeof title, "ls -A '%s' | grep -q '^\\.'", tmpdir);
	ck_assert_int_ne(system(title), 0); /* no temporary file left */

	/* A preset that would not load back is refused under the first name,
	 * and nothing is made. */
	p.cfg.lambda = 200;
	ck_assert_int_eq(scenario_save_free(&p, free_namer, NULL, path,
	                     sizeof path, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "/p.json: not saved: lambda 200"));
	free_namer(101, path, sizeof path, NULL);
	ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_save_refuses)
{
	const char *path = in_tmp("old.json");
	char err[512], want[600], *text;
	size_t len;
	Preset p;

	put_text("old.json", "{\"lambda\": 2}\n");
	scenario_preset_default(&p);
	ck_assert_int_eq(scenario_save(path, &p, 0, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s exists; use --force to replace it",
	    path);
	ck_assert_str_eq(err, want);
	text = fileio_read(path, FILEIO_MAX_SIZE, &len, err, sizeof err);
	ck_assert_str_eq(text, "{\"lambda\": 2}\n");
	free(text);

	/* What would not load back is not written. */
	p.cfg.seed = 9007199254740992u;
	ck_assert_int_eq(scenario_save(in_tmp("seed.json"), &p, 0, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "seed.json: not saved: seed "
	    "9007199254740992 cannot be written exactly" SEED));
	p.cfg.seed = 1;
	p.cfg.lambda = 200;
	ck_assert_int_eq(scenario_save(in_tmp("l.json"), &p, 0, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "l.json: not saved: lambda 200 is "
	    "out of range"));
	p.cfg.lambda = 1;
	strcpy(p.title, "a\tb");
	ck_assert_int_eq(scenario_save(in_tmp("t.json"), &p, 0, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "t.json: not saved: the title "
	    "holds a control character"));
	ck_assert_int_eq(access(in_tmp("seed.json"), F_OK), -1);
	ck_assert_int_eq(access(in_tmp("l.json"), F_OK), -1);
	ck_assert_int_eq(access(in_tmp("t.json"), F_OK), -1);

	/* Into a directory that is not there: an error naming the file,
	 * and nothing created. */
	strcpy(p.title, "");
	ck_assert_int_eq(scenario_save(in_tmp("no/x.json"), &p, 0, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "/no/x.json: cannot create a file "
	    "in "));
	ck_assert_int_eq(access(in_tmp("no"), F_OK), -1);
}
END_TEST
/* A preset's own lambda step and scale: read, checked, written back. */
START_TEST(test_view_keys)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"{\"lambda_step\": 0.002}",
	        "v.json: \"lambda_step\": 0.002 is not a step the keys "
	        "take; accepted: 0.0001, 0.001, 0.01 or 0.1"},
	    {"{\"lambda_step\": 1}",
	        "v.json: \"lambda_step\": 1 is not a step the keys take; "
	        "accepted: 0.0001, 0.001, 0.01 or 0.1"},
	    {"{\"lambda_step\": \"0.01\"}",
	        "v.json: \"lambda_step\" is a string; accepted: 0.0001, "
	        "0.001, 0.01 or 0.1"},
	    {"{\"scale\": 5}",
	        "v.json: \"scale\" is a number; accepted: an object "
	        "{\"min\": a, \"max\": b} with 0 < a < b, finite"},
	    {"{\"scale\": {\"min\": 1e-30}}",
	        "v.json: \"scale\": min or max is missing; accepted: an "
	        "object {\"min\": a, \"max\": b} with 0 < a < b, finite"},
	    {"{\"scale\": {\"min\": 10, \"max\": 1}}",
	        "v.json: \"scale\": min and max are not 0 < min < max; "
	        "accepted: an object {\"min\": a, \"max\": b} with "
	        "0 < a < b, finite"},
	};
	const char *path = in_tmp("kept.json");
	char err[512];
	Preset p;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_str_eq(load_error(put_text("v.json", bad[i].text)),
		    bad[i].want);
	ck_assert_str_eq(load_ok(put_text("v.json",
	                     "{\"lambda_step\": 0.001, \"scale\": "
	                     "{\"min\": 1e-30, \"max\": 1e10}}")),
	    "");
	ck_assert(sc.steps[0].lambda_step == 0.001);
	ck_assert(sc.steps[0].scale_min == 1e-30);
	ck_assert(sc.steps[0].scale_max == 1e10);
	ck_assert_str_eq(load_ok(put_text("v.json",
	                     "{\"scale\": {\"min\": 1e-3, \"max\": 1e3, "
	                     "\"mid\": 1}}")),
	    "v.json: unknown key \"mid\", did you mean \"min\"?\n");
	/* Without them: zero, the view's own. */
	ck_assert_str_eq(load_ok(put_text("v.json", "{}")), "");
	ck_assert(sc.steps[0].lambda_step == 0);
	ck_assert(sc.steps[0].scale_min == 0 && sc.steps[0].scale_max == 0);
	/* Saved and loaded back the same. */
	scenario_preset_default(&p);
	p.lambda_step = 0.0001;
	p.scale_min = 3e-45;
	p.scale_max = 1e20;
	ck_assert_msg(scenario_save(path, &p, 1, err, sizeof err) == 0, "%s",
	    err);
	ck_assert_str_eq(load_ok(path), "");
	ck_assert(sc.steps[0].lambda_step == 0.0001);
	ck_assert(sc.steps[0].scale_min == 3e-45);
	ck_assert(sc.steps[0].scale_max == 1e20);
}
END_TEST

Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc;

	tc = tcase_create("shipped");
	tcase_add_test(tc, test_every_shipped_file);
	tcase_add_loop_test(tc, test_captions_tell_the_truth, 0, CLAIMS);
	tcase_add_test(tc, test_every_caption_claimed);
	tcase_add_loop_test(tc, test_shipped_parameters, 0,
	    (int)(sizeof shipped / sizeof shipped[0]));
	tcase_add_test(tc, test_lesson_steps);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bad_file, 0,
	    (int)(sizeof bad_files / sizeof bad_files[0]));
	tcase_add_test(tc, test_single_width_text);
	tcase_add_test(tc, test_bad_sizes);
	tcase_add_test(tc, test_many_keys_duplicate);
	tcase_add_test(tc, test_bad_paths);
	tcase_add_test(tc, test_open_unknown_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("warnings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_unknown_key_suggests);
	tcase_add_test(tc, test_view_keys);
	tcase_add_test(tc, test_lesson_warnings);
	tcase_add_test(tc, test_warnings_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("save");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_deep_and_nul_escape);
	tcase_add_test(tc, test_save_load_round_trip);
	tcase_add_test(tc, test_save_format);
	tcase_add_test(tc, test_save_refuses);
	tcase_add_test(tc, test_save_free_race);
	suite_add_tcase(s, tc);
	return s;
}
