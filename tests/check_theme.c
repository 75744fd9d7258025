/*
 * check_theme: theme files and colour conversion. Every shipped theme
 * loads cleanly and keeps its promise (dark is the default, light and
 * high-contrast are readable on their backgrounds, monochrome has no hues,
 * okabe-ito keeps to its palette); a file merges over the default; each
 * bad file gives its message. Nearest colours are checked against xterm's
 * palette as its formula defines it, by brute force. Run from the source
 * tree's root (make check does).
 */
#include "jsonload.h"
#include "theme.h"

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------------- */
/* Fixture: files in a temporary directory                                */
/* ---------------------------------------------------------------------- */

static char paths[8][128];
static int npaths;
static char warn[2048], err[1024];
static const char *loaded; /* the path load() wrote */

static void setup(void)
{
	tmpdir_make("theme");
	npaths = 0;
}

static void teardown(void)
{
	tmpdir_remove();
}

/* Writes len bytes of text to name in the fixture's directory. */
static const char *put_bytes(const char *name, const char *text, size_t len)
{
	char *path;
	int i;

	for (i = 0; i < npaths; i++)
		if (strcmp(strrchr(paths[i], '/') + 1, name) == 0)
			break;
	ck_assert_int_lt(i, 8);
	path = paths[i];
	snprintf(path, sizeof paths[i], "%s/%s", tmpdir, name);
	if (i == npaths)
		npaths++;
	write_file(path, text, len);
	return path;
}

static const char *put(const char *name, const char *text)
{
	return put_bytes(name, text, strlen(text));
}

/* Loads text as x.json over t. */
static int load(const char *text, Theme *t)
{
	loaded = put("x.json", text);
	return theme_load(loaded, t, warn, sizeof warn, err, sizeof err);
}

/* ---------------------------------------------------------------------- */
/* xterm's palette, from its formula                                      */
/* ---------------------------------------------------------------------- */

/* Index i's RGB in xterm's default palette: its 16 ANSI colours; the
 * 6x6x6 cube 16 + 36r + 6g + b with levels 0 and 55 + 40k; the grey ramp
 * 232 + k at 8 + 10k. */
static void xterm_rgb(int i, int rgb[3])
{
	static const int ansi[16] = {
	    0x000000,
	    0xcd0000,
	    0x00cd00,
	    0xcdcd00,
	    0x0000ee,
	    0xcd00cd,
	    0x00cdcd,
	    0xe5e5e5,
	    0x7f7f7f,
	    0xff0000,
	    0x00ff00,
	    0xffff00,
	    0x5c5cff,
	    0xff00ff,
	    0x00ffff,
	    0xffffff,
	};
	int k, v[3];

	if (i < 16) {
		for (k = 0; k < 3; k++)
			rgb[k] = ansi[i] >> (16 - 8 * k) & 0xff;
		return;
	}
	if (i >= 232) {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
		return;
	}
	v[0] = (i - 16) / 36;
	v[1] = (i - 16) / 6 % 6;
	v[2] = (i - 16) % 6;
	for (k = 0; k < 3; k++)
		rgb[k] = v[k] == 0 ? 0 : 55 + 40 * v[k];
}

static int as_rgb(const int rgb[3])
{
	return THEME_RGB(rgb[0], rgb[1], rgb[2]);
}

static long dist(const int a[3], const int b[3])
{
	return (long)(a[0] - b[0]) * (a[0] - b[0]) +
	    (long)(a[1] - b[1]) * (a[1] - b[1]) +
	    (long)(a[2] - b[2]) * (a[2] - b[2]);
}

static int is_grey(const int rgb[3])
{
	return rgb[0] == rgb[1] && rgb[1] == rgb[2];
}

/* The smallest distance from rgb to indexes lo..hi; from a grey, to
 * the greys among them (so that no grey turns yellow on 8 colours). */
