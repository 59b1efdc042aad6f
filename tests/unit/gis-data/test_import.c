/* import: GeoJSON, CSV and GeoPackage files written by the tests into their
 * temporary folder, read by import_run() into a fresh store. Every test checks
 * the report's figures and the stored rows, not only the return code. The
 * rows are read with SQLite from the SpatiaLite file (testdb.h): how the
 * backend stores geometries and times is part of what is tested. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "import.h"
#include "store.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Writes text to name in the test's folder; returns the path in buf. */
static const char *put_file(const struct testutil_db *f, const char *name, const char *text,
                            char *buf, size_t n)
{
	testutil_path(buf, n, f->dir, name);
	testutil_write(buf, text);
	return buf;
}

static double real(store *st, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(testdb(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_not_equal(sqlite3_column_type(s, 0), SQLITE_NULL);
	double v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column as text into buf; "(null)" for SQL NULL. */
static const char *text(store *st, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(testdb(st), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const char *v = (const char *)sqlite3_column_text(s, 0);
	snprintf(buf, n, "%s", v ? v : "(null)");
	sqlite3_finalize(s);
	return buf;
}

/* Rows of every table an import writes to, to see that a failure left none. */
static long all_rows(store *st)
{
	return testdb_count(testdb(st),
	                    "SELECT (SELECT count(*) FROM districts) + (SELECT count(*) FROM "
	                    "mahallas) + (SELECT count(*) FROM offences) + (SELECT count(*) FROM "
	                    "patrol_zones) + (SELECT count(*) FROM zone_assignments) + (SELECT "
	                    "count(*) FROM patrol_tracks) + (SELECT count(*) FROM categories) + "
	                    "(SELECT count(*) FROM services) + (SELECT count(*) FROM audit)");
}

/* The report group whose reason contains needle, or NULL. */
static const struct import_reason *reason(const struct import_report *rep, const char *needle)
{
	for (size_t i = 0; i < rep->n_reasons; i++)
		if (strstr(rep->reasons[i].text, needle))
			return &rep->reasons[i];
	return NULL;
}

/* UTC seconds of a civil UTC time (proleptic Gregorian). */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	y -= mo <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

/* Imports path into layer with default options; asserts success. */
static void import_ok(struct testutil_db *f, enum import_layer layer, const char *path,
                      struct import_report *rep)
{
	struct import_options o = {.layer = layer, .path = path};
	int rc = import_run(f->st, &o, rep);
	if (rc != 0) {
		import_report_free(rep);
		fail_msg("import of %s failed: %s", path, err_msg());
	}
}

/* Two mahallas side by side: M1 69.0-69.1 and M2 69.1-69.2, 41.0-41.1. */
static void import_two_mahallas(struct testutil_db *f)
{
	char path[700];
	struct import_report rep;
	put_file(f, "mahallas.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"M1\",\"name\":\"Bog'ishamol\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.0,41.0],[69.1,41.0],[69.1,41.1],[69.0,41.1],[69.0,41.0]]]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"M2\",\"name\":\"Oqtepa\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.1,41.0],[69.2,41.0],[69.2,41.1],[69.1,41.1],[69.1,41.0]]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_MAHALLAS, path, &rep);
	assert_int_equal(rep.inserted, 2);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM mahallas"), 2);
}

/* --- areas ----------------------------------------------------------------- */

static void test_districts_collection_and_polygon_become_multipolygons(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	/* As OGR reads tashkent/districts.geojson: a GeometryCollection holding one
	 * MultiPolygon of two parts; then a plain Polygon without a code. */
	put_file(f, "districts.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"YUN\",\"name\":\"Yunusobod\"},"
	         "\"geometry\":{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":"
	         "\"MultiPolygon\",\"coordinates\":["
	         "[[[69.0,41.0],[69.1,41.0],[69.1,41.1],[69.0,41.1],[69.0,41.0]]],"
	         "[[[69.2,41.0],[69.3,41.0],[69.3,41.1],[69.2,41.1],[69.2,41.0]]]]}]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"code\":null,\"name\":\"Mirzo Ulug'bek\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.3,41.2],[69.5,41.2],[69.5,41.3],[69.3,41.3],[69.3,41.2]]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_DISTRICTS, path, &rep);
	assert_int_equal(rep.read, 2);
	assert_int_equal(rep.inserted, 2);
	assert_int_equal(rep.repaired, 0);
	assert_string_equal(rep.row_word, "feature");
	assert_non_null(strstr(rep.mapping, "code=code"));
	import_report_free(&rep);

	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM districts"), 2);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM districts WHERE "
	                              "GeometryType(geom) = 'MULTIPOLYGON' AND ST_IsValid(geom)"),
	                 2);
	assert_int_equal(
	    testdb_count(testdb(f->st),
	                 "SELECT ST_NumGeometries(geom) FROM districts WHERE code = 'YUN'"),
	    2);
	assert_string_equal(
	    text(f->st, "SELECT name_en FROM districts WHERE code = 'YUN'", buf, sizeof buf),
	    "Yunusobod");
	/* No code: slugged from the name. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT ST_NumGeometries(geom) FROM districts WHERE code = "
	                              "'mirzo_ulug_bek'"),
	                 1);
	assert_float_equal(
	    real(f->st, "SELECT ST_Area(geom) FROM districts WHERE code = 'mirzo_ulug_bek'"), 0.02,
	    1e-9);

	/* The same file again changes nothing. */
	import_ok(f, IMPORT_DISTRICTS, path, &rep);
	assert_int_equal(rep.inserted, 0);
	assert_int_equal(rep.unchanged, 2);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM districts"), 2);
}

static void test_unclosed_ring_is_closed(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* Four corners, the first not repeated at the end. */
	put_file(f, "open.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"OPEN\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.0,41.0],[69.1,41.0],[69.1,41.1],[69.0,41.1]]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_MAHALLAS, path, &rep);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.repaired, 0);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT ST_IsValid(geom) FROM mahallas"), 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT ST_NPoints(geom) FROM mahallas"), 5);
	assert_float_equal(real(f->st, "SELECT ST_Area(geom) FROM mahallas"), 0.01, 1e-9);
}

