/* cache: memory LRU under a budget, disk tier across restarts, one render
 * for concurrent requests, failures not cached. */
#include "testutil.h"

#include "cache.h"
#include "err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct counter {
	pthread_mutex_t lock;
	int renders;
	int fail;
	int slow_ms;
	char text[64];
};

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
	*len = strlen(c->text);
	*data = malloc(*len);
	memcpy(*data, c->text, *len);
	return 0;
}

static void fetch_expect(tile_cache *tc, const char *key, struct counter *c, const char *want,
                         int want_hit)
{
	unsigned char *d;
	size_t n;
	int hit;
	assert_int_equal(cache_fetch(tc, key, render_text, c, &d, &n, &hit), 0);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(d, want, n);
	assert_int_equal(hit, want_hit);
	free(d);
}

static void test_memory_lru_and_disk(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir(), sub[700];
	testutil_path(sub, sizeof sub, dir, "tiles");
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER};
	tile_cache *tc;
	/* room for three 10-byte tiles */
	struct cache_options o = {.memory_bytes = 30, .dir = sub};
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
	assert_int_equal(s.evictions, 1);
	/* a/1 was evicted from memory but is on disk */
	fetch_expect(tc, "a/1", &c, "tile-0000", 1);
	assert_int_equal(c.renders, 4);
	fetch_expect(tc, "a/4", &c, "tile-0003", 1);
	cache_stats(tc, &s);
	assert_int_equal(s.disk_hits, 1);
	assert_int_equal(s.memory_hits, 1);
	cache_free(tc);
	/* a new cache on the same folder serves from disk */
	assert_int_equal(cache_open(&o, &tc), 0);
	fetch_expect(tc, "a/2", &c, "tile-0001", 1);
	assert_int_equal(c.renders, 4);
	/* failures are not cached */
	c.fail = 1;
	unsigned char *d;
	size_t n;
	assert_int_equal(cache_fetch(tc, "b/1", render_text, &c, &d, &n, NULL), ERR_IO);
	c.fail = 0;
	snprintf(c.text, sizeof c.text, "ok");
	fetch_expect(tc, "b/1", &c, "ok", 0);
	cache_free(tc);
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
	unsigned char *d;
	size_t n;
	w->ok = cache_fetch(w->tc, "same/tile", render_text, w->c, &d, &n, NULL) == 0 && n == 4 &&
	        memcmp(d, "once", 4) == 0;
	free(d);
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
	    cmocka_unit_test(test_concurrent_requests_render_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
