/* coverage: a hand-built district of two mahallas, four clusters and eight
 * zones in a real SpatiaLite store, where every figure is worked out by
 * hand first:
 *   A (60 offences) in Z1 of ppx/p1                 -> covered
 *   B (40) in Z2 of ppx/p2 and Z3 of youth/y1        -> overlap
 *   C (30) in Z4 of ppx/p3 and youth/y2 together     -> joint
 *   D (20): Z5 of road/r1 is off duty on Friday night and Z6 of road/r2
 *           holds only 8 of its 20 offences           -> gap
 * Z7 (ppx/p1 again) holds one lone offence; Z8 (youth/y1 again) overlaps
 * Z3, so youth/y1's area is the union. Areas on the sphere are
 * R² Δλ (sin φ1 - sin φ0) for a box of meridians and parallels. */
#include "testutil.h"

#include "coverage.h"
#include "dataset.h"
#include "err.h"
#include "hotspot.h"
#include "shapes.h"
#include "shift.h"
#include "store.h"
#include "tilemath.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W       69.200
#define S       41.300
#define E       69.224
#define N       41.318
#define MID_LON 69.212 /* M1 west of it, M2 east */
#define A_LON   69.204
#define A_LAT   41.304
#define B_LON   69.220
#define B_LAT   41.304
#define C_LON   69.204
#define C_LAT   41.314
#define D_LON   69.220
#define D_LAT   41.314
#define STEP    0.00004 /* between cluster points, about 3 m */

/* 2026-03-06, a Friday, 00:00 in Tashkent (UTC+5), in UTC seconds. */
#define FRIDAY (1772409600LL + 4 * 86400 - 5 * 3600)
#define HOUR   3600LL
#define FRI    (1u << 4)

struct fixture {
	char *dir;
	store *st;
	dataset *ds;
	shapes *sh;
};

/* A cluster of n offences on a grid 5 points wide around (lon, lat). */
static void cluster(store *st, int *seq, double lon, double lat, int n, int64_t t)
{
	for (int k = 0; k < n; k++) {
		char id[32];
		snprintf(id, sizeof id, "o%d", (*seq)++);
		testutil_put_offence(st, id, lon + (k % 5 - 2) * STEP, lat + (k / 5 - 1.5) * STEP,
		                     t, t, "theft");
	}
}

static void area(store *st, int mahalla, const char *code, double x0, double x1)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_area a = {.code = code,
	                       .name_uz = code,
	                       .name_en = code,
	                       .district_code = "D1",
	                       .population = -1,
	                       .households = -1,
	                       .wkb = wkb};
	a.wkb_len = testutil_square_wkb(wkb, x0, S, x1, N);
	assert_int_equal(
	    mahalla ? store_put_mahalla(st, &a, &info) : store_put_district(st, &a, &info), 0);
}

static void zone(store *st, const char *id, const double box[4], const char *valid_to,
                 const struct store_assignment *as, size_t n)
{
	unsigned char wkb[128];
	struct store_put_info info;
	struct store_zone z = {.external_id = id,
	                       .name = id,
	                       .valid_to = valid_to,
	                       .wkb = wkb,
	                       .assignments = as,
	                       .n_assignments = n};
	z.wkb_len = testutil_square_wkb(wkb, box[0], box[1], box[2], box[3]);
	assert_int_equal(store_put_zone(st, &z, "test", &info), 0);
}