static void test_bowtie_is_repaired_and_noted(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* Feature 2 is two triangles touching at (1, 1). */
	put_file(f, "bowtie.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"OK\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[3,0],[4,0],[4,1],[3,1],[3,0]]]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"BOW\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_DISTRICTS, path, &rep);
	assert_int_equal(rep.inserted, 2);
	assert_int_equal(rep.repaired, 1);
	const struct import_reason *r = reason(&rep, "repaired");
	assert_non_null(r);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->rows[0], 2);
	assert_int_equal(r->skipped, 0);
	assert_non_null(strstr(r->example, "Self-intersection"));
	import_report_free(&rep);
	/* Both triangles kept: area 2, not 1 as ST_Buffer(g, 0) would leave. */
	assert_float_equal(real(f->st, "SELECT ST_Area(geom) FROM districts WHERE code = 'BOW'"),
	                   2.0, 1e-9);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT ST_NumGeometries(geom) FROM districts WHERE code = "
	                              "'BOW'"),
	                 2);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT ST_IsValid(geom) FROM districts WHERE code = 'BOW'"),
	                 1);
}

/* A file of two good mahallas and a third with bad_geometry fails as a whole
 * with code, naming feature 3, and leaves the database as it was. */
static void check_unusable_polygon(struct testutil_db *f, const char *bad_geometry, int code)
{
	char path[700], file[2000];
	struct import_report rep;
	import_two_mahallas(f);
	long before = all_rows(f->st);
	snprintf(file, sizeof file,
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"G1\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.3,41.0],[69.4,41.0],[69.4,41.1],[69.3,41.1],[69.3,41.0]]]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"G2\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.4,41.0],[69.5,41.0],[69.5,41.1],[69.4,41.1],[69.4,41.0]]]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"code\":\"BAD\"},"
	         "\"geometry\":%s}]}",
	         bad_geometry);
	put_file(f, "bad.geojson", file, path, sizeof path);
	struct import_options o = {.layer = IMPORT_MAHALLAS, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), code);
	assert_int_equal(rep.read, 3);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "bad.geojson:feature 3:"));
	assert_int_equal(all_rows(f->st), before);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM mahallas WHERE code IN ('G1', 'G2')"),
	    0);
}

static void test_degenerate_polygon_fails_the_file(void **state)
{
	/* Two distinct points: nothing of an area to repair. */
	check_unusable_polygon(
	    *state,
	    "{\"type\":\"Polygon\",\"coordinates\":[[[69,41],[69.1,41.1],[69,41],[69,41]]]}",
	    ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "BAD"));
}

static void test_point_in_polygon_layer_fails_the_file(void **state)
{
	check_unusable_polygon(*state, "{\"type\":\"Point\",\"coordinates\":[69.05,41.05]}",
	                       ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "not a polygon"));
}

/* --- offences: times --------------------------------------------------------- */

static void test_offence_dates_and_zones(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	put_file(f, "times.csv",
	         "id,date,time,lon,lat\n"
	         "T1,2021-11-11,15:04:00,69.25,41.3\n"
	         "T2,2021-11-11T15:04,,69.25,41.3\n"
	         "T3,1/1/2010,,69.25,41.3\n"
	         "T4,31.01.2010,,69.25,41.3\n"
	         "T5,2018-01,,69.25,41.3\n",
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.read, 5);
	assert_int_equal(rep.inserted, 5);
	assert_string_equal(rep.row_word, "row");
	assert_int_equal(rep.no_mahallas, 1);
	assert_int_equal(rep.outside, 0);
	import_report_free(&rep);

	/* Asia/Tashkent is UTC+5 all year. */
	const int64_t h5 = 5 * 3600;
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T1'"),
	                 utc(2021, 11, 11, 15, 4, 0) - h5);
	assert_string_equal(text(f->st,
	                         "SELECT time_precision FROM offences WHERE external_id='T1'", buf,
	                         sizeof buf),
	                    "second");
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T2'"),
	                 utc(2021, 11, 11, 15, 4, 0) - h5);
	assert_string_equal(text(f->st,
	                         "SELECT time_precision FROM offences WHERE external_id='T2'", buf,
	                         sizeof buf),
	                    "minute");
	/* Slashes: month first; a day spans its 86400 seconds. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T3'"),
	                 utc(2010, 1, 1, 0, 0, 0) - h5);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_to - occurred_from + 1 FROM offences WHERE "
	                              "external_id='T3' AND time_precision = 'day'"),
	                 86400);
	/* Dots: day first. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T4' "
	                              "AND time_precision = 'day'"),
	                 utc(2010, 1, 31, 0, 0, 0) - h5);
	/* A month stays a month. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T5' "
	                              "AND time_precision = 'month'"),
	                 utc(2018, 1, 1, 0, 0, 0) - h5);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_to - occurred_from + 1 FROM offences WHERE "
	                              "external_id='T5'"),
	                 31 * 86400);

	/* The same file read as London times (GMT in November and January):
	 * every row moves by five hours, so every row is updated. */
	struct import_options o = {
	    .layer = IMPORT_OFFENCES, .path = path, .timezone = "Europe/London"};
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.updated, 5);
	assert_int_equal(rep.inserted, 0);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 5);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T1'"),
	                 utc(2021, 11, 11, 15, 4, 0));
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T3'"),
	                 utc(2010, 1, 1, 0, 0, 0));
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T4'"),
	                 utc(2010, 1, 31, 0, 0, 0));
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='T5'"),
	                 utc(2018, 1, 1, 0, 0, 0));
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT occurred_to FROM offences WHERE external_id='T5'"),
	    utc(2018, 1, 31, 23, 59, 59));

	/* A zone that does not exist is refused before anything is read. */
	o.timezone = "Asia/Nowhere";
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "Asia/Nowhere"));
}

