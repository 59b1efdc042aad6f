/*
 * spl_zone: the SpatiaLite backend's patrol zones, their assignments and
 * their kept versions (see spl.h). A replaced or deleted zone is kept whole
 * in patrol_zone_versions, its assignments as a JSON array, so that its
 * history outlives it.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A zone's assignments as a JSON array, as patrol_zone_versions keeps them. */
#define ZONE_ASSIGNMENTS_JSON                                                                      \
	"(SELECT json_group_array(json_object('service', a.service, 'unit', a.unit, "              \
	"'shift_start', a.shift_start, 'shift_end', a.shift_end, 'weekdays', a.weekdays)) "        \
	"FROM (SELECT * FROM zone_assignments WHERE zone_id = z.id ORDER BY id) a)"

#define ZONE_DISTRICT SPL_DISTRICT_AT("ST_PointOnSurface(GeomFromWKB(?8, 4326))")

static const char *const sql[ST_COUNT] = {
    [ST_ZONE_GET] = "SELECT id, row_hash, version FROM patrol_zones WHERE external_id = ?1",
    /* A zone deleted and made again goes on from its last kept version, so
     * a version number names one state of an id for good. */
    [ST_ZONE_INS] = "INSERT INTO patrol_zones(external_id, name, valid_from, valid_to, author, "
                    "version, row_hash, updated_at, geom, district_code) VALUES(?1, ?2, ?3, "
                    "?4, ?5, 1 + (SELECT coalesce(max(version), 0) FROM patrol_zone_versions "
                    "WHERE external_id = ?1), ?6, ?7, "
                    "CastToMultiPolygon(GeomFromWKB(?8, 4326)), " ZONE_DISTRICT ")",
    [ST_ZONE_UPD] =
        "UPDATE patrol_zones SET name = ?2, valid_from = ?3, valid_to = ?4, "
        "author = ?5, version = version + 1, row_hash = ?6, updated_at = ?7, "
        "geom = CastToMultiPolygon(GeomFromWKB(?8, 4326)), district_code = " ZONE_DISTRICT
        " WHERE id = ?1",
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
                     "AsGeoJSON(z.geom, 7), 1, AsBinary(z.geom), z.district_code FROM "
                     "patrol_zones z "
                     "WHERE (?1 IS NULL OR ((z.valid_from IS NULL OR z.valid_from <= ?1) AND "
                     "(z.valid_to IS NULL OR z.valid_to >= ?1))) AND (?2 IS NULL OR EXISTS "
                     "(SELECT 1 FROM zone_assignments a WHERE a.zone_id = z.id AND "
                     "a.service = ?2)) AND (?3 IS NULL OR z.external_id = ?3) "
                     "ORDER BY z.external_id",
    [ST_ZONE_HISTORY] =
        "SELECT external_id, version, name, valid_from, valid_to, author, "
        "replaced_at, deleted, assignments, "
        "AsGeoJSON(GeomFromWKB(geom_wkb, 4326), 7), 0, geom_wkb, " SPL_DISTRICT_AT(
            "ST_PointOnSurface(GeomFromWKB(geom_wkb, 4326))") " "
                                                              "FROM patrol_zone_versions WHERE "
                                                              "external_id = ?1 "
                                                              "ORDER BY version DESC",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_put_zone(store *base, const struct store_zone *z, const char *actor,
                 struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	unsigned char *fixed = NULL;
	const unsigned char *wkb = z->wkb;
	size_t wkb_len = z->wkb_len;
	int64_t id, old_hash = 0;
	char what[160];
	int rc;

	snprintf(what, sizeof what, "zone %s", z->external_id);
	rc = spl_check_polygon(st, what, &wkb, &wkb_len, &fixed, info);
	if (rc < 0)
		return rc;

	struct spl_hash hs;
	spl_hash_init(&hs);
	spl_hash_str(&hs, z->name);
	spl_hash_str(&hs, z->valid_from);
	spl_hash_str(&hs, z->valid_to);
	spl_hash_str(&hs, z->author);
	spl_hash_bytes(&hs, wkb, wkb_len);
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		spl_hash_str(&hs, a->service);
		spl_hash_str(&hs, a->unit);
		spl_hash_num(&hs, a->shift.start);
		spl_hash_num(&hs, a->shift.end);
		spl_hash_num(&hs, a->shift.weekdays);
	}
	int64_t hash = (int64_t)hs.h;

	if ((rc = spl_lookup(st, stmt(st, ST_ZONE_GET), z->external_id, &id, &old_hash)) < 0)
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
		if ((rc = spl_step_done(st, s, what)) < 0)
			goto out;
	}
	if (!(s = stmt(st, id ? ST_ZONE_UPD : ST_ZONE_INS))) {
		rc = ERR_DB;
		goto out;
	}
	spl_bind_key(s, id, z->external_id);
	spl_bind_text(s, 2, z->name);
	spl_bind_text(s, 3, z->valid_from);
	spl_bind_text(s, 4, z->valid_to);
	spl_bind_text(s, 5, z->author);
	sqlite3_bind_int64(s, 6, hash);
	sqlite3_bind_int64(s, 7, (int64_t)time(NULL));
	sqlite3_bind_blob(s, 8, wkb, (int)wkb_len, SQLITE_STATIC);
	if ((rc = spl_step_done(st, s, what)) < 0)
		goto out;
	if (!id)
		id = sqlite3_last_insert_rowid(st->db);
	if (!(s = stmt(st, ST_ZONE_DEL_ASSIGN))) {
		rc = ERR_DB;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	if ((rc = spl_step_done(st, s, what)) < 0)
		goto out;
	for (size_t i = 0; i < z->n_assignments; i++) {
		const struct store_assignment *a = &z->assignments[i];
		if (!(s = stmt(st, ST_ZONE_INS_ASSIGN))) {
			rc = ERR_DB;
			goto out;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, a->service, -1, SQLITE_STATIC);
		spl_bind_text(s, 3, a->unit);
		sqlite3_bind_int(s, 4, a->shift.start);
		sqlite3_bind_int(s, 5, a->shift.end);
		sqlite3_bind_int(s, 6, (int)a->shift.weekdays);
		if ((rc = spl_step_done(st, s, what)) < 0) {
			rc = err_set(rc, "%s: assignment %zu: %s", what, i + 1, err_msg());
			goto out;
		}
	}
	rc = spl_audit(base, actor ? actor : "posbon",
	               info->change == STORE_UPDATED ? "update" : "create", "zone", z->external_id,
	               NULL);
	if (rc == 0)
		rc = spl_bump_data_version(st);
out:
	sqlite3_free(fixed);
	return rc;
}

