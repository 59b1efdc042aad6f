/*
 * spl_read: the SpatiaLite backend's typed reads of areas, codes and
 * offences (see spl.h). Loading a district's offences into memory reads
 * every row once with one cached statement; its columns are handed to the
 * caller as SQLite holds them, without copies.
 */
#include "spl.h"

#include "err.h"

#include <stdio.h>
#include <string.h>

/* Columns of an area, as each_area() reads them: the names, the box, then
 * the area in m² (districts) or -1 (mahallas, too many for the
 * ellipsoid's sums on every listing), and the mahalla's fields. */
#define AREA_COLUMNS                                                                               \
	"code, name_uz, name_ru, name_en, MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom), "           \
	"MbrMaxY(geom), "

/* Columns of an offence, as offence_row() reads them; the scan's form
 * leaves out what loading does not need. */
#define OFFENCE_COLUMNS                                                                            \
	"id, ST_X(geom), ST_Y(geom), occurred_from, occurred_to, time_precision, category, "       \
	"service, mahalla_code, district_code, "

static const char *const sql[ST_COUNT] = {
    /* Column 9 is the area's parent: a district's region, a mahalla's
     * district. */
    [ST_AREA_LIST + 2 * STORE_DISTRICTS] =
        "SELECT " AREA_COLUMNS "ST_Area(geom, 1), region_code, -1, -1, NULL, AsBinary(geom) "
        "FROM districts WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_AREA_LIST + 2 * STORE_DISTRICTS + 1] =
        "SELECT " AREA_COLUMNS "ST_Area(geom, 1), region_code, -1, -1, NULL, "
        "AsGeoJSON(geom, 6) FROM districts WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_AREA_LIST + 2 * STORE_REGIONS] =
        "SELECT " AREA_COLUMNS "ST_Area(geom, 1), NULL, -1, -1, NULL, AsBinary(geom) FROM "
        "regions WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_AREA_LIST + 2 * STORE_REGIONS + 1] =
        "SELECT " AREA_COLUMNS "ST_Area(geom, 1), NULL, -1, -1, NULL, AsGeoJSON(geom, 6) FROM "
        "regions WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_REGION_DISTRICTS] = "SELECT code FROM districts WHERE region_code = ?1 ORDER BY code",
    [ST_AREA_LIST + 2 * STORE_MAHALLAS] =
        "SELECT " AREA_COLUMNS "-1, district_code, coalesce(population, -1), "
        "coalesce(households, -1), inspector, AsBinary(geom) FROM mahallas "
        "WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_AREA_LIST + 2 * STORE_MAHALLAS + 1] =
        "SELECT " AREA_COLUMNS "-1, district_code, coalesce(population, -1), "
        "coalesce(households, -1), inspector, AsGeoJSON(geom, 6) FROM mahallas "
        "WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
    [ST_CODE_LIST + STORE_CATEGORIES] =
        "SELECT code, name_uz, name_ru, name_en, colour, weight FROM categories ORDER BY code",
    [ST_CODE_LIST + STORE_SERVICES] =
        "SELECT code, name_uz, name_ru, name_en, colour, 1 FROM services ORDER BY code",
    [ST_CODE_EXISTS + STORE_CATEGORIES] = "SELECT 1 FROM categories WHERE code = ?1",
    [ST_CODE_EXISTS + STORE_SERVICES] = "SELECT 1 FROM services WHERE code = ?1",
    [ST_OFFENCE_ONE] = "SELECT " OFFENCE_COLUMNS "external_id, reported_at, article, status, "
                       "address, severity, located_by FROM offences WHERE (?1 > 0 AND id = ?1) "
                       "OR (?1 <= 0 AND external_id = ?2)",
    [ST_OFFENCE_SCAN] = "SELECT " OFFENCE_COLUMNS "NULL FROM offences WHERE id BETWEEN ?1 AND ?2 "
                        "AND (geom IS NOT NULL OR mahalla_code IS NOT NULL) ORDER BY id",
    /* ?1 unused: one key for spl_text_by_key(). */
    [ST_TIME_ZONE] = "SELECT tz FROM districts WHERE tz IS NOT NULL AND ?1 IS NULL "
                     "ORDER BY code LIMIT 1",
    /* ST_Intersects is true for touching too. */
    [ST_AREA_REACH] = "WITH z(g) AS (SELECT GeomFromWKB(?1, 4326)), "
                      "a(t, geom) AS (SELECT 0, geom FROM districts UNION ALL "
                      "SELECT 1, geom FROM mahallas WHERE NOT EXISTS "
                      "(SELECT 1 FROM districts)) "
                      "SELECT count(*), coalesce(max(ST_Intersects(a.geom, z.g)), 0), "
                      "min(ST_Distance(a.geom, z.g, 1)), max(t) FROM a, z",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

static const char *text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Steps an area query of kind (columns as ST_AREA_LIST; geometry 0 for
 * WKB, 1 for GeoJSON) and hands each row to fn. */
static int each_area(struct spl *st, sqlite3_stmt *s, enum store_area_kind kind, int geometry,
                     store_area_fn fn, void *ctx)
{
	int rc = 0, r = SQLITE_DONE;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_area_record a = {
		    .area = {.code = text(s, 0),
		             .name_uz = text(s, 1),
		             .name_ru = text(s, 2),
		             .name_en = text(s, 3),
		             .district_code = kind == STORE_MAHALLAS ? text(s, 9) : NULL,
		             .region_code = kind == STORE_DISTRICTS ? text(s, 9) : NULL,
		             .population = (long)sqlite3_column_int64(s, 10),
		             .households = (long)sqlite3_column_int64(s, 11),
		             .inspector = text(s, 12)},
		    .area_m2 = sqlite3_column_double(s, 8)};
		for (int i = 0; i < 4; i++)
			a.box[i] = sqlite3_column_double(s, 4 + i);
		if (geometry) {
			a.geojson = text(s, 13);
		} else {
			a.area.wkb = sqlite3_column_blob(s, 13);
			a.area.wkb_len = (size_t)sqlite3_column_bytes(s, 13);
		}
		rc = fn(ctx, &a);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading areas");
	sqlite3_reset(s);
	return rc;
}

int spl_list_areas(store *base, enum store_area_kind kind, const char *code, int geojson,
                   store_area_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_AREA_LIST + 2 * kind + (geojson != 0));
	if (!s)
		return ERR_DB;
	spl_bind_text(s, 1, code);
	return each_area(st, s, kind, geojson != 0, fn, ctx);
}

