/* trends: the Mann-Kendall test against hand figures and R's cor.test on
 * the Nile series, the emerging hot spot categories on synthetic weekly
 * series (each pattern and its cold mirror), and the whole run on a real
 * SpatiaLite store with a persistent cluster and one that appears in the
 * last week. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "shapes.h"
#include "store.h"
#include "trends.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_mk(const double *x, size_t n, double s, double var, double z, double p)
{
	struct trends_mk m;
	assert_int_equal(trends_mann_kendall(x, n, &m), 0);
	assert_float_equal(m.s, s, 0);
	assert_float_equal(m.var, var, 1e-9 * var);
	assert_float_equal(m.z, z, 1e-9);
	assert_float_equal(m.p, p, 1e-9 * p);
	assert_float_equal(m.tau, s / (n * (n - 1) / 2.0), 1e-15);
}

static void test_mann_kendall(void **state)
{
	(void)state;
	/* Rising, no ties: S = 10 pairs up, var = 5 * 4 * 15 / 18 = 16.667,
	 * Z = 9 / sqrt(16.667) = 2.2045. */
	const double up[] = {1, 2, 3, 4, 5};
	check_mk(up, 5, 10, 300.0 / 18, 2.2045407685, 0.0274863361115);
	/* Ties: S = 4 + 1 + 1 + 0 + 1 = 7; two pairs of ties take 2 x (2 x 1 x
	 * 9) from 6 x 5 x 17: var = 474 / 18, Z = 6 / sqrt(26.333). */
	const double tied[] = {1, 2, 2, 3, 1, 4};
	check_mk(tied, 6, 7, 474.0 / 18, 1.1692256444, 0.242312731672);
	/* The Nile at Aswan, 1871-1970 (R's `Nile`, Cobb 1978), with ties;
	 * reference: cor.test(Nile, 1:100, method = "kendall", exact = FALSE,
	 * continuity = TRUE) in R 4.2 gives z -4.1280665228, p 3.65826292166e-05. */
	const double nile[100] = {
	    1120, 1160, 963, 1210, 1160, 1160, 813,  1230, 1370, 1140, 995,  935,  1110, 994,  1020,
	    960,  1180, 799, 958,  1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774,  840,
	    874,  694,  940, 833,  701,  916,  692,  1020, 1050, 969,  831,  726,  456,  824,  702,
	    1120, 1100, 832, 764,  821,  768,  845,  864,  862,  698,  845,  744,  796,  1040, 759,
	    781,  865,  845, 944,  984,  897,  822,  1010, 771,  676,  649,  846,  812,  742,  801,
	    1040, 860,  874, 848,  890,  744,  749,  838,  1050, 918,  986,  797,  923,  975,  815,
	    1020, 906,  901, 1170, 912,  746,  919,  718,  714,  740};
	check_mk(nile, 100, -1387, 112728.3333333333, -4.1280665228, 3.65826292166e-05);
	/* Every value tied: no ranking, no trend. */
	const double flat[] = {2, 2, 2, 2};
	struct trends_mk m;
	assert_int_equal(trends_mann_kendall(flat, 4, &m), 0);
	assert_true(m.s == 0 && m.var == 0 && m.z == 0 && m.p == 1);
	assert_int_equal(trends_mann_kendall(up, 2, &m), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "weeks:"));
}

#define WEEKS 12

/* Weekly series from a pattern string: 'H' hot (z 3 + its week's rise),
 * 'C' cold (the mirror), '.' neither; rise adds k * rise to week k's z. */
static int classify(const char *weeks, double rise)
{
	double z[WEEKS], p[WEEKS];
	for (int k = 0; k < WEEKS; k++) {
		char w = weeks[k];
		double base = w == 'H' ? 3 : w == 'C' ? -3 : 0.5;
		z[k] = base + k * rise * (w == '.' ? 0 : 1);
		p[k] = w == '.' ? 0.6 : 0.001;
	}
	struct trends_mk m;
	assert_int_equal(trends_mann_kendall(z, WEEKS, &m), 0);
	return trends_classify(z, p, WEEKS, &m, TRENDS_ALPHA);
}

/* The cold mirror of a series: hot and cold swapped, the trend reversed. */
static int classify_mirror(const char *weeks, double rise)
{
	char m[WEEKS + 1];
	for (int k = 0; k < WEEKS; k++)
		m[k] = weeks[k] == 'H' ? 'C' : weeks[k] == 'C' ? 'H' : '.';
	m[WEEKS] = 0;
	return classify(m, -rise);
}

