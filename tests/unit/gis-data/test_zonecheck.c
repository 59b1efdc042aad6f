/* zonecheck: times, days, polygons (valid, repaired, refused with the vertex),
 * the district, services and the field paths of every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "err.h"
#include "testutil.h"
#include "zonecheck.h"

#include <stdlib.h>
#include <string.h>

/* The district of these tests: 69.0..69.2 E, 41.0..41.1 N. */
static const char *const district_json =
    "{\"type\":\"Polygon\",\"coordinates\":[[[69.0,41.0],[69.2,41.0],[69.2,41.1],[69.0,41.1],"
    "[69.0,41.0]]]}";

static int setup(void **state)
{
	int rc = testutil_db_open(state);
	if (rc)
		return rc;
	struct testutil_db *f = *state;
	struct zonecheck_report rep = {0};
	struct store_put_info info;
	struct store_area d = {.code = "D1"};
	unsigned char *wkb;
	if (zonecheck_geojson(district_json, &wkb, &d.wkb_len, &rep) < 0)
		return -1;
	d.wkb = wkb;
	rc = store_put_district(f->st, &d, &info);
	free(wkb);
	if (rc == 0)
		rc = store_ensure_service(f->st, "ppx", "Patrol-post service");
	return rc;
}

static void test_clock_and_date(void **state)
{
	(void)state;
	int m = -1;
	assert_int_equal(zonecheck_clock("18:00", &m), 0);
	assert_int_equal(m, 18 * 60);
	assert_int_equal(zonecheck_clock("24:00", &m), 0);
	assert_int_equal(m, 1440);
	assert_int_equal(zonecheck_clock("02:30:00", &m), 0);
	assert_int_equal(m, 150);
	assert_int_equal(zonecheck_clock("2:30", &m), 0);
	assert_int_equal(m, 150);
	const char *bad[] = {"25:00",  "24:01",  "18:60", "7:0", "+7:00",
	                     "18: 00", "18:00x", "",      "18",  "-1:00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(zonecheck_clock(bad[i], &m), ERR_INVALID);
		assert_non_null(strstr(err_msg(), bad[i]));
	}
	assert_int_equal(zonecheck_date("2024-02-29"), 0);
	assert_int_equal(zonecheck_date("2023-02-29"), ERR_INVALID);
	assert_int_equal(zonecheck_date("2026-13-01"), ERR_INVALID);
	assert_int_equal(zonecheck_date("2026-1-01"), ERR_INVALID);
	assert_int_equal(zonecheck_date("2026-04-31"), ERR_INVALID);
}

/* Checks a zone of the GeoJSON geometry and one assignment a; returns the
 * result, with the report in *rep (freed by the caller). */
static int check(store *st, const char *geometry, const struct store_assignment *a,
                 struct zonecheck_report *rep)
{
	unsigned char *wkb = NULL;
	struct store_zone z = {.external_id = "Z1",
	                       .name = "Bazaar",
	                       .valid_from = "2026-07-01",
	                       .valid_to = "2026-12-31",
	                       .assignments = a,
	                       .n_assignments = a ? 1 : 0};
	struct zonecheck_report conv = {0};
	int rc = zonecheck_geojson(geometry, &wkb, &z.wkb_len, &conv);
	assert_int_equal(rc, 0);
	z.wkb = wkb;
	rc = zonecheck_zone(st, &z, rep);
	if (rep->repaired)
		assert_ptr_equal(z.wkb, rep->fixed);
	free(wkb);
	return rc;
}

