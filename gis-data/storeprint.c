/*
 * storeprint: prepared statements with bound values; the table and name
 * column are chosen from fixed statements, never pasted from input.
 */
#include "storeprint.h"

#include "err.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* By table, then language (uz, ru, en). */
static const char *const names_sql[2][3] = {
    {"SELECT code, coalesce(name_uz, name_en, code) FROM categories",
     "SELECT code, coalesce(name_ru, name_en, name_uz, code) FROM categories",
     "SELECT code, coalesce(name_en, name_uz, code) FROM categories"},
    {"SELECT code, coalesce(name_uz, name_en, code) FROM services",
     "SELECT code, coalesce(name_ru, name_en, name_uz, code) FROM services",
     "SELECT code, coalesce(name_en, name_uz, code) FROM services"},
};

static char *dup_text(const unsigned char *t)
{
	return t ? strdup((const char *)t) : NULL;
}

int storeprint_names(store *st, enum storeprint_table table, const char *lang,
                     struct storeprint_names *out)
{
	int l = lang && !strcmp(lang, "uz") ? 0 : lang && !strcmp(lang, "ru") ? 1 : 2;
	sqlite3_stmt *s = NULL;
	int rc = 0, step;
	*out = (struct storeprint_names){0};
	if (sqlite3_prepare_v2(store_db(st), names_sql[table][l], -1, &s, NULL) != SQLITE_OK)
		return err_set(ERR_DB, "print: reading %s: %s",
		               table == STOREPRINT_CATEGORIES ? "categories" : "services",
		               sqlite3_errmsg(store_db(st)));
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		char **code = realloc(out->code, (out->n + 1) * sizeof *code);
		if (code)
			out->code = code;
		char **name = code ? realloc(out->name, (out->n + 1) * sizeof *name) : NULL;
		if (name)
			out->name = name;
		if (!code || !name) {
			rc = err_set(ERR_NOMEM, "print: out of memory");
			break;
		}
		out->code[out->n] = dup_text(sqlite3_column_text(s, 0));
		out->name[out->n] = dup_text(sqlite3_column_text(s, 1));
		out->n++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = err_set(ERR_DB, "print: reading names: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	if (rc < 0)
		storeprint_names_free(out);
	return rc;
}

const char *storeprint_name(const struct storeprint_names *n, const char *code)
{
	for (size_t i = 0; code && i < n->n; i++)
		if (n->code[i] && strcmp(n->code[i], code) == 0)
			return n->name[i] ? n->name[i] : code;
	return code;
}

void storeprint_names_free(struct storeprint_names *n)
{
	for (size_t i = 0; i < n->n; i++) {
		free(n->code[i]);
		free(n->name[i]);
	}
	free(n->code);
	free(n->name);
	*n = (struct storeprint_names){0};
}

int storeprint_addresses(store *st, const double box[4], int limit,
                         int (*fn)(void *ctx, const char *address), void *ctx)
{
	sqlite3_stmt *s = NULL;
	int rc = 0, step;
	if (sqlite3_prepare_v2(store_db(st),
	                       "SELECT address FROM offences WHERE address IS NOT NULL AND "
	                       "ROWID IN (SELECT ROWID FROM SpatialIndex WHERE "
	                       "f_table_name = 'offences' AND f_geometry_column = 'geom' AND "
	                       "search_frame = BuildMbr(?1, ?2, ?3, ?4, 4326)) LIMIT ?5",
	                       -1, &s, NULL) != SQLITE_OK)
		return err_set(ERR_DB, "print: reading addresses: %s",
		               sqlite3_errmsg(store_db(st)));
	for (int i = 0; i < 4; i++)
		sqlite3_bind_double(s, i + 1, box[i]);
	sqlite3_bind_int(s, 5, limit);
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(s, 0)))
			break;
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = err_set(ERR_DB, "print: reading addresses: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(s);
	return rc;
}
