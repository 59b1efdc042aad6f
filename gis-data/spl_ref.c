/*
 * spl_ref: the SpatiaLite backend's reference layers (see spl.h): upserts
 * by external id, and walks over a box through the spatial index.
 */
#include "spl.h"

#include "err.h"

#include <string.h>
#include <time.h>

#define REF_COLUMNS                                                                                \
	"external_id, source, kind, class, poi, name, name_uz, name_uz_cyrl, name_ru, name_en, "   \
	"addr_street, addr_housenumber, tags"

static const char *const sql[ST_COUNT] = {
    [ST_REF_GET] = "SELECT id, row_hash FROM ref_features WHERE external_id = ?1",
    [ST_REF_INS] = "INSERT INTO ref_features(" REF_COLUMNS ", row_hash, updated_at, geom) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                   "GeomFromWKB(?16, 4326))",
    [ST_REF_UPD] = "UPDATE ref_features SET source = ?2, kind = ?3, class = ?4, poi = ?5, "
                   "name = ?6, name_uz = ?7, name_uz_cyrl = ?8, name_ru = ?9, name_en = ?10, "
                   "addr_street = ?11, addr_housenumber = ?12, tags = ?13, row_hash = ?14, "
                   "updated_at = ?15, geom = GeomFromWKB(?16, 4326) WHERE id = ?1",
    [ST_REF_ALL] = "SELECT " REF_COLUMNS ", AsBinary(geom) FROM ref_features ORDER BY id",
    [ST_REF_BOX] = "SELECT " REF_COLUMNS ", AsBinary(geom) FROM ref_features WHERE ROWID IN "
                   "(SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'ref_features' AND "
                   "f_geometry_column = 'geom' AND search_frame = BuildMbr(?1, ?2, ?3, ?4, "
                   "4326)) ORDER BY id",
};

static sqlite3_stmt *stmt(struct spl *st, enum spl_stmt id)
{
	return spl_stmt(st, id, sql[id]);
}

/* The text columns of a feature, in REF_COLUMNS order after the key. */
static void text_fields(const struct store_ref_feature *f, const char *out[12])
{
	const char *v[12] = {f->source,  f->kind,    f->cls,          f->poi,
	                     f->name,    f->name_uz, f->name_uz_cyrl, f->name_ru,
	                     f->name_en, f->street,  f->housenumber,  f->tags};
	memcpy(out, v, sizeof v);
}

int spl_put_ref_feature(store *base, const struct store_ref_feature *f, struct store_put_info *info)
{
	struct spl *st = spl_of(base);
	const char *text[12];
	int64_t id, old_hash = 0;
	int rc;

	text_fields(f, text);
	struct spl_hash hs;
	spl_hash_init(&hs);
	for (int i = 0; i < 12; i++)
		spl_hash_str(&hs, text[i]);
	spl_hash_bytes(&hs, f->wkb, f->wkb_len);
	int64_t hash = (int64_t)hs.h;

	if ((rc = spl_lookup(st, stmt(st, ST_REF_GET), f->external_id, &id, &old_hash)) < 0)
		return rc;
	if (id && old_hash == hash) {
		info->change = STORE_UNCHANGED;
		return 0;
	}
	sqlite3_stmt *s = stmt(st, id ? ST_REF_UPD : ST_REF_INS);
	if (!s)
		return ERR_DB;
	spl_bind_key(s, id, f->external_id);
	for (int i = 0; i < 12; i++)
		spl_bind_text(s, i + 2, text[i]);
	sqlite3_bind_int64(s, 14, hash);
	sqlite3_bind_int64(s, 15, (int64_t)time(NULL));
	sqlite3_bind_blob(s, 16, f->wkb, (int)f->wkb_len, SQLITE_STATIC);
	int r = sqlite3_step(s);
	/* GeomFromWKB() is NULL for what it cannot read; the column is NOT NULL. */
	int unreadable = (r & 0xff) == SQLITE_CONSTRAINT;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (unreadable)
		return err_set_field(ERR_GEOMETRY, "geometry",
		                     "reference feature %s: the geometry is not readable WKB",
		                     f->external_id);
	if (r != SQLITE_DONE)
		return err_set(spl_error(st, "writing a reference feature"),
		               "reference feature %s: %s", f->external_id, err_msg());
	info->change = id ? STORE_UPDATED : STORE_INSERTED;
	return 0;
}

static const char *column(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int spl_each_ref_feature(store *base, const double box[4], store_ref_fn fn, void *ctx)
{
	struct spl *st = spl_of(base);
	sqlite3_stmt *s = stmt(st, box ? ST_REF_BOX : ST_REF_ALL);
	int rc = 0, r = SQLITE_DONE;
	if (!s)
		return ERR_DB;
	for (int i = 0; box && i < 4; i++)
		sqlite3_bind_double(s, i + 1, box[i]);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_ref_feature f = {
		    .external_id = column(s, 0),
		    .source = column(s, 1),
		    .kind = column(s, 2),
		    .cls = column(s, 3),
		    .poi = column(s, 4),
		    .name = column(s, 5),
		    .name_uz = column(s, 6),
		    .name_uz_cyrl = column(s, 7),
		    .name_ru = column(s, 8),
		    .name_en = column(s, 9),
		    .street = column(s, 10),
		    .housenumber = column(s, 11),
		    .tags = column(s, 12),
		    .wkb = sqlite3_column_blob(s, 13),
		    .wkb_len = (size_t)sqlite3_column_bytes(s, 13),
		};
		rc = fn(ctx, &f);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = spl_error(st, "reading reference features");
	sqlite3_reset(s);
	return rc;
}
