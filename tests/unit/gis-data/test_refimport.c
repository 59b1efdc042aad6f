/* refimport: GeoJSON and CSV files written by the tests into their temporary
 * folder, read by import_run() with --layer reference into a store with the
 * L-shaped district (69.200..69.248 by 41.300..41.336). Every test checks
 * the report and the rows of ref_features as SpatiaLite holds them
 * (testdb.h). Projected files from ogr2ogr, the base map and the geocoder
 * are tests/integration/test_reference_import.sh's. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "import.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(struct testutil_db *f, struct import_options *o, struct import_report *rep)
{
	o->layer = IMPORT_REFERENCE;
	return import_run(f->st, o, rep);
}

/* A new copy of s with its first from replaced by to; fails the test
 * without one. */
static char *replaced(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	assert_non_null(at);
	size_t head = (size_t)(at - s), n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)head, s, to, at + strlen(from));
	return out;
}

static long refs(store *st)
{
	return testdb_count(testdb(st), "SELECT count(*) FROM ref_features");
}

/* clang-format off */
#define FEATURE(props, geom) \
	"{\"type\":\"Feature\",\"properties\":{" props "},\"geometry\":" geom "}"
#define LINE(x0, y0, x1, y1) \
	"{\"type\":\"LineString\",\"coordinates\":[[" #x0 "," #y0 "],[" #x1 "," #y1 "]]}"
#define POINT(x, y) "{\"type\":\"Point\",\"coordinates\":[" #x "," #y "]}"
#define SQUARE(x0, y0, x1, y1) \
	"{\"type\":\"Polygon\",\"coordinates\":[[[" #x0 "," #y0 "],[" #x1 "," #y0 "],[" \
	#x1 "," #y1 "],[" #x0 "," #y1 "],[" #x0 "," #y0 "]]]}"

/* A street register: two languages, classes as the office writes them, a
 * length and a district column kept as tags; one street beyond the
 * districts. */
static const char streets[] = "{\"type\":\"FeatureCollection\",\"features\":["
	FEATURE("\"code\":\"S1\",\"name_uz\":\"Navroʻz koʻchasi\",\"name_ru\":\"улица Навруз\","
	        "\"class\":\"Residential\",\"length_m\":420.5,\"tuman\":\"Yunusobod\"",
	        LINE(69.2400, 41.3050, 69.2450, 41.3050)) ","
	FEATURE("\"code\":\"S2\",\"name_uz\":\"Amir Temur shoh koʻchasi\","
	        "\"name_ru\":\"проспект Амира Темура\",\"class\":\"primary_link\"",
	        LINE(69.2425, 41.3030, 69.2425, 41.3070)) ","
	FEATURE("\"code\":\"S3\",\"name_uz\":\"Olis koʻchasi\",\"class\":\"footway\"",
	        LINE(69.4000, 41.3050, 69.4050, 41.3050)) "]}";

/* A cadastre's buildings (street and number as the office names them), a
 * park named by a kind column, and a building drawn as a point. */
static const char houses[] = "{\"type\":\"FeatureCollection\",\"features\":["
	FEATURE("\"kocha\":\"Navroʻz koʻchasi\",\"uy\":\"12\",\"qavat\":5",
	        SQUARE(69.2410, 41.3001, 69.2412, 41.3003)) ","
	FEATURE("\"kind\":\"Park\",\"nomi\":\"Bogʻ\"",
	        SQUARE(69.2420, 41.3001, 69.2430, 41.3010)) ","
	FEATURE("\"kocha\":\"Navroʻz koʻchasi\",\"uy\":\"14\"",
	        POINT(69.2415, 41.3002)) "]}";

static const char one_place[] = "{\"type\":\"FeatureCollection\",\"features\":["
	FEATURE("\"name\":\"A\"", POINT(69.24, 41.3)) "]}";
/* clang-format on */

