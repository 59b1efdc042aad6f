/*
 * coderesolve: the category or service values a file writes ("Theft",
 * "o'g'rilik", "theft") to the store's codes.
 *
 * A value resolves to the code it is, or whose uz, ru or en name it is;
 * else to a new code made from it (coderesolve_slug()), which is stored with
 * the value as its name. Imports are transactions: after a rollback drops
 * codes made meanwhile, free the resolver and open a new one.
 *
 * Ownership: a coderesolve owns its copies of the codes (coderesolve_free());
 * a code it returns is borrowed until then.
 * Threading: one thread at a time, on its store's thread.
 */
#ifndef POSBON_CODERESOLVE_H
#define POSBON_CODERESOLVE_H

#include "store.h"

#include <stddef.h>

typedef struct coderesolve coderesolve;

/* A resolver of kind's codes in st (borrowed) as they are now. */
int coderesolve_open(store *st, enum store_code_kind kind, coderesolve **out);
void coderesolve_free(coderesolve *r);

/* The code of value into *code (NULL for a NULL value). *created is 1
 * when the code is new, stored now. ERR_INVALID when value has nothing a
 * code can be made of. */
int coderesolve_get(coderesolve *r, const char *value, const char **code, int *created);

/* The codes known, new ones included. */
size_t coderesolve_count(const coderesolve *r);

/* A code from a free-text value: lower-case ASCII words joined by '_',
 * other UTF-8 kept, at most n-1 bytes. */
void coderesolve_slug(const char *in, char *out, size_t n);

#endif
