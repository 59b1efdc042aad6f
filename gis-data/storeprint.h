/*
 * storeprint: the reads of the printed pages (print.h) from the store: the
 * names of categories and services in a page's language, and the addresses
 * of the offences in a box, for naming a hotspot's street.
 *
 * Ownership: a storeprint_names is the caller's, freed with
 * storeprint_names_free(); an address passed to the callback is borrowed
 * for the call.
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

/* Calls fn with the address of each offence in the lon/lat box (west,
 * south, east, north) that has one, at most limit of them, until fn returns
 * non-zero. ERR_DB. */
int storeprint_addresses(store *st, const double box[4], int limit,
                         int (*fn)(void *ctx, const char *address), void *ctx);

#endif
