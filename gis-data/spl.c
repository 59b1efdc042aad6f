/*
 * spl: the SpatiaLite backend's connection, schema, transactions, statement
 * cache, bulk load and summary, and its table of operations.
 *
 * The expected workload is bulk imports of up to millions of offences in one
 * transaction, a trickle of live inserts, reads of every offence when a
 * server starts, and a credential check per request that misses auth's
 * cache. Change detection is a 64-bit hash of a record's fields kept in
 * row_hash, so an unchanged re-import costs one indexed read per row and
 * writes nothing.
 */
#include "spl.h"

#include "err.h"

#include <spatialite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Valid polygons pass through; invalid ones are repaired by MakeValid and
 * reduced to their polygonal part (a repair may add stray lines). */
static const char poly_check_sql[] =
    "SELECT ST_IsValid(g), ST_IsValidReason(g), "
    "CASE WHEN ST_IsValid(g) THEN NULL ELSE "
    "AsBinary(CastToMultiPolygon(CollectionExtract(ST_MakeValid(g), 3))) END "
    "FROM (SELECT GeomFromWKB(?1, 4326) AS g)";

/* The per-row insert triggers of offences: SpatiaLite's on offences.geom,
 * and the change feed's, which cost an import as much as all else (3.9 s
 * against 6.3 s for 297,000 rows). */
static const char *const bulk_trigger_names[SPL_BULK_TRIGGERS] = {
    "ggi_offences_geom", "gii_offences_geom", "tmi_offences_geom", "changes_offence_ins"};

/* A trigger that writes a change of table's rows (as rec, NEW or OLD) to
 * the change feed. */
#define CHANGE_TRIGGER(name, when, table, entity, action, rec, version)                            \
	"CREATE TRIGGER changes_" name " AFTER " when " ON " table                                 \
	" BEGIN INSERT INTO changes(at, "                                                          \
	"entity, entity_id, action, version, district_code) VALUES(unixepoch(), '" entity          \
	"', " rec ".external_id, '" action "', " version ", " rec ".district_code); END;"

/* The triggers of the change feed: an offence's change is one of its
 * row hash; a zone's, task's or activity's one of its version. */
/* clang-format off */
#define CHANGE_TRIGGERS                                                                            \
	CHANGE_TRIGGER("offence_ins", "INSERT", "offences", "offence", "create", "NEW", "NULL")     \
	CHANGE_TRIGGER("offence_upd", "UPDATE OF row_hash",                                        \
	               "offences WHEN NEW.row_hash IS NOT OLD.row_hash", "offence", "update",      \
	               "NEW", "NULL")                                                              \
	CHANGE_TRIGGER("offence_del", "DELETE", "offences", "offence", "delete", "OLD", "NULL")     \
	CHANGE_TRIGGER("zone_ins", "INSERT", "patrol_zones", "zone", "create", "NEW", "NEW.version") \
	CHANGE_TRIGGER("zone_upd", "UPDATE OF version", "patrol_zones", "zone", "update", "NEW",   \
	               "NEW.version")                                                              \
	CHANGE_TRIGGER("zone_del", "DELETE", "patrol_zones", "zone", "delete", "OLD", "OLD.version") \
	CHANGE_TRIGGER("task_ins", "INSERT", "tasks", "task", "create", "NEW", "NEW.version")      \
	CHANGE_TRIGGER("task_upd", "UPDATE OF version", "tasks", "task", "update", "NEW",          \
	               "NEW.version")                                                              \
	CHANGE_TRIGGER("activity_ins", "INSERT", "activities", "activity", "create", "NEW",        \
	               "NEW.version")                                                              \
	CHANGE_TRIGGER("activity_upd", "UPDATE OF version", "activities", "activity", "update",    \
	               "NEW", "NEW.version")