/* --- offences: mahallas ------------------------------------------------------ */

static void test_offences_find_their_mahalla(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	import_two_mahallas(f);
	put_file(f, "offences.csv",
	         "id,date,lon,lat,mahalla\n"
	         "A1,2021-11-11,69.05,41.05,\n"    /* row 2: inside M1 */
	         "A2,2021-11-11,70.5,41.5,\n"      /* row 3: in no mahalla */
	         "A3,2021-11-11,,,M2\n"            /* row 4: counted by its code */
	         "A4,2021-11-11,,,\n"              /* row 5: neither, skipped */
	         "A5,2021-11-11,69.15,41.05,M1\n", /* row 6: the point wins */
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.read, 5);
	assert_int_equal(rep.inserted, 4);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.outside, 1);
	assert_int_equal(rep.by_mahalla_code, 1);
	assert_int_equal(rep.no_mahallas, 0);
	const struct import_reason *r = reason(&rep, "no coordinates and no mahalla code");
	assert_non_null(r);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->rows[0], 5);
	assert_int_equal(r->skipped, 1);
	import_report_free(&rep);

	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 4);
	assert_string_equal(text(f->st, "SELECT mahalla_code FROM offences WHERE external_id='A1'",
	                         buf, sizeof buf),
	                    "M1");
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT located FROM offences WHERE external_id='A1'"), 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id='A2' AND "
	                              "mahalla_code IS NULL AND located = 0 AND geom IS NOT NULL"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id='A3' AND "
	                              "mahalla_code = 'M2' AND located IS NULL AND geom IS NULL"),
	                 1);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE external_id='A4'"), 0);
	assert_string_equal(text(f->st, "SELECT mahalla_code FROM offences WHERE external_id='A5'",
	                         buf, sizeof buf),
	                    "M2");

	/* An unknown mahalla code fails the file at its line. */
	long before = all_rows(f->st);
	put_file(f, "unknown.csv",
	         "id,date,lon,lat,mahalla\n"
	         "B1,2021-11-11,69.05,41.05,\n"
	         "B2,2021-11-11,,,M1\n"
	         "B3,2021-11-11,,,M9\n",
	         path, sizeof path);
	struct import_options o = {.layer = IMPORT_OFFENCES, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "unknown.csv:row 4:"));
	assert_non_null(strstr(err_msg(), "'M9'"));
	assert_int_equal(all_rows(f->st), before);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id LIKE 'B%'"),
	                 0);
}

static void test_geojson_offences_with_typed_dates(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	/* OGR reads these values as DateTime and Date fields and hands them out
	 * as "2021/11/11 15:04:00" and "2021/11/12"; a MultiPoint of one point
	 * is that point. */
	put_file(f, "offences.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"G1\","
	         "\"date\":\"2021-11-11T15:04:00\",\"reported\":\"2021-11-12\","
	         "\"category\":\"Theft\"},"
	         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[69.25,41.3]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"G2\","
	         "\"date\":\"2021-11-11T15:04:00+03:00\",\"reported\":null,"
	         "\"category\":\"theft\"},"
	         "\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":[[69.26,41.31]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 2);
	assert_string_equal(rep.row_word, "feature");
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='G1' "
	                              "AND time_precision = 'second'"),
	                 utc(2021, 11, 11, 10, 4, 0));
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT reported_at FROM offences WHERE external_id='G1'"),
	    utc(2021, 11, 11, 19, 0, 0));
	/* An explicit offset wins over the zone. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT occurred_from FROM offences WHERE external_id='G2'"),
	                 utc(2021, 11, 11, 12, 4, 0));
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT reported_at IS NULL FROM offences WHERE "
	                              "external_id='G2'"),
	                 1);
	/* "Theft" made the category theft, which "theft" then found. */
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE category = 'theft'"),
	    2);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM categories"), 1);
	assert_string_equal(text(f->st,
	                         "SELECT ST_AsText(geom) FROM offences WHERE external_id='G2'", buf,
	                         sizeof buf),
	                    "POINT(69.26 41.31)");

	/* A line is not an offence's place. */
	put_file(f, "line.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"L1\"},"
	         "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	         "[[69.2,41.3],[69.3,41.3]]}}]}",
	         path, sizeof path);
	struct import_options o = {.layer = IMPORT_OFFENCES, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_GEOMETRY);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "line.geojson:feature 1: geometry is a Line String"));
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 2);
}

/* --- offences: ids ------------------------------------------------------------ */

