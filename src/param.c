/*
 * param: the configuration fields, one table row each.
 * See include/param.h for the contract.
 */
#include "param.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A choice row reaches its engine enum through int-typed functions. */
#define PARAM_CHOICE_FUNCS(what, Type) \
	static const char *param_##what##_name(int v) \
	{ \
		return engine_##what##_name((Type)v); \
	} \
	static int param_##what##_parse(const char *s, int *out) \
	{ \
		Type t; \
		if (engine_##what##_parse(s, &t) < 0) \
			return -1; \
		*out = (int)t; \
		return 0; \
	}

PARAM_CHOICE_FUNCS(init, EngineInit)
PARAM_CHOICE_FUNCS(act, EngineAct)
PARAM_CHOICE_FUNCS(precision, EnginePrecision)
PARAM_CHOICE_FUNCS(input, EngineInput)
PARAM_CHOICE_FUNCS(upstream, EngineUpstream)
PARAM_CHOICE_FUNCS(arch, EngineArch)
PARAM_CHOICE_FUNCS(norm, EngineNorm)

#define PARAM_FIELD(f) \
	.offset = offsetof(EngineConfig, f), \
	.size = sizeof(((EngineConfig *)0)->f)

#define PARAM_CHOICES(what, n) \
	.type = PARAM_CHOICE, .count = (n), \
	.choice_name = param_##what##_name, \
	.choice_parse = param_##what##_parse, \
	.choice_names = engine_##what##_names

/* ---------------------------------------------------------------------- */
/* The table                                                              */
/* ---------------------------------------------------------------------- */

/* line[]: STATUS, STATUS_ASCII, SVG, SVG_TITLE, TITLE, FILE. */
const ParamDef param_table[PARAM_COUNT] = {
    [PARAM_LAMBDA] = {.name = "lambda",
        .option = "lambda",
        .key = "lambda",
        .type = PARAM_NUMBER,
        PARAM_FIELD(lambda),
        .min = ENGINE_LAMBDA_MIN,
        .max = ENGINE_LAMBDA_MAX,
        .def = {.number = 1.5},
        .meta = "X",
        .help = "weight scale",
        .next = ACTION_NONE,
        .swept = 1,
        .cli_rank = 0,
        .key_rank = 0,
        .line = {"λ={}", "lambda={}", "λ={}", "λ={}", "lambda={}", "lambda{}"}},
    [PARAM_DEPTH] = {.name = "depth",
        .option = "depth",
        .key = "depth",
        .type = PARAM_INTEGER,
        PARAM_FIELD(depth),
        .min = ENGINE_DEPTH_MIN,
        .max = ENGINE_DEPTH_MAX,
        .def = {.integer = 150},
        .meta = "L",
        .help = "layers",
        .next = ACTION_NONE,
        .cli_rank = 1,
        .key_rank = 1,
        .line = {"L={}", "L={}", "L={}", "{} layer{s}", "L={}", "L{}"}},
    [PARAM_WIDTH] = {.name = "width",
        .option = "width",
        .key = "width",
        .type = PARAM_INTEGER,
        PARAM_FIELD(width),
        .min = ENGINE_WIDTH_MIN,
        .max = ENGINE_WIDTH_MAX,
        .def = {.integer = 2},
        .meta = "N",
        .help = "units per layer",
        .next = ACTION_NONE,
        .cli_rank = 2,
        .key_rank = 2,
        .line = {"n={}", "n={}", "n={}", NULL, "n={}", "n{}"}},
    [PARAM_INIT] = {.name = "init",
        .option = "init",
        .key = "init",
        PARAM_CHOICES(init, ENGINE_INIT_COUNT),
        PARAM_FIELD(init),
        .def = {.integer = ENGINE_INIT_IDENTITY},
        .meta = "MODE",
        .help = "",
        .note = "identity: W = lambda I; gaussian: entries\n"
                "N(0, lambda^2/n); orthogonal: W = lambda Q",
        .next = ACTION_NEXT_INIT,
        .cli_rank = 3,
        .key_rank = 3,
        .line = {"{}", "{}", "init {}", "{} init", "{}", "{}"}},
    [PARAM_ACT] = {.name = "activation",
        .option = "act",
        .key = "activation",
        PARAM_CHOICES(act, ENGINE_ACT_COUNT),
        PARAM_FIELD(act),
        .def = {.integer = ENGINE_ACT_LINEAR},
        .meta = "MODE",
        .help = "",
        .next = ACTION_NEXT_ACT,
        .cli_rank = 4,
        .key_rank = 4,
        .line = {"{}", "{}", "activation {}", "{} activation", "{}", "{}"}},
    [PARAM_PRECISION] = {.name = "precision",
        .option = "precision",
        .key = "precision",
        PARAM_CHOICES(precision, ENGINE_PRECISION_COUNT),
        PARAM_FIELD(precision),
        .def = {.integer = ENGINE_PRECISION_EXACT},
        .meta = "MODE",
        .help = "",
        .note = "exact keeps magnitudes far past double range;\n"
                "the float formats show where IEEE arithmetic\n"
                "overflows to inf or underflows to 0",
        .next = ACTION_NEXT_PRECISION,
        .cli_rank = 6,
        .key_rank = 5,
        .line = {"{}", "{}", "precision {}", NULL, "{}", "{}"}},
    [PARAM_INPUT] = {.name = "input",
        .option = "input",
        .key = "input",
        PARAM_CHOICES(input, ENGINE_INPUT_COUNT),
        PARAM_FIELD(input),
        .def = {.integer = ENGINE_INPUT_ONES},
        .meta = "MODE",
        .help = "",
        .next = ACTION_NONE,
        .cli_rank = 7,
        .key_rank = 7,
        .line = {NULL, NULL, "input {}", NULL, NULL, NULL}},
    [PARAM_SEED] = {.name = "seed",
        .option = "seed",
        .key = "seed",
        .type = PARAM_UINT64,
        PARAM_FIELD(seed),
        .def = {.u64 = 1},
        .meta = "S",
        .help = "random seed",
        .next = ACTION_NEW_SEED,
        .cli_rank = 5,
        .key_rank = 6,
        .line = {"seed={}", "seed={}", "seed {}", NULL, NULL, "seed{}"}},
    [PARAM_UPSTREAM] = {.name = "upstream",
        .option = "upstream",
        .key = "upstream",
        PARAM_CHOICES(upstream, ENGINE_UPSTREAM_COUNT),
        PARAM_FIELD(upstream),
        .def = {.integer = ENGINE_UPSTREAM_RANDOM},
        .meta = "MODE",
        .help = "the upstream gradient g[L]",
        .note = "random: u/rms(u), u ~ N(0, I) seeded, as a random\n"
                "readout layer sends back; ones: ones(n)",
        .next = ACTION_NEXT_UPSTREAM,
        .cli_rank = 8,
        .key_rank = 8,
        .line = {"upstream {}", "upstream {}", "upstream {}", NULL,
            "upstream {}", NULL},
        .quiet = 1},
    [PARAM_BIAS_STD] = {.name = "bias std",
        .option = "bias-std",
        .key = "bias_std",
        .type = PARAM_NUMBER,
        PARAM_FIELD(bias_std),
        .min = ENGINE_BIAS_STD_MIN,
        .max = ENGINE_BIAS_STD_MAX,
        .def = {.number = 0},
        .meta = "S",
        .help = "bias std: b[l] ~ N(0, S^2 I)",
        .next = ACTION_NONE, /* y and Y step it (app.c) */
        .cli_rank = 9,
        .key_rank = 9,
        .line = {"σb={}", "bias={}", "bias std {}", NULL, "bias={}", NULL},
        .quiet = 1},
    [PARAM_ARCH] = {.name = "arch",
        .option = "arch",
        .key = "arch",
        PARAM_CHOICES(arch, ENGINE_ARCH_COUNT),
        PARAM_FIELD(arch),
        .def = {.integer = ENGINE_ARCH_PLAIN},
        .meta = "MODE",
        .help = "the block",
        .note = "plain: a[l] = phi(N(W a[l-1] + b)); residual:\n"
                "a[l] = a[l-1] + alpha phi(W N(a[l-1]) + b)",
        .next = ACTION_NEXT_ARCH,
        .cli_rank = 10,
        .key_rank = 10,
        .line = {"{}", "{}", "arch {}", "{} blocks", "{}", NULL},
        .quiet = 1},
    [PARAM_NORM] = {.name = "norm",
        .option = "norm",
        .key = "norm",
        PARAM_CHOICES(norm, ENGINE_NORM_COUNT),
        PARAM_FIELD(norm),
        .def = {.integer = ENGINE_NORM_NONE},
        .meta = "MODE",
        .help = "the normalization N",
        .note = "layer: (v - mean)/sqrt(var + 1e-5); rms:\n"
                "v/sqrt(mean v^2 + 1e-5); none: N(v) = v",
        .next = ACTION_NEXT_NORM,
        .cli_rank = 11,
        .key_rank = 11,
        .line = {"norm {}", "norm {}", "norm {}", "{} norm", "norm={}", NULL},
        .quiet = 1},
    [PARAM_BRANCH_SCALE] = {.name = "branch scale",
        .option = "branch-scale",
        .key = "branch_scale",
        .type = PARAM_NUMBER,
        PARAM_FIELD(branch_scale),
        .min = ENGINE_BRANCH_SCALE_MIN,
        .max = ENGINE_BRANCH_SCALE_MAX,
        .literal = ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH_NAME,
        .literal_value = ENGINE_BRANCH_SCALE_INV_SQRT_DEPTH,
        .def = {.number = 1},
        .meta = "A",
        .help = "residual branch scale alpha",
        .note = "1/sqrt(L) follows the depth",
        .next = ACTION_NONE, /* } and { step it (app.c) */
        .cli_rank = 12,
        .key_rank = 12,
        .line = {"α={}", "alpha={}", "branch scale {}", NULL, "alpha={}", NULL},
        .quiet = 1,
        .needs = 1 + PARAM_ARCH},
};

/* The styles: what joins the fields, and how a number is written
 * (decimals, or -1 for "%g"). */
static const struct {
	const char *sep;
	int decimals;
} param_styles[PARAM_LINE_COUNT] = {
    [PARAM_LINE_STATUS] = {"  ", 4},
    [PARAM_LINE_STATUS_ASCII] = {"  ", 4},
    [PARAM_LINE_SVG] = {" · ", -1},
    [PARAM_LINE_SVG_TITLE] = {", ", -1},
    [PARAM_LINE_TITLE] = {" ", -1},
    [PARAM_LINE_FILE] = {"-", -1},
};

/* ---------------------------------------------------------------------- */
/* Values                                                                 */
/* ---------------------------------------------------------------------- */

/* Where the value lives in the union, by type: the field is copied as
 * bytes, so no enum is ever read through an int lvalue. */
static void *param_slot(ParamValue *v, ParamType t)
{
	switch (t) {
	case PARAM_NUMBER:
		return &v->number;
	case PARAM_UINT64:
		return &v->u64;
	case PARAM_INTEGER:
	case PARAM_CHOICE:
		return &v->integer;
	}
	return &v->integer;
}

const char *param_literal(ParamId id, ParamValue v)
{
	const ParamDef *p = &param_table[id];

	if (p->type == PARAM_NUMBER && p->literal != NULL &&
	    v.number == p->literal_value)
		return p->literal;
	return NULL;
}

ParamValue param_get(const EngineConfig *cfg, ParamId id)
{
	const ParamDef *p = &param_table[id];
	ParamValue v;

	memset(&v, 0, sizeof v);
	memcpy(param_slot(&v, p->type), (const char *)cfg + p->offset, p->size);
	return v;
}

void param_set(EngineConfig *cfg, ParamId id, ParamValue v)
{
	const ParamDef *p = &param_table[id];

	memcpy((char *)cfg + p->offset, param_slot(&v, p->type), p->size);
}

void param_copy(EngineConfig *dst, const EngineConfig *src, ParamId id)
{
	param_set(dst, id, param_get(src, id));
}

int param_equal(const EngineConfig *a, const EngineConfig *b, ParamId id)
{
	ParamValue x = param_get(a, id), y = param_get(b, id);

	switch (param_table[id].type) {
	case PARAM_NUMBER:
		return x.number == y.number;
	case PARAM_UINT64:
		return x.u64 == y.u64;
	case PARAM_INTEGER:
	case PARAM_CHOICE:
		return x.integer == y.integer;
	}
	return 0;
}

int param_same(const EngineConfig *a, const EngineConfig *b, int swept)
{
	int i;

	for (i = 0; i < PARAM_COUNT; i++)
		if ((swept || !param_table[i].swept) &&
		    !param_equal(a, b, (ParamId)i))
			return 0;
	return 1;
}

void param_next(EngineConfig *cfg, ParamId id)
{
	const ParamDef *p = &param_table[id];
	ParamValue v = param_get(cfg, id);

	switch (p->type) {
	case PARAM_NUMBER:
		v.number = v.number + 1 > p->max ? p->min : v.number + 1;
		break;
	case PARAM_INTEGER:
		v.integer = v.integer >= p->max ? (int)p->min : v.integer + 1;
		break;
	case PARAM_CHOICE:
		v.integer = (v.integer + 1) % p->count;
		break;
	case PARAM_UINT64:
		v.u64++; /* UINT64_MAX wraps to 0 */
		break;
	}
	param_set(cfg, id, v);
}

/* ---------------------------------------------------------------------- */
/* Lookups                                                                */
/* ---------------------------------------------------------------------- */

int param_by_action(Action a)
{
	int i;

	for (i = 0; a != ACTION_NONE && i < PARAM_COUNT; i++)
		if (param_table[i].next == a)
			return i;
	return -1;
}

int param_by_key(const char *key)
{
	int i;

	for (i = 0; i < PARAM_COUNT; i++)
		if (strcmp(param_table[i].key, key) == 0)
			return i;
	return -1;
}

int param_by_cli_rank(int rank)
{
	int i;

	for (i = 0; i < PARAM_COUNT; i++)
		if (param_table[i].cli_rank == rank)
			return i;
	return -1;
}

int param_by_key_rank(int rank)
{
	int i;

	for (i = 0; i < PARAM_COUNT; i++)
		if (param_table[i].key_rank == rank)
			return i;
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Text                                                                   */
/* ---------------------------------------------------------------------- */

int param_number_text(double v, char *buf, size_t len)
{
	char tmp[32];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			return snprintf(buf, len, "%s", tmp);
	}
	return snprintf(buf, len, "%.17g", v);
}

int param_value_text(ParamId id, ParamValue v, char *buf, size_t len)
{
	const ParamDef *p = &param_table[id];

	switch (p->type) {
	case PARAM_NUMBER:
		if (param_literal(id, v) != NULL)
			return snprintf(buf, len, "%s", param_literal(id, v));
		return param_number_text(v.number, buf, len);
	case PARAM_INTEGER:
		return snprintf(buf, len, "%d", v.integer);
	case PARAM_UINT64:
		return snprintf(buf, len, "%" PRIu64, v.u64);
	case PARAM_CHOICE:
		return snprintf(buf, len, "%s", p->choice_name(v.integer));
	}
	return snprintf(buf, len, "?");
}

int param_accepted(ParamId id, char *buf, size_t len)
{
	const ParamDef *p = &param_table[id];

	switch (p->type) {
	case PARAM_NUMBER:
		if (p->literal != NULL)
			return snprintf(buf, len,
			    "a number from %g to %g or %s", p->min, p->max,
			    p->literal);
		return snprintf(buf, len, "a number from %g to %g", p->min,
		    p->max);
	case PARAM_INTEGER:
		return snprintf(buf, len, "an integer from %.0f to %.0f",
		    p->min, p->max);
	case PARAM_UINT64:
		return snprintf(buf, len, "an integer from 0 to %" PRIu64,
		    UINT64_MAX);
	case PARAM_CHOICE:
		return snprintf(buf, len, "%s", p->choice_names());
	}
	return snprintf(buf, len, "?");
}

/* The value as a line shows it: numbers with the style's decimals. */
static void param_line_value(ParamId id, ParamValue v, int decimals, char *buf,
    size_t len)
{
	if (param_table[id].type != PARAM_NUMBER ||
	    param_literal(id, v) != NULL)
		param_value_text(id, v, buf, len);
	else if (decimals >= 0)
		snprintf(buf, len, "%.*f", decimals, v.number);
	else
		snprintf(buf, len, "%g", v.number);
}

/* Is the value 1, for "{s}"? */
static int param_is_one(ParamId id, ParamValue v)
{
	switch (param_table[id].type) {
	case PARAM_NUMBER:
		return v.number == 1.0;
	case PARAM_UINT64:
		return v.u64 == 1;
	case PARAM_INTEGER:
	case PARAM_CHOICE:
		return v.integer == 1;
	}
	return 0;
}

/* Appends s to buf as snprintf would: *n counts every byte, the buffer
 * takes what fits. */
static void param_put(char *buf, size_t len, size_t *n, const char *s, size_t k)
{
	if (*n + 1 < len) {
		size_t room = len - 1 - *n;

		memcpy(buf + *n, s, k < room ? k : room);
		buf[*n + (k < room ? k : room)] = '\0';
	}
	*n += k;
}

/* Does cfg hold the field's default? */
static int param_at_default(const EngineConfig *cfg, ParamId id)
{
	EngineConfig d;

	memset(&d, 0, sizeof d);
	param_set(&d, id, param_table[id].def);
	return param_equal(cfg, &d, id);
}

int param_line(const EngineConfig *cfg, ParamLine style, char *buf, size_t len)
{
	char value[64];
	const char *t;
	size_t n = 0;
	int i, first = 1;
	ParamValue v;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < PARAM_COUNT; i++) {
		t = param_table[i].line[style];
		if (t == NULL ||
		    (param_table[i].quiet && style != PARAM_LINE_SVG &&
		        param_at_default(cfg, (ParamId)i)) ||
		    (param_table[i].needs > 0 && style != PARAM_LINE_SVG &&
		        param_at_default(cfg,
		            (ParamId)(param_table[i].needs - 1))))
			continue;
		if (!first)
			param_put(buf, len, &n, param_styles[style].sep,
			    strlen(param_styles[style].sep));
		first = 0;
		v = param_get(cfg, (ParamId)i);
		param_line_value((ParamId)i, v, param_styles[style].decimals,
		    value, sizeof value);
		while (*t != '\0') {
			if (strncmp(t, "{}", 2) == 0) {
				param_put(buf, len, &n, value, strlen(value));
				t += 2;
			} else if (strncmp(t, "{s}", 3) == 0) {
				if (!param_is_one((ParamId)i, v))
					param_put(buf, len, &n, "s", 1);
				t += 3;
			} else {
				param_put(buf, len, &n, t, 1);
				t++;
			}
		}
	}
	return (int)n;
}
