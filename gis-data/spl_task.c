/*
 * spl_task: the SpatiaLite backend's tasks between services (see spl.h).
 * A task's receivers are rows of task_receivers (unit '' for a whole
 * service, so that the key holds); every change is a row of task_log
 * under the version it made, and an audit row.
 */
#include "spl.h"

#include "err.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The mahalla holding point g, SQL. */
#define TASK_MAHALLA_AT(g)                                                                         \
	"(SELECT m.code FROM mahallas m WHERE MbrIntersects(m.geom, " g                            \
	") AND ST_Covers(m.geom, " g ") ORDER BY m.id LIMIT 1)"

static const char *const sql[ST_COUNT] = {
    /* The point of a place, its mahalla and its district: a code's area (a
     * point of its surface) or the given point. */
    [ST_PLACE] =
        "SELECT X(g), Y(g), CASE ?1 WHEN 'mahalla' THEN ?2 WHEN 'district' THEN NULL "
        "ELSE " TASK_MAHALLA_AT(
            "g") " END, CASE ?1 WHEN 'district' THEN ?2 "
                 "WHEN 'mahalla' THEN (SELECT district_code FROM mahallas WHERE code = ?2) "
                 "WHEN 'zone' THEN (SELECT district_code FROM patrol_zones WHERE external_id = ?2) "
                 "ELSE " SPL_DISTRICT_AT(
                     "g") " END FROM (SELECT CASE ?1 "
                          "WHEN 'mahalla' THEN (SELECT ST_PointOnSurface(geom) FROM mahallas WHERE "
                          "code = ?2) "
                          "WHEN 'district' THEN (SELECT ST_PointOnSurface(geom) FROM districts "
                          "WHERE code = ?2) "
                          "WHEN 'zone' THEN (SELECT ST_PointOnSurface(geom) FROM patrol_zones "
                          "WHERE external_id = ?2) ELSE MakePoint(?3, ?4, 4326) END AS g)",
    [ST_TASK_GET] = "SELECT id, version FROM tasks WHERE external_id = ?1",
    [ST_TASK_INS] = "INSERT INTO tasks(external_id, place_kind, place_ref, mahalla_code, "
                    "district_code, body, from_service, from_unit, due, priority, author, "
                    "created_at, updated_at, version, geom) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8, ?9, ?10, ?11, ?12, ?12, 1, MakePoint(?13, ?14, 4326))",
    /* A receiver already named keeps its row (an edit of the receivers). */
    [ST_TASK_RECV_INS] = "INSERT OR IGNORE INTO task_receivers(task_id, service, unit, status, "
                         "updated_at) VALUES(?1, ?2, coalesce(?3, ''), 'new', ?4)",
    /* The receivers not in ?2, a JSON array of [service, unit or ""]. */
    [ST_TASK_RECV_DROP] = "DELETE FROM task_receivers WHERE task_id = ?1 AND NOT EXISTS (SELECT "
                          "1 FROM json_each(?2) j WHERE json_extract(j.value, '$[0]') = service "
                          "AND json_extract(j.value, '$[1]') = unit)",
    [ST_TASK_RECV_SET] = "UPDATE task_receivers SET status = ?4, note = ?5, updated_at = ?6 "
                         "WHERE task_id = ?1 AND service = ?2 AND unit = coalesce(?3, '')",
    /* "" clears the due day. */
    [ST_TASK_EDIT] = "UPDATE tasks SET body = coalesce(?2, body), due = CASE WHEN ?3 IS NULL "
                     "THEN due ELSE nullif(?3, '') END, priority = coalesce(?4, priority) "
                     "WHERE id = ?1",
    [ST_TASK_BUMP] = "UPDATE tasks SET version = ?2, updated_at = ?3 WHERE id = ?1",
    [ST_TASK_LOG_INS] = "INSERT INTO task_log(task_id, version, at, actor, action, service, "
                        "unit, status, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_TASK_LIST] =
        "SELECT t.external_id, t.place_kind, t.place_ref, X(t.geom), Y(t.geom), t.body, "
        "t.from_service, t.from_unit, t.due, t.priority, t.mahalla_code, t.district_code, "
        "t.author, t.version, t.created_at, t.updated_at, (SELECT json_group_array("
        "json_array(r.service, r.unit, r.status, r.note)) FROM (SELECT * FROM task_receivers "
        "WHERE task_id = t.id ORDER BY rowid) r) FROM tasks t "
        "WHERE (?1 IS NULL OR t.external_id = ?1) AND (?2 IS NULL OR t.from_service = ?2 OR "
        "EXISTS (SELECT 1 FROM task_receivers r WHERE r.task_id = t.id AND r.service = ?2)) "
        "AND (?3 IS NULL OR t.mahalla_code = ?3) AND (?4 IS NULL OR t.district_code = ?4) "
        "AND (?5 = 0 OR EXISTS (SELECT 1 FROM task_receivers r WHERE r.task_id = t.id AND "
        "r.status NOT IN ('done', 'declined'))) "
        "ORDER BY t.due IS NULL, t.due, t.external_id",
    [ST_TASK_LOG] = "SELECT l.version, l.at, l.actor, l.action, l.service, nullif(l.unit, ''), "
                    "l.status, l.note FROM task_log l WHERE l.task_id = ?1 ORDER BY l.rowid",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

/* The row id and version of task id: ERR_NOTFOUND naming "id" when none. */
static int task_row(struct spl *st, const char *id, int64_t *row, int *version)
{
	sqlite3_stmt *s = stmt(st, ST_TASK_GET);
	int rc = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*row = sqlite3_column_int64(s, 0);
		*version = sqlite3_column_int(s, 1);
	} else if (r == SQLITE_DONE)
		rc = err_set_field(ERR_NOTFOUND, "id", "no task has the id '%s'", id);
	else
		rc = spl_error(st, "looking up task");
	sqlite3_reset(s);
	return rc;
}

