/*
 * check_fileio: reads refuse what they must with a message naming the
 * file; writes either replace the target whole or leave it byte for byte
 * as it was, and leave no temporary file behind either way.
 */
#include "suites.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "tmpdir.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static void setup(void)
{
	tmpdir_make("fileio");
}

static void teardown(void)
{
	tmpdir_remove();
}

/* The whole file as a string ("" if it cannot be read). */
static char *get_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* Entries of dir other than "." and "..", hidden ones included. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* A write callback: prints ctx, or fails with a reason when ctx is NULL. */
static int write_text(FILE *out, void *ctx, char *err, size_t errlen)
{
	if (ctx == NULL) {
		fputs("half a fi", out);
		snprintf(err, errlen, "the writer gave up");
		return -1;
	}
	fputs(ctx, out);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */
/* ---------------------------------------------------------------------- */

START_TEST(test_read_whole_file)
{
	const char *path = in_tmp("a.json");
	char err[256] = "", *buf;
	size_t len = 99;

	write_file(path, "{\"a\":\0 1}", 9);
	buf = fileio_read(path, FILEIO_MAX_SIZE, &len, err, sizeof err);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 9);
	ck_assert_mem_eq(buf, "{\"a\":\0 1}", 10); /* and the NUL after */
	free(buf);
	write_file(path, "", 0);
	buf = fileio_read(path, FILEIO_MAX_SIZE, &len, err, sizeof err);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");
	free(buf);
}
END_TEST

