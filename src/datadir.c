/*
 * datadir: where presets and themes are found by name.
 * See include/datadir.h for the contract.
 *
 * The order puts what the user can see and edit first: a presets/ folder
 * in the current directory (the source tree, or a course's own folder)
 * shadows the installed files, which shadow the user's configuration. The
 * configuration comes last so that a stray file there cannot silently
 * replace a shipped preset that a lesson is about.
 */
#include "datadir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"

#define DATADIR_DIRS 4
#define DATADIR_PATH_MAX 4096

typedef char DatadirPath[DATADIR_PATH_MAX];

/* The executable's path given by datadir_set_exe, or NULL. */
static const char *datadir_exe;

void datadir_set_exe(const char *path)
{
	datadir_exe = path;
}

/* The directory beside the executable that holds kind, into dir, when
 * there is one other than ./kind: 0, else -1. */
static int datadir_exe_dir(const char *kind, char *dir, size_t len)
{
	char exe[DATADIR_PATH_MAX], *slash, *here, *there;
	ssize_t n;
	int same;

	if (datadir_exe != NULL) {
		if (strlen(datadir_exe) >= sizeof exe)
			return -1;
		strcpy(exe, datadir_exe);
	} else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = '\0';
	} else {
		return -1;
	}
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(dir, len, "%s/%s", exe, kind) >= len)
		return -1;
	/* Only a folder that is there, and not the current one again. */
	there = realpath(dir, NULL);
	if (there == NULL)
		return -1;
	snprintf(exe, sizeof exe, "./%s", kind);
	here = realpath(exe, NULL);
	same = here != NULL && strcmp(here, there) == 0;
	free(here);
	free(there);
	return same ? -1 : 0;
}

/*
 * The directories of kind in lookup order; returns how many (the user's
 * configuration is left out when neither XDG_CONFIG_HOME nor HOME says
 * where it is). A relative XDG_CONFIG_HOME is ignored, as the XDG base
 * directory specification asks.
 */
/* The user's configuration directory of kind into dir: 0, or -1 when
 * neither XDG_CONFIG_HOME nor HOME says where it is (or it is too long).
 * A relative XDG_CONFIG_HOME is ignored, as the XDG base directory
 * specification asks. */
static int datadir_user_dir(const char *kind, char *dir, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(dir, len, "%s/gradscope/%s", xdg, kind);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(dir, len, "%s/.config/gradscope/%s", home, kind);
	else
		return -1;
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

/* The directories of kind in lookup order; returns how many. */
static int datadir_dirs(const char *kind, DatadirPath dirs[DATADIR_DIRS])
{
	int n = 0;

	snprintf(dirs[n++], DATADIR_PATH_MAX, "./%s", kind);
	if (datadir_exe_dir(kind, dirs[n], DATADIR_PATH_MAX) == 0)
		n++;
	snprintf(dirs[n++], DATADIR_PATH_MAX, "%s/%s", GRADSCOPE_DATADIR, kind);
	if (datadir_user_dir(kind, dirs[n], DATADIR_PATH_MAX) == 0)
		n++;
	return n;
}

static int datadir_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---------------------------------------------------------------------- */
/* Lookup                                                                 */
/* ---------------------------------------------------------------------- */

int datadir_find(const char *kind, const char *name_or_file, char *path,
    size_t pathlen, char *err, size_t errlen)
{
	DatadirPath dirs[DATADIR_DIRS];
	char shown[ERRMSG_PATH_SIZE];
	struct stat st;
	size_t used;
	int n, i;
	/* "presets" -> "preset" for the messages. */
	int what = (int)strlen(kind) - (datadir_ends_with(kind, "s") ? 1 : 0);

	if (strchr(name_or_file, '/') != NULL ||
	    datadir_ends_with(name_or_file, ".json") ||
	    strcmp(name_or_file, "-") == 0) {
		if ((size_t)snprintf(path, pathlen, "%s", name_or_file) <
		    pathlen)
			return 0;
		snprintf(err, errlen, "%s: file name too long",
		    errmsg_path(name_or_file, shown));
		return -1;
	}
	if (name_or_file[0] == '\0') {
		snprintf(err, errlen, "empty %.*s name", what, kind);
		return -1;
	}
	n = datadir_dirs(kind, dirs);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, pathlen, "%s/%s.json", dirs[i],
		        name_or_file) >= pathlen)
			continue;
		/* Whatever is there is the answer, even a directory: the
		 * loader then says what is wrong with it. */
		if (stat(path, &st) == 0)
			return 0;
	}
	used = (size_t)snprintf(err, errlen, "no %.*s '%s' in ", what, kind,
	    errmsg_path(name_or_file, shown));
	if (used < errlen)
		datadir_where(kind, err + used, errlen - used);
	return -1;
}