int spl_place(struct spl *st, const char *kind, const char *ref, double *lon, double *lat,
              char *mahalla, char *district, size_t n)
{
	sqlite3_stmt *s = stmt(st, ST_PLACE);
	int rc = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	spl_bind_text(s, 2, ref);
	sqlite3_bind_double(s, 3, *lon);
	sqlite3_bind_double(s, 4, *lat);
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = spl_error(st, "place");
	else if (sqlite3_column_type(s, 0) == SQLITE_NULL)
		rc = err_set_field(ERR_NOTFOUND, "place.code",
		                   "place.code: no %s has the code '%s'", kind, ref ? ref : "");
	else {
		*lon = sqlite3_column_double(s, 0);
		*lat = sqlite3_column_double(s, 1);
		snprintf(mahalla, n, "%s",
		         sqlite3_column_text(s, 2) ? (const char *)sqlite3_column_text(s, 2) : "");
		snprintf(district, n, "%s",
		         sqlite3_column_text(s, 3) ? (const char *)sqlite3_column_text(s, 3) : "");
	}
	sqlite3_reset(s);
	return rc;
}

/* Appends an entry to task row's log under version. */
static int log_entry(struct spl *st, int64_t row, int version, int64_t now, const char *actor,
                     const char *action, const char *service, const char *unit, const char *status,
                     const char *note)
{
	sqlite3_stmt *s = stmt(st, ST_TASK_LOG_INS);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int(s, 2, version);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_text(s, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, action, -1, SQLITE_STATIC);
	spl_bind_text(s, 6, service);
	spl_bind_text(s, 7, unit);
	spl_bind_text(s, 8, status);
	spl_bind_text(s, 9, note);
	return spl_step_done(st, s, "task log");
}

/* Adds the receivers to[n] not yet of task row, as new. */
static int add_receivers(struct spl *st, int64_t row, const struct store_task_receiver *to,
                         size_t n, int64_t now)
{
	int rc;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = stmt(st, ST_TASK_RECV_INS);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, row);
		sqlite3_bind_text(s, 2, to[i].service, -1, SQLITE_STATIC);
		spl_bind_text(s, 3, to[i].unit);
		sqlite3_bind_int64(s, 4, now);
		if ((rc = spl_step_done(st, s, "task receiver")) < 0)
			return rc;
	}
	return 0;
}

/* Makes to[n] the receivers of task row: the others dropped, the new
 * ones added. */
static int set_receivers(struct spl *st, int64_t row, const struct store_task_receiver *to,
                         size_t n, int64_t now)
{
	json_t *keep = json_array();
	char *text = NULL;
	int rc;
	for (size_t i = 0; keep && i < n; i++)
		if (json_array_append_new(keep, json_pack("[s, s]", to[i].service,
		                                          to[i].unit ? to[i].unit : "")) < 0) {
			json_decref(keep);
			keep = NULL;
		}
	if (!keep || !(text = json_dumps(keep, JSON_COMPACT))) {
		rc = err_set(ERR_NOMEM, "store: out of memory");
		goto cleanup;
	}
	sqlite3_stmt *s = stmt(st, ST_TASK_RECV_DROP);
	if (!s) {
		rc = ERR_DB;
		goto cleanup;
	}
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, "task receivers")) == 0)
		rc = add_receivers(st, row, to, n, now);
