/*
 * theme: colours for the grid's roles, from JSON theme files.
 *
 * A theme maps role names (grid.h: "text", "exploding", ...) to colours:
 * "#rrggbb", an index 0-255, or a name (black, red, green, yellow, blue,
 * magenta, cyan, white, their bright- forms, "default"). A file merges over
 * the built-in default: missing roles keep it, unknown roles warn. Colours
 * are converted to the nearest the terminal has (256, 16 or 8).
 *
 * Only this module (and scenario.c) includes cJSON. No curses: term.c
 * applies a theme.
 */
#ifndef GRADSCOPE_THEME_H
#define GRADSCOPE_THEME_H

#include <stddef.h>

#include "grid.h"

/* A colour: THEME_DEFAULT (the terminal's own), an xterm index 0-255, or
 * THEME_RGB(r, g, b). */
#define THEME_DEFAULT (-1)
#define THEME_RGB(r, g, b) (0x1000000 | ((r) << 16) | ((g) << 8) | (b))
#define THEME_IS_RGB(c) ((c) >= 0x1000000)

typedef struct {
	int fg, bg;
	int bold;
} ThemeColor;

typedef struct {
	char name[64];
	ThemeColor role[GRID_ROLE_COUNT];
} Theme;

/* The built-in default ("dark"). */
void theme_default(Theme *t);

/* Loads path over the default. 0 (warnings in warn, "" if none) or -1
 * with one line in err naming the file, the role and what is allowed. */
int theme_load(const char *path, Theme *out, char *warn, size_t warnlen,
    char *err, size_t errlen);

/* Loads a theme by NAME or FILE (datadir.h). */
int theme_open(const char *name_or_file, Theme *out, char *warn, size_t warnlen,
    char *err, size_t errlen);

/* The nearest colour a terminal of `colors` colours (8, 16, 256) has for
 * c, as an index (THEME_DEFAULT stays). */
int theme_nearest(int c, int colors);

#endif