static void test_categories(void **state)
{
	(void)state;
	const struct {
		const char *weeks;
		double rise;
		int pattern;
	} cases[] = {
	    {"...........H", 0, TRENDS_NEW},            /* hot only in the last week */
	    {".........HHH", 0, TRENDS_CONSECUTIVE},    /* one run at the end */
	    {".HHHHHHHHHHH", 0.5, TRENDS_INTENSIFYING}, /* 11 of 12 >= 90%, rising */
	    {"HHHHHHHHHHHH", 0, TRENDS_PERSISTENT},     /* always, no trend */
	    {"HHHHHHHHHHH.", 0, TRENDS_HISTORICAL},     /* no longer */
	    {"HHHHHHHHHHHH", -0.2, TRENDS_DIMINISHING}, /* always, weakening */
	    {".H..H...H..H", 0, TRENDS_SPORADIC},       /* on and off, never cold */
	    {"..C...H....H", 0, TRENDS_OSCILLATING},    /* hot now, cold before */
	    {"..C........H", 0, TRENDS_OSCILLATING},    /* once hot, but cold before */
	    {"......HH.HHH", 0, TRENDS_SPORADIC},       /* a run at the end, not the only one */
	    {"HHHHH.HHHHHH", 0, TRENDS_PERSISTENT},     /* 11 of 12 is 91.7%: the 90% rule */
	    {"............", 0, TRENDS_NONE},
	    {"H...........", 0, TRENDS_NONE}, /* once, long ago */
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		int want = cases[k].pattern;
		int hot = classify(cases[k].weeks, cases[k].rise);
		int cold = classify_mirror(cases[k].weeks, cases[k].rise);
		if (hot != want || cold != -want)
			fail_msg("%s: %s and %s, not %s", cases[k].weeks, trends_category_name(hot),
			         trends_category_name(cold), trends_category_name(want));
	}
	/* 10 of 12 weeks is under 90%: on and off. */
	assert_int_equal(classify("HH.HHHHH.HHH", 0), TRENDS_SPORADIC);
	/* Mann-Kendall ranks: any steady rise is significant, however small. */
	assert_int_equal(classify("HHHHHHHHHHHH", 0.01), TRENDS_INTENSIFYING);
	/* An unsteady one is not: persistent. */
	const double wobble[WEEKS] = {3, 5, 4, 3, 5, 4, 3, 5, 4, 4, 3, 5};
	const double sig[WEEKS] = {0.001, 0.001, 0.001, 0.001, 0.001, 0.001,
	                           0.001, 0.001, 0.001, 0.001, 0.001, 0.001};
	struct trends_mk m;
	assert_int_equal(trends_mann_kendall(wobble, WEEKS, &m), 0);
	assert_true(m.p > TRENDS_ALPHA);
	assert_int_equal(trends_classify(wobble, sig, WEEKS, &m, TRENDS_ALPHA), TRENDS_PERSISTENT);
	assert_string_equal(trends_category_name(-TRENDS_INTENSIFYING), "intensifying cold spot");
	assert_string_equal(trends_category_name(TRENDS_NEW), "new hot spot");
	assert_string_equal(trends_category_name(0), "no pattern");
}

/* An L-shaped district near Tashkent (as test_gistar's) with 12 weeks of
 * offences ending at END: every week 6 thefts at A and 4 frauds scattered,
 * and in the last week 12 thefts at B. */
