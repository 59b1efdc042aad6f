/*
 * mbtfile: an MBTiles 1.3 file written once, the container of `posbon
 * export-tiles` (output/mbtiles.h renders what goes in it).
 *
 * An MBTiles file is an SQLite file of two tables: metadata (name, value)
 * and tiles (zoom_level, tile_column, tile_row, tile_data) with a unique
 * index on the tile's address, rows counted from the south (TMS). The file
 * is built under a temporary name beside the target ("PATH.tmp-PID-N"), in
 * one transaction, without a journal or syncs (a failure discards it
 * whole), made durable once, and renamed over the target only when
 * complete: an export that fails, is stopped or abandoned leaves no PATH
 * behind (a crash may leave the temporary file, never a partial PATH).
 *
 * Threading: an mbtfile belongs to one thread at a time.
 */
#ifndef POSBON_MBTFILE_H
#define POSBON_MBTFILE_H

#include <stddef.h>

typedef struct mbtfile mbtfile;

/* Starts a file that mbtfile_finish() will put at path: creates the
 * temporary file and the tables and begins the transaction. *out is new;
 * it ends in mbtfile_finish() or mbtfile_discard(). ERR_IO naming path
 * when the folder cannot be written. */
int mbtfile_create(const char *path, mbtfile **out);

/* Stores data (len bytes, borrowed) as XYZ tile z/x/y (row y from the
 * north; stored as TMS row 2^z - 1 - y). ERR_INVALID for an address outside
 * the zoom; ERR_DB for a tile stored twice. */
int mbtfile_put_tile(mbtfile *f, int z, long x, long y, const void *data, size_t len);

/* Adds a metadata row; a NULL value adds none. ERR_DB for a name given
 * twice. */
int mbtfile_put_meta(mbtfile *f, const char *name, const char *value);

/* Commits, makes the file durable and renames it to the path given to
 * mbtfile_create(). Frees f whatever happens; on an error the temporary
 * file is removed and the target left as it was. */
int mbtfile_finish(mbtfile *f);

/* Abandons the file and removes its temporary file; accepts NULL. */
void mbtfile_discard(mbtfile *f);

#endif
