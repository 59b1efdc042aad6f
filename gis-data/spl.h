/*
 * spl: the SpatiaLite backend of the store (storebackend.h), internal to
 * gis-data.
 *
 * One struct spl is one connection. Its files: spl.c (opening, schema
 * migrations, transactions, the statement cache, the bulk load, the
 * summary and the table of operations), spl_put.c (districts, mahallas,
 * codes, offences), spl_read.c (the typed reads of areas, codes and
 * offences), spl_zone.c (patrol zones and their versions), spl_task.c
 * (tasks between services), spl_activity.c (the prevention log),
 * spl_standing.c (the mahalla's standing, officials, at-risk counts), spl_ref.c
 * (reference layers), spl_track.c (tracks, units, the change feed, audit), spl_auth.c
 * (tokens and sessions), spl_hook.c (the webhooks' subscriptions), spl_rtree.c (the bulk load of an
 * R*Tree) and spl_backup.c (copies of the database and its integrity check).
 *
 * Every statement run per record is prepared once per connection and kept
 * in stmts[] under its enum spl_stmt (spl_stmt() below), so a hot read costs
 * a reset and a step; one-off statements (the summary, migrations) are
 * prepared and finalized where they run.
 *
 * Threading: a struct spl belongs to one thread at a time, as its store.
 */
#ifndef POSBON_SPL_H
#define POSBON_SPL_H

#include "locator.h"
#include "rtree.h"
#include "storebackend.h"

/* sqlite3.h first: spatialite.h uses its types. */
#include <sqlite3.h>

#include <stdint.h>

enum spl_stmt {
	ST_AREA_GET,
	ST_AREA_INS = ST_AREA_GET + STORE_AREA_KINDS, /* one per enum store_area_kind */
	ST_AREA_UPD = ST_AREA_INS + STORE_AREA_KINDS,
	ST_AREA_LIST = ST_AREA_UPD + STORE_AREA_KINDS, /* kind * 2 + geojson */
	ST_REGION_PLACE = ST_AREA_LIST + 2 * STORE_AREA_KINDS,
	ST_REGION_DISTRICTS,
	ST_POLY_CHECK,
	ST_CODE_PUT,
	ST_CODE_ENSURE = ST_CODE_PUT + 2, /* one per enum store_code_kind */
	ST_CODE_LIST = ST_CODE_ENSURE + 2,
	ST_CODE_EXISTS = ST_CODE_LIST + 2,
	ST_OFFENCE_GET = ST_CODE_EXISTS + 2,
	ST_MAHALLA_DISTRICT,
	ST_OFFENCE_INS,
	ST_OFFENCE_UPD,
	ST_OFFENCE_DEL,
	ST_OFFENCE_ONE,
	ST_OFFENCE_SCAN,
	ST_AREA_REACH,
	ST_TIME_ZONE,
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
	ST_PLACE,
	ST_TASK_GET,
	ST_TASK_INS,
	ST_TASK_RECV_INS,
	ST_TASK_RECV_SET,
	ST_TASK_RECV_DROP,
	ST_TASK_EDIT,
	ST_TASK_BUMP,
	ST_TASK_LOG_INS,
	ST_TASK_LIST,
	ST_TASK_LOG,
	ST_ACTIVITY_GET,
	ST_ACTIVITY_TASK,
	ST_ACTIVITY_INS,
	ST_ACTIVITY_UPD,
	ST_ACTIVITY_LIST,
	ST_STANDING_CURRENT,
	ST_STANDING_END,
	ST_STANDING_INS,
	ST_STANDING_MEASURES,
	ST_STANDING_LIST,
	ST_OFFICIALS_DEL,
	ST_OFFICIALS_INS,
	ST_OFFICIALS_LIST,
	ST_RISK_PUT,
	ST_RISK_LIST,
	ST_REF_GET,
	ST_REF_INS,
	ST_REF_UPD,
	ST_REF_ALL,
	ST_REF_BOX,
	ST_TRACK_GET,
	ST_TRACK_INS,
	ST_TRACK_UPD,
	ST_TRACK_FIXES,
	ST_TRACK_DISTRICT,
	ST_TRACK_LIST,
	ST_UNITS,
	ST_AUDIT,
	ST_CHANGES,
	ST_CHANGE_HEAD,
	ST_HOOK_INS,
	ST_HOOK_DEL,
	ST_HOOK_LIST,
	ST_HOOK_ADVANCE,
	ST_DATA_VERSION,
	ST_TOKEN_DROP_REVOKED,
	ST_TOKEN_INS,
	ST_TOKEN_REVOKE,
	ST_TOKEN_WHO,
	ST_TOKEN_USED,
	ST_TOKEN_LIST,
	ST_SESSION_WHO,
	ST_SESSION_INS,
	ST_SESSION_DEL,
	ST_COUNT
};

