/*
 * jsonload: what the JSON loaders (scenario.c, theme.c) share.
 *
 * Positions for messages, the duplicate-key check cJSON does not make,
 * "did you mean" suggestions and the name a file is known by. A loader
 * helper: it sees cJSON, nothing else does but the loaders.
 */
#ifndef GRADSCOPE_JSONLOAD_H
#define GRADSCOPE_JSONLOAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Line and column (1-based, the column in UTF-8 characters) of byte
 * offset at in text. */
void jsonload_position(const char *text, size_t at, int *line, int *col);

/* A key that obj's own members use twice (not looking into children), or
 * NULL; *oom is set when the check ran out of memory. Sorts the keys, so
 * a 1 MiB file of 100,000 keys takes milliseconds, not minutes. */
const char *jsonload_duplicate(const cJSON *obj, int *oom);

/* The name of known (NULL-terminated) that key is most likely a typo of,
 * or NULL: one it begins, as "act" begins "activation" (3 characters at
 * least), or one within a third of the longer name in edits (at least one
 * edit; a swap of neighbours counts as one, as in "widht"). */
const char *jsonload_suggest(const char *key, const char *const *known);

/* The deepest nesting of arrays and objects cJSON parses. */
#define JSONLOAD_DEPTH_MAX CJSON_NESTING_LIMIT

/* The byte offset in text (len bytes) of the first '[' or '{' that nests
 * deeper than JSONLOAD_DEPTH_MAX, or (size_t)-1 when none does (brackets inside
 * strings do not count). cJSON refuses such text as a plain syntax error
 * at or after that offset; a loader whose parse failed at offset at says
 * "nested deeper than ..." instead when this is <= at. */
size_t jsonload_too_deep(const char *text, size_t len);

/* The byte offset in text (len bytes) of the first "\u0000" escape in a
 * JSON string, or (size_t)-1 when there is none. cJSON reads it as a NUL
 * that silently ends the string there, so a loader refuses it, naming
 * the key: *key (*keylen bytes, as written in the file, without quotes)
 * is the last key before it, or NULL when none is. */
size_t jsonload_nul_escape(const char *text, size_t len, const char **key,
    size_t *keylen);

/* The file name without directories and ".json", cut to fit len. */
void jsonload_stem(const char *path, char *name, size_t len);

#endif
