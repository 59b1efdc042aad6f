/*
 * store: SpatiaLite schema, migrations and typed upserts.
 *
 * The expected workload is bulk imports of up to millions of offences in one
 * transaction, a trickle of live inserts, and reads by the renderer. Every
 * statement that takes outside values is prepared once per connection and
 * kept (stmt cache below). Change detection is a 64-bit hash of a record's
 * fields kept in row_hash, so an unchanged re-import costs one indexed read
 * per row and writes nothing.
 */
#include "store.h"

#include "err.h"
#include "locator.h"
#include "rtree.h"

/* sqlite3.h first: spatialite.h uses its types. */
#include <sqlite3.h>

#include <spatialite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum stmt_id {
	ST_DISTRICT_GET,
	ST_DISTRICT_INS,
	ST_DISTRICT_UPD,
	ST_MAHALLA_GET,
	ST_MAHALLA_INS,
	ST_MAHALLA_UPD,
	ST_POLY_CHECK,
	ST_CATEGORY_PUT,
	ST_SERVICE_PUT,
	ST_CATEGORY_ENSURE,
	ST_SERVICE_ENSURE,
	ST_OFFENCE_GET,
	ST_OFFENCE_INS,
	ST_OFFENCE_UPD,
	ST_ZONE_GET,
	ST_ZONE_INS,
	ST_ZONE_UPD,
	ST_ZONE_KEEP_VERSION,
	ST_ZONE_DEL_ASSIGN,
	ST_ZONE_INS_ASSIGN,
	ST_ZONE_DEL,
	ST_ZONE_ASSIGNMENTS,
	ST_ZONE_LIST,
	ST_ZONE_HISTORY,
	ST_TRACK_GET,
	ST_TRACK_INS,
	ST_TRACK_UPD,
	ST_TRACK_FIXES,
	ST_UNITS,
	ST_AUDIT,
	ST_COUNT
};

/* A zone's assignments as a JSON array, as patrol_zone_versions keeps them. */
#define ZONE_ASSIGNMENTS_JSON                                                                      \
	"(SELECT json_group_array(json_object('service', a.service, 'unit', a.unit, "              \
	"'shift_start', a.shift_start, 'shift_end', a.shift_end, 'weekdays', a.weekdays)) "        \
	"FROM (SELECT * FROM zone_assignments WHERE zone_id = z.id ORDER BY id) a)"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_DISTRICT_GET] = "SELECT id, row_hash FROM districts WHERE code = ?1",
    [ST_DISTRICT_INS] = "INSERT INTO districts(code, name_uz, name_ru, name_en, row_hash, "
                        "updated_at, geom) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                        "CastToMultiPolygon(GeomFromWKB(?7, 4326)))",
    [ST_DISTRICT_UPD] = "UPDATE districts SET name_uz = ?2, name_ru = ?3, name_en = ?4, "
                        "row_hash = ?5, updated_at = ?6, "
                        "geom = CastToMultiPolygon(GeomFromWKB(?7, 4326)) WHERE id = ?1",
    [ST_MAHALLA_GET] = "SELECT id, row_hash FROM mahallas WHERE code = ?1",
    [ST_MAHALLA_INS] = "INSERT INTO mahallas(code, name_uz, name_ru, name_en, district_code, "
                       "population, households, inspector, row_hash, updated_at, geom) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                       "CastToMultiPolygon(GeomFromWKB(?11, 4326)))",
    [ST_MAHALLA_UPD] = "UPDATE mahallas SET name_uz = ?2, name_ru = ?3, name_en = ?4, "
                       "district_code = ?5, population = ?6, households = ?7, inspector = ?8, "
                       "row_hash = ?9, updated_at = ?10, "
                       "geom = CastToMultiPolygon(GeomFromWKB(?11, 4326)) WHERE id = ?1",
    /* Valid polygons pass through; invalid ones are repaired by MakeValid and
     * reduced to their polygonal part (a repair may add stray lines). */
    [ST_POLY_CHECK] = "SELECT ST_IsValid(g), ST_IsValidReason(g), "
                      "CASE WHEN ST_IsValid(g) THEN NULL ELSE "
                      "AsBinary(CastToMultiPolygon(CollectionExtract(ST_MakeValid(g), 3))) END "
                      "FROM (SELECT GeomFromWKB(?1, 4326) AS g)",
    [ST_CATEGORY_PUT] = "INSERT INTO categories(code, name_uz, name_ru, name_en, colour, weight) "
                        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET "
                        "name_uz = ?2, name_ru = ?3, name_en = ?4, colour = ?5, weight = ?6",
    [ST_SERVICE_PUT] = "INSERT INTO services(code, name_uz, name_ru, name_en, colour) "
                       "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(code) DO UPDATE SET "
                       "name_uz = ?2, name_ru = ?3, name_en = ?4, colour = ?5",
    [ST_CATEGORY_ENSURE] = "INSERT OR IGNORE INTO categories(code, name_en) VALUES(?1, ?2)",
    [ST_SERVICE_ENSURE] = "INSERT OR IGNORE INTO services(code, name_en) VALUES(?1, ?2)",
    [ST_OFFENCE_GET] = "SELECT id, row_hash FROM offences WHERE external_id = ?1",
    [ST_OFFENCE_INS] =
        "INSERT INTO offences(external_id, occurred_from, occurred_to, time_precision, "
        "reported_at, category, service, article, status, address, severity, mahalla_code, "
        "located, row_hash, updated_at, geom) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15, MakePoint(?16, ?17, 4326))",
    [ST_OFFENCE_UPD] =
        "UPDATE offences SET occurred_from = ?2, occurred_to = ?3, time_precision = ?4, "
        "reported_at = ?5, category = ?6, service = ?7, article = ?8, status = ?9, address = ?10, "
        "severity = ?11, mahalla_code = ?12, located = ?13, row_hash = ?14, updated_at = ?15, "
        "geom = MakePoint(?16, ?17, 4326) WHERE id = ?1",
    [ST_ZONE_GET] = "SELECT id, row_hash, version FROM patrol_zones WHERE external_id = ?1",
    /* A zone deleted and made again goes on from its last kept version, so
     * a version number names one state of an id for good. */
    [ST_ZONE_INS] = "INSERT INTO patrol_zones(external_id, name, valid_from, valid_to, author, "
                    "version, row_hash, updated_at, geom) VALUES(?1, ?2, ?3, ?4, ?5, "
                    "1 + (SELECT coalesce(max(version), 0) FROM patrol_zone_versions "
                    "WHERE external_id = ?1), ?6, ?7, "
                    "CastToMultiPolygon(GeomFromWKB(?8, 4326)))",
    [ST_ZONE_UPD] = "UPDATE patrol_zones SET name = ?2, valid_from = ?3, valid_to = ?4, "
                    "author = ?5, version = version + 1, row_hash = ?6, updated_at = ?7, "
                    "geom = CastToMultiPolygon(GeomFromWKB(?8, 4326)) WHERE id = ?1",
    [ST_ZONE_KEEP_VERSION] =
        "INSERT INTO patrol_zone_versions(external_id, version, name, valid_from, valid_to, "
        "author, assignments, geom_wkb, replaced_at, deleted) SELECT z.external_id, z.version, "
        "z.name, z.valid_from, z.valid_to, z.author, " ZONE_ASSIGNMENTS_JSON ", "
        "AsBinary(z.geom), ?2, ?3 FROM patrol_zones z WHERE z.id = ?1",
    [ST_ZONE_DEL_ASSIGN] = "DELETE FROM zone_assignments WHERE zone_id = ?1",
    [ST_ZONE_INS_ASSIGN] = "INSERT INTO zone_assignments(zone_id, service, unit, shift_start, "
                           "shift_end, weekdays) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_ZONE_DEL] = "DELETE FROM patrol_zones WHERE id = ?1",
    [ST_ZONE_ASSIGNMENTS] = "SELECT json_extract(value, '$.service'), json_extract(value, "
                            "'$.unit'), json_extract(value, '$.shift_start'), "
                            "json_extract(value, '$.shift_end'), json_extract(value, "
                            "'$.weekdays') FROM json_each(?1) ORDER BY key",
    /* Current zones, optionally valid on day ?1, with an assignment of
     * service ?2, or the one with external id ?3. */
    [ST_ZONE_LIST] = "SELECT z.external_id, z.version, z.name, z.valid_from, z.valid_to, "
                     "z.author, z.updated_at, 0, " ZONE_ASSIGNMENTS_JSON ", "
                     "AsGeoJSON(z.geom, 7), 1 FROM patrol_zones z "
                     "WHERE (?1 IS NULL OR ((z.valid_from IS NULL OR z.valid_from <= ?1) AND "
                     "(z.valid_to IS NULL OR z.valid_to >= ?1))) AND (?2 IS NULL OR EXISTS "
                     "(SELECT 1 FROM zone_assignments a WHERE a.zone_id = z.id AND "
                     "a.service = ?2)) AND (?3 IS NULL OR z.external_id = ?3) "
                     "ORDER BY z.external_id",
    [ST_ZONE_HISTORY] = "SELECT external_id, version, name, valid_from, valid_to, author, "
                        "replaced_at, deleted, assignments, "
                        "AsGeoJSON(GeomFromWKB(geom_wkb, 4326), 7), 0 "
                        "FROM patrol_zone_versions WHERE external_id = ?1 "
                        "ORDER BY version DESC",
    [ST_TRACK_GET] = "SELECT id, row_hash FROM patrol_tracks WHERE external_id = ?1",
    [ST_TRACK_INS] = "INSERT INTO patrol_tracks(external_id, unit, service, started_at, "
                     "ended_at, n_fixes, row_hash, updated_at, geom) VALUES(?1, ?2, ?3, ?4, ?5, "
                     "?6, ?7, ?8, GeomFromWKB(?9, 4326))",
    [ST_TRACK_UPD] = "UPDATE patrol_tracks SET unit = ?2, service = ?3, started_at = ?4, "
                     "ended_at = ?5, n_fixes = ?6, row_hash = ?7, updated_at = ?8, "
                     "geom = GeomFromWKB(?9, 4326) WHERE id = ?1",
    [ST_TRACK_FIXES] = "SELECT AsBinary(geom) FROM patrol_tracks WHERE external_id = ?1",
    /* Each unit's latest track (the last by id on ties) and its last fix. */
    [ST_UNITS] = "SELECT unit, service, ended_at, ST_X(EndPoint(geom)), ST_Y(EndPoint(geom)) "
                 "FROM patrol_tracks t WHERE id = (SELECT id FROM patrol_tracks u WHERE "
                 "u.unit = t.unit ORDER BY ended_at DESC, id DESC LIMIT 1) AND "
                 "(?1 IS NULL OR ended_at >= ?1) ORDER BY unit",
    [ST_AUDIT] = "INSERT INTO audit(at, actor, action, entity, entity_id, detail) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
};

