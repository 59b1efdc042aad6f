/*
 * cache: a chained hash table over the entries of a doubly linked LRU list.
 * Renders in flight are entries without data that waiters sleep on.
 */
#include "cache.h"

#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	BUCKETS = 4096,
};

struct entry {
	char *key;
	uint64_t hash;
	unsigned char *data; /* NULL while rendering */
	size_t len;
	int rendering, failed;
	int waiters;
	struct entry *next_in_bucket;
	struct entry *newer, *older; /* LRU list, only entries with data */
};

struct tile_cache {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct entry *buckets[BUCKETS];
	struct entry *newest, *oldest;
	size_t budget;
	char *dir;
	struct cache_stats stats;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int cache_open(const struct cache_options *o, tile_cache **out)
{
	tile_cache *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c)
		return err_set(ERR_NOMEM, "cache: out of memory");
	c->budget = o->memory_bytes ? o->memory_bytes : (size_t)16 << 20;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	if (o->dir) {
		if (mkdir(o->dir, 0755) != 0 && errno != EEXIST) {
			int rc =
			    err_set(ERR_IO, "cache: cannot make %s: %s", o->dir, strerror(errno));
			cache_free(c);
			return rc;
		}
		if (!(c->dir = strdup(o->dir))) {
			cache_free(c);
			return err_set(ERR_NOMEM, "cache: out of memory");
		}
	}
	*out = c;
	return 0;
}

static void free_entry(struct entry *e)
{
	free(e->key);
	free(e->data);
	free(e);
}

