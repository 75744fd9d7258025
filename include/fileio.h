/*
 * fileio: reading and writing the project's files without losing any.
 *
 * Reads refuse directories, missing or unreadable files, anything but a
 * regular file, and files over a size limit, with one line naming the
 * file; nothing waits on a FIFO. Writes go to a temporary file in the
 * same directory, then rename over the target: a refused or failed write
 * leaves the old file as it was, an existing file is replaced only when
 * asked (force), and only a regular file is ever replaced.
 */
#ifndef GRADSCOPE_FILEIO_H
#define GRADSCOPE_FILEIO_H

#include <stddef.h>
#include <stdio.h>

/* Files the loaders accept are at most this size. */
#define FILEIO_MAX_SIZE ((size_t)1 << 20)

/* Reads the whole file into a new NUL-terminated buffer (*len bytes
 * before the NUL). Returns it, or NULL with one line in err naming the
 * file ("presets/x.json: is a directory", "...: larger than 1 MiB",
 * "...: not a regular file" for a FIFO, a device or a socket, which is
 * never waited on: opened with O_NONBLOCK and looked at first). "-" reads
 * standard input, whatever it is, up to max ("standard input: ..." in
 * messages). A long path is cut in messages (errmsg_path). */
char *fileio_read(const char *path, size_t max, size_t *len, char *err,
    size_t errlen);

/* What a write runs: prints the contents into out, and returns 0 or -1
 * (with its own reason in err). */
typedef int (*FileioWriter)(FILE *out, void *ctx, char *err, size_t errlen);

/*
 * Writes path through write_fn. What happens depends on what path is:
 *   - nothing: a new file is made (whole, or not at all);
 *   - a regular file: refused without force ("x.json exists; use --force
 *     to replace it"), replaced whole with it, keeping its permissions;
 *     one reached through a symbolic link is replaced where it is, and
 *     the link stays;
 *   - a FIFO or a character device (/dev/null, a terminal): written into,
 *     force or not, as a shell's '>' would; a FIFO that nothing reads is
 *     refused rather than waited on;
 *   - "-": standard output, written into (and flushed, not closed);
 *   - a directory, a socket, a block device, a link to nothing: refused
 *     with one line, nothing written.
 * A rename only ever lands on a regular file. The temporary file (named
 * .gradscope-XXXXXX, so any legal name works) goes in the target's
 * directory and is removed on any failure; a write over a file size
 * limit (ulimit -f: SIGXFSZ is ignored while writing) fails with EFBIG
 * and says that the partial file was removed. Returns 0 or -1.
 */
int fileio_write_atomic(const char *path, int force, FileioWriter write_fn,
    void *ctx, char *err, size_t errlen);

/* The k-th name (k = 1, 2, ...) fileio_write_free tries, into path (len
 * bytes): returns 0 for a name to try, 1 to skip k (taken in a way the
 * caller sees, as by a file of the same stem and another extension), -1
 * when there are no more names. Every name is in one directory. */
typedef int (*FileioNamer)(int k, char *path, size_t len, void *ctx);

/*
 * Writes a new file under the first name that is free at the instant it
 * is created: the contents are written once, to a temporary file, then
 * moved to name 1, 2, ... with link() (or, without hard links, an
 * O_EXCL claim and a rename over it) until one is not taken. Two
 * processes never get the same name, and neither gives up while names
 * remain. path (pathlen bytes) holds the name written. Returns 0, or -1
 * with err ("no free file name", or why the write failed), nothing left
 * behind.
 */
int fileio_write_free(FileioNamer name, void *namectx, FileioWriter write_fn,
    void *ctx, char *path, size_t pathlen, char *err, size_t errlen);

#endif
