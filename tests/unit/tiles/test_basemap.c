/* basemap: places drawn as symbols by kind, told apart by their shapes: a
 * market's square fills its corners, a bus stop's ring is white inside, a
 * school's triangle is empty above its middle's sides, a café is a dot. The
 * ground comes from a real store, the style is the default one. */
#include "testutil.h"

#include "basemap.h"
#include "err.h"
#include "ground.h"
#include "labels.h"
#include "tilemath.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LON  69.2
#define LAT  41.3
#define STEP 0.0003 /* degrees between the places: about 25 m */

static const char *const kinds[] = {"market", "bus_stop", "school", "cafe", "hospital"};

static void put_place(store *st, int i)
{
	unsigned char b[64];
	char id[16];
	struct store_put_info info;
	snprintf(id, sizeof id, "p%d", i);
	struct store_ref_feature r = {.external_id = id,
	                              .kind = "poi",
	                              .poi = kinds[i],
	                              .wkb = b,
	                              .wkb_len =
	                                  testutil_line_wkb(b, LON + i * STEP, LAT, NAN, NAN)};
	assert_int_equal(store_put_ref_feature(st, &r, &info), 0);
}

/* Whether the pixel at (x, y) px from place i's middle has the places'
 * colour (not the land, not white). */
static int coloured(cairo_surface_t *img, const struct view *v, int i, double dx, double dy,
                    const struct style_colour *c)
{
	double mx, my, px, py;
	tile_lonlat_to_merc(LON + i * STEP, LAT, &mx, &my);
	view_to_px(v, mx, my, &px, &py);
	return testutil_pixel_is(testutil_pixel(img, (int)lround(px + dx), (int)lround(py + dy)), c,
	                         24);
}

static void test_symbols(void **state)
{
	struct testutil_db *f = *state;
	for (int i = 0; i < 5; i++)
		put_place(f->st, i);
	ground *g;
	assert_int_equal(ground_load(f->st, &g), 0);
	char path[1024];
	snprintf(path, sizeof path, "%s/styles/default.json", getenv("POSBON_SOURCE_DIR"));
	style *s;
	assert_int_equal(style_load(path, &s), 0);
	const struct style_basemap *b = style_basemap(s);
	assert_non_null(b);
	assert_non_null(b->place);

	/* Zoom 18 at 2x: the symbols' radius is 12 px. */
	double x0, y0, x1, y1;
	tile_lonlat_to_merc(LON - STEP, LAT - STEP, &x0, &y0);
	tile_lonlat_to_merc(LON + 5 * STEP, LAT + STEP, &x1, &y1);
	struct view v;
	double res = tile_merc_per_pixel(18, 512);
	assert_int_equal(
	    view_for_merc(x0, y0, x1, y1, (int)((x1 - x0) / res), (int)((y1 - y0) / res), 2, &v),
	    0);
	v.zoom = 18;
	double r = style_zfunc_eval(&b->place_radius, 18) * v.scale;
	assert_true(r >= 10);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v.width, v.height);
	cairo_t *cr = cairo_create(img);
	labels *lb;
	assert_int_equal(labels_new(&v, LABELS_INSIDE, &lb), 0);
	assert_int_equal(basemap_paint(cr, &v, g, s, NULL, lb), 0);
	cairo_surface_flush(img);
	const struct style_colour *c = b->place;
	double corner = 0.7 * r;
	/* market: a square to its corners */
	assert_true(coloured(img, &v, 0, 0, 0, c));
	assert_true(coloured(img, &v, 0, corner, corner, c));
	/* bus stop: a ring, white inside, coloured on it */
	assert_false(coloured(img, &v, 1, 0, 0, c));
	assert_true(coloured(img, &v, 1, 0.8 * r, 0, c));
	/* school: a triangle, pointed up: its top corners empty, its base full */
	assert_true(coloured(img, &v, 2, 0, 0, c));
	assert_false(coloured(img, &v, 2, corner, -corner, c));
	assert_true(coloured(img, &v, 2, corner, 0.6 * r, c));
	/* café: a dot, round: no corner */
	assert_true(coloured(img, &v, 3, 0, 0, c));
	assert_false(coloured(img, &v, 3, corner, corner, c));
	/* hospital: a cross: its arms, not its corners */
	assert_true(coloured(img, &v, 4, 0.8 * r, 0, c));
	assert_false(coloured(img, &v, 4, corner, corner, c));
	labels_free(lb);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	style_free(s);
	ground_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_symbols, testutil_db_open, testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