void cache_free(tile_cache *c)
{
	if (!c)
		return;
	for (int b = 0; b < BUCKETS; b++)
		for (struct entry *e = c->buckets[b], *next; e; e = next) {
			next = e->next_in_bucket;
			free_entry(e);
		}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

static struct entry *find(tile_cache *c, const char *key, uint64_t h)
{
	for (struct entry *e = c->buckets[h % BUCKETS]; e; e = e->next_in_bucket)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void lru_unlink(tile_cache *c, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else if (c->newest == e)
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else if (c->oldest == e)
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(tile_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static void remove_entry(tile_cache *c, struct entry *e)
{
	struct entry **p = &c->buckets[e->hash % BUCKETS];
	while (*p != e)
		p = &(*p)->next_in_bucket;
	*p = e->next_in_bucket;
	if (e->data) {
		lru_unlink(c, e);
		c->stats.memory_bytes -= e->len;
		c->stats.memory_entries--;
	}
	free_entry(e);
}

/* Drops the least recently used tiles until the budget holds; a tile that
 * threads are still waiting for stays until they have their copies. */
static void evict(tile_cache *c)
{
	while (c->stats.memory_bytes > c->budget && c->oldest && !c->oldest->waiters) {
		remove_entry(c, c->oldest);
		c->stats.evictions++;
	}
}

static void disk_path(const tile_cache *c, uint64_t h, char *out, size_t n)
{
	snprintf(out, n, "%s/%02x/%016llx.png", c->dir, (unsigned)(h >> 56), (unsigned long long)h);
}

/* The file of a key: its first line is the key, the rest the tile, so a
 * hash collision is detected rather than served. */
static int disk_read(const tile_cache *c, const char *key, uint64_t h, unsigned char **data,
                     size_t *len)
{
	char path[4096];
	disk_path(c, h, path, sizeof path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t klen = strlen(key);
	char *head = malloc(klen + 1);
	struct stat sb;
	int found = 0;
	if (head && fstat(fileno(f), &sb) == 0 && (size_t)sb.st_size > klen + 1 &&
	    fread(head, 1, klen + 1, f) == klen + 1 && memcmp(head, key, klen) == 0 &&
	    head[klen] == '\n') {
		*len = (size_t)sb.st_size - klen - 1;
		*data = malloc(*len);
		found = *data && fread(*data, 1, *len, f) == *len;
		if (!found) {
			free(*data);
			*data = NULL;
		}
	}
	free(head);
	fclose(f);
	return found;
}

static void disk_write(const tile_cache *c, const char *key, uint64_t h, const unsigned char *data,
                       size_t len)
{
	char path[4096], tmp[4200], folder[4096];
	disk_path(c, h, path, sizeof path);
	snprintf(folder, sizeof folder, "%s/%02x", c->dir, (unsigned)(h >> 56));
	mkdir(folder, 0755);
	snprintf(tmp, sizeof tmp, "%s.%lx.tmp", path, (unsigned long)pthread_self());
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return;
	int ok = fprintf(f, "%s\n", key) > 0 && fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp); /* a cache that cannot write still serves */
}

/* Keeps data (taken over) under e, in memory, and returns a copy in *out. */
static int keep(tile_cache *c, struct entry *e, unsigned char *data, size_t len,
                unsigned char **out)
{
	if (!(*out = malloc(len ? len : 1))) {
		free(data);
		return err_set(ERR_NOMEM, "cache: out of memory");
	}
	memcpy(*out, data, len);
	e->data = data;
	e->len = len;
	lru_push(c, e);
	c->stats.memory_bytes += len;
	c->stats.memory_entries++;
	evict(c);
	return 0;
}

int cache_fetch(tile_cache *c, const char *key, cache_render_fn fn, void *ctx, unsigned char **data,
                size_t *len, int *hit)
{
	uint64_t h = hash_key(key);
	int rc = 0;
	*data = NULL;
	*len = 0;
	if (hit)
		*hit = 1;
	pthread_mutex_lock(&c->lock);
	struct entry *e = find(c, key, h);
	while (e && e->rendering) {
		e->waiters++;
		pthread_cond_wait(&c->done, &c->lock);
		e->waiters--;
		if (e->failed) {
			/* The renderer's error is its own; this caller tries itself. */
			if (!e->waiters && !e->rendering)
				remove_entry(c, e);
			e = NULL;
			break;
		}
	}
	if (e && e->data) {
		c->stats.memory_hits++;
		lru_unlink(c, e);
		lru_push(c, e);
		*len = e->len;
		if ((*data = malloc(e->len ? e->len : 1)))
			memcpy(*data, e->data, e->len);
		else
			rc = err_set(ERR_NOMEM, "cache: out of memory");
		pthread_mutex_unlock(&c->lock);
		return rc;
	}
	/* Claim the key; others asking meanwhile wait for this render. */
	e = calloc(1, sizeof *e);
	if (!e || !(e->key = strdup(key))) {
		free(e);
		pthread_mutex_unlock(&c->lock);
		return err_set(ERR_NOMEM, "cache: out of memory");
	}
	e->hash = h;
	e->rendering = 1;
	e->next_in_bucket = c->buckets[h % BUCKETS];
	c->buckets[h % BUCKETS] = e;
	pthread_mutex_unlock(&c->lock);

	unsigned char *tile = NULL;
	size_t tile_len = 0;
	int from_disk = c->dir && disk_read(c, key, h, &tile, &tile_len);
	if (!from_disk) {
		if (hit)
			*hit = 0;
		rc = fn(ctx, &tile, &tile_len);
		if (rc == 0 && c->dir)
			disk_write(c, key, h, tile, tile_len);
	}

	pthread_mutex_lock(&c->lock);
	e->rendering = 0;
	if (rc == 0) {
		if (from_disk)
			c->stats.disk_hits++;
		else {
			c->stats.misses++;
			c->stats.renders++;
		}
		rc = keep(c, e, tile, tile_len, data);
		if (rc == 0)
			*len = tile_len;
		else
			e->failed = 1;
	} else {
		free(tile);
		e->failed = 1;
	}
	pthread_cond_broadcast(&c->done);
	if (rc < 0 && !e->waiters && !e->data)
		remove_entry(c, e);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void cache_stats(tile_cache *c, struct cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}