START_TEST(test_read_refusals)
{
	const char *missing = in_tmp("missing.json");
	char err[256], want[512], *big;
	size_t len = 7;

	ck_assert_ptr_null(fileio_read(missing, 100, &len, err, sizeof err));
	snprintf(want, sizeof want, "%s: cannot read: %s", missing,
	    strerror(ENOENT));
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(len, 7);

	ck_assert_ptr_null(fileio_read(tmpdir, 100, &len, err, sizeof err));
	snprintf(want, sizeof want, "%s: is a directory", tmpdir);
	ck_assert_str_eq(err, want);

	/* The limit is inclusive: max bytes load, max + 1 do not. */
	big = malloc(FILEIO_MAX_SIZE + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', FILEIO_MAX_SIZE + 1);
	write_file(in_tmp("big.json"), big, FILEIO_MAX_SIZE + 1);
	ck_assert_ptr_null(fileio_read(in_tmp("big.json"), FILEIO_MAX_SIZE,
	    &len, err, sizeof err));
	snprintf(want, sizeof want, "%s: larger than 1 MiB",
	    in_tmp("big.json"));
	ck_assert_str_eq(err, want);
	write_file(in_tmp("max.json"), big, FILEIO_MAX_SIZE);
	free(big);
	big = fileio_read(in_tmp("max.json"), FILEIO_MAX_SIZE, &len, err,
	    sizeof err);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(len, FILEIO_MAX_SIZE);
	free(big);

	/* A limit that is not whole mebibytes is given in bytes. */
	write_file(in_tmp("eleven"), "12345678901", 11);
	ck_assert_ptr_null(fileio_read(in_tmp("eleven"), 10, &len, err,
	    sizeof err));
	snprintf(want, sizeof want, "%s: larger than 10 bytes",
	    in_tmp("eleven"));
	ck_assert_str_eq(err, want);
}
END_TEST

/* A file whose size is not known up front (a device, a pipe) is read up
 * to the limit and refused past it, not read forever. */
START_TEST(test_read_stream_over_limit)
{
	char err[256];
	size_t len;

	ck_assert_ptr_null(fileio_read("/dev/zero", 5000, &len, err,
	    sizeof err));
	ck_assert_str_eq(err, "/dev/zero: larger than 5000 bytes");
}
END_TEST

START_TEST(test_read_unreadable)
{
	const char *path = in_tmp("secret.json");
	char err[256], want[512];
	size_t len;

	/* root reads anything: nothing to test there. */
	if (geteuid() == 0)
		return;
	write_file(path, "{}", 2);
	ck_assert_int_eq(chmod(path, 0), 0);
	ck_assert_ptr_null(fileio_read(path, 100, &len, err, sizeof err));
	snprintf(want, sizeof want, "%s: cannot read: %s", path,
	    strerror(EACCES));
	ck_assert_str_eq(err, want);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */

START_TEST(test_write_new_file)
{
	const char *path = in_tmp("new.json");
	char err[256] = "";
	struct stat st;
	mode_t mask = umask(022);

	umask(mask);
	ck_assert_int_eq(fileio_write_atomic(path, 0, write_text,
	                     "{\"lambda\": 2}\n", err, sizeof err),
	    0);
	ck_assert_str_eq(get_file(path), "{\"lambda\": 2}\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);
	/* As readable as any file the user creates, not mkstemp's 0600. */
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask);
}
END_TEST

START_TEST(test_write_refuses_existing)
{
	const char *path = in_tmp("old.json");
	char err[256], want[512];

	write_file(path, "old contents\n", 13);
	ck_assert_int_eq(fileio_write_atomic(path, 0, write_text, "new\n", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s exists; use --force to replace it",
	    path);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(get_file(path), "old contents\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);

	/* With force it is replaced, keeping its permissions. */
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_eq(fileio_write_atomic(path, 1, write_text, "new\n", err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(get_file(path), "new\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);
	{
		struct stat st;

		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0640);
	}
}
END_TEST

START_TEST(test_write_failure_keeps_old_file)
{
	const char *path = in_tmp("keep.json");
	char err[256], want[512];

	write_file(path, "precious\n", 9);
	ck_assert_int_eq(fileio_write_atomic(path, 1, write_text, NULL, err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s: the writer gave up", path);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(get_file(path), "precious\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);

	/* A new file that failed is not there at all. */
	ck_assert_int_eq(fileio_write_atomic(in_tmp("never.json"), 0,
	                     write_text, NULL, err, sizeof err),
	    -1);
	ck_assert_int_eq(access(in_tmp("never.json"), F_OK), -1);
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

START_TEST(test_write_into_missing_directory)
{
	const char *path = in_tmp("nodir/x.json");
	char err[256], want[512];

	ck_assert_int_eq(fileio_write_atomic(path, 0, write_text, "x", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want,
	    "%s: cannot create a file in %s/nodir: "
	    "%s",
	    path, tmpdir, strerror(ENOENT));
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(count_entries(tmpdir), 0);
}
END_TEST

/* The commit itself fails: the target is a directory. The temporary
 * file is removed and the directory untouched. */
START_TEST(test_write_commit_fails)
{
	const char *path = in_tmp("adir");
	char err[256], want[512];

	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(fileio_write_atomic(path, 1, write_text, "x", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s: cannot write: %s", path,
	    strerror(EISDIR));
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(count_entries(tmpdir), 1);
	ck_assert_int_eq(count_entries(path), 0);
}
END_TEST

START_TEST(test_write_read_only_directory)
{
	const char *dir = in_tmp("ro"), *path = in_tmp("ro/x.json");
	char err[256], want[512];

	if (geteuid() == 0)
		return; /* root writes anywhere */
	ck_assert_int_eq(mkdir(dir, 0555), 0);
	ck_assert_int_eq(fileio_write_atomic(path, 0, write_text, "x", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s: cannot create a file in %s: %s", path,
	    dir, strerror(EACCES));
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(count_entries(dir), 0);
}
END_TEST

START_TEST(test_write_bad_names)
{
	char err[256];

	ck_assert_int_eq(fileio_write_atomic("", 0, write_text, "x", err,
	                     sizeof err),
	    -1);
	ck_assert_str_eq(err, "'': not a file name");
	ck_assert_int_eq(fileio_write_atomic(in_tmp("sub/"), 0, write_text, "x",
	                     err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "/sub/': not a file name"));
}
END_TEST

/* A name without a directory goes to the current directory. */
START_TEST(test_write_bare_name)
{
	char err[256], cwd[4096];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(fileio_write_atomic("bare.json", 0, write_text,
	                     "bare\n", err, sizeof err),
	    0);
	ck_assert_str_eq(get_file("bare.json"), "bare\n");
	ck_assert_int_eq(count_entries("."), 1);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

Suite *fileio_suite(void)
{
	Suite *s = suite_create("fileio");
	TCase *tc;

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_whole_file);
	tcase_add_test(tc, test_read_refusals);
	tcase_add_test(tc, test_read_stream_over_limit);
	tcase_add_test(tc, test_read_unreadable);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_new_file);
	tcase_add_test(tc, test_write_refuses_existing);
	tcase_add_test(tc, test_write_failure_keeps_old_file);
	tcase_add_test(tc, test_write_into_missing_directory);
	tcase_add_test(tc, test_write_commit_fails);
	tcase_add_test(tc, test_write_read_only_directory);
	tcase_add_test(tc, test_write_bad_names);
	tcase_add_test(tc, test_write_bare_name);
	suite_add_tcase(s, tc);
	return s;
}
