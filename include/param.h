/*
 * param: the configuration fields, one table row each.
 *
 * Every field of EngineConfig has one row here, as tmux's options-table.c
 * has one per option: its name, command-line option, preset key, type,
 * range or choices, place in the struct, default, help text, the action
 * that moves it on in the live view, whether the sweep and map views scan
 * it, and how each one-line form of the configuration shows it. The
 * command line (options, checks, --help), the preset reader and writer,
 * config equality, the status line, the SVG's parameter line and title,
 * a changed preset's title and a saved file's name all loop over the
 * table, so that adding a field is one row (plus its meaning in the
 * engine).
 *
 * Ranges and names come from the engine's public API (ENGINE_*_MIN/MAX,
 * engine_*_name/parse/names). Pure C: no I/O.
 */
#ifndef GRADSCOPE_PARAM_H
#define GRADSCOPE_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "keymap.h"

/* The rows, in EngineConfig's order: the order the preset file, the
 * status line and the SVG list the fields in. */
typedef enum {
	PARAM_LAMBDA,
	PARAM_DEPTH,
	PARAM_WIDTH,
	PARAM_INIT,
	PARAM_ACT,
	PARAM_PRECISION,
	PARAM_INPUT,
	PARAM_SEED,
	PARAM_UPSTREAM,
	PARAM_BIAS_STD,
	PARAM_ARCH,
	PARAM_NORM,
	PARAM_BRANCH_SCALE,
	PARAM_COUNT
} ParamId;

typedef enum {
	PARAM_NUMBER,  /* a double in [min, max] */
	PARAM_INTEGER, /* an int in [min, max] */
	PARAM_UINT64,  /* a uint64_t, any value */
	PARAM_CHOICE   /* an enum of the engine's, 0 .. count - 1, by name */
} ParamType;

/* A field's value: number for PARAM_NUMBER, u64 for PARAM_UINT64,
 * integer for the others. */
typedef union {
	double number;
	int integer;
	uint64_t u64;
} ParamValue;

/*
 * The one-line forms of a configuration (param_line). Each row says how
 * it shows in each (ParamDef.line), or leaves itself out (NULL).
 *   STATUS        λ=1.5000  L=150  n=2  identity  linear  exact  seed=1
 *   STATUS_ASCII  the same with "lambda="
 *   SVG           λ=1.5 · L=150 · n=2 · init identity · ... · seed 1
 *   SVG_TITLE     λ=1.5, 150 layers, identity init, linear activation
 *   TITLE         lambda=1.5 L=150 n=2 identity linear exact
 *   FILE          lambda1.5-L150-n2
 */
typedef enum {
	PARAM_LINE_STATUS,
	PARAM_LINE_STATUS_ASCII,
	PARAM_LINE_SVG,
	PARAM_LINE_SVG_TITLE,
	PARAM_LINE_TITLE,
	PARAM_LINE_FILE,
	PARAM_LINE_COUNT
} ParamLine;

