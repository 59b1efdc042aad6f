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

struct run_ctx;

/* One analysis as the cache runs it: run fills a zeroed value of size
 * bytes, and on failure leaves nothing to free; bytes counts what the
 * value holds beyond size. */
struct analysis {
	const char *name;
	size_t size;
	int (*run)(const struct run_ctx *x, void *value);
	size_t (*bytes)(const void *value);
};

struct run_ctx {
	const struct analysis *a;
	results *c;
	const struct results_state *s;
	const void *params;
	const char *date;               /* coverage */
	const struct dosage_params *dp; /* dosage */
	store *st;                      /* dosage */
};

static int compute(void *ctx, void **value, size_t *bytes)
{
	const struct run_ctx *x = ctx;
	void *v = calloc(1, x->a->size);
	if (!v)
		return err_set(ERR_NOMEM, "%s: out of memory", x->a->name);
	int rc = x->a->run(x, v);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*value = v;
	*bytes = x->a->size + x->a->bytes(v);
	return 0;
}

/* What a grid of cells holds per cell: count, z and p, bin and mask. */
static size_t grid_bytes(const struct gistar_result *g)
{
	return (size_t)g->width * (size_t)g->height * (3 * sizeof(double) + 2);
}

static int run_gistar(const struct run_ctx *x, void *value)
{
	return gistar_run(x->s->ds, x->s->sh, x->params, value);
}

static size_t gistar_bytes(const void *value)
{
	return grid_bytes(value);
}

static void free_gistar(void *value)
{
	gistar_result_free(value);
	free(value);
}

static const struct analysis gistar_analysis = {"gistar", sizeof(struct gistar_result), run_gistar,
                                                gistar_bytes};

static void key_state(struct results_key *k, const char *kind, const struct results_state *s,
                      const struct dataset_filter *f)
{
	results_key_init(k, kind);
	results_key_u64(k, s->version);
	results_key_u64(k, s->generation);
	results_key_filter(k, f);
}

int results_gistar(results *c, const struct results_state *s, const struct gistar_params *p,
                   const struct gistar_result **out, results_hold **hold)
{
	struct results_key k;
	key_state(&k, "gistar", s, &p->filter);
	results_key_double(&k, p->cell);
	results_key_double(&k, p->band);
	results_key_i64(&k, p->fdr);
	results_key_i64(&k, p->whole_grid);
	results_key_u64(&k, p->max_cells);
	struct run_ctx x = {.a = &gistar_analysis, .s = s, .params = p};
	const void *v;
	int rc = results_get(c, &k, compute, &x, free_gistar, &v, hold);
	*out = v;
	return rc;
}

static int run_trends(const struct run_ctx *x, void *value)
{
	return trends_run(x->s->ds, x->s->sh, x->params, value);
}

/* The whole period's grid, and per cell a category and a week's figures
 * for each week. */
static size_t trends_bytes(const void *value)
{
	const struct trends_result *r = value;
	return grid_bytes(&r->grid) * (size_t)(1 + r->weeks);
}

static void free_trends(void *value)
{
	trends_result_free(value);
	free(value);
}

static const struct analysis trends_analysis = {"trends", sizeof(struct trends_result), run_trends,
                                                trends_bytes};

int results_trends(results *c, const struct results_state *s, const struct trends_params *p,
                   const struct trends_result **out, results_hold **hold)
{
	struct results_key k;
	key_state(&k, "trends", s, &p->filter);
	results_key_i64(&k, p->weeks);
	results_key_double(&k, p->cell);
	results_key_double(&k, p->band);
	results_key_double(&k, p->alpha);
	results_key_u64(&k, p->max_cells);
	struct run_ctx x = {.a = &trends_analysis, .s = s, .params = p};
	const void *v;
	int rc = results_get(c, &k, compute, &x, free_trends, &v, hold);
	*out = v;
	return rc;
}