/* clang-format on */

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
    /* UTC seconds; NULL: no end, never used. */
    {"token expiry and last use", "ALTER TABLE tokens ADD COLUMN expires_at INTEGER;"
                                  "ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;"},
    /* The ground of the maps: OpenStreetMap and an office's own layers. */
    {"reference layers",
     "CREATE TABLE ref_features(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " source TEXT, kind TEXT NOT NULL, class TEXT, poi TEXT, name TEXT, name_uz TEXT,"
     " name_uz_cyrl TEXT, name_ru TEXT, name_en TEXT, addr_street TEXT,"
     " addr_housenumber TEXT, tags TEXT,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "CREATE INDEX ref_features_kind ON ref_features(kind);"
     "SELECT AddGeometryColumn('ref_features', 'geom', 4326, 'GEOMETRY', 'XY', 1);"
     "SELECT CreateSpatialIndex('ref_features', 'geom');"},
    /* How an offence's point was found: NULL given (or none), else the
     * geocoder's level ("house", "street"). */
    {"offence location", "ALTER TABLE offences ADD COLUMN located_by TEXT;"},
    /* Districts as territory: each mahalla's district where the source named
     * none (the one holding a point of its surface), and each offence's. For
     * the rows already stored the mahalla's district comes first, because a
     * point-in-polygon test in SQL for a million offences would hold the
     * upgrade for minutes; new offences are placed by their point first
     * (spl_put_offence()). */
    {"offence district",
     "ALTER TABLE offences ADD COLUMN district_code TEXT;"
     "UPDATE mahallas SET district_code = (SELECT d.code FROM districts d"
     " WHERE MbrIntersects(d.geom, mahallas.geom)"
     " AND ST_Covers(d.geom, ST_PointOnSurface(mahallas.geom)) ORDER BY d.id LIMIT 1)"
     " WHERE district_code IS NULL;"
     "UPDATE offences SET district_code = (SELECT m.district_code FROM mahallas m"
     " WHERE m.code = offences.mahalla_code) WHERE mahalla_code IS NOT NULL;"
     "UPDATE offences SET district_code = (SELECT d.code FROM districts d"
     " WHERE MbrIntersects(d.geom, offences.geom) AND ST_Covers(d.geom, offences.geom)"
     " ORDER BY d.id LIMIT 1) WHERE district_code IS NULL AND geom IS NOT NULL;"
     "CREATE INDEX offences_district ON offences(district_code, occurred_from);"},
    /* The territory a token reaches: NULL everything, else "district:A,B". */
    {"token scope", "ALTER TABLE tokens ADD COLUMN scope TEXT;"},
    /* A zone belongs to the district holding a point of its surface, a track
     * to the one holding its first fix. */
    {"zone and track districts",
     "ALTER TABLE patrol_zones ADD COLUMN district_code TEXT;"
     "UPDATE patrol_zones SET district_code = " SPL_DISTRICT_AT(
         "ST_PointOnSurface(patrol_zones.geom)") ";"
                                                 "ALTER TABLE patrol_tracks ADD COLUMN "
                                                 "district_code TEXT;"
                                                 "UPDATE patrol_tracks SET district_code "
                                                 "= " SPL_DISTRICT_AT(
                                                     "StartPoint(patrol_tracks.geom)") ";"},
    /* A district's time zone (IANA), read for its local times instead of a
     * command line's default; NULL: not given. */
    {"district time zone", "ALTER TABLE districts ADD COLUMN tz TEXT;"},
    /* Regions (a city or a province of districts) above the districts; a
     * district lies in the one holding a point of its surface. */
    {"regions", "CREATE TABLE regions(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
                " name_uz TEXT, name_ru TEXT, name_en TEXT,"
                " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
                "SELECT AddGeometryColumn('regions', 'geom', 4326, 'MULTIPOLYGON', 'XY', 1);"
                "SELECT CreateSpatialIndex('regions', 'geom');"
                "ALTER TABLE districts ADD COLUMN region_code TEXT;"
                "CREATE INDEX districts_region ON districts(region_code);"},
    /* Tasks one service asks of others (store.h): receivers with a status
     * each (unit '' for a whole service), every change in task_log. A
     * token may speak for a service ("CODE" or "CODE/UNIT"). */
    {"tasks between services",
     "ALTER TABLE tokens ADD COLUMN service TEXT;"
     "CREATE TABLE tasks(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " place_kind TEXT NOT NULL CHECK(place_kind IN"
     "  ('point','hotspot','mahalla','zone','district')),"
     " place_ref TEXT, mahalla_code TEXT, district_code TEXT, body TEXT NOT NULL,"
     " from_service TEXT NOT NULL REFERENCES services(code), from_unit TEXT, due TEXT,"
     " priority TEXT NOT NULL CHECK(priority IN ('low','normal','high','urgent')),"
     " author TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL);"
     "SELECT AddGeometryColumn('tasks', 'geom', 4326, 'POINT', 'XY', 1);"
     "CREATE INDEX tasks_district ON tasks(district_code);"
     "CREATE INDEX tasks_mahalla ON tasks(mahalla_code);"
     "CREATE TABLE task_receivers(task_id INTEGER NOT NULL REFERENCES tasks(id),"
     " service TEXT NOT NULL REFERENCES services(code), unit TEXT NOT NULL,"
     " status TEXT NOT NULL CHECK(status IN"
     "  ('new','accepted','in_progress','done','declined')),"
     " note TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY(task_id, service, unit));"
     "CREATE INDEX task_receivers_service ON task_receivers(service, status);"
     "CREATE TABLE task_log(task_id INTEGER NOT NULL REFERENCES tasks(id),"
     " version INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,"
     " action TEXT NOT NULL, service TEXT, unit TEXT, status TEXT, note TEXT);"
     "CREATE INDEX task_log_task ON task_log(task_id, version);"},
    /* The shared prevention log (store.h): no column for a person. */
    {"prevention log",
     "CREATE TABLE activities(id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE,"
     " kind TEXT NOT NULL CHECK(kind IN ('patrol','residents_meeting','youth_meeting',"
     "  'home_visit','venue_inspection','raid','awareness','other')),"
     " started_at INTEGER NOT NULL, ended_at INTEGER,"
     " place_kind TEXT NOT NULL CHECK(place_kind IN"
     "  ('point','hotspot','mahalla','zone','district')),"
     " place_ref TEXT, mahalla_code TEXT, district_code TEXT,"
     " service TEXT NOT NULL REFERENCES services(code), unit TEXT,"
     " participants INTEGER CHECK(participants IS NULL OR participants >= 0),"
     " task TEXT, outcome TEXT, author TEXT NOT NULL, version INTEGER NOT NULL,"
     " row_hash INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "SELECT AddGeometryColumn('activities', 'geom', 4326, 'POINT', 'XY', 1);"
     "CREATE INDEX activities_mahalla ON activities(mahalla_code, started_at);"
     "CREATE INDEX activities_district ON activities(district_code, started_at);"
     "CREATE INDEX activities_task ON activities(task);"},
    /* The change feed for other systems (store_list_changes()): one row per
     * change of an offence, zone, task or activity, written by triggers in
     * the change's own transaction, so that every write path (imports, the
     * API, deletions) is in it exactly once. seq never repeats
     * (AUTOINCREMENT), so a cursor stays good. */
    {"change feed",
     "CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
     " entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,"
     " version INTEGER, district_code TEXT);" CHANGE_TRIGGERS},
    /* The mahalla's standing (store.h): its categories over time (until
     * NULL: the current one), its responsible officials, and the counts of
     * registered at-risk groups as the services enter them: counts only. */
    {"mahalla standing",
     "CREATE TABLE standing(id INTEGER PRIMARY KEY, mahalla_code TEXT NOT NULL,"
     " category TEXT NOT NULL CHECK(category IN ('green','yellow','red')),"
     " since INTEGER NOT NULL, until INTEGER, measures TEXT NOT NULL, reasons TEXT);"
     "CREATE INDEX standing_mahalla ON standing(mahalla_code, since);"
     "CREATE TABLE mahalla_officials(mahalla_code TEXT NOT NULL, position INTEGER NOT NULL,"
     " role TEXT NOT NULL, name TEXT NOT NULL, phone TEXT,"
     " PRIMARY KEY(mahalla_code, position));"
     "CREATE TABLE risk_counts(mahalla_code TEXT NOT NULL, grp TEXT NOT NULL,"
     " count INTEGER NOT NULL CHECK(count >= 0), service TEXT, updated_at INTEGER NOT NULL,"
     " author TEXT NOT NULL, PRIMARY KEY(mahalla_code, grp));"
     "CREATE TRIGGER changes_standing AFTER INSERT ON standing BEGIN INSERT INTO"
     " changes(at, entity, entity_id, action, version, district_code) VALUES(unixepoch(),"
     " 'standing', NEW.mahalla_code, 'update', NULL, (SELECT district_code FROM mahallas"
     " WHERE code = NEW.mahalla_code)); END;"},
    /* Outgoing webhooks (store_webhook_add()): each subscription's cursor
     * in the change feed, moved only once a batch was delivered. */
    {"webhooks", "CREATE TABLE webhooks(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                 " url TEXT NOT NULL, secret_file TEXT NOT NULL, scope TEXT, kinds TEXT,"
                 " cursor INTEGER NOT NULL CHECK(cursor >= 0), created_at INTEGER NOT NULL,"
                 " delivered_at INTEGER);"},
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int store_schema_latest(void)
{
	return MIGRATION_COUNT;
}

int spl_error(struct spl *st, const char *what)
{
	return err_set(ERR_DB, "%s: %s", what, sqlite3_errmsg(st->db));
}

int spl_text_by_key(struct spl *st, sqlite3_stmt *s, const char *key, char *out, size_t n)
{
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	const char *text = r == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	snprintf(out, n, "%s", text ? text : "");
	sqlite3_reset(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : spl_error(st, "reading a record");
}

int spl_exec(struct spl *st, const char *sql, const char *what)
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
static int read_schema_version(struct spl *st, int *version)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	*version = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT 1 FROM sqlite_master WHERE type = 'table' "
	                       "AND name = 'schema_migrations'",
	                       -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "reading schema version");
	int exists = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (!exists)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
	                       -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "reading schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		*version = sqlite3_column_int(s, 0);
	else
		rc = spl_error(st, "reading schema version");
	sqlite3_finalize(s);
	return rc;
}

