/* Golden images: pictures of a seeded sample district compared pixel by
 * pixel, with a tolerance, with the reviewed ones in tests/golden/. Run with
 * POSBON_UPDATE_GOLDEN=1 to write new ones after a deliberate change, and
 * look at them before committing. */
#include "testutil.h"

#include "err.h"
#include "render.h"
#include "store.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct golden {
	const char *name;
	unsigned layers;
	int z;
	long x, y;
	int px;
	const char *hours;
};

/* The sample district's tiles (seed 1, 12 mahallas), chosen to show each
 * layer where it has something to show. */
static const struct golden goldens[] = {
    {"heatmap_mahallas_z14", RENDER_HEATMAP | RENDER_MAHALLAS | RENDER_DISTRICTS, 14, 11343, 6124,
     256, NULL},
    {"zones_tracks_z15", RENDER_ZONES | RENDER_TRACKS | RENDER_MAHALLAS, 15, 22686, 12249, 512,
     NULL},
    {"choropleth_z13", RENDER_CHOROPLETH | RENDER_DISTRICTS | RENDER_MAHALLAS, 13, 5671, 3062, 256,
     NULL},
    {"night_heatmap_offences_z16", RENDER_HEATMAP | RENDER_OFFENCES, 16, 45374, 24499, 256,
     "20-06"},
};

static int setup(void **state)
{
	return testutil_rendered_open(state, 8000, 12);
}

/* Counts pixels whose channels differ by more than tol. */
static long differing(cairo_surface_t *a, cairo_surface_t *b, int tol)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	long n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += !testutil_pixels_close(testutil_pixel(a, x, y),
			                            testutil_pixel(b, x, y), tol);
	return n;
}

static void test_goldens(void **state)
{
	struct testutil_rendered *f = *state;
	int update = getenv("POSBON_UPDATE_GOLDEN") != NULL;
	for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
		const struct golden *g = &goldens[i];
		struct render_request q = {.layers = g->layers};
		char path[1200];
		cairo_surface_t *img;
		assert_int_equal(view_for_tile(g->z, g->x, g->y, g->px, &q.view), 0);
		struct dataset_filter_text t = {.hours = g->hours};
		assert_int_equal(dataset_filter_parse(renderer_dataset(f->r), &t, &q.filter), 0);
		assert_int_equal(render_image(f->r, &q, &img), 0);
		snprintf(path, sizeof path, "%s/tests/golden/%s.png", getenv("POSBON_SOURCE_DIR"),
		         g->name);
		if (update) {
			assert_int_equal(cairo_surface_write_to_png(img, path),
			                 CAIRO_STATUS_SUCCESS);
			fprintf(stderr, "wrote %s\n", path);
			cairo_surface_destroy(img);
			continue;
		}
		cairo_surface_t *want = cairo_image_surface_create_from_png(path);
		if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS)
			fail_msg("%s: cannot read the golden image", path);
		assert_int_equal(cairo_image_surface_get_width(want), g->px);
		/* Antialiasing and font hinting may move a few edge pixels. */
		long bad = differing(img, want, 8);
		long allowed = (long)g->px * g->px / 200;
		if (bad > allowed)
			fail_msg(
			    "%s: %ld pixels differ by more than 8 levels (at most %ld allowed)",
			    g->name, bad, allowed);
		/* and the picture is not empty: an empty golden would prove nothing */
		cairo_surface_t *blank =
		    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, g->px, g->px);
		assert_true(differing(want, blank, 8) > (long)g->px * g->px / 50);
		cairo_surface_destroy(blank);
		cairo_surface_destroy(want);
		cairo_surface_destroy(img);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_goldens),
	};
	return cmocka_run_group_tests(tests, setup, testutil_rendered_close);
}