static const double Z1[] = {69.202, 41.302, 69.206, 41.306};
static const double Z2[] = {69.218, 41.302, 69.222, 41.306};
static const double Z3[] = {69.219, 41.303, 69.223, 41.307};
static const double Z4[] = {69.202, 41.312, 69.206, 41.316};
static const double Z5[] = {69.218, 41.312, 69.222, 41.316};
/* East edge between D's second and third columns: 2 of 5 columns, 8 of 20. */
static const double Z6[] = {69.210, 41.312, D_LON - 0.5 * STEP, 41.316};
static const double Z7[] = {69.208, 41.300, 69.210, 41.302};
static const double Z8[] = {69.221, 41.305, 69.224, 41.308};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[700];
	int seq = 0;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "c.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &f->st), 0);
	area(f->st, 0, "D1", W, E);
	area(f->st, 1, "M1", W, MID_LON);
	area(f->st, 1, "M2", MID_LON, E);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	assert_int_equal(store_ensure_service(f->st, "ppx", "Public order"), 0);
	assert_int_equal(store_ensure_service(f->st, "youth", "Youth"), 0);
	assert_int_equal(store_ensure_service(f->st, "road", "Road patrol"), 0);
	int64_t evening = FRIDAY + 20 * HOUR + 30 * 60;
	cluster(f->st, &seq, A_LON, A_LAT, 60, evening);
	cluster(f->st, &seq, B_LON, B_LAT, 40, evening);
	cluster(f->st, &seq, C_LON, C_LAT, 30, evening);
	cluster(f->st, &seq, D_LON, D_LAT, 20, evening);
	/* Outside the shift: Saturday noon at A. */
	cluster(f->st, &seq, A_LON, A_LAT, 10, FRIDAY + 36 * HOUR);
	testutil_put_offence(f->st, "lone-z7", 69.209, 41.301, evening, evening, "theft");
	testutil_put_offence(f->st, "lone-none", 69.212, 41.309, evening, evening, "theft");

	const int eve = 18 * 60, two = 2 * 60;
	const struct store_assignment p1 = {"ppx", "p1", {eve, two, FRI}},
	                              p2 = {"ppx", "p2", {eve, two, FRI}},
	                              y1 = {"youth", "y1", {20 * 60, 23 * 60, 0x70}},
	                              joint[] = {{"ppx", "p3", {eve, two, FRI}},
	                                         {"youth", "y2", {eve, two, FRI}}},
	                              r1 = {"road", "r1", {8 * 60, 17 * 60, 1}},
	                              r2 = {"road", "r2", {eve, two, FRI}};
	zone(f->st, "Z1", Z1, NULL, &p1, 1);
	zone(f->st, "Z2", Z2, NULL, &p2, 1);
	zone(f->st, "Z3", Z3, NULL, &y1, 1);
	zone(f->st, "Z4", Z4, "2026-03-31", joint, 2);
	zone(f->st, "Z5", Z5, NULL, &r1, 1);
	zone(f->st, "Z6", Z6, NULL, &r2, 1);
	zone(f->st, "Z7", Z7, NULL, &p1, 1);
	zone(f->st, "Z8", Z8, NULL, &y1, 1);
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

/* Ground square metres of a box of meridians and parallels. */
static double box_area(const double b[4])
{
	double r = TILE_EARTH_RADIUS, d = M_PI / 180;
	return r * r * (b[2] - b[0]) * d * (sin(b[3] * d) - sin(b[1] * d));
}

static void hotspots(struct fixture *f, const char *hours, const char *days,
                     struct hotspot_set *set)
{
	struct shift sh;
	assert_int_equal(shift_parse(hours, days, &sh), 0);
	struct hotspot_params p = {
	    .shift = hours ? &sh : NULL, .kernel = KDE_QUARTIC, .bandwidth = 150};
	dataset_filter_all(&p.filter);
	assert_int_equal(hotspot_find(f->ds, f->sh, &p, set), 0);
}

static const struct coverage_group *group(const struct coverage_group *g, size_t n,
                                          const char *service, const char *unit)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(g[i].service, service) == 0 &&
		    (!unit || (g[i].unit && strcmp(g[i].unit, unit) == 0)))
			return &g[i];
	fail_msg("no group %s %s", service, unit ? unit : "");
	return NULL;
}

static void check_group(const struct coverage *c, const struct coverage_group *g, size_t zones,
                        size_t offences, size_t hot, double area)
{
	assert_int_equal(g->zones, zones);
	assert_int_equal(g->offences, offences);
	assert_int_equal(g->hotspot_offences, hot);
	assert_true(fabs(g->zone_area_m2 - area) < 1e-6 * area);
	assert_true(fabs(g->offence_share - (double)offences / 152) < 1e-12);
	assert_true(fabs(g->hotspot_offence_share - (double)hot / 150) < 1e-12);
	double share = area / c->set->district_area_m2;
	assert_true(fabs(g->area_share - share) < 1e-6 * share);
	assert_true(fabs(g->pai - (double)offences / 152 / share) < 1e-5 * g->pai);
}