struct store {
	sqlite3 *db;
	void *spatialite_cache;
	sqlite3_stmt *stmts[ST_COUNT];
	locator *mahallas; /* loaded on the first located offence, dropped when mahallas change */
	int readonly;
	char *bulk_triggers[3]; /* SQL of the triggers dropped by store_bulk_begin() */
	int64_t bulk_first_id;  /* rows above this id are indexed by store_bulk_end() */
};

/* The per-row insert triggers that SpatiaLite puts on offences.geom. */
static const char *const bulk_trigger_names[3] = {"ggi_offences_geom", "gii_offences_geom",
                                                  "tmi_offences_geom"};

/* Schema migrations, applied in order inside one transaction each. A migration
 * is never edited once released: later changes get a new number. */
struct migration {
	const char *name;
	const char *sql;
};

static const struct migration migrations[] = {
    {"initial schema",
     "SELECT InitSpatialMetadata(0);"
     "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "INSERT INTO meta(key, value) VALUES('data_version', '0');"
     "CREATE TABLE districts(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
     " name_uz TEXT, name_ru TEXT, name_en TEXT,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "SELECT AddGeometryColumn('districts', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1);"
     "SELECT CreateSpatialIndex('districts', 'geom');"
     "CREATE TABLE mahallas(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
     " name_uz TEXT, name_ru TEXT, name_en TEXT, district_code TEXT,"
     " population INTEGER, households INTEGER, inspector TEXT,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "CREATE INDEX mahallas_district ON mahallas(district_code);"
     "SELECT AddGeometryColumn('mahallas', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1);"
     "SELECT CreateSpatialIndex('mahallas', 'geom');"
     "CREATE TABLE categories(code TEXT PRIMARY KEY, name_uz TEXT, name_ru TEXT,"
     " name_en TEXT, colour TEXT, weight REAL NOT NULL DEFAULT 1);"
     "CREATE TABLE services(code TEXT PRIMARY KEY, name_uz TEXT, name_ru TEXT,"
     " name_en TEXT, colour TEXT);"
     /* occurred_from..occurred_to spans what is known of the time (equal for
      * an exact time); located is 1 in a mahalla, 0 outside all, NULL
      * without a point. */
     "CREATE TABLE offences(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " occurred_from INTEGER, occurred_to INTEGER,"
     " time_precision TEXT NOT NULL CHECK(time_precision IN"
     "  ('unknown','second','minute','hour','day','month','year','span')),"
     " reported_at INTEGER,"
     " category TEXT REFERENCES categories(code),"
     " service TEXT REFERENCES services(code),"
     " article TEXT, status TEXT, address TEXT, severity INTEGER,"
     " mahalla_code TEXT, located INTEGER,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "SELECT AddGeometryColumn('offences', 'geom', 4326, 'POINT', 'XY');"
     "SELECT CreateSpatialIndex('offences', 'geom');"
     "CREATE INDEX offences_time ON offences(occurred_from);"
     "CREATE INDEX offences_mahalla ON offences(mahalla_code, occurred_from);"
     "CREATE TABLE patrol_zones(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL, valid_from TEXT, valid_to TEXT, author TEXT,"
     " version INTEGER NOT NULL, row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "SELECT AddGeometryColumn('patrol_zones', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1);"
     "SELECT CreateSpatialIndex('patrol_zones', 'geom');"
     "CREATE TABLE zone_assignments(id INTEGER PRIMARY KEY,"
     " zone_id INTEGER NOT NULL REFERENCES patrol_zones(id) ON DELETE CASCADE,"
     " service TEXT NOT NULL REFERENCES services(code), unit TEXT,"
     " shift_start INTEGER NOT NULL CHECK(shift_start BETWEEN 0 AND 1439),"
     " shift_end INTEGER NOT NULL CHECK(shift_end BETWEEN 0 AND 1440),"
     " weekdays INTEGER NOT NULL CHECK(weekdays BETWEEN 1 AND 127));"
     "CREATE INDEX zone_assignments_zone ON zone_assignments(zone_id);"
     "CREATE TABLE patrol_zone_versions(zone_id INTEGER NOT NULL, version INTEGER NOT NULL,"
     " name TEXT, valid_from TEXT, valid_to TEXT, author TEXT, assignments TEXT,"
     " geom_wkb BLOB, replaced_at INTEGER NOT NULL, PRIMARY KEY(zone_id, version));"
     "CREATE TABLE patrol_tracks(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " unit TEXT NOT NULL, service TEXT REFERENCES services(code),"
     " started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, n_fixes INTEGER NOT NULL,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "CREATE INDEX patrol_tracks_time ON patrol_tracks(started_at);"
     "SELECT AddGeometryColumn('patrol_tracks', 'geom', 4326, 'LINESTRING', 'XYM', 1);"
     "SELECT CreateSpatialIndex('patrol_tracks', 'geom');"
     "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
     " action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT, detail TEXT);"},
    /* Credentials: only hashes of tokens and sessions are kept. */
    {"tokens and sessions",
     "CREATE TABLE tokens(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " role TEXT NOT NULL CHECK(role IN ('viewer','officer','planner','admin')),"
     " hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER);"
     "CREATE TABLE sessions(hash TEXT PRIMARY KEY,"
     " token_id INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,"
     " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
     "CREATE INDEX sessions_expiry ON sessions(expires_at);"},
    /* Versions keyed by the zone's external id, so that a deleted zone's
     * history stays retrievable; deleted marks the version a deletion ended. */
    {"zone history by external id",
     "CREATE TABLE zone_history(external_id TEXT NOT NULL, version INTEGER NOT NULL,"
     " name TEXT, valid_from TEXT, valid_to TEXT, author TEXT, assignments TEXT,"
     " geom_wkb BLOB, replaced_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
     " PRIMARY KEY(external_id, version));"
     "INSERT INTO zone_history(external_id, version, name, valid_from, valid_to, author,"
     " assignments, geom_wkb, replaced_at) SELECT coalesce(z.external_id, '#' || v.zone_id),"
     " v.version, v.name, v.valid_from, v.valid_to, v.author, v.assignments, v.geom_wkb,"
     " v.replaced_at FROM patrol_zone_versions v LEFT JOIN patrol_zones z ON z.id = v.zone_id;"
     "DROP TABLE patrol_zone_versions;"
     "ALTER TABLE zone_history RENAME TO patrol_zone_versions;"},
    /* Live positions: each unit's latest track without a scan. */
    {"tracks by unit", "CREATE INDEX patrol_tracks_unit ON patrol_tracks(unit, ended_at);"},
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int store_schema_latest(void)
{
	return MIGRATION_COUNT;
}

static int db_error(store *st, const char *what)
{
	return err_set(ERR_DB, "%s: %s", what, sqlite3_errmsg(st->db));
}

static int exec_sql(store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = err_set(ERR_DB, "%s: %s", what, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/* Reads the schema version, 0 for a database without our schema. */
static int read_schema_version(store *st, int *version)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	*version = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT 1 FROM sqlite_master WHERE type = 'table' "
	                       "AND name = 'schema_migrations'",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "reading schema version");
	int exists = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (!exists)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "reading schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		*version = sqlite3_column_int(s, 0);
	else
		rc = db_error(st, "reading schema version");
	sqlite3_finalize(s);
	return rc;
}

static int migrate(store *st)
{
	int version, rc;
	if ((rc = read_schema_version(st, &version)) < 0)
		return rc;
	if (version > MIGRATION_COUNT)
		return err_set(ERR_UNSUPPORTED,
		               "database schema version %d is newer than this posbon (%d)", version,
		               MIGRATION_COUNT);
	if (version == MIGRATION_COUNT)
		return 0;
	if (st->readonly)
		return err_set(ERR_CONFLICT,
		               "database schema version %d needs migrating to %d; open it writable",
		               version, MIGRATION_COUNT);
	for (int v = version + 1; v <= MIGRATION_COUNT; v++) {
		const struct migration *m = &migrations[v - 1];
		char record[256];
		if ((rc = store_begin(st)) < 0)
			return rc;
		rc = exec_sql(st,
		              "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER "
		              "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		              "creating schema_migrations");
		if (rc == 0)
			rc = exec_sql(st, m->sql, m->name);
		if (rc == 0) {
			snprintf(record, sizeof record,
			         "INSERT INTO schema_migrations VALUES(%d, '%s', "
			         "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
			         v, m->name);
			rc = exec_sql(st, record, "recording migration");
		}
		if (rc < 0) {
			store_rollback(st);
			return err_set(rc, "migration %d (%s) failed: %s", v, m->name, err_msg());
		}
		if ((rc = store_commit(st)) < 0)
			return rc;
	}
	return 0;
}

int store_open(const char *path, int flags, store **out)
{
	store *st = calloc(1, sizeof *st);
	int rc = 0;
	*out = NULL;
	if (!st)
		return err_set(ERR_NOMEM, "store: out of memory");
	st->readonly = (flags & STORE_READONLY) != 0;
	int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if ((flags & STORE_CREATE) && !st->readonly)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = err_set(st->db ? ERR_IO : ERR_NOMEM, "%s: %s", path,
		             st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	st->spatialite_cache = spatialite_alloc_connection();
	if (!st->spatialite_cache) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto fail;
	}
	spatialite_set_silent_mode(st->spatialite_cache);
	spatialite_init_ex(st->db, st->spatialite_cache, 0);

	/* A file that is not a database fails here, at the first read. */
	if (!st->readonly) {
		rc = exec_sql(st, "PRAGMA journal_mode = WAL", path);
		if (rc < 0)
			goto fail;
	}
	/* FULL: an acknowledged write survives a power cut, not only a crash;
	 * it costs one fsync a commit, and imports commit once a file. */
	rc = exec_sql(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", path);
	if (rc < 0)
		goto fail;
	if ((rc = migrate(st)) < 0)
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

void store_close(store *st)
{
	if (!st)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	locator_free(st->mahallas);
	for (int i = 0; i < 3; i++)
		free(st->bulk_triggers[i]);
	if (st->db)
		sqlite3_close(st->db);
	if (st->spatialite_cache)
		spatialite_cleanup_ex(st->spatialite_cache);
	free(st);
}

sqlite3 *store_db(store *st)
{
	return st->db;
}

int store_schema_version(store *st)
{
	int version = 0;
	read_schema_version(st, &version);
	return version;
}

int store_begin(store *st)
{
	return exec_sql(st, "BEGIN IMMEDIATE", "begin transaction");
}

int store_commit(store *st)
{
	return exec_sql(st, "COMMIT", "commit");
}

int store_rollback(store *st)
{
	/* The rollback restores any triggers a bulk load dropped. */
	for (int i = 0; i < 3; i++) {
		free(st->bulk_triggers[i]);
		st->bulk_triggers[i] = NULL;
	}
	return exec_sql(st, "ROLLBACK", "rollback");
}

/* Runs "VERB name" for a savepoint; name is a fixed identifier of ours. */
static int savepoint_sql(store *st, const char *verb, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return exec_sql(st, sql, sql);
}

int store_savepoint(store *st, const char *name)
{
	return savepoint_sql(st, "SAVEPOINT", name);
}

int store_release(store *st, const char *name)
{
	return savepoint_sql(st, "RELEASE", name);
}

int store_rollback_to(store *st, const char *name)
{
	int rc = savepoint_sql(st, "ROLLBACK TO", name);
	return rc < 0 ? rc : savepoint_sql(st, "RELEASE", name);
}

/* The cached statement id, reset and unbound, ready for binding. */
static sqlite3_stmt *stmt(store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmts[id];
	if (!s) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s,
		                       NULL) != SQLITE_OK) {
			db_error(st, "preparing statement");
			return NULL;
		}
		st->stmts[id] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void bind_time(sqlite3_stmt *s, int i, int64_t t)
{
	if (t == STORE_NO_TIME)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, t);
}

/* Steps a statement that returns no rows. */
static int step_done(store *st, sqlite3_stmt *s, const char *what)
{
	int r = sqlite3_step(s);
	int rc = r == SQLITE_DONE ? 0 : db_error(st, what);
	sqlite3_reset(s);
	return rc;
}

/* FNV-1a over the fields of a record, with a separator so that ("ab","c")
 * and ("a","bc") differ. */
struct hasher {
	uint64_t h;
};

static void hash_init(struct hasher *hs)
{
	hs->h = 1469598103934665603ULL;
}

static void hash_bytes(struct hasher *hs, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		hs->h ^= b[i];
		hs->h *= 1099511628211ULL;
	}
	hs->h ^= 0x1f;
	hs->h *= 1099511628211ULL;
}

static void hash_str(struct hasher *hs, const char *s)
{
	hash_bytes(hs, s ? s : "", s ? strlen(s) : 0);
}

static void hash_num(struct hasher *hs, int64_t v)
{
	hash_bytes(hs, &v, sizeof v);
}

static void hash_real(struct hasher *hs, double v)
{
	hash_bytes(hs, &v, sizeof v);
}

/* Finds an existing row by key: *id = 0 when absent. */
static int lookup(store *st, enum stmt_id id_stmt, const char *key, int64_t *id, int64_t *hash)
{
	sqlite3_stmt *s = stmt(st, id_stmt);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	*id = 0;
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*hash = sqlite3_column_int64(s, 1);
	} else if (r != SQLITE_DONE) {
		return db_error(st, "looking up record");
	}
	sqlite3_reset(s);
	return 0;
}

