/* store: the URL's backend, schema, idempotent upserts, mahalla assignment,
 * repair, versions, typed reads, credentials. It reads the SpatiaLite file
 * with SQLite too (testdb.h): what the backend wrote there, its schema,
 * triggers and indexes, is part of what is tested. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "spl.h"
#include "store.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* WKB of a one-ring polygon from n (x, y) pairs. */
static size_t polygon_wkb(unsigned char *buf, const double *xy, uint32_t n)
{
	unsigned char *p = buf;
	uint32_t type = 3, rings = 1;
	*p++ = 1;
	memcpy(p, &type, 4), p += 4;
	memcpy(p, &rings, 4), p += 4;
	memcpy(p, &n, 4), p += 4;
	memcpy(p, xy, n * 16), p += n * 16;
	return (size_t)(p - buf);
}

static size_t square_wkb(unsigned char *buf, double x0, double y0, double x1, double y1)
{
	const double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	return polygon_wkb(buf, xy, 5);
}

static void add_two_mahallas(store *st)
{
	unsigned char wkb[256];
	struct store_put_info info;
	struct store_area a = {
	    .code = "M1", .name_uz = "Bog‘ishamol", .population = 5000, .households = -1};
	a.wkb_len = square_wkb(wkb, 69.0, 41.0, 69.1, 41.1);
	a.wkb = wkb;
	assert_int_equal(store_put_mahalla(st, &a, &info), 0);
	assert_int_equal(info.change, STORE_INSERTED);
	a.code = "M2";
	a.name_uz = "Oqtepa";
	a.wkb_len = square_wkb(wkb, 69.1, 41.0, 69.2, 41.1);
	assert_int_equal(store_put_mahalla(st, &a, &info), 0);
}

static void test_schema_is_migrated_and_wal(void **state)
{
	struct testutil_db *f = *state;
	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(testdb(f->st), "PRAGMA journal_mode", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM geometry_columns"), 9);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM schema_migrations"),
	                 store_schema_latest());
	/* Reopening does not migrate again. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, 0, &f->st), 0);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM schema_migrations"),
	                 store_schema_latest());
}

static void test_missing_file_without_create_fails(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	store *st = NULL;
	testutil_path(path, sizeof path, f->dir, "absent.sqlite");
	assert_int_equal(store_open(path, 0, &st), ERR_IO);
	assert_null(st);
	assert_non_null(strstr(err_msg(), "absent.sqlite"));
}

static void test_not_a_database_fails_cleanly(void **state)
{
	struct testutil_db *f = *state;
	char path[700];
	store *st = NULL;
	testutil_path(path, sizeof path, f->dir, "junk.sqlite");
	testutil_write(path, "this is not a database, just text that is long enough\n");
	assert_true(store_open(path, 0, &st) < 0);
	assert_null(st);
}

static void test_offence_gets_mahalla_and_is_idempotent(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	add_two_mahallas(f->st);
	assert_int_equal(store_ensure_category(f->st, "theft", "Theft"), 0);
	struct store_offence o = {.external_id = "A1",
	                          .occurred_from = 1700000000,
	                          .occurred_to = 1700000000,
	                          .precision = PREC_MINUTE,
	                          .reported_at = STORE_NO_TIME,
	                          .category = "theft",
	                          .has_point = 1,
	                          .lon = 69.15,
	                          .lat = 41.05};
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.change, STORE_INSERTED);
	assert_int_equal(info.outside, 0);
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.change, STORE_UNCHANGED);
	o.category = NULL;
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.change, STORE_UPDATED);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE mahalla_code = 'M2' "
	                              "AND located = 1 AND category IS NULL"),
	                 1);

	/* Far outside every mahalla: stored without one. */
	struct store_offence far = o;
	far.external_id = "A2";
	far.lon = 70.5;
	assert_int_equal(store_put_offence(f->st, &far, &info), 0);
	assert_int_equal(info.outside, 1);
	/* No point but a mahalla code: counted in that mahalla. */
	struct store_offence nopoint = o;
	nopoint.external_id = "A3";
	nopoint.has_point = 0;
	nopoint.mahalla_code = "M1";
	assert_int_equal(store_put_offence(f->st, &nopoint, &info), 0);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE mahalla_code = 'M1' "
	                              "AND located IS NULL AND geom IS NULL"),
	                 1);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE mahalla_code IS NULL "
	                              "AND located = 0"),
	                 1);
	/* A category that does not exist is refused by the foreign key. */
	struct store_offence bad = o;
	bad.external_id = "A4";
	bad.category = "nope";
	assert_int_equal(store_put_offence(f->st, &bad, &info), ERR_DB);
	assert_non_null(strstr(err_msg(), "A4"));

	struct store_summary s;
	assert_int_equal(store_summarize(f->st, &s), 0);
	assert_int_equal(s.offences, 3);
	assert_int_equal(s.offences_located, 1);
	assert_int_equal(s.offences_outside, 1);
	assert_int_equal(s.offences_no_point, 1);
	assert_int_equal(s.mahallas, 2);
	assert_false(s.areas_extent.empty);
	assert_true(s.areas_extent.minx > 68.99 && s.areas_extent.maxx < 69.21);
	assert_int_equal(s.first_offence, 1700000000);
}

