/*
 * spl_standing: the SpatiaLite backend's mahalla standing, officials and
 * at-risk counts (see spl.h). A standing row is a category's period: the
 * current one has no end, and a new category ends it.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const sql[ST_COUNT] = {
    [ST_STANDING_CURRENT] = "SELECT id, category FROM standing WHERE mahalla_code = ?1 AND "
                            "until IS NULL ORDER BY since DESC LIMIT 1",
    [ST_STANDING_END] = "UPDATE standing SET until = ?2 WHERE id = ?1",
    [ST_STANDING_INS] = "INSERT INTO standing(mahalla_code, category, since, measures, reasons) "
                        "VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_STANDING_MEASURES] = "UPDATE standing SET measures = ?2, reasons = ?3 WHERE id = ?1",
    [ST_STANDING_LIST] = "SELECT mahalla_code, category, since, until, measures, reasons FROM "
                         "standing WHERE (?1 IS NULL AND until IS NULL) OR mahalla_code = ?1 "
                         "ORDER BY mahalla_code, since DESC, id DESC",
    [ST_OFFICIALS_DEL] = "DELETE FROM mahalla_officials WHERE mahalla_code = ?1",
    [ST_OFFICIALS_INS] = "INSERT INTO mahalla_officials(mahalla_code, position, role, name, "
                         "phone) VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_OFFICIALS_LIST] = "SELECT mahalla_code, role, name, phone FROM mahalla_officials WHERE "
                          "?1 IS NULL OR mahalla_code = ?1 ORDER BY mahalla_code, position",
    [ST_RISK_PUT] = "INSERT INTO risk_counts(mahalla_code, grp, count, service, updated_at, "
                    "author) VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(mahalla_code, grp) DO "
                    "UPDATE SET count = excluded.count, service = excluded.service, updated_at "
                    "= excluded.updated_at, author = excluded.author",
    [ST_RISK_LIST] = "SELECT mahalla_code, grp, count, service, updated_at, author FROM "
                     "risk_counts WHERE ?1 IS NULL OR mahalla_code = ?1 ORDER BY mahalla_code, "
                     "grp",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_standing_record(store *base, const struct store_standing *s, int *changed)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *q = stmt(st, ST_STANDING_CURRENT);
	int64_t current = 0;
	int same = 0, rc;
	if (!q)
		return ERR_DB;
	sqlite3_bind_text(q, 1, s->mahalla, -1, SQLITE_STATIC);
	int r = sqlite3_step(q);
	if (r == SQLITE_ROW) {
		current = sqlite3_column_int64(q, 0);
		same = strcmp((const char *)sqlite3_column_text(q, 1), s->category) == 0;
	}
	sqlite3_reset(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return spl_error(st, "standing");
	if (same) {
		if (!(q = stmt(st, ST_STANDING_MEASURES)))
			return ERR_DB;
		sqlite3_bind_int64(q, 1, current);
		sqlite3_bind_text(q, 2, s->measures, -1, SQLITE_STATIC);
		spl_bind_text(q, 3, s->reasons);
		return spl_step_done(st, q, "standing");
	}
	if (current) {
		if (!(q = stmt(st, ST_STANDING_END)))
			return ERR_DB;
		sqlite3_bind_int64(q, 1, current);
		sqlite3_bind_int64(q, 2, s->since);
		if ((rc = spl_step_done(st, q, "standing")) < 0)
			return rc;
	}
	if (!(q = stmt(st, ST_STANDING_INS)))
		return ERR_DB;
	sqlite3_bind_text(q, 1, s->mahalla, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, s->since);
	sqlite3_bind_text(q, 4, s->measures, -1, SQLITE_STATIC);
	spl_bind_text(q, 5, s->reasons);
	if ((rc = spl_step_done(st, q, "standing")) < 0 ||
	    (rc = spl_audit(base, "posbon", "update", "standing", s->mahalla, s->category)) < 0)
		return rc;
	*changed = 1;
	return spl_bump_data_version(st);
}

int spl_list_standing(store *base, const char *mahalla, store_standing_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_STANDING_LIST);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, mahalla);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_standing row = {.mahalla = (const char *)sqlite3_column_text(s, 0),
		                             .category = (const char *)sqlite3_column_text(s, 1),
		                             .since = sqlite3_column_int64(s, 2),
		                             .until = spl_column_time(s, 3),
		                             .measures = (const char *)sqlite3_column_text(s, 4),
		                             .reasons = (const char *)sqlite3_column_text(s, 5)};
		rc = fn(ctx, &row);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading the standing");
	sqlite3_reset(s);
	return rc;
}

int spl_set_officials(store *base, const char *mahalla, const struct store_official *o, size_t n,
                      const char *actor)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_OFFICIALS_DEL);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, mahalla, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "officials")) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!(s = stmt(st, ST_OFFICIALS_INS)))
			return ERR_DB;
		sqlite3_bind_text(s, 1, mahalla, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, (int)i);
		sqlite3_bind_text(s, 3, o[i].role, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, o[i].name, -1, SQLITE_STATIC);
		spl_bind_text(s, 5, o[i].phone);
		if ((rc = spl_step_done(st, s, "officials")) < 0)
			return rc;
	}
	if ((rc = spl_audit(base, actor, "update", "officials", mahalla, NULL)) < 0)
		return rc;
	return spl_bump_data_version(st);
}

int spl_list_officials(store *base, const char *mahalla, store_official_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_OFFICIALS_LIST);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, mahalla);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_official o = {.role = (const char *)sqlite3_column_text(s, 1),
		                           .name = (const char *)sqlite3_column_text(s, 2),
		                           .phone = (const char *)sqlite3_column_text(s, 3)};
		rc = fn(ctx, (const char *)sqlite3_column_text(s, 0), &o);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading officials");
	sqlite3_reset(s);
	return rc;
}

int spl_put_risk_count(store *base, const struct store_risk_count *r)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_RISK_PUT);
	int rc;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, r->mahalla, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->group, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, r->count);
	spl_bind_text(s, 4, r->service);
	sqlite3_bind_int64(s, 5, (int64_t)time(NULL));
	sqlite3_bind_text(s, 6, r->author, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "at-risk count")) < 0)
		return rc;
	char what[160];
	snprintf(what, sizeof what, "%s %ld", r->group, r->count);
	if ((rc = spl_audit(base, r->author, "update", "risk count", r->mahalla, what)) < 0)
		return rc;
	return spl_bump_data_version(st);
}

int spl_list_risk_counts(store *base, const char *mahalla, store_risk_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_RISK_LIST);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, mahalla);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_risk_count c = {.mahalla = (const char *)sqlite3_column_text(s, 0),
		                             .group = (const char *)sqlite3_column_text(s, 1),
		                             .count = (long)sqlite3_column_int64(s, 2),
		                             .service = (const char *)sqlite3_column_text(s, 3),
		                             .updated = sqlite3_column_int64(s, 4),
		                             .author = (const char *)sqlite3_column_text(s, 5)};
		rc = fn(ctx, &c);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading at-risk counts");
	sqlite3_reset(s);
	return rc;
}
