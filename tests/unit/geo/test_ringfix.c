/* ringfix: boundaries drawn as lines, closed into polygons, on their own and
 * through import_run() on a GeoJSON file of mahallas written into the test's
 * temporary folder. */
#include "testutil.h"

#include "err.h"
#include "import.h"
#include "ringfix.h"
#include "store.h"

#include <geos_c.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

/* The report group whose reason contains needle, checked: stored or
 * skipped, its count and its first row. */
static const struct import_reason *reason(const struct import_report *rep, const char *needle,
                                          int skipped, long count, long first_row)
{
	for (size_t i = 0; i < rep->n_reasons; i++) {
		const struct import_reason *r = &rep->reasons[i];
		if (!strstr(r->text, needle))
			continue;
		assert_int_equal(r->skipped, skipped);
		assert_int_equal(r->count, count);
		assert_int_equal(r->rows[0], first_row);
		return r;
	}
	fail_msg("no reason '%s' in the report", needle);
	return NULL;
}

/* A stored mahalla's geometry, as GEOS sees it: of the last one read, and
 * how many were read and were valid MultiPolygons. */
struct shape {
	int found, good, points;
	double area; /* square degrees */
};

static int read_shape(void *ctx, const struct store_area_record *a)
{
	struct shape *sh = ctx;
	GEOSContextHandle_t g = GEOS_init_r();
	GEOSGeometry *geom = GEOSGeomFromWKB_buf_r(g, a->area.wkb, a->area.wkb_len);
	assert_non_null(geom);
	sh->found++;
	sh->good += GEOSisValid_r(g, geom) == 1 && GEOSGeomTypeId_r(g, geom) == GEOS_MULTIPOLYGON;
	sh->points = GEOSGetNumCoordinates_r(g, geom);
	assert_int_equal(GEOSArea_r(g, geom, &sh->area), 1);
	GEOSGeom_destroy_r(g, geom);
	GEOS_finish_r(g);
	return 0;
}

/* The mahalla with this code, which must be there; with code NULL, all
 * of them. */
static struct shape shape(store *st, const char *code)
{
	struct shape sh = {0};
	assert_int_equal(store_list_areas(st, STORE_MAHALLAS, code, 0, read_shape, &sh), 0);
	assert_true(sh.found >= 1);
	return sh;
}

static void test_distance(void **state)
{
	(void)state;
	/* A degree of latitude on the mean sphere; a degree of longitude
	 * shrinks with the cosine of the latitude. */
	assert_float_equal(ringfix_distance_m(69, 41, 69, 42), 111195.08, 0.01);
	assert_float_equal(ringfix_distance_m(69, 41, 70, 41), 111195.08 * cos(41 * M_PI / 180),
	                   50);
	assert_float_equal(ringfix_distance_m(69, 41, 69, 41.000005), 0.556, 0.001);
}

/* ringfix_close() on the WKT of lines: its code, *gap_m and the rings. */
static int close_wkt(const char *wkt, double *gap, int *polygons)
{
	OGRGeometryH g = NULL, out = NULL;
	char *text = (char *)wkt;
	assert_int_equal(OGR_G_CreateFromWkt(&text, NULL, &g), OGRERR_NONE);
	int rc = ringfix_close(g, RINGFIX_TOLERANCE_M, &out, gap);
	*polygons = out ? OGR_G_GetGeometryCount(out) : 0;
	if (out)
		assert_int_equal(OGR_G_IsValid(out), 1);
	OGR_G_DestroyGeometry(out);
	OGR_G_DestroyGeometry(g);
	return rc;
}

