/* cache: memory LRU under a budget that counts what is held, disk tier
 * across restarts under a budget and an age limit (the LRU order kept to
 * the use, the limit enforced by reads too), shared tiles that
 * outlive eviction, one render for concurrent requests, failures not
 * cached. */
#include "testutil.h"

#include "cache.h"
#include "err.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct counter {
	pthread_mutex_t lock;
	int renders;
	int fail;
	int slow_ms;
	size_t pad; /* tile bytes after the text (zeros) */
	char text[64];
};

/* The counter's text (and pad zeros), in a buffer of 16 KiB, as large as
 * PNG encoders make theirs. */
static int render_text(void *ctx, unsigned char **data, size_t *len)
{
	struct counter *c = ctx;
	pthread_mutex_lock(&c->lock);
	c->renders++;
	int fail = c->fail;
	pthread_mutex_unlock(&c->lock);
	if (c->slow_ms) {
		struct timespec ts = {0, c->slow_ms * 1000000L};
		nanosleep(&ts, NULL);
	}
	if (fail)
		return err_set(ERR_IO, "render failed");
	*len = strlen(c->text) + c->pad;
	*data = calloc(1, *len > 16384 ? *len : 16384);
	memcpy(*data, c->text, strlen(c->text));
	return 0;
}

static void fetch_expect(tile_cache *tc, const char *key, struct counter *c, const char *want,
                         int want_hit)
{
	cache_tile *t;
	size_t n;
	int hit;
	assert_int_equal(cache_fetch(tc, key, render_text, c, &t, &hit), 0);
	const unsigned char *d = cache_tile_data(t, &n);
	assert_int_equal(n, strlen(want) + c->pad);
	assert_memory_equal(d, want, strlen(want));
	assert_int_equal(hit, want_hit);
	cache_tile_release(t);
}

/* Fetches tile i of a numbered series: key "prefix/i", text "tile i". */
static void fetch_numbered(tile_cache *tc, struct counter *c, const char *prefix, int i,
                           int want_hit)
{
	char key[32];
	snprintf(key, sizeof key, "%s/%d", prefix, i);
	snprintf(c->text, sizeof c->text, "tile %d", i);
	fetch_expect(tc, key, c, c->text, want_hit);
}

/* What the memory tier counts for one tile of key "a/1" and 9 bytes. */
static size_t bytes_of_one_tile(struct counter *c)
{
	tile_cache *tc;
	struct cache_stats s;
	struct cache_options o = {.memory_bytes = 1 << 20};
	assert_int_equal(cache_open(&o, &tc), 0);
	snprintf(c->text, sizeof c->text, "tile-0000");
	fetch_expect(tc, "a/1", c, c->text, 0);
	cache_stats(tc, &s);
	cache_free(tc);
	return s.memory_bytes;
}

static void test_memory_lru_and_disk(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), sub[700];
	testutil_path(sub, sizeof sub, dir, "tiles");
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER};
	/* The tile, its entry and key, not the renderer's 16 KiB buffer, nor
	 * only the 9 bytes. */
	size_t one = bytes_of_one_tile(&c);
	assert_true(one > 9 + strlen("a/1"));
	assert_true(one < 1024);
	c.renders = 0;
	tile_cache *tc;
	/* room for three tiles, not four */
	struct cache_options o = {.memory_bytes = 3 * one + one / 2, .dir = sub};
	assert_int_equal(cache_open(&o, &tc), 0);
	const char *keys[] = {"a/1", "a/2", "a/3", "a/4"};
	for (int i = 0; i < 4; i++) {
		snprintf(c.text, sizeof c.text, "tile-%04d", i);
		fetch_expect(tc, keys[i], &c, c.text, 0);
	}
	assert_int_equal(c.renders, 4);
	struct cache_stats s;
	cache_stats(tc, &s);
	assert_int_equal(s.memory_entries, 3);
	assert_int_equal(s.memory_bytes, 3 * one);
	assert_int_equal(s.evictions, 1);
	assert_int_equal(s.disk_files, 4);
	assert_int_equal(s.disk_bytes, 4 * 4096);
	/* a/1 was evicted from memory but is on disk */
	fetch_expect(tc, "a/1", &c, "tile-0000", 1);
	assert_int_equal(c.renders, 4);
	fetch_expect(tc, "a/4", &c, "tile-0003", 1);
	cache_stats(tc, &s);
	assert_int_equal(s.disk_hits, 1);
	assert_int_equal(s.memory_hits, 1);
	cache_free(tc);
	/* a new cache on the same folder counts its files and serves them */
	assert_int_equal(cache_open(&o, &tc), 0);
	cache_stats(tc, &s);
	assert_int_equal(s.disk_files, 4);
	fetch_expect(tc, "a/2", &c, "tile-0001", 1);
	assert_int_equal(c.renders, 4);
	/* failures are not cached */
	c.fail = 1;
	cache_tile *t;
	assert_int_equal(cache_fetch(tc, "b/1", render_text, &c, &t, NULL), ERR_IO);
	assert_null(t);
	c.fail = 0;
	snprintf(c.text, sizeof c.text, "ok");
	fetch_expect(tc, "b/1", &c, "ok", 0);
	cache_free(tc);
	testutil_rmtree(dir);
}

