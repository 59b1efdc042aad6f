/* sample: the generated district is complete, plausible and deterministic,
 * and the same as before cities; a city of districts tiles without overlaps,
 * its mahallas in their districts, its offences placed in them, in numbers
 * that differ. Counts and names are read through the store; the finer
 * figures are SQL aggregates and spatial joins over the SpatiaLite file
 * (testdb.h), and the tracks' stored WKB is checked as written. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "sample.h"
#include "spl.h"
#include "store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFFENCES 3000
#define MAHALLAS 20
#define DAYS     365
#define END      "2026-11-25"

/* The city: its offences over all its districts, its mahallas in each. */
#define CITY          4
#define CITY_MAHALLAS 12
#define CITY_OFFENCES 8000

struct fixture {
	char *dir;
	char same[600], other[600]; /* same seed, another seed */
	char city_same[600];        /* the city again */
	store *st, *city;
	int64_t start, end; /* the period, UTC */
};

/* A district (districts 1) or a city into a new database at path. */
static void generate(const char *path, uint64_t seed, int districts, store **out)
{
	struct sample_options o;
	struct sample_report rep;
	sample_defaults(&o);
	o.seed = seed;
	o.districts = districts;
	o.offences = districts == 1 ? OFFENCES : CITY_OFFENCES;
	o.mahallas = districts == 1 ? MAHALLAS : CITY_MAHALLAS;
	o.days = DAYS;
	if (districts > 1)
		o.ground = SAMPLE_GROUND_STREETS; /* the houses are a district's, and slow */
	assert_int_equal(sample_end_day(END, &o.end_day), 0);
	o.now = o.end_day; /* the period is over, whatever the clock says */
	assert_int_equal(store_open(path, STORE_CREATE, out), 0);
	int rc = sample_generate(*out, &o, &rep);
	if (rc < 0)
		fprintf(stderr, "%s\n", err_msg());
	assert_int_equal(rc, 0);
	assert_int_equal(rep.districts, districts);
	assert_int_equal(rep.mahallas, districts * o.mahallas);
	assert_int_equal(rep.offences, o.offences);
	assert_true(rep.zones >= 12 * districts && rep.tracks > 0 && rep.fixes > rep.tracks);
	/* The large page cache of the writing is given back. */
	assert_int_equal(testdb_count(spl_of(*out)->db, "PRAGMA cache_size"), -2000);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[600];
	store *st;
	f->dir = testutil_tmpdir();
	testutil_path(path, sizeof path, f->dir, "a.sqlite");
	testutil_path(f->same, sizeof f->same, f->dir, "b.sqlite");
	testutil_path(f->other, sizeof f->other, f->dir, "c.sqlite");
	testutil_path(f->city_same, sizeof f->city_same, f->dir, "city-b.sqlite");
	generate(path, 7, 1, &f->st);
	generate(f->same, 7, 1, &st);
	store_close(st);
	generate(f->other, 8, 1, &st);
	store_close(st);
	testutil_path(path, sizeof path, f->dir, "city-a.sqlite");
	generate(path, 7, CITY, &f->city);
	generate(f->city_same, 7, CITY, &st);
	store_close(st);
	assert_int_equal(sample_end_day(END, &f->end), 0);
	f->start = f->end - (int64_t)DAYS * 86400;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	store_close(f->city);
	testutil_rmtree(f->dir);
	free(f);
	return 0;
}

/* The store's own figures. */
static struct store_summary summary(store *st)
{
	struct store_summary sum;
	assert_int_equal(store_summarize(st, &sum), 0);
	return sum;
}

static double num(store *st, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(testdb(st), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(testdb(st)));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	double v = sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_end_day(void **state)
{
	(void)state;
	int64_t end;
	assert_int_equal(sample_end_day("2026-11-25", &end), 0);
	assert_int_equal(end, 1795633200); /* 2026-11-26T00:00+05:00 */
	assert_int_equal(sample_end_day("2024-02-29", &end), 0);
	assert_int_equal(sample_end_day("2026-02-29", &end), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "2026-02-29"));
	assert_int_equal(sample_end_day("2026-1-25", &end), ERR_INVALID);
	assert_int_equal(sample_end_day("2026-11-25x", &end), ERR_INVALID);
	assert_int_equal(sample_end_day("", &end), ERR_INVALID);
}

