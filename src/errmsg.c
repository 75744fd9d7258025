/*
 * errmsg: the one way a library module reports why it failed.
 * See include/errmsg.h.
 */
#include "errmsg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

int errmsg_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Bytes kept at each end of a long path; the rest is "...". */
#define ERRMSG_PATH_END ((ERRMSG_PATH_MAX - 3) / 2)

const char *errmsg_path(const char *path, char buf[ERRMSG_PATH_SIZE])
{
	size_t n = strlen(path), head = ERRMSG_PATH_END,
	       tail = n - ERRMSG_PATH_END;

	if (n <= ERRMSG_PATH_MAX)
		return path;
	while (head > 0 && utf8_continues(path[head]))
		head--;
	while (tail < n && utf8_continues(path[tail]))
		tail++;
	memcpy(buf, path, head);
	memcpy(buf + head, "...", 3);
	memcpy(buf + head + 3, path + tail, n - tail);
	buf[head + 3 + n - tail] = '\0';
	return buf;
}
