/*
 * scenario: presets and lessons, loaded from JSON and saved to it.
 * See include/scenario.h for the contract.
 *
 * Loading is three passes over one cJSON tree: parse (syntax errors and
 * trailing text, placed by line and column), a walk that refuses duplicate
 * keys anywhere (cJSON keeps them as siblings, and the first would win
 * silently), then reading the known keys into a Scenario on the heap that
 * is copied out only when everything was good.
 *
 * Saving writes the JSON by hand rather than through cJSON, so that the
 * key order and the number format are ours: lambda in the shortest form
 * that reads back as the same double.
 */
#include "scenario.h"

#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "datadir.h"
#include "errmsg.h"
#include "fileio.h"
#include "jsonload.h"
#include "param.h"
#include "utf8.h"

/* The largest integer a JSON number (a double, in cJSON) holds exactly:
 * the bound of a uint64 field (the seed) in a file. */
#define SCENARIO_EXACT_MAX 9007199254740991.0 /* 2^53 - 1 */
#define SCENARIO_EXACT_NOTE \
	" (JSON numbers are doubles, exact only " \
	"below 2^53)"

/* Room for a quoted value in a message (see scenario_show). */
#define SCENARIO_SHOW_MAX 40
#define SCENARIO_SHOW_SIZE (SCENARIO_SHOW_MAX + 4)

/* A preset's keys: the fields' (param.h), then these. */
static const char *const scenario_text_keys[] = {"title", "caption", NULL};

static const char *const scenario_lesson_keys[] = {"title", "steps", NULL};

static const char *const scenario_placeholders[] = {"output", "gradient",
    "lambda", "depth", "width", NULL};

/* ---------------------------------------------------------------------- */
/* Messages                                                               */
/* ---------------------------------------------------------------------- */

/* What is being read, and where its messages go. */
typedef struct {
	const char *path;
	int step; /* 1-based lesson step being read, 0 outside one */
	char *err;
	size_t errlen;
	char *warn;
	size_t warnlen;
	size_t warnused;
} ScenarioReader;