static void test_changed_mahalla_reloads_locator(void **state)
{
	struct testutil_db *f = *state;
	unsigned char wkb[256];
	struct store_put_info info;
	add_two_mahallas(f->st);
	struct store_offence o = {.external_id = "B1",
	                          .occurred_from = STORE_NO_TIME,
	                          .occurred_to = STORE_NO_TIME,
	                          .reported_at = STORE_NO_TIME,
	                          .has_point = 1,
	                          .lon = 69.25,
	                          .lat = 41.05};
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.outside, 1);
	struct store_area a = {.code = "M3", .population = -1, .households = -1};
	a.wkb_len = square_wkb(wkb, 69.2, 41.0, 69.3, 41.1);
	a.wkb = wkb;
	assert_int_equal(store_put_mahalla(f->st, &a, &info), 0);
	o.external_id = "B2";
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(info.outside, 0);
}

static void test_bowtie_is_repaired_not_halved(void **state)
{
	struct testutil_db *f = *state;
	unsigned char wkb[256];
	struct store_put_info info;
	/* Two triangles touching at (1,1): a self-intersecting ring. */
	const double xy[] = {0, 0, 2, 2, 2, 0, 0, 2, 0, 0};
	struct store_area a = {.code = "D1", .name_en = "Bow"};
	a.wkb_len = polygon_wkb(wkb, xy, 5);
	a.wkb = wkb;
	assert_int_equal(store_put_district(f->st, &a, &info), 0);
	assert_int_equal(info.repaired, 1);
	assert_true(strlen(info.reason) > 0);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(testdb(f->st),
	                                    "SELECT ST_Area(geom), ST_IsValid(geom), "
	                                    "ST_NumGeometries(geom) FROM districts",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_float_equal(sqlite3_column_double(s, 0), 2.0, 1e-9);
	assert_int_equal(sqlite3_column_int(s, 1), 1);
	assert_int_equal(sqlite3_column_int(s, 2), 2);
	sqlite3_finalize(s);
}

static void test_unreadable_geometry_is_rejected(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	const unsigned char junk[] = {1, 3, 0, 0, 0, 9};
	struct store_area a = {.code = "D2", .wkb = junk, .wkb_len = sizeof junk};
	assert_int_equal(store_put_district(f->st, &a, &info), ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "D2"));
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM districts"), 0);
}

/* Regions hold the districts with a point of their surface in them,
 * whichever is stored first; a region's new outline moves them. */
static void test_regions_hold_their_districts(void **state)
{
	struct testutil_db *f = *state;
	unsigned char wkb[256];
	struct store_put_info info;
	char out[64];
	const double west[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0},
	             east[] = {1, 0, 2, 0, 2, 1, 1, 1, 1, 0};
	const double all[] = {0, 0, 2, 0, 2, 1, 0, 1, 0, 0};
	struct store_area a = {.code = "W", .wkb = wkb};
	a.wkb_len = polygon_wkb(wkb, west, 5);
	assert_int_equal(store_put_district(f->st, &a, &info), 0);
	a.code = "R";
	assert_int_equal(store_put_region(f->st, &a, &info), 0);
	a.code = "E";
	a.wkb_len = polygon_wkb(wkb, east, 5);
	assert_int_equal(store_put_district(f->st, &a, &info), 0);
	assert_int_equal(store_region_districts(f->st, "R", out, sizeof out), 0);
	assert_string_equal(out, "W");
	a.code = "R";
	a.wkb_len = polygon_wkb(wkb, all, 5);
	assert_int_equal(store_put_region(f->st, &a, &info), 0);
	assert_int_equal(info.change, STORE_UPDATED);
	assert_int_equal(store_region_districts(f->st, "R", out, sizeof out), 0);
	assert_string_equal(out, "E,W");
	struct store_area_found d;
	assert_int_equal(store_find_area(f->st, STORE_DISTRICTS, "E", &d), 0);
	assert_string_equal(d.region_code, "R");
	assert_int_equal(store_region_districts(f->st, "R,X", out, sizeof out), ERR_NOTFOUND);
	assert_string_equal(err_field(), "region");
	assert_int_equal(store_region_districts(f->st, "R", out, 3), ERR_INVALID);
}

/* Zone Z1 "Bazaar" from 2026-12-01 over a small square, with a joint patrol
 * of ppx and youth on Friday to Sunday evenings, the services ensured. */
static struct store_zone bazaar_zone(store *st, unsigned char wkb[256],
                                     struct store_assignment as[2])
{
	assert_int_equal(store_ensure_service(st, "ppx", "Patrol-post service"), 0);
	assert_int_equal(store_ensure_service(st, "youth", "Youth unit"), 0);
	for (int i = 0; i < 2; i++)
		as[i] = (struct store_assignment){.service = i ? "youth" : "ppx",
		                                  .unit = i ? "Y-2" : "PPX-1",
		                                  .shift.start = 18 * 60,
		                                  .shift.end = 2 * 60,
		                                  .shift.weekdays = 0x70};
	struct store_zone z = {.external_id = "Z1",
	                       .name = "Bazaar",
	                       .valid_from = "2026-12-01",
	                       .assignments = as,
	                       .n_assignments = 2,
	                       .wkb = wkb};
	z.wkb_len = square_wkb(wkb, 69.0, 41.0, 69.01, 41.01);
	return z;
}

static void test_zone_versions_and_audit(void **state)
{
	struct testutil_db *f = *state;
	unsigned char wkb[256];
	struct store_put_info info;
	struct store_assignment as[2];
	struct store_zone z = bazaar_zone(f->st, wkb, as);
	assert_int_equal(store_put_zone(f->st, &z, "planner1", &info), 0);
	assert_int_equal(info.change, STORE_INSERTED);
	assert_int_equal(store_put_zone(f->st, &z, "planner1", &info), 0);
	assert_int_equal(info.change, STORE_UNCHANGED);
	z.n_assignments = 1;
	assert_int_equal(store_put_zone(f->st, &z, "planner1", &info), 0);
	assert_int_equal(info.change, STORE_UPDATED);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT version FROM patrol_zones"), 2);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM zone_assignments"), 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT json_array_length(assignments) FROM "
	                                             "patrol_zone_versions WHERE version = 1"),
	                 2);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT count(*) FROM audit WHERE entity = 'zone'"), 2);

	z.valid_to = "2026-13-01";
	assert_int_equal(store_put_zone(f->st, &z, "planner1", &info), ERR_INVALID);
	z.valid_to = NULL;
	as[0].service = "unknown";
	assert_true(store_put_zone(f->st, &z, "planner1", &info) < 0);
}

