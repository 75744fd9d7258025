/*
 * fuzz: what every harness shares. FUZZ_CHECK is an assert that survives
 * NDEBUG: a broken contract (a refusal without a message, a result other
 * than 0 or -1) is a finding just as a crash is, so it aborts.
 */
#ifndef GRADSCOPE_FUZZ_H
#define GRADSCOPE_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#endif
