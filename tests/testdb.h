/*
 * testdb: a read-only SQLite connection (with SpatiaLite's functions) to a
 * store's file, for the tests that check what the SpatiaLite backend wrote
 * to it, the file format itself. Every other test reads through store.h, so
 * that it runs unchanged against another backend.
 *
 * Ownership: the connection is this file's, kept for the store last asked
 * about and closed when another is asked about; do not close it.
 * Threading: the test's one thread.
 */
#ifndef POSBON_TESTDB_H
#define POSBON_TESTDB_H

#include "store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

/* cmocka.h needs the headers above first, spatialite.h sqlite3.h. */
#include <cmocka.h>
#include <sqlite3.h>

#include <spatialite.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The connection to st's file, opened on first use. */
static inline sqlite3 *testdb(store *st)
{
	static struct {
		store *st;
		dev_t dev;
		ino_t ino;
		sqlite3 *db;
		void *cache;
	} open;
	struct stat sb;
	const char *path = store_path(st);
	assert_non_null(path);
	assert_int_equal(stat(path, &sb), 0);
	if (open.db && open.st == st && open.dev == sb.st_dev && open.ino == sb.st_ino)
		return open.db;
	if (open.db) {
		sqlite3_close(open.db);
		spatialite_cleanup_ex(open.cache);
	}
	open.st = st;
	open.dev = sb.st_dev;
	open.ino = sb.st_ino;
	if (sqlite3_open_v2(path, &open.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("%s: %s", path, sqlite3_errmsg(open.db));
	sqlite3_busy_timeout(open.db, 10000);
	open.cache = spatialite_alloc_connection();
	spatialite_set_silent_mode(open.cache);
	spatialite_init_ex(open.db, open.cache, 0);
	return open.db;
}

/* The integer in the first column of sql's first row on db. */
static inline long testdb_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of sql's first row on st's file as text into buf;
 * "(null)" for SQL NULL. */
static inline const char *testdb_text(store *st, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(testdb(st), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(testdb(st)));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	const char *v = (const char *)sqlite3_column_text(s, 0);
	snprintf(buf, n, "%s", v ? v : "(null)");
	sqlite3_finalize(s);
	return buf;
}

#endif