int spl_region_districts(store *base, const char *regions, char *out, size_t n)
{
	struct spl *st = spl_of(base);
	size_t used = 0;
	char code[128];
	int rc = 0;
	out[0] = '\0';
	for (const char *p = regions; rc == 0 && p && *p;) {
		size_t len = strcspn(p, ",");
		struct store_area_found r;
		if (len == 0 || len >= sizeof code)
			return err_set_field(ERR_INVALID, "region",
			                     "region: '%.60s' is not a list of codes", regions);
		memcpy(code, p, len);
		code[len] = '\0';
		p += len + (p[len] == ',');
		if ((rc = store_find_area(base, STORE_REGIONS, code, &r)) < 0)
			return rc;
		if (!r.found)
			return err_set_field(ERR_NOTFOUND, "region",
			                     "region: no region has the code '%s'", code);
		sqlite3_stmt *s = stmt(st, ST_REGION_DISTRICTS);
		if (!s)
			return ERR_DB;
		sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
		int r2;
		while (rc == 0 && (r2 = sqlite3_step(s)) == SQLITE_ROW) {
			const char *d = text(s, 0);
			size_t dl = strlen(d);
			if (used + dl + 2 > n)
				rc = err_set_field(
				    ERR_INVALID, "region",
				    "region: its districts' codes exceed %zu characters", n - 1);
			else
				used += (size_t)snprintf(out + used, n - used, "%s%s",
				                         used ? "," : "", d);
		}
		if (rc == 0 && r2 != SQLITE_DONE)
			rc = spl_error(st, "reading a region's districts");
		sqlite3_reset(s);
	}
	return rc;
}

int spl_area_reach(store *base, const unsigned char *wkb, size_t len, struct store_reach *out)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_AREA_REACH);
	int rc = 0;
	if (!s)
		return ERR_DB;
	sqlite3_bind_blob(s, 1, wkb, (int)len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = spl_error(st, "checking the district");
	} else {
		out->areas = (long)sqlite3_column_int64(s, 0);
		out->meets = sqlite3_column_int(s, 1) == 1;
		out->distance_m = out->meets ? 0 : sqlite3_column_double(s, 2);
		out->kind = sqlite3_column_int(s, 3) ? STORE_MAHALLAS : STORE_DISTRICTS;
	}
	sqlite3_reset(s);
	return rc;
}

/* A one-row query without outside values into a double. */
static int query_double(struct spl *st, const char *q, const char *what, double *out)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;
	*out = 0;
	if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, what);
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_double(s, 0);
	else
		rc = spl_error(st, what);
	sqlite3_finalize(s);
	return rc;
}

int spl_area_m2(store *st, double *m2)
{
	return query_double(spl_of(st),
	                    "SELECT coalesce((SELECT sum(ST_Area(geom, 1)) FROM districts), "
	                    "(SELECT sum(ST_Area(geom, 1)) FROM mahallas), 0)",
	                    "district area", m2);
}

