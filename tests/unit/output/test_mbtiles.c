/* mbtiles: the file read back with SQLite: TMS rows, metadata, the spec's
 * unique index, no file until the end; an export of the sample district
 * against render_png() tile by tile, its left-out tiles rendered blank.
 * SQLite reads the file here because MBTiles is an SQLite file format. */
#include "testdb.h"
#include "testutil.h"

#include "err.h"
#include "mbtiles.h"
#include "render.h"
#include "tilemath.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
	return testutil_rendered_open(state, 3000, 8);
}

/* How many files in dir start with prefix. */
static int files_starting(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* The metadata value of name, or "" when there is none. */
static const char *meta(sqlite3 *db, const char *name, char *buf, size_t n)
{
	sqlite3_stmt *s;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT value FROM metadata WHERE name = ?", -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	snprintf(buf, n, "%s",
	         sqlite3_step(s) == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : "");
	sqlite3_finalize(s);
	return buf;
}

static void test_writer_flips_rows_writes_metadata_and_the_unique_index(void **state)
{
	struct testutil_rendered *f = *state;
	char path[700], buf[256];
	mbtiles *mb;
	sqlite3 *db;
	testutil_path(path, sizeof path, f->dir, "w.mbtiles");
	assert_int_equal(mbtiles_create(path, &mb), 0);
	assert_int_equal(mbtiles_put(mb, 3, 2, 1, "tile-a", 6), 0);
	assert_int_equal(mbtiles_put(mb, 0, 0, 0, "tile-b", 6), 0);
	assert_int_equal(mbtiles_put(mb, 3, 2, 1, "again", 5), ERR_DB);
	assert_int_equal(mbtiles_put(mb, 3, 8, 1, "out", 3), ERR_INVALID);
	/* Nothing at the target until the end, only the temporary file. */
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(files_starting(f->dir, "w.mbtiles.tmp-"), 1);
	struct mbtiles_meta m = {.name = "test set",
	                         .description = "layers heatmap",
	                         .attribution = "posbon",
	                         .bounds = {69.2, 41.25, 69.3, 41.35},
	                         .minzoom = 11,
	                         .maxzoom = 16};
	assert_int_equal(mbtiles_finish(mb, &m), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(files_starting(f->dir, "w.mbtiles"), 1);

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM tiles"), 2);
	/* XYZ row 1 of zoom 3 is TMS row 8 - 1 - 1 = 6. */
	assert_int_equal(testdb_count(db, "SELECT tile_row FROM tiles WHERE zoom_level = 3 AND "
	                                  "tile_column = 2 AND tile_data = CAST('tile-a' AS "
	                                  "BLOB)"),
	                 6);
	assert_int_equal(testdb_count(db, "SELECT tile_row FROM tiles WHERE zoom_level = 0"), 0);
	assert_string_equal(meta(db, "name", buf, sizeof buf), "test set");
	assert_string_equal(meta(db, "format", buf, sizeof buf), "png");
	assert_string_equal(meta(db, "type", buf, sizeof buf), "overlay");
	assert_string_equal(meta(db, "bounds", buf, sizeof buf),
	                    "69.200000,41.250000,69.300000,41.350000");
	assert_string_equal(meta(db, "center", buf, sizeof buf), "69.250000,41.300000,13");
	assert_string_equal(meta(db, "minzoom", buf, sizeof buf), "11");
	assert_string_equal(meta(db, "maxzoom", buf, sizeof buf), "16");
	assert_string_equal(meta(db, "description", buf, sizeof buf), "layers heatmap");
	assert_string_equal(meta(db, "attribution", buf, sizeof buf), "posbon");
	assert_string_not_equal(meta(db, "version", buf, sizeof buf), "");
	/* The spec's unique index on the tile's address, in its column order. */
	assert_int_equal(testdb_count(db, "SELECT \"unique\" FROM pragma_index_list('tiles') "
	                                  "WHERE name = 'tile_index'"),
	                 1);
	assert_int_equal(testdb_count(db, "SELECT group_concat(name, ',') = "
	                                  "'zoom_level,tile_column,tile_row' FROM (SELECT name "
	                                  "FROM pragma_index_info('tile_index') ORDER BY seqno)"),
	                 1);
	assert_int_equal(testdb_count(db, "PRAGMA application_id"), 0x4d504258);
	sqlite3_close(db);
}

static void test_failures_leave_no_file_and_keep_the_old_one(void **state)
{
	struct testutil_rendered *f = *state;
	char path[700], bad[700], old[16] = "";
	mbtiles *mb;
	testutil_path(path, sizeof path, f->dir, "keep.mbtiles");
	testutil_write(path, "old file");
	assert_int_equal(mbtiles_create(path, &mb), 0);
	assert_int_equal(mbtiles_put(mb, 1, 1, 1, "x", 1), 0);
	mbtiles_discard(mb);
	assert_int_equal(files_starting(f->dir, "keep.mbtiles"), 1);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	assert_non_null(fgets(old, sizeof old, in));
	fclose(in);
	assert_string_equal(old, "old file");
	mbtiles_discard(NULL);

	testutil_path(bad, sizeof bad, f->dir, "no/such/folder.mbtiles");
	assert_int_equal(mbtiles_create(bad, &mb), ERR_IO);
	assert_null(mb);
	assert_non_null(strstr(err_msg(), "no/such/folder.mbtiles"));
	assert_int_equal(files_starting(f->dir, "no"), 0);
}

static void test_bad_zooms_are_refused(void **state)
{
	(void)state;
	long long n;
	struct mbtiles_export e = {
	    .minzoom = 14, .maxzoom = 12, .bounds = {69.2, 41.2, 69.3, 41.3}};
	assert_int_equal(mbtiles_count(&e, &n), ERR_INVALID);
	e.minzoom = 12;
	e.maxzoom = 23;
	assert_int_equal(mbtiles_count(&e, &n), ERR_INVALID);
	e.maxzoom = 12;
	e.bounds[0] = 69.4; /* west of east */
	assert_int_equal(mbtiles_count(&e, &n), ERR_INVALID);
	e.bounds[0] = 69.2;
	assert_int_equal(mbtiles_count(&e, &n), 0);
	assert_true(n >= 1 && n <= 4);
}

/* Whether two ARGB32 images of one size have the same pixels. */
static int same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
		return 0;
	for (int y = 0; y < h; y++)
		if (memcmp(cairo_image_surface_get_data(a) + y * cairo_image_surface_get_stride(a),
		           cairo_image_surface_get_data(b) + y * cairo_image_surface_get_stride(b),
		           (size_t)w * 4))
			return 0;
	return 1;
}