static void test_tile_outlives_eviction_and_cache(void **state)
{
	(void)state;
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .pad = 3000};
	tile_cache *tc;
	struct cache_options o = {.memory_bytes = 4096}; /* one tile at a time */
	assert_int_equal(cache_open(&o, &tc), 0);
	cache_tile *held, *again;
	snprintf(c.text, sizeof c.text, "first");
	assert_int_equal(cache_fetch(tc, "k/1", render_text, &c, &held, NULL), 0);
	/* a hit hands out the same bytes, not a copy */
	assert_int_equal(cache_fetch(tc, "k/1", render_text, &c, &again, NULL), 0);
	size_t n1, n2;
	assert_ptr_equal(cache_tile_data(held, &n1), cache_tile_data(again, &n2));
	cache_tile_release(again);
	snprintf(c.text, sizeof c.text, "second");
	fetch_expect(tc, "k/2", &c, "second", 0);
	struct cache_stats s;
	cache_stats(tc, &s);
	assert_int_equal(s.memory_entries, 1);
	assert_int_equal(s.evictions, 1);
	cache_free(tc);
	/* evicted and the cache gone: still readable (ASan checks) */
	size_t n;
	const unsigned char *d = cache_tile_data(held, &n);
	assert_int_equal(n, 5 + 3000);
	assert_memory_equal(d, "first", 5);
	cache_tile_release(held);
	cache_tile_release(NULL);
}

/* The tile files under dir: their number and the bytes they take in 4 KiB
 * blocks; with mtime >= 0, each file's times set to it. */
static void folder_usage(const char *dir, size_t *files, size_t *bytes, time_t mtime)
{
	*files = *bytes = 0;
	for (int i = 0; i < 256; i++) {
		char sub[800];
		snprintf(sub, sizeof sub, "%s/%02x", dir, (unsigned)i);
		DIR *d = opendir(sub);
		if (!d)
			continue;
		for (struct dirent *de; (de = readdir(d));) {
			struct stat sb;
			if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &sb, 0) != 0)
				continue;
			if (mtime >= 0) {
				struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
				assert_int_equal(utimensat(dirfd(d), de->d_name, ts, 0), 0);
			}
			(*files)++;
			*bytes += ((size_t)sb.st_size + 4095) / 4096 * 4096;
		}
		closedir(d);
	}
}

static void test_disk_budget_keeps_the_newest(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), sub[700];
	testutil_path(sub, sizeof sub, dir, "tiles");
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .pad = 1000};
	/* 16 files of one block each; the memory tier holds none for long */
	struct cache_options o = {.memory_bytes = 1, .dir = sub, .disk_bytes = 16 * 4096};
	tile_cache *tc;
	assert_int_equal(cache_open(&o, &tc), 0);
	for (int i = 0; i < 60; i++) {
		fetch_numbered(tc, &c, "d", i, 0);
		size_t files, bytes;
		folder_usage(sub, &files, &bytes, -1);
		assert_true(bytes <= o.disk_bytes);
	}
	struct cache_stats s;
	cache_stats(tc, &s);
	assert_int_equal(s.disk_files, 16);
	assert_int_equal(s.disk_bytes, 16 * 4096);
	assert_int_equal(s.disk_evictions, 60 - 16);
	cache_free(tc);
	/* After a restart the newest are served from disk, not rendered. */
	assert_int_equal(cache_open(&o, &tc), 0);
	int renders = c.renders;
	for (int i = 60 - 16; i < 60; i++)
		fetch_numbered(tc, &c, "d", i, 1);
	assert_int_equal(c.renders, renders);
	fetch_expect(tc, "d/0", &c, "tile 59", 0);
	cache_free(tc);

	/* A smaller budget at start trims what earlier runs left... */
	size_t files, bytes;
	o.disk_bytes = 4 * 4096;
	assert_int_equal(cache_open(&o, &tc), 0);
	cache_free(tc);
	folder_usage(sub, &files, &bytes, -1);
	assert_int_equal(files, 4);
	/* ...and files unused for longer than the age limit go. */
	folder_usage(sub, &files, &bytes, time(NULL) - 7200);
	o.disk_max_age = 3600;
	assert_int_equal(cache_open(&o, &tc), 0);
	cache_stats(tc, &s);
	assert_int_equal(s.disk_files, 0);
	cache_free(tc);
	folder_usage(sub, &files, &bytes, -1);
	assert_int_equal(files, 0);
	testutil_rmtree(dir);
}

/* After a restart the budget keeps exactly the tiles used last, however
 * many uses fell in the same second. */
