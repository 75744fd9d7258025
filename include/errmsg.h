/*
 * errmsg: the one way a library module reports why it failed.
 *
 * Modules return 0 or -1 and write a one-line reason into a buffer the
 * caller owns (char *err, size_t errlen); this formats that reason.
 *
 * Pure C: no I/O, no allocation.
 */
#ifndef GRADSCOPE_ERRMSG_H
#define GRADSCOPE_ERRMSG_H

#include <stddef.h>

/* Formats fmt into err (cut to errlen, nothing written when errlen is 0)
 * and returns -1, so a failure path can read "return errmsg_set(...)". */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int errmsg_set(char *err, size_t errlen, const char *fmt, ...);

/* The most bytes errmsg_path gives (and its buffer's size, with the NUL). */
#define ERRMSG_PATH_MAX 160
#define ERRMSG_PATH_SIZE (ERRMSG_PATH_MAX + 1)

/* path as a message quotes it: itself when at most ERRMSG_PATH_MAX bytes,
 * else its first and last bytes around "...", written into buf (cut at
 * UTF-8 character boundaries), so that the reason after a path of any
 * length still fits the caller's buffer. Returns path or buf. */
const char *errmsg_path(const char *path, char buf[ERRMSG_PATH_SIZE]);

#endif
