/* compare: the exact Poisson test against hand figures, and a table of two
 * districts of two mahallas each, every count worked out by hand first.
 *
 * D1 (69.200..69.220 x 41.300..41.320) holds M1 (population 1,000) and M2
 * (3,000) in its southern half and no mahalla in the north; D2
 * (69.220..69.240) holds M3 (2,000) and M4 (population unknown). The
 * period is March 2026 (31 days): the previous period 29 January ..
 * 28 February, last year March 2025, the year to date 1 January .. 31
 * March (90 days) and last year's the same in 2025.
 *
 *           period previous last_year  ytd  ytd_last_year
 *   M1        10      5        2        18       6   (3 of the period fraud)
 *   M2         2      4        0         6       0
 *   D1 north   1      1        0         2       0   (at the periods' last seconds)
 *   M3         4      2        0         6       0
 *   M4         0      6        0         6       0
 *
 * Zone Z1 (valid) covers M1, zone Z2 (expired in February) covers M2. */
#include "testutil.h"

#include "compare.h"
#include "dataset.h"
#include "err.h"
#include "shapes.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY        86400LL
#define TASHKENT   (5 * 3600LL)
#define MARCH_2026 20513L /* days since 1970-01-01 of 2026-03-01 */
#define MARCH_2025 20148L
#define STEP       0.00004 /* between cluster points, about 3 m */

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
};

/* UTC seconds of local day (days since 1970) at hh:mm:ss in Tashkent. */
static int64_t at(long day, int hh, int mm, int ss)
{
	return day * DAY + hh * 3600LL + mm * 60LL + ss - TASHKENT;
}

/* n offences of category on local day, at noon, in a cluster at (lon, lat). */
static void offences(store *st, int *seq, double lon, double lat, int n, long day,
                     const char *category)
{
	for (int k = 0; k < n; k++) {
		char id[32];
		snprintf(id, sizeof id, "o%d", (*seq)++);
		int64_t t = at(day, 12, 0, 0);
		testutil_put_offence(st, id, lon + (k % 5 - 2) * STEP, lat + (k / 5 - 1) * STEP, t,
		                     t, category);
	}
}

static void area(store *st, const char *code, const char *district, long population, double x0,
                 double y0, double x1, double y1)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_area a = {.code = code,
	                       .name_uz = code,
	                       .name_en = code,
	                       .district_code = district,
	                       .population = population,
	                       .households = -1,
	                       .wkb = wkb};
	a.wkb_len = testutil_square_wkb(wkb, x0, y0, x1, y1);
	assert_int_equal(
	    district ? store_put_mahalla(st, &a, &info) : store_put_district(st, &a, &info), 0);
}