static int spl_begin(store *st);
static int spl_commit(store *st);
static int spl_rollback(store *st);
static void spl_close(store *st);

/* Brings the schema to version upto (the latest for 0), or with
 * STORE_AS_IS only checks that this build can read it. */
static int migrate(struct spl *st, const char *path, int flags)
{
	int version, rc;
	int upto = flags >> 8 ? flags >> 8 : MIGRATION_COUNT;
	if ((rc = read_schema_version(st, &version)) < 0)
		return rc;
	if (version > MIGRATION_COUNT)
		return err_set(ERR_UNSUPPORTED,
		               "%s: database schema version %d is newer than this posbon knows "
		               "(%d): use a newer posbon, or restore a backup of the older "
		               "version",
		               path, version, MIGRATION_COUNT);
	if (upto > MIGRATION_COUNT || upto < 1)
		return err_set(ERR_INVALID, "schema version %d: this posbon makes 1 to %d", upto,
		               MIGRATION_COUNT);
	if (version >= upto || (flags & STORE_AS_IS))
		return 0;
	if (st->readonly)
		return err_set(ERR_CONFLICT,
		               "database schema version %d needs migrating to %d; open it writable",
		               version, MIGRATION_COUNT);
	if (version > 0 && (rc = spl_copy_before_migration(st, version, upto)) < 0)
		return rc;
	for (int v = version + 1; v <= upto; v++) {
		const struct migration *m = &migrations[v - 1];
		char record[256];
		if ((rc = spl_begin(&st->base)) < 0)
			return rc;
		rc = spl_exec(st,
		              "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER "
		              "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		              "creating schema_migrations");
		if (rc == 0)
			rc = spl_exec(st, m->sql, m->name);
		if (rc == 0) {
			snprintf(record, sizeof record,
			         "INSERT INTO schema_migrations VALUES(%d, '%s', "
			         "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
			         v, m->name);
			rc = spl_exec(st, record, "recording migration");
		}
		if (rc < 0) {
			spl_rollback(&st->base);
			return err_set(rc, "migration %d (%s) failed: %s", v, m->name, err_msg());
		}
		if ((rc = spl_commit(&st->base)) < 0)
			return rc;
	}
	return 0;
}

static int spl_open(const char *path, int flags, store **out)
{
	struct spl *st = calloc(1, sizeof *st);
	int rc = 0;
	*out = NULL;
	if (!st)
		return err_set(ERR_NOMEM, "store: out of memory");
	st->base.ops = &spl_backend;
	st->readonly = (flags & STORE_READONLY) != 0;
	int oflags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if ((flags & STORE_CREATE) && !st->readonly)
		oflags |= SQLITE_OPEN_CREATE;
	/* SQLITE_OPEN_URI: a "file:" URL is an SQLite URI; a path is unchanged. */
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL) !=
	    SQLITE_OK) {
		rc = err_set(st->db ? ERR_IO : ERR_NOMEM, "%s: %s", path,
		             st->db ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, SPL_BUSY_MS);
	st->spatialite_cache = spatialite_alloc_connection();
	if (!st->spatialite_cache) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto fail;
	}
	spatialite_set_silent_mode(st->spatialite_cache);
	spatialite_init_ex(st->db, st->spatialite_cache, 0);

	/* A file that is not a database fails here, at the first read. */
	if (!st->readonly) {
		rc = spl_exec(st, "PRAGMA journal_mode = WAL", path);
		if (rc < 0)
			goto fail;
	}
	/* FULL: an acknowledged write survives a power cut, not only a crash;
	 * it costs one fsync a commit, and imports commit once a file. */
	rc = spl_exec(st,
	              sqlite3_uri_boolean(sqlite3_db_filename(st->db, "main"), "nosync", 0)
	                  ? "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF"
	                  : "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
	              path);
	if (rc < 0)
		goto fail;
	if ((rc = migrate(st, path, flags)) < 0)
		goto fail;
	*out = &st->base;
	return 0;