typedef struct {
	const char *name;   /* in the view's notices: "depth" */
	const char *option; /* the long option, without "--": "act" */
	const char *key;    /* the preset file's key: "activation" */
	ParamType type;
	size_t offset; /* offsetof(EngineConfig, the field) */
	size_t size;   /* sizeof the field */
	/* PARAM_NUMBER and PARAM_INTEGER: the accepted range. */
	double min, max;
	/* PARAM_NUMBER: a word also accepted (NULL: none) and the value it
	 * stands for, outside [min, max]: "1/sqrt(L)". Written and shown as
	 * the word, and a preset gives it as a string. */
	const char *literal;
	double literal_value;
	/* PARAM_CHOICE: values 0 .. count - 1, their names, the inverse
	 * (0 and *out set on a known name, else -1) and the names joined by
	 * '|'. */
	int count;
	const char *(*choice_name)(int v);
	int (*choice_parse)(const char *s, int *out);
	const char *(*choice_names)(void);
	ParamValue def; /* what engine_config_default sets */
	/* --help: "  --OPTION META" then "HELP, ACCEPTED (default DEF)"
	 * (no "HELP, " when help is ""), then the lines of note, if any,
	 * under it. */
	const char *meta;
	const char *help;
	const char *note;
	/* The live view's action that moves the field to its next value
	 * (param_next), or ACTION_NONE. */
	Action next;
	/* The sweep and map views scan this field over its range, so their
	 * jobs stand when it changes; the jobs at the configuration's own
	 * value (spectrum, training) restart. Every other field's change
	 * restarts every job. */
	int swept;
	/* Where --help, the man page and getopt's table list the option,
	 * and where the preset reader's messages list the key: 0 ..
	 * PARAM_COUNT - 1 each (older orders than the table's). */
	int cli_rank;
	int key_rank;
	/* How each ParamLine shows the field: "{}" stands for the value,
	 * "{s}" for "s" unless the value is 1 ("{} layer{s}"); NULL leaves
	 * the field out of that line. */
	const char *line[PARAM_LINE_COUNT];
	/* Nonzero: the status lines and the title leave the field out
	 * while it has its default value (fields most scenarios leave
	 * alone; the 80-column status line has no room for them). */
	int quiet;
	/* Nonzero: 1 + the row that must be off its default for this one
	 * to show in the status lines and the title (the branch scale
	 * means something only in residual blocks). */
	int needs;
} ParamDef;

extern const ParamDef param_table[PARAM_COUNT];

/* The row's literal word when v is its value, else NULL. */
const char *param_literal(ParamId id, ParamValue v);

/* The field's value in cfg, and setting it (the value is not checked). */
ParamValue param_get(const EngineConfig *cfg, ParamId id);
void param_set(EngineConfig *cfg, ParamId id, ParamValue v);

/* Copies field id from src to dst. */
void param_copy(EngineConfig *dst, const EngineConfig *src, ParamId id);

/* 1 if field id is the same in a and b (numbers by ==), else 0. */
int param_equal(const EngineConfig *a, const EngineConfig *b, ParamId id);

/* 1 if a and b agree in every field, the swept ones (lambda) counted
 * only when swept is nonzero; else 0. */
int param_same(const EngineConfig *a, const EngineConfig *b, int swept);

/* Moves field id to its next value: +1, and from the largest value
 * (max, count - 1, UINT64_MAX) back to the smallest. */
void param_next(EngineConfig *cfg, ParamId id);

/* The row whose action is a, whose preset key is key, whose rank in
 * --help is rank; or -1. */
int param_by_action(Action a);
int param_by_key(const char *key);
int param_by_cli_rank(int rank);
int param_by_key_rank(int rank);

/*
 * The value as written in a preset file and read back from an option: a
 * number in the shortest "%.*g" that reads back as the same double, an
 * integer in decimal, a choice by its name. Like snprintf: at most len
 * bytes, NUL-terminated, returns the length of the whole text.
 */
int param_value_text(ParamId id, ParamValue v, char *buf, size_t len);

/* The shortest "%.*g" that reads back as v ("1.5", "0.1",
 * "1.4142135623730951"); as snprintf. */
int param_number_text(double v, char *buf, size_t len);

/* What an option accepts, for messages and --help: "a number from 0 to
 * 100", "an integer from 1 to 4096", "identity|gaussian|orthogonal". As
 * snprintf. */
int param_accepted(ParamId id, char *buf, size_t len);

/*
 * The one-line form of cfg in the given style (see ParamLine): the rows
 * that show in it, in table order, joined by the style's separator; a
 * number "%.4f" in the status line and "%g" elsewhere. As snprintf: at
 * most len bytes, NUL-terminated, returns the length of the whole line.
 */
int param_line(const EngineConfig *cfg, ParamLine style, char *buf, size_t len);

#endif
