/*
 * cache: the memory tier is a hash table over the entries of a doubly
 * linked LRU list; renders in flight are entries without a tile that
 * waiters sleep on. The disk tier keeps an index of its files (hash, blocks,
 * last use) in a table and an LRU list of its own, under a lock of its own,
 * so that a memory hit never waits behind a file system call.
 *
 * Lock order: lock before disk_lock; the disk tier's calls are made with
 * neither held except disk_lock around the index and the renames and
 * unlinks that must agree with it.
 *
 * A file's modification time is its last use, set by the cache to the
 * nanosecond and strictly later than every earlier use of the run: it is
 * all the next run has to rebuild the LRU order from, and the kernel's own
 * times are coarser than the uses of one busy second.
 */
#include "cache.h"

#include "datapath.h"
#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum {
	BLOCK = 4096,    /* disk usage is counted in blocks of this size */
	MAX_KEY = 512,   /* longer keys are kept in memory only */
	SUBFOLDERS = 256 /* files go to DIR/xx/, xx the hash's top byte */
};

struct cache_tile {
	atomic_uint refs;
	size_t len;
	unsigned char data[];
};

/* A place in an LRU list, inside the struct it orders. */
struct lru_link {
	struct lru_link *newer, *older;
};

struct lru {
	struct lru_link *newest, *oldest;
};

#define LRU_OWNER(link, type) ((type *)(void *)((char *)(link)-offsetof(type, lru)))

struct entry {
	struct lru_link lru; /* only entries with a tile */
	uint64_t hash;
	cache_tile *tile; /* the cache's reference; NULL while rendering */
	size_t held;      /* bytes counted against the budget */
	int rendering, failed;
	int waiters;
	struct entry *next_in_bucket;
	char key[];
};

struct dfile {
	struct lru_link lru;
	uint64_t hash;
	size_t bytes; /* on disk, in whole blocks */
	int64_t used; /* the last write or read, in ns since the epoch */
	struct dfile *next_in_bucket;
};

struct tile_cache {
	pthread_mutex_t lock; /* the memory tier and stats */
	pthread_cond_t done;
	struct entry **buckets;
	size_t n_buckets; /* a power of two */
	struct lru lru;
	size_t budget;
	struct cache_stats stats; /* the disk tier's fields are below */