static void test_rows_without_id_are_stable(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	const char *v1 = "date,category,lon,lat\n"
	                 "2021-11-11,theft,69.25,41.3\n"
	                 "2021-11-12,robbery,69.26,41.3\n"
	                 "2021-11-12,robbery,69.26,41.3\n" /* same again: a second record */
	                 "2021-11-13,theft,69.27,41.3\n";
	put_file(f, "offences.csv", v1, path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 4);
	assert_int_equal(rep.repeated_ids, 0);
	/* Two new categories noted, not skipped. */
	const struct import_reason *r = reason(&rep, "new category 'robbery'");
	assert_non_null(r);
	assert_int_equal(r->skipped, 0);
	assert_int_equal(r->rows[0], 3);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 4);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE category = 'robbery'"),
	    2);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id LIKE "
	                              "'offences.csv:%#2'"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id LIKE "
	                              "'offences.csv:%'"),
	                 4);

	/* The same file again: nothing new, no duplicates. */
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 0);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, 4);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 4);

	/* A second version with its last row changed: without an id that row is
	 * another record (its hash changed); the three others stay unchanged and
	 * the old version of the row stays stored. */
	put_file(f, "offences.csv",
	         "date,category,lon,lat\n"
	         "2021-11-11,theft,69.25,41.3\n"
	         "2021-11-12,robbery,69.26,41.3\n"
	         "2021-11-12,robbery,69.26,41.3\n"
	         "2021-11-13,fraud,69.27,41.3\n",
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.updated, 0);
	assert_int_equal(rep.unchanged, 3);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 5);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE category = 'fraud'"),
	    1);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE category = 'robbery'"),
	    2);
}

static void test_rows_with_id_update_and_repeat(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	put_file(f, "ids.csv",
	         "id,date,category,lon,lat\n"
	         "X1,2021-11-11,theft,69.25,41.3\n"
	         "X2,2021-11-12,robbery,69.26,41.3\n"
	         "X2,2021-11-12,robbery,69.26,41.31\n" /* one incident, second victim */
	         "X3,2021-11-13,theft,69.27,41.3\n",
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 4);
	assert_int_equal(rep.repeated_ids, 1);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE external_id IN "
	                              "('X1', 'X2', 'X2#2', 'X3')"),
	                 4);
	assert_float_equal(real(f->st, "SELECT ST_Y(geom) FROM offences WHERE external_id='X2#2'"),
	                   41.31, 1e-9);

	put_file(f, "ids.csv",
	         "id,date,category,lon,lat\n"
	         "X1,2021-11-11,theft,69.25,41.3\n"
	         "X2,2021-11-12,robbery,69.26,41.3\n"
	         "X2,2021-11-12,robbery,69.26,41.31\n"
	         "X3,2021-11-13,fraud,69.27,41.3\n",
	         path, sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 0);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 3);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 4);
	assert_string_equal(
	    text(f->st, "SELECT category FROM offences WHERE external_id='X3'", buf, sizeof buf),
	    "fraud");
}

/* --- offences: bad rows --------------------------------------------------------- */

static const char broken_csv[] = "id,date,lon,lat\n"
                                 "C1,2021-11-11,69.25,41.3\n"
                                 "C2,2021-11-12,69.25,41.3\n"
                                 "C3,2021-13-45,69.25,41.3\n" /* row 4 */
                                 "C4,2021-11-14,69.25,41.3\n";

static void test_bad_date_fails_the_file(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	put_file(f, "broken.csv", broken_csv, path, sizeof path);
	long before = all_rows(f->st);
	struct import_options o = {.layer = IMPORT_OFFENCES, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	assert_int_equal(rep.read, 3);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "broken.csv:row 4:"));
	assert_non_null(strstr(err_msg(), "field date"));
	assert_non_null(strstr(err_msg(), "2021-13-45"));
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 0);
	assert_int_equal(all_rows(f->st), before);
}

static void test_bad_date_skipped_with_skip_bad(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	put_file(f, "broken.csv", broken_csv, path, sizeof path);
	struct import_options o = {.layer = IMPORT_OFFENCES, .path = path, .skip_bad = 1};
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.read, 4);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.skipped, 1);
	assert_int_equal(rep.n_reasons, 1);
	const struct import_reason *r = reason(&rep, "unreadable date");
	assert_non_null(r);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->rows[0], 4);
	assert_int_equal(r->skipped, 1);
	assert_non_null(strstr(r->example, "2021-13-45"));
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 3);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE external_id = 'C3'"),
	    0);
}

/* The store's one check of an offence refuses for the import what it
 * refuses for HTTP, by row and field: an id longer than STORE_ID_MAX (not
 * cut), a span ending before it starts, a severity out of range. */
static void test_store_check_refuses_rows(void **state)
{
	struct testutil_db *f = *state;
	char path[700], csv[1024], long_id[STORE_ID_MAX + 2];
	struct import_report rep;
	memset(long_id, 'L', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = 0;
	snprintf(csv, sizeof csv,
	         "id,from,to,severity,lon,lat\n"
	         "V1,2021-11-11,2021-11-12,3,69.2,41.3\n"
	         "%s,2021-11-11,2021-11-12,3,69.2,41.3\n"
	         "V3,2021-11-12,2021-11-11,3,69.2,41.3\n"
	         "V4,2021-11-11,2021-11-12,1000001,69.2,41.3\n",
	         long_id);
	put_file(f, "checked.csv", csv, path, sizeof path);
	struct import_options o = {.layer = IMPORT_OFFENCES, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "checked.csv:row 3:"));
	assert_non_null(strstr(err_msg(), "field id"));
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 0);

	o.skip_bad = 1;
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.skipped, 3);
	const char *const reasons[] = {"id too long", "time span ends before it starts",
	                               "field is out of range"};
	for (int i = 0; i < 3; i++) {
		const struct import_reason *r = reason(&rep, reasons[i]);
		assert_non_null(r);
		assert_int_equal(r->rows[0], 3 + i);
	}
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 1);
}