/* Checks a polygon; when invalid, repairs it into a new WKB (*repaired, freed
 * by the caller with sqlite3_free) and records the reason in info. */
static int check_polygon(store *st, const char *what, const unsigned char *wkb, size_t len,
                         unsigned char **repaired, size_t *repaired_len,
                         struct store_put_info *info)
{
	sqlite3_stmt *s = stmt(st, ST_POLY_CHECK);
	int rc = 0;
	*repaired = NULL;
	*repaired_len = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_blob(s, 1, wkb, (int)len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = db_error(st, what);
		goto out;
	}
	if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
		rc = err_set(ERR_GEOMETRY, "%s: geometry is not a readable polygon", what);
		goto out;
	}
	if (sqlite3_column_int(s, 0) == 1)
		goto out;
	const char *reason = (const char *)sqlite3_column_text(s, 1);
	snprintf(info->reason, sizeof info->reason, "%s", reason ? reason : "invalid");
	int n = sqlite3_column_bytes(s, 2);
	if (sqlite3_column_type(s, 2) == SQLITE_NULL || n == 0) {
		rc = err_set(ERR_GEOMETRY, "%s: invalid polygon (%s) that MakeValid cannot repair",
		             what, info->reason);
		goto out;
	}
	*repaired = sqlite3_malloc(n);
	if (!*repaired) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto out;
	}
	memcpy(*repaired, sqlite3_column_blob(s, 2), (size_t)n);
	*repaired_len = (size_t)n;
	info->repaired = 1;