int spl_time_zone(store *base, char *out, size_t n)
{
	struct spl *st = spl_of(base);
	return spl_text_by_key(st, stmt(st, ST_TIME_ZONE), NULL, out, n);
}

int spl_offence_count(store *st, long *n)
{
	double v;
	int rc = query_double(spl_of(st), "SELECT count(*) FROM offences", "counting offences", &v);
	*n = (long)v;
	return rc;
}

int spl_list_codes(store *base, enum store_code_kind kind, store_code_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CODE_LIST + kind);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_code c = {.code = text(s, 0),
		                       .name_uz = text(s, 1),
		                       .name_ru = text(s, 2),
		                       .name_en = text(s, 3),
		                       .colour = text(s, 4),
		                       .weight = sqlite3_column_double(s, 5)};
		rc = fn(ctx, &c);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading codes");
	sqlite3_reset(s);
	return rc;
}

int spl_code_exists(store *base, enum store_code_kind kind, const char *code)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_CODE_EXISTS + kind);
	if (!s)
		return ERR_DB;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW ? 1 : r == SQLITE_DONE ? 0 : spl_error(st, "looking up a code");
	sqlite3_reset(s);
	return rc;
}

static enum time_precision precision_of(const char *name)
{
	for (int p = PREC_UNKNOWN; p <= PREC_SPAN; p++)
		if (name && strcmp(time_precision_name((enum time_precision)p), name) == 0)
			return (enum time_precision)p;
	return PREC_UNKNOWN;
}

/* Steps an offence query (columns as ST_OFFENCE_ONE; with full 0 only
 * OFFENCE_COLUMNS, as ST_OFFENCE_SCAN) and hands each row to fn; *rows
 * counts them. A scan reads a million rows: every column call takes the
 * connection's mutex, so it reads no column it does not need. */
static int each_offence(struct spl *st, sqlite3_stmt *s, int full, store_offence_fn fn, void *ctx,
                        size_t *rows)
{
	int rc = 0, r = SQLITE_DONE;
	*rows = 0;
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_offence_row o = {
		    .id = sqlite3_column_int64(s, 0),
		    .o = {.has_point = sqlite3_column_type(s, 1) != SQLITE_NULL,
		          .occurred_from = spl_column_time(s, 3),
		          .occurred_to = spl_column_time(s, 4),
		          .precision = precision_of(text(s, 5)),
		          .category = text(s, 6),
		          .service = text(s, 7),
		          .mahalla_code = text(s, 8),
		          .district_code = text(s, 9),
		          .reported_at = STORE_NO_TIME}};
		if (full) {
			o.o.external_id = text(s, 10);
			o.o.reported_at = spl_column_time(s, 11);
			o.o.article = text(s, 12);
			o.o.status = text(s, 13);
			o.o.address = text(s, 14);
			o.o.severity = sqlite3_column_int(s, 15);
			o.o.located_by = text(s, 16);
		}
		if (o.o.has_point) {
			o.o.lon = sqlite3_column_double(s, 1);
			o.o.lat = sqlite3_column_double(s, 2);
		}
		rc = fn(ctx, &o);
		++*rows;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading offences");
	sqlite3_reset(s);
	return rc;
}

int spl_get_offence(store *base, int64_t id, const char *external_id, store_offence_fn fn,
                    void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_OFFENCE_ONE);
	size_t rows;
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	spl_bind_text(s, 2, external_id);
	int rc = each_offence(st, s, 1, fn, ctx, &rows);
	if (rc == 0 && rows == 0)
		rc = id > 0
		         ? err_set(ERR_NOTFOUND, "no offence has the store id %lld", (long long)id)
		         : err_set(ERR_NOTFOUND, "no offence has the id '%s'",
		                   external_id ? external_id : "");
	return rc;
}

int spl_scan_offences(store *base, int64_t first_id, int64_t last_id, store_offence_fn fn,
                      void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, ST_OFFENCE_SCAN);
	size_t rows;
	if (!s)
		return ERR_DB;
	sqlite3_bind_int64(s, 1, first_id);
	sqlite3_bind_int64(s, 2, last_id);
	return each_offence(st, s, 0, fn, ctx, &rows);
}

int spl_each_point(store *base, store_point_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = NULL;
	int rc = 0, r = SQLITE_DONE;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT ST_X(geom), ST_Y(geom) FROM offences WHERE geom IS NOT NULL",
	                       -1, &s, NULL) != SQLITE_OK)
		return spl_error(st, "reading offences");
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW)
		rc = fn(ctx, sqlite3_column_double(s, 0), sqlite3_column_double(s, 1));
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading offences");
	sqlite3_finalize(s);
	return rc;
}
