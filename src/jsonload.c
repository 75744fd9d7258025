/*
 * jsonload: what the JSON loaders share. See include/jsonload.h.
 */
#include "jsonload.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void jsonload_position(const char *text, size_t at, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < at; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (!utf8_continues(text[i])) {
			(*col)++;
		}
	}
}

size_t jsonload_too_deep(const char *text, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_string = 0;
		} else if (text[i] == '"') {
			in_string = 1;
		} else if (text[i] == '[' || text[i] == '{') {
			if (++depth > JSONLOAD_DEPTH_MAX)
				return i;
		} else if ((text[i] == ']' || text[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return (size_t)-1;
}

size_t jsonload_nul_escape(const char *text, size_t len, const char **key,
    size_t *keylen)
{
	size_t i, start = 0, j;

	*key = NULL;
	*keylen = 0;
	for (i = 0; i < len; i++) {
		if (text[i] != '"')
			continue;
		start = ++i;
		for (; i < len && text[i] != '"'; i++) {
			if (text[i] != '\\')
				continue;
			if (len - i >= 6 && memcmp(text + i, "\\u0000", 6) == 0)
				return i;
			i++;
		}
		/* A string followed by ':' is a key. */
		j = i + 1;
		while (j < len && strchr(" \t\r\n", text[j]) != NULL &&
		    text[j] != '\0')
			j++;
		if (j < len && text[j] == ':') {
			*key = text + start;
			*keylen = i - start;
		}
	}
	return (size_t)-1;
}

static int jsonload_key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *jsonload_duplicate(const cJSON *obj, int *oom)
{
	const cJSON *v;
	const char **keys, *dup = NULL;
	size_t n = 0, i;

	*oom = 0;
	if (!cJSON_IsObject(obj))
		return NULL;
	for (v = obj->child; v != NULL; v = v->next)
		n++;
	if (n < 2)
		return NULL;
	keys = malloc(n * sizeof *keys);
	if (keys == NULL) {
		*oom = 1;
		return NULL;
	}
	for (i = 0, v = obj->child; v != NULL; v = v->next)
		keys[i++] = v->string;
	qsort(keys, n, sizeof *keys, jsonload_key_cmp);
	for (i = 1; i < n && dup == NULL; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

/* The longest name compared: longer keys are not typos of ours. */
#define JSONLOAD_NAME_MAX 32

/* Edit distance counting a swap of neighbours as one edit. */
static int jsonload_distance(const char *a, const char *b)
{
	int d[JSONLOAD_NAME_MAX + 1][JSONLOAD_NAME_MAX + 1];
	int n = (int)strlen(a), m = (int)strlen(b), i, j, c, best;

	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			c = a[i - 1] != b[j - 1];
			best = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

const char *jsonload_suggest(const char *key, const char *const *known)
{
	const char *best = NULL;
	size_t n = strlen(key), i, longer;
	int d, bestd = JSONLOAD_NAME_MAX + 1;

	if (n > JSONLOAD_NAME_MAX)
		return NULL;
	for (i = 0; known[i] != NULL; i++) {
		if (n >= 3 && strncmp(known[i], key, n) == 0)
			return known[i];
		if (strlen(known[i]) > JSONLOAD_NAME_MAX)
			continue;
		d = jsonload_distance(key, known[i]);
		if (d < bestd) {
			bestd = d;
			best = known[i];
		}
	}
	if (best == NULL)
		return NULL;
	longer = n > strlen(best) ? n : strlen(best);
	return bestd == 1 || (size_t)bestd * 3 <= longer ? best : NULL;
}

void jsonload_stem(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	if (len > 0) {
		if (n >= len)
			n = len - 1;
		memcpy(name, base, n);
		name[n] = '\0';
	}
}
