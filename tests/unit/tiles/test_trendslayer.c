/* trendslayer: a hand-built district in a real SpatiaLite file where one
 * place's offences grow week by week (an intensifying hot spot) and
 * another's stay the same (a persistent one) over a scattered background, drawn through the
 * renderer with the default style: each cell in its category's colour, transparent where there is
 * no pattern and outside the district; neighbouring tiles agree on their edge; the ETag follows the
 * analysis' parameters. */
#include "testutil.h"

#include "err.h"
#include "render.h"
#include "store.h"
#include "stylecolour.h"
#include "tilemath.h"
#include "trends.h"
#include "utm.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEKS 12
#define END   1782777599LL /* 2026-06-29 23:59:59 UTC */

/* The growing place, the steady one. */
static const double rise[2] = {69.2101, 41.3101}, steady[2] = {69.2351, 41.3051};

struct fixture {
	void *db;  /* struct testutil_db */
	store *st; /* borrowed from db */
	renderer *r;
	struct trends_result res; /* the analysis the layer draws, made here too */
	utm *u;
};

static void put(store *st, const char *kind, int w, int k, const double *at, int64_t t,
                const char *category)
{
	char id[32];
	snprintf(id, sizeof id, "%s%d-%d", kind, w, k);
	testutil_put_offence(st, id, at[0], at[1], t, t, category);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char style[700];
	const char *src = getenv("POSBON_SOURCE_DIR");
	*state = f;
	if (!src || testutil_db_open(&f->db) < 0)
		return -1;
	snprintf(style, sizeof style, "%s/styles/default.json", src);
	f->st = ((struct testutil_db *)f->db)->st;
	testutil_l_district(f->st);
	for (int w = 0; w < WEEKS; w++) {
		int64_t t0 = END + 1 - (WEEKS - w) * TRENDS_WEEK + 3600;
		for (int k = 0; k < 6 + 2 * w; k++)
			put(f->st, "r", w, k, rise, t0 + k * 3600, "theft");
		for (int k = 0; k < 14; k++)
			put(f->st, "s", w, k, steady, t0 + k * 3600, "theft");
		/* Scattered background, a different spot each time. */
		for (int k = 0; k < 4; k++) {
			int s = (w * 4 + k) * 7 % 48;
			double at[2] = {69.202 + (s % 8) * 0.0028, 41.301 + (s / 8) * 0.0028};
			put(f->st, "b", w, k, at, t0 + k * 9000, "fraud");
		}
	}
	if (renderer_open(f->st, style, NULL, &f->r) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		return -1;
	}
	struct trends_params p = {0};
	dataset_filter_all(&p.filter);
	struct held_shapes *held;
	int rc =
	    trends_run(renderer_dataset(f->r), renderer_shapes_acquire(f->r, &held), &p, &f->res);
	renderer_shapes_release(f->r, held);
	if (rc < 0 || utm_open(f->res.grid.epsg, &f->u) < 0) {
		fprintf(stderr, "setup: %s\n", err_msg());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	utm_free(f->u);
	trends_result_free(&f->res);
	renderer_free(f->r);
	if (f->db)
		testutil_db_close(&f->db);
	free(f);
	return 0;
}

/* The cell of lon/lat at in r's grid. */
static size_t cell_of(const struct fixture *f, const struct trends_result *r, const double *at)
{
	const struct gistar_result *g = &r->grid;
	double x = at[0], y = at[1];
	assert_int_equal(utm_forward(f->u, &x, &y, 1), 0);
	int i = (int)floor((x - g->x0) / g->cell), j = (int)floor((g->y0 - y) / g->cell);
	assert_true(i >= 0 && j >= 0 && i < g->width && j < g->height);
	return (size_t)j * g->width + i;
}

/* The pixel of the centre of r's cell c in v. */
static uint32_t cell_pixel(const struct fixture *f, const struct trends_result *r,
                           cairo_surface_t *img, const struct view *v, size_t c)
{
	const struct gistar_result *g = &r->grid;
	double x = g->x0 + (c % g->width + 0.5) * g->cell;
	double y = g->y0 - (c / g->width + 0.5) * g->cell, mx, my, px, py;
	assert_int_equal(utm_inverse(f->u, &x, &y, 1), 0);
	tile_lonlat_to_merc(x, y, &mx, &my);
	view_to_px(v, mx, my, &px, &py);
	return testutil_pixel(img, (int)px, (int)py);
}

/* The style's colour of category cat at the layer's opacity. */
static struct style_colour category_colour(const struct fixture *f, int cat)
{
	const struct style_trends *st = style_trends(renderer_style(f->r));
	struct style_colour c = st->colours[cat + TRENDS_PATTERNS - 1];
	c.a *= st->opacity;
	return c;
}

static void test_categories_in_their_colours(void **state)
{
	struct fixture *f = *state;
	size_t a = cell_of(f, &f->res, rise), b = cell_of(f, &f->res, steady);
	assert_int_equal(f->res.category[a], TRENDS_INTENSIFYING);
	/* As the growing place takes over the district's variance, the steady
	 * one's z-scores fall: some other hot category. */
	int cat_b = f->res.category[b];
	assert_true(cat_b > 0 && cat_b != TRENDS_INTENSIFYING);

	struct render_request q = {.layers = RENDER_TRENDS};
	dataset_filter_all(&q.filter);
	assert_int_equal(view_for_bbox(69.198, 41.298, 69.250, 41.338, 600, 460, 1, &q.view), 0);
	cairo_surface_t *img;
	assert_int_equal(render_image(f->r, &q, &img), 0);
	struct style_colour want = category_colour(f, TRENDS_INTENSIFYING);
	assert_true(testutil_pixel_is(cell_pixel(f, &f->res, img, &q.view, a), &want, 2));
	want = category_colour(f, cat_b);
	assert_true(testutil_pixel_is(cell_pixel(f, &f->res, img, &q.view, b), &want, 2));
	/* The two colours differ: the pixel tells the category. */
	assert_false(testutil_pixels_close(style_colour_pixel(&want),
	                                   cell_pixel(f, &f->res, img, &q.view, a), 8));

	/* Every cell of no pattern, and the missing north-east quarter, stay
	 * clear. */
	size_t clear = 0;
	const struct gistar_result *g = &f->res.grid;
	for (size_t c = 0; c < (size_t)g->width * g->height; c++)
		if (!f->res.category[c]) {
			uint32_t p = cell_pixel(f, &f->res, img, &q.view, c);
			/* A categorised neighbour's antialiased edge may reach a
			 * small cell's centre only when cells are under 2 px. */
			assert_int_equal(p, 0);
			clear++;
		}
	assert_true(clear > 100);
	double mx, my, px, py;
	tile_lonlat_to_merc(69.240, 41.330, &mx, &my);
	view_to_px(&q.view, mx, my, &px, &py);
	assert_int_equal(testutil_pixel(img, (int)px, (int)py), 0);
	cairo_surface_destroy(img);

	/* A filter that leaves no offence: an empty layer, no error. */
	q.filter.to = 100 * TRENDS_WEEK;
	assert_int_equal(render_image(f->r, &q, &img), 0);
	for (int y = 0; y < 460; y += 10)
		for (int x = 0; x < 600; x += 10)
			assert_int_equal(testutil_pixel(img, x, y), 0);
	cairo_surface_destroy(img);
}

/* Cells, not tiles: at each zoom the two tiles whose shared edge passes
 * nearest the growing place (within an 80 m cell's reach) match one
 * picture of both along that edge. */
static void test_seamless(void **state)
{
	struct fixture *f = *state;
	struct render_request q = {.layers = RENDER_TRENDS};
	dataset_filter_all(&q.filter);
	double lat = rise[1] * M_PI / 180;
	for (int z = 17; z <= 19; z++) {
		double n = ldexp(1, z), fx = (rise[0] + 180) / 360 * n;
		long x = (long)floor(fx),
		     y = (long)floor((1 - log(tan(lat) + 1 / cos(lat)) / M_PI) / 2 * n);
		/* The edge on the nearer side of the place's tile. */
		assert_true(testutil_seam(f->r, &q, z, fx - x < 0.5 ? x - 1 : x, y) > 0);
	}
}

/* Other weeks, cell or band: another picture, another ETag; the same
 * parameters: the same one. Over 4 weeks the growing place is persistent,
 * over 12 intensifying. */
static void test_parameters(void **state)
{
	struct fixture *f = *state;
	struct render_request q = {.layers = RENDER_TRENDS};
	dataset_filter_all(&q.filter);
	assert_int_equal(view_for_bbox(69.198, 41.298, 69.250, 41.338, 300, 230, 1, &q.view), 0);
	char tags[4][160];
	struct render_request qs[4] = {q, q, q, q};
	qs[1].trends.weeks = 4;
	qs[2].trends.cell = 150;
	qs[3].trends.band = 900;
	for (int k = 0; k < 4; k++)
		assert_int_equal(render_etag(f->r, &qs[k], tags[k], sizeof tags[k]), 0);
	for (int k = 1; k < 4; k++)
		assert_string_not_equal(tags[0], tags[k]);
	char again[160];
	assert_int_equal(render_etag(f->r, &q, again, sizeof again), 0);
	assert_string_equal(tags[0], again);

	/* The last 4 weeks: no trend can be significant at 0.01 in 4 values
	 * (Mann-Kendall's largest |Z| is (6 - 1) / sqrt(4 x 3 x 13 / 18) =
	 * 1.70, p = 0.09), so each place hot in every one of them is a
	 * persistent hot spot, the growing one no longer intensifying. Drawn
	 * from a new analysis, then the 12 weeks' again from the cache's new
	 * fill, where the growing place is intensifying again. */
	cairo_surface_t *img4, *img12;
	assert_int_equal(render_image(f->r, &qs[1], &img4), 0);
	assert_int_equal(render_image(f->r, &q, &img12), 0);
	struct trends_params p4 = {.weeks = 4};
	dataset_filter_all(&p4.filter);
	struct trends_result r4;
	struct held_shapes *held;
	assert_int_equal(
	    trends_run(renderer_dataset(f->r), renderer_shapes_acquire(f->r, &held), &p4, &r4), 0);
	renderer_shapes_release(f->r, held);
	const struct style_colour persistent = category_colour(f, TRENDS_PERSISTENT);
	const double *places[2] = {rise, steady};
	for (int k = 0; k < 2; k++) {
		size_t c = cell_of(f, &r4, places[k]);
		for (int w = 0; w < 4; w++)
			assert_true(r4.z[c * 4 + w] > 0 && r4.p[c * 4 + w] <= r4.alpha);
		uint32_t px = cell_pixel(f, &r4, img4, &qs[1].view, c);
		if (!testutil_pixel_is(px, &persistent, 2))
			fail_msg("place %d in 4 weeks: %08x, not persistent %08x", k, px,
			         style_colour_pixel(&persistent));
	}
	trends_result_free(&r4);
	const struct style_colour intensifying = category_colour(f, TRENDS_INTENSIFYING);
	assert_true(testutil_pixel_is(
	    cell_pixel(f, &f->res, img12, &q.view, cell_of(f, &f->res, rise)), &intensifying, 2));
	cairo_surface_destroy(img4);
	cairo_surface_destroy(img12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_categories_in_their_colours, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_seamless, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parameters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