/* SQL of the district whose polygon covers the point the SQL p makes (the
 * first put on a shared boundary), NULL for none: a mahalla's, a zone's
 * (by a point of its surface) or a track's (by its first fix). */
#define SPL_DISTRICT_AT(p)                                                                         \
	"(SELECT d.code FROM districts d WHERE ST_Covers(d.geom, " p ") ORDER BY d.id LIMIT 1)"

/* The code of the region holding point p, SQL. */
#define SPL_REGION_AT(p)                                                                           \
	"(SELECT r.code FROM regions r WHERE ST_Covers(r.geom, " p ") ORDER BY r.id LIMIT 1)"

/* The per-row triggers on offences that a bulk load replaces by set-wise
 * statements at its end (spl.c). */
#define SPL_BULK_TRIGGERS 4

/* How long a statement waits for another connection's write lock. */
#define SPL_BUSY_MS 10000

struct spl {
	struct store base; /* first: a store * of this backend is a struct spl * */
	sqlite3 *db;
	void *spatialite_cache;
	sqlite3_stmt *stmts[ST_COUNT];
	/* Per enum store_area_kind: loaded on the first located offence, dropped
	 * when an area of the kind changes. */
	locator *areas[STORE_AREA_KINDS];
	int readonly;
	char *bulk_triggers[SPL_BULK_TRIGGERS]; /* SQL of the triggers dropped by bulk_begin */
	int64_t bulk_first_id;                  /* rows above this id are indexed by bulk_end */
};

static inline struct spl *spl_of(store *st)
{
	return (struct spl *)st;
}

/* The statement id, prepared from sql on first use and kept; reset and
 * unbound, ready for binding. NULL (error set) when it does not prepare. */
sqlite3_stmt *spl_stmt(struct spl *sp, enum spl_stmt id, const char *sql);

/* ERR_DB naming what and SQLite's message. */
int spl_error(struct spl *sp, const char *what);

/* Runs SQL without outside values. */
int spl_exec(struct spl *sp, const char *sql, const char *what);

/* Steps a statement that returns no rows, and resets it. */
int spl_step_done(struct spl *sp, sqlite3_stmt *s, const char *what);

/* NULL for NULL or "", else the text (copied by SQLite). */
void spl_bind_text(sqlite3_stmt *s, int i, const char *v);

/* Parameter 1 of an upsert: the row id when the record exists (its UPDATE),
 * else its key (its INSERT). key is borrowed until the step. */
void spl_bind_key(sqlite3_stmt *s, int64_t id, const char *key);

/* Steps s, a statement of one text column by one key (?1), and copies the
 * first row's text into out[n] ("" for no row or NULL); resets s. s NULL
 * (it did not prepare) is ERR_DB. */
int spl_text_by_key(struct spl *sp, sqlite3_stmt *s, const char *key, char *out, size_t n);

/* NULL for STORE_NO_TIME. */
void spl_bind_time(sqlite3_stmt *s, int i, int64_t t);

/* A column's integer, STORE_NO_TIME when NULL. */
int64_t spl_column_time(sqlite3_stmt *s, int i);

/* Counts a change for readers that poll meta.data_version. */
int spl_bump_data_version(struct spl *sp);