static void test_bad_options_write_nothing(void **state)
{
	struct fixture *f = *state;
	char path[700];
	store *st;
	struct sample_options o;
	struct sample_report rep;
	sample_defaults(&o);
	o.mahallas = SAMPLE_MAX_MAHALLAS + 1;
	testutil_path(path, sizeof path, f->dir, "bad.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
	assert_int_equal(sample_generate(st, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "mahallas"));
	o.mahallas = 10;
	o.end_day += 3600;
	assert_int_equal(sample_generate(st, &o, &rep), ERR_INVALID);
	assert_int_equal(summary(st).districts, 0);
	store_close(st);
}

/* Generated on the morning of its last day (as `posbon sample --end today`
 * at 06:31), the sample stops at the present minute: nothing occurs, is
 * reported or is patrolled later, and the morning is not empty. */
static void test_nothing_in_the_future(void **state)
{
	struct fixture *f = *state;
	char path[700], sql[300];
	store *st;
	struct sample_options o;
	struct sample_report rep;
	sample_defaults(&o);
	o.offences = 20000;
	o.mahallas = 4;
	o.days = 30;
	assert_int_equal(sample_end_day(END, &o.end_day), 0);
	int64_t midnight = o.end_day - 86400;
	o.now = midnight + 6 * 3600 + 31 * 60 + 17;
	testutil_path(path, sizeof path, f->dir, "morning.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
	assert_int_equal(sample_generate(st, &o, &rep), 0);
	assert_int_equal(rep.offences, o.offences);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM offences WHERE occurred_from >= %lld OR occurred_to >= %lld "
	         "OR reported_at > %lld",
	         (long long)o.now, (long long)o.now, (long long)o.now);
	assert_int_equal(num(st, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM patrol_tracks WHERE ended_at > %lld",
	         (long long)o.now);
	assert_int_equal(num(st, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM offences WHERE occurred_from >= %lld",
	         (long long)midnight);
	assert_true(num(st, sql) > 0);
	store_close(st);

	/* Less than a day before the present: refused, not drawn for ever. */
	o.now = midnight - 29 * 86400 + 3600;
	testutil_path(path, sizeof path, f->dir, "early.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
	assert_int_equal(sample_generate(st, &o, &rep), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "future"));
	store_close(st);
}

static int check_cyrillic(void *ctx, const struct store_area_record *a)
{
	const unsigned char *uz = (const unsigned char *)a->area.name_uz,
	                    *ru = (const unsigned char *)a->area.name_ru;
	(void)ctx;
	assert_non_null(uz);
	assert_non_null(ru);
	assert_true(*uz && *ru);
	for (const unsigned char *c = ru; *c; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))
			fail_msg("Latin letter left in '%s' (from '%s')", ru, uz);
	assert_true(ru[0] >= 0xd0 && ru[0] <= 0xd3); /* a Cyrillic letter */
	return 0;
}

static void test_mahallas_tile_the_district(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(summary(f->st).districts, 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM mahallas WHERE district_code = "
	                            "(SELECT code FROM districts)"),
	                 MAHALLAS);
	assert_int_equal(num(f->st, "SELECT sum(ST_IsValid(geom)) FROM mahallas"), MAHALLAS);
	assert_int_equal(num(f->st, "SELECT ST_IsValid(geom) FROM districts"), 1);
	/* No gaps: the areas add up to the district; no overlaps: so does the union. */
	double sum = num(f->st, "SELECT sum(ST_Area(geom)) FROM mahallas");
	double district = num(f->st, "SELECT ST_Area(geom) FROM districts");
	double united = num(f->st, "SELECT ST_Area(ST_Union(geom)) FROM mahallas");
	assert_float_equal(sum / district, 1.0, 0.001);
	assert_float_equal(united / sum, 1.0, 0.001);
	/* Roughly 8 x 6 km near Tashkent. */
	assert_true(num(f->st, "SELECT ST_Y(ST_Centroid(geom)) FROM districts") > 41.2);
	assert_true(num(f->st, "SELECT ST_Y(ST_Centroid(geom)) FROM districts") < 41.4);
	double km2 = district * 111.2 * 111.2 * 0.7509;
	assert_true(km2 > 25 && km2 < 55);
	assert_int_equal(num(f->st, "SELECT count(*) FROM mahallas WHERE population BETWEEN 2000 "
	                            "AND 12000 AND households BETWEEN population / 5 AND "
	                            "population / 4 AND length(inspector) > 5"),
	                 MAHALLAS);
	assert_int_equal(num(f->st, "SELECT count(DISTINCT name_uz) FROM mahallas"), MAHALLAS);
	assert_int_equal(num(f->st, "SELECT count(*) FROM mahallas WHERE code GLOB 'M[0-9][0-9]'"),
	                 MAHALLAS);

	/* Cyrillic names: no Latin letter left, and no Latin-only name. */
	assert_int_equal(store_list_areas(f->st, STORE_MAHALLAS, NULL, 0, check_cyrillic, NULL), 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM mahallas WHERE name_uz LIKE '%ʻ%'") > 0,
	                 1);
}

static void test_offences(void **state)
{
	struct fixture *f = *state;
	char sql[300];
	assert_int_equal(summary(f->st).offences, OFFENCES);
	double located = (double)summary(f->st).offences_located;
	assert_true(located >= 0.95 * OFFENCES);
	assert_true(summary(f->st).offences_outside > 0);
	assert_true(summary(f->st).offences_no_point > 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences WHERE geom IS NULL AND "
	                            "(mahalla_code IS NULL OR address IS NULL)"),
	                 0);
	/* Geocoding errors lie far outside. */
	assert_true(num(f->st, "SELECT count(*) FROM offences WHERE abs(ST_X(geom) - 69.25) > "
	                       "0.2 OR abs(ST_Y(geom) - 41.3) > 0.2") > 0);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM offences WHERE occurred_from < %lld OR occurred_to >= %lld "
	         "OR occurred_to < occurred_from OR reported_at < occurred_to",
	         (long long)f->start, (long long)f->end);
	assert_int_equal(num(f->st, sql), 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences WHERE occurred_from % 60 != 0"),
	                 0);
	double spans = num(f->st, "SELECT count(*) FROM offences WHERE time_precision = 'span'");
	assert_true(spans > 0.01 * OFFENCES && spans < 0.06 * OFFENCES);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences WHERE time_precision = 'span' "
	                            "AND category != 'burglary'"),
	                 0);
	assert_true(num(f->st, "SELECT count(DISTINCT category) FROM offences") >= 10);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences WHERE category = 'road_traffic' "
	                            "AND service != 'ypx'"),
	                 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences WHERE external_id NOT GLOB "
	                            "'S-[0-9][0-9][0-9][0-9][0-9][0-9]'"),
	                 0);
}

