/*
 * cache: rendered tiles kept for reuse.
 *
 * Two tiers behind one interface: memory (an LRU list under a byte budget)
 * and disk (a directory of files named by the key's hash, each written to a
 * temporary name and renamed, so a reader never sees half a tile). Keys are
 * strings that name everything a tile depends on (layers, normalised filter,
 * z/x/y, scale, data version), so stale entries are simply never asked for
 * again and age out.
 *
 * cache_fetch() also makes concurrent requests for the same missing tile
 * render it once: the first caller renders, the others wait for its result.
 *
 * Threading: every function may be called from any thread.
 */
#ifndef POSBON_CACHE_H
#define POSBON_CACHE_H

#include <stddef.h>

typedef struct tile_cache tile_cache;

struct cache_options {
	size_t memory_bytes; /* budget of the memory tier; 0: 16 MiB */
	const char *dir;     /* disk tier folder (created); NULL disables it */
};

/* Statistics for /metrics. */
struct cache_stats {
	unsigned long memory_hits, disk_hits, misses, renders, evictions;
	size_t memory_bytes, memory_entries;
};

/* *out is new; free with cache_free(). ERR_IO when dir cannot be made. */
int cache_open(const struct cache_options *o, tile_cache **out);

void cache_free(tile_cache *c);

/* Renders a missing tile: fills *data (malloc'd, taken over by the cache)
 * and *len, returns 0 or a negative error. */
typedef int (*cache_render_fn)(void *ctx, unsigned char **data, size_t *len);

/* The tile of key: from memory, else from disk (then kept in memory), else
 * rendered by fn once however many threads ask at the same time, then
 * stored in both tiers. *data is a new copy for the caller (free()). *hit
 * (may be NULL) is 1 when no rendering was needed. */
int cache_fetch(tile_cache *c, const char *key, cache_render_fn fn, void *ctx, unsigned char **data,
                size_t *len, int *hit);

void cache_stats(tile_cache *c, struct cache_stats *out);

#endif
