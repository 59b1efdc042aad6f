/*
 * spl_put: the SpatiaLite backend's writes of districts, mahallas, codes and
 * offences (see spl.h). An offence with a point gets its mahalla and its
 * district from the connection's locators, loaded on the first such offence
 * and dropped when an area of their kind changes; outside every district's
 * polygon, or without a point, its mahalla's district is its own.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A mahalla's district: the one named (?5), else the district holding a
 * point of its surface (?11, its WKB). */
#define MAHALLA_DISTRICT                                                                           \
	"coalesce(?5, " SPL_DISTRICT_AT("ST_PointOnSurface(GeomFromWKB(?11, 4326))") ")"

/* A district's region: the one holding a point of its surface (?7). */
#define DISTRICT_REGION SPL_REGION_AT("ST_PointOnSurface(GeomFromWKB(?7, 4326))")

static const char *const sql[ST_COUNT] = {
    /* A district's hash leaves out its time zone, which a re-import without
     * one keeps: a zone given (?2) and different from the stored one makes
     * the row differ. */
    [ST_AREA_GET + STORE_DISTRICTS] =
        "SELECT id, row_hash + (?2 IS NOT NULL AND ?2 IS NOT tz) FROM districts WHERE code = ?1",
    [ST_AREA_INS + STORE_DISTRICTS] =
        "INSERT INTO districts(code, name_uz, name_ru, name_en, row_hash, "
        "updated_at, geom, tz, region_code) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
        "CastToMultiPolygon(GeomFromWKB(?7, 4326)), ?8, " DISTRICT_REGION ")",
    [ST_AREA_UPD + STORE_DISTRICTS] =
        "UPDATE districts SET name_uz = ?2, name_ru = ?3, name_en = ?4, "
        "row_hash = ?5, updated_at = ?6, "
        "geom = CastToMultiPolygon(GeomFromWKB(?7, 4326)), tz = coalesce(?8, tz), "
        "region_code = " DISTRICT_REGION " WHERE id = ?1",
    [ST_AREA_GET + STORE_REGIONS] = "SELECT id, row_hash FROM regions WHERE code = ?1",
    [ST_AREA_INS + STORE_REGIONS] =
        "INSERT INTO regions(code, name_uz, name_ru, name_en, row_hash, updated_at, geom) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, CastToMultiPolygon(GeomFromWKB(?7, 4326)))",
    [ST_AREA_UPD + STORE_REGIONS] =
        "UPDATE regions SET name_uz = ?2, name_ru = ?3, name_en = ?4, row_hash = ?5, "
        "updated_at = ?6, geom = CastToMultiPolygon(GeomFromWKB(?7, 4326)) WHERE id = ?1",
    [ST_REGION_PLACE] =
        "UPDATE districts SET region_code = " SPL_REGION_AT("ST_PointOnSurface(districts.geom)"),
    [ST_AREA_GET + STORE_MAHALLAS] = "SELECT id, row_hash FROM mahallas WHERE code = ?1",
    [ST_AREA_INS + STORE_MAHALLAS] =
        "INSERT INTO mahallas(code, name_uz, name_ru, name_en, district_code, "
        "population, households, inspector, row_hash, updated_at, geom) "
        "VALUES(?1, ?2, ?3, ?4, " MAHALLA_DISTRICT ", ?6, ?7, ?8, ?9, ?10, "
        "CastToMultiPolygon(GeomFromWKB(?11, 4326)))",
    [ST_AREA_UPD + STORE_MAHALLAS] =
        "UPDATE mahallas SET name_uz = ?2, name_ru = ?3, name_en = ?4, "
        "district_code = " MAHALLA_DISTRICT ", population = ?6, households = ?7, inspector = ?8, "
        "row_hash = ?9, updated_at = ?10, "
        "geom = CastToMultiPolygon(GeomFromWKB(?11, 4326)) WHERE id = ?1",
    [ST_CODE_PUT + STORE_CATEGORIES] =
        "INSERT INTO categories(code, name_uz, name_ru, name_en, colour, weight) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET "
        "name_uz = ?2, name_ru = ?3, name_en = ?4, colour = ?5, weight = ?6",
    [ST_CODE_PUT + STORE_SERVICES] =
        "INSERT INTO services(code, name_uz, name_ru, name_en, colour) "
        "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(code) DO UPDATE SET "
        "name_uz = ?2, name_ru = ?3, name_en = ?4, colour = ?5",
    [ST_CODE_ENSURE + STORE_CATEGORIES] =
        "INSERT OR IGNORE INTO categories(code, name_en) VALUES(?1, ?2)",
    [ST_CODE_ENSURE + STORE_SERVICES] =
        "INSERT OR IGNORE INTO services(code, name_en) VALUES(?1, ?2)",
    [ST_OFFENCE_GET] = "SELECT id, row_hash FROM offences WHERE external_id = ?1",
    [ST_OFFENCE_INS] =
        "INSERT INTO offences(external_id, occurred_from, occurred_to, time_precision, "
        "reported_at, category, service, article, status, address, severity, mahalla_code, "
        "located, row_hash, updated_at, geom, located_by, district_code) VALUES(?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, MakePoint(?16, ?17, 4326), ?18, "
        "?19)",
    [ST_OFFENCE_UPD] =
        "UPDATE offences SET occurred_from = ?2, occurred_to = ?3, time_precision = ?4, "
        "reported_at = ?5, category = ?6, service = ?7, article = ?8, status = ?9, address = ?10, "
        "severity = ?11, mahalla_code = ?12, located = ?13, row_hash = ?14, updated_at = ?15, "
        "geom = MakePoint(?16, ?17, 4326), located_by = ?18, district_code = ?19 WHERE id = ?1",
    [ST_MAHALLA_DISTRICT] = "SELECT district_code FROM mahallas WHERE code = ?1",
    [ST_OFFENCE_DEL] = "DELETE FROM offences WHERE external_id = ?1 RETURNING id",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

int spl_put_area(store *base, enum store_area_kind k, const struct store_area *a,
                 struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	int mahalla = k == STORE_MAHALLAS;
	const char *kind = store_area_kind_name(k);
	unsigned char *fixed = NULL;
	const unsigned char *wkb = a->wkb;
	size_t wkb_len = a->wkb_len;
	int64_t id, old_hash = 0;
	char what[160];
	int rc;

	snprintf(what, sizeof what, "%s %s", kind, a->code);
	rc = spl_check_polygon(st, what, &wkb, &wkb_len, &fixed, info);
	if (rc < 0)
		return rc;

	struct spl_hash hs;
	spl_hash_init(&hs);
	spl_hash_str(&hs, a->name_uz);
	spl_hash_str(&hs, a->name_ru);
	spl_hash_str(&hs, a->name_en);
	if (mahalla) {
		spl_hash_str(&hs, a->district_code);
		spl_hash_num(&hs, a->population);
		spl_hash_num(&hs, a->households);
		spl_hash_str(&hs, a->inspector);
	}
	spl_hash_bytes(&hs, wkb, wkb_len);
	int64_t hash = (int64_t)hs.h;

	sqlite3_stmt *get = stmt(st, ST_AREA_GET + k);
	if (get && k == STORE_DISTRICTS)
		spl_bind_text(get, 2, a->tz);
	if ((rc = spl_lookup(st, get, a->code, &id, &old_hash)) < 0)
		goto out;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		goto out;
	}
	sqlite3_stmt *s = stmt(st, (id ? ST_AREA_UPD : ST_AREA_INS) + k);
	if (!s) {
		rc = ERR_DB;
		goto out;
	}
	spl_bind_key(s, id, a->code);
	spl_bind_text(s, 2, a->name_uz);
	spl_bind_text(s, 3, a->name_ru);
	spl_bind_text(s, 4, a->name_en);
	int i = 5;
	if (mahalla) {
		spl_bind_text(s, i++, a->district_code);
		if (a->population >= 0)
			sqlite3_bind_int64(s, i, a->population);
		i++;
		if (a->households >= 0)
			sqlite3_bind_int64(s, i, a->households);
		i++;
		spl_bind_text(s, i++, a->inspector);
	}
	sqlite3_bind_int64(s, i++, hash);
	sqlite3_bind_int64(s, i++, (int64_t)time(NULL));
	sqlite3_bind_blob(s, i, wkb, (int)wkb_len, SQLITE_STATIC);
	if (k == STORE_DISTRICTS) /* its time zone stays unless a new one is given */
		spl_bind_text(s, i + 1, a->tz);
	if ((rc = spl_step_done(st, s, what)) < 0)
		goto out;
	/* A region's new outline may take in, or give up, any district. */
	if (k == STORE_REGIONS) {
		sqlite3_stmt *place = stmt(st, ST_REGION_PLACE);
		if (!place || (rc = spl_step_done(st, place, what)) < 0) {
			rc = place ? rc : ERR_DB;
			goto out;
		}
	}
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	locator_free(st->areas[k]);
	st->areas[k] = NULL;
	rc = spl_bump_data_version(st);
out:
	sqlite3_free(fixed);
	return rc;
}