out:
	sqlite3_reset(s);
	return rc;
}

static int bump_data_version(store *st)
{
	return exec_sql(st, "UPDATE meta SET value = value + 1 WHERE key = 'data_version'",
	                "data version");
}

static int put_area(store *st, int mahalla, const struct store_area *a, struct store_put_info *info)
{
	const char *kind = mahalla ? "mahalla" : "district";
	unsigned char *fixed = NULL;
	size_t fixed_len = 0;
	int64_t id, old_hash = 0;
	char what[160];
	int rc;

	memset(info, 0, sizeof *info);
	if (!a->code || !*a->code)
		return err_set(ERR_INVALID, "%s without a code", kind);
	snprintf(what, sizeof what, "%s %s", kind, a->code);
	rc = check_polygon(st, what, a->wkb, a->wkb_len, &fixed, &fixed_len, info);
	if (rc < 0)
		return rc;
	const unsigned char *wkb = fixed ? fixed : a->wkb;
	size_t wkb_len = fixed ? fixed_len : a->wkb_len;

	struct hasher hs;
	hash_init(&hs);
	hash_str(&hs, a->name_uz);
	hash_str(&hs, a->name_ru);
	hash_str(&hs, a->name_en);
	if (mahalla) {
		hash_str(&hs, a->district_code);
		hash_num(&hs, a->population);
		hash_num(&hs, a->households);
		hash_str(&hs, a->inspector);
	}
	hash_bytes(&hs, wkb, wkb_len);
	int64_t hash = (int64_t)hs.h;

	if ((rc = lookup(st, mahalla ? ST_MAHALLA_GET : ST_DISTRICT_GET, a->code, &id, &old_hash)) <
	    0)
		goto out;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		goto out;
	}
	enum stmt_id sid = mahalla ? (id ? ST_MAHALLA_UPD : ST_MAHALLA_INS)
	                           : (id ? ST_DISTRICT_UPD : ST_DISTRICT_INS);
	sqlite3_stmt *s = stmt(st, sid);
	if (!s) {
		rc = ERR_DB;
		goto out;
	}
	if (id)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	bind_text(s, 2, a->name_uz);
	bind_text(s, 3, a->name_ru);
	bind_text(s, 4, a->name_en);
	int i = 5;
	if (mahalla) {
		bind_text(s, i++, a->district_code);
		if (a->population >= 0)
			sqlite3_bind_int64(s, i, a->population);
		i++;
		if (a->households >= 0)
			sqlite3_bind_int64(s, i, a->households);
		i++;
		bind_text(s, i++, a->inspector);
	}
	sqlite3_bind_int64(s, i++, hash);
	sqlite3_bind_int64(s, i++, (int64_t)time(NULL));
	sqlite3_bind_blob(s, i, wkb, (int)wkb_len, SQLITE_STATIC);
	if ((rc = step_done(st, s, what)) < 0)
		goto out;
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	if (mahalla) {
		locator_free(st->mahallas);
		st->mahallas = NULL;
	}
	rc = bump_data_version(st);
out:
	sqlite3_free(fixed);
	return rc;
}

int store_put_district(store *st, const struct store_area *a, struct store_put_info *info)
{
	return put_area(st, 0, a, info);
}

int store_put_mahalla(store *st, const struct store_area *a, struct store_put_info *info)
{
	return put_area(st, 1, a, info);
}

static int put_code(store *st, enum stmt_id sid, const struct store_code *c)
{
	if (!c->code || !*c->code)
		return err_set(ERR_INVALID, "code is empty");
	sqlite3_stmt *s = stmt(st, sid);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, c->code, -1, SQLITE_STATIC);
	bind_text(s, 2, c->name_uz);
	bind_text(s, 3, c->name_ru);
	bind_text(s, 4, c->name_en);
	bind_text(s, 5, c->colour);
	if (sid == ST_CATEGORY_PUT)
		sqlite3_bind_double(s, 6, c->weight > 0 ? c->weight : 1.0);
	return step_done(st, s, c->code);
}

int store_put_category(store *st, const struct store_code *c)
{
	return put_code(st, ST_CATEGORY_PUT, c);
}

int store_put_service(store *st, const struct store_code *c)
{
	return put_code(st, ST_SERVICE_PUT, c);
}

static int ensure_code(store *st, enum stmt_id sid, const char *code, const char *name)
{
	if (!code || !*code)
		return err_set(ERR_INVALID, "code is empty");
	sqlite3_stmt *s = stmt(st, sid);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	bind_text(s, 2, name ? name : code);
	return step_done(st, s, code);
}

int store_ensure_category(store *st, const char *code, const char *name)
{
	return ensure_code(st, ST_CATEGORY_ENSURE, code, name);
}

int store_ensure_service(store *st, const char *code, const char *name)
{
	return ensure_code(st, ST_SERVICE_ENSURE, code, name);
}

/* The mahalla locator, loaded from the mahallas table on first use. */
static int mahalla_locator(store *st, locator **out)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (st->mahallas) {
		*out = st->mahallas;
		return 0;
	}
	locator *loc = locator_new();
	if (!loc)
		return err_set(ERR_NOMEM, "store: out of memory");
	if (sqlite3_prepare_v2(st->db, "SELECT code, AsBinary(geom) FROM mahallas ORDER BY id", -1,
	                       &s, NULL) != SQLITE_OK) {
		rc = db_error(st, "loading mahallas");
		goto out;
	}
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		rc = locator_add(loc, (const char *)sqlite3_column_text(s, 0),
		                 sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
		if (rc < 0)
			goto out;
	}
	if (r != SQLITE_DONE) {
		rc = db_error(st, "loading mahallas");
		goto out;
	}
	st->mahallas = loc;
	*out = loc;
	loc = NULL;
