/*
 * mbtiles: the map as one file for devices without the network.
 *
 * An MBTiles 1.3 file (written by gis-data/mbtfile.h: metadata rows and
 * PNG tiles, rows counted from the south as TMS) of the server's XYZ
 * tiles. QGIS, GDAL's MBTiles driver and the MapLibre and Leaflet plugins
 * read it; they draw a missing tile as empty, so tiles that are fully
 * transparent are left out. The file appears at its path only when it is
 * complete: an export that fails, is stopped or is abandoned leaves no file
 * behind (a crash may leave the temporary "PATH.tmp-PID-N", never a partial
 * PATH).
 * mbtiles_export() renders the tiles through render_image(), the renderer
 * the tile server uses, on several threads.
 *
 * Threading: a writer belongs to one thread at a time; mbtiles_export()
 * hands it to its workers one at a time.
 */
#ifndef POSBON_MBTILES_H
#define POSBON_MBTILES_H

#include "render.h"

#include <stdatomic.h>
#include <stddef.h>

typedef struct mbtiles mbtiles;

/* Starts a tile set that mbtiles_finish() will put at path: creates the
 * temporary file and the tables and begins the transaction. *out is new;
 * it ends in mbtiles_finish() or mbtiles_discard(). ERR_IO naming path
 * when the folder cannot be written. */
int mbtiles_create(const char *path, mbtiles **out);

/* Stores png (len bytes, borrowed) as XYZ tile z/x/y (row y from the north;
 * it is stored as TMS row 2^z - 1 - y). ERR_INVALID for an address outside
 * the zoom; ERR_DB for a tile stored twice. */
int mbtiles_put(mbtiles *mb, int z, long x, long y, const void *png, size_t len);

/* What the metadata table says; strings are borrowed for the call. */
struct mbtiles_meta {
	const char *name;
	const char *description;
	const char *attribution;
	double bounds[4]; /* west, south, east, north, degrees */
	int minzoom, maxzoom;
};

/* Writes the metadata (format png, type overlay, the centre of the bounds
 * at the middle zoom), commits, makes the file durable and renames it to
 * the path given to mbtiles_create(). Frees mb whatever happens; on an
 * error the temporary file is removed and the target left as it was. */
int mbtiles_finish(mbtiles *mb, const struct mbtiles_meta *meta);

/* Abandons the tile set and removes its temporary file; accepts NULL. */
void mbtiles_discard(mbtiles *mb);

/* Which tiles an export renders, and how. */
struct mbtiles_export {
	int minzoom, maxzoom; /* 0 .. TILE_MAX_ZOOM */
	double bounds[4];     /* west, south, east, north, degrees */
	int tile_px;          /* 256, or 512 for scale 2 */
	int threads;          /* rendering threads, at least 1 */
	/* Called after every tile with the tiles done so far and in all (may
	 * be NULL); one call at a time, from any of the threads. */
	void (*progress)(void *ctx, long long done, long long total);
	void *progress_ctx;
	/* When it becomes nonzero (a signal handler may set it) the export
	 * stops with ERR_IO; may be NULL. */
	const atomic_int *stop;
};

/* What an export did. */
struct mbtiles_stats {
	long long written; /* tiles stored */
	long long empty;   /* tiles fully transparent, left out */
	size_t bytes;      /* PNG bytes stored */
};

/* The number of tiles of e's bounds at its zooms into *n. ERR_INVALID for
 * zooms outside 0 .. 22 or reversed, or bounds tile_cover() refuses. */
int mbtiles_count(const struct mbtiles_export *e, long long *n);

/* Renders q (its view replaced by each tile's) at every tile of e into mb,
 * leaving fully transparent tiles out, and fills *stats. The first error
 * (or e->stop) stops every thread and is returned naming the tile; mb
 * should then be discarded. */
int mbtiles_export(renderer *r, const struct render_request *q, const struct mbtiles_export *e,
                   mbtiles *mb, struct mbtiles_stats *stats);

#endif
