/*
 * spl_rtree: the SpatiaLite backend's bulk load of an SQLite R*Tree (see
 * spl.h): rtree_pack() lays out the tree, and this file writes it into the
 * rtree's shadow tables in SQLite's own layout (ext/rtree/rtree.c):
 *   <name>_node(nodeno INTEGER PRIMARY KEY, data): node 1 is the root. A node
 *     blob is a 2-byte big-endian depth of the tree (read from the root only;
 *     0 when the root is a leaf), a 2-byte big-endian cell count, then cells
 *     of an 8-byte big-endian id (leaves: the row's id; inner nodes: the
 *     child's nodeno) and minx, maxx, miny, maxy as big-endian 32-bit floats,
 *     zero-padded to the rtree's node size;
 *   <name>_parent(nodeno INTEGER PRIMARY KEY, parentnode): every node but 1;
 *   <name>_rowid(rowid INTEGER PRIMARY KEY, nodeno): the leaf of every row.
 * The node size is fixed when the rtree is created (page size - 64, at most
 * 51 cells) and SQLite reads it back from the length of the root's blob; so
 * do we. An empty rtree still has its root, an empty leaf. rtree_pack()
 * hands the rows out in each table's key order, the way GDAL's
 * sqlite_rtree_bulk_load.c writes GeoPackages' indexes.
 *
 * One insert per row and per node: about a tenth of what SQLite's INSERT
 * into the rtree takes.
 */
#include "spl.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

#define CELL_BYTES   24 /* an 8-byte id and four 4-byte floats */
#define SAVEPOINT_ID "rtree_bulk_load"

/* Statements and buffer of one load. */
struct writer {
	sqlite3 *db;
	const char *name;
	sqlite3_stmt *node, *parent, *rowid;
	unsigned char *blob; /* node_size bytes */
	int node_size;
};

static int db_error(const struct writer *w, const char *what)
{
	return err_set(ERR_DB, "rtree %s: %s: %s", w->name, what, sqlite3_errmsg(w->db));
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (56 - 8 * i));
}

/* Runs a prepared insert of two integers. */
static int insert2(struct writer *w, sqlite3_stmt *s, int64_t a, int64_t b, const char *what)
{
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(w, what);
	sqlite3_reset(s);
	return rc;
}

/* Skips white space as SQL's tokenizer knows it. */
static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		p++;
	return p;
}

/* Skips one SQL identifier, quoted or bare; NULL when there is none. */
static const char *skip_identifier(const char *p)
{
	char close = *p == '"' ? '"' : *p == '`' ? '`' : *p == '\'' ? '\'' : *p == '[' ? ']' : 0;
	if (close) {
		for (p++; *p; p++)
			if (*p == close) {
				if (close != ']' && p[1] == close)
					p++; /* a doubled quote stands for one */
				else
					return p + 1;
			}
		return NULL;
	}
	const char *start = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '_' || *p == '$' || (unsigned char)*p >= 0x80)
		p++;
	return p > start ? p : NULL;
}

/* 1 when sql, a table's CREATE statement from sqlite_master, makes a virtual
 * table of the module "rtree" (not rtree_i32, geopoly or anything else).
 * SQLite stores it as "CREATE VIRTUAL TABLE " and the user's text from the
 * (possibly qualified) table name on. */
static int is_float_rtree(const char *sql)
{
	static const char prefix[] = "CREATE VIRTUAL TABLE ";
	const char *p = sql;
	if (sqlite3_strnicmp(p, prefix, (int)sizeof prefix - 1) != 0)
		return 0;
	p += sizeof prefix - 1;
	for (int part = 0; part < 2; part++) {
		if (!(p = skip_identifier(skip_space(p))))
			return 0;
		p = skip_space(p);
		if (*p != '.')
			break;
		p++;
	}
	if (sqlite3_strnicmp(p, "USING", 5) != 0 || skip_space(p + 5) == p + 5)
		return 0;
	p = skip_space(p + 5);
	if (sqlite3_strnicmp(p, "rtree", 5) != 0)
		return 0;
	return *skip_space(p + 5) == '(';
}