#define W   69.20 /* its south-west corner */
#define S   41.30
#define END 1782777599LL /* 2026-06-29 23:59:59 UTC */

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700], id[32];
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "t.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	testutil_l_district(f->st);
	for (int w = 0; w < WEEKS; w++) {
		int64_t t0 = END + 1 - (WEEKS - w) * TRENDS_WEEK + 3600;
		for (int k = 0; k < 6; k++) {
			snprintf(id, sizeof id, "a%d-%d", w, k);
			testutil_put_offence(f->st, id, 69.2101, 41.3101, t0 + k * 7200,
			                     t0 + k * 7200, "theft");
		}
		for (int k = 0; k < 4; k++) {
			snprintf(id, sizeof id, "s%d-%d", w, k);
			int s = (w * 4 + k) * 7 % 48;
			testutil_put_offence(f->st, id, W + 0.002 + (s % 8) * 0.0028,
			                     S + 0.001 + (s / 8) * 0.0028, t0 + k * 9000,
			                     t0 + k * 9000, "fraud");
		}
	}
	for (int k = 0; k < 12; k++) {
		snprintf(id, sizeof id, "b%d", k);
		int64_t t = END - 3 * 86400 + k * 3600;
		testutil_put_offence(f->st, id, 69.2051, 41.3251, t, t, "theft");
	}
	assert_int_equal(dataset_load(f->st, NULL, &f->ds), 0);
	assert_int_equal(shapes_load(f->st, NULL, &f->sh), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	shapes_free(f->sh);
	dataset_free(f->ds);
	store_close(f->st);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* The cell with the most offences in week k (the last week: -1). */
static size_t busiest(const struct trends_result *r, int k)
{
	size_t cells = (size_t)r->grid.width * r->grid.height, best = 0;
	int w = k < 0 ? r->weeks - 1 : k;
	for (size_t c = 0; c < cells; c++)
		if (r->count[c * r->weeks + w] > r->count[best * r->weeks + w])
			best = c;
	return best;
}

static void test_run(void **state)
{
	struct fixture *f = *state;
	struct trends_params p = {0};
	struct trends_result r;
	dataset_filter_all(&p.filter);
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), 0);
	assert_int_equal(r.weeks, TRENDS_WEEKS);
	assert_int_equal(r.to, END - 3 * 86400 + 11 * 3600); /* the latest offence */
	assert_int_equal(r.from, r.to - WEEKS * TRENDS_WEEK + 1);
	trends_result_free(&r);
	p.filter.to = END;
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), 0);
	assert_int_equal(r.grid.offences, WEEKS * 10 + 12);
	size_t cells = (size_t)r.grid.width * r.grid.height, total = 0;
	for (int c = 0; c < 2 * TRENDS_PATTERNS - 1; c++)
		total += r.categories[c];
	assert_int_equal(total, r.grid.cells);
	/* The weeks add up to the whole period's counts. */
	for (size_t c = 0; c < cells; c++) {
		double sum = 0;
		for (int k = 0; k < r.weeks; k++)
			sum += r.count[c * r.weeks + k];
		assert_float_equal(sum, r.grid.count[c], 0);
	}
	/* A holds 6 every week, B 12 only in the last. */
	size_t a = busiest(&r, 0), b = busiest(&r, -1);
	assert_true(a != b);
	assert_int_equal(r.category[b], TRENDS_NEW);
	assert_int_equal(r.category[a], TRENDS_PERSISTENT);
	assert_float_equal(r.mk_n[a].s, 0, 0); /* the same count every week */
	assert_true(r.mk_n[b].s > 0);

	json_t *fc;
	assert_int_equal(trends_geojson(&r, &fc), 0);
	json_t *feat = json_object_get(fc, "features");
	assert_int_equal(json_integer_value(json_object_get(fc, "weeks")), WEEKS);
	size_t categorised = r.grid.cells - r.categories[TRENDS_PATTERNS - 1];
	assert_int_equal(json_array_size(feat), categorised);
	json_t *first = json_object_get(json_array_get(feat, 0), "properties");
	assert_string_equal(json_string_value(json_object_get(first, "category")), "new hot spot");
	assert_int_equal(json_array_size(json_object_get(first, "z")), WEEKS);
	assert_int_equal(json_integer_value(json_object_get(first, "weeks_hot")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(fc, "categories"),
	                                                    "persistent hot spot")),
	                 r.categories[TRENDS_PERSISTENT + TRENDS_PATTERNS - 1]);
	json_decref(fc);
	trends_result_free(&r);

	/* The period from its start: 8 whole weeks and a day. */
	p.filter.from = END + 1 - 8 * TRENDS_WEEK - 86400;
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), 0);
	assert_int_equal(r.weeks, 8);
	assert_int_equal(r.to, END);
	trends_result_free(&r);
}

static void test_bad_params(void **state)
{
	struct fixture *f = *state;
	struct trends_params p = {.weeks = 2};
	struct trends_result r;
	dataset_filter_all(&p.filter);
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "weeks: 2 is not 4 to 104"));
	p.weeks = 8;
	p.filter.from = END - 20 * TRENDS_WEEK;
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "weeks: give"));
	p.weeks = 0;
	p.filter.from = END - 2 * TRENDS_WEEK;
	p.filter.to = END;
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "from: the period holds 2 whole weeks"));
	p.filter.from = END + 100;
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "from: the period starts after"));
	dataset_filter_all(&p.filter);
	p.filter.to = 100 * TRENDS_WEEK; /* 1971: nothing */
	assert_int_equal(trends_run(f->ds, f->sh, &p, &r), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "filter: no offence"));
	assert_null(r.z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mann_kendall),
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test_setup_teardown(test_run, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_params, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
