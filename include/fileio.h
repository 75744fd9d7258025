/*
 * fileio: reading and writing the project's files without losing any.
 *
 * Reads refuse directories, missing or unreadable files and files over a
 * size limit, with one line naming the file. Writes go to a temporary
 * file in the same directory, then rename over the target: a refused or
 * failed write leaves the old file as it was, and an existing file is
 * replaced only when asked (force).
 */
#ifndef GRADSCOPE_FILEIO_H
#define GRADSCOPE_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Files the loaders accept are at most this size. */
#define FILEIO_MAX_SIZE ((size_t)1 << 20)

/* Reads the whole file into a new NUL-terminated buffer (*len bytes
 * before the NUL). Returns it, or NULL with one line in err naming the
 * file ("presets/x.json: is a directory", "...: larger than 1 MiB"). */
char *fileio_read(const char *path, size_t max, size_t *len, char *err,
    size_t errlen);

/* Writes path through write(out, ctx), which returns 0 or -1 (with its
 * own reason in err). Without force an existing path is refused
 * ("x.json exists; use --force to replace it"). Returns 0 or -1. */
int fileio_write_atomic(const char *path, int force,
    int (*write)(FILE *out, void *ctx, char *err, size_t errlen), void *ctx,
    char *err, size_t errlen);

#endif