/* Share of a category's offences at local hours 20:00-02:59 (uniform: 7/24). */
static double night_share(store *st, const char *categories)
{
	char sql[400];
	snprintf(sql, sizeof sql,
	         "SELECT avg((occurred_from + 18000) / 3600 %% 24 >= 20 OR "
	         "(occurred_from + 18000) / 3600 %% 24 < 3) FROM offences WHERE category IN (%s)",
	         categories);
	return num(st, sql);
}

static void test_times_follow_the_places(void **state)
{
	struct fixture *f = *state;
	assert_true(night_share(f->st, "'assault', 'drugs'") > 0.45);
	assert_true(night_share(f->st, "'fraud', 'road_traffic'") < 0.2);
	/* Friday and Saturday above the weekday mean. */
	double fri_sat = num(f->st, "SELECT avg((occurred_from + 18000) / 86400 % 7 IN (1, 2)) "
	                            "FROM offences");
	assert_true(fri_sat > 2.0 / 7 * 1.1);
}

static void test_zones(void **state)
{
	struct fixture *f = *state;
	assert_true(summary(f->st).zones >= 12);
	assert_int_equal(num(f->st, "SELECT count(*) FROM patrol_zones WHERE NOT ST_IsValid(geom) "
	                            "OR valid_from IS NULL OR author != 'sample'"),
	                 0);
	assert_true(num(f->st, "SELECT count(DISTINCT service) FROM zone_assignments") >= 4);
	/* A joint patrol: two services on one zone and shift. */
	assert_true(num(f->st, "SELECT count(*) FROM zone_assignments a JOIN zone_assignments b "
	                       "ON a.zone_id = b.zone_id AND a.service < b.service AND "
	                       "a.shift_start = b.shift_start AND a.shift_end = b.shift_end AND "
	                       "a.weekdays & b.weekdays") > 0);
	assert_true(num(f->st, "SELECT count(*) FROM zone_assignments WHERE shift_end < "
	                       "shift_start") > 0);
	/* An overlap nobody planned: zones of different services that meet on
	 * a common weekday and time. */
	assert_true(num(f->st, "SELECT count(*) FROM patrol_zones z1 JOIN patrol_zones z2 ON "
	                       "z1.id < z2.id AND ST_Intersects(z1.geom, z2.geom) JOIN "
	                       "zone_assignments a ON a.zone_id = z1.id JOIN zone_assignments b "
	                       "ON b.zone_id = z2.id AND a.service != b.service AND "
	                       "a.weekdays & b.weekdays AND a.shift_start < b.shift_end AND "
	                       "b.shift_start < a.shift_end") > 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM zone_assignments WHERE unit IS NULL"), 0);
	/* A few hundred metres across. */
	assert_int_equal(num(f->st, "SELECT count(*) FROM patrol_zones WHERE MbrMaxX(geom) - "
	                            "MbrMinX(geom) NOT BETWEEN 0.002 AND 0.03"),
	                 0);
}

static void test_tracks(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *s;
	long tracks = 0, inside_zone = 0;
	assert_int_equal(sqlite3_prepare_v2(testdb(f->st),
	                                    "SELECT n_fixes, started_at, ended_at, AsBinary(geom) "
	                                    "FROM patrol_tracks",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long n = sqlite3_column_int(s, 0);
		const unsigned char *wkb = sqlite3_column_blob(s, 3);
		uint32_t type, count;
		assert_int_equal(sqlite3_column_bytes(s, 3), 9 + 24 * n);
		memcpy(&type, wkb + 1, 4);
		memcpy(&count, wkb + 5, 4);
		assert_int_equal(type, 2002); /* LINESTRING M */
		assert_int_equal(count, n);
		double prev = -1;
		for (long i = 0; i < n; i++) {
			double m;
			memcpy(&m, wkb + 9 + 24 * i + 16, 8);
			assert_true(m > prev);
			prev = m;
		}
		assert_int_equal((int64_t)prev, sqlite3_column_int64(s, 2));
		assert_true(sqlite3_column_int64(s, 1) >= f->end - 7 * 86400);
		assert_true(sqlite3_column_int64(s, 2) <= f->end);
		tracks++;
	}
	sqlite3_finalize(s);
	assert_true(tracks > 20);
	/* Mostly inside their zone, not always. */
	inside_zone =
	    (long)num(f->st, "SELECT count(*) FROM patrol_tracks t JOIN zone_assignments a ON "
	                     "a.unit = t.unit AND a.service = t.service JOIN patrol_zones z ON "
	                     "z.id = a.zone_id WHERE ST_Within(ST_StartPoint(t.geom), z.geom)");
	assert_true(inside_zone > tracks / 2);
	assert_true(num(f->st, "SELECT count(*) FROM patrol_tracks t JOIN zone_assignments a ON "
	                       "a.unit = t.unit AND a.service = t.service JOIN patrol_zones z ON "
	                       "z.id = a.zone_id WHERE NOT ST_Within(t.geom, z.geom)") > 0);
}

/* Rows of table equal in both databases, by the columns of equal. */
static double same_rows(store *st, const char *path, const char *table, const char *key,
                        const char *equal)
{
	char sql[1200];
	sqlite3_stmt *s;
	assert_int_equal(
	    sqlite3_prepare_v2(testdb(st), "ATTACH DATABASE ?1 AS other", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM main.%s a JOIN other.%s b USING(%s) WHERE %s", table, table,
	         key, equal);
	double n = num(st, sql);
	assert_int_equal(sqlite3_exec(testdb(st), "DETACH DATABASE other", NULL, NULL, NULL),
	                 SQLITE_OK);
	return n;
}

#define OFFENCE_EQUAL                                                                              \
	"a.occurred_from IS b.occurred_from AND a.occurred_to IS b.occurred_to AND "               \
	"a.category IS b.category AND a.service IS b.service AND a.mahalla_code IS "               \
	"b.mahalla_code AND AsText(a.geom) IS AsText(b.geom)"
#define MAHALLA_EQUAL                                                                              \
	"a.name_uz IS b.name_uz AND a.population IS b.population AND "                             \
	"AsText(a.geom) IS AsText(b.geom)"
#define TRACK_EQUAL "a.unit IS b.unit AND AsBinary(a.geom) IS AsBinary(b.geom)"

static void test_same_seed_same_data(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(same_rows(f->st, f->same, "offences", "external_id", OFFENCE_EQUAL),
	                 OFFENCES);
	assert_int_equal(same_rows(f->st, f->same, "mahallas", "code", MAHALLA_EQUAL), MAHALLAS);
	assert_int_equal(same_rows(f->st, f->same, "patrol_tracks", "external_id", TRACK_EQUAL),
	                 summary(f->st).tracks);
	assert_int_equal(same_rows(f->st, f->same, "patrol_zones", "external_id",
	                           "AsText(a.geom) IS AsText(b.geom)"),
	                 summary(f->st).zones);
}

static void test_other_seed_other_data(void **state)
{
	struct fixture *f = *state;
	assert_true(same_rows(f->st, f->other, "offences", "external_id", OFFENCE_EQUAL) <
	            OFFENCES / 100);
	assert_int_equal(same_rows(f->st, f->other, "mahallas", "code", MAHALLA_EQUAL), 0);
}

/* The ground: the main roads, a street grid, houses whose addresses name
 * streets that exist, every kind of place inside the district, names in
 * Latin and Cyrillic; the same for the same seed. */
static void test_ground(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(num(f->st, "SELECT count(*) FROM ref_features WHERE kind = 'street' "
	                            "AND class = 'primary'"),
	                 3);
	assert_true(num(f->st, "SELECT count(*) FROM ref_features WHERE kind = 'street' AND "
	                       "class IN ('residential', 'tertiary')") > 20);
	assert_true(num(f->st, "SELECT count(*) FROM ref_features WHERE kind = 'building'") > 500);
	/* Every house has an address on a street of the map. */
	assert_int_equal(num(f->st, "SELECT count(*) FROM ref_features h WHERE h.kind = 'building' "
	                            "AND (h.addr_housenumber IS NULL OR NOT EXISTS (SELECT 1 FROM "
	                            "ref_features s WHERE s.kind = 'street' AND s.name = "
	                            "h.addr_street))"),
	                 0);
	assert_int_equal(num(f->st, "SELECT count(DISTINCT poi) FROM ref_features WHERE poi IN "
	                            "('market', 'bus_stop', 'cafe', 'school', 'mosque')"),
	                 5);
	assert_int_equal(num(f->st, "SELECT count(*) FROM ref_features r, districts d WHERE r.poi "
	                            "IS NOT NULL AND NOT ST_Within(r.geom, d.geom)"),
	                 0);
	assert_int_equal(num(f->st, "SELECT count(*) FROM ref_features WHERE name IS NOT NULL AND "
	                            "(name_uz_cyrl IS NULL OR name_uz_cyrl = name)"),
	                 0);
	assert_int_equal(same_rows(f->st, f->same, "ref_features", "external_id",
	                           "AsBinary(a.geom) IS AsBinary(b.geom) AND a.tags IS b.tags"),
	                 num(f->st, "SELECT count(*) FROM ref_features"));
}

/* One district (the default) is the district of before cities: the same
 * codes, and the same offences, mahallas and tracks, here as sums over
 * them recorded from the generator before it made cities (seed 7). */
static void test_one_district_as_before(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(num(f->st, "SELECT count(*) FROM districts WHERE code = 'TSH-SAMPLE'"), 1);
	assert_int_equal(num(f->st, "SELECT min(external_id) = 'S-000001' AND max(external_id) = "
	                            "'S-003000' FROM offences"),
	                 1);
	assert_int_equal(num(f->st, "SELECT count(*) FROM offences"), 3000);
	assert_int_equal(num(f->st, "SELECT sum(occurred_from % 1000003) FROM offences"),
	                 1489585445);
	assert_int_equal(num(f->st, "SELECT sum(CAST(round(ST_X(geom) * 1e6) AS INTEGER) % "
	                            "1000003) FROM offences"),
	                 744240204);
	assert_int_equal(num(f->st, "SELECT sum(CAST(round(ST_Y(geom) * 1e6) AS INTEGER) % "
	                            "1000003) FROM offences"),
	                 882885753);
	assert_int_equal(num(f->st, "SELECT sum(unicode(category) * id) FROM offences"), 486634867);
	assert_int_equal(num(f->st, "SELECT sum(CAST(round(ST_X(geom) * 1e6) AS INTEGER) % 1000003 "
	                            "+ occurred_from % 1000003) FROM offences WHERE mahalla_code "
	                            "= 'M07'"),
	                 10843435);
	assert_int_equal(num(f->st, "SELECT sum(population) FROM mahallas"), 131690);
	assert_int_equal(num(f->st, "SELECT sum(households) FROM mahallas"), 29172);
	assert_int_equal(num(f->st, "SELECT sum(n_fixes) FROM patrol_tracks"), 111491);
	assert_int_equal(num(f->st, "SELECT count(*) FROM ref_features"), 14801);
}

/* The city's districts: named, tiling it without overlaps or gaps. */
static void test_city_districts(void **state)
{
	struct fixture *f = *state;
	store *st = f->city;
	assert_int_equal(summary(st).districts, CITY);
	assert_int_equal(num(st, "SELECT count(*) FROM districts WHERE code GLOB 'D0[1-4]' AND "
	                         "name_uz LIKE '_% tumani' AND name_ru LIKE 'Район _%' AND "
	                         "name_en LIKE '_% district' AND ST_IsValid(geom)"),
	                 CITY);
	assert_int_equal(num(st, "SELECT count(DISTINCT name_uz) FROM districts"), CITY);
	/* Neighbours share edges (a line or a point), never area. */
	assert_int_equal(num(st, "SELECT count(*) FROM districts a, districts b WHERE a.code < "
	                         "b.code AND ST_Intersects(a.geom, b.geom)"),
	                 CITY * (CITY - 1) / 2); /* 2 x 2: all four meet in the middle */
	assert_int_equal(num(st, "SELECT count(*) FROM districts a, districts b WHERE a.code < "
	                         "b.code AND ST_Area(ST_Intersection(a.geom, b.geom)) > 0"),
	                 0);
	double sum = num(st, "SELECT sum(ST_Area(geom)) FROM districts");
	assert_float_equal(num(st, "SELECT ST_Area(ST_Union(geom)) FROM districts") / sum, 1.0,
	                   1e-9);
	assert_int_equal(num(st, "SELECT ST_NumInteriorRing(ST_Union(geom)) FROM districts"), 0);
	assert_int_equal(num(st, "SELECT ST_NumGeometries(ST_Union(geom)) FROM districts"), 1);
	/* Each about the sample district's size, the city near Tashkent. */
	assert_int_equal(num(st, "SELECT count(*) FROM districts WHERE ST_Area(geom, 1) / 1e6 "
	                         "BETWEEN 25 AND 55"),
	                 CITY);
	assert_true(fabs(num(st, "SELECT ST_Y(ST_Centroid(ST_Union(geom))) FROM districts") -
	                 41.30) < 0.05);
	assert_true(fabs(num(st, "SELECT ST_X(ST_Centroid(ST_Union(geom))) FROM districts") -
	                 69.25) < 0.05);
}

/* Each district's mahallas: codes unique over the city and naming their
 * district, each inside it, together tiling it. */
static void test_city_mahallas(void **state)
{
	struct fixture *f = *state;
	store *st = f->city;
	assert_int_equal(num(st, "SELECT count(DISTINCT code) FROM mahallas"),
	                 CITY * CITY_MAHALLAS);
	assert_int_equal(num(st, "SELECT count(*) FROM mahallas m JOIN districts d ON d.code = "
	                         "m.district_code WHERE m.code GLOB d.code || '-M[0-9][0-9]'"),
	                 CITY * CITY_MAHALLAS);
	/* Inside: all of its area, up to the rounding of the clipped edges. */
	assert_int_equal(num(st, "SELECT count(*) FROM mahallas m JOIN districts d ON d.code = "
	                         "m.district_code WHERE ST_Area(ST_Intersection(m.geom, d.geom)) "
	                         "> 0.99999 * ST_Area(m.geom)"),
	                 CITY * CITY_MAHALLAS);
	assert_int_equal(num(st, "SELECT count(*) FROM (SELECT d.code, abs(sum(ST_Area(m.geom)) / "
	                         "ST_Area(d.geom) - 1) AS off FROM districts d JOIN mahallas m ON "
	                         "m.district_code = d.code GROUP BY d.code) WHERE off < 0.001"),
	                 CITY);
	assert_int_equal(num(st, "SELECT count(*) FROM mahallas WHERE population BETWEEN 2000 AND "
	                         "12000 AND length(inspector) > 5"),
	                 CITY * CITY_MAHALLAS);
}

/* The offences lie in the districts and are placed in them by the store;
 * the districts' numbers differ. */
static void test_city_offences(void **state)
{
	struct fixture *f = *state;
	store *st = f->city;
	assert_int_equal(summary(st).offences, CITY_OFFENCES);
	/* Every point inside a district is placed in it; the rest are the
	 * geocoding errors and a few near-repeats over the city's edge. */
	assert_int_equal(num(st, "SELECT count(*) FROM offences o WHERE geom IS NOT NULL AND "
	                         "district_code IS NULL AND EXISTS (SELECT 1 FROM districts d "
	                         "WHERE ST_Covers(d.geom, o.geom))"),
	                 0);
	assert_int_equal(num(st, "SELECT count(*) FROM offences o JOIN districts d ON d.code = "
	                         "o.district_code WHERE o.geom IS NOT NULL AND NOT "
	                         "ST_Covers(d.geom, o.geom)"),
	                 0);
	assert_true(num(st, "SELECT count(*) FROM offences WHERE district_code IS NOT NULL") >
	            0.97 * CITY_OFFENCES);
	/* Address-only records: their mahalla's district. */
	assert_true(num(st, "SELECT count(*) FROM offences WHERE geom IS NULL") > 0);
	assert_int_equal(num(st, "SELECT count(*) FROM offences o JOIN mahallas m ON m.code = "
	                         "o.mahalla_code WHERE o.geom IS NULL AND o.district_code IS NOT "
	                         "m.district_code"),
	                 0);
	/* Four different numbers, the largest at least a fifth above the smallest. */
	assert_int_equal(num(st, "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM "
	                         "offences WHERE district_code IS NOT NULL GROUP BY "
	                         "district_code)"),
	                 CITY);
	assert_true(num(st,
	                "SELECT max(n) * 1.0 / min(n) FROM (SELECT count(*) AS n FROM "
	                "offences WHERE district_code IS NOT NULL GROUP BY district_code)") > 1.2);
	assert_int_equal(num(st, "SELECT count(*) FROM offences WHERE external_id NOT GLOB "
	                         "'S-[0-9][0-9][0-9][0-9][0-9][0-9]'"),
	                 0);
}

/* Zones, units, tracks and the ground of every district, their ids unique
 * over the city. */
static void test_city_patrols_and_ground(void **state)
{
	struct fixture *f = *state;
	store *st = f->city;
	double zones = summary(st).zones;
	assert_true(zones >= 12 * CITY);
	assert_int_equal(num(st, "SELECT count(DISTINCT substr(external_id, 1, 3)) FROM "
	                         "patrol_zones WHERE external_id GLOB 'D0[1-4]-Z-[0-9][0-9]'"),
	                 CITY);
	assert_int_equal(num(st, "SELECT count(*) FROM patrol_zones WHERE external_id GLOB "
	                         "'D0[1-4]-Z-[0-9][0-9]' AND name GLOB 'D0[1-4]-*'"),
	                 zones);
	/* Each zone lies in its district (a point of it: a road's corridor
	 * may reach over the edge). */
	assert_int_equal(num(st, "SELECT count(*) FROM patrol_zones z JOIN districts d ON "
	                         "d.code = substr(z.external_id, 1, 3) WHERE "
	                         "ST_Covers(d.geom, ST_PointOnSurface(z.geom))"),
	                 zones);
	assert_int_equal(num(st, "SELECT count(DISTINCT unit) FROM zone_assignments"),
	                 num(st, "SELECT count(*) FROM (SELECT DISTINCT zone_id, unit FROM "
	                         "zone_assignments)"));
	assert_int_equal(num(st, "SELECT count(*) FROM patrol_tracks t WHERE NOT EXISTS (SELECT 1 "
	                         "FROM zone_assignments a WHERE a.unit = t.unit AND a.service = "
	                         "t.service)"),
	                 0);
	assert_true(num(st, "SELECT count(DISTINCT substr(unit, 1, 3)) FROM patrol_tracks") ==
	            CITY);
	/* The ground without houses: each district's streets and places. */
	assert_int_equal(num(st, "SELECT count(*) FROM ref_features WHERE kind = 'building'"), 0);
	assert_int_equal(num(st, "SELECT count(DISTINCT substr(external_id, 8, 3)) FROM "
	                         "ref_features WHERE external_id GLOB 'sample:D0[1-4]-*'"),
	                 CITY);
	assert_int_equal(num(st, "SELECT count(*) FROM ref_features WHERE external_id NOT GLOB "
	                         "'sample:D0[1-4]-*'"),
	                 0);
	assert_int_equal(num(st, "SELECT count(*) FROM ref_features WHERE kind = 'street' AND "
	                         "class = 'primary'"),
	                 3 * CITY);
	/* Main roads end at their district's edge. */
	assert_int_equal(num(st, "SELECT count(*) FROM ref_features r, districts d WHERE r.kind = "
	                         "'street' AND r.class = 'primary' AND external_id GLOB 'sample:' "
	                         "|| d.code || '-*' AND ST_Length(ST_Difference(r.geom, "
	                         "ST_Buffer(d.geom, 0.0001))) > 0"),
	                 0);
	assert_int_equal(num(st, "SELECT count(*) FROM ref_features r WHERE r.poi IS NOT NULL AND "
	                         "NOT EXISTS (SELECT 1 FROM districts d WHERE ST_Within(r.geom, "
	                         "d.geom))"),
	                 0);
}

static void test_city_same_seed_same_data(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(same_rows(f->city, f->city_same, "offences", "external_id",
	                           OFFENCE_EQUAL " AND a.district_code IS b.district_code"),
	                 CITY_OFFENCES);
	assert_int_equal(same_rows(f->city, f->city_same, "mahallas", "code", MAHALLA_EQUAL),
	                 CITY * CITY_MAHALLAS);
	assert_int_equal(same_rows(f->city, f->city_same, "districts", "code",
	                           "a.name_uz IS b.name_uz AND AsText(a.geom) IS AsText(b.geom)"),
	                 CITY);
	assert_int_equal(
	    same_rows(f->city, f->city_same, "patrol_tracks", "external_id", TRACK_EQUAL),
	    summary(f->city).tracks);
}

static void test_bad_districts(void **state)
{
	struct fixture *f = *state;
	char path[700];
	store *st;
	struct sample_options o;
	struct sample_report rep;
	sample_defaults(&o);
	testutil_path(path, sizeof path, f->dir, "bad-city.sqlite");
	assert_int_equal(store_open(path, STORE_CREATE, &st), 0);
	for (int n = 0; n <= SAMPLE_MAX_DISTRICTS + 1; n += SAMPLE_MAX_DISTRICTS + 1) {
		o.districts = n;
		assert_int_equal(sample_generate(st, &o, &rep), ERR_INVALID);
		assert_non_null(strstr(err_msg(), "districts"));
	}
	assert_int_equal(summary(st).districts, 0);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_end_day),
	    cmocka_unit_test(test_bad_options_write_nothing),
	    cmocka_unit_test(test_nothing_in_the_future),
	    cmocka_unit_test(test_mahallas_tile_the_district),
	    cmocka_unit_test(test_offences),
	    cmocka_unit_test(test_times_follow_the_places),
	    cmocka_unit_test(test_zones),
	    cmocka_unit_test(test_tracks),
	    cmocka_unit_test(test_same_seed_same_data),
	    cmocka_unit_test(test_other_seed_other_data),
	    cmocka_unit_test(test_ground),
	    cmocka_unit_test(test_one_district_as_before),
	    cmocka_unit_test(test_city_districts),
	    cmocka_unit_test(test_city_mahallas),
	    cmocka_unit_test(test_city_offences),
	    cmocka_unit_test(test_city_patrols_and_ground),
	    cmocka_unit_test(test_city_same_seed_same_data),
	    cmocka_unit_test(test_bad_districts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