/* What a zone walk saw: "id:version:flags:assignments" joined by spaces. */
struct seen {
	char text[512];
};

static int see_zone(void *ctx, const struct store_zone_record *z)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s%s:%d:%s%s:%zu", n ? " " : "",
	         z->zone.external_id, z->version, z->current ? "c" : "", z->deleted ? "d" : "",
	         z->zone.n_assignments);
	assert_non_null(strstr(z->geojson, "MultiPolygon"));
	/* WKB too, MultiPolygon (6), for those that read geometries */
	assert_true(z->zone.wkb && z->zone.wkb_len > 9 && z->zone.wkb[1] == 6);
	for (size_t i = 0; i < z->zone.n_assignments; i++)
		assert_non_null(z->zone.assignments[i].service);
	return 0;
}

static const char *walk(store *st, int kind, const char *arg, const char *arg2)
{
	static struct seen s;
	s.text[0] = '\0';
	int rc = kind == 0   ? store_list_zones(st, arg, arg2, see_zone, &s)
	         : kind == 1 ? store_get_zone(st, arg, see_zone, &s)
	                     : store_zone_history(st, arg, see_zone, &s);
	return rc == 0 ? s.text : err_name(rc);
}

static void test_zone_list_history_and_delete(void **state)
{
	struct testutil_db *f = *state;
	unsigned char wkb[256];
	struct store_put_info info;
	struct store_assignment as[2];
	int version;
	struct store_zone z = bazaar_zone(f->st, wkb, as);
	z.valid_to = "2026-12-31";
	assert_int_equal(store_put_zone(f->st, &z, "p1", &info), 0);
	struct store_zone z2 = z;
	z2.external_id = "Z2";
	z2.valid_from = NULL;
	z2.valid_to = NULL;
	z2.n_assignments = 1;
	assert_int_equal(store_put_zone(f->st, &z2, "p1", &info), 0);

	assert_string_equal(walk(f->st, 0, NULL, NULL), "Z1:1:c:2 Z2:1:c:1");
	assert_string_equal(walk(f->st, 0, "2027-01-01", NULL), "Z2:1:c:1");
	assert_string_equal(walk(f->st, 0, "2026-12-15", "youth"), "Z1:1:c:2");
	assert_string_equal(walk(f->st, 1, "Z1", NULL), "Z1:1:c:2");
	assert_string_equal(walk(f->st, 1, "Z9", NULL), "not found");

	z.name = "Bazaar east";
	assert_int_equal(store_put_zone(f->st, &z, "p2", &info), 0);
	z.n_assignments = 1;
	assert_int_equal(store_put_zone(f->st, &z, "p2", &info), 0);
	assert_int_equal(store_zone_version(f->st, "Z1", &version), 0);
	assert_int_equal(version, 3);
	assert_string_equal(walk(f->st, 2, "Z1", NULL), "Z1:3:c:1 Z1:2::2 Z1:1::2");

	assert_int_equal(store_delete_zone(f->st, "Z1", "p3", &version), 0);
	assert_int_equal(version, 3);
	assert_int_equal(store_delete_zone(f->st, "Z1", "p3", &version), ERR_NOTFOUND);
	assert_string_equal(walk(f->st, 1, "Z1", NULL), "not found");
	assert_string_equal(walk(f->st, 0, NULL, NULL), "Z2:1:c:1");
	assert_string_equal(walk(f->st, 2, "Z1", NULL), "Z1:3:d:1 Z1:2::2 Z1:1::2");
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM zone_assignments"), 1);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM audit WHERE "
	                                             "entity_id = 'Z1' AND action = 'delete' "
	                                             "AND actor = 'p3'"),
	                 1);
	/* made again, it goes on from its last version */
	assert_int_equal(store_put_zone(f->st, &z, "p4", &info), 0);
	assert_string_equal(walk(f->st, 2, "Z1", NULL), "Z1:4:c:1 Z1:3:d:1 Z1:2::2 Z1:1::2");
	assert_string_equal(walk(f->st, 2, "never", NULL), "not found");
}

static void test_track_with_times(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	const struct store_fix fixes[] = {
	    {69.0, 41.0, 1700000000}, {69.001, 41.0, 1700000030}, {69.002, 41.001, 1700000060}};
	struct store_track t = {.external_id = "T1", .unit = "PPX-1", .fixes = fixes, .n_fixes = 3};
	assert_int_equal(store_put_track(f->st, &t, &info), 0);
	assert_int_equal(info.change, STORE_INSERTED);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT CAST(ST_M(ST_EndPoint(geom)) AS INTEGER) FROM "
	                              "patrol_tracks"),
	                 1700000060);
	assert_int_equal(
	    testdb_count(testdb(f->st), "SELECT ended_at - started_at FROM patrol_tracks"), 60);
	const struct store_fix backwards[] = {{69.0, 41.0, 1700000030}, {69.0, 41.0, 1700000000}};
	t.fixes = backwards;
	t.n_fixes = 2;
	assert_int_equal(store_put_track(f->st, &t, &info), ERR_INVALID);
}

