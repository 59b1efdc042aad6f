/*
 * stylejson: the style loader's JSON reader - a walk over a jansson tree
 * that keeps its JSON path, typed getters that check each value, and error
 * messages "name:line:column: path: what" for the first thing wrong.
 *
 * A reader (struct stylejson) follows the tree: stylejson_enter() or
 * stylejson_push_key()/stylejson_push_index() step into a member, and
 * stylejson_pop() steps out once it has been read. On an error the getters
 * leave the path where the problem is and return ERR_INVALID with the
 * message set (err_set()); the message's line and column come from jsonloc
 * walking the raw text along the path. Getters named get_ read a member of
 * an object and pop it again; the others read a value already entered.
 * Optional members a getter does not find leave *out untouched, so callers
 * set defaults first.
 *
 * Ownership: the reader borrows the text and name. Everything the getters
 * copy (strings) and stylejson_alloc() returns lives in the pool *pool
 * points to, until stylejson_pool_free().
 *
 * Threading: a reader belongs to one thread.
 */
#ifndef POSBON_STYLEJSON_H
#define POSBON_STYLEJSON_H

#include "jsonloc.h"
#include "style.h"

#include <jansson.h>
#include <stddef.h>

#define STYLEJSON_DEPTH 12 /* deepest path the schema has, with room */

struct stylejson_block;

struct stylejson {
	const char *text; /* the raw JSON, for the locator */
	const char *name; /* the file, for messages */
	struct stylejson_block **pool;
	struct jsonloc_step path[STYLEJSON_DEPTH];
	int depth;
};

/* Zeroed memory in the pool; NULL on no memory (callers then return
 * stylejson_nomem()). */
void *stylejson_alloc(struct stylejson *c, size_t size);

/* A copy of str in the pool, or NULL. */
char *stylejson_strdup(struct stylejson *c, const char *str);

/* Frees a pool's blocks; accepts NULL. */
void stylejson_pool_free(struct stylejson_block *pool);

void stylejson_push_key(struct stylejson *c, const char *key);
void stylejson_push_index(struct stylejson *c, size_t index);
void stylejson_pop(struct stylejson *c);

/* Pushes key and returns its value; NULL (nothing pushed) when absent. */
json_t *stylejson_enter(struct stylejson *c, json_t *obj, const char *key);

/* Records "name:line:column: path: what" for the value at the current path
 * (its key, with at_key) and returns ERR_INVALID. */
__attribute__((format(printf, 3, 4))) int stylejson_fail(struct stylejson *c, int at_key,
                                                         const char *fmt, ...);

/* ERR_NOMEM with the file's name. */
int stylejson_nomem(struct stylejson *c);

/* ERR_INVALID: the object at the path lacks key. */
int stylejson_missing(struct stylejson *c, const char *key);

/* "an object", "a number"..., for messages. */
const char *stylejson_type_name(const json_t *v);

/* Fails unless v is an object. */
int stylejson_object(struct stylejson *c, json_t *v);

/* Every key of obj must be one of allowed (NULL-terminated); an unknown key
 * fails at the key, suggesting an allowed one within two edits. */
int stylejson_check_keys(struct stylejson *c, json_t *obj, const char *const *allowed);

/* The numbers a getter accepts. */
struct stylejson_range {
	double lo, hi;
	int lo_open; /* lo itself is out of range */
	int whole;   /* integers only */
};

extern const struct stylejson_range STYLEJSON_ZOOM; /* 0..22 */
extern const struct stylejson_range STYLEJSON_UNIT; /* 0..1 */
extern const struct stylejson_range STYLEJSON_PX;   /* (0, 1000] */

int stylejson_get_number(struct stylejson *c, json_t *obj, const char *key, int required,
                         const struct stylejson_range *r, double *out);

int stylejson_colour(struct stylejson *c, json_t *v, struct style_colour *out);
int stylejson_get_colour(struct stylejson *c, json_t *obj, const char *key, int required,
                         struct style_colour *out);

/* One of names (NULL-terminated) whose bit is set in mask, as its index;
 * what names the kind of thing in messages ("kernel"). Optional. */
int stylejson_get_enum(struct stylejson *c, json_t *obj, const char *key, const char *what,
                       const char *const *names, unsigned mask, int *out);

/* An optional string, copied into the pool. */
int stylejson_get_string(struct stylejson *c, json_t *obj, const char *key, const char **out);

/* A zoom function: a number, or [[zoom, value], ...] with increasing zooms;
 * values in r. */
int stylejson_get_zfunc(struct stylejson *c, json_t *obj, const char *key, int required,
                        const struct stylejson_range *r, struct style_zfunc *out);

/* An optional "dash" array of px lengths into out. */
int stylejson_get_dash(struct stylejson *c, json_t *obj, struct style_stroke *out);

/* "minzoom" and "maxzoom" of obj; 0 and 22 when absent. */
int stylejson_get_zoom(struct stylejson *c, json_t *obj, struct style_zoom *out);

#endif
