/*
 * spl_activity: the SpatiaLite backend's prevention log (see spl.h). An
 * activity is upserted by its external id with a row hash, as offences
 * are: the same record sent again changes nothing, a changed one raises
 * its version; both writes are audited.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const sql[ST_COUNT] = {
    [ST_ACTIVITY_GET] = "SELECT id, row_hash FROM activities WHERE external_id = ?1",
    [ST_ACTIVITY_TASK] = "SELECT 1 FROM tasks WHERE external_id = ?1",
    [ST_ACTIVITY_INS] =
        "INSERT INTO activities(external_id, kind, started_at, ended_at, place_kind, "
        "place_ref, mahalla_code, district_code, service, unit, participants, task, outcome, "
        "author, version, row_hash, updated_at, geom) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, 1, ?15, ?16, MakePoint(?17, ?18, 4326))",
    [ST_ACTIVITY_UPD] =
        "UPDATE activities SET kind = ?2, started_at = ?3, ended_at = ?4, place_kind = ?5, "
        "place_ref = ?6, mahalla_code = ?7, district_code = ?8, service = ?9, unit = ?10, "
        "participants = ?11, task = ?12, outcome = ?13, author = ?14, version = version + 1, "
        "row_hash = ?15, updated_at = ?16, geom = MakePoint(?17, ?18, 4326) WHERE id = ?1",
    [ST_ACTIVITY_LIST] =
        "SELECT external_id, kind, started_at, ended_at, place_kind, place_ref, X(geom), "
        "Y(geom), service, unit, participants, task, outcome, mahalla_code, district_code, "
        "author, version, updated_at FROM activities "
        "WHERE (?1 IS NULL OR external_id = ?1) AND (?2 IS NULL OR service = ?2) AND "
        "(?3 IS NULL OR mahalla_code = ?3) AND (?4 IS NULL OR district_code = ?4) AND "
        "(?5 IS NULL OR task = ?5) AND (?6 IS NULL OR coalesce(ended_at, started_at) >= ?6) "
        "AND (?7 IS NULL OR started_at <= ?7) ORDER BY started_at DESC, external_id",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_put_activity(store *base, const struct store_activity *a, const char *actor,
                     struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	char mahalla[256] = "", district[256] = "", what[260];
	double lon = a->lon, lat = a->lat;
	int64_t id, old_hash;
	int rc;
	sqlite3_stmt *s;

	snprintf(what, sizeof what, "activity %s", a->external_id);
	if ((rc = spl_place(st, a->place_kind, a->place_ref, &lon, &lat, mahalla, district,
	                    sizeof mahalla)) < 0)
		return rc;
	if (a->task) {
		if (!(s = stmt(st, ST_ACTIVITY_TASK)))
			return ERR_DB;
		sqlite3_bind_text(s, 1, a->task, -1, SQLITE_STATIC);
		int r = sqlite3_step(s);
		sqlite3_reset(s);
		if (r != SQLITE_ROW && r != SQLITE_DONE)
			return spl_error(st, what);
		if (r == SQLITE_DONE)
			return err_set_field(ERR_NOTFOUND, "task", "task: no task has the id '%s'",
			                     a->task);
	}

	struct spl_hash hs;
	spl_hash_init(&hs);
	spl_hash_str(&hs, a->kind);
	spl_hash_num(&hs, a->started);
	spl_hash_num(&hs, a->ended);
	spl_hash_str(&hs, a->place_kind);
	spl_hash_str(&hs, a->place_ref);
	spl_hash_bytes(&hs, &lon, sizeof lon);
	spl_hash_bytes(&hs, &lat, sizeof lat);
	spl_hash_str(&hs, a->service);
	spl_hash_str(&hs, a->unit);
	spl_hash_num(&hs, a->participants);
	spl_hash_str(&hs, a->task);
	spl_hash_str(&hs, a->outcome);
	int64_t hash = (int64_t)hs.h;
	if ((rc = spl_lookup(st, stmt(st, ST_ACTIVITY_GET), a->external_id, &id, &old_hash)) < 0)
		return rc;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		return 0;
	}
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	if (!(s = stmt(st, id ? ST_ACTIVITY_UPD : ST_ACTIVITY_INS)))
		return ERR_DB;
	spl_bind_key(s, id, a->external_id);
	sqlite3_bind_text(s, 2, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, a->started);
	spl_bind_time(s, 4, a->ended);
	sqlite3_bind_text(s, 5, a->place_kind, -1, SQLITE_STATIC);
	spl_bind_text(s, 6, a->place_ref);
	spl_bind_text(s, 7, mahalla);
	spl_bind_text(s, 8, district);
	sqlite3_bind_text(s, 9, a->service, -1, SQLITE_STATIC);
	spl_bind_text(s, 10, a->unit);
	if (a->participants >= 0)
		sqlite3_bind_int64(s, 11, a->participants);
	spl_bind_text(s, 12, a->task);
	spl_bind_text(s, 13, a->outcome);
	sqlite3_bind_text(s, 14, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 15, hash);
	sqlite3_bind_int64(s, 16, (int64_t)time(NULL));
	sqlite3_bind_double(s, 17, lon);
	sqlite3_bind_double(s, 18, lat);
	if ((rc = spl_step_done(st, s, what)) < 0 ||
	    (rc = spl_audit(base, actor, info->change == STORE_UPDATED ? "update" : "create",
	                    "activity", a->external_id, a->kind)) < 0)
		return rc;
	return spl_bump_data_version(st);
}

int spl_list_activities(store *base, const struct store_activity_query *q, store_activity_fn fn,
                        void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_ACTIVITY_LIST);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, q->id);
	spl_bind_text(s, 2, q->service);
	spl_bind_text(s, 3, q->mahalla);
	spl_bind_text(s, 4, q->district);
	spl_bind_text(s, 5, q->task);
	spl_bind_time(s, 6, q->from);
	spl_bind_time(s, 7, q->to);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
#define TEXT(i) ((const char *)sqlite3_column_text(s, i))
		struct store_activity a = {
		    .external_id = TEXT(0),
		    .kind = TEXT(1),
		    .started = sqlite3_column_int64(s, 2),
		    .ended = spl_column_time(s, 3),
		    .place_kind = TEXT(4),
		    .place_ref = TEXT(5),
		    .lon = sqlite3_column_double(s, 6),
		    .lat = sqlite3_column_double(s, 7),
		    .service = TEXT(8),
		    .unit = TEXT(9),
		    .participants = sqlite3_column_type(s, 10) == SQLITE_NULL
		                        ? -1
		                        : (long)sqlite3_column_int64(s, 10),
		    .task = TEXT(11),
		    .outcome = TEXT(12),
		    .mahalla_code = TEXT(13),
		    .district_code = TEXT(14),
		    .author = TEXT(15),
		    .version = sqlite3_column_int(s, 16),
		    .updated = sqlite3_column_int64(s, 17),
		};
#undef TEXT
		rc = fn(ctx, &a);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading activities");
	sqlite3_reset(s);
	return rc;
}
