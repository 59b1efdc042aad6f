/*
 * jsonloc: where a value sits in JSON text, for error messages.
 *
 * jansson keeps no source positions, so a checker that walks a parsed tree
 * and finds something wrong at a path (keys and indices) asks this module
 * where that path is in the text. It walks the raw text along the path -
 * skipping strings with their escapes, decoding escaped keys and counting
 * nesting - to the value (or its key) and turns the offset into a line and a
 * column. Columns count characters (UTF-8 lead bytes), 1-based, as jansson
 * does for its own syntax errors. The text should be JSON that parsed; any
 * other NUL-terminated text gives some position or NULL, never a read past
 * its end.
 *
 * Ownership: nothing is allocated; results point into the caller's text.
 * Threading: pure functions; any thread.
 */
#ifndef POSBON_JSONLOC_H
#define POSBON_JSONLOC_H

#include <stddef.h>

/* One step of a JSON path: an object key, or an array index when key is
 * NULL. */
struct jsonloc_step {
	const char *key;
	size_t index;
};

/* Where the value at path (depth steps) starts in text, or its key, with
 * at_key, when the last step is a key; NULL when the text does not have it.
 * Keys longer than 500 bytes never match. */
const char *jsonloc_find(const char *text, const struct jsonloc_step *path, int depth, int at_key);

/* The 1-based line and column (in characters) of p, a pointer into text. */
void jsonloc_line_column(const char *text, const char *p, int *line, int *column);

#endif