/* --- offences: coordinates -------------------------------------------------------- */

static void test_projected_csv_needs_srs(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* (69.2797, 41.3111) in UTM 42N, see stack-notes.md. */
	put_file(f, "utm.csv",
	         "id,date,E,N\n"
	         "U1,2021-11-11,523412.258,4573330.773\n",
	         path, sizeof path);
	const struct import_field fields[] = {{"x", "E"}, {"y", "N"}};
	struct import_options o = {
	    .layer = IMPORT_OFFENCES, .path = path, .fields = fields, .n_fields = 2};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "utm.csv:row 2:"));
	assert_non_null(strstr(err_msg(), "--srs"));
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 0);

	o.srs = "EPSG:32642";
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	assert_non_null(strstr(rep.crs, "EPSG:32642"));
	assert_non_null(strstr(rep.mapping, "x=E"));
	assert_non_null(strstr(rep.mapping, "y=N"));
	import_report_free(&rep);
	assert_float_equal(real(f->st, "SELECT ST_X(geom) FROM offences WHERE external_id='U1'"),
	                   69.2797, 1e-6);
	assert_float_equal(real(f->st, "SELECT ST_Y(geom) FROM offences WHERE external_id='U1'"),
	                   41.3111, 1e-6);

	/* With skip_bad, a point PROJ cannot transform skips its row only: the
	 * error GDAL recorded for it is not taken for a read error of the file. */
	put_file(f, "utm.csv",
	         "id,date,E,N\n"
	         "U1,2021-11-11,523412.258,4573330.773\n"
	         "U2,2021-11-11,1e30,1e30\n"
	         "U3,2021-11-12,523412.258,4573330.773\n",
	         path, sizeof path);
	o.skip_bad = 1;
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.read, 3);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.unchanged, 1);
	assert_int_equal(rep.skipped, 1);
	const struct import_reason *r = reason(&rep, "coordinates outside the CRS");
	assert_non_null(r);
	assert_int_equal(r->rows[0], 3);
	assert_int_equal(r->skipped, 1);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 2);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM offences WHERE external_id='U2'"), 0);
}

/* --- zones -------------------------------------------------------------------- */

static void test_joint_zone_with_night_shift(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	put_file(f, "zones.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"Z1\",\"name\":\"Bazaar\","
	         "\"service\":\"ppx;youth\",\"unit\":\"PPX-1;Y-2\",\"shift_start\":\"18:00\","
	         "\"shift_end\":\"02:00\",\"weekdays\":\"fri-sun\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.0,41.0],[69.01,41.0],[69.01,41.01],[69.0,41.01],[69.0,41.0]]]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"Z2\","
	         "\"service\":\"youth ; ppx\",\"unit\":\"Y-3 ; PPX-2\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.01,41.0],[69.02,41.0],[69.02,41.01],[69.01,41.01],[69.01,41.0]]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_ZONES, path, &rep);
	assert_int_equal(rep.inserted, 2);
	assert_non_null(reason(&rep, "new service 'ppx'"));
	assert_non_null(reason(&rep, "new service 'youth'"));
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM patrol_zones WHERE external_id = 'Z1' "
	                              "AND name = 'Bazaar'"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM zone_assignments"), 4);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM zone_assignments a JOIN patrol_zones "
	                              "z ON z.id = a.zone_id WHERE z.external_id = 'Z1' AND "
	                              "weekdays = 112 AND shift_start = 1080 AND shift_end = 120"),
	                 2);
	assert_string_equal(text(f->st,
	                         "SELECT group_concat(service || '=' || unit, ',') FROM (SELECT "
	                         "service, unit FROM zone_assignments ORDER BY id)",
	                         buf, sizeof buf),
	                    "ppx=PPX-1,youth=Y-2,youth=Y-3,ppx=PPX-2");
	/* Z2 has neither shift nor days: all day, every day. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM zone_assignments a JOIN patrol_zones "
	                              "z ON z.id = a.zone_id WHERE z.external_id = 'Z2' AND "
	                              "weekdays = 127 AND shift_start = 0 AND shift_end = 1440"),
	                 2);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM services"), 2);

	/* Again: unchanged, no new version and no duplicate assignments. */
	import_ok(f, IMPORT_ZONES, path, &rep);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.n_reasons, 0);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT max(version) FROM patrol_zones"), 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM zone_assignments"), 4);
}

static void test_skipped_zone_keeps_new_service_for_the_next(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* Feature 1 creates the service dps, then fails on its geometry; its
	 * rollback removes dps again, which feature 2 must then create anew. */
	put_file(f, "zones.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"Z1\",\"service\":\"dps\"},"
	         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[69.25,41.3]}},"
	         "{\"type\":\"Feature\",\"properties\":{\"id\":\"Z2\",\"service\":\"dps\"},"
	         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
	         "[[[69.0,41.0],[69.1,41.0],[69.1,41.1],[69.0,41.1],[69.0,41.0]]]}}]}",
	         path, sizeof path);
	struct import_options o = {.layer = IMPORT_ZONES, .path = path, .skip_bad = 1};
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.skipped, 1);
	const struct import_reason *r = reason(&rep, "not a polygon");
	assert_non_null(r);
	assert_int_equal(r->rows[0], 1);
	assert_null(reason(&rep, "refused"));
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM patrol_zones WHERE external_id = 'Z2'"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM zone_assignments WHERE service = "
	                              "'dps'"),
	                 1);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM services WHERE code = 'dps'"), 1);
}

