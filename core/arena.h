/*
 * arena: many small allocations freed at once, for data loaded once and
 * read until it is dropped whole (shapes, the ground of the basemap).
 *
 * Memory comes in chunks of at least ARENA_CHUNK bytes; an allocation is
 * aligned for any type. Ownership: everything allocated belongs to the
 * arena until arena_free(). Threading: one thread allocates; once loaded,
 * any number may read.
 */
#ifndef POSBON_ARENA_H
#define POSBON_ARENA_H

#include <stddef.h>

#define ARENA_CHUNK (256 * 1024)

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* {0}: empty */
};

/* n bytes, or NULL when memory runs out (the arena stays usable). */
void *arena_alloc(struct arena *a, size_t n);

/* A copy of the string t in a (NULL for NULL, and when memory runs out:
 * tell them apart by t). */
char *arena_strdup(struct arena *a, const char *t);

/* Frees everything; the arena is empty again. */
void arena_free(struct arena *a);

#endif