static void test_friday_night(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	hotspots(f, "18:00-02:00", "fri", &set);
	struct coverage_params p = {0};
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	assert_int_equal(c.offences, 152);
	assert_int_equal(set.offences, 152);
	assert_int_equal(c.hotspot_offences, 150);
	assert_int_equal(c.offences_in_zones, 60 + 40 + 30 + 8 + 1);
	assert_int_equal(c.zones, 7); /* all but Z5 */

	assert_int_equal(c.n_hotspots, 4);
	static const enum coverage_status want[] = {COVERAGE_COVERED, COVERAGE_OVERLAP,
	                                            COVERAGE_JOINT, COVERAGE_GAP};
	static const size_t offences[] = {60, 40, 30, 20}, by[] = {1, 2, 2, 0};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(c.hotspots[i].h->offences, offences[i]);
		assert_int_equal(c.hotspots[i].status, want[i]);
		assert_int_equal(c.hotspots[i].n_covered_by, by[i]);
	}
	const struct coverage_assignment *a = &c.assignments[c.hotspots[1].covered_by[0]];
	assert_string_equal(a->z->external_id, "Z2");
	a = &c.assignments[c.hotspots[1].covered_by[1]];
	assert_string_equal(a->z->external_id, "Z3");
	assert_string_equal(a->a->unit, "y1");
	assert_int_equal(c.counts[COVERAGE_GAP], 1);
	assert_int_equal(c.counts[COVERAGE_OVERLAP], 1);
	assert_int_equal(c.counts[COVERAGE_JOINT], 1);
	assert_int_equal(c.counts[COVERAGE_COVERED], 1);

	const double z38[] = {69.221, 41.305, 69.223, 41.307};
	assert_int_equal(c.n_units, 6);
	check_group(&c, group(c.units, c.n_units, "ppx", "p1"), 2, 61, 60,
	            box_area(Z1) + box_area(Z7));
	check_group(&c, group(c.units, c.n_units, "ppx", "p2"), 1, 40, 40, box_area(Z2));
	check_group(&c, group(c.units, c.n_units, "ppx", "p3"), 1, 30, 30, box_area(Z4));
	check_group(&c, group(c.units, c.n_units, "road", "r2"), 1, 8, 8, box_area(Z6));
	check_group(&c, group(c.units, c.n_units, "youth", "y1"), 2, 40, 40,
	            box_area(Z3) + box_area(Z8) - box_area(z38));
	check_group(&c, group(c.units, c.n_units, "youth", "y2"), 1, 30, 30, box_area(Z4));
	assert_int_equal(c.n_services, 3);
	check_group(&c, group(c.services, c.n_services, "ppx", NULL), 4, 131, 130,
	            box_area(Z1) + box_area(Z2) + box_area(Z4) + box_area(Z7));
	check_group(&c, group(c.services, c.n_services, "road", NULL), 1, 8, 8, box_area(Z6));
	check_group(&c, group(c.services, c.n_services, "youth", NULL), 3, 70, 70,
	            box_area(Z3) + box_area(Z8) - box_area(z38) + box_area(Z4));
	/* The district's area is its cells' (25 m), within a cell row of the box. */
	assert_true(fabs(c.set->district_area_m2 - box_area((double[]){W, S, E, N})) <
	            0.01 * c.set->district_area_m2);

	/* Responsibility: M1 has Z1, Z4 (two), Z6, Z7; M2 has Z2, Z3, Z6, Z8. */
	assert_int_equal(c.n_mahallas, 2);
	static const char *const m1[] = {"Z1 p1", "Z4 p3", "Z4 y2", "Z6 r2", "Z7 p1"},
	                         *const m2[] = {"Z2 p2", "Z3 y1", "Z6 r2", "Z8 y1"};
	const char *const *lists[] = {m1, m2};
	size_t sizes[] = {5, 4};
	for (int m = 0; m < 2; m++) {
		assert_int_equal(c.mahallas[m].n, sizes[m]);
		for (size_t k = 0; k < sizes[m]; k++) {
			char got[32];
			a = &c.assignments[c.mahallas[m].assignments[k]];
			snprintf(got, sizeof got, "%s %s", a->z->external_id, a->a->unit);
			assert_string_equal(got, lists[m][k]);
		}
	}
	coverage_free(&c);
	hotspot_set_free(&set);
}