static void test_weekday_spellings(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* English, Uzbek (du = dushanba ... ya = yakshanba), Russian (pn, vt, sr,
	 * cht, pt, sb, vs) and ISO numbers. */
	static const struct {
		const char *days;
		long mask;
	} cases[] = {
	    {"mon-fri", 0x1f}, {"fri,sat,sun", 0x70}, {"sat-mon", 0x61}, {"1-5", 0x1f},
	    {"daily", 0x7f},   {"du;ch;ju", 0x15},    {"pn,cht", 0x09},  {"sr,vs", 0x44},
	    {"pa", 0x08},      {"Thursday", 0x08},
	};
	char file[8000];
	size_t used =
	    (size_t)snprintf(file, sizeof file, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		used += (size_t)snprintf(file + used, sizeof file - used,
		                         "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"W%zu\","
		                         "\"service\":\"ppx\",\"weekdays\":\"%s\"},"
		                         "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
		                         "[[[69,41],[69.01,41],[69.01,41.01],[69,41]]]}}",
		                         i ? "," : "", i, cases[i].days);
	snprintf(file + used, sizeof file - used, "]}");
	put_file(f, "days.geojson", file, path, sizeof path);
	import_ok(f, IMPORT_ZONES, path, &rep);
	assert_int_equal(rep.inserted, (long)(sizeof cases / sizeof cases[0]));
	import_report_free(&rep);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char sql[200];
		snprintf(sql, sizeof sql,
		         "SELECT weekdays FROM zone_assignments a JOIN patrol_zones z ON z.id = "
		         "a.zone_id WHERE z.external_id = 'W%zu'",
		         i);
		long got = testdb_count(testdb(f->st), sql);
		if (got != cases[i].mask)
			fail_msg("weekdays '%s': got 0x%lx, want 0x%lx", cases[i].days, got,
			         cases[i].mask);
	}
	/* Without times the shift is the whole day. */
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM zone_assignments WHERE shift_start = 0 "
	                              "AND shift_end = 1440"),
	                 (long)(sizeof cases / sizeof cases[0]));
}

/* --- tracks ----------------------------------------------------------------- */

static void test_gps_fixes_become_tracks(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* PPX-1 patrols 08:00-08:20, pauses two hours, patrols 10:20-10:30;
	 * Y-2 patrols 08:00-08:10. Rows are not in time order. */
	put_file(f, "fixes.csv",
	         "unit,time,lon,lat\n"
	         "PPX-1,2024-05-01T08:00:00,69.200,41.300\n"
	         "PPX-1,2024-05-01T08:10:00,69.201,41.300\n"
	         "Y-2,2024-05-01T08:00:00,69.300,41.300\n"
	         "PPX-1,2024-05-01T10:20:00,69.203,41.300\n"
	         "PPX-1,2024-05-01T08:20:00,69.202,41.300\n"
	         "Y-2,2024-05-01T08:10:00,69.301,41.300\n"
	         "PPX-1,2024-05-01T10:30:00,69.204,41.300\n",
	         path, sizeof path);
	import_ok(f, IMPORT_TRACKS, path, &rep);
	assert_int_equal(rep.read, 7);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.skipped, 0);
	import_report_free(&rep);
	const int64_t h5 = 5 * 3600;
	char sql[300];
	struct {
		const char *unit;
		int64_t started, ended;
		long n;
	} want[] = {
	    {"PPX-1", utc(2024, 5, 1, 8, 0, 0) - h5, utc(2024, 5, 1, 8, 20, 0) - h5, 3},
	    {"PPX-1", utc(2024, 5, 1, 10, 20, 0) - h5, utc(2024, 5, 1, 10, 30, 0) - h5, 2},
	    {"Y-2", utc(2024, 5, 1, 8, 0, 0) - h5, utc(2024, 5, 1, 8, 10, 0) - h5, 2},
	};
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM patrol_tracks"), 3);
	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql,
		         "SELECT count(*) FROM patrol_tracks WHERE unit = '%s' AND started_at = "
		         "%lld AND ended_at = %lld AND n_fixes = %ld AND ST_NumPoints(geom) = %ld",
		         want[i].unit, (long long)want[i].started, (long long)want[i].ended,
		         want[i].n, want[i].n);
		if (testdb_count(testdb(f->st), sql) != 1)
			fail_msg("no track %s %lld..%lld of %ld fixes", want[i].unit,
			         (long long)want[i].started, (long long)want[i].ended, want[i].n);
	}
	/* Fixes in time order, not file order. */
	assert_float_equal(real(f->st, "SELECT ST_X(ST_PointN(geom, 3)) FROM patrol_tracks WHERE "
	                               "unit = 'PPX-1' AND n_fixes = 3"),
	                   69.202, 1e-9);

	import_ok(f, IMPORT_TRACKS, path, &rep);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(rep.inserted, 0);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM patrol_tracks"), 3);
}