out:
	sqlite3_finalize(s);
	locator_free(loc);
	return rc;
}

int store_put_offence(store *st, const struct store_offence *o, struct store_put_info *info)
{
	int64_t id, old_hash = 0;
	const char *mahalla = o->mahalla_code;
	int located = -1;
	int rc;

	memset(info, 0, sizeof *info);
	if (!o->external_id || !*o->external_id)
		return err_set(ERR_INVALID, "offence without an external id");
	if (o->has_point) {
		if (!(o->lon >= -180 && o->lon <= 180 && o->lat >= -90 && o->lat <= 90))
			return err_set(ERR_INVALID,
			               "offence %s: point (%g, %g) is not a longitude/latitude",
			               o->external_id, o->lon, o->lat);
		locator *loc = NULL;
		if ((rc = mahalla_locator(st, &loc)) < 0)
			return rc;
		mahalla = locator_find(loc, o->lon, o->lat);
		located = mahalla != NULL;
		info->outside = !located;
	}

	struct hasher hs;
	hash_init(&hs);
	hash_num(&hs, o->occurred_from);
	hash_num(&hs, o->occurred_to);
	hash_num(&hs, o->precision);
	hash_num(&hs, o->reported_at);
	hash_str(&hs, o->category);
	hash_str(&hs, o->service);
	hash_str(&hs, o->article);
	hash_str(&hs, o->status);
	hash_str(&hs, o->address);
	hash_num(&hs, o->severity);
	hash_str(&hs, mahalla);
	hash_num(&hs, o->has_point);
	if (o->has_point) {
		hash_real(&hs, o->lon);
		hash_real(&hs, o->lat);
	}
	int64_t hash = (int64_t)hs.h;

	if ((rc = lookup(st, ST_OFFENCE_GET, o->external_id, &id, &old_hash)) < 0)
		return rc;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		return 0;
	}
	sqlite3_stmt *s = stmt(st, id ? ST_OFFENCE_UPD : ST_OFFENCE_INS);
	if (!s)
		return ERR_DB;
	if (id)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, o->external_id, -1, SQLITE_STATIC);
	bind_time(s, 2, o->occurred_from);
	bind_time(s, 3, o->occurred_to);
	sqlite3_bind_text(s, 4, time_precision_name(o->precision), -1, SQLITE_STATIC);
	bind_time(s, 5, o->reported_at);
	bind_text(s, 6, o->category);
	bind_text(s, 7, o->service);
	bind_text(s, 8, o->article);
	bind_text(s, 9, o->status);
	bind_text(s, 10, o->address);
	if (o->severity)
		sqlite3_bind_int(s, 11, o->severity);
	bind_text(s, 12, mahalla);
	if (located >= 0)
		sqlite3_bind_int(s, 13, located);
	sqlite3_bind_int64(s, 14, hash);
	sqlite3_bind_int64(s, 15, (int64_t)time(NULL));
	if (o->has_point) {
		sqlite3_bind_double(s, 16, o->lon);
		sqlite3_bind_double(s, 17, o->lat);
	}
	if ((rc = step_done(st, s, o->external_id)) < 0)
		return err_set(rc, "offence %s: %s", o->external_id, err_msg());
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	return 0;
}

int store_delete_offence(store *st, const char *external_id, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	*id = 0;
	if (sqlite3_prepare_v2(st->db, "DELETE FROM offences WHERE external_id = ?1 RETURNING id",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "deleting offence");
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (r == SQLITE_DONE)
		rc = err_set(ERR_NOTFOUND, "no offence has the id '%s'", external_id);
	else
		rc = db_error(st, "deleting offence");
	sqlite3_finalize(s);
	return rc;
}

static int valid_day(const char *d)
{
	int y, m, dd;
	char extra;
	if (!d || !*d)
		return 1;
	return sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &extra) == 3 && strlen(d) == 10 && m >= 1 &&
	       m <= 12 && dd >= 1 && dd <= 31;
}

int store_put_zone(store *st, const struct store_zone *z, const char *actor,
                   struct store_put_info *info)
{
	unsigned char *fixed = NULL;
	size_t fixed_len = 0;
	int64_t id, old_hash = 0;
	char what[160];
	int rc;

	memset(info, 0, sizeof *info);
	if (!z->external_id || !*z->external_id)
		return err_set(ERR_INVALID, "zone without an id");
	snprintf(what, sizeof what, "zone %s", z->external_id);
	if (!z->name || !*z->name)
		return err_set(ERR_INVALID, "%s: name is empty", what);
	if (!valid_day(z->valid_from) || !valid_day(z->valid_to))
		return err_set(ERR_INVALID, "%s: validity dates must be YYYY-MM-DD", what);
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		if (!a->service || !*a->service)
			return err_set(ERR_INVALID, "%s: assignment %zu has no service", what,
			               i + 1);
		if (a->shift_start < 0 || a->shift_start > 1439 || a->shift_end < 0 ||
		    a->shift_end > 1440)
			return err_set(ERR_INVALID, "%s: assignment %zu: shift outside 00:00-24:00",
			               what, i + 1);
		if (a->weekdays == 0 || a->weekdays > 127)
			return err_set(ERR_INVALID, "%s: assignment %zu has no weekdays", what,
			               i + 1);
	}
	rc = check_polygon(st, what, z->wkb, z->wkb_len, &fixed, &fixed_len, info);
	if (rc < 0)
		return rc;
	const unsigned char *wkb = fixed ? fixed : z->wkb;
	size_t wkb_len = fixed ? fixed_len : z->wkb_len;

	struct hasher hs;
	hash_init(&hs);
	hash_str(&hs, z->name);
	hash_str(&hs, z->valid_from);
	hash_str(&hs, z->valid_to);
	hash_str(&hs, z->author);
	hash_bytes(&hs, wkb, wkb_len);
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		hash_str(&hs, a->service);
		hash_str(&hs, a->unit);
		hash_num(&hs, a->shift_start);
		hash_num(&hs, a->shift_end);
		hash_num(&hs, a->weekdays);
	}
	int64_t hash = (int64_t)hs.h;

	if ((rc = lookup(st, ST_ZONE_GET, z->external_id, &id, &old_hash)) < 0)
		goto out;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		goto out;
	}
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	sqlite3_stmt *s;
	if (id) {
		if (!(s = stmt(st, ST_ZONE_KEEP_VERSION))) {
			rc = ERR_DB;
			goto out;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
		sqlite3_bind_int(s, 3, 0);
		if ((rc = step_done(st, s, what)) < 0)
			goto out;
	}
	if (!(s = stmt(st, id ? ST_ZONE_UPD : ST_ZONE_INS))) {
		rc = ERR_DB;
		goto out;
	}
	if (id)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, z->external_id, -1, SQLITE_STATIC);
	bind_text(s, 2, z->name);
	bind_text(s, 3, z->valid_from);
	bind_text(s, 4, z->valid_to);
	bind_text(s, 5, z->author);
	sqlite3_bind_int64(s, 6, hash);
	sqlite3_bind_int64(s, 7, (int64_t)time(NULL));
	sqlite3_bind_blob(s, 8, wkb, (int)wkb_len, SQLITE_STATIC);
	if ((rc = step_done(st, s, what)) < 0)
		goto out;
	if (!id)
		id = sqlite3_last_insert_rowid(st->db);
	if (!(s = stmt(st, ST_ZONE_DEL_ASSIGN))) {
		rc = ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	if ((rc = step_done(st, s, what)) < 0)
		goto out;
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		if (!(s = stmt(st, ST_ZONE_INS_ASSIGN))) {
			rc = ERR_DB;
			goto out;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, a->service, -1, SQLITE_STATIC);
		bind_text(s, 3, a->unit);
		sqlite3_bind_int(s, 4, a->shift_start);
		sqlite3_bind_int(s, 5, a->shift_end);
		sqlite3_bind_int(s, 6, (int)a->weekdays);
		if ((rc = step_done(st, s, what)) < 0) {
			rc = err_set(rc, "%s: assignment %zu: %s", what, i + 1, err_msg());
			goto out;
		}
	}
	rc = store_audit(st, actor ? actor : "posbon",
	                 info->change == STORE_UPDATED ? "update" : "create", "zone",
	                 z->external_id, NULL);
	if (rc == 0)
		rc = bump_data_version(st);