static void test_planning_date_and_index(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	coverage_index *ix;
	hotspots(f, "18-02", "fri", &set);
	assert_int_equal(coverage_index_new(f->sh, &ix), 0);
	/* Z4 ends on 2026-03-31: on 2026-04-10 C has nobody. */
	struct coverage_params p = {.date = "2026-04-10", .index = ix};
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	assert_int_equal(c.hotspots[2].status, COVERAGE_GAP);
	assert_int_equal(c.counts[COVERAGE_GAP], 2);
	assert_int_equal(c.counts[COVERAGE_JOINT], 0);
	assert_int_equal(c.n_units, 4);
	assert_int_equal(c.zones, 6);
	coverage_free(&c);
	p.date = "2026-03-31";
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	assert_int_equal(c.hotspots[2].status, COVERAGE_JOINT);
	coverage_free(&c);
	p.date = "2026-02-30";
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), ERR_INVALID);
	assert_int_equal(strncmp(err_msg(), "date: ", 6), 0);
	coverage_index_free(ix);
	hotspot_set_free(&set);
}

static void test_every_hour(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	hotspots(f, NULL, NULL, &set);
	struct coverage_params p = {0};
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	/* Every zone is in play: Z5 of road/r1 holds all of D. */
	assert_int_equal(c.offences, 162);
	assert_int_equal(c.zones, 8);
	assert_int_equal(c.hotspots[0].h->offences, 70);
	assert_int_equal(c.hotspots[3].status, COVERAGE_COVERED);
	assert_string_equal(c.assignments[c.hotspots[3].covered_by[0]].a->unit, "r1");
	coverage_free(&c);
	hotspot_set_free(&set);
}

/* Twenty burglaries at B known only between Friday 22:00 and Saturday
 * 06:00 (Tuesday's for the ones at D: outside the shift): Friday's 18-02
 * shift holds half of each, so B, its zones and their units count 10 more
 * offences, and the shares follow. */
static void test_spans_count_by_their_share(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	size_t added;
	for (int k = 0; k < 20; k++) {
		char id[32];
		snprintf(id, sizeof id, "span%d", k);
		testutil_put_offence(f->st, id, B_LON + (k % 5 - 2) * STEP,
		                     B_LAT + (k / 5 - 1.5) * STEP, FRIDAY + 22 * HOUR,
		                     FRIDAY + 30 * HOUR, "theft");
		snprintf(id, sizeof id, "tue%d", k);
		testutil_put_offence(f->st, id, D_LON + (k % 5 - 2) * STEP,
		                     D_LAT + (k / 5 - 1.5) * STEP, FRIDAY + 94 * HOUR,
		                     FRIDAY + 102 * HOUR, "theft");
	}
	assert_int_equal(dataset_sync(f->ds, f->st, NULL, NULL, &added), 0);
	assert_int_equal(added, 40);
	hotspots(f, "18:00-02:00", "fri", &set);
	struct coverage_params p = {0};
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	assert_float_equal(c.offences, 162, 1e-9);
	assert_float_equal(c.hotspot_offences, 160, 1e-9);
	assert_float_equal(c.hotspots[1].h->offences, 50, 1e-9);
	assert_int_equal(c.hotspots[1].status, COVERAGE_OVERLAP);
	const struct coverage_group *g = group(c.units, c.n_units, "ppx", "p2");
	assert_float_equal(g->offences, 50, 1e-9);
	assert_float_equal(g->offence_share, 50.0 / 162, 1e-12);
	assert_float_equal(g->hotspot_offence_share, 50.0 / 160, 1e-12);
	g = group(c.units, c.n_units, "ppx", "p1");
	assert_float_equal(g->offence_share, 61.0 / 162, 1e-12);
	json_t *j;
	assert_int_equal(coverage_json(&c, &j), 0);
	assert_true(json_is_integer(json_object_get(j, "offences")));
	assert_int_equal(json_integer_value(json_object_get(j, "offences")), 162);
	json_decref(j);
	coverage_free(&c);
	hotspot_set_free(&set);
}