static long best_dist(const int rgb[3], int lo, int hi)
{
	long d, best = -1;
	int i, p[3];

	for (i = lo; i <= hi; i++) {
		xterm_rgb(i, p);
		if (is_grey(rgb) && !is_grey(p))
			continue;
		d = dist(rgb, p);
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

/* The RGB of a theme colour (an index or RGB, not THEME_DEFAULT). */
static void colour_rgb(int c, int rgb[3])
{
	ck_assert_int_ne(c, THEME_DEFAULT);
	if (THEME_IS_RGB(c)) {
		rgb[0] = c >> 16 & 0xff;
		rgb[1] = c >> 8 & 0xff;
		rgb[2] = c & 0xff;
	} else {
		xterm_rgb(c, rgb);
	}
}

/* WCAG 2 relative luminance and contrast ratio. */
static double luminance(const int rgb[3])
{
	static const double w[3] = {0.2126, 0.7152, 0.0722};
	double l = 0, s;
	int k;

	for (k = 0; k < 3; k++) {
		s = rgb[k] / 255.0;
		l += w[k] *
		    (s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4));
	}
	return l;
}

static double contrast(const int a[3], const int b[3])
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* ---------------------------------------------------------------------- */
/* The shipped themes                                                     */
/* ---------------------------------------------------------------------- */

/* Loads themes/NAME.json, which must load without a word. */
static void shipped(const char *name, Theme *t)
{
	char path[256];

	snprintf(path, sizeof path, "themes/%s.json", name);
	ck_assert_msg(theme_load(path, t, warn, sizeof warn, err, sizeof err) ==
	        0,
	    "%s", err);
	ck_assert_msg(warn[0] == '\0', "%s", warn);
}

START_TEST(test_every_shipped_theme_loads)
{
	static const char *const required[] = {"dark", "light", "high-contrast",
	    "monochrome", "okabe-ito"};
	char name[256];
	struct dirent *e;
	size_t n, i, found = 0;
	int count = 0;
	DIR *d = opendir("themes");
	Theme t;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(n - 5), e->d_name);
		shipped(name, &t);
		/* --theme NAME and the name shown agree. */
		ck_assert_str_eq(t.name, name);
		for (i = 0; i < 5; i++)
			found += strcmp(name, required[i]) == 0;
		count++;
	}
	closedir(d);
	ck_assert_uint_eq(found, 5);
	ck_assert_int_ge(count, 5);
}
END_TEST

START_TEST(test_default_is_dark_json)
{
	Theme def, dark;
	int r;

	theme_default(&def);
	shipped("dark", &dark);
	ck_assert_str_eq(def.name, "dark");
	for (r = 0; r < GRID_ROLE_COUNT; r++) {
		ck_assert_msg(def.role[r].fg == dark.role[r].fg &&
		        def.role[r].bg == dark.role[r].bg &&
		        def.role[r].bold == dark.role[r].bold,
		    "role %s differs", grid_role_name((GridRole)r));
	}
}
END_TEST

START_TEST(test_default_keeps_the_old_look)
{
	/* The 256-colour table term.c had before themes, and its bold. */
	static const struct {
		GridRole role;
		int c256, bold;
	} old[] = {
	    {GRID_ROLE_TEXT, -1, 0},
	    /* Issue 12: dim, axis, special, theory and help-key moved to
	     * middle brightness (243, 243, 29, 135, 30 for 244, 246, 35,
	     * 141, 37), so that the default reads on a white terminal too
	     * (test_readable_on_dark_and_light); the bars keep theirs. */
	    {GRID_ROLE_DIM, 243, 0},
	    {GRID_ROLE_AXIS, 243, 0},
	    {GRID_ROLE_CRITICAL, 170, 1},
	    {GRID_ROLE_EXPLODING, 202, 0},
	    {GRID_ROLE_VANISHING, 33, 0},
	    {GRID_ROLE_SPECIAL, 29, 1},
	    {GRID_ROLE_THEORY, 135, 0},
	    {GRID_ROLE_STATUS, -1, 0},
	    {GRID_ROLE_VERDICT, -1, 0},
	    {GRID_ROLE_TITLE, -1, 1},
	    {GRID_ROLE_HELP, -1, 0},
	    {GRID_ROLE_HELP_KEY, 30, 1},
	    {GRID_ROLE_CAPTION, -1, 0},
	    {GRID_ROLE_NOTICE, 166, 1},
	};
	Theme t;
	size_t i;

	ck_assert_uint_eq(sizeof old / sizeof old[0], GRID_ROLE_COUNT);
	theme_default(&t);
	for (i = 0; i < GRID_ROLE_COUNT; i++) {
		const ThemeColor *c = &t.role[old[i].role];

		ck_assert_int_eq(theme_nearest(c->fg, 256), old[i].c256);
		ck_assert_int_eq(c->bg, THEME_DEFAULT);
		ck_assert_int_eq(c->bold, old[i].bold);
	}
}
END_TEST