out:
	sqlite3_free(fixed);
	return rc;
}

/* The store id and version of a zone; ERR_NOTFOUND when there is none. */
static int zone_row(store *st, const char *external_id, int64_t *id, int *version)
{
	sqlite3_stmt *s = stmt(st, ST_ZONE_GET);
	int rc = 0;
	*id = 0;
	*version = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*version = sqlite3_column_int(s, 2);
	} else if (r == SQLITE_DONE)
		rc = err_set(ERR_NOTFOUND, "no zone has the id '%s'", external_id);
	else
		rc = db_error(st, "looking up zone");
	sqlite3_reset(s);
	return rc;
}

int store_zone_version(store *st, const char *external_id, int *version)
{
	int64_t id;
	return zone_row(st, external_id, &id, version);
}

int store_delete_zone(store *st, const char *external_id, const char *actor, int *version)
{
	int64_t id;
	int rc;
	char what[260];
	snprintf(what, sizeof what, "deleting zone %s", external_id);
	if ((rc = zone_row(st, external_id, &id, version)) < 0)
		return rc;
	/* The last version is kept like a replaced one, marked as deleted. */
	static const enum stmt_id steps[] = {ST_ZONE_KEEP_VERSION, ST_ZONE_DEL_ASSIGN, ST_ZONE_DEL};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *s = stmt(st, steps[i]);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, id);
		if (steps[i] == ST_ZONE_KEEP_VERSION) {
			sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
			sqlite3_bind_int(s, 3, 1);
		}
		if ((rc = step_done(st, s, what)) < 0)
			return rc;
	}
	if ((rc = store_audit(st, actor ? actor : "posbon", "delete", "zone", external_id, NULL)) <
	    0)
		return rc;
	return bump_data_version(st);
}

/* Reads a JSON array of assignments (as ZONE_ASSIGNMENTS_JSON makes it) into
 * a new array *out of *n (strings in one block with it; free(*out)). */
static int read_assignments(store *st, const char *json, struct store_assignment **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, ST_ZONE_ASSIGNMENTS);
	struct store_assignment *a = NULL;
	size_t count = 0, text = 0;
	int rc = 0, r;
	*out = NULL;
	*n = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, json ? json : "[]", -1, SQLITE_STATIC);
	/* Two passes: the sizes, then the copies into one block. */
	for (int pass = 0; pass < 2; pass++) {
		char *strings = a ? (char *)(a + count) : NULL;
		size_t i = 0;
		sqlite3_reset(s);
		while ((r = sqlite3_step(s)) == SQLITE_ROW) {
			if (!a) {
				count++;
				for (int c = 0; c < 2; c++)
					text += (size_t)sqlite3_column_bytes(s, c) + 1;
				continue;
			}
			const char *v[2];
			for (int c = 0; c < 2; c++) {
				const char *t = (const char *)sqlite3_column_text(s, c);
				size_t len = t ? strlen(t) : 0;
				v[c] = NULL;
				if (t) {
					memcpy(strings, t, len + 1);
					v[c] = strings;
				}
				strings += len + 1;
			}
			a[i++] = (struct store_assignment){.service = v[0],
			                                   .unit = v[1],
			                                   .shift_start = sqlite3_column_int(s, 2),
			                                   .shift_end = sqlite3_column_int(s, 3),
			                                   .weekdays =
			                                       (unsigned)sqlite3_column_int(s, 4)};
		}
		if (r != SQLITE_DONE) {
			rc = db_error(st, "reading zone assignments");
			break;
		}
		if (pass == 0 && !(a = malloc(count * sizeof *a + text + 1))) {
			rc = err_set(ERR_NOMEM, "store: out of memory");
			break;
		}
	}
	sqlite3_reset(s);
	if (rc < 0) {
		free(a);
		return rc;
	}
	*out = a;
	*n = count;
	return 0;
}

/* Steps a zone query (columns as ST_ZONE_LIST) and hands each row to fn. */
static int each_zone(store *st, sqlite3_stmt *s, store_zone_fn fn, void *ctx, size_t *rows)
{
	int rc = 0, r = SQLITE_DONE;
	*rows = 0;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_zone_record z = {
		    .zone =
		        {
		            .external_id = (const char *)sqlite3_column_text(s, 0),
		            .name = (const char *)sqlite3_column_text(s, 2),
		            .valid_from = (const char *)sqlite3_column_text(s, 3),
		            .valid_to = (const char *)sqlite3_column_text(s, 4),
		            .author = (const char *)sqlite3_column_text(s, 5),
		        },
		    .version = sqlite3_column_int(s, 1),
		    .at = sqlite3_column_int64(s, 6),
		    .deleted = sqlite3_column_int(s, 7),
		    .current = sqlite3_column_int(s, 10),
		    .geojson = (const char *)sqlite3_column_text(s, 9),
		};
		struct store_assignment *as;
		if ((rc = read_assignments(st, (const char *)sqlite3_column_text(s, 8), &as,
		                           &z.zone.n_assignments)) < 0)
			break;
		z.zone.assignments = as;
		rc = fn(ctx, &z);
		free(as);
		++*rows;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = db_error(st, "reading zones");
	sqlite3_reset(s);
	return rc;
}

/* Zones by the filters of ST_ZONE_LIST; NULL leaves one open. */
static int query_zones(store *st, const char *active_day, const char *service, const char *id,
                       store_zone_fn fn, void *ctx, size_t *rows)
{
	sqlite3_stmt *s = stmt(st, ST_ZONE_LIST);
	if (!s)
		return ERR_DB;
	bind_text(s, 1, active_day);
	bind_text(s, 2, service);
	bind_text(s, 3, id);
	return each_zone(st, s, fn, ctx, rows);
}

int store_list_zones(store *st, const char *active_day, const char *service, store_zone_fn fn,
                     void *ctx)
{
	size_t rows;
	return query_zones(st, active_day, service, NULL, fn, ctx, &rows);
}

int store_get_zone(store *st, const char *external_id, store_zone_fn fn, void *ctx)
{
	size_t rows;
	int rc = query_zones(st, NULL, NULL, external_id, fn, ctx, &rows);
	if (rc == 0 && rows == 0)
		rc = err_set(ERR_NOTFOUND, "no zone has the id '%s'", external_id);
	return rc;
}

int store_zone_history(store *st, const char *external_id, store_zone_fn fn, void *ctx)
{
	size_t current, kept;
	int rc = query_zones(st, NULL, NULL, external_id, fn, ctx, &current);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = stmt(st, ST_ZONE_HISTORY);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	if ((rc = each_zone(st, s, fn, ctx, &kept)) < 0)
		return rc;
	if (current + kept == 0)
		return err_set(ERR_NOTFOUND, "no zone has ever had the id '%s'", external_id);
	return 0;
}

/* ISO WKB of a LINESTRING M (type 2002), little-endian, with time as M; a
 * new buffer, freed by the caller. */
static unsigned char *track_wkb(const struct store_track *t, size_t *len)
{
	size_t n = 9 + t->n_fixes * 24;
	unsigned char *b = malloc(n), *p = b;
	if (!b)
		return NULL;
	uint32_t type = 2002, count = (uint32_t)t->n_fixes;
	*p++ = 1;
	memcpy(p, &type, 4);
	p += 4;
	memcpy(p, &count, 4);
	p += 4;
	for (size_t i = 0; i < t->n_fixes; i++) {
		double m = (double)t->fixes[i].t;
		memcpy(p, &t->fixes[i].lon, 8);
		memcpy(p + 8, &t->fixes[i].lat, 8);
		memcpy(p + 16, &m, 8);
		p += 24;
	}
	*len = n;
	return b;
}