static void test_rollback_leaves_database_as_it_was(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	struct store_offence o = {.external_id = "R1",
	                          .occurred_from = STORE_NO_TIME,
	                          .occurred_to = STORE_NO_TIME,
	                          .reported_at = STORE_NO_TIME,
	                          .mahalla_code = "M1"};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM offences"), 0);
}

static void test_bulk_load_indexes_and_restores_triggers(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	char id[32];
	const char *triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
	                       "tbl_name = 'offences'";
	long before = testdb_count(testdb(f->st), triggers);
	struct store_offence o = {.occurred_from = STORE_NO_TIME,
	                          .occurred_to = STORE_NO_TIME,
	                          .reported_at = STORE_NO_TIME,
	                          .has_point = 1,
	                          .lat = 41.3};
	/* one row before the bulk load, indexed by the triggers */
	o.external_id = "before";
	o.lon = 69.0;
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), ERR_CONFLICT);
	/* Inside the transaction: seen by the store's own connection only. */
	assert_int_equal(testdb_count(spl_of(f->st)->db, triggers), before - SPL_BULK_TRIGGERS);
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "bulk%d", i);
		o.external_id = id;
		o.lon = 69.0 + i * 0.001;
		assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	}
	/* an update of an existing point during the load keeps its index entry right */
	o.external_id = "before";
	o.lon = 69.5;
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(store_bulk_end(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(testdb_count(testdb(f->st), triggers), before);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM idx_offences_geom"),
	                 101);
	/* the change feed has every row once: the new ones from the load's end */
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM changes WHERE action = "
	                                             "'create' AND entity_id LIKE 'bulk%'"),
	                 100);
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM changes WHERE "
	                                             "entity_id = 'before'"),
	                 2);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM offences WHERE ROWID IN (SELECT ROWID "
	                              "FROM SpatialIndex WHERE f_table_name = 'offences' AND "
	                              "search_frame = BuildMbr(69.0495, 41.29, 69.4, 41.31))"),
	                 50);
	assert_int_equal(testdb_count(testdb(f->st),
	                              "SELECT count(*) FROM idx_offences_geom WHERE xmin > 69.49"),
	                 1);

	/* a rolled-back bulk load leaves the triggers in place */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(testdb_count(testdb(f->st), triggers), before);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), 0);
	assert_int_equal(store_bulk_end(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
}

/* The page cache grows for a long write and is given back as it was. */
static void test_page_cache(void **state)
{
	struct testutil_db *f = *state;
	sqlite3 *db = spl_of(f->st)->db;
	long was = 0, default_kib = -testdb_count(db, "PRAGMA cache_size");
	assert_int_equal(store_page_cache(f->st, 262144, &was), 0);
	assert_int_equal(was, default_kib);
	assert_int_equal(testdb_count(db, "PRAGMA cache_size"), -262144);
	assert_int_equal(store_page_cache(f->st, was, NULL), 0);
	assert_int_equal(testdb_count(db, "PRAGMA cache_size"), -default_kib);
	/* A size in pages reads as KiB too. */
	assert_int_equal(sqlite3_exec(db, "PRAGMA cache_size = 100", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_page_cache(f->st, 1000, &was), 0);
	assert_int_equal(was, 100 * testdb_count(db, "PRAGMA page_size") / 1024);
	assert_int_equal(store_page_cache(f->st, 0, NULL), ERR_INVALID);
	assert_int_equal(store_page_cache(f->st, default_kib, NULL), 0);
}

static void test_url_chooses_the_backend(void **state)
{
	struct testutil_db *f = *state;
	char path[700], url[800];
	store *st = NULL;
	/* sqlite:PATH, sqlite:///PATH and a file: URI reach the same file. */
	const char *forms[] = {"sqlite:%s", "sqlite://%s", "file:%s"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		snprintf(url, sizeof url, forms[i], f->path);
		assert_int_equal(store_open(url, 0, &st), 0);
		assert_string_equal(store_backend_name(st), "SpatiaLite");
		assert_string_equal(store_path(st), f->path);
		assert_int_equal(store_schema_version(st), store_schema_latest());
		store_close(st);
	}
	testutil_path(path, sizeof path, f->dir, "made.sqlite");
	snprintf(url, sizeof url, "sqlite:%s", path);
	assert_int_equal(store_open(url, STORE_CREATE, &st), 0);
	assert_string_equal(store_path(st), path);
	store_close(st);

	st = NULL;
	assert_int_equal(store_open("postgresql://posbon@localhost/district", 0, &st),
	                 ERR_UNSUPPORTED);
	assert_null(st);
	assert_non_null(strstr(err_msg(), "this build has no PostgreSQL backend"));
	assert_int_equal(store_open("postgres://localhost/d", 0, &st), ERR_UNSUPPORTED);
	assert_int_equal(store_open("mysql://localhost/d", 0, &st), ERR_UNSUPPORTED);
	assert_non_null(strstr(err_msg(), "mysql"));
	assert_int_equal(store_open("sqlite:", 0, &st), ERR_INVALID);
	assert_int_equal(store_open("", 0, &st), ERR_INVALID);
	assert_null(st);
}

/* Collects what a walk hands over, as text. */
struct collected {
	char text[512];
};

static void add_text(struct collected *c, const char *fmt, ...)
{
	size_t n = strlen(c->text);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->text + n, sizeof c->text - n, fmt, ap);
	va_end(ap);
}

static int collect_area(void *ctx, const struct store_area_record *r)
{
	add_text(ctx, "%s:%s:%ld:%s ", r->area.code, r->area.name_uz ? r->area.name_uz : "-",
	         r->area.population,
	         r->geojson ? (strstr(r->geojson, "MultiPolygon") ? "json" : "?")
	         : r->area.wkb_len > 9 && r->area.wkb ? "wkb"
	                                              : "none");
	return 0;
}

static int collect_code(void *ctx, const struct store_code *c)
{
	add_text(ctx, "%s:%g ", c->code, c->weight);
	return 0;
}

static int stop_at_first(void *ctx, const struct store_code *c)
{
	(void)c;
	(void)ctx;
	return 7;
}

static void test_areas_and_codes_read_back(void **state)
{
	struct testutil_db *f = *state;
	struct collected c = {""};
	add_two_mahallas(f->st);
	assert_int_equal(store_list_areas(f->st, STORE_MAHALLAS, NULL, 0, collect_area, &c), 0);
	assert_string_equal(c.text, "M1:Bog‘ishamol:5000:wkb M2:Oqtepa:5000:wkb ");
	c.text[0] = 0;
	assert_int_equal(store_list_areas(f->st, STORE_MAHALLAS, "M2", 1, collect_area, &c), 0);
	assert_string_equal(c.text, "M2:Oqtepa:5000:json ");
	c.text[0] = 0;
	assert_int_equal(store_list_areas(f->st, STORE_DISTRICTS, NULL, 0, collect_area, &c), 0);
	assert_string_equal(c.text, "");

	struct store_extent e;
	double m2;
	assert_int_equal(store_area_extent(f->st, &e), 0);
	assert_false(e.empty);
	assert_true(fabs(e.minx - 69.0) < 1e-9 && fabs(e.maxx - 69.2) < 1e-9);
	assert_true(fabs(e.miny - 41.0) < 1e-9 && fabs(e.maxy - 41.1) < 1e-9);
	/* no districts: the mahallas' area, 0.2 x 0.1 degrees at 41 N */
	assert_int_equal(store_area_m2(f->st, &m2), 0);
	assert_true(m2 > 1.6e8 && m2 < 1.9e8);

	struct store_code theft = {.code = "theft", .name_en = "Theft", .weight = 2};
	assert_int_equal(store_put_category(f->st, &theft), 0);
	assert_int_equal(store_ensure_category(f->st, "fraud", NULL), 0);
	assert_int_equal(store_ensure_service(f->st, "ppx", "Patrol"), 0);
	c.text[0] = 0;
	assert_int_equal(store_list_codes(f->st, STORE_CATEGORIES, collect_code, &c), 0);
	assert_string_equal(c.text, "fraud:1 theft:2 ");
	assert_int_equal(store_list_codes(f->st, STORE_CATEGORIES, stop_at_first, NULL), 7);
	assert_int_equal(store_code_exists(f->st, STORE_SERVICES, "ppx"), 1);
	assert_int_equal(store_code_exists(f->st, STORE_CATEGORIES, "ppx"), 0);
	assert_int_equal(store_code_exists(f->st, STORE_SERVICES, ""), 0);
}

static int collect_offence(void *ctx, const struct store_offence_row *r)
{
	const struct store_offence *o = &r->o;
	add_text(ctx, "%lld:%s:%s:%s:%s:%s:%d ", (long long)r->id,
	         o->external_id ? o->external_id : "-", o->mahalla_code ? o->mahalla_code : "-",
	         o->category ? o->category : "-", time_precision_name(o->precision),
	         o->status ? o->status : "-", o->has_point);
	return 0;
}

static int count_point(void *ctx, double lon, double lat)
{
	assert_true(lon > 69 && lat > 41);
	++*(int *)ctx;
	return 0;
}

static void test_offences_read_back(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	struct collected c = {""};
	add_two_mahallas(f->st);
	assert_int_equal(store_ensure_category(f->st, "theft", NULL), 0);
	struct store_offence o = {.external_id = "A1",
	                          .occurred_from = 1700000000,
	                          .occurred_to = 1700000000,
	                          .precision = PREC_MINUTE,
	                          .reported_at = STORE_NO_TIME,
	                          .category = "theft",
	                          .status = "open",
	                          .has_point = 1,
	                          .lon = 69.15,
	                          .lat = 41.05};
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	o.external_id = "A2";
	o.has_point = 0;
	o.mahalla_code = "M1";
	o.precision = PREC_DAY;
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	o.external_id = "A3";
	o.mahalla_code = NULL; /* neither point nor mahalla: not on any map */
	assert_int_equal(store_put_offence(f->st, &o, &info), ERR_INVALID);
	assert_string_equal(err_field(), "point");

	int64_t id;
	assert_int_equal(store_offence_id(f->st, "A2", &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(store_offence_id(f->st, "nope", &id), ERR_NOTFOUND);
	assert_int_equal(store_get_offence(f->st, 0, "A1", collect_offence, &c), 0);
	assert_string_equal(c.text, "1:A1:M2:theft:minute:open:1 ");
	assert_int_equal(store_get_offence(f->st, 3, NULL, collect_offence, &c), ERR_NOTFOUND);
	/* the scan reads only what a map needs */
	c.text[0] = 0;
	assert_int_equal(store_scan_offences(f->st, 1, INT64_MAX, collect_offence, &c), 0);
	assert_string_equal(c.text, "1:-:M2:theft:minute:-:1 2:-:M1:theft:day:-:0 ");
	c.text[0] = 0;
	assert_int_equal(store_scan_offences(f->st, 2, 2, collect_offence, &c), 0);
	assert_string_equal(c.text, "2:-:M1:theft:day:-:0 ");

	int points = 0;
	long n;
	assert_int_equal(store_each_point(f->st, count_point, &points), 0);
	assert_int_equal(points, 1);
	assert_int_equal(store_offence_count(f->st, &n), 0);
	assert_int_equal(n, 2);
}

static int collect_track(void *ctx, const struct store_track *t)
{
	add_text(ctx, "%s:%s:%zu:%lld-%lld ", t->external_id, t->unit, t->n_fixes,
	         (long long)t->fixes[0].t, (long long)t->fixes[t->n_fixes - 1].t);
	return 0;
}

static void test_tracks_read_back(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	struct collected c = {""};
	const struct store_fix early[] = {{69.0, 41.0, 1000}, {69.1, 41.0, 2000}};
	const struct store_fix late[] = {
	    {69.0, 41.0, 5000}, {69.1, 41.1, 5100}, {69.2, 41.2, 6000}};
	struct store_track t = {.external_id = "T1", .unit = "PPX-1", .fixes = early, .n_fixes = 2};
	assert_int_equal(store_put_track(f->st, &t, &info), 0);
	t = (struct store_track){.external_id = "T2", .unit = "PPX-2", .fixes = late, .n_fixes = 3};
	assert_int_equal(store_put_track(f->st, &t, &info), 0);
	assert_int_equal(store_list_tracks(f->st, STORE_NO_TIME, STORE_NO_TIME, collect_track, &c),
	                 0);
	assert_string_equal(c.text, "T1:PPX-1:2:1000-2000 T2:PPX-2:3:5000-6000 ");
	c.text[0] = 0;
	assert_int_equal(store_list_tracks(f->st, 3000, STORE_NO_TIME, collect_track, &c), 0);
	assert_string_equal(c.text, "T2:PPX-2:3:5000-6000 ");
	c.text[0] = 0;
	assert_int_equal(store_list_tracks(f->st, STORE_NO_TIME, 1500, collect_track, &c), 0);
	assert_string_equal(c.text, "T1:PPX-1:2:1000-2000 ");
}

static void test_tokens_and_sessions(void **state)
{
	struct testutil_db *f = *state;
	struct store_credential who;
	const char *tok = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *tok2 = "2222222222222222222222222222222222222222222222222222222222222222";
	const char *ses = "3333333333333333333333333333333333333333333333333333333333333333";
	assert_int_equal(
	    store_token_add(f->st, "wall", "viewer", tok, 100, STORE_NO_TIME, NULL, NULL), 0);
	assert_int_equal(
	    store_token_add(f->st, "wall", "admin", tok2, 101, STORE_NO_TIME, NULL, NULL),
	    ERR_CONFLICT);
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 200, &who), 0);
	assert_string_equal(who.name, "wall");
	assert_string_equal(who.role, "viewer");
	assert_int_equal(who.expires, STORE_NO_TIME);
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok2, 200, &who), ERR_NOTFOUND);

	assert_int_equal(store_session_add(f->st, ses, "wall", 200, 300), 0);
	assert_int_equal(store_session_add(f->st, tok2, "nobody", 200, 300), ERR_NOTFOUND);
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 250, &who), 0);
	assert_string_equal(who.name, "wall");
	assert_int_equal(who.expires, 300);
	/* a session is no token, and ends at its expiry */
	assert_int_equal(store_credential(f->st, STORE_TOKEN, ses, 250, &who), ERR_NOTFOUND);
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 300, &who), ERR_NOTFOUND);

	/* revoking ends the token and its sessions; the name may be given again */
	assert_int_equal(store_token_revoke(f->st, "wall", 260), 0);
	assert_int_equal(store_token_revoke(f->st, "wall", 261), ERR_NOTFOUND);
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 270, &who), ERR_NOTFOUND);
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 270, &who), ERR_NOTFOUND);
	assert_int_equal(
	    store_token_add(f->st, "wall", "admin", tok2, 280, STORE_NO_TIME, NULL, NULL), 0);
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok2, 290, &who), 0);
	assert_string_equal(who.role, "admin");
	assert_int_equal(testdb_count(testdb(f->st), "SELECT count(*) FROM sessions"), 0);

	assert_int_equal(store_session_add(f->st, ses, "wall", 300, 400), 0);
	assert_int_equal(store_session_delete(f->st, ses), 0);
	assert_int_equal(store_session_delete(f->st, ses), 0);
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 310, &who), ERR_NOTFOUND);
}

