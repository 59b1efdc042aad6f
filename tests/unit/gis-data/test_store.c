/* store: schema, idempotent upserts, mahalla assignment, repair, versions. */
#include "testutil.h"

#include "err.h"
#include "store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "PRAGMA journal_mode", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM geometry_columns"),
	                 5);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM schema_migrations"),
	                 store_schema_latest());
	/* Reopening does not migrate again. */
	store_close(f->st);
	assert_int_equal(store_open(f->path, 0, &f->st), 0);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM schema_migrations"),
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
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM offences"), 1);
	assert_int_equal(testutil_count(store_db(f->st),
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
	assert_int_equal(testutil_count(store_db(f->st),
	                                "SELECT count(*) FROM offences WHERE mahalla_code = 'M1' "
	                                "AND located IS NULL AND geom IS NULL"),
	                 1);
	assert_int_equal(testutil_count(store_db(f->st),
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
	assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
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
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM districts"), 0);
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
		                                  .shift_start = 18 * 60,
		                                  .shift_end = 2 * 60,
		                                  .weekdays = 0x70};
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
	assert_int_equal(testutil_count(store_db(f->st), "SELECT version FROM patrol_zones"), 2);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM zone_assignments"),
	                 1);
	assert_int_equal(testutil_count(store_db(f->st),
	                                "SELECT json_array_length(assignments) FROM "
	                                "patrol_zone_versions WHERE version = 1"),
	                 2);
	assert_int_equal(
	    testutil_count(store_db(f->st), "SELECT count(*) FROM audit WHERE entity = 'zone'"), 2);

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
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM zone_assignments"),
	                 1);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM audit WHERE "
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
	assert_int_equal(testutil_count(store_db(f->st),
	                                "SELECT CAST(ST_M(ST_EndPoint(geom)) AS INTEGER) FROM "
	                                "patrol_tracks"),
	                 1700000060);
	assert_int_equal(
	    testutil_count(store_db(f->st), "SELECT ended_at - started_at FROM patrol_tracks"), 60);
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
	                          .reported_at = STORE_NO_TIME};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM offences"), 0);
}

static void test_bulk_load_indexes_and_restores_triggers(void **state)
{
	struct testutil_db *f = *state;
	struct store_put_info info;
	char id[32];
	const char *triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
	                       "tbl_name = 'offences'";
	long before = testutil_count(store_db(f->st), triggers);
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
	assert_int_equal(testutil_count(store_db(f->st), triggers), before - 3);
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
	assert_int_equal(testutil_count(store_db(f->st), triggers), before);
	assert_int_equal(testutil_count(store_db(f->st), "SELECT count(*) FROM idx_offences_geom"),
	                 101);
	assert_int_equal(
	    testutil_count(store_db(f->st),
	                   "SELECT count(*) FROM offences WHERE ROWID IN (SELECT ROWID "
	                   "FROM SpatialIndex WHERE f_table_name = 'offences' AND "
	                   "search_frame = BuildMbr(69.0495, 41.29, 69.4, 41.31))"),
	    50);
	assert_int_equal(
	    testutil_count(store_db(f->st),
	                   "SELECT count(*) FROM idx_offences_geom WHERE xmin > 69.49"),
	    1);

	/* a rolled-back bulk load leaves the triggers in place */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(testutil_count(store_db(f->st), triggers), before);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_bulk_begin(f->st), 0);
	assert_int_equal(store_bulk_end(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