static int transparent(cairo_surface_t *img)
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (testutil_pixel(img, x, y) >> 24)
				return 0;
	return 1;
}

struct progress_log {
	long long calls, last_done, total;
	int backwards;
};

/* Runs on the export's threads: records, asserts nothing (cmocka's
 * failures jump on the test's own thread only). */
static void log_progress(void *ctx, long long done, long long total)
{
	struct progress_log *p = ctx;
	p->backwards += done <= p->last_done;
	p->calls++;
	p->last_done = done;
	p->total = total;
}

static void test_export_stores_the_renderers_tiles_and_skips_empty_ones(void **state)
{
	struct testutil_rendered *f = *state;
	char path[700];
	double m[4];
	mbtiles *mb;
	sqlite3 *db;
	sqlite3_stmt *s;
	long long total;
	struct mbtiles_stats stats;
	struct progress_log log = {0};
	struct render_request q = {.layers = RENDER_HEATMAP | RENDER_MAHALLAS};
	struct mbtiles_export e = {.minzoom = 12,
	                           .maxzoom = 13,
	                           .tile_px = TILE_SIZE,
	                           .threads = 2,
	                           .progress = log_progress,
	                           .progress_ctx = &log};
	dataset_filter_all(&q.filter);
	/* The district and 8 km around it, where nothing is drawn. */
	dataset_extent(renderer_dataset(f->r), m);
	tile_merc_to_lonlat(m[0], m[1], &e.bounds[0], &e.bounds[1]);
	tile_merc_to_lonlat(m[2], m[3], &e.bounds[2], &e.bounds[3]);
	e.bounds[0] -= 0.1;
	e.bounds[1] -= 0.07;
	e.bounds[2] += 0.1;
	e.bounds[3] += 0.07;
	assert_int_equal(mbtiles_count(&e, &total), 0);
	testutil_path(path, sizeof path, f->dir, "district.mbtiles");
	assert_int_equal(mbtiles_create(path, &mb), 0);
	assert_int_equal(mbtiles_export(f->r, &q, &e, mb, &stats), 0);
	struct mbtiles_meta meta = {.name = "district", .minzoom = 12, .maxzoom = 13};
	memcpy(meta.bounds, e.bounds, sizeof meta.bounds);
	assert_int_equal(mbtiles_finish(mb, &meta), 0);
	assert_int_equal(stats.written + stats.empty, total);
	assert_true(stats.written > 0);
	assert_true(stats.empty > 0);
	assert_int_equal(log.calls, total);
	assert_int_equal(log.backwards, 0);
	assert_int_equal(log.last_done, total);
	assert_int_equal(log.total, total);

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(testdb_count(db, "SELECT count(*) FROM tiles"), stats.written);
	assert_int_equal(testdb_count(db, "SELECT sum(length(tile_data)) FROM tiles"),
	                 (long)stats.bytes);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT tile_data FROM tiles WHERE zoom_level = ? "
	                                    "AND tile_column = ? AND tile_row = ?",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	long long stored = 0;
	for (int z = e.minzoom; z <= e.maxzoom; z++) {
		struct tile_range t;
		assert_int_equal(
		    tile_cover(z, e.bounds[0], e.bounds[1], e.bounds[2], e.bounds[3], &t), 0);
		for (long y = t.y0; y <= t.y1; y++) {
			for (long x = t.x0; x <= t.x1; x++) {
				assert_int_equal(view_for_tile(z, x, y, TILE_SIZE, &q.view), 0);
				cairo_surface_t *want = testutil_render_decoded(f->r, &q);
				sqlite3_bind_int(s, 1, z);
				sqlite3_bind_int64(s, 2, x);
				sqlite3_bind_int64(s, 3, (1L << z) - 1 - y);
				if (sqlite3_step(s) == SQLITE_ROW) {
					cairo_surface_t *got =
					    testutil_png_decode(sqlite3_column_blob(s, 0),
					                        (size_t)sqlite3_column_bytes(s, 0));
					assert_true(same_pixels(got, want));
					assert_false(transparent(got));
					cairo_surface_destroy(got);
					stored++;
				} else {
					assert_true(transparent(want));
				}
				sqlite3_reset(s);
				cairo_surface_destroy(want);
			}
		}
	}
	assert_int_equal(stored, stats.written);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_a_stopped_export_is_refused_and_discarded(void **state)
{
	struct testutil_rendered *f = *state;
	char path[700];
	mbtiles *mb;
	struct mbtiles_stats stats;
	atomic_int stop = 1;
	struct render_request q = {.layers = RENDER_MAHALLAS};
	struct mbtiles_export e = {.minzoom = 12,
	                           .maxzoom = 13,
	                           .bounds = {69.2, 41.25, 69.3, 41.35},
	                           .tile_px = TILE_SIZE,
	                           .threads = 2,
	                           .stop = &stop};
	dataset_filter_all(&q.filter);
	testutil_path(path, sizeof path, f->dir, "stopped.mbtiles");
	assert_int_equal(mbtiles_create(path, &mb), 0);
	assert_int_equal(mbtiles_export(f->r, &q, &e, mb, &stats), ERR_IO);
	assert_non_null(strstr(err_msg(), "interrupted after 0 of"));
	assert_int_equal(stats.written + stats.empty, 0);
	mbtiles_discard(mb);
	assert_int_equal(files_starting(f->dir, "stopped.mbtiles"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_writer_flips_rows_writes_metadata_and_the_unique_index),
	    cmocka_unit_test(test_failures_leave_no_file_and_keep_the_old_one),
	    cmocka_unit_test(test_bad_zooms_are_refused),
	    cmocka_unit_test(test_export_stores_the_renderers_tiles_and_skips_empty_ones),
	    cmocka_unit_test(test_a_stopped_export_is_refused_and_discarded),
	};
	return cmocka_run_group_tests(tests, setup, testutil_rendered_close);
}