/* Collects "name:role:created:last_used:expires:revoked " of every token. */
static int collect_token(void *ctx, const struct store_token *t)
{
	struct collected *c = ctx;
	add_text(c, "%s:%s:%lld:%lld:%lld:%lld ", t->name, t->role, (long long)t->created,
	         t->last_used == STORE_NO_TIME ? -1LL : (long long)t->last_used,
	         t->expires == STORE_NO_TIME ? -1LL : (long long)t->expires,
	         t->revoked == STORE_NO_TIME ? -1LL : (long long)t->revoked);
	return 0;
}

static const char *tokens(store *st, struct collected *c)
{
	c->text[0] = 0;
	assert_int_equal(store_list_tokens(st, collect_token, c), 0);
	return c->text;
}

static void test_token_expiry_and_last_use(void **state)
{
	struct testutil_db *f = *state;
	struct store_credential who;
	struct collected c = {0};
	const char *tok = "4444444444444444444444444444444444444444444444444444444444444444";
	const char *ses = "5555555555555555555555555555555555555555555555555555555555555555";
	const char *old = "6666666666666666666666666666666666666666666666666666666666666666";
	assert_int_equal(store_token_add(f->st, "t90", "officer", tok, 100, 1000, NULL, NULL), 0);
	assert_int_equal(
	    store_token_add(f->st, "old", "viewer", old, 50, STORE_NO_TIME, NULL, NULL), 0);
	assert_int_equal(store_token_revoke(f->st, "old", 60), 0);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:-1:1000:-1 ");

	/* a use is written once a minute at most */
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 500, &who), 0);
	assert_int_equal(who.expires, 1000);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:500:1000:-1 ");
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 559, &who), 0);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:500:1000:-1 ");
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 560, &who), 0);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:560:1000:-1 ");

	/* a session counts as its token's use, and ends with the token */
	assert_int_equal(store_session_add(f->st, ses, "t90", 900, 5000), 0);
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 950, &who), 0);
	assert_int_equal(who.expires, 1000);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:950:1000:-1 ");
	assert_int_equal(store_credential(f->st, STORE_SESSION, ses, 1000, &who), ERR_NOTFOUND);
	assert_int_equal(who.expires, STORE_NO_TIME);

	/* an expired token is told from an unknown one */
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 1000, &who), ERR_NOTFOUND);
	assert_string_equal(who.name, "t90");
	assert_int_equal(who.expires, 1000);
	assert_string_equal(err_msg(), "the token 't90' expired at 1970-01-01T00:16:40Z");
	assert_int_equal(store_credential(f->st, STORE_TOKEN, ses, 1000, &who), ERR_NOTFOUND);
	assert_int_equal(who.expires, STORE_NO_TIME);
	assert_int_equal(store_session_add(f->st, old, "t90", 1001, 5000), ERR_NOTFOUND);
	assert_string_equal(tokens(f->st, &c),
	                    "old:viewer:50:-1:-1:60 t90:officer:100:950:1000:-1 ");
}