START_TEST(test_bars_told_apart_in_every_theme)
{
	static const char *const names[] = {"dark", "light", "high-contrast",
	    "monochrome", "okabe-ito"};
	const ThemeColor *up, *down;
	size_t i;
	Theme t;

	for (i = 0; i < 5; i++) {
		shipped(names[i], &t);
		up = &t.role[GRID_ROLE_EXPLODING];
		down = &t.role[GRID_ROLE_VANISHING];
		ck_assert_msg(theme_nearest(up->fg, 256) !=
		            theme_nearest(down->fg, 256) ||
		        up->bold != down->bold,
		    "%s", names[i]);
	}
}
END_TEST

/* Every colour role's foreground in t has at least ratio contrast with
 * bg (the terminal's own colour is not judged). */
static void assert_contrast(const Theme *t, const int bg[3], double ratio)
{
	int r, rgb[3], fg;

	for (r = 0; r < GRID_ROLE_COUNT; r++) {
		fg = theme_nearest(t->role[r].fg, 256);
		if (fg == THEME_DEFAULT)
			continue;
		xterm_rgb(fg, rgb);
		ck_assert_msg(contrast(rgb, bg) >= ratio, "%s: %s: %.2f",
		    t->name, grid_role_name((GridRole)r), contrast(rgb, bg));
	}
}

/*
 * Every shipped theme on a dark terminal (white on black) and a light
 * one (black on white), as a 256-colour terminal shows it: each role's
 * foreground against its effective background (its own, else the text
 * role's, which a theme that assumes a background paints, else the
 * terminal's), the terminal's own foreground where the role has none.
 * WCAG contrast at least 4.5:1 for plain text, 3:1 for bold text and for
 * the bars and marks (critical, exploding, vanishing, special, theory),
 * WCAG's figure for large text and graphics. A role left wholly to the
 * terminal (its foreground on its background) is not judged.
 */
START_TEST(test_readable_on_dark_and_light)
{
	static const char *const names[] = {"dark", "light", "high-contrast",
	    "monochrome", "okabe-ito"};
	static const struct {
		const char *name;
		int fg[3], bg[3];
	} terms[] = {{"dark", {255, 255, 255}, {0, 0, 0}},
	    {"light", {0, 0, 0}, {255, 255, 255}}};
	int fg[3], bg[3], r, c, mark, k;
	size_t i, tm;
	double min;
	Theme t;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		shipped(names[i], &t);
		for (tm = 0; tm < 2; tm++)
			for (r = 0; r < GRID_ROLE_COUNT; r++) {
				const ThemeColor *rc = &t.role[r];
				int fgc = theme_nearest(rc->fg, 256);
				int bgc = theme_nearest(rc->bg !=
				            THEME_DEFAULT ?
				        rc->bg :
				        t.role[GRID_ROLE_TEXT].bg,
				    256);

				if (fgc == THEME_DEFAULT &&
				    bgc == THEME_DEFAULT)
					continue;
				for (k = 0; k < 3; k++) {
					fg[k] = terms[tm].fg[k];
					bg[k] = terms[tm].bg[k];
				}
				if (fgc != THEME_DEFAULT)
					xterm_rgb(fgc, fg);
				if (bgc != THEME_DEFAULT)
					xterm_rgb(bgc, bg);
				mark = r == GRID_ROLE_CRITICAL ||
				    r == GRID_ROLE_EXPLODING ||
				    r == GRID_ROLE_VANISHING ||
				    r == GRID_ROLE_SPECIAL ||
				    r == GRID_ROLE_THEORY;
				min = mark || rc->bold ? 3.0 : 4.5;
				c = contrast(fg, bg) >= min;
				ck_assert_msg(c,
				    "%s on a %s terminal: %s: %.2f, below %.1f",
				    names[i], terms[tm].name,
				    grid_role_name((GridRole)r),
				    contrast(fg, bg), min);
			}
	}
}
END_TEST

START_TEST(test_light_readable_on_white)
{
	/* WCAG AA for text, on the white of a bright room's terminal, as
	 * the 256-colour terminal shows it. */
	static const int white[3] = {255, 255, 255};
	Theme t;

	shipped("light", &t);
	assert_contrast(&t, white, 4.5);
}
END_TEST

START_TEST(test_high_contrast_on_its_own_black)
{
	static const int black[3] = {0, 0, 0};
	Theme t;
	int r;

	shipped("high-contrast", &t);
	ck_assert_int_eq(t.role[GRID_ROLE_TEXT].bg, THEME_RGB(0, 0, 0));
	/* The other roles draw on the text's background. */
	for (r = 1; r < GRID_ROLE_COUNT; r++)
		ck_assert_int_eq(t.role[r].bg, THEME_DEFAULT);
	/* WCAG AAA. */
	assert_contrast(&t, black, 7.0);
}
END_TEST