fail:
	spl_close(&st->base);
	return rc;
}

static void spl_close(store *base)
{
	struct spl *st = spl_of(base);
	if (!st)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	for (int k = 0; k < 2; k++)
		locator_free(st->areas[k]);
	for (int i = 0; i < SPL_BULK_TRIGGERS; i++)
		free(st->bulk_triggers[i]);
	if (st->db)
		sqlite3_close(st->db);
	if (st->spatialite_cache)
		spatialite_cleanup_ex(st->spatialite_cache);
	free(st);
}

static const char *spl_path(store *st)
{
	const char *path = sqlite3_db_filename(spl_of(st)->db, "main");
	return path && *path ? path : NULL;
}

static int spl_schema_version(store *st)
{
	int version = 0;
	read_schema_version(spl_of(st), &version);
	return version;
}

static int spl_begin(store *st)
{
	return spl_exec(spl_of(st), "BEGIN IMMEDIATE", "begin transaction");
}

static int spl_commit(store *st)
{
	return spl_exec(spl_of(st), "COMMIT", "commit");
}

static int spl_rollback(store *base)
{
	struct spl *st = spl_of(base);
	/* The rollback restores any triggers a bulk load dropped. */
	for (int i = 0; i < SPL_BULK_TRIGGERS; i++) {
		free(st->bulk_triggers[i]);
		st->bulk_triggers[i] = NULL;
	}
	return spl_exec(st, "ROLLBACK", "rollback");
}

