/*
 * fileio: reading and writing the project's files without losing any.
 * See include/fileio.h for the contract.
 *
 * A write never touches the target until the new contents are complete
 * on disk: they go to a temporary file next to it (the same directory, so
 * the same file system, so rename is atomic), which is flushed, synced and
 * closed before it is moved into place. Without force the move is a
 * link(), which fails if the target appeared in the meantime, rather than
 * a rename(), which would replace it.
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"

/* "1 MiB" for whole mebibytes, else bytes. */
static void fileio_size_text(size_t n, char *buf, size_t len)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else
		snprintf(buf, len, "%zu bytes", n);
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */
/* ---------------------------------------------------------------------- */

/* "-" names standard input (reading) or output (writing). */
static int fileio_is_std(const char *path)
{
	return strcmp(path, "-") == 0;
}

char *fileio_read(const char *path, size_t max, size_t *len, char *err,
    size_t errlen)
{
	char limit[32], shown_buf[ERRMSG_PATH_SIZE], *buf = NULL, *grown;
	const char *shown = errmsg_path(path, shown_buf);
	size_t used = 0, cap;
	struct stat st;
	ssize_t n;
	int fd, std = fileio_is_std(path), flags;

	fileio_size_text(max, limit, sizeof limit);
	if (std)
		shown = "standard input";
	/* Looked at before it is opened, so that no device is ever opened
	 * (a tape rewinds on open); then opened with O_NONBLOCK, as without it
	 * opening a FIFO waits for a writer: forever, for a FIFO that
	 * appeared in ./presets since. Cleared again once fstat has said
	 * this is a regular file. */
	if (!std && stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode)) {
		errmsg_set(err, errlen, "%s: not a regular file", shown);
		return NULL;
	}
	fd = std ? STDIN_FILENO :
	           open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	/* A socket cannot be opened at all (ENXIO). */
	if (fd < 0 && errno == ENXIO && stat(path, &st) == 0 &&
	    !S_ISREG(st.st_mode)) {
		errmsg_set(err, errlen, "%s: not a regular file", shown);
		return NULL;
	}
	if (fd < 0) {
		errmsg_set(err, errlen, "%s: cannot read: %s", shown,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		errmsg_set(err, errlen, "%s: cannot read: %s", shown,
		    strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		errmsg_set(err, errlen, "%s: is a directory", shown);
		goto fail;
	}
	/* A FIFO, a device or a socket by name: refused, as it may never
	 * end. Standard input ("-") is read whatever it is, on purpose. */
	if (!std && !S_ISREG(st.st_mode)) {
		errmsg_set(err, errlen, "%s: not a regular file", shown);
		goto fail;
	}
	if (!std &&
	    ((flags = fcntl(fd, F_GETFL)) < 0 ||
	        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)) {
		errmsg_set(err, errlen, "%s: cannot read: %s", shown,
		    strerror(errno));
		goto fail;
	}
	/* A regular file's size is known up front, so a huge one is refused
	 * without reading it; anything else (a pipe on standard input) is
	 * read up to the limit and one byte more, which tells that it is
	 * over. */
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		goto too_large;
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096;
	for (;;) {
		if (used + 1 >= cap || buf == NULL) {
			if (buf != NULL)
				cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				errmsg_set(err, errlen, "%s: out of memory",
				    shown);
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errmsg_set(err, errlen, "%s: cannot read: %s", shown,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max)
			goto too_large;
	}
	if (!std)
		close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;

too_large:
	errmsg_set(err, errlen, "%s: larger than %s", shown, limit);
fail:
	free(buf);
	if (!std)
		close(fd);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */

/* What is at a path, and so how it is written. */
typedef enum {
	FILEIO_NEW,      /* nothing: a new file is made */
	FILEIO_REPLACE,  /* a regular file, or a link to one: replaced whole */
	FILEIO_IN_PLACE, /* a FIFO or a character device: written into */
	FILEIO_STDOUT,   /* "-": standard output */
	FILEIO_REFUSED   /* anything else; err says what */
} FileioKind;

static int fileio_refuse_existing(const char *shown, char *err, size_t errlen)
{
	return errmsg_set(err, errlen, "%s exists; use --force to replace it",
	    shown);
}

/* The permissions a new file gets from open(0666) under the umask, so a
 * saved preset is as readable as any file the user writes. umask can only
 * be read by setting it; nothing else in the program touches it. */
static mode_t fileio_new_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * What path is and where its contents go. A replaced regular file keeps
 * its permissions (*mode), and one reached through a symbolic link is
 * replaced where it is (*target, allocated), the link left as it is: a
 * rename never lands on anything but a regular file. Directories,
 * sockets, block devices and links to nothing are refused before
 * anything is created.
 */
static FileioKind fileio_classify(const char *path, const char *shown,
    int force, char **target, mode_t *mode, char *err, size_t errlen)
{
	struct stat lst, st;

	*target = NULL;
	*mode = fileio_new_mode();
	if (fileio_is_std(path))
		return FILEIO_STDOUT;
	/* Not there (or not reachable: creating the temporary file then
	 * says why). */
	if (lstat(path, &lst) < 0)
		return FILEIO_NEW;
	if (stat(path, &st) < 0) {
		if (!force)
			fileio_refuse_existing(shown, err, errlen);
		else
			errmsg_set(err, errlen,
			    "%s: a symbolic link to nothing; "
			    "not replaced",
			    shown);
		return FILEIO_REFUSED;
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		return FILEIO_IN_PLACE;
	if (S_ISDIR(st.st_mode)) {
		errmsg_set(err, errlen, "%s: cannot write: %s", shown,
		    strerror(EISDIR));
		return FILEIO_REFUSED;
	}
	if (!S_ISREG(st.st_mode)) {
		errmsg_set(err, errlen,
		    "%s: not a regular file (%s); not "
		    "replaced",
		    shown,
		    S_ISSOCK(st.st_mode)    ? "a socket" :
		        S_ISBLK(st.st_mode) ? "a block device" :
		                              "an unknown kind");
		return FILEIO_REFUSED;
	}
	if (!force) {
		fileio_refuse_existing(shown, err, errlen);
		return FILEIO_REFUSED;
	}
	*mode = st.st_mode & 0777;
	if (S_ISLNK(lst.st_mode) && (*target = realpath(path, NULL)) == NULL) {
		errmsg_set(err, errlen, "%s: cannot write: %s", shown,
		    strerror(errno));
		return FILEIO_REFUSED;
	}
	return FILEIO_REPLACE;
}

/*
 * Runs write_fn into out and checks that every byte went: errors of
 * buffered writes show up only at the flush or the close. With mode (a
 * new file) the data is also synced (a file system without fsync,
 * EINVAL, is not an error) and given mode. Closes out unless it is
 * stdout. On failure errno is the failed call's (0 when write_fn gave
 * its own reason).
 */
static int fileio_fill(FILE *out, const mode_t *mode, const char *shown,
    FileioWriter write_fn, void *ctx, char *err, size_t errlen)
{
	char why[256] = "";
	int bad, saved;

	errno = 0;
	if (write_fn(out, ctx, why, sizeof why) < 0) {
		saved = why[0] == '\0' ? errno : 0;
		if (why[0] == '\0')
			snprintf(why, sizeof why, "cannot write: %s",
			    errno != 0 ? strerror(errno) : "write failed");
		errmsg_set(err, errlen, "%s: %s", shown, why);
		if (out != stdout)
			fclose(out);
		errno = saved;
		return -1;
	}
	bad = fflush(out) == EOF || ferror(out) ||
	    (mode != NULL &&
	        ((fsync(fileno(out)) < 0 && errno != EINVAL) ||
	            fchmod(fileno(out), *mode) < 0));
	saved = errno;
	if (out != stdout && fclose(out) == EOF && !bad) {
		bad = 1;
		saved = errno;
	}
	if (!bad)
		return 0;
	errmsg_set(err, errlen, "%s: cannot write: %s", shown, strerror(saved));
	errno = saved;
	return -1;
}

/* A FIFO or a character device, written into as a shell's '>' would,
 * except that a FIFO nobody reads is refused rather than waited on. */
static int fileio_write_in_place(const char *path, const char *shown,
    FileioWriter write_fn, void *ctx, char *err, size_t errlen)
{
	struct stat st;
	FILE *out;
	int fd, flags;

	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO && stat(path, &st) == 0 &&
	    S_ISFIFO(st.st_mode))
		return errmsg_set(err, errlen,
		    "%s: a FIFO that nothing reads; "
		    "start its reader first",
		    shown);
	if (fd < 0)
		return errmsg_set(err, errlen, "%s: cannot write: %s", shown,
		    strerror(errno));
	/* What was opened, not what was looked at before. */
	if (fstat(fd, &st) < 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) ||
	    (flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (out = fdopen(fd, "w")) == NULL) {
		close(fd);
		return errmsg_set(err, errlen,
		    "%s: changed while it was opened; "
		    "not written",
		    shown);
	}
	return fileio_fill(out, NULL, shown, write_fn, ctx, err, errlen);
}

/* DIR/.gradscope-XXXXXX next to target: hidden, and short enough for any
 * directory that holds a legal name. */
#define FILEIO_TMP_NAME ".gradscope-XXXXXX"

/* Creates the temporary file (O_EXCL, by mkstemp) in target's directory
 * and fills it; *tmp is its name (allocated) on success. */
static int fileio_write_tmp(const char *target, const char *shown, mode_t mode,
    FileioWriter write_fn, void *ctx, char **tmp, char *err, size_t errlen)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash == NULL ? 0 : (size_t)(slash - target) + 1;
	char dir_buf[ERRMSG_PATH_SIZE], *dir;
	FILE *out;
	int fd;

	*tmp = malloc(dirlen + sizeof FILEIO_TMP_NAME);
	if (*tmp == NULL)
		return errmsg_set(err, errlen, "%s: out of memory", shown);
	sprintf(*tmp, "%.*s%s", (int)dirlen, target, FILEIO_TMP_NAME);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		/* The directory without its last '/' ("/" stays). */
		dir = *tmp;
		dir[dirlen > 1 ? dirlen - 1 : 1] = '\0';
		errmsg_set(err, errlen, "%s: cannot create a file in %s: %s",
		    shown, dirlen > 0 ? errmsg_path(dir, dir_buf) : ".",
		    strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	out = fdopen(fd, "w");
	if (out == NULL) {
		errmsg_set(err, errlen, "%s: cannot write: %s", shown,
		    strerror(errno));
		close(fd);
	} else if (fileio_fill(out, &mode, shown, write_fn, ctx, err, errlen) ==
	    0) {
		return 0;
	} else if (errno == EFBIG) {
		errmsg_set(err, errlen,
		    "%s: cannot write: %s (a limit on file "
		    "size?); the partial file was removed",
		    shown, strerror(EFBIG));
	}
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	return -1;
}

/* link() fails so on a file system without hard links. */
static int fileio_no_links(int e)
{
	return e == EPERM || e == EOPNOTSUPP || e == ENOSYS;
}

/*
 * Moves tmp to target only if nothing is there: link(), which fails if
 * target exists, or where the file system has no hard links, claiming
 * the name with O_EXCL and renaming over the claim. 0 when moved, 1 when
 * target is taken, -1 on another error (errno says).
 */
static int fileio_link_new(const char *tmp, const char *target)
{
	int fd, saved;

	if (link(tmp, target) == 0) {
		unlink(tmp);
		return 0;
	}
	if (errno == EEXIST)
		return 1;
	if (!fileio_no_links(errno))
		return -1;
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return errno == EEXIST ? 1 : -1;
	close(fd);
	if (rename(tmp, target) < 0) {
		saved = errno;
		unlink(target);
		errno = saved;
		return -1;
	}
	return 0;
}

static int fileio_write_any(const char *path, int force, FileioWriter write_fn,
    void *ctx, char *err, size_t errlen)
{
	char shown_buf[ERRMSG_PATH_SIZE], *target, *tmp;
	const char *shown = errmsg_path(path, shown_buf), *to;
	struct stat st;
	mode_t mode;
	int rc = -1, taken;

	if (*path == '\0' || path[strlen(path) - 1] == '/')
		return errmsg_set(err, errlen, "'%s': not a file name", shown);
	switch (fileio_classify(path, shown, force, &target, &mode, err,
	    errlen)) {
	case FILEIO_STDOUT:
		return fileio_fill(stdout, NULL, "standard output", write_fn,
		    ctx, err, errlen);
	case FILEIO_IN_PLACE:
		return fileio_write_in_place(path, shown, write_fn, ctx, err,
		    errlen);
	case FILEIO_REFUSED:
		return -1;
	case FILEIO_NEW:
	case FILEIO_REPLACE:
		break;
	}
	to = target != NULL ? target : path;
	if (fileio_write_tmp(to, shown, mode, write_fn, ctx, &tmp, err,
	        errlen) < 0)
		goto done;
	/* Created if still absent; replaced (with force) only if what is
	 * there now is still a regular file. */
	taken = fileio_link_new(tmp, to);
	if (taken == 1 && !force) {
		fileio_refuse_existing(shown, err, errlen);
	} else if (taken == 1 && lstat(to, &st) == 0 && !S_ISREG(st.st_mode)) {
		errmsg_set(err, errlen,
		    "%s: changed while it was written; "
		    "not replaced",
		    shown);
	} else if (taken == 1 && rename(tmp, to) == 0) {
		rc = 0;
	} else if (taken != 0) {
		errmsg_set(err, errlen, "%s: cannot write: %s", shown,
		    strerror(errno));
	} else {
		rc = 0;
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
done:
	free(target);
	return rc;
}

static int fileio_write_named(FileioNamer name, void *namectx,
    FileioWriter write_fn, void *ctx, char *path, size_t pathlen, char *err,
    size_t errlen)
{
	char shown_buf[ERRMSG_PATH_SIZE], *tmp;
	int k = 1, r;

	while ((r = name(k, path, pathlen, namectx)) == 1)
		k++;
	if (r < 0)
		return errmsg_set(err, errlen, "no free file name");
	if (fileio_write_tmp(path, errmsg_path(path, shown_buf),
	        fileio_new_mode(), write_fn, ctx, &tmp, err, errlen) < 0)
		return -1;
	for (;;) {
		r = fileio_link_new(tmp, path);
		if (r == 0) {
			free(tmp);
			return 0;
		}
		if (r < 0) {
			errmsg_set(err, errlen, "%s: cannot write: %s",
			    errmsg_path(path, shown_buf), strerror(errno));
			break;
		}
		while ((r = name(++k, path, pathlen, namectx)) == 1)
			;
		if (r < 0) {
			errmsg_set(err, errlen, "no free file name");
			break;
		}
	}
	unlink(tmp);
	free(tmp);
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Entry points                                                           */
/* ---------------------------------------------------------------------- */

/* A write past `ulimit -f` would kill the program with SIGXFSZ, leaving
 * the temporary file and no word; ignored, the write fails with EFBIG,
 * which is reported and cleaned up. The program's own action is put
 * back after. */
static void fileio_ignore_xfsz(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXFSZ, &sa, old);
}

int fileio_write_atomic(const char *path, int force, FileioWriter write_fn,
    void *ctx, char *err, size_t errlen)
{
	struct sigaction old;
	int rc;

	fileio_ignore_xfsz(&old);
	rc = fileio_write_any(path, force, write_fn, ctx, err, errlen);
	sigaction(SIGXFSZ, &old, NULL);
	return rc;
}

int fileio_write_free(FileioNamer name, void *namectx, FileioWriter write_fn,
    void *ctx, char *path, size_t pathlen, char *err, size_t errlen)
{
	struct sigaction old;
	int rc;

	fileio_ignore_xfsz(&old);
	rc = fileio_write_named(name, namectx, write_fn, ctx, path, pathlen,
	    err, errlen);
	sigaction(SIGXFSZ, &old, NULL);
	return rc;
}
