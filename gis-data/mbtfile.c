/*
 * mbtfile: the MBTiles writer. The file is private until the rename, so
 * it is written without a journal and without syncs and made durable once,
 * before the rename. Both statements are prepared once per file.
 */
#include "mbtfile.h"

#include "durable.h"
#include "err.h"
#include "tilemath.h"

#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct mbtfile {
	sqlite3 *db;
	sqlite3_stmt *tile, *meta;
	char *path, *tmp;
};

/* The layout of MBTiles 1.3, its application id ("MPBX") included. */
static const char schema[] =
    "PRAGMA application_id = 1297105496;"
    "PRAGMA journal_mode = OFF;"
    "PRAGMA synchronous = OFF;"
    "CREATE TABLE metadata (name text, value text);"
    "CREATE UNIQUE INDEX name ON metadata (name);"
    "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, "
    "tile_data blob);"
    "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    "BEGIN;";

static int db_error(const mbtfile *f, const char *what)
{
	return err_set(ERR_DB, "%s: %s: %s", f->path, what, sqlite3_errmsg(f->db));
}

/* Finalizes and closes; 0 or SQLite's code of the close. */
static int close_db(mbtfile *f)
{
	sqlite3_finalize(f->tile);
	sqlite3_finalize(f->meta);
	f->tile = f->meta = NULL;
	int r = sqlite3_close(f->db);
	if (r == SQLITE_OK)
		f->db = NULL;
	return r;
}

static void release(mbtfile *f)
{
	free(f->path);
	free(f->tmp);
	free(f);
}

void mbtfile_discard(mbtfile *f)
{
	if (!f)
		return;
	close_db(f);
	if (f->tmp)
		unlink(f->tmp);
	release(f);
}

int mbtfile_create(const char *path, mbtfile **out)
{
	mbtfile *f = calloc(1, sizeof *f);
	int rc = 0;
	*out = NULL;
	if (!f || !(f->path = strdup(path))) {
		rc = err_set(ERR_NOMEM, "mbtiles: out of memory");
		goto fail;
	}
	if ((rc = durable_temp_name(path, &f->tmp)) < 0)
		goto fail;
	if (sqlite3_open_v2(f->tmp, &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(f->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		rc = err_set(ERR_IO, "%s: cannot write (%s)", path,
		             f->db ? sqlite3_errmsg(f->db) : "out of memory");
		goto fail;
	}
	if (sqlite3_prepare_v2(f->db,
	                       "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
	                       "VALUES (?, ?, ?, ?)",
	                       -1, &f->tile, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(f->db, "INSERT INTO metadata (name, value) VALUES (?, ?)", -1,
	                       &f->meta, NULL) != SQLITE_OK) {
		rc = db_error(f, "preparing the tables");
		goto fail;
	}
	*out = f;
	return 0;
fail:
	mbtfile_discard(f);
	return rc;
}

int mbtfile_put_tile(mbtfile *f, int z, long x, long y, const void *data, size_t len)
{
	int rc = tile_check(z, x, y);
	if (rc < 0)
		return rc;
	sqlite3_bind_int(f->tile, 1, z);
	sqlite3_bind_int64(f->tile, 2, x);
	sqlite3_bind_int64(f->tile, 3, ((int64_t)1 << z) - 1 - y);
	sqlite3_bind_blob64(f->tile, 4, data, len, SQLITE_STATIC);
	if (sqlite3_step(f->tile) != SQLITE_DONE)
		rc = err_set(ERR_DB, "%s: tile %d/%ld/%ld: %s", f->path, z, x, y,
		             sqlite3_errmsg(f->db));
	sqlite3_reset(f->tile);
	sqlite3_clear_bindings(f->tile);
	return rc;
}

int mbtfile_put_meta(mbtfile *f, const char *name, const char *value)
{
	int rc = 0;
	if (!value)
		return 0;
	sqlite3_bind_text(f->meta, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(f->meta, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(f->meta) != SQLITE_DONE)
		rc = db_error(f, "writing the metadata");
	sqlite3_reset(f->meta);
	return rc;
}

int mbtfile_finish(mbtfile *f)
{
	int rc = 0;
	if (sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_error(f, "committing");
	else if (close_db(f) != SQLITE_OK)
		rc = db_error(f, "closing");
	if (rc == 0)
		rc = durable_commit(f->tmp, f->path, 1);
	if (rc < 0) {
		mbtfile_discard(f);
		return rc;
	}
	release(f);
	return rc;
}