/* The write of a last use never waits for another connection's write. */
static void test_last_use_does_not_wait(void **state)
{
	struct testutil_db *f = *state;
	struct store_credential who;
	struct collected c = {0};
	store *writer = NULL, *ro = NULL;
	const char *tok = "7777777777777777777777777777777777777777777777777777777777777777";
	assert_int_equal(store_token_add(f->st, "w", "viewer", tok, 100, STORE_NO_TIME, NULL, NULL),
	                 0);
	assert_int_equal(store_open(f->path, 0, &writer), 0);
	assert_int_equal(store_begin(writer), 0);
	time_t t0 = time(NULL);
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 200, &who), 0);
	assert_true(time(NULL) - t0 < 5); /* the busy wait is 10 s */
	assert_int_equal(store_rollback(writer), 0);
	store_close(writer);
	assert_string_equal(tokens(f->st, &c), "w:viewer:100:-1:-1:-1 ");
	assert_int_equal(store_credential(f->st, STORE_TOKEN, tok, 210, &who), 0);
	assert_string_equal(tokens(f->st, &c), "w:viewer:100:210:-1:-1 ");
	/* nor is a read-only store written to */
	assert_int_equal(store_open(f->path, STORE_READONLY, &ro), 0);
	assert_int_equal(store_credential(ro, STORE_TOKEN, tok, 400, &who), 0);
	assert_string_equal(tokens(ro, &c), "w:viewer:100:210:-1:-1 ");
	store_close(ro);
}