static void zone(store *st, const char *id, double x0, double x1, const char *valid_to)
{
	unsigned char wkb[128];
	struct store_put_info info;
	const struct store_assignment a = {"ppx", "p1", {0, 1440, 0x7F}};
	struct store_zone z = {.external_id = id,
	                       .name = id,
	                       .valid_to = valid_to,
	                       .wkb = wkb,
	                       .assignments = &a,
	                       .n_assignments = 1};
	z.wkb_len = testutil_square_wkb(wkb, x0, 41.3005, x1, 41.3095);
	assert_int_equal(store_put_zone(st, &z, "test", &info), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700];
	int seq = 0;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "c.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	store *st = f->st;
	area(st, "D1", NULL, -1, 69.200, 41.300, 69.220, 41.320);
	area(st, "D2", NULL, -1, 69.220, 41.300, 69.240, 41.320);
	area(st, "M1", "D1", 1000, 69.200, 41.300, 69.210, 41.310);
	area(st, "M2", "D1", 3000, 69.210, 41.300, 69.220, 41.310);
	area(st, "M3", "D2", 2000, 69.220, 41.300, 69.230, 41.320);
	area(st, "M4", "D2", -1, 69.230, 41.300, 69.240, 41.320);
	assert_int_equal(store_ensure_category(st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_category(st, "fraud", "Fraud"), 0);
	assert_int_equal(store_ensure_service(st, "ppx", "Public order"), 0);
	long feb10 = MARCH_2026 - 19, jan5 = MARCH_2026 - 55;
	/* M1 */
	offences(st, &seq, 69.205, 41.305, 7, MARCH_2026 + 9, "theft");
	offences(st, &seq, 69.2052, 41.305, 3, MARCH_2026 + 20, "fraud");
	offences(st, &seq, 69.205, 41.305, 5, feb10, "theft");
	offences(st, &seq, 69.205, 41.305, 2, MARCH_2025 + 9, "theft");
	offences(st, &seq, 69.205, 41.305, 3, jan5, "theft");
	offences(st, &seq, 69.205, 41.305, 4, MARCH_2025 - 19, "theft");
	/* M2 */
	offences(st, &seq, 69.215, 41.305, 2, MARCH_2026 + 1, "theft");
	offences(st, &seq, 69.215, 41.305, 4, feb10, "theft");
	/* D1's north, at the periods' edges: the last second of March and of
	 * February count, the first of April does not. */
	int64_t edges[3] = {at(MARCH_2026 + 30, 23, 59, 59), at(MARCH_2026 - 1, 23, 59, 59),
	                    at(MARCH_2026 + 31, 0, 0, 0)};
	for (int i = 0; i < 3; i++) {
		char id[32];
		snprintf(id, sizeof id, "edge%d", i);
		testutil_put_offence(st, id, 69.210, 41.315, edges[i], edges[i], "theft");
	}
	/* M3, M4 */
	offences(st, &seq, 69.225, 41.310, 4, MARCH_2026 + 14, "theft");
	offences(st, &seq, 69.225, 41.310, 2, feb10, "theft");
	offences(st, &seq, 69.235, 41.310, 6, feb10, "theft");
	zone(st, "Z1", 69.2005, 69.2095, NULL);
	zone(st, "Z2", 69.2105, 69.2195, "2026-02-01");
	assert_int_equal(dataset_load(st, NULL, &f->ds), 0);
	assert_int_equal(shapes_load(st, NULL, &f->sh), 0);
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

static void test_poisson(void **state)
{
	(void)state;
	/* 2 -> 4 over equal times: n = 6 at 1/2, P(X <= 2) = 22/64, twice. */
	assert_true(fabs(compare_poisson_p(4, 1, 2, 1) - 44.0 / 64) < 1e-12);
	assert_true(fabs(compare_poisson_p(2, 1, 4, 1) - 44.0 / 64) < 1e-12);
	/* 0 against 5 and 6: the two extremes, 2/32 and 2/64. */
	assert_true(fabs(compare_poisson_p(0, 1, 5, 1) - 2.0 / 32) < 1e-12);
	assert_true(fabs(compare_poisson_p(0, 7, 6, 7) - 2.0 / 64) < 1e-12);
	assert_true(compare_poisson_p(0, 1, 0, 1) == 1);
	assert_true(compare_poisson_p(5, 1, 5, 1) == 1);
	/* Unequal times: 3 in 1 against 1 in 3, n = 4 at 1/4: the outcomes no
	 * more likely than 3 are 3 and 4: (12 * 3 + 1) / 4^4... = 0.05078125. */
	assert_true(fabs(compare_poisson_p(3, 1, 1, 3) - 0.05078125) < 1e-12);
	/* R: binom.test(60, 100)$p.value, poisson.test(c(60, 40)). */
	assert_true(fabs(compare_poisson_p(60, 1, 40, 1) - 0.05688793) < 1e-8);
	/* Large counts (the tails summed from their inner ends): exact sums of
	 * binomial coefficients over 2^n, in Python's integers. */
	assert_true(fabs(compare_poisson_p(5000, 1, 5200, 1) / 0.04878796312682245 - 1) < 1e-9);
	assert_true(fabs(compare_poisson_p(1100, 1, 1000, 1) / 0.030720707864242296 - 1) < 1e-9);
	assert_true(fabs(compare_poisson_p(300, 1, 200, 1) / 8.940066542253267e-06 - 1) < 1e-9);
	/* Counts are rounded: an aoristic 3.9 is 4. */
	assert_true(fabs(compare_poisson_p(3.9, 1, 2, 1) - 44.0 / 64) < 1e-12);
}

static const struct compare_row *row(const struct compare *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].code, code) == 0)
			return &c->rows[i];
	fail_msg("no row %s", code);
	return NULL;
}

static void check_counts(const struct compare_row *r, double period, double previous,
                         double last_year, double ytd, double ytd_last_year)
{
	const double want[COMPARE_SPANS] = {period, previous, last_year, ytd, ytd_last_year};
	for (int s = 0; s < COMPARE_SPANS; s++)
		if (r->offences[s] != want[s])
			fail_msg("%s span %d: %g, expected %g", r->code ? r->code : "total", s,
			         r->offences[s], want[s]);
}

static void compute(struct fixture *f, const char *district, struct compare *c)
{
	struct compare_params p = {.from_day = MARCH_2026,
	                           .to_day = MARCH_2026 + 30,
	                           .district =
	                               district ? dataset_district_index(f->ds, district) : -1,
	                           .kernel = KDE_QUARTIC,
	                           .bandwidth = 150};
	dataset_filter_all(&p.filter);
	assert_int_equal(compare_compute(f->ds, f->sh, &p, c), 0);
}

