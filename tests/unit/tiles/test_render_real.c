/* Rendering real data: the NYC precincts as jurisdictions with the shootings,
 * and the Tashkent districts with their Uzbek and Russian names, imported
 * through the importer and drawn through the renderer. Skipped without
 * ../shared/data. */
#include "testutil.h"

#include "err.h"
#include "import.h"
#include "labels.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void import_file(store *st, enum import_layer layer, const char *path, const char *tz)
{
	struct import_report rep;
	struct import_options o = {.layer = layer, .path = path, .timezone = tz};
	if (import_run(st, &o, &rep) < 0)
		fail_msg("importing %s: %s", path, err_msg());
	import_report_free(&rep);
}

static long painted(cairo_surface_t *s)
{
	long n = 0;
	cairo_surface_flush(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += d[(size_t)y * cairo_image_surface_get_stride(s) + 4 * x + 3] > 0;
	return n;
}

static void render_box(renderer *r, unsigned layers, double lon, double lat, int z,
                       cairo_surface_t **out)
{
	struct render_request q = {.layers = layers};
	double x, y;
	assert_int_equal(tile_lonlat_to_merc(lon, lat, &x, &y), 0);
	long tx = (long)((x + 20037508.342789244) / (40075016.68557849 / (1 << z)));
	long ty = (long)((20037508.342789244 - y) / (40075016.68557849 / (1 << z)));
	assert_int_equal(view_for_tile(z, tx, ty, 512, &q.view), 0);
	dataset_filter_all(&q.filter);
	assert_int_equal(render_image(r, &q, out), 0);
}

static void test_nyc_precincts_and_shootings(void **state)
{
	(void)state;
	const char *data = testutil_shared_data();
	if (!data)
		skip();
	char *dir = testutil_tmpdir(), db[700], path[1200], style[1200];
	store *st;
	renderer *r;
	testutil_path(db, sizeof db, dir, "nyc.sqlite");
	assert_int_equal(store_open(db, STORE_CREATE, &st), 0);
	snprintf(path, sizeof path, "%s/nyc/precincts.geojson", data);
	import_file(st, IMPORT_MAHALLAS, path, NULL);
	snprintf(path, sizeof path, "%s/nyc/shootings.csv", data);
	import_file(st, IMPORT_OFFENCES, path, "America/New_York");
	snprintf(style, sizeof style, "%s/styles/default.json", getenv("POSBON_SOURCE_DIR"));
	assert_int_equal(renderer_open(st, style, "America/New_York", &r), 0);
	/* the 78 precincts are the jurisdictions */
	assert_int_equal(dataset_mahalla_count(renderer_dataset(r)), 78);
	cairo_surface_t *img;
	/* Brooklyn at z13: precinct lines and labels everywhere */
	render_box(r, RENDER_MAHALLAS, -73.93, 40.67, 13, &img);
	long lines = painted(img);
	assert_true(lines > 512 * 512 / 50);
	cairo_surface_destroy(img);
	/* with offence dots at z15 more is painted */
	render_box(r, RENDER_MAHALLAS | RENDER_OFFENCES, -73.93, 40.67, 15, &img);
	assert_true(painted(img) > 0);
	cairo_surface_destroy(img);
	renderer_free(r);
	store_close(st);
	testutil_rmtree(dir);
}

/* Checks that a district's names have real glyphs in the label font. */
struct label_check {
	const struct style_font *font;
	int names;
};

static int check_glyphs(void *ctx, const struct store_area_record *a)
{
	struct label_check *c = ctx;
	const char *names[2] = {a->area.name_uz, a->area.name_ru};
	for (int i = 0; i < 2; i++) {
		int unknown = -1;
		assert_int_equal(labels_unknown_glyphs(c->font, names[i], &unknown), 0);
		if (unknown != 0)
			fail_msg("'%s': %d glyphs missing", names[i], unknown);
		c->names++;
	}
	return 0;
}

static void test_tashkent_district_names_render(void **state)
{
	(void)state;
	const char *data = testutil_shared_data();
	if (!data)
		skip();
	char *dir = testutil_tmpdir(), db[700], path[1200], style_path[1200];
	store *st;
	style *sty;
	testutil_path(db, sizeof db, dir, "t.sqlite");
	assert_int_equal(store_open(db, STORE_CREATE, &st), 0);
	snprintf(path, sizeof path, "%s/tashkent/districts.geojson", data);
	import_file(st, IMPORT_DISTRICTS, path, NULL);
	snprintf(style_path, sizeof style_path, "%s/styles/default.json",
	         getenv("POSBON_SOURCE_DIR"));
	assert_int_equal(style_load(style_path, &sty), 0);
	const struct style_area *da = style_districts(sty);
	assert_non_null(da);
	assert_non_null(da->label);
	/* every name in Uzbek and Russian has real glyphs in the label font */
	struct label_check c = {da->label->font, 0};
	assert_int_equal(store_list_areas(st, STORE_DISTRICTS, NULL, 0, check_glyphs, &c), 0);
	int names = c.names;
	assert_int_equal(names, 24);
	style_free(sty);
	renderer *r;
	assert_int_equal(renderer_open(st, style_path, NULL, &r), 0);
	cairo_surface_t *img;
	render_box(r, RENDER_DISTRICTS, 69.25, 41.30, 12, &img);
	assert_true(painted(img) > 512 * 512 / 100);
	cairo_surface_destroy(img);
	renderer_free(r);
	store_close(st);
	testutil_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nyc_precincts_and_shootings),
	    cmocka_unit_test(test_tashkent_district_names_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
