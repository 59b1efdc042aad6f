/* warp: target pixels to Mercator in each frame against known projections,
 * and pictures through the real renderer on a sample store: a square
 * Mercator target is the tile itself, a squashed one its rows averaged, an
 * opaque one has the background under it. */
#include "testutil.h"

#include "err.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"
#include "warp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static int setup(void **state)
{
	return testutil_rendered_open(state, 3000, 10);
}

static int teardown(void **state)
{
	return testutil_rendered_close(state);
}

/* The check values of ../shared/stack-notes.md: (69.2797, 41.3111) is
 * (7712180.926, 5058337.705) in EPSG:3857 and (523412.258, 4573330.773) in
 * EPSG:32642; as the top-left corner of a target, and its centre. */
static void test_to_merc(void **state)
{
	(void)state;
	struct warp_target ll = {.frame = WARP_LONLAT,
	                         .box = {69.2797, 41.3111 - 0.01, 69.2797 + 0.02, 41.3111},
	                         .width = 200,
	                         .height = 100};
	struct warp_target um = {
	    .frame = WARP_UTM,
	    .epsg = 32642,
	    .box = {523412.258 - 500, 4573330.773 - 500, 523412.258 + 500, 4573330.773 + 500},
	    .width = 100,
	    .height = 50};
	double x[2] = {0, 100}, y[2] = {0, 50};
	assert_int_equal(warp_to_merc(&ll, x, y, 2), 0);
	assert_true(fabs(x[0] - 7712180.926) < 1e-3 && fabs(y[0] - 5058337.705) < 1e-3);
	double cx, cy; /* the centre: half the box in degrees */
	tile_lonlat_to_merc(69.2797 + 0.01, 41.3111 - 0.005, &cx, &cy);
	assert_true(fabs(x[1] - cx) < 1e-6 && fabs(y[1] - cy) < 1e-6);
	double ux = 50, uy = 25; /* pixels need not be square: 10 m by 20 m */
	assert_int_equal(warp_to_merc(&um, &ux, &uy, 1), 0);
	assert_true(fabs(ux - 7712180.926) < 0.01 && fabs(uy - 5058337.705) < 0.01);
	struct warp_target bad = ll;
	bad.box[3] = 95; /* beyond the pole */
	x[0] = y[0] = 0;
	assert_int_equal(warp_to_merc(&bad, x, y, 1), ERR_INVALID);
}

static cairo_surface_t *warped(renderer *r, const struct render_request *q,
                               const struct warp_target *t)
{
	unsigned char *png;
	size_t len;
	assert_int_equal(warp_picture(r, q, t, WARP_PNG, &png, &len), 0);
	cairo_surface_t *img = testutil_png_decode(png, len);
	free(png);
	assert_non_null(img);
	assert_int_equal(cairo_image_surface_get_width(img), t->width);
	assert_int_equal(cairo_image_surface_get_height(img), t->height);
	return img;
}

static void test_mercator(void **state)
{
	struct testutil_rendered *f = *state;
	double e[4], lon, lat;
	dataset_extent(renderer_dataset(f->r), e);
	tile_merc_to_lonlat((e[0] + e[2]) / 2, (e[1] + e[3]) / 2, &lon, &lat);
	int z = 14;
	long tx = (long)((lon + 180) / 360 * (1 << z));
	long ty = (long)((1 - asinh(tan(lat * M_PI / 180)) / M_PI) / 2 * (1 << z));
	struct render_request q = {.layers = RENDER_HEATMAP | RENDER_MAHALLAS};
	dataset_filter_all(&q.filter);
	assert_int_equal(view_for_tile(z, tx, ty, 256, &q.view), 0);
	cairo_surface_t *tile = testutil_render_decoded(f->r, &q);
	struct tile_bounds b;
	tile_bounds_merc(z, tx, ty, &b);
	struct warp_target t = {
	    WARP_MERCATOR, 3857, {b.minx, b.miny, b.maxx, b.maxy}, 256, 256, 0, 0};
	cairo_surface_t *same = warped(f->r, &q, &t);
	int painted = 0;
	for (int y = 0; y < 256; y++)
		for (int x = 0; x < 256; x++) {
			uint32_t p = testutil_pixel(tile, x, y);
			painted += (p >> 24) > 0;
			assert_true(testutil_pixels_close(p, testutil_pixel(same, x, y), 1));
		}
	assert_true(painted > 500);
	/* Half the height: output row j is read between tile rows 2j and 2j + 1. */
	t.height = 128;
	cairo_surface_t *half = warped(f->r, &q, &t);
	for (int y = 0; y < 128; y++)
		for (int x = 0; x < 256; x++) {
			uint32_t a = testutil_pixel(tile, x, 2 * y),
			         c = testutil_pixel(tile, x, 2 * y + 1);
			uint32_t mean = 0;
			for (int k = 0; k < 32; k += 8)
				mean |= ((((a >> k) & 0xFF) + ((c >> k) & 0xFF) + 1) / 2) << k;
			/* The picture read is drawn anew, two pixels wider: its
			 * antialiased lines may differ from the tile's by a few
			 * levels where the origin's rounding moves them. */
			assert_true(testutil_pixels_close(mean, testutil_pixel(half, x, y), 8));
		}
	cairo_surface_destroy(tile);
	cairo_surface_destroy(same);
	cairo_surface_destroy(half);
}