static void test_districts(void **state)
{
	struct fixture *f = *state;
	struct compare c;
	compute(f, NULL, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.days[COMPARE_PREVIOUS][0], MARCH_2026 - 31);
	assert_int_equal(c.days[COMPARE_PREVIOUS][1], MARCH_2026 - 1);
	assert_int_equal(c.days[COMPARE_LAST_YEAR][0], MARCH_2025);
	assert_int_equal(c.days[COMPARE_YTD][0], MARCH_2026 - 59);
	assert_int_equal(c.days[COMPARE_YTD_LAST_YEAR][1], MARCH_2025 + 30);
	const struct compare_row *d1 = row(&c, "D1"), *d2 = row(&c, "D2");
	check_counts(d1, 13, 10, 2, 26, 6);
	check_counts(d2, 4, 8, 0, 12, 0);
	check_counts(&c.total, 17, 18, 2, 38, 6);
	/* By category: M1's three frauds. */
	int fraud = dataset_category_index(f->ds, "fraud");
	assert_true(fraud >= 0);
	assert_true(d1->counts[fraud * COMPARE_SPANS + COMPARE_PERIOD] == 3);
	assert_true(d1->counts[fraud * COMPARE_SPANS + COMPARE_PREVIOUS] == 0);
	assert_true(d1->changes[fraud * COMPARE_CHANGES + COMPARE_VS_PREVIOUS].significant == 0);
	/* 13 against 10: +30 %; 4 against 8: -50 %, p = 2 x 794 / 4096. */
	assert_true(fabs(d1->change[COMPARE_VS_PREVIOUS].percent - 30) < 1e-9);
	assert_true(fabs(d2->change[COMPARE_VS_PREVIOUS].percent + 50) < 1e-9);
	assert_true(fabs(d2->change[COMPARE_VS_PREVIOUS].p - 1588.0 / 4096) < 1e-12);
	assert_false(d2->change[COMPARE_VS_PREVIOUS].significant);
	assert_true(isnan(d2->change[COMPARE_VS_LAST_YEAR].percent));
	/* Rates: D1 has 4,000 residents; D2 a mahalla of unknown population. */
	assert_int_equal(d1->population, 4000);
	assert_true(fabs(d1->rate - 13.0 / 4) < 1e-12);
	assert_int_equal(d2->population, -1);
	assert_true(isnan(d2->rate) && isnan(c.total.rate));
	/* Hotspots: D1's include M1's, covered by Z1; the total sums them. */
	assert_true(c.has_hotspots);
	assert_true(d1->hotspots >= 2 && d1->covered >= 1 && d1->covered < d1->hotspots);
	assert_true(fabs(d1->covered_share - (double)d1->covered / d1->hotspots) < 1e-12);
	assert_int_equal(d2->covered, 0);
	assert_int_equal(c.total.hotspots, d1->hotspots + d2->hotspots);
	assert_int_equal(c.total.covered, d1->covered);

	/* A territory of D2 alone has its row only. */
	struct compare_params p = {
	    .from_day = MARCH_2026, .to_day = MARCH_2026 + 30, .district = -1};
	assert_int_equal(
	    dataset_filter_parse(f->ds, &(struct dataset_filter_text){.district = "D2"}, &p.filter),
	    0);
	struct compare only;
	assert_int_equal(compare_compute(f->ds, f->sh, &p, &only), 0);
	assert_int_equal(only.n, 1);
	assert_string_equal(only.rows[0].code, "D2");
	check_counts(&only.total, 4, 8, 0, 12, 0);
	assert_false(only.has_hotspots); /* no bandwidth */
	p.district = dataset_district_index(f->ds, "D1");
	assert_int_equal(compare_compute(f->ds, f->sh, &p, &(struct compare){0}), ERR_INVALID);
	assert_string_equal(err_field(), "district");
	compare_free(&only);
	compare_free(&c);
}