int spl_put_code(store *base, enum store_code_kind k, const struct store_code *c)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CODE_PUT + k);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, c->code, -1, SQLITE_STATIC);
	spl_bind_text(s, 2, c->name_uz);
	spl_bind_text(s, 3, c->name_ru);
	spl_bind_text(s, 4, c->name_en);
	spl_bind_text(s, 5, c->colour);
	if (k == STORE_CATEGORIES)
		sqlite3_bind_double(s, 6, c->weight > 0 ? c->weight : 1.0);
	return spl_step_done(st, s, c->code);
}

int spl_ensure_code(store *base, enum store_code_kind k, const char *code, const char *name)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CODE_ENSURE + k);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	spl_bind_text(s, 2, name ? name : code);
	return spl_step_done(st, s, code);
}

/* The locator of the districts or the mahallas, loaded from the table on
 * first use. */
static int area_locator(struct spl *st, enum store_area_kind k, locator **out)
{
	static const char *const load[2] = {
	    [STORE_DISTRICTS] = "SELECT code, AsBinary(geom) FROM districts ORDER BY id",
	    [STORE_MAHALLAS] = "SELECT code, AsBinary(geom) FROM mahallas ORDER BY id"};
	sqlite3_stmt *s = NULL;
	int rc = 0;
	if (st->areas[k]) {
		*out = st->areas[k];
		return 0;
	}
	locator *loc = locator_new();
	if (!loc)
		return err_set(ERR_NOMEM, "store: out of memory");
	if (sqlite3_prepare_v2(st->db, load[k], -1, &s, NULL) != SQLITE_OK) {
		rc = spl_error(st, "loading areas");
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
		rc = spl_error(st, "loading areas");
		goto out;
	}
	st->areas[k] = loc;
	*out = loc;
	loc = NULL;
out:
	sqlite3_finalize(s);
	locator_free(loc);
	return rc;
}