START_TEST(test_monochrome_has_no_hues)
{
	const int *c;
	int r, k, rgb[3];
	Theme t;

	shipped("monochrome", &t);
	for (r = 0; r < GRID_ROLE_COUNT; r++) {
		for (k = 0; k < 2; k++) {
			c = k == 0 ? &t.role[r].fg : &t.role[r].bg;
			if (*c == THEME_DEFAULT)
				continue;
			colour_rgb(*c, rgb);
			ck_assert_msg(rgb[0] == rgb[1] && rgb[1] == rgb[2],
			    "%s", grid_role_name((GridRole)r));
		}
	}
	/* What is left to tell exploding from vanishing is bold and grey. */
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].bold, 1);
	ck_assert_int_eq(t.role[GRID_ROLE_VANISHING].bold, 0);
}
END_TEST

START_TEST(test_okabe_ito_keeps_to_its_palette)
{
	static const int palette[] = {
	    THEME_RGB(0xe6, 0x9f, 0x00),
	    THEME_RGB(0x56, 0xb4, 0xe9),
	    THEME_RGB(0x00, 0x9e, 0x73),
	    THEME_RGB(0xf0, 0xe4, 0x42),
	    THEME_RGB(0x00, 0x72, 0xb2),
	    THEME_RGB(0xd5, 0x5e, 0x00),
	    THEME_RGB(0xcc, 0x79, 0xa7),
	    THEME_RGB(0x00, 0x00, 0x00),
	};
	int r, rgb[3], fg;
	size_t i;
	Theme t;

	shipped("okabe-ito", &t);
	for (r = 0; r < GRID_ROLE_COUNT; r++) {
		fg = t.role[r].fg;
		if (fg == THEME_DEFAULT)
			continue;
		colour_rgb(fg, rgb);
		if (rgb[0] == rgb[1] && rgb[1] == rgb[2])
			continue; /* greys are no hue to confuse */
		for (i = 0; i < sizeof palette / sizeof palette[0]; i++)
			if (fg == palette[i])
				break;
		ck_assert_msg(i < sizeof palette / sizeof palette[0], "%s",
		    grid_role_name((GridRole)r));
	}
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].fg,
	    THEME_RGB(0xd5, 0x5e, 0x00));
	ck_assert_int_eq(t.role[GRID_ROLE_VANISHING].fg,
	    THEME_RGB(0x00, 0x72, 0xb2));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Merging and colour forms                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_missing_roles_keep_the_default)
{
	Theme def, t;
	int r;

	theme_default(&def);
	ck_assert_int_eq(
	    load("{\"colors\": {\"exploding\": \"#ff0000\", "
	         "\"critical\": {\"fg\": 5}, \"title\": {\"bold\": false}}}",
	        &t),
	    0);
	ck_assert_str_eq(warn, "");
	/* Without "name", the file's name. */
	ck_assert_str_eq(t.name, "x");
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].fg, THEME_RGB(255, 0, 0));
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].bg, THEME_DEFAULT);
	/* Fields left out of an object keep the default's too. */
	ck_assert_int_eq(t.role[GRID_ROLE_CRITICAL].fg, 5);
	ck_assert_int_eq(t.role[GRID_ROLE_CRITICAL].bold, 1);
	ck_assert_int_eq(t.role[GRID_ROLE_TITLE].bold, 0);
	ck_assert_int_eq(t.role[GRID_ROLE_TITLE].fg, THEME_DEFAULT);
	for (r = 0; r < GRID_ROLE_COUNT; r++) {
		if (r == GRID_ROLE_EXPLODING || r == GRID_ROLE_CRITICAL ||
		    r == GRID_ROLE_TITLE)
			continue;
		ck_assert_int_eq(t.role[r].fg, def.role[r].fg);
		ck_assert_int_eq(t.role[r].bg, def.role[r].bg);
		ck_assert_int_eq(t.role[r].bold, def.role[r].bold);
	}
}
END_TEST

