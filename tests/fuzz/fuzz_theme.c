/*
 * fuzz_theme: theme_load on arbitrary bytes, seeded with the shipped
 * themes. It must return 0 or -1, never crash, leak or read out of
 * bounds; a refusal says why in one line; a load gives colours
 * theme_nearest can map.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzzfile.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char warn[4096], err[4352];
	Theme t;
	int rc, role, n;

	rc = theme_load(fuzzfile_put(data, size), &t, warn, sizeof warn, err,
	    sizeof err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0) {
		FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
		FUZZ_CHECK(warn[0] == '\0');
		return 0;
	}
	FUZZ_CHECK(memchr(t.name, '\0', sizeof t.name) != NULL);
	for (role = 0; role < GRID_ROLE_COUNT; role++) {
		n = theme_nearest(t.role[role].fg, 256);
		FUZZ_CHECK(n >= THEME_DEFAULT && n <= 255);
		n = theme_nearest(t.role[role].bg, 8);
		FUZZ_CHECK(n >= THEME_DEFAULT && n <= 7);
	}
	return 0;
}
