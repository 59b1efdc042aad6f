/*
 * rtree: Sort-Tile-Recursive bulk load of an SQLite R*Tree.
 *
 * The layout written is SQLite's own (ext/rtree/rtree.c):
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
 * do we. An empty rtree still has its root, an empty leaf.
 *
 * Sort-Tile-Recursive (Leutenegger, Lopez and Edgington, 1997): for P =
 * ceil(n / M) nodes of at most M cells, sort the cells by the x of their
 * centres, cut them into ceil(sqrt(P)) vertical slices, sort each slice by y
 * and cut it into nodes; then do the same one level up with the boxes of the
 * nodes, until one node is left: the root. The cells are spread evenly over
 * the P nodes (sizes differ by at most one), so every node but the root is at
 * least half full, and SQLite's later inserts and deletes work on an ordinary
 * tree. The root is node 1; the others are numbered from 2 up, level by level
 * from the leaves, so that each shadow table is written in its key order.
 *
 * Expected workload: a whole spatial index of up to millions of points at
 * once. Memory: 24 bytes per entry plus one node blob; time: two sorts of
 * the entries and one insert per row and per node, about a tenth of what
 * SQLite's INSERT into the rtree takes.
 */
#include "rtree.h"

#include "err.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CELL_BYTES   24 /* an 8-byte id and four 4-byte floats */
#define SAVEPOINT_ID "rtree_bulk_load"

/* A cell of a node: a box and the id of a row, or the number of a child
 * node. Once its leaf is written, a leaf cell keeps the leaf's number in
 * place of its box. */
struct cell {
	int64_t id;
	union {
		float box[4]; /* minx, maxx, miny, maxy */
		int64_t node;
	} u;
};

/* Rounding of a double coordinate to a float that does not shrink the box:
 * the constants and steps of rtree.c's rtreeValueDown()/rtreeValueUp(), so
 * that a loaded entry is bit for bit what an INSERT would have stored. */
#define RND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define RND_AWAY    (1.0 + 1.0 / 8388608.0)

static float round_down(double d)
{
	float f = (float)d;
	if (f > d)
		f = (float)(d * (d < 0 ? RND_AWAY : RND_TOWARDS));
	return f;
}

static float round_up(double d)
{
	float f = (float)d;
	if (f < d)
		f = (float)(d * (d < 0 ? RND_TOWARDS : RND_AWAY));
	return f;
}

/* Twice the centre of a cell on an axis (0 = x, 1 = y); never NaN, so that
 * the sorts below see a total order even for a box from -inf to +inf. */
static double centre(const struct cell *c, int axis)
{
	double v = (double)c->u.box[2 * axis] + (double)c->u.box[2 * axis + 1];
	return isnan(v) ? 0 : v;
}

