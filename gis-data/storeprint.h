/*
 * storeprint: the names of categories and services in a printed page's
 * language (print.h), as a table looked up by code.
 *
 * Ownership: a storeprint_names is the caller's, freed with
 * storeprint_names_free().
 *
 * Threading: as store.h: the store belongs to the calling thread.
 */
#ifndef POSBON_STOREPRINT_H
#define POSBON_STOREPRINT_H

#include "store.h"

#include <stddef.h>

/* The tables whose records have a code and names in three languages. */
enum storeprint_table { STOREPRINT_CATEGORIES, STOREPRINT_SERVICES };

/* Codes and their names, n of each. */
struct storeprint_names {
	char **code, **name;
	size_t n;
};

/* Every code of table with its name in lang ("uz", "ru", "en"; anything
 * else: English), falling back to the English, then the Uzbek name, then
 * the code. ERR_DB, ERR_NOMEM; *out is empty on error. */
int storeprint_names(store *st, enum storeprint_table table, const char *lang,
                     struct storeprint_names *out);

/* The name of code in n, or code itself when n lacks it (borrowed). */
const char *storeprint_name(const struct storeprint_names *n, const char *code);

/* Frees the codes and names and empties n; accepts an empty n. */
void storeprint_names_free(struct storeprint_names *n);

#endif