	char *dir;
	pthread_mutex_t disk_lock; /* the fields below */
	struct dfile **dbuckets;
	size_t n_dbuckets;
	struct lru disk_lru;
	size_t disk_budget, disk_bytes, disk_files;
	unsigned max_age;
	unsigned long disk_evictions;
	_Atomic int64_t last_use; /* the latest time of use handed out, ns */
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* What an allocation really takes: glibc keeps a size word before each
 * chunk and rounds the chunk up. */
static size_t held_by(void *p)
{
	return malloc_usable_size(p) + sizeof(size_t);
}

/* A table of about one bucket per `per` bytes of budget, a power of two. */
static size_t bucket_count(size_t budget, size_t per)
{
	size_t n = 1024;
	while (n < budget / per && n < ((size_t)1 << 22))
		n <<= 1;
	return n;
}

static void lru_unlink(struct lru *l, struct lru_link *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else if (l->newest == e)
		l->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else if (l->oldest == e)
		l->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void lru_push(struct lru *l, struct lru_link *e)
{
	e->older = l->newest;
	e->newer = NULL;
	if (l->newest)
		l->newest->newer = e;
	l->newest = e;
	if (!l->oldest)
		l->oldest = e;
}

static cache_tile *tile_new(size_t len)
{
	cache_tile *t = malloc(sizeof *t + len);
	if (t) {
		atomic_init(&t->refs, 1);
		t->len = len;
	}
	return t;
}

const unsigned char *cache_tile_data(const cache_tile *t, size_t *len)
{
	*len = t->len;
	return t->data;
}

void cache_tile_release(cache_tile *t)
{
	if (t && atomic_fetch_sub(&t->refs, 1) == 1)
		free(t);
}

/* ---- disk tier ---------------------------------------------------------- */

static int64_t ns_of(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A time of use: now, or just after the latest one handed out when the
 * clock has not moved on (or went back), so no two uses tie. */
static struct timespec disk_stamp(tile_cache *c)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t t = ns_of(now), last = atomic_load(&c->last_use);
	do {
		if (t <= last)
			t = last + 1;
	} while (!atomic_compare_exchange_weak(&c->last_use, &last, t));
	return (struct timespec){t / 1000000000, t % 1000000000};
}

/* Gives the file open as fd the time of use ts. */
static void disk_touch(int fd, struct timespec ts)
{
	futimens(fd, (struct timespec[2]){ts, ts});
}

static void disk_path(const tile_cache *c, uint64_t h, char *out, size_t n)
{
	snprintf(out, n, "%s/%02x/%016llx.png", c->dir, (unsigned)(h >> 56), (unsigned long long)h);
}

static struct dfile **dfind(tile_cache *c, uint64_t h)
{
	struct dfile **p = &c->dbuckets[h & (c->n_dbuckets - 1)];
	while (*p && (*p)->hash != h)
		p = &(*p)->next_in_bucket;
	return p;
}

static void dfile_remove(tile_cache *c, struct dfile **at)
{
	struct dfile *f = *at;
	*at = f->next_in_bucket;
	lru_unlink(&c->disk_lru, &f->lru);
	c->disk_bytes -= f->bytes;
	c->disk_files--;
	free(f);
}

/* Under disk_lock: a file of h now holds bytes, used at time used. */
static int dfile_put(tile_cache *c, uint64_t h, size_t bytes, int64_t used)
{
	struct dfile **at = dfind(c, h), *f = *at;
	if (f) {
		lru_unlink(&c->disk_lru, &f->lru);
		c->disk_bytes -= f->bytes;
	} else {
		if (!(f = calloc(1, sizeof *f)))
			return err_set(ERR_NOMEM, "cache: out of memory");
		f->hash = h;
		*at = f;
		c->disk_files++;
	}
	f->bytes = (bytes + BLOCK - 1) / BLOCK * BLOCK;
	f->used = used;
	c->disk_bytes += f->bytes;
	lru_push(&c->disk_lru, &f->lru);
	return 0;
}

/* Under disk_lock: deletes the least recently used files while the tier
 * is over its budget, and every file unused for longer than max_age; the
 * file of spare (just written) stays even when it alone is over. Stops at
 * the first file that may stay, so it costs O(1) a call amortised. */
static void disk_trim(tile_cache *c, const struct dfile *spare)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = ns_of(ts), max_age = (int64_t)c->max_age * 1000000000;
	char path[4096];
	while (c->disk_lru.oldest) {
		struct dfile *f = LRU_OWNER(c->disk_lru.oldest, struct dfile);
		int expired = max_age && now - f->used > max_age;
		if (f == spare || (c->disk_bytes <= c->disk_budget && !expired))
			break;
		disk_path(c, f->hash, path, sizeof path);
		unlink(path);
		dfile_remove(c, dfind(c, f->hash));
		c->disk_evictions++;
	}
}

struct found_file {
	uint64_t hash;
	size_t bytes;
	int64_t used; /* the modification time, ns */
};

/* Oldest use first; the hash orders the ties a file system with coarse
 * times leaves, so that every start sees the same order. */
static int by_use(const void *a, const void *b)
{
	const struct found_file *x = a, *y = b;
	if (x->used != y->used)
		return (x->used > y->used) - (x->used < y->used);
	return (x->hash > y->hash) - (x->hash < y->hash);
}

/* The files of one subfolder into *files; temporary files a crash left
 * behind are deleted. */
static int scan_folder(const char *folder, struct found_file **files, size_t *n, size_t *cap)
{
	DIR *d = opendir(folder);
	if (!d)
		return errno == ENOENT
		           ? 0
		           : err_set(ERR_IO, "cache: cannot read %s: %s", folder, strerror(errno));
	int rc = 0;
	for (struct dirent *de; rc == 0 && (de = readdir(d));) {
		char *end;
		size_t len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0) {
			unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		uint64_t h = strtoull(de->d_name, &end, 16);
		struct stat sb;
		if (end != de->d_name + 16 || strcmp(end, ".png") != 0 ||
		    fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 1024;
			struct found_file *g = realloc(*files, ncap * sizeof *g);
			if (!g) {
				rc = err_set(ERR_NOMEM, "cache: out of memory");
				break;
			}
			*files = g;
			*cap = ncap;
		}
		(*files)[(*n)++] = (struct found_file){h, (size_t)sb.st_size, ns_of(sb.st_mtim)};
	}
	closedir(d);
	return rc;
}

/* The index of the files earlier runs left, oldest first by time of use,
 * then trimmed to the budget and age. */
static int disk_scan(tile_cache *c)
{
	struct found_file *files = NULL;
	size_t n = 0, cap = 0;
	char folder[4096];
	int rc = 0;
	for (int i = 0; rc == 0 && i < SUBFOLDERS; i++) {
		snprintf(folder, sizeof folder, "%s/%02x", c->dir, (unsigned)i);
		rc = scan_folder(folder, &files, &n, &cap);
	}
	if (n) {
		qsort(files, n, sizeof *files, by_use);
		/* This run's uses come after the earlier runs' even if the clock
		 * went back. */
		atomic_store(&c->last_use, files[n - 1].used);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = dfile_put(c, files[i].hash, files[i].bytes, files[i].used);
	free(files);
	if (rc == 0)
		disk_trim(c, NULL);
	return rc;
}

/* The file of a key: its first line is the key, the rest the tile, so a
 * hash collision is detected rather than served. Returns 1 with *out a new
 * tile, or 0. */
static int disk_read(tile_cache *c, const char *key, uint64_t h, cache_tile **out)
{
	char path[4096], head[MAX_KEY + 1];
	size_t klen = strlen(key);
	struct stat sb;
	struct timespec used = {0, 0};
	cache_tile *t = NULL;
	disk_path(c, h, path, sizeof path);
	int fd = klen < MAX_KEY ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	/* deleted behind the index's back */
	int gone = fd < 0 && klen < MAX_KEY && errno == ENOENT;
	if (fd >= 0) {
		int ours = fstat(fd, &sb) == 0 && (size_t)sb.st_size > klen + 1 &&
		           pread(fd, head, klen + 1, 0) == (ssize_t)(klen + 1) &&
		           memcmp(head, key, klen) == 0 && head[klen] == '\n';
		if (ours && (t = tile_new((size_t)sb.st_size - klen - 1)) &&
		    pread(fd, t->data, t->len, (off_t)klen + 1) != (ssize_t)t->len) {
			cache_tile_release(t);
			t = NULL;
		}
		if (t) /* its use, for the order of eviction in this run and the next */
			disk_touch(fd, used = disk_stamp(c));
		close(fd);
	}
	pthread_mutex_lock(&c->disk_lock);
	if (t)
		dfile_put(c, h, (size_t)sb.st_size, ns_of(used));
	else if (gone && *dfind(c, h))
		dfile_remove(c, dfind(c, h));
	/* The age limit holds on reads too: a server that only serves cached
	 * tiles never writes. */
	disk_trim(c, NULL);
	pthread_mutex_unlock(&c->disk_lock);
	*out = t;
	return t != NULL;
}

static void disk_write(tile_cache *c, const char *key, uint64_t h, const cache_tile *t)
{
	char path[4096], tmp[4200], folder[4096];
	size_t klen = strlen(key);
	if (klen >= MAX_KEY)
		return;
	disk_path(c, h, path, sizeof path);
	snprintf(folder, sizeof folder, "%s/%02x", c->dir, (unsigned)(h >> 56));
	mkdir(folder, 0750);
	snprintf(tmp, sizeof tmp, "%s.%lx.tmp", path, (unsigned long)pthread_self());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return; /* a cache that cannot write still serves */
	struct iovec iov[3] = {{(void *)key, klen}, {"\n", 1}, {(void *)t->data, t->len}};
	size_t total = klen + 1 + t->len;
	int ok = writev(fd, iov, 3) == (ssize_t)total;
	struct timespec used = disk_stamp(c);
	disk_touch(fd, used);
	ok = close(fd) == 0 && ok;
	/* The rename under the lock: a trim in between would delete the new
	 * file and keep counting it. */
	pthread_mutex_lock(&c->disk_lock);
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
	else if (dfile_put(c, h, total, ns_of(used)) < 0)
		unlink(path); /* untracked, it would escape the budget */
	else
		disk_trim(c, *dfind(c, h));
	pthread_mutex_unlock(&c->disk_lock);
}

/* ---- memory tier -------------------------------------------------------- */

int cache_open(const struct cache_options *o, tile_cache **out)
{
	tile_cache *c = calloc(1, sizeof *c);
	int rc = 0;
	*out = NULL;
	if (!c)
		return err_set(ERR_NOMEM, "cache: out of memory");
	c->budget = o->memory_bytes ? o->memory_bytes : (size_t)16 << 20;
	c->disk_budget = o->disk_bytes ? o->disk_bytes : (size_t)1 << 30;
	c->max_age = o->disk_max_age;
	atomic_init(&c->last_use, 0);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	pthread_mutex_init(&c->disk_lock, NULL);
	/* Tiles are about 1 to 20 KiB; a file takes at least a block. */
	c->n_buckets = bucket_count(c->budget, 2048);
	if (!(c->buckets = calloc(c->n_buckets, sizeof *c->buckets))) {
		rc = err_set(ERR_NOMEM, "cache: out of memory");
		goto out;
	}
	if (!o->dir)
		goto out;
	/* Tiles show where offences are: for the daemon's user and group only. */
	if ((rc = datapath_make_dirs(o->dir, 0750)) < 0)
		goto out;
	c->n_dbuckets = bucket_count(c->disk_budget, 2 * BLOCK);
	if (!(c->dir = strdup(o->dir)) ||
	    !(c->dbuckets = calloc(c->n_dbuckets, sizeof *c->dbuckets))) {
		rc = err_set(ERR_NOMEM, "cache: out of memory");
		goto out;
	}
	rc = disk_scan(c);
out:
	if (rc < 0) {
		cache_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static struct entry *find(tile_cache *c, const char *key, uint64_t h)
{
	for (struct entry *e = c->buckets[h & (c->n_buckets - 1)]; e; e = e->next_in_bucket)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void remove_entry(tile_cache *c, struct entry *e)
{
	struct entry **p = &c->buckets[e->hash & (c->n_buckets - 1)];
	while (*p != e)
		p = &(*p)->next_in_bucket;
	*p = e->next_in_bucket;
	if (e->tile) {
		lru_unlink(&c->lru, &e->lru);
		c->stats.memory_bytes -= e->held;
		c->stats.memory_entries--;
		cache_tile_release(e->tile);
	}
	free(e);
}

void cache_free(tile_cache *c)
{
	if (!c)
		return;
	for (size_t b = 0; c->buckets && b < c->n_buckets; b++)
		while (c->buckets[b])
			remove_entry(c, c->buckets[b]);
	while (c->disk_lru.oldest)
		dfile_remove(c, dfind(c, LRU_OWNER(c->disk_lru.oldest, struct dfile)->hash));
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->disk_lock);
	free(c->buckets);
	free(c->dbuckets);
	free(c->dir);
	free(c);
}

/* Keeps tile (the cache's reference) under e and drops the least recently
 * used tiles until the budget holds; a tile that threads are still waiting
 * for stays until they have their references. */
static void keep(tile_cache *c, struct entry *e, cache_tile *tile)
{
	e->tile = tile;
	e->held = held_by(e) + held_by(tile);
	lru_push(&c->lru, &e->lru);
	c->stats.memory_bytes += e->held;
	c->stats.memory_entries++;
	while (c->stats.memory_bytes > c->budget && c->lru.oldest) {
		struct entry *old = LRU_OWNER(c->lru.oldest, struct entry);
		if (old->waiters)
			break;
		remove_entry(c, old);
		c->stats.evictions++;
	}
}

/* A new tile of the bytes fn renders. */
static int render(cache_render_fn fn, void *ctx, cache_tile **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = fn(ctx, &data, &len);
	if (rc == 0 && !(*out = tile_new(len)))
		rc = err_set(ERR_NOMEM, "cache: out of memory");
	if (rc == 0 && len)
		memcpy((*out)->data, data, len);
	free(data);
	return rc;
}

int cache_fetch(tile_cache *c, const char *key, cache_render_fn fn, void *ctx, cache_tile **out,
                int *hit)
{
	uint64_t h = hash_key(key);
	int rc = 0;
	*out = NULL;
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
	if (e && e->tile) {
		c->stats.memory_hits++;
		lru_unlink(&c->lru, &e->lru);
		lru_push(&c->lru, &e->lru);
		atomic_fetch_add(&e->tile->refs, 1);
		*out = e->tile;
		pthread_mutex_unlock(&c->lock);
		return 0;
	}
	/* Claim the key; others asking meanwhile wait for this render. */
	size_t klen = strlen(key);
	if (!(e = calloc(1, sizeof *e + klen + 1))) {
		pthread_mutex_unlock(&c->lock);
		return err_set(ERR_NOMEM, "cache: out of memory");
	}
	memcpy(e->key, key, klen + 1);
	e->hash = h;
	e->rendering = 1;
	e->next_in_bucket = c->buckets[h & (c->n_buckets - 1)];
	c->buckets[h & (c->n_buckets - 1)] = e;
	pthread_mutex_unlock(&c->lock);

	cache_tile *tile = NULL;
	int from_disk = c->dir && disk_read(c, key, h, &tile);
	if (!from_disk) {
		if (hit)
			*hit = 0;
		rc = render(fn, ctx, &tile);
		if (rc == 0 && c->dir)
			disk_write(c, key, h, tile);
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
		atomic_fetch_add(&tile->refs, 1);
		*out = tile;
		keep(c, e, tile);
	} else {
		e->failed = 1;
	}
	pthread_cond_broadcast(&c->done);
	if (rc < 0 && !e->waiters)
		remove_entry(c, e);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void cache_stats(tile_cache *c, struct cache_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_lock(&c->disk_lock);
	out->disk_bytes = c->disk_bytes;
	out->disk_files = c->disk_files;
	out->disk_evictions = c->disk_evictions;
	pthread_mutex_unlock(&c->disk_lock);
}
