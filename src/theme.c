/*
 * theme: colour themes, from JSON files merged over the built-in default.
 * See include/theme.h for the contract and themes/README.md for the file
 * format.
 *
 * Merging works field by field, as in btop: a file names only what it
 * changes, and a role given as a bare colour changes that role's
 * foreground only, so "title": "#ffffff" keeps the title bold. Unknown
 * keys are warnings (a newer file still loads in an older program), but a
 * value that is there and wrong is an error: half-applying a theme would
 * hide the mistake.
 */
#include "theme.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datadir.h"
#include "fileio.h"
#include "jsonload.h"

/* ---------------------------------------------------------------------- */
/* The default theme                                                      */
/* ---------------------------------------------------------------------- */

/*
 * "dark", also themes/dark.json. The colours are xterm-256 colours (the
 * indexes below) of middle brightness, readable on black and white
 * terminal backgrounds alike (plain text roles at WCAG 4.5:1 on both,
 * bold ones and the bars' and marks' at 3:1; check_theme holds it);
 * exploding and vanishing are orange-red and blue, apart for the common
 * colour blindnesses too. Every background is the terminal's own.
 */
static const ThemeColor theme_dark[GRID_ROLE_COUNT] = {
    [GRID_ROLE_TEXT] = {THEME_DEFAULT, THEME_DEFAULT, 0},
    [GRID_ROLE_DIM] = {THEME_RGB(0x76, 0x76, 0x76), THEME_DEFAULT, 0},
    [GRID_ROLE_AXIS] = {THEME_RGB(0x76, 0x76, 0x76), THEME_DEFAULT, 0},
    [GRID_ROLE_CRITICAL] = {THEME_RGB(0xd7, 0x5f, 0xd7), THEME_DEFAULT, 1},
    [GRID_ROLE_EXPLODING] = {THEME_RGB(0xff, 0x5f, 0x00), THEME_DEFAULT, 0},
    [GRID_ROLE_VANISHING] = {THEME_RGB(0x00, 0x87, 0xff), THEME_DEFAULT, 0},
    [GRID_ROLE_SPECIAL] = {THEME_RGB(0x00, 0x87, 0x5f), THEME_DEFAULT, 1},
    [GRID_ROLE_THEORY] = {THEME_RGB(0xaf, 0x5f, 0xff), THEME_DEFAULT, 0},
    [GRID_ROLE_STATUS] = {THEME_DEFAULT, THEME_DEFAULT, 0},
    [GRID_ROLE_VERDICT] = {THEME_DEFAULT, THEME_DEFAULT, 0},
    [GRID_ROLE_TITLE] = {THEME_DEFAULT, THEME_DEFAULT, 1},
    [GRID_ROLE_HELP] = {THEME_DEFAULT, THEME_DEFAULT, 0},
    [GRID_ROLE_HELP_KEY] = {THEME_RGB(0x00, 0x87, 0x87), THEME_DEFAULT, 1},
    [GRID_ROLE_CAPTION] = {THEME_DEFAULT, THEME_DEFAULT, 0},
    [GRID_ROLE_NOTICE] = {THEME_RGB(0xd7, 0x5f, 0x00), THEME_DEFAULT, 1},
};
/* 243, 243, 170, 202, 33, 29, 135, 30 and 166 in the order above. */

void theme_default(Theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "dark");
	memcpy(t->role, theme_dark, sizeof t->role);
}

/* ---------------------------------------------------------------------- */
/* Nearest colours                                                        */
/* ---------------------------------------------------------------------- */

/* xterm's default RGB values for the 16 ANSI colours. Terminals differ
 * here, which is why 256-colour terminals are given only indexes 16-255,
 * whose RGB values all of them share. */
static const unsigned char theme_ansi[16][3] = {
    {0x00, 0x00, 0x00},
    {0xcd, 0x00, 0x00},
    {0x00, 0xcd, 0x00},
    {0xcd, 0xcd, 0x00},
    {0x00, 0x00, 0xee},
    {0xcd, 0x00, 0xcd},
    {0x00, 0xcd, 0xcd},
    {0xe5, 0xe5, 0xe5},
    {0x7f, 0x7f, 0x7f},
    {0xff, 0x00, 0x00},
    {0x00, 0xff, 0x00},
    {0xff, 0xff, 0x00},
    {0x5c, 0x5c, 0xff},
    {0xff, 0x00, 0xff},
    {0x00, 0xff, 0xff},
    {0xff, 0xff, 0xff},
};