static void test_restart_keeps_the_most_recently_used(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), sub[700];
	testutil_path(sub, sizeof sub, dir, "tiles");
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .pad = 1000};
	/* one block a tile; the memory tier keeps none, so reads go to disk */
	struct cache_options o = {.memory_bytes = 1, .dir = sub, .disk_bytes = 12 * 4096};
	tile_cache *tc;
	assert_int_equal(cache_open(&o, &tc), 0);
	for (int i = 0; i < 12; i++)
		fetch_numbered(tc, &c, "r", i, 0);
	/* three old ones read again, now the most recent in this order */
	const int used[] = {2, 7, 0};
	for (int i = 0; i < 3; i++)
		fetch_numbered(tc, &c, "r", used[i], 1);
	cache_free(tc);
	int renders = c.renders;
	size_t files, bytes;
	/* Each smaller budget keeps the last ones used, and only them. */
	for (size_t keep = 3; keep >= 1; keep--) {
		o.disk_bytes = keep * 4096;
		assert_int_equal(cache_open(&o, &tc), 0);
		cache_free(tc);
		folder_usage(sub, &files, &bytes, -1);
		assert_int_equal(files, keep);
		/* served from disk, read in their order of use, which stays */
		assert_int_equal(cache_open(&o, &tc), 0);
		for (size_t i = 3 - keep; i < 3; i++)
			fetch_numbered(tc, &c, "r", used[i], 1);
		cache_free(tc);
		assert_int_equal(c.renders, renders);
	}
	testutil_rmtree(dir);
}

/* Fetches key with a renderer that fails, so nothing is written, until the
 * disk tier holds want files or 10 s have passed; returns whether it did. */
static int read_until_files(tile_cache *tc, const char *key, size_t want)
{
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .fail = 1};
	struct timespec start, now, pause = {0, 10 * 1000000L};
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		cache_tile *t;
		struct cache_stats s;
		cache_fetch(tc, key, render_text, &c, &t, NULL);
		cache_tile_release(t);
		cache_stats(tc, &s);
		if (s.disk_files == want)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 10)
			return 0;
		nanosleep(&pause, NULL);
	}
}

/* Tiles "old/a" and "old/b" on disk, last used a few seconds short of the
 * age limit o->disk_max_age; then the cache opened on them. */
static tile_cache *open_near_the_age_limit(struct cache_options *o)
{
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .pad = 1000};
	tile_cache *tc;
	size_t files, bytes;
	struct cache_stats s;
	assert_int_equal(cache_open(o, &tc), 0);
	fetch_expect(tc, "old/a", &c, "", 0);
	fetch_expect(tc, "old/b", &c, "", 0);
	cache_free(tc);
	folder_usage(o->dir, &files, &bytes, time(NULL) - (time_t)o->disk_max_age + 3);
	assert_int_equal(files, 2);
	assert_int_equal(cache_open(o, &tc), 0);
	cache_stats(tc, &s);
	assert_int_equal(s.disk_files, 2);
	return tc;
}

/* A server that only reads still deletes the files past the age limit. */
static void test_reads_enforce_the_age_limit(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), sub[700];
	testutil_path(sub, sizeof sub, dir, "tiles");
	struct cache_options o = {.memory_bytes = 1, .dir = sub, .disk_max_age = 3600};
	size_t files, bytes;
	/* on misses: both go */
	tile_cache *tc = open_near_the_age_limit(&o);
	assert_true(read_until_files(tc, "missing", 0));
	cache_free(tc);
	folder_usage(sub, &files, &bytes, -1);
	assert_int_equal(files, 0);
	/* on hits: the tile read stays, the other goes */
	tc = open_near_the_age_limit(&o);
	assert_true(read_until_files(tc, "old/a", 1));
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .fail = 1, .pad = 1000};
	fetch_expect(tc, "old/a", &c, "", 1);
	cache_free(tc);
	folder_usage(sub, &files, &bytes, -1);
	assert_int_equal(files, 1);
	testutil_rmtree(dir);
}

struct worker {
	tile_cache *tc;
	struct counter *c;
	int ok;
};

static void *fetch_thread(void *p)
{
	struct worker *w = p;
	cache_tile *t;
	size_t n;
	if (cache_fetch(w->tc, "same/tile", render_text, w->c, &t, NULL) == 0) {
		const unsigned char *d = cache_tile_data(t, &n);
		w->ok = n == 4 && memcmp(d, "once", 4) == 0;
		cache_tile_release(t);
	}
	return NULL;
}

static void test_concurrent_requests_render_once(void **state)
{
	(void)state;
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .slow_ms = 100};
	snprintf(c.text, sizeof c.text, "once");
	tile_cache *tc;
	struct cache_options o = {.memory_bytes = 1 << 20};
	assert_int_equal(cache_open(&o, &tc), 0);
	pthread_t t[8];
	struct worker w[8];
	for (int i = 0; i < 8; i++) {
		w[i] = (struct worker){tc, &c, 0};
		assert_int_equal(pthread_create(&t[i], NULL, fetch_thread, &w[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_true(w[i].ok);
	}
	assert_int_equal(c.renders, 1);
	cache_free(tc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_lru_and_disk),
	    cmocka_unit_test(test_tile_outlives_eviction_and_cache),
	    cmocka_unit_test(test_disk_budget_keeps_the_newest),
	    cmocka_unit_test(test_restart_keeps_the_most_recently_used),
	    cmocka_unit_test(test_reads_enforce_the_age_limit),
	    cmocka_unit_test(test_concurrent_requests_render_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