/* Checks that name is a 2-D float rtree we may write, and reads its node
 * size. Writes nothing. */
static int check_rtree(struct writer *w)
{
	sqlite3_stmt *s = NULL;
	char *sql = NULL;
	int rc = 0, defensive = 0;

	if (sqlite3_db_config(w->db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive) == SQLITE_OK &&
	    defensive)
		return err_set(ERR_UNSUPPORTED,
		               "rtree %s: the connection is defensive, its shadow tables read-only",
		               w->name);
	if (sqlite3_prepare_v2(w->db,
	                       "SELECT sql FROM sqlite_master WHERE type = 'table' "
	                       "AND name = ?1 COLLATE NOCASE",
	                       -1, &s, NULL) != SQLITE_OK) {
		rc = db_error(w, "reading the schema");
		goto out;
	}
	sqlite3_bind_text(s, 1, w->name, -1, SQLITE_STATIC);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE) {
		rc = err_set(ERR_NOTFOUND, "rtree %s: no such table", w->name);
		goto out;
	}
	if (r != SQLITE_ROW) {
		rc = db_error(w, "reading the schema");
		goto out;
	}
	const char *create = (const char *)sqlite3_column_text(s, 0);
	if (!create || !is_float_rtree(create)) {
		rc = err_set(ERR_UNSUPPORTED, "rtree %s: not an rtree virtual table of floats",
		             w->name);
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;

	if (!(sql = sqlite3_mprintf("SELECT * FROM \"%w\"", w->name))) {
		rc = err_set(ERR_NOMEM, "rtree: out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = db_error(w, "reading its columns");
		goto out;
	}
	if (sqlite3_column_count(s) != 5) {
		rc = err_set(ERR_UNSUPPORTED,
		             "rtree %s: %d columns; only 2-D rtrees without auxiliary columns "
		             "(id, minx, maxx, miny, maxy) can be loaded",
		             w->name, sqlite3_column_count(s));
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	sqlite3_free(sql);

	if (!(sql = sqlite3_mprintf("SELECT length(data) FROM \"%w_node\" WHERE nodeno = 1",
	                            w->name))) {
		rc = err_set(ERR_NOMEM, "rtree: out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = db_error(w, "reading the root node");
		goto out;
	}
	r = sqlite3_step(s);
	if (r != SQLITE_ROW) {
		rc = r == SQLITE_DONE
		         ? err_set(ERR_DB, "rtree %s: the root node is missing", w->name)
		         : db_error(w, "reading the root node");
		goto out;
	}
	w->node_size = sqlite3_column_int(s, 0);
	if (w->node_size < 4 + 3 * CELL_BYTES || w->node_size > 4 + 65535 * CELL_BYTES)
		rc = err_set(ERR_DB, "rtree %s: root node of %d bytes is corrupt", w->name,
		             w->node_size);
out:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return rc;
}

/* Prepares "INSERT INTO <name><suffix>(cols) VALUES(?1, ?2)". */
static int prepare_insert(struct writer *w, const char *suffix, const char *cols,
                          sqlite3_stmt **out)
{
	char *sql =
	    sqlite3_mprintf("INSERT INTO \"%w%s\"(%s) VALUES(?1, ?2)", w->name, suffix, cols);
	int rc = 0;
	if (!sql)
		return err_set(ERR_NOMEM, "rtree: out of memory");
	if (sqlite3_prepare_v2(w->db, sql, -1, out, NULL) != SQLITE_OK)
		rc = db_error(w, "preparing the shadow tables");
	sqlite3_free(sql);
	return rc;
}

/* Empties the three shadow tables and prepares their inserts. */
static int start_writing(struct writer *w)
{
	char *msg = NULL;
	char *sql = sqlite3_mprintf("DELETE FROM \"%w_node\"; DELETE FROM \"%w_parent\"; "
	                            "DELETE FROM \"%w_rowid\"",
	                            w->name, w->name, w->name);
	if (!sql)
		return err_set(ERR_NOMEM, "rtree: out of memory");
	int r = sqlite3_exec(w->db, sql, NULL, NULL, &msg);
	sqlite3_free(sql);
	if (r != SQLITE_OK) {
		int rc = err_set(ERR_DB, "rtree %s: emptying: %s", w->name,
		                 msg ? msg : sqlite3_errmsg(w->db));
		sqlite3_free(msg);
		return rc;
	}
	int rc = prepare_insert(w, "_node", "nodeno, data", &w->node);
	if (rc == 0)
		rc = prepare_insert(w, "_parent", "nodeno, parentnode", &w->parent);
	if (rc == 0)
		rc = prepare_insert(w, "_rowid", "rowid, nodeno", &w->rowid);
	return rc;
}

/* The sink of rtree_pack(): one row of _node, _rowid or _parent each. */
static int write_node(void *ctx, int64_t no, int depth, const struct rtree_cell *c, size_t count)
{
	struct writer *w = ctx;
	unsigned char *p = w->blob + 4;
	memset(w->blob, 0, (size_t)w->node_size);
	put16(w->blob, (unsigned)depth);
	put16(w->blob + 2, (unsigned)count);
	for (size_t i = 0; i < count; i++, p += CELL_BYTES) {
		put64(p, (uint64_t)c[i].id);
		for (int k = 0; k < 4; k++) {
			uint32_t bits;
			memcpy(&bits, &c[i].box[k], 4);
			put32(p + 8 + 4 * k, bits);
		}
	}
	sqlite3_bind_int64(w->node, 1, no);
	sqlite3_bind_blob(w->node, 2, w->blob, w->node_size, SQLITE_STATIC);
	int rc = sqlite3_step(w->node) == SQLITE_DONE ? 0 : db_error(w, "writing a node");
	sqlite3_reset(w->node);
	return rc;
}

static int write_leaf(void *ctx, int64_t id, int64_t no)
{
	struct writer *w = ctx;
	return insert2(w, w->rowid, id, no, "writing _rowid");
}

static int write_parent(void *ctx, int64_t no, int64_t parent)
{
	struct writer *w = ctx;
	return insert2(w, w->parent, no, parent, "writing _parent");
}

static const struct rtree_sink shadow_tables = {write_node, write_leaf, write_parent};

static int exec_savepoint(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return err_set(ERR_DB, "rtree: %s: %s", sql, sqlite3_errmsg(db));
	return 0;
}

int spl_rtree_load(sqlite3 *db, const char *rtree_name, const struct rtree_entry *entries, size_t n)
{
	struct writer w = {.db = db, .name = rtree_name};
	int rc, in_savepoint = 0;

	if ((rc = check_rtree(&w)) < 0)
		return rc;
	if (!(w.blob = malloc((size_t)w.node_size)))
		return err_set(ERR_NOMEM, "rtree: out of memory");
	if ((rc = exec_savepoint(db, "SAVEPOINT " SAVEPOINT_ID)) < 0)
		goto out;
	in_savepoint = 1;
	if ((rc = start_writing(&w)) < 0)
		goto out;
	rc = rtree_pack(entries, n, (size_t)(w.node_size - 4) / CELL_BYTES, &shadow_tables, &w);
	if (rc < 0)
		goto out;
	rc = exec_savepoint(db, "RELEASE " SAVEPOINT_ID);
	in_savepoint = rc < 0;
out:
	sqlite3_finalize(w.node);
	sqlite3_finalize(w.parent);
	sqlite3_finalize(w.rowid);
	if (in_savepoint) {
		/* Keeps the first error's message. */
		sqlite3_exec(db, "ROLLBACK TO " SAVEPOINT_ID "; RELEASE " SAVEPOINT_ID, NULL, NULL,
		             NULL);
	}
	free(w.blob);
	return rc;
}