/* Finds a row of a (id, row_hash) lookup by key: *id = 0 when absent. */
int spl_lookup(struct spl *sp, sqlite3_stmt *s, const char *key, int64_t *id, int64_t *hash);

/* FNV-1a over the fields of a record, to tell a changed record from an
 * unchanged one; a separator between fields, so that ("ab","c") and
 * ("a","bc") differ. */
struct spl_hash {
	uint64_t h;
};

void spl_hash_init(struct spl_hash *hs);
void spl_hash_bytes(struct spl_hash *hs, const void *p, size_t n);
void spl_hash_str(struct spl_hash *hs, const char *s);
void spl_hash_num(struct spl_hash *hs, int64_t v);

/* Checks the polygon *wkb (*len bytes); when invalid, repairs it into a new
 * WKB (*repaired, freed by the caller with sqlite3_free; NULL when none was
 * needed), points *wkb and *len at it and records the reason in info. */
int spl_check_polygon(struct spl *sp, const char *what, const unsigned char **wkb, size_t *len,
                      unsigned char **repaired, struct store_put_info *info);

/* Replaces the whole content of the rtree virtual table rtree_name (in the
 * main schema) by entries[0..n) (borrowed), packed by rtree_pack() and
 * written straight into its shadow tables: an ordinary R*Tree that SQLite
 * queries, inserts into and deletes from as usual, finding the same rows as
 * if each had been inserted. Supported: a 2-D rtree of 32-bit floats without
 * auxiliary columns, what CreateSpatialIndex() makes; the connection must
 * not be defensive (SQLITE_DBCONFIG_DEFENSIVE, off by default). Runs in a
 * savepoint: inside the caller's transaction it becomes part of it, and on
 * any failure the rtree is left as it was. No statement may be reading the
 * rtree meanwhile.
 *
 * Errors: ERR_INVALID for a box with NaN or min > max, or an id given twice
 * (the message names it); ERR_NOTFOUND when there is no such table;
 * ERR_UNSUPPORTED for another kind of table or rtree, or a defensive
 * connection (nothing written); ERR_DB, ERR_NOMEM. */
int spl_rtree_load(sqlite3 *db, const char *rtree_name, const struct rtree_entry *entries,
                   size_t n);

/* Copies sp's database to dest as store_backup() says (flags of enum
 * store_backup_flags). */
int spl_copy(struct spl *sp, const char *dest, int flags);

/* The copy before a migration from version to latest: PATH.bak-vN (or
 * .bak-vN.2 and on when it exists), reported through store_notice(). 0
 * without a file (a database in memory). */
int spl_copy_before_migration(struct spl *sp, int version, int latest);

/* The operations, by file. */
int spl_backup(store *st, const char *dest, int flags);
int spl_check_integrity(store *st);

int spl_put_area(store *st, enum store_area_kind kind, const struct store_area *a,
                 struct store_put_info *info);
int spl_put_code(store *st, enum store_code_kind kind, const struct store_code *c);
int spl_ensure_code(store *st, enum store_code_kind kind, const char *code, const char *name);
int spl_put_offence(store *st, const struct store_offence *o, struct store_put_info *info);
int spl_delete_offence(store *st, const char *external_id, int64_t *id);

int spl_list_areas(store *st, enum store_area_kind kind, const char *code, int geojson,
                   store_area_fn fn, void *ctx);
int spl_area_extent(store *st, struct store_extent *e);
int spl_region_districts(store *st, const char *regions, char *out, size_t n);
int spl_area_m2(store *st, double *m2);
int spl_time_zone(store *st, char *out, size_t n);
int spl_area_reach(store *st, const unsigned char *wkb, size_t len, struct store_reach *out);
int spl_list_codes(store *st, enum store_code_kind kind, store_code_fn fn, void *ctx);
int spl_code_exists(store *st, enum store_code_kind kind, const char *code);
int spl_offence_id(store *st, const char *external_id, int64_t *id);
int spl_get_offence(store *st, int64_t id, const char *external_id, store_offence_fn fn, void *ctx);
int spl_scan_offences(store *st, int64_t first_id, int64_t last_id, store_offence_fn fn, void *ctx);
int spl_each_point(store *st, store_point_fn fn, void *ctx);
int spl_offence_count(store *st, long *n);

