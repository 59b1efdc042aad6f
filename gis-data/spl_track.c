/*
 * spl_track: the SpatiaLite backend's patrol tracks, the units' last
 * positions, the change feed's reads and the audit trail (see spl.h). A
 * track is one LINESTRING M row, the fix times as M.
 */
#include "spl.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TRACK_DISTRICT SPL_DISTRICT_AT("StartPoint(GeomFromWKB(?9, 4326))")

static const char *const sql[ST_COUNT] = {
    [ST_TRACK_GET] = "SELECT id, row_hash FROM patrol_tracks WHERE external_id = ?1",
    [ST_TRACK_INS] = "INSERT INTO patrol_tracks(external_id, unit, service, started_at, "
                     "ended_at, n_fixes, row_hash, updated_at, geom, district_code) VALUES(?1, "
                     "?2, ?3, ?4, ?5, ?6, ?7, ?8, GeomFromWKB(?9, 4326), " TRACK_DISTRICT ")",
    [ST_TRACK_UPD] =
        "UPDATE patrol_tracks SET unit = ?2, service = ?3, started_at = ?4, "
        "ended_at = ?5, n_fixes = ?6, row_hash = ?7, updated_at = ?8, "
        "geom = GeomFromWKB(?9, 4326), district_code = " TRACK_DISTRICT " WHERE id = ?1",
    [ST_TRACK_DISTRICT] = "SELECT district_code FROM patrol_tracks WHERE external_id = ?1",
    [ST_TRACK_FIXES] = "SELECT AsBinary(geom) FROM patrol_tracks WHERE external_id = ?1",
    [ST_TRACK_LIST] = "SELECT external_id, unit, service, AsBinary(geom), district_code FROM "
                      "patrol_tracks "
                      "WHERE (?1 IS NULL OR ended_at >= ?1) AND (?2 IS NULL OR started_at <= ?2) "
                      "ORDER BY started_at, id",
    /* Each unit's latest track (the last by id on ties) and its last fix. */
    [ST_UNITS] = "SELECT unit, service, ended_at, ST_X(EndPoint(geom)), ST_Y(EndPoint(geom)), "
                 "district_code "
                 "FROM patrol_tracks t WHERE id = (SELECT id FROM patrol_tracks u WHERE "
                 "u.unit = t.unit ORDER BY ended_at DESC, id DESC LIMIT 1) AND "
                 "(?1 IS NULL OR ended_at >= ?1) ORDER BY unit",
    [ST_CHANGES] = "SELECT seq, at, entity, entity_id, action, version, district_code FROM "
                   "changes WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    [ST_CHANGE_HEAD] = "SELECT coalesce(max(seq), 0) FROM changes",
    [ST_AUDIT] = "INSERT INTO audit(at, actor, action, entity, entity_id, detail) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
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

int spl_put_track(store *base, const struct store_track *t, struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	unsigned char *wkb = NULL;
	size_t wkb_len = 0;
	int64_t id, old_hash = 0;
	int rc = 0;

	if (!(wkb = track_wkb(t, &wkb_len)))
		return err_set(ERR_NOMEM, "store: out of memory");

	struct spl_hash hs;
	spl_hash_init(&hs);
	spl_hash_str(&hs, t->unit);
	spl_hash_str(&hs, t->service);
	spl_hash_bytes(&hs, wkb, wkb_len);
	int64_t hash = (int64_t)hs.h;

	if ((rc = spl_lookup(st, stmt(st, ST_TRACK_GET), t->external_id, &id, &old_hash)) < 0)
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
	spl_bind_key(s, id, t->external_id);
	spl_bind_text(s, 2, t->unit);
	spl_bind_text(s, 3, t->service);
	sqlite3_bind_int64(s, 4, t->fixes[0].t);
	sqlite3_bind_int64(s, 5, t->fixes[t->n_fixes - 1].t);
	sqlite3_bind_int64(s, 6, (int64_t)t->n_fixes);
	sqlite3_bind_int64(s, 7, hash);
	sqlite3_bind_int64(s, 8, (int64_t)time(NULL));
	sqlite3_bind_blob(s, 9, wkb, (int)wkb_len, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, t->external_id)) < 0) {
		rc = err_set(rc, "track %s: %s", t->external_id, err_msg());
		goto out;
	}
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	rc = spl_bump_data_version(st);
out:
	/* Where the store placed it, for the caller's scope check. */
	if (rc == 0)
		rc = spl_text_by_key(st, stmt(st, ST_TRACK_DISTRICT), t->external_id,
		                     info->district, sizeof info->district);
	free(wkb);
	return rc;
}

/* The fixes of a LINESTRING M as ISO WKB (type 2002, little-endian, as
 * track_wkb() writes it and SpatiaLite's AsBinary() returns it) as a new
 * array *v (free()) of *n; ERR_GEOMETRY for anything else. */