/* "PATH: " or "PATH: step K: " into buf; returns the length. */
static size_t scenario_where(const ScenarioReader *rd, char *buf, size_t len)
{
	int n = rd->step > 0 ?
	    snprintf(buf, len, "%s: step %d: ", rd->path, rd->step) :
	    snprintf(buf, len, "%s: ", rd->path);

	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
scenario_fail(const ScenarioReader *rd, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (rd->errlen == 0)
		return -1;
	n = scenario_where(rd, rd->err, rd->errlen);
	va_start(ap, fmt);
	vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Appends one warning line (ending in '\n'); a line that does not fit
 * whole is dropped rather than cut. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
scenario_warn(ScenarioReader *rd, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	n = scenario_where(rd, line, sizeof line);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (rd->warnused + n + 2 > rd->warnlen)
		return;
	memcpy(rd->warn + rd->warnused, line, n);
	rd->warnused += n;
	rd->warn[rd->warnused++] = '\n';
	rd->warn[rd->warnused] = '\0';
}

/* Copies s for quoting: cut to SCENARIO_SHOW_MAX bytes with "...", and
 * '?' for bytes outside printable ASCII, so a message stays one line and
 * no escape sequence from a file reaches the terminal. */
static void scenario_show(const char *s, char *buf)
{
	size_t i;

	for (i = 0; i < SCENARIO_SHOW_MAX && s[i] != '\0'; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	strcpy(buf + i, s[i] != '\0' ? "..." : "");
}

/* The known keys of a preset, in the order messages list them, and a
 * NULL; known has room for PARAM_COUNT + 3. */
static void scenario_preset_keys(const char **known)
{
	int r, i = 0;

	for (r = 0; r < PARAM_COUNT; r++)
		known[i++] = param_table[param_by_key_rank(r)].key;
	for (r = 0; scenario_text_keys[r] != NULL; r++)
		known[i++] = scenario_text_keys[r];
	known[i] = NULL;
}

static const char *scenario_type_name(const cJSON *item)
{
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	if (cJSON_IsArray(item))
		return "an array";
	return "an object";
}

/* ---------------------------------------------------------------------- */
/* Unknown keys                                                           */
/* ---------------------------------------------------------------------- */

static void scenario_unknown_key(ScenarioReader *rd, const char *key,
    const char *const *known)
{
	const char *guess = jsonload_suggest(key, known);
	char shown[SCENARIO_SHOW_SIZE], list[256];
	size_t used = 0, i;

	scenario_show(key, shown);
	if (guess != NULL) {
		scenario_warn(rd, "unknown key \"%s\", did you mean \"%s\"?",
		    shown, guess);
		return;
	}
	list[0] = '\0';
	for (i = 0; known[i] != NULL; i++)
		used += (size_t)snprintf(list + used, sizeof list - used,
		    "%s%s", i > 0 ? ", " : "", known[i]);
	scenario_warn(rd, "unknown key \"%s\"; known keys: %s", shown, list);
}

/* ---------------------------------------------------------------------- */
/* Values                                                                 */
/* ---------------------------------------------------------------------- */

/* A number in [lo, hi], a whole one if integer; note ends the
 * "accepted" part of messages. */
static int scenario_number(const ScenarioReader *rd, const cJSON *item,
    double lo, double hi, int integer, const char *note, double *out)
{
	char accepted[160], l[32], h[32], v[32];
	double x;

	param_number_text(lo, l, sizeof l);
	param_number_text(hi, h, sizeof h);
	snprintf(accepted, sizeof accepted, "%s from %s to %s%s",
	    integer ? "an integer" : "a number", l, h, note);
	if (!cJSON_IsNumber(item))
		return scenario_fail(rd, "\"%s\" is %s; accepted: %s",
		    item->string, scenario_type_name(item), accepted);
	x = item->valuedouble;
	/* cJSON reads 1e999 as inf: a number, but none the engine takes. */
	if (!isfinite(x))
		return scenario_fail(rd,
		    "\"%s\" is not a finite number; "
		    "accepted: %s",
		    item->string, accepted);
	param_number_text(x, v, sizeof v);
	if (integer && x != floor(x))
		return scenario_fail(rd,
		    "\"%s\": %s is not an integer; "
		    "accepted: %s",
		    item->string, v, accepted);
	if (x < lo || x > hi)
		return scenario_fail(rd,
		    "\"%s\": %s is out of range; "
		    "accepted: %s",
		    item->string, v, accepted);
	*out = x == 0.0 ? 0.0 : x; /* no -0 for the engine */
	return 0;
}

/* The cells code point c takes on a terminal, by the C library's UTF-8
 * tables whatever the process's own locale (a headless run in the C
 * locale judges a caption as the view will draw it); 1 when no UTF-8
 * locale can be had to ask. */
static int scenario_cells(long c)
{
	static locale_t utf8 = (locale_t)0;
	locale_t was;
	int w;

	if (utf8 == (locale_t)0)
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8 == (locale_t)0)
		return 1;
	was = uselocale(utf8);
	w = wcwidth((wchar_t)c);
	uselocale(was);
	return w;
}

/* NULL if s is UTF-8 text without control characters (newlines allowed
 * if asked), each character one cell wide, else what is wrong with it.
 * Control characters include C1 (U+0080..U+009F), which some terminals
 * obey. The view draws one character a cell, so a double-width (CJK,
 * most emoji) or combining character would be drawn as '?' or push the
 * line out of place: refused here, as README says. */
static const char *scenario_text_problem(const char *s, int newlines)
{
	long c;
	int len;

	for (; *s != '\0'; s += len) {
		c = utf8_decode(s, &len);
		if (c < 0)
			return "is not valid UTF-8";
		if ((c < 0x20 && !(c == '\n' && newlines)) || c == 0x7f ||
		    (c >= 0x80 && c <= 0x9f))
			return "holds a control character";
		if (c >= 0x80 && scenario_cells(c) != 1)
			return "holds a character that is not one cell wide "
			       "(double-width or combining)";
	}
	return NULL;
}

static int scenario_text(const ScenarioReader *rd, const cJSON *item, char *dst,
    size_t size, int newlines)
{
	const char *problem;
	char accepted[96];
	size_t n;

	snprintf(accepted, sizeof accepted,
	    "a string of at most %zu bytes "
	    "of UTF-8 text%s",
	    size - 1, newlines ? "" : " on one line");
	if (!cJSON_IsString(item))
		return scenario_fail(rd, "\"%s\" is %s; accepted: %s",
		    item->string, scenario_type_name(item), accepted);
	n = strlen(item->valuestring);
	if (n >= size)
		return scenario_fail(rd,
		    "\"%s\" is %zu bytes long; "
		    "accepted: %s",
		    item->string, n, accepted);
	problem = scenario_text_problem(item->valuestring, newlines);
	if (problem != NULL)
		return scenario_fail(rd, "\"%s\" %s; accepted: %s",
		    item->string, problem, accepted);
	memcpy(dst, item->valuestring, n + 1);
	return 0;
}

/* A mode name's string, or NULL having failed on another type. */
static const char *scenario_mode(const ScenarioReader *rd, const cJSON *item,
    const char *names)
{
	if (cJSON_IsString(item))
		return item->valuestring;
	scenario_fail(rd, "\"%s\" is %s; accepted: %s", item->string,
	    scenario_type_name(item), names);
	return NULL;
}

/* 0 if the mode was parsed (known == 0), else the message. */
static int scenario_mode_known(const ScenarioReader *rd, const cJSON *item,
    int known, const char *names)
{
	char shown[SCENARIO_SHOW_SIZE];

	if (known == 0)
		return 0;
	scenario_show(item->valuestring, shown);
	return scenario_fail(rd, "\"%s\": \"%s\" is not known; accepted: %s",
	    item->string, shown, names);
}

/* The longest placeholder name looked at. */
#define SCENARIO_NAME_MAX 32

/* Placeholders the view fills are {name} with a known name; anything else
 * in braces that looks like one is most likely a typo. */
static void scenario_check_placeholders(ScenarioReader *rd, const char *s)
{
	const char *open, *close;
	char name[SCENARIO_NAME_MAX + 1];
	size_t n, i;

	for (open = strchr(s, '{'); open != NULL;
	     open = strchr(open + 1, '{')) {
		n = strspn(open + 1,
		    "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		close = open + 1 + n;
		if (n == 0 || n > SCENARIO_NAME_MAX || *close != '}')
			continue;
		memcpy(name, open + 1, n);
		name[n] = '\0';
		for (i = 0; scenario_placeholders[i] != NULL &&
		     strcmp(scenario_placeholders[i], name) != 0;
		     i++)
			;
		if (scenario_placeholders[i] == NULL)
			scenario_warn(rd,
			    "\"caption\": unknown placeholder "
			    "\"{%s}\"; known: {output} {gradient} {lambda} "
			    "{depth} {width}",
			    name);
	}
}

/* ---------------------------------------------------------------------- */
/* Presets and lessons                                                    */
/* ---------------------------------------------------------------------- */

/* Reads field id's key into cfg, which changes only when it is good. */
static int scenario_param(ScenarioReader *rd, const cJSON *item, ParamId id,
    EngineConfig *cfg)
{
	const ParamDef *f = &param_table[id];
	ParamValue v;
	const char *s;
	char lit[48];
	double x;

	memset(&v, 0, sizeof v);
	switch (f->type) {
	case PARAM_NUMBER:
		if (f->literal != NULL && cJSON_IsString(item) &&
		    strcmp(item->valuestring, f->literal) == 0) {
			v.number = f->literal_value;
			break;
		}
		snprintf(lit, sizeof lit, "%s%s%s",
		    f->literal != NULL ? " or \"" : "",
		    f->literal != NULL ? f->literal : "",
		    f->literal != NULL ? "\"" : "");
		if (scenario_number(rd, item, f->min, f->max, 0, lit,
		        &v.number) < 0)
			return -1;
		break;
	case PARAM_INTEGER:
		if (scenario_number(rd, item, f->min, f->max, 1, "", &x) < 0)
			return -1;
		v.integer = (int)x;
		break;
	case PARAM_UINT64:
		if (scenario_number(rd, item, 0, SCENARIO_EXACT_MAX, 1,
		        SCENARIO_EXACT_NOTE, &x) < 0)
			return -1;
		v.u64 = (uint64_t)x;
		break;
	case PARAM_CHOICE:
		s = scenario_mode(rd, item, f->choice_names());
		if (s == NULL ||
		    scenario_mode_known(rd, item,
		        f->choice_parse(s, &v.integer), f->choice_names()) < 0)
			return -1;
		break;
	}
	param_set(cfg, id, v);
	return 0;
}

static int scenario_field(ScenarioReader *rd, const cJSON *item, Preset *p)
{
	const char *known[PARAM_COUNT + 3];
	int id = param_by_key(item->string);

	if (id >= 0)
		return scenario_param(rd, item, (ParamId)id, &p->cfg);
	if (strcmp(item->string, "title") == 0)
		return scenario_text(rd, item, p->title, sizeof p->title, 0);
	if (strcmp(item->string, "caption") == 0) {
		if (scenario_text(rd, item, p->caption, sizeof p->caption, 1) <
		    0)
			return -1;
		scenario_check_placeholders(rd, p->caption);
		return 0;
	}
	scenario_preset_keys(known);
	scenario_unknown_key(rd, item->string, known);
	return 0;
}

static int scenario_preset(ScenarioReader *rd, const cJSON *obj, Preset *p)
{
	const cJSON *item;
	char why[160];

	scenario_preset_default(p);
	cJSON_ArrayForEach(item,
	    obj) if (scenario_field(rd, item, p) < 0) return -1;
	/* Every field was checked on its own; this catches any rule the
	 * engine has across fields. */
	if (engine_config_validate(&p->cfg, why, sizeof why) < 0)
		return scenario_fail(rd, "%s", why);
	return 0;
}

static int scenario_lesson(ScenarioReader *rd, const cJSON *root, Scenario *sc)
{
	const cJSON *item, *steps = NULL;
	char accepted[64];
	int n;

	cJSON_ArrayForEach(item, root)
	{
		if (strcmp(item->string, "steps") == 0)
			steps = item;
		else if (strcmp(item->string, "title") == 0) {
			if (scenario_text(rd, item, sc->title, sizeof sc->title,
			        0) < 0)
				return -1;
		} else
			scenario_unknown_key(rd, item->string,
			    scenario_lesson_keys);
	}
	snprintf(accepted, sizeof accepted,
	    "a list of 1 to %d preset "
	    "objects",
	    SCENARIO_STEPS_MAX);
	if (!cJSON_IsArray(steps))
		return scenario_fail(rd, "\"steps\" is %s; accepted: %s",
		    scenario_type_name(steps), accepted);
	n = cJSON_GetArraySize(steps);
	if (n == 0 || n > SCENARIO_STEPS_MAX)
		return scenario_fail(rd,
		    "\"steps\" has %d entries; "
		    "accepted: %s",
		    n, accepted);
	sc->lesson = 1;
	sc->nsteps = 0;
	cJSON_ArrayForEach(item, steps)
	{
		rd->step = sc->nsteps + 1;
		if (!cJSON_IsObject(item))
			return scenario_fail(rd, "%s, not a preset object",
			    scenario_type_name(item));
		if (scenario_preset(rd, item, &sc->steps[sc->nsteps]) < 0)
			return -1;
		sc->nsteps++;
	}
	rd->step = 0;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                */
/* ---------------------------------------------------------------------- */

/* The message for a "\u0000" at offset at in text, in the string of key
 * (keylen bytes as written, NULL if none): cJSON would cut the string
 * there without a word. */
static void scenario_nul_escape(const ScenarioReader *rd, const char *text,
    size_t at, const char *key, size_t keylen)
{
	char shown[SCENARIO_SHOW_SIZE], raw[SCENARIO_SHOW_SIZE];
	int line, col;

	jsonload_position(text, at, &line, &col);
	if (key == NULL) {
		scenario_fail(rd,
		    "a string holds \\u0000 (a NUL character) at line %d, "
		    "column %d; text cannot hold NUL",
		    line, col);
		return;
	}
	snprintf(raw, sizeof raw, "%.*s",
	    (int)(keylen < SCENARIO_SHOW_MAX ? keylen : SCENARIO_SHOW_MAX + 1),
	    key);
	scenario_show(raw, shown);
	scenario_fail(rd,
	    "\"%s\": the string holds \\u0000 (a NUL character) at line %d, "
	    "column %d; text cannot hold NUL",
	    shown, line, col);
}

/*
 * The tree, or NULL with the message. Parsed without cJSON's own
 * require_null_terminated so that text after the value gets a message of
 * its own ("unexpected text after the JSON value") rather than a plain
 * syntax error: both are refused.
 */
static cJSON *scenario_parse(const ScenarioReader *rd, const char *text,
    size_t len)
{
	const char *end = NULL, *nul = memchr(text, '\0', len);
	cJSON *root;
	size_t at, deep, keylen;
	int line, col;

	if (nul != NULL) {
		jsonload_position(text, (size_t)(nul - text), &line, &col);
		scenario_fail(rd,
		    "NUL byte at line %d, column %d; a JSON "
		    "file is text",
		    line, col);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	at = end != NULL && end >= text ? (size_t)(end - text) : 0;
	if (root == NULL) {
		deep = jsonload_too_deep(text, len);
		if (deep <= at) {
			jsonload_position(text, deep, &line, &col);
			scenario_fail(rd,
			    "JSON nested deeper than %d levels at line %d, "
			    "column %d",
			    JSONLOAD_DEPTH_MAX, line, col);
			return NULL;
		}
		jsonload_position(text, at, &line, &col);
		scenario_fail(rd, "JSON syntax error at line %d, column %d",
		    line, col);
		return NULL;
	}
	nul = NULL;
	if ((at = jsonload_nul_escape(text, len, &nul, &keylen)) !=
	    (size_t)-1) {
		cJSON_Delete(root);
		scenario_nul_escape(rd, text, at, nul, keylen);
		return NULL;
	}
	at = (size_t)(end - text);
	at += strspn(text + at, " \t\r\n");
	if (at < len) {
		cJSON_Delete(root);
		jsonload_position(text, at, &line, &col);
		scenario_fail(rd,
		    "unexpected text after the JSON value at "
		    "line %d, column %d",
		    line, col);
		return NULL;
	}
	return root;
}

/* Refuses a key repeated in any object of the tree. steps is the
 * lesson's list, whose entries are named by step in messages. */
static int scenario_unique_keys(ScenarioReader *rd, const cJSON *node,
    const cJSON *steps)
{
	const cJSON *a;
	const char *dup;
	char shown[SCENARIO_SHOW_SIZE];
	int i = 0, oom;

	dup = jsonload_duplicate(node, &oom);
	if (oom)
		return scenario_fail(rd, "out of memory");
	if (dup != NULL) {
		scenario_show(dup, shown);
		return scenario_fail(rd, "duplicate key \"%s\"", shown);
	}
	for (a = node->child; a != NULL; a = a->next) {
		i++;
		if (node == steps)
			rd->step = i;
		if (a->child != NULL && scenario_unique_keys(rd, a, steps) < 0)
			return -1;
	}
	if (node == steps)
		rd->step = 0;
	return 0;
}

static int scenario_read(ScenarioReader *rd, const cJSON *root, Scenario *sc)
{
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(root, "steps");

	if (!cJSON_IsObject(root))
		return scenario_fail(rd,
		    "the top level is %s; accepted: a "
		    "preset or lesson object",
		    scenario_type_name(root));
	if (scenario_unique_keys(rd, root,
	        cJSON_IsArray(steps) ? steps : NULL) < 0)
		return -1;
	if (steps != NULL)
		return scenario_lesson(rd, root, sc);
	sc->lesson = 0;
	sc->nsteps = 1;
	if (scenario_preset(rd, root, &sc->steps[0]) < 0)
		return -1;
	memcpy(sc->title, sc->steps[0].title, sizeof sc->title);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Public: loading                                                        */
/* ---------------------------------------------------------------------- */

void scenario_preset_default(Preset *p)
{
	engine_config_default(&p->cfg);
	p->title[0] = '\0';
	p->caption[0] = '\0';
}

int scenario_load(const char *path, Scenario *out, char *warn, size_t warnlen,
    char *err, size_t errlen)
{
	ScenarioReader rd = {path, 0, err, errlen, warn, warnlen, 0};
	Scenario *sc;
	cJSON *root;
	char *text;
	size_t len;
	int rc = -1;

	if (warnlen > 0)
		warn[0] = '\0';
	text = fileio_read(path, FILEIO_MAX_SIZE, &len, err, errlen);
	if (text == NULL)
		return -1;
	/* About 75 KiB: not for the stack of whoever calls. */
	sc = calloc(1, sizeof *sc);
	if (sc == NULL) {
		scenario_fail(&rd, "out of memory");
	} else if ((root = scenario_parse(&rd, text, len)) != NULL) {
		if (scenario_read(&rd, root, sc) == 0) {
			jsonload_stem(path, sc->name, sizeof sc->name);
			*out = *sc;
			rc = 0;
		}
		cJSON_Delete(root);
	}
	if (rc < 0 && warnlen > 0)
		warn[0] = '\0';
	free(sc);
	free(text);
	return rc;
}

int scenario_open(const char *name_or_file, Scenario *out, char *warn,
    size_t warnlen, char *err, size_t errlen)
{
	char path[4096];

	if (warnlen > 0)
		warn[0] = '\0';
	if (datadir_find("presets", name_or_file, path, sizeof path, err,
	        errlen) < 0)
		return -1;
	return scenario_load(path, out, warn, warnlen, err, errlen);
}

/* ---------------------------------------------------------------------- */
/* Public: saving                                                         */
/* ---------------------------------------------------------------------- */

static void scenario_put_string(FILE *out, const char *s)
{
	putc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\u%04x", (unsigned)*s);
		else
			putc(*s, out);
	}
	putc('"', out);
}

/* Every key, the texts first, then the fields in table order, each in
 * its printed form (param_value_text): a number in the shortest form that
 * reads back as the same double, a choice as a string. */
static int scenario_write(FILE *out, void *ctx, char *err, size_t errlen)
{
	const Preset *p = ctx;
	char text[64];
	int i;

	(void)err;
	(void)errlen;
	fputs("{\n  \"title\": ", out);
	scenario_put_string(out, p->title);
	fputs(",\n  \"caption\": ", out);
	scenario_put_string(out, p->caption);
	for (i = 0; i < PARAM_COUNT; i++) {
		param_value_text((ParamId)i, param_get(&p->cfg, (ParamId)i),
		    text, sizeof text);
		fprintf(out, ",\n  \"%s\": ", param_table[i].key);
		if (param_table[i].type == PARAM_CHOICE ||
		    param_literal((ParamId)i, param_get(&p->cfg, (ParamId)i)) !=
		        NULL)
			scenario_put_string(out, text);
		else
			fputs(text, out);
	}
	fputs("\n}\n", out);
	return ferror(out) ? -1 : 0;
}

/* As scenario_text_problem, for a text that may lack its NUL. */
static const char *scenario_save_problem(const char *s, size_t size,
    int newlines)
{
	if (memchr(s, '\0', size) == NULL)
		return "is not NUL-terminated";
	return scenario_text_problem(s, newlines);
}

/* Refuses (into rd's err) a preset that would not load back as the same
 * scenario. */
static int scenario_save_check(const ScenarioReader *rd, const Preset *p)
{
	const char *problem;
	char why[160];
	ParamValue v;
	int i;

	if (engine_config_validate(&p->cfg, why, sizeof why) < 0)
		return scenario_fail(rd, "not saved: %s", why);
	for (i = 0; i < PARAM_COUNT; i++)
		if (param_table[i].type == PARAM_UINT64 &&
		    (v = param_get(&p->cfg, (ParamId)i)).u64 >
		        (uint64_t)SCENARIO_EXACT_MAX)
			return scenario_fail(rd,
			    "not saved: %s %llu cannot be "
			    "written exactly; accepted: an integer from 0 to "
			    "9007199254740991" SCENARIO_EXACT_NOTE,
			    param_table[i].key, (unsigned long long)v.u64);
	if ((problem = scenario_save_problem(p->title, sizeof p->title, 0)) !=
	    NULL)
		return scenario_fail(rd, "not saved: the title %s", problem);
	if ((problem = scenario_save_problem(p->caption, sizeof p->caption,
	         1)) != NULL)
		return scenario_fail(rd, "not saved: the caption %s", problem);
	return 0;
}

int scenario_save(const char *path, const Preset *p, int force, char *err,
    size_t errlen)
{
	ScenarioReader rd = {path, 0, err, errlen, NULL, 0, 0};

	if (scenario_save_check(&rd, p) < 0)
		return -1;
	return fileio_write_atomic(path, force, scenario_write, (void *)p, err,
	    errlen);
}

int scenario_save_free(const Preset *p, FileioNamer name, void *namectx,
    char *path, size_t pathlen, char *err, size_t errlen)
{
	ScenarioReader rd = {path, 0, err, errlen, NULL, 0, 0};

	/* Messages before the write name the first name it would take (or
	 * none, when the namer skips it). */
	if (pathlen == 0)
		return errmsg_set(err, errlen, "no free file name");
	path[0] = '\0';
	if (name(1, path, pathlen, namectx) < 0)
		return errmsg_set(err, errlen, "no free file name");
	if (scenario_save_check(&rd, p) < 0)
		return -1;
	return fileio_write_free(name, namectx, scenario_write, (void *)p, path,
	    pathlen, err, errlen);
}
