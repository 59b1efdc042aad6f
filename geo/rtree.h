/*
 * rtree: bulk loading of an SQLite R*Tree virtual table.
 *
 * SQLite's R*Tree indexes one row at a time (~100,000 rows/s, each insert a
 * descent, a split now and then, and writes to three shadow tables).
 * rtree_bulk_load() instead packs the whole tree in memory by Sort-Tile-
 * Recursive and writes the rtree's shadow tables (<name>_node, _parent,
 * _rowid) directly, in their key order, the way GDAL's
 * sqlite_rtree_bulk_load.c does for GeoPackages. The result is an ordinary
 * R*Tree: SQLite queries it, inserts into it and deletes from it as usual.
 *
 * Supported: a 2-D rtree of 32-bit floats without auxiliary columns, which is
 * what SpatiaLite's CreateSpatialIndex() makes (idx_<table>_<column>). The
 * shadow tables must be writable, so SQLITE_DBCONFIG_DEFENSIVE must be off
 * (SQLite's default).
 *
 * Threading: uses the caller's connection, and belongs to its thread.
 */
#ifndef POSBON_RTREE_H
#define POSBON_RTREE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;

/* One box to index under id (the rtree's first column). */
struct rtree_entry {
	int64_t id;
	double minx, maxx, miny, maxy;
};

/* Replaces the whole content of the rtree virtual table rtree_name (in the
 * main schema) by entries[0..n), which are borrowed and not changed. Boxes
 * are rounded outward to 32-bit floats exactly as an INSERT would store them,
 * so a query finds the same rows either way. Runs in a savepoint: inside the
 * caller's transaction it becomes part of it, and on any failure the rtree is
 * left as it was. No statement may be reading the rtree meanwhile.
 *
 * Errors: ERR_INVALID for a box with NaN or min > max, or an id given twice
 * (the message names it); ERR_NOTFOUND when there is no such table;
 * ERR_UNSUPPORTED for another kind of table or rtree, or a defensive
 * connection (nothing written); ERR_DB, ERR_NOMEM. */
int rtree_bulk_load(sqlite3 *db, const char *rtree_name, const struct rtree_entry *entries,
                    size_t n);

#endif
