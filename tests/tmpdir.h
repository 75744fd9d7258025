/*
 * tmpdir: a scratch directory per test, for the suites that read and
 * write files (fileio, scenario, theme). Test code only: included by
 * those check_*.c files, so its state is each file's own.
 */
#ifndef GRADSCOPE_TESTS_TMPDIR_H
#define GRADSCOPE_TESTS_TMPDIR_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[64];

/* A fresh /tmp/check_SUITE.XXXXXX in tmpdir: a test fixture's setup. */
static inline void tmpdir_make(const char *suite)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/check_%s.XXXXXX", suite);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* The directory and all in it: the fixture's teardown. */
static inline void tmpdir_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* tmpdir/name, in one of a few rotating buffers. */
static inline const char *in_tmp(const char *name)
{
	static char bufs[4][256];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
	return b;
}

/* Writes n bytes of data to path, whole. */
static inline void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

#endif