/* The 6x6x6 cube's levels: index 16 + 36r + 6g + b has these values. */
static const int theme_cube[6] = {0, 95, 135, 175, 215, 255};

/* The RGB values of xterm index i (0-255). */
static void theme_index_rgb(int i, int rgb[3])
{
	int k;

	if (i < 16) {
		for (k = 0; k < 3; k++)
			rgb[k] = theme_ansi[i][k];
	} else if (i < 232) {
		rgb[0] = theme_cube[(i - 16) / 36];
		rgb[1] = theme_cube[(i - 16) / 6 % 6];
		rgb[2] = theme_cube[(i - 16) % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
	}
}

static long theme_dist(const int a[3], const int b[3])
{
	long d = 0;
	int k;

	for (k = 0; k < 3; k++)
		d += (long)(a[k] - b[k]) * (a[k] - b[k]);
	return d;
}

/*
 * The nearest of indexes 16-255 by squared RGB distance. The distance is
 * a sum over the channels, so the nearest cube colour is the nearest
 * level in each channel; the nearest grey is the ramp step nearest the
 * mean of the three. Then the closer of the two, the cube on a tie.
 */
static int theme_nearest_256(const int rgb[3])
{
	int lv[3], grey[3], cube[3], k, g, i;

	for (k = 0; k < 3; k++) {
		lv[k] = 0;
		for (i = 1; i < 6; i++)
			if (abs(rgb[k] - theme_cube[i]) <
			    abs(rgb[k] - theme_cube[lv[k]]))
				lv[k] = i;
		cube[k] = theme_cube[lv[k]];
	}
	/* Ramp step g is 8 + 10g, for g = 0..23; the rounded step nearest
	 * the mean, clamped. */
	g = ((rgb[0] + rgb[1] + rgb[2]) - 3 * 8 + 15) / 30;
	g = g < 0 ? 0 : g > 23 ? 23 : g;
	grey[0] = grey[1] = grey[2] = 8 + 10 * g;
	if (theme_dist(rgb, grey) < theme_dist(rgb, cube))
		return 232 + g;
	return 16 + 36 * lv[0] + 6 * lv[1] + lv[2];
}

/*
 * RGB values go to the nearest of 16-255 on 256 colours (0-15 are left
 * out: terminals differ there), and to the nearest of xterm's 16 or 8 on
 * fewer. A grey goes only to a grey (black, white, and with 16 colours
 * bright black and bright white): by distance alone a mid grey is nearer
 * xterm's yellow (#cdcd00) than its white.
 */
int theme_nearest(int c, int colors)
{
	int n = colors >= 256 ? 256 : colors >= 16 ? 16 : 8;
	int rgb[3], pal[3], best = 0, i, grey;
	long d, best_d = -1;

	if (c < 0 || (!THEME_IS_RGB(c) && c > 255))
		return THEME_DEFAULT;
	if (!THEME_IS_RGB(c) && c < n)
		return c;
	if (THEME_IS_RGB(c)) {
		rgb[0] = (c >> 16) & 0xff;
		rgb[1] = (c >> 8) & 0xff;
		rgb[2] = c & 0xff;
	} else {
		theme_index_rgb(c, rgb);
	}
	if (n == 256)
		return theme_nearest_256(rgb);
	grey = rgb[0] == rgb[1] && rgb[1] == rgb[2];
	for (i = 0; i < n; i++) {
		theme_index_rgb(i, pal);
		if (grey && (pal[0] != pal[1] || pal[1] != pal[2]))
			continue;
		d = theme_dist(rgb, pal);
		if (best_d < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

/* ---------------------------------------------------------------------- */
/* Loading: messages                                                      */
/* ---------------------------------------------------------------------- */

typedef struct {
	const char *path;
	char *warn, *err;
	size_t warnlen, errlen;
} ThemeLoad;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
theme_fail(ThemeLoad *ld, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ld->errlen == 0)
		return -1;
	n = snprintf(ld->err, ld->errlen, "%s: ", ld->path);
	if (n >= 0 && (size_t)n < ld->errlen) {
		va_start(ap, fmt);
		vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Appends one warning line "path: ...\n", as scenario.c does; a line
 * that does not fit whole is dropped rather than cut. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
theme_warn(ThemeLoad *ld, const char *fmt, ...)
{
	char line[512];
	size_t used, n;
	va_list ap;
	int k;

	k = snprintf(line, sizeof line, "%s: ", ld->path);
	n = k < 0 ? 0 : (size_t)k < sizeof line ? (size_t)k : sizeof line - 1;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	n = strlen(line);
	used = ld->warnlen > 0 ? strlen(ld->warn) : 0;
	if (used + n + 2 > ld->warnlen)
		return;
	memcpy(ld->warn + used, line, n);
	ld->warn[used + n] = '\n';
	ld->warn[used + n + 1] = '\0';
}

/* A string from the file as a message may quote it: printable ASCII,
 * '?' for anything else, at most 24 characters and "...". */
static void theme_show(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 4 < len && i < 24; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	if (s[i] != '\0' && i + 4 <= len) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
}

/* A JSON value as a message shows it: "#12345", 256, true, an array. */
static void theme_show_value(const cJSON *v, char *buf, size_t len)
{
	char s[32];

	if (cJSON_IsString(v)) {
		theme_show(v->valuestring, s, sizeof s);
		snprintf(buf, len, "\"%s\"", s);
	} else if (cJSON_IsNumber(v)) {
		snprintf(buf, len, "%.15g", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		snprintf(buf, len, "null");
	} else {
		snprintf(buf, len, "%s",
		    cJSON_IsArray(v) ? "an array" : "an object");
	}
}

/* Warns about an unknown key of an object (what: "key" or "role"),
 * suggesting the nearest known one or else listing them. */
static void theme_unknown(ThemeLoad *ld, const char *where, const char *what,
    const char *key, const char *const *known, size_t n)
{
	const char *names[GRID_ROLE_COUNT + 1], *near;
	char shown[32], list[256];
	size_t i, used = 0;

	/* jsonload_suggest takes a NULL-terminated list. */
	for (i = 0; i < n && i < GRID_ROLE_COUNT; i++)
		names[i] = known[i];
	names[i] = NULL;
	near = jsonload_suggest(key, names);

	theme_show(key, shown, sizeof shown);
	if (near != NULL) {
		theme_warn(ld, "%sunknown %s \"%s\", did you mean \"%s\"?",
		    where, what, shown, near);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used,
		    "%s%s", i > 0 ? ", " : "", known[i]);
	theme_warn(ld, "%sunknown %s \"%s\"; known %ss: %s", where, what, shown,
	    what, list);
}

/* Fails when obj has a key twice ("[where]duplicate what \"key\""). */
static int theme_check_keys(ThemeLoad *ld, const cJSON *obj, const char *where,
    const char *what)
{
	const char *dup;
	char shown[32];
	int oom;

	dup = jsonload_duplicate(obj, &oom);
	if (oom)
		return theme_fail(ld, "out of memory");
	if (dup == NULL)
		return 0;
	theme_show(dup, shown, sizeof shown);
	return theme_fail(ld, "%sduplicate %s \"%s\"", where, what, shown);
}

/* ---------------------------------------------------------------------- */
/* Loading: values                                                        */
/* ---------------------------------------------------------------------- */

static const char *const theme_colour_names[16] = {
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright-black",
    "bright-red",
    "bright-green",
    "bright-yellow",
    "bright-blue",
    "bright-magenta",
    "bright-cyan",
    "bright-white",
};

/* What a colour may be, for the messages. */
#define THEME_COLOURS \
	"\"#rrggbb\", 0-255, a colour name (red, bright-red, " \
	"...)"

static int theme_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The colour v stands for: 0, or -1 when v is not a colour. */
static int theme_colour(const cJSON *v, int *c)
{
	const char *s;
	int i, h, rgb = 0;
	double d;

	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (!(d >= 0 && d <= 255) || d != floor(d))
			return -1;
		*c = (int)d;
		return 0;
	}
	if (!cJSON_IsString(v))
		return -1;
	s = v->valuestring;
	if (s[0] == '#') {
		for (i = 1; i <= 6; i++) {
			if ((h = theme_hex(s[i])) < 0)
				return -1;
			rgb = rgb << 4 | h;
		}
		if (s[7] != '\0')
			return -1;
		*c = THEME_RGB(rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff);
		return 0;
	}
	if (strcasecmp(s, "default") == 0) {
		*c = THEME_DEFAULT;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		if (strcasecmp(s, theme_colour_names[i]) == 0) {
			*c = i;
			return 0;
		}
	}
	return -1;
}

static const char *const theme_role_keys[] = {"fg", "bg", "bold"};

/* Applies one role's value, a colour or {"fg", "bg", "bold"}, over *tc. */
static int theme_role(ThemeLoad *ld, const char *role, const cJSON *v,
    ThemeColor *tc)
{
	char where[64], shown[40];
	const cJSON *f;

	if (!cJSON_IsObject(v)) {
		if (theme_colour(v, &tc->fg) == 0)
			return 0;
		theme_show_value(v, shown, sizeof shown);
		return theme_fail(ld,
		    "role \"%s\": %s is not a colour: use " THEME_COLOURS
		    ", \"default\", or {\"fg\": colour, \"bg\": "
		    "colour, \"bold\": true}",
		    role, shown);
	}
	snprintf(where, sizeof where, "role \"%s\": ", role);
	if (theme_check_keys(ld, v, where, "key") < 0)
		return -1;
	for (f = v->child; f != NULL; f = f->next) {
		if (strcmp(f->string, "fg") == 0 ||
		    strcmp(f->string, "bg") == 0) {
			int *dst = f->string[0] == 'f' ? &tc->fg : &tc->bg;

			if (theme_colour(f, dst) == 0)
				continue;
			theme_show_value(f, shown, sizeof shown);
			return theme_fail(ld,
			    "role \"%s\": \"%s\": %s is not "
			    "a colour: use " THEME_COLOURS " or \"default\"",
			    role, f->string, shown);
		} else if (strcmp(f->string, "bold") == 0) {
			if (!cJSON_IsBool(f))
				return theme_fail(ld,
				    "role \"%s\": \"bold\" "
				    "must be true or false",
				    role);
			tc->bold = cJSON_IsTrue(f);
		} else {
			theme_unknown(ld, where, "key", f->string,
			    theme_role_keys, 3);
		}
	}
	return 0;
}

static int theme_colours(ThemeLoad *ld, const cJSON *colours, Theme *t)
{
	const char *roles[GRID_ROLE_COUNT];
	const cJSON *v;
	int r;

	if (!cJSON_IsObject(colours))
		return theme_fail(ld,
		    "\"colors\" must be an object of "
		    "\"role\": colour");
	if (theme_check_keys(ld, colours, "", "role") < 0)
		return -1;
	for (r = 0; r < GRID_ROLE_COUNT; r++)
		roles[r] = grid_role_name((GridRole)r);
	for (v = colours->child; v != NULL; v = v->next) {
		for (r = 0; r < GRID_ROLE_COUNT; r++)
			if (strcmp(v->string, roles[r]) == 0)
				break;
		if (r == GRID_ROLE_COUNT)
			theme_unknown(ld, "", "role", v->string, roles,
			    GRID_ROLE_COUNT);
		else if (theme_role(ld, roles[r], v, &t->role[r]) < 0)
			return -1;
	}
	return 0;
}

static const char *const theme_top_keys[] = {"name", "colors"};

static int theme_object(ThemeLoad *ld, const cJSON *root, Theme *t)
{
	const cJSON *v;
	const char *s;
	char shown[32];
	size_t i;

	if (!cJSON_IsObject(root)) {
		theme_show_value(root, shown, sizeof shown);
		return theme_fail(ld,
		    "expected an object {\"name\": ..., "
		    "\"colors\": {...}}, not %s",
		    shown);
	}
	if (theme_check_keys(ld, root, "", "key") < 0)
		return -1;
	for (v = root->child; v != NULL; v = v->next) {
		if (strcmp(v->string, "name") == 0) {
			s = cJSON_IsString(v) ? v->valuestring : "";
			for (i = 0; (unsigned char)s[i] > 0x1f && s[i] != 0x7f;
			     i++)
				;
			if (i == 0 || s[i] != '\0' || i >= sizeof t->name)
				return theme_fail(ld,
				    "\"name\" must be a "
				    "string of 1 to %zu bytes, without "
				    "control characters",
				    sizeof t->name - 1);
			memcpy(t->name, s, i + 1);
		} else if (strcmp(v->string, "colors") == 0) {
			if (theme_colours(ld, v, t) < 0)
				return -1;
		} else {
			theme_unknown(ld, "", "key", v->string, theme_top_keys,
			    2);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Loading: files                                                         */
/* ---------------------------------------------------------------------- */

/* A syntax error at p in text, worded as the preset loader words it:
 * "path: JSON syntax error at line L, column C near ...", the column
 * counted in characters. */
static int theme_syntax(ThemeLoad *ld, const char *text, const char *p,
    const char *what)
{
	const char *rest = p + strspn(p, " \t\r\n");
	int line, col;
	char near[16];
	size_t i;

	jsonload_position(text, (size_t)(p - text), &line, &col);
	for (i = 0; p[i] != '\0' && p[i] != '\n' && i + 1 < sizeof near; i++)
		near[i] = p[i] >= ' ' && p[i] <= '~' ? p[i] : '?';
	near[i] = '\0';
	if (ld->errlen == 0)
		return -1;
	if (*rest == '\0')
		snprintf(ld->err, ld->errlen,
		    "%s: %s at line %d, column %d: "
		    "unexpected end of file",
		    ld->path, what, line, col);
	else
		snprintf(ld->err, ld->errlen,
		    "%s: %s at line %d, column %d "
		    "near \"%s\"",
		    ld->path, what, line, col, near);
	return -1;
}

/* A "\u0000" at offset at in text, in the string of key (keylen bytes
 * as written, NULL if none): cJSON would cut the string there without a
 * word. */
static int theme_nul_escape(ThemeLoad *ld, const char *text, size_t at,
    const char *key, size_t keylen)
{
	char raw[28], shown[32];
	int line, col;

	jsonload_position(text, at, &line, &col);
	if (key == NULL)
		return theme_fail(ld,
		    "a string holds \\u0000 (a NUL character) at line %d, "
		    "column %d; text cannot hold NUL",
		    line, col);
	snprintf(raw, sizeof raw, "%.*s", (int)(keylen < 26 ? keylen : 26),
	    key);
	theme_show(raw, shown, sizeof shown);
	return theme_fail(ld,
	    "\"%s\": the string holds \\u0000 (a NUL character) at line %d, "
	    "column %d; text cannot hold NUL",
	    shown, line, col);
}

int theme_load(const char *path, Theme *out, char *warn, size_t warnlen,
    char *err, size_t errlen)
{
	ThemeLoad ld = {path, warn, err, warnlen, errlen};
	const char *end = NULL, *key;
	cJSON *root;
	size_t len, at, keylen;
	char *text;
	Theme t;
	int rc, line, col;

	if (warnlen > 0)
		warn[0] = '\0';
	if (errlen > 0)
		err[0] = '\0';
	text = fileio_read(path, FILEIO_MAX_SIZE, &len, err, errlen);
	if (text == NULL)
		return -1;
	/* cJSON would stop at a NUL and take the rest for the end. */
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		return theme_fail(&ld,
		    "contains a NUL byte; a theme is JSON "
		    "text");
	}
	/* The length counts the NUL, so that an error at the end of the
	 * file points there; no cJSON end check, so that trailing text gets
	 * a message of its own. */
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 0);
	if (root == NULL && end != NULL && end >= text &&
	    jsonload_too_deep(text, len) <= (size_t)(end - text)) {
		jsonload_position(text, jsonload_too_deep(text, len), &line,
		    &col);
		rc = theme_fail(&ld,
		    "JSON nested deeper than %d levels at line %d, "
		    "column %d",
		    JSONLOAD_DEPTH_MAX, line, col);
	} else if (root == NULL) {
		rc = theme_syntax(&ld, text, end != NULL ? end : text,
		    "JSON syntax error");
	} else if (end[strspn(end, " \t\r\n")] != '\0') {
		rc = theme_syntax(&ld, text, end + strspn(end, " \t\r\n"),
		    "unexpected text after the JSON value");
	} else if ((at = jsonload_nul_escape(text, len, &key, &keylen)) !=
	    (size_t)-1) {
		rc = theme_nul_escape(&ld, text, at, key, keylen);
	} else {
		theme_default(&t);
		jsonload_stem(path, t.name, sizeof t.name);
		rc = theme_object(&ld, root, &t);
		if (rc == 0)
			*out = t;
	}
	/* A failed load reports its error alone. */
	if (rc < 0 && warnlen > 0)
		warn[0] = '\0';
	cJSON_Delete(root);
	free(text);
	return rc;
}

int theme_open(const char *name_or_file, Theme *out, char *warn, size_t warnlen,
    char *err, size_t errlen)
{
	char path[4096];

	if (warnlen > 0)
		warn[0] = '\0';
	if (datadir_find("themes", name_or_file, path, sizeof path, err,
	        errlen) < 0)
		return -1;
	return theme_load(path, out, warn, warnlen, err, errlen);
}