int store_put_track(store *st, const struct store_track *t, struct store_put_info *info)
{
	unsigned char *wkb = NULL;
	size_t wkb_len = 0;
	int64_t id, old_hash = 0;
	int rc = 0;

	memset(info, 0, sizeof *info);
	if (!t->external_id || !*t->external_id)
		return err_set(ERR_INVALID, "track without an id");
	if (!t->unit || !*t->unit)
		return err_set(ERR_INVALID, "track %s has no unit", t->external_id);
	if (t->n_fixes < 2)
		return err_set(ERR_INVALID, "track %s has %zu fixes; at least 2 are needed",
		               t->external_id, t->n_fixes);
	for (size_t i = 0; i < t->n_fixes; i++) {
		const struct store_fix *f = &t->fixes[i];
		if (!(f->lon >= -180 && f->lon <= 180 && f->lat >= -90 && f->lat <= 90))
			return err_set(ERR_INVALID, "track %s: fix %zu is not a longitude/latitude",
			               t->external_id, i + 1);
		if (i && f->t < t->fixes[i - 1].t)
			return err_set(ERR_INVALID, "track %s: fix %zu is earlier than fix %zu",
			               t->external_id, i + 1, i);
	}
	if (!(wkb = track_wkb(t, &wkb_len)))
		return err_set(ERR_NOMEM, "store: out of memory");

	struct hasher hs;
	hash_init(&hs);
	hash_str(&hs, t->unit);
	hash_str(&hs, t->service);
	hash_bytes(&hs, wkb, wkb_len);
	int64_t hash = (int64_t)hs.h;

	if ((rc = lookup(st, ST_TRACK_GET, t->external_id, &id, &old_hash)) < 0)
		goto out;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		goto out;
	}
	sqlite3_stmt *s = stmt(st, id ? ST_TRACK_UPD : ST_TRACK_INS);
	if (!s) {
		rc = ERR_DB;
		goto out;
	}
	if (id)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, t->external_id, -1, SQLITE_STATIC);
	bind_text(s, 2, t->unit);
	bind_text(s, 3, t->service);
	sqlite3_bind_int64(s, 4, t->fixes[0].t);
	sqlite3_bind_int64(s, 5, t->fixes[t->n_fixes - 1].t);
	sqlite3_bind_int64(s, 6, (int64_t)t->n_fixes);
	sqlite3_bind_int64(s, 7, hash);
	sqlite3_bind_int64(s, 8, (int64_t)time(NULL));
	sqlite3_bind_blob(s, 9, wkb, (int)wkb_len, SQLITE_STATIC);
	if ((rc = step_done(st, s, t->external_id)) < 0) {
		rc = err_set(rc, "track %s: %s", t->external_id, err_msg());
		goto out;
	}
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	rc = bump_data_version(st);
out:
	free(wkb);
	return rc;
}

/* The fixes of a LINESTRING M as ISO WKB (type 2002, little-endian, as
 * track_wkb() writes it and SpatiaLite's AsBinary() returns it) appended to
 * *v; ERR_GEOMETRY for anything else. */
static int read_fixes(const char *what, const unsigned char *b, size_t len, struct store_fix *v,
                      size_t *n)
{
	uint32_t type, count;
	if (!b || len < 9 || b[0] != 1)
		return err_set(ERR_GEOMETRY, "%s: unreadable WKB", what);
	memcpy(&type, b + 1, 4);
	memcpy(&count, b + 5, 4);
	if ((type != 2002 && type != 0x40000002) || (len - 9) != (size_t)count * 24)
		return err_set(ERR_GEOMETRY, "%s: not a LINESTRING M", what);
	for (uint32_t i = 0; i < count; i++) {
		double m;
		const unsigned char *p = b + 9 + 24 * (size_t)i;
		memcpy(&v[*n].lon, p, 8);
		memcpy(&v[*n].lat, p + 8, 8);
		memcpy(&m, p + 16, 8);
		v[(*n)++].t = (int64_t)m;
	}
	return 0;
}

/* Fixes with their order of arrival, so that a later fix of the same time
 * wins. */
struct fix_order {
	struct store_fix fix;
	size_t seq;
};

static int compare_fix_order(const void *a, const void *b)
{
	const struct fix_order *x = a, *y = b;
	if (x->fix.t != y->fix.t)
		return x->fix.t < y->fix.t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int store_append_fixes(store *st, const struct store_track *t, struct store_put_info *info)
{
	sqlite3_stmt *s = stmt(st, ST_TRACK_FIXES);
	struct store_fix *old = NULL, *merged = NULL;
	struct fix_order *order = NULL;
	size_t n_old = 0, n = 0;
	int rc = 0;
	memset(info, 0, sizeof *info);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, t->external_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 0);
		if (!(old = malloc((len / 24 + 1) * sizeof *old)))
			rc = err_set(ERR_NOMEM, "store: out of memory");
		else
			rc =
			    read_fixes(t->external_id, sqlite3_column_blob(s, 0), len, old, &n_old);
	} else if (r != SQLITE_DONE) {
		rc = db_error(st, "reading a track");
	}
	sqlite3_reset(s);
	if (rc < 0)
		goto out;
	size_t total = n_old + t->n_fixes;
	if (!(order = malloc((total + 1) * sizeof *order)) ||
	    !(merged = malloc((total + 1) * sizeof *merged))) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto out;
	}
	for (size_t i = 0; i < total; i++)
		order[i] = (struct fix_order){i < n_old ? old[i] : t->fixes[i - n_old], i};
	qsort(order, total, sizeof *order, compare_fix_order);
	for (size_t i = 0; i < total; i++) {
		if (n && merged[n - 1].t == order[i].fix.t)
			n--;
		merged[n++] = order[i].fix;
	}
	/* A line needs two points: a lone fix is kept as itself twice. */
	if (n == 1)
		merged[n++] = merged[0];
	struct store_track whole = *t;
	whole.fixes = merged;
	whole.n_fixes = n;
	rc = store_put_track(st, &whole, info);
out:
	free(order);
	free(merged);
	free(old);
	return rc;
}

int store_list_units(store *st, int64_t since, store_unit_fn fn, void *ctx)
{
	sqlite3_stmt *s = stmt(st, ST_UNITS);
	int rc = 0, r;
	if (!s)
		return ERR_DB;
	if (since == STORE_NO_TIME)
		sqlite3_bind_null(s, 1);
	else
		sqlite3_bind_int64(s, 1, since);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_unit u = {.unit = (const char *)sqlite3_column_text(s, 0),
		                       .service = (const char *)sqlite3_column_text(s, 1),
		                       .last = {sqlite3_column_double(s, 3),
		                                sqlite3_column_double(s, 4),
		                                sqlite3_column_int64(s, 2)}};
		rc = fn(ctx, &u);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = db_error(st, "listing units");
	sqlite3_reset(s);
	return rc;
}

int store_audit(store *st, const char *actor, const char *action, const char *entity,
                const char *entity_id, const char *detail)
{
	sqlite3_stmt *s = stmt(st, ST_AUDIT);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
	bind_text(s, 2, actor);
	bind_text(s, 3, action);
	bind_text(s, 4, entity);
	bind_text(s, 5, entity_id);
	bind_text(s, 6, detail);
	return step_done(st, s, "audit");
}

/* Runs a query of integer columns without outside input into out[]. */
static int query_ints(store *st, const char *sql, int64_t *out, int n)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "summary");
	if (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_type(s, i) == SQLITE_NULL
			             ? STORE_NO_TIME
			             : sqlite3_column_int64(s, i);
	} else {
		rc = db_error(st, "summary");
	}
	sqlite3_finalize(s);
	return rc;
}