static int cmp_axis(const void *pa, const void *pb, int axis)
{
	const struct cell *a = pa, *b = pb;
	double ca = centre(a, axis), cb = centre(b, axis);
	if (ca != cb)
		return ca < cb ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static int cmp_x(const void *a, const void *b)
{
	return cmp_axis(a, b, 0);
}

static int cmp_y(const void *a, const void *b)
{
	return cmp_axis(a, b, 1);
}

static int cmp_id(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;
	return (a->id > b->id) - (a->id < b->id);
}

/* Index of the first of the cells of node i when n cells are spread evenly
 * over nodes nodes: the first n % nodes nodes take one cell more. */
static size_t node_start(size_t i, size_t n, size_t nodes)
{
	return i * (n / nodes) + (i < n % nodes ? i : n % nodes);
}

/* Orders c[0..n) by Sort-Tile-Recursive so that node i of nodes takes the
 * cells from node_start(i) to node_start(i + 1). */
static void str_order(struct cell *c, size_t n, size_t nodes)
{
	size_t slices = (size_t)ceil(sqrt((double)nodes));
	size_t node = 0;
	qsort(c, n, sizeof *c, cmp_x);
	for (size_t s = 0; s < slices; s++) {
		size_t k = nodes / slices + (s < nodes % slices);
		size_t from = node_start(node, n, nodes), to = node_start(node + k, n, nodes);
		qsort(c + from, to - from, sizeof *c, cmp_y);
		node += k;
	}
}

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

/* Writes node no holding c[0..count) with the given depth field, and
 * returns the box of its cells in box. */
static int put_node(struct writer *w, int64_t no, int depth, const struct cell *c, size_t count,
                    float box[4])
{
	unsigned char *p = w->blob + 4;
	memset(w->blob, 0, (size_t)w->node_size);
	put16(w->blob, (unsigned)depth);
	put16(w->blob + 2, (unsigned)count);
	box[0] = box[2] = INFINITY;
	box[1] = box[3] = -INFINITY;
	for (size_t i = 0; i < count; i++, p += CELL_BYTES) {
		put64(p, (uint64_t)c[i].id);
		for (int k = 0; k < 4; k++) {
			uint32_t bits;
			memcpy(&bits, &c[i].u.box[k], 4);
			put32(p + 8 + 4 * k, bits);
		}
		box[0] = fminf(box[0], c[i].u.box[0]);
		box[1] = fmaxf(box[1], c[i].u.box[1]);
		box[2] = fminf(box[2], c[i].u.box[2]);
		box[3] = fmaxf(box[3], c[i].u.box[3]);
	}
	sqlite3_bind_int64(w->node, 1, no);
	sqlite3_bind_blob(w->node, 2, w->blob, w->node_size, SQLITE_STATIC);
	int rc = sqlite3_step(w->node) == SQLITE_DONE ? 0 : db_error(w, "writing a node");
	sqlite3_reset(w->node);
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

/* Writes the leaves of cells[0..n), which are in STR order, as nodes 2..
 * (node 1 when one leaf is all), their boxes into up[] and every row's leaf
 * into _rowid. Leaves cells sorted by id. *next_no is the next free number. */
static int write_leaves(struct writer *w, struct cell *cells, size_t n, size_t leaves,
                        struct cell *up, int64_t *next_no)
{
	int rc;
	for (size_t i = 0; i < leaves; i++) {
		size_t from = node_start(i, n, leaves), to = node_start(i + 1, n, leaves);
		int64_t no = leaves == 1 ? 1 : (*next_no)++;
		if ((rc = put_node(w, no, 0, cells + from, to - from, up[i].u.box)) < 0)
			return rc;
		up[i].id = no;
		for (size_t j = from; j < to; j++)
			cells[j].u.node = no;
	}
	qsort(cells, n, sizeof *cells, cmp_id);
	for (size_t j = 0; j < n; j++) {
		if (j && cells[j].id == cells[j - 1].id)
			return err_set(ERR_INVALID, "rtree %s: id %lld is given twice", w->name,
			               (long long)cells[j].id);
		if ((rc = insert2(w, w->rowid, cells[j].id, cells[j].u.node, "writing _rowid")) < 0)
			return rc;
	}
	return 0;
}

/* Builds and writes the levels above the leaves: level[0..count) are the
 * boxes of the nodes below, numbered *next_no - count.. upwards; spare has
 * room for ceil(count / m) cells and parent for count numbers. */
static int write_upper(struct writer *w, struct cell *level, size_t count, struct cell *spare,
                       int64_t *parent, size_t m, int64_t *next_no)
{
	int rc, depth = 0;
	while (count > 1) {
		size_t nodes = (count + m - 1) / m;
		int64_t first_child = *next_no - (int64_t)count;
		depth++;
		if (nodes > 1)
			str_order(level, count, nodes);
		for (size_t i = 0; i < nodes; i++) {
			size_t from = node_start(i, count, nodes),
			       to = node_start(i + 1, count, nodes);
			int64_t no = nodes == 1 ? 1 : (*next_no)++;
			rc = put_node(w, no, nodes == 1 ? depth : 0, level + from, to - from,
			              spare[i].u.box);
			if (rc < 0)
				return rc;
			spare[i].id = no;
			for (size_t j = from; j < to; j++)
				parent[level[j].id - first_child] = no;
		}
		for (size_t j = 0; j < count; j++)
			if ((rc = insert2(w, w->parent, first_child + (int64_t)j, parent[j],
			                  "writing _parent")) < 0)
				return rc;
		struct cell *t = level;
		level = spare;
		spare = t;
		count = nodes;
	}
	return 0;
}

static int exec_savepoint(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return err_set(ERR_DB, "rtree: %s: %s", sql, sqlite3_errmsg(db));
	return 0;
}

int rtree_bulk_load(sqlite3 *db, const char *rtree_name, const struct rtree_entry *entries,
                    size_t n)
{
	struct writer w = {.db = db, .name = rtree_name};
	struct cell *cells = NULL, *up = NULL;
	int64_t *parent = NULL;
	int rc, in_savepoint = 0;

	if ((rc = check_rtree(&w)) < 0)
		return rc;
	size_t m = (size_t)(w.node_size - 4) / CELL_BYTES;
	size_t leaves = n ? (n + m - 1) / m : 1;
	if (n > SIZE_MAX / sizeof *cells)
		return err_set(ERR_NOMEM, "rtree %s: %zu entries are too many", rtree_name, n);
	cells = malloc((n ? n : 1) * sizeof *cells);
	up = malloc(leaves * sizeof *up);
	parent = malloc(leaves * sizeof *parent);
	w.blob = malloc((size_t)w.node_size);
	if (!cells || !up || !parent || !w.blob) {
		rc = err_set(ERR_NOMEM, "rtree: out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rtree_entry *e = &entries[i];
		if (!(e->minx <= e->maxx && e->miny <= e->maxy)) {
			rc = err_set(ERR_INVALID,
			             "rtree %s: entry %zu (id %lld): box (%g %g, %g %g) is empty "
			             "or not a number",
			             rtree_name, i, (long long)e->id, e->minx, e->miny, e->maxx,
			             e->maxy);
			goto out;
		}
		cells[i].id = e->id;
		cells[i].u.box[0] = round_down(e->minx);
		cells[i].u.box[1] = round_up(e->maxx);
		cells[i].u.box[2] = round_down(e->miny);
		cells[i].u.box[3] = round_up(e->maxy);
	}
	if (leaves > 1)
		str_order(cells, n, leaves);

	if ((rc = exec_savepoint(db, "SAVEPOINT " SAVEPOINT_ID)) < 0)
		goto out;
	in_savepoint = 1;
	int64_t next_no = 2;
	if ((rc = start_writing(&w)) < 0 ||
	    (rc = write_leaves(&w, cells, n, leaves, up, &next_no)) < 0 ||
	    (rc = write_upper(&w, up, leaves, cells, parent, m, &next_no)) < 0)
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
	free(cells);
	free(up);
	free(parent);
	free(w.blob);
	return rc;
}
