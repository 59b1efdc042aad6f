/* gistarlayer: the significant cells of a generated district painted in
 * ArcGIS's colours where Gi* puts them, nothing elsewhere, and nothing for
 * a filter without offences. */
#include "testutil.h"

#include "dataset.h"
#include "err.h"
#include "gistar.h"
#include "gistarlayer.h"
#include "shapes.h"
#include "store.h"
#include "tilemath.h"
#include "utm.h"
#include "view.h"

#include <math.h>
#include <stdlib.h>

static void test_paint(void **state)
{
	(void)state;
	char *dir = testutil_tmpdir();
	store *st;
	dataset *ds;
	shapes *sh;
	gistarlayer *g;
	results *cache;
	assert_int_equal(testutil_sample_store(dir, 5000, 12, &st), 0);
	assert_int_equal(dataset_load(st, NULL, &ds), 0);
	assert_int_equal(shapes_load(st, NULL, &sh), 0);
	assert_int_equal(results_new(64 << 20, &cache), 0);
	assert_int_equal(gistarlayer_new(cache, &g), 0);

	/* The same analysis the layer makes, to know where its cells are. */
	struct gistar_params p = {0};
	struct gistar_result r;
	dataset_filter_all(&p.filter);
	assert_int_equal(gistar_run(ds, sh, &p, &r), 0);
	double e[4], w, s, ea, n;
	dataset_extent(ds, e);
	tile_merc_to_lonlat(e[0], e[1], &w, &s);
	tile_merc_to_lonlat(e[2], e[3], &ea, &n);
	struct view v;
	assert_int_equal(view_for_bbox(w, s, ea, n, 600, 600, 1, &v), 0);
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 600);
	cairo_t *cr = cairo_create(img);
	assert_int_equal(gistarlayer_paint(g, cr, &v, ds, sh, &p.filter, 1, 1), 0);
	/* Again from the cache: one analysis for both. */
	assert_int_equal(gistarlayer_paint(g, cr, &v, ds, sh, &p.filter, 1, 1), 0);
	struct results_stats rs;
	results_stats(cache, &rs);
	assert_int_equal(rs.computed, 1);
	assert_int_equal(rs.hits, 1);

	/* ArcGIS's colours, cold 99% .. hot 99%, painted twice: alpha 0.75 over
	 * 0.75 gives 0.9375. */
	const unsigned char rgb[7][3] = {{69, 117, 181}, {132, 158, 186}, {192, 204, 190},
	                                 {0, 0, 0},      {250, 185, 132}, {237, 117, 81},
	                                 {214, 47, 39}};
	utm *u;
	assert_int_equal(utm_open(r.epsg, &u), 0);
	size_t seen[3] = {0, 0, 0};
	for (size_t c = 0; c < (size_t)r.width * r.height; c++) {
		int b = r.bin[c];
		if (!r.mask[c])
			continue;
		/* Cells whose neighbours share the bin: the centre is clear of
		 * any edge's antialiasing. */
		int i = (int)(c % r.width), j = (int)(c / r.width), alike = 1;
		for (int dj = -1; dj <= 1; dj++)
			for (int di = -1; di <= 1; di++) {
				int ni = i + di, nj = j + dj;
				alike &= ni >= 0 && nj >= 0 && ni < r.width && nj < r.height &&
				         r.bin[(size_t)nj * r.width + ni] == b;
			}
		if (!alike)
			continue;
		double x = r.x0 + (i + 0.5) * r.cell, y = r.y0 - (j + 0.5) * r.cell, mx, my, px, py;
		assert_int_equal(utm_inverse(u, &x, &y, 1), 0);
		tile_lonlat_to_merc(x, y, &mx, &my);
		view_to_px(&v, mx, my, &px, &py);
		uint32_t pix = testutil_pixel(img, (int)px, (int)py);
		const unsigned char *k = rgb[b + 3];
		const struct style_colour want = {k[0] / 255.0, k[1] / 255.0, k[2] / 255.0,
		                                  b ? 0.9375 : 0};
		assert_true(testutil_pixel_is(pix, &want, 3));
		seen[b > 0 ? 0 : b < 0 ? 1 : 2]++;
	}
	assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);

	/* A period without offences: an empty layer, no error. */
	cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
	cairo_paint(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
	p.filter.from = 0;
	p.filter.to = 1;
	assert_int_equal(gistarlayer_paint(g, cr, &v, ds, sh, &p.filter, 1, 1), 0);
	for (int y = 0; y < 600; y += 20)
		for (int x = 0; x < 600; x += 20)
			assert_int_equal(testutil_pixel(img, x, y), 0);

	utm_free(u);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	gistar_result_free(&r);
	gistarlayer_free(g);
	results_free(cache);
	shapes_free(sh);
	dataset_free(ds);
	store_close(st);
	testutil_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