/* Runs "VERB name" for a savepoint; name is a fixed identifier of ours. */
static int savepoint_sql(struct spl *st, const char *verb, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return spl_exec(st, sql, sql);
}

static int spl_savepoint(store *st, const char *name)
{
	return savepoint_sql(spl_of(st), "SAVEPOINT", name);
}

static int spl_release(store *st, const char *name)
{
	return savepoint_sql(spl_of(st), "RELEASE", name);
}

static int spl_rollback_to(store *st, const char *name)
{
	int rc = savepoint_sql(spl_of(st), "ROLLBACK TO", name);
	return rc < 0 ? rc : savepoint_sql(spl_of(st), "RELEASE", name);
}

/* The cached statement id, reset and unbound, ready for binding. */
sqlite3_stmt *spl_stmt(struct spl *st, enum spl_stmt id, const char *sql)
{
	sqlite3_stmt *s = st->stmts[id];
	if (!s) {
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
		    SQLITE_OK) {
			spl_error(st, "preparing statement");
			return NULL;
		}
		st->stmts[id] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

void spl_bind_key(sqlite3_stmt *s, int64_t id, const char *key)
{
	if (id)
		sqlite3_bind_int64(s, 1, id);
	else
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
}

void spl_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void spl_bind_time(sqlite3_stmt *s, int i, int64_t t)
{
	if (t == STORE_NO_TIME)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, t);
}