static void test_pieces_are_chained(void **state)
{
	(void)state;
	double gap;
	int n;
	/* Two halves of a square, the second drawn the other way round. */
	assert_int_equal(close_wkt("MULTILINESTRING ((0 0, 1 0, 1 1), (0 0, 0 1, 1 1))", &gap, &n),
	                 0);
	assert_int_equal(n, 1);
	assert_true(gap == 0);
	/* Two squares, each closed by itself, and one in three pieces with a
	 * gap of half a metre at a joint. */
	assert_int_equal(close_wkt("MULTILINESTRING ((0 0, 1 0, 1 1, 0 1, 0 0), "
	                           "(5 0, 6 0, 6 1, 5 1, 5 0), "
	                           "(10 0, 11 0), (11 1, 10 1, 10 0), (11 0.0000045, 11 1))",
	                           &gap, &n),
	                 0);
	assert_int_equal(n, 3);
	assert_float_equal(gap, 0.5, 0.01);
	/* Pieces that do not meet: the message says how far the chain stays open. */
	assert_int_equal(
	    close_wkt("MULTILINESTRING ((0 0, 1 0), (1 0, 1 1), (0 0.5, 0 1))", &gap, &n),
	    ERR_GEOMETRY);
	assert_int_equal(n, 0);
	assert_float_equal(gap, 111195.08 * sqrt(2), 100);
	assert_non_null(strstr(err_msg(), "m apart, more than the 1 m"));
	/* Ends that meet but enclose nothing: one point, a there-and-back. */
	assert_int_equal(close_wkt("LINESTRING (0 0, 0 0)", &gap, &n), ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "enclose nothing"));
	assert_int_equal(close_wkt("LINESTRING (0 0, 0 0.000001, 0 0)", &gap, &n), ERR_GEOMETRY);
	assert_int_equal(n, 0);
}

static void test_boundary_lines_closed_or_skipped(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	/* 1: closed exactly; 2: ends 0.56 m apart (5e-6 degrees of latitude);
	 * 3: ends 556 m apart; 4: two pieces; 5: ends 1.22 m apart, just over. */
	testutil_path(path, sizeof path, f->dir, "lines.geojson");
	testutil_write(path,
	               "{\"type\":\"FeatureCollection\",\"features\":["
	               "{\"type\":\"Feature\",\"properties\":{\"code\":\"EXACT\"},"
	               "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	               "[[69.0,41.0],[69.1,41.0],[69.1,41.1],[69.0,41.1],[69.0,41.0]]}},"
	               "{\"type\":\"Feature\",\"properties\":{\"code\":\"NEAR\"},"
	               "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	               "[[69.2,41.0],[69.3,41.0],[69.3,41.1],[69.2,41.1],[69.2,41.000005]]}},"
	               "{\"type\":\"Feature\",\"properties\":{\"code\":\"FAR\"},"
	               "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	               "[[69.4,41.0],[69.5,41.0],[69.5,41.1],[69.4,41.1],[69.4,41.005]]}},"
	               "{\"type\":\"Feature\",\"properties\":{\"code\":\"PIECES\"},"
	               "\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":["
	               "[[69.6,41.0],[69.7,41.0],[69.7,41.1]],"
	               "[[69.6,41.0],[69.6,41.1],[69.7,41.1]]]}},"
	               "{\"type\":\"Feature\",\"properties\":{\"code\":\"OVER\"},"
	               "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
	               "[[69.8,41.0],[69.9,41.0],[69.9,41.1],[69.8,41.1],[69.8,41.000011]]}}]}");
	struct import_options o = {.layer = IMPORT_MAHALLAS, .path = path};
	assert_int_equal(import_run(f->st, &o, &rep), 0);
	assert_int_equal(rep.read, 5);
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.closed_lines, 3);
	assert_int_equal(rep.skipped, 2);
	assert_int_equal(rep.repaired, 0);
	assert_int_equal(reason(&rep, "its ends met", 0, 2, 1)->rows[1], 4);
	assert_string_equal(reason(&rep, "closed across a gap of at most 1 m", 0, 1, 2)->example,
	                    "the ends were 0.56 m apart");
	const struct import_reason *r = reason(&rep, "boundary line not closed", 1, 2, 3);
	assert_int_equal(r->rows[1], 5);
	assert_non_null(strstr(r->example, "ends are 556.0 m apart, more than the 1 m"));
	import_report_free(&rep);

	assert_int_equal(shape(f->st, NULL).found, 3);
	assert_int_equal(shape(f->st, NULL).good, 3);
	assert_float_equal(shape(f->st, "EXACT").area, 0.01, 1e-9);
	assert_float_equal(shape(f->st, "NEAR").area, 0.01, 1e-6);
	assert_float_equal(shape(f->st, "PIECES").area, 0.01, 1e-9);
	/* The gap is bridged, no vertex moved: the near one keeps all five. */
	assert_int_equal(shape(f->st, "NEAR").points, 6);
}

int main(void)
{
	OGRRegisterAll();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_distance),
	    cmocka_unit_test(test_pieces_are_chained),
	    cmocka_unit_test_setup_teardown(test_boundary_lines_closed_or_skipped, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