int datadir_where(const char *kind, char *buf, size_t len)
{
	DatadirPath dirs[DATADIR_DIRS];
	size_t used = 0;
	int n, i, k;

	if (len > 0)
		buf[0] = '\0';
	n = datadir_dirs(kind, dirs);
	for (i = 0; i < n; i++) {
		k = snprintf(used < len ? buf + used : NULL,
		    used < len ? len - used : 0, "%s%s", i > 0 ? ", " : "",
		    dirs[i]);
		used += (size_t)k;
	}
	return (int)used;
}

/* ---------------------------------------------------------------------- */
/* Listing                                                                */
/* ---------------------------------------------------------------------- */

typedef struct {
	char *path; /* DIR/NAME.json, then NAME in the same block */
	char *name;
	int dir; /* index in lookup order */
} DatadirEntry;

static int datadir_entry_cmp(const void *pa, const void *pb)
{
	const DatadirEntry *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	return c != 0 ? c : a->dir - b->dir;
}

/* Appends the NAME.json files of dir to *list. 0, or -1 out of memory. */
static int datadir_scan(const char *dir, int index, DatadirEntry **list,
    size_t *count, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	DatadirEntry *e, *grown;
	struct stat st;
	size_t dirlen = strlen(dir), n;

	if (d == NULL)
		return 0; /* a missing directory lists nothing */
	while ((de = readdir(d)) != NULL) {
		/* Hidden files are editors' backups and our own temporary
		 * files. */
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= 5 ||
		    !datadir_ends_with(de->d_name, ".json"))
			continue;
		if (*count == *cap) {
			*cap = *cap == 0 ? 16 : *cap * 2;
			grown = realloc(*list, *cap * sizeof **list);
			if (grown == NULL)
				goto oom;
			*list = grown;
		}
		e = &(*list)[*count];
		e->path = malloc(dirlen + 1 + n + 1 + n - 5 + 1);
		if (e->path == NULL)
			goto oom;
		sprintf(e->path, "%s/%s", dir, de->d_name);
		e->name = e->path + dirlen + 1 + n + 1;
		sprintf(e->name, "%.*s", (int)(n - 5), de->d_name);
		/* A name ending in .json would be read as a file path.
		 * Anything else that exists counts, as in datadir_find. */
		if (datadir_ends_with(e->name, ".json") ||
		    stat(e->path, &st) < 0) {
			free(e->path);
			continue;
		}
		e->dir = index;
		(*count)++;
	}
	closedir(d);
	return 0;
oom:
	closedir(d);
	return -1;
}

int datadir_list(const char *kind,
    void (*fn)(const char *name, const char *path, void *ctx), void *ctx)
{
	DatadirPath dirs[DATADIR_DIRS];
	DatadirEntry *list = NULL;
	size_t count = 0, cap = 0, i;
	int n, d, found = 0;

	n = datadir_dirs(kind, dirs);
	for (d = 0; d < n && found == 0; d++)
		if (datadir_scan(dirs[d], d, &list, &count, &cap) < 0)
			found = -1;
	if (found == 0 && count > 0) {
		/* Sorted by name, then by directory: the first of a run of
		 * equal names is the one datadir_find would pick. */
		qsort(list, count, sizeof *list, datadir_entry_cmp);
		for (i = 0; i < count; i++) {
			if (i > 0 &&
			    strcmp(list[i].name, list[i - 1].name) == 0)
				continue;
			fn(list[i].name, list[i].path, ctx);
			found++;
		}
	}
	for (i = 0; i < count; i++)
		free(list[i].path);
	free(list);
	return found;
}

int datadir_user(const char *kind, char *path, size_t pathlen, char *err,
    size_t errlen)
{
	char *p;

	if (pathlen == 0 || datadir_user_dir(kind, path, pathlen) < 0)
		return errmsg_set(err, errlen,
		    "no directory to save in: neither XDG_CONFIG_HOME nor "
		    "HOME names one");
	/* Each parent in turn, then the directory itself. */
	for (p = strchr(path + 1, '/');; p = strchr(p + 1, '/')) {
		if (p != NULL)
			*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot make %s: %s", path,
			    strerror(errno));
			return -1;
		}
		if (p == NULL)
			break;
		*p = '/';
	}
	return 0;
}
