/*
 * mbtiles: the threaded export into an MBTiles file (gis-data/mbtfile.h
 * writes the file). Rendering dominates; the workers take turns at the one
 * file.
 */
#include "mbtiles.h"

#include "err.h"
#include "mbtfile.h"
#include "pngenc.h"
#include "tilemath.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mbtiles {
	mbtfile *file;
};

int mbtiles_create(const char *path, mbtiles **out)
{
	mbtiles *mb = calloc(1, sizeof *mb);
	int rc;
	*out = NULL;
	if (!mb)
		return err_set(ERR_NOMEM, "mbtiles: out of memory");
	if ((rc = mbtfile_create(path, &mb->file)) < 0) {
		free(mb);
		return rc;
	}
	*out = mb;
	return 0;
}

int mbtiles_put(mbtiles *mb, int z, long x, long y, const void *png, size_t len)
{
	return mbtfile_put_tile(mb->file, z, x, y, png, len);
}

void mbtiles_discard(mbtiles *mb)
{
	if (!mb)
		return;
	mbtfile_discard(mb->file);
	free(mb);
}

int mbtiles_finish(mbtiles *mb, const struct mbtiles_meta *m)
{
	char bounds[128], center[128], minzoom[16], maxzoom[16];
	const double *b = m->bounds;
	snprintf(bounds, sizeof bounds, "%.6f,%.6f,%.6f,%.6f", b[0], b[1], b[2], b[3]);
	snprintf(center, sizeof center, "%.6f,%.6f,%d", (b[0] + b[2]) / 2, (b[1] + b[3]) / 2,
	         (m->minzoom + m->maxzoom) / 2);
	snprintf(minzoom, sizeof minzoom, "%d", m->minzoom);
	snprintf(maxzoom, sizeof maxzoom, "%d", m->maxzoom);
	const char *rows[][2] = {
	    {"name", m->name},
	    {"format", "png"},
	    {"bounds", bounds},
	    {"center", center},
	    {"minzoom", minzoom},
	    {"maxzoom", maxzoom},
	    {"type", "overlay"},
	    {"version", "1"},
	    {"description", m->description},
	    {"attribution", m->attribution},
	};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof rows / sizeof rows[0]; i++)
		rc = mbtfile_put_meta(mb->file, rows[i][0], rows[i][1]);
	if (rc < 0) {
		mbtiles_discard(mb);
		return rc;
	}
	rc = mbtfile_finish(mb->file);
	free(mb);
	return rc;
}

/* The tiles of e's bounds at each of its zooms, *total in all. */
static int cover(const struct mbtiles_export *e, struct tile_range *ranges, long long *total)
{
	int rc = 0;
	*total = 0;
	if (e->minzoom < 0 || e->maxzoom > TILE_MAX_ZOOM)
		return err_set(ERR_INVALID, "zooms %d-%d: zooms are 0 to %d", e->minzoom,
		               e->maxzoom, TILE_MAX_ZOOM);
	if (e->minzoom > e->maxzoom)
		return err_set(ERR_INVALID, "zooms %d-%d: the first is above the last", e->minzoom,
		               e->maxzoom);
	for (int z = e->minzoom; rc == 0 && z <= e->maxzoom; z++) {
		struct tile_range *t = &ranges[z - e->minzoom];
		rc = tile_cover(z, e->bounds[0], e->bounds[1], e->bounds[2], e->bounds[3], t);
		*total += rc == 0 ? tile_range_count(t) : 0;
	}
	return rc;
}

int mbtiles_count(const struct mbtiles_export *e, long long *n)
{
	struct tile_range ranges[TILE_MAX_ZOOM + 1];
	return cover(e, ranges, n);
}

/* One export shared by its workers; the fields below lock are theirs to
 * change under it. */
