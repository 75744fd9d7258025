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

char *fileio_read(const char *path, size_t max, size_t *len, char *err,
    size_t errlen)
{
	char limit[32], *buf = NULL, *grown;
	size_t used = 0, cap;
	struct stat st;
	ssize_t n;
	int fd;

	fileio_size_text(max, limit, sizeof limit);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg_set(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		errmsg_set(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		errmsg_set(err, errlen, "%s: is a directory", path);
		goto fail;
	}
	/* A regular file's size is known up front, so a huge one is refused
	 * without reading it; anything else (a pipe) is read up to the limit
	 * and one byte more, which tells that it is over. */
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
				    path);
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errmsg_set(err, errlen, "%s: cannot read: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max)
			goto too_large;
	}
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;

too_large:
	errmsg_set(err, errlen, "%s: larger than %s", path, limit);
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */

static int fileio_refuse_existing(const char *path, char *err, size_t errlen)
{
	errmsg_set(err, errlen, "%s exists; use --force to replace it", path);
	return -1;
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

int fileio_write_atomic(const char *path, int force,
    int (*write_fn)(FILE *out, void *ctx, char *err, size_t errlen), void *ctx,
    char *err, size_t errlen)
{
	char why[256] = "", dir[4096], *tmp;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash == NULL ? 0 : (size_t)(slash - path) + 1;
	struct stat st;
	mode_t mode;
	FILE *out;
	int fd, bad;

	if (*path == '\0' || path[strlen(path) - 1] == '/') {
		errmsg_set(err, errlen, "'%s': not a file name", path);
		return -1;
	}
	/* Refused before anything is created; link() below closes the
	 * window between this check and the commit. A replaced file keeps
	 * its permissions (those of what a symbolic link points to). */
	mode = fileio_new_mode();
	if (lstat(path, &st) == 0) {
		if (!force)
			return fileio_refuse_existing(path, err, errlen);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			mode = st.st_mode & 0777;
	}

	/* DIR/.NAME.XXXXXX: hidden, and named after what it will become. */
	tmp = malloc(strlen(path) + 9);
	if (tmp == NULL) {
		errmsg_set(err, errlen, "%s: out of memory", path);
		return -1;
	}
	sprintf(tmp, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	fd = mkstemp(tmp);
	if (fd < 0) {
		/* The directory without its last '/' ("/" stays). */
		snprintf(dir, sizeof dir, "%.*s",
		    dirlen > 1 ? (int)dirlen - 1 : 1, dirlen > 0 ? path : ".");
		errmsg_set(err, errlen, "%s: cannot create a file in %s: %s",
		    path, dir, strerror(errno));
		free(tmp);
		return -1;
	}
	out = fdopen(fd, "w");
	if (out == NULL) {
		errmsg_set(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	errno = 0;
	if (write_fn(out, ctx, why, sizeof why) < 0) {
		if (why[0] == '\0')
			snprintf(why, sizeof why, "cannot write: %s",
			    errno != 0 ? strerror(errno) : "write failed");
		errmsg_set(err, errlen, "%s: %s", path, why);
		fclose(out);
		goto fail;
	}
	/* Errors of buffered writes show up only at the flush or close; a
	 * file system without fsync (EINVAL) is not an error. */
	bad = fflush(out) == EOF || ferror(out) ||
	    (fsync(fileno(out)) < 0 && errno != EINVAL) ||
	    fchmod(fileno(out), mode) < 0;
	if (bad) {
		errmsg_set(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		fclose(out);
		goto fail;
	}
	if (fclose(out) == EOF) {
		errmsg_set(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		goto fail;
	}

	if (!force && link(tmp, path) == 0) {
		unlink(tmp);
	} else if (!force && errno == EEXIST) {
		fileio_refuse_existing(path, err, errlen);
		goto fail;
	} else if (rename(tmp, path) < 0) {
		/* Also the fallback where a file system has no hard links:
		 * the lstat above said the target was not there. */
		errmsg_set(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;

fail:
	unlink(tmp);
	free(tmp);
	return -1;
}
