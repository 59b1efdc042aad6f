/* dataset: loading, grid queries against brute force, filters, live appends. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "store.h"
#include "tilemath.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	char *dir;
	store *st;
};

/* A deterministic PRNG so the test is the same every run. */
static uint64_t rng_state;

static double uniform(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static size_t square_wkb(unsigned char *buf, double x0, double y0, double x1, double y1)
{
	const double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	uint32_t type = 3, rings = 1, n = 5;
	unsigned char *p = buf;
	*p++ = 1;
	memcpy(p, &type, 4);
	memcpy(p + 4, &rings, 4);
	memcpy(p + 8, &n, 4);
	memcpy(p + 12, xy, sizeof xy);
	return 13 + sizeof xy;
}

/* 2026-03-02 (a Monday) 00:00 in Tashkent (UTC+5), in UTC seconds. */
#define MONDAY_LOCAL_MIDNIGHT (1772409600LL - 5 * 3600)

static void put(store *st, const char *id, double lon, double lat, int64_t from, int64_t to,
                const char *category)
{
	testutil_put_offence(st, id, lon, lat, from, to, category);
}

/* An offence without a point, placed by its mahalla's code. */
static void put_unplaced(store *st, const char *id, int64_t at, const char *category,
                         const char *mahalla)
{
	struct store_put_info info;
	struct store_offence o = {.external_id = id,
	                          .occurred_from = at,
	                          .occurred_to = at,
	                          .precision = PREC_MINUTE,
	                          .reported_at = STORE_NO_TIME,
	                          .category = category,
	                          .mahalla_code = mahalla};
	assert_int_equal(store_put_offence(st, &o, &info), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[600];
	unsigned char wkb[128];
	struct store_put_info info;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "d.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	struct store_area a = {.code = "M1", .population = -1, .households = -1};
	a.wkb_len = square_wkb(wkb, 69.2, 41.25, 69.3, 41.35);
	a.wkb = wkb;
	assert_int_equal(store_put_mahalla(f->st, &a, &info), 0);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_category(f->st, "assault", "Assault"), 0);
	assert_int_equal(store_ensure_category(f->st, "fraud", "Fraud"), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* What the test put in, to check queries against by brute force. */
struct truth {
	double x, y;
	int64_t t;
	int category; /* index into cats */
};

static const char *const cats[] = {"theft", "assault", "fraud"};

/* Local hour and weekday (0 = Monday) of t in Tashkent (UTC+5). */
static int local_hour(int64_t t)
{
	return (int)(((t + 5 * 3600) % 86400) / 3600);
}

static int local_weekday(int64_t t)
{
	return (int)(((t + 5 * 3600) / 86400 + 3) % 7);
}

static size_t fill(store *st, struct truth *tr, size_t first, size_t n)
{
	char id[32];
	assert_int_equal(store_begin(st), 0);
	for (size_t i = first; i < first + n; i++) {
		double lon = 69.2 + 0.1 * uniform(), lat = 41.25 + 0.1 * uniform();
		if (i % 3 == 0) { /* a hotspot */
			lon = 69.25 + 0.003 * (uniform() - 0.5);
			lat = 41.30 + 0.003 * (uniform() - 0.5);
		}
		if (i % 1000 == 7) /* geocoded 250 km away */
			lon += 3.0;
		tr[i].t = MONDAY_LOCAL_MIDNIGHT + (int64_t)(uniform() * 14 * 86400);
		tr[i].category = (int)(i % 3);
		assert_int_equal(tile_lonlat_to_merc(lon, lat, &tr[i].x, &tr[i].y), 0);
		snprintf(id, sizeof id, "P%zu", i);
		put(st, id, lon, lat, tr[i].t, tr[i].t, cats[tr[i].category]);
	}
	assert_int_equal(store_commit(st), 0);
	return first + n;
}

struct collect {
	int64_t *ids;
	size_t n;
};

static int collect_one(void *ctx, const struct dataset_offence *o)
{
	struct collect *c = ctx;
	c->ids[c->n++] = o->id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Compares a query with the brute-force answer over the truth (ids are the
 * insert order + 1 in a fresh database). */
static void check_query(const dataset *ds, const struct truth *tr, size_t n, const double box[4],
                        const struct dataset_filter *flt, int64_t t0, int64_t t1, uint32_t hours,
                        unsigned weekdays, unsigned cat_mask)
{
	struct collect got = {calloc(n, sizeof(int64_t)), 0};
	assert_int_equal(dataset_each(ds, box, flt, collect_one, &got), 0);
	qsort(got.ids, got.n, sizeof got.ids[0], cmp_id);
	size_t want = 0;
	for (size_t i = 0; i < n; i++) {
		const struct truth *p = &tr[i];
		if (p->x < box[0] || p->x > box[2] || p->y < box[1] || p->y > box[3] || p->t < t0 ||
		    p->t > t1 || !(hours >> local_hour(p->t) & 1) ||
		    !(weekdays >> local_weekday(p->t) & 1) || !(cat_mask >> p->category & 1))
			continue;
		assert_true(want < got.n);
		assert_int_equal(got.ids[want], (int64_t)i + 1);
		want++;
	}
	assert_int_equal(got.n, want);
	struct dataset_points pts = {0};
	assert_int_equal(dataset_gather(ds, box, flt, NULL, &pts), 0);
	assert_int_equal(pts.n, want);
	dataset_points_free(&pts);
	free(got.ids);
}

static void random_box(double box[4])
{
	double lon0 = 69.19 + 0.1 * uniform(), lat0 = 41.24 + 0.1 * uniform();
	double size = 0.002 + 0.05 * uniform();
	assert_int_equal(tile_lonlat_to_merc(lon0, lat0, &box[0], &box[1]), 0);
	assert_int_equal(tile_lonlat_to_merc(lon0 + size, lat0 + size, &box[2], &box[3]), 0);
}

static void test_queries_match_brute_force_and_sync_appends(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	size_t cap = 12000;
	struct truth *tr = calloc(cap, sizeof *tr);
	rng_state = 42;
	size_t n = fill(f->st, tr, 0, 6000);
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	assert_int_equal(dataset_count(ds), 6000);

	struct dataset_filter flt;
	struct dataset_filter_text night = {.hours = "20-08",
	                                    .weekdays = "fri-sun",
	                                    .categories = "theft,fraud",
	                                    .from = "2026-03-03",
	                                    .to = "2026-03-12"};
	assert_int_equal(dataset_filter_parse(ds, &night, &flt), 0);
	const int64_t day = 86400;
	int64_t t0 = MONDAY_LOCAL_MIDNIGHT + day, t1 = MONDAY_LOCAL_MIDNIGHT + 11 * day - 1;
	for (int pass = 0; pass < 2; pass++) {
		for (int b = 0; b < 25; b++) {
			double box[4];
			struct dataset_filter all;
			random_box(box);
			dataset_filter_all(&all);
			check_query(ds, tr, n, box, &all, INT64_MIN, INT64_MAX, 0xFFFFFF, 0x7F, 7);
			check_query(ds, tr, n, box, &flt, t0, t1, 0xF000FF, 0x70, 5);
		}
		double world[4] = {-2e7, -2e7, 2e7, 2e7};
		struct dataset_filter all;
		dataset_filter_all(&all);
		check_query(ds, tr, n, world, &all, INT64_MIN, INT64_MAX, 0xFFFFFF, 0x7F, 7);
		if (pass == 0) {
			/* Live appends: more than the tail holds before a re-sort. */
			n = fill(f->st, tr, n, 6000);
			size_t added = 0;
			assert_int_equal(dataset_sync(ds, f->st, NULL, NULL, &added), 0);
			assert_int_equal(added, 6000);
			assert_int_equal(dataset_count(ds), 12000);
			assert_int_equal(dataset_sync(ds, f->st, NULL, NULL, &added), 0);
			assert_int_equal(added, 0);
		}
	}
	double e[4], x0, y0;
	dataset_extent(ds, e);
	assert_int_equal(tile_lonlat_to_merc(69.2, 41.25, &x0, &y0), 0);
	assert_float_equal(e[0], x0, 1e-6);
	assert_float_equal(e[1], y0, 1e-6);
	dataset_free(ds);
	free(tr);
}

static void test_spans_count_by_their_share(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	/* Four places, so that the points count the offences. */
	put(f->st, "exact", 69.25, 41.3, m + 21 * 3600, m + 21 * 3600, "theft");
	put(f->st, "evening", 69.2501, 41.3, m + 18 * 3600, m + 21 * 3600, "theft");
	put(f->st, "overnight", 69.2502, 41.3, m + 22 * 3600, m + 31 * 3600, "theft");
	put(f->st, "nocat", 69.2503, 41.3, m + 21 * 3600, m + 21 * 3600, NULL);
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_filter flt;
	struct dataset_points pts = {0};
	struct dataset_filter_text t = {.hours = "21"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 2); /* exact and nocat; the spans end at or start after 21:00 */
	t = (struct dataset_filter_text){.weekdays = "mon"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 4); /* the overnight span: 2 of its 9 hours on Monday */
	double mon = 0;
	for (size_t i = 0; i < pts.n; i++)
		mon += pts.w[i];
	assert_float_equal(mon, 3 + 2.0 / 9, 1e-12);
	t = (struct dataset_filter_text){.categories = "theft"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 3);
	t = (struct dataset_filter_text){.categories = "none, theft"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 4);
	/* weights by category */
	double w[DATASET_MAX_CATEGORIES];
	for (size_t i = 0; i < DATASET_MAX_CATEGORIES; i++)
		w[i] = 2.5;
	dataset_filter_all(&flt);
	assert_int_equal(dataset_gather(ds, world, &flt, w, &pts), 0);
	double sum = 0;
	for (size_t i = 0; i < pts.n; i++)
		sum += pts.w[i];
	assert_float_equal(sum, 3 * 2.5 + 1.0, 1e-12);
	dataset_points_free(&pts);
	dataset_free(ds);
}

/* Offences at one address are one kernel point weighing them all, whatever
 * order they were stored in; the filter still weighs each. */
static void test_one_place_is_one_point(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	put(f->st, "a1", 69.25, 41.3, m + 21 * 3600, m + 21 * 3600, "theft");
	put(f->st, "b1", 69.26, 41.31, m + 21 * 3600, m + 21 * 3600, "theft");
	put(f->st, "a2", 69.25, 41.3, m + 9 * 3600, m + 9 * 3600, "theft");
	put(f->st, "a3", 69.25, 41.3, m + 18 * 3600, m + 22 * 3600, "theft");
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_filter flt;
	struct dataset_points pts = {0};
	dataset_filter_all(&flt);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 2);
	double a = pts.w[0] > pts.w[1] ? pts.w[0] : pts.w[1];
	assert_float_equal(a, 3, 1e-12);
	struct dataset_filter_text t = {.hours = "21"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 2);
	double sum = pts.w[0] + pts.w[1];
	assert_float_equal(sum, 1 + 1 + 0.25, 1e-12); /* a1, b1 and a3's hour of four */
	dataset_points_free(&pts);
	dataset_free(ds);
}

/* The weight of the only offence of ds under f. */
static double only_weight(const dataset *ds, const struct dataset_filter *f)
{
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_filter all;
	struct dataset_points pts = {0};
	dataset_filter_all(&all);
	assert_int_equal(dataset_gather(ds, world, &all, NULL, &pts), 0);
	assert_int_equal(pts.n, 1);
	dataset_points_free(&pts);
	return dataset_weighted_count(ds, f, NULL);
}

static void set_week_hour(struct dataset_filter *f, int hour)
{
	memset(f->week, 0, sizeof f->week);
	f->week[hour / 64] |= 1ull << (hour % 64);
}

static void test_aoristic_weights_sum_to_one(void **state)
{
	struct fixture *f = *state;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	char id[32];
	rng_state = 7;
	/* Spans of every kind: within an hour, across hours, midnight, the
	 * week's end (Sunday into Monday), odd minutes, up to the limit. */
	enum { N = 60 };
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < N; i++) {
		int64_t from = m + (int64_t)(uniform() * 7 * 86400) / 60 * 60;
		int64_t len = i == 0 ? 0 : i == 1 ? 72 * 3600 : (int64_t)(uniform() * 72 * 60) * 60;
		if (i == 2)
			from = m + 6 * 86400 + 23 * 3600 + 17 * 60; /* Sunday 23:17 */
		snprintf(id, sizeof id, "s%d", i);
		put(f->st, id, 69.2 + 0.1 * uniform(), 41.25 + 0.1 * uniform(), from, from + len,
		    "theft");
	}
	assert_int_equal(store_commit(f->st), 0);
	dataset *ds = NULL;
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_filter all;
	dataset_filter_all(&all);
	struct collect got = {calloc(N, sizeof(int64_t)), 0};
	assert_int_equal(dataset_each(ds, world, &all, collect_one, &got), 0);
	assert_int_equal(got.n, N);
	free(got.ids);
	/* Per offence, over the 168 hours of the week, by hours x weekdays
	 * filters and by week masks alike; and over a random partition of the
	 * week's hours into 5 parts. */
	double by_hour = 0, by_week = 0, parts = 0;
	struct dataset_filter flt = all;
	for (int d = 0; d < 7; d++)
		for (int h = 0; h < 24; h++) {
			flt = all;
			flt.hours = 1u << h;
			flt.weekdays = (uint8_t)(1u << d);
			by_hour += dataset_weighted_count(ds, &flt, NULL);
			flt = all;
			set_week_hour(&flt, d * 24 + h);
			by_week += dataset_weighted_count(ds, &flt, NULL);
		}
	int part_of[SHIFT_WEEK_HOURS];
	for (int h = 0; h < SHIFT_WEEK_HOURS; h++)
		part_of[h] = (int)(uniform() * 5);
	for (int k = 0; k < 5; k++) {
		flt = all;
		memset(flt.week, 0, sizeof flt.week);
		for (int h = 0; h < SHIFT_WEEK_HOURS; h++)
			if (part_of[h] == k)
				flt.week[h / 64] |= 1ull << (h % 64);
		parts += dataset_weighted_count(ds, &flt, NULL);
	}
	assert_float_equal(by_hour, N, 1e-9);
	assert_float_equal(by_week, N, 1e-9);
	assert_float_equal(parts, N, 1e-9);
	dataset_free(ds);
}

static void test_aoristic_weights_sum_to_one_each(void **state)
{
	struct fixture *f = *state;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	rng_state = 11;
	for (int i = 0; i < 12; i++) {
		char id[32];
		int64_t from = m + (int64_t)(uniform() * 7 * 86400);
		int64_t len = (int64_t)(uniform() * 72 * 3600);
		snprintf(id, sizeof id, "one%d", i);
		put(f->st, id, 69.25, 41.3, from, from + len, "theft");
		dataset *ds = NULL;
		assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
		struct dataset_filter flt;
		double sum = 0;
		for (int h = 0; h < SHIFT_WEEK_HOURS; h++) {
			dataset_filter_all(&flt);
			set_week_hour(&flt, h);
			double w = only_weight(ds, &flt);
			assert_true(w >= 0 && w <= 1);
			sum += w;
		}
		assert_float_equal(sum, 1, 1e-12);
		dataset_free(ds);
		int64_t gone;
		assert_int_equal(store_delete_offence(f->st, id, &gone), 0);
	}
}

static void test_burglary_overnight(void **state)
{
	struct fixture *f = *state;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	/* Found on Tuesday morning: between Monday 22:00 and Tuesday 06:00. */
	put(f->st, "burglary", 69.25, 41.3, m + 22 * 3600, m + 30 * 3600, "theft");
	dataset *ds = NULL;
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	struct dataset_filter flt;
	struct dataset_filter_text t = {.hours = "22-00"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 2.0 / 8, 1e-12);
	t = (struct dataset_filter_text){.hours = "0-6"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 6.0 / 8, 1e-12);
	t = (struct dataset_filter_text){.hours = "0-6", .weekdays = "mon"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 0, 0);
	t = (struct dataset_filter_text){.hours = "23-01", .weekdays = "mon-tue"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 2.0 / 8, 1e-12);
	t = (struct dataset_filter_text){.hours = "8-20"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 0, 0);

	/* Everywhere the filter applies, the offence weighs its share. */
	t = (struct dataset_filter_text){.hours = "22-00"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	double w[DATASET_MAX_CATEGORIES], by_cat[DATASET_MAX_CATEGORIES];
	for (size_t i = 0; i < DATASET_MAX_CATEGORIES; i++)
		w[i] = 3;
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_points pts = {0};
	assert_int_equal(dataset_gather(ds, world, &flt, w, &pts), 0);
	assert_int_equal(pts.n, 1);
	assert_float_equal(pts.w[0], 3 * 0.25, 1e-12); /* the heatmap's point weight */
	dataset_points_free(&pts);
	assert_float_equal(dataset_weighted_count(ds, &flt, w), 0.75, 1e-12);
	assert_float_equal(dataset_tally(ds, &flt, -1, by_cat, NULL), 0.25, 1e-12);
	assert_float_equal(by_cat[dataset_category_index(ds, "theft")], 0.25, 1e-12);
	dataset_free(ds);
}

static void test_span_over_the_limit(void **state)
{
	struct fixture *f = *state;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	/* Between Monday 08:00 and Thursday 20:00: 84 hours. */
	put(f->st, "long", 69.25, 41.3, m + 8 * 3600, m + 3 * 86400 + 20 * 3600, "theft");
	dataset *ds = NULL;
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	struct dataset_filter flt;
	struct dataset_filter_text t = {.hours = "8-20"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 0, 0);
	t = (struct dataset_filter_text){.weekdays = "mon-sun"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 1, 0); /* every day is no restriction */
	t = (struct dataset_filter_text){.weekdays = "mon-sat"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 0, 0);
	/* Date filters keep it by the span's middle (Wednesday 02:00). */
	t = (struct dataset_filter_text){.from = "2026-03-04", .to = "2026-03-04"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 1, 0);
	t = (struct dataset_filter_text){.from = "2026-03-05"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 0, 0);
	/* A longer limit counts it: 4 days of 12 hours 08-20 of its 84. */
	t = (struct dataset_filter_text){.hours = "8-20", .span_limit = "96"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_float_equal(only_weight(ds, &flt), 48.0 / 84, 1e-12);
	t = (struct dataset_filter_text){.span_limit = "soon"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "span_limit"));
	dataset_free(ds);
}

static void test_filter_errors_name_the_field(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	struct dataset_filter flt;
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	struct dataset_filter_text bad[] = {
	    {.hours = "25-3"},
	    {.weekdays = "someday"},
	    {.categories = "theft,unicorns"},
	    {.services = "nobody"},
	    {.from = "2026-13-01"},
	    {.from = "2026-03-10", .to = "2026-03-01"},
	    {.district = "atlantis"},
	};
	const char *field[] = {"hours", "weekdays", "unicorns", "nobody", "from", "to", "district"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(dataset_filter_parse(ds, &bad[i], &flt), ERR_INVALID);
		assert_non_null(strstr(err_msg(), field[i]));
	}
	dataset_free(ds);
}

static void test_mahalla_counts_include_address_only_records(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	put(f->st, "in1", 69.25, 41.3, m + 3600, m + 3600, "theft");
	put(f->st, "in2", 69.26, 41.31, m + 7200, m + 7200, "assault");
	put(f->st, "far", 72.0, 41.3, m + 7200, m + 7200, "theft");
	put_unplaced(f->st, "addr", m + 3600, "theft", "M1");
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	assert_int_equal(dataset_count(ds), 3); /* points only */
	assert_int_equal(dataset_mahalla_count(ds), 1);
	assert_int_equal(dataset_mahalla_index(ds, "M1"), 0);
	assert_int_equal(dataset_mahalla_index(ds, "M9"), -1);
	double counts[1];
	struct dataset_filter flt;
	dataset_filter_all(&flt);
	dataset_mahalla_counts(ds, &flt, NULL, counts);
	assert_float_equal(counts[0], 3, 0); /* in1, in2 and the address-only record */
	struct dataset_filter_text t = {.categories = "theft"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	dataset_mahalla_counts(ds, &flt, NULL, counts);
	assert_float_equal(counts[0], 2, 0);
	/* and they never show on the map */
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	struct dataset_points pts = {0};
	dataset_filter_all(&flt);
	assert_int_equal(dataset_gather(ds, world, &flt, NULL, &pts), 0);
	assert_int_equal(pts.n, 3);
	dataset_points_free(&pts);
	dataset_free(ds);
}

static void put_area(store *st, int district, const char *code, const char *of, double x0,
                     double x1)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_area a = {
	    .code = code, .district_code = of, .population = -1, .households = -1};
	a.wkb_len = square_wkb(wkb, x0, 41.25, x1, 41.35);
	a.wkb = wkb;
	assert_int_equal((district ? store_put_district : store_put_mahalla)(st, &a, &info), 0);
}

static int copy_district(void *ctx, const struct store_area_record *r)
{
	snprintf(ctx, 16, "%s", r->area.district_code ? r->area.district_code : "");
	return 0;
}

static double district_tally(const dataset *ds, const char *districts)
{
	struct dataset_filter flt;
	struct dataset_filter_text t = {.district = districts};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	return dataset_tally(ds, &flt, -1, NULL, NULL);
}

/* An offence's district is the district polygon its point lies in, else its
 * mahalla's (found by the point, or given without one); a mahalla's is the
 * one named, else the district holding its surface. */
static void test_districts_place_offences_and_filter_them(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	int64_t m = MONDAY_LOCAL_MIDNIGHT;
	put_area(f->st, 1, "WEST", NULL, 69.2, 69.25);
	put_area(f->st, 1, "EAST", NULL, 69.25, 69.3);
	put_area(f->st, 0, "M2", "EAST", 70.0, 70.1); /* away from both polygons */
	put_area(f->st, 0, "M3", NULL, 69.21, 69.22);
	for (int i = 0; i < 3; i++)
		put(f->st, (const char *[]){"w0", "w1", "w2"}[i], 69.21 + 0.01 * i, 41.3, m, m,
		    "theft");
	for (int i = 0; i < 5; i++)
		put(f->st, (const char *[]){"e0", "e1", "e2", "e3", "e4"}[i], 69.26 + 0.005 * i,
		    41.3, m, m, i % 2 ? "theft" : "fraud");
	put(f->st, "m2", 70.05, 41.3, m, m, "theft");
	put(f->st, "far", 75.0, 41.3, m, m, "theft");
	put_unplaced(f->st, "addr", m, "theft", "M2");
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	assert_int_equal(dataset_district_count(ds), 2);
	assert_float_equal(district_tally(ds, "WEST"), 3, 0);
	assert_float_equal(district_tally(ds, "EAST"), 7, 0); /* 5, m2 and addr */
	assert_float_equal(district_tally(ds, "WEST, EAST"), 10, 0);
	assert_float_equal(district_tally(ds, "none"), 1, 0); /* far */
	assert_float_equal(district_tally(ds, NULL), 11, 0);
	/* Narrowing keeps what the filter let through of the district only. */
	struct dataset_filter flt;
	struct dataset_filter_text t = {.district = "WEST", .categories = "theft"};
	assert_int_equal(dataset_filter_parse(ds, &t, &flt), 0);
	assert_true(dataset_filter_scoped(&flt));
	dataset_filter_district(&flt, (size_t)dataset_district_index(ds, "EAST"));
	assert_float_equal(dataset_tally(ds, &flt, -1, NULL, NULL), 0, 0);
	dataset_filter_all(&flt);
	assert_false(dataset_filter_scoped(&flt));
	dataset_filter_district(&flt, (size_t)dataset_district_index(ds, "EAST"));
	double by_cat[3] = {0};
	assert_float_equal(dataset_tally(ds, &flt, -1, by_cat, NULL), 7, 0);
	assert_float_equal(by_cat[dataset_category_index(ds, "fraud")], 3, 0);
	dataset_free(ds);
	/* The mahalla put after the districts took the one holding it. */
	char got[16] = "";
	assert_int_equal(store_list_areas(f->st, STORE_MAHALLAS, "M3", 0, copy_district, got), 0);
	assert_string_equal(got, "WEST");
}

/* SQLite gives a deleted newest row's id to the next one: the dataset must
 * still take that one in. */
static void test_sync_after_deleting_the_newest(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	int64_t m = MONDAY_LOCAL_MIDNIGHT, gone_id = 0;
	size_t added = 0;
	put(f->st, "old", 69.25, 41.3, m, m, "theft");
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	put(f->st, "newest", 69.26, 41.3, m, m, "theft");
	assert_int_equal(dataset_sync(ds, f->st, NULL, NULL, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(store_delete_offence(f->st, "newest", &gone_id), 0);
	assert_int_equal(dataset_reload(ds, f->st, gone_id, NULL, NULL), 0);
	assert_int_equal(dataset_count(ds), 1);
	put(f->st, "next", 69.27, 41.3, m, m, "assault");
	assert_int_equal(dataset_sync(ds, f->st, NULL, NULL, &added), 0);
	assert_int_equal(added, 1);
	assert_int_equal(dataset_count(ds), 2);
	dataset_free(ds);
}

/* Each cell of a table (every row, span and category) is what
 * dataset_tally() gives for its row's district or mahalla and its span,
 * whether the records are sorted in the grid, in the tail or have no
 * point; the last row is every offence passing. */
static void check_table(const dataset *ds, const struct dataset_filter *f, int by_mahalla)
{
	enum { SPANS = 3 };
	const int64_t m = MONDAY_LOCAL_MIDNIGHT, day = 86400;
	const int64_t from[SPANS] = {m, m + 3 * day, STORE_NO_TIME};
	const int64_t to[SPANS] = {m + 7 * day - 1, m + 20 * day, m + 4 * day};
	size_t nk = by_mahalla ? dataset_mahalla_count(ds) : dataset_district_count(ds);
	size_t nc = dataset_category_count(ds), cells = (nk + 1) * SPANS;
	int row_of[8];
	double total[9 * SPANS], by_cat[9 * SPANS * 3], want_cat[3], sum = 0;
	assert_true(nk <= 8 && nc <= 3);
	for (size_t k = 0; k < nk; k++)
		row_of[k] = (int)k;
	struct dataset_table t = {.by_mahalla = by_mahalla,
	                          .row_of = row_of,
	                          .n_keys = nk,
	                          .n_rows = nk,
	                          .from = from,
	                          .to = to,
	                          .n_spans = SPANS,
	                          .n_categories = nc,
	                          .total = total,
	                          .by_category = by_cat};
	dataset_tally_table(ds, f, &t);
	for (size_t r = 0; r <= nk; r++)
		for (size_t s = 0; s < SPANS; s++) {
			struct dataset_filter g = *f;
			g.from = from[s];
			g.to = to[s];
			if (r < nk && !by_mahalla)
				dataset_filter_district(&g, r);
			int mahalla = r < nk && by_mahalla ? (int)r : -1;
			size_t cell = r * SPANS + s;
			assert_float_equal(total[cell],
			                   dataset_tally(ds, &g, mahalla, want_cat, NULL), 0);
			for (size_t c = 0; c < nc; c++)
				assert_float_equal(by_cat[cell * nc + c], want_cat[c], 0);
		}
	for (size_t i = 0; i < cells; i++)
		sum += total[i];
	assert_true(sum > 0);
}

static void test_table_counts_as_tallies_do(void **state)
{
	struct fixture *f = *state;
	dataset *ds = NULL;
	const int64_t m = MONDAY_LOCAL_MIDNIGHT;
	const char *cats[] = {"theft", "assault", "fraud"};
	put_area(f->st, 1, "WEST", NULL, 69.2, 69.25);
	put_area(f->st, 1, "EAST", NULL, 69.25, 69.3);
	put_area(f->st, 0, "MW", "WEST", 69.2, 69.22);
	put_area(f->st, 0, "ME", "EAST", 69.26, 69.28);
	for (int i = 0; i < 24; i++) {
		char id[16];
		int64_t at = m + (i % 6) * 3 * 86400;
		snprintf(id, sizeof id, "o%d", i);
		put(f->st, id, 69.205 + 0.004 * i, 41.3, at, at, cats[i % 3]);
	}
	put(f->st, "far", 75.0, 41.3, m, m, "theft");
	put_unplaced(f->st, "addr", m + 86400, "fraud", "ME");
	assert_int_equal(dataset_load(f->st, NULL, &ds), 0);
	put(f->st, "late", 69.27, 41.3, m + 2 * 86400, m + 2 * 86400, "assault"); /* the tail */
	assert_int_equal(dataset_sync(ds, f->st, NULL, NULL, NULL), 0);
	struct dataset_filter flt;
	dataset_filter_all(&flt);
	check_table(ds, &flt, 0);
	check_table(ds, &flt, 1);
	dataset_filter_district(&flt, (size_t)dataset_district_index(ds, "EAST"));
	check_table(ds, &flt, 1);
	struct dataset_filter_text text = {.categories = "theft,fraud"};
	assert_int_equal(dataset_filter_parse(ds, &text, &flt), 0);
	check_table(ds, &flt, 0);
	dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_queries_match_brute_force_and_sync_appends, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_spans_count_by_their_share, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_place_is_one_point, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_aoristic_weights_sum_to_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_aoristic_weights_sum_to_one_each, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_burglary_overnight, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_span_over_the_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filter_errors_name_the_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mahalla_counts_include_address_only_records, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_sync_after_deleting_the_newest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_districts_place_offences_and_filter_them, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_table_counts_as_tallies_do, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
