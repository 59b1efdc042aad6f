/* results: keys written field by field, one computation however many
 * threads ask, the byte budget with holds that outlive eviction, refusals
 * kept and other failures not, and Gi* and trends shared on a real store. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "results.h"
#include "shapes.h"
#include "store.h"
#include "timeparse.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static int same(const struct results_key *a, const struct results_key *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* A filter whose padding holds fill, as a struct on the stack may. */
static void filter_with_padding(struct dataset_filter *f, int fill)
{
	memset(f, fill, sizeof *f);
	struct dataset_filter all;
	dataset_filter_all(&all);
	f->from = all.from;
	f->to = all.to;
	f->hours = all.hours;
	f->weekdays = all.weekdays;
	memcpy(f->week, all.week, sizeof f->week);
	f->span_limit = all.span_limit;
	memcpy(f->categories, all.categories, sizeof f->categories);
	memcpy(f->services, all.services, sizeof f->services);
	f->no_category = all.no_category;
	f->no_service = all.no_service;
}

static void test_keys_are_fields_not_bytes(void **state)
{
	(void)state;
	struct dataset_filter a, b;
	filter_with_padding(&a, 0x00);
	filter_with_padding(&b, 0xA5);
	struct results_key ka, kb;
	results_key_init(&ka, "x");
	results_key_filter(&ka, &a);
	results_key_double(&ka, 0.0);
	results_key_init(&kb, "x");
	results_key_filter(&kb, &b);
	results_key_double(&kb, -0.0);
	assert_true(same(&ka, &kb));

	/* Each field counts: the hours, a category, the kind. */
	b.hours &= ~1u;
	results_key_init(&kb, "x");
	results_key_filter(&kb, &b);
	results_key_double(&kb, 0.0);
	assert_false(same(&ka, &kb));
	filter_with_padding(&b, 0);
	b.categories[0] &= ~1ull;
	results_key_init(&kb, "x");
	results_key_filter(&kb, &b);
	results_key_double(&kb, 0.0);
	assert_false(same(&ka, &kb));
	results_key_init(&kb, "y");
	results_key_filter(&kb, &a);
	results_key_double(&kb, 0.0);
	assert_false(same(&ka, &kb));
}

/* A computation that counts its calls and waits for the test's word, so
 * that the asking threads pile up on it. */
struct slow {
	atomic_int entered; /* askers about to call results_get() */
	atomic_int calls;
	atomic_int go;
	int fail; /* 0, or the error to fail with */
	size_t bytes;
};

static int compute_slow(void *ctx, void **value, size_t *bytes)
{
	struct slow *s = ctx;
	atomic_fetch_add(&s->calls, 1);
	while (!atomic_load(&s->go))
		sched_yield();
	if (s->fail)
		return err_set_field(s->fail, "slow", "slow: failed as asked");
	int *v = malloc(sizeof *v);
	if (!v)
		return err_set(ERR_NOMEM, "slow: out of memory");
	*v = 42;
	*value = v;
	*bytes = s->bytes;
	return 0;
}

struct asker {
	results *c;
	struct slow *s;
	const void *value;
	int rc;
	pthread_t thread;
};

static void *ask(void *p)
{
	struct asker *a = p;
	struct results_key k;
	results_key_init(&k, "slow");
	results_hold *hold;
	atomic_fetch_add(&a->s->entered, 1);
	a->rc = results_get(a->c, &k, compute_slow, a->s, free, &a->value, &hold);
	results_release(hold);
	return NULL;
}

static void test_one_computation_for_many_threads(void **state)
{
	(void)state;
	results *c;
	assert_int_equal(results_new(1 << 20, &c), 0);
	struct slow s = {.bytes = 4};
	struct asker a[4];
	for (int i = 0; i < 4; i++) {
		a[i] = (struct asker){c, &s, NULL, -1, 0};
		assert_int_equal(pthread_create(&a[i].thread, NULL, ask, &a[i]), 0);
	}
	/* Every asker has come, and the first is computing: let it finish. */
	while (atomic_load(&s.calls) == 0 || atomic_load(&s.entered) < 4)
		sched_yield();
	atomic_store(&s.go, 1);
	for (int i = 0; i < 4; i++) {
		pthread_join(a[i].thread, NULL);
		assert_int_equal(a[i].rc, 0);
		assert_ptr_equal(a[i].value, a[0].value);
	}
	assert_int_equal(atomic_load(&s.calls), 1);
	struct results_stats st;
	results_stats(c, &st);
	assert_int_equal(st.computed, 1);
	assert_int_equal(st.hits, 3);
	results_free(c);
}

static int get(results *c, const char *kind, struct slow *s, const void **v, results_hold **h)
{
	struct results_key k;
	results_key_init(&k, kind);
	return results_get(c, &k, compute_slow, s, free, v, h);
}