int64_t spl_column_time(sqlite3_stmt *s, int i)
{
	/* NULL reads as 0: only then is the type asked (a scan reads a
	 * million of these, and each call takes the connection's mutex). */
	int64_t t = sqlite3_column_int64(s, i);
	return t == 0 && sqlite3_column_type(s, i) == SQLITE_NULL ? STORE_NO_TIME : t;
}

/* Steps a statement that returns no rows. */
int spl_step_done(struct spl *st, sqlite3_stmt *s, const char *what)
{
	int r = sqlite3_step(s);
	int rc = r == SQLITE_DONE ? 0 : spl_error(st, what);
	sqlite3_reset(s);
	return rc;
}

void spl_hash_init(struct spl_hash *hs)
{
	hs->h = 1469598103934665603ULL;
}

void spl_hash_bytes(struct spl_hash *hs, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		hs->h ^= b[i];
		hs->h *= 1099511628211ULL;
	}
	hs->h ^= 0x1f;
	hs->h *= 1099511628211ULL;
}

void spl_hash_str(struct spl_hash *hs, const char *s)
{
	spl_hash_bytes(hs, s ? s : "", s ? strlen(s) : 0);
}

void spl_hash_num(struct spl_hash *hs, int64_t v)
{
	spl_hash_bytes(hs, &v, sizeof v);
}

/* Finds an existing row by key: *id = 0 when absent. */
int spl_lookup(struct spl *st, sqlite3_stmt *s, const char *key, int64_t *id, int64_t *hash)
{
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	*id = 0;
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*hash = sqlite3_column_int64(s, 1);
	} else if (r != SQLITE_DONE) {
		return spl_error(st, "looking up record");
	}
	sqlite3_reset(s);
	return 0;
}

int spl_check_polygon(struct spl *st, const char *what, const unsigned char **wkb, size_t *len,
                      unsigned char **repaired, struct store_put_info *info)
{
	sqlite3_stmt *s = spl_stmt(st, ST_POLY_CHECK, poly_check_sql);
	int rc = 0;
	*repaired = NULL;
	if (!s)
		return ERR_DB;
	sqlite3_bind_blob(s, 1, *wkb, (int)*len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = spl_error(st, what);
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
	*wkb = *repaired;
	*len = (size_t)n;
	info->repaired = 1;
out:
	sqlite3_reset(s);
	return rc;
}

int spl_bump_data_version(struct spl *st)
{
	sqlite3_stmt *s = spl_stmt(st, ST_DATA_VERSION,
	                           "UPDATE meta SET value = value + 1 WHERE key = 'data_version'");
	return s ? spl_step_done(st, s, "data version") : ERR_DB;
}

static int query_ints(struct spl *st, const char *sql, int64_t *out, int n)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "summary");
	if (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sqlite3_column_type(s, i) == SQLITE_NULL
			             ? STORE_NO_TIME
			             : sqlite3_column_int64(s, i);
	} else {
		rc = spl_error(st, "summary");
	}
	sqlite3_finalize(s);
	return rc;
}

static int query_extent(struct spl *st, const char *sql, struct store_extent *e)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	e->empty = 1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "summary extent");
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			e->minx = sqlite3_column_double(s, 0);
			e->miny = sqlite3_column_double(s, 1);
			e->maxx = sqlite3_column_double(s, 2);
			e->maxy = sqlite3_column_double(s, 3);
			e->empty = 0;
		}
	} else {
		rc = spl_error(st, "summary extent");
	}
	sqlite3_finalize(s);
	return rc;
}