static void test_street_register(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[400];
	struct import_report rep;
	testutil_l_district(f->st);
	testutil_put_file(path, sizeof path, f->dir, "streets.geojson", streets);
	struct import_options o = {.path = path, .kind = "street"};
	o.fields = (const struct import_field[]){{"id", "code"}};
	o.n_fields = 1;
	if (run(f, &o, &rep) < 0)
		fail_msg("%s", err_msg());
	assert_int_equal(rep.read, 3);
	assert_int_equal(rep.inserted, 2);
	assert_int_equal(rep.beyond, 1);
	assert_int_equal(rep.boxed, 1);
	assert_int_equal(rep.by_kind[OSMTAGS_STREET], 2);
	assert_non_null(strstr(rep.mapping, "name_uz=name_uz"));
	assert_non_null(strstr(rep.mapping, "class=class"));
	import_report_free(&rep);
	/* The local name is the first language given; the class is read as
	 * OpenStreetMap's highway values are. */
	assert_string_equal(
	    testdb_text(f->st,
	                "SELECT group_concat(external_id || '|' || source || '|' || kind || "
	                "'|' || class || '|' || name || '|' || name_uz || '|' || name_ru, "
	                "';') FROM (SELECT * FROM ref_features ORDER BY external_id)",
	                buf, sizeof buf),
	    "streets:S1|streets|street|residential|Navroʻz koʻchasi|Navroʻz "
	    "koʻchasi|улица Навруз;streets:S2|streets|street|primary|Amir Temur "
	    "shoh koʻchasi|Amir Temur shoh koʻchasi|проспект Амира Темура");
	assert_string_equal(
	    testdb_text(f->st, "SELECT tags FROM ref_features WHERE external_id = 'streets:S1'",
	                buf, sizeof buf),
	    "{\"length_m\":\"420.5\",\"tuman\":\"Yunusobod\"}");
	assert_string_equal(
	    testdb_text(f->st,
	                "SELECT GeometryType(geom) || ' ' || ST_SRID(geom) || ' ' || "
	                "AsText(geom) FROM ref_features WHERE external_id = 'streets:S1'",
	                buf, sizeof buf),
	    "LINESTRING 4326 LINESTRING(69.24 41.305, 69.245 41.305)");

	/* The same file again changes nothing; a renamed street is updated in
	 * place, a new one added. */
	struct import_options again = o;
	assert_int_equal(run(f, &again, &rep), 0);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.inserted + rep.updated, 0);
	import_report_free(&rep);
	char *renamed = replaced(streets, "Navroʻz koʻchasi", "Bahor koʻchasi");
	char *moved = replaced(renamed, "69.4000", "69.2300");
	char *newer = replaced(moved, "69.4050", "69.2350");
	testutil_put_file(path, sizeof path, f->dir, "streets.geojson", newer);
	free(renamed);
	free(moved);
	free(newer);
	assert_int_equal(run(f, &again, &rep), 0);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.unchanged, 1);
	import_report_free(&rep);
	assert_int_equal(refs(f->st), 3);
	assert_string_equal(
	    testdb_text(f->st,
	                "SELECT name || '|' || (SELECT class FROM ref_features WHERE "
	                "external_id = 'streets:S3') FROM ref_features WHERE external_id "
	                "= 'streets:S1'",
	                buf, sizeof buf),
	    "Bahor koʻchasi|path");
}

/* A cadastre's buildings with house numbers, a kind column naming some of
 * them, --kind for the rest, ids from the FID; a building drawn as a point
 * is stored and noted. */
static void test_kind_column_fid_ids_and_shapes(void **state)
{
	struct testutil_db *f = *state;
	char path[700], buf[400];
	struct import_report rep;
	testutil_put_file(path, sizeof path, f->dir, "uylar.geojson", houses);
	struct import_options o = {.path = path, .kind = "building"};
	if (run(f, &o, &rep) < 0)
		fail_msg("%s", err_msg());
	assert_int_equal(rep.inserted, 3);
	assert_int_equal(rep.boxed, 0); /* no districts: everything is kept */
	assert_int_equal(rep.by_kind[OSMTAGS_BUILDING], 2);
	assert_int_equal(rep.by_kind[OSMTAGS_PARK], 1);
	assert_non_null(strstr(rep.mapping, "street=kocha"));
	assert_non_null(strstr(rep.mapping, "housenumber=uy"));
	const struct import_reason *r = testutil_reason(&rep, "not drawn");
	assert_non_null(r);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->rows[0], 3);
	assert_int_equal(r->skipped, 0);
	import_report_free(&rep);
	assert_string_equal(
	    testdb_text(f->st,
	                "SELECT group_concat(external_id || '|' || kind || '|' || "
	                "coalesce(addr_street, '-') || '|' || coalesce(addr_housenumber, "
	                "'-') || '|' || coalesce(name, '-') || '|' || tags, ';') FROM "
	                "(SELECT * FROM ref_features ORDER BY external_id)",
	                buf, sizeof buf),
	    "uylar:0|building|Navroʻz koʻchasi|12|-|{\"qavat\":\"5\"};"
	    "uylar:1|park|-|-|Bogʻ|{};uylar:2|building|Navroʻz koʻchasi|14|-|{}");
}