static int run_hotspots(const struct run_ctx *x, void *value)
{
	return hotspot_find(x->s->ds, x->s->sh, x->params, value);
}

/* The hotspots' arrays: items, their categories and polygons, the grid. */
static size_t set_bytes(const void *value)
{
	const struct hotspot_set *set = value;
	size_t b = (size_t)set->width * (size_t)set->height * sizeof *set->label;
	for (size_t i = 0; i < set->n; i++) {
		const struct hotspot_polygon *pg = &set->items[i].poly;
		b += sizeof set->items[i] + set->n_categories * sizeof(double) +
		     (size_t)pg->ring_start[pg->n_rings] * 2 * sizeof(double) +
		     (pg->n_rings + pg->n_parts + 2) * sizeof(uint32_t);
	}
	return b;
}

static void free_hotspots(void *value)
{
	hotspot_set_free(value);
	free(value);
}

static const struct analysis hotspots_analysis = {"hotspots", sizeof(struct hotspot_set),
                                                  run_hotspots, set_bytes};

/* A shift or none (NULL). */
static void key_shift(struct results_key *k, const struct shift *sh)
{
	results_key_i64(k, sh != NULL);
	if (sh) {
		results_key_i64(k, sh->start);
		results_key_i64(k, sh->end);
		results_key_u64(k, sh->weekdays);
	}
}

void results_key_hotspots(struct results_key *k, const char *kind, const struct results_state *s,
                          const struct hotspot_params *p)
{
	key_state(k, kind, s, &p->filter);
	key_shift(k, p->shift);
	results_key_double(k, p->share);
	results_key_double(k, p->cell);
	results_key_i64(k, p->kernel);
	results_key_double(k, p->bandwidth);
}

int results_hotspots(results *c, const struct results_state *s, const struct hotspot_params *p,
                     const struct hotspot_set **out, results_hold **hold)
{
	*out = NULL;
	*hold = NULL;
	/* A weight per category would make keys of kilobytes; nothing that
	 * shares hotspots weighs them. */
	if (p->weights)
		return err_set(ERR_INVALID, "results: weighted hotspots are not kept");
	struct results_key k;
	results_key_hotspots(&k, "hotspots", s, p);
	struct run_ctx x = {.a = &hotspots_analysis, .s = s, .params = p};
	const void *v;
	int rc = results_get(c, &k, compute, &x, free_hotspots, &v, hold);
	*out = v;
	return rc;
}

/* A result computed on a shift's hotspots, which it keeps held. */
struct on_hotspots {
	results_hold *set_hold;
	union {
		struct coverage coverage;
		struct dosage_result dose;
	} u;
	char date[16]; /* the coverage's, which it borrows */
};

/* Runs of coverage and dosage on the hotspots of x's parameters: on
 * failure, the hotspots are let go. */
static int run_on_hotspots(const struct run_ctx *x, struct on_hotspots *o,
                           int (*run)(const struct run_ctx *x, const struct hotspot_set *set,
                                      struct on_hotspots *o))
{
	const struct hotspot_set *set;
	int rc = results_hotspots(x->c, x->s, x->params, &set, &o->set_hold);
	if (rc < 0)
		return rc;
	if ((rc = run(x, set, o)) < 0)
		results_release(o->set_hold);
	return rc;
}

static int coverage_of(const struct run_ctx *x, const struct hotspot_set *set,
                       struct on_hotspots *o)
{
	struct coverage_params cp = {0};
	if (x->date) {
		snprintf(o->date, sizeof o->date, "%s", x->date);
		cp.date = o->date;
	}
	return coverage_compute(x->s->ds, x->s->sh, set, &cp, &o->u.coverage);
}

static int run_coverage(const struct run_ctx *x, void *value)
{
	return run_on_hotspots(x, value, coverage_of);
}