/* The store id and version of a zone; ERR_NOTFOUND when there is none. */
static int zone_row(struct spl *st, const char *external_id, int64_t *id, int *version)
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
		rc = spl_error(st, "looking up zone");
	sqlite3_reset(s);
	return rc;
}

int spl_zone_version(store *st, const char *external_id, int *version)
{
	int64_t id;
	return zone_row(spl_of(st), external_id, &id, version);
}

int spl_delete_zone(store *base, const char *external_id, const char *actor, int *version)
{
	struct spl *st = spl_of(base);
	int64_t id;
	int rc;
	char what[260];
	snprintf(what, sizeof what, "deleting zone %s", external_id);
	if ((rc = zone_row(st, external_id, &id, version)) < 0)
		return rc;
	/* The last version is kept like a replaced one, marked as deleted. */
	static const enum spl_stmt steps[] = {ST_ZONE_KEEP_VERSION, ST_ZONE_DEL_ASSIGN,
	                                      ST_ZONE_DEL};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *s = stmt(st, steps[i]);
		if (!s)
			return ERR_DB;
		sqlite3_bind_int64(s, 1, id);
		if (steps[i] == ST_ZONE_KEEP_VERSION) {
			sqlite3_bind_int64(s, 2, (int64_t)time(NULL));
			sqlite3_bind_int(s, 3, 1);
		}
		if ((rc = spl_step_done(st, s, what)) < 0)
			return rc;
	}
	if ((rc = spl_audit(base, actor ? actor : "posbon", "delete", "zone", external_id, NULL)) <
	    0)
		return rc;
	return spl_bump_data_version(st);
}

/* Reads a JSON array of assignments (as ZONE_ASSIGNMENTS_JSON makes it) into
 * a new array *out of *n (strings in one block with it; free(*out)). */
static int read_assignments(struct spl *st, const char *json, struct store_assignment **out,
                            size_t *n)
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
			                                   .shift.start = sqlite3_column_int(s, 2),
			                                   .shift.end = sqlite3_column_int(s, 3),
			                                   .shift.weekdays =
			                                       (unsigned)sqlite3_column_int(s, 4)};
		}
		if (r != SQLITE_DONE) {
			rc = spl_error(st, "reading zone assignments");
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
static int each_zone(struct spl *st, sqlite3_stmt *s, store_zone_fn fn, void *ctx, size_t *rows)
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
		z.zone.district_code = (const char *)sqlite3_column_text(s, 12);
		z.zone.wkb = sqlite3_column_blob(s, 11);
		z.zone.wkb_len = (size_t)sqlite3_column_bytes(s, 11);
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
		rc = spl_error(st, "reading zones");
	sqlite3_reset(s);
	return rc;
}

int spl_list_zones(store *base, const char *active_day, const char *service, const char *id,
                   store_zone_fn fn, void *ctx, size_t *rows)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_ZONE_LIST);
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, active_day);
	spl_bind_text(s, 2, service);
	spl_bind_text(s, 3, id);
	return each_zone(st, s, fn, ctx, rows);
}

int spl_zone_versions(store *base, const char *external_id, store_zone_fn fn, void *ctx,
                      size_t *rows)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_ZONE_HISTORY);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	return each_zone(st, s, fn, ctx, rows);
}