int spl_area_extent(store *st, struct store_extent *e)
{
	return query_extent(spl_of(st),
	                    "SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)), "
	                    "max(MbrMaxY(geom)) FROM (SELECT geom FROM districts UNION ALL "
	                    "SELECT geom FROM mahallas)",
	                    e);
}

static int spl_summarize(store *base, struct store_summary *out)
{
	struct spl *st = spl_of(base);
	int64_t v[12];
	int rc;
	memset(out, 0, sizeof *out);
	out->schema_version = spl_schema_version(base);
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
	rc = spl_area_extent(base, &out->areas_extent);
	if (rc < 0)
		return rc;
	return query_extent(st,
	                    "SELECT min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), "
	                    "max(ST_Y(geom)) FROM offences WHERE geom IS NOT NULL",
	                    &out->offences_extent);
}

static int spl_bulk_begin(store *base)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (st->bulk_triggers[0])
		return err_set(ERR_CONFLICT, "bulk load already started");
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
	                       "AND name = ?1",
	                       -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "bulk load");
	for (int i = 0; i < SPL_BULK_TRIGGERS && rc == 0; i++) {
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
	for (int i = 0; i < SPL_BULK_TRIGGERS && rc == 0; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"", bulk_trigger_names[i]);
		rc = spl_exec(st, sql, "bulk load");
	}
	if (rc < 0)
		for (int i = 0; i < SPL_BULK_TRIGGERS; i++) {
			free(st->bulk_triggers[i]);
			st->bulk_triggers[i] = NULL;
		}
	return rc;
}

/* Indexes the offences above bulk_first_id one by one, in row-major order of
 * ~1 km cells so that the R*Tree inserts with locality. */
static int index_new_offences(struct spl *st)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
	                       "INSERT INTO idx_offences_geom(pkid, xmin, xmax, ymin, ymax) "
	                       "SELECT id, ST_X(geom), ST_X(geom), ST_Y(geom), ST_Y(geom) "
	                       "FROM offences WHERE id > ?1 AND geom IS NOT NULL "
	                       "ORDER BY CAST(ST_Y(geom) * 100 AS INTEGER), "
	                       "CAST(ST_X(geom) * 100 AS INTEGER)",
	                       -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "bulk index");
	sqlite3_bind_int64(s, 1, st->bulk_first_id);
	int rc = spl_step_done(st, s, "bulk index");
	sqlite3_finalize(s);
	return rc;
}

/* Rebuilds the whole index of offences.geom from the table with
 * spl_rtree_load(). The Mbr* functions read the box from the blob's
 * header; ST_X()/ST_Y() parse the geometry and take 1.4 times as long. */
static int rebuild_offences_index(struct spl *st, int64_t max_id)
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
		rc = spl_error(st, "bulk index");
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
		rc = spl_error(st, "bulk index");
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if ((rc = spl_rtree_load(st->db, "idx_offences_geom", e, n)) < 0)
		rc = err_set(rc, "bulk index: %s", err_msg());
out:
	sqlite3_finalize(s);
	free(e);
	return rc;
}

/* The change feed's rows of the offences a bulk load added, as their
 * insert trigger would have written them, in one statement. (A load never
 * updates a row it added: the importer renames an id given twice.) */
static int feed_new_offences(struct spl *st)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
	                       "INSERT INTO changes(at, entity, entity_id, action, version, "
	                       "district_code) SELECT unixepoch(), 'offence', external_id, "
	                       "'create', NULL, district_code FROM offences WHERE id > ?1 "
	                       "ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return spl_error(st, "change feed of the bulk load");
	}
	sqlite3_bind_int64(s, 1, st->bulk_first_id);
	int rc = spl_step_done(st, s, "change feed of the bulk load");
	sqlite3_finalize(s);
	return rc;
}

