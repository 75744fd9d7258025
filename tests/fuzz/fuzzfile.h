/*
 * fuzzfile: what the loader harnesses share. The loaders take a path
 * (fileio_read is part of what they do), so each input is written over
 * one temporary file that the harness made once, and its path is handed
 * to the loader: the bytes go through the same read as a user's file.
 */
#ifndef GRADSCOPE_FUZZFILE_H
#define GRADSCOPE_FUZZFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

static char fuzzfile_path[64];
static int fuzzfile_fd = -1;

static void fuzzfile_remove(void)
{
	if (fuzzfile_fd >= 0)
		unlink(fuzzfile_path);
}

/* The path of a file that now holds exactly data[0..size). */
static const char *fuzzfile_put(const uint8_t *data, size_t size)
{
	const char *dir = getenv("TMPDIR");
	size_t off = 0;
	ssize_t n;

	if (fuzzfile_fd < 0) {
		snprintf(fuzzfile_path, sizeof fuzzfile_path,
		    "%.30s/gradscope-fuzz-XXXXXX", dir != NULL &&
		    dir[0] != '\0' ? dir : "/tmp");
		fuzzfile_fd = mkstemp(fuzzfile_path);
		FUZZ_CHECK(fuzzfile_fd >= 0);
		atexit(fuzzfile_remove);
	}
	FUZZ_CHECK(ftruncate(fuzzfile_fd, 0) == 0);
	while (off < size) {
		n = pwrite(fuzzfile_fd, data + off, size - off, (off_t)off);
		FUZZ_CHECK(n > 0);
		off += (size_t)n;
	}
	return fuzzfile_path;
}

#endif
