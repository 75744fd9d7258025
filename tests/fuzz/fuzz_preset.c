/*
 * fuzz_preset: scenario_load on arbitrary bytes, seeded with the shipped
 * presets. It must return 0 or -1, never crash, leak or read out of
 * bounds; a refusal says why in one line; a load gives a scenario the
 * engine accepts.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "fuzzfile.h"
#include "scenario.h"

/* Static: a Scenario is about 75 KiB. */
static Scenario fuzz_sc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char warn[4096], err[4352], why[160];
	int rc, i;

	rc = scenario_load(fuzzfile_put(data, size), &fuzz_sc, warn,
	    sizeof warn, err, sizeof err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0) {
		FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
		FUZZ_CHECK(warn[0] == '\0');
		return 0;
	}
	FUZZ_CHECK(fuzz_sc.nsteps >= 1 && fuzz_sc.nsteps <= SCENARIO_STEPS_MAX);
	FUZZ_CHECK(fuzz_sc.lesson || fuzz_sc.nsteps == 1);
	for (i = 0; i < fuzz_sc.nsteps; i++)
		FUZZ_CHECK(engine_config_validate(&fuzz_sc.steps[i].cfg, why,
		               sizeof why) == 0);
	return 0;
}
