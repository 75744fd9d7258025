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
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
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

/* A file whose size is not known up front (a pipe, a device on standard
 * input) is read up to the limit and refused past it, not read forever. */
START_TEST(test_read_stream_over_limit)
{
	char err[256];
	size_t len;
	int saved = dup(STDIN_FILENO), fd = open("/dev/zero", O_RDONLY);

	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	ck_assert_ptr_null(fileio_read("-", 5000, &len, err, sizeof err));
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	ck_assert_str_eq(err, "standard input: larger than 5000 bytes");
}
END_TEST

/* "-" reads standard input, a pipe here, on purpose. */
START_TEST(test_read_stdin)
{
	char err[256] = "", *buf;
	size_t len = 0;
	int saved = dup(STDIN_FILENO), p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "{\"depth\": 3}", 12), 12);
	close(p[1]);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	buf = fileio_read("-", 100, &len, err, sizeof err);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(len, 12);
	ck_assert_str_eq(buf, "{\"depth\": 3}");
	free(buf);
}
END_TEST

/* A unix socket bound at path (left open: the test's process ends). */
static void make_socket(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	ck_assert_uint_lt(strlen(path), sizeof sa.sun_path);
	strcpy(sa.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
}

/* Anything but a regular file by name is refused at once, without
 * waiting: a FIFO with no writer would block open() forever. Symbolic
 * links are followed. */
START_TEST(test_read_not_regular)
{
	const char *names[] = {"fifo.json", "sock.json", "/dev/null",
	    "/dev/zero", "link-fifo.json"};
	char err[256], want[512], *buf;
	size_t len, i;
	const char *path;

	ck_assert_int_eq(mkfifo(in_tmp("fifo.json"), 0644), 0);
	make_socket(in_tmp("sock.json"));
	ck_assert_int_eq(symlink("fifo.json", in_tmp("link-fifo.json")), 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = names[i][0] == '/' ? names[i] : in_tmp(names[i]);
		ck_assert_ptr_null(fileio_read(path, 100, &len, err,
		    sizeof err));
		snprintf(want, sizeof want, "%s: not a regular file", path);
		ck_assert_str_eq(err, want);
	}
	/* A link to a regular file is read through. */
	write_file(in_tmp("real.json"), "{}", 2);
	ck_assert_int_eq(symlink("real.json", in_tmp("link.json")), 0);
	buf = fileio_read(in_tmp("link.json"), 100, &len, err, sizeof err);
	ck_assert_ptr_nonnull(buf);
	ck_assert_str_eq(buf, "{}");
	free(buf);
}
END_TEST

/* A path of any length keeps the reason in a message of 256 bytes. */
START_TEST(test_read_long_path_keeps_reason)
{
	char err[256], *path = malloc(100001);
	const char *reason;
	size_t len;

	ck_assert_ptr_nonnull(path);
	memset(path, 'a', 100000);
	path[0] = '/';
	path[100000] = '\0';
	ck_assert_ptr_null(fileio_read(path, 100, &len, err, sizeof err));
	reason = strstr(err, ": cannot read: ");
	ck_assert_ptr_nonnull(reason);
	ck_assert_str_eq(reason + strlen(": cannot read: "),
	    strerror(ENAMETOOLONG));
	ck_assert_ptr_nonnull(strstr(err, "..."));
	free(path);
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

/* ---------------------------------------------------------------------- */
/* Writing: what is not a regular file                                    */
/* ---------------------------------------------------------------------- */

/* A FIFO with a reader is written into, force or not, and stays a FIFO;
 * one that nothing reads is refused at once rather than waited on. */
START_TEST(test_write_into_fifo)
{
	const char *path = in_tmp("out.fifo");
	char err[256], want[512], buf[64];
	struct stat st;
	ssize_t n;
	int rd, force;

	ck_assert_int_eq(mkfifo(path, 0644), 0);
	ck_assert_int_eq(fileio_write_atomic(path, 1, write_text, "x\n", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want,
	    "%s: a FIFO that nothing reads; start its reader first", path);
	ck_assert_str_eq(err, want);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(rd, 0);
	for (force = 0; force <= 1; force++) {
		ck_assert_int_eq(fileio_write_atomic(path, force, write_text,
		                     "through the pipe\n", err, sizeof err),
		    0);
		n = read(rd, buf, sizeof buf - 1);
		ck_assert_int_eq(n, 17);
		buf[n] = '\0';
		ck_assert_str_eq(buf, "through the pipe\n");
	}
	close(rd);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

/* A character device (here /dev/null through a link, so that a broken
 * build replaces the link, not the system's /dev/null) is written into:
 * the link and the device stay what they were. */
START_TEST(test_write_into_device)
{
	const char *link_path = in_tmp("null");
	char err[256] = "";
	struct stat st;
	int force;

	ck_assert_int_eq(symlink("/dev/null", link_path), 0);
	for (force = 0; force <= 1; force++)
		ck_assert_int_eq(fileio_write_atomic(link_path, force,
		                     write_text, "gone\n", err, sizeof err),
		    0);
	ck_assert_int_eq(lstat(link_path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

/* "-" is standard output: written and flushed there, nothing created. */
START_TEST(test_write_stdout)
{
	char err[256] = "", cwd[4096];
	int saved = dup(STDOUT_FILENO), fd;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(tmpdir), 0);
	fd = open("captured", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	ck_assert_int_eq(fileio_write_atomic("-", 0, write_text, "{\"a\": 1}\n",
	                     err, sizeof err),
	    0);
	ck_assert_int_eq(dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	close(saved);
	ck_assert_str_eq(get_file("captured"), "{\"a\": 1}\n");
	ck_assert_int_eq(count_entries("."), 1);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

/* A socket, a directory and a link to nothing are refused with one line
 * and left as they were, force or not. */
START_TEST(test_write_refuses_special)
{
	const char *sock = in_tmp("s.json"), *dir = in_tmp("d.json"),
	           *dangling = in_tmp("dangling.json");
	char err[256], want[512];
	struct stat st;
	int force;

	make_socket(sock);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(symlink("nowhere.json", dangling), 0);
	for (force = 0; force <= 1; force++) {
		ck_assert_int_eq(fileio_write_atomic(sock, force, write_text,
		                     "x", err, sizeof err),
		    -1);
		snprintf(want, sizeof want,
		    "%s: not a regular file (a socket); not replaced", sock);
		ck_assert_str_eq(err, want);
		ck_assert_int_eq(fileio_write_atomic(dir, force, write_text,
		                     "x", err, sizeof err),
		    -1);
		snprintf(want, sizeof want, "%s: cannot write: %s", dir,
		    strerror(EISDIR));
		ck_assert_str_eq(err, want);
	}
	ck_assert_int_eq(fileio_write_atomic(dangling, 1, write_text, "x", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want,
	    "%s: a symbolic link to nothing; not replaced", dangling);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(fileio_write_atomic(dangling, 0, write_text, "x", err,
	                     sizeof err),
	    -1);
	snprintf(want, sizeof want, "%s exists; use --force to replace it",
	    dangling);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(lstat(sock, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(lstat(dangling, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(count_entries(tmpdir), 3);
	ck_assert_int_eq(count_entries(dir), 0);
}
END_TEST

/* A regular file reached through a link is replaced where it is (with
 * its permissions); the link stays a link. */
START_TEST(test_write_through_link)
{
	const char *real = in_tmp("real.json"), *link_path = in_tmp("l.json");
	char err[256] = "", target[256];
	struct stat st;
	ssize_t n;

	write_file(real, "old\n", 4);
	ck_assert_int_eq(chmod(real, 0600), 0);
	ck_assert_int_eq(symlink("real.json", link_path), 0);
	ck_assert_int_eq(fileio_write_atomic(link_path, 0, write_text, "new\n",
	                     err, sizeof err),
	    -1);
	ck_assert_str_eq(get_file(real), "old\n");
	ck_assert_int_eq(fileio_write_atomic(link_path, 1, write_text, "new\n",
	                     err, sizeof err),
	    0);
	ck_assert_str_eq(get_file(real), "new\n");
	ck_assert_int_eq(lstat(link_path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	n = readlink(link_path, target, sizeof target - 1);
	ck_assert_int_eq(n, 9);
	target[n] = '\0';
	ck_assert_str_eq(target, "real.json");
	ck_assert_int_eq(stat(real, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(count_entries(tmpdir), 2);
}
END_TEST

/* The longest legal name (255 bytes) can be written: the temporary
 * file's name does not grow with it. */
START_TEST(test_write_longest_name)
{
	char name[256], path[512], err[256] = "";

	memset(name, 'n', 250);
	memcpy(name + 250, ".json", 6);
	ck_assert_uint_eq(strlen(name), 255);
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	ck_assert_int_eq(fileio_write_atomic(path, 0, write_text, "long\n", err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(get_file(path), "long\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);
}
END_TEST

/* Writes 64 KiB, whatever ctx. */
static int write_big(FILE *out, void *ctx, char *err, size_t errlen)
{
	int i;

	(void)ctx;
	(void)err;
	(void)errlen;
	for (i = 0; i < 65536; i++)
		fputc('x', out);
	return 0;
}

/* Past `ulimit -f` the write fails with a message (no SIGXFSZ death),
 * the partial file is removed and the old file kept. In a child, whose
 * limit does not outlive it. */
START_TEST(test_write_over_size_limit)
{
	const char *path = in_tmp("big.svg");
	char err[256], want[512];
	struct rlimit rl = {4096, 4096};
	int status;
	pid_t pid;

	write_file(path, "old\n", 4);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(3);
		if (fileio_write_atomic(path, 1, write_big, NULL, err,
		        sizeof err) != -1)
			_exit(4);
		snprintf(want, sizeof want,
		    "%s: cannot write: %s (a limit on file size?); the "
		    "partial file was removed",
		    path, strerror(EFBIG));
		_exit(strcmp(err, want) == 0 ? 0 : 5);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_str_eq(get_file(path), "old\n");
	ck_assert_int_eq(count_entries(tmpdir), 1);
	/* The program's own SIGXFSZ action is back. */
	{
		struct sigaction sa;

		ck_assert_int_eq(sigaction(SIGXFSZ, NULL, &sa), 0);
		ck_assert_ptr_eq(sa.sa_handler, SIG_DFL);
	}
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Writing under a free name                                              */
/* ---------------------------------------------------------------------- */

typedef struct {
	const char *stem; /* in tmpdir */
	int max;          /* names 1..max */
	int skip;         /* a k the namer says is taken, or 0 */
} Names;

/* STEM.json, then STEM-2.json ... STEM-MAX.json. */
static int namer(int k, char *path, size_t len, void *ctx)
{
	const Names *nm = ctx;

	if (k > nm->max)
		return -1;
	if (k == nm->skip)
		return 1;
	if (k == 1)
		snprintf(path, len, "%s/%s.json", tmpdir, nm->stem);
	else
		snprintf(path, len, "%s/%s-%d.json", tmpdir, nm->stem, k);
	return 0;
}

START_TEST(test_write_free_takes_next)
{
	Names nm = {"p", 4, 3};
	char path[256], err[256] = "";

	write_file(in_tmp("p.json"), "first\n", 6);
	ck_assert_int_eq(fileio_write_free(namer, &nm, write_text, "a\n", path,
	                     sizeof path, err, sizeof err),
	    0);
	ck_assert_str_eq(path, in_tmp("p-2.json"));
	ck_assert_str_eq(get_file(in_tmp("p-2.json")), "a\n");
	/* 3 is skipped by the namer, 4 is the last. */
	ck_assert_int_eq(fileio_write_free(namer, &nm, write_text, "b\n", path,
	                     sizeof path, err, sizeof err),
	    0);
	ck_assert_str_eq(path, in_tmp("p-4.json"));
	ck_assert_int_eq(fileio_write_free(namer, &nm, write_text, "c\n", path,
	                     sizeof path, err, sizeof err),
	    -1);
	ck_assert_str_eq(err, "no free file name");
	ck_assert_str_eq(get_file(in_tmp("p.json")), "first\n");
	ck_assert_int_eq(count_entries(tmpdir), 3);
	/* A failed writer leaves nothing. */
	nm.stem = "q";
	ck_assert_int_eq(fileio_write_free(namer, &nm, write_text, NULL, path,
	                     sizeof path, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, ": the writer gave up"));
	ck_assert_int_eq(count_entries(tmpdir), 3);
}
END_TEST

/* Two processes saving 50 times each at once: all 100 land, under
 * distinct names, each file whole. */
START_TEST(test_write_free_race)
{
	Names nm = {"race", 1000, 0};
	char path[256], err[256], text[32], want[64], entry[512];
	int who, i, status, seen[2][50];
	pid_t pid[2];
	DIR *d;
	struct dirent *de;

	for (who = 0; who < 2; who++) {
		pid[who] = fork();
		ck_assert_int_ge(pid[who], 0);
		if (pid[who] > 0)
			continue;
		for (i = 0; i < 50; i++) {
			snprintf(text, sizeof text, "%d %d\n", who, i);
			if (fileio_write_free(namer, &nm, write_text, text,
			        path, sizeof path, err, sizeof err) < 0)
				_exit(1);
		}
		_exit(0);
	}
	for (who = 0; who < 2; who++) {
		ck_assert_int_eq(waitpid(pid[who], &status, 0), pid[who]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	ck_assert_int_eq(count_entries(tmpdir), 100);
	memset(seen, 0, sizeof seen);
	d = opendir(tmpdir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(entry, sizeof entry, "%s/%s", tmpdir, de->d_name);
		ck_assert_int_eq(sscanf(get_file(entry), "%d %d", &who, &i), 2);
		ck_assert(who >= 0 && who < 2 && i >= 0 && i < 50);
		snprintf(want, sizeof want, "%d %d\n", who, i);
		ck_assert_str_eq(get_file(entry), want);
		seen[who][i]++;
	}
	closedir(d);
	for (who = 0; who < 2; who++)
		for (i = 0; i < 50; i++)
			ck_assert_int_eq(seen[who][i], 1);
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
	tcase_add_test(tc, test_read_stdin);
	tcase_add_test(tc, test_read_not_regular);
	tcase_add_test(tc, test_read_long_path_keeps_reason);
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
	tcase_add_test(tc, test_write_into_fifo);
	tcase_add_test(tc, test_write_into_device);
	tcase_add_test(tc, test_write_stdout);
	tcase_add_test(tc, test_write_refuses_special);
	tcase_add_test(tc, test_write_through_link);
	tcase_add_test(tc, test_write_longest_name);
	tcase_add_test(tc, test_write_over_size_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("free name");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write_free_takes_next);
	tcase_add_test(tc, test_write_free_race);
	suite_add_tcase(s, tc);
	return s;
}