struct job {
	renderer *r;
	const struct render_request *q;
	const struct mbtiles_export *e;
	struct tile_range ranges[TILE_MAX_ZOOM + 1];
	long long total;
	pthread_mutex_t lock;
	mbtiles *mb;
	long long next, done;
	struct mbtiles_stats stats;
	int rc;
	char msg[1024]; /* the first error's message: err_msg() is per thread */
};

/* The i-th tile of the export: zooms in order, rows from the north. */
static void tile_at(const struct job *j, long long i, int *z, long *x, long *y)
{
	const struct tile_range *t = j->ranges;
	while (i >= tile_range_count(t))
		i -= tile_range_count(t++);
	long w = t->x1 - t->x0 + 1;
	*z = t->z;
	*x = t->x0 + (long)(i % w);
	*y = t->y0 + (long)(i / w);
}

/* Whether no pixel has any alpha (premultiplied: then no colour either). */
static int blank(cairo_surface_t *img)
{
	const unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	for (int row = 0; row < h; row++) {
		const uint32_t *px = (const uint32_t *)(data + (size_t)row * stride);
		for (int col = 0; col < w; col++)
			if (px[col] >> 24)
				return 0;
	}
	return 1;
}

static void *work(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		if (j->rc == 0 && j->e->stop && atomic_load(j->e->stop)) {
			j->rc = ERR_IO;
			snprintf(j->msg, sizeof j->msg, "interrupted after %lld of %lld tiles",
			         j->done, j->total);
		}
		long long i = j->rc < 0 ? j->total : j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->total)
			return NULL;
		int z, empty = 0;
		long x, y;
		struct render_request q = *j->q;
		cairo_surface_t *img = NULL;
		unsigned char *png = NULL;
		size_t len = 0;
		tile_at(j, i, &z, &x, &y);
		int rc = view_for_tile(z, x, y, j->e->tile_px, &q.view);
		if (rc == 0)
			rc = render_image(j->r, &q, &img);
		if (rc == 0 && !(empty = blank(img)))
			rc = pngenc_encode(img, &png, &len);
		cairo_surface_destroy(img);
		pthread_mutex_lock(&j->lock);
		if (rc == 0 && !empty && j->rc == 0)
			rc = mbtiles_put(j->mb, z, x, y, png, len);
		if (rc < 0 && j->rc == 0) {
			j->rc = rc;
			snprintf(j->msg, sizeof j->msg, "tile %d/%ld/%ld: %s", z, x, y, err_msg());
		}
		if (j->rc == 0) {
			j->stats.empty += empty;
			j->stats.written += !empty;
			j->stats.bytes += len;
			if (j->e->progress)
				j->e->progress(j->e->progress_ctx, ++j->done, j->total);
		}
		pthread_mutex_unlock(&j->lock);
		free(png);
	}
}

int mbtiles_export(renderer *r, const struct render_request *q, const struct mbtiles_export *e,
                   mbtiles *mb, struct mbtiles_stats *stats)
{
	struct job *j = calloc(1, sizeof *j);
	pthread_t *threads = NULL;
	int started = 0, rc;
	memset(stats, 0, sizeof *stats);
	if (!j)
		return err_set(ERR_NOMEM, "mbtiles: out of memory");
	if ((rc = cover(e, j->ranges, &j->total)) < 0)
		goto out;
	if (e->threads > 1 && !(threads = calloc((size_t)e->threads - 1, sizeof *threads))) {
		rc = err_set(ERR_NOMEM, "mbtiles: out of memory");
		goto out;
	}
	j->r = r;
	j->q = q;
	j->e = e;
	j->mb = mb;
	pthread_mutex_init(&j->lock, NULL);
	/* Fewer threads than asked still export every tile: a failed start
	 * only leaves the work to the others. */
	for (int i = 0; i + 1 < e->threads; i++)
		if (pthread_create(&threads[started], NULL, work, j) == 0)
			started++;
	work(j);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&j->lock);
	rc = j->rc < 0 ? err_set(j->rc, "%s", j->msg) : 0;
	*stats = j->stats;
out:
	free(threads);
	free(j);
	return rc;
}
