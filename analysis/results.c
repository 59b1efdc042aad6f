#include "results.h"

#include "err.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COMPUTING = 1, READY = 0 };

struct results_hold {
	struct results_key key;
	void *value;
	results_free_fn free_fn;
	atomic_ulong holds; /* callers, and 1 while in the cache's list */
	int state;          /* COMPUTING, READY, or the computation's error */
	char msg[256];      /* the error's message and field, for the waiters */
	char field[64];
	size_t bytes;       /* the value's size, as its computation said */
	unsigned long used; /* the cache's clock at the last get */
	struct results_hold *next;
};

struct results {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct results_hold *list; /* ready and computing entries */
	size_t n, bytes, budget;
	unsigned long clock;
	struct results_stats stats;
};

void results_key_init(struct results_key *k, const char *kind)
{
	k->len = 0;
	size_t n = strlen(kind) + 1;
	memcpy(k->bytes, kind, n < RESULTS_KEY_MAX ? n : RESULTS_KEY_MAX);
	k->len = n < RESULTS_KEY_MAX ? n : RESULTS_KEY_MAX;
}

/* Fields are fixed in number and size per kind: running out of room is a
 * bug of the caller, caught by the tests, not outside input. */
static void key_add(struct results_key *k, const void *p, size_t n)
{
	if (k->len + n > RESULTS_KEY_MAX)
		abort();
	memcpy(k->bytes + k->len, p, n);
	k->len += n;
}

void results_key_u64(struct results_key *k, uint64_t v)
{
	key_add(k, &v, sizeof v);
}

void results_key_i64(struct results_key *k, int64_t v)
{
	key_add(k, &v, sizeof v);
}

void results_key_double(struct results_key *k, double v)
{
	if (v == 0)
		v = 0; /* -0.0 */
	if (isnan(v))
		v = NAN;
	key_add(k, &v, sizeof v);
}

void results_key_filter(struct results_key *k, const struct dataset_filter *f)
{
	results_key_i64(k, f->from);
	results_key_i64(k, f->to);
	results_key_u64(k, f->hours);
	results_key_u64(k, f->weekdays);
	for (size_t i = 0; i < SHIFT_WEEK_WORDS; i++)
		results_key_u64(k, f->week[i]);
	results_key_i64(k, f->span_limit);
	for (size_t i = 0; i < sizeof f->categories / sizeof f->categories[0]; i++)
		results_key_u64(k, f->categories[i]);
	for (size_t i = 0; i < sizeof f->services / sizeof f->services[0]; i++)
		results_key_u64(k, f->services[i]);
	results_key_i64(k, f->no_category);
	results_key_i64(k, f->no_service);
}

int results_new(size_t budget, results **out)
{
	results *c = calloc(1, sizeof *c);
	*out = c;
	if (!c)
		return err_set(ERR_NOMEM, "results: out of memory");
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	c->budget = budget;
	return 0;
}

void results_release(results_hold *e)
{
	if (!e || atomic_fetch_sub(&e->holds, 1) != 1)
		return;
	if (e->state == READY && e->free_fn)
		e->free_fn(e->value);
	free(e);
}

/* Under the lock: takes e out of the list, dropping the list's hold. */
static void unlink_locked(results *c, struct results_hold *e)
{
	for (struct results_hold **p = &c->list; *p; p = &(*p)->next)
		if (*p == e) {
			*p = e->next;
			c->n--;
			c->bytes -= e->bytes;
			results_release(e);
			return;
		}
}

/* Under the lock: the least recently used go until the budget holds what
 * stays; keep, the newest, stays even when it alone is over it. */
static void evict_locked(results *c, const struct results_hold *keep)
{
	while (c->bytes > c->budget) {
		struct results_hold *victim = NULL;
		for (struct results_hold *e = c->list; e; e = e->next)
			if (e != keep && e->state != COMPUTING &&
			    (!victim || e->used < victim->used))
				victim = e;
		if (!victim)
			return;
		unlink_locked(c, victim);
		c->stats.evicted++;
	}
}

void results_clear(results *c)
{
	pthread_mutex_lock(&c->lock);
	struct results_hold **p = &c->list;
	while (*p) {
		struct results_hold *e = *p;
		if (e->state == COMPUTING) {
			p = &e->next;
			continue;
		}
		*p = e->next;
		c->n--;
		c->bytes -= e->bytes;
		results_release(e);
	}
	pthread_mutex_unlock(&c->lock);
}