cleanup:
	free(text);
	json_decref(keep);
	return rc;
}

int spl_task_add(store *base, const struct store_task *t, const char *actor)
{
	struct spl *st = spl_of(base);
	int64_t row;
	int version, rc;
	char mahalla[256] = "", district[256] = "";
	double lon = t->lon, lat = t->lat;
	int64_t now = (int64_t)time(NULL);

	rc = task_row(st, t->external_id, &row, &version);
	if (rc == 0)
		return err_set_field(ERR_CONFLICT, "id", "task '%s' exists (version %d)",
		                     t->external_id, version);
	if (rc != ERR_NOTFOUND)
		return rc;
	if ((rc = spl_place(st, t->place_kind, t->place_ref, &lon, &lat, mahalla, district,
	                    sizeof mahalla)) < 0)
		return rc;
	sqlite3_stmt *s;
	if (!(s = stmt(st, ST_TASK_INS)))
		return ERR_DB;
	sqlite3_bind_text(s, 1, t->external_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, t->place_kind, -1, SQLITE_STATIC);
	spl_bind_text(s, 3, t->place_ref);
	spl_bind_text(s, 4, mahalla);
	spl_bind_text(s, 5, district);
	sqlite3_bind_text(s, 6, t->text, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, t->from_service, -1, SQLITE_STATIC);
	spl_bind_text(s, 8, t->from_unit);
	spl_bind_text(s, 9, t->due);
	sqlite3_bind_text(s, 10, t->priority ? t->priority : "normal", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 12, now);
	sqlite3_bind_double(s, 13, lon);
	sqlite3_bind_double(s, 14, lat);
	if ((rc = spl_step_done(st, s, "task")) < 0)
		return rc;
	row = sqlite3_last_insert_rowid(st->db);
	if ((rc = add_receivers(st, row, t->to, t->n_to, now)) < 0)
		return rc;
	if ((rc = log_entry(st, row, 1, now, actor, "create", NULL, NULL, "new", NULL)) < 0 ||
	    (rc = spl_audit(base, actor, "create", "task", t->external_id, NULL)) < 0)
		return rc;
	return spl_bump_data_version(st);
}

int spl_task_change(store *base, const char *id, const struct store_task_change *c,
                    const char *actor, int *version)
{
	struct spl *st = spl_of(base);
	int64_t row, now = (int64_t)time(NULL);
	int rc;
	sqlite3_stmt *s;
	if ((rc = task_row(st, id, &row, version)) < 0)
		return rc;
	int v = ++*version;
	if (c->status) {
		if (!(s = stmt(st, ST_TASK_RECV_SET)))
			return ERR_DB;
		sqlite3_bind_int64(s, 1, row);
		sqlite3_bind_text(s, 2, c->service, -1, SQLITE_STATIC);
		spl_bind_text(s, 3, c->unit);
		sqlite3_bind_text(s, 4, c->status, -1, SQLITE_STATIC);
		spl_bind_text(s, 5, c->note);
		sqlite3_bind_int64(s, 6, now);
		if ((rc = spl_step_done(st, s, "task receiver")) < 0)
			return rc;
		if (sqlite3_changes(st->db) == 0)
			return err_set_field(ERR_NOTFOUND, "receiver",
			                     "receiver: %s%s%s is not a receiver of task '%s'",
			                     c->service, c->unit ? "/" : "", c->unit ? c->unit : "",
			                     id);
		if ((rc = log_entry(st, row, v, now, actor, "status", c->service, c->unit,
		                    c->status, c->note)) < 0)
			return rc;
	}
	if (c->text || c->due || c->priority || c->to) {
		char what[64];
		size_t n = (size_t)snprintf(what, sizeof what, "%s%s%s%s", c->text ? "text " : "",
		                            c->due ? "due " : "", c->priority ? "priority " : "",
		                            c->to ? "to " : "");
		what[n - 1] = '\0'; /* the last space */
		if (!(s = stmt(st, ST_TASK_EDIT)))
			return ERR_DB;
		sqlite3_bind_int64(s, 1, row);
		spl_bind_text(s, 2, c->text);
		if (c->due)
			sqlite3_bind_text(s, 3, c->due, -1, SQLITE_STATIC);
		spl_bind_text(s, 4, c->priority);
		if ((rc = spl_step_done(st, s, "task")) < 0 ||
		    (c->to && (rc = set_receivers(st, row, c->to, c->n_to, now)) < 0) ||
		    (rc = log_entry(st, row, v, now, actor, "edit", NULL, NULL, NULL, what)) < 0)
			return rc;
	}
	if (c->comment &&
	    (rc = log_entry(st, row, v, now, actor, "comment", NULL, NULL, NULL, c->comment)) < 0)
		return rc;
	if (!(s = stmt(st, ST_TASK_BUMP)))
		return ERR_DB;
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int(s, 2, v);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = spl_step_done(st, s, "task")) < 0 ||
	    (rc = spl_audit(base, actor, "update", "task", id, c->status)) < 0)
		return rc;
	return spl_bump_data_version(st);
}