/* One test of a point for every writer: the map's reach, the field named. */
static void test_lonlat_bounds(void **state)
{
	(void)state;
	assert_int_equal(store_check_lonlat(69.2, 41.3, "lon", "lat"), 0);
	assert_int_equal(store_check_lonlat(-180, 85.05, "lon", "lat"), 0);
	assert_int_equal(store_check_lonlat(69.2, 85.06, "x", "y"), ERR_INVALID);
	assert_string_equal(err_field(), "y");
	assert_int_equal(store_check_lonlat(69.2, -90, "x", "y"), ERR_INVALID);
	assert_int_equal(store_check_lonlat(180.5, 41.3, "x", "y"), ERR_INVALID);
	assert_string_equal(err_field(), "x");
	assert_int_equal(store_check_lonlat(NAN, 41.3, "x", "y"), ERR_INVALID);
	assert_int_equal(store_check_lonlat(69.2, NAN, "x", "y"), ERR_INVALID);
	assert_string_equal(err_field(), "y");
}

/* One test of an offence for every writer, naming the field at fault. */
static void test_offence_check(void **state)
{
	(void)state;
	char long_id[STORE_ID_MAX + 2];
	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = 0;
	const struct store_offence good = {
	    .external_id = "a1",
	    .occurred_from = 100,
	    .occurred_to = 200,
	    .reported_at = STORE_NO_TIME,
	    .has_point = 1,
	    .lon = 69.2,
	    .lat = 41.3,
	};
	assert_int_equal(store_check_offence(&good), 0);
	struct store_offence o = good;
	o.occurred_from = o.occurred_to = STORE_NO_TIME;
	assert_int_equal(store_check_offence(&o), 0);
	o = good;
	o.has_point = 0;
	o.mahalla_code = "M01";
	assert_int_equal(store_check_offence(&o), 0);

	static const struct {
		const char *field;
	} expect[] = {{"id"},       {"id"},       {"to"},  {"from"}, {"to"},
	              {"severity"}, {"severity"}, {"lat"}, {"point"}};
	struct store_offence bad[sizeof expect / sizeof expect[0]];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		bad[i] = good;
	bad[0].external_id = "";
	bad[1].external_id = long_id;
	bad[2].occurred_to = 99;
	bad[3].occurred_from = STORE_NO_TIME;
	bad[4].occurred_to = STORE_NO_TIME;
	bad[5].severity = -1;
	bad[6].severity = STORE_SEVERITY_MAX + 1;
	bad[7].lat = 85.06;
	bad[8].has_point = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(store_check_offence(&bad[i]), ERR_INVALID);
		assert_string_equal(err_field(), expect[i].field);
	}
	long_id[STORE_ID_MAX] = 0;
	o = good;
	o.external_id = long_id;
	assert_int_equal(store_check_offence(&o), 0);
}