void results_free(results *c)
{
	if (!c)
		return;
	results_clear(c);
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static int same_key(const struct results_key *a, const struct results_key *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

int results_get(results *c, const struct results_key *k, results_compute_fn fn, void *ctx,
                results_free_fn free_fn, const void **value, results_hold **hold)
{
	*value = NULL;
	*hold = NULL;
	pthread_mutex_lock(&c->lock);
	struct results_hold *e = c->list;
	while (e && !same_key(&e->key, k))
		e = e->next;
	if (e) {
		atomic_fetch_add(&e->holds, 1);
		while (e->state == COMPUTING)
			pthread_cond_wait(&c->done, &c->lock);
		int rc = e->state;
		e->used = ++c->clock;
		c->stats.hits++;
		pthread_mutex_unlock(&c->lock);
		if (rc < 0) {
			err_set_field(rc, e->field[0] ? e->field : NULL, "%s", e->msg);
			results_release(e);
			return rc;
		}
		*value = e->value;
		*hold = e;
		return 0;
	}
	e = calloc(1, sizeof *e);
	if (!e) {
		pthread_mutex_unlock(&c->lock);
		return err_set(ERR_NOMEM, "results: out of memory");
	}
	e->key = *k;
	e->free_fn = free_fn;
	e->state = COMPUTING;
	atomic_init(&e->holds, 2); /* ours and the list's */
	e->next = c->list;
	c->list = e;
	c->n++;
	pthread_mutex_unlock(&c->lock);

	void *v = NULL;
	size_t bytes = 0;
	int rc = fn(ctx, &v, &bytes);

	pthread_mutex_lock(&c->lock);
	if (rc < 0) {
		e->state = rc;
		e->used = ++c->clock;
		snprintf(e->msg, sizeof e->msg, "%s", err_msg());
		snprintf(e->field, sizeof e->field, "%s", err_field() ? err_field() : "");
		c->stats.failed++;
		e->bytes = sizeof *e;
		c->bytes += e->bytes;
		if (rc == ERR_INVALID)
			evict_locked(c, e);
		else
			unlink_locked(c, e);
	} else {
		e->value = v;
		e->state = READY;
		e->used = ++c->clock;
		e->bytes = sizeof *e + bytes;
		c->bytes += e->bytes;
		c->stats.computed++;
		evict_locked(c, e);
	}
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
	if (rc < 0) {
		results_release(e);
		return rc;
	}
	*value = v;
	*hold = e;
	return 0;
}

void results_stats(results *c, struct results_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	out->entries = c->n;
	out->bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}

/* The analyses kept here: their parameters as keys, their runs as
 * computations. */

struct run_ctx {
	const dataset *ds;
	const shapes *sh;
	const void *params;
};

/* What a grid of cells holds per cell: count, z and p, bin and mask. */
static size_t grid_bytes(const struct gistar_result *g)
{
	return (size_t)g->width * (size_t)g->height * (3 * sizeof(double) + 2);
}

static int compute_gistar(void *ctx, void **value, size_t *bytes)
{
	const struct run_ctx *x = ctx;
	struct gistar_result *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(ERR_NOMEM, "gistar: out of memory");
	int rc = gistar_run(x->ds, x->sh, x->params, r);
	if (rc < 0) {
		free(r);
		return rc;
	}
	*value = r;
	*bytes = sizeof *r + grid_bytes(r);
	return 0;
}

static void free_gistar(void *value)
{
	gistar_result_free(value);
	free(value);
}

static void key_state(struct results_key *k, const char *kind, const struct dataset_filter *f,
                      unsigned long version, unsigned long generation)
{
	results_key_init(k, kind);
	results_key_u64(k, version);
	results_key_u64(k, generation);
	results_key_filter(k, f);
}

int results_gistar(results *c, const dataset *ds, const shapes *sh, const struct gistar_params *p,
                   unsigned long version, unsigned long generation,
                   const struct gistar_result **out, results_hold **hold)
{
	struct results_key k;
	key_state(&k, "gistar", &p->filter, version, generation);
	results_key_double(&k, p->cell);
	results_key_double(&k, p->band);
	results_key_i64(&k, p->fdr);
	results_key_i64(&k, p->whole_grid);
	results_key_u64(&k, p->max_cells);
	struct run_ctx x = {ds, sh, p};
	const void *v;
	int rc = results_get(c, &k, compute_gistar, &x, free_gistar, &v, hold);
	*out = v;
	return rc;
}

static int compute_trends(void *ctx, void **value, size_t *bytes)
{
	const struct run_ctx *x = ctx;
	struct trends_result *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(ERR_NOMEM, "trends: out of memory");
	int rc = trends_run(x->ds, x->sh, x->params, r);
	if (rc < 0) {
		free(r);
		return rc;
	}
	*value = r;
	/* The whole period's grid, and per cell a category and a week's
	 * figures for each week. */
	*bytes = sizeof *r + grid_bytes(&r->grid) * (size_t)(1 + r->weeks);
	return 0;
}

static void free_trends(void *value)
{
	trends_result_free(value);
	free(value);
}

int results_trends(results *c, const dataset *ds, const shapes *sh, const struct trends_params *p,
                   unsigned long version, unsigned long generation,
                   const struct trends_result **out, results_hold **hold)
{
	struct results_key k;
	key_state(&k, "trends", &p->filter, version, generation);
	results_key_i64(&k, p->weeks);
	results_key_double(&k, p->cell);
	results_key_double(&k, p->band);
	results_key_double(&k, p->alpha);
	results_key_u64(&k, p->max_cells);
	struct run_ctx x = {ds, sh, p};
	const void *v;
	int rc = results_get(c, &k, compute_trends, &x, free_trends, &v, hold);
	*out = v;
	return rc;
}