int spl_put_offence(store *base, const struct store_offence *o, struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	int64_t id, old_hash = 0;
	const char *mahalla = o->mahalla_code, *district = NULL;
	int located = -1;
	int rc;

	if (o->has_point) {
		locator *loc = NULL, *dloc = NULL;
		if ((rc = area_locator(st, STORE_MAHALLAS, &loc)) < 0 ||
		    (rc = area_locator(st, STORE_DISTRICTS, &dloc)) < 0)
			return rc;
		mahalla = locator_find(loc, o->lon, o->lat);
		district = locator_find(dloc, o->lon, o->lat);
		located = mahalla != NULL;
		info->outside = !located;
	}
	/* Outside every district's polygon (or without a point), the
	 * offence's mahalla tells its district. */
	if (district)
		snprintf(info->district, sizeof info->district, "%s", district);
	else if (mahalla && (rc = spl_text_by_key(st, stmt(st, ST_MAHALLA_DISTRICT), mahalla,
	                                          info->district, sizeof info->district)) < 0)
		return rc;

	struct spl_hash hs;
	spl_hash_init(&hs);
	spl_hash_num(&hs, o->occurred_from);
	spl_hash_num(&hs, o->occurred_to);
	spl_hash_num(&hs, o->precision);
	spl_hash_num(&hs, o->reported_at);
	spl_hash_str(&hs, o->category);
	spl_hash_str(&hs, o->service);
	spl_hash_str(&hs, o->article);
	spl_hash_str(&hs, o->status);
	spl_hash_str(&hs, o->address);
	spl_hash_num(&hs, o->severity);
	spl_hash_str(&hs, mahalla);
	spl_hash_str(&hs, info->district);
	spl_hash_num(&hs, o->has_point);
	if (o->has_point) {
		spl_hash_bytes(&hs, &o->lon, sizeof o->lon);
		spl_hash_bytes(&hs, &o->lat, sizeof o->lat);
		spl_hash_str(&hs, o->located_by);
	}
	int64_t hash = (int64_t)hs.h;

	if ((rc = spl_lookup(st, stmt(st, ST_OFFENCE_GET), o->external_id, &id, &old_hash)) < 0)
		return rc;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		return 0;
	}
	sqlite3_stmt *s = stmt(st, id ? ST_OFFENCE_UPD : ST_OFFENCE_INS);
	if (!s)
		return ERR_DB;
	spl_bind_key(s, id, o->external_id);
	spl_bind_time(s, 2, o->occurred_from);
	spl_bind_time(s, 3, o->occurred_to);
	sqlite3_bind_text(s, 4, time_precision_name(o->precision), -1, SQLITE_STATIC);
	spl_bind_time(s, 5, o->reported_at);
	spl_bind_text(s, 6, o->category);
	spl_bind_text(s, 7, o->service);
	spl_bind_text(s, 8, o->article);
	spl_bind_text(s, 9, o->status);
	spl_bind_text(s, 10, o->address);
	if (o->severity)
		sqlite3_bind_int(s, 11, o->severity);
	spl_bind_text(s, 12, mahalla);
	if (located >= 0)
		sqlite3_bind_int(s, 13, located);
	sqlite3_bind_int64(s, 14, hash);
	sqlite3_bind_int64(s, 15, (int64_t)time(NULL));
	if (o->has_point) {
		sqlite3_bind_double(s, 16, o->lon);
		sqlite3_bind_double(s, 17, o->lat);
		spl_bind_text(s, 18, o->located_by);
	}
	spl_bind_text(s, 19, info->district);
	if ((rc = spl_step_done(st, s, o->external_id)) < 0)
		return err_set(rc, "offence %s: %s", o->external_id, err_msg());
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	return 0;
}

int spl_delete_offence(store *base, const char *external_id, int64_t *id)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_OFFENCE_DEL);
	int rc = 0;
	*id = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, external_id, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	else if (r == SQLITE_DONE)
		rc = err_set(ERR_NOTFOUND, "no offence has the id '%s'", external_id);
	else
		rc = spl_error(st, "deleting offence");
	sqlite3_reset(s);
	return rc;
}

int spl_offence_id(store *base, const char *external_id, int64_t *id)
{
	struct spl *st = spl_of(base);
	int64_t hash;
	int rc = spl_lookup(st, stmt(st, ST_OFFENCE_GET), external_id, id, &hash);
	if (rc == 0 && *id == 0)
		rc = err_set(ERR_NOTFOUND, "no offence has the id '%s'", external_id);
	return rc;
}