static int query_extent(store *st, const char *sql, struct store_extent *e)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	e->empty = 1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "summary extent");
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			e->minx = sqlite3_column_double(s, 0);
			e->miny = sqlite3_column_double(s, 1);
			e->maxx = sqlite3_column_double(s, 2);
			e->maxy = sqlite3_column_double(s, 3);
			e->empty = 0;
		}
	} else {
		rc = db_error(st, "summary extent");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_summarize(store *st, struct store_summary *out)
{
	int64_t v[12];
	int rc;
	memset(out, 0, sizeof *out);
	out->schema_version = store_schema_version(st);
	out->srid = 4326;
	rc = query_ints(st,
	                "SELECT (SELECT count(*) FROM districts), (SELECT count(*) FROM mahallas),"
	                " (SELECT count(*) FROM categories), (SELECT count(*) FROM services),"
	                " (SELECT count(*) FROM patrol_zones), (SELECT count(*) FROM "
	                "zone_assignments), (SELECT count(*) FROM patrol_tracks),"
	                " (SELECT count(*) FROM audit)",
	                v, 8);
	if (rc < 0)
		return rc;
	out->districts = (long)v[0];
	out->mahallas = (long)v[1];
	out->categories = (long)v[2];
	out->services = (long)v[3];
	out->zones = (long)v[4];
	out->assignments = (long)v[5];
	out->tracks = (long)v[6];
	out->audit = (long)v[7];
	rc = query_ints(st,
	                "SELECT count(*), coalesce(sum(located = 1), 0), coalesce(sum(located = "
	                "0), 0), coalesce(sum(located IS NULL), 0), min(occurred_from), "
	                "max(coalesce(occurred_to, occurred_from)) FROM offences",
	                v, 6);
	if (rc < 0)
		return rc;
	out->offences = (long)v[0];
	out->offences_located = (long)v[1];
	out->offences_outside = (long)v[2];
	out->offences_no_point = (long)v[3];
	out->first_offence = v[4];
	out->last_offence = v[5];
	rc = query_extent(st,
	                  "SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), "
	                  "max(MbrMaxY(geom)) FROM (SELECT geom FROM districts UNION ALL "
	                  "SELECT geom FROM mahallas)",
	                  &out->areas_extent);
	if (rc < 0)
		return rc;
	return query_extent(st,
	                    "SELECT min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), "
	                    "max(ST_Y(geom)) FROM offences WHERE geom IS NOT NULL",
	                    &out->offences_extent);
}

int store_bulk_begin(store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (st->bulk_triggers[0])
		return err_set(ERR_CONFLICT, "bulk load already started");
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
	                       "AND name = ?1",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "bulk load");
	for (int i = 0; i < 3 && rc == 0; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, bulk_trigger_names[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			rc = err_set(ERR_DB, "bulk load: trigger %s is missing",
			             bulk_trigger_names[i]);
			break;
		}
		if (!(st->bulk_triggers[i] = strdup((const char *)sqlite3_column_text(s, 0))))
			rc = err_set(ERR_NOMEM, "store: out of memory");
	}
	sqlite3_finalize(s);
	int64_t max_id = 0;
	if (rc == 0 && sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM offences", -1,
	                                  &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			max_id = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	st->bulk_first_id = max_id;
	for (int i = 0; i < 3 && rc == 0; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"", bulk_trigger_names[i]);
		rc = exec_sql(st, sql, "bulk load");
	}
	if (rc < 0)
		for (int i = 0; i < 3; i++) {
			free(st->bulk_triggers[i]);
			st->bulk_triggers[i] = NULL;
		}
	return rc;
}

/* Indexes the offences above bulk_first_id one by one, in row-major order of
 * ~1 km cells so that the R*Tree inserts with locality. */
static int index_new_offences(store *st)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
	                       "INSERT INTO idx_offences_geom(pkid, xmin, xmax, ymin, ymax) "
	                       "SELECT id, ST_X(geom), ST_X(geom), ST_Y(geom), ST_Y(geom) "
	                       "FROM offences WHERE id > ?1 AND geom IS NOT NULL "
	                       "ORDER BY CAST(ST_Y(geom) * 100 AS INTEGER), "
	                       "CAST(ST_X(geom) * 100 AS INTEGER)",
	                       -1, &s, NULL) != SQLITE_OK)
		return db_error(st, "bulk index");
	sqlite3_bind_int64(s, 1, st->bulk_first_id);
	int rc = step_done(st, s, "bulk index");
	sqlite3_finalize(s);
	return rc;
}

/* Rebuilds the whole index of offences.geom from the table with
 * rtree_bulk_load(). The Mbr* functions read the box from the blob's
 * header; ST_X()/ST_Y() parse the geometry and take 1.4 times as long. */
static int rebuild_offences_index(store *st, int64_t max_id)
{
	sqlite3_stmt *s = NULL;
	/* Room for max_id rows, the count unless many were deleted, so that the
	 * array seldom grows. */
	size_t n = 0, cap = 4096;
	if (max_id > (int64_t)cap)
		cap = max_id < ((int64_t)1 << 26) ? (size_t)max_id : (size_t)1 << 26;
	struct rtree_entry *e = malloc(cap * sizeof *e);
	int rc = 0, r;
	if (!e)
		return err_set(ERR_NOMEM, "store: out of memory");
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), "
	                       "MbrMaxY(geom) FROM offences WHERE geom IS NOT NULL",
	                       -1, &s, NULL) != SQLITE_OK) {
		rc = db_error(st, "bulk index");
		goto out;
	}
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap * 2;
			struct rtree_entry *ne = realloc(e, ncap * sizeof *e);
			if (!ne) {
				rc = err_set(ERR_NOMEM, "store: out of memory");
				goto out;
			}
			e = ne;
			cap = ncap;
		}
		e[n].id = sqlite3_column_int64(s, 0);
		e[n].minx = sqlite3_column_double(s, 1);
		e[n].maxx = sqlite3_column_double(s, 2);
		e[n].miny = sqlite3_column_double(s, 3);
		e[n].maxy = sqlite3_column_double(s, 4);
		n++;
	}
	if (r != SQLITE_DONE) {
		rc = db_error(st, "bulk index");
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if ((rc = rtree_bulk_load(st->db, "idx_offences_geom", e, n)) < 0)
		rc = err_set(rc, "bulk index: %s", err_msg());
out:
	sqlite3_finalize(s);
	free(e);
	return rc;
}

int store_bulk_end(store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (!st->bulk_triggers[0])
		return err_set(ERR_CONFLICT, "no bulk load to end");
	/* Indexing a new row costs ~10-18 us with an INSERT into the R*Tree, and
	 * rebuilding the whole index ~1.5-2.5 us per row of the table (read,
	 * pack, write; measured at 0.3 and 1 million offences). So the index is
	 * rebuilt when the new rows are more than an eighth of all rows. Ids
	 * estimate the counts without a scan: new rows are all above
	 * bulk_first_id, the old ones at most bulk_first_id. */
	int64_t max_id = st->bulk_first_id;
	if (sqlite3_prepare_v2(st->db, "SELECT max(id) FROM offences", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = db_error(st, "bulk index");
	else
		max_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	int64_t added = max_id - st->bulk_first_id;
	int rebuild = added > 0 && added > st->bulk_first_id / 7;
	if (rebuild)
		rc = rebuild_offences_index(st, max_id);
	/* A defensive connection cannot write the shadow tables: one by one then. */
	if (added > 0 && (!rebuild || rc == ERR_UNSUPPORTED))
		rc = index_new_offences(st);
	if (rc == 0)
		rc = exec_sql(st,
		              "UPDATE geometry_columns_time SET last_insert = "
		              "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE f_table_name = "
		              "'offences' AND f_geometry_column = 'geom'",
		              "bulk index");
	for (int i = 0; i < 3; i++) {
		if (rc == 0)
			rc = exec_sql(st, st->bulk_triggers[i], "restoring trigger");
		free(st->bulk_triggers[i]);
		st->bulk_triggers[i] = NULL;
	}
	return rc;
}