static size_t coverage_bytes(const void *value)
{
	const struct coverage *cv = &((const struct on_hotspots *)value)->u.coverage;
	size_t b = cv->n_assignments * sizeof *cv->assignments +
	           (cv->n_units + cv->n_services) * sizeof *cv->units;
	for (size_t i = 0; i < cv->n_hotspots; i++)
		b += sizeof *cv->hotspots + cv->hotspots[i].n_covered_by * sizeof(size_t);
	for (size_t i = 0; i < cv->n_mahallas; i++)
		b += sizeof *cv->mahallas + cv->mahallas[i].n * sizeof(size_t);
	return b;
}

static void free_coverage(void *value)
{
	struct on_hotspots *o = value;
	coverage_free(&o->u.coverage);
	results_release(o->set_hold);
	free(o);
}

static const struct analysis coverage_analysis = {"coverage", sizeof(struct on_hotspots),
                                                  run_coverage, coverage_bytes};

int results_coverage(results *c, const struct results_state *s, const struct hotspot_params *p,
                     const char *date, const struct coverage **out, results_hold **hold)
{
	*out = NULL;
	*hold = NULL;
	/* Longer than any date: refused as coverage_compute() refuses a
	 * malformed one, before it could lengthen the key. */
	if (date && strlen(date) >= sizeof((struct on_hotspots *)0)->date)
		return err_set_field(ERR_INVALID, "date",
		                     "date: '%.32s...' is not a date YYYY-MM-DD", date);
	struct results_key k;
	results_key_hotspots(&k, "coverage", s, p);
	results_key_i64(&k, date != NULL);
	if (date)
		key_add(&k, date, strlen(date) + 1);
	struct run_ctx x = {.a = &coverage_analysis, .c = c, .s = s, .params = p, .date = date};
	const void *v;
	int rc = results_get(c, &k, compute, &x, free_coverage, &v, hold);
	if (rc == 0)
		*out = &((const struct on_hotspots *)v)->u.coverage;
	return rc;
}

static int dose_of(const struct run_ctx *x, const struct hotspot_set *set, struct on_hotspots *o)
{
	return dosage_from_store(x->st, set, x->dp, &o->u.dose);
}

static int run_dosage(const struct run_ctx *x, void *value)
{
	return run_on_hotspots(x, value, dose_of);
}

static size_t dose_bytes(const void *value)
{
	const struct dosage_result *d = &((const struct on_hotspots *)value)->u.dose;
	size_t b = d->n_names * sizeof *d->names;
	for (size_t i = 0; i < d->n; i++)
		b += sizeof *d->items + d->items[i].n_units * sizeof *d->items[i].units;
	return b;
}

static void free_dosage(void *value)
{
	struct on_hotspots *o = value;
	dosage_result_free(&o->u.dose);
	results_release(o->set_hold);
	free(o);
}

static const struct analysis dosage_analysis = {"dosage", sizeof(struct on_hotspots), run_dosage,
                                                dose_bytes};

int results_dosage(results *c, const struct results_state *s, const struct hotspot_params *p,
                   const struct dosage_params *dp, store *st, unsigned long tracks,
                   const struct dosage_result **out, results_hold **hold)
{
	struct results_key k;
	*out = NULL;
	*hold = NULL;
	results_key_hotspots(&k, "dosage", s, p);
	results_key_u64(&k, tracks);
	key_shift(&k, dp->shift);
	results_key_i64(&k, dp->from_day);
	results_key_i64(&k, dp->to_day);
	results_key_double(&k, dp->target_minutes);
	results_key_i64(&k, dp->target_visits);
	results_key_i64(&k, dp->max_interp);
	struct run_ctx x = {.a = &dosage_analysis, .c = c, .s = s, .params = p, .dp = dp, .st = st};
	const void *v;
	int rc = results_get(c, &k, compute, &x, free_dosage, &v, hold);
	if (rc == 0)
		*out = &((const struct on_hotspots *)v)->u.dose;
	return rc;
}