static void test_mahallas(void **state)
{
	struct fixture *f = *state;
	struct compare c, d;
	compute(f, "D1", &c);
	assert_int_equal(c.n, 2);
	const struct compare_row *m1 = row(&c, "M1"), *m2 = row(&c, "M2");
	check_counts(m1, 10, 5, 2, 18, 6);
	check_counts(m2, 2, 4, 0, 6, 0);
	/* The total is the district, with its offences outside every mahalla. */
	assert_string_equal(c.total.code, "D1");
	check_counts(&c.total, 13, 10, 2, 26, 6);
	assert_true(fabs(m1->rate - 10) < 1e-12);
	assert_true(fabs(m2->rate - 2.0 / 3) < 1e-12);
	assert_false(m2->change[COMPARE_VS_PREVIOUS].significant); /* 2 against 4 */
	/* M1's hotspots are covered by Z1; Z2 over M2 expired in February. */
	assert_true(m1->hotspots >= 1);
	assert_int_equal(m1->covered, m1->hotspots);
	assert_true(m2->hotspots >= 1);
	assert_int_equal(m2->covered, 0);
	compute(f, NULL, &d);
	assert_int_equal(c.total.hotspots, row(&d, "D1")->hotspots);
	assert_int_equal(c.total.covered, row(&d, "D1")->covered);
	compare_free(&d);
	compare_free(&c);

	compute(f, "D2", &c);
	const struct compare_row *m4 = row(&c, "M4");
	check_counts(m4, 0, 6, 0, 6, 0);
	assert_true(m4->change[COMPARE_VS_PREVIOUS].significant); /* 0 against 6 */
	assert_true(fabs(m4->change[COMPARE_VS_PREVIOUS].percent + 100) < 1e-12);
	assert_true(isnan(m4->rate));
	compare_free(&c);
}

static void test_sort(void **state)
{
	struct fixture *f = *state;
	struct compare c;
	compute(f, NULL, &c);
	assert_int_equal(compare_sort(&c, f->ds, "-offences", "uz"), 0);
	assert_string_equal(c.rows[0].code, "D1");
	assert_int_equal(compare_sort(&c, f->ds, "offences", "uz"), 0);
	assert_string_equal(c.rows[0].code, "D2");
	/* Unknown rates last in either direction. */
	assert_int_equal(compare_sort(&c, f->ds, "-rate", "uz"), 0);
	assert_string_equal(c.rows[0].code, "D1");
	assert_int_equal(compare_sort(&c, f->ds, "rate", "uz"), 0);
	assert_string_equal(c.rows[0].code, "D1");
	assert_int_equal(compare_sort(&c, f->ds, "-theft", "uz"), 0);
	assert_string_equal(c.rows[0].code, "D1");
	assert_int_equal(compare_sort(&c, f->ds, "-name", "en"), 0);
	assert_string_equal(c.rows[0].code, "D2");
	assert_int_equal(compare_sort(&c, f->ds, NULL, "uz"), 0);
	assert_string_equal(c.rows[0].code, "D1");
	assert_int_equal(compare_sort(&c, f->ds, "size", "uz"), ERR_INVALID);
	assert_string_equal(err_field(), "sort");
	compare_free(&c);
}

static void test_json_csv(void **state)
{
	struct fixture *f = *state;
	struct compare c;
	json_t *o;
	compute(f, "D1", &c);
	assert_int_equal(compare_json(&c, f->ds, &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "from")), "2026-03-01");
	assert_string_equal(json_string_value(json_object_get(o, "level")), "mahalla");
	json_t *spans = json_object_get(o, "spans");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(spans, "previous"), "from")),
	    "2026-01-29");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(spans, "ytd"), "days")),
	                 90);
	json_t *m1 = json_array_get(json_object_get(o, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(m1, "code")), "M1");
	assert_int_equal(json_integer_value(json_object_get(m1, "offences")), 10);
	assert_int_equal(json_integer_value(json_object_get(m1, "population")), 1000);
	json_t *fraud = json_object_get(json_object_get(m1, "categories"), "fraud");
	assert_int_equal(json_integer_value(json_object_get(fraud, "offences")), 3);
	assert_true(json_is_null(json_object_get(fraud, "change_previous")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(o, "total"), "ytd_last_year")), 6);
	json_decref(o);

	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(compare_csv(&c, f->ds, out), 0);
	fclose(out);
	const char *head = "code,name_uz,name_ru,name_en,offences,previous,last_year,ytd,"
	                   "ytd_last_year,change_previous,p_previous,significant_previous,";
	assert_true(strncmp(text, head, strlen(head)) == 0);
	assert_non_null(strstr(text, ",theft,theft_previous,theft_last_year,theft_ytd,"));
	assert_non_null(strstr(text, "\r\nM1,M1,,M1,10,5,2,18,6,100,"));
	assert_non_null(strstr(text, "\r\ntotal,D1,,D1,13,10,2,26,6,30,"));
	free(text);
	compare_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_poisson),  cmocka_unit_test(test_districts),
	    cmocka_unit_test(test_mahallas), cmocka_unit_test(test_sort),
	    cmocka_unit_test(test_json_csv),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