int spl_put_zone(store *st, const struct store_zone *z, const char *actor,
                 struct store_put_info *info);
int spl_zone_version(store *st, const char *external_id, int *version);
int spl_delete_zone(store *st, const char *external_id, const char *actor, int *version);
int spl_list_zones(store *st, const char *active_day, const char *service, const char *id,
                   store_zone_fn fn, void *ctx, size_t *rows);
int spl_zone_versions(store *st, const char *external_id, store_zone_fn fn, void *ctx,
                      size_t *rows);

/* Where a task or an activity is: kind "mahalla", "zone" or "district"
 * with the code ref (a point of its surface; ERR_NOTFOUND naming
 * "place.code" when it names nothing), else the point *lon, *lat; its point
 * into *lon, *lat, its mahalla and district codes into mahalla[n] and
 * district[n] ("" none). */
int spl_place(struct spl *sp, const char *kind, const char *ref, double *lon, double *lat,
              char *mahalla, char *district, size_t n);

int spl_task_add(store *st, const struct store_task *t, const char *actor);
int spl_task_change(store *st, const char *id, const struct store_task_change *c, const char *actor,
                    int *version);
int spl_list_tasks(store *st, const struct store_task_query *q, store_task_fn fn, void *ctx);
int spl_task_log(store *st, const char *id, store_task_entry_fn fn, void *ctx);
int spl_put_activity(store *st, const struct store_activity *a, const char *actor,
                     struct store_put_info *info);
int spl_list_activities(store *st, const struct store_activity_query *q, store_activity_fn fn,
                        void *ctx);

int spl_put_ref_feature(store *st, const struct store_ref_feature *f, struct store_put_info *info);
int spl_each_ref_feature(store *st, const double box[4], store_ref_fn fn, void *ctx);

int spl_put_track(store *st, const struct store_track *t, struct store_put_info *info);
int spl_track_fixes(store *st, const char *external_id, struct store_fix **fixes, size_t *n);
int spl_list_tracks(store *st, int64_t from, int64_t to, store_track_fn fn, void *ctx);
int spl_list_units(store *st, int64_t since, store_unit_fn fn, void *ctx);
int spl_standing_record(store *st, const struct store_standing *s, int *changed);
int spl_list_standing(store *st, const char *mahalla, store_standing_fn fn, void *ctx);
int spl_set_officials(store *st, const char *mahalla, const struct store_official *o, size_t n,
                      const char *actor);
int spl_list_officials(store *st, const char *mahalla, store_official_fn fn, void *ctx);
int spl_put_risk_count(store *st, const struct store_risk_count *r);
int spl_list_risk_counts(store *st, const char *mahalla, store_risk_fn fn, void *ctx);
int spl_list_changes(store *st, int64_t since, int limit, store_feed_fn fn, void *ctx);
int spl_change_head(store *st, int64_t *seq);
int spl_webhook_add(store *st, const struct store_webhook *h, int64_t now);
int spl_webhook_remove(store *st, const char *name);
int spl_list_webhooks(store *st, store_webhook_fn fn, void *ctx);
int spl_webhook_advance(store *st, int64_t id, int64_t from, int64_t to, int64_t now);
int spl_audit(store *st, const char *actor, const char *action, const char *entity,
              const char *entity_id, const char *detail);

int spl_token_add(store *st, const char *name, const char *role, const char *hash, int64_t now,
                  int64_t expires, const char *scope, const char *service);
int spl_list_tokens(store *st, store_token_fn fn, void *ctx);
int spl_token_revoke(store *st, const char *name, int64_t now);
int spl_credential(store *st, enum store_secret kind, const char *hash, int64_t now,
                   struct store_credential *out);
int spl_session_add(store *st, const char *hash, const char *token_name, int64_t now,
                    int64_t expires);
int spl_session_delete(store *st, const char *hash);

#endif