static void test_line_track_gets_even_times(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	put_file(f, "line.geojson",
	         "{\"type\":\"FeatureCollection\",\"features\":["
	         "{\"type\":\"Feature\",\"properties\":{\"unit\":\"PPX-1\",\"started\":\"2024-05-"
	         "01T08:00\",\"ended\":\"2024-05-01T09:00\"},"
	         "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	         "[[69.20,41.30],[69.21,41.30],[69.22,41.30],[69.23,41.30],[69.24,41.30]]}}]}",
	         path, sizeof path);
	import_ok(f, IMPORT_TRACKS, path, &rep);
	assert_int_equal(rep.inserted, 1);
	import_report_free(&rep);
	const int64_t t0 = utc(2024, 5, 1, 3, 0, 0);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM patrol_tracks WHERE unit = 'PPX-1' "
	                              "AND n_fixes = 5"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT started_at FROM patrol_tracks"), t0);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT ended_at FROM patrol_tracks"),
	                 t0 + 3600);
	for (int i = 1; i <= 5; i++) {
		char sql[200];
		snprintf(sql, sizeof sql,
		         "SELECT CAST(ST_M(ST_PointN(geom, %d)) AS INTEGER) FROM patrol_tracks", i);
		assert_int_equal(testdb_count(testdb(f->st), sql), t0 + (i - 1) * 900);
	}
}

/* A GPX track for the generator below: its name (NULL: none), and per
 * segment the number of fixes, one every 10 s eastwards from lon0 at 41.3
 * from the UTC time t0. */
struct gpx_track {
	const char *name;
	int n_segments;
	int fixes[3];
	double lon0[3];
	int64_t t0[3];
};

/* Writes a GPX 1.1 file of the tracks to path (times in UTC, "Z"). */
static void write_gpx(const char *path, const struct gpx_track *tracks, size_t n)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" "
	            "creator=\"posbon tests\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "<trk>");
		if (tracks[i].name)
			fprintf(fp, "<name>%s</name>", tracks[i].name);
		for (int s = 0; s < tracks[i].n_segments; s++) {
			fprintf(fp, "<trkseg>\n");
			for (int k = 0; k < tracks[i].fixes[s]; k++) {
				time_t t = (time_t)(tracks[i].t0[s] + 10 * k);
				struct tm tm;
				char when[32];
				gmtime_r(&t, &tm);
				strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
				fprintf(fp,
				        "<trkpt lat=\"41.3\" lon=\"%.5f\"><ele>450</ele>"
				        "<time>%s</time></trkpt>\n",
				        tracks[i].lon0[s] + 0.0001 * k, when);
			}
			fprintf(fp, "</trkseg>");
		}
		fprintf(fp, "</trk>\n");
	}
	fprintf(fp, "</gpx>\n");
	assert_int_equal(fclose(fp), 0);
}

/* One track per GPX track and segment, the unit from the track's name or
 * --unit; a track without a name and no --unit is refused naming --unit. */
static void test_gpx_tracks(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[64];
	struct import_report rep;
	const int64_t t0 = utc(2024, 5, 1, 8, 0, 0);
	const struct gpx_track named[] = {
	    {"PPX-7", 2, {30, 12}, {69.200, 69.210}, {t0, t0 + 600}},
	    {"Y-2", 1, {5}, {69.220}, {t0 + 60}},
	};
	testutil_path(path, sizeof path, f->dir, "patrol.gpx");
	write_gpx(path, named, 2);
	import_ok(f, IMPORT_TRACKS, path, &rep);
	assert_string_equal(rep.layer_name, "track_points");
	assert_int_equal(rep.read, 47);
	assert_int_equal(rep.inserted, 3);
	import_report_free(&rep);
	/* The second segment starts 10 minutes later: a track of its own. */
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM patrol_tracks WHERE unit = 'PPX-7'"),
	    2);
	char sql[300];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM patrol_tracks WHERE unit = 'PPX-7' AND started_at = %lld "
	         "AND ended_at = %lld AND n_fixes = 30",
	         (long long)t0, (long long)(t0 + 290));
	assert_int_equal(testdb_count(testdb(f->st), sql), 1);
	snprintf(sql, sizeof sql,
	         "SELECT CAST(ST_M(ST_PointN(geom, 5)) AS INTEGER) - %lld FROM patrol_tracks "
	         "WHERE unit = 'Y-2'",
	         (long long)t0);
	assert_int_equal(testdb_count(testdb(f->st), sql), 60 + 40);
	assert_string_equal(text(f->st,
	                         "SELECT round(ST_X(ST_PointN(geom, 3)), 5) FROM "
	                         "patrol_tracks WHERE unit = 'Y-2'",
	                         buf, sizeof buf),
	                    "69.2202");
	import_ok(f, IMPORT_TRACKS, path, &rep);
	assert_int_equal(rep.unchanged, 3);
	import_report_free(&rep);

	const struct gpx_track unnamed[] = {{NULL, 1, {4}, {69.230}, {t0}}};
	testutil_path(path, sizeof path, f->dir, "unnamed.gpx");
	write_gpx(path, unnamed, 1);
	struct import_options o = {.layer = IMPORT_TRACKS, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "--unit"));
	import_report_free(&rep);
	o.unit = "PPX-9";
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM patrol_tracks WHERE "
	                                             "unit = 'PPX-9' AND n_fixes = 4"),
	                 1);
}

/* --- field mapping --------------------------------------------------------------- */

static void test_field_errors_name_the_field(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	put_file(f, "offences.csv", "id,date,lon,lat\nF1,2021-11-11,69.25,41.3\n", path,
	         sizeof path);
	const struct import_field unknown_target[] = {{"colour", "date"}};
	struct import_options o = {
	    .layer = IMPORT_OFFENCES, .path = path, .fields = unknown_target, .n_fields = 1};
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "--field colour=date"));
	assert_non_null(strstr(err_msg(), "category")); /* lists the valid targets */

	const struct import_field missing_column[] = {{"date", "occurred"}};
	o.fields = missing_column;
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "no column 'occurred'"));
	assert_int_equal(all_rows(f->st), 0);

	/* Only one of x and y. */
	const struct import_field only_x[] = {{"x", "lon"}};
	put_file(f, "xy.csv", "id,date,lon,northing\nF1,2021-11-11,69.25,41.3\n", path,
	         sizeof path);
	o.fields = only_x;
	assert_int_equal(import_run(f->st, &o, &rep), ERR_INVALID);
	import_report_free(&rep);
	assert_non_null(strstr(err_msg(), "both x and y"));
	assert_int_equal(all_rows(f->st), 0);
}