static void test_background(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request q = {.layers = RENDER_HEATMAP | RENDER_MAHALLAS};
	dataset_filter_all(&q.filter);
	/* Far from the district, in its UTM zone: nothing but the background. */
	struct warp_target t = {WARP_UTM, 32642,   {300000, 4000000, 301000, 4001000}, 40, 30,
	                        1,        0x102030};
	cairo_surface_t *img = warped(f->r, &q, &t);
	for (int y = 0; y < 30; y++)
		for (int x = 0; x < 40; x++)
			assert_int_equal(testutil_pixel(img, x, y), 0xFF102030u);
	cairo_surface_destroy(img);
}

/* Targets no picture can be drawn for are refused before any pixel
 * arithmetic: infinite, inside-out, thinner than doubles resolve, beyond
 * the world or Web Mercator's latitudes, or sized out of range. */
static void test_degenerate_targets(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request q = {.layers = RENDER_HEATMAP | RENDER_MAHALLAS};
	dataset_filter_all(&q.filter);
	/* Refused by warp_check(), so by warp_to_merc() too. */
	static const struct warp_target bad[] = {
	    {WARP_MERCATOR, 3857, {-INFINITY, -INFINITY, INFINITY, INFINITY}, 64, 64, 0, 0},
	    {WARP_MERCATOR, 3857, {NAN, 0, 1, 1}, 64, 64, 0, 0},
	    {WARP_MERCATOR, 3857, {-1e300, -1e300, 1e300, 1e300}, 64, 64, 0, 0},
	    {WARP_MERCATOR, 3857, {7712180, 5058337, 7712180 + 1e-6, 5058338}, 64, 64, 0, 0},
	    {WARP_LONLAT, 4326, {69.2, 41.2, 69.3, 41.20000000000001}, 64, 64, 0, 0},
	    {WARP_LONLAT, 4326, {69.3, 41.2, 69.2, 41.3}, 64, 64, 0, 0},
	    {WARP_UTM, 32642, {300000, 4000000, 301000, 4001000}, 0, 30, 0, 0},
	    {WARP_UTM, 32642, {300000, 4000000, 301000, 4001000}, 40, WARP_MAX_SIZE + 1, 0, 0},
	    /* Only a picture cannot be drawn: beyond Web Mercator's latitudes,
	     * and finer than a centimetre a pixel. */
	    {WARP_LONLAT, 4326, {69.2, 86, 69.3, 90}, 64, 64, 0, 0},
	    {WARP_MERCATOR, 3857, {7712180, 5058337, 7712180.5, 5058337.5}, 64, 64, 0, 0},
	};
	size_t n_checked = sizeof bad / sizeof *bad - 2;
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		unsigned char *png = NULL;
		size_t len = 0;
		double x = 0, y = 0;
		assert_int_equal(warp_picture(f->r, &q, &bad[k], WARP_PNG, &png, &len),
		                 ERR_INVALID);
		assert_null(png);
		assert_int_equal(warp_to_merc(&bad[k], &x, &y, 1), k < n_checked ? ERR_INVALID : 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_to_merc),
	    cmocka_unit_test(test_mercator),
	    cmocka_unit_test(test_background),
	    cmocka_unit_test(test_degenerate_targets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
