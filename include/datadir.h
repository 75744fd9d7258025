/*
 * datadir: where presets and themes are found by name.
 *
 * A NAME is looked up as <dir>/<kind>/<NAME>.json in this order: the
 * current directory (./presets, ./themes), the directory of the running
 * executable (when it has a <kind> folder and is not the current one:
 * ./gradscope run from elsewhere finds the tree's presets), the installed
 * data directory (GRADSCOPE_DATADIR, set at build time to
 * $(PREFIX)/share/gradscope), then $XDG_CONFIG_HOME/gradscope (default
 * ~/.config/gradscope), where the view's S saves. An
 * argument that contains '/' or ends in ".json" is a file path, used as
 * it is, and so is "-" (standard input, which fileio_read reads). A
 * listed entry that is not a regular file (a FIFO, a directory) is listed
 * like any other, never opened here: the loader then refuses it without
 * waiting on it ("presets/x.json: not a regular file").
 */
#ifndef GRADSCOPE_DATADIR_H
#define GRADSCOPE_DATADIR_H

#include <stddef.h>

/* Compiled in by the Makefile; this fallback keeps a bare build working. */
#ifndef GRADSCOPE_DATADIR
#define GRADSCOPE_DATADIR "/usr/local/share/gradscope"
#endif

/* kind is "presets" or "themes". Fills path with the file for
 * name_or_file and returns 0, or -1 with one line in err naming what was
 * looked for and where ("no preset 'foo' in ./presets, ..."). A file path
 * is returned as it is, without checking it (the loader reports on it). */
int datadir_find(const char *kind, const char *name_or_file, char *path,
    size_t pathlen, char *err, size_t errlen);

/* Calls fn once per name found in the three directories of kind, in
 * name order; a name found in an earlier directory hides later ones.
 * Returns the number of names, or -1 when out of memory. */
int datadir_list(const char *kind,
    void (*fn)(const char *name, const char *path, void *ctx), void *ctx);

/* The executable's path, in place of what /proc/self/exe says (for the
 * tests, or a system without /proc); NULL goes back to /proc/self/exe.
 * The string must outlive the lookups. */
void datadir_set_exe(const char *path);

/* The directories of kind looked in, in order, joined by ", " into buf
 * ("./presets, /usr/local/share/gradscope/presets, ..."), for a message
 * that says where nothing was found. As snprintf. */
int datadir_where(const char *kind, char *buf, size_t len);

/* The user's directory of kind, $XDG_CONFIG_HOME/gradscope/<kind> (or
 * ~/.config/gradscope/<kind>), into path, created with its parents
 * (mode 0755) when missing: where S saves, so that the picker and
 * --preset NAME find it again. Returns 0, or -1 with one line in err
 * (neither variable set, or a directory that cannot be made). */
int datadir_user(const char *kind, char *path, size_t pathlen, char *err,
    size_t errlen);

#endif