/* The receivers of a task row from their JSON array of [service, unit,
 * status, note] into to[] (borrowing from doc); the count. */
static size_t read_receivers(json_t *doc, struct store_task_receiver *to)
{
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(doc, i, r)
	{
		if (n == STORE_TASK_RECEIVERS_MAX)
			break;
		const char *unit = json_string_value(json_array_get(r, 1));
		to[n++] = (struct store_task_receiver){
		    .service = json_string_value(json_array_get(r, 0)),
		    .unit = unit && *unit ? unit : NULL,
		    .status = json_string_value(json_array_get(r, 2)),
		    .note = json_string_value(json_array_get(r, 3)),
		};
	}
	return n;
}

int spl_list_tasks(store *base, const struct store_task_query *q, store_task_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_TASK_LIST);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, q->id);
	spl_bind_text(s, 2, q->service);
	spl_bind_text(s, 3, q->mahalla);
	spl_bind_text(s, 4, q->district);
	sqlite3_bind_int(s, 5, q->open);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
#define TEXT(i) ((const char *)sqlite3_column_text(s, i))
		struct store_task_receiver to[STORE_TASK_RECEIVERS_MAX];
		json_t *doc = json_loads(TEXT(16) ? TEXT(16) : "[]", 0, NULL);
		if (!doc) {
			rc = err_set(ERR_NOMEM, "store: out of memory");
			break;
		}
		struct store_task t = {
		    .external_id = TEXT(0),
		    .place_kind = TEXT(1),
		    .place_ref = TEXT(2),
		    .lon = sqlite3_column_double(s, 3),
		    .lat = sqlite3_column_double(s, 4),
		    .text = TEXT(5),
		    .from_service = TEXT(6),
		    .from_unit = TEXT(7),
		    .due = TEXT(8),
		    .priority = TEXT(9),
		    .mahalla_code = TEXT(10),
		    .district_code = TEXT(11),
		    .author = TEXT(12),
		    .version = sqlite3_column_int(s, 13),
		    .created = sqlite3_column_int64(s, 14),
		    .updated = sqlite3_column_int64(s, 15),
		    .to = to,
		    .n_to = read_receivers(doc, to),
		};
#undef TEXT
		t.status = store_task_status(&t);
		rc = fn(ctx, &t);
		json_decref(doc);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading tasks");
	sqlite3_reset(s);
	return rc;
}

int spl_task_log(store *base, const char *id, store_task_entry_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	int64_t row;
	int version, rc, r = SQLITE_DONE;
	if ((rc = task_row(st, id, &row, &version)) < 0)
		return rc;
	sqlite3_stmt *s = stmt(st, ST_TASK_LOG);
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, row);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_task_entry e = {
		    .version = sqlite3_column_int(s, 0),
		    .at = sqlite3_column_int64(s, 1),
		    .actor = (const char *)sqlite3_column_text(s, 2),
		    .action = (const char *)sqlite3_column_text(s, 3),
		    .service = (const char *)sqlite3_column_text(s, 4),
		    .unit = (const char *)sqlite3_column_text(s, 5),
		    .status = (const char *)sqlite3_column_text(s, 6),
		    .note = (const char *)sqlite3_column_text(s, 7),
		};
		rc = fn(ctx, &e);
	}
	if (rc == 0 && r != SQLITE_DONE && r != SQLITE_ROW)
		rc = spl_error(st, "reading a task's log");
	sqlite3_reset(s);
	return rc;
}
