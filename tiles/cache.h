/*
 * cache: rendered tiles kept for reuse.
 *
 * Two tiers behind one interface: memory (an LRU list under a byte budget)
 * and disk (a directory of files named by the key's hash, each written to a
 * temporary name and renamed, so a reader never sees half a tile, under a
 * budget of its own and an age limit). Keys are strings that name
 * everything a tile depends on (layers, normalised filter, z/x/y, scale,
 * data version), so stale entries are simply never asked for again and age
 * out.
 *
 * Both budgets count what is really held: in memory each tile's exactly
 * sized buffer, its entry and its key as the allocator sizes them; on disk
 * each file rounded up to a 4 KiB block. The disk tier's index (a hash,
 * size and time a file, ~48 bytes) is built at cache_open() by scanning the
 * folder, so files of earlier runs count and age out too. The tier's reads
 * and writes delete the files past the age limit (no timer): the least
 * recently used first, stopping at the first one that may stay.
 *
 * Tiles are shared, not copied: cache_fetch() hands out a counted
 * reference to the cached bytes, which stay valid until the caller
 * releases it, even if the cache evicts the tile (or is freed) meanwhile.
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

/* One tile's bytes, shared by the cache and the callers holding it. */
typedef struct cache_tile cache_tile;

struct cache_options {
	size_t memory_bytes;   /* budget of the memory tier; 0: 16 MiB */
	const char *dir;       /* disk tier folder (made with its parents, 0750); NULL: none */
	size_t disk_bytes;     /* budget of the disk tier; 0: 1 GiB */
	unsigned disk_max_age; /* seconds since a file was last used; 0: no limit */
};

/* Statistics for /metrics. */
struct cache_stats {
	unsigned long memory_hits, disk_hits, misses, renders, evictions, disk_evictions;
	size_t memory_bytes, memory_entries, disk_bytes, disk_files;
};

/* *out is new; free with cache_free(). ERR_IO when dir cannot be made or
 * read. */
int cache_open(const struct cache_options *o, tile_cache **out);

/* Accepts NULL. Tiles still held by callers stay valid. */
void cache_free(tile_cache *c);

/* Renders a missing tile: fills *data (malloc'd, taken over by the cache)
 * and *len, returns 0 or a negative error. */
typedef int (*cache_render_fn)(void *ctx, unsigned char **data, size_t *len);

/* The tile of key: from memory, else from disk (then kept in memory), else
 * rendered by fn once however many threads ask at the same time, then
 * stored in both tiers. *out is a reference for the caller: release it
 * with cache_tile_release(). A memory hit allocates nothing. *hit (may be
 * NULL) is 1 when no rendering was needed. */
int cache_fetch(tile_cache *c, const char *key, cache_render_fn fn, void *ctx, cache_tile **out,
                int *hit);

/* The bytes of a tile (borrowed while the reference is held); *len their
 * number. */
const unsigned char *cache_tile_data(const cache_tile *t, size_t *len);

/* Gives back a reference from cache_fetch(); accepts NULL. Any thread. */
void cache_tile_release(cache_tile *t);

void cache_stats(tile_cache *c, struct cache_stats *out);

#endif