static void test_budget_and_holds(void **state)
{
	(void)state;
	results *c;
	/* Room for two values of 100 000 bytes with their entries, not three. */
	assert_int_equal(results_new(250000, &c), 0);
	struct slow s = {.bytes = 100000};
	atomic_store(&s.go, 1);
	const void *va, *vb, *vc;
	results_hold *ha, *hb, *hc;
	assert_int_equal(get(c, "a", &s, &va, &ha), 0);
	assert_int_equal(get(c, "b", &s, &vb, &hb), 0);
	results_release(hb);
	assert_int_equal(get(c, "b", &s, &vb, &hb), 0); /* b is now the newer */
	results_release(hb);
	assert_int_equal(get(c, "c", &s, &vc, &hc), 0);
	struct results_stats st;
	results_stats(c, &st);
	assert_int_equal(st.evicted, 1);
	assert_int_equal(st.entries, 2);
	/* a was the least recently used and went, but our hold keeps it. */
	assert_int_equal(*(const int *)va, 42);
	assert_int_equal(atomic_load(&s.calls), 3);
	assert_int_equal(get(c, "b", &s, &vb, &hb), 0);
	assert_int_equal(atomic_load(&s.calls), 3); /* b stayed */
	results_release(hb);
	const void *again;
	assert_int_equal(get(c, "a", &s, &again, &hb), 0);
	assert_ptr_not_equal(again, va);
	assert_int_equal(atomic_load(&s.calls), 4); /* a is computed again */
	results_release(hb);

	/* A value larger than the budget is kept while it is the newest. */
	s.bytes = 1 << 20;
	const void *vbig;
	results_hold *hbig;
	assert_int_equal(get(c, "big", &s, &vbig, &hbig), 0);
	results_stats(c, &st);
	assert_int_equal(st.entries, 1);
	/* Holds outlive the cache. */
	results_free(c);
	assert_int_equal(*(const int *)va, 42);
	assert_int_equal(*(const int *)vc, 42);
	assert_int_equal(*(const int *)vbig, 42);
	results_release(ha);
	results_release(hc);
	results_release(hbig);
}

static void test_refusals_kept_failures_not(void **state)
{
	(void)state;
	results *c;
	assert_int_equal(results_new(1 << 20, &c), 0);
	struct slow s = {.fail = ERR_INVALID};
	atomic_store(&s.go, 1);
	const void *v;
	results_hold *h;
	assert_int_equal(get(c, "refused", &s, &v, &h), ERR_INVALID);
	assert_null(h);
	assert_int_equal(get(c, "refused", &s, &v, &h), ERR_INVALID);
	assert_string_equal(err_msg(), "slow: failed as asked");
	assert_string_equal(err_field(), "slow"); /* a kept refusal names its field too */
	assert_int_equal(atomic_load(&s.calls), 1);
	s.fail = ERR_IO;
	assert_int_equal(get(c, "broken", &s, &v, &h), ERR_IO);
	assert_int_equal(get(c, "broken", &s, &v, &h), ERR_IO);
	assert_int_equal(atomic_load(&s.calls), 3);
	s.fail = 0;
	assert_int_equal(get(c, "broken", &s, &v, &h), 0);
	results_release(h);
	results_free(c);
}

/* A sample store, its offences and shapes, and a cache for them. */
struct sample {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
	results *c;
};

static void sample_open(struct sample *f)
{
	f->dir = testutil_tmpdir();
	assert_int_equal(testutil_sample_store(f->dir, 3000, 8, &f->st), 0);
	assert_int_equal(dataset_load(f->st, NULL, &f->ds), 0);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
	assert_int_equal(results_new(64 << 20, &f->c), 0);
}

static void sample_close(struct sample *f)
{
	results_free(f->c);
	shapes_free(f->sh);
	dataset_free(f->ds);
	store_close(f->st);
	testutil_rmtree(f->dir);
}