/* --- GeoPackage ---------------------------------------------------------------- */

/* A GeoPackage with one polygon layer in UTM 42N: a 1 km square around
 * (523412.258, 4573330.773), i.e. (69.2797, 41.3111). */
static void write_gpkg(const char *path)
{
	GDALAllRegister();
	GDALDriverH drv = GDALGetDriverByName("GPKG");
	assert_non_null(drv);
	GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
	assert_non_null(ds);
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	assert_int_equal(OSRImportFromEPSG(srs, 32642), OGRERR_NONE);
	OGRLayerH layer = GDALDatasetCreateLayer(ds, "mahallas", srs, wkbPolygon, NULL);
	assert_non_null(layer);
	OGRFieldDefnH fd = OGR_Fld_Create("mahalla_code", OFTString);
	assert_int_equal(OGR_L_CreateField(layer, fd, 1), OGRERR_NONE);
	OGR_Fld_Destroy(fd);
	fd = OGR_Fld_Create("aholi", OFTInteger);
	assert_int_equal(OGR_L_CreateField(layer, fd, 1), OGRERR_NONE);
	OGR_Fld_Destroy(fd);

	OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(layer));
	OGR_F_SetFieldString(feat, 0, "UTM1");
	OGR_F_SetFieldInteger(feat, 1, 4200);
	OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
	const double x0 = 522912.258, y0 = 4572830.773, x1 = 523912.258, y1 = 4573830.773;
	OGR_G_AddPoint_2D(ring, x0, y0);
	OGR_G_AddPoint_2D(ring, x1, y0);
	OGR_G_AddPoint_2D(ring, x1, y1);
	OGR_G_AddPoint_2D(ring, x0, y1);
	OGR_G_AddPoint_2D(ring, x0, y0);
	OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
	assert_int_equal(OGR_G_AddGeometryDirectly(poly, ring), OGRERR_NONE);
	assert_int_equal(OGR_F_SetGeometryDirectly(feat, poly), OGRERR_NONE);
	assert_int_equal(OGR_L_CreateFeature(layer, feat), OGRERR_NONE);
	OGR_F_Destroy(feat);
	OSRDestroySpatialReference(srs);
	GDALClose(ds);
}

static void test_geopackage_mahallas_are_reprojected(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[200];
	struct import_report rep;
	testutil_path(path, sizeof path, f->dir, "mahallas.gpkg");
	write_gpkg(path);
	import_ok(f, IMPORT_MAHALLAS, path, &rep);
	assert_int_equal(rep.inserted, 1);
	assert_string_equal(rep.layer_name, "mahallas");
	assert_non_null(strstr(rep.crs, "EPSG:32642"));
	assert_non_null(strstr(rep.mapping, "code=mahalla_code"));
	assert_non_null(strstr(rep.mapping, "population=aholi"));
	import_report_free(&rep);
	assert_string_equal(text(f->st, "SELECT code FROM mahallas", buf, sizeof buf), "UTM1");
	assert_int_equal(testdb_count(testdb(f->st), "SELECT population FROM mahallas"), 4200);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT GeometryType(geom) = 'MULTIPOLYGON' AND "
	                              "ST_IsValid(geom) FROM mahallas"),
	                 1);
	/* The centre came back to (69.2797, 41.3111); 1 km is ~0.012 degrees of
	 * longitude here. */
	assert_float_equal(real(f->st, "SELECT ST_X(ST_Centroid(geom)) FROM mahallas"), 69.2797,
	                   1e-5);
	assert_float_equal(real(f->st, "SELECT ST_Y(ST_Centroid(geom)) FROM mahallas"), 41.3111,
	                   1e-5);
	assert_float_equal(real(f->st, "SELECT ST_MaxX(geom) - ST_MinX(geom) FROM mahallas"),
	                   0.01195, 2e-4);

	/* An offence inside it now finds it. */
	put_file(f, "one.csv", "id,date,lon,lat\nG1,2021-11-11,69.2797,41.3111\n", path,
	         sizeof path);
	import_ok(f, IMPORT_OFFENCES, path, &rep);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.outside, 0);
	import_report_free(&rep);
	assert_string_equal(text(f->st, "SELECT mahalla_code FROM offences", buf, sizeof buf),
	                    "UTM1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_districts_collection_and_polygon_become_multipolygons, testutil_db_open,
	        testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_unclosed_ring_is_closed, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bowtie_is_repaired_and_noted, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_degenerate_polygon_fails_the_file,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_point_in_polygon_layer_fails_the_file,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_offence_dates_and_zones, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_offences_find_their_mahalla, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_geojson_offences_with_typed_dates,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_rows_without_id_are_stable, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_rows_with_id_update_and_repeat, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bad_date_fails_the_file, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_store_check_refuses_rows, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bad_date_skipped_with_skip_bad, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_projected_csv_needs_srs, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_joint_zone_with_night_shift, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_skipped_zone_keeps_new_service_for_the_next,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_weekday_spellings, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_gps_fixes_become_tracks, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_gpx_tracks, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_line_track_gets_even_times, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_field_errors_name_the_field, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_geopackage_mahallas_are_reprojected,
	                                    testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