/* Bad rows name the file, the row and the field and store nothing; with
 * --skip-bad they are skipped and grouped by reason. */
static void test_bad_rows(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	testutil_put_file(path, sizeof path, f->dir, "places.csv",
	                  "WKT,kind,name,class\n"
	                  "\"POINT (69.241 41.3)\",poi,Bozor,market\n"
	                  "\"POINT (69.242 41.3)\",shop,Doʻkon,\n"
	                  "\"LINESTRING (69.24 41.30,69.25 41.30)\",street,Bahor,avenue\n"
	                  "\"POINT (69.243 41.3)\",,Nomsiz,\n");
	struct import_options o = {.path = path};
	assert_int_equal(run(f, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "places.csv:row 3: field kind: 'shop' is not a kind of "
	                                  "the reference layers (kinds: landuse, park, water, "
	                                  "building, railway, street, poi, address)"));
	import_report_free(&rep);
	assert_int_equal(refs(f->st), 0);

	o.skip_bad = 1;
	assert_int_equal(run(f, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	assert_int_equal(rep.skipped, 3);
	assert_int_equal(testutil_reason(&rep, "unknown kind")->rows[0], 3);
	const struct import_reason *cls = testutil_reason(&rep, "not a street class");
	assert_int_equal(cls->rows[0], 4);
	assert_non_null(strstr(cls->example, "field class: 'avenue' is not a street class"));
	assert_int_equal(testutil_reason(&rep, "no kind")->rows[0], 5);
	assert_int_equal(rep.pois, 1);
	import_report_free(&rep);
	/* The WKT column is the geometry, not a tag; a place is its class. */
	char buf[200];
	assert_string_equal(
	    testdb_text(f->st, "SELECT external_id || '|' || poi || '|' || tags FROM ref_features",
	                buf, sizeof buf),
	    "places:1|market|{}");
}

/* What the whole file lacks is refused before any row. */
static void test_refused_files(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	struct import_report rep;
	testutil_put_file(path, sizeof path, f->dir, "x.geojson", one_place);
	struct import_options o = {.path = path};
	assert_int_equal(run(f, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "x.geojson: what are its features? Give --kind KIND"));
	assert_non_null(strstr(err_msg(), "the file's columns: name"));
	import_report_free(&rep);
	o.kind = "house";
	assert_int_equal(run(f, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "--kind 'house': not a kind of the reference layers"));
	import_report_free(&rep);
	struct import_options offences = {.layer = IMPORT_OFFENCES, .path = path, .kind = "poi"};
	assert_int_equal(import_run(f->st, &offences, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "--kind is for --layer reference only"));
	import_report_free(&rep);
	/* A box of its own, and --source naming the ids. */
	const double box[4] = {69.0, 41.0, 69.1, 41.1};
	o.kind = "POI";
	o.bbox = box;
	o.source = "city";
	assert_int_equal(run(f, &o, &rep), 0);
	assert_int_equal(rep.beyond, 1);
	import_report_free(&rep);
	o.bbox = NULL;
	assert_int_equal(run(f, &o, &rep), 0);
	assert_int_equal(rep.inserted, 1);
	import_report_free(&rep);
	char buf[100];
	assert_string_equal(testdb_text(f->st,
	                                "SELECT external_id || '|' || kind || '|' || poi FROM "
	                                "ref_features",
	                                buf, sizeof buf),
	                    "city:0|poi|poi");

	/* A layer named otherwise than its file keeps apart from the file's
	 * other layers. */
	testutil_put_file(path, sizeof path, f->dir, "town.geojson",
	                  "{\"type\":\"FeatureCollection\",\"name\":\"roads\",\"features\":[{"
	                  "\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":"
	                  "\"Point\",\"coordinates\":[69.24,41.3]}}]}");
	struct import_options town = {.path = path, .kind = "address"};
	assert_int_equal(run(f, &town, &rep), 0);
	import_report_free(&rep);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM ref_features WHERE "
	                                             "external_id = 'town/roads:0' AND source = "
	                                             "'town/roads'"),
	                 1);
	/* A table without geometries says what to do. */
	testutil_put_file(path, sizeof path, f->dir, "points.csv", "name,lon,lat\nA,69.24,41.3\n");
	struct import_options table = {.path = path, .kind = "poi"};
	assert_int_equal(run(f, &table, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "points.csv: layer points has no geometry (a CSV needs a "
	                                  "WKT column;"));
	import_report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_street_register, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_kind_column_fid_ids_and_shapes, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bad_rows, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_refused_files, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