/* A LINESTRING from (x0, y0) to (x1, y1) as little-endian WKB, 41 bytes. */
static void line_wkb(unsigned char wkb[41], double x0, double y0, double x1, double y1)
{
	const uint32_t type = 2, n = 2;
	const double xy[4] = {x0, y0, x1, y1};
	wkb[0] = 1;
	memcpy(wkb + 1, &type, 4);
	memcpy(wkb + 5, &n, 4);
	memcpy(wkb + 9, xy, sizeof xy);
}

static int collect_ref(void *ctx, const struct store_ref_feature *r)
{
	add_text(ctx, "%s:%s:%s:%s:%s:%zu ", r->external_id, r->kind, r->cls ? r->cls : "-",
	         r->name_ru ? r->name_ru : "-", r->tags ? r->tags : "-", r->wkb_len);
	return 0;
}

static void test_reference_features(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	struct collected c = {""};
	unsigned char wkb[41], far[41];
	line_wkb(wkb, 69.20, 41.30, 69.21, 41.31);
	line_wkb(far, 70.00, 42.00, 70.01, 42.01);
	struct store_ref_feature r = {.external_id = "osm:w1",
	                              .source = "osm",
	                              .kind = "street",
	                              .cls = "primary",
	                              .name = "Bunyodkor",
	                              .name_ru = "Бунёдкор",
	                              .tags = "{\"highway\":\"primary\"}",
	                              .wkb = wkb,
	                              .wkb_len = sizeof wkb};
	assert_int_equal(store_put_ref_feature(f->st, &r, &info), 0);
	assert_int_equal(info.change, STORE_INSERTED);
	assert_int_equal(store_put_ref_feature(f->st, &r, &info), 0);
	assert_int_equal(info.change, STORE_UNCHANGED);
	r.cls = "secondary";
	assert_int_equal(store_put_ref_feature(f->st, &r, &info), 0);
	assert_int_equal(info.change, STORE_UPDATED);
	struct store_ref_feature o = {
	    .external_id = "osm:w2", .kind = "railway", .wkb = far, .wkb_len = sizeof far};
	assert_int_equal(store_put_ref_feature(f->st, &o, &info), 0);

	assert_int_equal(store_each_ref_feature(f->st, NULL, collect_ref, &c), 0);
	assert_string_equal(c.text, "osm:w1:street:secondary:Бунёдкор:{\"highway\":\"primary\"}:41 "
	                            "osm:w2:railway:-:-:-:41 ");
	c.text[0] = 0;
	const double box[4] = {69.205, 41.305, 69.3, 41.4};
	assert_int_equal(store_each_ref_feature(f->st, box, collect_ref, &c), 0);
	assert_string_equal(c.text,
	                    "osm:w1:street:secondary:Бунёдкор:{\"highway\":\"primary\"}:41 ");

	o.kind = NULL;
	assert_int_equal(store_put_ref_feature(f->st, &o, &info), ERR_INVALID);
	assert_string_equal(err_field(), "kind");
	o.kind = "railway";
	o.wkb_len = 5;
	assert_int_equal(store_put_ref_feature(f->st, &o, &info), ERR_GEOMETRY);
	assert_string_equal(err_field(), "geometry");
	/* The refused write changed nothing. */
	c.text[0] = 0;
	assert_int_equal(store_each_ref_feature(f->st, NULL, collect_ref, &c), 0);
	assert_non_null(strstr(c.text, "osm:w2:railway:-:-:-:41 "));
}

/* A task's status as a whole follows its receivers': the least advanced
 * of those that did not decline; declined only when all did. */
static void test_task_status_of_receivers(void **state)
{
	(void)state;
	struct store_task_receiver to[3] = {{"prevention", NULL, "done", "met"},
	                                    {"youth", NULL, "accepted", NULL},
	                                    {"ppx", "PPX-1", "declined", "no crew"}};
	struct store_task t = {.to = to, .n_to = 3};
	assert_string_equal(store_task_status(&t), "accepted");
	to[1].status = "new";
	assert_string_equal(store_task_status(&t), "new");
	to[1].status = "done";
	assert_string_equal(store_task_status(&t), "done");
	to[0].status = to[1].status = "declined";
	assert_string_equal(store_task_status(&t), "declined");
	assert_true(store_task_status_valid("in_progress"));
	assert_false(store_task_status_valid("finished"));
	assert_false(store_task_status_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lonlat_bounds),
	    cmocka_unit_test(test_offence_check),
	    cmocka_unit_test_setup_teardown(test_reference_features, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_schema_is_migrated_and_wal, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_missing_file_without_create_fails,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_not_a_database_fails_cleanly, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_offence_gets_mahalla_and_is_idempotent,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_changed_mahalla_reloads_locator, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bowtie_is_repaired_not_halved, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_unreadable_geometry_is_rejected, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_zone_list_history_and_delete, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_zone_versions_and_audit, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_track_with_times, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_bulk_load_indexes_and_restores_triggers,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_rollback_leaves_database_as_it_was,
	                                    testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_page_cache, testutil_db_open, testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_url_chooses_the_backend, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_areas_and_codes_read_back, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_offences_read_back, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_tracks_read_back, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_token_expiry_and_last_use, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_last_use_does_not_wait, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test_setup_teardown(test_regions_hold_their_districts, testutil_db_open,
	                                    testutil_db_close),
	    cmocka_unit_test(test_task_status_of_receivers),
	    cmocka_unit_test_setup_teardown(test_tokens_and_sessions, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
