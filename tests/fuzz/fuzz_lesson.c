/*
 * fuzz_lesson: scenario_load on lessons. The same checks as fuzz_preset
 * (whose harness this is), run from a corpus of lesson shapes: a title
 * and a list of steps, each a preset object, with steps missing, empty,
 * of the wrong type or one past the limit. Kept a binary of its own so
 * that each corpus grows on its own.
 */
#include "fuzz_preset.c"