START_TEST(test_colour_forms)
{
	Theme t;

	ck_assert_int_eq(
	    load(
	        "{\"name\": \"forms\", \"colors\": {"
	        "\"text\": \"red\", \"dim\": \"bright-red\", \"axis\": \"BLACK\", "
	        "\"critical\": \"bright-white\", \"exploding\": \"#5F87aF\", "
	        "\"vanishing\": 0, \"special\": 255, \"theory\": \"default\", "
	        "\"status\": {\"fg\": \"white\", \"bg\": \"blue\"}, "
	        "\"notice\": 7.0}}",
	        &t),
	    0);
	ck_assert_str_eq(warn, "");
	ck_assert_str_eq(t.name, "forms");
	ck_assert_int_eq(t.role[GRID_ROLE_TEXT].fg, 1);
	ck_assert_int_eq(t.role[GRID_ROLE_DIM].fg, 9);
	ck_assert_int_eq(t.role[GRID_ROLE_AXIS].fg, 0);
	ck_assert_int_eq(t.role[GRID_ROLE_CRITICAL].fg, 15);
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].fg,
	    THEME_RGB(0x5f, 0x87, 0xaf));
	ck_assert_int_eq(t.role[GRID_ROLE_VANISHING].fg, 0);
	ck_assert_int_eq(t.role[GRID_ROLE_SPECIAL].fg, 255);
	ck_assert_int_eq(t.role[GRID_ROLE_THEORY].fg, THEME_DEFAULT);
	ck_assert_int_eq(t.role[GRID_ROLE_STATUS].fg, 7);
	ck_assert_int_eq(t.role[GRID_ROLE_STATUS].bg, 4);
	ck_assert_int_eq(t.role[GRID_ROLE_NOTICE].fg, 7);
}
END_TEST

START_TEST(test_unknown_names_warn_and_the_rest_loads)
{
	char want[1024];
	const char *p;
	Theme t;

	ck_assert_int_eq(load("{\"colors\": {\"exploded\": \"red\", "
	                      "\"vanishing\": \"blue\", \"background\": 0, "
	                      "\"title\": {\"bolt\": true}}, \"colours\": {}}",
	                     &t),
	    0);
	p = loaded;
	snprintf(want, sizeof want,
	    "%s: unknown role \"exploded\", did you mean \"exploding\"?\n"
	    "%s: unknown role \"background\"; known roles: text, dim, axis, "
	    "critical, exploding, vanishing, special, theory, status, "
	    "verdict, title, help, help-key, caption, notice\n"
	    "%s: role \"title\": unknown key \"bolt\", did you mean "
	    "\"bold\"?\n"
	    "%s: unknown key \"colours\", did you mean \"colors\"?\n",
	    p, p, p, p);
	ck_assert_str_eq(warn, want);
	ck_assert_int_eq(t.role[GRID_ROLE_VANISHING].fg, 4);
	/* exploded did not land anywhere. */
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].fg,
	    THEME_RGB(0xff, 0x5f, 0x00));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Bad files                                                              */
/* ---------------------------------------------------------------------- */

#define COLOURS "\"#rrggbb\", 0-255, a colour name (red, bright-red, ...)"
#define USE_ROLE \
	"use " COLOURS ", \"default\", or {\"fg\": colour, " \
	"\"bg\": colour, \"bold\": true}"
#define USE_FIELD "use " COLOURS " or \"default\""

