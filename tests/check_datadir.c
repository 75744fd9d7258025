/*
 * check_datadir: names are looked up in ./KIND, the installed directory,
 * then the user's configuration, the first found wins, and listings are
 * sorted and free of duplicates. Each test runs in a temporary tree with
 * HOME and XDG_CONFIG_HOME pointed into it and the current directory
 * inside it; the fixture puts all three back, so the tests also hold
 * with CK_FORK=no. The installed directory is whatever the build says,
 * so the test names ("zzt-...") are ones it cannot hold.
 */
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"

static char root[64], oldcwd[4096];
static char *oldhome, *oldxdg;

static char *dup_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? strdup(v) : NULL;
}

static void restore_env(const char *name, char *value)
{
	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
	free(value);
}

/* root/path, in one of a few rotating buffers. */
static const char *at(const char *path)
{
	static char bufs[4][256];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof bufs[0], "%s/%s", root, path);
	return b;
}

/* Creates root/path with every missing directory before it. */
static void touch(const char *path)
{
	char buf[256], *p;
	FILE *f;

	snprintf(buf, sizeof buf, "%s/%s", root, path);
	for (p = buf + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	f = fopen(buf, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{}\n", f);
	fclose(f);
}

static void setup(void)
{
	strcpy(root, "/tmp/check_datadir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	ck_assert_ptr_nonnull(getcwd(oldcwd, sizeof oldcwd));
	oldhome = dup_env("HOME");
	oldxdg = dup_env("XDG_CONFIG_HOME");
	ck_assert_int_eq(mkdir(at("cwd"), 0755), 0);
	ck_assert_int_eq(chdir(at("cwd")), 0);
	setenv("HOME", at("home"), 1);
	setenv("XDG_CONFIG_HOME", at("xdg"), 1);
}

static void teardown(void)
{
	char cmd[128];

	datadir_set_exe(NULL);
	ck_assert_int_eq(chdir(oldcwd), 0);
	restore_env("HOME", oldhome);
	restore_env("XDG_CONFIG_HOME", oldxdg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *find(const char *kind, const char *name)
{
	static char path[512];
	char err[512];

	if (datadir_find(kind, name, path, sizeof path, err, sizeof err) < 0)
		ck_abort_msg("%s not found: %s", name, err);
	return path;
}

/* ---------------------------------------------------------------------- */
/* Lookup                                                                 */
/* ---------------------------------------------------------------------- */

START_TEST(test_file_paths_pass_through)
{
	/* Not looked up, not checked: the loader reports on them. */
	ck_assert_str_eq(find("presets", "no/such/file"), "no/such/file");
	ck_assert_str_eq(find("presets", "zzt.json"), "zzt.json");
	ck_assert_str_eq(find("themes", "./zzt"), "./zzt");
	ck_assert_str_eq(find("themes", "/abs/zzt.json"), "/abs/zzt.json");
	/* "-" is standard input, even with a ./presets/-.json. */
	touch("cwd/presets/-.json");
	ck_assert_str_eq(find("presets", "-"), "-");
}
END_TEST

START_TEST(test_first_directory_wins)
{
	touch("cwd/presets/zzt-a.json");
	touch("xdg/gradscope/presets/zzt-a.json");
	touch("xdg/gradscope/presets/zzt-b.json");
	touch("home/.config/gradscope/presets/zzt-c.json");
	ck_assert_str_eq(find("presets", "zzt-a"), "./presets/zzt-a.json");
	ck_assert_str_eq(find("presets", "zzt-b"),
	    at("xdg/gradscope/presets/zzt-b.json"));
	/* XDG_CONFIG_HOME is set, so ~/.config is not looked at. */
	{
		char path[256], err[512];

		ck_assert_int_eq(datadir_find("presets", "zzt-c", path,
		                     sizeof path, err, sizeof err),
		    -1);
	}
	/* Kinds do not mix. */
	touch("cwd/themes/zzt-t.json");
	ck_assert_str_eq(find("themes", "zzt-t"), "./themes/zzt-t.json");
}
END_TEST

START_TEST(test_xdg_unset_empty_or_relative)
{
	const char *want;

	touch("home/.config/gradscope/themes/zzt-c.json");
	want = at("home/.config/gradscope/themes/zzt-c.json");
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_str_eq(find("themes", "zzt-c"), want);
	setenv("XDG_CONFIG_HOME", "", 1);
	ck_assert_str_eq(find("themes", "zzt-c"), want);
	/* The XDG specification: a relative path is invalid, ignore it. */
	touch("cwd/rel/gradscope/themes/zzt-c.json");
	setenv("XDG_CONFIG_HOME", "rel", 1);
	ck_assert_str_eq(find("themes", "zzt-c"), want);
}
END_TEST

START_TEST(test_not_found_message)
{
	char path[256], err[512], want[256];
	size_t n;

	ck_assert_int_eq(datadir_find("presets", "zzt-nope", path, sizeof path,
	                     err, sizeof err),
	    -1);
	/* "no preset 'zzt-nope' in ./presets, DATADIR/presets, XDG/..." */
	ck_assert_msg(strncmp(err, "no preset 'zzt-nope' in ./presets, ", 35) ==
	        0,
	    "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "/presets, "));
	snprintf(want, sizeof want, ", %s", at("xdg/gradscope/presets"));
	n = strlen(want);
	ck_assert_msg(strlen(err) > n &&
	        strcmp(err + strlen(err) - n, want) == 0,
	    "%s", err);

	/* Without HOME or XDG_CONFIG_HOME there are two places to look. */
	unsetenv("HOME");
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_int_eq(datadir_find("themes", "zzt-x", path, sizeof path, err,
	                     sizeof err),
	    -1);
	ck_assert_msg(strncmp(err, "no theme 'zzt-x' in ./themes, ", 30) == 0,
	    "%s", err);
	ck_assert_ptr_null(strchr(strchr(err, ',') + 1, ','));

	ck_assert_int_eq(datadir_find("presets", "", path, sizeof path, err,
	                     sizeof err),
	    -1);
	ck_assert_str_eq(err, "empty preset name");
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Listing                                                                */
/* ---------------------------------------------------------------------- */

typedef struct {
	int calls;
	char seen[16][2][256]; /* the test's own names and their paths */
	int n;
} Listing;

static void collect(const char *name, const char *path, void *ctx)
{
	Listing *l = ctx;

	l->calls++;
	if (strncmp(name, "zzt-", 4) != 0)
		return; /* installed files, if any */
	ck_assert_int_lt(l->n, 16);
	snprintf(l->seen[l->n][0], 256, "%s", name);
	snprintf(l->seen[l->n][1], 256, "%s", path);
	l->n++;
}

START_TEST(test_list_sorted_first_wins)
{
	Listing l = {0};

	touch("cwd/presets/zzt-b.json");
	touch("cwd/presets/zzt-d.json");
	touch("xdg/gradscope/presets/zzt-a.json");
	touch("xdg/gradscope/presets/zzt-b.json");
	touch("xdg/gradscope/presets/zzt-c.json");
	/* Not presets: other suffixes, hidden files, a bare ".json", and a
	 * name that would read as a file path. */
	touch("cwd/presets/zzt-README.md");
	touch("cwd/presets/.zzt-hidden.json");
	touch("cwd/presets/.json");
	touch("cwd/presets/zzt-x.json.json");
	touch("cwd/presets/zzt-e.jsonx");

	ck_assert_int_eq(datadir_list("presets", collect, &l), l.calls);
	ck_assert_int_eq(l.n, 4);
	ck_assert_str_eq(l.seen[0][0], "zzt-a");
	ck_assert_str_eq(l.seen[0][1], at("xdg/gradscope/presets/zzt-a.json"));
	ck_assert_str_eq(l.seen[1][0], "zzt-b");
	ck_assert_str_eq(l.seen[1][1], "./presets/zzt-b.json");
	ck_assert_str_eq(l.seen[2][0], "zzt-c");
	ck_assert_str_eq(l.seen[2][1], at("xdg/gradscope/presets/zzt-c.json"));
	ck_assert_str_eq(l.seen[3][0], "zzt-d");
	ck_assert_str_eq(l.seen[3][1], "./presets/zzt-d.json");
	/* Each listed path is what datadir_find gives for the name. */
	ck_assert_str_eq(find("presets", "zzt-b"), l.seen[1][1]);
	ck_assert_str_eq(find("presets", "zzt-a"), l.seen[0][1]);
}
END_TEST

/* A name of any length keeps the reason in a 256-byte message. */
START_TEST(test_long_name_keeps_reason)
{
	char path[256], err[256], *name = malloc(100001);

	ck_assert_ptr_nonnull(name);
	memset(name, 'z', 100000);
	name[100000] = '\0';
	ck_assert_int_eq(datadir_find("presets", name, path, sizeof path, err,
	                     sizeof err),
	    -1);
	ck_assert_msg(strncmp(err, "no preset 'zzz", 14) == 0, "%s", err);
	ck_assert_msg(strstr(err, "zzz...zzz") != NULL &&
	        strstr(err, "zzz' in ./presets, ") != NULL,
	    "%s", err);
	name[0] = '/';
	ck_assert_int_eq(datadir_find("presets", name, path, sizeof path, err,
	                     sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "zzz: file name too long"));
	ck_assert_uint_lt(strlen(err), 200);
	free(name);
}
END_TEST

/* A FIFO among the presets is listed (never opened here, so nothing
 * waits on it) and found, for the loader to refuse. */
START_TEST(test_list_fifo)
{
	Listing l = {0};

	touch("cwd/presets/zzt-a.json");
	ck_assert_int_eq(mkfifo("presets/zzt-f.json", 0644), 0);
	ck_assert_int_eq(datadir_list("presets", collect, &l), l.calls);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.seen[1][0], "zzt-f");
	ck_assert_str_eq(l.seen[1][1], "./presets/zzt-f.json");
	ck_assert_str_eq(find("presets", "zzt-f"), "./presets/zzt-f.json");
}
END_TEST

/* Beside the executable: after ./KIND, before the installed files and
 * the user's, named in the message, and not twice when it is ./KIND. */
START_TEST(test_beside_the_executable)
{
	char path[256], err[1024], want[300];
	static char exe[256], here[256];

	touch("bin/presets/zzt-exe.json");
	touch("bin/presets/zzt-both.json");
	touch("cwd/presets/zzt-both.json");
	touch("xdg/gradscope/presets/zzt-exe.json");
	snprintf(exe, sizeof exe, "%s", at("bin/gradscope"));
	datadir_set_exe(exe);
	ck_assert_str_eq(find("presets", "zzt-exe"),
	    at("bin/presets/zzt-exe.json"));
	ck_assert_str_eq(find("presets", "zzt-both"), "./presets/zzt-both.json");
	ck_assert_int_eq(datadir_find("presets", "zzt-nope", path, sizeof path,
	                     err, sizeof err),
	    -1);
	snprintf(want, sizeof want, "no preset 'zzt-nope' in ./presets, %s, ",
	    at("bin/presets"));
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
	/* A folder that is not there is not looked in. */
	ck_assert_int_eq(datadir_find("themes", "zzt-nope", path, sizeof path,
	                     err, sizeof err),
	    -1);
	ck_assert_ptr_null(strstr(err, at("bin/")));
	/* The executable in the current directory: ./presets once. */
	snprintf(here, sizeof here, "%s", at("cwd/gradscope"));
	datadir_set_exe(here);
	datadir_where("presets", err, sizeof err);
	ck_assert_ptr_null(strstr(err, at("cwd/presets")));
	ck_assert_msg(strncmp(err, "./presets, ", 11) == 0, "%s", err);
}
END_TEST

/* The user's preset directory, made on demand: where S saves, which
 * --preset NAME and the listing find. */
START_TEST(test_user_directory)
{
	char dir[256], err[256], file[300];
	Listing l = {0};
	FILE *f;

	ck_assert_int_eq(datadir_user("presets", dir, sizeof dir, err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(dir, at("xdg/gradscope/presets"));
	snprintf(file, sizeof file, "%s/zzt-saved.json", dir);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{}\n", f);
	fclose(f);
	ck_assert_str_eq(find("presets", "zzt-saved"), file);
	datadir_list("presets", collect, &l);
	ck_assert_int_eq(l.n, 1);
	/* Again: it is there already. */
	ck_assert_int_eq(datadir_user("presets", dir, sizeof dir, err,
	                     sizeof err),
	    0);
	/* ~/.config without XDG_CONFIG_HOME. */
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_int_eq(datadir_user("themes", dir, sizeof dir, err,
	                     sizeof err),
	    0);
	ck_assert_str_eq(dir, at("home/.config/gradscope/themes"));
	/* Nowhere to save. */
	unsetenv("HOME");
	ck_assert_int_eq(datadir_user("presets", dir, sizeof dir, err,
	                     sizeof err),
	    -1);
	ck_assert_str_eq(err, "no directory to save in: neither "
	                      "XDG_CONFIG_HOME nor HOME names one");
	/* A file where a directory should be. */
	setenv("HOME", at("home"), 1);
	setenv("XDG_CONFIG_HOME", at("cwd/presets/zzt-file.json"), 1);
	touch("cwd/presets/zzt-file.json");
	ck_assert_int_eq(datadir_user("presets", dir, sizeof dir, err,
	                     sizeof err),
	    -1);
	ck_assert_msg(strstr(err, "cannot make ") == err, "%s", err);
}
END_TEST

START_TEST(test_list_nothing)
{
	Listing l = {0};

	/* No ./themes, no configuration: only installed themes, if any. */
	ck_assert_int_eq(datadir_list("themes", collect, &l), l.calls);
	ck_assert_int_eq(l.n, 0);
}
END_TEST

Suite *datadir_suite(void)
{
	Suite *s = suite_create("datadir");
	TCase *tc = tcase_create("lookup");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_file_paths_pass_through);
	tcase_add_test(tc, test_first_directory_wins);
	tcase_add_test(tc, test_xdg_unset_empty_or_relative);
	tcase_add_test(tc, test_not_found_message);
	tcase_add_test(tc, test_list_sorted_first_wins);
	tcase_add_test(tc, test_list_nothing);
	tcase_add_test(tc, test_long_name_keeps_reason);
	tcase_add_test(tc, test_list_fifo);
	tcase_add_test(tc, test_beside_the_executable);
	tcase_add_test(tc, test_user_directory);
	suite_add_tcase(s, tc);
	return s;
}