static void test_polygons(void **state)
{
	struct testutil_db *f = *state;
	struct zonecheck_report rep;
	struct store_assignment a = {
	    .service = "ppx", .shift.start = 18 * 60, .shift.end = 2 * 60, .shift.weekdays = 0x70};
	assert_int_equal(
	    check(f->st,
	          "{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],[69.08,41.02],"
	          "[69.08,41.05],[69.05,41.05],[69.05,41.02]]]}",
	          &a, &rep),
	    0);
	assert_false(rep.repaired);
	zonecheck_report_free(&rep);

	/* A bow-tie: MakeValid makes two triangles of it, and both stay. */
	assert_int_equal(
	    check(f->st,
	          "{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],[69.08,41.05],"
	          "[69.08,41.02],[69.05,41.05],[69.05,41.02]]]}",
	          &a, &rep),
	    0);
	assert_true(rep.repaired);
	assert_non_null(strstr(rep.reason, "Self-intersection"));
	assert_non_null(strstr(rep.reason, "69.065"));
	assert_non_null(rep.fixed);
	unsigned char *wkb;
	size_t len;
	struct zonecheck_report again;
	struct store_zone z = {.external_id = "Z2", .name = "Repaired"};
	z.wkb = rep.fixed;
	z.wkb_len = rep.fixed_len;
	assert_int_equal(zonecheck_zone(f->st, &z, &again), 0);
	assert_false(again.repaired);
	zonecheck_report_free(&again);
	zonecheck_report_free(&rep);

	/* Refusals: the result, the field named and a piece of the message. */
	static const struct {
		const char *geometry;
		int rc;
		const char *field, *message;
	} refused[] = {
	    /* All on one line: MakeValid leaves a line, refused near the vertex. */
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],[69.06,41.02],[69.07,41.02],"
	     "[69.05,41.02]]]}",
	     ERR_GEOMETRY, "geometry.coordinates[0][", "MakeValid leaves no polygon"},
	    /* About 100 km east of the district. */
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[70.4,41.02],[70.41,41.02],[70.41,41.03],"
	     "[70.4,41.02]]]}",
	     ERR_INVALID, "geometry", "outside the district: the nearest district is 10"},
	    {"{\"type\":\"LineString\",\"coordinates\":[[69.05,41.02],[69.06,41.03]]}", ERR_INVALID,
	     "geometry.type", "not a LineString"},
	    {"{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],[269.08,41.02],[69.08,41.05],"
	     "[69.05,41.02]]]}",
	     ERR_INVALID, "geometry.coordinates[0][1]", "(269.08, 41.02) is not a longitude"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(check(f->st, refused[i].geometry, &a, &rep), refused[i].rc);
		assert_ptr_equal(strstr(rep.field, refused[i].field), rep.field);
		assert_non_null(strstr(err_msg(), refused[i].message));
		zonecheck_report_free(&rep);
	}

	/* Touching the district's east edge is enough. */
	assert_int_equal(check(f->st,
	                       "{\"type\":\"Polygon\",\"coordinates\":[[[69.2,41.02],[69.25,41.02],"
	                       "[69.25,41.05],[69.2,41.05],[69.2,41.02]]]}",
	                       &a, &rep),
	                 0);
	zonecheck_report_free(&rep);

	struct zonecheck_report conv = {0};
	assert_int_equal(zonecheck_geojson("{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],"
	                                   "[69.08,41.02],[69.08,41.05]]]}",
	                                   &wkb, &len, &conv),
	                 ERR_GEOMETRY);
	assert_string_equal(conv.field, "geometry");
	assert_null(wkb);

	/* An empty position, which GEOS 3.11's reader would read past, in a
	 * polygon, a multipolygon and a Feature's polygon. */
	static const char *const empty_positions[] = {
	    "{\"type\":\"Polygon\",\"coordinates\":[[[69,41.31],[],[69.26,41.29],[69,41.31]]]}",
	    "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[69,41.31],[69.1,41.3],[69.26,41.29],"
	    "[69.24]]]]}",
	    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[]]]}}"};
	for (size_t i = 0; i < sizeof empty_positions / sizeof *empty_positions; i++) {
		assert_int_equal(zonecheck_geojson(empty_positions[i], &wkb, &len, &conv),
		                 ERR_GEOMETRY);
		assert_string_equal(conv.field, "geometry.coordinates");
		assert_null(wkb);
	}
}

static void test_fields(void **state)
{
	struct testutil_db *f = *state;
	const char *square = "{\"type\":\"Polygon\",\"coordinates\":[[[69.05,41.02],[69.08,41.02],"
	                     "[69.08,41.05],[69.05,41.05],[69.05,41.02]]]}";
	struct zonecheck_report rep;
	struct store_assignment ok = {
	    .service = "ppx", .shift.start = 0, .shift.end = 1440, .shift.weekdays = 127};
	struct {
		struct store_assignment a;
		const char *field;
	} cases[] = {
	    {{.service = "dragnet", .shift.start = 60, .shift.end = 120, .shift.weekdays = 1},
	     "properties.assignments[1].service"},
	    {{.service = "ppx", .shift.start = 1440, .shift.end = 120, .shift.weekdays = 1},
	     "properties.assignments[1].shift_start"},
	    {{.service = "ppx", .shift.start = 60, .shift.end = 60, .shift.weekdays = 1},
	     "properties.assignments[1].shift_end"},
	    {{.service = "ppx", .shift.start = 60, .shift.end = 120, .shift.weekdays = 0},
	     "properties.assignments[1].weekdays"},
	    {{.service = "ppx", .shift.start = 60, .shift.end = 120, .shift.weekdays = 128},
	     "properties.assignments[1].weekdays"},
	};
	unsigned char *wkb;
	size_t len;
	assert_int_equal(zonecheck_geojson(square, &wkb, &len, &rep), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct store_assignment as[2] = {ok, cases[i].a};
		struct store_zone z = {.external_id = "Z1",
		                       .name = "Bazaar",
		                       .wkb = wkb,
		                       .wkb_len = len,
		                       .assignments = as,
		                       .n_assignments = 2};
		assert_int_equal(zonecheck_zone(f->st, &z, &rep), ERR_INVALID);
		assert_string_equal(rep.field, cases[i].field);
		assert_non_null(strstr(err_msg(), cases[i].field));
		zonecheck_report_free(&rep);
	}
	struct store_zone z = {.external_id = "Z1", .name = "", .wkb = wkb, .wkb_len = len};
	assert_int_equal(zonecheck_zone(f->st, &z, &rep), ERR_INVALID);
	assert_string_equal(rep.field, "properties.name");
	z.name = "Bazaar";
	z.valid_from = "2026-07-01";
	z.valid_to = "2026-06-30";
	assert_int_equal(zonecheck_zone(f->st, &z, &rep), ERR_INVALID);
	assert_string_equal(rep.field, "properties.valid_to");
	z.valid_to = "2026-02-30";
	assert_int_equal(zonecheck_zone(f->st, &z, &rep), ERR_INVALID);
	assert_string_equal(rep.field, "properties.valid_to");
	z.valid_to = "2026-07-01";
	assert_int_equal(zonecheck_zone(f->st, &z, &rep), 0);
	free(wkb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clock_and_date),
	    cmocka_unit_test_setup_teardown(test_polygons, setup, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_fields, setup, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
