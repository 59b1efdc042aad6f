/* points: offences at one address drawn on a ring around it, up to eight,
 * and as one dot of their commonest category with the count beyond. */
#include "testutil.h"

#include "err.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define T0 1780000000LL

static void put_many(store *st, const char *prefix, double lon, double lat, int n,
                     const char *const *cats)
{
	char id[32];
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%s%d", prefix, i);
		testutil_put_offence(st, id, lon, lat, T0 + 3600 * i, T0 + 3600 * i, cats[i]);
	}
}

static void px_of(const struct view *v, double lon, double lat, double *px, double *py)
{
	double mx, my;
	tile_lonlat_to_merc(lon, lat, &mx, &my);
	view_to_px(v, mx, my, px, py);
}

static void test_one_address_many_offences(void **state)
{
	struct testutil_db *f = *state;
	char style_path[1024];
	renderer *r;
	style *sty;
	snprintf(style_path, sizeof style_path, "%s/styles/default.json",
	         getenv("POSBON_SOURCE_DIR"));
	testutil_l_district(f->st);
	const char *three[] = {"theft", "fraud", "theft"};
	const char *twelve[12] = {"fraud", "fraud", "fraud", "fraud", "fraud", "fraud",
	                          "fraud", "theft", "theft", "theft", "theft", "theft"};
	const char *one[] = {"fraud"};
	/* Interleaved in time and id, so only the place groups them. */
	put_many(f->st, "a", 69.2100, 41.3100, 3, three);
	put_many(f->st, "b", 69.2104, 41.3100, 12, twelve);
	put_many(f->st, "c", 69.2100, 41.3103, 1, one);
	assert_int_equal(style_load(style_path, &sty), 0);
	assert_int_equal(renderer_open(f->st, style_path, NULL, &r), 0);

	struct render_request q = {.layers = RENDER_OFFENCES};
	dataset_filter_all(&q.filter);
	assert_int_equal(view_for_bbox(69.2096, 41.3097, 69.2108, 41.3106, 512, 512, 1, &q.view),
	                 0);
	assert_true(q.view.zoom >= 18);
	cairo_surface_t *img = testutil_render_decoded(r, &q);

	struct style_colour theft, fraud;
	style_category_colour(sty, "theft", &theft);
	style_category_colour(sty, "fraud", &fraud);
	theft.a = fraud.a = 0.9; /* the layer's opacity */
	double radius = 5;       /* the default style's radius from z 18 */
	double ax, ay, bx, by, cx, cy;
	px_of(&q.view, 69.2100, 41.3100, &ax, &ay);
	px_of(&q.view, 69.2104, 41.3100, &bx, &by);
	px_of(&q.view, 69.2100, 41.3103, &cx, &cy);

	/* A: nothing at the address itself, its three on a ring of two radii,
	 * the first at the top, two thefts and a fraud. */
	assert_true(testutil_pixel(img, (int)ax, (int)ay) >> 24 < 40);
	int thefts = 0, frauds = 0;
	for (int i = 0; i < 3; i++) {
		/* Inside the dot, clear of the ring's line under its centre. */
		double a = 2 * M_PI * i / 3 - M_PI / 2, d = 2 * radius - 3;
		uint32_t p =
		    testutil_pixel(img, (int)lround(ax + d * cos(a)), (int)lround(ay + d * sin(a)));
		thefts += testutil_pixel_is(p, &theft, 3);
		frauds += testutil_pixel_is(p, &fraud, 3);
	}
	assert_int_equal(thefts, 2);
	assert_int_equal(frauds, 1);

	/* B: one dot of fraud (7 of 12), with white figures on it. */
	int white = 0, dot = 0;
	for (int j = -(int)(2 * radius); j <= (int)(2 * radius); j++)
		for (int i = -(int)(2 * radius); i <= (int)(2 * radius); i++) {
			uint32_t p = testutil_pixel(img, (int)bx + i, (int)by + j);
			const struct style_colour w = {1, 1, 1, 0.9};
			white += testutil_pixel_is(p, &w, 40);
			dot += testutil_pixel_is(p, &fraud, 3);
		}
	assert_true(white > 5);
	assert_true(dot > 50);

	/* C: a single dot at the address. */
	assert_true(testutil_pixel_is(testutil_pixel(img, (int)cx, (int)cy), &fraud, 3));

	cairo_surface_destroy(img);
	renderer_free(r);
	style_free(sty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_one_address_many_offences, testutil_db_open,
	                                    testutil_db_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