START_TEST(test_bad_files)
{
	/* The message is the file's path followed by msg. */
	static const struct {
		const char *json, *msg;
	} bad[] = {
	    {"{\"colors\": {\"exploded\": 1, \"exploding\": \"#12345\"}}",
	        ": role \"exploding\": \"#12345\" is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"exploding\": \"#1234567\"}}",
	        ": role \"exploding\": \"#1234567\" is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"exploding\": \"#gggggg\"}}",
	        ": role \"exploding\": \"#gggggg\" is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"vanishing\": 256}}",
	        ": role \"vanishing\": 256 is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"vanishing\": -2}}",
	        ": role \"vanishing\": -2 is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"vanishing\": 3.5}}",
	        ": role \"vanishing\": 3.5 is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"text\": \"purpleish\"}}",
	        ": role \"text\": \"purpleish\" is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"text\": true}}",
	        ": role \"text\": true is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"text\": [255, 0, 0]}}",
	        ": role \"text\": an array is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"text\": null}}",
	        ": role \"text\": null is not a colour: " USE_ROLE},
	    {"{\"colors\": {\"text\": {\"fg\": 256}}}",
	        ": role \"text\": \"fg\": 256 is not a colour: " USE_FIELD},
	    {"{\"colors\": {\"text\": {\"bg\": \"mauve\"}}}",
	        ": role \"text\": \"bg\": \"mauve\" is not a colour: " USE_FIELD},
	    {"{\"colors\": {\"title\": {\"bold\": 1}}}",
	        ": role \"title\": \"bold\" must be true or false"},
	    {"{\"colors\": {\"text\": 1, \"dim\": 2, \"text\": 3}}",
	        ": duplicate role \"text\""},
	    {"{\"colors\": {\"text\": {\"fg\": 1, \"fg\": 2}}}",
	        ": role \"text\": duplicate key \"fg\""},
	    {"{\"name\": \"a\", \"colors\": {}, \"name\": \"b\"}",
	        ": duplicate key \"name\""},
	    {"{\"colors\": [\"text\"]}",
	        ": \"colors\" must be an object of \"role\": colour"},
	    {"[]",
	        ": expected an object {\"name\": ..., \"colors\": "
	        "{...}}, not an array"},
	    {"{\"name\": 5}",
	        ": \"name\" must be a string of 1 to 63 "
	        "bytes, without control characters"},
	    {"{\"name\": \"\"}",
	        ": \"name\" must be a string of 1 to 63 "
	        "bytes, without control characters"},
	    {"{\"name\": \"a\\nb\"}",
	        ": \"name\" must be a string of 1 "
	        "to 63 bytes, without control characters"},
	    {"{\"name\": \"0123456789012345678901234567890123456789"
	     "012345678901234567890123\"}",
	        ": \"name\" must be a "
	        "string of 1 to 63 bytes, without control characters"},
	    {"{\"colors\": {}} x",
	        ": unexpected text after the JSON value at line 1, column 16 near "
	        "\"x\""},
	    {"{}\n{}\n",
	        ": unexpected text after the JSON value at line 2, column 1 near "
	        "\"{}\""},
	    {"{\n  \"colors\": {\n    \"text\": ,\n  }\n}\n",
	        ": JSON syntax error at line 3, column 13 near \",\""},
	    /* Columns count characters, not bytes (é is two); cJSON
		 * stops one past an unquoted key. */
	    {"{\"name\": \"\xc3\xa9\", x}",
	        ": JSON syntax error at line 1, column 16 near \"}\""},
	    {"{ // a comment\n}",
	        ": JSON syntax error at line 1, column 4 near \"/ a "
	        "comment\""},
	    {"{\"colors\": {",
	        ": JSON syntax error at line 1, column 13: "
	        "unexpected end of file"},
	    {"",
	        ": JSON syntax error at line 1, column 1: unexpected "
	        "end of file"},
	};
	char want[1024];
	const char *path;
	size_t i;
	Theme t, before;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&t, 0x5a, sizeof t);
		before = t;
		path = put("x.json", bad[i].json);
		ck_assert_msg(theme_load(path, &t, warn, sizeof warn, err,
		                  sizeof err) == -1,
		    "%s", bad[i].json);
		snprintf(want, sizeof want, "%s%s", path, bad[i].msg);
		ck_assert_str_eq(err, want);
		ck_assert_str_eq(warn, "");
		/* A failed load leaves the theme as it was. */
		ck_assert(memcmp(&t, &before, sizeof t) == 0);
	}
}
END_TEST