static int spl_bulk_end(store *base)
{
	struct spl *st = spl_of(base);
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
		rc = spl_error(st, "bulk index");
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
		rc = spl_exec(st,
		              "UPDATE geometry_columns_time SET last_insert = "
		              "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE f_table_name = "
		              "'offences' AND f_geometry_column = 'geom'",
		              "bulk index");
	if (rc == 0 && added > 0)
		rc = feed_new_offences(st);
	for (int i = 0; i < SPL_BULK_TRIGGERS; i++) {
		if (rc == 0)
			rc = spl_exec(st, st->bulk_triggers[i], "restoring trigger");
		free(st->bulk_triggers[i]);
		st->bulk_triggers[i] = NULL;
	}
	return rc;
}

/* PRAGMA cache_size is pages when positive, KiB when negative. */
static int spl_page_cache(store *base, long kib, long *was)
{
	struct spl *st = spl_of(base);
	char sql[64];
	if (was) {
		sqlite3_stmt *s = NULL;
		long size = 0, page = 0;
		if (sqlite3_prepare_v2(st->db, "SELECT * FROM pragma_cache_size, pragma_page_size",
		                       -1, &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_finalize(s);
			return spl_error(st, "page cache");
		}
		size = (long)sqlite3_column_int64(s, 0);
		page = (long)sqlite3_column_int64(s, 1);
		sqlite3_finalize(s);
		*was = size < 0 ? -size : size * page / 1024;
	}
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld", kib);
	return spl_exec(st, sql, "page cache");
}

const struct store_backend spl_backend = {
    .name = "SpatiaLite",
    .open = spl_open,
    .close = spl_close,
    .path = spl_path,
    .schema_version = spl_schema_version,
    .backup = spl_backup,
    .check_integrity = spl_check_integrity,
    .begin = spl_begin,
    .commit = spl_commit,
    .rollback = spl_rollback,
    .savepoint = spl_savepoint,
    .release = spl_release,
    .rollback_to = spl_rollback_to,
    .bulk_begin = spl_bulk_begin,
    .bulk_end = spl_bulk_end,
    .page_cache = spl_page_cache,
    .put_area = spl_put_area,
    .list_areas = spl_list_areas,
    .region_districts = spl_region_districts,
    .area_extent = spl_area_extent,
    .area_m2 = spl_area_m2,
    .time_zone = spl_time_zone,
    .area_reach = spl_area_reach,
    .put_code = spl_put_code,
    .ensure_code = spl_ensure_code,
    .list_codes = spl_list_codes,
    .code_exists = spl_code_exists,
    .put_offence = spl_put_offence,
    .delete_offence = spl_delete_offence,
    .offence_id = spl_offence_id,
    .get_offence = spl_get_offence,
    .scan_offences = spl_scan_offences,
    .each_point = spl_each_point,
    .offence_count = spl_offence_count,
    .put_zone = spl_put_zone,
    .zone_version = spl_zone_version,
    .delete_zone = spl_delete_zone,
    .list_zones = spl_list_zones,
    .zone_versions = spl_zone_versions,
    .task_add = spl_task_add,
    .task_change = spl_task_change,
    .list_tasks = spl_list_tasks,
    .task_log = spl_task_log,
    .put_activity = spl_put_activity,
    .list_activities = spl_list_activities,
    .put_ref_feature = spl_put_ref_feature,
    .each_ref_feature = spl_each_ref_feature,
    .put_track = spl_put_track,
    .track_fixes = spl_track_fixes,
    .list_tracks = spl_list_tracks,
    .list_units = spl_list_units,
    .standing_record = spl_standing_record,
    .list_standing = spl_list_standing,
    .set_officials = spl_set_officials,
    .list_officials = spl_list_officials,
    .put_risk_count = spl_put_risk_count,
    .list_risk_counts = spl_list_risk_counts,
    .list_changes = spl_list_changes,
    .change_head = spl_change_head,
    .webhook_add = spl_webhook_add,
    .webhook_remove = spl_webhook_remove,
    .list_webhooks = spl_list_webhooks,
    .webhook_advance = spl_webhook_advance,
    .audit = spl_audit,
    .summarize = spl_summarize,
    .token_add = spl_token_add,
    .list_tokens = spl_list_tokens,
    .token_revoke = spl_token_revoke,
    .credential = spl_credential,
    .session_add = spl_session_add,
    .session_delete = spl_session_delete,
};
