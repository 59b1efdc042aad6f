/*
 * strmap: a hash map from strings to 64-bit integers.
 *
 * Used where importers count or cache by text (ids seen in a file, category
 * names already resolved). Keys are copied and owned by the map. Open
 * addressing with linear probing; grows at 70% load.
 */
#ifndef POSBON_STRMAP_H
#define POSBON_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

/* Returns a new, empty map; free with strmap_free(). NULL on no memory. */
strmap *strmap_new(void);

void strmap_free(strmap *m);

/* Looks key up: 1 and *value when present, 0 when absent. */
int strmap_get(const strmap *m, const char *key, int64_t *value);

/* Sets key to value. Returns 0 or ERR_NOMEM. */
int strmap_put(strmap *m, const char *key, int64_t value);

/* Adds delta to key's value (absent keys start at 0) and returns the new value
 * in *value. Returns 0 or ERR_NOMEM. */
int strmap_add(strmap *m, const char *key, int64_t delta, int64_t *value);

size_t strmap_count(const strmap *m);

#endif