START_TEST(test_bad_paths)
{
	char want[1200];
	const char *path;
	Theme t;

	path = put_bytes("nul.json", "{}\0{}", 5);
	ck_assert_int_eq(theme_load(path, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want,
	    "%s: contains a NUL byte; a theme is "
	    "JSON text",
	    path);
	ck_assert_str_eq(err, want);

	/* fileio's messages, each naming the file. */
	ck_assert_int_eq(theme_load(tmpdir, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s: is a directory", tmpdir);
	ck_assert_str_eq(err, want);
	snprintf(want, sizeof want, "%s/none.json", tmpdir);
	ck_assert_int_eq(theme_load(want, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, want));
}
END_TEST

/* Valid JSON nested deeper than cJSON parses is said to be so, with the
 * limit and where; 1000 levels parse; brackets in strings do not count;
 * a syntax error before the deep part stays a syntax error. */
START_TEST(test_nested_too_deeply)
{
	char *text = malloc(8 * 1024), want[1200];
	const char *path;
	size_t n = 0, i;
	Theme t;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < JSONLOAD_DEPTH_MAX + 1; i++)
		text[n++] = '[';
	for (i = 0; i < JSONLOAD_DEPTH_MAX + 1; i++)
		text[n++] = ']';
	text[n] = '\0';
	path = put("deep.json", text);
	ck_assert_int_eq(theme_load(path, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want,
	    "%s: JSON nested deeper than 1000 levels at line 1, column 1001",
	    path);
	ck_assert_str_eq(err, want);

	/* 1000 levels are JSON cJSON reads: refused as not an object. */
	text[n - 1] = '\0';
	path = put("deep.json", text + 1);
	ck_assert_int_eq(theme_load(path, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_null(strstr(err, "nested"));
	ck_assert_ptr_nonnull(strstr(err, "not an array"));

	/* 2000 '[' inside a string are text, not nesting. */
	n = 0;
	n += (size_t)sprintf(text, "{\"name\": \"");
	for (i = 0; i < 2000; i++)
		text[n++] = '[';
	sprintf(text + n, "\\\"\"}");
	path = put("deep.json", text);
	ck_assert_int_eq(theme_load(path, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_null(strstr(err, "nested"));
	ck_assert_ptr_nonnull(strstr(err, "\"name\" must be a string"));

	/* A syntax error comes first. */
	memset(text, '[', 1500);
	memcpy(text, "[x", 2);
	text[1500] = '\0';
	path = put("deep.json", text);
	ck_assert_int_eq(theme_load(path, &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "JSON syntax error at line 1, "
	    "column 2"));
	free(text);
}
END_TEST

/* A "\u0000" in a string is refused with its key: cJSON would cut the
 * name there without a word. */
START_TEST(test_nul_escape)
{
	Theme t;

	ck_assert_int_eq(load("{\"name\": \"my\\u0000theme\"}", &t), -1);
	ck_assert_ptr_nonnull(strstr(err,
	    "x.json: \"name\": the string holds \\u0000 (a NUL character) "
	    "at line 1, column 13; text cannot hold NUL"));
	ck_assert_int_eq(load("{\"colors\": {\"axis\": \"#\\u0000\"}}", &t),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "\"axis\": the string holds"));
}
END_TEST

START_TEST(test_open_by_name_and_path)
{
	Theme t;

	ck_assert_int_eq(theme_open("light", &t, warn, sizeof warn, err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(t.name, "light");
	ck_assert_int_eq(t.role[GRID_ROLE_EXPLODING].fg,
	    THEME_RGB(0xd7, 0x00, 0x00));
	ck_assert_int_eq(theme_open("themes/okabe-ito.json", &t, warn,
	                     sizeof warn, err, sizeof err),
	    0);
	ck_assert_str_eq(t.name, "okabe-ito");
	ck_assert_int_eq(theme_open("no-such-theme", &t, warn, sizeof warn, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "no-such-theme"));
	ck_assert_ptr_nonnull(strstr(err, "./themes"));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Nearest colours                                                        */
/* ---------------------------------------------------------------------- */

START_TEST(test_nearest_examples)
{
	/* #5f87af is cube (1, 2, 3): 16 + 36 + 12 + 3. */
	ck_assert_int_eq(theme_nearest(THEME_RGB(0x5f, 0x87, 0xaf), 256), 67);
	/* Pure red: cube (5, 0, 0); xterm's bright red is exactly it; of
	 * the 8, red (#cd0000). */
	ck_assert_int_eq(theme_nearest(THEME_RGB(255, 0, 0), 256), 196);
	ck_assert_int_eq(theme_nearest(THEME_RGB(255, 0, 0), 16), 9);
	ck_assert_int_eq(theme_nearest(THEME_RGB(255, 0, 0), 8), 1);
	/* Greys go to the ramp: 8 + 10 * 12 = 128 is 244; 118 is 243. */
	ck_assert_int_eq(theme_nearest(THEME_RGB(128, 128, 128), 256), 244);
	ck_assert_int_eq(theme_nearest(THEME_RGB(0x80, 0x80, 0x80), 256), 244);
	ck_assert_int_eq(theme_nearest(THEME_RGB(120, 119, 118), 256), 243);
	ck_assert_int_eq(theme_nearest(THEME_RGB(8, 8, 8), 256), 232);
	ck_assert_int_eq(theme_nearest(THEME_RGB(238, 238, 238), 256), 255);
	/* Black and white are cube corners. */
	ck_assert_int_eq(theme_nearest(THEME_RGB(0, 0, 0), 256), 16);
	ck_assert_int_eq(theme_nearest(THEME_RGB(255, 255, 255), 256), 231);
	/* Indexes the terminal has stay; others are mapped down. */
	ck_assert_int_eq(theme_nearest(3, 8), 3);
	ck_assert_int_eq(theme_nearest(9, 8), 1);
	ck_assert_int_eq(theme_nearest(12, 8), 4); /* #5c5cff */
	ck_assert_int_eq(theme_nearest(196, 16), 9);
	ck_assert_int_eq(theme_nearest(255, 16), 7); /* #eeeeee */
	ck_assert_int_eq(theme_nearest(232, 16), 0); /* #080808 */
	ck_assert_int_eq(theme_nearest(244, 16), 8); /* #808080 */
	/* A grey stays a grey, though xterm's yellow (#cdcd00) is nearer
	 * to #808080 than its white (#e5e5e5): 28242 against 30603. */
	ck_assert_int_eq(theme_nearest(THEME_RGB(0x80, 0x80, 0x80), 8), 7);
	ck_assert_int_eq(theme_nearest(244, 8), 7);
	ck_assert_int_eq(theme_nearest(THEME_RGB(0x58, 0x58, 0x58), 8), 0);
	ck_assert_int_eq(theme_nearest(13, 256), 13);
	ck_assert_int_eq(theme_nearest(255, 256), 255);
	ck_assert_int_eq(theme_nearest(THEME_DEFAULT, 256), THEME_DEFAULT);
	ck_assert_int_eq(theme_nearest(THEME_DEFAULT, 16), THEME_DEFAULT);
	ck_assert_int_eq(theme_nearest(THEME_DEFAULT, 8), THEME_DEFAULT);
}
END_TEST

START_TEST(test_nearest_maps_the_palette_to_itself)
{
	int i, rgb[3];

	/* 16-255 have one RGB value each in every xterm-like terminal. */
	for (i = 16; i < 256; i++) {
		xterm_rgb(i, rgb);
		ck_assert_int_eq(theme_nearest(as_rgb(rgb), 256), i);
	}
	for (i = 0; i < 16; i++) {
		xterm_rgb(i, rgb);
		ck_assert_int_eq(theme_nearest(as_rgb(rgb), 16), i);
		if (i < 8)
			ck_assert_int_eq(theme_nearest(as_rgb(rgb), 8), i);
	}
}
END_TEST

START_TEST(test_nearest_is_nearest)
{
	/* Against a brute-force search of the palette: 256 colours take
	 * 16-255 only (0-15 differ between terminals), 16 and 8 their
	 * own. */
	static const struct {
		int colors, lo, hi;
	} depth[] = {
	    {256, 16, 255},
	    {16, 0, 15},
	    {8, 0, 7},
	};
	int r, g, b, k, n, rgb[3], got[3];

	for (k = 0; k < 3; k++) {
		for (r = 0; r < 256; r += 5) {
			for (g = 0; g < 256; g += 5) {
				for (b = 0; b < 256; b += 5) {
					rgb[0] = r;
					rgb[1] = g;
					rgb[2] = b;
					n = theme_nearest(THEME_RGB(r, g, b),
					    depth[k].colors);
					/* No ck_assert in here: each one
					 * costs a write. */
					if (n >= depth[k].lo &&
					    n <= depth[k].hi) {
						xterm_rgb(n, got);
						if (dist(rgb, got) ==
						    best_dist(rgb, depth[k].lo,
						        depth[k].hi))
							continue;
					}
					ck_abort_msg("#%02x%02x%02x at %d: %d",
					    r, g, b, depth[k].colors, n);
				}
			}
		}
	}
	/* Indexes beyond a terminal's go to their colour's nearest. */
	for (k = 1; k < 3; k++) {
		for (n = depth[k].colors; n < 256; n++) {
			xterm_rgb(n, rgb);
			xterm_rgb(theme_nearest(n, depth[k].colors), got);
			ck_assert_int_eq(dist(rgb, got),
			    best_dist(rgb, depth[k].lo, depth[k].hi));
		}
	}
}
END_TEST

Suite *theme_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("theme");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_shipped_theme_loads);
	tcase_add_test(tc, test_default_is_dark_json);
	tcase_add_test(tc, test_default_keeps_the_old_look);
	tcase_add_test(tc, test_bars_told_apart_in_every_theme);
	tcase_add_test(tc, test_light_readable_on_white);
	tcase_add_test(tc, test_readable_on_dark_and_light);
	tcase_add_test(tc, test_high_contrast_on_its_own_black);
	tcase_add_test(tc, test_monochrome_has_no_hues);
	tcase_add_test(tc, test_okabe_ito_keeps_to_its_palette);
	tcase_add_test(tc, test_missing_roles_keep_the_default);
	tcase_add_test(tc, test_colour_forms);
	tcase_add_test(tc, test_unknown_names_warn_and_the_rest_loads);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_bad_paths);
	tcase_add_test(tc, test_nested_too_deeply);
	tcase_add_test(tc, test_nul_escape);
	tcase_add_test(tc, test_open_by_name_and_path);
	tcase_add_test(tc, test_nearest_examples);
	tcase_add_test(tc, test_nearest_maps_the_palette_to_itself);
	tcase_add_test(tc, test_nearest_is_nearest);
	suite_add_tcase(s, tc);
	return s;
}
