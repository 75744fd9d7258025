/*
 * check_fuzzregress: every input a fuzzer once crashed on, replayed
 * through the very harness that found it. The harnesses' sources are
 * included here, each with its entry point renamed, so that a replay
 * makes the same calls and the same contract checks (FUZZ_CHECK aborts,
 * which fails the test) as `make fuzz`, without clang or libFuzzer.
 * Inputs live in tests/fuzz/regress/HARNESS/, one file each; lessons go
 * through the preset harness, which fuzz_lesson is. Run from the source
 * tree's root (make check does).
 */
#include "suites.h"

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

#define LLVMFuzzerTestOneInput fuzz_preset_input
#include "fuzz/fuzz_preset.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_theme_input
#include "fuzz/fuzz_theme.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_cli_input
#include "fuzz/fuzz_cli.c"
#undef LLVMFuzzerTestOneInput

typedef struct {
	const char *dir;
	int (*input)(const uint8_t *data, size_t size);
} RegressSet;

static const RegressSet regress_sets[] = {
    {"tests/fuzz/regress/preset", fuzz_preset_input},
    {"tests/fuzz/regress/lesson", fuzz_preset_input},
    {"tests/fuzz/regress/theme", fuzz_theme_input},
    {"tests/fuzz/regress/cli", fuzz_cli_input},
};
#define REGRESS_NSETS (int)(sizeof regress_sets / sizeof regress_sets[0])

/* The input being replayed, named when a harness aborts on it. */
static char regress_path[512];

static void regress_on_abort(int sig)
{
	static const char what[] = "check_fuzzregress: aborted on ";

	if (write(STDERR_FILENO, what, sizeof what - 1) >= 0 &&
	    write(STDERR_FILENO, regress_path, strlen(regress_path)) >= 0)
		(void)write(STDERR_FILENO, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Replays every file of one set; a missing directory is an empty set. */
START_TEST(test_replay)
{
	const RegressSet *set = &regress_sets[_i];
	char err[512];
	struct dirent *e;
	size_t len;
	char *data;
	DIR *d;

	d = opendir(set->dir);
	if (d == NULL)
		return;
	signal(SIGABRT, regress_on_abort);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(regress_path, sizeof regress_path, "%s/%s", set->dir,
		    e->d_name);
		/* Larger than the loaders take, so that an input over
		 * their limit still replays. */
		data = fileio_read(regress_path, 4 * FILEIO_MAX_SIZE, &len, err,
		    sizeof err);
		ck_assert_msg(data != NULL, "%s", err);
		ck_assert_int_eq(set->input((const uint8_t *)data, len), 0);
		free(data);
	}
	closedir(d);
}
END_TEST

Suite *fuzzregress_suite(void)
{
	Suite *s = suite_create("fuzzregress");
	TCase *tc = tcase_create("replay");

	tcase_add_loop_test(tc, test_replay, 0, REGRESS_NSETS);
	suite_add_tcase(s, tc);
	return s;
}
