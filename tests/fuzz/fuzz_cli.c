/*
 * fuzz_cli: cli_parse on arbitrary command lines. The input is split into
 * words: a NUL ends a word (so "" can be one), a run of spaces, tabs or
 * newlines ends one too. cli_parse must return 0 or -1, never crash; a
 * refusal says why in one line; an accepted line gives a configuration
 * the engine takes. Parsing twice in a row gives the same answer, which
 * is what resetting getopt's global state is for.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "fuzz.h"

#define FUZZ_WORDS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits text (size bytes, NUL-terminated after them) in place into
 * argv[1..]; returns argc. */
static int fuzz_words(char *text, size_t size, char **argv)
{
	int argc = 1;
	size_t i = 0;

	while (i < size && argc < FUZZ_WORDS_MAX) {
		while (i < size && strchr(" \t\n", text[i]) != NULL &&
		    text[i] != '\0')
			i++;
		if (i == size)
			break;
		argv[argc++] = text + i;
		while (i < size && text[i] != '\0' &&
		    strchr(" \t\n", text[i]) == NULL)
			i++;
		text[i++] = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static int fuzz_parse(char *copy, const uint8_t *data, size_t size,
    CliOptions *opt, char *err, size_t errlen)
{
	char *argv[FUZZ_WORDS_MAX + 1] = {"gradscope"};
	int argc, rc;

	memcpy(copy, data, size);
	copy[size] = '\0';
	argc = fuzz_words(copy, size, argv);
	rc = cli_parse(argc, argv, opt, err, errlen);
	FUZZ_CHECK(rc == 0 || rc == -1);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512], err2[512], why[160], *copy;
	CliOptions opt, opt2;
	EngineConfig cfg;
	int rc;

	copy = malloc(size + 1);
	FUZZ_CHECK(copy != NULL);
	err[0] = err2[0] = '\0';
	rc = fuzz_parse(copy, data, size, &opt, err, sizeof err);
	if (rc < 0) {
		FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
	} else {
		FUZZ_CHECK(engine_config_validate(&opt.cfg, why, sizeof why) ==
		    0);
		engine_config_default(&cfg);
		cli_apply(&opt, &cfg);
		FUZZ_CHECK(engine_config_validate(&cfg, why, sizeof why) == 0);
		FUZZ_CHECK(opt.step >= 0);
	}
	/* Twice: getopt's state from the first parse must not leak. */
	free(copy);
	copy = malloc(size + 1);
	FUZZ_CHECK(copy != NULL);
	FUZZ_CHECK(fuzz_parse(copy, data, size, &opt2, err2, sizeof err2) ==
	    rc);
	FUZZ_CHECK(strcmp(err, err2) == 0);
	if (rc == 0)
		FUZZ_CHECK(opt.mode == opt2.mode && opt.given == opt2.given &&
		    opt.step == opt2.step);
	free(copy);
	return 0;
}