static int read_fixes(const char *what, const unsigned char *b, size_t len, struct store_fix **v,
                      size_t *n)
{
	uint32_t type, count;
	*v = NULL;
	*n = 0;
	if (!b || len < 9 || b[0] != 1)
		return err_set(ERR_GEOMETRY, "%s: unreadable WKB", what);
	memcpy(&type, b + 1, 4);
	memcpy(&count, b + 5, 4);
	if ((type != 2002 && type != 0x40000002) || (len - 9) != (size_t)count * 24)
		return err_set(ERR_GEOMETRY, "%s: not a LINESTRING M", what);
	if (!(*v = malloc(((size_t)count + 1) * sizeof **v)))
		return err_set(ERR_NOMEM, "store: out of memory");
	for (uint32_t i = 0; i < count; i++) {
		double m;
		const unsigned char *p = b + 9 + 24 * (size_t)i;
		memcpy(&(*v)[i].lon, p, 8);
		memcpy(&(*v)[i].lat, p + 8, 8);
		memcpy(&m, p + 16, 8);
		if (!(m > -9.2e18 && m < 9.2e18)) {
			free(*v);
			*v = NULL;
			return err_set(ERR_GEOMETRY, "%s: fix %u has no time", what,
			               (unsigned)i + 1);
		}
		(*v)[i].t = (int64_t)m;
	}
	*n = count;
	return 0;
}

int spl_track_fixes(store *base, const char *external_id, struct store_fix **fixes, size_t *n)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TRACK_FIXES);
	int rc = 0;
	*fixes = NULL;
	*n = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		rc = read_fixes(external_id, sqlite3_column_blob(s, 0),
		                (size_t)sqlite3_column_bytes(s, 0), fixes, n);
	else if (r != SQLITE_DONE)
		rc = spl_error(st, "reading a track");
	sqlite3_reset(s);
	return rc;
}

int spl_list_tracks(store *base, int64_t from, int64_t to, store_track_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TRACK_LIST);
	struct store_fix *fixes = NULL;
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_time(s, 1, from);
	spl_bind_time(s, 2, to);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_track t = {.external_id = (const char *)sqlite3_column_text(s, 0),
		                        .unit = (const char *)sqlite3_column_text(s, 1),
		                        .service = (const char *)sqlite3_column_text(s, 2),
		                        .district_code = (const char *)sqlite3_column_text(s, 4)};
		struct store_fix *v;
		if ((rc = read_fixes(t.external_id, sqlite3_column_blob(s, 3),
		                     (size_t)sqlite3_column_bytes(s, 3), &v, &t.n_fixes)) < 0)
			break;
		free(fixes);
		fixes = v;
		t.fixes = v;
		rc = fn(ctx, &t);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading tracks");
	sqlite3_reset(s);
	free(fixes);
	return rc;
}

int spl_list_units(store *base, int64_t since, store_unit_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_UNITS);
	int rc = 0, r;
	if (!s)
		return ERR_DB;
	spl_bind_time(s, 1, since);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_unit u = {.unit = (const char *)sqlite3_column_text(s, 0),
		                       .service = (const char *)sqlite3_column_text(s, 1),
		                       .last = {sqlite3_column_double(s, 3),
		                                sqlite3_column_double(s, 4),
		                                sqlite3_column_int64(s, 2)},
		                       .district_code = (const char *)sqlite3_column_text(s, 5)};
		rc = fn(ctx, &u);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "listing units");
	sqlite3_reset(s);
	return rc;
}

int spl_audit(store *base, const char *actor, const char *action, const char *entity,
              const char *entity_id, const char *detail)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_AUDIT);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, (int64_t)time(NULL));
	spl_bind_text(s, 2, actor);
	spl_bind_text(s, 3, action);
	spl_bind_text(s, 4, entity);
	spl_bind_text(s, 5, entity_id);
	spl_bind_text(s, 6, detail);
	return spl_step_done(st, s, "audit");
}

int spl_list_changes(store *base, int64_t since, int limit, store_feed_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CHANGES);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int(s, 2, limit);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_feed_entry c = {.seq = sqlite3_column_int64(s, 0),
		                             .at = sqlite3_column_int64(s, 1),
		                             .entity = (const char *)sqlite3_column_text(s, 2),
		                             .id = (const char *)sqlite3_column_text(s, 3),
		                             .action = (const char *)sqlite3_column_text(s, 4),
		                             .version = sqlite3_column_int(s, 5),
		                             .district = (const char *)sqlite3_column_text(s, 6)};
		rc = fn(ctx, &c);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading changes");
	sqlite3_reset(s);
	return rc;
}

int spl_change_head(store *base, int64_t *seq)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CHANGE_HEAD);
	int rc = 0;
	if (!s)
		return ERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW)
		*seq = sqlite3_column_int64(s, 0);
	else
		rc = spl_error(st, "reading changes");
	sqlite3_reset(s);
	return rc;
}