static void test_gistar_and_trends_shared(void **state)
{
	(void)state;
	struct sample f;
	sample_open(&f);
	results *c = f.c;
	dataset *ds = f.ds;
	shapes *sh = f.sh;

	struct gistar_params p = {0}, q;
	dataset_filter_all(&p.filter);
	const struct gistar_result *g1, *g2, *g3;
	results_hold *h1, *h2, *h3;
	assert_int_equal(results_gistar(c, &(struct results_state){ds, sh, 1, 1}, &p, &g1, &h1), 0);
	/* The same parameters written otherwise: the same result. */
	filter_with_padding(&q.filter, 0x5A);
	q.cell = -0.0;
	q.band = 0;
	q.fdr = 0;
	q.whole_grid = 0;
	q.max_cells = 0;
	assert_int_equal(results_gistar(c, &(struct results_state){ds, sh, 1, 1}, &q, &g2, &h2), 0);
	assert_ptr_equal(g1, g2);
	/* And the same as a direct run. */
	struct gistar_result direct;
	assert_int_equal(gistar_run(ds, sh, &p, &direct), 0);
	assert_int_equal(direct.width, g1->width);
	assert_int_equal(direct.height, g1->height);
	for (size_t i = 0; i < (size_t)direct.width * direct.height; i++) {
		assert_int_equal(direct.bin[i], g1->bin[i]);
		assert_true(direct.z[i] == g1->z[i] || (isnan(direct.z[i]) && isnan(g1->z[i])));
	}
	gistar_result_free(&direct);
	/* New data: computed again. */
	assert_int_equal(results_gistar(c, &(struct results_state){ds, sh, 2, 1}, &p, &g3, &h3), 0);
	assert_ptr_not_equal(g1, g3);
	results_release(h1);
	results_release(h2);
	results_release(h3);

	struct trends_params tp = {.weeks = 8};
	dataset_filter_all(&tp.filter);
	const struct trends_result *t1, *t2;
	assert_int_equal(results_trends(c, &(struct results_state){ds, sh, 1, 1}, &tp, &t1, &h1),
	                 0);
	assert_int_equal(results_trends(c, &(struct results_state){ds, sh, 1, 1}, &tp, &t2, &h2),
	                 0);
	assert_ptr_equal(t1, t2);
	assert_int_equal(t1->weeks, 8);
	results_release(h1);
	results_release(h2);
	struct results_stats rs;
	results_stats(c, &rs);
	assert_int_equal(rs.computed, 3);
	assert_int_equal(rs.hits, 2);

	sample_close(&f);
}

/* A shift's plan in the cache: hotspots once for the API and the map,
 * coverage on the very hotspot set, dosage computed again when the tracks
 * change, and the refusals named by field. */
static void test_plans_shared(void **state)
{
	(void)state;
	struct sample f;
	sample_open(&f);
	results *c = f.c;
	store *st = f.st;
	tz *zone;
	assert_int_equal(tz_open("UTC", &zone), 0);
	const struct results_state s = {f.ds, f.sh, 1, 1};

	struct hotspot_params p = {.kernel = KDE_QUARTIC, .bandwidth = 300};
	dataset_filter_all(&p.filter);
	hotspot_default_period(f.ds, &p.filter);
	const struct hotspot_set *h1, *h2;
	results_hold *k1, *k2, *k3, *k4;
	assert_int_equal(results_hotspots(c, &s, &p, &h1, &k1), 0);
	assert_int_equal(results_hotspots(c, &s, &p, &h2, &k2), 0);
	assert_ptr_equal(h1, h2);
	assert_true(h1->n > 0);

	const struct coverage *cov;
	assert_int_equal(results_coverage(c, &s, &p, "2024-05-01", &cov, &k3), 0);
	assert_ptr_equal(cov->set, h1);
	assert_string_equal(cov->date, "2024-05-01");
	assert_int_equal(cov->n_hotspots, h1->n);
	results_release(k3);

	struct dosage_params dp = {.zone = zone, .from_day = 19844, .to_day = 19850};
	const struct dosage_result *d1, *d2, *d3;
	assert_int_equal(results_dosage(c, &s, &p, &dp, st, 1, &d1, &k3), 0);
	assert_int_equal(results_dosage(c, &s, &p, &dp, st, 1, &d2, &k4), 0);
	assert_ptr_equal(d1, d2);
	assert_int_equal(d1->n, h1->n);
	results_release(k4);
	assert_int_equal(results_dosage(c, &s, &p, &dp, st, 2, &d3, &k4), 0);
	assert_ptr_not_equal(d1, d3);
	results_release(k3);
	results_release(k4);
	results_release(k1);
	results_release(k2);

	/* Hotspots, coverage, dosage, dosage again: each computed once. */
	struct results_stats rs;
	results_stats(c, &rs);
	assert_int_equal(rs.computed, 4);

	char date[64];
	memset(date, '9', sizeof date - 1);
	date[sizeof date - 1] = 0;
	assert_int_equal(results_coverage(c, &s, &p, date, &cov, &k3), ERR_INVALID);
	assert_string_equal(err_field(), "date");
	double w[1] = {2};
	p.weights = w;
	assert_int_equal(results_hotspots(c, &s, &p, &h1, &k1), ERR_INVALID);

	tz_free(zone);
	sample_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_are_fields_not_bytes),
	    cmocka_unit_test(test_one_computation_for_many_threads),
	    cmocka_unit_test(test_budget_and_holds),
	    cmocka_unit_test(test_refusals_kept_failures_not),
	    cmocka_unit_test(test_gistar_and_trends_shared),
	    cmocka_unit_test(test_plans_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