static void test_json_and_csv(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	json_t *o;
	hotspots(f, "18:00-02:00", "fri", &set);
	struct coverage_params p = {.date = "2026-03-06"};
	assert_int_equal(coverage_compute(f->ds, f->sh, &set, &p, &c), 0);
	assert_int_equal(coverage_json(&c, &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "shift")), "18:00-02:00 fri");
	assert_string_equal(json_string_value(json_object_get(o, "date")), "2026-03-06");
	assert_int_equal(json_integer_value(json_object_get(o, "gaps")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "overlaps")), 1);
	json_t *h = json_array_get(json_object_get(o, "hotspots"), 1);
	assert_string_equal(json_string_value(json_object_get(h, "status")), "overlap");
	json_t *by = json_array_get(json_object_get(h, "covered_by"), 1);
	assert_string_equal(json_string_value(json_object_get(by, "zone")), "Z3");
	assert_string_equal(json_string_value(json_object_get(by, "shift")),
	                    "20:00-23:00 fri,sat,sun");
	json_t *m = json_array_get(json_object_get(o, "mahallas"), 1);
	assert_string_equal(json_string_value(json_object_get(m, "code")), "M2");
	assert_int_equal(json_array_size(json_object_get(m, "assignments")), 4);
	json_t *u = json_array_get(json_object_get(o, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(u, "unit")), "p1");
	assert_int_equal(json_integer_value(json_object_get(u, "offences")), 61);
	json_decref(o);

	char *text = NULL;
	size_t len = 0;
	FILE *mf = open_memstream(&text, &len);
	assert_int_equal(coverage_csv(&c, mf), 0);
	fclose(mf);
	char area_a[32];
	snprintf(area_a, sizeof area_a, "%.1f", c.hotspots[0].h->area_m2);
	char *line = strstr(text, "\r\n") + 2;
	assert_int_equal(strncmp(text, "rank,status,offences,area_m2,zone,service,unit\r\n", 48),
	                 0);
	assert_int_equal(strncmp(line, "1,covered,60,", 13), 0);
	assert_non_null(strstr(line, area_a));
	assert_non_null(strstr(text, "2,overlap,40,"));
	assert_non_null(strstr(text, ",Z3,youth,y1\r\n"));
	assert_non_null(strstr(text, "4,gap,20,"));
	assert_non_null(strstr(text, ",,,\r\n"));
	free(text);
	coverage_free(&c);
	hotspot_set_free(&set);
}

/* A district's coverage counts its own zones: Z1, moved to another
 * district, no longer covers hotspot 1 for a filter of D1, while the whole
 * store's still counts it. Runs last: it changes the store. */
static void test_zones_of_other_districts(void **state)
{
	struct fixture *f = *state;
	struct hotspot_set set;
	struct coverage c;
	struct shift s;
	shapes *sh;
	char path[700];
	sqlite3 *db;
	assert_int_equal(sqlite3_open(testutil_path(path, sizeof path, f->dir, "c.sqlite"), &db),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "UPDATE patrol_zones SET district_code = 'D2' "
	                              "WHERE external_id = 'Z1'",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(shapes_load(f->st, NULL, &sh), 0);
	assert_int_equal(shift_parse("18:00-02:00", "fri", &s), 0);
	struct hotspot_params p = {.shift = &s, .kernel = KDE_QUARTIC, .bandwidth = 150};
	for (int scoped = 0; scoped < 2; scoped++) {
		struct dataset_filter_text t = {.district = scoped ? "D1" : NULL};
		assert_int_equal(dataset_filter_parse(f->ds, &t, &p.filter), 0);
		assert_int_equal(hotspot_find(f->ds, sh, &p, &set), 0);
		struct coverage_params cp = {0};
		assert_int_equal(coverage_compute(f->ds, sh, &set, &cp, &c), 0);
		assert_int_equal(c.hotspots[0].status, scoped ? COVERAGE_GAP : COVERAGE_COVERED);
		assert_int_equal(c.zones, scoped ? 6 : 7);
		coverage_free(&c);
		hotspot_set_free(&set);
	}
	shapes_free(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_friday_night),
	    cmocka_unit_test(test_planning_date_and_index),
	    cmocka_unit_test(test_every_hour),
	    cmocka_unit_test(test_json_and_csv),
	    cmocka_unit_test(test_spans_count_by_their_share),
	    cmocka_unit_test(test_zones_of_other_districts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
